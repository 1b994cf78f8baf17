// Sanity-Check spatial checksum (SPEC §4, dissertation ch. 6): the shared model on tiled
// products, the keys and their refusals, the generated hardware, lint, and RTL-against-model
// co-simulation with zero false alarms (Verilator and Icarus).
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include <fmt/format.h>

#include "LintUtil.h"
#include "IcarusUtil.h"
#include "CampaignUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "golden/Tiler.h"
#include "protect/sanity/SanityModel.h"
#include "ir/SvPrinter.h"
#include "units/IpDesign.h"

using namespace ftaccel;
namespace sc = ftaccel::protect::sanity;

namespace {

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

TEST_CASE("sanity residue model: folds equal the residue, a tile sums to 0, single errors never vanish",
          "[sanity][residue]") {
  std::mt19937_64 rng(21);
  for (int r : {2, 3, 4, 5, 8, 13, 31, 32}) {
    const golden::Wide m = static_cast<golden::Wide>(sc::modulus(r));
    for (int bits : {4, 8, 19, 23, 40, 70}) {
      std::uniform_int_distribution<int64_t> d(bits >= 64 ? INT64_MIN : golden::minValue(bits),
                                               bits >= 64 ? INT64_MAX : golden::maxValue(bits));
      for (int i = 0; i < 300; ++i) {
        golden::Wide v = d(rng);
        if (bits == 70) v = (static_cast<golden::Wide>(d(rng)) << 6) - 7;
        if (i == 0) v = -(golden::Wide{1} << (bits - 1));  // most negative
        if (i == 1) v = -1;
        const golden::UWide f = sc::foldSigned(v, bits, r);
        INFO(r << " " << bits << " " << static_cast<int64_t>(v));
        CHECK(f <= sc::modulus(r));
        CHECK(static_cast<golden::Wide>(f) % m == static_cast<golden::Wide>(sc::residueOf(v, r)));
      }
    }
  }
  // The 2^r pitfall: modulo 2^r a flip of bit r vanishes, modulo 2^r - 1 it never does.
  for (int r : {2, 4, 8})
    for (int bit = 0; bit < 40; ++bit) CHECK(sc::residueOf(golden::Wide{1} << bit, r) != 0);
  for (const auto& [rows, cols, bits, r] :
       {std::tuple{4, 4, 8, 4}, std::tuple{3, 5, 16, 7}, std::tuple{1, 1, 4, 2}, std::tuple{8, 8, 8, 13}}) {
    const int acc = config::minAccBits(bits, rows);
    const golden::Matrix x = randomMatrix(9, 7, bits, rng), wt = randomMatrix(7, 11, bits, rng);
    for (const auto& tile : golden::tileWs(x, wt, rows, cols, 1)) {
      const auto column = sc::checksumColumn(tile.stationary);
      for (const auto& v : tile.vectors) {
        const auto y = golden::arrayOutput(v, tile.stationary);
        const auto sanity = sc::sanityResidue(v, column, bits, r);
        CHECK_FALSE(sc::residueAlarm(sc::checkResidue(y, sanity, acc, r), r));
        for (int bit = 0; bit < acc - 1; ++bit) {  // every single-bit error of a lane is seen
          auto bad = y;
          bad[bad.size() - 1] ^= golden::Wide{1} << bit;
          CHECK(sc::residueAlarm(sc::checkResidue(bad, sanity, acc, r), r));
        }
        // What it cannot see: an error that is a multiple of 2^r - 1 (an r-bit burst 0 -> 1).
        auto blind = y;
        blind[0] += static_cast<golden::Wide>(sc::modulus(r)) * 3;
        CHECK_FALSE(sc::residueAlarm(sc::checkResidue(blind, sanity, acc, r), r));
      }
    }
  }
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
  CHECK_THAT(test::configError({"protect.sanity_check=sometimes"}),
             Catch::Contains("'protect.sanity_check' = \"sometimes\" is not allowed"));
  CHECK_THAT(test::configError({"protect.sanity_check=spatial", "array.dataflow=os"}),
             Catch::Contains("'protect.sanity_check' = \"spatial\" cannot work with array.dataflow = \"os\""));
  CHECK_THAT(test::configError({"protect.sanity_check=both", "array.dataflow=os"}), Catch::Contains("'protect.sanity_check'"));
  CHECK_THAT(test::configError({"protect.sanity_residue_bits=33"}), Catch::Contains("out of range"));
  CHECK_THAT(test::configError({"protect.sanity_residue_bits=8"}), Catch::Contains("needs protect.sanity_check"));
  CHECK_THAT(test::configError({"protect.sanity_check=spatial", "protect.sanity_residue_bits=1"}),
             Catch::Contains("'protect.sanity_residue_bits' = 1 is too small"));
  // 8x8 8-bit: the exact check sum is 23 bits; a residue that wide saves nothing.
  CHECK_THAT(test::configError({"protect.sanity_check=spatial", "protect.sanity_residue_bits=23"}),
             Catch::Contains("'protect.sanity_residue_bits' = 23 is not below the exact check-sum width (23 bits"));
  const auto residue = config::loadConfigText("", "t", {"protect.sanity_check=spatial", "protect.sanity_residue_bits=22"});
  CHECK(residue.ip.name == "ftaccel_ws8x8_d8_scs_r22");
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
  CHECK(grouped == 6);  // checksum lane, threshold value and write strobe, clear, flag, alarm
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
  CHECK(kinds["sanity_threshold"] == 1);
  // Residue mode: r-bit column, no threshold (a residue has no magnitude).
  const auto rcfg = config::loadConfigText(
      "", "t", {"array.rows=3", "array.cols=5", "protect.sanity_check=spatial", "protect.sanity_residue_bits=5"});
  const units::IpDesign rip = units::buildIp(rcfg);
  CHECK(rip.latencyCycles == plain.latencyCycles);
  int rgrouped = 0;
  for (const auto& p : rip.ports) {
    rgrouped += p.group == "sanity";
    if (p.name == "sanity_wload_data_i") CHECK(p.width == 5);
    CHECK(p.name.find("threshold") == std::string::npos);
  }
  CHECK(rgrouped == 4);
  CHECK_THAT(flow::buildManifest(rcfg, rip)["protocol"]["sanity"].get<std::string>(),
             Catch::Contains("not 0 modulo 2^5 - 1"));
  // Without the unit nothing of it is emitted.
  for (const auto& m : plain.modules) {
    const auto text = ir::printModule(m.module, ir::PrintOptions{false, "", "", ""});
    CHECK(text.find("sanity") == std::string::npos);
  }
}

namespace {

void lintSanity(const std::vector<std::string>& sets, bool faultPorts) {
  test::lintPackage({sets, units::BuildOptions{faultPorts, false}, true,
                     [](const std::string& module) { return module.find("sanity") != std::string::npos; }});
}

}  // namespace

TEST_CASE("sanity lint: Verilator -Wall, Icarus and Yosys 0.23 on WS, IS, 1x1 and the fault variant",
          "[sanity][lint]") {
  lintSanity({"array.rows=4", "array.cols=4", "protect.sanity_check=spatial"}, false);
  lintSanity({"array.rows=1", "array.cols=1", "data.bits=4", "protect.sanity_check=spatial"}, false);
  lintSanity({"array.rows=3", "array.cols=5", "data.bits=16", "array.dataflow=is", "protect.sanity_check=spatial",
        "protect.bypass=true"},
       false);
  lintSanity({"array.rows=2", "array.cols=3", "protect.sanity_check=spatial"}, true);
  // Residue mode: r below and above the data width, the fault variant.
  lintSanity({"array.rows=3", "array.cols=5", "protect.sanity_check=spatial", "protect.sanity_residue_bits=5"}, false);
  lintSanity({"array.rows=2", "array.cols=3", "data.bits=16", "array.dataflow=is", "protect.sanity_check=spatial",
        "protect.sanity_residue_bits=19"},
       true);
}

namespace {

void sanityCosim(const std::vector<std::string>& sets, long vectors, const std::vector<std::string>& patterns,
           const std::string& bypass = "none") {
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
    o.bypass = bypass;
    const auto r = flow::runCosim(model, o);
    INFO(cfg.ip.name << " " << pattern << " bypass " << bypass << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["checked"] == vectors);
    CHECK(r.report["alarm_cycles"] == 0);  // no false alarm with threshold 0
    CHECK(r.report["alarm_model_checked"] == vectors);
    CHECK(r.report["alarm_model_mismatches"] == 0);
    // The loaded lanes of bypassed PEs are not zero: the results show the bypass.
    if (bypass != "none") CHECK(r.report["pruning_visible_vectors"].get<long>() > 0);
  }
}

}  // namespace

TEST_CASE("sanity cosim: 4x4 8-bit, no false alarm on random, most negative and mixed data",
          "[sanity][cosim]") {
  sanityCosim({"array.rows=4", "array.cols=4"}, 400, {"random", "neg", "max", "mixed"});
}

TEST_CASE("sanity cosim: 1x1 4-bit, 3x5 16-bit, 8x8, IS 4x3 with bypass", "[sanity][cosim][large]") {
  sanityCosim({"array.rows=1", "array.cols=1", "data.bits=4"}, 200, {"random", "neg"});
  sanityCosim({"array.rows=3", "array.cols=5", "data.bits=16"}, 200, {"neg", "mixed"});
  sanityCosim({}, 300, {"random", "neg"});
  sanityCosim({"array.rows=4", "array.cols=3", "array.dataflow=is", "protect.bypass=true"}, 200, {"random", "neg"});
}

// Found by `make fuzz` (IS 5x7, random:0.20): the host's checksum weight covered the lanes of
// bypassed PEs, which the array ignores, so every vector raised a false alarm. The host leaves
// them out (docs/sanity-check.md, "Bypass"); exact and residue, WS and IS.
TEST_CASE("sanity cosim: bypass masks raise no false alarm, every flag equal to the model's",
          "[sanity][cosim][bypass]") {
  sanityCosim({"array.rows=5", "array.cols=7", "array.dataflow=is", "protect.bypass=true"}, 82, {"random"},
        "random:0.20");
  sanityCosim({"array.rows=4", "array.cols=3", "protect.bypass=true"}, 120, {"random", "neg"}, "pe:0,1+pe:3,2+row:2");
  sanityCosim({"array.rows=3", "array.cols=4", "protect.bypass=true", "protect.sanity_residue_bits=5"}, 120, {"mixed"},
        "random:0.3");
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

namespace {

// Four-state run: loads weights with their checksum lane (row 0's off by BAD), streams M
// vectors, compares results, counts flags and X on the unit's outputs. sanity_threshold_i is
// held at THR throughout; the threshold register takes it only when WE pulses the strobe.
// The unit's ports and memories in the shared WS testbench (test::wsStreamTb).
test::WsStreamTb sanityTb(const std::string& top, int r, int c, int b, int a, int m, int wb, int sb, int bad, int thr,
                          int we) {
  test::WsStreamTb tb{.top = top, .rows = r, .cols = c, .bits = b, .accBits = a, .vectors = m};
  tb.params = fmt::format("localparam int WB = {}, SB = {}, BAD = {}, THR = {}, WE = {};", wb, sb, bad, thr, we);
  tb.decls = R"(logic sanity_clear_i = 0, sanity_threshold_we_i = 0, sanity_flag_o, sanity_alarm_o;
  logic [WB-1:0] sanity_wload_data_i = '0;
  logic [SB-1:0] sanity_threshold_i = SB'(THR);
  logic [WB-1:0] smem [R];
  int negs = 0, flags = 0;)";
  tb.readmem = "$readmemb(\"s.mem\", smem);";
  tb.drive = R"(sanity_threshold_we_i = WE != 0 && negs == 0;
    negs++;
    sanity_wload_data_i = loaded < R ? smem[loaded] + ((loaded == 0 && BAD != 0) ? 1 : 0) : '0;)";
  tb.xSignals = {"sanity_flag_o", "sanity_alarm_o", "out_data_o"};
  tb.check = "if (sanity_flag_o) flags++;";
  // The flag of the last result beat comes one cycle after it.
  tb.done = "got == M && !out_valid_o";
  tb.finish = R"(@(posedge clk_i);
      if (sanity_flag_o) flags++;
      $display("RESULT got=%0d errors=%0d flags=%0d alarm=%0d", got, errors, flags, sanity_alarm_o);)";
  return tb;
}

}  // namespace

TEST_CASE("sanity icarus: four-state run, no false flag, a wrong checksum weight is flagged, the threshold register",
          "[sanity][icarus]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=4", "protect.sanity_check=spatial"});
  const auto ip = units::buildIp(cfg);
  const int r = cfg.array.rows, c = cfg.array.cols, b = cfg.data.bits, a = cfg.data.accBits, m = 10;
  const sc::Widths w = sc::widths(b, a, c);
  std::mt19937_64 rng(9);
  golden::Matrix wt = randomMatrix(r, c, b, rng);
  for (int j = 0; j < c; ++j) wt.at(0, j) = golden::minValue(b);  // the extreme checksum weight
  std::string wText, sText, xText, yText;
  for (int k = 0; k < r; ++k) {
    std::vector<golden::Wide> row;
    for (int j = 0; j < c; ++j) row.push_back(wt.at(k, j));
    wText += test::laneBits(row, b);
  }
  for (int64_t s : sc::checksumColumn(wt)) sText += test::laneBits(std::vector<int64_t>{s}, w.weightBits);
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  // A checksum weight off by one makes the check sum of a vector x[0]: threshold 60 lets the
  // vectors with |x[0]| <= 60 pass and flags the others.
  const int threshold = 60;
  int above = 0;
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(r);
    for (auto& v : x) v = i == 0 ? golden::minValue(b) : d(rng);
    x[0] = x[0] == 0 ? 1 : x[0];  // row 0 active in every vector: a bad row-0 checksum shows
    if (i == 1 || i == 2) x[0] = i == 1 ? -threshold : threshold;  // at the threshold: accepted
    above += std::abs(x[0]) > threshold;
    xText += test::laneBits(std::vector<golden::Wide>(x.begin(), x.end()), b);
    yText += test::laneBits(golden::arrayOutput(x, wt), a);
  }
  REQUIRE(above > 0);
  REQUIRE(above < m);
  struct Case {
    int bad, thr, we, flags;
  };
  // Results stay right in every case (the check never touches them); flags only with BAD, and
  // the held threshold input counts only after the write strobe.
  for (const Case& k : {Case{0, 0, 0, 0}, Case{1, 0, 0, m}, Case{1, threshold, 0, m}, Case{1, threshold, 1, above},
                        Case{1, 1000, 1, 0}}) {
    test::TempDir dir;
    flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
    test::writeFile(dir / "w.mem", wText);
    test::writeFile(dir / "s.mem", sText);
    test::writeFile(dir / "x.mem", xText);
    test::writeFile(dir / "y.mem", yText);
    const std::string out = test::runIcarus(
       dir, test::packageRtl(ip), test::wsStreamTb(sanityTb(ip.top, r, c, b, a, m, w.weightBits, w.sumBits, k.bad, k.thr, k.we)));
    INFO("bad " << k.bad << " threshold " << k.thr << " we " << k.we << "\n" << out);
    CHECK(out.find(fmt::format("RESULT got=10 errors=0 flags={} alarm={}", k.flags, k.flags ? 1 : 0)) !=
          std::string::npos);
  }
}

TEST_CASE("sanity icarus: residue mode r = 4, no false flag, a wrong checksum residue is flagged unless x[0] = 0 mod 15",
          "[sanity][residue][icarus]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const int res = 4;
  const auto cfg = config::loadConfigText(
      "", "t", {"array.rows=3", "array.cols=4", "protect.sanity_check=spatial", "protect.sanity_residue_bits=4"});
  const auto ip = units::buildIp(cfg);
  const int r = cfg.array.rows, c = cfg.array.cols, b = cfg.data.bits, a = cfg.data.accBits, m = 10;
  std::mt19937_64 rng(19);
  golden::Matrix wt = randomMatrix(r, c, b, rng);
  for (int j = 0; j < c; ++j) wt.at(1, j) = golden::minValue(b);
  std::string wText, sText, xText, yText;
  for (int k = 0; k < r; ++k) {
    std::vector<golden::Wide> row;
    for (int j = 0; j < c; ++j) row.push_back(wt.at(k, j));
    wText += test::laneBits(row, b);
  }
  for (int64_t s : sc::checksumColumn(wt)) sText += test::laneBits(std::vector<golden::UWide>{sc::residueOf(s, res)}, res);
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  int seen = 0;
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(r);
    for (auto& v : x) v = i == 0 ? golden::minValue(b) : d(rng);
    if (i == 1) x[0] = 0;
    if (i == 2) x[0] = -45;  // a multiple of 15: the off-by-one residue stays invisible
    seen += x[0] % 15 != 0;
    xText += test::laneBits(std::vector<golden::Wide>(x.begin(), x.end()), b);
    yText += test::laneBits(golden::arrayOutput(x, wt), a);
  }
  for (int bad : {0, 1}) {
    test::TempDir dir;
    flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
    test::writeFile(dir / "w.mem", wText);
    test::writeFile(dir / "s.mem", sText);
    test::writeFile(dir / "x.mem", xText);
    test::writeFile(dir / "y.mem", yText);
    const std::string out = test::runIcarus(
       dir, test::packageRtl(ip), test::wsStreamTb(sanityTb(ip.top, r, c, b, a, m, res, res, bad, 0, 0)));
    INFO("bad " << bad << "\n" << out);
    const int flags = bad ? seen : 0;
    CHECK(out.find(fmt::format("RESULT got=10 errors=0 flags={} alarm={}", flags, flags ? 1 : 0)) != std::string::npos);
  }
}

TEST_CASE("sanity campaign: weight and result flips are detected, input flips are missed (Table 6.1)",
          "[sanity][campaign]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "protect.sanity_check=spatial"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  // Every bit of one active weight, mid-workload: always detected.
  for (int bit = 0; bit < cfg.data.bits; ++bit)
    CHECK(test::listOutcome(model, cfg, "u_array.gen_row[1].gen_col[1].u_pe.weight_q:" + std::to_string(bit) + "@30") ==
          "detected");
  CHECK(test::listOutcome(model, cfg, "u_array.gen_row[2].gen_col[0].u_pe.psum_q:0@30") == "detected");
  CHECK(test::listOutcome(model, cfg, "u_array.gen_row[2].gen_col[1].u_pe.psum_q:16@31") == "detected");
  // An input flipped before the array reaches the sanity neuron too: wrong results, no alarm.
  CHECK(test::listOutcome(model, cfg, "u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q:6@30") == "sdc");
  // A flip of the checksum weight: a false alarm, never a missed error.
  CHECK(test::listOutcome(model, cfg, "u_sanity_col.gen_row[0].weight_q:2@30") == "detected");
}

TEST_CASE("sanity cosim: under PE faults every flag equals the model's decision", "[sanity][cosim][faults]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "protect.sanity_check=spatial"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  for (const std::string faults : {"s1:1,1,3", "s0:2,0,16", "rnd:0,1"}) {
    flow::CosimOptions o;
    o.vectors = 120;
    o.seed = 4;
    o.pattern = "mixed";
    o.inValidProb = 0.8;
    o.outReadyProb = 0.7;
    o.peFaults = faults;
    const auto r = flow::runCosim(model, o);
    INFO(faults << ": " << r.report.dump());
    CHECK(r.report["alarm_model_checked"] == 120);
    CHECK(r.report["alarm_model_mismatches"] == 0);
    // The faults corrupt results (the run fails) and the check sees them.
    CHECK(r.report["mismatches"].get<long>() > 0);
    CHECK(r.report["alarm_cycles"].get<long>() > 0);
  }
}

TEST_CASE("sanity residue cosim: 3x3 r=3, no false alarm, flags equal the model under PE faults, flips detected",
          "[sanity][residue][cosim][large]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText(
      "", "t", {"array.rows=3", "array.cols=3", "protect.sanity_check=spatial", "protect.sanity_residue_bits=3"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  for (const std::string pattern : {"random", "neg", "mixed"}) {
    flow::CosimOptions o;
    o.vectors = 400;
    o.seed = 8;
    o.pattern = pattern;
    o.inValidProb = 0.8;
    o.outReadyProb = 0.7;
    const auto r = flow::runCosim(model, o);
    INFO(pattern << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["alarm_cycles"] == 0);
    CHECK(r.report["alarm_model_checked"] == 400);
  }
  for (const std::string faults : {"s1:1,1,3", "s0:2,0,16", "rnd:0,1"}) {
    flow::CosimOptions o;
    o.vectors = 200;
    o.seed = 4;
    o.pattern = "mixed";
    o.peFaults = faults;
    const auto r = flow::runCosim(model, o);
    INFO(faults << ": " << r.report.dump());
    CHECK(r.report["alarm_model_checked"] == 200);
    CHECK(r.report["alarm_model_mismatches"] == 0);
    CHECK(r.report["mismatches"].get<long>() > 0);
    CHECK(r.report["alarm_cycles"].get<long>() > 0);
  }
  for (int bit = 0; bit < cfg.data.bits; ++bit)
    CHECK(test::listOutcome(model, cfg, "u_array.gen_row[1].gen_col[1].u_pe.weight_q:" + std::to_string(bit) + "@30") ==
          "detected");
  for (int bit : {0, 5, 16})
    CHECK(test::listOutcome(model, cfg, "u_array.gen_row[2].gen_col[2].u_pe.psum_q:" + std::to_string(bit) + "@31") ==
          "detected");
  CHECK(test::listOutcome(model, cfg, "u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q:6@30") == "sdc");
}

TEST_CASE("sanity residue cosim: 1x1 4-bit r=2, 3x5 16-bit r=7, 8x8 r=8, IS 4x3 r=5", "[sanity][residue][cosim][large]") {
  sanityCosim({"array.rows=1", "array.cols=1", "data.bits=4", "protect.sanity_residue_bits=2"}, 300, {"random", "neg"});
  sanityCosim({"array.rows=3", "array.cols=5", "data.bits=16", "protect.sanity_residue_bits=7"}, 300, {"neg", "mixed"});
  sanityCosim({"protect.sanity_residue_bits=8"}, 300, {"random", "mixed"});
  sanityCosim({"array.rows=4", "array.cols=3", "array.dataflow=is", "protect.sanity_residue_bits=5"}, 300, {"random", "neg"});
}

namespace {

// Campaign records (JSON Lines) of one request on a residue-mode 4x4 8-bit IP.
std::vector<nlohmann::json> residueCampaign(const flow::CosimModel& model, const config::Config& cfg,
                                            const std::string& faultModel, int burst, const std::string& kinds,
                                            long faults, uint64_t seed) {
  test::TempDir tmp;
  flow::CampaignRequest req;
  req.run.model = faultModel;
  req.run.faults = faults;
  req.run.burst = burst;
  req.run.kinds = kinds;
  req.run.seed = seed;
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  REQUIRE(flow::runCampaign(model, flow::validateCampaign(cfg, req)).exitCode == 0);
  std::vector<nlohmann::json> records;
  std::istringstream in(test::readFile(tmp / "r.jsonl"));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  return records;
}

}  // namespace

TEST_CASE("sanity residue campaign: r = 4 misses no single bit, misses bursts only when the error is a multiple of 15",
          "[sanity][residue][campaign][large]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText(
      "", "t", {"array.rows=4", "array.cols=4", "protect.sanity_check=spatial", "protect.sanity_residue_bits=4"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  // Single-bit upsets of weights, PE results, outputs: every wrong result is detected.
  long detected = 0;
  for (const auto& rec : residueCampaign(model, cfg, "seu", 0, "weight,psum,deskew,out_buf", 4000, 11)) {
    if (rec.value("type", "") != "fault") continue;
    INFO(rec.dump());
    CHECK(rec["outcome"] != "sdc");
    detected += rec["outcome"] == "detected";
  }
  CHECK(detected > 2000);
  // 4-bit bursts: escapes exist (all four bits flipping the same way: +-15 * 2^i), and every
  // escape's errors are multiples of 15; shorter bursts never escape.
  long escapes = 0;
  for (int burst : {2, 3, 4}) {
    for (const auto& rec : residueCampaign(model, cfg, "mbu", burst, "psum,deskew", 3000, 22)) {
      if (rec.value("type", "") != "fault" || rec["outcome"] != "sdc") continue;
      INFO(rec.dump());
      CHECK(burst == 4);
      ++escapes;
      for (const auto& e : rec["errors"]) CHECK(e[2].get<int64_t>() % 15 == 0);
    }
  }
  CHECK(escapes > 0);
}
