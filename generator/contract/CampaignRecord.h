// Schema of the campaign results (docs/campaign-format.md): the header, fault-free and fault
// lines as typed structs with their one writer (the harness's campaign engine) and their one
// reader (fault/CampaignReport). Standard C++ only (the JSON mapping and the line writers are
// CampaignRecordJson.h): also compiled into the harness.
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "golden/GoldenModel.h"

namespace ftaccel::contract {

using golden::Wide;

// A line that does not follow the schema; `code` is the diagnostic code, the message names the
// field. The reader adds file:line.
struct RecordError : std::runtime_error {
  RecordError(std::string c, const std::string& message) : std::runtime_error(message), code(std::move(c)) {}
  std::string code;
};

enum class Outcome { Masked, Detected, Suppressed, Sdc };
inline constexpr std::array<Outcome, 4> kOutcomes{Outcome::Masked, Outcome::Detected, Outcome::Suppressed,
                                                  Outcome::Sdc};
inline std::string_view toString(Outcome o) {
  switch (o) {
    case Outcome::Masked: return "masked";
    case Outcome::Detected: return "detected";
    case Outcome::Suppressed: return "suppressed";
    case Outcome::Sdc: return "sdc";
  }
  return "?";
}

// ---- line structs --------------------------------------------------------------------------

struct ModelOptions {
  int burst = 0;
  long stuckCycles = 0;
  int multi = 1;
  std::string inject, timingTable;
  double timingScale = 1.0;
  int memoryWord = 0;     // mem-*: weights per memory word (0: not a memory model)
  double memoryBer = 0;   // mem-ber
  std::string kinds;  // --kinds; written only when set
  long tolerance = 0;  // --tolerance of the suppressed rule; written only when > 0
  bool recompute = false;  // --recompute-on-alarm; written only when set
  bool operator==(const ModelOptions&) const = default;
};

struct WorkloadInfo {
  long vectors = 0;
  uint64_t seed = 0;
  bool operator==(const WorkloadInfo&) const = default;
};

// Line 1. The campaign identity is config_hash, model, faults, seed, workload and the shard
// count; the rest describes the IP.
struct CampaignHeader {
  std::string ip, configHash, dataflow;
  int rows = 0, cols = 0, dataBits = 0, accBits = 0;
  std::string model;
  long faults = 0;
  uint64_t seed = 0;
  int shard = 0, shardCount = 1;
  std::string engine;
  ModelOptions modelOptions;
  WorkloadInfo workload;
  std::vector<std::string> alarms;
  long sites = 0, siteBits = 0, windowCycles = 0;
  bool operator==(const CampaignHeader&) const = default;
};

// The fault-free reference runs of one file.
struct FaultFreeRecord {
  long runs = 0, falseAlarms = 0, mismatches = 0;
  bool operator==(const FaultFreeRecord&) const = default;
};

struct RecordInjection {
  std::optional<std::string> site;  // null for PE-level effects (kind "pe")
  std::optional<int> id;            // site id of the manifest; null for PE-level effects
  std::string kind;
  std::optional<std::array<int, 2>> pe;  // null for sites outside the PE grid
  std::vector<int> bits;
  std::string effect;  // flip | stuck0 | stuck1 | random | timing
  long cycle = 0;
  std::optional<long> lastCycle;               // null: until the end of the run
  std::optional<int64_t> correct, wrongValue;  // timing: the product and what the multiplier gave
  bool operator==(const RecordInjection&) const = default;
};

// One wrong element of the result matrix.
struct OutputError {
  long batchRow = 0, outputChannel = 0;
  Wide delta = 0;  // faulty - golden
  bool operator==(const OutputError&) const = default;
};

struct FaultRecord {
  long index = 0;
  Outcome outcome = Outcome::Masked;
  bool pruned = false;  // classified from its live window
  long simCycles = 0;
  std::vector<RecordInjection> injections;  // empty when a timing fault never struck
  long wrong = 0;  // wrong outputs: errors.size() plus (reader side) results that never came
  Wide maxAbsError = 0;
  std::vector<OutputError> errors;
  long missingResults = 0, extraResults = 0;
  bool converged = false;  // the fast engine stopped because the state equalled the reference
  std::vector<std::string> alarms;
  bool analytic = false;          // classified by the stationary-register rule
  long timingErrors = 0;          // timing: wrong products drawn (at most 64 listed)
  bool pruningViolation = false;  // --verify-pruned: the shortcut disagreed with simulation
  long parityZeroed = 0;          // memory faults under weight parity: words the check zeroed
  bool recomputed = false;        // --recompute-on-alarm: the batch was re-run fault-free
  long recomputeWrong = 0;        // wrong, missing or extra results of that re-run
  bool operator==(const FaultRecord&) const = default;
};

}  // namespace ftaccel::contract
