// Bit-exact reference of anomalous feature detection and suppression (SPEC §5, eq. 8.1-8.2).
// Standard C++ only: it is also compiled into the co-simulation harness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ftaccel::afd {

// The run-time settings of the unit: shift s (gamma = 2^s) and the number of gates in use.
struct AfdSettings {
  int shift = 0;      // applied as min(shift, sMax): the shifter is built for 0..sMax
  int sMax = 0;
  int gates = 1;      // 1: eq. 8.1 (neighbour c+1); 2: eq. 8.2 (neighbours c-1 and c+1)
  bool clip = false;  // false: drop (value -> 0); true: clip to the largest violated threshold
};

// |v| as an exact unsigned number (|-2^(b-1)| = 2^(b-1) needs b+1 bits as a signed value).
inline uint64_t magnitude(int64_t v) { return v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v); }

// One lane: `a` with its wrapped neighbours `prev` (c-1) and `next` (c+1). A gate is violated
// when |a| > 2^s * |neighbour| (strictly; equality passes, as in the RTL).
inline int64_t afdLane(int64_t a, int64_t prev, int64_t next, const AfdSettings& s) {
  const int sh = std::min(s.shift, s.sMax);
  const uint64_t m = magnitude(a);
  const uint64_t tNext = magnitude(next) << sh, tPrev = magnitude(prev) << sh;
  const bool vNext = m > tNext, vPrev = m > tPrev;
  const bool suppress = s.gates == 2 ? (vNext && vPrev) : vNext;
  if (!suppress) return a;
  if (!s.clip) return 0;
  // Two gates: both are violated, the largest violated threshold is the larger one.
  const uint64_t t = s.gates == 2 ? std::max(tNext, tPrev) : tNext;
  return a < 0 ? -int64_t(t) : int64_t(t);
}

// A vector filtered chunk by chunk: chunks of `lanes` lanes, neighbours wrap inside the chunk
// (lane 0 looks at lane L-1). The last chunk may be shorter; it wraps inside itself.
inline std::vector<int64_t> afdFilter(const std::vector<int64_t>& x, int lanes, const AfdSettings& s) {
  std::vector<int64_t> y(x.size());
  for (size_t base = 0; base < x.size(); base += size_t(lanes)) {
    const size_t n = std::min(size_t(lanes), x.size() - base);
    for (size_t c = 0; c < n; ++c)
      y[base + c] = afdLane(x[base + c], x[base + (c + n - 1) % n], x[base + (c + 1) % n], s);
  }
  return y;
}

}  // namespace ftaccel::afd
