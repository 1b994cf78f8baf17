// Median feature selection (SPEC §6, dissertation ch. 8.4.2, 8.6.2): a vectorized pipeline stage
// of median-3 or median-5 units on the activations entering the array, naive (Fig. 8.10) or
// with comparisons shared between overlapping windows (Fig. 8.12).
#pragma once

#include "protect/ProtectionUnit.h"

namespace ftaccel::protect::median {

const ProtectionUnit& unit();

// Comparators the generated module contains for `lanes` lanes, window 3 or 5 (comparisons of
// two padding zeros are constants and cost nothing). The test counts the same cells in Yosys.
int comparatorCount(int lanes, int window, bool optimized);

}  // namespace ftaccel::protect::median
