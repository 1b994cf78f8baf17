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

#include "contract/CampaignRecordJson.h"
#include "diag/Diagnostics.h"
#include "golden/GoldenModel.h"

namespace ftaccel::fault {

// The line structs are the schema shared with the writer (contract/CampaignRecord.h).
// Deltas and error magnitudes are exact: acc_bits may exceed 64 (up to 96).
using Wide = golden::Wide;
using contract::kOutcomes;
using contract::Outcome;
using contract::toString;
using CampaignHeader = contract::CampaignHeader;
using Injection = contract::RecordInjection;
using OutputError = contract::OutputError;
using FaultRecord = contract::FaultRecord;
using FaultFreeRuns = contract::FaultFreeRecord;

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
  long pruned = 0;         // classified from the live window without simulation
  long analytic = 0;       // classified by the stationary-register rule without simulation
  long converged = 0;      // simulated and stopped early: the state equalled the reference
  long hung = 0;           // with results that never came (missing_results > 0)
  long extra = 0;          // with results beyond the workload (extra_results > 0)
  long violations = 0;     // pruning_violation (--verify-pruned found a wrong shortcut)
  // Kind/effect of the first injection ("(none)" without injections), sorted by name.
  std::vector<BreakdownRow> byKind, byEffect;
  FaultFreeRuns faultFree;                     // summed over the files
  // --recompute-on-alarm: every detected run re-ran fault-free. corrected: it had wrong results
  // and the re-run was right; needless: its results were right (an alarm on correct results);
  // stillWrong: the re-run was wrong too. SDCs left after detection + recomputation:
  // sdc + stillWrong.
  struct Recompute {
    long runs = 0, corrected = 0, needless = 0, stillWrong = 0;
  } recompute;
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
