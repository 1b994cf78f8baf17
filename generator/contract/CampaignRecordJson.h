// JSON mapping of the campaign results schema (CampaignRecord.h): typed field access, the
// to_json/from_json of every line and the one writer of each line. Standard C++ and
// nlohmann-json: compiled on both sides.
#pragma once

#include <climits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/CampaignRecord.h"

namespace ftaccel::contract {

// ---- typed field access; every failure names the field ------------------------------------

namespace detail {

[[noreturn]] inline void bad(std::string code, const std::string& message) {
  throw RecordError(std::move(code), message);
}

inline const nlohmann::json& field(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) bad("campaign.missing-field", std::string("missing field '") + key + "'");
  return *it;
}

inline long integer(const nlohmann::json& v, const std::string& what, long lo, long hi) {
  if (!v.is_number_integer()) bad("campaign.bad-field", what + " must be an integer");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(LONG_MAX))
    bad("campaign.bad-field", what + " " + v.dump() + " is out of range");
  const long x = v.get<long>();
  if (x < lo || x > hi)
    bad("campaign.bad-field", what + " " + std::to_string(x) + " is out of range; allowed: " + std::to_string(lo) +
                                  ".." + std::to_string(hi));
  return x;
}

inline long intField(const nlohmann::json& obj, const char* key, long lo = 0, long hi = LONG_MAX) {
  return integer(field(obj, key), std::string("'") + key + "'", lo, hi);
}

inline long optIntField(const nlohmann::json& obj, const char* key, long fallback) {
  return obj.contains(key) ? intField(obj, key) : fallback;
}

inline uint64_t unsignedField(const nlohmann::json& obj, const char* key) {
  const nlohmann::json& v = field(obj, key);
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  return static_cast<uint64_t>(integer(v, std::string("'") + key + "'", 0, LONG_MAX));
}

inline bool optBoolField(const nlohmann::json& obj, const char* key) {
  if (!obj.contains(key)) return false;
  if (!obj.at(key).is_boolean()) bad("campaign.bad-field", std::string("'") + key + "' must be true or false");
  return obj.at(key).get<bool>();
}

inline std::string stringField(const nlohmann::json& obj, const char* key) {
  const nlohmann::json& v = field(obj, key);
  if (!v.is_string()) bad("campaign.bad-field", std::string("'") + key + "' must be a string");
  return v.get<std::string>();
}

inline std::string optStringField(const nlohmann::json& obj, const char* key) {
  return obj.contains(key) ? stringField(obj, key) : std::string();
}

inline std::vector<std::string> optStringList(const nlohmann::json& obj, const char* key) {
  std::vector<std::string> out;
  if (!obj.contains(key)) return out;
  const nlohmann::json& v = obj.at(key);
  const std::string msg = std::string("'") + key + "' must be an array of strings";
  if (!v.is_array()) bad("campaign.bad-field", msg);
  for (const nlohmann::json& e : v) {
    if (!e.is_string()) bad("campaign.bad-field", msg);
    out.push_back(e.get<std::string>());
  }
  return out;
}

inline Wide absWide(Wide v) { return v < 0 ? -v : v; }

// Exact integer: a JSON integer, or a decimal string for values beyond 53 bits.
inline Wide wideValue(const nlohmann::json& v, const std::string& what) {
  if (v.is_number_unsigned()) return static_cast<Wide>(v.get<uint64_t>());
  if (v.is_number_integer()) return static_cast<Wide>(v.get<int64_t>());
  if (!v.is_string()) bad("campaign.bad-field", what + " must be an integer or a decimal string");
  const std::string s = v.get<std::string>();
  const bool neg = !s.empty() && s[0] == '-';
  const size_t start = neg ? 1 : 0;
  if (s.size() == start) bad("campaign.bad-field", what + " '" + s + "' is not a decimal integer");
  const golden::UWide limit = ~golden::UWide{0} >> 1;  // |v| <= 2^127-1
  golden::UWide mag = 0;
  for (size_t i = start; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') bad("campaign.bad-field", what + " '" + s + "' is not a decimal integer");
    const unsigned d = static_cast<unsigned>(s[i] - '0');
    if (mag > (limit - d) / 10) bad("campaign.bad-field", what + " '" + s + "' exceeds 127 bits");
    mag = mag * 10 + d;
  }
  const Wide w = static_cast<Wide>(mag);
  return neg ? -w : w;
}

inline Outcome parseOutcome(const std::string& s) {
  for (Outcome o : kOutcomes)
    if (s == toString(o)) return o;
  bad("campaign.bad-field", "unknown outcome '" + s + "'; expected masked, detected, suppressed or sdc");
}

}  // namespace detail

// The format's encoding of exact integers: a JSON number when |v| < 2^53, else a decimal string.
template <typename Json = nlohmann::json>
Json wideJson(Wide v) {
  if (detail::absWide(v) < (Wide{1} << 53)) return Json(static_cast<int64_t>(v));
  return Json(golden::toString(v));
}

// ---- header --------------------------------------------------------------------------------

// nlohmann::json keeps keys sorted, which is the header's key order on disk.
inline void to_json(nlohmann::json& j, const ModelOptions& m) {
  j = {{"burst", m.burst},   {"stuck_cycles", m.stuckCycles}, {"multi", m.multi},
       {"inject", m.inject}, {"timing_table", m.timingTable}, {"timing_scale", m.timingScale}};
  if (m.memoryWord) j["memory_word"] = m.memoryWord;
  if (m.memoryBer > 0) j["memory_ber"] = m.memoryBer;
  if (!m.kinds.empty()) j["kinds"] = m.kinds;
  if (m.tolerance > 0) j["tolerance"] = m.tolerance;
  if (m.recompute) j["recompute_on_alarm"] = true;
}

inline void to_json(nlohmann::json& j, const WorkloadInfo& w) { j = {{"vectors", w.vectors}, {"seed", w.seed}}; }

inline void to_json(nlohmann::json& j, const CampaignHeader& h) {
  j = {{"type", "header"},
       {"format", "ftaccel-campaign"},
       {"version", 1},
       {"ip", h.ip},
       {"config_hash", h.configHash},
       {"dataflow", h.dataflow},
       {"rows", h.rows},
       {"cols", h.cols},
       {"data_bits", h.dataBits},
       {"acc_bits", h.accBits},
       {"model", h.model},
       {"faults", h.faults},
       {"seed", h.seed},
       {"shard", {h.shard, h.shardCount}},
       {"engine", h.engine},
       {"model_options", h.modelOptions},
       {"workload", h.workload},
       {"alarms", h.alarms},
       {"sites", h.sites},
       {"site_bits", h.siteBits},
       {"window_cycles", h.windowCycles}};
}

// Required: the identity fields; the descriptive ones default (hand-written or older files).
inline void from_json(const nlohmann::json& j, CampaignHeader& h) {
  using namespace detail;
  if (!j.contains("type") || j["type"] != "header")
    bad("campaign.no-header", "line 1 must be the campaign header (\"type\":\"header\")");
  if (stringField(j, "format") != "ftaccel-campaign")
    bad("campaign.no-header", "'format' must be \"ftaccel-campaign\"");
  if (long v = intField(j, "version"); v != 1)
    bad("campaign.version",
        "format version " + std::to_string(v) + " is not supported; this ftaccel reads version 1");
  h = CampaignHeader{};
  h.configHash = stringField(j, "config_hash");
  h.model = stringField(j, "model");
  h.faults = intField(j, "faults", 1);
  h.seed = unsignedField(j, "seed");
  const nlohmann::json& shard = field(j, "shard");
  if (!shard.is_array() || shard.size() != 2) bad("campaign.bad-field", "'shard' must be [index, count]");
  h.shardCount = static_cast<int>(integer(shard[1], "shard count", 1, INT_MAX));
  h.shard = static_cast<int>(integer(shard[0], "shard index", 0, h.shardCount - 1));
  const nlohmann::json& w = field(j, "workload");
  if (!w.is_object()) bad("campaign.bad-field", "'workload' must be an object");
  h.workload = {intField(w, "vectors"), unsignedField(w, "seed")};
  h.ip = optStringField(j, "ip");
  h.dataflow = optStringField(j, "dataflow");
  h.engine = optStringField(j, "engine");
  h.rows = static_cast<int>(optIntField(j, "rows", 0));
  h.cols = static_cast<int>(optIntField(j, "cols", 0));
  h.dataBits = static_cast<int>(optIntField(j, "data_bits", 0));
  h.accBits = static_cast<int>(optIntField(j, "acc_bits", 0));
  h.alarms = optStringList(j, "alarms");
  if (j.contains("model_options")) {
    const nlohmann::json& m = j["model_options"];
    if (!m.is_object()) bad("campaign.bad-field", "'model_options' must be an object");
    h.modelOptions.burst = static_cast<int>(optIntField(m, "burst", 0));
    h.modelOptions.stuckCycles = optIntField(m, "stuck_cycles", 0);
    h.modelOptions.multi = static_cast<int>(optIntField(m, "multi", 1));
    h.modelOptions.inject = optStringField(m, "inject");
    h.modelOptions.timingTable = optStringField(m, "timing_table");
    h.modelOptions.kinds = optStringField(m, "kinds");
    if (m.contains("timing_scale")) {
      if (!m["timing_scale"].is_number()) bad("campaign.bad-field", "'timing_scale' must be a number");
      h.modelOptions.timingScale = m["timing_scale"].get<double>();
    }
    h.modelOptions.memoryWord = static_cast<int>(optIntField(m, "memory_word", 0));
    h.modelOptions.tolerance = optIntField(m, "tolerance", 0);
    h.modelOptions.recompute = optBoolField(m, "recompute_on_alarm");
    if (m.contains("memory_ber")) {
      if (!m["memory_ber"].is_number()) bad("campaign.bad-field", "'memory_ber' must be a number");
      h.modelOptions.memoryBer = m["memory_ber"].get<double>();
    }
  }
  h.sites = optIntField(j, "sites", 0);
  h.siteBits = optIntField(j, "site_bits", 0);
  h.windowCycles = optIntField(j, "window_cycles", 0);
}

// ---- fault-free line -----------------------------------------------------------------------

inline void to_json(nlohmann::ordered_json& j, const FaultFreeRecord& f) {
  j = {{"type", "fault_free"}, {"runs", f.runs}, {"false_alarms", f.falseAlarms}, {"mismatches", f.mismatches}};
}

inline void from_json(const nlohmann::json& j, FaultFreeRecord& f) {
  using namespace detail;
  f = {intField(j, "runs"), intField(j, "false_alarms"), intField(j, "mismatches")};
}

// ---- fault lines ---------------------------------------------------------------------------

// Key order on disk: site, id, kind, pe, bits, effect, cycle, last_cycle[, correct, wrong_value].
inline void to_json(nlohmann::ordered_json& j, const RecordInjection& i) {
  using J = nlohmann::ordered_json;
  j = J::object();
  j["site"] = i.site ? J(*i.site) : J(nullptr);
  j["id"] = i.id ? J(*i.id) : J(nullptr);
  j["kind"] = i.kind;
  j["pe"] = i.pe ? J::array({(*i.pe)[0], (*i.pe)[1]}) : J(nullptr);
  j["bits"] = i.bits;
  j["effect"] = i.effect;
  j["cycle"] = i.cycle;
  j["last_cycle"] = i.lastCycle ? J(*i.lastCycle) : J(nullptr);
  if (i.correct) j["correct"] = *i.correct;
  if (i.wrongValue) j["wrong_value"] = *i.wrongValue;
}

inline void from_json(const nlohmann::json& e, RecordInjection& x) {
  using namespace detail;
  if (!e.is_object()) bad("campaign.bad-field", "each injection must be an object");
  x = RecordInjection{};
  if (!e.contains("site") || !e["site"].is_null()) x.site = stringField(e, "site");
  if (e.contains("id") && !e["id"].is_null()) x.id = static_cast<int>(integer(e["id"], "'id'", 0, INT_MAX));
  x.kind = stringField(e, "kind");
  x.effect = stringField(e, "effect");
  if (e.contains("pe") && !e["pe"].is_null()) {
    const nlohmann::json& pe = e["pe"];
    if (!pe.is_array() || pe.size() != 2) bad("campaign.bad-field", "'pe' must be [row, col] or null");
    x.pe = std::array<int, 2>{static_cast<int>(integer(pe[0], "pe row", 0, INT_MAX)),
                              static_cast<int>(integer(pe[1], "pe column", 0, INT_MAX))};
  }
  if (e.contains("bits")) {
    if (!e["bits"].is_array()) bad("campaign.bad-field", "'bits' must be an array");
    for (const nlohmann::json& b : e["bits"]) x.bits.push_back(static_cast<int>(integer(b, "bit", 0, INT_MAX)));
  }
  x.cycle = optIntField(e, "cycle", 0);
  if (!e.contains("last_cycle"))
    x.lastCycle = x.cycle;
  else if (!e["last_cycle"].is_null())
    x.lastCycle = intField(e, "last_cycle");
  if (e.contains("correct")) x.correct = integer(e["correct"], "'correct'", LONG_MIN, LONG_MAX);
  if (e.contains("wrong_value")) x.wrongValue = integer(e["wrong_value"], "'wrong_value'", LONG_MIN, LONG_MAX);
}

inline void to_json(nlohmann::ordered_json& j, const FaultRecord& r) {
  using J = nlohmann::ordered_json;
  j = J::object();
  j["type"] = "fault";
  j["index"] = r.index;
  j["outcome"] = toString(r.outcome);
  j["pruned"] = r.pruned;
  j["sim_cycles"] = r.simCycles;
  j["injections"] = J::array();
  for (const auto& i : r.injections) j["injections"].push_back(J(i));
  j["wrong"] = r.wrong;
  j["max_abs_error"] = wideJson<J>(r.maxAbsError);
  j["errors"] = J::array();
  for (const auto& e : r.errors)
    j["errors"].push_back(J::array({J(e.batchRow), J(e.outputChannel), wideJson<J>(e.delta)}));
  j["missing_results"] = r.missingResults;
  j["extra_results"] = r.extraResults;
  j["converged"] = r.converged;
  j["alarms"] = r.alarms;
  if (r.analytic) j["analytic"] = true;
  if (r.timingErrors) j["timing_errors"] = r.timingErrors;
  if (r.pruningViolation) j["pruning_violation"] = true;
  if (r.parityZeroed) j["parity_zeroed"] = r.parityZeroed;
  if (r.recomputed) {
    j["recomputed"] = true;
    j["recompute_wrong"] = r.recomputeWrong;
  }
}

// Checks the record on its own (the redundant fields must agree with the error list); the
// index range and shard are checked against the header by the reader.
inline void from_json(const nlohmann::json& j, FaultRecord& r) {
  using namespace detail;
  r = FaultRecord{};
  const nlohmann::json& index = field(j, "index");
  if (!index.is_number_integer()) bad("campaign.bad-field", "'index' must be an integer");
  r.index = index.is_number_unsigned() && index.get<uint64_t>() > static_cast<uint64_t>(LONG_MAX)
                ? LONG_MAX
                : index.get<long>();
  r.outcome = parseOutcome(stringField(j, "outcome"));
  r.pruned = optBoolField(j, "pruned");
  r.simCycles = optIntField(j, "sim_cycles", 0);
  const nlohmann::json& inj = field(j, "injections");
  if (!inj.is_array()) bad("campaign.bad-field", "'injections' must be an array");
  for (const nlohmann::json& e : inj) r.injections.push_back(e.get<RecordInjection>());
  if (j.contains("errors")) {
    if (!j["errors"].is_array()) bad("campaign.bad-field", "'errors' must be an array");
    for (const nlohmann::json& e : j["errors"]) {
      if (!e.is_array() || e.size() != 3)
        bad("campaign.bad-field", "each error must be [batch_row, output_channel, delta]");
      OutputError oe{integer(e[0], "batch_row", 0, LONG_MAX), integer(e[1], "output_channel", 0, LONG_MAX),
                     wideValue(e[2], "delta")};
      if (oe.delta == 0) bad("campaign.inconsistent", "an error element has delta 0");
      r.maxAbsError = std::max(r.maxAbsError, absWide(oe.delta));
      r.errors.push_back(oe);
    }
  }
  // `wrong` may exceed the list: results that never came (a hang) count as wrong too.
  r.wrong = j.contains("wrong") ? intField(j, "wrong") : static_cast<long>(r.errors.size());
  if (r.wrong < static_cast<long>(r.errors.size()))
    bad("campaign.inconsistent", "'wrong' is " + std::to_string(r.wrong) + " but 'errors' lists " +
                                     std::to_string(r.errors.size()) + " elements");
  if (j.contains("max_abs_error") && wideValue(j["max_abs_error"], "'max_abs_error'") != r.maxAbsError)
    bad("campaign.inconsistent", "'max_abs_error' is " + j["max_abs_error"].dump() +
                                     " but the largest |delta| is " + golden::toString(r.maxAbsError));
  if (r.outcome == Outcome::Masked && r.wrong > 0)
    bad("campaign.inconsistent", "a masked fault cannot have wrong outputs");
  r.missingResults = optIntField(j, "missing_results", 0);
  r.extraResults = optIntField(j, "extra_results", 0);
  r.converged = optBoolField(j, "converged");
  r.alarms = optStringList(j, "alarms");
  r.analytic = optBoolField(j, "analytic");
  r.timingErrors = optIntField(j, "timing_errors", 0);
  r.pruningViolation = optBoolField(j, "pruning_violation");
  r.parityZeroed = optIntField(j, "parity_zeroed", 0);
  r.recomputed = optBoolField(j, "recomputed");
  r.recomputeWrong = optIntField(j, "recompute_wrong", 0);
  if (r.recomputed && r.outcome != Outcome::Detected)
    bad("campaign.inconsistent", "only a detected fault is recomputed ('recomputed' with outcome " +
                                     std::string(toString(r.outcome)) + ")");
}

// ---- the one writer of each line (bytes as documented in docs/campaign-format.md) ------------

inline std::string headerLine(const CampaignHeader& h) { return nlohmann::json(h).dump() + "\n"; }
inline std::string faultFreeLine(const FaultFreeRecord& f) { return nlohmann::ordered_json(f).dump() + "\n"; }
inline std::string faultLine(const FaultRecord& r) { return nlohmann::ordered_json(r).dump() + "\n"; }

}  // namespace ftaccel::contract
