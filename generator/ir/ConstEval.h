// Evaluates SystemVerilog constant expressions (parameter values, widths) to integers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace ftaccel::ir {

// Names visible to an expression: parameters, localparams and genvars with their values.
using Scope = std::map<std::string, int64_t, std::less<>>;

// Integer arithmetic of the subset the generator emits: decimal literals (optionally sized,
// e.g. 32'd5), identifiers, ( ), unary - ! ~, * / %, + -, << >>, comparisons, == !=, &&, ||,
// ?: and $clog2(). Throws std::invalid_argument naming the expression on anything else or an
// unknown identifier: the IR must never carry an expression it cannot evaluate.
int64_t evalConst(std::string_view expr, const Scope& scope);

// Width of a vector declared with width expression `width` ("" = one bit).
int evalWidth(std::string_view width, const Scope& scope);

}  // namespace ftaccel::ir
