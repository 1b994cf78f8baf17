// Port images of the workload, its golden results, and the per-run bookkeeping.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <cstring>
#include <random>
#include <type_traits>

#include "PortAccess.h"
#include "Vtop.h"
#include "campaign/Common.h"
#include "golden/SparsePacker.h"
#include "cosim_units.h"

namespace ftaccel::campaign {

using namespace ftaccel::tb;

// ---- ports ------------------------------------------------------------------------------

template <typename T>
using PortT = std::remove_reference_t<T>;
#if FTACCEL_DATAFLOW_OS
// OS: one beat stream carries the activations of every batch row and the weights of every
// column for one reduction step; in_last_i ends the tile.
using SDataT = PortT<decltype(std::declval<Vtop&>().in_x_i)>;
using LDataT = PortT<decltype(std::declval<Vtop&>().in_w_i)>;
#else
using SDataT = PortT<decltype(std::declval<Vtop&>().FTACCEL_S_DATA)>;
using LDataT = PortT<decltype(std::declval<Vtop&>().FTACCEL_L_DATA)>;
#endif
using OutT = PortT<decltype(std::declval<Vtop&>().out_data_o)>;

template <typename T>
inline bool samePort(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

template <typename T>
inline int64_t getLane64(const T& p, int lane) {
  return static_cast<int64_t>(getLaneSigned(p, lane, kBits));
}

// ---- workload ---------------------------------------------------------------------------

// WS/IS: one stationary matrix (rows beats on the load port), then `beats` vectors; one result
// per vector. OS: one tile of `beats` reduction steps; one result row per batch row.
struct Workload {
  ftaccel::golden::Matrix stationary;              // WS/IS: kRows x kCols, W[k][c]
  std::vector<std::vector<int64_t>> vectors;       // WS/IS: beats x kRows
  std::vector<std::vector<int64_t>> arrayInputs;   // WS/IS: the vectors after the input filters (what the array multiplies)
  std::vector<SDataT> beatPorts;                   // streamed data of every beat
  std::vector<LDataT> rowPorts;                    // WS/IS: load beats; OS: weights per beat
  std::vector<std::vector<Wide>> golden;           // results x kCols (kLanesOut)
  ftaccel::golden::Matrix index;                   // flow-controlling PEs: the packed index bits
  int beats = 0, results = 0;
};

inline Workload makeWorkload(int m, uint64_t seed) {
  Workload w;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(ftaccel::golden::minValue(kBits), ftaccel::golden::maxValue(kBits));
  w.beats = m;
#if FTACCEL_DATAFLOW_OS
  ftaccel::golden::Matrix x(kRows, m), wt(m, kCols);  // y = x * wt, x[r][k] = batch row r
  for (auto& v : x.data) v = d(rng);
  for (auto& v : wt.data) v = d(rng);
  for (int k = 0; k < m; ++k) {
    SDataT px{};
    LDataT pw{};
    clearPort(px);
    clearPort(pw);
    for (int r = 0; r < kRows; ++r) setLane(px, r, kBits, x.at(r, k));
    for (int c = 0; c < kCols; ++c) setLane(pw, c, kBits, wt.at(k, c));
    w.beatPorts.push_back(px);
    w.rowPorts.push_back(pw);
  }
  const auto y = ftaccel::golden::matmul(x, wt);
  for (int r = 0; r < kRows; ++r) {
    std::vector<Wide> row(kCols);
    for (int c = 0; c < kCols; ++c) row[c] = y.at(r, c);
    w.golden.push_back(row);
  }
  w.results = kRows;
#else
  // Flow-controlling PEs: a random complementary-sparse matrix, loaded packed; the golden model
  // multiplies the unpacked one.
  ftaccel::golden::Matrix logical;
  if constexpr (kIdxBits > 0) {
    logical = ftaccel::golden::randomComplementary(kLanesIn, kLanesOut, {FTACCEL_GROUP_L, FTACCEL_GROUP_K},
                                                   ftaccel::golden::minValue(kBits), ftaccel::golden::maxValue(kBits), rng);
    std::string error;
    const auto packed = ftaccel::golden::pack(logical, {FTACCEL_GROUP_L, FTACCEL_GROUP_K}, error);
    w.stationary = packed->values;
    w.index = packed->index;
    logical = ftaccel::golden::unpack(*packed);
  } else {
    w.stationary = ftaccel::golden::Matrix(kRows, kCols);
    for (auto& v : w.stationary.data) v = d(rng);
  }
#if FTACCEL_UNIT_WEIGHT_PARITY
  // The host stores packed weights (even parity per word): the fault-free load zeroes nothing.
  ftaccel::protect::parity::packImage(w.stationary.data, weight_parity::layout(), weight_parity::rule());
#endif
  for (int k = 0; k < kRows; ++k) {
    LDataT p{};
    clearPort(p);
    for (int c = 0; c < kCols; ++c) setLane(p, c, kBits, w.stationary.at(k, c));
    w.rowPorts.push_back(p);
  }
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(kLanesIn);
    for (auto& v : x) v = d(rng);
    SDataT p{};
    clearPort(p);
    for (int k = 0; k < kLanesIn; ++k) setLane(p, k, kBits, x[k]);
    w.beatPorts.push_back(p);
    if constexpr (kIdxBits > 0) {
      w.golden.push_back(ftaccel::golden::arrayOutput(x, logical, kBits));
      w.arrayInputs.push_back(x);
      w.vectors.push_back(std::move(x));
      continue;
    }
    std::vector<int64_t> seen = x;
#if FTACCEL_INPUT_FILTERS
    ftaccel::tb::applyInputFilters(seen);  // the input stages' filters act before the array
#endif
    w.golden.push_back(ftaccel::golden::arrayOutput(seen, w.stationary, kBits));
    w.arrayInputs.push_back(std::move(seen));
    w.vectors.push_back(std::move(x));
  }
  w.results = m;
#endif
  return w;
}

// Progress of the testbench through the workload; part of the state that must match the
// reference for a run to have converged.
struct TbState {
  int32_t wrow = 0, vec = 0, out = 0, extra = 0;
  bool operator==(const TbState&) const = default;
};

// A wrong result element: output vector index, lane, faulty - golden.
struct ElementError {
  int vec, lane;
  Wide delta;
};

struct RunResult {
  std::vector<ElementError> errors;
  long cycles = 0;           // clock edges simulated
  int missing = 0;           // results that never came (hang)
  int extra = 0;             // results beyond the workload
  bool converged = false;
  bool alarm = false;        // an alarm output of the IP fired
  long parityZeroed = -1;    // weight parity: words zeroed by the load (-1: no parity unit)
  bool filtered = false;     // an input filter changed a value the fault had changed (Suppression.h)
};

}  // namespace ftaccel::campaign
