// Timing-error tables of multipliers (SPEC §9, seed 004 §III-A): for a current operand pair
// (optionally qualified by the previous cycle's pair) the wrong products the multiplier gives
// under a shortened clock, with their probabilities; the rest of the probability is the correct
// product. Text format: docs/timing-tables.md.
//
// Standard library only: this file is compiled into the Verilator co-simulation harness, which
// samples the table for every PE every cycle, so lookups are hash-map finds on packed operands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ftaccel::fault {

struct TimingOutcome {
  int64_t value = 0;        // the wrong product, within 2*dataBits signed
  double probability = 0;   // in (0, 1]
  double cumulative = 0;    // sum of the probabilities up to and including this outcome
};

struct TimingEntry {
  std::vector<TimingOutcome> outcomes;  // in file order
  int line = 0;                         // where the entry was defined
  double errorProbability() const { return outcomes.empty() ? 0 : outcomes.back().cumulative; }
};

// A (previous pair, current pair) key; each pair is packOperands(a, b).
struct TransitionKey {
  uint64_t prev = 0;
  uint64_t cur = 0;
  bool operator==(const TransitionKey&) const = default;
};
struct TransitionKeyHash {
  size_t operator()(const TransitionKey& k) const noexcept {
    uint64_t h = k.prev * 0x9e3779b97f4a7c15ULL ^ k.cur;
    return static_cast<size_t>((h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ULL);
  }
};

struct TimingTable {
  std::string name;  // file name used in messages
  int dataBits = 0;  // operand width, 2..32
  std::unordered_map<uint64_t, TimingEntry> current;                              // "a b : ..."
  std::unordered_map<TransitionKey, TimingEntry, TransitionKeyHash> transitions;  // "prev ..."

  // Operands are taken modulo 2^dataBits, so raw register bits and sign-extended values pack
  // the same way.
  uint64_t packOperands(int64_t a, int64_t b) const {
    const uint64_t mask = (uint64_t{1} << dataBits) - 1;
    return ((static_cast<uint64_t>(a) & mask) << dataBits) | (static_cast<uint64_t>(b) & mask);
  }
};

// Parses table text; `name` prefixes every error. Throws std::runtime_error whose message
// starts with "name:line: " and states the allowed range or form.
TimingTable parseTimingTable(const std::string& text, const std::string& name);

// Reads and parses a file; an unreadable file is reported as "path:0: cannot read ...".
TimingTable loadTimingTable(const std::string& path);

// The entry that governs this cycle: the (previous, current)-qualified one if present, else the
// one for the current pair, else nullptr (the product is always correct).
const TimingEntry* findTimingEntry(const TimingTable& table, int64_t prevA, int64_t prevB,
                                   int64_t a, int64_t b);

// The product this cycle when it is wrong, or nullopt when it is correct. `uniform01` is a
// uniform draw in [0, 1): outcome i is chosen when it falls below outcome i's cumulative
// probability. Passing uniform01 / s scales every probability by s (seed 004 §IV-A regulates the
// table by the share of the delay distribution beyond u + 1.5 sigma or u + 2 sigma).
std::optional<int64_t> sample(const TimingTable& table, int64_t prevA, int64_t prevB, int64_t a,
                              int64_t b, double uniform01);

}  // namespace ftaccel::fault
