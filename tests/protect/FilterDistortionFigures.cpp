// Fault-free cost of the activation filters (hidden test, prints a table): how many activation
// values and result vectors AFD and the median change on ReLU-like and on uniform random data.
// Run: build/tests/ftaccel_tests "[filter-figures]"
#include <catch2/catch.hpp>

#include <cmath>
#include <iostream>
#include <random>

#include <fmt/format.h>

#include "golden/GoldenModel.h"
#include "protect/afd/AfdModel.h"
#include "protect/median/MedianModel.h"

using namespace ftaccel;

namespace {

// ReLU-like: half the values 0, the rest |N(0, 2^(bits-4))| rounded, saturated.
std::vector<int64_t> reluVector(std::mt19937_64& rng, int lanes, int bits) {
  std::normal_distribution<double> n(0.0, std::ldexp(1.0, bits - 4));
  std::bernoulli_distribution zero(0.5);
  std::vector<int64_t> x(static_cast<size_t>(lanes));
  for (auto& v : x) v = zero(rng) ? 0 : std::min<int64_t>(golden::maxValue(bits), std::llround(std::fabs(n(rng))));
  return x;
}

std::vector<int64_t> randomVector(std::mt19937_64& rng, int lanes, int bits) {
  std::uniform_int_distribution<int64_t> d(golden::minValue(bits), golden::maxValue(bits));
  std::vector<int64_t> x(static_cast<size_t>(lanes));
  for (auto& v : x) v = d(rng);
  return x;
}

}  // namespace

TEST_CASE("filter figures: fault-free distortion", "[.][filter-figures]") {
  const int lanes = 16, bits = 8, vectors = 20000;
  struct Filter {
    std::string name;
    std::function<std::vector<int64_t>(const std::vector<int64_t>&)> f;
  };
  std::vector<Filter> filters;
  for (int gates : {1, 2})
    for (bool clip : {false, true})
      for (int s : {0, 1, 2, 3})
        filters.push_back({fmt::format("AFD gates={} {} s={}", gates, clip ? "clip" : "drop", s),
                           [=](const std::vector<int64_t>& x) { return afd::afdFilter(x, lanes, {s, 15, gates, clip}); }});
  for (int w : {3, 5})
    filters.push_back({fmt::format("median-{}", w),
                       [=](const std::vector<int64_t>& x) { return median::medianFilter(x, lanes, w, median::Impl::Optimized); }});
  std::cout << fmt::format("{} lanes, {}-bit, {} vectors; % of values changed / % of vectors with a change\n", lanes, bits,
                           vectors);
  std::cout << fmt::format("{:<26} {:>16} {:>16}\n", "filter", "ReLU-like", "uniform random");
  for (const auto& filter : filters) {
    double res[2][2] = {};
    for (int data = 0; data < 2; ++data) {
      std::mt19937_64 rng(42);
      long values = 0, vecs = 0;
      for (int m = 0; m < vectors; ++m) {
        const auto x = data == 0 ? reluVector(rng, lanes, bits) : randomVector(rng, lanes, bits);
        const auto y = filter.f(x);
        long c = 0;
        for (int i = 0; i < lanes; ++i) c += y[size_t(i)] != x[size_t(i)];
        values += c;
        vecs += c > 0;
      }
      res[data][0] = 100.0 * double(values) / (double(vectors) * lanes);
      res[data][1] = 100.0 * double(vecs) / vectors;
    }
    std::cout << fmt::format("{:<26} {:>7.2f} / {:>6.2f} {:>7.2f} / {:>6.2f}\n", filter.name, res[0][0], res[0][1],
                             res[1][0], res[1][1]);
  }
  SUCCEED();
}
