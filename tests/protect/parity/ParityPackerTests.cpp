// Host-side opportunistic parity (seed 001): packing rules, corruption, check and zeroing.
#include <catch2/catch.hpp>

#include <random>

#include "golden/GoldenModel.h"
#include "protect/parity/ParityPacker.h"

using namespace ftaccel;
using namespace ftaccel::protect::parity;

namespace {

std::vector<int64_t> randomImage(int n, int bits, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(golden::minValue(bits), golden::maxValue(bits));
  std::vector<int64_t> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

}  // namespace

TEST_CASE("parity: two's-complement words, parity over the low bits", "[parity]") {
  const int64_t w1[] = {-1};  // 8 ones at 8 bits: even
  CHECK_FALSE(oddParity(w1, 1, 8));
  const int64_t w2[] = {-128, 0};  // one bit
  CHECK(oddParity(w2, 2, 8));
  const int64_t w3[] = {-8};  // 1000 at 4 bits
  CHECK(oddParity(w3, 1, 4));
  const int64_t w4[] = {3, 5, 6};  // 2 + 2 + 2 ones
  CHECK_FALSE(oddParity(w4, 3, 8));
}

TEST_CASE("parity: the two flip rules", "[parity]") {
  SECTION("largest |w| flips the largest magnitude, the most negative value counts as largest") {
    int64_t w[] = {3, -128, 100, 1};  // ones: 2 + 1 + 3 + 1 = 7, odd
    CHECK(packWord(w, 4, 8, FlipRule::Largest) == 1);
    CHECK(w[1] == -127);
    CHECK_FALSE(oddParity(w, 4, 8));
  }
  SECTION("last flips the word's last weight, even a zero") {
    int64_t w[] = {7, 0};  // 3 ones
    CHECK(packWord(w, 2, 8, FlipRule::Last) == 1);
    CHECK(w[1] == 1);
    CHECK(w[0] == 7);
  }
  SECTION("largest never turns a zero into a non-zero weight; ties go to the last") {
    int64_t w[] = {-5, 5, 0, 0};  // -5 = 11111011 (7 ones) + 5 (2 ones): odd
    CHECK(packWord(w, 4, 8, FlipRule::Largest) == 1);
    CHECK(w[1] == 4);
    CHECK(w[2] == 0);
    CHECK(w[3] == 0);
  }
  SECTION("an even word is left alone") {
    int64_t w[] = {3, 3};
    CHECK(packWord(w, 2, 8, FlipRule::Largest) == -1);
    CHECK(packWord(w, 2, 8, FlipRule::Last) == -1);
    CHECK(w[0] == 3);
  }
  SECTION("the extremes stay in range") {
    for (int bits : {4, 8, 16, 32}) {
      int64_t lo[] = {golden::minValue(bits)};
      int64_t hi[] = {golden::maxValue(bits)};
      packWord(lo, 1, bits, FlipRule::Last);
      packWord(hi, 1, bits, FlipRule::Last);
      CHECK(lo[0] == golden::minValue(bits) + 1);  // 100..0 has one bit
      CHECK(hi[0] == golden::maxValue(bits) - 1);  // 011..1 has bits-1 ones (odd)
    }
  }
}

TEST_CASE("parity: a packed image has even words, changes one LSB per odd word", "[parity]") {
  for (int p : {1, 2, 8, 16}) {
    for (FlipRule rule : {FlipRule::Largest, FlipRule::Last}) {
      const WordLayout layout{8, 16, p};
      const auto raw = randomImage(16 * 16, 8, 7 + p);
      auto img = raw;
      const PackStats st = packImage(img, layout, rule);
      CHECK(st.words == 16 * 16 / p);
      long changed = 0;
      for (size_t i = 0; i < img.size(); ++i) {
        CHECK(std::abs(img[i] - raw[i]) <= 1);
        changed += img[i] != raw[i];
      }
      CHECK(changed == st.flipped);
      // Random words are odd about half the time.
      CHECK(st.flipped > st.words / 4);
      CHECK(st.flipped < 3 * st.words / 4);
      auto checked = img;
      for (int z : checkAndZero(checked, layout)) CHECK(z == 0);
      CHECK(checked == img);
    }
  }
}

TEST_CASE("parity: odd bursts zero the word, even bursts escape", "[parity]") {
  const WordLayout layout{8, 8, 4};  // 2 words of 32 bits per beat
  auto img = randomImage(2 * 8, 8, 3);
  packImage(img, layout, FlipRule::Largest);
  for (int burst = 1; burst <= 8; ++burst) {
    auto stored = img;
    WordFault f{3, {}};  // beat 1, word 1: weights 12..15
    for (int b = 0; b < burst; ++b) f.bits.push_back(6 + b);  // spans weights 12 and 13
    corrupt(stored, layout, f);
    for (int v : {12, 13}) {
      CHECK(stored[v] >= golden::minValue(8));
      CHECK(stored[v] <= golden::maxValue(8));
    }
    auto loaded = stored;
    const auto zeroed = checkAndZero(loaded, layout);
    INFO("burst " << burst);
    CHECK(zeroed == std::vector<int>{0, burst % 2});
    for (size_t i = 0; i < loaded.size(); ++i) {
      const bool inWord = i >= 12 && i < 16;
      if (inWord && burst % 2) CHECK(loaded[i] == 0);
      else CHECK(loaded[i] == stored[i]);  // even bursts load the corrupted weights
    }
  }
}

TEST_CASE("parity: BER faults are reproducible and near the rate", "[parity]") {
  const WordLayout layout{8, 16, 8};
  const auto a = berFaults(layout, 256, 0.01, 5), b = berFaults(layout, 256, 0.01, 5);
  long bits = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].word == b[i].word);
    CHECK(a[i].bits == b[i].bits);
    bits += (long)a[i].bits.size();
  }
  // 256*16*8 = 32768 bits at 1 %: 328 expected, 4 sigma is about 72.
  CHECK(bits > 250);
  CHECK(bits < 400);
  CHECK(berFaults(layout, 256, 0.0, 5).empty());
}
