// Fault generation: fault k of a campaign from (seed, k) alone, and explicit --inject lists.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <random>

#include "campaign/Common.h"
#include "fi_sites.h"
#include "protect/parity/ParityPacker.h"

namespace ftaccel::campaign {

// ---- fault generation -------------------------------------------------------------------

inline uint64_t mix(uint64_t x) {  // splitmix64 finalizer: independent streams per fault index
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

inline int siteOfBit(long bit) {
  int lo = 0, hi = kFiSiteCount - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (kFiSites[mid].offset <= bit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

inline std::vector<Injection> parseList(const std::string& spec) {
  // SITE:B[,B...]@C0[-C1][:flip|stuck0|stuck1], joined by ';' (validated by ftaccel already).
  std::vector<Injection> out;
  size_t p = 0;
  while (p < spec.size()) {
    size_t e = spec.find(';', p);
    if (e == std::string::npos) e = spec.size();
    std::string part = spec.substr(p, e - p);
    p = e + 1;
    Injection i;
    size_t colon = part.find(':'), at = part.find('@');
    if (colon == std::string::npos || at == std::string::npos) fail("bad --inject part " + part);
    i.site = std::stoi(part.substr(0, colon));
    if (i.site < 0 || i.site >= kFiSiteCount) fail("site id out of range in " + part);
    std::string bits = part.substr(colon + 1, at - colon - 1);
    for (size_t q = 0; q <= bits.size();) {
      size_t c = bits.find(',', q);
      if (c == std::string::npos) c = bits.size();
      int b = std::stoi(bits.substr(q, c - q));
      if (b < 0 || b >= kFiSites[i.site].width) fail("bit out of range in " + part);
      i.bits.push_back(b);
      q = c + 1;
    }
    std::string rest = part.substr(at + 1);
    size_t colon2 = rest.find(':');
    std::string cycles = rest.substr(0, colon2);
    size_t dash = cycles.find('-');
    i.c0 = std::stol(cycles.substr(0, dash));
    i.c1 = dash == std::string::npos ? i.c0 : (cycles.substr(dash + 1) == "end" ? kForever : std::stol(cycles.substr(dash + 1)));
    std::string eff = colon2 == std::string::npos ? "flip" : rest.substr(colon2 + 1);
    i.effect = eff == "stuck0" ? Effect::Stuck0 : eff == "stuck1" ? Effect::Stuck1 : Effect::Flip;
    if (eff != "flip" && eff != "stuck0" && eff != "stuck1") fail("unknown effect in " + part);
    out.push_back(i);
  }
  return out;
}

// ---- memory faults (weight words as they arrive from memory, WS) -------------------------

inline int memoryWordBits(const Options& o) { return o.memoryWord * kBits; }
inline long memoryWords(const Options& o) { return (long)kRows * (kCols / o.memoryWord); }

// mem-seu: one bit of one word; mem-mbu: a burst of adjacent bits inside one word; mem-ber:
// every bit of the image flips with probability memoryBer. All hit the one matrix the workload
// loads, before the IP sees it.
inline Fault makeMemoryFault(const Options& o, long index, Fault f, Rng& rng) {
  auto uniform = [&](long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng); };
  const int width = memoryWordBits(o);
  if (o.model == "mem-ber") {
    const ftaccel::protect::parity::WordLayout layout{kBits, kCols, o.memoryWord};
    for (auto& w : ftaccel::protect::parity::berFaults(layout, kRows, o.memoryBer, mix(o.seed ^ mix((uint64_t)index) ^ 0x6d656d))) {
      Injection i;
      i.effect = Effect::Memory;
      i.word = w.word;
      i.bits = std::move(w.bits);
      f.injections.push_back(std::move(i));
    }
    return f;
  }
  for (int k = 0; k < o.multi; ++k) {
    Injection i;
    i.effect = Effect::Memory;
    i.word = uniform(0, memoryWords(o) - 1);
    const int count = o.model == "mem-mbu" ? std::min(width, o.burst ? o.burst : (int)uniform(2, 8)) : 1;
    const int first = (int)uniform(0, width - count);
    for (int b = 0; b < count; ++b) i.bits.push_back(first + b);
    f.injections.push_back(std::move(i));
  }
  return f;
}

inline Fault makeFault(const Options& o, long index, long window, const std::vector<Injection>& list) {
  Fault f;
  f.index = index;
  Rng rng(mix(o.seed ^ mix((uint64_t)index)));
  auto uniform = [&](long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng); };
  if (o.model == "list") {
    f.injections = list;
    return f;
  }
  if (o.model == "pe") {
    Injection i;
    i.effect = Effect::Random;
    i.peRow = (int)uniform(0, kRows - 1);
    i.peCol = (int)uniform(0, kCols - 1);
    i.c0 = 0;
    i.c1 = kForever;
    f.injections.push_back(i);
    return f;
  }
  if (o.model == "timing") return f;  // errors are drawn during the run
  if (o.model.rfind("mem-", 0) == 0) return makeMemoryFault(o, index, f, rng);
  // --kinds: bits of the allowed sites only, each equally likely (validated by ftaccel).
  static const std::vector<int> allowed = [&] {
    std::vector<int> sites;
    // Appended piecewise: GCC 12 -O2 reports a false -Wrestrict on "," + s + ",".
    std::string kindList(1, ',');
    kindList.append(o.kinds).push_back(',');
    for (int s = 0; s < kFiSiteCount; ++s) {
      std::string kind(1, ',');
      kind.append(kFiSites[s].kind).push_back(',');
      if (o.kinds.empty() || kindList.find(kind) != std::string::npos) sites.push_back(s);
    }
    return sites;
  }();
  long allowedBits = 0;
  for (int s : allowed) allowedBits += kFiSites[s].width;
  for (int k = 0; k < o.multi; ++k) {
    Injection i;
    long bit = uniform(0, allowedBits - 1);
    for (int s : allowed) {  // the drawn position among the allowed bits -> bus bit
      if (bit < kFiSites[s].width) {
        bit += kFiSites[s].offset;
        break;
      }
      bit -= kFiSites[s].width;
    }
    i.site = siteOfBit(bit);
    const int width = kFiSites[i.site].width;
    int first = (int)(bit - kFiSites[i.site].offset), count = 1;
    if (o.model == "mbu") {
      count = std::min(width, o.burst ? o.burst : (int)uniform(2, 8));
      first = std::min(first, width - count);
    }
    for (int b = 0; b < count; ++b) i.bits.push_back(first + b);
    if (o.model == "stuck") {
      i.effect = uniform(0, 1) ? Effect::Stuck1 : Effect::Stuck0;
      i.c0 = o.stuckCycles ? uniform(0, window - 1) : 0;
      i.c1 = o.stuckCycles ? i.c0 + o.stuckCycles - 1 : kForever;
    } else {
      i.c0 = i.c1 = uniform(0, window - 1);
    }
    f.injections.push_back(i);
  }
  return f;
}

}  // namespace ftaccel::campaign
