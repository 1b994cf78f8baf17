// Packer of complementary-sparse weight matrices (see SparsePacker.h).
#include "golden/SparsePacker.h"

namespace ftaccel::golden {

namespace {

std::string range(int first, int count) {
  return count == 1 ? std::to_string(first) : std::to_string(first) + ".." + std::to_string(first + count - 1);
}

}  // namespace

std::optional<PackedMatrix> pack(const Matrix& w, GroupShape shape, std::string& error) {
  if (shape.l < 1 || shape.k < 1) {
    error = "group sizes must be at least 1";
    return std::nullopt;
  }
  if (w.rows % shape.l != 0) {
    error = "the matrix has " + std::to_string(w.rows) + " rows, " +
            (w.rows < shape.l ? "fewer than" : "not a multiple of") + " the group size l = " +
            std::to_string(shape.l) + " (groups fold l rows, input channels, into one)";
    return std::nullopt;
  }
  if (w.cols % shape.k != 0) {
    error = "the matrix has " + std::to_string(w.cols) + " columns, " +
            (w.cols < shape.k ? "fewer than" : "not a multiple of") + " the group size k = " +
            std::to_string(shape.k) + " (groups fold k columns, output channels, into one)";
    return std::nullopt;
  }
  PackedMatrix p{Matrix(w.rows / shape.l, w.cols / shape.k), Matrix(w.rows / shape.l, w.cols / shape.k), shape};
  for (int gr = 0; gr < p.values.rows; ++gr)
    for (int gc = 0; gc < p.values.cols; ++gc) {
      int foundR = -1, foundC = -1;
      for (int kc = 0; kc < shape.k; ++kc)
        for (int lr = 0; lr < shape.l; ++lr) {
          const int r = gr * shape.l + lr, c = gc * shape.k + kc;
          if (w.at(r, c) == 0) continue;
          if (foundR >= 0) {
            error = "group rows " + range(gr * shape.l, shape.l) + ", columns " + range(gc * shape.k, shape.k) +
                    " holds more than one non-zero: (" + std::to_string(foundR) + ", " + std::to_string(foundC) +
                    ") and (" + std::to_string(r) + ", " + std::to_string(c) + "); complementary sparsity " +
                    "allows one per l x k = " + std::to_string(shape.l) + " x " + std::to_string(shape.k) + " group";
            return std::nullopt;
          }
          foundR = r;
          foundC = c;
          p.values.at(gr, gc) = w.at(r, c);
          p.index.at(gr, gc) = lr + shape.l * kc;
        }
    }
  return p;
}

Matrix unpack(const PackedMatrix& p) {
  Matrix w(p.values.rows * p.shape.l, p.values.cols * p.shape.k);
  for (int gr = 0; gr < p.values.rows; ++gr)
    for (int gc = 0; gc < p.values.cols; ++gc) {
      const int64_t idx = p.index.at(gr, gc);
      const int lr = (int)(idx % p.shape.l), kc = (int)(idx / p.shape.l);
      if (kc < p.shape.k) w.at(gr * p.shape.l + lr, gc * p.shape.k + kc) += p.values.at(gr, gc);
    }
  return w;
}

Matrix expandDense(const Matrix& dense, GroupShape shape) {
  Matrix w(dense.rows * shape.l, dense.cols * shape.k);
  for (int r = 0; r < dense.rows; ++r)
    for (int c = 0; c < dense.cols; ++c) w.at(r * shape.l, c * shape.k) = dense.at(r, c);
  return w;
}

Matrix randomComplementary(int rowsK, int colsN, GroupShape shape, int64_t lo, int64_t hi, std::mt19937_64& rng) {
  Matrix w(rowsK, colsN);
  std::uniform_int_distribution<int64_t> value(lo, hi);
  std::uniform_int_distribution<int> li(0, shape.l - 1), ki(0, shape.k - 1);
  for (int gr = 0; gr < rowsK / shape.l; ++gr)
    for (int gc = 0; gc < colsN / shape.k; ++gc) {
      const int r = gr * shape.l + li(rng), c = gc * shape.k + ki(rng);
      w.at(r, c) = value(rng);
    }
  return w;
}

}  // namespace ftaccel::golden
