// The registry of protection units: one line per unit.
#include "protect/ProtectionUnit.h"
#include "protect/afd/AfdUnit.h"
#include "protect/bypass/BypassUnit.h"
#include "protect/parity/ParityUnit.h"
#include "protect/median/MedianUnit.h"
#include "protect/sanity/SanityUnit.h"

namespace ftaccel::protect {

const std::vector<const ProtectionUnit*>& registry() {
  static const std::vector<const ProtectionUnit*> units = {
      &bypass::unit(),
      &sanity::unit(),
      // Input stages in this order: AFD sees the activations as the layer produced them (its
      // invariant was trained on them), the median then smooths what AFD let through.
      &afd::unit(),
      &median::unit(),
      &parity::unit(),
  };
  return units;
}

namespace {
std::vector<const ProtectionUnit*>& testUnits() {
  static std::vector<const ProtectionUnit*> units;
  return units;
}
}  // namespace

ScopedTestUnit::ScopedTestUnit(const ProtectionUnit& unit) { testUnits().push_back(&unit); }
ScopedTestUnit::~ScopedTestUnit() { testUnits().pop_back(); }

std::vector<const ProtectionUnit*> enabledUnits(const config::Config& cfg) {
  std::vector<const ProtectionUnit*> out;
  for (const ProtectionUnit* u : registry())
    if (u->enabled(cfg)) out.push_back(u);
  for (const ProtectionUnit* u : testUnits()) out.push_back(u);
  return out;
}

}  // namespace ftaccel::protect
