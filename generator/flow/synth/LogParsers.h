// Parsers of the Yosys and OpenSTA logs: cell statistics, area, worst path, slack and power.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ftaccel::flow::synth {

// A log lacks the figures it should hold (tool stopped early, unexpected format). The message
// says what is missing; the flow adds the log's path.
class LogError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One Yosys `stat` listing of one module: cell type -> count, and the Liberty area if printed.
struct StatBlock {
  bool markerFound = false;  // the `log <marker>` line is in the log
  bool found = false;        // the module's statistics were printed after it
  std::map<std::string, long> cells;
  std::optional<double> area;
};

// The `stat` output for `module` printed after the last line equal to `marker` (a `log`
// command in the script), up to the next numbered pass header.
StatBlock parseStat(const std::string& log, const std::string& marker, const std::string& module);

// Yosys' internal (pre-mapping) flip-flop and latch gate types ($_DFF_PN0_, $_SDFFE_..., ...).
bool isGenericFlop(const std::string& type);

// What the flow takes from the log of one module's Yosys run.
struct YosysFigures {
  double area = 0;  // own cells only; sub-module instances are black boxes
  long cells = 0;   // library cells, sub-module instances excluded
  long flops = 0;   // flip-flops and latches before mapping
};
// `children` are the module's sub-modules (black boxes in its statistics). Throws LogError
// when the statistics are missing or a cell stayed unmapped.
YosysFigures readYosysLog(const std::string& log, const std::string& module,
                          const std::map<std::string, int>& children);
// Area of the flattened top's run. Throws LogError when it is missing.
double readFlatYosysArea(const std::string& log, const std::string& top);

// The worst path of an OpenSTA `report_checks`.
struct StaPath {
  double slackNs = 0;
  double arrivalNs = 0;
  std::string start;
  std::string end;
};
// Path with the smallest slack over all path groups; nothing for "No paths found.".
std::optional<StaPath> parseWorstPath(const std::string& report);
// Total power (W) from `report_power` (the "Total" row), if printed.
std::optional<double> parseTotalPower(const std::string& report);

struct StaFigures {
  std::optional<StaPath> path;
  std::optional<double> powerW;
};
// Throws LogError when OpenSTA reported an error or printed no timing report.
StaFigures readStaLog(const std::string& log);

// First line of a tool log that starts with `prefix` ("ERROR:" for Yosys, "Error" for OpenSTA).
std::optional<std::string> firstLineWith(const std::string& log, std::string_view prefix);

}  // namespace ftaccel::flow::synth
