// Harness driver of the weight-parity unit: the word layout of the generated IP and the
// host-side packing rule. Compiled into co-simulation models of IPs with weight parity only.
#pragma once

#include "cosim_config.h"
#include "protect/parity/ParityPacker.h"

namespace ftaccel::tb::weight_parity {

template <typename Top>
inline void clearInputs(Top& top) {
  (void)top;  // the unit has no inputs of its own
}

// One load beat = one weight row of the array = FTACCEL_COLS / FTACCEL_WPARITY_WORD words.
inline protect::parity::WordLayout layout() { return {FTACCEL_DATA_BITS, FTACCEL_COLS, FTACCEL_WPARITY_WORD}; }

inline protect::parity::FlipRule rule() {
  return FTACCEL_WPARITY_FLIP_LAST ? protect::parity::FlipRule::Last : protect::parity::FlipRule::Largest;
}

}  // namespace ftaccel::tb::weight_parity
