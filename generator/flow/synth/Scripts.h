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

// "timing" goal: ABC's delay target as a fraction of the clock period. Measured on the sky130
// WS PEs at 10 ns: a 6,000 ps target costs no area over 8,000 ps (8-bit 4,757 um^2, 16-bit
// 14,501 vs 14,496) and shortens the 16-bit path from 7.71 to 6.99 ns; 4,000 ps costs 2 % and
// 15 % more area. ABC's load-independent delay model is optimistic against OpenSTA (6.99 ns for
// 6,000 ps), so the mapped logic lands near 70 % of the period, which leaves room for what
// per-module STA does not see (the enable tree, wires, clock skew).
inline constexpr double kAbcDelayTargetFraction = 0.6;

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
