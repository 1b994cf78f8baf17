// Bernoulli bit-error masks drawn by geometric gaps, and the golden-model BER study.
#include "golden/BitErrors.h"

#include <cmath>
#include <stdexcept>

namespace ftaccel::golden {

namespace {

void checkBits(int bits, int widest) {
  if (bits < 1 || bits > widest)
    throw std::invalid_argument("element width must be in 1.." + std::to_string(widest) +
                                ", got " + std::to_string(bits));
}

void checkBer(double ber) {
  if (!(ber >= 0 && ber <= 1))
    throw std::invalid_argument("bit error rate must be in [0, 1], got " + std::to_string(ber));
}

// Uniform in (0, 1] from the top 53 bits, so log() never sees 0. Written out rather than
// std::uniform_real_distribution so a seed gives the same errors with any standard library.
double uniformOpenZero(std::mt19937_64& rng) {
  return static_cast<double>((rng() >> 11) + 1) * 0x1.0p-53;
}

Wide wideMin(int bits) { return -(Wide{1} << (bits - 1)); }
Wide wideMax(int bits) { return (Wide{1} << (bits - 1)) - 1; }
Wide absWide(Wide v) { return v < 0 ? -v : v; }

void checkOperands(const Matrix& m, int bits, const char* what) {
  for (int64_t v : m.data)
    if (v < minValue(bits) || v > maxValue(bits))
      throw std::invalid_argument(std::string(what) + " element " + std::to_string(v) +
                                  " does not fit " + std::to_string(bits) + " bits");
}

// XOR of the error mask, then sign extension. Summing the per-bit perturbations of Alg. 9.1
// (+2^i for a 0 bit, -2^i for a 1 bit, the sign bit weighing -2^(bits-1)) gives the same value.
int64_t flipped(int64_t v, UWide mask, int bits) {
  return signExtend(static_cast<uint64_t>(v) ^ static_cast<uint64_t>(mask), bits);
}
Wide flipped(Wide v, UWide mask, int bits) {
  return signExtendWide(static_cast<Wide>(static_cast<UWide>(v) ^ mask), bits);
}

}  // namespace

ErrorPattern sampleBitErrors(size_t elements, int bits, double ber, std::mt19937_64& rng) {
  checkBits(bits, 128);
  checkBer(ber);
  ErrorPattern out;
  const uint64_t width = static_cast<uint64_t>(bits);
  const uint64_t total = static_cast<uint64_t>(elements) * width;
  auto flip = [&](uint64_t pos) {
    const size_t index = static_cast<size_t>(pos / width);
    if (out.elements.empty() || out.elements.back().index != index) out.elements.push_back({index, 0});
    out.elements.back().mask |= UWide{1} << (pos % width);
    ++out.bitsFlipped;
  };
  if (ber <= 0 || total == 0) return out;
  if (ber >= 1) {
    for (uint64_t pos = 0; pos < total; ++pos) flip(pos);
    return out;
  }
  // Number of correct bits before the next error: P(gap = g) = (1-p)^g p, by inversion
  // floor(log U / log(1-p)); positions come out ascending, so one element's flips are adjacent.
  const double logKeep = std::log1p(-ber);  // log(1-p), accurate for tiny p
  for (uint64_t pos = 0;; ++pos) {
    const double gap = std::floor(std::log(uniformOpenZero(rng)) / logKeep);
    if (gap >= static_cast<double>(total - pos)) break;  // also guards the integer conversion
    pos += static_cast<uint64_t>(gap);
    flip(pos);
    if (pos + 1 >= total) break;
  }
  return out;
}

uint64_t injectBitErrors(Matrix& m, int bits, double ber, std::mt19937_64& rng) {
  checkBits(bits, 64);
  const ErrorPattern p = sampleBitErrors(m.data.size(), bits, ber, rng);
  for (const ElementError& e : p.elements) m.data[e.index] = flipped(m.data[e.index], e.mask, bits);
  return p.bitsFlipped;
}

uint64_t injectBitErrors(WideMatrix& m, int bits, double ber, std::mt19937_64& rng) {
  const ErrorPattern p = sampleBitErrors(m.data.size(), bits, ber, rng);
  for (const ElementError& e : p.elements) m.data[e.index] = flipped(m.data[e.index], e.mask, bits);
  return p.bitsFlipped;
}

std::string toString(BerTarget t) {
  switch (t) {
    case BerTarget::Weights: return "weights";
    case BerTarget::Inputs: return "inputs";
    case BerTarget::Outputs: return "outputs";
  }
  return "?";
}

bool parseBerTarget(const std::string& text, BerTarget& out) {
  for (BerTarget t : {BerTarget::Weights, BerTarget::Inputs, BerTarget::Outputs})
    if (text == toString(t)) {
      out = t;
      return true;
    }
  return false;
}

uint64_t trialSeed(uint64_t seed, int trial) {
  // SplitMix64 finalizer: neighbouring (seed, trial) pairs give unrelated engine states.
  uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (static_cast<uint64_t>(trial) + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

namespace {

// Output deltas of one trial: dense storage (reused across trials) plus the touched indices.
class Deltas {
 public:
  explicit Deltas(size_t n) : value_(n, 0), touched_(n, false) {}
  void add(size_t i, Wide d) {
    if (!touched_[i]) {
      touched_[i] = true;
      order_.push_back(i);
    }
    value_[i] += d;
  }
  // Visits every touched output once, then clears them for the next trial.
  template <typename Visit>
  void drain(Visit visit) {
    for (size_t i : order_) {
      visit(i, value_[i]);
      value_[i] = 0;
      touched_[i] = false;
    }
    order_.clear();
  }

 private:
  std::vector<Wide> value_;
  std::vector<bool> touched_;
  std::vector<size_t> order_;
};

}  // namespace

BerStudyResult runBerStudy(const Matrix& x, const Matrix& w, const BerStudyOptions& opts) {
  if (x.cols != w.rows) throw std::invalid_argument("BER study: x is M x K and w must be K x C");
  checkBits(opts.dataBits, 32);
  checkBits(opts.accBits, 127);
  checkBer(opts.ber);
  if (opts.trials < 1) throw std::invalid_argument("BER study: trials must be at least 1");
  checkOperands(x, opts.dataBits, "input");
  checkOperands(w, opts.dataBits, "weight");

  const WideMatrix golden = matmul(x, w);
  if (opts.target == BerTarget::Outputs)
    for (Wide v : golden.data)
      if (v < wideMin(opts.accBits) || v > wideMax(opts.accBits))
        throw std::invalid_argument("BER study: a fault-free output does not fit acc_bits = " +
                                    std::to_string(opts.accBits));

  const size_t M = static_cast<size_t>(x.rows), K = static_cast<size_t>(x.cols),
               C = static_cast<size_t>(w.cols);
  const bool outputs = opts.target == BerTarget::Outputs;
  const size_t elements = opts.target == BerTarget::Weights ? K * C
                          : opts.target == BerTarget::Inputs ? M * K
                                                             : M * C;
  const int width = outputs ? opts.accBits : opts.dataBits;

  BerStudyResult r;
  r.trials = opts.trials;
  r.outputElements = static_cast<int64_t>(golden.data.size());
  r.expectedBitsFlipped = opts.ber * static_cast<double>(elements) * width * opts.trials;

  Deltas deltas(golden.data.size());
  double relativeSum = 0;
  for (int t = 0; t < opts.trials; ++t) {
    std::mt19937_64 rng(trialSeed(opts.seed, t));
    const ErrorPattern p = sampleBitErrors(elements, width, opts.ber, rng);
    r.bitsFlipped += p.bitsFlipped;
    for (const ElementError& e : p.elements) {
      if (outputs) {
        deltas.add(e.index, flipped(golden.data[e.index], e.mask, width) - golden.data[e.index]);
      } else if (opts.target == BerTarget::Weights) {  // w[k][c] changed: column c of every row
        const size_t k = e.index / C, c = e.index % C;
        const Wide d = flipped(w.data[e.index], e.mask, width) - w.data[e.index];
        for (size_t m = 0; m < M; ++m) deltas.add(m * C + c, d * x.data[m * K + k]);
      } else {  // x[m][k] changed: every column of row m
        const size_t m = e.index / K, k = e.index % K;
        const Wide d = flipped(x.data[e.index], e.mask, width) - x.data[e.index];
        for (size_t c = 0; c < C; ++c) deltas.add(m * C + c, d * w.data[k * C + c]);
      }
    }
    int64_t wrong = 0;
    deltas.drain([&](size_t i, Wide d) {
      if (d == 0) return;  // changes that cancelled (or met a zero operand) are masked
      ++wrong;
      const Wide err = absWide(d);
      if (err > r.maxAbsError) r.maxAbsError = err;
      const Wide ref = absWide(golden.data[i]);
      relativeSum += static_cast<double>(err) / static_cast<double>(ref > 0 ? ref : Wide{1});
    });
    r.wrongElements += wrong;
    if (wrong > 0) ++r.trialsWithError;
  }
  if (r.wrongElements > 0) r.meanRelativeError = relativeSum / static_cast<double>(r.wrongElements);
  return r;
}

}  // namespace ftaccel::golden
