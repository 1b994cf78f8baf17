// Configuration loading: defaults, overrides, and every kind of bad input.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "golden/GoldenModel.h"

using namespace ftaccel;

namespace {

// Message text of the DiagnosticError thrown when loading `text` (empty if it loads).
std::string loadError(const std::string& text, std::vector<std::string> sets = {}) {
  return test::configError(sets, text, "cfg.toml");
}

// Smallest signed width holding every sum, found by search over the exact extremes.
int bruteForceAccBits(int bits, int rows) {
  golden::Wide lo = golden::minValue(bits), hi = golden::maxValue(bits);
  golden::Wide maxSum = rows * lo * lo;
  golden::Wide minSum = rows * lo * hi;
  for (int w = 2; w < 120; ++w) {
    golden::Wide top = (golden::Wide{1} << (w - 1)) - 1;
    if (maxSum <= top && minSum >= -top - 1) return w;
  }
  return -1;
}

}  // namespace

TEST_CASE("embedded default config loads with the documented values", "[config]") {
  config::Config cfg = config::loadConfig(std::nullopt);
  CHECK(cfg.array.rows == 8);
  CHECK(cfg.array.cols == 8);
  CHECK(cfg.array.dataflow == config::Dataflow::WS);
  CHECK(cfg.data.bits == 8);
  CHECK(cfg.data.accBits == 19);
  CHECK(cfg.ip.name == "ftaccel_ws8x8_d8");
  CHECK(cfg.synth.clockNs == 5.0);
  // An empty file means "all defaults" and must hash the same.
  CHECK(config::loadConfigText("", "empty.toml").hash() == cfg.hash());
}

TEST_CASE("minimum accumulator width matches a brute-force search", "[config]") {
  for (int bits : {4, 5, 8, 12, 16, 31, 32})
    for (int rows : {1, 2, 3, 4, 5, 7, 8, 9, 64, 100, 255, 256}) {
      INFO("bits " << bits << " rows " << rows);
      CHECK(config::minAccBits(bits, rows) == bruteForceAccBits(bits, rows));
    }
}

TEST_CASE("config overrides from --set are typed and validated", "[config]") {
  auto cfg = config::loadConfigText("", "x", {"array.rows=16", "array.dataflow=ws", "data.bits=4",
                                              "synth.clock_ns=2"});
  CHECK(cfg.array.rows == 16);
  CHECK(cfg.data.bits == 4);
  CHECK(cfg.data.accBits == 12);
  CHECK(cfg.synth.clockNs == 2.0);
  CHECK(loadError("", {"array.rows"}).find("expected --set key=value") != std::string::npos);
  CHECK(loadError("", {"array.rowz=3"}).find("unknown key 'array.rowz'") != std::string::npos);
  CHECK(loadError("", {"array.rows=\"8\""}).find("must be an integer") != std::string::npos);
}

TEST_CASE("bad configuration files name the key and the line and the allowed range", "[config]") {
  SECTION("unknown key") {
    auto err = loadError("[array]\nrows = 4\ncolz = 4\n");
    CHECK(err.find("cfg.toml:3") != std::string::npos);
    CHECK(err.find("unknown key 'array.colz'") != std::string::npos);
  }
  SECTION("unknown section") {
    auto err = loadError("[arrray]\nrows = 4\n");
    CHECK(err.find("unknown section '[arrray]'") != std::string::npos);
  }
  SECTION("value out of range") {
    auto err = loadError("[array]\nrows = 257\n");
    CHECK(err.find("cfg.toml:2") != std::string::npos);
    CHECK(err.find("1..256") != std::string::npos);
    CHECK(loadError("[data]\nbits = 3\n").find("4..32") != std::string::npos);
    CHECK(loadError("[synth]\nclock_ns = 0\n").find("out of range") != std::string::npos);
  }
  SECTION("wrong type") {
    auto err = loadError("[array]\nrows = \"eight\"\n");
    CHECK(err.find("'array.rows' must be an integer") != std::string::npos);
    CHECK(loadError("[array]\nrows = 4.5\n").find("must be an integer") != std::string::npos);
    CHECK(loadError("array = 3\n").find("unknown key 'array'") != std::string::npos);
  }
  SECTION("malformed TOML") {
    auto err = loadError("[array]\nrows = = 4\n");
    CHECK(err.find("cfg.toml:2") != std::string::npos);
    CHECK(err.find("malformed TOML") != std::string::npos);
  }
  SECTION("accumulator too narrow") {
    auto err = loadError("[array]\nrows = 16\n[data]\nbits = 8\nacc_bits = 19\n");
    CHECK(err.find("cfg.toml:5") != std::string::npos);
    CHECK(err.find("at least 20 bits") != std::string::npos);
    CHECK(loadError("[array]\nrows = 16\n[data]\nacc_bits = 20\n").empty());
  }
  SECTION("unknown or unsupported dataflow") {
    CHECK(loadError("[array]\ndataflow = \"xs\"\n").find("allowed: \"ws\", \"is\", \"os\"") !=
          std::string::npos);
    CHECK(config::loadConfigText("[array]\ndataflow = \"is\"\n", "x").ip.name == "ftaccel_is8x8_d8");
  }
  SECTION("bypass must be a boolean") {
    CHECK(loadError("[protect]\nbypass = 1\n").find("'protect.bypass' must be true or false") !=
          std::string::npos);
    CHECK(config::loadConfigText("[protect]\nbypass = true\n", "x").ip.name == "ftaccel_ws8x8_d8_byp");
  }
  SECTION("bad ip name") {
    CHECK(loadError("[ip]\nname = \"1abc\"\n").find("ip.name") != std::string::npos);
    CHECK(loadError("[ip]\nname = \"module\"\n").empty() == false);
  }
  SECTION("every problem is reported at once") {
    auto err = loadError("[array]\nrows = 0\ncols = 999\n");
    CHECK(err.find("array.rows") != std::string::npos);
    CHECK(err.find("array.cols") != std::string::npos);
  }
}

TEST_CASE("config hash changes with every key and is stable", "[config]") {
  auto base = config::loadConfigText("", "x");
  CHECK(base.hash() == config::loadConfigText("", "y").hash());
  CHECK(base.hash().size() == 16);
  for (std::string set : {"array.rows=9", "array.cols=7", "data.bits=9", "data.acc_bits=24",
                          "ip.name=foo", "synth.clock_ns=3", "protect.bypass=true",
                          "synth.goal=area"})
    CHECK(config::loadConfigText("", "x", {set}).hash() != base.hash());
}

TEST_CASE("synth.goal: timing by default, out of the hash at its default", "[config]") {
  auto base = config::loadConfigText("", "x");
  CHECK(base.synth.goal == config::SynthGoal::Timing);
  // The key came after the reference IP was committed: at its default it must not move the hash
  // (rtl/ftaccel_ws8x8_d8/manifest.json holds this one).
  CHECK(base.hash() == "762a6d7457be536e");
  CHECK(base.canonicalToml().find("synth.goal") == std::string::npos);
  CHECK(config::loadConfigText("", "x", {"synth.goal=timing"}).hash() == base.hash());
  auto area = config::loadConfigText("[synth]\ngoal = \"area\"\n", "x");
  CHECK(area.synth.goal == config::SynthGoal::Area);
  CHECK(area.canonicalToml().find("synth.goal = \"area\"") != std::string::npos);
  CHECK(area.toJson()["synth"]["goal"] == "area");
  CHECK(base.toJson()["synth"]["goal"] == "timing");
  const std::string err = loadError("", {"synth.goal=speed"});
  CHECK(err.find("synth.goal") != std::string::npos);
  CHECK(err.find("timing") != std::string::npos);
}

TEST_CASE("array.nets: auto picks per_pe up to 64x64 PEs, then rows (ws/is) or flat (os)", "[config][nets]") {
  auto form = [](std::vector<std::string> sets) {
    return config::gridNetForm(config::loadConfigText("", "x", sets).array);
  };
  using config::GridNetForm;
  CHECK(form({"array.rows=64", "array.cols=64"}) == GridNetForm::PerPe);
  CHECK(form({"array.rows=64", "array.cols=65"}) == GridNetForm::Rows);
  CHECK(form({"array.rows=256", "array.cols=256", "array.dataflow=is"}) == GridNetForm::Rows);
  CHECK(form({"array.rows=128", "array.cols=128", "array.dataflow=os"}) == GridNetForm::Flat);
  CHECK(form({"array.rows=128", "array.cols=128", "array.nets=per_pe"}) == GridNetForm::PerPe);
  CHECK(form({"array.rows=2", "array.cols=2", "array.nets=rows"}) == GridNetForm::Rows);
  auto rows = config::loadConfigText("", "x", {"array.nets=rows"});
  CHECK(rows.canonicalToml().find("nets = \"rows\"") != std::string::npos);
  CHECK(rows.hash() != config::loadConfigText("", "x").hash());
  const std::string os = loadError("", {"array.nets=rows", "array.dataflow=os"});
  CHECK(os.find("array.nets") != std::string::npos);
  CHECK(os.find("ws and is") != std::string::npos);
  const std::string bad = loadError("", {"array.nets=columns"});
  CHECK(bad.find("array.nets") != std::string::npos);
  CHECK(bad.find("rows") != std::string::npos);
}
