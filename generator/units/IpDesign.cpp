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
    ip.modules = {
        {buildPeWs(cfg, names, options), {}},
        {buildSkew(cfg, names, SkewKind::Input), {}},
        {buildCtrlWs(cfg, names), {}},
        {buildArrayWs(cfg, names, options), {{names.pe, rows * cols}}},
    };
  }
  if (cols > 1) {  // a single column needs no de-skew
    ip.modules.push_back({buildSkew(cfg, names, SkewKind::Output), {}});
    topChildren[names.skewOut] = 1;
  }
  ip.modules.push_back({os ? buildTopOs(cfg, names, options) : buildTopWs(cfg, names, options),
                        topChildren});
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
  if (options.faultPorts) {
    addRegisterInjection(ip, cfg);
    for (const auto& p : ip.modules.back().module.ports)
      if (p.name == "fi_xor_i" || p.name == "fi_clr_i")
        ip.ports.push_back({p.name, p.dir, ip.faultBits, "fault_injection", p.comment});
  }
  ip.latencyCycles = rows + cols;
  ip.latencyFormula = "rows + cols";
  ip.batchFormula = "rows + cols + M - 1";
  if (os) {
    // From the last beat of a tile to its first result row; rows rows follow back to back.
    // Row 0 is registered at the north edge rows+cols cycles after the last beat and taken
    // one cycle later.
    ip.latencyCycles = rows + cols + 1;
    ip.latencyFormula = "rows + cols + 1";
    ip.batchFormula = "K + 2*rows + cols - 1 (tile of K beats: first beat to last result row)";
    ip.weightLoadBeats = 0;
    ip.minStallFreeBatch = rows;
    ip.minStallFreeBatchFormula = "rows (tiles shorter than rows get bubbles)";
    return ip;
  }
  ip.weightLoadBeats = rows;
  // A swap blocks loads for rows+cols-1 cycles plus its own; then rows beats load the next matrix.
  ip.minStallFreeBatch = 2 * rows + cols;
  ip.minStallFreeBatchFormula = "2*rows + cols";
  return ip;
}

}  // namespace ftaccel::units
