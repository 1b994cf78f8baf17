// Fault-injection campaigns: validates the request, builds the simulation variant once (cached)
// and runs the harness's campaign engine, which appends JSON Lines records (docs/campaign-format.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "flow/Cosim.h"

namespace ftaccel::flow {

struct CampaignOptions {
  std::string model = "seu";   // seu | mbu | stuck | pe | timing | list
  long faults = 1000;
  uint64_t seed = 1;
  std::string shard = "0/1";   // i/n: this process runs the fault indices k with k % n == i
  int jobs = 1;
  std::filesystem::path out;
  std::string engine = "fast"; // fast | naive (re-simulate every fault from reset)
  int vectors = 64;            // workload: vectors streamed through freshly loaded weights
  uint64_t workloadSeed = 1;
  int burst = 0;               // MBU burst length 1..8, 0 = random 2..8
  long stuckCycles = 0;        // stuck: cycles per transient stuck-at, 0 = permanent
  int multi = 1;               // independent upsets per run (multi-site)
  std::string inject;          // model list: SITE:BITS@CYCLE[-CYCLE|-end][:flip|stuck0|stuck1];...
  std::filesystem::path timingTable;
  double timingScale = 1.0;    // multiplies every probability of the timing table
  bool verifyPruned = false;   // also simulate the faults the live windows classify
  long snapshotMib = 2048;     // memory for the reference snapshots (fewer kept beyond it)
  long snapshotStride = 0;     // keep every n-th edge's state (0 = as the memory allows)
  bool progress = true;
};

struct CampaignRun {
  nlohmann::json stats;  // what the engine printed: rate, pruned, cycles, ...
  int exitCode = 0;
};

// Checks everything that can be checked before building anything; throws diag::DiagnosticError
// naming the flag (and the site/bit/cycle) at fault. Returns the --inject list with site names
// replaced by site ids, as the engine takes it.
std::string validateCampaign(const config::Config& cfg, const CampaignOptions& o);

CampaignRun runCampaign(const config::Config& cfg, const CosimModel& model, const CampaignOptions& o,
                        const std::string& injectIds);

}  // namespace ftaccel::flow
