// Bit-exact reference of median feature selection (SPEC §6, eq. 8.3): the plain median, the
// naive sorting-network units of Fig. 8.10 and the comparison-sharing units of Fig. 8.12, as
// the RTL computes them. Standard C++ only: it is also compiled into the co-simulation harness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ftaccel::median {

// Sort-2: one comparator (a > b) and two multiplexers.
struct Sorted2 {
  int64_t lo, hi;
};
inline Sorted2 sort2(int64_t a, int64_t b) { return a > b ? Sorted2{b, a} : Sorted2{a, b}; }

// Median-3 of Fig. 8.10-b: three Sort-2, the two unused multiplexers pruned.
inline int64_t naiveMedian3(int64_t a, int64_t b, int64_t c) {
  const Sorted2 s1 = sort2(a, b);
  const int64_t lo2 = sort2(s1.hi, c).lo;
  return sort2(s1.lo, lo2).hi;
}

// Median-5 of Fig. 8.10-c: two Sort-2, one comparison drops the smallest of the four (the
// smaller low), one the largest (the larger high), then a Median-3 with the fifth value.
inline int64_t naiveMedian5(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e) {
  const Sorted2 s1 = sort2(a, b), s2 = sort2(c, d);
  const int64_t lo = sort2(s1.lo, s2.lo).hi, hi = sort2(s1.hi, s2.hi).lo;
  return naiveMedian3(lo, hi, e);
}

// Optimized units (Fig. 8.12): one comparator per pair of window positions j < k, shared by
// every window that holds both: before(j, k) = !(p[k] < p[j]), i.e. ties are broken by the
// lane index (the lower index comes first). The median is the element with exactly w/2 window
// members before it; its one-hot select drives an AND-OR multiplexer.
inline int64_t sharedMedian(const std::vector<int64_t>& window) {
  const int w = static_cast<int>(window.size());
  for (int i = 0; i < w; ++i) {
    int rank = 0;
    for (int j = 0; j < w; ++j) {
      if (j == i) continue;
      const bool jBefore = j < i ? !(window[i] < window[j]) : window[j] < window[i];
      rank += jBefore;
    }
    if (rank == w / 2) return window[i];
  }
  return 0;  // unreachable: the index tie-break makes the order total
}

enum class Impl { Reference, Naive, Optimized };

// Eq. 8.3 on one chunk after another: chunks of `lanes` lanes, each padded with w/2 zeros at
// both ends, stride 1. The last chunk may be shorter; it is padded on its own.
inline std::vector<int64_t> medianFilter(const std::vector<int64_t>& x, int lanes, int window, Impl impl) {
  std::vector<int64_t> y(x.size());
  const int h = window / 2;
  for (size_t base = 0; base < x.size(); base += size_t(lanes)) {
    const int n = static_cast<int>(std::min(size_t(lanes), x.size() - base));
    auto at = [&](int i) { return i < 0 || i >= n ? int64_t{0} : x[base + size_t(i)]; };
    for (int i = 0; i < n; ++i) {
      std::vector<int64_t> win;
      for (int d = -h; d <= h; ++d) win.push_back(at(i + d));
      int64_t m = 0;
      if (impl == Impl::Naive) {
        m = window == 3 ? naiveMedian3(win[0], win[1], win[2])
                        : naiveMedian5(win[0], win[1], win[2], win[3], win[4]);
      } else if (impl == Impl::Optimized) {
        m = sharedMedian(win);
      } else {
        std::vector<int64_t> s = win;
        std::nth_element(s.begin(), s.begin() + h, s.end());
        m = s[size_t(h)];
      }
      y[base + size_t(i)] = m;
    }
  }
  return y;
}

}  // namespace ftaccel::median
