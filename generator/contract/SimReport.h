// Contract of the co-simulation harness's result: what `cosim run` prints (one JSON object) and
// what flow::runCosim reads. Standard C++ only (the JSON mapping is SimReportJson.h): also
// compiled into the harness.
#pragma once

#include <string>

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

}  // namespace ftaccel::contract
