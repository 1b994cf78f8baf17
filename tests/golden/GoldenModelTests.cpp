// Golden model: exact arithmetic and the eq. 10.3-10.5 mapping with diagonal shift.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "golden/GoldenModel.h"

using namespace ftaccel::golden;

TEST_CASE("sign extension and ranges", "[golden]") {
  CHECK(signExtend(0x80, 8) == -128);
  CHECK(signExtend(0x7f, 8) == 127);
  CHECK(signExtend(0xff, 8) == -1);
  CHECK(signExtend(0x1ff, 8) == -1);  // bits above the width are ignored
  CHECK(signExtend(0x8, 4) == -8);
  CHECK(minValue(32) == -2147483648LL);
  CHECK(maxValue(4) == 7);
  CHECK(signExtendWide(Wide{1} << 71, 72) == -(Wide{1} << 71));
  CHECK(toString(-(Wide{1} << 70)) == "-1180591620717411303424");
}

TEST_CASE("matmul is exact for the widest operands", "[golden]") {
  // 256 rows of (-2^31)^2 = 2^62 each sum to 2^70: beyond 64 bits, exact in Wide.
  Matrix x(1, 256), w(256, 2);
  for (int k = 0; k < 256; ++k) {
    x.at(0, k) = minValue(32);
    w.at(k, 0) = minValue(32);
    w.at(k, 1) = maxValue(32);
  }
  WideMatrix y = matmul(x, w);
  CHECK(y.at(0, 0) == (Wide{1} << 70));
  CHECK(y.at(0, 1) == Wide{256} * minValue(32) * maxValue(32));
}

TEST_CASE("arrayOutput agrees with matmul on random data", "[golden]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> d(-128, 127);
  Matrix x(5, 3), w(3, 4);
  for (auto& v : x.data) v = d(rng);
  for (auto& v : w.data) v = d(rng);
  WideMatrix y = matmul(x, w);
  for (int m = 0; m < 5; ++m) {
    std::vector<int64_t> row(x.data.begin() + m * 3, x.data.begin() + m * 3 + 3);
    auto out = arrayOutput(row, w);
    for (int c = 0; c < 4; ++c) {
      // Independent scalar recomputation.
      Wide ref = 0;
      for (int k = 0; k < 3; ++k) ref += Wide{x.at(m, k)} * w.at(k, c);
      CHECK(out[c] == ref);
      CHECK(y.at(m, c) == ref);
    }
  }
}

TEST_CASE("eq. 10.3-10.5 mapping tiles by modulo", "[golden][mapping]") {
  // WS: weight (c_o, c_i) -> column c_o mod cols, row c_i mod rows.
  CHECK(mapWeightWs(0, 0, 4, 3) == PeCoord{0, 0});
  CHECK(mapWeightWs(5, 9, 4, 3) == PeCoord{1, 2});
  // IS: input (b, c_i) -> column b mod cols, row c_i mod rows.
  CHECK(mapInputIs(7, 2, 4, 3) == PeCoord{2, 1});
  // OS: output (c_o, b) -> column c_o mod cols, row b mod rows.
  CHECK(mapOutputOs(4, 6, 4, 3) == PeCoord{2, 1});
}

TEST_CASE("diagonal shift is a permutation of PEs and repeats with the array size", "[golden][mapping]") {
  const int n = 6;
  for (int shift = 0; shift < 2 * n; ++shift) {
    std::set<std::pair<int, int>> seen;
    for (int co = 0; co < n; ++co)
      for (int ci = 0; ci < n; ++ci) {
        auto pe = mapWeightWs(co, ci, n, n, shift);
        seen.insert({pe.row, pe.col});
        CHECK(pe == mapWeightWs(co, ci, n, n, shift % n));
        CHECK(pe == PeCoord{(ci + shift) % n, (co + shift) % n});
      }
    CHECK(seen.size() == static_cast<size_t>(n * n));
  }
  // Shifts 0..n-1 move weight (0,0) to n distinct PEs (n distinct pruning patterns).
  std::set<std::pair<int, int>> places;
  for (int s = 0; s < n; ++s) {
    auto pe = mapWeightWs(0, 0, n, n, s);
    places.insert({pe.row, pe.col});
  }
  CHECK(places.size() == static_cast<size_t>(n));
}

TEST_CASE("golden: the 64-bit array output equals the 128-bit one wherever it is used", "[golden]") {
  std::mt19937_64 rng(17);
  // Widths on both sides of the 64-bit bound (2*bits + bits of rows < 63), extreme operands.
  for (int bits : {4, 8, 16, 29, 30, 31, 32})
    for (int rows : {1, 3, 4, 16, 255}) {
      INFO("bits " << bits << " rows " << rows);
      Matrix w(rows, 5);
      std::uniform_int_distribution<int64_t> d(minValue(bits), maxValue(bits));
      for (int trial = 0; trial < 4; ++trial) {
        std::vector<int64_t> x(static_cast<size_t>(rows));
        for (auto& v : x) v = trial == 0 ? minValue(bits) : d(rng);
        for (auto& v : w.data) v = trial == 0 ? minValue(bits) : trial == 1 ? maxValue(bits) : d(rng);
        CHECK(arrayOutput(x, w, bits) == arrayOutput(x, w));
      }
    }
}
