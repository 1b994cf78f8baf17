// The synthesis result as JSON and as the text table `ftaccel synth` prints.
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "flow/Synth.h"
#include "flow/synth/Scripts.h"

namespace ftaccel::flow {

nlohmann::json toJson(const SynthResult& result) {
  nlohmann::json modules = nlohmann::json::array();
  for (const auto& m : result.modules) {
    modules.push_back({{"name", m.name},
                       {"instances", m.instances},
                       {"own_area", m.ownArea},
                       {"total_area", m.totalArea},
                       {"own_power_w", m.ownPowerW},
                       {"total_power_w", m.totalPowerW},
                       {"own_cells", m.ownCells},
                       {"own_flops", m.ownFlops},
                       {"worst_slack_ns", m.worstSlackNs},
                       {"critical_path_ns", m.criticalPathNs},
                       {"path_start", m.pathStart},
                       {"path_end", m.pathEnd}});
  }
  nlohmann::json j = {{"technology", result.technology},
                      {"area_unit", result.areaUnit},
                      {"clock_ns", result.clockNs},
                      {"goal", std::string(config::toString(result.goal))},
                      {"modules", modules},
                      {"total_area", result.totalArea},
                      {"total_power_w", result.totalPowerW},
                      {"power_conditions", "OpenSTA report_power, 10 % input activity, leaf modules"},
                      {"flat_area", nullptr},
                      {"critical_path_ns", result.criticalPathNs},
                      {"worst_slack_ns", result.worstSlackNs},
                      {"critical_module", result.criticalModule},
                      {"runtime_seconds", result.runtimeSeconds}};
  if (result.flatArea) j["flat_area"] = *result.flatArea;
  j["enable_path"] = nullptr;
  if (const auto& e = result.enablePath) {
    j["enable_path"] = {{"method", "fan-out-4 buffer tree model (DESIGN.md, Synthesis)"},
                        {"pins", e->pins},
                        {"stages", e->stages},
                        {"buffer_cell", e->bufferCell},
                        {"stage_ns", e->stageNs},
                        {"source_module", e->sourceModule},
                        {"source_ns", e->sourceNs},
                        {"sink_module", e->sinkModule},
                        {"sink_ns", e->sinkNs},
                        {"path_ns", e->arrivalNs},
                        {"slack_ns", e->slackNs}};
  }
  return j;
}

std::string formatReport(const SynthResult& result) {
  size_t w = std::string_view("module").size();
  for (const auto& m : result.modules) w = std::max(w, m.name.size());
  std::string out;
  out += fmt::format("{:<{}}  {:>9}  {:>12}  {:>12}  {:>8}  {:>7}  {:>9}\n", "module", w,
                     "instances", "own area", "total area", "cells", "flops", "slack ns");
  out += std::string(w + 2 + 9 + 2 + 12 + 2 + 12 + 2 + 8 + 2 + 7 + 2 + 9, '-') + "\n";
  for (const auto& m : result.modules) {
    out += fmt::format("{:<{}}  {:>9}  {:>12.2f}  {:>12.2f}  {:>8}  {:>7}  {:>9.3f}\n", m.name, w,
                       m.instances, m.ownArea, m.totalArea, m.ownCells, m.ownFlops,
                       m.worstSlackNs);
  }
  out += "\n";
  out += fmt::format("total area:     {:.2f} {}\n", result.totalArea, result.areaUnit);
  if (result.totalPowerW > 0)
    out += fmt::format("total power:    {:.4f} mW (OpenSTA, 10 % input activity)\n",
                       1e3 * result.totalPowerW);
  else
    out += "total power:    n/a (the library has no power data)\n";
  if (result.flatArea) {
    const double diff = result.totalArea > 0
                            ? 100.0 * (*result.flatArea - result.totalArea) / result.totalArea
                            : 0.0;
    out += fmt::format("flat area:      {:.2f} {} ({:+.1f}% vs hierarchical)\n",
                       *result.flatArea, result.areaUnit, diff);
  }
  const auto crit = std::find_if(result.modules.begin(), result.modules.end(),
                                 [&](const auto& m) { return m.name == result.criticalModule; });
  std::string where = result.criticalModule;
  if (crit != result.modules.end() && !crit->pathStart.empty())
    where += fmt::format(", {} -> {}", crit->pathStart, crit->pathEnd);
  if (const auto& e = result.enablePath)
    out += fmt::format(
        "enable net:     {:.3f} ns, slack {:.3f} ns (model: {} {} + {} x {:.3f} ns {} "
        "fan-out-4 stages to {} pins + {} {:.3f} ns)\n",
        e->arrivalNs, e->slackNs, e->sourceModule, fmt::format("{:.3f} ns", e->sourceNs),
        e->stages, e->stageNs, e->bufferCell, e->pins, e->sinkModule, e->sinkNs);
  out += fmt::format("critical path:  {:.3f} ns ({})\n", result.criticalPathNs, where);
  out += fmt::format("worst slack:    {:.3f} ns ({})\n", result.worstSlackNs,
                     result.worstSlackNs < 0 ? "VIOLATED" : "met");
  out += fmt::format("clock:          {} ns ({:.1f} MHz)\n", result.clockNs,
                     result.clockNs > 0 ? 1000.0 / result.clockNs : 0.0);
  out += fmt::format("goal:           {}\n",
                     result.goal == config::SynthGoal::Timing
                         ? fmt::format("timing (ABC delay target {:.0f} ps)",
                                       1000.0 * synth::kAbcDelayTargetFraction * result.clockNs)
                         : std::string("area (plain ABC mapping)"));
  out += fmt::format("technology:     {}\n", result.technology);
  out += fmt::format("runtime:        {:.1f} s\n", result.runtimeSeconds);
  return out;
}

}  // namespace ftaccel::flow
