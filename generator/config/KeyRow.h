// One row per configuration key: the same table drives parsing, range checks, the canonical
// TOML (and so the hash), JSON, the regenerate command and the derived IP name.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ftaccel::config {

struct Config;

enum class Kind { Int, Float, String, Bool };

// A key's value as read from TOML or --set, after its type check.
using Value = std::variant<int64_t, double, std::string, bool>;

struct KeyRow {
  std::string_view path;                   // dotted key, e.g. "protect.bypass"
  Kind kind = Kind::Bool;
  double min = 0, max = 0;                 // range (Int, Float); max length (String)
  std::vector<std::string_view> choices;   // String: allowed values; empty = free text
  std::function<Value(const Config&)> get; // resolved value (canonical TOML, JSON, regenerate)
  std::function<void(Config&, const Value&)> set;
  // Appended to the derived IP name when it returns non-empty (e.g. "_byp").
  std::function<std::string(const Config&)> nameSuffix = nullptr;
  // True when the regenerate command must name the key (default: value differs from the default).
  std::function<bool(const Config& cfg, const Config& def)> inRegenerate = nullptr;
  // Checked once every key is known: a message when the value cannot work with the rest of
  // the configuration (e.g. a protection mode a dataflow cannot support); reported at the key.
  std::function<std::string(const Config&)> check = nullptr;
  // Left out of the canonical TOML (so the hash) and the JSON echo while the value equals the
  // default: a unit's key added later leaves every existing IP's banners and manifest alone.
  bool omitAtDefault = false;
};

// All keys: the core keys, then every protection unit's (protect::registry()), then ip.name and
// synth.* last. Sorted by path for the canonical TOML; this order for the regenerate command.
const std::vector<KeyRow>& keyTable();
const KeyRow* findKey(std::string_view path);

// Value as TOML text ("true", "16", "\"ws\"") and as --set text (strings unquoted).
std::string tomlText(const Value& v);
std::string setText(const Value& v);

}  // namespace ftaccel::config
