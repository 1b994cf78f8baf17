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

std::string_view toString(Outcome o) {
  switch (o) {
    case Outcome::Masked: return "masked";
    case Outcome::Detected: return "detected";
    case Outcome::Suppressed: return "suppressed";
    case Outcome::Sdc: return "sdc";
  }
  return "?";
}

long OutcomeCounts::total() const {
  long t = 0;
  for (long v : n) t += v;
  return t;
}

namespace {

// A problem with the line being read; the reader adds file:line.
struct LineError {
  std::string code, message;
};

[[noreturn]] void bad(std::string code, std::string message) {
  throw LineError{std::move(code), std::move(message)};
}

// ---- typed field access; every failure names the field ----

const json& field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) bad("campaign.missing-field", fmt::format("missing field '{}'", key));
  return *it;
}

long integer(const json& v, const std::string& what, long lo, long hi) {
  if (!v.is_number_integer()) bad("campaign.bad-field", fmt::format("{} must be an integer", what));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(LONG_MAX))
    bad("campaign.bad-field", fmt::format("{} {} is out of range", what, v.dump()));
  const long x = v.get<long>();
  if (x < lo || x > hi)
    bad("campaign.bad-field", fmt::format("{} {} is out of range; allowed: {}..{}", what, x, lo, hi));
  return x;
}

long intField(const json& obj, const char* key, long lo = 0, long hi = LONG_MAX) {
  return integer(field(obj, key), fmt::format("'{}'", key), lo, hi);
}

long optIntField(const json& obj, const char* key, long fallback) {
  return obj.contains(key) ? intField(obj, key) : fallback;
}

std::string stringField(const json& obj, const char* key) {
  const json& v = field(obj, key);
  if (!v.is_string()) bad("campaign.bad-field", fmt::format("'{}' must be a string", key));
  return v.get<std::string>();
}

std::string optStringField(const json& obj, const char* key) {
  return obj.contains(key) ? stringField(obj, key) : std::string();
}

std::vector<std::string> optStringList(const json& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const json& v = obj.at(key);
  if (!v.is_array()) bad("campaign.bad-field", fmt::format("'{}' must be an array of strings", key));
  for (const json& e : v) {
    if (!e.is_string()) bad("campaign.bad-field", fmt::format("'{}' must be an array of strings", key));
    out.push_back(e.get<std::string>());
  }
  return out;
}

// Exact integer: a JSON integer, or a decimal string for values beyond 53 bits.
Wide wideValue(const json& v, const std::string& what) {
  if (v.is_number_unsigned()) return static_cast<Wide>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<Wide>(v.get<int64_t>());
  if (!v.is_string())
    bad("campaign.bad-field", fmt::format("{} must be an integer or a decimal string", what));
  const std::string s = v.get<std::string>();
  const bool neg = !s.empty() && s[0] == '-';
  const size_t start = neg ? 1 : 0;
  if (s.size() == start) bad("campaign.bad-field", fmt::format("{} '{}' is not a decimal integer", what, s));
  const golden::UWide limit = ~golden::UWide{0} >> 1;  // |v| <= 2^127-1
  golden::UWide mag = 0;
  for (size_t i = start; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9')
      bad("campaign.bad-field", fmt::format("{} '{}' is not a decimal integer", what, s));
    const unsigned d = static_cast<unsigned>(s[i] - '0');
    if (mag > (limit - d) / 10) bad("campaign.bad-field", fmt::format("{} '{}' exceeds 127 bits", what, s));
    mag = mag * 10 + d;
  }
  const Wide w = static_cast<Wide>(mag);
  return neg ? -w : w;
}

Wide absWide(Wide v) { return v < 0 ? -v : v; }

// The format's own encoding: a JSON number when it fits in 53 bits, else a decimal string.
json wideJson(Wide v) {
  if (absWide(v) < (Wide{1} << 53)) return static_cast<int64_t>(v);
  return golden::toString(v);
}

Outcome parseOutcome(const std::string& s) {
  for (Outcome o : kOutcomes)
    if (s == toString(o)) return o;
  bad("campaign.bad-field",
      fmt::format("unknown outcome '{}'; expected masked, detected, suppressed or sdc", s));
}

// ---- records ----

CampaignHeader parseHeader(const json& j) {
  if (!j.contains("type") || j["type"] != "header")
    bad("campaign.no-header", "line 1 must be the campaign header (\"type\":\"header\")");
  if (stringField(j, "format") != "ftaccel-campaign")
    bad("campaign.no-header", "'format' must be \"ftaccel-campaign\"");
  if (long v = intField(j, "version"); v != 1)
    bad("campaign.version", fmt::format("format version {} is not supported; this ftaccel reads version 1", v));
  CampaignHeader h;
  h.configHash = stringField(j, "config_hash");
  h.model = stringField(j, "model");
  h.faults = intField(j, "faults", 1);
  h.seed = integer(field(j, "seed"), "'seed'", LONG_MIN, LONG_MAX);
  const json& shard = field(j, "shard");
  if (!shard.is_array() || shard.size() != 2) bad("campaign.bad-field", "'shard' must be [index, count]");
  h.shardCount = static_cast<int>(integer(shard[1], "shard count", 1, INT_MAX));
  h.shard = static_cast<int>(integer(shard[0], "shard index", 0, h.shardCount - 1));
  h.workload = field(j, "workload");
  if (!h.workload.is_object()) bad("campaign.bad-field", "'workload' must be an object");
  h.ip = optStringField(j, "ip");
  h.dataflow = optStringField(j, "dataflow");
  h.engine = optStringField(j, "engine");
  h.rows = static_cast<int>(optIntField(j, "rows", 0));
  h.cols = static_cast<int>(optIntField(j, "cols", 0));
  h.alarms = optStringList(j, "alarms");
  return h;
}

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
  return out;
}

Injection parseInjection(const json& e) {
  if (!e.is_object()) bad("campaign.bad-field", "each injection must be an object");
  Injection x;
  if (!e.contains("site") || !e["site"].is_null()) x.site = stringField(e, "site");
  x.kind = stringField(e, "kind");
  x.effect = stringField(e, "effect");
  if (e.contains("pe") && !e["pe"].is_null()) {
    const json& pe = e["pe"];
    if (!pe.is_array() || pe.size() != 2) bad("campaign.bad-field", "'pe' must be [row, col] or null");
    x.pe = std::array<int, 2>{static_cast<int>(integer(pe[0], "pe row", 0, INT_MAX)),
                              static_cast<int>(integer(pe[1], "pe column", 0, INT_MAX))};
  }
  if (e.contains("bits")) {
    if (!e["bits"].is_array()) bad("campaign.bad-field", "'bits' must be an array");
    for (const json& b : e["bits"]) x.bits.push_back(static_cast<int>(integer(b, "bit", 0, INT_MAX)));
  }
  x.cycle = optIntField(e, "cycle", 0);
  if (!e.contains("last_cycle"))
    x.lastCycle = x.cycle;
  else if (!e["last_cycle"].is_null())
    x.lastCycle = intField(e, "last_cycle");
  return x;
}

FaultRecord parseFault(const json& j, const CampaignHeader& h) {
  FaultRecord r;
  const json& index = field(j, "index");
  if (!index.is_number_integer()) bad("campaign.bad-field", "'index' must be an integer");
  r.index = index.is_number_unsigned() && index.get<uint64_t>() > static_cast<uint64_t>(LONG_MAX)
                ? LONG_MAX
                : index.get<long>();
  if (r.index < 0 || r.index >= h.faults)
    bad("campaign.index-range",
        fmt::format("fault index {} is out of range; allowed: 0..{}", index.dump(), h.faults - 1));
  if (r.index % h.shardCount != h.shard)
    bad("campaign.wrong-shard", fmt::format("fault index {} does not belong to shard [{},{}]", r.index,
                                            h.shard, h.shardCount));
  r.outcome = parseOutcome(stringField(j, "outcome"));
  if (j.contains("pruned")) {
    if (!j["pruned"].is_boolean()) bad("campaign.bad-field", "'pruned' must be true or false");
    r.pruned = j["pruned"].get<bool>();
  }
  r.simCycles = optIntField(j, "sim_cycles", 0);
  const json& inj = field(j, "injections");
  if (!inj.is_array()) bad("campaign.bad-field", "'injections' must be an array");
  for (const json& e : inj) r.injections.push_back(parseInjection(e));
  if (j.contains("errors")) {
    if (!j["errors"].is_array()) bad("campaign.bad-field", "'errors' must be an array");
    for (const json& e : j["errors"]) {
      if (!e.is_array() || e.size() != 3)
        bad("campaign.bad-field", "each error must be [batch_row, output_channel, delta]");
      OutputError oe{integer(e[0], "batch_row", 0, LONG_MAX), integer(e[1], "output_channel", 0, LONG_MAX),
                     wideValue(e[2], "delta")};
      if (oe.delta == 0) bad("campaign.inconsistent", "an error element has delta 0");
      r.maxAbsError = std::max(r.maxAbsError, absWide(oe.delta));
      r.errors.push_back(oe);
    }
  }
  // The redundant fields must agree with the list; a disagreement means a broken writer.
  // `wrong` may exceed the list: results that never came (a hang) count as wrong too.
  r.wrong = j.contains("wrong") ? intField(j, "wrong") : static_cast<long>(r.errors.size());
  if (r.wrong < static_cast<long>(r.errors.size()))
    bad("campaign.inconsistent",
        fmt::format("'wrong' is {} but 'errors' lists {} elements", r.wrong, r.errors.size()));
  if (j.contains("max_abs_error") && wideValue(j["max_abs_error"], "'max_abs_error'") != r.maxAbsError)
    bad("campaign.inconsistent", fmt::format("'max_abs_error' is {} but the largest |delta| is {}",
                                             j["max_abs_error"].dump(), golden::toString(r.maxAbsError)));
  if (r.outcome == Outcome::Masked && r.wrong > 0)
    bad("campaign.inconsistent", "a masked fault cannot have wrong outputs");
  r.alarms = optStringList(j, "alarms");
  return r;
}

// Names the first field in which two records for the same index differ.
std::string firstDifference(const FaultRecord& a, const FaultRecord& b) {
  if (a.outcome != b.outcome) return fmt::format("outcome {} vs {}", toString(a.outcome), toString(b.outcome));
  if (a.injections != b.injections) return "injections differ";
  if (a.errors != b.errors || a.wrong != b.wrong) return "errors differ";
  if (a.pruned != b.pruned) return "pruned differs";
  if (a.simCycles != b.simCycles) return "sim_cycles differs";
  return "alarms differ";
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
        header = parseHeader(j);
        adopt(*header, file);
        continue;
      }
      const std::string type = stringField(j, "type");
      if (type == "fault") {
        merge(parseFault(j, *header), file, lineNo);
      } else if (type == "fault_free") {
        if (faultFreeSeen) bad("campaign.bad-record", "a second fault_free line (there is one per file)");
        faultFreeSeen = true;
        data_.faultFree.push_back({intField(j, "runs"), intField(j, "false_alarms"), intField(j, "mismatches")});
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
    } catch (const LineError& e) {
      errors_.error(e.code, loc(file, lineNo), e.message);
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
    const bool any = !r.injections.empty();
    ++kinds[any ? r.injections.front().kind : "(none)"][r.outcome];
    ++effects[any ? r.injections.front().effect : "(none)"][r.outcome];
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
  out += table(outcomes) + "\n";
  out += breakdownTable("site kind", s.byKind) + "\n";
  out += breakdownTable("effect", s.byEffect) + "\n";
  out += fmt::format("SDCs       {}: mean {:.2f} wrong outputs each, max |error| {}\n", s.sdc, s.meanWrongSdc,
                     golden::toString(s.maxAbsErrorSdc));
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
  j["by_kind"] = breakdownJson(s.byKind);
  j["by_effect"] = breakdownJson(s.byEffect);
  j["fault_free"] = {{"runs", s.faultFree.runs},
                     {"false_alarms", s.faultFree.falseAlarms},
                     {"mismatches", s.faultFree.mismatches}};
  j["sdc"] = {{"count", s.sdc}, {"mean_wrong", s.meanWrongSdc}, {"max_abs_error", wideJson(s.maxAbsErrorSdc)}};
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
