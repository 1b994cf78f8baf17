// Opportunistic weight parity (SPEC §8, seed 001): a parity check per memory word on the weight
// load path that zeroes a word with odd parity and counts the words zeroed per load.
#pragma once

#include "protect/ProtectionUnit.h"

namespace ftaccel::protect::parity {

const ProtectionUnit& unit();

// Words zeroed per matrix load fit in this many bits (the width of wparity_count_o).
int countBits(const config::Config& cfg);

}  // namespace ftaccel::protect::parity
