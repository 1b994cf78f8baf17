// Builders of the individual RTL modules (one function per module kind).
#pragma once

#include <string>

#include "config/Config.h"
#include "ir/Ir.h"

namespace ftaccel::units {

// Module names carry the IP name so two configurations can share one design.
struct ModuleNames {
  std::string top;
  std::string pe;
  std::string skewIn;   // input register + row skew
  std::string skewOut;  // column de-skew
  std::string array;
  std::string ctrl;
  explicit ModuleNames(const config::Config& cfg)
      : top(cfg.ip.name),
        pe(cfg.ip.name + "_pe"),
        skewIn(cfg.ip.name + "_skew_in"),
        skewOut(cfg.ip.name + "_skew_out"),
        array(cfg.ip.name + "_array"),
        ctrl(cfg.ip.name + "_ctrl") {}
};

ir::Module buildPeWs(const config::Config& cfg, const ModuleNames& names);
// Each use of the delay-line bank is its own module so that every module has exactly one
// parametrization (hierarchical synthesis counts on it).
enum class SkewKind { Input, Output };
ir::Module buildSkew(const config::Config& cfg, const ModuleNames& names, SkewKind kind);
ir::Module buildArrayWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildCtrlWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildTopWs(const config::Config& cfg, const ModuleNames& names);

}  // namespace ftaccel::units
