// splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014; the
// generator that seeds xoshiro): a 64-bit state advanced by a constant, then mixed. The one
// random generator of the harness: the co-simulation's stimulus and the campaign's fault draws.
#pragma once

#include <cstdint>

namespace ftaccel::tb {

// Cheap to seed (one per fault) and to draw from (one add, two multiplies, three shifts), and a
// standard uniform random bit generator, so <random> distributions accept it.
class SplitMix64 {
 public:
  using result_type = uint64_t;
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~0ull; }
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  result_type operator()() { return next(); }

 private:
  uint64_t state_;
};

}  // namespace ftaccel::tb
