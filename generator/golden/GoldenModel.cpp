// Reference arithmetic and mapping; exact integer math, no saturation, no truncation.
#include "golden/GoldenModel.h"

#include <stdexcept>

namespace ftaccel::golden {

int64_t signExtend(uint64_t raw, int bits) {
  if (bits >= 64) return static_cast<int64_t>(raw);
  uint64_t mask = (uint64_t{1} << bits) - 1;
  raw &= mask;
  if (raw >> (bits - 1)) raw |= ~mask;
  return static_cast<int64_t>(raw);
}

Wide signExtendWide(Wide raw, int bits) {
  using U = UWide;
  if (bits >= 128) return raw;
  U mask = (U{1} << bits) - 1;
  U u = static_cast<U>(raw) & mask;
  if ((u >> (bits - 1)) & 1) u |= ~mask;
  return static_cast<Wide>(u);
}

int64_t minValue(int bits) { return -(int64_t{1} << (bits - 1)); }
int64_t maxValue(int bits) { return (int64_t{1} << (bits - 1)) - 1; }

std::string toString(Wide v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  UWide u = neg ? -static_cast<UWide>(v) : static_cast<UWide>(v);
  std::string s;
  while (u) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return neg ? "-" + s : s;
}

WideMatrix matmul(const Matrix& x, const Matrix& w) {
  if (x.cols != w.rows) throw std::invalid_argument("matmul: inner dimensions differ");
  WideMatrix y(x.rows, w.cols);
  for (int m = 0; m < x.rows; ++m)
    for (int k = 0; k < x.cols; ++k) {
      Wide a = x.at(m, k);
      for (int c = 0; c < w.cols; ++c) y.at(m, c) += a * static_cast<Wide>(w.at(k, c));
    }
  return y;
}

std::vector<Wide> arrayOutput(const std::vector<int64_t>& x, const Matrix& w) {
  std::vector<Wide> y(static_cast<size_t>(w.cols), 0);
  for (int k = 0; k < w.rows; ++k)
    for (int c = 0; c < w.cols; ++c) y[c] += static_cast<Wide>(x[k]) * w.at(k, c);
  return y;
}

std::vector<Wide> arrayOutput(const std::vector<int64_t>& x, const Matrix& w, int operandBits) {
  int rowBits = 0;
  while ((1L << rowBits) <= w.rows) ++rowBits;
  if (2 * operandBits + rowBits >= 63) return arrayOutput(x, w);
  std::vector<int64_t> acc(static_cast<size_t>(w.cols), 0);
  for (int k = 0; k < w.rows; ++k) {
    const int64_t xk = x[static_cast<size_t>(k)];
    const int64_t* row = &w.data[static_cast<size_t>(k) * static_cast<size_t>(w.cols)];
    for (int c = 0; c < w.cols; ++c) acc[static_cast<size_t>(c)] += xk * row[c];
  }
  return std::vector<Wide>(acc.begin(), acc.end());
}

namespace {
int wrap(int index, int shift, int size) {
  int v = (index + shift) % size;
  return v < 0 ? v + size : v;
}
}  // namespace

PeCoord mapWeightWs(int co, int ci, int rows, int cols, int shift) {
  return {wrap(ci, shift, rows), wrap(co, shift, cols)};
}

PeCoord mapInputIs(int b, int ci, int rows, int cols, int shift) {
  return {wrap(ci, shift, rows), wrap(b, shift, cols)};
}

PeCoord mapOutputOs(int co, int b, int rows, int cols, int shift) {
  return {wrap(b, shift, rows), wrap(co, shift, cols)};
}

Matrix pruneWeightsWs(const Matrix& w, const std::vector<bool>& bypassed, int rows, int cols,
                      int shift) {
  Matrix out = w;
  for (int ci = 0; ci < w.rows; ++ci)
    for (int co = 0; co < w.cols; ++co) {
      PeCoord pe = mapWeightWs(co, ci, rows, cols, shift);
      if (bypassed[static_cast<size_t>(pe.row) * cols + pe.col]) out.at(ci, co) = 0;
    }
  return out;
}

Matrix pruneInputsIs(const Matrix& x, const std::vector<bool>& bypassed, int rows, int cols,
                     int shift) {
  Matrix out = x;
  for (int b = 0; b < x.rows; ++b)
    for (int ci = 0; ci < x.cols; ++ci) {
      PeCoord pe = mapInputIs(b, ci, rows, cols, shift);
      if (bypassed[static_cast<size_t>(pe.row) * cols + pe.col]) out.at(b, ci) = 0;
    }
  return out;
}

}  // namespace ftaccel::golden
