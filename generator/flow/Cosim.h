// Builds (once per configuration, cached) and runs the Verilator co-simulation of an IP.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "contract/SimOptionsJson.h"
#include "contract/SimReportJson.h"

namespace ftaccel::flow {

// What `ftaccel sim` asks for: the harness contract (contract::SimOptions) plus the user's
// specifications that runCosim parses and range-checks into it.
struct CosimOptions : contract::SimOptions {
  std::string bypass = "none";    // protect/bypass/BypassMask.h: none, random:P, row:R, col:C, pe:R,C, file:PATH
  std::string peFaults = "none";  // flow/PeFaultSpec.h: s0:R,C,BIT, s1:R,C,BIT, rnd:R,C, rndrow:R, rndcol:C
  std::string matmul;             // B,CI,CO; empty = independent random batches
};

struct CosimModel {
  int rows = 0;
  int cols = 0;
  int accBits = 0;
  int maxK = 0;
  config::Dataflow dataflow = config::Dataflow::WS;
  bool bypass = false;               // the IP has bypass logic
  bool weightParity = false;  // protect.weight_parity: the harness packs the weights it loads
  bool inputFilters = false;  // an enabled unit filters the streamed vectors (AFD, median)
  int afdGates = 0;           // protect.afd: built gate count (0: no AFD)
  int afdShiftMax = 0;        // protect.afd: largest value of afd_shift_i (its port width)
  bool faultPorts = false;           // simulation variant with per-PE fault ports
  bool sparsePe = false;             // array.pe is a flow-controlling PE (packed weights)
  int sanityMaxBatch = 0;            // temporal Sanity-Check: largest batch register value (0: none)
  std::filesystem::path dir;         // cache entry
  std::filesystem::path executable;
  bool reused = false;               // found in the cache
  double buildSeconds = 0;
};

struct CosimResult {
  nlohmann::json report;  // what the harness printed, plus wall time
  int exitCode = 0;
  bool passed() const { return exitCode == 0; }
};

// Where models are cached: $FTACCEL_CACHE_DIR, else $XDG_CACHE_HOME/ftaccel, else ~/.cache/ftaccel.
std::filesystem::path cacheRoot();

using LogFn = std::function<void(const std::string&)>;

// The shape fields of the model of a configuration (no dir, nothing built): enough for
// harnessOptions to check a request before anything is verilated.
CosimModel modelShape(const config::Config& cfg, bool faultPorts);
// Everything a co-simulation model is built from, before anything is written.
struct CosimSources {
  std::string top;
  std::string key;                            // cache entry name: top + hash of all inputs
  std::map<std::string, std::string> files;   // relative path -> text (ip/rtl/, tb/)
  std::vector<std::string> verilatorArgs;     // lint/assert flags, --top-module and the RTL
};
CosimSources cosimSources(const config::Config& cfg, bool faultPorts = false,
                          bool timingPorts = false);

// Generates the RTL and the harness into the cache and verilates them, unless an entry for the
// same configuration, generator version and harness already exists. Safe to call concurrently
// from several processes (file lock per entry). Throws std::runtime_error on build failure.
CosimModel buildCosimModel(const config::Config& cfg, const LogFn& log = {},
                           bool faultPorts = false, bool timingPorts = false);

// Parses the specifications (throws diag::DiagnosticError naming the flag), writes the harness
// options as one JSON file into a fresh temporary directory and runs `cosim run --options FILE`.
CosimResult runCosim(const CosimModel& model, const CosimOptions& options);

// The harness options of a request (also what runCosim hands over); throws like runCosim.
contract::SimOptions harnessOptions(const CosimModel& model, const CosimOptions& options);


}  // namespace ftaccel::flow
