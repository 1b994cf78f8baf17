// Assembles the module set of one IP and the interface facts the manifest reports.
#include "units/IpDesign.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "units/OutBuffer.h"
#include "units/Protection.h"

#include "ir/Resolve.h"
#include "ir/WideZeros.h"
#include "protect/ProtectionUnit.h"
#include "units/PipelineModel.h"
#include "units/Units.h"

namespace ftaccel::units {

std::string slice(const std::string& vec, const std::string& index, const std::string& width) {
  return fmt::format("{}[({})*{} +: {}]", vec, index, width, width);
}

StreamPortNames streamPortNames(config::Dataflow dataflow) {
  if (dataflow == config::Dataflow::IS) return {"w", "xload", "w_xswap_i"};
  return {"in", "wload", "in_wswap_i"};
}

IpDesign buildIp(const config::Config& cfg, const BuildOptions& options) {
  ModuleNames names(cfg, options);
  const int rows = cfg.array.rows;
  const int cols = cfg.array.cols;
  IpDesign ip;
  ip.top = names.top;
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  std::map<std::string, int> topChildren = {{names.ctrl, 1}, {names.skewIn, 1}, {names.array, 1}};
  if (os) {
    ip.modules = {
        {buildPeOs(cfg, names, options), {}},
        {buildSkew(cfg, names, SkewKind::Input), {}},
        {buildSkew(cfg, names, SkewKind::Weights), {}},
        {buildCtrlOs(cfg, names), {}},
        {buildArrayOs(cfg, names, options), {{names.pe, rows * cols}}},
    };
    topChildren[names.skewW] = 1;
  } else {
    ir::Module row;
    ir::Module array = buildArrayWs(cfg, names, options, &row);
    ip.modules = {
        {buildPeWs(cfg, names, options), {}},
        {buildSkew(cfg, names, SkewKind::Input), {}},
        {buildCtrlWs(cfg, names), {}},
    };
    if (row.name.empty()) {
      ip.modules.push_back({std::move(array), {{names.pe, rows * cols}}});
    } else {  // rows form: the array instantiates the row module, the row the PEs
      ip.modules.push_back({std::move(row), {{names.pe, cols}}});
      ip.modules.push_back({std::move(array), {{names.row, rows}}});
    }
    if (rows > 1) {  // a single row needs no tag line
      ip.modules.insert(ip.modules.begin() + 2, {buildTagLine(cfg, names), {}});
      topChildren[names.tagLine] = 1;
    }
  }
  if (cols > 1) {  // a single column needs no de-skew
    ip.modules.push_back({buildSkew(cfg, names, SkewKind::Output), {}});
    topChildren[names.skewOut] = 1;
  }
  ip.modules.push_back({buildOutBuffer(cfg, names), {}});
  topChildren[names.outBuf] = 1;
  // Units' own modules go in front of the module that instantiates them (leaves first).
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) {
    for (protect::ExtraModule& extra : unit->extraModules(cfg, names.top)) {
      using Parent = protect::ExtraModule::Parent;
      const std::string parent = extra.parent == Parent::Top ? names.top
                                 : extra.parent == Parent::Array ? names.array : names.pe;
      if (parent == names.top) topChildren[extra.module.name] += extra.instances;
      auto at = std::find_if(ip.modules.begin(), ip.modules.end(),
                             [&](const ModuleSpec& m) { return m.module.name == parent; });
      if (at != ip.modules.end()) at->children[extra.module.name] += extra.instances;
      ip.modules.insert(at, {std::move(extra.module), {}});
    }
  }
  ip.modules.push_back({os ? buildTopOs(cfg, names, options) : buildTopWs(cfg, names, options),
                        topChildren});
  if (!options.faultPorts) ip.modules.back().module.assertions = interfaceChecks(ip.modules.back().module, cfg);
  for (ModuleSpec& spec : ip.modules) ir::resolve(spec.module);
  for (const auto& p : ip.modules.back().module.ports) {
    const int width = p.bits;
    const StreamPortNames sp = streamPortNames(cfg.array.dataflow);
    std::string group = p.name.starts_with(sp.stream + "_") ? sp.stream
                        : p.name.starts_with(sp.load + "_") ? sp.load
                        : p.name.starts_with("fi_")    ? "fault_injection"
                        : p.name.starts_with("out_")   ? "out"
                                                       : "clock_reset";
    for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
      for (const protect::PortGroup& g : unit->portGroups())
        if (p.name.starts_with(g.prefix)) group = g.group;
    ip.ports.push_back({p.name, p.dir, width, group, p.comment});
  }
  if (options.faultPorts) {
    addRegisterInjection(ip);
    for (ModuleSpec& spec : ip.modules) ir::resolve(spec.module);
    for (const auto& p : ip.modules.back().module.ports)
      if (p.name == "fi_xor_i" || p.name == "fi_clr_i")
        ip.ports.push_back({p.name, p.dir, ip.faultBits, "fault_injection", p.comment});
  }
  for (ModuleSpec& spec : ip.modules) ir::sizeWideZeros(spec.module);
  const PipelineModel pipe = pipelineModel(cfg);
  ip.peEdge0 = pipe.peEdge0();
  ip.latencyCycles = pipe.latency();
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    for (const std::string& alarm : unit->alarmPorts(cfg)) ip.alarmPorts.push_back(alarm);
  ip.latencyFormula = pipe.latencyFormula();
  ip.batchFormula = ip.latencyFormula + " + M - 1";
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) ip.batchFormula += unit->batchFormulaExtra(cfg);
  if (os) {
    // From the last beat of a tile to its first result row; rows rows follow back to back:
    // K - 1 beats after the first, the latency, then rows - 1 more rows.
    const int extra = pipe.latency() - rows - cols - 2;
    const std::string extraText = extra == 0 ? "" : fmt::format(" {} {}", extra < 0 ? '-' : '+', std::abs(extra));
    ip.batchFormula = fmt::format("K + 2*rows + cols{} (tile of K beats: first beat to last result row)",
                                  extraText);
    ip.weightLoadBeats = 0;
    ip.minStallFreeBatch = rows;
    ip.minStallFreeBatchFormula = "rows (tiles shorter than rows get bubbles)";
    return ip;
  }
  ip.weightLoadBeats = rows;
  // A swap blocks loads for the swap span plus its own cycle; then rows beats load the next matrix.
  ip.minStallFreeBatch = pipe.swapSpan() + 1 + rows;
  // swapSpan = peEdge0 + rows + cols - 2, so the bound is 2*rows + cols + (peEdge0 - 1).
  const int extraStages = pipe.peEdge0() - 1;
  ip.minStallFreeBatchFormula = extraStages ? fmt::format("2*rows + cols + {}", extraStages) : "2*rows + cols";
  FTACCEL_ASSERT(ip.minStallFreeBatch == 2 * rows + cols + extraStages);
  return ip;
}

}  // namespace ftaccel::units
