// Tensor-level random bit errors at a bit error rate (SPEC §9, dissertation Alg. 6.1 / 9.1),
// for fast golden-model studies. Standard library only: it may be embedded in the harness.
//
// What we follow (Alg. 9.1, §9.4.2): every bit of every element is in error independently with
// probability p (a Bernoulli mask), the per-bit perturbations are taken from the bit's original
// value and summed per element - on an integer (already quantized, scale 1) two's-complement
// word this is exactly an XOR with the mask. Targets are those of §6.3.1: weights (persistent),
// layer inputs, and layer outputs (here at the accumulator width). Where Alg. 6.1 differs (it
// fixes the error count at rate x size and negates the value on a sign-bit error) we follow
// Alg. 9.1 on the two's-complement word: a sign-bit flip changes the value by 2^(bits-1). The
// comparison is against the fault-free golden result (the dissertation measures accuracy
// instead; a tile has no labels).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "golden/GoldenModel.h"

namespace ftaccel::golden {

// The bits in error of one tensor of `elements` words of `bits` bits: each bit independently
// with probability `ber`. The gaps between error bits are drawn geometrically, so the cost is
// proportional to the number of errors, not of bits (BER 1e-7 on large tensors is cheap).
struct ElementError {
  size_t index = 0;  // element, ascending
  UWide mask = 0;    // XOR mask of its flipped bits (never 0)
};
struct ErrorPattern {
  std::vector<ElementError> elements;
  uint64_t bitsFlipped = 0;
};
// Throws std::invalid_argument for bits outside 1..128 or ber outside [0, 1].
ErrorPattern sampleBitErrors(size_t elements, int bits, double ber, std::mt19937_64& rng);

// Applies sampleBitErrors(m.data.size(), bits, ber, rng) to the matrix: XOR, then sign-extend
// from `bits`. Returns the number of flipped bits. Matrix allows bits 1..64, WideMatrix 1..128.
uint64_t injectBitErrors(Matrix& m, int bits, double ber, std::mt19937_64& rng);
uint64_t injectBitErrors(WideMatrix& m, int bits, double ber, std::mt19937_64& rng);

enum class BerTarget { Weights, Inputs, Outputs };
std::string toString(BerTarget t);
// "weights" | "inputs" | "outputs"; false for anything else.
bool parseBerTarget(const std::string& text, BerTarget& out);

struct BerStudyOptions {
  int dataBits = 8;
  int accBits = 19;  // width of the output words (outputs target)
  double ber = 0;
  BerTarget target = BerTarget::Weights;
  int trials = 1;
  uint64_t seed = 1;
};

struct BerStudyResult {
  int trials = 0;
  int64_t trialsWithError = 0;  // trials with at least one wrong output element
  int64_t wrongElements = 0;    // over all trials
  Wide maxAbsError = 0;         // largest |faulty - golden| over all outputs and trials
  // Mean over wrong elements of |faulty - golden| / max(|golden|, 1) (a golden 0 counts as 1).
  double meanRelativeError = 0;
  uint64_t bitsFlipped = 0;     // over all trials
  double expectedBitsFlipped = 0;  // ber * bits * elements * trials
  int64_t outputElements = 0;      // per trial
};

// Trial t draws its errors from std::mt19937_64(trialSeed(seed, t)), so any trial can be
// recomputed alone and a study can be split across processes.
uint64_t trialSeed(uint64_t seed, int trial);

// x is M x K (inputs), w is K x C (weights), operands within dataBits. Each trial injects the
// target tensor (outputs: the fault-free y at accBits) and compares the result with the
// fault-free matmul. The faulty y equals matmul(x', w'), but is computed from the error pattern
// alone (by linearity, each changed operand adds its delta times a row or column), so a trial
// costs O(errors * (M or C)) instead of a matmul. Throws std::invalid_argument for inconsistent
// shapes or options.
BerStudyResult runBerStudy(const Matrix& x, const Matrix& w, const BerStudyOptions& opts);

}  // namespace ftaccel::golden
