// Tests of the AFD golden model: eq. 8.1/8.2 restated independently over every 4-bit window,
// every shift, both gate counts and both modes; wrap-around and chunking.
#include <catch2/catch.hpp>

#include "protect/afd/AfdModel.h"

using namespace ftaccel;

namespace {

// Eq. 8.1/8.2 written from the text with plain integer arithmetic (a second reading of the
// rule, independent of afdLane's structure).
int64_t byTheBook(int64_t a, int64_t prev, int64_t next, int s, int gates, bool clip) {
  const int64_t g = int64_t{1} << s;
  const int64_t m = a < 0 ? -a : a, tp = g * (prev < 0 ? -prev : prev), tn = g * (next < 0 ? -next : next);
  bool drop = m > tn;
  if (gates == 2) drop = drop && m > tp;
  if (!drop) return a;
  if (!clip) return 0;
  const int64_t t = gates == 2 ? std::max(tp, tn) : tn;
  return a < 0 ? -t : t;
}

}  // namespace

TEST_CASE("afd model: every 4-bit window, shift, gate count and mode", "[protect][afd]") {
  long suppressed = 0;
  for (int sMax = 0; sMax <= 4; ++sMax)
    for (int s = 0; s <= 5; ++s)
      for (int gates = 1; gates <= 2; ++gates)
        for (bool clip : {false, true})
          for (int64_t a = -8; a < 8; ++a)
            for (int64_t p = -8; p < 8; ++p)
              for (int64_t n = -8; n < 8; ++n) {
                const afd::AfdSettings st{s, sMax, gates, clip};
                const int64_t got = afd::afdLane(a, p, n, st);
                const int64_t want = byTheBook(a, p, n, std::min(s, sMax), gates, clip);
                if (got != want) FAIL("a=" << a << " p=" << p << " n=" << n << " s=" << s << " gates=" << gates);
                // The result always fits the lane: clipping never grows the magnitude.
                REQUIRE(got >= -8);
                REQUIRE(got <= 7);
                suppressed += got != a;
              }
  CHECK(suppressed > 0);  // the rule does fire
}

TEST_CASE("afd model: the most negative value is an exact magnitude", "[protect][afd]") {
  const afd::AfdSettings one{0, 0, 1, false};
  CHECK(afd::afdLane(-128, 0, 127, one) == -128 * 0 + 0);  // |-128| = 128 > 127: dropped
  CHECK(afd::afdLane(-128, 0, -128, one) == -128);         // 128 > 128 is false: kept
  const afd::AfdSettings clip{0, 0, 1, true};
  CHECK(afd::afdLane(-128, 0, 127, clip) == -127);  // clipped to the threshold, sign kept
  CHECK(afd::afdLane(127, 0, -128, clip) == 127);
  const afd::AfdSettings two{1, 3, 2, true};
  CHECK(afd::afdLane(-100, 20, -30, two) == -60);  // both violated: the larger threshold 2*30
  CHECK(afd::afdLane(-100, 60, -30, two) == -100); // 100 > 120 false: one gate passes
}

TEST_CASE("afd model: neighbours wrap inside each chunk", "[protect][afd]") {
  const afd::AfdSettings st{0, 0, 1, false};
  // Lane 3 (last of the first chunk) looks at lane 0 of its own chunk (9 > 1: dropped), not at
  // lane 4 (100); lane 7 looks at lane 4 (9 > 100 is false: kept).
  const std::vector<int64_t> x = {1, 1, 1, 9, 100, 100, 1, 9};
  const auto y = afd::afdFilter(x, 4, st);
  CHECK(y == std::vector<int64_t>{1, 1, 1, 0, 100, 0, 1, 9});
  // A last partial chunk wraps inside itself: lane 4 (2) looks at lane 3 (7).
  CHECK(afd::afdFilter({5, 1, 1, 7, 2}, 3, st) == std::vector<int64_t>{0, 1, 1, 0, 2});
  // A single lane is its own neighbour: never suppressed (|a| > |a| is false).
  CHECK(afd::afdFilter({-128, 5}, 1, st) == std::vector<int64_t>{-128, 5});
}
