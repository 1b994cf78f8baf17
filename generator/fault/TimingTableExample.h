// A small, reproducible example timing-error table (docs/timing-tables.md, "Example table"):
// a toy delay model of a signed array multiplier under a shortened clock stands in for the gate-
// level simulation of seed 004 §III-A, and its per-(previous, current) behaviour is compressed to
// per-current-pair outcomes the same way (uniformly distributed previous operands).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftaccel::fault {

// Exact probabilities, so the rendered table is byte-for-byte reproducible.
struct Fraction {
  uint64_t num = 0;
  uint64_t den = 1;
};

struct ExampleModel {
  int bits = 4;             // operand width, 2..5 (2^(4*bits) transitions are enumerated)
  int slowBits = 3;         // the top slowBits of the 2*bits product bits miss a short clock
  int stepDenominator = 8;  // each slow bit the change reaches adds 1/stepDenominator
};

// One (previous, current) operand transition that can fail: with `probability` the slow product
// bits keep the previous product's values, giving `value`; otherwise the product is correct.
struct Transition {
  int64_t prevA = 0, prevB = 0, a = 0, b = 0;
  int64_t value = 0;
  Fraction probability;
};

// Every failing transition in the order (a, b, prevA, prevB), each ascending from the most
// negative operand. Throws std::invalid_argument for a model outside the documented ranges.
std::vector<Transition> simulateTransitions(const ExampleModel& model);

struct CompressedOutcome {
  int64_t value = 0;
  Fraction probability;  // reduced
};
struct CompressedEntry {
  int64_t a = 0, b = 0;
  std::vector<CompressedOutcome> outcomes;  // ascending value
};

// Seed 004 §III-A: previous operand pairs assumed uniform, so each outcome's probability is the
// sum of its transition probabilities divided by the number of previous pairs (4^bits).
std::vector<CompressedEntry> compressUniformPrevious(const ExampleModel& model,
                                                     const std::vector<Transition>& transitions);

// The complete table text (header comments, format, data_bits, entries) that
// `ftaccel timing-table --example` writes and examples/timing/mul4_example.tt holds.
std::string renderExampleTable(const ExampleModel& model);

}  // namespace ftaccel::fault
