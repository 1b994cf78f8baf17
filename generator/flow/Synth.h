// Synthesis flow API: requests and results, scripts and SDC text, the runner and the report
// (implemented in flow/Synth.cpp and flow/synth/).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ftaccel::flow {

// One module of a generated IP package. `file` is relative to the package root
// (always "rtl/<name>.sv"); `children` counts direct sub-module instances by module name.
struct SynthModule {
  std::string name;
  std::string file;
  std::map<std::string, int> children;
};

struct SynthRequest {
  std::filesystem::path ipDir;       // package root holding rtl/*.sv
  std::vector<SynthModule> modules;  // every module of the IP, leaves first
  std::string top;                   // top module name
  std::optional<std::filesystem::path> liberty;  // .lib or .lib.gz; empty = built-in generic tech
  double clockNs = 5.0;
  bool flat = false;                 // also synthesize the flattened top (cross-check)
  int jobs = 2;                      // parallel Yosys/OpenSTA processes
  std::filesystem::path workDir;     // scripts, logs and netlists go here
};

struct ModuleSynthResult {
  std::string name;
  long instances = 0;        // how many times the module occurs in the whole IP tree
  double ownArea = 0;        // area of the module's own cells (children excluded)
  double totalArea = 0;      // own area plus children, recursively
  long ownCells = 0;
  long ownFlops = 0;
  double ownPowerW = 0;      // OpenSTA report_power, 10 % input activity (0 without power data)
  double totalPowerW = 0;
  double worstSlackNs = 0;   // OpenSTA worst setup slack of this module alone
  double criticalPathNs = 0; // data arrival of that path
  std::string pathStart;
  std::string pathEnd;
};

struct SynthResult {
  std::string technology;    // "ftaccel generic" or the Liberty library name
  std::string areaUnit;      // "um^2" for real libraries, "NAND2-eq" style for generic
  double clockNs = 0;
  std::vector<ModuleSynthResult> modules;  // same order as the request
  double totalArea = 0;                    // hierarchical sum for the top
  double totalPowerW = 0;                  // same roll-up of leaf power
  std::optional<double> flatArea;          // when request.flat
  double criticalPathNs = 0;               // worst over modules
  double worstSlackNs = 0;
  std::string criticalModule;
  double runtimeSeconds = 0;
};

// Text of the generated scripts, also written into the IP package by `generate`.
std::string yosysModuleScript(const SynthRequest& req, const SynthModule& mod,
                              const std::filesystem::path& libertyPath,
                              const std::filesystem::path& netlistOut);
std::string sdcText(const std::string& clockPort, double clockNs);

// Runs Yosys + OpenSTA. Throws std::runtime_error with the tool log path on tool failure.
using ProgressFn = std::function<void(const std::string&)>;
SynthResult runSynth(const SynthRequest& req, const ProgressFn& progress = {});

nlohmann::json toJson(const SynthResult& result);
std::string formatReport(const SynthResult& result);

// The built-in generic Liberty library (embedded at build time from synth/lib/).
std::string_view genericLiberty();

}  // namespace ftaccel::flow
