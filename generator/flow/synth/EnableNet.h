// The global enable's fan-out path, which per-module STA never sees: pins counted over the
// hierarchy, a fan-out-4 buffer tree of a Liberty buffer characterized with OpenSTA, and the
// source's and the sinks' own delays from their modules' STA runs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flow/Synth.h"
#include "flow/synth/LogParsers.h"

namespace ftaccel::flow::synth {

// Every buffer of the modeled tree drives at most this many loads (the source too).
inline constexpr int kTreeFanout = 4;

// Lines the OpenSTA scripts print before the enable reports, so the parsers find them.
inline constexpr const char* kEnableSourceMark = "ftaccel-enable: source";
inline constexpr const char* kEnableSinkMark = "ftaccel-enable: sink";
inline constexpr const char* kEnablePinsMark = "ftaccel-enable: pins";
inline constexpr const char* kFo4NearMark = "ftaccel-fo4: near";
inline constexpr const char* kFo4FarMark = "ftaccel-fo4: far";

// A non-inverting single-input Liberty cell (function equal to its input pin).
struct BufferCell {
  std::string name;
  std::string input;
  std::string output;
  double area = 0;
};
// The smallest-area buffer of a Liberty library, the first in the file on a tie.
std::optional<BufferCell> findBufferCell(std::string_view liberty);

// Buffer stages between the source and `pins` loads when every driver drives at most
// kTreeFanout: the smallest L with kTreeFanout^(L+1) >= pins.
int treeStages(long pins);

// Characterization of one tree stage: a chain of `cell`s, each driving the next and three more
// (fan-out 4), timed between two taps kFo4Taps stages apart once the slew has settled.
inline constexpr int kFo4Taps = 4;
std::string fo4Netlist(const BufferCell& cell);
std::string fo4StaScript(const std::filesystem::path& liberty, const std::string& netlist);
// Delay of one stage (ns). Throws LogError when a tap's report is missing.
double readFo4Log(const std::string& log);

// Tcl appended to a module's STA script: the worst path into the source port (its arrival is
// the enable's launch), or the worst path from the sink port plus the port's load-pin count.
std::string enableSourceTcl(const std::string& port);
std::string enableSinkTcl(const std::string& port);

struct EnableSinkFigures {
  long pins = 0;                // cell input pins on the port's net inside the module
  std::optional<StaPath> path;  // nothing when the port reaches no flop
};
// Throws LogError when the marked reports are missing.
std::optional<StaPath> readEnableSource(const std::string& log);
EnableSinkFigures readEnableSink(const std::string& log);

// What the flow measured, per module, for the model.
struct EnableMeasurements {
  std::optional<StaPath> source;                   // the source module's report
  std::vector<std::pair<std::string, EnableSinkFigures>> sinks;  // sink module -> figures
  std::optional<BufferCell> buffer;
  double stageNs = 0;
};

// The modeled path: source arrival + tree stages x stage delay + the slowest sink's delay to its
// flops including setup (clock - that path's slack, as the sink is timed with input delay 0).
EnablePathEstimate estimateEnablePath(const SynthRequest& req, const EnableMeasurements& m);

// Puts the estimate into the result and into the worst-path decision.
void addEnablePath(SynthResult& result, const EnablePathEstimate& estimate);

}  // namespace ftaccel::flow::synth
