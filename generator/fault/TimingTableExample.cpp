// Toy delay model of a signed array multiplier and the compression of seed 004 §III-A.
#include "fault/TimingTableExample.h"

#include <map>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace ftaccel::fault {

namespace {

int64_t signExtend(uint64_t raw, int bits) {
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  raw &= mask;
  if (raw >> (bits - 1)) raw |= ~mask;
  return static_cast<int64_t>(raw);
}

int highestSetBit(uint64_t v) {
  int h = -1;
  while (v) {
    ++h;
    v >>= 1;
  }
  return h;
}

void validate(const ExampleModel& m) {
  const int productBits = 2 * m.bits;
  if (m.bits < 2 || m.bits > 5)
    throw std::invalid_argument("example timing table: bits must be in 2..5, got " +
                                std::to_string(m.bits));
  if (m.slowBits < 1 || m.slowBits >= productBits)
    throw std::invalid_argument("example timing table: slow bits must be in 1.." +
                                std::to_string(productBits - 1));
  if (m.stepDenominator < m.slowBits || m.stepDenominator > (1 << 16))
    throw std::invalid_argument("example timing table: the step denominator must be in " +
                                std::to_string(m.slowBits) + "..65536 (probabilities <= 1)");
}

Fraction reduce(Fraction f) {
  const uint64_t g = std::gcd(f.num, f.den);
  return g ? Fraction{f.num / g, f.den / g} : f;
}

std::string toText(const Fraction& f) {
  return f.den == 1 ? std::to_string(f.num) : std::to_string(f.num) + "/" + std::to_string(f.den);
}

}  // namespace

std::vector<Transition> simulateTransitions(const ExampleModel& m) {
  validate(m);
  const int productBits = 2 * m.bits;
  const int firstSlow = productBits - m.slowBits;  // lowest bit on a path longer than the clock
  const uint64_t wordMask = (uint64_t{1} << productBits) - 1;
  const uint64_t fastMask = (uint64_t{1} << firstSlow) - 1;
  const int64_t lo = -(int64_t{1} << (m.bits - 1)), hi = (int64_t{1} << (m.bits - 1)) - 1;

  std::vector<Transition> out;
  for (int64_t a = lo; a <= hi; ++a)
    for (int64_t b = lo; b <= hi; ++b) {
      const uint64_t cur = static_cast<uint64_t>(a * b) & wordMask;
      for (int64_t pa = lo; pa <= hi; ++pa)
        for (int64_t pb = lo; pb <= hi; ++pb) {
          const uint64_t prev = static_cast<uint64_t>(pa * pb) & wordMask;
          // The product settles bit by bit from the LSB up (carry ripple through the array); a
          // change that must reach slow bit h only settles in time with a probability that falls
          // with h - firstSlow (delay variation).
          const int h = highestSetBit(cur ^ prev);
          if (h < firstSlow) continue;  // only fast bits change: always correct
          const uint64_t excess = static_cast<uint64_t>(h - firstSlow + 1);
          // Late latching: fast bits are the current product's, slow bits still the previous'.
          const uint64_t late = (cur & fastMask) | (prev & ~fastMask & wordMask);
          out.push_back({pa, pb, a, b, signExtend(late, productBits),
                         Fraction{excess, static_cast<uint64_t>(m.stepDenominator)}});
        }
    }
  return out;
}

std::vector<CompressedEntry> compressUniformPrevious(const ExampleModel& m,
                                                     const std::vector<Transition>& transitions) {
  validate(m);
  const uint64_t previousPairs = uint64_t{1} << (2 * m.bits);
  // Common denominator of all transition probabilities, times the number of previous pairs.
  const uint64_t den = static_cast<uint64_t>(m.stepDenominator) * previousPairs;
  std::map<std::pair<int64_t, int64_t>, std::map<int64_t, uint64_t>> sums;  // sorted output
  for (const Transition& t : transitions)
    sums[{t.a, t.b}][t.value] += t.probability.num * (den / previousPairs / t.probability.den);

  std::vector<CompressedEntry> entries;
  for (const auto& [pair, values] : sums) {
    CompressedEntry e{pair.first, pair.second, {}};
    for (const auto& [value, num] : values) e.outcomes.push_back({value, reduce({num, den})});
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string renderExampleTable(const ExampleModel& m) {
  const std::vector<CompressedEntry> entries = compressUniformPrevious(m, simulateTransitions(m));
  const int productBits = 2 * m.bits;
  std::string s;
  s += "# ftaccel timing-error table v1\n";
  s += "# Example made by `ftaccel timing-table --example --bits " + std::to_string(m.bits) +
       "` (procedure: docs/timing-tables.md).\n";
  s += "# Toy delay model of a " + std::to_string(m.bits) +
       "-bit signed array multiplier under a shortened clock, product bits " +
       std::to_string(productBits - m.slowBits) + ".." + std::to_string(productBits - 1) + " slow:\n";
  s += "# when the highest product bit that changes from the previous to the current cycle is\n";
  s += "# slow, the slow bits keep their previous values with probability (slow bits reached)/" +
       std::to_string(m.stepDenominator) + ".\n";
  s += "# Compressed over uniformly distributed previous operands; pairs not listed are always\n";
  s += "# correct, and each entry's remaining probability is the correct product.\n";
  s += "format ftaccel-timing 1\n";
  s += "data_bits " + std::to_string(m.bits) + "\n";
  s += "# A B : VALUE:PROBABILITY ...\n";
  for (const CompressedEntry& e : entries) {
    s += std::to_string(e.a) + " " + std::to_string(e.b) + " :";
    for (const CompressedOutcome& o : e.outcomes)
      s += fmt::format(" {}:{}", o.value, toText(o.probability));
    s += "\n";
  }
  return s;
}

}  // namespace ftaccel::fault
