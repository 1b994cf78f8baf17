// Parsers of the Yosys and OpenSTA logs: cell statistics, area, worst path, slack and power.
#include "flow/synth/LogParsers.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "flow/synth/Scripts.h"

namespace ftaccel::flow::synth {

namespace {

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// The number a report line starts with ("  3.1416   data arrival time").
double leadingNumber(const std::string& line) {
  const std::string t = trim(line);
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str())
    throw LogError(fmt::format("expected a number at the start of the line '{}'", t));
  return v;
}

// "u_pe/acc_q_reg[3] (rising edge-triggered flip-flop clocked by clk)" -> "u_pe/acc_q_reg[3]".
std::string pointName(std::string_view rest) {
  const size_t paren = rest.find(" (");
  return trim(paren == std::string_view::npos ? rest : rest.substr(0, paren));
}

}  // namespace

std::optional<std::string> firstLineWith(const std::string& log, std::string_view prefix) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return std::nullopt;
}

StatBlock parseStat(const std::string& log, const std::string& marker, const std::string& module) {
  StatBlock block;
  const std::string needle = "\n" + marker + "\n";
  const size_t at = log.rfind(needle);
  if (at == std::string::npos) return block;
  block.markerFound = true;
  std::istringstream in(log.substr(at + needle.size()));
  static const std::regex passRe(R"(^\d+(\.\d+)*\. \S.*)");
  static const std::regex cellRe(R"(^\s+(\S+)\s+(\d+)\s*$)");
  static const std::regex areaRe(R"(Chip area for (?:top )?module '\\?([^']+)': ([-+0-9.eE]+))");
  const std::string header = "=== " + module + " ===";
  std::string line;
  bool seenPass = false;
  bool inModule = false;
  bool inCells = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, passRe)) {
      if (seenPass) break;  // the pass after `stat`
      seenPass = true;
      continue;
    }
    if (line.find("=== ") != std::string::npos) {
      inModule = line.find(header) != std::string::npos;
      block.found = block.found || inModule;
      inCells = false;
    } else if (!inModule) {
      continue;
    } else if (line.find("Number of cells:") != std::string::npos) {
      inCells = true;
    } else if (std::regex_search(line, m, areaRe)) {
      if (m[1] == module) block.area = std::stod(m[2]);
      inCells = false;
    } else if (inCells) {
      if (std::regex_match(line, m, cellRe))
        block.cells[m[1]] += std::stol(m[2]);
      else
        inCells = false;
    }
  }
  return block;
}

bool isGenericFlop(const std::string& type) {
  if (type.rfind("$_", 0) != 0) return false;
  return type.find("DFF") != std::string::npos || type.find("DLATCH") != std::string::npos ||
         type.rfind("$_SR_", 0) == 0 || type.rfind("$_FF_", 0) == 0;
}

namespace {

// The statistics block after `marker`, or LogError saying which part is missing.
StatBlock requireStat(const std::string& log, const char* marker, const std::string& module) {
  StatBlock block = parseStat(log, marker, module);
  if (!block.markerFound)
    throw LogError(
        fmt::format("no '{}' section for module {} (Yosys stopped early?)", marker, module));
  if (!block.found)
    throw LogError(fmt::format("the statistics after '{}' do not list module {}", marker, module));
  return block;
}

}  // namespace

YosysFigures readYosysLog(const std::string& log, const std::string& module,
                          const std::map<std::string, int>& children) {
  const StatBlock generic = requireStat(log, kMarkGeneric, module);
  StatBlock mapped = requireStat(log, kMarkMapped, module);
  // A module that only instantiates children (the array) has no own cells, and Yosys then
  // prints no area line at all.
  const bool onlyChildren =
      std::all_of(mapped.cells.begin(), mapped.cells.end(),
                  [&](const auto& c) { return children.count(c.first) != 0; });
  if (!mapped.area && onlyChildren) mapped.area = 0.0;
  if (!mapped.area) throw LogError(fmt::format("no area reported for module {}", module));
  YosysFigures fig;
  fig.area = *mapped.area;
  for (const auto& [type, count] : mapped.cells) {
    if (children.count(type) != 0) continue;
    if (!type.empty() && type[0] == '$')
      throw LogError(fmt::format(
          "module {} keeps unmapped cell {} (the liberty has no matching cell)", module, type));
    fig.cells += count;
  }
  for (const auto& [type, count] : generic.cells)
    if (isGenericFlop(type)) fig.flops += count;
  return fig;
}

double readFlatYosysArea(const std::string& log, const std::string& top) {
  const StatBlock mapped = requireStat(log, kMarkMapped, top);
  if (!mapped.area) throw LogError(fmt::format("no area reported for flattened {}", top));
  return *mapped.area;
}

// OpenSTA 2.0 `report_checks` text: one block per path group, each with
// "Startpoint: X (...)", "Endpoint: Y (...)", "<t> data arrival time" and "<s> slack (MET)".
std::optional<StaPath> parseWorstPath(const std::string& report) {
  std::optional<StaPath> worst;
  StaPath cur;
  bool haveArrival = false;
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (t.rfind("Startpoint:", 0) == 0) {
      cur = StaPath{};
      cur.start = pointName(std::string_view(t).substr(11));
      haveArrival = false;
    } else if (t.rfind("Endpoint:", 0) == 0) {
      cur.end = pointName(std::string_view(t).substr(9));
    } else if (t.find("data arrival time") != std::string::npos && !haveArrival) {
      cur.arrivalNs = leadingNumber(t);
      haveArrival = true;
    } else if (t.find(" slack (") != std::string::npos) {
      cur.slackNs = leadingNumber(t);
      if (!worst || cur.slackNs < worst->slackNs) worst = cur;
    }
  }
  return worst;
}

std::optional<double> parseTotalPower(const std::string& report) {
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Total ", 0) != 0) continue;
    // Columns: internal, switching, leakage, total (W), share.
    std::istringstream fields(line.substr(6));
    double internal = 0, switching = 0, leakage = 0, total = 0;
    if (fields >> internal >> switching >> leakage >> total) return total;
  }
  return std::nullopt;
}

StaFigures readStaLog(const std::string& log) {
  if (auto err = firstLineWith(log, "Error")) throw LogError(fmt::format("OpenSTA: {}", *err));
  if (log.find(" slack (") == std::string::npos && log.find("No paths found") == std::string::npos)
    throw LogError("no timing report (neither a slack line nor 'No paths found')");
  StaFigures fig;
  fig.path = parseWorstPath(log);
  if (fig.path && (fig.path->start.empty() || fig.path->end.empty()))
    throw LogError("a slack line without a Startpoint/Endpoint block");
  fig.powerW = parseTotalPower(log);
  return fig;
}

}  // namespace ftaccel::flow::synth
