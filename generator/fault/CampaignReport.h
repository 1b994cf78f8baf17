// Fault-injection campaign results (docs/campaign-format.md): reading and merging the JSONL
// shards, the outcome summary, and the per-output fault patterns (docs/fault-patterns.md).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag/Diagnostics.h"
#include "golden/GoldenModel.h"

namespace ftaccel::fault {

// Deltas and error magnitudes are exact: acc_bits may exceed 64 (up to 96).
using Wide = golden::Wide;

enum class Outcome { Masked, Detected, Suppressed, Sdc };
inline constexpr std::array<Outcome, 4> kOutcomes{Outcome::Masked, Outcome::Detected,
                                                  Outcome::Suppressed, Outcome::Sdc};
std::string_view toString(Outcome o);

// A file's header line. The campaign identity is config_hash, model, faults, seed, workload
// and the shard count; the rest describes the IP and is taken from the first file.
struct CampaignHeader {
  std::string ip, configHash, dataflow, model, engine;
  int rows = 0, cols = 0;
  long faults = 0;
  int64_t seed = 0;
  int shard = 0, shardCount = 1;
  nlohmann::json workload;
  std::vector<std::string> alarms;
};

struct Injection {
  std::optional<std::string> site;  // null for whole-PE faults (kind "pe")
  std::string kind, effect;
  std::optional<std::array<int, 2>> pe;  // nullopt for sites outside the PE grid
  std::vector<int> bits;
  long cycle = 0;
  std::optional<long> lastCycle;  // null: until the end of the run (permanent stuck-at)
  bool operator==(const Injection&) const = default;
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
  bool pruned = false;
  long simCycles = 0;
  std::vector<Injection> injections;  // empty when a timing fault never struck
  std::vector<OutputError> errors;
  long wrong = 0;  // wrong outputs: errors.size() plus results that never came (a hang)
  Wide maxAbsError = 0;
  std::vector<std::string> alarms;
  bool operator==(const FaultRecord&) const = default;
};

// The fault-free reference runs of one file.
struct FaultFreeRuns {
  long runs = 0, falseAlarms = 0, mismatches = 0;
};

// All files merged: every fault index at most once.
struct CampaignData {
  CampaignHeader header;  // from the first file
  std::vector<std::filesystem::path> files;
  std::map<long, FaultRecord> faults;  // by index
  std::vector<FaultFreeRuns> faultFree;  // one per file that has the line
  long duplicates = 0;                   // identical records seen again (merged)
  long truncatedLines = 0;               // final lines without newline (ignored)
};

// Reads and merges the files. Throws diag::DiagnosticError (file:line) on malformed lines, a
// missing or invalid header, unknown record types, out-of-range indices, files of different
// campaigns and conflicting records; adds a warning per ignored cut-off final line.
CampaignData readCampaignFiles(const std::vector<std::filesystem::path>& files,
                               diag::DiagnosticBag& warnings);

struct OutcomeCounts {
  std::array<long, kOutcomes.size()> n{};
  long& operator[](Outcome o) { return n[static_cast<size_t>(o)]; }
  long operator[](Outcome o) const { return n[static_cast<size_t>(o)]; }
  long total() const;
};

struct BreakdownRow {
  std::string name;
  OutcomeCounts counts;
};

struct CampaignSummary {
  CampaignHeader header;
  size_t files = 0;
  long expected = 0, present = 0, missing = 0;
  std::vector<long> firstMissing;  // up to kShownMissing indices, ascending
  long duplicates = 0;
  OutcomeCounts overall;  // percentages are taken of `present`
  long pruned = 0;
  // Kind/effect of the first injection ("(none)" without injections), sorted by name.
  std::vector<BreakdownRow> byKind, byEffect;
  FaultFreeRuns faultFree;                     // summed over the files
  long sdc = 0;
  double meanWrongSdc = 0;  // mean number of wrong outputs per SDC
  Wide maxAbsErrorSdc = 0;
};
inline constexpr size_t kShownMissing = 10;

CampaignSummary summarize(const CampaignData& data);
std::string formatReport(const CampaignSummary& s);
nlohmann::json toJson(const CampaignSummary& s);

// CSV "fault_index,outcome,batch_row,output_channel,delta": one row per wrong output element
// of every non-masked fault, by fault index.
void writeFaultPatterns(const CampaignData& data, std::ostream& out);

}  // namespace ftaccel::fault
