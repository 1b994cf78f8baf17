// Synthesis flow: per-module Yosys runs, hierarchical area roll-up and OpenSTA timing.
#include "flow/Synth.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>

#include "flow/FileIo.h"
#include "flow/Process.h"

namespace ftaccel::embedded {
extern const std::string_view kGenericLiberty;
}

namespace ftaccel::flow {

namespace {

namespace fs = std::filesystem;

constexpr const char* kClockPort = "clk_i";
constexpr const char* kGenericTechnology = "ftaccel generic";
constexpr const char* kGenericAreaUnit = "NAND2-eq";
constexpr const char* kMarkGeneric = "ftaccel-stat: generic cells";
constexpr const char* kMarkMapped = "ftaccel-stat: mapped cells";

// Yosys and OpenSTA can be replaced (e.g. by wrappers) without touching the code.
std::string toolBinary(const char* envName, const char* fallback) {
  const char* v = std::getenv(envName);
  return (v != nullptr && *v != '\0') ? std::string(v) : std::string(fallback);
}

bool hasSpace(const std::string& s) {
  return s.find_first_of(" \t\"") != std::string::npos;
}

// Yosys' read_verilog accepts "quoted" names; most other passes take the argument verbatim.
std::string yosysPath(const fs::path& p) {
  const std::string s = p.generic_string();
  return hasSpace(s) ? "\"" + s + "\"" : s;
}

// First line of a tool log that starts with `prefix` ("ERROR:" for Yosys, "Error" for OpenSTA).
std::optional<std::string> firstLineWith(const std::string& log, std::string_view prefix) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return std::nullopt;
}

[[noreturn]] void toolFailed(const std::string& tool, const std::string& what, int rc,
                             const fs::path& log) {
  if (rc == 127)
    throw std::runtime_error(fmt::format("{} not found (is it installed and on PATH?) while {}; "
                                         "see log {}", tool, what, log.string()));
  std::string detail;
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  if (auto line = firstLineWith(text.str(), "ERROR:")) detail = ": " + *line;
  throw std::runtime_error(fmt::format("{} failed (exit {}) while {}{}; see log {}", tool, rc,
                                       what, detail, log.string()));
}

// Runs independent tasks on up to `jobs` threads; the first exception is rethrown after all
// started tasks finished (the others are skipped once one failed).
void runParallel(int jobs, const std::vector<std::function<void()>>& tasks) {
  if (tasks.empty()) return;
  std::atomic<size_t> next{0};
  std::mutex errorMutex;
  std::exception_ptr firstError;
  auto worker = [&] {
    for (;;) {
      const size_t i = next++;
      if (i >= tasks.size()) return;
      {
        std::lock_guard lock(errorMutex);
        if (firstError) return;
      }
      try {
        tasks[i]();
      } catch (...) {
        std::lock_guard lock(errorMutex);
        if (!firstError) firstError = std::current_exception();
      }
    }
  };
  const int n = std::clamp(jobs, 1, static_cast<int>(tasks.size()));
  std::vector<std::thread> threads;
  for (int t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (firstError) std::rethrow_exception(firstError);
}

// One `stat` listing: cell type -> count, plus the liberty area when printed.
struct StatBlock {
  std::map<std::string, long> cells;
  std::optional<double> area;
  bool found = false;  // the module's statistics were printed
};

// OpenSTA cannot read parameter overrides on (black-box) instances in a netlist. ftaccel emits
// every parametrization as its own module whose defaults are the values used, so dropping the
// overrides keeps the netlist exact.
void stripInstanceParameters(const fs::path& netlist) {
  static const std::regex paramBlock(R"(#\(\s*(\.\w+\([^()]*\),?\s*)*\)\s*)");
  std::string text = readFile(netlist);
  std::string stripped = std::regex_replace(text, paramBlock, "");
  if (stripped != text) writeFile(netlist, stripped);
}

// Parses the `stat` output for `module` printed right after the last line equal to `marker`
// (a `log` command in the script), up to the next numbered pass header.
StatBlock parseStat(const std::string& log, const std::string& marker, const std::string& module) {
  StatBlock block;
  const std::string needle = "\n" + marker + "\n";
  const size_t at = log.rfind(needle);
  if (at == std::string::npos) return block;
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

// Yosys' internal (pre-mapping) flip-flop and latch gate types.
bool isGenericFlop(const std::string& type) {
  if (type.rfind("$_", 0) != 0) return false;
  return type.find("DFF") != std::string::npos || type.find("DLATCH") != std::string::npos ||
         type.rfind("$_SR_", 0) == 0 || type.rfind("$_FF_", 0) == 0;
}

struct StaPath {
  double slackNs = 0;
  double arrivalNs = 0;
  std::string start;
  std::string end;
};

std::string pointName(const std::string& rest) {
  const size_t paren = rest.find(" (");
  std::string s = paren == std::string::npos ? rest : rest.substr(0, paren);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// Parses OpenSTA 2.0 `report_checks` text: one block per path group, each with
// "Startpoint: X (...)", "Endpoint: Y (...)", "<t> data arrival time" and "<s> slack (MET)".
// Returns the path with the smallest slack, or nothing for "No paths found.".
std::optional<StaPath> parseWorstPath(const std::string& report) {
  std::optional<StaPath> worst;
  StaPath cur;
  bool haveArrival = false;
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    const size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    const std::string_view t = std::string_view(line).substr(first);
    if (t.rfind("Startpoint:", 0) == 0) {
      cur = StaPath{};
      cur.start = pointName(std::string(t.substr(11)));
      cur.start.erase(0, cur.start.find_first_not_of(' '));
      haveArrival = false;
    } else if (t.rfind("Endpoint:", 0) == 0) {
      cur.end = pointName(std::string(t.substr(9)));
      cur.end.erase(0, cur.end.find_first_not_of(' '));
    } else if (line.find("data arrival time") != std::string::npos && !haveArrival) {
      cur.arrivalNs = std::stod(std::string(t));
      haveArrival = true;
    } else if (line.find(" slack (") != std::string::npos) {
      cur.slackNs = std::stod(std::string(t));
      if (!worst || cur.slackNs < worst->slackNs) worst = cur;
    }
  }
  return worst;
}

// Liberty name as written in `library (name)`, from the first part of the file.
std::string libraryName(const fs::path& lib) {
  std::ifstream in(lib, std::ios::binary);
  std::string head(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  // Drop /* comments */ so that prose mentioning "library (" does not match.
  static const std::regex comment(R"(/\*[\s\S]*?\*/)");
  head = std::regex_replace(head, comment, " ");
  static const std::regex nameRe(R"re(library\s*\(\s*"?([^"\s)]+)"?\s*\))re");
  std::smatch m;
  if (std::regex_search(head, m, nameRe)) return m[1];
  return lib.stem().string();
}

struct PreparedLiberty {
  fs::path path;  // as the tools see it from inside the work directory (relative if in it)
  std::string technology;
  std::string areaUnit;
};

PreparedLiberty prepareLiberty(const SynthRequest& req, const fs::path& workDir,
                               const ProgressFn& progress) {
  PreparedLiberty lib;
  if (!req.liberty) {
    lib.path = "ftaccel_generic.lib";
    writeFile(workDir / lib.path, genericLiberty());
    lib.technology = kGenericTechnology;
    lib.areaUnit = kGenericAreaUnit;
    return lib;
  }
  const fs::path src = fs::absolute(*req.liberty);
  if (!fs::is_regular_file(src))
    throw std::runtime_error(fmt::format("liberty file not found: {}", src.string()));
  if (src.extension() == ".gz") {
    // Decompressed once; ABC and OpenSTA 2019 need a plain file.
    lib.path = "lib.lib";
    const fs::path part = workDir / "lib.lib.part";
    const fs::path log = workDir / "lib.gunzip.log";
    if (progress) progress(fmt::format("gunzip: {}", src.filename().string()));
    const int rc = runProcessToFiles({"gzip", "-dc", src.string()}, workDir, part, log);
    if (rc != 0)
      throw std::runtime_error(fmt::format("cannot decompress liberty file {}; see {}",
                                           src.string(), log.string()));
    fs::rename(part, workDir / lib.path);
  } else if (hasSpace(src.string())) {
    // Yosys passes take file names verbatim, so names with blanks are copied first.
    lib.path = "lib.lib";
    fs::copy_file(src, workDir / lib.path, fs::copy_options::overwrite_existing);
  } else {
    lib.path = src;
  }
  lib.technology = libraryName(workDir / lib.path);
  lib.areaUnit = "um^2";
  return lib;
}

const SynthModule& findModule(const SynthRequest& req, const std::string& name) {
  for (const auto& m : req.modules)
    if (m.name == name) return m;
  throw std::runtime_error(fmt::format("synthesis: unknown module '{}'", name));
}

fs::path rtlPath(const SynthRequest& req, const SynthModule& mod) {
  return req.ipDir.empty() ? fs::path(mod.file) : req.ipDir / mod.file;
}

// All modules below `name` (each once), deepest first so that OpenSTA reads leaves first.
void collectDescendants(const SynthRequest& req, const std::string& name,
                        std::vector<std::string>& out, std::set<std::string>& seen, int depth) {
  if (depth > 64) throw std::runtime_error("synthesis: module hierarchy is cyclic");
  for (const auto& [child, count] : findModule(req, name).children) {
    (void)count;
    if (!seen.insert(child).second) continue;
    collectDescendants(req, child, out, seen, depth + 1);
    out.push_back(child);
  }
}

std::string flatYosysScript(const SynthRequest& req, const fs::path& libertyPath,
                            const fs::path& netlistOut) {
  std::string s = fmt::format(
      "# ftaccel: flattened synthesis of {} (cross-check of the hierarchical area)\n", req.top);
  for (const auto& m : req.modules) s += "read_verilog -sv " + yosysPath(rtlPath(req, m)) + "\n";
  const std::string lib = libertyPath.generic_string();
  // Coarse synthesis still runs per module and only the fine-grained part (gates, ABC) sees
  // the flattened design. With `synth -flatten`, Yosys 0.23's alumacc does not merge a
  // flattened instance's `a * b` into the following `acc + ...` ($macc), while it does for
  // the module synthesized alone: an 8-bit MAC then differs by ~18% for that reason only,
  // which would drown what this check is for (cross-boundary optimization).
  s += fmt::format("hierarchy -check -top {}\n", req.top);
  s += fmt::format("synth -top {} -run begin:fine\n", req.top);
  s += "flatten\n";
  s += fmt::format("hierarchy -top {}\n", req.top);
  s += fmt::format("synth -top {} -run fine:\n", req.top);
  s += fmt::format("dfflibmap -liberty {}\n", lib);
  s += fmt::format("abc -liberty {}\n", lib);
  s += "opt_clean\n";
  s += fmt::format("log {}\n", kMarkMapped);
  s += fmt::format("stat -liberty {}\n", lib);
  s += fmt::format("write_verilog -noattr {}\n", netlistOut.generic_string());
  return s;
}

std::string staScript(const SynthRequest& req, const SynthModule& mod, const fs::path& lib,
                      const fs::path& sdc) {
  std::string s = fmt::format("# ftaccel: static timing of {}", mod.name);
  s += mod.children.empty() ? "\n" : " together with its synthesized sub-modules\n";
  s += fmt::format("read_liberty {{{}}}\n", lib.generic_string());
  std::vector<std::string> below;
  std::set<std::string> seen;
  collectDescendants(req, mod.name, below, seen, 0);
  for (const auto& child : below) s += fmt::format("read_verilog {{{}.syn.v}}\n", child);
  s += fmt::format("read_verilog {{{}.syn.v}}\n", mod.name);
  s += fmt::format("link_design {}\n", mod.name);
  s += fmt::format("read_sdc {{{}}}\n", sdc.generic_string());
  s += "report_checks -path_delay max -digits 4\n";
  // Power with a default activity: 10 % toggle rate per cycle on every input, propagated.
  s += "set_power_activity -input -activity 0.1\n";
  s += "report_power -digits 6\n";
  return s;
}

// Total power (W) from OpenSTA's report_power: the "Total" row, fourth number.
std::optional<double> parseTotalPower(const std::string& report) {
  std::istringstream in(report);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Total ", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    double internal = 0, switching = 0, leakage = 0, total = 0;
    if (fields >> internal >> switching >> leakage >> total) return total;
  }
  return std::nullopt;
}

// Sum of a per-module quantity (area, power) over the sub-tree of `name`, memoized.
double rollUp(const std::string& name, const SynthRequest& req,
              const std::map<std::string, size_t>& index, const std::function<double(size_t)>& own,
              std::map<std::string, double>& memo, int depth) {
  if (depth > 64) throw std::runtime_error("synthesis: module hierarchy is cyclic");
  if (auto it = memo.find(name); it != memo.end()) return it->second;
  const size_t i = index.at(name);
  double total = own(i);
  for (const auto& [child, count] : req.modules[i].children)
    total += count * rollUp(child, req, index, own, memo, depth + 1);
  memo[name] = total;
  return total;
}

struct ModuleRun {
  std::optional<double> powerW;
  double ownArea = 0;
  long ownCells = 0;
  long ownFlops = 0;
  std::optional<StaPath> path;
};

}  // namespace

std::string_view genericLiberty() { return ftaccel::embedded::kGenericLiberty; }

std::string yosysModuleScript(const SynthRequest& req, const SynthModule& mod,
                              const std::filesystem::path& libertyPath,
                              const std::filesystem::path& netlistOut) {
  const std::string lib = libertyPath.generic_string();
  std::string s = fmt::format("# ftaccel: synthesis of module {} on its own", mod.name);
  s += mod.children.empty() ? "\n" : "; sub-modules are read as black boxes\n";
  s += "read_verilog -sv " + yosysPath(rtlPath(req, mod)) + "\n";
  for (const auto& [child, count] : mod.children) {
    (void)count;
    s += "read_verilog -sv -lib " + yosysPath(rtlPath(req, findModule(req, child))) + "\n";
  }
  s += fmt::format("hierarchy -check -top {}\n", mod.name);
  s += fmt::format("synth -top {}\n", mod.name);
  // Generic-gate statistics: flip-flops are counted before they become library cells.
  s += fmt::format("log {}\n", kMarkGeneric);
  s += "stat\n";
  s += fmt::format("dfflibmap -liberty {}\n", lib);
  s += fmt::format("abc -liberty {}\n", lib);
  s += "opt_clean\n";
  s += fmt::format("log {}\n", kMarkMapped);
  s += fmt::format("stat -liberty {}\n", lib);
  s += fmt::format("write_verilog -noattr {}\n", netlistOut.generic_string());
  return s;
}

std::string sdcText(const std::string& clockPort, double clockNs) {
  return fmt::format(
      "# ftaccel timing constraints (SDC). Times in ns, loads in the library's unit (pF).\n"
      "# Every module is timed as a block of its own. Inside the array, module boundaries are\n"
      "# register outputs: each module registers what it passes on, so inputs arrive right\n"
      "# after the clock edge (input delay 0) and outputs only have to reach the next\n"
      "# module's registers (output delay 0). Clock is ideal (no clock tree yet).\n"
      "create_clock -name clk -period {0} [get_ports {1}]\n"
      "set_input_delay 0 -clock clk [delete_from_list [all_inputs] [get_ports {1}]]\n"
      "set_output_delay 0 -clock clk [all_outputs]\n"
      "# About two input pins of load on every output.\n"
      "set_load 0.005 [all_outputs]\n",
      clockNs, clockPort);
}

SynthResult runSynth(const SynthRequest& req, const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  if (req.modules.empty()) throw std::runtime_error("synthesis: no modules given");
  findModule(req, req.top);
  for (const auto& m : req.modules) {
    for (const auto& [child, count] : m.children) {
      (void)count;
      if (std::none_of(req.modules.begin(), req.modules.end(),
                       [&](const SynthModule& x) { return x.name == child; }))
        throw std::runtime_error(
            fmt::format("synthesis: module '{}' instantiates unknown module '{}'", m.name, child));
    }
    const fs::path rtl = rtlPath(req, m);
    if (!fs::is_regular_file(rtl))
      throw std::runtime_error(
          fmt::format("synthesis: RTL file of module '{}' not found: {}", m.name, rtl.string()));
  }

  const fs::path workDir = fs::absolute(
      req.workDir.empty() ? fs::temp_directory_path() / fmt::format("ftaccel-synth-{}", getpid())
                          : req.workDir);
  fs::create_directories(workDir);
  // RTL paths are made absolute because the tools run from inside the work directory.
  SynthRequest absReq = req;
  absReq.ipDir = fs::absolute(req.ipDir.empty() ? fs::current_path() : req.ipDir);

  const PreparedLiberty lib = prepareLiberty(req, workDir, progress);
  // Files inside the work directory are named relative to it: Yosys passes other than
  // read_verilog take file names verbatim, so a blank in the directory name would break them.
  const fs::path sdcPath = "ftaccel.sdc";
  writeFile(workDir / sdcPath, sdcText(kClockPort, req.clockNs));

  std::mutex progressMutex;
  auto report = [&](const std::string& line) {
    if (!progress) return;
    std::lock_guard lock(progressMutex);
    progress(line);
  };

  const std::string yosys = toolBinary("FTACCEL_YOSYS", "yosys");
  const std::string sta = toolBinary("FTACCEL_STA", "sta");
  const size_t n = req.modules.size();
  std::vector<ModuleRun> runs(n);
  std::optional<double> flatArea;
  std::atomic<int> yosysStarted{0};

  // 1. Yosys: every module on its own (children are black boxes), plus the flat cross-check.
  std::vector<std::function<void()>> synthTasks;
  for (size_t i = 0; i < n; ++i) {
    synthTasks.emplace_back([&, i] {
      const SynthModule& mod = absReq.modules[i];
      report(fmt::format("yosys: {} ({}/{})", mod.name, ++yosysStarted, n));
      const std::string script = mod.name + ".ys";
      const fs::path log = workDir / (mod.name + ".yosys.log");
      writeFile(workDir / script, yosysModuleScript(absReq, mod, lib.path, mod.name + ".syn.v"));
      const int rc = runProcessToFiles({yosys, "-s", script}, workDir, log);
      if (rc != 0) toolFailed("yosys", "synthesizing " + rtlPath(absReq, mod).string(), rc, log);
      stripInstanceParameters(workDir / (mod.name + ".syn.v"));
      const std::string text = readFile(log);
      const StatBlock generic = parseStat(text, kMarkGeneric, mod.name);
      StatBlock mapped = parseStat(text, kMarkMapped, mod.name);
      // A module that only instantiates children (the array) has no own cells, and Yosys then
      // prints no area line at all.
      bool onlyChildren = mapped.found && std::all_of(mapped.cells.begin(), mapped.cells.end(),
                                                      [&](const auto& c) {
                                                        return mod.children.count(c.first) != 0;
                                                      });
      if (!mapped.area && onlyChildren) mapped.area = 0.0;
      if (!mapped.area)
        throw std::runtime_error(
            fmt::format("yosys: no area reported for module {}; see {}", mod.name, log.string()));
      ModuleRun& run = runs[i];
      run.ownArea = *mapped.area;
      for (const auto& [type, count] : mapped.cells) {
        if (mod.children.count(type) != 0) continue;
        if (!type.empty() && type[0] == '$')
          throw std::runtime_error(fmt::format(
              "yosys: module {} keeps unmapped cell {} (the liberty has no matching cell); see {}",
              mod.name, type, log.string()));
        run.ownCells += count;
      }
      for (const auto& [type, count] : generic.cells)
        if (isGenericFlop(type)) run.ownFlops += count;
    });
  }
  if (req.flat) {
    synthTasks.emplace_back([&] {
      report(fmt::format("yosys: {} flattened", req.top));
      const std::string script = req.top + ".flat.ys";
      const fs::path log = workDir / (req.top + ".flat.yosys.log");
      writeFile(workDir / script, flatYosysScript(absReq, lib.path, req.top + ".flat.v"));
      const int rc = runProcessToFiles({yosys, "-s", script}, workDir, log);
      if (rc != 0) toolFailed("yosys", "synthesizing the flattened " + req.top, rc, log);
      const StatBlock mapped = parseStat(readFile(log), kMarkMapped, req.top);
      if (!mapped.area)
        throw std::runtime_error(
            fmt::format("yosys: no area reported for flattened {}; see {}", req.top,
                        log.string()));
      flatArea = *mapped.area;
    });
  }
  runParallel(req.jobs, synthTasks);

  // 2. OpenSTA on every leaf module, under the SDC's registered-boundary assumption (every
  // port of a leaf is driven by or feeds a flop in the neighbour, e.g. psum_i -> adder ->
  // psum_q). Parents hold only wiring; they take their worst child's path. (This OpenSTA
  // cannot parse the concatenated assigns Yosys writes for wiring-only parents.)
  std::atomic<int> staStarted{0};
  std::vector<std::function<void()>> staTasks;
  for (size_t i = 0; i < n; ++i) {
    if (!absReq.modules[i].children.empty()) continue;
    staTasks.emplace_back([&, i] {
      const SynthModule& mod = absReq.modules[i];
      report(fmt::format("sta: {} ({}/{})", mod.name, ++staStarted, n));
      const std::string script = mod.name + ".sta.tcl";
      const fs::path log = workDir / (mod.name + ".sta.log");
      writeFile(workDir / script, staScript(absReq, mod, lib.path, sdcPath));
      const int rc =
          runProcessToFiles({sta, "-no_splash", "-exit", script}, workDir, log);
      if (rc != 0) toolFailed("sta", "timing " + mod.name, rc, log);
      const std::string text = readFile(log);
      if (auto err = firstLineWith(text, "Error"))
        throw std::runtime_error(
            fmt::format("sta: timing {} failed: {}; see log {}", mod.name, *err, log.string()));
      if (text.find(" slack (") == std::string::npos &&
          text.find("No paths found") == std::string::npos)
        throw std::runtime_error(
            fmt::format("sta: no timing report for {}; see log {}", mod.name, log.string()));
      runs[i].path = parseWorstPath(text);
      runs[i].powerW = parseTotalPower(text);
    });
  }
  runParallel(req.jobs, staTasks);
  // Leaves come first in the request, so children are resolved before their parents.
  for (size_t i = 0; i < n; ++i) {
    for (const auto& [child, count] : req.modules[i].children) {
      for (size_t j = 0; j < i; ++j) {
        if (req.modules[j].name != child || !runs[j].path) continue;
        if (!runs[i].path || runs[j].path->slackNs < runs[i].path->slackNs) runs[i].path = runs[j].path;
      }
    }
  }

  // 3. Roll-up: instance counts from the top down, areas from the leaves up.
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) index[req.modules[i].name] = i;
  std::map<std::string, long> instances;
  std::function<long(const std::string&, int)> countOf = [&](const std::string& name, int depth) {
    if (depth > 64) throw std::runtime_error("synthesis: module hierarchy is cyclic");
    if (name == req.top) return 1L;
    if (auto it = instances.find(name); it != instances.end()) return it->second;
    long total = 0;
    for (const auto& parent : req.modules) {
      auto it = parent.children.find(name);
      if (it != parent.children.end()) total += it->second * countOf(parent.name, depth + 1);
    }
    instances[name] = total;
    return total;
  };
  std::map<std::string, double> areaMemo, powerMemo;
  auto totalOf = [&](const std::string& name, int) {
    return rollUp(name, req, index, [&](size_t i) { return runs[i].ownArea; }, areaMemo, 0);
  };
  // Wiring-only parents have no STA run; their few own cells (the top's input gating) are
  // not in the power figure.
  auto powerOf = [&](const std::string& name, int) {
    return rollUp(name, req, index, [&](size_t i) { return runs[i].powerW.value_or(0.0); },
                  powerMemo, 0);
  };

  SynthResult result;
  result.technology = lib.technology;
  result.areaUnit = lib.areaUnit;
  result.clockNs = req.clockNs;
  result.flatArea = flatArea;
  bool haveWorst = false;
  for (size_t i = 0; i < n; ++i) {
    const SynthModule& mod = req.modules[i];
    ModuleSynthResult r;
    r.name = mod.name;
    r.instances = countOf(mod.name, 0);
    r.ownArea = runs[i].ownArea;
    r.totalArea = totalOf(mod.name, 0);
    r.ownPowerW = runs[i].powerW.value_or(0.0);
    r.totalPowerW = powerOf(mod.name, 0);
    r.ownCells = runs[i].ownCells;
    r.ownFlops = runs[i].ownFlops;
    if (runs[i].path) {
      r.worstSlackNs = runs[i].path->slackNs;
      r.criticalPathNs = runs[i].path->arrivalNs;
      r.pathStart = runs[i].path->start;
      r.pathEnd = runs[i].path->end;
    } else {
      r.worstSlackNs = req.clockNs;  // nothing constrained: the whole period is left
    }
    // Leaves come first, so on a tie (a parent's worst path lies inside a child) the path is
    // attributed to the child rather than to every module above it.
    if (!haveWorst || r.worstSlackNs < result.worstSlackNs - 5e-5) {
      haveWorst = true;
      result.worstSlackNs = r.worstSlackNs;
      result.criticalPathNs = r.criticalPathNs;
      result.criticalModule = r.name;
    }
    result.modules.push_back(std::move(r));
  }
  result.totalArea = totalOf(req.top, 0);
  result.totalPowerW = powerOf(req.top, 0);
  result.runtimeSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

nlohmann::json toJson(const SynthResult& result) {
  nlohmann::json modules = nlohmann::json::array();
  for (const auto& m : result.modules) {
    modules.push_back({{"name", m.name},
                       {"instances", m.instances},
                       {"own_area", m.ownArea},
                       {"total_area", m.totalArea},
                       {"own_power_w", m.ownPowerW},
                       {"total_power_w", m.totalPowerW},
                       {"own_cells", m.ownCells},
                       {"own_flops", m.ownFlops},
                       {"worst_slack_ns", m.worstSlackNs},
                       {"critical_path_ns", m.criticalPathNs},
                       {"path_start", m.pathStart},
                       {"path_end", m.pathEnd}});
  }
  nlohmann::json j = {{"technology", result.technology},
                      {"area_unit", result.areaUnit},
                      {"clock_ns", result.clockNs},
                      {"modules", modules},
                      {"total_area", result.totalArea},
                      {"total_power_w", result.totalPowerW},
                      {"power_conditions", "OpenSTA report_power, 10 % input activity, leaf modules"},
                      {"flat_area", nullptr},
                      {"critical_path_ns", result.criticalPathNs},
                      {"worst_slack_ns", result.worstSlackNs},
                      {"critical_module", result.criticalModule},
                      {"runtime_seconds", result.runtimeSeconds}};
  if (result.flatArea) j["flat_area"] = *result.flatArea;
  return j;
}

std::string formatReport(const SynthResult& result) {
  size_t w = std::string_view("module").size();
  for (const auto& m : result.modules) w = std::max(w, m.name.size());
  std::string out;
  out += fmt::format("{:<{}}  {:>9}  {:>12}  {:>12}  {:>8}  {:>7}  {:>9}\n", "module", w,
                     "instances", "own area", "total area", "cells", "flops", "slack ns");
  out += std::string(w + 2 + 9 + 2 + 12 + 2 + 12 + 2 + 8 + 2 + 7 + 2 + 9, '-') + "\n";
  for (const auto& m : result.modules) {
    out += fmt::format("{:<{}}  {:>9}  {:>12.2f}  {:>12.2f}  {:>8}  {:>7}  {:>9.3f}\n", m.name, w,
                       m.instances, m.ownArea, m.totalArea, m.ownCells, m.ownFlops,
                       m.worstSlackNs);
  }
  out += "\n";
  out += fmt::format("total area:     {:.2f} {}\n", result.totalArea, result.areaUnit);
  if (result.totalPowerW > 0)
    out += fmt::format("total power:    {:.4f} mW (OpenSTA, 10 % input activity)\n",
                       1e3 * result.totalPowerW);
  else
    out += "total power:    n/a (the library has no power data)\n";
  if (result.flatArea) {
    const double diff = result.totalArea > 0
                            ? 100.0 * (*result.flatArea - result.totalArea) / result.totalArea
                            : 0.0;
    out += fmt::format("flat area:      {:.2f} {} ({:+.1f}% vs hierarchical)\n",
                       *result.flatArea, result.areaUnit, diff);
  }
  const auto crit = std::find_if(result.modules.begin(), result.modules.end(),
                                 [&](const auto& m) { return m.name == result.criticalModule; });
  std::string where = result.criticalModule;
  if (crit != result.modules.end() && !crit->pathStart.empty())
    where += fmt::format(", {} -> {}", crit->pathStart, crit->pathEnd);
  out += fmt::format("critical path:  {:.3f} ns ({})\n", result.criticalPathNs, where);
  out += fmt::format("worst slack:    {:.3f} ns ({})\n", result.worstSlackNs,
                     result.worstSlackNs < 0 ? "VIOLATED" : "met");
  out += fmt::format("clock:          {} ns ({:.1f} MHz)\n", result.clockNs,
                     result.clockNs > 0 ? 1000.0 / result.clockNs : 0.0);
  out += fmt::format("technology:     {}\n", result.technology);
  out += fmt::format("runtime:        {:.1f} s\n", result.runtimeSeconds);
  return out;
}

}  // namespace ftaccel::flow
