// Contract of the co-simulation harness's result: what `cosim run` prints (one JSON object) and
// what flow::runCosim reads. Standard C++ and nlohmann-json only: also compiled into the harness
// (FTACCEL_CONTRACT_TYPES_ONLY: the struct without its JSON mapping).
#pragma once

#include <string>

#ifndef FTACCEL_CONTRACT_TYPES_ONLY
#include <nlohmann/json.hpp>
#endif

namespace ftaccel::contract {

struct SimReport {
  long vectors = 0;     // vectors (OS: result rows) of the workload
  long checked = 0;     // outputs compared with the golden model
  long mismatches = 0;  // wrong outputs (plus wrong --matmul elements)
  long cycles = 0;
  long batches = 0;          // weight matrices (OS: tiles)
  long latencyExpected = 0;  // the manifest's latency
  long latencyMin = 0, latencyMax = 0;
  long batchCycles = 0;  // first input handshake to last output handshake
  long inputStallCycles = 0;
  long spuriousOutputs = 0;  // output valid with nothing in flight
  double throughputVectorsPerCycle = 0;
  // Throughput times the logical matrix a vector meets (array.rows*group_l x array.cols*group_k):
  // the MACs per cycle a dense array would need for the same work.
  double denseEquivalentMacsPerCycle = 0;
  bool timeout = false;  // not every vector came out
  long bypassedPes = 0;
  long pruningVisibleVectors = 0;  // vectors whose result the bypass pruning changed
  long filteredVectors = 0;        // vectors an input filter (AFD, median) changed
  long faultyPes = 0;
  long matmulElements = 0, matmulMismatches = 0, tiles = 0;
  std::string matmulResultHash;  // FNV-1a over the --matmul result, 16 hex digits
  long memoryBitErrors = 0;      // --memory-ber: bits flipped in the stored weight images
  long parityZeroedWords = 0;    // weight parity: words the IP zeroed (checked on wparity_count_o)
  long alarmCycles = 0;  // cycles with a protection unit's alarm output high (0 when fault-free)
  long alarmModelChecked = 0;     // result vectors whose unit flag was compared with the unit's model
  long alarmModelMismatches = 0;  // ... and differed (also counted in mismatches)
  long temporalBatchesChecked = 0;     // temporal Sanity-Check reports compared with TemporalModel.h
  long temporalModelMismatches = 0;    // ... that differed, or missing / extra reports (also in mismatches)
  long temporalAlarms = 0;             // reports with sanity_tflag_o high
  // --protocol-fuzz: random legal handshake sequences (tb/ProtocolFuzz.h).
  long fuzzSequences = 0;
  long fuzzSwaps = 0, fuzzNoopSwaps = 0;  // swaps that installed a new operand / kept the active one
  long fuzzWorstSlack = 0;  // max over results of delay - (latency [+ r] + consumer stall cycles)
  long fuzzBoundViolations = 0;  // results later than the manifest's result_bound (or never)
  std::string firstMismatch;
  bool operator==(const SimReport&) const = default;
};

#ifndef FTACCEL_CONTRACT_TYPES_ONLY
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
#endif

}  // namespace ftaccel::contract
