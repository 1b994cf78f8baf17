// Weight parity against its golden model: Verilator co-simulation of the whole load path
// (host packing, memory bit errors, the RTL check and zeroing, the per-load counter) on several
// shapes and widths, and one four-state Icarus run.
#include <catch2/catch.hpp>

#include <random>

#include "IcarusUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "golden/GoldenModel.h"
#include "protect/parity/ParityPacker.h"
#include "protect/parity/ParityUnit.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

void checkParity(std::vector<std::string> sets, const std::string& pattern) {
  test::useTestCache();
  sets.push_back("protect.weight_parity.enable=true");
  const auto cfg = config::loadConfigText("", "t", sets);
  const auto model = flow::buildCosimModel(cfg);
  for (double ber : {0.0, 0.03}) {
    flow::CosimOptions o;
    o.vectors = 120;
    o.batch = 10;
    o.seed = 5;
    o.pattern = pattern;
    o.inValidProb = 0.9;
    o.outReadyProb = 0.8;
    o.memoryBer = ber;
    const auto r = flow::runCosim(model, o);
    INFO(cfg.ip.name << " ber " << ber << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["mismatches"] == 0);
    if (ber == 0) {
      CHECK(r.report["parity_zeroed_words"] == 0);  // packed words all pass
    } else {
      CHECK(r.report["memory_bit_errors"].get<long>() > 0);
      CHECK(r.report["parity_zeroed_words"].get<long>() > 0);  // the RTL zeroed what the golden model did
    }
  }
}

}  // namespace

TEST_CASE("weight parity co-simulation: 1x1, P=1, 8-bit", "[parity][cosim]") {
  checkParity({"array.rows=1", "array.cols=1", "protect.weight_parity.word_weights=1"}, "mixed");
}

TEST_CASE("weight parity co-simulation: 3x5 non-square, P=cols, 8-bit, most negative", "[parity][cosim][large]") {
  checkParity({"array.rows=3", "array.cols=5", "protect.weight_parity.word_weights=5"}, "neg");
}

TEST_CASE("weight parity co-simulation: 4x8 16-bit, P=2, rule last, most negative times most positive",
          "[parity][cosim][large]") {
  checkParity({"array.rows=4", "array.cols=8", "data.bits=16", "protect.weight_parity.word_weights=2",
               "protect.weight_parity.flip=last"}, "max");
}

TEST_CASE("weight parity co-simulation: 8x16 8-bit, P=8, random", "[parity][cosim]") {
  checkParity({"array.rows=8", "array.cols=16", "protect.weight_parity.word_weights=8"}, "random");
}

// Four-state run: a packed matrix with some words corrupted (odd and even numbers of bits),
// results against the golden model of the load path, and the counter after the load.
TEST_CASE("weight parity: Icarus four-state run with odd and even corruptions", "[parity][icarus]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=6", "protect.weight_parity.enable=true",
                                                    "protect.weight_parity.word_weights=3"});
  const auto ip = units::buildIp(cfg);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
  const int r = cfg.array.rows, c = cfg.array.cols, b = cfg.data.bits, a = cfg.data.accBits, m = 9;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  golden::Matrix w(r, c);
  for (auto& v : w.data) v = d(rng);
  w.at(0, 0) = golden::minValue(b);
  const protect::parity::WordLayout layout{b, c, 3};
  protect::parity::packImage(w.data, layout, protect::parity::FlipRule::Largest);
  auto stored = w.data;
  protect::parity::corrupt(stored, layout, {1, {7}});           // beat 0 word 1: one bit, zeroed
  protect::parity::corrupt(stored, layout, {2, {0, 1, 2}});     // beat 1 word 0: three bits, zeroed
  protect::parity::corrupt(stored, layout, {5, {20, 21}});      // beat 2 word 1: two bits, escape
  auto loaded = stored;
  int zeroed = 0;
  for (int z : protect::parity::checkAndZero(loaded, layout)) zeroed += z;
  REQUIRE(zeroed == 2);
  golden::Matrix wl(r, c);
  wl.data = loaded;
  std::string wText, xText, yText;
  for (int k = 0; k < r; ++k)
    wText += test::laneBits(std::vector<golden::Wide>(stored.begin() + k * c, stored.begin() + (k + 1) * c), b);
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(r);
    for (auto& v : x) v = d(rng);
    xText += test::laneBits(std::vector<golden::Wide>(x.begin(), x.end()), b);
    yText += test::laneBits(golden::arrayOutput(x, wl), a);
  }
  test::writeFile(dir / "w.mem", wText);
  test::writeFile(dir / "x.mem", xText);
  test::writeFile(dir / "y.mem", yText);
  test::WsStreamTb tb{.top = ip.top, .rows = r, .cols = c, .bits = b, .accBits = a, .vectors = m};
  tb.params = fmt::format("localparam int CB = {}, Z = {};", protect::parity::countBits(cfg), zeroed);
  tb.decls = "logic wparity_flag_o;\n  logic [CB-1:0] wparity_count_o;";
  tb.inValidGate = "loaded == R && ";  // the counter is checked once the whole matrix is in
  tb.xSignals = {"wparity_count_o", "wparity_flag_o", "out_data_o"};
  tb.check = R"(if (in_valid_i && in_ready_o && sent == 0 && (wparity_count_o !== CB'(Z) || wparity_flag_o !== (Z != 0))) begin
      $display("count %0d flag %b, expected %0d", wparity_count_o, wparity_flag_o, Z);
      errors++;
    end)";
  const std::string out = test::runIcarus(dir, test::packageRtl(ip), test::wsStreamTb(tb));
  INFO(out);
  CHECK_THAT(out, Catch::Contains("RESULT got=9 errors=0"));
}
