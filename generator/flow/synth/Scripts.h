// Text of the Yosys and OpenSTA scripts the synthesis flow runs.
#pragma once

#include <filesystem>
#include <string>

#include "flow/Synth.h"

namespace ftaccel::flow::synth {

// `log` lines the Yosys scripts print right before each `stat`, so that the log parser finds
// the statistics before and after technology mapping.
inline constexpr const char* kMarkGeneric = "ftaccel-stat: generic cells";
inline constexpr const char* kMarkMapped = "ftaccel-stat: mapped cells";

// "timing" goal: ABC's delay target as a fraction of the clock period. ABC's load-independent
// delay model is optimistic against OpenSTA (sky130 PE: a 4.0 ns target gives a 4.84 ns path),
// so the target leaves that margin and the mapped logic meets the period in OpenSTA.
inline constexpr double kAbcDelayTargetFraction = 0.8;

// The ABC script of the "timing" goal for a clock period: delay-oriented mapping with choices,
// then buffering of high fan-out nets and gate sizing against the same target (in ps).
std::string timingAbcScript(double clockNs);

// Whether a file name has blanks or quotes, which Yosys passes other than read_verilog cannot take.
bool needsQuoting(const std::string& path);

// The flattened top (cross-check of the hierarchical roll-up).
std::string flatYosysScript(const SynthRequest& req, const std::filesystem::path& libertyPath,
                            const std::filesystem::path& netlistOut);

// OpenSTA Tcl script timing `mod` together with the netlists of its sub-modules
// (<name>.syn.v in the working directory), followed by report_power.
std::string staScript(const SynthRequest& req, const SynthModule& mod,
                      const std::filesystem::path& liberty, const std::filesystem::path& sdc);

}  // namespace ftaccel::flow::synth
