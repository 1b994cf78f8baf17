// The complementary-sparsity packer: round trips, the exclusivity check and its message, the
// dense-layer encoding, and the shapes it refuses.
#include <catch2/catch.hpp>

#include <random>

#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"
#include "golden/Tiler.h"

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

namespace {

// What a flow-controlling column computes from the packed load (Fig. 12.6): PE(r, c) adds
// value * activation lane r*l + li into partial-sum lane c*k + ki, index = li + l*ki.
std::vector<Wide> packedArrayOutput(const std::vector<int64_t>& lanesIn, const PackedMatrix& p) {
  std::vector<Wide> out(static_cast<size_t>(p.values.cols * p.shape.k), 0);
  for (int r = 0; r < p.values.rows; ++r)
    for (int c = 0; c < p.values.cols; ++c) {
      const int64_t idx = p.index.at(r, c);
      const int li = static_cast<int>(idx % p.shape.l), ki = static_cast<int>(idx / p.shape.l);
      out[static_cast<size_t>(c * p.shape.k + ki)] += Wide(p.values.at(r, c)) * lanesIn[static_cast<size_t>(r * p.shape.l + li)];
    }
  return out;
}

}  // namespace

TEST_CASE("packer in the tiler: packed tiles of a larger product give the dense product", "[sparse][packer][tiling]") {
  std::mt19937_64 rng(11);
  struct Case {
    int rows, cols, b, ci, co;
    GroupShape s;
  };
  // Sizes that are not multiples of a tile (zero-padded last tiles), one tile, 1x1 arrays.
  for (const Case& c : {Case{2, 3, 5, 19, 13, {4, 1}}, Case{3, 2, 4, 12, 17, {2, 4}}, Case{1, 1, 3, 8, 8, {8, 1}},
                        Case{4, 4, 2, 4, 16, {1, 4}}, Case{2, 2, 6, 7, 5, {2, 2}}}) {
    INFO(c.rows << "x" << c.cols << " array, " << c.ci << "x" << c.co << " weights, group " << c.s.l << "x" << c.s.k);
    const int ciPad = (c.ci + c.s.l - 1) / c.s.l * c.s.l, coPad = (c.co + c.s.k - 1) / c.s.k * c.s.k;
    const Matrix padded = randomComplementary(ciPad, coPad, c.s, -128, 127, rng);
    Matrix w(c.ci, c.co), x(c.b, c.ci);
    for (int i = 0; i < c.ci; ++i)
      for (int o = 0; o < c.co; ++o) w.at(i, o) = padded.at(i, o);
    std::uniform_int_distribution<int64_t> d(-128, 127);
    for (auto& v : x.data) v = d(rng);
    std::string error;
    const auto tiles = tileWsPacked(x, w, c.rows, c.cols, c.s, error);
    REQUIRE(tiles);
    const int tilesIn = (c.ci + c.rows * c.s.l - 1) / (c.rows * c.s.l);
    const int tilesOut = (c.co + c.cols * c.s.k - 1) / (c.cols * c.s.k);
    CHECK(tiles->size() == static_cast<size_t>(tilesIn * tilesOut));
    WideMatrix y(c.b, c.co);
    for (const auto& t : *tiles) {
      CHECK(t.packed.values.rows == c.rows);
      CHECK(t.packed.values.cols == c.cols);
      CHECK(unpack(t.packed).data == t.logical.data);
      REQUIRE(t.vectors.size() == static_cast<size_t>(c.b));
      for (int v = 0; v < c.b; ++v)
        accumulateWs(y, t.tileOut, v, packedArrayOutput(t.vectors[v], t.packed), c.cols * c.s.k, 0);
    }
    CHECK(y.data == matmul(x, w).data);
  }
}

TEST_CASE("packer in the tiler: a broken group is named in the full matrix's numbers", "[sparse][packer][tiling]") {
  Matrix x(1, 16), w(16, 4);
  w.at(9, 2) = 3;
  w.at(11, 2) = -1;  // rows 8..11 of column 2: the second input tile of a 2-row, l = 4 array
  std::string error;
  CHECK_FALSE(tileWsPacked(x, w, 2, 2, GroupShape{4, 1}, error));
  CHECK(error.find("group rows 8..11, columns 2") != std::string::npos);
  CHECK(error.find("(9, 2) and (11, 2)") != std::string::npos);
}
