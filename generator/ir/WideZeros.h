// Sized zeros for very wide vectors.
#pragma once

#include "ir/Ir.h"

namespace ftaccel::ir {

// Verilator -Wall reports a '0 fill wider than this as a probable mistake (WIDTHCONCAT).
inline constexpr int kVerilatorFillLimit = 8192;

// Rewrites every `x <= '0` / `x = '0` / `assign x = '0` whose target is a whole signal or port wider
// than kVerilatorFillLimit bits in some elaboration into a sized zero, `(W)'(0)` with W the
// signal's own width expression. The value is the same in every tool; narrower signals keep '0,
// so their RTL does not change.
void sizeWideZeros(Module& m);

}  // namespace ftaccel::ir
