// Bit-exact host-side model of the Sanity-Check spatial checksum (SPEC §4, dissertation ch. 6):
// checksum weights, the sanity neuron, the check sum and the alarm decision, exact and in
// residue mode (modulo 2^r - 1, end-around carry, as the RTL folds it). Header-only,
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
// In residue mode (residueBits = r > 0) every one of them is r bits: residues modulo 2^r - 1.
struct Widths {
  int weightBits = 0;  // checksum weight lane and sanity PE weight registers
  int sumBits = 0;     // sanity PE partial sums, the adder tree, the threshold
};
inline Widths widths(int dataBits, int accBits, int cols, int residueBits = 0) {
  if (residueBits > 0) return {residueBits, residueBits};
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

// ---- Residue mode: modulo m = 2^r - 1 with end-around carry -------------------------------
// Since 2^r = 1 (mod m), a value folds by adding its r-bit digits. Values are kept in [0, m]:
// both 0 and m (all ones, "negative zero") stand for residue 0. Never modulo 2^r: a flip
// above bit r-1 would vanish there, while 2^i mod m is never 0.

inline golden::UWide modulus(int r) { return (golden::UWide{1} << r) - 1; }

// One end-around fold stage, repeated until the value fits [0, m] (a stage is the identity
// there, so the RTL's fixed number of stages gives the same bits).
inline golden::UWide fold(golden::UWide s, int r) {
  const golden::UWide m = modulus(r);
  while (s > m) s = (s & m) + (s >> r);
  return s;
}

// A signed `bits`-bit value as the RTL folds it: sign-extended to K*r bits (K = ceil(bits/r)),
// its K digits summed, plus m - 1 when negative (the K*r-bit pattern of v < 0 is v + 2^(K*r),
// and 2^(K*r) = 1 mod m).
inline golden::UWide foldSigned(golden::Wide v, int bits, int r) {
  const golden::UWide m = modulus(r);
  const int k = (bits + r - 1) / r;
  golden::UWide s = v < 0 ? m - 1 : 0;
  for (int i = 0; i < k; ++i) s += static_cast<golden::UWide>(v >> (i * r)) & m;
  return fold(s, r);
}

// The canonical residue in [0, m-1] (what the host sends as a checksum weight).
inline golden::UWide residueOf(golden::Wide v, int r) {
  const golden::Wide m = static_cast<golden::Wide>(modulus(r));
  return static_cast<golden::UWide>(((v % m) + m) % m);
}

// The sanity neuron in residue mode: PE k adds fold(foldSigned(x_k) * w_k) to its partial sum
// with an end-around fold, from row 0 down.
inline golden::UWide sanityResidue(const std::vector<int64_t>& x, const std::vector<int64_t>& column, int dataBits,
                                   int r) {
  golden::UWide s = 0;
  for (size_t k = 0; k < x.size() && k < column.size(); ++k) {
    const golden::UWide w = residueOf(column[k], r);
    s = fold(s + fold(foldSigned(x[k], dataBits, r) * w, r), r);
  }
  return s;
}

// The check in residue mode, in the RTL's tree order: level 0 = {sanity, fold(lane 0), ...},
// each level folds neighbour pairs, an odd last term passes.
inline golden::UWide checkResidue(const std::vector<golden::Wide>& outputs, golden::UWide sanity, int accBits, int r) {
  std::vector<golden::UWide> level{sanity};
  for (golden::Wide y : outputs) level.push_back(foldSigned(y, accBits, r));
  while (level.size() > 1) {
    std::vector<golden::UWide> next;
    for (size_t j = 0; j + 1 < level.size(); j += 2) next.push_back(fold(level[j] + level[j + 1], r));
    if (level.size() % 2) next.push_back(level.back());
    level = std::move(next);
  }
  return level[0];
}

// The residue alarm: the sum is not a multiple of m (neither 0 nor all ones).
inline bool residueAlarm(golden::UWide s, int r) { return s != 0 && s != modulus(r); }

}  // namespace ftaccel::protect::sanity
