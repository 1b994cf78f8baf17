// Host-side tiler: tiles through a software array (golden::arrayOutput / matmul per tile)
// and put back must give the one golden product, for every dataflow, shape and shift.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "golden/GoldenModel.h"
#include "golden/Tiler.h"

using namespace ftaccel::golden;

namespace {

struct Product {
  Matrix x, w;
};

Product randomProduct(int b, int ci, int co, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(-128, 127);
  Product p{Matrix(b, ci), Matrix(ci, co)};
  for (auto& v : p.x.data) v = d(rng);
  for (auto& v : p.w.data) v = d(rng);
  return p;
}

// WS/IS: every streamed vector through the stationary tile, as the array computes it.
WideMatrix runStream(const std::vector<StreamTile>& tiles, int b, int co, int cols, int shift, bool is) {
  WideMatrix y(b, co);
  for (const auto& t : tiles)
    for (size_t v = 0; v < t.vectors.size(); ++v) {
      const std::vector<Wide> lanes = arrayOutput(t.vectors[v], t.stationary);
      REQUIRE(lanes.size() == static_cast<size_t>(cols));
      if (is)
        accumulateIs(y, t.tileOut, static_cast<int>(v), lanes, cols, shift);
      else
        accumulateWs(y, t.tileOut, static_cast<int>(v), lanes, cols, shift);
    }
  return y;
}

WideMatrix runOs(const std::vector<OsTile>& tiles, int b, int co, int rows, int cols, int shift) {
  WideMatrix y(b, co);
  for (const auto& t : tiles) {
    const WideMatrix tileY = matmul(t.x, t.w);  // PE(r, c) accumulates row r of x times column c of w
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) storeOs(y, t, r, c, tileY.at(r, c), rows, cols, shift);
  }
  return y;
}

}  // namespace

TEST_CASE("tiler: every dataflow reproduces the golden product", "[golden][tiling]") {
  struct Case {
    int rows, cols, b, ci, co;
  };
  for (const Case& c : {Case{4, 3, 9, 11, 7}, Case{4, 4, 1, 1, 1}, Case{3, 5, 5, 8, 12}, Case{2, 2, 4, 2, 6},
                        Case{1, 1, 3, 2, 2}}) {
    const Product p = randomProduct(c.b, c.ci, c.co, 17);
    const WideMatrix golden = matmul(p.x, p.w);
    for (int shift : {0, 1, 2, 5}) {
      INFO(c.rows << "x" << c.cols << " product " << c.b << "," << c.ci << "," << c.co << " shift " << shift);
      const auto ws = tileWs(p.x, p.w, c.rows, c.cols, shift);
      CHECK(ws.size() == static_cast<size_t>(((c.co + c.cols - 1) / c.cols) * ((c.ci + c.rows - 1) / c.rows)));
      CHECK(runStream(ws, c.b, c.co, c.cols, shift, false).data == golden.data);
      const auto is = tileIs(p.x, p.w, c.rows, c.cols, shift);
      CHECK(is.size() == static_cast<size_t>(((c.b + c.cols - 1) / c.cols) * ((c.ci + c.rows - 1) / c.rows)));
      CHECK(runStream(is, c.b, c.co, c.cols, shift, true).data == golden.data);
      const auto os = tileOs(p.x, p.w, c.rows, c.cols, shift);
      CHECK(os.size() == static_cast<size_t>(((c.b + c.rows - 1) / c.rows) * ((c.co + c.cols - 1) / c.cols)));
      CHECK(runOs(os, c.b, c.co, c.rows, c.cols, shift).data == golden.data);
    }
  }
}

TEST_CASE("tiler: stationary values sit where eq. 10.3 and 10.4 put them", "[golden][tiling]") {
  const int rows = 3, cols = 4, shift = 2;
  const Product p = randomProduct(6, 5, 7, 3);
  // WS: W[ci][co] at mapWeightWs(co, ci) of the tile (ci / rows, co / cols).
  for (const auto& t : tileWs(p.x, p.w, rows, cols, shift))
    for (int ci = t.tileIn * rows; ci < std::min(5, (t.tileIn + 1) * rows); ++ci)
      for (int co = t.tileOut * cols; co < std::min(7, (t.tileOut + 1) * cols); ++co) {
        const PeCoord pe = mapWeightWs(co, ci, rows, cols, shift);
        CHECK(t.stationary.at(pe.row, pe.col) == p.w.at(ci, co));
      }
  // IS: X[b][ci] at mapInputIs(b, ci) of the tile (ci / rows, b / cols).
  for (const auto& t : tileIs(p.x, p.w, rows, cols, shift))
    for (int b = t.tileOut * cols; b < std::min(6, (t.tileOut + 1) * cols); ++b)
      for (int ci = t.tileIn * rows; ci < std::min(5, (t.tileIn + 1) * rows); ++ci) {
        const PeCoord pe = mapInputIs(b, ci, rows, cols, shift);
        CHECK(t.stationary.at(pe.row, pe.col) == p.x.at(b, ci));
      }
}

TEST_CASE("tiler: a pruned PE removes exactly the values eq. 10.3 maps onto it", "[golden][tiling]") {
  // Zeroing PE(1,2) in every WS tile equals the golden product with pruneWeightsWs.
  const int rows = 4, cols = 4;
  const Product p = randomProduct(6, 10, 9, 5);
  std::vector<bool> mask(rows * cols, false);
  mask[1 * cols + 2] = true;
  std::set<std::vector<Wide>> products;
  for (int shift : {0, 1, 2, 3}) {
    auto tiles = tileWs(p.x, p.w, rows, cols, shift);
    for (auto& t : tiles) t.stationary.at(1, 2) = 0;
    const WideMatrix y = runStream(tiles, 6, 9, cols, shift, false);
    CHECK(y.data == matmul(p.x, pruneWeightsWs(p.w, mask, rows, cols, shift)).data);
    products.insert(y.data);
  }
  CHECK(products.size() == 4);  // each shift prunes other weights
}
