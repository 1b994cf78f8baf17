// Verilator co-simulation driver: streams random batches with weight reloads through the
// generated IP and compares every output vector with the golden model. Invoked as
// `cosim run --options FILE` (contract::SimOptions as JSON) or `cosim campaign --options FILE`.
// The contract structs only: their JSON side lives in SimIo.cpp, compiled once.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "Campaign.h"
#include "ModelReset.h"
#include "PortAccess.h"
#include "SplitMix64.h"
#include "StreamDriver.h"
#include "Vtop.h"
#include "SimIo.h"
#include "cosim_config.h"
#include "fi_sites.h"
#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"
#include "golden/Tiler.h"
#include "protect/parity/ParityPacker.h"
#include "verilated.h"

namespace {

using ftaccel::golden::Matrix;
using ftaccel::golden::Wide;
using namespace ftaccel::tb;

constexpr int kRows = FTACCEL_ROWS;
constexpr int kCols = FTACCEL_COLS;
constexpr int kBits = FTACCEL_DATA_BITS;
constexpr int kAccBits = FTACCEL_ACC_BITS;
constexpr int kLatency = FTACCEL_LATENCY;
// Flow-controlling PEs (array.pe): a vector has kIn = rows*group_l lanes, a result kOut =
// cols*group_k; the array holds the packed (value, index) form of a kIn x kOut matrix.
constexpr int kGroupL = FTACCEL_GROUP_L;
constexpr int kGroupK = FTACCEL_GROUP_K;
constexpr bool kSparse = FTACCEL_IDX_BITS > 0;
constexpr int kIn = kRows * kGroupL;
constexpr int kOut = kCols * kGroupK;

using Options = ftaccel::contract::SimOptions;
using ftaccel::contract::PeFault;

[[noreturn]] void usage(const std::string& msg) {
  std::fprintf(stderr, "cosim: error: %s\nusage: cosim run --options FILE | cosim campaign --options FILE\n",
               msg.c_str());
  std::exit(2);
}

// `run --options FILE`: the options were checked by ftaccel (flow/Cosim); this only reads them.
Options parse(int argc, char** argv) {
  std::string file;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("+verilator", 0) == 0) continue;
    if (a == "--options" && i + 1 < argc) file = argv[++i];
    else usage("unknown argument " + a);
  }
  if (argc < 2 || std::strcmp(argv[1], "run") != 0 || file.empty()) usage("expected run --options FILE");
  std::string error;
  const auto read = ftaccel::tb::readSimOptions(file, error);
  if (!read) usage(error);
  Options o = *read;
  const auto& patterns = ftaccel::contract::simPatterns();
  if (o.vectors < 1 || o.batch < 1) usage("vectors and batch must be positive");
  if (std::find(patterns.begin(), patterns.end(), o.pattern) == patterns.end())
    usage("unknown pattern " + o.pattern);
#if FTACCEL_UNIT_AFD
  afd::configure(o.afdShift, o.afdGates);  // before the first reset drives afd_shift_i
#endif
  return o;
}

// Operand patterns (contract::simPatterns), parsed once: comparing the name for every value
// was a tenth of a 16x16 co-simulation's time.
enum class Pattern { Random, Neg, Zero, Alt, Max, Mixed };

Pattern parsePattern(const std::string& name) {
  static const std::pair<const char*, Pattern> names[] = {{"random", Pattern::Random}, {"neg", Pattern::Neg},
                                                          {"zero", Pattern::Zero},     {"alt", Pattern::Alt},
                                                          {"max", Pattern::Max},       {"mixed", Pattern::Mixed}};
  for (const auto& [n, p] : names)
    if (name == n) return p;
  std::fprintf(stderr, "cosim: error: unknown pattern %s\n", name.c_str());
  std::exit(2);
}

// The stimulus generator is tb/SplitMix64.h: std::mt19937_64 with uniform_int_distribution (a
// 64-bit division per value) was about a tenth of a 16x16 co-simulation's time.
using ftaccel::tb::SplitMix64;

// Operand generator: random values plus the corner cases the SPEC asks for. The workload is a
// function of the seed alone: splitmix64 draws from state `seed`, in the order the driver asks
// for values. Random operands are consecutive data.bits-bit fields of a draw, from its top, as
// two's-complement numbers (uniform over the whole range, which has exactly 2^bits values):
// floor(64 / bits) operands per draw (8 at 8 bits), the rest of a draw unused. chance(p) is
// true without a draw for p >= 1, else draw / 2^64 < p (top 53 bits); pick(n) is
// floor(draw * n / 2^64); both take whole draws of their own and leave the operand fields.
class Stimulus {
 public:
  Stimulus(uint64_t seed, const std::string& pattern) : rng_(seed), pattern_(parsePattern(pattern)) {}

  int64_t value(Pattern pattern, long i, long j, bool weight) {
    switch (pattern) {
      case Pattern::Neg: return kLo;
      case Pattern::Zero: return 0;
      case Pattern::Max: return weight ? kLo : kHi;  // most negative times most positive
      case Pattern::Alt: return ((i + j) % 2 == 0) != weight ? kLo : kHi;
      default: return random();
    }
  }
  // A uniformly random operand of data.bits bits: the next field of the current draw.
  int64_t random() {
    if (left_ < kBits) {
      fields_ = rng_.next();
      left_ = 64;
    }
    const int64_t v = static_cast<int64_t>(fields_) >> (64 - kBits);
    fields_ <<= kBits;  // data.bits <= 32
    left_ -= kBits;
    return v;
  }

  // Each batch of the "mixed" pattern picks one of the others.
  Pattern batchPattern() {
    if (pattern_ != Pattern::Mixed) return pattern_;
    static const Pattern choices[] = {Pattern::Random, Pattern::Neg, Pattern::Zero,
                                      Pattern::Alt,    Pattern::Max, Pattern::Random};
    return choices[pick(6)];
  }

  bool chance(double p) { return p >= 1.0 || static_cast<double>(rng_.next() >> 11) * 0x1p-53 < p; }
  int pick(int n) {
    return static_cast<int>((static_cast<ULaneWide>(rng_.next()) * static_cast<unsigned>(n)) >> 64);
  }

 private:
  static constexpr int64_t kLo = -(int64_t{1} << (kBits - 1));
  static constexpr int64_t kHi = (int64_t{1} << (kBits - 1)) - 1;
  SplitMix64 rng_;
  uint64_t fields_ = 0;  // the current draw, its unused operand fields at the top
  int left_ = 0;         // bits of it not yet used
  Pattern pattern_;
};

// The bypass mask arrives expanded by ftaccel (flow/BypassMask): rows*cols '0'/'1', row-major.
// --matmul: the whole B x CI input and CI x CO weight matrices, drawn from one pattern.
void fullProduct(Stimulus& stim, const ftaccel::contract::MatmulShape& shape, Matrix& x, Matrix& w) {
  const Pattern p = stim.batchPattern();
  x = Matrix(shape.b, shape.ci);
  w = Matrix(shape.ci, shape.co);
  for (int b = 0; b < shape.b; ++b)
    for (int ci = 0; ci < shape.ci; ++ci) x.at(b, ci) = stim.value(p, b, ci, false);
  if (!kSparse) {
    for (int ci = 0; ci < shape.ci; ++ci)
      for (int co = 0; co < shape.co; ++co) w.at(ci, co) = stim.value(p, ci, co, true);
    return;
  }
  // One non-zero position per group_l x group_k group (groups of the padded matrix, so that
  // the zero-padded tiles stay packable), its value from the pattern.
  for (int gi = 0; gi < shape.ci; gi += kGroupL)
    for (int go = 0; go < shape.co; go += kGroupK) {
      const int ci = gi + stim.pick(kGroupL), co = go + stim.pick(kGroupK);
      if (ci < shape.ci && co < shape.co) w.at(ci, co) = stim.value(p, ci, co, true);
    }
}

// Flow-controlling PEs: the packed form the load port carries (values and index bits).
struct PackedLoad {
  Matrix values, index;
  Matrix logical;  // the unpacked kIn x kOut matrix: what the golden model multiplies
};
[[maybe_unused]] PackedLoad packForLoad(const Matrix& w) {
  std::string error;
  const auto packed = ftaccel::golden::pack(w, {kGroupL, kGroupK}, error);
  if (!packed) usage("workload not packable: " + error);
  return {packed->values, packed->index, ftaccel::golden::unpack(*packed)};
}

std::vector<std::vector<bool>> bypassMask(const std::string& bits) {
  std::vector<std::vector<bool>> mask(kRows, std::vector<bool>(kCols, false));
  if (bits.empty()) return mask;
  if (bits.size() != (size_t)kRows * kCols) usage("bypassBits needs rows*cols characters");
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kCols; ++c) {
      char ch = bits[(size_t)r * kCols + c];
      if (ch != '0' && ch != '1') usage("bypassBits takes only '0' and '1'");
      mask[r][c] = ch == '1';
    }
  return mask;
}

struct Batch {
  int tileIn = 0, tileOut = 0;  // --matmul: which tile of the input and output dimensions
  Matrix weights;             // kRows x kCols, W[k][c], after bypass pruning
  Matrix unpruned;            // the same before pruning
  Matrix stored;              // WS: what the load port carries (the memory image); = weights by default
  Matrix index;               // flow-controlling PEs: the index bits of `stored` (wload_idx_i)
  long parityZeroed = 0;      // weight parity: words the IP must zero in this load
  long bitErrors = 0;         // --memory-ber: bits flipped in the stored image
  Matrix x;                   // the streamed vectors, one row of kIn lanes each (contiguous)
  const int64_t* vector(long i) const { return &x.data[(size_t)i * kIn]; }
  long size() const { return x.rows; }
};

// The tiler's vectors (kIn lanes each) as the rows of a Matrix.
Matrix rowsOf(const std::vector<std::vector<int64_t>>& vectors) {
  Matrix m((int)vectors.size(), kIn);
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (vectors[i].size() != (size_t)kIn) usage("a tile's vector does not have rows x group_l lanes");
    std::copy(vectors[i].begin(), vectors[i].end(), &m.at((int)i, 0));
  }
  return m;
}

// The stored weight image (WS) and what the array loads from it: --memory-ber flips bits of the
// image; with weight parity the host packs it first and the IP zeroes every odd word
// (protect/parity, the golden model of the whole load path).
[[maybe_unused]] void storeWeights(Batch& b, double ber, uint64_t seed) {
  namespace par = ftaccel::protect::parity;
#if FTACCEL_UNIT_WEIGHT_PARITY
  const par::WordLayout layout = weight_parity::layout();
  par::packImage(b.weights.data, layout, weight_parity::rule());
#else
  const par::WordLayout layout{kBits, kCols, 1};
#endif
  b.stored = b.weights;
  if (ber > 0)
    for (const auto& f : par::berFaults(layout, kRows, ber, seed)) {
      par::corrupt(b.stored.data, layout, f);
      b.bitErrors += (long)f.bits.size();
    }
  b.weights = b.stored;
#if FTACCEL_UNIT_WEIGHT_PARITY
  for (int z : par::checkAndZero(b.weights.data, layout)) b.parityZeroed += z;
#endif
}


// Results common to every driver, printed as one JSON object.
struct Report {
  long vectors = 0, checked = 0, mismatches = 0, cycles = 0, batches = 0;
  long latMin = 1L << 40, latMax = -1, span = 0, stalls = 0, spurious = 0;
  long bypassed = 0, prunedVisible = 0, faultyPes = 0, tiles = 0, filtered = 0;
  long memoryBitErrors = 0, parityZeroedWords = 0;
  long alarmCycles = 0;  // cycles in which a unit's alarm output was high
  long alarmModelChecked = 0, alarmModelMismatches = 0;  // unit flags against the unit's model
  long temporalBatchesChecked = 0, temporalModelMismatches = 0, temporalAlarms = 0;  // temporal checksum reports
  size_t matmulElements = 0;
  long matmulMismatches = 0;
  uint64_t resultHash = 1469598103934665603ull;  // FNV-1a over a --matmul result
  bool timeout = false;
  long fuzzSequences = 0, fuzzSwaps = 0, fuzzNoopSwaps = 0, fuzzWorstSlack = 0, fuzzBoundViolations = 0;
  std::string firstMismatch;

  void latency(long l) {
    latMin = std::min(latMin, l);
    latMax = std::max(latMax, l);
  }
  void mismatch(const std::string& what) {
    ++mismatches;
    if (firstMismatch.empty()) firstMismatch = what;
  }
  // Prints contract::SimReport as one JSON object; the exit code says pass (0) or fail (1).
  int print() const {
    const long streamCycles = span - kLatency + 1;
    ftaccel::contract::SimReport r;
    r.vectors = vectors;
    r.checked = checked;
    r.mismatches = mismatches;
    r.cycles = cycles;
    r.batches = batches;
    r.latencyExpected = kLatency;
    r.latencyMin = latMax < 0 ? 0 : latMin;
    r.latencyMax = latMax;
    r.batchCycles = span;
    r.inputStallCycles = stalls;
    r.spuriousOutputs = spurious;
    r.throughputVectorsPerCycle = streamCycles > 0 ? (double)checked / (double)streamCycles : 0.0;
    r.denseEquivalentMacsPerCycle = r.throughputVectorsPerCycle * kIn * kOut;
    r.timeout = timeout;
    r.bypassedPes = bypassed;
    r.pruningVisibleVectors = prunedVisible;
    r.filteredVectors = filtered;
    r.faultyPes = faultyPes;
    r.matmulElements = (long)matmulElements;
    r.matmulMismatches = matmulMismatches;
    r.tiles = tiles;
    r.memoryBitErrors = memoryBitErrors;
    r.parityZeroedWords = parityZeroedWords;
    r.alarmCycles = alarmCycles;
    r.alarmModelChecked = alarmModelChecked;
    r.alarmModelMismatches = alarmModelMismatches;
    r.temporalBatchesChecked = temporalBatchesChecked;
    r.temporalModelMismatches = temporalModelMismatches;
    r.temporalAlarms = temporalAlarms;
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", (unsigned long long)resultHash);
    r.matmulResultHash = hash;
    r.fuzzSequences = fuzzSequences;
    r.fuzzSwaps = fuzzSwaps;
    r.fuzzNoopSwaps = fuzzNoopSwaps;
    r.fuzzWorstSlack = fuzzWorstSlack;
    r.fuzzBoundViolations = fuzzBoundViolations;
    r.firstMismatch = firstMismatch;
    std::printf("%s\n", ftaccel::tb::simReportJson(r).c_str());
    return (mismatches || timeout) ? 1 : 0;
  }
  // Compares a --matmul result computed on the host from the tiles with the golden product.
  void compareMatmul(const ftaccel::golden::WideMatrix& golden, const ftaccel::golden::WideMatrix& tiled) {
    matmulElements = tiled.data.size();
    for (size_t i = 0; i < golden.data.size(); ++i) {
      matmulMismatches += golden.data[i] != tiled.data[i];
      resultHash = (resultHash ^ (uint64_t)(tiled.data[i] & 0xffffffffffffffff)) * 1099511628211ull;
    }
    mismatches += matmulMismatches;
    if (matmulMismatches && firstMismatch.empty()) firstMismatch = "tiled product differs from the golden matmul";
  }
};

// Unused in WS/IS builds without bypass (the WS/IS stream driver toggles the clock inline).
[[maybe_unused]] void tick(Vtop& top) {
  top.clk_i = 1;
  top.eval();
  top.clk_i = 0;
  top.eval();
}

void reset(Vtop& top) {
  clearFaultInputs(top);
  clearUnitInputs(top);
  // Under randReset the handshake inputs start random too: the clock edges that shift the
  // bypass mask in (loadBypass) must not see a random valid load or stream beat.
  StreamDriver<Vtop>(top).offer({false, false, false, false});
  applyReset(top);
}

// Shifts the bypass mask in through the configuration chain: row 0 first, it ends up on top.
void loadBypass(Vtop& top, const std::vector<std::vector<bool>>& mask) {
#if FTACCEL_UNIT_SANITY
  sanity::bypassMask() = mask;  // the host's checksum weights leave bypassed lanes out
#endif
#if FTACCEL_UNIT_BYPASS
  bypass::loadMask(top, mask, kCols, [](Vtop& t) { tick(t); });
#else
  (void)top;
  (void)mask;
#endif
}

// Stuck-at bits override one bit; a random-output PE gets a fresh value every cycle.
// Several faults may hit one PE: each only sets its own bits.
void driveFaults(Vtop& top, const std::vector<PeFault>& faults, Stimulus& stim) {
#if FTACCEL_FAULT_PORTS
  for (const auto& f : faults) {
    int base = (f.row * kCols + f.col) * kAccBits;
    for (int b = 0; b < kAccBits; ++b) {
      if (f.random) {
        setBit(top.fi_mask_i, base + b, true);
        setBit(top.fi_value_i, base + b, stim.chance(0.5));
      } else if (b == f.bit) {
        setBit(top.fi_mask_i, base + b, true);
        setBit(top.fi_value_i, base + b, f.value);
      }
    }
  }
#else
  (void)top;
  (void)faults;
  (void)stim;
#endif
}

// Faults and bypass mask of a run; with --bypass-faulty the mask covers the faulty PEs.
struct FaultSetup {
  std::vector<PeFault> faults;
  std::vector<std::vector<bool>> mask;
  long faultyPes = 0, bypassed = 0;
};

FaultSetup faultSetup(const Options& opt) {
  FaultSetup fs;
  fs.faults = opt.faults;
  // flow/PeFaultSpec checked them; a hand-made options file must not index outside the ports.
  for (const auto& f : fs.faults)
    if (f.row < 0 || f.row >= kRows || f.col < 0 || f.col >= kCols || f.bit < -1 || f.bit >= kAccBits)
      usage("a PE fault lies outside the array or the MAC result");
#if !FTACCEL_FAULT_PORTS
  if (!fs.faults.empty()) usage("PE faults need a model built with fault ports");
#endif
  std::vector<std::vector<bool>> faulty(kRows, std::vector<bool>(kCols, false));
  for (const auto& f : fs.faults) {
    fs.faultyPes += !faulty[f.row][f.col];
    faulty[f.row][f.col] = true;
  }
  fs.mask = bypassMask(opt.bypassBits);
  if (opt.bypassFaulty)
    for (const auto& f : fs.faults) fs.mask[f.row][f.col] = true;
  for (const auto& row : fs.mask)
    for (bool b : row) fs.bypassed += b;
#if !FTACCEL_UNIT_BYPASS
  if (fs.bypassed) usage("--bypass needs an IP generated with protect.bypass = true");
#endif
  return fs;
}

std::vector<bool> flatMask(const std::vector<std::vector<bool>>& mask) {
  std::vector<bool> flat;
  for (const auto& row : mask) flat.insert(flat.end(), row.begin(), row.end());
  return flat;
}

}  // namespace

#if !FTACCEL_DATAFLOW_OS
// What the array multiplies: the streamed vector after the input stages' filters, if any.
#if FTACCEL_INPUT_FILTERS
inline std::vector<int64_t> seenByArray(std::vector<int64_t> x) {
  ftaccel::tb::applyInputFilters(x);
  return x;
}
#else
inline const std::vector<int64_t>& seenByArray(const std::vector<int64_t>& x) { return x; }
#endif

// Vector i of a batch as the array sees it, without a copy when no filter is built.
class SeenVector {
 public:
  SeenVector(const Batch& b, long i) {
#if FTACCEL_INPUT_FILTERS
    filtered_ = seenByArray(std::vector<int64_t>(b.vector(i), b.vector(i) + kIn));
    data_ = filtered_.data();
#else
    data_ = b.vector(i);
#endif
  }
  const int64_t* data() const { return data_; }
  std::vector<int64_t> copy() const { return {data_, data_ + kIn}; }

 private:
  const int64_t* data_;
#if FTACCEL_INPUT_FILTERS
  std::vector<int64_t> filtered_;
#endif
};

// The golden check of one output vector: y[c] = sum_k x[k] * w[k][c], exact, against the lanes
// taken from out_data_o, once per output handshake. The sums are computed in the narrowest
// type that holds them exactly (they never exceed 2*data.bits plus the bits of kIn): 32 bits
// with 16-bit operands (data.bits <= 15 and the sum below 31 bits; a loop the compiler
// vectorizes), else 64 bits (below 63), else golden::arrayOutput's 128 bits. No allocation on
// the per-vector path; the weights' 16-bit copy is made once per batch.
constexpr int kInBits = [] {
  int b = 0;
  while ((1L << b) <= kIn) ++b;
  return b;
}();
constexpr bool kSums32 = 2 * kBits + kInBits < 31;
constexpr bool kSums64 = 2 * kBits + kInBits < 63;

class GoldenCheck {
 public:
  GoldenCheck() : x16_(kSums32 ? (size_t)kIn : 0), acc32_(kSums32 ? (size_t)kOut : 0), acc64_(kSums64 ? (size_t)kOut : 0) {}

  // Whether got[0..kOut) equals the golden result of x against w (w: the batch's weights,
  // unchanged during the run; its 16-bit copy is remade when another matrix comes).
  bool matches(const int64_t* x, const Matrix& w, const Wide* got) {
    bool same = true;
    if constexpr (kSums32) {
      if (&w != narrowed_) narrow(w);
      for (int k = 0; k < kIn; ++k) x16_[(size_t)k] = (int16_t)x[k];
      int32_t* acc = acc32_.data();
      std::fill(acc, acc + kOut, 0);
      const int16_t* row = w16_.data();
      for (int k = 0; k < kIn; ++k, row += kOut) {
        const int16_t xk = x16_[(size_t)k];
        for (int c = 0; c < kOut; ++c) acc[c] += xk * row[c];
      }
      for (int c = 0; c < kOut; ++c) same &= got[c] == acc[c];
    } else if constexpr (kSums64) {
      int64_t* acc = acc64_.data();
      std::fill(acc, acc + kOut, 0);
      const int64_t* row = w.data.data();
      for (int k = 0; k < kIn; ++k, row += kOut) {
        const int64_t xk = x[k];
        for (int c = 0; c < kOut; ++c) acc[c] += xk * row[c];
      }
      for (int c = 0; c < kOut; ++c) same &= got[c] == acc[c];
    } else {
      const std::vector<Wide> y = expected(x, w);
      same = std::equal(got, got + kOut, y.begin());
    }
    return same;
  }
  // The exact golden result (for the mismatch message).
  static std::vector<Wide> expected(const int64_t* x, const Matrix& w) {
    return ftaccel::golden::arrayOutput(std::vector<int64_t>(x, x + kIn), w);
  }

 private:
  void narrow(const Matrix& w) {
    w16_.resize(w.data.size());
    for (size_t i = 0; i < w.data.size(); ++i) w16_[i] = (int16_t)w.data[i];
    narrowed_ = &w;
  }
  std::vector<int16_t> x16_, w16_;
  std::vector<int32_t> acc32_;
  std::vector<int64_t> acc64_;
  const Matrix* narrowed_ = nullptr;
};

#include "ProtocolFuzz.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "campaign") == 0) return campaignMain(argc - 1, argv + 1);
  Options opt = parse(argc, argv);
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);  // registers start random: reset must clear them
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vtop>(ctx.get());
  if (opt.protocolFuzz > 0) {
    Report rep;
    return fuzzProtocol(*top, opt, faultSetup(opt), rep);
  }

  Stimulus stim(opt.seed, opt.pattern);
  std::vector<Batch> batches;
  // --matmul: a full B x CI times CI x CO product, tiled onto the array by eq. 10.3 (WS) or
  // 10.4 (IS) with the diagonal shift (golden/Tiler); every tile is one batch.
  Matrix fullX, fullW;
  if (opt.product.b) {
    fullProduct(stim, opt.product, fullX, fullW);
#if FTACCEL_DATAFLOW_IS
    auto tiles = ftaccel::golden::tileIs(fullX, fullW, kRows, kCols, opt.shift);
#else
    // The diagonal shift would move rows across group boundaries: groups need shift 0.
    if (kSparse && opt.shift != 0) usage("--shift must be 0 with a flow-controlling PE (array.pe)");
    if (kSparse) {
      // The host-side packer inside the tiler: every tile arrives packed for the load port.
      std::string error;
      auto packedTiles = ftaccel::golden::tileWsPacked(fullX, fullW, kRows, kCols, {kGroupL, kGroupK}, error);
      if (!packedTiles) usage("workload not packable: " + error);
      for (auto& t : *packedTiles) {
        Batch b;
        b.tileIn = t.tileIn;
        b.tileOut = t.tileOut;
        b.stored = std::move(t.packed.values);
        b.index = std::move(t.packed.index);
        b.weights = std::move(t.logical);
        b.x = rowsOf(t.vectors);
        batches.push_back(std::move(b));
      }
    }
    auto tiles = kSparse ? std::vector<ftaccel::golden::StreamTile>{}
                         : ftaccel::golden::tileWs(fullX, fullW, kIn, kOut, opt.shift);
#endif
    for (auto& t : tiles) {
      Batch b;
      b.tileIn = t.tileIn;
      b.tileOut = t.tileOut;
      b.weights = std::move(t.stationary);
      b.x = rowsOf(t.vectors);
      batches.push_back(std::move(b));
    }
    long total = 0;
    for (const auto& t : batches) total += t.size();
    opt.vectors = total;
  }
  for (long done = 0; !opt.product.b && done < opt.vectors; done += opt.batch) {
    Batch b;
    const Pattern p = stim.batchPattern();
    b.weights = Matrix(kIn, kOut);
    if (kSparse) {
      fullProduct(stim, {1, kIn, kOut}, b.unpruned, b.weights);  // the weights of a 1 x kIn product
    } else {
      for (int k = 0; k < kRows; ++k)
        for (int c = 0; c < kCols; ++c) b.weights.at(k, c) = stim.value(p, k, c, true);
    }
    const long n = std::min(opt.batch, opt.vectors - done);
    b.x = Matrix((int)n, kIn);
    for (long m = 0; m < n; ++m)
      for (int k = 0; k < kIn; ++k) b.x.at((int)m, k) = stim.value(p, m, k, false);
    batches.push_back(std::move(b));
  }

#if !FTACCEL_DATAFLOW_IS
  if (kSparse) {
    if (opt.memoryBer > 0) usage("--memory-ber is not modeled for flow-controlling PEs (array.pe)");
    for (auto& b : batches) {
      if (b.index.rows > 0) continue;  // packed by the tiler (--matmul)
      PackedLoad load = packForLoad(b.weights);
      b.stored = std::move(load.values);
      b.index = std::move(load.index);
      b.weights = std::move(load.logical);
    }
  } else {
    for (size_t i = 0; i < batches.size(); ++i) storeWeights(batches[i], opt.memoryBer, opt.seed * 1000003 + i);
  }
#else
  for (auto& b : batches) b.stored = b.weights;
#endif
  const FaultSetup fs = faultSetup(opt);
  const auto& mask = fs.mask;
  Report rep;
  rep.bypassed = fs.bypassed;
  rep.faultyPes = fs.faultyPes;
  // The golden model prunes the weights that the mapping puts on bypassed PEs (SPEC §3).
  for (auto& b : batches) b.unpruned = b.weights;
  for (auto& b : batches)
    for (int k = 0; k < kRows; ++k)
      for (int c = 0; c < kCols; ++c)
        if (mask[k][c]) b.weights.at(k, c) = 0;

  reset(*top);
  StreamDriver<Vtop> io(*top);  // the pin protocol, shared with the campaign engine
  loadBypass(*top, mask);

  // The golden result is computed when the output is taken, from (batch, row): no heap copy
  // travels with a vector through the pipeline.
  struct Pending {
    long acceptCycle;
    long index;
    size_t batch;
    long row;  // position in its batch (the batch index b for --matmul)
  };
  ftaccel::golden::WideMatrix tiledY(opt.product.b, opt.product.co);  // --matmul: host-side accumulation
  std::deque<Pending> inflight;
  size_t loadBatch = 0, loadRow = 0, vecBatch = 0, vecIndex = 0, swaps = 0;
  long cycle = 0, checked = 0, mismatches = 0, firstAccept = -1, lastOutput = -1;
  long prunedVisible = 0;
#if FTACCEL_UNIT_SANITY
  sanity::FlagChecker sanityFlags;
#endif
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
  // The batch register: written once after reset (an idle cycle), or left at its reset value.
  sanity::TemporalChecker temporal(opt.sanityBatch ? opt.sanityBatch : FTACCEL_SANITY_MAX_BATCH, fs.faults.empty());
  if (opt.sanityBatch) {
    io.offer({false, false, false, true});
    top->sanity_batch_i = (unsigned)opt.sanityBatch;
    top->sanity_batch_we_i = 1;
    top->eval();
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    top->sanity_batch_we_i = 0;
    top->eval();
  }
#endif
  long latMin = 1L << 40, latMax = -1, stalls = 0, earlyValid = 0, index = 0;
  std::string firstMismatch;
  GoldenCheck golden;
  std::vector<Wide> gotBuf(kOut);  // one output vector, reused every handshake
  // Generous bound: every vector and every reload at the slowest offered rate, 4x over.
  double slowest = std::min({opt.inValidProb, opt.outReadyProb, opt.wloadValidProb, 1.0});
  long work = opt.vectors + (long)batches.size() * (2L * kRows + kCols) + kLatency;
  long maxCycles = opt.maxCycles ? opt.maxCycles : 1000 + (long)(4.0 * (double)work / slowest);

  // Valid, once raised, stays high with the same beat until its handshake (the rule the IP's
  // interface assertions check): a random offer only starts a beat.
  bool vecWaiting = false, loadWaiting = false;
  while (checked < opt.vectors && cycle < maxCycles) {
    // Drive the producers and the consumer for this cycle.
    bool haveVec = vecBatch < batches.size();
    bool offerVec = haveVec && (vecWaiting || stim.chance(opt.inValidProb));
    // A matrix may be loaded once every earlier one has been swapped in.
    bool haveLoad = loadBatch < batches.size() && loadBatch == swaps;
    bool offerLoad = haveLoad && (loadWaiting || stim.chance(opt.wloadValidProb));
    // A swap installs only a matrix whose load is complete, in progress or offered in the same
    // cycle; without one it would be a no-op (README, "Weight stationary"), so the batch's
    // first vector waits for its load to begin.
    const bool swapVec = haveVec && vecIndex == 0 && !opt.noSwap;
    if (swapVec && !vecWaiting && !(loadBatch > vecBatch || loadRow > 0 || offerLoad)) offerVec = false;
    const bool ready = stim.chance(opt.outReadyProb);
    io.offer({offerVec, swapVec, offerLoad, ready});
    if (haveVec) {
      io.streamLanes(batches[vecBatch].vector((long)vecIndex), kIn);
    }
    if (haveLoad) {
      for (int c = 0; c < kCols; ++c) io.loadLane((int)loadRow, c, batches[loadBatch].stored.at((int)loadRow, c));
#if FTACCEL_IDX_BITS
      for (int c = 0; c < kCols; ++c) io.loadIndexLane(c, batches[loadBatch].index.at((int)loadRow, c));
#endif
    }
    driveFaults(*top, fs.faults, stim);
    top->eval();
    rep.alarmCycles += FTACCEL_ANY_ALARM(*top) ? 1 : 0;
#if FTACCEL_UNIT_SANITY
    sanityFlags.cycle(*top);
#endif
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
    temporal.cycle(*top);
#endif

    const Handshakes hs = io.handshakes();
    bool inFire = hs.in;
    bool wFire = hs.load;
    bool outFire = hs.out;
    if (offerVec && !inFire) ++stalls;
    vecWaiting = offerVec && !inFire;
    loadWaiting = offerLoad && !wFire;

    if (outFire) {
      if (inflight.empty()) {
        ++earlyValid;
        ++mismatches;
        if (firstMismatch.empty()) firstMismatch = "output valid with no vector in flight";
      } else {
        Pending p = std::move(inflight.front());
        inflight.pop_front();
        long lat = cycle - p.acceptCycle;
        latMin = std::min(latMin, lat);
        latMax = std::max(latMax, lat);
        Wide* got = gotBuf.data();
        const SeenVector seen(batches[p.batch], p.row);
        getLanes<kAccBits>(top->out_data_o, got, kOut);
        if (!golden.matches(seen.data(), batches[p.batch].weights, got)) {
          ++mismatches;
          const std::vector<Wide> expected = GoldenCheck::expected(seen.data(), batches[p.batch].weights);
          const int c = (int)(std::mismatch(got, got + kOut, expected.begin()).first - got);
          if (firstMismatch.empty())
            firstMismatch = "vector " + std::to_string(p.index) + " column " + std::to_string(c) +
                            ": expected " + ftaccel::golden::toString(expected[c]) + ", got " +
                            ftaccel::golden::toString(got[c]);
        }
#if FTACCEL_UNIT_SANITY
        sanityFlags.taken(std::vector<Wide>(got, got + kCols), seen.copy(),
                          batches[p.batch].weights);
#endif
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
        temporal.result(std::vector<Wide>(got, got + kCols));
#endif
        if (opt.product.b) {
          const std::vector<Wide> lanes(got, got + kOut);
#if FTACCEL_DATAFLOW_IS
          ftaccel::golden::accumulateIs(tiledY, batches[p.batch].tileOut, (int)p.row, lanes, kCols, opt.shift);
#else
          ftaccel::golden::accumulateWs(tiledY, batches[p.batch].tileOut, (int)p.row, lanes, kOut, opt.shift);
#endif
        }
        ++checked;
        lastOutput = cycle;
      }
    }
    if (inFire) {
      const Batch& b = batches[vecBatch];
      inflight.push_back({cycle, index++, vecBatch, (long)vecIndex});
      // Vectors whose result the pruning changes: they show the RTL really bypassed.
      if (fs.bypassed && ftaccel::golden::arrayOutput(SeenVector(b, (long)vecIndex).copy(), b.weights, kBits) !=
                             ftaccel::golden::arrayOutput(SeenVector(b, (long)vecIndex).copy(), b.unpruned))
        ++prunedVisible;
#if FTACCEL_INPUT_FILTERS
      rep.filtered += !std::equal(b.vector((long)vecIndex), b.vector((long)vecIndex) + kIn,
                                  SeenVector(b, (long)vecIndex).data());
#endif
      if (firstAccept < 0) firstAccept = cycle;
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
      temporal.accepted(SeenVector(b, (long)vecIndex).copy(), swapVec, b.weights);
#endif
#if FTACCEL_UNIT_WEIGHT_PARITY
      // The batch's load is complete and the next one has not started: its count is final.
      if (vecIndex == 0 && !opt.noSwap && (long)top->wparity_count_o != b.parityZeroed) {
        ++mismatches;
        if (firstMismatch.empty())
          firstMismatch = "batch " + std::to_string(vecBatch) + ": wparity_count_o = " +
                          std::to_string((long)top->wparity_count_o) + ", expected " + std::to_string(b.parityZeroed);
      }
#endif
      if (vecIndex == 0 && !opt.noSwap) ++swaps;
      if ((long)++vecIndex == b.size()) {
        vecIndex = 0;
        ++vecBatch;
      }
    }
    if (wFire && ++loadRow == (size_t)kRows) {
      loadRow = 0;
      ++loadBatch;
    }

    // The falling edge is evaluated with the next cycle's inputs (nothing in the IP is
    // sensitive to it): two evaluations per cycle instead of three.
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    ++cycle;
  }
  top->eval();
  rep.alarmCycles += FTACCEL_ANY_ALARM(*top) ? 1 : 0;  // a check registered on the last edge
#if FTACCEL_UNIT_SANITY && FTACCEL_SANITY_TEMPORAL
  temporal.cycle(*top);
  // Drain: close the last (partial) batch and let the pending batch checks come out (not
  // counted in the run's cycles).
  temporal.closeNow();
  top->sanity_batch_close_i = 1;
  io.offer({false, false, false, true});
  for (long c = 0; c < 4L * (kLatency + 64) && temporal.pendingBatches() > 0; ++c) {
    top->clk_i = 1;
    top->eval();
    top->clk_i = 0;
    top->eval();
    temporal.cycle(*top);
  }
  top->sanity_batch_close_i = 0;
  temporal.finish();
  rep.temporalBatchesChecked = temporal.batchesChecked;
  rep.temporalModelMismatches = temporal.mismatches;
  rep.temporalAlarms = temporal.alarms;
  if (temporal.mismatches) rep.mismatch("sanity_tdone_o/sanity_tflag_o/sanity_tpos_o differ from the temporal model");
#endif
#if FTACCEL_UNIT_SANITY
  sanityFlags.cycle(*top);
  rep.alarmModelChecked = sanityFlags.checked;
  rep.alarmModelMismatches = sanityFlags.mismatches;
  if (sanityFlags.mismatches) rep.mismatch("sanity_flag_o differs from the Sanity-Check model");
#endif
  top->final();

  rep.vectors = opt.vectors;
  rep.checked = checked;
  rep.mismatches += mismatches;
  rep.cycles = cycle;
  rep.batches = (long)batches.size();
  rep.latMin = latMin;
  rep.latMax = latMax;
  // First input handshake to last output handshake; equals M + latency - 1 without stalls.
  rep.span = lastOutput >= 0 ? lastOutput - firstAccept : 0;
  rep.stalls = stalls;
  rep.spurious = earlyValid;
  rep.prunedVisible = prunedVisible;
  rep.tiles = opt.product.b ? (long)batches.size() : 0;
  rep.firstMismatch = firstMismatch;
  rep.timeout = checked < opt.vectors;
  for (const auto& b : batches) {
    rep.memoryBitErrors += b.bitErrors;
    rep.parityZeroedWords += b.parityZeroed;
  }
  // --matmul: the tiled hardware result against one golden product of the whole matrices,
  // with the stationary operand pruned by the mapping of the bypass mask.
  if (opt.product.b) {
    const auto flat = flatMask(mask);
#if FTACCEL_DATAFLOW_IS
    auto y = ftaccel::golden::matmul(ftaccel::golden::pruneInputsIs(fullX, flat, kRows, kCols, opt.shift), fullW);
#else
    auto y = ftaccel::golden::matmul(fullX, ftaccel::golden::pruneWeightsWs(fullW, flat, kRows, kCols, opt.shift));
#endif
    rep.compareMatmul(y, tiledY);
  }
  return rep.print();
}
#endif  // !FTACCEL_DATAFLOW_OS


#if FTACCEL_DATAFLOW_OS
#include "ProtocolFuzz.h"

// Output-stationary driver: every tile is K reduction steps of (rows activations, cols
// weights); rows result rows of cols lanes come back per tile, row 0 first.
int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "campaign") == 0) return campaignMain(argc - 1, argv + 1);
  Options opt = parse(argc, argv);
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);  // registers start random: reset must clear them
  ctx->commandArgs(argc, argv);
  auto top = std::make_unique<Vtop>(ctx.get());
  Stimulus stim(opt.seed, opt.pattern);
  const FaultSetup fs = faultSetup(opt);
  Report rep;
  if (opt.protocolFuzz > 0) return fuzzProtocol(*top, opt, fs, rep);
  rep.bypassed = fs.bypassed;
  rep.faultyPes = fs.faultyPes;

  using Tile = ftaccel::golden::OsTile;
  std::vector<Tile> tiles;
  Matrix fullX, fullW;
  if (opt.product.b) {
    // eq. 10.5 with diagonal shift (golden/Tiler): the whole reduction over CI runs inside one tile.
    if (opt.product.ci > FTACCEL_MAX_K) usage("--matmul CI exceeds array.max_k of this IP");
    fullProduct(stim, opt.product, fullX, fullW);
    tiles = ftaccel::golden::tileOs(fullX, fullW, kRows, kCols, opt.shift);
  } else {
    // --batch is the tile length K; --vectors counts result rows.
    if (opt.batch > FTACCEL_MAX_K) usage("--batch (tile length) exceeds array.max_k of this IP");
    const int k = (int)opt.batch;
    for (long done = 0; done < opt.vectors; done += kRows) {
      const Pattern p = stim.batchPattern();
      Tile t{Matrix(kRows, k), Matrix(k, kCols)};
      for (int r = 0; r < kRows; ++r)
        for (int j = 0; j < k; ++j) t.x.at(r, j) = stim.value(p, r, j, false);
      for (int j = 0; j < k; ++j)
        for (int c = 0; c < kCols; ++c) t.w.at(j, c) = stim.value(p, j, c, true);
      tiles.push_back(std::move(t));
    }
  }
  opt.vectors = (long)tiles.size() * kRows;

  reset(*top);
  StreamDriver<Vtop> io(*top);  // the pin protocol, shared with the campaign engine
  loadBypass(*top, fs.mask);

  struct Expected {
    std::vector<Wide> row;
    size_t tile;
    int r;
  };
  std::deque<Expected> expected;  // rows of accepted tiles, in delivery order
  std::deque<long> lastAccept;    // handshake cycle of each tile's last beat
  ftaccel::golden::WideMatrix tiledY(opt.product.b, opt.product.co);
  size_t tileIdx = 0;
  int step = 0;
  long cycle = 0, firstAccept = -1, lastOutput = -1, rowInTile = 0;
  const int k0 = tiles.empty() ? 1 : tiles[0].x.cols;
  const double slowest = std::min({opt.inValidProb, opt.outReadyProb, 1.0});
  const long work = (long)tiles.size() * (std::max(k0, kRows) + kRows) + 2 * kLatency;
  const long maxCycles = opt.maxCycles ? opt.maxCycles : 1000 + (long)(4.0 * (double)work / slowest);

  bool waiting = false;  // valid stays high with its beat until the handshake
  while (rep.checked < opt.vectors && cycle < maxCycles) {
    const bool have = tileIdx < tiles.size();
    const bool offer = have && (waiting || stim.chance(opt.inValidProb));
    const bool ready = stim.chance(opt.outReadyProb);
    io.offer({offer, have && step == tiles[tileIdx].x.cols - 1, false, ready});
    if (have) {
      const Tile& t = tiles[tileIdx];
      for (int r = 0; r < kRows; ++r) io.streamLane(r, t.x.at(r, step));
      for (int c = 0; c < kCols; ++c) io.weightLane(c, t.w.at(step, c));
    }
    driveFaults(*top, fs.faults, stim);
    top->eval();

    const Handshakes hs = io.handshakes();
    const bool inFire = hs.in;
    const bool outFire = hs.out;
    if (offer && !inFire) ++rep.stalls;
    waiting = offer && !inFire;

    if (outFire) {
      if (expected.empty()) {
        ++rep.spurious;
        rep.mismatch("output valid with no result row pending");
      } else {
        Expected e = std::move(expected.front());
        expected.pop_front();
        if (rowInTile++ == 0) {
          rep.latency(cycle - lastAccept.front());
          lastAccept.pop_front();
        }
        if (rowInTile == kRows) rowInTile = 0;
        bool ok = true;
        Wide lanes[kCols];
        getLanes<kAccBits>(top->out_data_o, lanes, kCols);
        for (int c = 0; c < kCols; ++c) {
          const Wide got = lanes[c];
          if (got != e.row[c]) {
            ok = false;
            if (rep.firstMismatch.empty())
              rep.firstMismatch = "tile " + std::to_string(e.tile) + " row " + std::to_string(e.r) +
                                  " column " + std::to_string(c) + ": expected " +
                                  ftaccel::golden::toString(e.row[c]) + ", got " +
                                  ftaccel::golden::toString(got);
          }
          if (opt.product.b) ftaccel::golden::storeOs(tiledY, tiles[e.tile], e.r, c, got, kRows, kCols, opt.shift);
        }
        if (!ok) ++rep.mismatches;
        ++rep.checked;
        lastOutput = cycle;
      }
    }
    if (inFire) {
      if (firstAccept < 0) firstAccept = cycle;
      const Tile& t = tiles[tileIdx];
      if (++step == t.x.cols) {
        // Golden rows of this tile; outputs mapped to bypassed PEs are pruned (SPEC §3, OS).
        auto y = ftaccel::golden::matmul(t.x, t.w);
        for (int r = 0; r < kRows; ++r) {
          std::vector<Wide> row(kCols);
          bool changed = false;
          for (int c = 0; c < kCols; ++c) {
            row[c] = fs.mask[r][c] ? 0 : y.at(r, c);
            changed |= row[c] != y.at(r, c);
          }
          rep.prunedVisible += changed;
          expected.push_back({std::move(row), tileIdx, r});
        }
        lastAccept.push_back(cycle);
        step = 0;
        ++tileIdx;
      }
    }
    tick(*top);
    ++cycle;
  }
  top->final();

  rep.vectors = opt.vectors;
  rep.cycles = cycle;
  rep.batches = (long)tiles.size();
  rep.span = lastOutput >= 0 ? lastOutput - firstAccept : 0;
  rep.tiles = opt.product.b ? (long)tiles.size() : 0;
  rep.timeout = rep.checked < opt.vectors;
  if (opt.product.b) {
    auto y = ftaccel::golden::matmul(fullX, fullW);
    const auto flat = flatMask(fs.mask);
    for (int b = 0; b < opt.product.b; ++b)
      for (int co = 0; co < opt.product.co; ++co) {
        auto pe = ftaccel::golden::mapOutputOs(co, b, kRows, kCols, opt.shift);
        if (flat[(size_t)pe.row * kCols + pe.col]) y.at(b, co) = 0;
      }
    rep.compareMatmul(y, tiledY);
  }
  return rep.print();
}
#endif  // FTACCEL_DATAFLOW_OS
