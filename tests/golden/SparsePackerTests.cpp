// The complementary-sparsity packer: round trips, the exclusivity check and its message, the
// dense-layer encoding, and the shapes it refuses.
#include <catch2/catch.hpp>

#include <random>

#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"

using namespace ftaccel::golden;

TEST_CASE("packer: random complementary matrices round-trip for every group shape", "[sparse][packer]") {
  std::mt19937_64 rng(7);
  for (GroupShape s : {GroupShape{8, 1}, GroupShape{1, 4}, GroupShape{4, 4}, GroupShape{2, 8}, GroupShape{1, 1}}) {
    INFO("l = " << s.l << ", k = " << s.k);
    const Matrix w = randomComplementary(6 * s.l, 5 * s.k, s, -128, 127, rng);
    std::string error;
    const auto p = pack(w, s, error);
    REQUIRE(p);
    CHECK(error.empty());
    CHECK(p->values.rows == 6);
    CHECK(p->values.cols == 5);
    for (int64_t idx : p->index.data) {
      CHECK(idx >= 0);
      CHECK(idx < s.l * s.k);
    }
    CHECK(unpack(*p).data == w.data);
  }
}

TEST_CASE("packer: index = row offset + l * column offset", "[sparse][packer]") {
  Matrix w(4, 4);  // one 4 x 4 two-dimensional group, non-zero at (3, 2)
  w.at(3, 2) = -5;
  std::string error;
  const auto p = pack(w, {4, 4}, error);
  REQUIRE(p);
  CHECK(p->values.at(0, 0) == -5);
  CHECK(p->index.at(0, 0) == 3 + 4 * 2);
  // An all-zero group packs as value 0 at index 0.
  const auto z = pack(Matrix(4, 4), {4, 4}, error);
  REQUIRE(z);
  CHECK(z->values.at(0, 0) == 0);
  CHECK(z->index.at(0, 0) == 0);
}

TEST_CASE("packer: two non-zeros in one group are refused, naming the group", "[sparse][packer]") {
  Matrix w(16, 4);
  w.at(9, 3) = 1;
  w.at(12, 3) = -2;
  w.at(0, 0) = 3;  // a fine group elsewhere
  std::string error;
  CHECK_FALSE(pack(w, {8, 1}, error));
  CHECK(error.find("group rows 8..15, columns 3 ") != std::string::npos);
  CHECK(error.find("(9, 3) and (12, 3)") != std::string::npos);
  // Superposition groups run along a row: (9, 2) and (9, 3) share the group of columns 2..3.
  Matrix s(2, 4);
  s.at(1, 2) = 1;
  s.at(1, 3) = 1;
  CHECK_FALSE(pack(s, {1, 2}, error));
  CHECK(error.find("group rows 1, columns 2..3") != std::string::npos);
  // The same matrix is fine when the groups run the other way.
  CHECK(pack(s, {2, 1}, error));
}

TEST_CASE("packer: shapes that do not fold are refused", "[sparse][packer]") {
  std::string error;
  CHECK_FALSE(pack(Matrix(4, 4), {8, 1}, error));
  CHECK(error.find("fewer than the group size l = 8") != std::string::npos);
  CHECK_FALSE(pack(Matrix(12, 4), {8, 1}, error));
  CHECK(error.find("not a multiple of the group size l = 8") != std::string::npos);
  CHECK_FALSE(pack(Matrix(8, 6), {1, 4}, error));
  CHECK(error.find("6 columns, not a multiple of the group size k = 4") != std::string::npos);
}

TEST_CASE("packer: a dense layer runs at index 0 of every group", "[sparse][packer]") {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> d(-128, 127);
  Matrix dense(3, 2);
  for (auto& v : dense.data) v = d(rng);
  const GroupShape s{4, 2};
  const Matrix w = expandDense(dense, s);
  std::string error;
  const auto p = pack(w, s, error);
  REQUIRE(p);
  CHECK(p->values.data == dense.data);
  for (int64_t idx : p->index.data) CHECK(idx == 0);
  // Activations of the dense layer on lanes r*l, results on lanes c*k.
  std::vector<int64_t> x = {5, -7, 11}, lanes(3 * 4, 99);  // the other lanes may hold anything
  for (int r = 0; r < 3; ++r) lanes[r * 4] = x[r];
  const auto y = arrayOutput(lanes, unpack(*p));
  const auto want = arrayOutput(x, dense);
  for (int c = 0; c < 2; ++c) CHECK(y[c * 2] == want[c]);
}
