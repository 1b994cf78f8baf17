// Hierarchical roll-up: per-module tool figures -> instance counts, totals and the worst path.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flow/Synth.h"
#include "flow/synth/LogParsers.h"

namespace ftaccel::flow::synth {

// What the tools measured for one module on its own (children excluded).
struct ModuleRun {
  double ownArea = 0;
  long ownCells = 0;
  long ownFlops = 0;
  std::optional<double> powerW;  // leaves only: wiring-only parents have no STA run
  std::optional<StaPath> path;
};

// `runs` are in request order (leaves first). Areas and power are summed over instance
// counts; a parent without a path of its own takes its worst child's. Technology, area unit,
// flat area and runtime are left for the caller.
SynthResult rollUp(const SynthRequest& req, const std::vector<ModuleRun>& runs);

}  // namespace ftaccel::flow::synth
