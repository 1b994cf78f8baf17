// Hierarchical roll-up: per-module tool figures -> instance counts, totals and the worst path.
#include "flow/synth/RollUp.h"

#include <functional>
#include <map>
#include <stdexcept>

#include "flow/synth/Hierarchy.h"

namespace ftaccel::flow::synth {

namespace {

// Sum of a per-module quantity (area, power) over the sub-tree of `name`, memoized.
double subTreeSum(const std::string& name, const SynthRequest& req,
                  const std::map<std::string, size_t>& index,
                  const std::function<double(size_t)>& own, std::map<std::string, double>& memo,
                  int depth) {
  if (depth > 64) throw std::runtime_error("synthesis: module hierarchy is cyclic");
  if (auto it = memo.find(name); it != memo.end()) return it->second;
  const size_t i = index.at(name);
  double total = own(i);
  for (const auto& [child, count] : req.modules[i].children)
    total += count * subTreeSum(child, req, index, own, memo, depth + 1);
  memo[name] = total;
  return total;
}

}  // namespace

SynthResult rollUp(const SynthRequest& req, const std::vector<ModuleRun>& measured) {
  const size_t n = req.modules.size();
  if (measured.size() != n) throw std::logic_error("synthesis roll-up: one run per module");
  std::vector<ModuleRun> runs = measured;
  // Leaves come first in the request, so children are resolved before their parents.
  for (size_t i = 0; i < n; ++i) {
    for (const auto& [child, count] : req.modules[i].children) {
      (void)count;
      for (size_t j = 0; j < i; ++j) {
        if (req.modules[j].name != child || !runs[j].path) continue;
        if (!runs[i].path || runs[j].path->slackNs < runs[i].path->slackNs)
          runs[i].path = runs[j].path;
      }
    }
  }

  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) index[req.modules[i].name] = i;
  const std::map<std::string, long> instances = instanceCounts(req);
  std::map<std::string, double> areaMemo, powerMemo;
  auto totalArea = [&](const std::string& name) {
    return subTreeSum(
        name, req, index, [&](size_t i) { return runs[i].ownArea; }, areaMemo, 0);
  };
  // Wiring-only parents have no STA run; their few own cells (the top's input gating) are
  // not in the power figure.
  auto totalPower = [&](const std::string& name) {
    return subTreeSum(
        name, req, index, [&](size_t i) { return runs[i].powerW.value_or(0.0); }, powerMemo, 0);
  };

  SynthResult result;
  result.clockNs = req.clockNs;
  result.goal = req.goal;
  bool haveWorst = false;
  for (size_t i = 0; i < n; ++i) {
    const SynthModule& mod = req.modules[i];
    ModuleSynthResult r;
    r.name = mod.name;
    r.instances = instances.at(mod.name);
    r.ownArea = runs[i].ownArea;
    r.totalArea = totalArea(mod.name);
    r.ownPowerW = runs[i].powerW.value_or(0.0);
    r.totalPowerW = totalPower(mod.name);
    r.ownCells = runs[i].ownCells;
    r.ownFlops = runs[i].ownFlops;
    if (runs[i].path) {
      r.worstSlackNs = runs[i].path->slackNs;
      r.criticalPathNs = runs[i].path->arrivalNs;
      r.pathStart = runs[i].path->start;
      r.pathEnd = runs[i].path->end;
    } else {
      r.worstSlackNs = req.clockNs;  // nothing constrained: the whole period is left
    }
    // Leaves come first, so on a tie (a parent's worst path lies inside a child) the path is
    // attributed to the child rather than to every module above it.
    if (!haveWorst || r.worstSlackNs < result.worstSlackNs - 5e-5) {
      haveWorst = true;
      result.worstSlackNs = r.worstSlackNs;
      result.criticalPathNs = r.criticalPathNs;
      result.criticalModule = r.name;
    }
    result.modules.push_back(std::move(r));
  }
  result.totalArea = totalArea(req.top);
  result.totalPowerW = totalPower(req.top);
  return result;
}

}  // namespace ftaccel::flow::synth
