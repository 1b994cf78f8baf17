// Per-PE bypass of faulty PEs (SPEC §3, dissertation ch. 10.3.1): the worked example of a
// protection unit (see DESIGN.md, "How to add a protection unit").
#pragma once

#include "protect/ProtectionUnit.h"

namespace ftaccel::protect::bypass {

const ProtectionUnit& unit();

}  // namespace ftaccel::protect::bypass
