// Contract of `ftaccel sim` and the co-simulation harness: the options of one run, handed over
// as one JSON file (`cosim run --options FILE`). Standard C++ only (the JSON mapping is
// SimOptionsJson.h, so that the per-model CosimMain.cpp does not parse nlohmann-json): also
// compiled into the harness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftaccel::contract {

// A permanent fault on the MAC result of one PE: one stuck-at bit, or a random output.
// Parsed and range-checked by flow/PeFaultSpec; rndrow/rndcol arrive expanded to one per PE.
struct PeFault {
  int row = 0;
  int col = 0;
  int bit = -1;         // stuck bit; -1 for a random-output PE
  bool value = false;   // the stuck value
  bool random = false;  // random-output PE
  bool operator==(const PeFault&) const = default;
};
// A full B x CI times CI x CO product tiled onto the array (eq. 10.3-10.5); b == 0: none.
struct MatmulShape {
  int b = 0;
  int ci = 0;
  int co = 0;
  bool operator==(const MatmulShape&) const = default;
};
struct SimOptions {
  long vectors = 256;
  long batch = 64;  // vectors per weight matrix (OS: tile length K)
  uint64_t seed = 1;
  std::string pattern = "random";  // random | neg | zero | alt | max | mixed
  double inValidProb = 1.0;        // per idle cycle: the producer offers the next vector (held until taken)
  double outReadyProb = 1.0;       // probability that the consumer takes a result
  double wloadValidProb = 1.0;
  long maxCycles = 0;           // 0 = derived from the workload
  MatmulShape product;          // --matmul, host-side tiler; b == 0: independent random batches
  int shift = 0;                // diagonal shift of the eq. 10.3-10.5 mapping (§10.3.4)
  bool noSwap = false;          // negative test: the host never switches to the loaded weights
  std::vector<PeFault> faults;  // --pe-fault; needs a model built with fault ports
  bool bypassFaulty = false;    // bypass exactly the faulty PEs (on top of bypassBits)
  std::string bypassBits;       // rows*cols '0'/'1', row-major (flow/BypassMask); empty = none
  double memoryBer = 0;         // WS: bit errors in the stored weight image (--memory-ber)
  int afdShift = -1;            // protect.afd: afd_shift_i (clamped to s_max by the unit); -1 = s_max
  int afdGates = 0;             // protect.afd: gates in use (afd_two_gates_i); 0 = as built
  long protocolFuzz = 0;        // > 0: that many random handshake sequences instead (tb/ProtocolFuzz.h)
  int sanityBatch = 0;          // temporal Sanity-Check: batch register N written after reset; 0 = reset value
  bool operator==(const SimOptions&) const = default;
};
inline const std::vector<std::string>& simPatterns() {
  static const std::vector<std::string> p = {"random", "neg", "zero", "alt", "max", "mixed"};
  return p;
}

}  // namespace ftaccel::contract
