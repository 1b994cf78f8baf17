// Typed, validated configuration of one generated IP, loaded from TOML plus --set overrides.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ftaccel::config {

enum class Dataflow { WS, IS, OS };
std::string_view toString(Dataflow d);

struct IpConfig {
  std::string name;  // resolved module-name prefix (never empty after loading)
  bool nameDerived = true;
};

struct ArrayConfig {
  int rows = 8;
  int cols = 8;
  Dataflow dataflow = Dataflow::WS;
  int maxK = 256;  // OS only: longest reduction (tile length) the accumulators are sized for
};

struct DataConfig {
  int bits = 8;
  int accBits = 19;            // resolved accumulator width
  bool accBitsExplicit = false;
};

enum class SanityCheck { Off, Spatial, Temporal, Both };

struct ProtectConfig {
  bool bypass = false;  // per-PE bypass of faulty PEs (SPEC §3)
  SanityCheck sanityCheck = SanityCheck::Off;  // algorithmic checksums (SPEC §4)
  int sanityResidueBits = 0;                   // 0 = exact sums, else modulo 2^r - 1
};

struct SynthConfig {
  double clockNs = 5.0;
};

struct Config {
  IpConfig ip;
  ArrayConfig array;
  DataConfig data;
  ProtectConfig protect;
  SynthConfig synth;

  // Canonical "key = value" text of every resolved key, sorted; the hash is taken over it.
  std::string canonicalToml() const;
  // 16 hex digits (FNV-1a 64) of canonicalToml() plus the generator version.
  std::string hash() const;
  nlohmann::json toJson() const;
};

// The smallest signed width that holds any sum of `rows` products of two `bits`-bit numbers.
int minAccBits(int bits, int rows);

// The number of products one accumulator sums: the column length (WS/IS) or max_k (OS).
int reductionLength(const Config& cfg);

// The IP name derived from the configuration (used when ip.name is empty): dataflow, size and
// width, then every key's name suffix in table order (e.g. "_byp").
std::string derivedName(const Config& cfg);

// The embedded default TOML text, documented key by key.
std::string_view defaultConfigToml();

// Loads `file` (or the embedded default when empty), applies `--set key=value` overrides and
// validates everything. Throws diag::DiagnosticError listing every problem found.
Config loadConfig(const std::optional<std::filesystem::path>& file,
                  const std::vector<std::string>& overrides = {});

// Same, from TOML text (tests); `sourceName` is used in diagnostics.
Config loadConfigText(std::string_view text, std::string_view sourceName,
                      const std::vector<std::string>& overrides = {});

}  // namespace ftaccel::config
