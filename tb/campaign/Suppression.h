// The `suppressed` outcome (docs/campaign-format.md): an upset of a filter stage's register
// changed an operand of the vector in that stage, the filters from that stage on changed that
// faulty value, and every result equals the fault-free one. Part of the campaign engine.
#pragma once

#include <cstring>
#include <vector>

#include "campaign/Workload.h"
#include "fi_sites.h"

namespace ftaccel::campaign {

#if FTACCEL_INPUT_FILTERS
// Position of the stage whose register has site kind `kind` (the unit's name), or -1.
inline int filterStageIndex(const char* kind) {
  const auto& stages = ftaccel::tb::filterStages();
  for (size_t k = 0; k < stages.size(); ++k)
    if (std::strcmp(stages[k].kind, kind) == 0) return static_cast<int>(k);
  return -1;
}

// True when the flip `i` (one edge) of a filter stage's register changes an operand of vector
// `m` (the one the stage holds) and the filters from that stage on change that faulty value.
// The caller classifies a run whose results are all right and for which this holds as
// suppressed. Stuck-at and multi-cycle effects are not classified (they stay masked).
inline bool filterActsOnFault(const Injection& i, const Workload& wl, long m) {
  if (i.site < 0 || i.effect != Effect::Flip || i.c0 != i.c1) return false;
  const int k = filterStageIndex(kFiSites[i.site].kind);
  if (k < 0 || m < 0 || m >= (long)wl.vectors.size()) return false;
  const auto& stages = ftaccel::tb::filterStages();
  std::vector<int64_t> in = wl.vectors[(size_t)m];
  for (int j = 0; j < k; ++j) stages[(size_t)j].apply(in);  // what enters stage k
  std::vector<int64_t> faulty = in;
  const int laneBits = kBits + 1;  // operand plus swap tag
  const uint64_t mask = kBits >= 64 ? ~uint64_t{0} : (uint64_t{1} << kBits) - 1;
  for (int b : i.bits) {
    const int lane = b / laneBits, off = b % laneBits;
    if (off >= kBits || lane >= (int)faulty.size()) continue;  // a tag bit
    faulty[(size_t)lane] =
        ftaccel::golden::signExtend(((uint64_t)faulty[(size_t)lane] & mask) ^ (uint64_t{1} << off), kBits);
  }
  std::vector<int64_t> out = faulty;
  for (size_t j = (size_t)k; j < stages.size(); ++j) stages[j].apply(out);
  for (size_t lane = 0; lane < faulty.size(); ++lane)
    if (faulty[lane] != in[lane] && out[lane] != faulty[lane]) return true;
  return false;
}
#endif

}  // namespace ftaccel::campaign
