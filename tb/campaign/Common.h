// Constants of the IP under test, fault descriptions, options and the random generator.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cosim_config.h"
#include "golden/GoldenModel.h"

namespace ftaccel::campaign {

using ftaccel::golden::Wide;

constexpr int kRows = FTACCEL_ROWS;
constexpr int kCols = FTACCEL_COLS;
constexpr int kBits = FTACCEL_DATA_BITS;
constexpr int kAccBits = FTACCEL_ACC_BITS;
constexpr int kProdBits = 2 * kBits;


enum class Effect { Flip, Stuck0, Stuck1, Random, Timing };
inline const char* effectName(Effect e) {
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
  long timingErrors = 0;  // timing model: wrong products drawn (the first 64 are listed)
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
  long snapshotMib = 2048;     // memory for state snapshots (larger arrays keep fewer)
  long snapshotStride = 0;     // keep every n-th edge; 0 = derived from snapshotMib
  bool progress = true;
  std::string ip = FTACCEL_IP_NAME, configHash = "";
};

[[noreturn]] inline void fail(const std::string& msg) {
  std::fprintf(stderr, "campaign: error: %s\n", msg.c_str());
  std::exit(2);
}

inline Options parseOptions(int argc, char** argv) {
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
      else if (a == "--snapshot-mib") o.snapshotMib = std::stol(v);
      else if (a == "--snapshot-stride") o.snapshotStride = std::stol(v);
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
  if (o.snapshotMib < 1) fail("--snapshot-mib must be at least 1");
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

}  // namespace ftaccel::campaign
