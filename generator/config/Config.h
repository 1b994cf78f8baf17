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

// How the array wires PE to PE (units/GridNets): per-PE nets (fast in event-driven simulators),
// flat lane vectors (fast in Yosys 0.23 at large sizes) or row modules (WS/IS: per-PE nets inside
// a `_row` module, rows wired by row vectors; linear in Verilator and Yosys); "auto" picks by size.
enum class GridNetForm { Auto, PerPe, Flat, Rows };
std::string_view toString(GridNetForm f);

// The PE kind (SPEC §7, dissertation Fig. 12.6): a dense MAC or one of the flow-controlling
// MACs of complementary sparsity, which select one of GroupL activations (shortened), update one
// of GroupK partial sums (superposition) or both (twodim).
enum class PeKind { Dense, Shortened, Superposition, TwoDim };
std::string_view toString(PeKind k);

// What the Liberty mapping optimizes: area (plain ABC) or delay against the clock target.
enum class SynthGoal { Area, Timing };
std::string_view toString(SynthGoal g);

struct IpConfig {
  std::string name;  // resolved module-name prefix (never empty after loading)
  bool nameDerived = true;
};

struct ArrayConfig {
  int rows = 8;
  int cols = 8;
  Dataflow dataflow = Dataflow::WS;
  int maxK = 256;  // OS only: longest reduction (tile length) the accumulators are sized for
  GridNetForm nets = GridNetForm::Auto;
  PeKind pe = PeKind::Dense;
  int groupL = 1;  // activations per row and cycle (shortened, twodim)
  int groupK = 1;  // partial sums per column (superposition, twodim)
};

// Above this many PEs "auto" wires a WS/IS array with row modules and an OS array with flat
// lane vectors: Yosys 0.23 elaborates per-PE hierarchical names superlinearly (64x64: 10 s,
// 96x96: 58 s, 128x128: 182 s of CPU), and so does Verilator 5.006 the one big array module.
constexpr int kPerPeNetsMaxPes = 64 * 64;

// The form this configuration's array is built in (never Auto).
GridNetForm gridNetForm(const ArrayConfig& array);
// Whether the array of this configuration uses flat lane vectors.
inline bool flatGridNets(const ArrayConfig& array) { return gridNetForm(array) == GridNetForm::Flat; }

// ceil(log2(n)): index bits that select one of n (0 for n = 1).
int selectBits(int n);
// Index bits a PE stores beside its weight: ceil(log2 l) + ceil(log2 k).
int peIndexBits(const ArrayConfig& a);

struct DataConfig {
  int bits = 8;
  int accBits = 19;            // resolved accumulator width
  bool accBitsExplicit = false;
};

// Opportunistic weight parity (SPEC §8, protect/parity/): words of wordWeights weights.
struct WeightParityConfig {
  bool enable = false;
  int wordWeights = 8;
  std::string flip = "largest";  // host-side packing rule: "largest" or "last"
};

// Anomalous feature detection and suppression (SPEC §5): hardware gate count (with 2 the count
// is selected at run time), suppression mode, largest run-time shift.
struct AfdConfig {
  bool enable = false;
  int gates = 2;
  bool clip = false;  // mode "clip" (else "drop")
  int sMax = 3;
};

// Median feature selection (SPEC §6).
struct MedianConfig {
  bool enable = false;
  int window = 3;
  bool optimized = true;  // impl "optimized" (Fig. 8.12) or "naive" (Fig. 8.10)
};

enum class SanityCheck { Off, Spatial, Temporal, Both };

struct ProtectConfig {
  bool bypass = false;  // per-PE bypass of faulty PEs (SPEC §3)
  SanityCheck sanityCheck = SanityCheck::Off;  // algorithmic checksums (SPEC §4)
  int sanityResidueBits = 0;                   // 0 = exact sums, else modulo 2^r - 1
  int sanityMaxBatch = 64;                     // temporal checksum: largest batch N (register range 1..this)
  WeightParityConfig weightParity;
  AfdConfig afd;
  MedianConfig median;
};

struct SynthConfig {
  double clockNs = 5.0;
  SynthGoal goal = SynthGoal::Timing;
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
