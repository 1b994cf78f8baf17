// Fault-free cost of opportunistic parity (hidden, prints a table): how many weights packing
// changes for P = 1, 8, 16, 32 and the output error it causes on random 8-bit layers.
// Run: build/tests/ftaccel_tests "[parity-bench]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "golden/GoldenModel.h"
#include "protect/parity/ParityPacker.h"

using namespace ftaccel;
namespace par = ftaccel::protect::parity;

TEST_CASE("weight parity: fault-free packing cost on random layers", "[.][parity-bench]") {
  const int bits = 8, k = 256, n = 256, batch = 64, layers = 8;
  std::printf("weights     P  rule     changed%%  zeros-made  mean|err|  p99|err|  max|err|  rms(y)\n");
  for (const char* dist : {"uniform", "gauss20"}) {
    for (int p : {1, 8, 16, 32}) {
      for (par::FlipRule rule : {par::FlipRule::Largest, par::FlipRule::Last}) {
        long changed = 0, total = 0, zerosMade = 0;
        std::vector<double> errs;
        double sumSq = 0;
        long outputs = 0;
        for (int l = 0; l < layers; ++l) {
          std::mt19937_64 rng(1000 + l);
          std::uniform_int_distribution<int64_t> u(golden::minValue(bits), golden::maxValue(bits));
          std::normal_distribution<double> g(0.0, 20.0);
          golden::Matrix w(k, n), x(batch, k);
          for (auto& v : w.data)
            v = dist[0] == 'u' ? u(rng)
                               : std::clamp<int64_t>(std::llround(g(rng)), golden::minValue(bits), golden::maxValue(bits));
          for (auto& v : x.data) v = u(rng);
          golden::Matrix packed = w;
          // One memory word = P consecutive weights of a row of W (an output-channel run).
          par::packImage(packed.data, par::WordLayout{bits, n, p}, rule);
          for (size_t i = 0; i < w.data.size(); ++i) {
            changed += packed.data[i] != w.data[i];
            zerosMade += w.data[i] == 0 && packed.data[i] != 0;
          }
          total += (long)w.data.size();
          const auto y = golden::matmul(x, w), yp = golden::matmul(x, packed);
          for (size_t i = 0; i < y.data.size(); ++i) {
            errs.push_back(std::abs((double)(yp.data[i] - y.data[i])));
            sumSq += (double)y.data[i] * (double)y.data[i];
            ++outputs;
          }
        }
        std::sort(errs.begin(), errs.end());
        double mean = 0;
        for (double e : errs) mean += e;
        mean /= (double)errs.size();
        std::printf("%-9s %3d  %-7s  %7.3f  %10ld  %9.1f  %8.0f  %8.0f  %6.0f\n", dist, p, par::flipRuleName(rule),
                    100.0 * (double)changed / (double)total, zerosMade, mean, errs[errs.size() * 99 / 100],
                    errs.back(), std::sqrt(sumSq / (double)outputs));
        CHECK(changed > 0);
      }
    }
  }
}
