// Harness driver of the AFD unit: drives its run-time settings (by default s = s_max and all
// built gates; `ftaccel sim --afd-shift/--afd-gates` choose others) and applies its golden model
// to every streamed vector. Models with protect.afd only.
#pragma once

#include <cstdint>
#include <vector>

#include "PortAccess.h"
#include "cosim_config.h"
#include "protect/afd/AfdModel.h"

namespace ftaccel::tb::afd {

inline ftaccel::afd::AfdSettings& settings() {
  static ftaccel::afd::AfdSettings s{FTACCEL_AFD_S_MAX, FTACCEL_AFD_S_MAX, FTACCEL_AFD_GATES, FTACCEL_AFD_CLIP != 0};
  return s;
}

// The run's settings (range-checked by ftaccel): shift < 0 keeps s_max, gates 0 the built count.
// The model clamps the shift to s_max like the unit does.
inline void configure(int shift, int gates) {
  if (shift >= 0) settings().shift = shift;
  if (gates > 0) settings().gates = gates;
}

// The settings are static inputs: set once, before reset, and held.
template <typename Top>
inline void clearInputs(Top& top) {
  top.afd_shift_i = settings().shift;
#if FTACCEL_AFD_GATES == 2
  top.afd_two_gates_i = settings().gates == 2;
#endif
}

inline void filterInputs(std::vector<int64_t>& x) { x = ftaccel::afd::afdFilter(x, FTACCEL_ROWS, settings()); }

}  // namespace ftaccel::tb::afd
