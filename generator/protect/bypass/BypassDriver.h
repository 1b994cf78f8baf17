// Harness driver of the bypass unit: clears its inputs and shifts a bypass mask into the
// configuration chain. Compiled into co-simulation models of IPs with protect.bypass only.
#pragma once

#include <vector>

#include "PortAccess.h"
#include "cosim_config.h"

namespace ftaccel::tb::bypass {

template <typename Top>
inline void clearInputs(Top& top) {
  top.bypass_valid_i = 0;
  clearPort(top.bypass_data_i);
}

// Row 0 first: after rows beats it sits at the top of the chain. Leaves the clock low.
template <typename Top, typename Tick>
inline void loadMask(Top& top, const std::vector<std::vector<bool>>& mask, int cols, Tick tick) {
  top.bypass_valid_i = 1;
  for (const auto& row : mask) {
    for (int c = 0; c < cols; ++c) setBit(top.bypass_data_i, c, row[c]);
    top.eval();
    tick(top);
  }
  top.bypass_valid_i = 0;
  top.eval();
}

}  // namespace ftaccel::tb::bypass
