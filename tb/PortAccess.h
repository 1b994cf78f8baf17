// Lane access to flat Verilator ports of any width (CData..QData or VlWide<N>).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "verilated.h"

namespace ftaccel::tb {

// Sets every bit of a port of any width to zero.
template <typename T>
inline void clearPort(T& port) {
  if constexpr (std::is_integral_v<T>) port = 0;
  else std::memset(&port[0], 0, sizeof(port));
}

template <typename T>
inline bool getBit(const T& port, int bit) {
  if constexpr (std::is_integral_v<T>) {
    return (static_cast<uint64_t>(port) >> bit) & 1u;
  } else {
    return (port[static_cast<size_t>(bit / 32)] >> (bit % 32)) & 1u;
  }
}

template <typename T>
inline void setBit(T& port, int bit, bool value) {
  if constexpr (std::is_integral_v<T>) {
    T mask = static_cast<T>(T{1} << bit);
    port = value ? static_cast<T>(port | mask) : static_cast<T>(port & ~mask);
  } else {
    uint32_t mask = uint32_t{1} << (bit % 32);
    auto& word = port[static_cast<size_t>(bit / 32)];
    word = value ? (word | mask) : (word & ~mask);
  }
}

// 128-bit lanes (__extension__: the project builds the harness with -Wpedantic).
__extension__ typedef __int128 LaneWide;
__extension__ typedef unsigned __int128 ULaneWide;

// Word-wise rather than bit by bit: lane access was over half of a 16x16 co-simulation's time.

// Bits [from, from + 32) of `value` sign-extended to any width (from >= 0).
inline uint32_t valueChunk(int64_t value, int from) {
  return static_cast<uint32_t>(from < 64 ? static_cast<uint64_t>(value >> from) : (value < 0 ? ~0ull : 0ull));
}

constexpr uint64_t lowMask(int width) { return width >= 64 ? ~0ull : (1ull << width) - 1; }

// Writes the low `width` bits of `value` (sign-extended beyond 64 bits) into lane `lane`
// (bits lane*width +: width).
template <typename T>
inline void setLane(T& port, int lane, int width, int64_t value) {
  const int lo = lane * width;
  if constexpr (std::is_integral_v<T>) {
    const uint64_t mask = lowMask(width) << lo;
    const uint64_t p = (static_cast<uint64_t>(port) & ~mask) | ((static_cast<uint64_t>(value) << lo) & mask);
    port = static_cast<T>(p);
  } else {
    for (int done = 0; done < width;) {
      const int bit = lo + done, off = bit % 32, n = std::min(32 - off, width - done);
      const uint32_t mask = static_cast<uint32_t>(lowMask(n)) << off;
      auto& word = port[static_cast<size_t>(bit / 32)];
      word = (word & ~mask) | ((valueChunk(value, done) << off) & mask);
      done += n;
    }
  }
}

// Reads lane `lane` as a two's-complement number of `width` bits (width <= 128).
template <typename T>
inline LaneWide getLaneSigned(const T& port, int lane, int width) {
  const int lo = lane * width;
  ULaneWide u = 0;
  if constexpr (std::is_integral_v<T>) {
    u = (static_cast<uint64_t>(port) >> lo) & lowMask(width);
  } else {
    for (int done = 0; done < width;) {
      const int bit = lo + done, off = bit % 32, n = std::min(32 - off, width - done);
      const uint32_t chunk = (port[static_cast<size_t>(bit / 32)] >> off) & static_cast<uint32_t>(lowMask(n));
      u |= static_cast<ULaneWide>(chunk) << done;
      done += n;
    }
  }
  if (width < 128 && ((u >> (width - 1)) & 1)) u |= ~((static_cast<ULaneWide>(1) << width) - 1);
  return static_cast<LaneWide>(u);
}

// Whole-port forms for the per-cycle loop of a co-simulation: one pass over the words instead
// of one read-modify-write per lane (the lane loops were a third of the harness's time at 16x16).
// Lanes of up to 96 bits stream through a 64- or 128-bit buffer; wider ones take the lane path.
template <int Width>
using LaneBuffer = std::conditional_t<(Width <= 32), uint64_t, ULaneWide>;

template <int Width>
constexpr LaneBuffer<Width> laneMask() {
  if constexpr (Width < 64) return static_cast<LaneBuffer<Width>>(lowMask(Width));
  else return (static_cast<ULaneWide>(lowMask(Width - 64)) << 64) | ~0ull;
}

// Writes values[0..n) as lanes 0..n-1 of `Width` bits (two's complement, truncated).
template <int Width, typename T, typename V>
inline void setLanes(T& port, const V* values, int n) {
  if constexpr (std::is_integral_v<T>) {
    uint64_t p = static_cast<uint64_t>(port) & ~lowMask(n * Width);
    for (int i = 0; i < n; ++i) p |= (static_cast<uint64_t>(values[i]) & lowMask(Width)) << (i * Width);
    port = static_cast<T>(p);
  } else if constexpr (Width > 96) {
    for (int i = 0; i < n; ++i) setLane(port, i, Width, static_cast<int64_t>(values[i]));
  } else {
    using Buf = LaneBuffer<Width>;
    constexpr Buf kMask = laneMask<Width>();
    Buf buf = 0;
    int fill = 0;
    size_t word = 0;
    for (int i = 0; i < n; ++i) {
      buf |= (static_cast<Buf>(static_cast<LaneWide>(values[i])) & kMask) << fill;
      fill += Width;
      for (; fill >= 32; fill -= 32, buf >>= 32) port[word++] = static_cast<uint32_t>(buf);
    }
    if (fill > 0) {
      const uint32_t keep = ~static_cast<uint32_t>(lowMask(fill));
      port[word] = (port[word] & keep) | static_cast<uint32_t>(buf);
    }
  }
}

// Reads lanes 0..n-1 of `Width` bits, sign-extended, into out[0..n).
template <int Width, typename T>
inline void getLanes(const T& port, LaneWide* out, int n) {
  if constexpr (std::is_integral_v<T> || Width > 96) {
    for (int i = 0; i < n; ++i) out[i] = getLaneSigned(port, i, Width);
  } else {
    using Buf = LaneBuffer<Width>;
    constexpr Buf kMask = laneMask<Width>();
    constexpr Buf kSign = static_cast<Buf>(1) << (Width - 1);
    Buf buf = 0;
    int fill = 0;
    size_t word = 0;
    for (int i = 0; i < n; ++i) {
      for (; fill < Width; fill += 32) buf |= static_cast<Buf>(port[word++]) << fill;
      const Buf u = buf & kMask;
      buf >>= Width;
      fill -= Width;
      // Sign extension by the (x ^ s) - s identity, in the buffer's width, then widened.
      if constexpr (sizeof(Buf) == 8)
        out[i] = static_cast<int64_t>((u ^ kSign) - kSign);
      else
        out[i] = static_cast<LaneWide>((u ^ kSign) - kSign);
    }
  }
}

}  // namespace ftaccel::tb
