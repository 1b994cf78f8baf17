// Synthesis of a whole configuration (package + Yosys/OpenSTA) and protection overhead tables.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "flow/Synth.h"

namespace ftaccel::flow {

struct IpSynthOptions {
  std::optional<std::filesystem::path> liberty;  // empty = built-in generic library
  int jobs = 2;
  bool flat = false;
  std::filesystem::path workDir;  // empty = a temporary directory, removed afterwards
};

// Renders the package of `cfg` into the work directory and runs the synthesis flow on it.
SynthResult synthesizeIp(const config::Config& cfg, const IpSynthOptions& options,
                         const ProgressFn& progress = {});

// One protection compared with the same IP without it.
struct OverheadEntry {
  std::string protection;   // e.g. "bypass"
  double peBase = 0, peProtected = 0;        // one PE
  double arrayBase = 0, arrayProtected = 0;  // the PE grid
  double ipBase = 0, ipProtected = 0;        // the whole IP
  double pathBase = 0, pathProtected = 0;    // worst PE path (ns)
  double pePowerBase = 0, pePowerProtected = 0;  // one PE (W), 0 without power data
  double ipPowerBase = 0, ipPowerProtected = 0;  // the whole IP (W)
  double ipPathBase = 0, ipPathProtected = 0;    // worst path over all modules (ns)
  std::string reference;    // the dissertation's figure for comparison, labelled as such
  // Flow-controlling PE kinds (array.pe): dense-equivalent MACs of one PE per cycle (l*k); the
  // ops per area (power) gain is group * base / protected. 0 for protection units.
  int group = 0;
};

// Configurations to compare with `cfg`: one per enabled protection, with it switched off, and
// for a flow-controlling PE (array.pe) the dense IP of the same size, named after the PE kind.
std::vector<std::pair<std::string, config::Config>> baselinesFor(const config::Config& cfg);

OverheadEntry overheadOf(const std::string& protection, const config::Config& cfg,
                         const SynthResult& base, const SynthResult& prot);
std::string formatOverhead(const std::vector<OverheadEntry>& entries, const std::string& unit);
nlohmann::json toJson(const OverheadEntry& entry);
// The same plus the ops/area and ops/power gain of a flow-controlling PE (group > 0).
nlohmann::json toJsonWithGain(const OverheadEntry& entry);
// "shortened-8", "superposition-16", "twodim-4x4": the baseline name of a flow-controlling PE.
std::string peKindName(const config::Config& cfg);

}  // namespace ftaccel::flow
