// The table of configuration keys: core keys here, protection-unit keys from their units.
#include "config/KeyRow.h"

#include <algorithm>

#include <fmt/format.h>

#include "config/Config.h"
#include "config/PeKeys.h"
#include "protect/ProtectionUnit.h"

namespace ftaccel::config {

namespace {


template <typename Get, typename Set>
KeyRow row(std::string_view path, Kind kind, double min, double max, Get get, Set set,
           std::vector<std::string_view> choices = {}) {
  KeyRow r;
  r.path = path;
  r.kind = kind;
  r.min = min;
  r.max = max;
  r.choices = std::move(choices);
  r.get = get;
  r.set = set;
  return r;
}

std::vector<KeyRow> buildTable() {
  std::vector<KeyRow> t;
  auto i64 = [](const Value& v) { return static_cast<int>(std::get<int64_t>(v)); };
  t.push_back(row("array.rows", Kind::Int, 1, 256,
                  [](const Config& c) { return Value{int64_t{c.array.rows}}; },
                  [=](Config& c, const Value& v) { c.array.rows = i64(v); }));
  t.push_back(row("array.cols", Kind::Int, 1, 256,
                  [](const Config& c) { return Value{int64_t{c.array.cols}}; },
                  [=](Config& c, const Value& v) { c.array.cols = i64(v); }));
  t.push_back(row(
      "array.dataflow", Kind::String, 0, 0,
      [](const Config& c) { return Value{std::string(toString(c.array.dataflow))}; },
      [](Config& c, const Value& v) {
        const auto& s = std::get<std::string>(v);
        c.array.dataflow = s == "ws" ? Dataflow::WS : s == "is" ? Dataflow::IS : Dataflow::OS;
      },
      {"ws", "is", "os"}));
  t.push_back(row("array.max_k", Kind::Int, 1, 65536,
                  [](const Config& c) { return Value{int64_t{c.array.maxK}}; },
                  [=](Config& c, const Value& v) { c.array.maxK = i64(v); }));
  KeyRow nets = row(
      "array.nets", Kind::String, 0, 0,
      [](const Config& c) { return Value{std::string(toString(c.array.nets))}; },
      [](Config& c, const Value& v) {
        const auto& s = std::get<std::string>(v);
        c.array.nets = s == "flat"     ? GridNetForm::Flat
                       : s == "per_pe" ? GridNetForm::PerPe
                       : s == "rows"   ? GridNetForm::Rows
                                       : GridNetForm::Auto;
      },
      {"auto", "per_pe", "flat", "rows"});
  // Added after the first release: "auto" stays out of the canonical TOML, so earlier hashes hold.
  nets.inCanonical = [](const Config& c) { return c.array.nets != GridNetForm::Auto; };
  nets.check = [](const Config& c) -> std::string {
    if (c.array.nets == GridNetForm::Rows && c.array.dataflow == Dataflow::OS)
      return "array.nets = \"rows\" is for ws and is arrays; an os array takes \"per_pe\" or \"flat\"";
    return "";
  };
  t.push_back(nets);
  for (KeyRow& r : peKeyRows()) t.push_back(std::move(r));
  t.push_back(row("data.bits", Kind::Int, 4, 32,
                  [](const Config& c) { return Value{int64_t{c.data.bits}}; },
                  [=](Config& c, const Value& v) { c.data.bits = i64(v); }));
  // The width is checked against the minimum once every key is known (Config.cpp).
  KeyRow acc = row("data.acc_bits", Kind::Int, 8, 96,
                   [](const Config& c) { return Value{int64_t{c.data.accBits}}; },
                   [=](Config& c, const Value& v) {
                     c.data.accBits = i64(v);
                     c.data.accBitsExplicit = true;
                   });
  acc.nameSuffix = [](const Config& c) {
    return c.data.accBitsExplicit ? fmt::format("a{}", c.data.accBits) : std::string();
  };
  acc.inRegenerate = [](const Config& c, const Config&) { return c.data.accBitsExplicit; };
  t.push_back(acc);
  for (const protect::ProtectionUnit* unit : protect::registry())
    for (KeyRow& r : unit->configKeys()) t.push_back(std::move(r));
  KeyRow name = row("ip.name", Kind::String, 0, 48,
                    [](const Config& c) { return Value{c.ip.name}; },
                    [](Config& c, const Value& v) {
                      c.ip.name = std::get<std::string>(v);
                      c.ip.nameDerived = c.ip.name.empty();
                    });
  name.inRegenerate = [](const Config& c, const Config&) { return !c.ip.nameDerived; };
  t.push_back(name);
  t.push_back(row("synth.clock_ns", Kind::Float, 0.05, 1000,
                  [](const Config& c) { return Value{c.synth.clockNs}; },
                  [](Config& c, const Value& v) { c.synth.clockNs = std::get<double>(v); }));
  // Only the synthesis scripts depend on the goal: at its default it stays out of the hash, so
  // the packages (RTL banners) of every configuration keep the hash they had before the key.
  KeyRow goal = row(
      "synth.goal", Kind::String, 0, 0,
      [](const Config& c) { return Value{std::string(toString(c.synth.goal))}; },
      [](Config& c, const Value& v) {
        c.synth.goal = std::get<std::string>(v) == "area" ? SynthGoal::Area : SynthGoal::Timing;
      },
      {"area", "timing"});
  goal.inCanonical = [](const Config& c) { return c.synth.goal != SynthConfig{}.goal; };
  t.push_back(goal);
  return t;
}

}  // namespace

const std::vector<KeyRow>& keyTable() {
  static const std::vector<KeyRow> table = buildTable();
  return table;
}

const KeyRow* findKey(std::string_view path) {
  for (const auto& r : keyTable())
    if (r.path == path) return &r;
  return nullptr;
}

std::string tomlText(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return "\"" + x + "\"";
        else return fmt::format("{}", x);
      },
      v);
}

std::string setText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  return tomlText(v);
}

}  // namespace ftaccel::config
