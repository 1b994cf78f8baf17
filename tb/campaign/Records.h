// JSON Lines records, the header, and resuming an interrupted results file.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "campaign/Workload.h"
#include "fi_sites.h"

namespace ftaccel::campaign {

// ---- records ----------------------------------------------------------------------------

inline std::string formatRecord(const Fault& f, const RunResult& r, bool pruned, bool analytic, bool violation) {
  const bool wrong = !r.errors.empty() || r.missing || r.extra;
  // Suppressed needs a unit that reports bringing a value back within tolerance; none yet.
  const char* outcome = r.alarm ? "detected" : wrong ? "sdc" : "masked";
  std::string s = "{\"type\":\"fault\",\"index\":" + std::to_string(f.index) + ",\"outcome\":\"" +
                  outcome + "\",\"pruned\":" + (pruned ? "true" : "false") +
                  ",\"sim_cycles\":" + std::to_string(r.cycles) + ",\"injections\":[";
  for (size_t k = 0; k < f.injections.size(); ++k) {
    const Injection& i = f.injections[k];
    if (k) s += ",";
    if (i.site >= 0) {
      const FiSiteInfo& site = kFiSites[i.site];
      s += std::string("{\"site\":\"") + site.path + "\",\"id\":" + std::to_string(i.site) +
           ",\"kind\":\"" + site.kind + "\",\"pe\":" +
           (site.row < 0 ? std::string("null")
                         : "[" + std::to_string(site.row) + "," + std::to_string(site.col) + "]");
    } else {
      s += "{\"site\":null,\"id\":null,\"kind\":\"pe\",\"pe\":[" + std::to_string(i.peRow) + "," +
           std::to_string(i.peCol) + "]";
    }
    s += ",\"bits\":[";
    for (size_t b = 0; b < i.bits.size(); ++b) s += (b ? "," : "") + std::to_string(i.bits[b]);
    s += std::string("],\"effect\":\"") + effectName(i.effect) + "\",\"cycle\":" + std::to_string(i.c0) +
         ",\"last_cycle\":" + (i.c1 >= kForever ? std::string("null") : std::to_string(i.c1));
    if (i.effect == Effect::Timing)
      s += ",\"correct\":" + std::to_string(i.correct) + ",\"wrong_value\":" + std::to_string(i.wrong);
    s += "}";
  }
  Wide maxErr = 0;
  std::string errs;
  for (const auto& e : r.errors) {
    const Wide mag = e.delta < 0 ? -e.delta : e.delta;
    maxErr = std::max(maxErr, mag);
#if FTACCEL_DATAFLOW_IS
    const int batchRow = e.lane, channel = e.vec;  // IS: lane = batch column, vector = channel
#else
    const int batchRow = e.vec, channel = e.lane;
#endif
    errs += (errs.empty() ? "[" : ",[") + std::to_string(batchRow) + "," + std::to_string(channel) + "," +
            wideToJson(e.delta) + "]";
  }
  const long wrongCount = (long)r.errors.size();
  s += "],\"wrong\":" + std::to_string(wrongCount) + ",\"max_abs_error\":" + wideToJson(maxErr) +
       ",\"errors\":[" + errs + "]" + ",\"missing_results\":" +
       std::to_string(r.missing) + ",\"extra_results\":" + std::to_string(r.extra) +
       ",\"converged\":" + (r.converged ? "true" : "false") + ",\"alarms\":[" +
       (r.alarm ? "\"" FTACCEL_ALARM_NAMES "\"" : "") + "]";
  if (analytic) s += ",\"analytic\":true";
  if (f.timingErrors) s += ",\"timing_errors\":" + std::to_string(f.timingErrors);
  if (violation) s += ",\"pruning_violation\":true";
  return s + "}\n";
}

inline nlohmann::json headerJson(const Options& o, long window) {
  return {{"type", "header"},
          {"format", "ftaccel-campaign"},
          {"version", 1},
          {"ip", o.ip},
          {"config_hash", o.configHash},
          {"dataflow", FTACCEL_DATAFLOW_OS ? "os" : FTACCEL_DATAFLOW_IS ? "is" : "ws"},
          {"rows", kRows},
          {"cols", kCols},
          {"data_bits", kBits},
          {"acc_bits", kAccBits},
          {"model", o.model},
          {"faults", o.faults},
          {"seed", o.seed},
          {"shard", {o.shard, o.shards}},
          {"engine", o.engine},
          {"model_options",
           {{"burst", o.burst}, {"stuck_cycles", o.stuckCycles}, {"multi", o.multi},
            {"inject", o.inject}, {"timing_table", o.timingTable}, {"timing_scale", o.timingScale}}},
          {"workload", {{"vectors", o.vectors}, {"seed", o.workloadSeed}}},
          {"alarms", FTACCEL_ALARM_COUNT ? nlohmann::json::array({FTACCEL_ALARM_NAMES}) : nlohmann::json::array()},
          {"sites", kFiSiteCount},
          {"site_bits", kFiBits},
          {"window_cycles", window}};
}

// Reads an existing results file: checks it belongs to this campaign, drops a cut-off last
// line, and returns the fault indices already recorded.
inline std::set<long> resume(const Options& o, const nlohmann::json& header, bool& fresh) {
  std::set<long> done;
  std::ifstream in(o.out, std::ios::binary);
  fresh = !in || in.peek() == std::ifstream::traits_type::eof();
  if (fresh) return done;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t complete = text.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete < text.size()) {
    std::fprintf(stderr, "campaign: dropping a cut-off last line of %s (a killed run)\n", o.out.c_str());
    if (truncate(o.out.c_str(), (off_t)complete) != 0) fail("cannot truncate " + o.out);
    text.resize(complete);
  }
  size_t p = 0;
  int line = 0;
  while (p < text.size()) {
    size_t e = text.find('\n', p);
    std::string l = text.substr(p, e - p);
    p = e + 1;
    ++line;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(l);
    } catch (const nlohmann::json::exception&) {
      fail(o.out + ":" + std::to_string(line) + ": not a JSON record");
    }
    if (line == 1) {
      nlohmann::json a = header, b = j;
      for (auto* h : {&a, &b}) h->erase("engine");
      if (j.value("type", "") != "header" || a != b)
        fail(o.out + " holds results of a different campaign; choose another --out or delete it");
      continue;
    }
    if (j.value("type", "") == "fault") done.insert(j.at("index").get<long>());
  }
  return done;
}

inline void writeAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed");
    }
    off += (size_t)n;
  }
}

struct Stats {
  long done = 0, pruned = 0, analytic = 0, violations = 0, cycles = 0;
};

}  // namespace ftaccel::campaign
