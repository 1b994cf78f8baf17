// Harness driver of the median unit: no inputs to drive; applies its golden model (the
// implementation the RTL has) to every streamed vector. Models with protect.median only.
#pragma once

#include <cstdint>
#include <vector>

#include "cosim_config.h"
#include "protect/median/MedianModel.h"

namespace ftaccel::tb::median {

template <typename Top>
inline void clearInputs(Top& top) {
  (void)top;
}

inline void filterInputs(std::vector<int64_t>& x) {
  x = ftaccel::median::medianFilter(x, FTACCEL_ROWS, FTACCEL_MEDIAN_WINDOW,
                                    FTACCEL_MEDIAN_OPTIMIZED ? ftaccel::median::Impl::Optimized
                                                             : ftaccel::median::Impl::Naive);
}

}  // namespace ftaccel::tb::median
