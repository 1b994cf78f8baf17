// Fills in the evaluated value of every parameter and the evaluated width of every port and
// module-level signal, and walks a module with its generate blocks elaborated.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ir/ConstEval.h"
#include "ir/Ir.h"

namespace ftaccel::ir {

// Evaluates params (in order), port widths and module-level signal widths in place.
// Throws std::invalid_argument when an expression cannot be evaluated.
void resolve(Module& m);

// The scope of a module: its parameters and localparams with their values.
Scope moduleScope(const Module& m);

// One iteration of an enclosing generate loop.
struct LoopLevel {
  const Generate* loop = nullptr;
  int64_t index = 0;
};

// Where an elaborated item sits: the scope (params, genvars, generate localparams), the
// hierarchical path prefix ("gen_row[1].gen_col[2].") and the enclosing loop iterations.
struct ElabPoint {
  Scope scope;
  std::string path;
  std::vector<LoopLevel> loops;
};

// Calls visit(item, point) for every item of `m` as elaboration sees it: loops unrolled,
// generate-ifs decided, localparams of generate blocks added to the scope. Generate nodes
// themselves are not passed to visit.
void elaborate(const Module& m, const std::function<void(const Item&, const ElabPoint&)>& visit);

}  // namespace ftaccel::ir
