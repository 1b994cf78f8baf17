// The registry of protection units: one line per unit.
#include "protect/ProtectionUnit.h"
#include "protect/bypass/BypassUnit.h"

namespace ftaccel::protect {

const std::vector<const ProtectionUnit*>& registry() {
  static const std::vector<const ProtectionUnit*> units = {
      &bypass::unit(),
  };
  return units;
}

std::vector<const ProtectionUnit*> enabledUnits(const config::Config& cfg) {
  std::vector<const ProtectionUnit*> out;
  for (const ProtectionUnit* u : registry())
    if (u->enabled(cfg)) out.push_back(u);
  return out;
}

}  // namespace ftaccel::protect
