// Loading and validating ftaccel configurations (toml++), with diagnostics that name the key.
#include "config/Config.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "diag/Diagnostics.h"
#include "config/KeyRow.h"
#include "ir/SvNames.h"

namespace ftaccel::embedded {
extern const std::string_view kDefaultConfigToml;
}

namespace ftaccel::config {

using diag::DiagnosticBag;
using diag::Location;

std::string_view toString(Dataflow d) {
  switch (d) {
    case Dataflow::WS: return "ws";
    case Dataflow::IS: return "is";
    case Dataflow::OS: return "os";
  }
  return "?";
}

std::string_view toString(GridNetForm f) {
  switch (f) {
    case GridNetForm::Auto: return "auto";
    case GridNetForm::PerPe: return "per_pe";
    case GridNetForm::Flat: return "flat";
    case GridNetForm::Rows: return "rows";
  }
  return "?";
}

GridNetForm gridNetForm(const ArrayConfig& array) {
  if (array.nets != GridNetForm::Auto) return array.nets;
  if (array.rows * array.cols <= kPerPeNetsMaxPes) return GridNetForm::PerPe;
  return array.dataflow == Dataflow::OS ? GridNetForm::Flat : GridNetForm::Rows;
}

std::string_view toString(SynthGoal g) { return g == SynthGoal::Area ? "area" : "timing"; }

int selectBits(int n) {
  int b = 0;
  while ((1 << b) < n) ++b;
  return b;
}

int peIndexBits(const ArrayConfig& a) { return selectBits(a.groupL) + selectBits(a.groupK); }

int reductionLength(const Config& cfg) {
  return cfg.array.dataflow == Dataflow::OS ? cfg.array.maxK : cfg.array.rows;
}

std::string_view defaultConfigToml() { return embedded::kDefaultConfigToml; }

int minAccBits(int bits, int rows) {
  // Largest magnitude sum: rows * (-2^(bits-1))^2 = rows * 2^(2*bits-2), which is positive and
  // must satisfy value <= 2^(w-1) - 1; the most negative sum is smaller in magnitude.
  int log2Floor = 0;
  while ((2 << log2Floor) <= rows) ++log2Floor;
  return 2 * bits + log2Floor;
}

namespace {

// toml++ 3.3.0 (Debian 12) reaches __builtin_unreachable when it classifies some non-ASCII
// characters (e.g. U+00C7 in a table name: is_non_ascii_horizontal_whitespace), which is
// undefined behaviour in release builds (found by `make sanitize`). No value of ours may be
// non-ASCII, so every well-formed non-ASCII UTF-8 sequence becomes one '?' before parsing: one
// character for one, so lines and columns stay right, and comments lose nothing that matters.
std::string asciiForToml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t len = b >= 0xF0 && b < 0xF5 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
    bool wellFormed = b >= 0x80 && len > 1 && i + len <= text.size();
    for (size_t k = 1; wellFormed && k < len; ++k)
      wellFormed = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (wellFormed) {
      out += '?';
      i += len;
    } else {
      out += text[i++];  // ASCII, or a malformed byte that toml++ reports itself
    }
  }
  return out;
}

std::string kindName(Kind k) {
  switch (k) {
    case Kind::Int: return "an integer";
    case Kind::Float: return "a number";
    case Kind::String: return "a string";
    case Kind::Bool: return "true or false";
  }
  return "?";
}

std::string knownKeys() {
  std::string out;
  for (const auto& s : keyTable()) out += fmt::format("{}{}", out.empty() ? "" : ", ", s.path);
  return out;
}

Location locationOf(const toml::node& node, std::string_view fallbackFile) {
  const auto& src = node.source();
  Location loc;
  loc.file = src.path ? std::string(*src.path) : std::string(fallbackFile);
  loc.line = static_cast<int>(src.begin.line);
  loc.column = static_cast<int>(src.begin.column);
  return loc;
}

// A value read from TOML, tagged with where it came from.
struct RawValue {
  const toml::node* node;
  Location loc;
};

// Walks the table and records each leaf by dotted path; reports unknown keys.
void collectLeaves(const toml::table& table, const std::string& prefix, std::string_view file,
                   std::map<std::string, RawValue>& out, DiagnosticBag& diags) {
  for (const auto& [key, node] : table) {
    std::string path = prefix.empty() ? std::string(key.str())
                                      : fmt::format("{}.{}", prefix, key.str());
    if (const auto* sub = node.as_table()) {
      bool isSection = std::any_of(keyTable().begin(), keyTable().end(), [&](const KeyRow& s) {
        return s.path.substr(0, path.size() + 1) == path + ".";
      });
      if (!isSection) {
        diags.error("config.unknown-key", locationOf(node, file),
                    fmt::format("unknown section '[{}]'; known keys: {}", path, knownKeys()));
        continue;
      }
      collectLeaves(*sub, path, file, out, diags);
      continue;
    }
    if (!findKey(path)) {
      diags.error("config.unknown-key", locationOf(node, file),
                  fmt::format("unknown key '{}'; known keys: {}", path, knownKeys()));
      continue;
    }
    out[path] = RawValue{&node, locationOf(node, file)};
  }
}

// A TOML document plus the --set overrides, flattened to dotted keys.
struct Sources {
  toml::table document;
  std::vector<toml::table> overrideTables;  // keep nodes alive
  std::map<std::string, RawValue> leaves;
};

void applyOverride(const std::string& text, Sources& src, DiagnosticBag& diags) {
  Location loc{"--set " + text, 0, 0};
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    diags.error("config.bad-override", loc, "expected --set key=value (e.g. --set array.rows=16)");
    return;
  }
  std::string key = text.substr(0, eq);
  std::string value = text.substr(eq + 1);
  key.erase(key.find_last_not_of(" \t") + 1);
  if (!findKey(key)) {
    diags.error("config.unknown-key", loc,
                fmt::format("unknown key '{}'; known keys: {}", key, knownKeys()));
    return;
  }
  toml::table parsed;
  try {
    parsed = toml::parse(asciiForToml("v = " + value), std::string_view("--set"));
  } catch (const toml::parse_error&) {
    // Bare words such as `--set array.dataflow=ws` are taken as strings.
    parsed = toml::table{{"v", value}};
  }
  src.overrideTables.push_back(std::move(parsed));
  src.leaves[key] = RawValue{src.overrideTables.back().get("v"), loc};
}

std::string describe(const toml::node& node) {
  std::ostringstream os;
  node.visit([&](auto&& v) { os << v; });
  if (node.is_string()) return fmt::format("\"{}\"", os.str());
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  return os.str();
}

// Checks type and range of every given key and stores it into `cfg` through its table row.
void applyLeaves(const Sources& src, Config& cfg, DiagnosticBag& diags,
                 std::optional<std::pair<int, Location>>& accBits) {
  for (const auto& [path, raw] : src.leaves) {
    const KeyRow& spec = *findKey(path);
    const toml::node& node = *raw.node;
    auto rangeError = [&](const std::string& shown) {
      diags.error("config.out-of-range", raw.loc,
                  fmt::format("'{}' = {} is out of range; allowed: {}..{}", path, shown,
                              spec.min, spec.max));
    };
    auto typeError = [&]() {
      diags.error("config.wrong-type", raw.loc,
                  fmt::format("'{}' must be {}, got {}", path, kindName(spec.kind),
                              describe(node)));
    };
    std::optional<Value> value;
    switch (spec.kind) {
      case Kind::Int: {
        auto v = node.value_exact<int64_t>();
        if (!v) { typeError(); break; }
        if (*v < spec.min || *v > spec.max) { rangeError(std::to_string(*v)); break; }
        value = *v;
        break;
      }
      case Kind::Float: {
        std::optional<double> v;
        if (node.is_integer()) v = static_cast<double>(*node.value<int64_t>());
        else if (node.is_floating_point()) v = node.value<double>();
        if (!v) { typeError(); break; }
        if (*v < spec.min || *v > spec.max) { rangeError(fmt::format("{}", *v)); break; }
        value = *v;
        break;
      }
      case Kind::Bool: {
        auto v = node.value_exact<bool>();
        if (!v) { typeError(); break; }
        value = *v;
        break;
      }
      case Kind::String: {
        auto v = node.value_exact<std::string>();
        if (!v) { typeError(); break; }
        if (!spec.choices.empty() &&
            std::find(spec.choices.begin(), spec.choices.end(), *v) == spec.choices.end()) {
          std::string allowed;
          for (auto c : spec.choices) allowed += fmt::format("{}\"{}\"", allowed.empty() ? "" : ", ", c);
          diags.error("config.bad-choice", raw.loc,
                      fmt::format("'{}' = \"{}\" is not allowed; allowed: {}", path, *v, allowed));
          break;
        }
        if (path == "ip.name") {
          static const std::regex namePattern("[a-z][a-z0-9_]*");
          if (!v->empty() && (v->size() > 48 || !std::regex_match(*v, namePattern))) {
            diags.error("config.bad-name", raw.loc,
                        fmt::format("'ip.name' = \"{}\" must be empty or match [a-z][a-z0-9_]* "
                                    "with at most 48 characters", *v));
            break;
          }
          if (ir::isSvKeyword(*v)) {
            diags.error("config.bad-name", raw.loc,
                        fmt::format("'ip.name' = \"{}\" is a reserved SystemVerilog keyword "
                                    "(IEEE 1800-2017 Annex B); choose another name", *v));
            break;
          }
        }
        value = *v;
        break;
      }
    }
    if (!value) continue;
    // The accumulator width is checked against the minimum once all keys are known.
    if (path == "data.acc_bits") accBits = std::make_pair(static_cast<int>(std::get<int64_t>(*value)), raw.loc);
    else spec.set(cfg, *value);
  }
}

Config resolve(Sources& src, std::string_view sourceName, const std::vector<std::string>& overrides,
               DiagnosticBag& diags) {
  collectLeaves(src.document, "", sourceName, src.leaves, diags);
  for (const auto& o : overrides) applyOverride(o, src, diags);

  Config cfg;
  std::optional<std::pair<int, Location>> accBits;
  applyLeaves(src, cfg, diags, accBits);

  int minAcc = minAccBits(cfg.data.bits, reductionLength(cfg));
  cfg.data.accBits = minAcc;
  if (accBits) {
    if (accBits->first < minAcc) {
      diags.error("config.acc-too-narrow", accBits->second,
                  fmt::format("'data.acc_bits' = {} is too narrow: sums of {} {}-bit products ({}) "
                              "need at least {} bits to stay exact; allowed: {}..96",
                              accBits->first, reductionLength(cfg), cfg.data.bits,
                              cfg.array.dataflow == Dataflow::OS ? "array.max_k" : "array.rows",
                              minAcc, minAcc));
    } else {
      cfg.data.accBits = accBits->first;
      cfg.data.accBitsExplicit = true;
    }
  }
  // Checks of given keys that need the whole configuration (protection units' rows).
  for (const auto& [path, raw] : src.leaves)
    if (const KeyRow* row = findKey(path); row && row->check)
      if (const std::string why = row->check(cfg); !why.empty()) diags.error("config.not-applicable", raw.loc, why);
  if (cfg.ip.name.empty()) {
    cfg.ip.name = derivedName(cfg);
    cfg.ip.nameDerived = true;
  }
  if (diags.hasErrors()) throw diag::DiagnosticError(diags);
  return cfg;
}

}  // namespace

Config loadConfigText(std::string_view text, std::string_view sourceName,
                      const std::vector<std::string>& overrides) {
  DiagnosticBag diags;
  Sources src;
  try {
    src.document = toml::parse(asciiForToml(text), sourceName);
  } catch (const toml::parse_error& err) {
    Location loc{std::string(sourceName), static_cast<int>(err.source().begin.line),
                 static_cast<int>(err.source().begin.column)};
    diags.error("config.malformed", loc, fmt::format("malformed TOML: {}", err.description()));
    throw diag::DiagnosticError(diags);
  }
  return resolve(src, sourceName, overrides, diags);
}

Config loadConfig(const std::optional<std::filesystem::path>& file,
                  const std::vector<std::string>& overrides) {
  if (!file) return loadConfigText(defaultConfigToml(), "<default>", overrides);
  std::ifstream in(*file, std::ios::binary);
  if (!in) {
    DiagnosticBag diags;
    diags.error("config.unreadable", Location{file->string(), 0, 0},
                "cannot open the configuration file");
    throw diag::DiagnosticError(diags);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return loadConfigText(buffer.str(), file->string(), overrides);
}

std::string derivedName(const Config& cfg) {
  std::string name = fmt::format("ftaccel_{}{}x{}_d{}", toString(cfg.array.dataflow), cfg.array.rows,
                                 cfg.array.cols, cfg.data.bits);
  for (const KeyRow& r : keyTable())
    if (r.nameSuffix) name += r.nameSuffix(cfg);
  return name;
}

std::string Config::canonicalToml() const {
  std::vector<std::string> lines;
  for (const KeyRow& r : keyTable())
    if ((!r.inCanonical || r.inCanonical(*this)) && (!r.present || r.present(*this)))
      lines.push_back(fmt::format("{} = {}\n", r.path, tomlText(r.get(*this))));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

std::string Config::hash() const {
  uint64_t h = 1469598103934665603ull;
  std::string text = canonicalToml() + "version=" FTACCEL_VERSION;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

nlohmann::json Config::toJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const KeyRow& r : keyTable()) {
    if (r.present && !r.present(*this)) continue;
    // protect.weight_parity.enable -> {"protect": {"weight_parity": {"enable": ...}}}
    std::string pointer(r.path);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    std::visit([&](const auto& v) { out[nlohmann::json::json_pointer("/" + pointer)] = v; }, r.get(*this));
  }
  out["data"]["acc_bits_explicit"] = data.accBitsExplicit;
  return out;
}

}  // namespace ftaccel::config
