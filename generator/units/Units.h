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
  std::string skew;
  std::string array;
  std::string ctrl;
  explicit ModuleNames(const config::Config& cfg)
      : top(cfg.ip.name),
        pe(cfg.ip.name + "_pe"),
        skew(cfg.ip.name + "_skew"),
        array(cfg.ip.name + "_array"),
        ctrl(cfg.ip.name + "_ctrl") {}
};

ir::Module buildPeWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildSkew(const config::Config& cfg, const ModuleNames& names);
ir::Module buildArrayWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildCtrlWs(const config::Config& cfg, const ModuleNames& names);
ir::Module buildTopWs(const config::Config& cfg, const ModuleNames& names);

}  // namespace ftaccel::units
