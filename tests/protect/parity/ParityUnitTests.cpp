// Weight-parity unit: keys and their diagnostics, the checker module and its manifest facts,
// lint with Verilator -Wall, Icarus and Yosys 0.23, and no change to IPs without the unit.
#include <catch2/catch.hpp>

#include <regex>

#include <nlohmann/json.hpp>

#include "LintUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Package.h"
#include "ir/SvPrinter.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

std::string diagnosticText(const std::vector<std::string>& sets, const std::string& toml = "") {
  return test::configError(sets, toml, "t.toml");
}

const units::ModuleSpec* findModule(const units::IpDesign& ip, const std::string& name) {
  for (const auto& m : ip.modules)
    if (m.module.name == name) return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("weight parity: keys, table form and derived name", "[parity][config]") {
  const auto cfg = config::loadConfigText(R"(
[array]
rows = 4
cols = 16
[protect]
weight_parity = { enable = true, word_weights = 8 }
)", "t.toml");
  CHECK(cfg.protect.weightParity.enable);
  CHECK(cfg.protect.weightParity.wordWeights == 8);
  CHECK(cfg.protect.weightParity.flip == "largest");
  CHECK(cfg.ip.name == "ftaccel_ws4x16_d8_wp8");
  CHECK(cfg.toJson()["protect"]["weight_parity"]["word_weights"] == 8);
  const auto dotted = config::loadConfigText("", "t", {"array.cols=16", "protect.weight_parity.enable=true",
                                                       "protect.weight_parity.word_weights=8"});
  CHECK(dotted.hash() == config::loadConfigText("", "t", {"array.rows=8", "array.cols=16",
                                                         "protect.weight_parity.enable=true",
                                                         "protect.weight_parity.word_weights=8"}).hash());
  CHECK(dotted.canonicalToml().find("protect.weight_parity.flip = \"largest\"") != std::string::npos);
}

TEST_CASE("weight parity: an IP without it keeps its hash, JSON and RTL", "[parity][config]") {
  // The keys of a disabled unit stay out of the canonical TOML: the hash (in every banner) is
  // the one the IP had before the unit existed.
  const auto plain = config::loadConfigText("", "t");
  CHECK(plain.canonicalToml().find("weight_parity") == std::string::npos);
  CHECK(plain.toJson()["protect"].size() == 1);
  const auto other = config::loadConfigText("", "t", {"protect.weight_parity.word_weights=4"});
  CHECK(other.hash() == plain.hash());
}

TEST_CASE("weight parity: bad input names the key and the allowed values", "[parity][config]") {
  SECTION("a word size that does not divide the beat") {
    const std::string text = diagnosticText({"array.cols=6", "protect.weight_parity.enable=true",
                                             "protect.weight_parity.word_weights=4"});
    CHECK_THAT(text, Catch::Contains("protect.weight_parity.word_weights"));
    CHECK_THAT(text, Catch::Contains("allowed: 1, 2, 3, 6"));
  }
  SECTION("the default word size on a 6-column array, in a TOML file") {
    const std::string text = diagnosticText({}, "[array]\ncols = 6\n[protect.weight_parity]\nenable = true\n");
    CHECK_THAT(text, Catch::Contains("does not divide the load beat of array.cols = 6"));
  }
  SECTION("out of range") {
    CHECK_THAT(diagnosticText({"protect.weight_parity.enable=true", "protect.weight_parity.word_weights=0"}),
               Catch::Contains("allowed: 1..256"));
  }
  SECTION("IS and OS") {
    CHECK_THAT(diagnosticText({"array.dataflow=is", "protect.weight_parity.enable=true"}),
               Catch::Contains("IS load port carries inputs"));
    CHECK_THAT(diagnosticText({"array.dataflow=os", "protect.weight_parity.enable=true"}),
               Catch::Contains("OS streams the weights"));
  }
  SECTION("a bad flip rule") {
    CHECK_THAT(diagnosticText({"protect.weight_parity.flip=first"}), Catch::Contains("\"largest\", \"last\""));
  }
}

TEST_CASE("weight parity: the CLI refuses a bad word size with exit 2 and writes nothing", "[parity][cli]") {
  test::TempDir dir;
  auto r = test::runCli({"generate", "--set", "array.cols=12", "--set", "protect.weight_parity.enable=true",
                         "--set", "protect.weight_parity.word_weights=5", "--out", (dir / "ip").string()});
  INFO(r.output);
  CHECK(r.exitCode == 2);
  CHECK_THAT(r.output, Catch::Contains("allowed: 1, 2, 3, 4, 6, 12"));
  CHECK_FALSE(std::filesystem::exists(dir / "ip"));
}

TEST_CASE("weight parity: checker module, ports, manifest and fault sites", "[parity]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=4", "protect.weight_parity.enable=true",
                                                    "protect.weight_parity.word_weights=2"});
  const auto ip = units::buildIp(cfg);
  const auto* checker = findModule(ip, cfg.ip.name + "_wparity");
  REQUIRE(checker);
  CHECK(ip.modules.back().children.at(cfg.ip.name + "_wparity") == 1);
  const std::string topText = ir::printModule(ip.modules.back().module, ir::PrintOptions{false, "", "", ""});
  CHECK(std::regex_search(topText, std::regex(R"(\.wdata_i\s*\(wparity_data\))")));
  CHECK(std::regex_search(topText, std::regex(R"(\.data_i\s*\(wload_data_i\))")));
  CHECK(topText.find("logic [Cols*DataBits-1:0] wparity_data;") < topText.find("u_array"));
  const std::string text = ir::printModule(checker->module, ir::PrintOptions{false, "", "", ""});
  CHECK(text.find("^data_i[w*WordBits +: WordBits]") != std::string::npos);
  bool count = false, flag = false;
  for (const auto& p : ip.ports) {
    if (p.name == "wparity_count_o") count = p.width == 3 && p.group == "weight_parity";  // 0..6 words
    if (p.name == "wparity_flag_o") flag = p.group == "weight_parity";
  }
  CHECK(count);
  CHECK(flag);
  CHECK(ip.alarmPorts.empty());  // an event, not an alarm
  const auto manifest = flow::buildManifest(cfg, ip);
  CHECK_THAT(manifest["protocol"]["weight_parity"].get<std::string>(), Catch::Contains("an event, not an alarm"));
  const auto fi = units::buildIp(cfg, units::BuildOptions{true});
  int sites = 0;
  for (const auto& s : fi.faultSites) sites += s.path.rfind("u_wparity.", 0) == 0;
  CHECK(sites == 2);  // beat_q, count_q
}

TEST_CASE("weight parity: Verilator -Wall, Icarus and Yosys 0.23 read the RTL", "[parity][lint]") {
  for (auto sets : {std::vector<std::string>{"array.rows=1", "array.cols=1"},
                    std::vector<std::string>{"array.rows=3", "array.cols=6", "protect.weight_parity.word_weights=3"},
                    std::vector<std::string>{"array.rows=4", "array.cols=4", "data.bits=16", "protect.weight_parity.word_weights=1"},
                    std::vector<std::string>{"array.rows=2", "array.cols=8", "protect.bypass=true"}}) {
    sets.push_back("protect.weight_parity.enable=true");
    if (sets[0] == "array.rows=1") sets.push_back("protect.weight_parity.word_weights=1");
    for (bool faultPorts : {false, true}) test::lintPackage({.sets = sets, .variant = units::BuildOptions{faultPorts, false}});
  }
}
