// Key rows of the PE kind (array.pe, array.group_l, array.group_k; SPEC §7) and their checks.
#include "config/PeKeys.h"

#include <fmt/format.h>

#include "config/Config.h"
#include "protect/ProtectionUnit.h"

namespace ftaccel::config {

namespace {

KeyRow intRow(std::string_view path, std::function<int&(Config&)> field) {
  KeyRow r;
  r.path = path;
  r.kind = Kind::Int;
  r.min = 1;
  r.max = 256;
  r.get = [field](const Config& c) {
    Config copy = c;  // the accessor returns a reference into a mutable Config
    return Value{int64_t{field(copy)}};
  };
  r.set = [field](Config& c, const Value& v) { field(c) = static_cast<int>(std::get<int64_t>(v)); };
  return r;
}

bool usesL(PeKind k) { return k == PeKind::Shortened || k == PeKind::TwoDim; }
bool usesK(PeKind k) { return k == PeKind::Superposition || k == PeKind::TwoDim; }

// Why the PE kind cannot be built with the rest of the configuration ("" when it can).
std::string peCheck(const Config& c) {
  const PeKind k = c.array.pe;
  if (k == PeKind::Dense) return "";
  const std::string pe = fmt::format("'array.pe' = \"{}\"", toString(k));
  if (c.array.dataflow == Dataflow::OS)
    return pe + " does not apply to array.dataflow = \"os\": the index bits that steer the "
                "selection are stored beside a stationary weight, and os streams a new weight "
                "into every PE each cycle (no weight stays to hold them); allowed: array.dataflow = \"ws\"";
  if (c.array.dataflow == Dataflow::IS)
    return pe + " does not apply to array.dataflow = \"is\": is keeps the inputs stationary and "
                "streams the weights, so the index bits would travel with every streamed weight "
                "and select among stationary inputs, a different PE that is not built; allowed: "
                "array.dataflow = \"ws\"";
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(c))
    return fmt::format("{} cannot be combined with the protection unit '{}': the units are built "
                       "for the dense PE (one activation lane per row, one partial sum per column, "
                       "a weight without index bits); disable it or use array.pe = \"dense\"",
                       pe, unit->name());
  if (usesL(k) && c.array.groupL < 2)
    return pe + " needs 'array.group_l' >= 2 (activations each PE selects from)";
  if (usesK(k) && c.array.groupK < 2)
    return pe + " needs 'array.group_k' >= 2 (partial sums each column carries)";
  return "";
}

std::string groupCheck(const Config& c, std::string_view key, int value, bool used) {
  if (value != 1 && !used)
    return fmt::format("'{}' = {} does not apply to array.pe = \"{}\"; it applies to {}", key, value,
                       toString(c.array.pe),
                       key == "array.group_l" ? "\"shortened\" and \"twodim\"" : "\"superposition\" and \"twodim\"");
  if ((value & (value - 1)) != 0)
    return fmt::format("'{}' = {} is not a power of two: the PE stores ceil(log2 g) index bits and "
                       "every index value must name a multiplexer input; allowed: 1, 2, 4, ..., 256",
                       key, value);
  return "";
}

}  // namespace

std::string_view toString(PeKind k) {
  switch (k) {
    case PeKind::Dense: return "dense";
    case PeKind::Shortened: return "shortened";
    case PeKind::Superposition: return "superposition";
    case PeKind::TwoDim: return "twodim";
  }
  return "?";
}

std::vector<KeyRow> peKeyRows() {
  std::vector<KeyRow> t;
  KeyRow pe;
  pe.path = "array.pe";
  pe.kind = Kind::String;
  pe.choices = {"dense", "shortened", "superposition", "twodim"};
  pe.get = [](const Config& c) { return Value{std::string(toString(c.array.pe))}; };
  pe.set = [](Config& c, const Value& v) {
    const auto& s = std::get<std::string>(v);
    c.array.pe = s == "shortened"       ? PeKind::Shortened
                 : s == "superposition" ? PeKind::Superposition
                 : s == "twodim"        ? PeKind::TwoDim
                                        : PeKind::Dense;
  };
  // Dense IPs keep the canonical TOML (hash), JSON and name they had before the key.
  pe.present = [](const Config& c) { return c.array.pe != PeKind::Dense; };
  pe.nameSuffix = [](const Config& c) -> std::string {
    switch (c.array.pe) {
      case PeKind::Dense: return "";
      case PeKind::Shortened: return fmt::format("_sh{}", c.array.groupL);
      case PeKind::Superposition: return fmt::format("_sp{}", c.array.groupK);
      case PeKind::TwoDim: return fmt::format("_td{}x{}", c.array.groupL, c.array.groupK);
    }
    return "";
  };
  pe.check = peCheck;
  t.push_back(pe);
  KeyRow l = intRow("array.group_l", [](Config& c) -> int& { return c.array.groupL; });
  l.present = [](const Config& c) { return c.array.groupL != 1; };
  l.check = [](const Config& c) { return groupCheck(c, "array.group_l", c.array.groupL, usesL(c.array.pe)); };
  t.push_back(l);
  KeyRow k = intRow("array.group_k", [](Config& c) -> int& { return c.array.groupK; });
  k.present = [](const Config& c) { return c.array.groupK != 1; };
  k.check = [](const Config& c) { return groupCheck(c, "array.group_k", c.array.groupK, usesK(c.array.pe)); };
  t.push_back(k);
  return t;
}

}  // namespace ftaccel::config
