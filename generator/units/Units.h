// Builders of the individual RTL modules (one function per module kind).
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"
#include "units/IpDesign.h"

namespace ftaccel::units {

// Module names carry the IP name so two configurations can share one design.
struct ModuleNames {
  std::string top;
  std::string pe;
  std::string skewIn;   // input register + row skew
  std::string skewOut;  // column de-skew
  std::string skewW;    // OS: column skew of the streamed weights
  std::string array;
  std::string row;      // WS/IS rows form: one row of PEs (array.nets = "rows")
  std::string ctrl;
  std::string tagLine;  // WS/IS: swap tags, one cycle ahead of the activations
  std::string outBuf;   // output buffer
  ModuleNames(const config::Config& cfg, const BuildOptions& options)
      : ModuleNames(cfg.ip.name + (options.faultPorts ? "_fi" : "")) {}
  explicit ModuleNames(const std::string& prefix)
      : top(prefix),
        pe(prefix + "_pe"),
        skewIn(prefix + "_skew_in"),
        skewOut(prefix + "_skew_out"),
        skewW(prefix + "_skew_w"),
        array(prefix + "_array"),
        row(prefix + "_row"),
        ctrl(prefix + "_ctrl"),
        tagLine(prefix + "_tag_line"),
        outBuf(prefix + "_out_buf") {}
};

// clk_i, rst_ni (async, active low) and, with `enable`, en_i (the pipeline advance): the first
// ports of every module.
std::vector<ir::Port> clockPorts(bool enable);

ir::Module buildPeWs(const config::Config& cfg, const ModuleNames& names,
                      const BuildOptions& options);
// Each use of the delay-line bank is its own module so that every module has exactly one
// parametrization (hierarchical synthesis counts on it).
enum class SkewKind { Input, Output, Weights };
ir::Module buildSkew(const config::Config& cfg, const ModuleNames& names, SkewKind kind);
// In the rows form (config::gridNetForm) the PEs sit in a row module, returned in `row`
// (left empty in the other forms).
ir::Module buildArrayWs(const config::Config& cfg, const ModuleNames& names,
                      const BuildOptions& options, ir::Module* row = nullptr);
// WS/IS: the swap tag's tapped delay line (lane r is the tag delayed by r cycles).
ir::Module buildTagLine(const config::Config& cfg, const ModuleNames& names);
ir::Module buildCtrlWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildPeOs(const config::Config& cfg, const ModuleNames& names,
                     const BuildOptions& options);
ir::Module buildArrayOs(const config::Config& cfg, const ModuleNames& names,
                        const BuildOptions& options);
ir::Module buildCtrlOs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildTopOs(const config::Config& cfg, const ModuleNames& names,
                      const BuildOptions& options);
ir::Module buildTopWs(const config::Config& cfg, const ModuleNames& names,
                      const BuildOptions& options);

}  // namespace ftaccel::units
