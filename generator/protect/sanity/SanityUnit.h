// Sanity-Check (SPEC §4, dissertation ch. 6): the spatial (weight) checksum column, its
// adder tree and alarms on the weight-stationary datapath (WS and IS).
#pragma once

#include "protect/ProtectionUnit.h"

namespace ftaccel::protect::sanity {

const ProtectionUnit& unit();

}  // namespace ftaccel::protect::sanity
