// Key rows of the PE kind: array.pe, array.group_l, array.group_k (SPEC §7).
#pragma once

#include <string_view>
#include <vector>

#include "config/KeyRow.h"

namespace ftaccel::config {

// The rows, in table order (pe, group_l, group_k), with their range and combination checks.
std::vector<KeyRow> peKeyRows();

}  // namespace ftaccel::config
