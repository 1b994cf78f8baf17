// Tensor-level bit errors (Alg. 6.1 / 9.1): masks, statistics, determinism, the BER study.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>

#include "golden/BitErrors.h"
#include "golden/GoldenModel.h"

using namespace ftaccel::golden;

namespace {

Matrix randomBitMatrix(int rows, int cols, int bits, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Matrix m(rows, cols);
  for (auto& v : m.data) v = signExtend(rng(), bits);
  return m;
}

Wide absWide(Wide v) { return v < 0 ? -v : v; }

}  // namespace

TEST_CASE("BER 0 flips nothing", "[ber]") {
  std::mt19937_64 rng(1);
  Matrix m = randomBitMatrix(30, 20, 8, 2);
  const Matrix before = m;
  CHECK(injectBitErrors(m, 8, 0.0, rng) == 0);
  CHECK(m.data == before.data);
  WideMatrix y(4, 4);
  CHECK(injectBitErrors(y, 96, 0.0, rng) == 0);
  CHECK(sampleBitErrors(1000, 8, 0.0, rng).elements.empty());
}

TEST_CASE("BER 1 flips every bit within the element width", "[ber]") {
  std::mt19937_64 rng(1);
  for (int bits : {1, 4, 8, 32, 64}) {
    Matrix m = randomBitMatrix(7, 5, bits, 3);
    const Matrix before = m;
    CHECK(injectBitErrors(m, bits, 1.0, rng) == 35u * static_cast<uint64_t>(bits));
    for (size_t i = 0; i < m.data.size(); ++i)
      CHECK(m.data[i] == signExtend(~static_cast<uint64_t>(before.data[i]), bits));
  }
  WideMatrix y(2, 3);
  y.data = {0, -1, 5, -(Wide{1} << 95), (Wide{1} << 95) - 1, 123456789};
  const WideMatrix before = y;
  CHECK(injectBitErrors(y, 96, 1.0, rng) == 6u * 96u);
  for (size_t i = 0; i < y.data.size(); ++i) CHECK(y.data[i] == -before.data[i] - 1);  // ~x
}

TEST_CASE("flipped bit count matches BER times bits times elements", "[ber]") {
  std::mt19937_64 rng(42);
  // 200 x 100 x 8 bits x 50 trials at 1e-3: 8000 expected, standard deviation about 89.
  uint64_t flips = 0;
  std::vector<uint64_t> perPosition(8, 0);
  for (int t = 0; t < 50; ++t) {
    ErrorPattern p = sampleBitErrors(200 * 100, 8, 1e-3, rng);
    flips += p.bitsFlipped;
    for (const ElementError& e : p.elements)
      for (int b = 0; b < 8; ++b) perPosition[b] += (e.mask >> b) & 1;
  }
  CHECK(flips > 7600);
  CHECK(flips < 8400);
  for (uint64_t n : perPosition) {  // 1000 expected per bit position
    CHECK(n > 850);
    CHECK(n < 1150);
  }
  // Several errors in one element are possible and merged into one mask, indices ascending.
  ErrorPattern dense = sampleBitErrors(10000, 8, 0.5, rng);
  CHECK(dense.bitsFlipped > 39000);
  CHECK(dense.bitsFlipped < 41000);
  uint64_t maskBits = 0;
  for (size_t i = 0; i < dense.elements.size(); ++i) {
    const ElementError& e = dense.elements[i];
    CHECK(e.mask != 0);
    CHECK((e.mask >> 8) == 0);
    if (i > 0) CHECK(e.index > dense.elements[i - 1].index);
    for (UWide m = e.mask; m; m &= m - 1) ++maskBits;
  }
  CHECK(maskBits == dense.bitsFlipped);
}

TEST_CASE("tiny BER on a large tensor costs the flips not the bits", "[ber]") {
  // 1e9 bits per draw at 1e-7: about 100 flips each, without touching a billion bits.
  std::mt19937_64 rng(5);
  const auto start = std::chrono::steady_clock::now();
  uint64_t flips = 0;
  for (int t = 0; t < 100; ++t) flips += sampleBitErrors(125000000, 8, 1e-7, rng).bitsFlipped;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(flips > 9000);  // 10000 expected, sd 100
  CHECK(flips < 11000);
  CHECK(seconds < 2.0);
}

TEST_CASE("bit errors are deterministic from the seed", "[ber]") {
  Matrix a = randomBitMatrix(40, 40, 8, 9), b = a, c = a;
  std::mt19937_64 r1(77), r2(77), r3(78);
  CHECK(injectBitErrors(a, 8, 0.01, r1) == injectBitErrors(b, 8, 0.01, r2));
  CHECK(a.data == b.data);
  injectBitErrors(c, 8, 0.01, r3);
  CHECK(c.data != a.data);

  const Matrix x = randomBitMatrix(16, 8, 8, 10), w = randomBitMatrix(8, 8, 8, 11);
  BerStudyOptions o;
  o.ber = 1e-3;
  o.trials = 200;
  o.seed = 3;
  const BerStudyResult s1 = runBerStudy(x, w, o), s2 = runBerStudy(x, w, o);
  CHECK(s1.bitsFlipped == s2.bitsFlipped);
  CHECK(s1.wrongElements == s2.wrongElements);
  CHECK(s1.trialsWithError == s2.trialsWithError);
  CHECK(s1.maxAbsError == s2.maxAbsError);
  CHECK(s1.meanRelativeError == s2.meanRelativeError);
  CHECK(trialSeed(3, 0) != trialSeed(3, 1));
  CHECK(trialSeed(3, 0) != trialSeed(4, 0));
}

TEST_CASE("outputs are flipped at the accumulator width", "[ber]") {
  const int acc = 19;
  const Wide lo = -(Wide{1} << (acc - 1)), hi = (Wide{1} << (acc - 1)) - 1;
  std::mt19937_64 rng(8);
  WideMatrix y(50, 50);
  for (auto& v : y.data) v = signExtendWide(static_cast<Wide>(rng()), acc);
  const WideMatrix before = y;
  const uint64_t flips = injectBitErrors(y, acc, 0.3, rng);
  CHECK(flips > 50 * 50 * acc / 4);
  uint64_t differing = 0;  // bits that differ within the acc width, the rest is sign extension
  for (size_t i = 0; i < y.data.size(); ++i) {
    CHECK(y.data[i] >= lo);
    CHECK(y.data[i] <= hi);
    UWide diff = (static_cast<UWide>(y.data[i]) ^ static_cast<UWide>(before.data[i])) &
                 ((UWide{1} << acc) - 1);
    for (; diff; diff &= diff - 1) ++differing;
  }
  CHECK(differing == flips);

  const Matrix x = randomBitMatrix(16, 8, 8, 12), w = randomBitMatrix(8, 8, 8, 13);
  BerStudyOptions o;
  o.accBits = acc;
  o.ber = 1.0;
  o.target = BerTarget::Outputs;
  o.trials = 3;
  const BerStudyResult r = runBerStudy(x, w, o);
  CHECK(r.bitsFlipped == 3u * 16 * 8 * acc);
  CHECK(r.expectedBitsFlipped == Approx(3.0 * 16 * 8 * acc));
  CHECK(r.wrongElements == 3 * 16 * 8);  // ~y != y always
  CHECK(r.maxAbsError <= hi - lo);
  o.accBits = 8;  // too narrow for these sums
  CHECK_THROWS_AS(runBerStudy(x, w, o), std::invalid_argument);
}

TEST_CASE("BER study agrees with an independent recomputation of one trial", "[ber]") {
  const Matrix x = randomBitMatrix(12, 8, 8, 20), w = randomBitMatrix(8, 6, 8, 21);
  const WideMatrix golden = matmul(x, w);
  for (BerTarget target : {BerTarget::Weights, BerTarget::Inputs, BerTarget::Outputs}) {
    BerStudyOptions o;
    o.ber = 0.02;
    o.target = target;
    o.trials = 1;
    o.seed = 99;
    const BerStudyResult r = runBerStudy(x, w, o);

    // Recompute trial 0 with copies and full matmuls.
    std::mt19937_64 rng(trialSeed(o.seed, 0));
    Matrix xf = x, wf = w;
    WideMatrix y;
    uint64_t flips = 0;
    if (target == BerTarget::Outputs) {
      y = golden;
      flips = injectBitErrors(y, o.accBits, o.ber, rng);
    } else {
      flips = injectBitErrors(target == BerTarget::Weights ? wf : xf, o.dataBits, o.ber, rng);
      y = matmul(xf, wf);
    }
    int64_t wrong = 0;
    Wide maxErr = 0;
    double rel = 0;
    for (size_t i = 0; i < y.data.size(); ++i) {
      if (y.data[i] == golden.data[i]) continue;
      ++wrong;
      Wide e = absWide(y.data[i] - golden.data[i]);
      maxErr = e > maxErr ? e : maxErr;
      Wide g = absWide(golden.data[i]);
      rel += static_cast<double>(e) / static_cast<double>(g > 0 ? g : 1);
    }
    INFO("target " << toString(target));
    REQUIRE(flips > 0);
    CHECK(r.bitsFlipped == flips);
    CHECK(r.wrongElements == wrong);
    CHECK(r.trialsWithError == (wrong > 0 ? 1 : 0));
    CHECK(r.maxAbsError == maxErr);
    CHECK(r.meanRelativeError == Approx(wrong ? rel / static_cast<double>(wrong) : 0.0));
    CHECK(r.outputElements == 12 * 6);
  }
}

TEST_CASE("BER study rejects bad options", "[ber]") {
  const Matrix x = randomBitMatrix(4, 3, 8, 1), w = randomBitMatrix(3, 2, 8, 2);
  BerStudyOptions o;
  o.ber = 1.5;
  CHECK_THROWS_AS(runBerStudy(x, w, o), std::invalid_argument);
  o.ber = 0.1;
  o.trials = 0;
  CHECK_THROWS_AS(runBerStudy(x, w, o), std::invalid_argument);
  o.trials = 1;
  CHECK_THROWS_AS(runBerStudy(x, randomBitMatrix(2, 2, 8, 3), o), std::invalid_argument);
  o.dataBits = 4;  // operands are 8-bit
  CHECK_THROWS_AS(runBerStudy(x, w, o), std::invalid_argument);
  BerTarget t{};
  CHECK(parseBerTarget("inputs", t));
  CHECK(t == BerTarget::Inputs);
  CHECK_FALSE(parseBerTarget("psums", t));
}
