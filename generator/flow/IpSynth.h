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
};

// Configurations to compare with `cfg`: one per enabled protection, with it switched off.
std::vector<std::pair<std::string, config::Config>> baselinesFor(const config::Config& cfg);

OverheadEntry overheadOf(const std::string& protection, const config::Config& cfg,
                         const SynthResult& base, const SynthResult& prot);
std::string formatOverhead(const std::vector<OverheadEntry>& entries, const std::string& unit);
nlohmann::json toJson(const OverheadEntry& entry);

}  // namespace ftaccel::flow
