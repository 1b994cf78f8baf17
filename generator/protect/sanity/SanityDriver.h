// Harness driver of the Sanity-Check unit: clears its inputs (the threshold register keeps its
// reset value 0: exact check), drives the checksum weight (or its residue) of every load beat,
// computed from the beat's lanes (less those of bypassed PEs) by the shared model
// (SanityModel.h), and checks the temporal checksum's batch reports against TemporalModel.h.
// Compiled into co-simulation models of IPs with the unit only.
#pragma once

#include <deque>
#include <vector>

#include "PortAccess.h"
#include "cosim_config.h"
#include "protect/sanity/SanityModel.h"
#include "protect/sanity/TemporalModel.h"

namespace ftaccel::tb::sanity {

template <typename Top>
inline void clearInputs(Top& top) {
#if FTACCEL_SANITY_SPATIAL
  clearPort(top.sanity_wload_data_i);
#if FTACCEL_SANITY_RESIDUE_BITS == 0
  clearPort(top.sanity_threshold_i);
  top.sanity_threshold_we_i = 0;
#endif
#endif
#if FTACCEL_SANITY_TEMPORAL
  top.sanity_batch_i = 0;
  top.sanity_batch_we_i = 0;
  top.sanity_batch_close_i = 0;
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
#if !FTACCEL_SANITY_SPATIAL
  (void)top;
  (void)k;
#else
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
#endif
}

// RTL against model for the alarm decision: for every result vector taken, the model's flag
// from the RTL's outputs, the vector and the loaded matrix (threshold 0, or the residue); the RTL's
// sanity_flag_o must equal it one cycle later, and be low when nothing was taken.
class FlagChecker {
 public:
  // Once per cycle, after evaluation and before this cycle's output handshake is handled.
  template <typename Top>
  void cycle(const Top& top) {
#if !FTACCEL_SANITY_SPATIAL
    (void)top;
#else
    const bool flag = top.sanity_flag_o != 0;
    if (flag != (pending_ && expected_)) ++mismatches;
    checked += pending_ ? 1 : 0;
    pending_ = false;
#endif
  }
  void taken(const std::vector<golden::Wide>& outputs, const std::vector<int64_t>& x, const golden::Matrix& loaded) {
    if (!FTACCEL_SANITY_SPATIAL) return;
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

// The temporal checksum's schedule and batch reports against TemporalModel.h: the harness
// reports every vector taken (with its swap flag and the matrix it uses) and every result
// vector taken; the checker closes batches where the RTL does (N vectors, before a swap-flagged
// vector, on close) and, once a batch's results are all in, compares the RTL's next
// sanity_tdone_o report (sanity_tflag_o, sanity_tpos_o) with the model's positions. The digit
// results are the golden model's (fault-free): with PE faults (`faultFree` false) only the
// reports are counted.
class TemporalChecker {
 public:
  explicit TemporalChecker(int batch, bool faultFree) : n_(batch), faultFree_(faultFree) {}
  int batch() const { return n_; }

  // A vector taken (in order).
  void accepted(const std::vector<int64_t>& x, bool swapFlag, const golden::Matrix& weights) {
    if (swapFlag && !open_.xs.empty()) close();
    if (open_.xs.empty()) open_.weights = weights;
    open_.xs.push_back(x);
    if (static_cast<int>(open_.xs.size()) >= n_) close();
  }
  // The host closes the batch (sanity_batch_close_i), after this cycle's vector.
  void closeNow() {
    if (!open_.xs.empty()) close();
  }
  // A result vector taken (in order of the vectors).
  void result(const std::vector<golden::Wide>& y) {
    for (auto& b : closed_)
      if (b.results.size() < b.xs.size()) {
        b.results.push_back(y);
        compare();
        return;
      }
    open_.results.push_back(y);
  }
  // Once per cycle, after evaluation.
  template <typename Top>
  void cycle(const Top& top) {
#if FTACCEL_SANITY_TEMPORAL
    if (top.sanity_tdone_o) {
      reports_.push_back({top.sanity_tflag_o != 0, std::vector<bool>(FTACCEL_COLS)});
      for (int c = 0; c < FTACCEL_COLS; ++c) reports_.back().bits[static_cast<size_t>(c)] = getBit(top.sanity_tpos_o, c);
      compare();
    } else if (top.sanity_tflag_o) {
      ++mismatches;  // a flag without its done pulse
    }
#else
    (void)top;
#endif
  }
  // Batches still waiting for a report or results at the end of the run are errors.
  void finish() {
    compare();
    mismatches += static_cast<long>(reports_.size());  // reports without a batch
    for (const auto& b : closed_) mismatches += b.results.size() == b.xs.size() ? 1 : 0;  // never reported
  }
  long batchesChecked = 0, mismatches = 0, alarms = 0;
  long pendingBatches() const { return static_cast<long>(closed_.size()); }

 private:
  struct Batch {
    std::vector<std::vector<int64_t>> xs;
    std::vector<std::vector<golden::Wide>> results;
    golden::Matrix weights;
  };
  struct Report {
    bool flag;
    std::vector<bool> bits;
  };
  void close() {
    closed_.push_back(std::move(open_));
    open_ = Batch{};
  }
  void compare() {
    namespace sc = ftaccel::protect::sanity;
    namespace tm = ftaccel::protect::sanity::temporal;
    while (!closed_.empty() && !reports_.empty() && closed_.front().results.size() == closed_.front().xs.size()) {
      const Batch& b = closed_.front();
      const Report& rep = reports_.front();
      const auto tw = tm::temporalWidths(FTACCEL_DATA_BITS, FTACCEL_ACC_BITS, FTACCEL_SANITY_MAX_BATCH);
      std::vector<std::vector<golden::Wide>> all = b.results;
      for (const auto& d : tm::digitVectors(tm::inverse(b.xs, FTACCEL_ROWS), tw))
        all.push_back(golden::arrayOutput(d, b.weights));
      const int r = FTACCEL_SANITY_RESIDUE_BITS;
      const std::vector<int> pos =
          r ? tm::residuePositions(tm::outputResidues(all, static_cast<int>(b.xs.size()), FTACCEL_ACC_BITS, tw, r), r)
            : tm::alarmPositions(tm::outputAccumulators(all, static_cast<int>(b.xs.size()), tw), 0);
      std::vector<bool> want(FTACCEL_COLS);
      for (int p : pos) want[static_cast<size_t>(p)] = true;
      if (faultFree_ && (rep.flag != !pos.empty() || rep.bits != want)) ++mismatches;
      alarms += rep.flag ? 1 : 0;
      ++batchesChecked;
      closed_.pop_front();
      reports_.pop_front();
    }
  }
  int n_;
  bool faultFree_;
  Batch open_;
  std::deque<Batch> closed_;
  std::deque<Report> reports_;
};

}  // namespace ftaccel::tb::sanity
