// Host-side packer of complementary sparsity (SPEC §7, dissertation §12.2): a logical K x N
// weight matrix whose every l x k group holds at most one non-zero becomes (K/l) x (N/k) packed
// values plus index bits, and back. Standard C++ only: it is also compiled into the harness.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "golden/GoldenModel.h"

namespace ftaccel::golden {

// Group shape: l consecutive input channels (rows of W, shortened) times k consecutive output
// channels (columns of W, superposition). Dense is 1 x 1, shortened l x 1, superposition 1 x k.
struct GroupShape {
  int l = 1;
  int k = 1;
};

// Packed weights: value[r][c] is the group's non-zero (0 for an all-zero group) and index[r][c]
// its position, li + l * ki (li: row offset in the group, ki: column offset), so the low
// ceil(log2 l) bits select the activation and the bits above them the partial sum.
struct PackedMatrix {
  Matrix values;
  Matrix index;
  GroupShape shape;
};

// Packs `w` (K x N). Returns nothing and sets `error` when a dimension is not a multiple of its
// group size (a group larger than the dimension it folds included) or a group holds two
// non-zeros; the message names the group by row and column range and the two positions.
std::optional<PackedMatrix> pack(const Matrix& w, GroupShape shape, std::string& error);

// The logical K x N matrix of a packed one (the golden model multiplies this one).
Matrix unpack(const PackedMatrix& p);

// A dense R x C matrix run on a flow-controlling PE: every weight goes to the first position of
// its group (index 0, the fixed multiplexer input), the others stay zero. The result is
// (R*l) x (C*k); the activations of a dense layer go to lanes r*l and its results leave on
// lanes c*k.
Matrix expandDense(const Matrix& dense, GroupShape shape);

// A random K x N complementary-sparse matrix: every group gets exactly one position, whose
// value is drawn from [lo, hi] (it may be zero).
Matrix randomComplementary(int rowsK, int colsN, GroupShape shape, int64_t lo, int64_t hi, std::mt19937_64& rng);

}  // namespace ftaccel::golden
