// Lane access to flat Verilator ports of any width (CData..QData or VlWide<N>).
#pragma once

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

// Writes the low `width` bits of `value` into lane `lane` (bits lane*width +: width).
template <typename T>
inline void setLane(T& port, int lane, int width, int64_t value) {
  for (int b = 0; b < width; ++b)
    setBit(port, lane * width + b, (static_cast<uint64_t>(value) >> (b < 64 ? b : 63)) & 1u);
}

// 128-bit lanes (__extension__: the project builds the harness with -Wpedantic).
__extension__ typedef __int128 LaneWide;
__extension__ typedef unsigned __int128 ULaneWide;

// Reads lane `lane` as a two's-complement number of `width` bits.
template <typename T>
inline LaneWide getLaneSigned(const T& port, int lane, int width) {
  ULaneWide u = 0;
  for (int b = 0; b < width; ++b)
    if (getBit(port, lane * width + b)) u |= static_cast<ULaneWide>(1) << b;
  if (width < 128 && ((u >> (width - 1)) & 1)) u |= ~((static_cast<ULaneWide>(1) << width) - 1);
  return static_cast<LaneWide>(u);
}

}  // namespace ftaccel::tb
