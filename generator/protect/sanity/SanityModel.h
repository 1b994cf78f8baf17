// Bit-exact host-side model of the Sanity-Check spatial checksum (SPEC §4, dissertation ch. 6):
// checksum weights, the sanity neuron, the check sum and the alarm decision. Header-only,
// standard C++: the generator, the tests and the co-simulation harness share it.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/GoldenModel.h"

namespace ftaccel::protect::sanity {

// ceil(log2(n)), 0 for n <= 1.
inline int ceilLog2(int n) {
  int b = 0;
  while ((1L << b) < n) ++b;
  return b;
}

// Widths of the checksum hardware. The checksum weight -sum_u W[k][u] of `cols` weights of
// `dataBits` bits needs dataBits + ceil(log2 cols) + 1 bits (the +1 holds cols * 2^(bits-1),
// the negated most negative row). The check sum adds cols outputs of accBits bits and the
// sanity neuron (-sum of the same outputs): accBits + ceil(log2 cols) + 1 bits hold both
// exactly, and a single wrong term changes it by less than 2^sumBits, so never to zero.
struct Widths {
  int weightBits = 0;  // checksum weight lane and sanity PE weight registers
  int sumBits = 0;     // sanity PE partial sums, the adder tree, the threshold
};
inline Widths widths(int dataBits, int accBits, int cols) {
  return {dataBits + ceilLog2(cols) + 1, accBits + ceilLog2(cols) + 1};
}

// The checksum weight of one stationary row: the sanity neuron's weight for input row k.
inline int64_t checksumWeight(const std::vector<int64_t>& row) {
  int64_t s = 0;
  for (int64_t w : row) s += w;
  return -s;
}

// The checksum column of a stationary tile (rows x cols, PE(r, c) holds at(r, c)): what the
// host sends on sanity_wload_data_i beside weight row k. Also for tiles of a tiled product:
// the checksum covers the columns of the tile as loaded (padding included, it is zero).
inline std::vector<int64_t> checksumColumn(const golden::Matrix& stationary) {
  std::vector<int64_t> col(static_cast<size_t>(stationary.rows));
  for (int r = 0; r < stationary.rows; ++r) {
    int64_t s = 0;
    for (int c = 0; c < stationary.cols; ++c) s += stationary.at(r, c);
    col[static_cast<size_t>(r)] = -s;
  }
  return col;
}

// Wraps v to a two's-complement value of `bits` bits (what a register of that width holds).
inline golden::Wide wrap(golden::Wide v, int bits) { return golden::signExtendWide(v, bits); }

// The sanity neuron's output for one streamed vector x (rows lanes).
inline golden::Wide sanityOutput(const std::vector<int64_t>& x, const std::vector<int64_t>& column,
                                 int sumBits) {
  golden::Wide s = 0;
  for (size_t k = 0; k < x.size() && k < column.size(); ++k)
    s += static_cast<golden::Wide>(x[k]) * column[k];
  return wrap(s, sumBits);
}

// The check sum of one result vector as the RTL computes it: every output lane (accBits
// wide, as it leaves the IP) plus the sanity neuron, modulo 2^sumBits.
inline golden::Wide checkSum(const std::vector<golden::Wide>& outputs, golden::Wide sanity, int sumBits) {
  golden::Wide s = sanity;
  for (golden::Wide y : outputs) s = wrap(s + y, sumBits);
  return wrap(s, sumBits);
}

// The alarm decision: |sum| > threshold (threshold unsigned, sumBits bits).
inline bool alarm(golden::Wide sum, uint64_t threshold) {
  const golden::Wide magnitude = sum < 0 ? -sum : sum;
  return magnitude > static_cast<golden::Wide>(threshold);
}

}  // namespace ftaccel::protect::sanity
