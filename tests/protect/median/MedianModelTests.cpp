// Tests of the median golden model: naive (Fig. 8.10) and optimized (Fig. 8.12) units equal the
// plain median for every 4-bit window and every ordering of five values with ties; chunking
// and zero padding.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "protect/median/MedianModel.h"

using namespace ftaccel;

namespace {

int64_t plainMedian(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

TEST_CASE("median model: every 4-bit window of 3 and of 5", "[protect][median]") {
  long checked = 0;
  for (int64_t a = -8; a < 8; ++a)
    for (int64_t b = -8; b < 8; ++b)
      for (int64_t c = -8; c < 8; ++c) {
        const int64_t m = plainMedian({a, b, c});
        if (median::naiveMedian3(a, b, c) != m || median::sharedMedian({a, b, c}) != m)
          FAIL("median3 " << a << " " << b << " " << c);
        for (int64_t d = -8; d < 8; ++d)
          for (int64_t e = -8; e < 8; ++e) {
            const int64_t m5 = plainMedian({a, b, c, d, e});
            if (median::naiveMedian5(a, b, c, d, e) != m5 || median::sharedMedian({a, b, c, d, e}) != m5)
              FAIL("median5 " << a << " " << b << " " << c << " " << d << " " << e);
            ++checked;
          }
      }
  CHECK(checked == 16L * 16 * 16 * 16 * 16);
}

TEST_CASE("median model: optimized == naive for every ordering of five values with ties", "[protect][median]") {
  // Every weak ordering of 5 positions: assign each position a rank 0..4 (ties = equal ranks);
  // 5^5 assignments cover every pattern of ties and every order, up to relabelling.
  long orderings = 0;
  for (int code = 0; code < 3125; ++code) {
    std::vector<int64_t> v(5);
    int x = code;
    for (auto& e : v) {
      e = x % 5;
      x /= 5;
    }
    for (int64_t scale : {1, -1}) {  // negative values too
      std::vector<int64_t> w(5);
      for (int i = 0; i < 5; ++i) w[size_t(i)] = scale * v[size_t(i)] * 37 - 3;
      const int64_t m = plainMedian(w);
      REQUIRE(median::sharedMedian(w) == m);
      REQUIRE(median::naiveMedian5(w[0], w[1], w[2], w[3], w[4]) == m);
      REQUIRE(median::sharedMedian({w[0], w[1], w[2]}) == median::naiveMedian3(w[0], w[1], w[2]));
      ++orderings;
    }
  }
  CHECK(orderings == 6250);
}

TEST_CASE("median model: chunks are padded with zeros on their own", "[protect][median]") {
  const std::vector<int64_t> x = {5, 9, 7, -3, 4, 4};
  for (auto impl : {median::Impl::Reference, median::Impl::Naive, median::Impl::Optimized}) {
    // Chunk {5,9,7}: med(0,5,9)=5, med(5,9,7)=7, med(9,7,0)=7; chunk {-3,4,4}: 0, 4, 4.
    CHECK(median::medianFilter(x, 3, 3, impl) == std::vector<int64_t>{5, 7, 7, 0, 4, 4});
    // Window 5 over one chunk of 6: med(0,0,5,9,7)=5, med(0,5,9,7,-3)=5, med(5,9,7,-3,4)=5,
    // med(9,7,-3,4,4)=4, med(7,-3,4,4,0)=4, med(-3,4,4,0,0)=0.
    CHECK(median::medianFilter(x, 6, 5, impl) == std::vector<int64_t>{5, 5, 5, 4, 4, 0});
    // A single lane: the median of itself and zeros is zero.
    CHECK(median::medianFilter({-8, 7}, 1, 3, impl) == std::vector<int64_t>{0, 0});
  }
}
