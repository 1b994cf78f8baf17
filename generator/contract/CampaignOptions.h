// Contract of `ftaccel campaign` and the harness's campaign engine: the options of one campaign
// shard, handed over as one JSON file (`cosim campaign --options FILE`), and the statistics the
// engine prints back. Standard C++ only (the JSON mapping is CampaignOptionsJson.h, so that a
// harness file that only uses the structs does not parse nlohmann-json): also compiled into the
// harness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftaccel::contract {

inline const std::vector<std::string>& campaignModels() {
  static const std::vector<std::string> m = {"seu",     "mbu",     "stuck",  "pe", "timing",
                                             "list",    "mem-seu", "mem-mbu", "mem-ber"};
  return m;
}

struct CampaignOptions {
  std::string model = "seu";  // campaignModels()
  long faults = 1000;         // the whole campaign (all shards)
  uint64_t seed = 1;          // fault k is derived from (seed, k) alone
  int shardIndex = 0;         // this process runs the fault indices k with k % shardCount == shardIndex
  int shardCount = 1;
  int jobs = 1;
  std::string out;              // results file (JSON Lines, appended), absolute
  std::string engine = "fast";  // fast | naive (re-simulate every fault from reset)
  int vectors = 64;             // workload: vectors streamed through freshly loaded weights
  uint64_t workloadSeed = 1;
  int burst = 0;         // mbu: burst length 1..8, 0 = random 2..8
  long stuckCycles = 0;  // stuck: cycles per transient stuck-at, 0 = permanent
  int multi = 1;         // independent upsets per run (multi-site)
  // list: SITE:BITS@C0-C1:EFFECT joined by ';'. The user may name sites by path; the generator
  // (flow::validateCampaign) hands over numeric site ids, bit lists and explicit ranges.
  std::string inject;
  std::string kinds;  // seu/mbu/stuck: draw sites only among these site kinds (comma list); empty = all
  std::string timingTable;    // timing: error table (docs/timing-tables.md), absolute
  double timingScale = 1.0;   // multiplies every probability of the timing table
  bool verifyPruned = false;  // also simulate the faults the live windows classify
  // mem-*: faults in the weight words as they arrive from memory (WS): words of memoryWord
  // weights on the load beat (the weight-parity word when the IP has it); mem-ber: the rate.
  int memoryWord = 0;
  double memoryBer = 0;
  // `suppressed` (docs/campaign-format.md): a fault a unit acted on (an input filter changed the
  // faulty value, or weight parity zeroed a word) whose results all stay within this absolute
  // error of the fault-free ones; 0 = exact.
  long tolerance = 0;
  // After a run that ends with an alarm the host re-runs the batch fault-free (from reset) and
  // the record gives that re-run's wrong outputs (docs/campaign-format.md, "Recompute on alarm").
  bool recomputeOnAlarm = false;
  long snapshotMib = 2048;    // memory for the reference snapshots (fewer kept beyond it)
  long snapshotStride = 0;    // keep every n-th edge's state (0 = as the memory allows)
  bool progress = true;
  std::string configHash;  // recorded in the results header
  bool operator==(const CampaignOptions&) const = default;
};

// What the engine prints when it is done (one JSON object on stdout).
struct CampaignStats {
  long faultsRun = 0, alreadyRecorded = 0;
  double seconds = 0, injectionsPerSecond = 0;
  long pruned = 0;             // classified dead from live windows
  long analytic = 0;           // classified by the stationary-register rule
  long pruningViolations = 0;  // --verify-pruned disagreements
  long simulatedCycles = 0, windowCycles = 0;
  double referenceSeconds = 0;
  long snapshotBytes = 0, snapshotStride = 0;
  std::string engine;
  int jobs = 0;
  bool operator==(const CampaignStats&) const = default;
};

// What is wrong with options that did not come through flow::validateCampaign; empty if none.
inline std::string checkCampaignOptions(const CampaignOptions& o) {
  bool known = false;
  for (const auto& m : campaignModels()) known = known || m == o.model;
  if (!known) return "unknown model " + o.model;
  if (o.engine != "fast" && o.engine != "naive") return "engine is fast or naive";
  if (o.faults < 1) return "faults must be at least 1";
  if (o.shardCount < 1 || o.shardIndex < 0 || o.shardIndex >= o.shardCount) return "shard needs 0 <= i < n";
  if (o.vectors < 1) return "vectors must be at least 1";
  if (o.jobs < 1 || o.jobs > 256) return "jobs must be in 1..256";
  if (o.burst < 0 || o.burst > 8) return "burst must be in 0..8 (0 = random 2..8)";
  if (o.multi < 1 || o.multi > 64) return "multi must be in 1..64";
  if (o.out.empty()) return "out is required";
  if (o.snapshotMib < 1) return "snapshotMib must be at least 1";
  if (o.model == "timing" && o.timingTable.empty()) return "model timing needs timingTable";
  if (o.model == "list" && o.inject.empty()) return "model list needs inject";
  if (o.model.rfind("mem-", 0) == 0 && o.memoryWord < 1) return "mem-* models need memoryWord >= 1";
  if (o.memoryBer < 0 || o.memoryBer > 1) return "memoryBer must be in 0..1";
  return "";
}

}  // namespace ftaccel::contract
