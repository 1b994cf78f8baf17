// Opportunistic weight parity (SPEC §8, seed 001 section III): the host-side packer and the
// golden model of the whole load path (packing, memory corruption, check, zeroing).
// Standard C++ only: it is also compiled into the co-simulation harness.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ftaccel::protect::parity {

// Which weight of an odd-parity word gets its LSB flipped.
enum class FlipRule {
  Largest,  // the weight with the largest |w| (smallest relative change); ties: the last one
  Last,     // the word's last weight (highest lane), as in the seed
};
const char* flipRuleName(FlipRule r);

// A weight image as memory stores it: beats of `beatWeights` weights of `bits` bits, every beat
// cut into words of `wordWeights` weights (lane i of a word = bits [i*bits, (i+1)*bits) of the
// memory word, the same order as on the load port). WS: one beat = one weight row of the array.
struct WordLayout {
  int bits = 8;
  int beatWeights = 8;
  int wordWeights = 8;
  int wordsPerBeat() const { return beatWeights / wordWeights; }
  int wordBits() const { return wordWeights * bits; }
};

// Even parity over the low `bits` bits of every weight of a word.
bool oddParity(const int64_t* word, int n, int bits);

// Makes one word even: flips the LSB of the weight chosen by `rule` when the parity is odd.
// Returns the lane flipped, or -1 when the word was already even.
int packWord(int64_t* word, int n, int bits, FlipRule rule);

struct PackStats {
  long words = 0;
  long flipped = 0;  // words (= weights) whose LSB was flipped
};

// Packs a row-major image of beats x beatWeights weights in place.
PackStats packImage(std::vector<int64_t>& image, const WordLayout& layout, FlipRule rule);

// A memory fault: bits of one memory word flipped (bit b = lane b / bits, bit b % bits).
struct WordFault {
  long word = 0;  // word index in the image: beat * wordsPerBeat + word within the beat
  std::vector<int> bits;
};
// Flips the given bits of the stored image (values stay sign-extended to `bits`).
void corrupt(std::vector<int64_t>& image, const WordLayout& layout, const WordFault& fault);
// Every bit of the image flips with probability `ber` (drawn from `seed`, splitmix64).
std::vector<WordFault> berFaults(const WordLayout& layout, long beats, double ber, uint64_t seed);

// The IP's check on load: every word with odd parity becomes zero. Returns the words zeroed
// per beat (what the per-load counter of the RTL counts).
std::vector<int> checkAndZero(std::vector<int64_t>& image, const WordLayout& layout);

}  // namespace ftaccel::protect::parity
