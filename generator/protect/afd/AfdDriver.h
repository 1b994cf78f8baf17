// Harness driver of the AFD unit: drives its run-time settings (s = s_max, two gates when
// built) and applies its golden model to every streamed vector. Models with protect.afd only.
#pragma once

#include <cstdint>
#include <vector>

#include "PortAccess.h"
#include "cosim_config.h"
#include "protect/afd/AfdModel.h"

namespace ftaccel::tb::afd {

inline const ftaccel::afd::AfdSettings& settings() {
  static const ftaccel::afd::AfdSettings s{FTACCEL_AFD_S_MAX, FTACCEL_AFD_S_MAX, FTACCEL_AFD_GATES,
                                           FTACCEL_AFD_CLIP != 0};
  return s;
}

// The settings are static inputs: set once, before reset, and held.
template <typename Top>
inline void clearInputs(Top& top) {
  top.afd_shift_i = FTACCEL_AFD_S_MAX;
#if FTACCEL_AFD_GATES == 2
  top.afd_two_gates_i = 1;
#endif
}

inline void filterInputs(std::vector<int64_t>& x) { x = ftaccel::afd::afdFilter(x, FTACCEL_ROWS, settings()); }

}  // namespace ftaccel::tb::afd
