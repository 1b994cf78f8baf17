// Live windows of the WS/IS registers and the stationary-register effect rule.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <algorithm>

#include "campaign/Suppression.h"
#include "campaign/Workload.h"
#include "fi_sites.h"

namespace ftaccel::campaign {

using namespace ftaccel::tb;

// ---- live windows -----------------------------------------------------------------------

// Which register bits can matter at an edge, derived from the schedule of the reference run
// (docs/fault-injection.md derives each rule; --verify-pruned checks them by simulation).
// A vector accepted at edge a reaches PE(r,c) as act_i during cycle a+kPeEdge0+r+c (kPeEdge0
// comes from the generator's pipeline model). Each site's rule is the live-window class its
// register was declared with (fi_sites.h); sites without one (control, flags, swap tags,
// bypass) are always live.
class Liveness {
 public:
  Liveness(const std::vector<long>& accepts, const std::vector<long>& wloads)
      : wloads_(wloads), acceptAt_(accepts) {
    long span = accepts.empty() ? 1 : accepts.back() + 2 * (kRows + kCols) + 8;
    accepted_.assign((size_t)span + 1, false);
    for (long a : accepts) accepted_[(size_t)a] = true;
    first_ = accepts.empty() ? 0 : accepts.front();
    last_ = accepts.empty() ? 0 : accepts.back();
    count_ = (long)accepts.size();
    for (int i = 0; i < kFiSiteCount; ++i) rules_.push_back({kFiSites[i].live, kFiSites[i].lane});
  }

  // True when bit `bit` of `site`, written at edge t, can never reach a result.
  bool dead(int site, int bit, long t) const {
    const Rule& r = rules_[site];
    const FiSiteInfo& s = kFiSites[site];
    const long rc = s.row + s.col;
    const long e0 = kPeEdge0;  // PE(r,c) computes at edge a + e0 + r + c
    switch (r.kind) {
      case Kind::None: return false;
      case Kind::Act: return s.col == kCols - 1 || !accepted(t - e0 - rc);
      case Kind::Psum: return !accepted(t - e0 - rc);
      // The swap tag runs one cycle ahead: weight_q takes the shadow at a0 + e0 - 1 + r + c,
      // and every vector, the first included, reads weight_q.
      case Kind::Weight: return count_ == 0 || t < first_ + e0 - 1 + rc || t > last_ + e0 - 1 + rc;
      case Kind::Shadow: {
        const long k = loadsBy(t);
        if (k < kRows) return k < kRows - s.row;
        return t > first_ + e0 - 2 + rc;  // read by the swap at first_ + e0 - 1 + r + c
      }
      case Kind::SkewIn: {  // stage 0 (low bits) is the newest; swap tag / OS flags have no rule
        const int stage = bit / kSkewLaneBits;
        if (bit % kSkewLaneBits >= kBits) return false;
        return !accepted(t - (e0 - 1) - stage);
      }
      case Kind::Deskew: {  // column c's bottom PE registers at a + e0 + rows - 1 + c
        const int stage = bit / kAccBits;
        return !accepted(t - (e0 + kRows + r.lane + stage));
      }
      // OS: beat k meets at PE(r,c) in cycle a_k+1+r+c; the tile's results go to hold_q on the
      // last beat, column c snapshots them into the drain chain at edge S_c = a_last+rows+c+1,
      // and row j leaves the top of the chain after edge S_c + j.
      case Kind::WeightPass: return s.row == kRows - 1 || !accepted(t - e0 - rc);
      case Kind::SkewW: return !accepted(t - (e0 - 1) - bit / kBits);
      case Kind::Acc: return count_ == 0 || t < first_ + e0 + rc || t >= last_ + e0 + rc;
      case Kind::Hold: return count_ == 0 || t < last_ + e0 + rc || t > last_ + e0 - 1 + kRows + s.col;
      case Kind::Drain: {
        const long since = t - (last_ + e0 + kRows + s.col);
        return count_ == 0 || since < 0 || since >= kRows - s.row;
      }
      case Kind::FilterStage: {  // stage k (pipeline order) holds the vector accepted at t - k
#if FTACCEL_INPUT_FILTERS
        if (bit % kSkewLaneBits >= kBits) return false;
        return !accepted(t - filterStageIndex(s.kind));
#else
        return false;
#endif
      }
      case Kind::DeskewOs: {
        const long row = t - (last_ + e0 + kRows + r.lane) - 1 - bit / kAccBits;
        return count_ == 0 || row < 0 || row >= kRows;
      }
    }
    return false;
  }

  // The vector accepted at `edge`, or -1.
  long vectorAcceptedAt(long edge) const {
    const auto it = std::lower_bound(acceptAt_.begin(), acceptAt_.end(), edge);
    return it != acceptAt_.end() && *it == edge ? long(it - acceptAt_.begin()) : -1;
  }

  // A live flip of a stationary register (weight_q, shadow_q) changes nothing but the one
  // operand of every later product at its PE: y[m][c] += x[m][j] * (w' - w), j the row the
  // flipped value ends up in and x[m] the vector as the array sees it (after the input
  // filters: AFD and median change the operand, not the rule). Exact because the accumulator
  // is wide enough for any in-range operands (config::minAccBits). Returns false for every
  // other injection.
  bool stationaryEffect(const Injection& i, const Workload& wl, std::vector<ElementError>& errors) const {
    if (i.site < 0 || i.effect != Effect::Flip || i.c0 != i.c1) return false;
    const Rule& r = rules_[i.site];
    if (r.kind != Kind::Weight && r.kind != Kind::Shadow) return false;
    const FiSiteInfo& s = kFiSites[i.site];
    const long t = i.c0, rc = s.row + s.col, e0 = kPeEdge0;
    int row = s.row;
    const long firstVector = 0;  // every vector, vector 0 included, reads weight_q
    if (r.kind == Kind::Shadow) {
      const long k = loadsBy(t);
      if (k < kRows) row = (int)(k + s.row - kRows);  // still travelling up the load chain
    }
    const uint64_t mask = (uint64_t{1} << kBits) - 1;
    uint64_t flip = 0;
    for (int b : i.bits) flip |= uint64_t{1} << b;
    const int64_t w = wl.stationary.at(row, s.col);
    const int64_t w2 = ftaccel::golden::signExtend(((uint64_t)w & mask) ^ flip, kBits);
    for (long m = firstVector; m < (long)wl.vectors.size(); ++m) {
      if (r.kind == Kind::Weight && acceptAt_[(size_t)m] + e0 - 1 + rc < t) continue;  // read before the flip
      const Wide d = (Wide)wl.arrayInputs[(size_t)m][(size_t)row] * (Wide)(w2 - w);
      if (d != 0) errors.push_back({(int)m, s.col, d});
    }
    return true;
  }

 private:
  using Kind = FiLive;
  static constexpr long kPeEdge0 = FTACCEL_PE_EDGE0;
  // Bits per input skew lane: the activation (WS/IS; tags have their own line) or the
  // activation plus first/last (OS).
  static constexpr int kSkewLaneBits = kBits + (FTACCEL_DATAFLOW_OS ? 2 : 0);
  struct Rule {
    Kind kind = Kind::None;
    int lane = 0;
  };
  // Weight beats taken at or before edge t: after k beats, shadow row r holds beat k + r - rows.
  long loadsBy(long t) const { return std::upper_bound(wloads_.begin(), wloads_.end(), t) - wloads_.begin(); }
  bool accepted(long edge) const { return edge >= 0 && edge < (long)accepted_.size() && accepted_[(size_t)edge]; }

  std::vector<bool> accepted_;
  std::vector<long> wloads_;
  std::vector<long> acceptAt_;  // edge at which vector m was accepted
  std::vector<Rule> rules_;
  long first_ = 0, last_ = 0, count_ = 0;
};

}  // namespace ftaccel::campaign
