// Sanity-Check spatial checksum (SPEC §4, dissertation ch. 6): the shared model on tiled
// products, the keys and their refusals, the generated hardware, lint, and RTL-against-model
// co-simulation with zero false alarms (Verilator and Icarus).
#include <catch2/catch.hpp>

#include <random>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "golden/Tiler.h"
#include "protect/sanity/SanityModel.h"
#include "ir/SvPrinter.h"
#include "units/IpDesign.h"

using namespace ftaccel;
namespace sc = ftaccel::protect::sanity;

namespace {

std::string configError(const std::vector<std::string>& sets) {
  try {
    config::loadConfigText("", "t", sets);
  } catch (const diag::DiagnosticError& e) {
    return e.what();
  }
  return "";
}

golden::Matrix randomMatrix(int rows, int cols, int bits, std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> d(golden::minValue(bits), golden::maxValue(bits));
  golden::Matrix m(rows, cols);
  for (auto& v : m.data) v = d(rng);
  return m;
}

}  // namespace

TEST_CASE("sanity model: widths hold the extreme checksum weights and sums", "[sanity]") {
  CHECK(sc::widths(8, 19, 8).weightBits == 12);  // 8 * 128 = 1024 needs 12 signed bits
  CHECK(sc::widths(8, 19, 8).sumBits == 23);
  CHECK(sc::widths(8, 16, 1).weightBits == 9);  // -(-128) = 128
  CHECK(sc::widths(16, 34, 5).weightBits == 20);
  for (int bits : {4, 8, 16, 32})
    for (int cols : {1, 2, 3, 7, 8, 64, 256}) {
      const sc::Widths w = sc::widths(bits, config::minAccBits(bits, 8), cols);
      const golden::Wide most = static_cast<golden::Wide>(cols) * -golden::minValue(bits);
      INFO(bits << " bits, " << cols << " cols");
      CHECK(most <= golden::maxValue(w.weightBits));  // -cols * min fits
    }
}

TEST_CASE("sanity model: outputs plus the sanity neuron sum to zero on every tile of a product",
          "[sanity]") {
  std::mt19937_64 rng(5);
  for (const auto& [rows, cols, bits] : {std::tuple{4, 4, 8}, std::tuple{3, 5, 16}, std::tuple{1, 1, 4}}) {
    const int acc = config::minAccBits(bits, rows);
    const sc::Widths w = sc::widths(bits, acc, cols);
    const golden::Matrix x = randomMatrix(9, 7, bits, rng), wt = randomMatrix(7, 11, bits, rng);
    for (int shift : {0, 1}) {
      for (const auto& tile : golden::tileWs(x, wt, rows, cols, shift)) {
        const auto column = sc::checksumColumn(tile.stationary);
        for (const auto& v : tile.vectors) {
          const auto y = golden::arrayOutput(v, tile.stationary);
          const auto sum = sc::checkSum(y, sc::sanityOutput(v, column, w.sumBits), w.sumBits);
          CHECK(sum == 0);
          CHECK_FALSE(sc::alarm(sum, 0));
          // Any single wrong output lane is seen (its error is below 2^sumBits).
          auto bad = y;
          bad[0] += golden::Wide{1} << (acc - 1);
          CHECK(sc::alarm(sc::checkSum(bad, sc::sanityOutput(v, column, w.sumBits), w.sumBits), 0));
        }
      }
    }
  }
}

TEST_CASE("sanity model: the alarm compares |sum| with the threshold, most negative included",
          "[sanity]") {
  CHECK_FALSE(sc::alarm(0, 0));
  CHECK(sc::alarm(1, 0));
  CHECK(sc::alarm(-1, 0));
  CHECK_FALSE(sc::alarm(-5, 5));
  CHECK(sc::alarm(-6, 5));
  const golden::Wide most = sc::wrap(golden::Wide{1} << 22, 23);  // -2^22 in 23 bits
  CHECK(most < 0);
  CHECK(sc::alarm(most, (1u << 22) - 1));
  CHECK_FALSE(sc::alarm(most, 1u << 22));
}

TEST_CASE("sanity keys: choices, name suffix, unchanged hash when off, refusals exit 2", "[sanity][config]") {
  const auto off = config::loadConfigText("", "t", {});
  CHECK(off.canonicalToml().find("sanity") == std::string::npos);
  CHECK(off.toJson()["protect"].contains("sanity_check") == false);
  const auto on = config::loadConfigText("", "t", {"protect.sanity_check=spatial"});
  CHECK(on.protect.sanityCheck == config::SanityCheck::Spatial);
  CHECK(on.ip.name == "ftaccel_ws8x8_d8_scs");
  CHECK(on.hash() != off.hash());
  CHECK(on.canonicalToml().find("protect.sanity_check = \"spatial\"") != std::string::npos);
  CHECK(config::loadConfigText("", "t", {"protect.sanity_check=spatial", "array.dataflow=is"}).ip.name ==
        "ftaccel_is8x8_d8_scs");
  CHECK_THAT(configError({"protect.sanity_check=sometimes"}),
             Catch::Contains("'protect.sanity_check' = \"sometimes\" is not allowed"));
  CHECK_THAT(configError({"protect.sanity_check=spatial", "array.dataflow=os"}),
             Catch::Contains("'protect.sanity_check' = \"spatial\" cannot work with array.dataflow = \"os\""));
  CHECK_THAT(configError({"protect.sanity_check=temporal"}), Catch::Contains("not implemented yet"));
  CHECK_THAT(configError({"protect.sanity_check=both"}), Catch::Contains("'protect.sanity_check'"));
  CHECK_THAT(configError({"protect.sanity_residue_bits=33"}), Catch::Contains("out of range"));
  CHECK_THAT(configError({"protect.sanity_residue_bits=8"}), Catch::Contains("needs protect.sanity_check"));
  CHECK_THAT(configError({"protect.sanity_check=spatial", "protect.sanity_residue_bits=8"}),
             Catch::Contains("'protect.sanity_residue_bits' = 8 is not implemented yet"));
  // Through the CLI: a diagnostic naming the key, exit 2, nothing written.
  test::TempDir dir;
  const auto r = test::runCli({"generate", "--set", "array.dataflow=os", "--set", "protect.sanity_check=spatial",
                               "--out", (dir / "ip").string()});
  CHECK(r.exitCode == 2);
  CHECK_THAT(r.output, Catch::Contains("protect.sanity_check"));
  CHECK_FALSE(std::filesystem::exists(dir / "ip"));
}

TEST_CASE("sanity hardware: modules, ports, alarms in the manifest, fault sites, latency unchanged",
          "[sanity]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=5", "protect.sanity_check=spatial"});
  const auto plain = units::buildIp(config::loadConfigText("", "t", {"array.rows=3", "array.cols=5"}));
  const units::IpDesign ip = units::buildIp(cfg);
  CHECK(ip.latencyCycles == plain.latencyCycles);
  CHECK(ip.alarmPorts == std::vector<std::string>{"sanity_alarm_o", "sanity_flag_o"});
  CHECK(ip.modules.back().children.at(cfg.ip.name + "_sanity_col") == 1);
  CHECK(ip.modules.back().children.at(cfg.ip.name + "_sanity_check") == 1);
  int grouped = 0;
  for (const auto& p : ip.ports) {
    grouped += p.group == "sanity";
    if (p.name == "sanity_wload_data_i") CHECK(p.width == sc::widths(8, cfg.data.accBits, 5).weightBits);
    if (p.name == "sanity_threshold_i") CHECK(p.width == sc::widths(8, cfg.data.accBits, 5).sumBits);
  }
  CHECK(grouped == 5);
  const nlohmann::json manifest = flow::buildManifest(cfg, ip);
  CHECK(manifest["fault_injection"]["alarms"] == nlohmann::json::array({"sanity_alarm_o", "sanity_flag_o"}));
  CHECK_THAT(manifest["protocol"]["sanity"].get<std::string>(), Catch::Contains("sanity_wload_data_i"));
  const units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true});
  std::map<std::string, int> kinds;
  for (const auto& s : fi.faultSites) kinds[s.kind] += 1;
  CHECK(kinds["sanity_weight"] == 3);
  CHECK(kinds["sanity_shadow"] == 3);
  CHECK(kinds["sanity_psum"] == 3);
  CHECK(kinds["sanity_deskew"] == 4);
  CHECK(kinds["sanity_flag"] == 1);
  CHECK(kinds["sanity_alarm"] == 1);
  // Without the unit nothing of it is emitted.
  for (const auto& m : plain.modules) {
    const auto text = ir::printModule(m.module, ir::PrintOptions{false, "", "", ""});
    CHECK(text.find("sanity") == std::string::npos);
  }
}

namespace {

void lint(const std::vector<std::string>& sets, bool faultPorts) {
  const auto cfg = config::loadConfigText("", "lint", sets);
  const auto ip = units::buildIp(cfg, units::BuildOptions{faultPorts, false});
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip, units::BuildOptions{faultPorts, false}), dir / "ip");
  std::vector<std::string> files;
  for (const auto& m : ip.modules) files.push_back("rtl/" + m.module.name + ".sv");
  INFO(ip.top);
  std::vector<std::string> cmd = {"verilator", "--lint-only", "-Wall", "--top-module", ip.top};
  cmd.insert(cmd.end(), files.begin(), files.end());
  auto r = flow::runProcess(cmd, dir / "ip");
  INFO(r.output);
  CHECK(r.exitCode == 0);
  CHECK(r.output.find("%Warning") == std::string::npos);
  for (const auto& m : ip.modules) {
    if (m.module.name.find("sanity") == std::string::npos) continue;
    std::vector<std::string> one = {"verilator", "--lint-only", "-Wall", "--top-module", m.module.name};
    one.insert(one.end(), files.begin(), files.end());
    auto r1 = flow::runProcess(one, dir / "ip");
    INFO(m.module.name << "\n" << r1.output);
    CHECK(r1.exitCode == 0);
  }
  std::vector<std::string> ic = {"iverilog", "-g2012", "-Wall", "-o", "/dev/null", "-s", ip.top};
  ic.insert(ic.end(), files.begin(), files.end());
  auto ri = flow::runProcess(ic, dir / "ip");
  INFO(ri.output);
  CHECK(ri.exitCode == 0);
  CHECK(ri.output.find("warning") == std::string::npos);
  std::string script;
  for (const auto& f : files) script += "read_verilog -sv " + f + "; ";
  script += "hierarchy -check -top " + ip.top + "; proc; check -assert";
  auto ry = flow::runProcess({"yosys", "-q", "-p", script}, dir / "ip");
  INFO(ry.output);
  CHECK(ry.exitCode == 0);
}

}  // namespace

TEST_CASE("sanity lint: Verilator -Wall, Icarus and Yosys 0.23 on WS, IS, 1x1 and the fault variant",
          "[sanity][lint]") {
  lint({"array.rows=4", "array.cols=4", "protect.sanity_check=spatial"}, false);
  lint({"array.rows=1", "array.cols=1", "data.bits=4", "protect.sanity_check=spatial"}, false);
  lint({"array.rows=3", "array.cols=5", "data.bits=16", "array.dataflow=is", "protect.sanity_check=spatial",
        "protect.bypass=true"},
       false);
  lint({"array.rows=2", "array.cols=3", "protect.sanity_check=spatial"}, true);
}

namespace {

void cosim(const std::vector<std::string>& sets, long vectors, const std::vector<std::string>& patterns) {
  test::useTestCache();
  auto s = sets;
  s.push_back("protect.sanity_check=spatial");
  const auto cfg = config::loadConfigText("", "t", s);
  const auto model = flow::buildCosimModel(cfg);
  for (const auto& pattern : patterns) {
    flow::CosimOptions o;
    o.vectors = vectors;
    o.batch = 2 * cfg.array.rows + cfg.array.cols + 3;
    o.seed = 17;
    o.pattern = pattern;
    o.inValidProb = 0.8;
    o.outReadyProb = 0.7;
    const auto r = flow::runCosim(model, o);
    INFO(cfg.ip.name << " " << pattern << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["checked"] == vectors);
    CHECK(r.report["alarm_cycles"] == 0);  // no false alarm with threshold 0
  }
}

}  // namespace

TEST_CASE("sanity cosim: 4x4 8-bit, no false alarm on random, most negative and mixed data",
          "[sanity][cosim]") {
  cosim({"array.rows=4", "array.cols=4"}, 400, {"random", "neg", "max", "mixed"});
}

TEST_CASE("sanity cosim: 1x1 4-bit, 3x5 16-bit, 8x8, IS 4x3 with bypass", "[sanity][cosim]") {
  cosim({"array.rows=1", "array.cols=1", "data.bits=4"}, 200, {"random", "neg"});
  cosim({"array.rows=3", "array.cols=5", "data.bits=16"}, 200, {"neg", "mixed"});
  cosim({}, 300, {"random", "neg"});
  cosim({"array.rows=4", "array.cols=3", "array.dataflow=is", "protect.bypass=true"}, 200, {"random", "neg"});
}

TEST_CASE("sanity cosim: a tiled product with diagonal shift raises no alarm", "[sanity][cosim]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.sanity_check=spatial"});
  const auto model = flow::buildCosimModel(cfg);
  flow::CosimOptions o;
  o.matmul = "9,10,7";
  o.shift = 1;
  o.pattern = "neg";
  const auto r = flow::runCosim(model, o);
  INFO(r.report.dump());
  CHECK(r.passed());
  CHECK(r.report["matmul_mismatches"] == 0);
  CHECK(r.report["alarm_cycles"] == 0);
}
