// Sanity-Check temporal (input) checksum, model level (TemporalModel.h): the digit split of the
// inverse, zero check sums without faults, and the Table 6.1 guarantees of the temporal check
// alone and of spatial + temporal on the model's output matrix (the RTL is not built).
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "config/Config.h"
#include "golden/GoldenModel.h"
#include "protect/sanity/SanityModel.h"
#include "protect/sanity/TemporalModel.h"

using namespace ftaccel;
namespace sc = ftaccel::protect::sanity;
namespace tc = ftaccel::protect::sanity::temporal;
using golden::Wide;

namespace {

// One layer W (rows x cols), a temporal batch of N vectors and its digit vectors: the matrix
// of results as it leaves a WS array (N + D vectors of cols lanes, exact in accBits).
struct Batch {
  int rows, cols, bits, accBits, n;
  tc::TemporalWidths w;
  std::vector<std::vector<int64_t>> weights;  // [k][u]
  std::vector<std::vector<int64_t>> inputs;   // N + D vectors as they enter the array
};

std::vector<Wide> product(const Batch& b, const std::vector<int64_t>& x,
                          const std::vector<std::vector<int64_t>>& weights) {
  std::vector<Wide> y(static_cast<size_t>(b.cols), 0);
  for (int u = 0; u < b.cols; ++u) {
    Wide s = 0;
    for (int k = 0; k < b.rows; ++k) s += static_cast<Wide>(x[static_cast<size_t>(k)]) * weights[static_cast<size_t>(k)][static_cast<size_t>(u)];
    y[static_cast<size_t>(u)] = sc::wrap(s, b.accBits);
  }
  return y;
}

std::vector<std::vector<Wide>> results(const Batch& b, const std::vector<std::vector<int64_t>>& weights) {
  std::vector<std::vector<Wide>> out;
  for (const auto& x : b.inputs) out.push_back(product(b, x, weights));
  return out;
}

int64_t draw(std::mt19937_64& rng, int bits) {
  // Mixed operands: random, the extremes, zero.
  std::uniform_int_distribution<int> pick(0, 7);
  std::uniform_int_distribution<int64_t> d(golden::minValue(bits), golden::maxValue(bits));
  switch (pick(rng)) {
    case 0: return golden::minValue(bits);
    case 1: return golden::maxValue(bits);
    case 2: return 0;
    default: return d(rng);
  }
}

Batch makeBatch(int rows, int cols, int bits, int n, int maxBatch, std::mt19937_64& rng) {
  Batch b{rows, cols, bits, config::minAccBits(bits, rows), n, tc::temporalWidths(bits, config::minAccBits(bits, rows), maxBatch), {}, {}};
  b.weights.assign(static_cast<size_t>(rows), std::vector<int64_t>(static_cast<size_t>(cols)));
  for (auto& row : b.weights)
    for (auto& v : row) v = draw(rng, bits);
  std::vector<std::vector<int64_t>> data;
  for (int i = 0; i < n; ++i) {
    std::vector<int64_t> x(static_cast<size_t>(rows));
    for (auto& v : x) v = draw(rng, bits);
    data.push_back(x);
  }
  b.inputs = data;
  for (auto& d : tc::digitVectors(tc::inverse(data, rows), b.w)) b.inputs.push_back(d);
  return b;
}

// The temporal alarm positions of a result matrix.
std::vector<int> temporalAlarm(const Batch& b, const std::vector<std::vector<Wide>>& y) {
  return tc::alarmPositions(tc::outputAccumulators(y, b.n, b.w), 0);
}

// The spatial check of every result vector (the sanity neuron from the loaded weights).
bool spatialAlarm(const Batch& b, const std::vector<std::vector<Wide>>& y) {
  const int sumBits = sc::widths(b.bits, b.accBits, b.cols).sumBits;
  std::vector<int64_t> column;
  for (const auto& row : b.weights) column.push_back(sc::checksumWeight(row));
  for (size_t i = 0; i < y.size(); ++i)
    if (sc::alarm(sc::checkSum(y[i], sc::sanityOutput(b.inputs[i], column, sumBits), sumBits), 0)) return true;
  return false;
}

}  // namespace

TEST_CASE("temporal model: widths, digits and throughput", "[sanity][temporal]") {
  const tc::TemporalWidths w8 = tc::temporalWidths(8, 19, 64);
  CHECK(w8.inverseBits == 15);  // 64 * 128 = 2^13 needs 15 signed bits
  CHECK(w8.digits == 2);        // 7 + 8 bits
  CHECK(w8.digitShift == 7);
  CHECK(tc::temporalWidths(16, 35, 64).digits == 2);
  CHECK(tc::temporalWidths(4, 12, 255).digits == 4);  // 13 bits: 3 + 3 + 3 + 4
  CHECK(tc::temporalWidths(8, 19, 1).digits == 2);    // -x of one vector: 9 bits, one 8-bit digit cannot hold -(-128)
  CHECK(tc::temporalWidths(8, 19, 1).inverseBits == 9);
  CHECK(tc::throughputLoss(64, w8) == Approx(2.0 / 66));
  CHECK(tc::schedule(3, w8) == std::vector<int>{0, 1, 2, -1, -2});
}

TEST_CASE("temporal model: the digit vectors stand for the exact inverse, every digit fits data.bits",
          "[sanity][temporal]") {
  std::mt19937_64 rng(41);
  for (int bits : {2, 3, 4, 8, 16})
    for (int maxBatch : {1, 2, 7, 64, 255}) {
      const tc::TemporalWidths w = tc::temporalWidths(bits, 40, maxBatch);
      for (int n : {1, maxBatch}) {
        for (int64_t fill : {golden::minValue(bits), golden::maxValue(bits), int64_t{0}, int64_t{-1}, int64_t{7}}) {
          fill = std::clamp(fill, golden::minValue(bits), golden::maxValue(bits));
          std::vector<std::vector<int64_t>> data(static_cast<size_t>(n), std::vector<int64_t>(3, fill));
          data[0][1] = draw(rng, bits);
          const auto inv = tc::inverse(data, 3);
          const auto digits = tc::digitVectors(inv, w);
          INFO(bits << " bits, batch " << n << " of " << maxBatch << ", fill " << fill);
          for (size_t k = 0; k < 3; ++k) {
            CHECK(tc::digitValue(digits, k, w) == inv[k]);
            CHECK(inv[k] >= golden::minValue(w.inverseBits));
            CHECK(inv[k] <= golden::maxValue(w.inverseBits));
            for (const auto& d : digits) {
              CHECK(d[k] >= golden::minValue(bits));
              CHECK(d[k] <= golden::maxValue(bits));
            }
          }
        }
      }
    }
}

TEST_CASE("temporal model: no false alarm, exact and residue, over 100,000 vectors", "[sanity][temporal]") {
  std::mt19937_64 rng(42);
  struct Shape {
    int rows, cols, bits, maxBatch;
  };
  long vectors = 0, falseAlarms = 0, residueFalse = 0, spatialFalse = 0;
  for (const Shape s : {Shape{4, 4, 8, 16}, Shape{8, 8, 16, 64}, Shape{3, 5, 4, 255}, Shape{1, 1, 4, 3},
                        Shape{16, 16, 8, 64}}) {
    std::uniform_int_distribution<int> batch(1, s.maxBatch);
    for (long shapeVectors = 0; shapeVectors < 20000;) {
      const Batch b = makeBatch(s.rows, s.cols, s.bits, batch(rng), s.maxBatch, rng);
      const auto y = results(b, b.weights);
      falseAlarms += !temporalAlarm(b, y).empty();
      spatialFalse += spatialAlarm(b, y);  // "both": the digit vectors pass the spatial check too
      for (int r : {3, 8, 13})
        residueFalse += !tc::residuePositions(tc::outputResidues(y, b.n, b.accBits, b.w, r), r).empty();
      shapeVectors += b.n;
    }
    vectors += 20000;
  }
  CHECK(vectors >= 100000);
  CHECK(falseAlarms == 0);
  CHECK(spatialFalse == 0);
  CHECK(residueFalse == 0);
}

TEST_CASE("temporal model: every single input error and output error is detected at its positions",
          "[sanity][temporal]") {
  std::mt19937_64 rng(43);
  long inputErrors = 0, outputErrors = 0;
  for (int bits : {4, 8}) {
    const Batch b = makeBatch(4, 3, bits, 5, 8, rng);
    const auto good = results(b, b.weights);
    // Every bit of every input lane of every vector entering the array (digit vectors
    // included), flipped after the input accumulators took it: the alarm names exactly the
    // output positions whose results changed (W[k][u] != 0); a flip that changes no result
    // (a zero weight row) needs no alarm.
    for (size_t i = 0; i < b.inputs.size(); ++i)
      for (int k = 0; k < b.rows; ++k)
        for (int bit = 0; bit < bits; ++bit) {
          Batch f = b;
          auto& v = f.inputs[i][static_cast<size_t>(k)];
          v = golden::signExtend(static_cast<uint64_t>(v ^ (int64_t{1} << bit)), bits);
          const auto y = results(f, f.weights);
          std::vector<int> changed;
          for (int u = 0; u < b.cols; ++u)
            if (y[i][static_cast<size_t>(u)] != good[i][static_cast<size_t>(u)]) changed.push_back(u);
          INFO("vector " << i << " lane " << k << " bit " << bit);
          CHECK(temporalAlarm(b, y) == changed);
          ++inputErrors;
        }
    // Every bit of every result lane (accBits) of every vector: the alarm names that position.
    for (size_t i = 0; i < good.size(); ++i)
      for (int u = 0; u < b.cols; ++u)
        for (int bit = 0; bit < b.accBits; ++bit) {
          auto y = good;
          auto& v = y[i][static_cast<size_t>(u)];
          v = sc::wrap(v ^ (Wide{1} << bit), b.accBits);
          INFO("vector " << i << " position " << u << " bit " << bit);
          CHECK(temporalAlarm(b, y) == std::vector<int>{u});
          for (int r : {3, 8})
            CHECK(tc::residuePositions(tc::outputResidues(y, b.n, b.accBits, b.w, r), r) == std::vector<int>{u});
          ++outputErrors;
        }
  }
  CHECK(inputErrors == (5 + 3) * 4 * 4 + (5 + 2) * 4 * 8);  // D = 3 digits at 4 bits, 2 at 8 bits (N <= 8)
  CHECK(outputErrors > 0);
}

TEST_CASE("temporal model: weight errors are missed (spatial sees them), input errors are missed by spatial",
          "[sanity][temporal]") {
  std::mt19937_64 rng(44);
  const Batch b = makeBatch(4, 4, 8, 6, 16, rng);
  const auto good = results(b, b.weights);
  long wrongWeights = 0, temporalMissed = 0, spatialCaught = 0;
  for (int k = 0; k < b.rows; ++k)
    for (int u = 0; u < b.cols; ++u)
      for (int bit = 0; bit < b.bits; ++bit) {
        // A weight register flipped for the whole batch (digit vectors included).
        auto w = b.weights;
        auto& v = w[static_cast<size_t>(k)][static_cast<size_t>(u)];
        v = golden::signExtend(static_cast<uint64_t>(v ^ (int64_t{1} << bit)), b.bits);
        const auto y = results(b, w);
        if (y == good) continue;
        ++wrongWeights;
        temporalMissed += temporalAlarm(b, y).empty();
        spatialCaught += spatialAlarm(b, y);  // the checksum weights were loaded from the right W
      }
  CHECK(wrongWeights > 100);
  CHECK(temporalMissed == wrongWeights);  // Lemma 1: W^T (sum x + S) = 0 for any W
  CHECK(spatialCaught == wrongWeights);
  // An input error before the accumulators: both the data and the inverse see it, so the
  // temporal check cannot; nor can the spatial one (Lemma 1).
  Batch f = b;
  f.inputs.resize(static_cast<size_t>(b.n));
  f.inputs[2][1] = golden::signExtend(static_cast<uint64_t>(f.inputs[2][1] ^ 16), b.bits);
  for (auto& d : tc::digitVectors(tc::inverse(f.inputs, b.rows), b.w)) f.inputs.push_back(d);
  const auto y = results(f, f.weights);
  CHECK(y != good);
  CHECK(temporalAlarm(f, y).empty());
  CHECK_FALSE(spatialAlarm(f, y));
}

TEST_CASE("temporal model: spatial + temporal detect every combination of up to 3 output errors",
          "[sanity][temporal]") {
  std::mt19937_64 rng(45);
  const Batch b = makeBatch(3, 3, 4, 3, 4, rng);  // 3 + 2 result vectors of 3 lanes
  const auto good = results(b, b.weights);
  const int cells = static_cast<int>(good.size()) * b.cols;
  // Deltas chosen to cancel where they can: equal and opposite, powers of two, digit weights.
  const std::vector<Wide> deltas = {1, -1, 2, -2, 8, -8, 16, -16, 3, -5};
  long combinations = 0, missed = 0;
  auto check = [&](const std::vector<std::pair<int, Wide>>& errors) {
    auto y = good;
    for (const auto& [cell, delta] : errors) {
      auto& v = y[static_cast<size_t>(cell / b.cols)][static_cast<size_t>(cell % b.cols)];
      v = sc::wrap(v + delta, b.accBits);
    }
    ++combinations;
    missed += temporalAlarm(b, y).empty() && !spatialAlarm(b, y);
  };
  for (int c1 = 0; c1 < cells; ++c1)
    for (Wide d1 : deltas) {
      check({{c1, d1}});
      for (int c2 = c1 + 1; c2 < cells; ++c2)
        for (Wide d2 : deltas) {
          check({{c1, d1}, {c2, d2}});
          for (int c3 = c2 + 1; c3 < cells; ++c3)
            for (Wide d3 : deltas) check({{c1, d1}, {c2, d2}, {c3, d3}});
        }
    }
  CHECK(combinations > 400000);
  CHECK(missed == 0);
  // Four errors on a rectangle of data vectors, +e -e -e +e: every row and column sum stays
  // zero, the documented limit (Lemma 6).
  auto y = good;
  y[0][0] += 4, y[0][1] -= 4, y[1][0] -= 4, y[1][1] += 4;
  CHECK(temporalAlarm(b, y).empty());
  CHECK_FALSE(spatialAlarm(b, y));
}
