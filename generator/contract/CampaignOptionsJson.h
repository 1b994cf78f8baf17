// JSON mapping of the campaign contract (CampaignOptions.h): the options file the generator
// writes and the harness reads, and the statistics line the engine prints back. Standard C++
// and nlohmann-json: compiled on both sides.
#pragma once

#include <nlohmann/json.hpp>

#include "contract/CampaignOptions.h"

namespace ftaccel::contract {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CampaignOptions, model, faults, seed, shardIndex, shardCount, jobs, out, engine,
                                   vectors, workloadSeed, burst, stuckCycles, multi, inject, kinds, timingTable,
                                   timingScale, verifyPruned, memoryWord, memoryBer, tolerance, recomputeOnAlarm,
                                   snapshotMib, snapshotStride, progress, configHash)

inline void to_json(nlohmann::json& j, const CampaignStats& s) {
  j = {{"faults_run", s.faultsRun},
       {"already_recorded", s.alreadyRecorded},
       {"seconds", s.seconds},
       {"injections_per_second", s.injectionsPerSecond},
       {"pruned", s.pruned},
       {"analytic", s.analytic},
       {"pruning_violations", s.pruningViolations},
       {"simulated_cycles", s.simulatedCycles},
       {"window_cycles", s.windowCycles},
       {"reference_seconds", s.referenceSeconds},
       {"snapshot_bytes", s.snapshotBytes},
       {"snapshot_stride", s.snapshotStride},
       {"engine", s.engine},
       {"jobs", s.jobs}};
}

inline void from_json(const nlohmann::json& j, CampaignStats& s) {
  j.at("faults_run").get_to(s.faultsRun);
  j.at("already_recorded").get_to(s.alreadyRecorded);
  j.at("seconds").get_to(s.seconds);
  j.at("injections_per_second").get_to(s.injectionsPerSecond);
  j.at("pruned").get_to(s.pruned);
  j.at("analytic").get_to(s.analytic);
  j.at("pruning_violations").get_to(s.pruningViolations);
  j.at("simulated_cycles").get_to(s.simulatedCycles);
  j.at("window_cycles").get_to(s.windowCycles);
  j.at("reference_seconds").get_to(s.referenceSeconds);
  j.at("snapshot_bytes").get_to(s.snapshotBytes);
  j.at("snapshot_stride").get_to(s.snapshotStride);
  j.at("engine").get_to(s.engine);
  j.at("jobs").get_to(s.jobs);
}

}  // namespace ftaccel::contract
