// Drives the Verilator model through the workload with faults applied; reference run and snapshots.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <algorithm>
#include <cstring>
#include <random>

#include "ModelReset.h"
#include "StreamDriver.h"
#include "Vtop___024root.h"
#include "campaign/Workload.h"
#include "fault/TimingTable.h"
#include "fi_sites.h"

namespace ftaccel::campaign {

using namespace ftaccel::tb;

// ---- simulator --------------------------------------------------------------------------

// Switches the timing-error table off for its lifetime (reference run, restore check).
class FaultFree {
 public:
  explicit FaultFree(const ftaccel::fault::TimingTable*& slot) : slot_(slot), saved_(slot) { slot = nullptr; }
  ~FaultFree() { slot_ = saved_; }
  FaultFree(const FaultFree&) = delete;
  FaultFree& operator=(const FaultFree&) = delete;

 private:
  const ftaccel::fault::TimingTable*& slot_;
  const ftaccel::fault::TimingTable* saved_;
};

// Output horizon: after the last expected result every run goes on for this many cycles
// (consumer ready, nothing offered) and counts any output handshake in extra_results. A
// result-valid bit anywhere in the pipeline or the output buffer reaches the output within it.
constexpr long kHorizon = FTACCEL_LATENCY + FTACCEL_RESULT_SLACK;

class Simulator {
 public:
  // Snapshots take at most about `snapshotBytes`: large arrays keep every stride-th edge and
  // replay the few fault-free cycles from the checkpoint before an injection.
  Simulator(Vtop& top, const Workload& wl, const ftaccel::fault::TimingTable* table, double timingScale,
            size_t snapshotBytes, long forcedStride)
      : top_(top), wl_(wl), table_(table), timingScale_(timingScale) {
    const size_t edges = (size_t)wl.beats + (size_t)wl.results + 2 * (kRows + kCols) + 16;
    stride_ = (long)std::max<size_t>(1, (edges * rootSize() + snapshotBytes - 1) / std::max<size_t>(snapshotBytes, 1));
    if (forcedStride > 0) stride_ = forcedStride;
  }

  void reset() {
    clearFaultInputs(top_);
    top_.FTACCEL_S_VALID = 0;
#if FTACCEL_DATAFLOW_OS
    top_.in_last_i = 0;
#else
    top_.FTACCEL_L_VALID = 0;
    top_.FTACCEL_S_SWAP = 0;
#endif
    top_.out_ready_i = 1;
    clearUnitInputs(top_);
    applyReset(top_);
    prevA_.assign(kRows * kCols, 0);
    prevB_.assign(kRows * kCols, 0);
  }

  // The fault-free run: records the state before every edge, the handshake schedule and the
  // results. Returns false when the IP does not reproduce the golden model.
  bool recordReference(std::string& why) {
    const FaultFree guard(table_);  // the reference is fault-free
    reset();
    TbState s;
    RunResult r;
    Fault none;
    Rng rng(0);
    long t = 0;
    for (; s.out < wl_.results || t < refEnd_ + kHorizon; ++t) {
      if (s.out < wl_.results && t > limit()) {
        why = "the fault-free run did not finish";
        return false;
      }
      if (t % stride_ == 0) snapshots_.insert(snapshots_.end(), bytes(), bytes() + rootSize());
      tbAt_.push_back(s);
      TbState before = s;
      step(s, t, none, rng, r, nullptr);
      if (s.vec != before.vec) accepts_.push_back(t);
      if (s.wrow != before.wrow) wloads_.push_back(t);
      if (before.out < wl_.results) refEnd_ = t + 1;
    }
    refStop_ = t;
    r.extra = s.extra;
    if (!r.errors.empty() || r.extra) {
      why = "the fault-free run differs from the golden model";
      return false;
    }
    falseAlarm_ = r.alarm;
    if (refStop_ % stride_ == 0) snapshots_.insert(snapshots_.end(), bytes(), bytes() + rootSize());
    tbAt_.push_back(s);
    return true;
  }

  // The fast engine copies the model's state; check on a few checkpoints that a restored
  // snapshot steps to exactly the next recorded one, so a Verilator whose model state cannot
  // be copied this way is caught before any result is written.
  bool restoresExactly() {
    const FaultFree guard(table_);
    Fault none;
    Rng rng(0);
    const long last = (refEnd_ / stride_) * stride_;
    for (long t : {0L, refEnd_ / 3, refEnd_ / 2, last - stride_}) {
      t = std::max(0L, (t / stride_) * stride_);
      if (t + stride_ > last) continue;
      std::memcpy(bytes(), snapshot(t), rootSize());
      TbState s = tbAt_[t];
      RunResult r;
      for (long u = t; u < t + stride_; ++u) step(s, u, none, rng, r, nullptr);
      if (!(s == tbAt_[t + stride_]) || std::memcmp(bytes(), snapshot(t + stride_), rootSize()) != 0)
        return false;
    }
    return true;
  }

  long stride() const { return stride_; }

  // --recompute-on-alarm: the host re-runs the batch without any fault, from reset (the
  // timing table off), as it would after an alarm.
  RunResult recompute() {
    const FaultFree guard(table_);
    Fault none;
    return run(none, false, 0);
  }

  long refEnd() const { return refEnd_; }  // edge after the last expected result (the window)
  long refStop() const { return refStop_; }  // refEnd() + kHorizon: the reference run's end
  bool falseAlarm() const { return falseAlarm_; }
  size_t rootSize() const { return sizeof(*top_.rootp); }
  const std::vector<long>& accepts() const { return accepts_; }
  const std::vector<long>& wloads() const { return wloads_; }

  // Simulates one fault. fast: from the snapshot of its first cycle, stopping at convergence;
  // naive: from reset to the end of the workload.
  RunResult run(Fault& f, bool fast, uint64_t faultSeed) {
    long t0 = 0;
    TbState s;
    if (fast) {
      t0 = f.injections.empty() ? 0 : kForever;  // timing errors are drawn from the start
      for (const auto& i : f.injections) t0 = std::min(t0, i.c0);
      t0 = (std::min(t0, refEnd_) / stride_) * stride_;  // the checkpoint at or before it
      std::memcpy(bytes(), snapshot(t0), rootSize());
      s = tbAt_[t0];
      prevA_.assign(kRows * kCols, 0);
      prevB_.assign(kRows * kCols, 0);
    } else {
      reset();
    }
    long lastInjection = 0;
    for (const auto& i : f.injections) lastInjection = std::max(lastInjection, i.c1);
    // Memory faults: the load beats carry corrupted words; no convergence before the last one.
    std::vector<LDataT> corrupted;
    rows_ = nullptr;
    for (const auto& i : f.injections) {
      if (i.effect != Effect::Memory) continue;
      if (corrupted.empty()) corrupted = wl_.rowPorts;
      const int perBeat = kCols / memoryWord_;
      const int beat = (int)(i.word / perBeat), lane0 = (int)(i.word % perBeat) * memoryWord_;
      for (int b : i.bits) {
        const int bit = (lane0 + b / kBits) * kBits + b % kBits;
        setBit(corrupted[beat], bit, !getBit(corrupted[beat], bit));
      }
      lastInjection = std::max(lastInjection, beat < (int)wloads_.size() ? wloads_[beat] + 1 : refEnd_);
      rows_ = &corrupted;
    }
    const bool canConverge = fast && !f.permanent() && !table_;
    Rng rng(faultSeed);
    RunResult r;
    long done = -1;  // first edge after the last expected result: the horizon starts
    for (long t = t0;; ++t) {
      if (s.out >= wl_.results && done < 0) done = t;
      if (done >= 0 && t >= done + kHorizon) break;
      if (done < 0 && t > limit()) {
        r.missing = wl_.results - s.out;
        break;
      }
      // Convergence: same registers, same testbench progress as the reference at this edge
      // (a 10 kB memcmp on 16x16 costs a tenth of a simulated cycle); the reference has no
      // output in its horizon, so neither has a run that equals it.
      if (canConverge && t > lastInjection && t <= refStop_ && t % stride_ == 0 &&
          (long)(snapshots_.size() / rootSize()) > t / stride_ && s == tbAt_[t] &&
          std::memcmp(bytes(), snapshot(t), rootSize()) == 0) {
        r.converged = true;
        break;
      }
      step(s, t, f, rng, r, &f);
      ++r.cycles;
    }
    r.extra = s.extra;
#if FTACCEL_UNIT_WEIGHT_PARITY
    r.parityZeroed = (long)top_.wparity_count_o;  // the workload's only load is complete
#endif
    rows_ = nullptr;
    return r;
  }

 private:
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(top_.rootp); }
  const uint8_t* snapshot(long t) const { return snapshots_.data() + (size_t)(t / stride_) * rootSize(); }
  long limit() const { return refEnd_ ? 2 * refEnd_ + 64 : 16L * (kRows + kCols + (long)(wl_.beats + wl_.results)) + 1000; }

  // One clock cycle: drive inputs and fault masks for edge t, observe the handshakes and the
  // result, clock. `record` (the fault under simulation) receives the timing errors drawn.
  void step(TbState& s, long t, const Fault& f, Rng& rng, RunResult& r, Fault* record) {
    const int m = wl_.results;
    const bool offerVec = s.vec < wl_.beats;
    StreamDriver<Vtop> io(top_);
#if FTACCEL_DATAFLOW_OS
    io.offer({offerVec, s.vec == wl_.beats - 1, false, true});
    if (offerVec) io.streamPorts(wl_.beatPorts[s.vec], wl_.rowPorts[s.vec]);
#else
    const bool offerLoad = s.wrow < kRows;
    io.offer({offerVec, s.vec == 0, offerLoad, true});
    if (offerVec) io.streamPort(wl_.beatPorts[s.vec]);
    if (offerLoad) io.loadPort(s.wrow, rows_ ? (*rows_)[s.wrow] : wl_.rowPorts[s.wrow]);
#if FTACCEL_IDX_BITS
    if (offerLoad)
      for (int c = 0; c < kCols; ++c) io.loadIndexLane(c, wl_.index.at(s.wrow, c));
#endif
#endif
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
    top_.sanity_batch_close_i = !offerVec;  // the workload's last temporal batch is checked too
#endif
    top_.clk_i = 0;
    bool masks = applyMasks(f, t, rng);
    top_.eval();
    if (table_) masks |= applyTiming(t, rng, record);
    if (FTACCEL_ANY_ALARM(top_)) r.alarm = true;
    const Handshakes hs = io.handshakes();
    if (hs.out) {
      if (s.out < m) compare(s.out, r);
      else ++s.extra;
      ++s.out;
    }
    top_.clk_i = 1;
    top_.eval();
    // Alarms registered on this edge (a check one cycle after the last output handshake).
    if (FTACCEL_ANY_ALARM(top_)) r.alarm = true;
    if (masks) clearFaultInputs(top_);
    s.vec += hs.in;
    s.wrow += hs.load;
  }

  void compare(int index, RunResult& r) {
    if (refOut_.size() <= (size_t)index) refOut_.push_back(top_.out_data_o);  // reference run
    else if (samePort(top_.out_data_o, refOut_[index])) return;  // as in the reference: right
    for (int c = 0; c < kLanesOut; ++c) {
      Wide got = getLaneSigned(top_.out_data_o, c, kAccBits);
      if (got != wl_.golden[index][c]) r.errors.push_back({index, c, got - wl_.golden[index][c]});
    }
  }

  bool applyMasks(const Fault& f, long t, Rng& rng) {
    bool any = false;
    for (const auto& i : f.injections) {
      if (t < i.c0 || t > i.c1) continue;
      if (i.effect == Effect::Random) {
        const int base = (i.peRow * kCols + i.peCol) * kAccBits;
        for (int b = 0; b < kAccBits; ++b) {
          setBit(top_.fi_mask_i, base + b, true);
          setBit(top_.fi_value_i, base + b, rng() & 1);
        }
        any = true;
        continue;
      }
      if (i.site < 0) continue;
      const int base = kFiSites[i.site].offset;
      for (int b : i.bits) {
        const bool clr = i.effect != Effect::Flip;
        const bool x = i.effect == Effect::Flip || i.effect == Effect::Stuck1;
        if (clr) setBit(top_.fi_clr_i, base + b, true);
        if (x) setBit(top_.fi_xor_i, base + b, true);
      }
      any = true;
    }
    return any;
  }

  // Timing errors (seed 004): every PE's multiplier looks up its (previous, current) operands.
  bool applyTiming(long t, Rng& rng, Fault* record) {
#if !FTACCEL_TIMING_PORTS
    (void)t, (void)rng, (void)record;
    fail("the timing model needs a model built with timing ports");
#else
    bool any = false;
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int pe = 0; pe < kRows * kCols; ++pe) {
      const int64_t a = getLane64(top_.fi_opa_o, pe), b = getLane64(top_.fi_opb_o, pe);
      double draw = u(rng) / timingScale_;
      if (draw < 1.0) {
        if (auto wrong = ftaccel::fault::sample(*table_, prevA_[pe], prevB_[pe], a, b, draw)) {
          const int64_t correct = a * b;
          if (*wrong != correct) {
            const uint64_t flip = (uint64_t)(*wrong ^ correct);
            for (int bit = 0; bit < kProdBits; ++bit)
              if ((flip >> bit) & 1) setBit(top_.fi_pxor_i, pe * kProdBits + bit, true);
            any = true;
            if (record) ++record->timingErrors;
            if (record && record->injections.size() < 64) {
              Injection inj;
              inj.effect = Effect::Timing;
              inj.peRow = pe / kCols;
              inj.peCol = pe % kCols;
              inj.c0 = inj.c1 = t;
              inj.correct = correct;
              inj.wrong = *wrong;
              record->injections.push_back(inj);
            }
          }
        }
      }
      prevA_[pe] = a;
      prevB_[pe] = b;
    }
    if (any) top_.eval();
    return any;
#endif
  }

  Vtop& top_;
  const Workload& wl_;
  const ftaccel::fault::TimingTable* table_;
  double timingScale_;
  std::vector<uint8_t> snapshots_;  // every stride_-th edge
  long stride_ = 1;
  std::vector<TbState> tbAt_;
  std::vector<OutT> refOut_;
  std::vector<long> accepts_, wloads_;
  std::vector<int64_t> prevA_, prevB_;
  long refEnd_ = 0, refStop_ = 0;
  bool falseAlarm_ = false;
  const std::vector<LDataT>* rows_ = nullptr;  // the load beats of a memory fault, else null
  int memoryWord_ = 1;

 public:
  void setMemoryWord(int weights) { memoryWord_ = weights; }
};

}  // namespace ftaccel::campaign
