// The global enable's fan-out path: Liberty buffer, tree model, characterization and log parsing.
#include "flow/synth/EnableNet.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "flow/synth/Hierarchy.h"

namespace ftaccel::flow::synth {

namespace {

bool isIdent(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// End of the `{ ... }` group that opens at `open` (one past the closing brace).
size_t groupEnd(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    if (text[i] == '{') ++depth;
    else if (text[i] == '}' && --depth == 0) return i + 1;
  }
  return text.size();
}

// Liberty groups `keyword (name) { ... }` directly inside `body` (not nested deeper).
std::vector<std::pair<std::string, std::string_view>> groups(std::string_view body,
                                                              std::string_view keyword) {
  std::vector<std::pair<std::string, std::string_view>> out;
  int depth = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '{') ++depth;
    else if (c == '}') --depth;
    else if (c == '/' && i + 1 < body.size() && body[i + 1] == '*') {
      const size_t end = body.find("*/", i + 2);
      i = end == std::string_view::npos ? body.size() : end + 1;
    } else if (depth == 0 && body.compare(i, keyword.size(), keyword) == 0 &&
               (i == 0 || !isIdent(body[i - 1])) && i + keyword.size() < body.size() &&
               !isIdent(body[i + keyword.size()])) {
      size_t p = body.find_first_not_of(" \t\r\n", i + keyword.size());
      if (p == std::string_view::npos || body[p] != '(') continue;
      const size_t close = body.find(')', p);
      const size_t open = body.find('{', close);
      if (close == std::string_view::npos || open == std::string_view::npos) break;
      std::string name(body.substr(p + 1, close - p - 1));
      name.erase(std::remove_if(name.begin(), name.end(),
                                [](char ch) { return ch == '"' || std::isspace(static_cast<unsigned char>(ch)); }),
                 name.end());
      const size_t end = groupEnd(body, open);
      out.emplace_back(name, body.substr(open + 1, end - open - 2));
      i = end - 1;
    }
  }
  return out;
}

// Value of the first `attr : value ;` in `body` at any depth, quotes stripped.
std::string attribute(std::string_view body, std::string_view attr) {
  for (size_t at = body.find(attr); at != std::string_view::npos; at = body.find(attr, at + 1)) {
    if ((at > 0 && isIdent(body[at - 1])) || isIdent(body[at + attr.size()])) continue;
    size_t p = body.find_first_not_of(" \t", at + attr.size());
    if (p == std::string_view::npos || body[p] != ':') continue;
    const size_t end = body.find_first_of(";\n", p);
    std::string v(body.substr(p + 1, end - p - 1));
    v.erase(std::remove_if(v.begin(), v.end(),
                           [](char ch) { return ch == '"' || std::isspace(static_cast<unsigned char>(ch)); }),
            v.end());
    return v;
  }
  return {};
}

// The text after the line holding `mark`, up to the next line of another ftaccel marker.
std::optional<std::string> section(const std::string& log, std::string_view mark) {
  const size_t at = log.find(mark);
  if (at == std::string::npos) return std::nullopt;
  const size_t start = log.find('\n', at);
  if (start == std::string::npos) return std::string();
  const size_t next = log.find("ftaccel-", start);
  return log.substr(start + 1, next == std::string::npos ? std::string::npos : next - start - 1);
}

}  // namespace

std::optional<BufferCell> findBufferCell(std::string_view liberty) {
  std::optional<BufferCell> best;
  const auto libs = groups(liberty, "library");
  if (libs.empty()) return best;
  for (const auto& [name, body] : groups(libs.front().second, "cell")) {
    std::vector<std::string> inputs;
    std::string output, function;
    int outputs = 0;
    for (const auto& [pin, pinBody] : groups(body, "pin")) {
      const std::string dir = attribute(pinBody, "direction");
      if (dir == "input") inputs.push_back(pin);
      if (dir == "output") {
        ++outputs;
        output = pin;
        function = attribute(pinBody, "function");
      }
    }
    function.erase(std::remove_if(function.begin(), function.end(),
                                  [](char c) { return c == '(' || c == ')'; }),
                   function.end());
    if (inputs.size() != 1 || outputs != 1 || function != inputs.front()) continue;
    const double area = std::atof(attribute(body, "area").c_str());
    if (!best || area < best->area) best = BufferCell{name, inputs.front(), output, area};
  }
  return best;
}

int treeStages(long pins) {
  int stages = 0;
  for (long reach = kTreeFanout; reach < pins; reach *= kTreeFanout) ++stages;
  return stages;
}

std::string fo4Netlist(const BufferCell& cell) {
  // n0 .. n{last}: n{k} is driven by stage k and drives stage k+1 plus three dummy loads.
  const int last = 2 + kFo4Taps;
  std::string s = fmt::format("// ftaccel: fan-out-4 chain of {} (one enable-tree stage)\n",
                              cell.name);
  s += fmt::format("module ftaccel_fo4 (a, n2, n{});\n  input a;\n  output n2, n{};\n", last, last);
  for (int k = 0; k <= last + 1; ++k) {
    if (k != 2 && k != last) s += fmt::format("  wire n{};\n", k);
    for (int d = 0; d < kTreeFanout - 1; ++d) s += fmt::format("  wire x{}_{};\n", k, d);
  }
  for (int k = 0; k <= last + 1; ++k) {
    const std::string in = k == 0 ? "a" : fmt::format("n{}", k - 1);
    s += fmt::format("  {} s{} (.{}({}), .{}(n{}));\n", cell.name, k, cell.input, in, cell.output, k);
    if (k == 0) continue;
    for (int d = 0; d < kTreeFanout - 1; ++d)
      s += fmt::format("  {} d{}_{} (.{}({}), .{}(x{}_{}));\n", cell.name, k, d, cell.input, in,
                       cell.output, k, d);
  }
  return s + "endmodule\n";
}

std::string fo4StaScript(const std::filesystem::path& liberty, const std::string& netlist) {
  std::string s = "# ftaccel: delay of one fan-out-4 stage of the enable's buffer tree\n";
  s += fmt::format("read_liberty {{{}}}\n", liberty.generic_string());
  s += fmt::format("read_verilog {{{}}}\n", netlist);
  s += "link_design ftaccel_fo4\n";
  s += "create_clock -name v -period 1000\n";
  s += "set_input_delay 0 -clock v [get_ports a]\n";
  s += "set_output_delay 0 -clock v [all_outputs]\n";
  s += "set_load 0 [all_outputs]\n";
  s += fmt::format("puts \"{}\"\n", kFo4NearMark);
  s += "report_checks -to [get_ports n2] -path_delay max -digits 4\n";
  s += fmt::format("puts \"{}\"\n", kFo4FarMark);
  s += fmt::format("report_checks -to [get_ports n{}] -path_delay max -digits 4\n", 2 + kFo4Taps);
  return s;
}

double readFo4Log(const std::string& log) {
  const auto near = section(log, kFo4NearMark), far = section(log, kFo4FarMark);
  const auto a = near ? parseWorstPath(*near) : std::nullopt;
  const auto b = far ? parseWorstPath(*far) : std::nullopt;
  if (!a || !b) throw LogError("no fan-out-4 chain paths in the characterization report");
  return (b->arrivalNs - a->arrivalNs) / kFo4Taps;
}

std::string enableSourceTcl(const std::string& port) {
  return fmt::format("puts \"{}\"\nreport_checks -to [get_ports {{{}}}] -path_delay max -digits 4\n",
                     kEnableSourceMark, port);
}

std::string enableSinkTcl(const std::string& port) {
  return fmt::format(
      "puts \"{0}\"\nreport_checks -from [get_ports {{{1}}}] -path_delay max -digits 4\n"
      "puts \"{2} [llength [get_pins -of_objects [get_nets {{{1}}}]]]\"\n",
      kEnableSinkMark, port, kEnablePinsMark);
}

std::optional<StaPath> readEnableSource(const std::string& log) {
  const auto text = section(log, kEnableSourceMark);
  if (!text) throw LogError("no report of the enable's source port");
  return parseWorstPath(*text);
}

EnableSinkFigures readEnableSink(const std::string& log) {
  const auto text = section(log, kEnableSinkMark);
  const size_t at = log.find(kEnablePinsMark);
  if (!text || at == std::string::npos)
    throw LogError("no report of the enable's sink port and its pins");
  EnableSinkFigures f;
  f.path = parseWorstPath(*text);
  f.pins = std::atol(log.c_str() + at + std::string_view(kEnablePinsMark).size());
  return f;
}

EnablePathEstimate estimateEnablePath(const SynthRequest& req, const EnableMeasurements& m) {
  EnablePathEstimate e;
  const std::map<std::string, long> counts = instanceCounts(req);
  for (const auto& [module, sink] : m.sinks) {
    e.pins += sink.pins * counts.at(module);
    if (!sink.path) continue;
    const double sinkNs = req.clockNs - sink.path->slackNs;
    if (e.sinkModule.empty() || sinkNs > e.sinkNs) {
      e.sinkNs = sinkNs;
      e.sinkModule = module;
    }
  }
  e.stages = treeStages(e.pins);
  e.bufferCell = m.buffer ? m.buffer->name : "";
  e.stageNs = m.stageNs;
  e.sourceModule = req.enableNet ? req.enableNet->sourceModule : "";
  e.sourceNs = m.source ? m.source->arrivalNs : 0.0;
  e.arrivalNs = e.sourceNs + e.stages * e.stageNs + e.sinkNs;
  e.slackNs = req.clockNs - e.arrivalNs;
  return e;
}

void addEnablePath(SynthResult& result, const EnablePathEstimate& estimate) {
  result.enablePath = estimate;
  if (estimate.slackNs < result.worstSlackNs - 5e-5) {
    result.worstSlackNs = estimate.slackNs;
    result.criticalPathNs = estimate.arrivalNs;
    result.criticalModule = kEnableNetName;
  }
}

}  // namespace ftaccel::flow::synth
