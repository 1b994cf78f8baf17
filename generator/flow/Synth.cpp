// Synthesis runner: per-module Yosys runs, OpenSTA on the leaves, then the roll-up.
#include "flow/Synth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <regex>
#include <stdexcept>

#include <unistd.h>

#include <fmt/format.h>

#include "flow/FileIo.h"
#include "flow/Process.h"
#include "flow/synth/EnableNet.h"
#include "flow/synth/Hierarchy.h"
#include "flow/synth/Liberty.h"
#include "flow/synth/LogParsers.h"
#include "flow/synth/Parallel.h"
#include "flow/synth/RollUp.h"
#include "flow/synth/Scripts.h"

namespace ftaccel::flow {

namespace {

namespace fs = std::filesystem;
using namespace synth;

constexpr const char* kClockPort = "clk_i";

// Yosys and OpenSTA can be replaced (e.g. by wrappers) without touching the code.
std::string toolBinary(const char* envName, const char* fallback) {
  const char* v = std::getenv(envName);
  return (v != nullptr && *v != '\0') ? std::string(v) : std::string(fallback);
}

[[noreturn]] void toolFailed(const std::string& tool, const std::string& what, int rc,
                             const fs::path& log) {
  if (rc == 127)
    throw std::runtime_error(
        fmt::format("{} not found (is it installed and on PATH?) while {}; "
                    "see log {}",
                    tool, what, log.string()));
  std::string detail;
  std::ifstream in(log);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (auto line = firstLineWith(text, "ERROR:")) detail = ": " + *line;
  throw std::runtime_error(fmt::format("{} failed (exit {}) while {}{}; see log {}", tool, rc, what,
                                       detail, log.string()));
}

// Runs `argv` in the work directory with its output in `log`, and returns the log's text.
std::string runTool(const std::string& tool, const std::vector<std::string>& argv,
                    const std::string& what, const fs::path& workDir, const fs::path& log) {
  const int rc = runProcessToFiles(argv, workDir, log);
  if (rc != 0) toolFailed(tool, what, rc, log);
  return readFile(log);
}

// Parses a tool log, naming the log when the figures are not in it.
template <typename Parse>
auto parseLog(const std::string& tool, const fs::path& log, Parse&& parse) {
  try {
    return parse();
  } catch (const LogError& e) {
    throw std::runtime_error(fmt::format("{}: {}; see log {}", tool, e.what(), log.string()));
  }
}

// OpenSTA cannot read parameter overrides on (black-box) instances in a netlist. ftaccel emits
// every parametrization as its own module whose defaults are the values used, so dropping the
// overrides keeps the netlist exact.
void stripInstanceParameters(const fs::path& netlist) {
  static const std::regex paramBlock(R"(#\(\s*(\.\w+\([^()]*\),?\s*)*\)\s*)");
  std::string text = readFile(netlist);
  std::string stripped = std::regex_replace(text, paramBlock, "");
  if (stripped != text) writeFile(netlist, stripped);
}

}  // namespace

SynthResult runSynth(const SynthRequest& req, const ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  checkRequest(req);

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
      const std::string text =
          runTool("yosys", {yosys, "-s", script}, "synthesizing " + rtlPath(absReq, mod).string(),
                  workDir, log);
      const YosysFigures fig =
          parseLog("yosys", log, [&] { return readYosysLog(text, mod.name, mod.children); });
      stripInstanceParameters(workDir / (mod.name + ".syn.v"));
      runs[i].ownArea = fig.area;
      runs[i].ownCells = fig.cells;
      runs[i].ownFlops = fig.flops;
    });
  }
  if (req.flat) {
    synthTasks.emplace_back([&] {
      report(fmt::format("yosys: {} flattened", req.top));
      const std::string script = req.top + ".flat.ys";
      const fs::path log = workDir / (req.top + ".flat.yosys.log");
      writeFile(workDir / script, flatYosysScript(absReq, lib.path, req.top + ".flat.v"));
      const std::string text = runTool("yosys", {yosys, "-s", script},
                                       "synthesizing the flattened " + req.top, workDir, log);
      flatArea = parseLog("yosys", log, [&] { return readFlatYosysArea(text, req.top); });
    });
  }
  runParallel(req.jobs, synthTasks);

  // 2. OpenSTA on every leaf module, under the SDC's registered-boundary assumption (every
  // port of a leaf is driven by or feeds a flop in the neighbour, e.g. psum_i -> adder ->
  // psum_q). Parents hold only wiring; they take their worst child's path. (This OpenSTA
  // cannot parse the concatenated assigns Yosys writes for wiring-only parents.)
  std::atomic<int> staStarted{0};
  std::vector<std::function<void()>> staTasks;
  const std::optional<EnableNetSpec>& enableNet = req.enableNet;
  auto isSink = [&](const std::string& name) {
    return enableNet && std::find(enableNet->sinkModules.begin(), enableNet->sinkModules.end(),
                                  name) != enableNet->sinkModules.end();
  };
  std::vector<std::optional<EnableSinkFigures>> enableSinks(n);
  EnableMeasurements enable;
  for (size_t i = 0; i < n; ++i) {
    if (!absReq.modules[i].children.empty()) continue;
    staTasks.emplace_back([&, i] {
      const SynthModule& mod = absReq.modules[i];
      report(fmt::format("sta: {} ({}/{})", mod.name, ++staStarted, n));
      const std::string script = mod.name + ".sta.tcl";
      const fs::path log = workDir / (mod.name + ".sta.log");
      writeFile(workDir / script, staScript(absReq, mod, lib.path, sdcPath));
      const std::string text =
          runTool("sta", {sta, "-no_splash", "-exit", script}, "timing " + mod.name, workDir, log);
      const StaFigures fig =
          parseLog("sta: timing " + mod.name, log, [&] { return readStaLog(text); });
      runs[i].path = fig.path;
      runs[i].powerW = fig.powerW;
      if (enableNet && mod.name == enableNet->sourceModule)
        enable.source = parseLog("sta: timing " + mod.name, log, [&] { return readEnableSource(text); });
      if (isSink(mod.name))
        enableSinks[i] = parseLog("sta: timing " + mod.name, log, [&] { return readEnableSink(text); });
    });
  }
  // One stage of the enable's buffer tree, characterized on the library's smallest buffer.
  if (enableNet) {
    enable.buffer = findBufferCell(readFile(workDir / lib.path));
    if (enable.buffer) {
      staTasks.emplace_back([&] {
        report("sta: fan-out-4 stage of " + enable.buffer->name);
        writeFile(workDir / "ftaccel_fo4.v", fo4Netlist(*enable.buffer));
        writeFile(workDir / "ftaccel_fo4.sta.tcl", fo4StaScript(lib.path, "ftaccel_fo4.v"));
        const fs::path log = workDir / "ftaccel_fo4.sta.log";
        const std::string text = runTool("sta", {sta, "-no_splash", "-exit", "ftaccel_fo4.sta.tcl"},
                                         "characterizing a buffer-tree stage", workDir, log);
        enable.stageNs = parseLog("sta: buffer-tree stage", log, [&] { return readFo4Log(text); });
      });
    }
  }
  runParallel(req.jobs, staTasks);

  // 3. Roll-up: instance counts from the top down, areas and power from the leaves up.
  SynthResult result = rollUp(req, runs);
  if (enableNet) {
    for (size_t i = 0; i < n; ++i)
      if (enableSinks[i]) enable.sinks.emplace_back(req.modules[i].name, *enableSinks[i]);
    addEnablePath(result, estimateEnablePath(req, enable));
  }
  result.technology = lib.technology;
  result.areaUnit = lib.areaUnit;
  result.flatArea = flatArea;
  result.runtimeSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace ftaccel::flow
