// Opportunistic weight parity: packing, memory corruption and the load-path check (golden model).
#include "protect/parity/ParityPacker.h"

#include <cstdlib>

namespace ftaccel::protect::parity {

namespace {

uint64_t mask(int bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

int64_t signExtend(uint64_t raw, int bits) {
  const uint64_t m = mask(bits);
  raw &= m;
  if (bits < 64 && ((raw >> (bits - 1)) & 1)) raw |= ~m;
  return static_cast<int64_t>(raw);
}

// splitmix64, the same generator the campaign engine uses.
uint64_t next(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

const char* flipRuleName(FlipRule r) { return r == FlipRule::Last ? "last" : "largest"; }

bool oddParity(const int64_t* word, int n, int bits) {
  int ones = 0;
  for (int i = 0; i < n; ++i) ones += __builtin_popcountll(static_cast<uint64_t>(word[i]) & mask(bits));
  return ones & 1;
}

int packWord(int64_t* word, int n, int bits, FlipRule rule) {
  if (!oddParity(word, n, bits)) return -1;
  int pick = n - 1;
  if (rule == FlipRule::Largest) {
    // |w| as an unsigned magnitude: the most negative value is the largest.
    auto mag = [&](int i) { return word[i] < 0 ? 0ull - static_cast<uint64_t>(word[i]) : static_cast<uint64_t>(word[i]); };
    for (int i = n - 2; i >= 0; --i)
      if (mag(i) > mag(pick)) pick = i;
  }
  word[pick] ^= 1;  // the LSB of a two's-complement value: stays in range, changes it by 1
  return pick;
}

PackStats packImage(std::vector<int64_t>& image, const WordLayout& layout, FlipRule rule) {
  PackStats st;
  for (size_t w = 0; w + layout.wordWeights <= image.size(); w += layout.wordWeights) {
    ++st.words;
    st.flipped += packWord(&image[w], layout.wordWeights, layout.bits, rule) >= 0;
  }
  return st;
}

void corrupt(std::vector<int64_t>& image, const WordLayout& layout, const WordFault& fault) {
  int64_t* word = &image[static_cast<size_t>(fault.word) * layout.wordWeights];
  for (int b : fault.bits) {
    int64_t& v = word[b / layout.bits];
    v = signExtend(static_cast<uint64_t>(v) ^ (1ull << (b % layout.bits)), layout.bits);
  }
}

std::vector<WordFault> berFaults(const WordLayout& layout, long beats, double ber, uint64_t seed) {
  std::vector<WordFault> out;
  const long words = beats * layout.wordsPerBeat();
  uint64_t state = seed;
  for (long w = 0; w < words; ++w) {
    WordFault f{w, {}};
    for (int b = 0; b < layout.wordBits(); ++b)
      if (static_cast<double>(next(state) >> 11) * 0x1.0p-53 < ber) f.bits.push_back(b);
    if (!f.bits.empty()) out.push_back(std::move(f));
  }
  return out;
}

std::vector<int> checkAndZero(std::vector<int64_t>& image, const WordLayout& layout) {
  const size_t beat = static_cast<size_t>(layout.beatWeights);
  std::vector<int> zeroed(image.size() / beat, 0);
  for (size_t w = 0; w + layout.wordWeights <= image.size(); w += layout.wordWeights) {
    if (!oddParity(&image[w], layout.wordWeights, layout.bits)) continue;
    for (int i = 0; i < layout.wordWeights; ++i) image[w + i] = 0;
    ++zeroed[w / beat];
  }
  return zeroed;
}

}  // namespace ftaccel::protect::parity
