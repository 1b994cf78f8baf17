// Name legalization: IEEE 1800-2017 reserved keywords and the check every emitted module passes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir/Ir.h"

namespace ftaccel::ir {

// All reserved keywords of IEEE 1800-2017 Annex B (Table B.1).
bool isSvKeyword(std::string_view name);

// Identifiers of `module` that are keywords (module, parameter and port names); the printer
// asserts that there are none and flow::renderPackage turns them into a diagnostic.
std::vector<std::string> illegalNames(const Module& module);

}  // namespace ftaccel::ir
