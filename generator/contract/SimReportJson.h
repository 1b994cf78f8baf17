// JSON mapping of the `cosim run` report (SimReport.h): written by the harness's SimIo.cpp, read
// by flow::runCosim. Standard C++ and nlohmann-json: compiled on both sides.
#pragma once

#include <nlohmann/json.hpp>

#include "contract/SimReport.h"

namespace ftaccel::contract {

inline void to_json(nlohmann::json& j, const SimReport& r) {
  j = {{"vectors", r.vectors},
       {"checked", r.checked},
       {"mismatches", r.mismatches},
       {"cycles", r.cycles},
       {"batches", r.batches},
       {"latency_expected", r.latencyExpected},
       {"latency_min", r.latencyMin},
       {"latency_max", r.latencyMax},
       {"batch_cycles", r.batchCycles},
       {"input_stall_cycles", r.inputStallCycles},
       {"spurious_outputs", r.spuriousOutputs},
       {"throughput_vectors_per_cycle", r.throughputVectorsPerCycle},
       {"dense_equivalent_macs_per_cycle", r.denseEquivalentMacsPerCycle},
       {"timeout", r.timeout},
       {"bypassed_pes", r.bypassedPes},
       {"pruning_visible_vectors", r.pruningVisibleVectors},
       {"filtered_vectors", r.filteredVectors},
       {"faulty_pes", r.faultyPes},
       {"matmul_elements", r.matmulElements},
       {"matmul_mismatches", r.matmulMismatches},
       {"tiles", r.tiles},
       {"matmul_result_hash", r.matmulResultHash},
       {"memory_bit_errors", r.memoryBitErrors},
       {"parity_zeroed_words", r.parityZeroedWords},
       {"alarm_cycles", r.alarmCycles},
       {"alarm_model_checked", r.alarmModelChecked},
       {"alarm_model_mismatches", r.alarmModelMismatches},
       {"temporal_batches_checked", r.temporalBatchesChecked},
       {"temporal_model_mismatches", r.temporalModelMismatches},
       {"temporal_alarms", r.temporalAlarms},
       {"fuzz_sequences", r.fuzzSequences},
       {"fuzz_swaps", r.fuzzSwaps},
       {"fuzz_noop_swaps", r.fuzzNoopSwaps},
       {"fuzz_worst_slack", r.fuzzWorstSlack},
       {"fuzz_bound_violations", r.fuzzBoundViolations},
       {"first_mismatch", r.firstMismatch}};
}

inline void from_json(const nlohmann::json& j, SimReport& r) {
  j.at("vectors").get_to(r.vectors);
  j.at("checked").get_to(r.checked);
  j.at("mismatches").get_to(r.mismatches);
  j.at("cycles").get_to(r.cycles);
  j.at("batches").get_to(r.batches);
  j.at("latency_expected").get_to(r.latencyExpected);
  j.at("latency_min").get_to(r.latencyMin);
  j.at("latency_max").get_to(r.latencyMax);
  j.at("batch_cycles").get_to(r.batchCycles);
  j.at("input_stall_cycles").get_to(r.inputStallCycles);
  j.at("spurious_outputs").get_to(r.spuriousOutputs);
  j.at("throughput_vectors_per_cycle").get_to(r.throughputVectorsPerCycle);
  j.at("timeout").get_to(r.timeout);
  j.at("bypassed_pes").get_to(r.bypassedPes);
  j.at("pruning_visible_vectors").get_to(r.pruningVisibleVectors);
  j.at("filtered_vectors").get_to(r.filteredVectors);
  j.at("faulty_pes").get_to(r.faultyPes);
  j.at("matmul_elements").get_to(r.matmulElements);
  j.at("matmul_mismatches").get_to(r.matmulMismatches);
  j.at("tiles").get_to(r.tiles);
  j.at("matmul_result_hash").get_to(r.matmulResultHash);
  j.at("memory_bit_errors").get_to(r.memoryBitErrors);
  j.at("parity_zeroed_words").get_to(r.parityZeroedWords);
  j.at("first_mismatch").get_to(r.firstMismatch);
  r.alarmCycles = j.value("alarm_cycles", 0L);
  r.denseEquivalentMacsPerCycle = j.value("dense_equivalent_macs_per_cycle", 0.0);
  r.alarmModelChecked = j.value("alarm_model_checked", 0L);
  r.alarmModelMismatches = j.value("alarm_model_mismatches", 0L);
  r.temporalBatchesChecked = j.value("temporal_batches_checked", 0L);
  r.temporalModelMismatches = j.value("temporal_model_mismatches", 0L);
  r.temporalAlarms = j.value("temporal_alarms", 0L);
  r.fuzzSequences = j.value("fuzz_sequences", 0L);
  r.fuzzSwaps = j.value("fuzz_swaps", 0L);
  r.fuzzNoopSwaps = j.value("fuzz_noop_swaps", 0L);
  r.fuzzWorstSlack = j.value("fuzz_worst_slack", 0L);
  r.fuzzBoundViolations = j.value("fuzz_bound_violations", 0L);
}

}  // namespace ftaccel::contract
