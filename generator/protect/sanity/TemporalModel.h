// Bit-exact model of the Sanity-Check temporal (input) checksum (SPEC §4, dissertation ch. 6,
// Fig. 6.9) as the hardware would compute it: input accumulators over a temporal batch of N
// vectors, their additive inverse split into data.bits digit vectors, output accumulators that
// shift-accumulate the digit results, and the per-position check. The RTL (SanityUnit's
// `_sanity_tin` / `_sanity_tout`) and the harness follow it bit for bit; the order in which the
// RTL adds the terms (delivered results, digit results) does not change the sums or the residues' alarm
// decisions (docs/sanity-check.md,
// "Temporal checksum: the model"). Header-only, standard C++.
#pragma once

#include <cstdint>
#include <vector>

#include "golden/GoldenModel.h"
#include "protect/sanity/SanityModel.h"

namespace ftaccel::protect::sanity::temporal {

using golden::Wide;

// Widths of a temporal checksum for batches of at most `maxBatch` vectors of `dataBits` bits.
// The inverse -sum_i x_i[k] of N values lies in [-N(2^(b-1)-1), N 2^(b-1)]: b + ceil(log2 N) + 1
// bits. It is sent as `digits` vectors: digit j < D-1 unsigned in [0, 2^(b-1)) (a non-negative
// b-bit value), the top digit signed b bits, so S = sum_j d_j 2^(j(b-1)). Each digit's results
// are exact in accBits (a digit is a b-bit value like any input); the output accumulator adds
// result lane y of digit j shifted by j(b-1). Its width keeps every single wrong term non-zero:
// a lane error |e| < 2^accBits shifted by at most (D-1)(b-1) bits.
struct TemporalWidths {
  int inverseBits = 0;  // input accumulator / inverse, signed
  int digits = 0;       // D: extra vectors per batch
  int digitShift = 0;   // b - 1: the weight of digit j is 2^(j*digitShift)
  int accBits = 0;      // output accumulator, modulo 2^accBits
};
inline TemporalWidths temporalWidths(int dataBits, int accBits, int maxBatch) {
  TemporalWidths w;
  w.inverseBits = dataBits + ceilLog2(maxBatch) + 1;
  w.digitShift = dataBits - 1;
  w.digits = 1;
  while ((w.digits - 1) * w.digitShift + dataBits < w.inverseBits) ++w.digits;
  w.accBits = accBits + (w.digits - 1) * w.digitShift + ceilLog2(maxBatch + w.digits) + 1;
  return w;
}

// Throughput: N results per N + D vectors through the array; loss D / (N + D).
inline double throughputLoss(int batch, const TemporalWidths& w) {
  return static_cast<double>(w.digits) / (batch + w.digits);
}

// The input accumulators' inverse for one batch (one value per input position k).
inline std::vector<Wide> inverse(const std::vector<std::vector<int64_t>>& batch, int positions) {
  std::vector<Wide> s(static_cast<size_t>(positions), 0);
  for (const auto& x : batch)
    for (int k = 0; k < positions && k < static_cast<int>(x.size()); ++k) s[static_cast<size_t>(k)] -= x[static_cast<size_t>(k)];
  return s;
}

// The D digit vectors of the inverse (digit j of every position), in the order they are sent.
inline std::vector<std::vector<int64_t>> digitVectors(const std::vector<Wide>& inv, const TemporalWidths& w) {
  std::vector<std::vector<int64_t>> out(static_cast<size_t>(w.digits), std::vector<int64_t>(inv.size()));
  const Wide low = (Wide{1} << w.digitShift) - 1;
  for (size_t k = 0; k < inv.size(); ++k)
    for (int j = 0; j < w.digits; ++j) {
      const Wide d = inv[k] >> (j * w.digitShift);  // arithmetic shift
      out[static_cast<size_t>(j)][k] = static_cast<int64_t>(j + 1 < w.digits ? (d & low) : d);
    }
  return out;
}

// The value the digits stand for (the host's and the tests' check of the split).
inline Wide digitValue(const std::vector<std::vector<int64_t>>& digits, size_t position, const TemporalWidths& w) {
  Wide s = 0;
  for (size_t j = 0; j < digits.size(); ++j) s += static_cast<Wide>(digits[j][position]) << (j * static_cast<size_t>(w.digitShift));
  return s;
}

// Output accumulators of one batch: the N result vectors, then the D digit results shifted by
// j * digitShift, every lane modulo 2^accBits. Fault-free: all zero (W^T (sum x + S) = 0).
// `results` holds N + D vectors in the order they leave the array.
inline std::vector<Wide> outputAccumulators(const std::vector<std::vector<Wide>>& results, int batch,
                                            const TemporalWidths& w) {
  std::vector<Wide> acc(results.empty() ? 0 : results[0].size(), 0);
  for (size_t i = 0; i < results.size(); ++i) {
    const int shift = i < static_cast<size_t>(batch) ? 0 : static_cast<int>(i - static_cast<size_t>(batch)) * w.digitShift;
    for (size_t u = 0; u < acc.size(); ++u) acc[u] = wrap(acc[u] + (results[i][u] << shift), w.accBits);
  }
  return acc;
}

// Residue mode (r > 0): the output accumulators modulo 2^r - 1; digit j's lane enters as its
// residue times 2^(j * digitShift mod r) (a rotation: 2^r = 1 mod m). Fault-free: every lane
// is 0 or m.
inline std::vector<golden::UWide> outputResidues(const std::vector<std::vector<Wide>>& results, int batch,
                                                 int laneBits, const TemporalWidths& w, int r) {
  std::vector<golden::UWide> acc(results.empty() ? 0 : results[0].size(), 0);
  for (size_t i = 0; i < results.size(); ++i) {
    const int shift = i < static_cast<size_t>(batch) ? 0 : static_cast<int>(i - static_cast<size_t>(batch)) * w.digitShift % r;
    for (size_t u = 0; u < acc.size(); ++u)
      acc[u] = fold(acc[u] + fold(foldSigned(results[i][u], laneBits, r) << shift, r), r);
  }
  return acc;
}

// The output positions whose accumulator deviates: |acc| > threshold (exact), or a residue
// that is neither 0 nor all ones. The alarm names them.
inline std::vector<int> alarmPositions(const std::vector<Wide>& acc, uint64_t threshold) {
  std::vector<int> out;
  for (size_t u = 0; u < acc.size(); ++u)
    if (alarm(acc[u], threshold)) out.push_back(static_cast<int>(u));
  return out;
}
inline std::vector<int> residuePositions(const std::vector<golden::UWide>& acc, int r) {
  std::vector<int> out;
  for (size_t u = 0; u < acc.size(); ++u)
    if (residueAlarm(acc[u], r)) out.push_back(static_cast<int>(u));
  return out;
}

// The batch schedule: which of the N + D vectors entering the array carry data (index in the
// batch) and which carry digit j (-1 - j).
inline std::vector<int> schedule(int batch, const TemporalWidths& w) {
  std::vector<int> s;
  for (int i = 0; i < batch; ++i) s.push_back(i);
  for (int j = 0; j < w.digits; ++j) s.push_back(-1 - j);
  return s;
}

}  // namespace ftaccel::protect::sanity::temporal
