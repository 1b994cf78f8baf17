// Output-stationary dataflow: tiles of K reduction steps, exact latency and tile timing,
// corner operands and backpressure, bypass (outputs forced to zero), faults and the tiler.
#include <catch2/catch.hpp>

#include <set>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Cosim.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

config::Config osConfig(int rows, int cols, int bits, bool bypass = false) {
  return config::loadConfigText("", "os", {fmt::format("array.rows={}", rows), fmt::format("array.cols={}", cols),
                                           fmt::format("data.bits={}", bits), "array.dataflow=os",
                                           bypass ? "protect.bypass=true" : "protect.bypass=false"});
}

nlohmann::json pass(const flow::CosimModel& model, const flow::CosimOptions& o) {
  auto r = flow::runCosim(model, o);
  INFO(r.report.dump());
  CHECK(r.passed());
  CHECK(r.report["mismatches"] == 0);
  CHECK(r.report["spurious_outputs"] == 0);
  CHECK(r.report["timeout"] == false);
  return r.report;
}

void checkOsShape(int rows, int cols, int bits) {
  test::useTestCache();
  auto cfg = osConfig(rows, cols, bits);
  auto ip = units::buildIp(cfg);
  CHECK(ip.latencyCycles == rows + cols + 2);  // drain row register and output buffer
  auto model = flow::buildCosimModel(cfg);
  for (std::string pattern : {"neg", "zero", "alt", "max", "random", "mixed"})
    for (long k : {1L, 3L, (long)rows + 2}) {
      INFO("pattern " << pattern << " K " << k);
      flow::CosimOptions o;
      o.pattern = pattern;
      o.vectors = 6L * rows;
      o.batch = k;
      o.seed = 3;
      o.inValidProb = 0.8;
      o.outReadyProb = 0.7;
      pass(model, o);
    }
  // Full rate: one tile, then back-to-back tiles of K >= rows beats never wait.
  flow::CosimOptions o;
  o.vectors = rows;
  o.batch = rows + 3;
  auto one = pass(model, o);
  CHECK(one["latency_min"] == rows + cols + 2);
  CHECK(one["latency_max"] == rows + cols + 2);
  CHECK(one["batch_cycles"] == o.batch + 2 * rows + cols);
  o.vectors = 4L * rows;
  auto many = pass(model, o);
  CHECK(many["input_stall_cycles"] == 0);
  CHECK(many["batch_cycles"] == 4 * o.batch + 2 * rows + cols);
  if (rows > 1) {
    // Shorter tiles must wait for the drain: bubbles are inserted.
    o.batch = 1;
    CHECK(pass(model, o)["input_stall_cycles"].get<long>() > 0);
  }
}

}  // namespace

TEST_CASE("OS co-simulation 3x4 8-bit", "[os][cosim]") { checkOsShape(3, 4, 8); }
TEST_CASE("OS co-simulation 1x1 4-bit", "[os][cosim]") { checkOsShape(1, 1, 4); }
TEST_CASE("OS co-simulation 5x2 16-bit", "[os][cosim]") { checkOsShape(5, 2, 16); }
TEST_CASE("OS co-simulation 8x8 32-bit", "[os][cosim][large]") { checkOsShape(8, 8, 32); }

TEST_CASE("OS bypass forces outputs to zero and repairs faulty PEs", "[os][bypass][faults][cosim]") {
  test::useTestCache();
  auto cfg = osConfig(4, 3, 8, true);
  auto model = flow::buildCosimModel(cfg);
  for (std::string mask : {"pe:0,0", "row:3", "col:1", "random:0.3"}) {
    flow::CosimOptions o;
    o.vectors = 40;
    o.batch = 6;
    o.bypass = mask;
    o.outReadyProb = 0.8;
    auto j = pass(model, o);
    CHECK(j["pruning_visible_vectors"].get<long>() > 0);
  }
  auto fi = flow::buildCosimModel(cfg, {}, true);
  for (std::string faults : {"s1:2,1,5", "rnd:0,2", "rndrow:1", "rndcol:0+s0:3,2,1"}) {
    INFO(faults);
    flow::CosimOptions o;
    o.vectors = 40;
    o.batch = 6;
    o.peFaults = faults;
    auto broken = flow::runCosim(fi, o);
    CHECK(broken.report["mismatches"].get<long>() > 0);
    o.bypassFaulty = true;
    pass(fi, o);
  }
}

TEST_CASE("OS tiler: eq. 10.5 mapping with shift and bypass", "[os][tiling][cosim]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(osConfig(4, 3, 8, true));
  flow::CosimOptions o;
  o.matmul = "9,11,7";
  auto plain = pass(model, o);
  CHECK(plain["tiles"] == 3 * 3);
  CHECK(plain["matmul_mismatches"] == 0);
  o.shift = 2;
  CHECK(pass(model, o)["matmul_result_hash"] == plain["matmul_result_hash"]);
  std::set<std::string> hashes;
  o.bypass = "pe:1,2+pe:0,0";
  for (int shift : {0, 1, 2}) {
    o.shift = shift;
    hashes.insert(pass(model, o)["matmul_result_hash"].get<std::string>());
  }
  CHECK(hashes.size() == 3);
  // Faulty PEs under a shifted mapping: bypassed, the tiled product equals the pruned golden.
  auto fi = flow::buildCosimModel(osConfig(4, 3, 8, true), {}, true);
  flow::CosimOptions f;
  f.matmul = "9,11,7";
  f.shift = 1;
  f.peFaults = "rndcol:2+s1:3,0,6";
  auto broken = flow::runCosim(fi, f);
  CHECK(broken.report["matmul_mismatches"].get<long>() > 0);
  f.bypassFaulty = true;
  pass(fi, f);
}

TEST_CASE("OS accumulators are sized by max_k", "[os][config]") {
  auto cfg = config::loadConfigText("[array]\ndataflow = \"os\"\nmax_k = 1000\n", "x");
  CHECK(cfg.data.accBits == 2 * 8 + 9);
  CHECK(cfg.ip.name == "ftaccel_os8x8_d8");
  try {
    config::loadConfigText("[array]\ndataflow = \"os\"\nmax_k = 1000\n[data]\nacc_bits = 24\n", "x");
    FAIL("expected an error");
  } catch (const diag::DiagnosticError& e) {
    CHECK(e.bag().format().find("array.max_k") != std::string::npos);
  }
  test::useTestCache();
  auto model = flow::buildCosimModel(osConfig(2, 2, 4));
  flow::CosimOptions o;
  o.batch = 257;  // default max_k is 256
  CHECK_THROWS_WITH(flow::runCosim(model, o), Catch::Contains("max_k"));
}
