// Fault-injection campaigns on the simulation variant of a WS/IS IP.
//
// Workload: reset, load one stationary matrix (rows beats), stream M vectors (the first one
// swaps the new matrix in), collect M results; producers always valid, consumer always ready.
// One fault-free reference run records the model state before every clock edge. The fast
// engine then handles each fault by (1) classifying it from the live windows of the schedule
// when every flipped bit is provably dead, else (2) restoring the snapshot of the injection
// cycle, simulating, and stopping as soon as the state equals the reference again (the rest of
// the run is then identical) or the results are complete. The naive engine re-simulates every
// fault from reset to the last result; `make bench` compares the two.
#include "Campaign.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "cosim_config.h"

#if FTACCEL_FAULT_PORTS

#include "PortAccess.h"
#include "Vtop.h"
#include "Vtop___024root.h"
#include "fault/TimingTable.h"
#include "fi_sites.h"
#include "golden/GoldenModel.h"
#include "verilated.h"

namespace {

using ftaccel::golden::Wide;
using namespace ftaccel::tb;

constexpr int kRows = FTACCEL_ROWS;
constexpr int kCols = FTACCEL_COLS;
constexpr int kBits = FTACCEL_DATA_BITS;
constexpr int kAccBits = FTACCEL_ACC_BITS;
constexpr int kProdBits = 2 * kBits;

enum class Effect { Flip, Stuck0, Stuck1, Random, Timing };
const char* effectName(Effect e) {
  switch (e) {
    case Effect::Flip: return "flip";
    case Effect::Stuck0: return "stuck0";
    case Effect::Stuck1: return "stuck1";
    case Effect::Random: return "random";
    case Effect::Timing: return "timing";
  }
  return "?";
}

// One upset: bits of one register site (or, for Random/Timing, one PE) over cycles [c0, c1].
struct Injection {
  int site = -1;            // index into kFiSites; -1 for PE-level effects
  std::vector<int> bits;    // bit positions within the site (PE effects: none)
  long c0 = 0, c1 = 0;      // clock edges; c1 = kForever for permanent faults
  Effect effect = Effect::Flip;
  int peRow = -1, peCol = -1;
  int64_t correct = 0, wrong = 0;  // Timing: the product and what the multiplier delivered
};
constexpr long kForever = 1L << 50;

struct Fault {
  long index = 0;
  std::vector<Injection> injections;
  bool permanent() const {
    for (const auto& i : injections)
      if (i.c1 >= kForever) return true;
    return false;
  }
};

struct Options {
  std::string model = "seu";   // seu | mbu | stuck | pe | timing | list
  long faults = 1000;
  uint64_t seed = 1;
  int shard = 0, shards = 1;
  int jobs = 1;
  std::string out;
  std::string engine = "fast"; // fast | naive
  int vectors = 64;
  uint64_t workloadSeed = 1;
  int burst = 0;               // MBU burst length, 0 = random 2..8
  long stuckCycles = 0;        // transient stuck-at length, 0 = permanent
  int multi = 1;               // independent upsets per fault (seu, mbu, stuck)
  std::string inject;          // model "list": "SITE:B,B@C0-C1:effect;..."
  std::string timingTable;
  double timingScale = 1.0;
  bool verifyPruned = false;
  bool progress = true;
  std::string ip = FTACCEL_IP_NAME, configHash = "";
};

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "campaign: error: %s\n", msg.c_str());
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("+verilator", 0) == 0) continue;
    if (i + 1 >= argc) fail("missing value for " + a);
    std::string v = argv[++i];
    try {
      if (a == "--model") o.model = v;
      else if (a == "--faults") o.faults = std::stol(v);
      else if (a == "--seed") o.seed = std::stoull(v);
      else if (a == "--shard") {
        if (std::sscanf(v.c_str(), "%d/%d", &o.shard, &o.shards) != 2 || o.shards < 1 || o.shard < 0 ||
            o.shard >= o.shards)
          fail("--shard takes i/n with 0 <= i < n");
      } else if (a == "--jobs") o.jobs = std::stoi(v);
      else if (a == "--out") o.out = v;
      else if (a == "--engine") o.engine = v;
      else if (a == "--vectors") o.vectors = std::stoi(v);
      else if (a == "--workload-seed") o.workloadSeed = std::stoull(v);
      else if (a == "--burst") o.burst = std::stoi(v);
      else if (a == "--stuck-cycles") o.stuckCycles = std::stol(v);
      else if (a == "--multi") o.multi = std::stoi(v);
      else if (a == "--inject") o.inject = v;
      else if (a == "--timing-table") o.timingTable = v;
      else if (a == "--timing-scale") o.timingScale = std::stod(v);
      else if (a == "--verify-pruned") o.verifyPruned = v == "1";
      else if (a == "--progress") o.progress = v == "1";
      else if (a == "--config-hash") o.configHash = v;
      else fail("unknown option " + a);
    } catch (const std::logic_error&) {
      fail("bad value '" + v + "' for " + a);
    }
  }
  static const std::set<std::string> models = {"seu", "mbu", "stuck", "pe", "timing", "list"};
  if (!models.count(o.model)) fail("unknown --model " + o.model);
  if (o.engine != "fast" && o.engine != "naive") fail("--engine is fast or naive");
  if (o.faults < 1) fail("--faults must be at least 1");
  if (o.vectors < 1) fail("--vectors must be at least 1");
  if (o.jobs < 1 || o.jobs > 256) fail("--jobs must be in 1..256");
  if (o.burst < 0 || o.burst > 8) fail("--burst must be in 0..8 (0 = random 2..8)");
  if (o.multi < 1 || o.multi > 64) fail("--multi must be in 1..64");
  if (o.out.empty()) fail("--out is required");
  if (o.model == "timing" && o.timingTable.empty()) fail("--model timing needs --timing-table");
  if (o.model == "list" && o.inject.empty()) fail("--model list needs --inject");
  return o;
}

// splitmix64: cheap to seed (one per fault), good enough for picking sites and cycles.
class Rng {
 public:
  using result_type = uint64_t;
  explicit Rng(uint64_t seed) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~0ull; }
  result_type operator()() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

// ---- ports ------------------------------------------------------------------------------

template <typename T>
void clearPort(T& p) {
  if constexpr (std::is_integral_v<T>) p = 0;
  else std::memset(&p[0], 0, sizeof(p));
}
template <typename T>
using PortT = std::remove_reference_t<T>;
#if FTACCEL_DATAFLOW_OS
// OS: one beat stream carries the activations of every batch row and the weights of every
// column for one reduction step; in_last_i ends the tile.
using SDataT = PortT<decltype(std::declval<Vtop&>().in_x_i)>;
using LDataT = PortT<decltype(std::declval<Vtop&>().in_w_i)>;
#else
using SDataT = PortT<decltype(std::declval<Vtop&>().FTACCEL_S_DATA)>;
using LDataT = PortT<decltype(std::declval<Vtop&>().FTACCEL_L_DATA)>;
#endif
using OutT = PortT<decltype(std::declval<Vtop&>().out_data_o)>;

template <typename T>
bool samePort(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

int64_t getLane64(const PortT<decltype(std::declval<Vtop&>().fi_opa_o)>& p, int lane) {
  return static_cast<int64_t>(getLaneSigned(p, lane, kBits));
}

// ---- workload ---------------------------------------------------------------------------

// WS/IS: one stationary matrix (rows beats on the load port), then `beats` vectors; one result
// per vector. OS: one tile of `beats` reduction steps; one result row per batch row.
struct Workload {
  ftaccel::golden::Matrix stationary;              // WS/IS: kRows x kCols, W[k][c]
  std::vector<std::vector<int64_t>> vectors;       // WS/IS: beats x kRows
  std::vector<SDataT> beatPorts;                   // streamed data of every beat
  std::vector<LDataT> rowPorts;                    // WS/IS: load beats; OS: weights per beat
  std::vector<std::vector<Wide>> golden;           // results x kCols
  int beats = 0, results = 0;
};

Workload makeWorkload(int m, uint64_t seed) {
  Workload w;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(ftaccel::golden::minValue(kBits), ftaccel::golden::maxValue(kBits));
  w.beats = m;
#if FTACCEL_DATAFLOW_OS
  ftaccel::golden::Matrix x(kRows, m), wt(m, kCols);  // y = x * wt, x[r][k] = batch row r
  for (auto& v : x.data) v = d(rng);
  for (auto& v : wt.data) v = d(rng);
  for (int k = 0; k < m; ++k) {
    SDataT px{};
    LDataT pw{};
    clearPort(px);
    clearPort(pw);
    for (int r = 0; r < kRows; ++r) setLane(px, r, kBits, x.at(r, k));
    for (int c = 0; c < kCols; ++c) setLane(pw, c, kBits, wt.at(k, c));
    w.beatPorts.push_back(px);
    w.rowPorts.push_back(pw);
  }
  const auto y = ftaccel::golden::matmul(x, wt);
  for (int r = 0; r < kRows; ++r) {
    std::vector<Wide> row(kCols);
    for (int c = 0; c < kCols; ++c) row[c] = y.at(r, c);
    w.golden.push_back(row);
  }
  w.results = kRows;
#else
  w.stationary = ftaccel::golden::Matrix(kRows, kCols);
  for (auto& v : w.stationary.data) v = d(rng);
  for (int k = 0; k < kRows; ++k) {
    LDataT p{};
    clearPort(p);
    for (int c = 0; c < kCols; ++c) setLane(p, c, kBits, w.stationary.at(k, c));
    w.rowPorts.push_back(p);
  }
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(kRows);
    for (auto& v : x) v = d(rng);
    SDataT p{};
    clearPort(p);
    for (int k = 0; k < kRows; ++k) setLane(p, k, kBits, x[k]);
    w.beatPorts.push_back(p);
    w.golden.push_back(ftaccel::golden::arrayOutput(x, w.stationary));
    w.vectors.push_back(std::move(x));
  }
  w.results = m;
#endif
  return w;
}

// Progress of the testbench through the workload; part of the state that must match the
// reference for a run to have converged.
struct TbState {
  int32_t wrow = 0, vec = 0, out = 0, extra = 0;
  bool operator==(const TbState&) const = default;
};

// A wrong result element: output vector index, lane, faulty - golden.
struct ElementError {
  int vec, lane;
  Wide delta;
};

struct RunResult {
  std::vector<ElementError> errors;
  long cycles = 0;           // clock edges simulated
  int missing = 0;           // results that never came (hang)
  int extra = 0;             // results beyond the workload
  bool converged = false;
  bool alarm = false;        // an alarm output of the IP fired
};

std::string wideToJson(Wide v) {
  const Wide limit = (Wide)1 << 53;
  if (v < limit && v > -limit) return std::to_string((long long)v);
  return "\"" + ftaccel::golden::toString(v) + "\"";
}

// ---- simulator --------------------------------------------------------------------------

class Simulator {
 public:
  Simulator(Vtop& top, const Workload& wl, const ftaccel::fault::TimingTable* table, double timingScale)
      : top_(top), wl_(wl), table_(table), timingScale_(timingScale) {}

  void reset() {
    clearPort(top_.fi_xor_i);
    clearPort(top_.fi_clr_i);
    clearPort(top_.fi_mask_i);
    clearPort(top_.fi_value_i);
    clearPort(top_.fi_pxor_i);
    top_.FTACCEL_S_VALID = 0;
#if FTACCEL_DATAFLOW_OS
    top_.in_last_i = 0;
#else
    top_.FTACCEL_L_VALID = 0;
    top_.FTACCEL_S_SWAP = 0;
#endif
    top_.out_ready_i = 1;
#if FTACCEL_BYPASS
    top_.bypass_valid_i = 0;
    clearPort(top_.bypass_data_i);
#endif
    top_.clk_i = 0;
    top_.rst_ni = 1;
    top_.eval();
    top_.rst_ni = 0;
    top_.eval();
    for (int i = 0; i < 2; ++i) {
      top_.clk_i = 1;
      top_.eval();
      top_.clk_i = 0;
      top_.eval();
    }
    top_.rst_ni = 1;
    top_.eval();
    prevA_.assign(kRows * kCols, 0);
    prevB_.assign(kRows * kCols, 0);
  }

  // The fault-free run: records the state before every edge, the handshake schedule and the
  // results. Returns false when the IP does not reproduce the golden model.
  bool recordReference(std::string& why) {
    const auto* table = table_;
    table_ = nullptr;  // the reference is fault-free
    struct Restore {
      const ftaccel::fault::TimingTable*& slot;
      const ftaccel::fault::TimingTable* value;
      ~Restore() { slot = value; }
    } restore{table_, table};
    reset();
    TbState s;
    RunResult r;
    Fault none;
    Rng rng(0);
    for (long t = 0; s.out < wl_.results; ++t) {
      if (t > limit()) {
        why = "the fault-free run did not finish";
        return false;
      }
      snapshots_.insert(snapshots_.end(), bytes(), bytes() + rootSize());
      tbAt_.push_back(s);
      TbState before = s;
      step(s, t, none, rng, r, nullptr);
      if (s.vec != before.vec) accepts_.push_back(t);
      if (s.wrow != before.wrow) wloads_.push_back(t);
      refEnd_ = t + 1;
    }
    if (!r.errors.empty() || r.extra) {
      why = "the fault-free run differs from the golden model";
      return false;
    }
    falseAlarm_ = r.alarm;
    snapshots_.insert(snapshots_.end(), bytes(), bytes() + rootSize());
    tbAt_.push_back(s);
    return true;
  }

  long refEnd() const { return refEnd_; }
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
      t0 = std::min(t0, refEnd_);
      std::memcpy(bytes(), snapshot(t0), rootSize());
      s = tbAt_[t0];
      prevA_.assign(kRows * kCols, 0);
      prevB_.assign(kRows * kCols, 0);
    } else {
      reset();
    }
    long lastInjection = 0;
    for (const auto& i : f.injections) lastInjection = std::max(lastInjection, i.c1);
    const bool canConverge = fast && !f.permanent() && !table_;
    Rng rng(faultSeed);
    RunResult r;
    for (long t = t0;; ++t) {
      if (s.out >= wl_.results) break;
      if (t > limit()) {
        r.missing = wl_.results - s.out;
        break;
      }
      // Convergence: same registers, same testbench progress as the reference at this edge
      // (a 10 kB memcmp on 16x16 costs a tenth of a simulated cycle).
      if (canConverge && t > lastInjection && t <= refEnd_ &&
          s == tbAt_[t] && std::memcmp(bytes(), snapshot(t), rootSize()) == 0) {
        r.converged = true;
        break;
      }
      step(s, t, f, rng, r, &f);
      ++r.cycles;
    }
    r.extra = s.extra;
    return r;
  }

 private:
  uint8_t* bytes() { return reinterpret_cast<uint8_t*>(top_.rootp); }
  const uint8_t* snapshot(long t) const { return snapshots_.data() + (size_t)t * rootSize(); }
  long limit() const { return refEnd_ ? 2 * refEnd_ + 64 : 16L * (kRows + kCols + (long)(wl_.beats + wl_.results)) + 1000; }

  // One clock cycle: drive inputs and fault masks for edge t, observe the handshakes and the
  // result, clock. `record` (the fault under simulation) receives the timing errors drawn.
  void step(TbState& s, long t, const Fault& f, Rng& rng, RunResult& r, Fault* record) {
    const int m = wl_.results;
    const bool offerVec = s.vec < wl_.beats;
    top_.FTACCEL_S_VALID = offerVec;
#if FTACCEL_DATAFLOW_OS
    top_.in_last_i = s.vec == wl_.beats - 1;
    if (offerVec) {
      top_.in_x_i = wl_.beatPorts[s.vec];
      top_.in_w_i = wl_.rowPorts[s.vec];
    }
    const bool offerLoad = false;
#else
    top_.FTACCEL_S_SWAP = s.vec == 0;
    if (offerVec) top_.FTACCEL_S_DATA = wl_.beatPorts[s.vec];
    const bool offerLoad = s.wrow < kRows;
    top_.FTACCEL_L_VALID = offerLoad;
    if (offerLoad) top_.FTACCEL_L_DATA = wl_.rowPorts[s.wrow];
#endif
    top_.clk_i = 0;
    bool masks = applyMasks(f, t, rng);
    top_.eval();
    if (table_) masks |= applyTiming(t, rng, record);
    if (FTACCEL_ANY_ALARM(top_)) r.alarm = true;
    const bool inFire = offerVec && top_.FTACCEL_S_READY;
#if FTACCEL_DATAFLOW_OS
    const bool wFire = false;
    (void)offerLoad;
#else
    const bool wFire = offerLoad && top_.FTACCEL_L_READY;
#endif
    if (top_.out_valid_o) {
      if (s.out < m) compare(s.out, r);
      else ++s.extra;
      ++s.out;
    }
    top_.clk_i = 1;
    top_.eval();
    if (masks) {
      clearPort(top_.fi_xor_i);
      clearPort(top_.fi_clr_i);
      clearPort(top_.fi_mask_i);
      clearPort(top_.fi_value_i);
      clearPort(top_.fi_pxor_i);
    }
    s.vec += inFire;
    s.wrow += wFire;
  }

  void compare(int index, RunResult& r) {
    if (refOut_.size() <= (size_t)index) {  // reference run: learn the result ports
      refOut_.push_back(top_.out_data_o);
      for (int c = 0; c < kCols; ++c) {
        Wide got = getLaneSigned(top_.out_data_o, c, kAccBits);
        if (got != wl_.golden[index][c]) r.errors.push_back({index, c, got - wl_.golden[index][c]});
      }
      return;
    }
    if (samePort(top_.out_data_o, refOut_[index])) return;
    for (int c = 0; c < kCols; ++c) {
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
  }

  Vtop& top_;
  const Workload& wl_;
  const ftaccel::fault::TimingTable* table_;
  double timingScale_;
  std::vector<uint8_t> snapshots_;
  std::vector<TbState> tbAt_;
  std::vector<OutT> refOut_;
  std::vector<long> accepts_, wloads_;
  std::vector<int64_t> prevA_, prevB_;
  long refEnd_ = 0;
  bool falseAlarm_ = false;
};

// ---- live windows -----------------------------------------------------------------------

// Which register bits can matter at an edge, derived from the schedule of the reference run
// (docs/fault-injection.md derives each rule; --verify-pruned checks them by simulation).
// A vector accepted at edge a reaches PE(r,c) as act_i during cycle a+1+r+c. Sites without a
// rule (control, flags, swap tags, bypass) are always live.
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
    for (int i = 0; i < kFiSiteCount; ++i) rules_.push_back(ruleOf(kFiSites[i]));
  }

  // True when bit `bit` of `site`, written at edge t, can never reach a result.
  bool dead(int site, int bit, long t) const {
    const Rule& r = rules_[site];
    const FiSiteInfo& s = kFiSites[site];
    const long rc = s.row + s.col;
    switch (r.kind) {
      case Kind::None: return false;
      case Kind::Act: return s.col == kCols - 1 || !accepted(t - 1 - rc);
      case Kind::Psum: return !accepted(t - 1 - rc);
      case Kind::Weight: return count_ < 2 || t < first_ + 1 + rc || t > last_ + rc;
      case Kind::Shadow: {
        const long k = std::upper_bound(wloads_.begin(), wloads_.end(), t) - wloads_.begin();
        if (k < kRows) return k < kRows - s.row;
        return t > first_ + rc;
      }
      case Kind::SkewIn: {  // stage 0 (low bits) is the newest; the swap tag has no rule
        const int stage = bit / (kBits + 1);
        if (bit % (kBits + 1) == kBits) return false;
        return !accepted(t - stage);
      }
      case Kind::Deskew: {
        const int stage = bit / kAccBits;
        return !accepted(t - (kRows + r.lane + 1 + stage));
      }
    }
    return false;
  }

 public:
  // A live flip of a stationary register (weight_q, shadow_q) changes nothing but the one
  // operand of every later product at its PE: y[m][c] += x[m][j] * (w' - w), j the row the
  // flipped value ends up in. Exact because the accumulator is wide enough for any in-range
  // operands (config::minAccBits). Returns false for every other injection.
  bool stationaryEffect(const Injection& i, const Workload& wl, std::vector<ElementError>& errors) const {
    if (i.site < 0 || i.effect != Effect::Flip || i.c0 != i.c1) return false;
    const Rule& r = rules_[i.site];
    if (r.kind != Kind::Weight && r.kind != Kind::Shadow) return false;
    const FiSiteInfo& s = kFiSites[i.site];
    const long t = i.c0, rc = s.row + s.col;
    int row = s.row;
    long firstVector = 0;  // shadow: every vector, vector 0 included, uses the new weight
    if (r.kind == Kind::Weight) {
      firstVector = 1;     // vector 0 multiplies with shadow_q at the swap
    } else {
      const long k = std::upper_bound(wloads_.begin(), wloads_.end(), t) - wloads_.begin();
      if (k < kRows) row = (int)(k + s.row - kRows);  // still travelling up the load chain
    }
    const uint64_t mask = (uint64_t{1} << kBits) - 1;
    uint64_t flip = 0;
    for (int b : i.bits) flip |= uint64_t{1} << b;
    const int64_t w = wl.stationary.at(row, s.col);
    const int64_t w2 = ftaccel::golden::signExtend(((uint64_t)w & mask) ^ flip, kBits);
    for (long m = firstVector; m < (long)wl.vectors.size(); ++m) {
      if (r.kind == Kind::Weight && acceptAt_[(size_t)m] + rc < t) continue;  // read before the flip
      const Wide d = (Wide)wl.vectors[(size_t)m][(size_t)row] * (Wide)(w2 - w);
      if (d != 0) errors.push_back({(int)m, s.col, d});
    }
    return true;
  }

 private:
  enum class Kind { None, Act, Psum, Weight, Shadow, SkewIn, Deskew };
  struct Rule {
    Kind kind = Kind::None;
    int lane = 0;
  };
  static Rule ruleOf(const FiSiteInfo& s) {
    if (FTACCEL_DATAFLOW_OS) return {};  // the rules follow the WS/IS schedule only
    const std::string p(s.path);
    const std::string reg = p.substr(p.rfind('.') + 1);
    if (s.row >= 0) {
      if (reg == "act_q") return {Kind::Act};
      if (reg == "psum_q") return {Kind::Psum};
      if (reg == "weight_q") return {Kind::Weight};
      if (reg == "shadow_q") return {Kind::Shadow};
      return {};
    }
    const size_t lb = p.find("gen_lane[");
    if (lb == std::string::npos) return {};
    const int lane = std::atoi(p.c_str() + lb + 9);
    if (p.rfind("u_in_skew.", 0) == 0) return {Kind::SkewIn, lane};
    if (p.rfind("u_out_deskew.", 0) == 0) return {Kind::Deskew, lane};
    return {};
  }
  bool accepted(long edge) const { return edge >= 0 && edge < (long)accepted_.size() && accepted_[(size_t)edge]; }

  std::vector<bool> accepted_;
  std::vector<long> wloads_;
  std::vector<long> acceptAt_;  // edge at which vector m was accepted
  std::vector<Rule> rules_;
  long first_ = 0, last_ = 0, count_ = 0;
};

// ---- fault generation -------------------------------------------------------------------

uint64_t mix(uint64_t x) {  // splitmix64 finalizer: independent streams per fault index
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

int siteOfBit(long bit) {
  int lo = 0, hi = kFiSiteCount - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (kFiSites[mid].offset <= bit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

std::vector<Injection> parseList(const std::string& spec) {
  // SITE:B[,B...]@C0[-C1][:flip|stuck0|stuck1], joined by ';' (validated by ftaccel already).
  std::vector<Injection> out;
  size_t p = 0;
  while (p < spec.size()) {
    size_t e = spec.find(';', p);
    if (e == std::string::npos) e = spec.size();
    std::string part = spec.substr(p, e - p);
    p = e + 1;
    Injection i;
    size_t colon = part.find(':'), at = part.find('@');
    if (colon == std::string::npos || at == std::string::npos) fail("bad --inject part " + part);
    i.site = std::stoi(part.substr(0, colon));
    if (i.site < 0 || i.site >= kFiSiteCount) fail("site id out of range in " + part);
    std::string bits = part.substr(colon + 1, at - colon - 1);
    for (size_t q = 0; q <= bits.size();) {
      size_t c = bits.find(',', q);
      if (c == std::string::npos) c = bits.size();
      int b = std::stoi(bits.substr(q, c - q));
      if (b < 0 || b >= kFiSites[i.site].width) fail("bit out of range in " + part);
      i.bits.push_back(b);
      q = c + 1;
    }
    std::string rest = part.substr(at + 1);
    size_t colon2 = rest.find(':');
    std::string cycles = rest.substr(0, colon2);
    size_t dash = cycles.find('-');
    i.c0 = std::stol(cycles.substr(0, dash));
    i.c1 = dash == std::string::npos ? i.c0 : (cycles.substr(dash + 1) == "end" ? kForever : std::stol(cycles.substr(dash + 1)));
    std::string eff = colon2 == std::string::npos ? "flip" : rest.substr(colon2 + 1);
    i.effect = eff == "stuck0" ? Effect::Stuck0 : eff == "stuck1" ? Effect::Stuck1 : Effect::Flip;
    if (eff != "flip" && eff != "stuck0" && eff != "stuck1") fail("unknown effect in " + part);
    out.push_back(i);
  }
  return out;
}

Fault makeFault(const Options& o, long index, long window, const std::vector<Injection>& list) {
  Fault f;
  f.index = index;
  Rng rng(mix(o.seed ^ mix((uint64_t)index)));
  auto uniform = [&](long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng); };
  if (o.model == "list") {
    f.injections = list;
    return f;
  }
  if (o.model == "pe") {
    Injection i;
    i.effect = Effect::Random;
    i.peRow = (int)uniform(0, kRows - 1);
    i.peCol = (int)uniform(0, kCols - 1);
    i.c0 = 0;
    i.c1 = kForever;
    f.injections.push_back(i);
    return f;
  }
  if (o.model == "timing") return f;  // errors are drawn during the run
  for (int k = 0; k < o.multi; ++k) {
    Injection i;
    const long bit = uniform(0, kFiBits - 1);
    i.site = siteOfBit(bit);
    const int width = kFiSites[i.site].width;
    int first = (int)(bit - kFiSites[i.site].offset), count = 1;
    if (o.model == "mbu") {
      count = std::min(width, o.burst ? o.burst : (int)uniform(2, 8));
      first = std::min(first, width - count);
    }
    for (int b = 0; b < count; ++b) i.bits.push_back(first + b);
    if (o.model == "stuck") {
      i.effect = uniform(0, 1) ? Effect::Stuck1 : Effect::Stuck0;
      i.c0 = o.stuckCycles ? uniform(0, window - 1) : 0;
      i.c1 = o.stuckCycles ? i.c0 + o.stuckCycles - 1 : kForever;
    } else {
      i.c0 = i.c1 = uniform(0, window - 1);
    }
    f.injections.push_back(i);
  }
  return f;
}

// ---- records ----------------------------------------------------------------------------

std::string formatRecord(const Fault& f, const RunResult& r, bool pruned, bool analytic, bool violation) {
  const bool wrong = !r.errors.empty() || r.missing || r.extra;
  // Suppressed needs a unit that reports bringing a value back within tolerance; none yet.
  const char* outcome = r.alarm ? "detected" : wrong ? "sdc" : "masked";
  std::string s = "{\"type\":\"fault\",\"index\":" + std::to_string(f.index) + ",\"outcome\":\"" +
                  outcome + "\",\"pruned\":" + (pruned ? "true" : "false") +
                  ",\"sim_cycles\":" + std::to_string(r.cycles) + ",\"injections\":[";
  for (size_t k = 0; k < f.injections.size(); ++k) {
    const Injection& i = f.injections[k];
    if (k) s += ",";
    if (i.site >= 0) {
      const FiSiteInfo& site = kFiSites[i.site];
      s += std::string("{\"site\":\"") + site.path + "\",\"id\":" + std::to_string(i.site) +
           ",\"kind\":\"" + site.kind + "\",\"pe\":" +
           (site.row < 0 ? std::string("null")
                         : "[" + std::to_string(site.row) + "," + std::to_string(site.col) + "]");
    } else {
      s += "{\"site\":null,\"id\":null,\"kind\":\"pe\",\"pe\":[" + std::to_string(i.peRow) + "," +
           std::to_string(i.peCol) + "]";
    }
    s += ",\"bits\":[";
    for (size_t b = 0; b < i.bits.size(); ++b) s += (b ? "," : "") + std::to_string(i.bits[b]);
    s += std::string("],\"effect\":\"") + effectName(i.effect) + "\",\"cycle\":" + std::to_string(i.c0) +
         ",\"last_cycle\":" + (i.c1 >= kForever ? std::string("null") : std::to_string(i.c1));
    if (i.effect == Effect::Timing)
      s += ",\"correct\":" + std::to_string(i.correct) + ",\"wrong_value\":" + std::to_string(i.wrong);
    s += "}";
  }
  Wide maxErr = 0;
  std::string errs;
  for (const auto& e : r.errors) {
    const Wide mag = e.delta < 0 ? -e.delta : e.delta;
    maxErr = std::max(maxErr, mag);
#if FTACCEL_DATAFLOW_IS
    const int batchRow = e.lane, channel = e.vec;  // IS: lane = batch column, vector = channel
#else
    const int batchRow = e.vec, channel = e.lane;
#endif
    errs += (errs.empty() ? "[" : ",[") + std::to_string(batchRow) + "," + std::to_string(channel) + "," +
            wideToJson(e.delta) + "]";
  }
  const long wrongCount = (long)r.errors.size();
  s += "],\"wrong\":" + std::to_string(wrongCount) + ",\"max_abs_error\":" + wideToJson(maxErr) +
       ",\"errors\":[" + errs + "]" + ",\"missing_results\":" +
       std::to_string(r.missing) + ",\"extra_results\":" + std::to_string(r.extra) +
       ",\"converged\":" + (r.converged ? "true" : "false") + ",\"alarms\":[" +
       (r.alarm ? "\"" FTACCEL_ALARM_NAMES "\"" : "") + "]";
  if (analytic) s += ",\"analytic\":true";
  if (violation) s += ",\"pruning_violation\":true";
  return s + "}\n";
}

nlohmann::json headerJson(const Options& o, long window) {
  return {{"type", "header"},
          {"format", "ftaccel-campaign"},
          {"version", 1},
          {"ip", o.ip},
          {"config_hash", o.configHash},
          {"dataflow", FTACCEL_DATAFLOW_OS ? "os" : FTACCEL_DATAFLOW_IS ? "is" : "ws"},
          {"rows", kRows},
          {"cols", kCols},
          {"data_bits", kBits},
          {"acc_bits", kAccBits},
          {"model", o.model},
          {"faults", o.faults},
          {"seed", o.seed},
          {"shard", {o.shard, o.shards}},
          {"engine", o.engine},
          {"model_options",
           {{"burst", o.burst}, {"stuck_cycles", o.stuckCycles}, {"multi", o.multi},
            {"inject", o.inject}, {"timing_table", o.timingTable}, {"timing_scale", o.timingScale}}},
          {"workload", {{"vectors", o.vectors}, {"seed", o.workloadSeed}}},
          {"alarms", FTACCEL_ALARM_COUNT ? nlohmann::json::array({FTACCEL_ALARM_NAMES}) : nlohmann::json::array()},
          {"sites", kFiSiteCount},
          {"site_bits", kFiBits},
          {"window_cycles", window}};
}

// Reads an existing results file: checks it belongs to this campaign, drops a cut-off last
// line, and returns the fault indices already recorded.
std::set<long> resume(const Options& o, const nlohmann::json& header, bool& fresh) {
  std::set<long> done;
  std::ifstream in(o.out, std::ios::binary);
  fresh = !in || in.peek() == std::ifstream::traits_type::eof();
  if (fresh) return done;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t complete = text.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete < text.size()) {
    std::fprintf(stderr, "campaign: dropping a cut-off last line of %s (a killed run)\n", o.out.c_str());
    if (truncate(o.out.c_str(), (off_t)complete) != 0) fail("cannot truncate " + o.out);
    text.resize(complete);
  }
  size_t p = 0;
  int line = 0;
  while (p < text.size()) {
    size_t e = text.find('\n', p);
    std::string l = text.substr(p, e - p);
    p = e + 1;
    ++line;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(l);
    } catch (const nlohmann::json::exception&) {
      fail(o.out + ":" + std::to_string(line) + ": not a JSON record");
    }
    if (line == 1) {
      nlohmann::json a = header, b = j;
      for (auto* h : {&a, &b}) h->erase("engine");
      if (j.value("type", "") != "header" || a != b)
        fail(o.out + " holds results of a different campaign; choose another --out or delete it");
      continue;
    }
    if (j.value("type", "") == "fault") done.insert(j.at("index").get<long>());
  }
  return done;
}

void writeAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    off += (size_t)n;
  }
}

struct Stats {
  long done = 0, pruned = 0, analytic = 0, violations = 0, cycles = 0;
};

}  // namespace

int campaignMain(int argc, char** argv) {
  Options o = parseOptions(argc, argv);
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);
  auto top = std::make_unique<Vtop>(ctx.get());
  std::unique_ptr<ftaccel::fault::TimingTable> table;
  if (o.model == "timing") {
    try {
      table = std::make_unique<ftaccel::fault::TimingTable>(ftaccel::fault::loadTimingTable(o.timingTable));
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  const std::vector<Injection> list = o.model == "list" ? parseList(o.inject) : std::vector<Injection>{};
  const Workload wl = makeWorkload(o.vectors, o.workloadSeed);
  Simulator sim(*top, wl, table.get(), o.timingScale);
  std::string why;
  const auto t0 = std::chrono::steady_clock::now();
  if (!sim.recordReference(why)) fail(why);
  const long window = sim.refEnd();
  const Liveness live(sim.accepts(), sim.wloads());

  const nlohmann::json header = headerJson(o, window);
  bool fresh = true;
  const std::set<long> done = resume(o, header, fresh);
  const int fd = ::open(o.out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) fail("cannot open " + o.out);
  if (fresh) {
    writeAll(fd, header.dump() + "\n");
    writeAll(fd, std::string("{\"type\":\"fault_free\",\"runs\":1,\"false_alarms\":") +
                     (sim.falseAlarm() ? "1" : "0") + ",\"mismatches\":0}\n");
  }
  std::vector<long> todo;
  for (long k = o.shard; k < o.faults; k += o.shards)
    if (!done.count(k)) todo.push_back(k);
  if (o.progress)
    std::fprintf(stderr, "[campaign] %s, %zu faults to run (%zu already recorded), window %ld cycles, %d job(s)\n",
                 o.model.c_str(), todo.size(), done.size(), window, o.jobs);

  const bool fast = o.engine == "fast";
  auto runOne = [&](long index, Stats& st) {
    Fault f = makeFault(o, index, window, list);
    bool pruned = false;
    // The shortcuts know nothing about detection units: with alarm outputs every fault runs.
    if (fast && FTACCEL_ALARM_COUNT == 0 && (o.model == "seu" || o.model == "mbu" || o.model == "list")) {
      pruned = !f.injections.empty();
      for (const auto& i : f.injections) {
        pruned = pruned && i.effect == Effect::Flip && i.c0 == i.c1;
        for (int b : i.bits) pruned = pruned && live.dead(i.site, b, i.c0);
      }
    }
    // Live flips of stationary registers: their effect on the results follows from the
    // dataflow (Liveness::stationaryEffect); --verify-pruned simulates them as well.
    RunResult predicted;
    const bool analytic = fast && FTACCEL_ALARM_COUNT == 0 && !pruned && (o.model == "seu" || o.model == "mbu" || o.model == "list") &&
                          f.injections.size() == 1 &&
                          live.stationaryEffect(f.injections[0], wl, predicted.errors);
    RunResult r = analytic ? predicted : RunResult{};
    bool violation = false;
    if ((!pruned && !analytic) || o.verifyPruned) r = sim.run(f, fast, mix(o.seed + 7 * (uint64_t)index));
    if (pruned && (!r.errors.empty() || r.missing || r.extra)) violation = true;
    if (analytic) {
      auto key = [](const ElementError& e) { return std::make_tuple(e.vec, e.lane, (long double)e.delta); };
      auto sorted = [&](std::vector<ElementError> v) {
        std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
        return v;
      };
      if (o.verifyPruned) {
        auto a = sorted(predicted.errors), b = sorted(r.errors);
        violation = r.missing || r.extra || a.size() != b.size() ||
                    !std::equal(a.begin(), a.end(), b.begin(), [&](const auto& x, const auto& y) { return key(x) == key(y); });
      }
      r.errors = predicted.errors;
    }
    st.violations += violation;
    st.pruned += pruned;
    st.analytic += analytic;
    st.cycles += r.cycles;
    ++st.done;
    return formatRecord(f, r, pruned, analytic, violation);
  };

  Stats total;
  const int jobs = std::max(1, std::min<int>(o.jobs, (int)todo.size()));
  auto report = [&](long finished, bool last) {
    if (!o.progress) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double rate = secs > 0 ? finished / secs : 0;
    double eta = rate > 0 ? (double)(todo.size() - finished) / rate : 0;
    std::fprintf(stderr, "[campaign] %ld/%zu faults, %.0f/s, ETA %.0f s%s\n", finished, todo.size(), rate,
                 eta, last ? " - done" : "");
  };
  const auto start = std::chrono::steady_clock::now();
  if (jobs <= 1) {
    auto lastReport = start;
    for (long k : todo) {
      writeAll(fd, runOne(k, total));
      auto now = std::chrono::steady_clock::now();
      if (now - lastReport > std::chrono::seconds(2)) {
        report(total.done, false);
        lastReport = now;
      }
    }
  } else {
    // Workers share the reference by fork; the parent is the only writer of the file.
    std::vector<int> pipes;
    std::vector<pid_t> pids;
    for (int w = 0; w < jobs; ++w) {
      int p[2];
      if (pipe(p) != 0) fail("pipe failed");
      pid_t pid = fork();
      if (pid < 0) fail("fork failed");
      if (pid == 0) {
        ::close(p[0]);
        Stats st;
        std::string buffer;  // a few records per write: the parent then has less to do
        auto last = std::chrono::steady_clock::now();
        for (size_t i = (size_t)w; i < todo.size(); i += (size_t)jobs) {
          buffer += runOne(todo[i], st);
          auto now = std::chrono::steady_clock::now();
          if (buffer.size() > (1 << 15) || now - last > std::chrono::milliseconds(200)) {
            writeAll(p[1], buffer);
            buffer.clear();
            last = now;
          }
        }
        writeAll(p[1], buffer);
        writeAll(p[1], "#stats " + std::to_string(st.pruned) + " " + std::to_string(st.analytic) + " " +
                           std::to_string(st.violations) + " " + std::to_string(st.cycles) + "\n");
        ::close(p[1]);
        std::fflush(stderr);
        _exit(0);
      }
      ::close(p[1]);
      pipes.push_back(p[0]);
      pids.push_back(pid);
    }
    std::vector<std::string> partial(jobs);
    std::vector<bool> open(jobs, true);
    int openCount = jobs;
    auto lastReport = start;
    while (openCount > 0) {
      std::vector<pollfd> fds;
      std::vector<int> which;
      for (int w = 0; w < jobs; ++w)
        if (open[w]) {
          fds.push_back({pipes[w], POLLIN, 0});
          which.push_back(w);
        }
      if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) fail("poll failed");
      for (size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        const int w = which[i];
        char buf[1 << 16];
        ssize_t n = ::read(pipes[w], buf, sizeof buf);
        if (n <= 0) {
          open[w] = false;
          --openCount;
          ::close(pipes[w]);
          continue;
        }
        partial[w].append(buf, (size_t)n);
        std::string lines;
        size_t begin = 0, nl;
        while ((nl = partial[w].find('\n', begin)) != std::string::npos) {
          std::string l = partial[w].substr(begin, nl + 1 - begin);
          begin = nl + 1;
          if (l.rfind("#stats ", 0) == 0) {
            long pr = 0, an = 0, vi = 0, cy = 0;
            std::sscanf(l.c_str(), "#stats %ld %ld %ld %ld", &pr, &an, &vi, &cy);
            total.pruned += pr;
            total.analytic += an;
            total.violations += vi;
            total.cycles += cy;
            continue;
          }
          lines += l;
          ++total.done;
        }
        partial[w].erase(0, begin);
        if (!lines.empty()) writeAll(fd, lines);
      }
      auto now = std::chrono::steady_clock::now();
      if (now - lastReport > std::chrono::seconds(2)) {
        report(total.done, false);
        lastReport = now;
      }
    }
    for (pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("a campaign worker failed");
    }
  }
  ::close(fd);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report(total.done, true);
  std::printf(
      "{\"faults_run\": %ld, \"already_recorded\": %zu, \"seconds\": %.6f, \"injections_per_second\": %.1f, "
      "\"pruned\": %ld, \"analytic\": %ld, \"pruning_violations\": %ld, \"simulated_cycles\": %ld, \"window_cycles\": %ld, "
      "\"reference_seconds\": %.6f, \"snapshot_bytes\": %zu, \"engine\": \"%s\", \"jobs\": %d}\n",
      total.done, done.size(), secs, secs > 0 ? total.done / secs : 0.0, total.pruned, total.analytic, total.violations,
      total.cycles, window, std::chrono::duration<double>(start - t0).count(), sim.rootSize(),
      o.engine.c_str(), jobs);
  top->final();
  return total.violations ? 1 : 0;
}

#else

#include <cstdio>

int campaignMain(int, char**) {
  std::fprintf(stderr, "campaign: error: campaigns need the fault-injection variant of the IP\n");
  return 2;
}

#endif
