// Host-side tiler: eq. 10.3-10.5 tile mappings with diagonal shift and the result accumulation.
#include "golden/Tiler.h"

#include <algorithm>

namespace ftaccel::golden {

namespace {

int wrap(int v, int n) { return ((v % n) + n) % n; }
int tilesOf(int n, int size) { return (n + size - 1) / size; }

}  // namespace

std::vector<StreamTile> tileWs(const Matrix& x, const Matrix& w, int rows, int cols, int shift) {
  const int b = x.rows, ci = x.cols, co = w.cols;
  std::vector<StreamTile> tiles;
  for (int to = 0; to < tilesOf(co, cols); ++to)
    for (int ti = 0; ti < tilesOf(ci, rows); ++ti) {
      StreamTile t{ti, to, Matrix(rows, cols), {}};
      const int ciEnd = std::min(ci, (ti + 1) * rows);
      for (int i = ti * rows; i < ciEnd; ++i)
        for (int o = to * cols; o < std::min(co, (to + 1) * cols); ++o) {
          const PeCoord pe = mapWeightWs(o, i, rows, cols, shift);
          t.stationary.at(pe.row, pe.col) = w.at(i, o);
        }
      for (int m = 0; m < b; ++m) {
        std::vector<int64_t> v(rows, 0);
        for (int i = ti * rows; i < ciEnd; ++i) v[wrap(i + shift, rows)] = x.at(m, i);
        t.vectors.push_back(std::move(v));
      }
      tiles.push_back(std::move(t));
    }
  return tiles;
}

std::optional<std::vector<PackedStreamTile>> tileWsPacked(const Matrix& x, const Matrix& w, int rows, int cols,
                                                          GroupShape shape, std::string& error) {
  const int inPerTile = rows * shape.l, outPerTile = cols * shape.k;
  // Pack the zero-padded matrix once: exclusivity is checked (and reported) in w's coordinates.
  Matrix padded(tilesOf(w.rows, inPerTile) * inPerTile, tilesOf(w.cols, outPerTile) * outPerTile);
  for (int i = 0; i < w.rows; ++i)
    for (int o = 0; o < w.cols; ++o) padded.at(i, o) = w.at(i, o);
  const std::optional<PackedMatrix> whole = pack(padded, shape, error);
  if (!whole) return std::nullopt;
  std::vector<PackedStreamTile> tiles;
  for (StreamTile& t : tileWs(x, w, inPerTile, outPerTile, 0)) {
    PackedStreamTile p{t.tileIn, t.tileOut, PackedMatrix{Matrix(rows, cols), Matrix(rows, cols), shape}, {}, {}};
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        p.packed.values.at(r, c) = whole->values.at(t.tileIn * rows + r, t.tileOut * cols + c);
        p.packed.index.at(r, c) = whole->index.at(t.tileIn * rows + r, t.tileOut * cols + c);
      }
    p.logical = unpack(p.packed);
    p.vectors = std::move(t.vectors);
    tiles.push_back(std::move(p));
  }
  return tiles;
}

std::vector<StreamTile> tileIs(const Matrix& x, const Matrix& w, int rows, int cols, int shift) {
  const int b = x.rows, ci = x.cols, co = w.cols;
  std::vector<StreamTile> tiles;
  for (int tb = 0; tb < tilesOf(b, cols); ++tb)
    for (int ti = 0; ti < tilesOf(ci, rows); ++ti) {
      StreamTile t{ti, tb, Matrix(rows, cols), {}};
      const int ciEnd = std::min(ci, (ti + 1) * rows);
      for (int m = tb * cols; m < std::min(b, (tb + 1) * cols); ++m)
        for (int i = ti * rows; i < ciEnd; ++i) {
          const PeCoord pe = mapInputIs(m, i, rows, cols, shift);
          t.stationary.at(pe.row, pe.col) = x.at(m, i);
        }
      for (int o = 0; o < co; ++o) {
        std::vector<int64_t> v(rows, 0);
        for (int i = ti * rows; i < ciEnd; ++i) v[wrap(i + shift, rows)] = w.at(i, o);
        t.vectors.push_back(std::move(v));
      }
      tiles.push_back(std::move(t));
    }
  return tiles;
}

void accumulateWs(WideMatrix& y, int tileOut, int v, const std::vector<Wide>& lanes, int cols, int shift) {
  for (int co = tileOut * cols; co < std::min(y.cols, (tileOut + 1) * cols); ++co)
    y.at(v, co) += lanes[wrap(co + shift, cols)];
}

void accumulateIs(WideMatrix& y, int tileOut, int v, const std::vector<Wide>& lanes, int cols, int shift) {
  for (int b = tileOut * cols; b < std::min(y.rows, (tileOut + 1) * cols); ++b)
    y.at(b, v) += lanes[wrap(b + shift, cols)];
}

std::vector<OsTile> tileOs(const Matrix& x, const Matrix& w, int rows, int cols, int shift) {
  const int b = x.rows, ci = x.cols, co = w.cols;
  std::vector<OsTile> tiles;
  for (int tb = 0; tb < tilesOf(b, rows); ++tb)
    for (int tc = 0; tc < tilesOf(co, cols); ++tc) {
      OsTile t{Matrix(rows, ci), Matrix(ci, cols), tb, tc};
      for (int m = tb * rows; m < std::min(b, (tb + 1) * rows); ++m)
        for (int k = 0; k < ci; ++k) t.x.at(wrap(m + shift, rows), k) = x.at(m, k);
      for (int o = tc * cols; o < std::min(co, (tc + 1) * cols); ++o)
        for (int k = 0; k < ci; ++k) t.w.at(k, wrap(o + shift, cols)) = w.at(k, o);
      tiles.push_back(std::move(t));
    }
  return tiles;
}

void storeOs(WideMatrix& y, const OsTile& t, int r, int c, Wide value, int rows, int cols, int shift) {
  const int b = t.tileB * rows + wrap(r - shift, rows);
  const int co = t.tileCo * cols + wrap(c - shift, cols);
  if (b < y.rows && co < y.cols) y.at(b, co) = value;
}

}  // namespace ftaccel::golden
