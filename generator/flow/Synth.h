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

#include "config/Config.h"

namespace ftaccel::flow {

// One module of a generated IP package. `file` is relative to the package root
// (always "rtl/<name>.sv"); `children` counts direct sub-module instances by module name.
struct SynthModule {
  std::string name;
  std::string file;
  std::map<std::string, int> children;
};

// The global pipeline enable: `sourcePort` of `sourceModule` drives `sinkPort` of every module in
// `sinkModules` (leaves), whatever lies between them is wiring. Per-module STA cannot see its
// fan-out, so the flow models it (flow/synth/EnableNet.h).
struct EnableNetSpec {
  std::string sourceModule;
  std::string sourcePort;
  std::string sinkPort;
  std::vector<std::string> sinkModules;
};

struct SynthRequest {
  std::filesystem::path ipDir;       // package root holding rtl/*.sv
  std::vector<SynthModule> modules;  // every module of the IP, leaves first
  std::string top;                   // top module name
  std::optional<std::filesystem::path> liberty;  // .lib or .lib.gz; empty = built-in generic tech
  double clockNs = 5.0;
  config::SynthGoal goal = config::SynthGoal::Timing;  // ABC: delay target from clockNs, or area
  bool flat = false;                 // also synthesize the flattened top (cross-check)
  std::optional<EnableNetSpec> enableNet;  // model the enable's fan-out when set
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

// The enable net as one path: launch at the source, a fan-out-4 buffer tree to every enable pin
// of the IP, and the slowest sink's logic to its flops (flow/synth/EnableNet.h).
struct EnablePathEstimate {
  long pins = 0;             // load pins of the enable over the whole IP
  int stages = 0;            // buffer stages of the modeled tree
  std::string bufferCell;
  double stageNs = 0;        // one fan-out-4 stage of bufferCell (OpenSTA)
  std::string sourceModule;
  double sourceNs = 0;       // arrival at the source port
  std::string sinkModule;
  double sinkNs = 0;         // sink port to flop, setup included
  double arrivalNs = 0;      // source + stages * stage + sink
  double slackNs = 0;
};

struct SynthResult {
  std::string technology;    // "ftaccel generic" or the Liberty library name
  std::string areaUnit;      // "um^2" for real libraries, "NAND2-eq" style for generic
  double clockNs = 0;
  config::SynthGoal goal = config::SynthGoal::Timing;
  std::vector<ModuleSynthResult> modules;  // same order as the request
  double totalArea = 0;                    // hierarchical sum for the top
  double totalPowerW = 0;                  // same roll-up of leaf power
  std::optional<double> flatArea;          // when request.flat
  double criticalPathNs = 0;               // worst over modules
  double worstSlackNs = 0;
  std::string criticalModule;             // a module name, or kEnableNetName
  std::optional<EnablePathEstimate> enablePath;
  double runtimeSeconds = 0;
};

// criticalModule when the modeled enable path is the worst.
inline constexpr const char* kEnableNetName = "enable net (model)";

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
