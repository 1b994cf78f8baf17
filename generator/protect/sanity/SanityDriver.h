// Harness driver of the Sanity-Check unit: clears its inputs (the threshold register keeps its
// reset value 0: exact check) and drives the checksum weight (or its residue) of every load
// beat, computed from the beat's lanes (less those of bypassed PEs) by the shared model
// (SanityModel.h). Compiled into co-simulation models of IPs with the unit only.
#pragma once

#include <vector>

#include "PortAccess.h"
#include "cosim_config.h"
#include "protect/sanity/SanityModel.h"

namespace ftaccel::tb::sanity {

template <typename Top>
inline void clearInputs(Top& top) {
  clearPort(top.sanity_wload_data_i);
#if FTACCEL_SANITY_RESIDUE_BITS == 0
  clearPort(top.sanity_threshold_i);
  top.sanity_threshold_we_i = 0;
#endif
  top.sanity_clear_i = 0;
}

// The bypass mask the host shifted in (rows x cols, true = bypassed; empty = none).
inline std::vector<std::vector<bool>>& bypassMask() {
  static std::vector<std::vector<bool>> mask;
  return mask;
}

// The host's part of the spatial checksum: -sum_c L[k][c] of load beat k (array row k) on the
// pins, without the lanes of the PEs bypassed in row k: a bypassed PE ignores its weight, so
// counting it would raise a false alarm on every vector (docs/sanity-check.md, "Bypass").
template <typename Top>
inline void loadBeat(Top& top, int k) {
  const auto& mask = bypassMask();
  std::vector<int64_t> row(FTACCEL_COLS);
  for (int c = 0; c < FTACCEL_COLS; ++c)
    if (mask.empty() || !mask[static_cast<size_t>(k)][static_cast<size_t>(c)])
      row[static_cast<size_t>(c)] = static_cast<int64_t>(getLaneSigned(top.FTACCEL_L_DATA, c, FTACCEL_DATA_BITS));
  namespace sc = ftaccel::protect::sanity;
  const int r = FTACCEL_SANITY_RESIDUE_BITS;
  const auto w = sc::widths(FTACCEL_DATA_BITS, FTACCEL_ACC_BITS, FTACCEL_COLS, r);
  const int64_t weight = sc::checksumWeight(row);
  setLane(top.sanity_wload_data_i, 0, w.weightBits, r ? static_cast<int64_t>(sc::residueOf(weight, r)) : weight);
}

// RTL against model for the alarm decision: for every result vector taken, the model's flag
// from the RTL's outputs, the vector and the loaded matrix (threshold 0, or the residue); the RTL's
// sanity_flag_o must equal it one cycle later, and be low when nothing was taken.
class FlagChecker {
 public:
  // Once per cycle, after evaluation and before this cycle's output handshake is handled.
  template <typename Top>
  void cycle(const Top& top) {
    const bool flag = top.sanity_flag_o != 0;
    if (flag != (pending_ && expected_)) ++mismatches;
    checked += pending_ ? 1 : 0;
    pending_ = false;
  }
  void taken(const std::vector<golden::Wide>& outputs, const std::vector<int64_t>& x, const golden::Matrix& loaded) {
    namespace sc = ftaccel::protect::sanity;
    const int r = FTACCEL_SANITY_RESIDUE_BITS;
    if (r > 0) {
      const auto sanity = sc::sanityResidue(x, sc::checksumColumn(loaded), FTACCEL_DATA_BITS, r);
      expected_ = sc::residueAlarm(sc::checkResidue(outputs, sanity, FTACCEL_ACC_BITS, r), r);
    } else {
      const int sumBits = sc::widths(FTACCEL_DATA_BITS, FTACCEL_ACC_BITS, FTACCEL_COLS).sumBits;
      expected_ = sc::alarm(sc::checkSum(outputs, sc::sanityOutput(x, sc::checksumColumn(loaded), sumBits), sumBits), 0);
    }
    pending_ = true;
  }
  long checked = 0, mismatches = 0;

 private:
  bool pending_ = false, expected_ = false;
};

}  // namespace ftaccel::tb::sanity
