// Fault records and the header (their JSON lines are written by campaign/CampaignIo.h).
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <fstream>
#include <iterator>

#include "campaign/Workload.h"
#include "contract/CampaignRecord.h"
#include "fi_sites.h"

namespace ftaccel::campaign {

// ---- records ----------------------------------------------------------------------------

inline std::vector<std::string> alarmNames() {
  std::vector<std::string> names;
  const std::string all = FTACCEL_ALARM_NAMES;
  for (size_t p = 0; p < all.size();) {
    const size_t e = std::min(all.find(',', p), all.size());
    names.push_back(all.substr(p, e - p));
    p = e + 1;
  }
  return names;
}

// ---- outcome ------------------------------------------------------------------------------
// docs/campaign-format.md. A unit acted on the fault when an input filter changed the value the
// fault had changed (r.filtered, Suppression.h) or, for a memory fault, the weight-parity check
// zeroed at least one word (seed 001's mitigation). Such a fault is `suppressed` when no alarm
// fired, every result came, and every result is within `tolerance` of the fault-free one (0:
// exact). A fault no unit acted on is `masked` only with exact results; the tolerance does not
// apply to it. Register faults never count a zeroed word: wparity_count_o is an event, not an
// alarm, and register upsets keep the plain classification.
inline bool parityActed(const Fault& f, const RunResult& r) {
  bool memory = false;
  for (const Injection& i : f.injections) memory = memory || i.effect == Effect::Memory;
  return memory && r.parityZeroed > 0;
}

inline Wide maxAbsError(const RunResult& r) {
  Wide m = 0;
  for (const auto& e : r.errors) m = std::max(m, e.delta < 0 ? -e.delta : e.delta);
  return m;
}

// All results came and none is further than `tolerance` from the fault-free one.
inline bool withinTolerance(const RunResult& r, long tolerance) {
  return !r.missing && !r.extra && maxAbsError(r) <= Wide(tolerance);
}

inline contract::Outcome classify(const Fault& f, const RunResult& r, long tolerance) {
  if (r.alarm) return contract::Outcome::Detected;
  if ((r.filtered || parityActed(f, r)) && withinTolerance(r, tolerance)) return contract::Outcome::Suppressed;
  const bool wrong = !r.errors.empty() || r.missing || r.extra;
  return wrong ? contract::Outcome::Sdc : contract::Outcome::Masked;
}

// One fault's record (contract::FaultRecord, written by faultText).
inline std::string formatRecord(const Fault& f, const RunResult& r, bool pruned, bool analytic, bool violation,
                                long tolerance, long recomputeWrong = -1) {
  contract::FaultRecord rec;
  rec.index = f.index;
  rec.outcome = classify(f, r, tolerance);
  if (parityActed(f, r)) rec.parityZeroed = r.parityZeroed;
  rec.pruned = pruned;
  rec.simCycles = r.cycles;
  for (const Injection& i : f.injections) {
    contract::RecordInjection x;
    if (i.effect == Effect::Memory) {
      x.site = "weight_word[" + std::to_string(i.word) + "]";  // word index in the loaded image
      x.kind = "memory";
    } else if (i.site >= 0) {
      const FiSiteInfo& site = kFiSites[i.site];
      x.site = site.path;
      x.id = i.site;
      x.kind = site.kind;
      if (site.row >= 0) x.pe = std::array<int, 2>{site.row, site.col};
    } else {
      x.kind = "pe";
      x.pe = std::array<int, 2>{i.peRow, i.peCol};
    }
    x.bits = i.bits;
    x.effect = effectName(i.effect);
    x.cycle = i.c0;
    if (i.c1 < kForever) x.lastCycle = i.c1;
    if (i.effect == Effect::Timing) {
      x.correct = i.correct;
      x.wrongValue = i.wrong;
    }
    rec.injections.push_back(std::move(x));
  }
  for (const auto& e : r.errors) {
#if FTACCEL_DATAFLOW_IS
    const int batchRow = e.lane, channel = e.vec;  // IS: lane = batch column, vector = channel
#else
    const int batchRow = e.vec, channel = e.lane;
#endif
    rec.maxAbsError = std::max(rec.maxAbsError, e.delta < 0 ? -e.delta : e.delta);
    rec.errors.push_back({batchRow, channel, e.delta});
  }
  rec.wrong = (long)r.errors.size();
  rec.missingResults = r.missing;
  rec.extraResults = r.extra;
  rec.converged = r.converged;
  if (r.alarm) rec.alarms = alarmNames();
  rec.analytic = analytic;
  rec.timingErrors = f.timingErrors;
  rec.pruningViolation = violation;
  rec.recomputed = recomputeWrong >= 0;  // -1: not recomputed
  rec.recomputeWrong = std::max(0L, recomputeWrong);
  return faultText(rec);
}

inline contract::CampaignHeader makeHeader(const Options& o, long window) {
  contract::CampaignHeader h;
  h.ip = FTACCEL_IP_NAME;
  h.configHash = o.configHash;
  h.dataflow = FTACCEL_DATAFLOW_OS ? "os" : FTACCEL_DATAFLOW_IS ? "is" : "ws";
  h.rows = kRows;
  h.cols = kCols;
  h.dataBits = kBits;
  h.accBits = kAccBits;
  h.model = o.model;
  h.faults = o.faults;
  h.seed = o.seed;
  h.shard = o.shardIndex;
  h.shardCount = o.shardCount;
  h.engine = o.engine;
  h.modelOptions = {o.burst, o.stuckCycles, o.multi, o.inject, o.timingTable, o.timingScale,
                    o.model.rfind("mem-", 0) == 0 ? o.memoryWord : 0, o.model == "mem-ber" ? o.memoryBer : 0,
                    o.kinds, o.tolerance, o.recomputeOnAlarm};
  h.workload = {o.vectors, o.workloadSeed};
  if (FTACCEL_ALARM_COUNT) h.alarms = alarmNames();
  h.sites = kFiSiteCount;
  h.siteBits = kFiBits;
  h.windowCycles = window;
  return h;
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
