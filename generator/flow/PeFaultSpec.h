// Permanent PE fault specifications (`ftaccel sim --pe-fault`): parsed and range-checked here,
// handed to the harness as typed faults (contract::SimOptions::faults).
#pragma once

#include <string>
#include <vector>

#include "contract/SimOptions.h"

namespace ftaccel::flow {

// Specification, parts joined by '+': none | s0:R,C,BIT | s1:R,C,BIT (stuck-at on the MAC result)
// | rnd:R,C (random-output PE) | rndrow:R | rndcol:C (every PE of a row or column random).
// Throws diag::DiagnosticError naming the part and the allowed forms or range.
std::vector<contract::PeFault> parsePeFaults(const std::string& spec, int rows, int cols, int accBits);

// PEs hit by at least one fault.
long faultyPeCount(const std::vector<contract::PeFault>& faults);

}  // namespace ftaccel::flow
