// Campaign result shards: line-by-line reading with file:line errors, merging by fault index,
// the outcome summary and its text/JSON forms, and the fault-pattern CSV.
#include "fault/CampaignReport.h"

#include <climits>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ftaccel::fault {

namespace fs = std::filesystem;
using nlohmann::json;

long OutcomeCounts::total() const {
  long t = 0;
  for (long v : n) t += v;
  return t;
}

namespace {

using contract::RecordError;
using contract::detail::bad;

// The identity fields in which two headers differ, each with both values.
std::vector<std::string> identityDifferences(const CampaignHeader& a, const CampaignHeader& b) {
  std::vector<std::string> out;
  auto cmp = [&](const char* name, const json& x, const json& y) {
    if (x != y) out.push_back(fmt::format("{} {} vs {}", name, x.dump(), y.dump()));
  };
  cmp("config_hash", a.configHash, b.configHash);
  cmp("model", a.model, b.model);
  cmp("faults", a.faults, b.faults);
  cmp("seed", a.seed, b.seed);
  cmp("workload", a.workload, b.workload);
  cmp("shard count", a.shardCount, b.shardCount);
  cmp("tolerance", a.modelOptions.tolerance, b.modelOptions.tolerance);  // the suppressed rule
  cmp("recompute_on_alarm", a.modelOptions.recompute, b.modelOptions.recompute);
  return out;
}

// The record through the schema, then what only the header can tell: index range and shard.
FaultRecord parseFault(const json& j, const CampaignHeader& h) {
  FaultRecord r = j.get<FaultRecord>();
  if (r.index < 0 || r.index >= h.faults)
    bad("campaign.index-range",
        fmt::format("fault index {} is out of range; allowed: 0..{}", j.at("index").dump(), h.faults - 1));
  if (r.index % h.shardCount != h.shard)
    bad("campaign.wrong-shard", fmt::format("fault index {} does not belong to shard [{},{}]", r.index,
                                            h.shard, h.shardCount));
  return r;
}

// Names the first field in which two records for the same index differ.
std::string firstDifference(const FaultRecord& a, const FaultRecord& b) {
  if (a.outcome != b.outcome) return fmt::format("outcome {} vs {}", toString(a.outcome), toString(b.outcome));
  if (a.injections != b.injections) return "injections differ";
  if (a.errors != b.errors || a.wrong != b.wrong) return "errors differ";
  if (a.pruned != b.pruned) return "pruned differs";
  if (a.simCycles != b.simCycles) return "sim_cycles differs";
  if (a.alarms != b.alarms) return "alarms differ";
  if (a.missingResults != b.missingResults || a.extraResults != b.extraResults)
    return "missing/extra results differ";
  if (a.converged != b.converged) return "converged differs";
  if (a.analytic != b.analytic) return "analytic differs";
  return "timing_errors or pruning_violation differ";
}

// Reads files one after the other into one CampaignData, collecting errors.
class Reader {
 public:
  explicit Reader(diag::DiagnosticBag& warnings) : warnings_(warnings) {}

  void read(const fs::path& path);

  CampaignData finish() {
    if (tooMany()) errors_.error("campaign.too-many", std::nullopt, "too many errors; stopped reading");
    if (errors_.hasErrors()) throw diag::DiagnosticError(errors_);
    return std::move(data_);
  }

 private:
  static constexpr size_t kMaxErrors = 20;
  struct Where {
    size_t file;
    int line;
  };

  diag::Location loc(size_t file, int line, int column = 0) const {
    return {data_.files[file].string(), line, column};
  }
  bool tooMany() const { return errors_.items().size() >= kMaxErrors; }
  void adopt(const CampaignHeader& h, size_t file);
  void merge(FaultRecord r, size_t file, int line);

  diag::DiagnosticBag& warnings_;
  diag::DiagnosticBag errors_;
  CampaignData data_;
  std::optional<size_t> headerFile_;  // the file whose header defines the campaign
  std::map<long, Where> firstSeen_;   // where each index was read first, for conflicts
};

void Reader::adopt(const CampaignHeader& h, size_t file) {
  if (!headerFile_) {
    data_.header = h;
    headerFile_ = file;
    return;
  }
  std::vector<std::string> diffs = identityDifferences(data_.header, h);
  if (!diffs.empty())
    bad("campaign.mismatch", fmt::format("belongs to a different campaign than {}: {}",
                                         data_.files[*headerFile_].string(), fmt::join(diffs, "; ")));
}

void Reader::merge(FaultRecord r, size_t file, int line) {
  const long index = r.index;
  auto it = data_.faults.find(index);
  if (it == data_.faults.end()) {
    firstSeen_[index] = {file, line};
    data_.faults.emplace(index, std::move(r));
    return;
  }
  if (it->second == r) {  // the same record twice (e.g. a shard file given twice)
    ++data_.duplicates;
    return;
  }
  const Where w = firstSeen_.at(r.index);
  bad("campaign.conflict", fmt::format("fault {} conflicts with the record at {}:{} ({})", r.index,
                                       data_.files[w.file].string(), w.line, firstDifference(it->second, r)));
}

void Reader::read(const fs::path& path) {
  const size_t file = data_.files.size();
  data_.files.push_back(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors_.error("campaign.unreadable", loc(file, 0), "cannot open the file");
    return;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  std::optional<CampaignHeader> header;
  bool faultFreeSeen = false;
  size_t pos = 0;
  int lineNo = 0;
  while (pos < text.size() && !tooMany()) {
    ++lineNo;
    const size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) {
      // A killed run leaves its last record cut off; a resumed run truncates it, so do we.
      ++data_.truncatedLines;
      warnings_.warning("campaign.truncated-line", loc(file, lineNo),
                        "the last line has no newline (cut off by a killed run); ignored");
      break;
    }
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    try {
      const json j = json::parse(line);
      if (!j.is_object()) bad("campaign.bad-json", "each line must be a JSON object");
      if (lineNo == 1) {
        header = j.get<CampaignHeader>();
        adopt(*header, file);
        continue;
      }
      const std::string type = contract::detail::stringField(j, "type");
      if (type == "fault") {
        merge(parseFault(j, *header), file, lineNo);
      } else if (type == "fault_free") {
        if (faultFreeSeen) bad("campaign.bad-record", "a second fault_free line (there is one per file)");
        faultFreeSeen = true;
        data_.faultFree.push_back(j.get<FaultFreeRuns>());
      } else if (type == "header") {
        bad("campaign.bad-record", "a second header line");
      } else {
        bad("campaign.bad-type", fmt::format("unknown record type '{}'; expected fault or fault_free", type));
      }
    } catch (const json::parse_error& e) {
      // Keep nlohmann's explanation; drop its "[json.exception...] parse error at line 1,
      // column N: " prefix, which the location already says.
      std::string what = e.what();
      if (size_t p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
      if (what.rfind("parse error at", 0) == 0)
        if (size_t p = what.find(": "); p != std::string::npos) what.erase(0, p + 2);
      errors_.error("campaign.bad-json", loc(file, lineNo, static_cast<int>(e.byte)), "malformed JSON: " + what);
      if (lineNo == 1) return;  // without a header the rest cannot be checked
    } catch (const json::out_of_range& e) {
      // A number beyond what JSON numbers parse to (1e999): malformed as well.
      std::string what = e.what();
      if (size_t p = what.find("] "); p != std::string::npos) what.erase(0, p + 2);
      errors_.error("campaign.bad-json", loc(file, lineNo), "malformed JSON: " + what);
      if (lineNo == 1) return;
    } catch (const RecordError& e) {
      errors_.error(e.code, loc(file, lineNo), e.what());
      if (lineNo == 1) return;
    }
  }
  if (!header) errors_.error("campaign.no-header", loc(file, 1), "the file has no complete header line");
}

// ---- report ----

double percent(long part, long whole) { return whole > 0 ? 100.0 * static_cast<double>(part) / whole : 0.0; }

// Aligns rows of cells: the first column left, the others right; row 0 is the heading.
std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c)
      line += c == 0 ? fmt::format("{:<{}}", row[c], width[c]) : fmt::format("  {:>{}}", row[c], width[c]);
    out += line + "\n";
  }
  return out;
}

std::string pct(long part, long whole) { return fmt::format("{:.2f}", percent(part, whole)); }

std::string breakdownTable(const char* heading, const std::vector<BreakdownRow>& rows) {
  std::vector<std::vector<std::string>> cells{{heading, "faults"}};
  for (Outcome o : kOutcomes) cells[0].emplace_back(toString(o));
  cells[0].emplace_back("sdc %");
  for (const BreakdownRow& r : rows) {
    std::vector<std::string> line{r.name, std::to_string(r.counts.total())};
    for (Outcome o : kOutcomes) line.push_back(std::to_string(r.counts[o]));
    line.push_back(pct(r.counts[Outcome::Sdc], r.counts.total()));
    cells.push_back(std::move(line));
  }
  return table(cells);
}

json breakdownJson(const std::vector<BreakdownRow>& rows) {
  json out = json::object();
  for (const BreakdownRow& r : rows) {
    json& e = out[r.name];
    for (Outcome o : kOutcomes) e[std::string(toString(o))] = r.counts[o];
    e["total"] = r.counts.total();
  }
  return out;
}

std::vector<BreakdownRow> toRows(const std::map<std::string, OutcomeCounts>& m) {
  std::vector<BreakdownRow> rows;
  for (const auto& [name, counts] : m) rows.push_back({name, counts});
  return rows;
}

}  // namespace

CampaignData readCampaignFiles(const std::vector<fs::path>& files, diag::DiagnosticBag& warnings) {
  Reader reader(warnings);
  for (const fs::path& f : files) reader.read(f);
  return reader.finish();
}

CampaignSummary summarize(const CampaignData& d) {
  CampaignSummary s;
  s.header = d.header;
  s.files = d.files.size();
  s.expected = d.header.faults;
  s.present = static_cast<long>(d.faults.size());
  s.missing = s.expected - s.present;
  s.duplicates = d.duplicates;

  // The first missing indices are the gaps before, between and after the present ones.
  long next = 0;
  for (const auto& entry : d.faults) {
    for (; next < entry.first && s.firstMissing.size() < kShownMissing; ++next) s.firstMissing.push_back(next);
    next = entry.first + 1;
  }
  for (; next < s.expected && s.firstMissing.size() < kShownMissing; ++next) s.firstMissing.push_back(next);

  std::map<std::string, OutcomeCounts> kinds, effects;
  long sdcWrong = 0;
  for (const auto& [index, r] : d.faults) {
    ++s.overall[r.outcome];
    s.pruned += r.pruned;
    s.analytic += r.analytic;
    s.converged += r.converged;
    s.hung += r.missingResults > 0;
    s.extra += r.extraResults > 0;
    s.violations += r.pruningViolation;
    const bool any = !r.injections.empty();
    ++kinds[any ? r.injections.front().kind : "(none)"][r.outcome];
    ++effects[any ? r.injections.front().effect : "(none)"][r.outcome];
    if (r.recomputed) {
      const bool wrong = r.wrong > 0 || r.missingResults > 0 || r.extraResults > 0;
      ++s.recompute.runs;
      s.recompute.needless += !wrong;
      s.recompute.corrected += wrong && r.recomputeWrong == 0;
      s.recompute.stillWrong += r.recomputeWrong > 0;
    }
    if (r.outcome == Outcome::Sdc) {
      ++s.sdc;
      sdcWrong += r.wrong;
      s.maxAbsErrorSdc = std::max(s.maxAbsErrorSdc, r.maxAbsError);
    }
  }
  s.byKind = toRows(kinds);
  s.byEffect = toRows(effects);
  s.meanWrongSdc = s.sdc > 0 ? static_cast<double>(sdcWrong) / s.sdc : 0.0;
  for (const FaultFreeRuns& f : d.faultFree) {
    s.faultFree.runs += f.runs;
    s.faultFree.falseAlarms += f.falseAlarms;
    s.faultFree.mismatches += f.mismatches;
  }
  return s;
}

std::string formatReport(const CampaignSummary& s) {
  const CampaignHeader& h = s.header;
  std::string out = fmt::format("campaign   {} ({} {}x{}), model {}, seed {}, config {}\n", h.ip, h.dataflow,
                                h.rows, h.cols, h.model, h.seed, h.configHash);
  out += fmt::format("files      {} ({} shard{}), {} identical duplicate record{} merged\n", s.files,
                     h.shardCount, h.shardCount == 1 ? "" : "s", s.duplicates, s.duplicates == 1 ? "" : "s");
  out += fmt::format("faults     {} expected, {} present, {} missing", s.expected, s.present, s.missing);
  if (s.missing > 0)
    out += fmt::format(" (first: {}{})", fmt::join(s.firstMissing, ", "),
                       s.missing > static_cast<long>(s.firstMissing.size()) ? ", ..." : "");
  out += fmt::format("\nfault-free {} runs, {} false alarms, {} mismatches\n\n", s.faultFree.runs,
                     s.faultFree.falseAlarms, s.faultFree.mismatches);

  std::vector<std::vector<std::string>> outcomes{{"outcome", "faults", "%"}};
  for (Outcome o : kOutcomes)
    outcomes.push_back({std::string(toString(o)), std::to_string(s.overall[o]), pct(s.overall[o], s.present)});
  outcomes.push_back({"total", std::to_string(s.present), pct(s.present, s.present)});
  outcomes.push_back({"pruned", std::to_string(s.pruned), pct(s.pruned, s.present)});
  outcomes.push_back({"analytic", std::to_string(s.analytic), pct(s.analytic, s.present)});
  outcomes.push_back({"converged", std::to_string(s.converged), pct(s.converged, s.present)});
  out += table(outcomes) + "\n";
  out += breakdownTable("site kind", s.byKind) + "\n";
  out += breakdownTable("effect", s.byEffect) + "\n";
  out += fmt::format("SDCs       {}: mean {:.2f} wrong outputs each, max |error| {}\n", s.sdc, s.meanWrongSdc,
                     golden::toString(s.maxAbsErrorSdc));
  if (h.modelOptions.recompute) {
    const long left = s.sdc + s.recompute.stillWrong;
    out += fmt::format("recompute  on alarm: {} recomputations ({} corrected a wrong batch, {} after an alarm on "
                       "correct results, {} still wrong); SDCs left after detection and recomputation: {} ({} %)\n",
                       s.recompute.runs, s.recompute.corrected, s.recompute.needless, s.recompute.stillWrong, left,
                       pct(left, s.present));
  }
  out += fmt::format("hangs      {} with missing results, {} with extra results\n", s.hung, s.extra);
  if (s.violations > 0)
    out += fmt::format("PRUNING VIOLATIONS: {} records say a shortcut disagreed with simulation\n", s.violations);
  return out;
}

json toJson(const CampaignSummary& s) {
  const CampaignHeader& h = s.header;
  json j;
  j["ip"] = h.ip;
  j["dataflow"] = h.dataflow;
  j["rows"] = h.rows;
  j["cols"] = h.cols;
  j["config_hash"] = h.configHash;
  j["model"] = h.model;
  j["seed"] = h.seed;
  j["workload"] = h.workload;
  j["shards"] = h.shardCount;
  j["files"] = s.files;
  j["faults_expected"] = s.expected;
  j["faults_present"] = s.present;
  j["faults_missing"] = s.missing;
  j["first_missing"] = s.firstMissing;
  j["duplicates"] = s.duplicates;
  for (Outcome o : kOutcomes)
    j["outcomes"][std::string(toString(o))] = {{"count", s.overall[o]}, {"percent", percent(s.overall[o], s.present)}};
  j["pruned"] = {{"count", s.pruned}, {"percent", percent(s.pruned, s.present)}};
  j["analytic"] = {{"count", s.analytic}, {"percent", percent(s.analytic, s.present)}};
  j["converged"] = {{"count", s.converged}, {"percent", percent(s.converged, s.present)}};
  j["missing_results"] = s.hung;
  j["extra_results"] = s.extra;
  j["pruning_violations"] = s.violations;
  j["by_kind"] = breakdownJson(s.byKind);
  j["by_effect"] = breakdownJson(s.byEffect);
  j["fault_free"] = {{"runs", s.faultFree.runs},
                     {"false_alarms", s.faultFree.falseAlarms},
                     {"mismatches", s.faultFree.mismatches}};
  j["sdc"] = {{"count", s.sdc},
              {"mean_wrong", s.meanWrongSdc},
              {"max_abs_error", contract::wideJson(s.maxAbsErrorSdc)}};
  if (h.modelOptions.recompute)
    j["recompute"] = {{"runs", s.recompute.runs},
                      {"corrected", s.recompute.corrected},
                      {"needless", s.recompute.needless},
                      {"still_wrong", s.recompute.stillWrong},
                      {"sdc_after", s.sdc + s.recompute.stillWrong}};
  return j;
}

void writeFaultPatterns(const CampaignData& data, std::ostream& out) {
  out << "fault_index,outcome,batch_row,output_channel,delta\n";
  for (const auto& [index, r] : data.faults) {
    if (r.outcome == Outcome::Masked) continue;
    for (const OutputError& e : r.errors)
      out << fmt::format("{},{},{},{},{}\n", index, toString(r.outcome), e.batchRow, e.outputChannel,
                         golden::toString(e.delta));
  }
}

}  // namespace ftaccel::fault
