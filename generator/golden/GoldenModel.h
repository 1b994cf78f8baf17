// Bit-exact C++ reference of the systolic array and the SPEC §2 mapping (eq. 10.3-10.5).
// Self-contained (standard library only): it is also compiled into the co-simulation harness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftaccel::golden {

// Exact accumulator type: sums need at most 2*32 + 8 bits (see config::minAccBits), the
// widest allowed acc_bits is 96.
__extension__ typedef __int128 Wide;
__extension__ typedef unsigned __int128 UWide;

// Row-major integer matrix.
struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<int64_t> data;

  Matrix() = default;
  Matrix(int r, int c) : rows(r), cols(c), data(static_cast<size_t>(r) * c, 0) {}
  int64_t& at(int r, int c) { return data[static_cast<size_t>(r) * cols + c]; }
  int64_t at(int r, int c) const { return data[static_cast<size_t>(r) * cols + c]; }
};

struct WideMatrix {
  int rows = 0;
  int cols = 0;
  std::vector<Wide> data;

  WideMatrix() = default;
  WideMatrix(int r, int c) : rows(r), cols(c), data(static_cast<size_t>(r) * c, 0) {}
  Wide& at(int r, int c) { return data[static_cast<size_t>(r) * cols + c]; }
  Wide at(int r, int c) const { return data[static_cast<size_t>(r) * cols + c]; }
};

// Interprets the low `bits` bits of `raw` as a two's-complement number.
int64_t signExtend(uint64_t raw, int bits);
Wide signExtendWide(Wide raw, int bits);
int64_t minValue(int bits);
int64_t maxValue(int bits);
std::string toString(Wide v);

// y[m][c] = sum_k x[m][k] * w[k][c], exact. x is M x K (activation vectors), w is K x C.
WideMatrix matmul(const Matrix& x, const Matrix& w);

// One output vector of the WS array: y[c] = sum_k x[k] * w[k][c].
std::vector<Wide> arrayOutput(const std::vector<int64_t>& x, const Matrix& w);
// The same for operands known to fit `operandBits` signed bits: sums in 64 bits when
// 2*operandBits + bits of w.rows stays below 63 (exact, and four times faster than 128 bits;
// the co-simulation harness computes one of these per vector).
std::vector<Wide> arrayOutput(const std::vector<int64_t>& x, const Matrix& w, int operandBits);

// The position of a processing element: row index and column index in the grid.
struct PeCoord {
  int row = 0;
  int col = 0;
  bool operator==(const PeCoord&) const = default;
};

// SPEC §2 / dissertation eq. 10.3-10.5, generalized to rows x cols grids, with the
// diagonal shift of §10.3.4 (the same shift applied to both tensor dimensions).
PeCoord mapWeightWs(int co, int ci, int rows, int cols, int shift = 0);  // eq. 10.3
PeCoord mapInputIs(int b, int ci, int rows, int cols, int shift = 0);    // eq. 10.4
PeCoord mapOutputOs(int co, int b, int rows, int cols, int shift = 0);   // eq. 10.5

// SPEC §3: the weights that eq. 10.3 (with diagonal shift) maps onto a bypassed PE are pruned.
// `w` is C_i x C_o; `bypassed` is rows*cols, index row*cols+col.
Matrix pruneWeightsWs(const Matrix& w, const std::vector<bool>& bypassed, int rows, int cols,
                      int shift = 0);

// SPEC §3 for IS: the inputs that eq. 10.4 (with diagonal shift) maps onto a bypassed PE are
// pruned. `x` is B x C_i.
Matrix pruneInputsIs(const Matrix& x, const std::vector<bool>& bypassed, int rows, int cols,
                     int shift = 0);

// The stationary operand of the WS/IS IP at the handshake level (README, "Weight
// stationary"): load beats fill a shadow copy row by row; a swap installs the load completed
// since the previous swap, waits while a load is in progress or offered, and is otherwise a
// no-op that keeps the active operand. After reset the active operand is zero.
class StationaryModel {
 public:
  StationaryModel(int rows, int cols) : shadow_(rows, cols), pending_(rows, cols), active_(rows, cols) {}
  // Whether a vector with the swap flag is refused this cycle (the IP's swap_ok, negated).
  bool swapWaits(bool loadOffered) const { return !loaded_ && (row_ != 0 || loadOffered); }
  // A load handshake: row `row_` of the next operand.
  void loadBeat(const std::vector<int64_t>& lanes) {
    for (int c = 0; c < shadow_.cols; ++c) shadow_.at(row_, c) = lanes[static_cast<size_t>(c)];
    loaded_ = ++row_ == shadow_.rows;
    if (loaded_) {
      pending_ = shadow_;
      row_ = 0;
    }
  }
  // A stream handshake with the swap flag; true when it installed a new operand.
  bool swap() {
    if (!loaded_) return false;
    active_ = pending_;
    loaded_ = false;
    return true;
  }
  const Matrix& active() const { return active_; }

 private:
  Matrix shadow_, pending_, active_;
  int row_ = 0;
  bool loaded_ = false;
};

}  // namespace ftaccel::golden
