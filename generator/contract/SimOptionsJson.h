// JSON mapping of the `cosim run` options (SimOptions.h): the file the generator writes and the
// harness's SimIo.cpp reads. Standard C++ and nlohmann-json: compiled on both sides.
#pragma once

#include <nlohmann/json.hpp>

#include "contract/SimOptions.h"

namespace ftaccel::contract {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PeFault, row, col, bit, value, random)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MatmulShape, b, ci, co)

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SimOptions, vectors, batch, seed, pattern, inValidProb, outReadyProb,
                                   wloadValidProb, maxCycles, product, shift, noSwap, faults, bypassFaulty,
                                   bypassBits, memoryBer, afdShift, afdGates, protocolFuzz, sanityBatch)

}  // namespace ftaccel::contract
