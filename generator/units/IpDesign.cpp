// Assembles the module set of one IP and the interface facts the manifest reports.
#include "units/IpDesign.h"

#include <fmt/format.h>

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
  ip.modules = {
      {buildPeWs(cfg, names, options), {}},
      {buildSkew(cfg, names, SkewKind::Input), {}},
      {buildCtrlWs(cfg, names), {}},
      {buildArrayWs(cfg, names, options), {{names.pe, rows * cols}}},
  };
  std::map<std::string, int> topChildren = {{names.ctrl, 1}, {names.skewIn, 1}, {names.array, 1}};
  if (cols > 1) {  // a single column needs no de-skew
    ip.modules.push_back({buildSkew(cfg, names, SkewKind::Output), {}});
    topChildren[names.skewOut] = 1;
  }
  ip.modules.push_back({buildTopWs(cfg, names, options), topChildren});
  for (const auto& p : ip.modules.back().module.ports) {
    int width = p.width.empty() ? 1 : std::stoi(p.width);
    const StreamPortNames sp = streamPortNames(cfg.array.dataflow);
    std::string group = p.name.starts_with(sp.stream + "_") ? sp.stream
                        : p.name.starts_with(sp.load + "_") ? sp.load
                        : p.name.starts_with("bypass_") ? "bypass"
                        : p.name.starts_with("fi_")    ? "fault_injection"
                        : p.name.starts_with("out_")   ? "out"
                                                       : "clock_reset";
    ip.ports.push_back({p.name, p.dir, width, group, p.comment});
  }
  ip.latencyCycles = rows + cols;
  ip.latencyFormula = "rows + cols";
  ip.batchFormula = "rows + cols + M - 1";
  ip.weightLoadBeats = rows;
  // A swap blocks loads for rows+cols-1 cycles plus its own; then rows beats load the next matrix.
  ip.minStallFreeBatch = 2 * rows + cols;
  ip.minStallFreeBatchFormula = "2*rows + cols";
  return ip;
}

}  // namespace ftaccel::units
