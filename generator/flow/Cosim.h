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

namespace ftaccel::flow {

struct CosimOptions {
  long vectors = 256;
  long batch = 64;
  uint64_t seed = 1;
  std::string pattern = "random";
  double inValidProb = 1.0;
  double outReadyProb = 1.0;
  double wloadValidProb = 1.0;
  std::string bypass = "none";  // see flow/BypassMask.h: none, random:P, row:R, col:C, pe:R,C, file:PATH
  // Permanent PE faults (needs a model built with fault ports), joined by '+':
  // s0:R,C,BIT | s1:R,C,BIT (stuck-at on the MAC result) | rnd:R,C (random-output PE) |
  // rndrow:R | rndcol:C. With bypassFaulty the bypass mask is exactly the faulty PEs.
  std::string peFaults = "none";
  bool bypassFaulty = false;
  // Full product B x CI times CI x CO tiled onto the array (eq. 10.3) with a diagonal shift;
  // empty = independent random batches.
  std::string matmul;
  int shift = 0;
  bool noSwap = false;  // negative test: the host never switches to the loaded weights
};

struct CosimModel {
  int rows = 0;
  int cols = 0;
  bool bypass = false;               // the IP has bypass logic
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

CosimResult runCosim(const CosimModel& model, const CosimOptions& options);

}  // namespace ftaccel::flow
