// Anomalous feature detection and suppression (SPEC §5, dissertation ch. 8.3, 8.4.1, 8.6.1): a
// vectorized pipeline stage on the activations entering the array.
#pragma once

#include "protect/ProtectionUnit.h"

namespace ftaccel::protect::afd {

const ProtectionUnit& unit();

// Width of the run-time shift input afd_shift_i (holds 0..s_max, at least 1 bit).
int shiftBits(int sMax);

}  // namespace ftaccel::protect::afd
