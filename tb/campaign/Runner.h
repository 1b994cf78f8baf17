// Classifies one fault: from its live window, by the stationary-register rule, or by
// simulating it (fast: from a snapshot with early stop; naive: from reset).
#pragma once

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "campaign/Faults.h"
#include "campaign/Liveness.h"
#include "campaign/Records.h"
#include "campaign/Simulator.h"

namespace ftaccel::campaign {

class FaultRunner {
 public:
  FaultRunner(const Options& o, long window, const std::vector<Injection>& list, const Workload& wl,
              Simulator& sim, const Liveness& live)
      : o_(o), window_(window), list_(list), wl_(wl), sim_(sim), live_(live) {}

  // The record line of fault `index`; `st` counts how it was classified.
  std::string operator()(long index, Stats& st) const {
    const bool fast = o_.engine == "fast";
    Fault f = makeFault(o_, index, window_, list_);
    // The shortcuts know nothing about detection units: with alarm outputs every fault runs.
    // Nor do they know the lanes of a flow-controlling PE (a row lane of group_l activations, the
    // index bits): with array.pe every fault is simulated.
    const bool shortcuts = fast && FTACCEL_ALARM_COUNT == 0 && kIdxBits == 0 &&
                           (o_.model == "seu" || o_.model == "mbu" || o_.model == "list");
    bool pruned = shortcuts && !f.injections.empty();
    for (const auto& i : f.injections) {
      pruned = pruned && i.effect == Effect::Flip && i.c0 == i.c1;
      for (int b : i.bits) pruned = pruned && live_.dead(i.site, b, i.c0);
    }
    // Live flips of stationary registers: their effect on the results follows from the
    // dataflow (Liveness::stationaryEffect); --verify-pruned simulates them as well.
    RunResult predicted;
    const bool analytic = shortcuts && !pruned && f.injections.size() == 1 &&
                          live_.stationaryEffect(f.injections[0], wl_, predicted.errors);
    RunResult r = analytic ? predicted : RunResult{};
    bool violation = false;
    if ((!pruned && !analytic) || o_.verifyPruned) r = sim_.run(f, fast, mix(o_.seed + 7 * (uint64_t)index));
    if (pruned && (!r.errors.empty() || r.missing || r.extra)) violation = true;
    if (analytic) {
      if (o_.verifyPruned)
        violation = r.missing || r.extra || sorted(predicted.errors) != sorted(r.errors);
      r.errors = predicted.errors;
    }
#if FTACCEL_INPUT_FILTERS
    // Results within the tolerance after an upset that a filter stage removed: suppressed
    // (Suppression.h, Records.h classify).
    if (withinTolerance(r, o_.tolerance))
      for (const auto& i : f.injections)
        r.filtered = r.filtered ||
                     filterActsOnFault(i, wl_, live_.vectorAcceptedAt(i.c0 - filterStageIndex(kFiSites[std::max(i.site, 0)].kind)));
#endif
    // The host's answer to an alarm: the batch again, fault-free (docs/campaign-format.md).
    long recomputeWrong = -1;
    if (o_.recomputeOnAlarm && r.alarm) {
      const RunResult again = sim_.recompute();
      recomputeWrong = (long)again.errors.size() + again.missing + again.extra;
      st.cycles += again.cycles;
    }
    st.violations += violation;
    st.pruned += pruned;
    st.analytic += analytic;
    st.cycles += r.cycles;
    ++st.done;
    return formatRecord(f, r, pruned, analytic, violation, o_.tolerance, recomputeWrong);
  }

 private:
  using Key = std::tuple<int, int, long double>;
  static std::vector<Key> sorted(const std::vector<ElementError>& errors) {
    std::vector<Key> keys;
    for (const auto& e : errors) keys.emplace_back(e.vec, e.lane, (long double)e.delta);
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  const Options& o_;
  long window_;
  const std::vector<Injection>& list_;
  const Workload& wl_;
  Simulator& sim_;
  const Liveness& live_;
};

}  // namespace ftaccel::campaign
