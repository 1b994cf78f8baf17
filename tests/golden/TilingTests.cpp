// Host-side tiler: full matrix products of any size through the array, eq. 10.3 mapping with
// diagonal shift, bypass pruning and faulty PEs, checked against one golden matmul.
#include <catch2/catch.hpp>

#include <set>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Cosim.h"

using namespace ftaccel;

namespace {

nlohmann::json tiled(const flow::CosimModel& model, const std::string& mm, int shift,
                     const std::string& bypass = "none", const std::string& faults = "none") {
  flow::CosimOptions o;
  o.matmul = mm;
  o.shift = shift;
  o.bypass = bypass;
  o.peFaults = faults;
  o.bypassFaulty = faults != "none";
  o.seed = 4;
  o.inValidProb = 0.9;
  o.outReadyProb = 0.9;
  auto r = flow::runCosim(model, o);
  INFO(mm << " shift " << shift << " bypass " << bypass << " faults " << faults << "\n" << r.report.dump());
  CHECK(r.passed());
  CHECK(r.report["matmul_mismatches"] == 0);
  CHECK(r.report["mismatches"] == 0);
  return r.report;
}

}  // namespace

TEST_CASE("tiler: products larger than the array and not multiples of it", "[tiling][cosim]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(config::loadConfigText("", "t", {"array.rows=4", "array.cols=3"}));
  auto j = tiled(model, "9,11,7", 0);
  CHECK(j["tiles"] == 3 * 3);
  CHECK(j["matmul_elements"] == 9 * 7);
  tiled(model, "1,1,1", 0);   // smaller than the array
  tiled(model, "6,4,3", 0);   // exactly one tile
  // Without bypass the diagonal shift is only a relabelling: the product is unchanged.
  CHECK(tiled(model, "9,11,7", 2)["matmul_result_hash"] == j["matmul_result_hash"]);
}

TEST_CASE("tiler: bypass pruning follows the shifted mapping", "[tiling][bypass][cosim]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(
      config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.bypass=true"}));
  // Each shift gives another pruning pattern (another product), and each equals its golden.
  std::set<std::string> hashes;
  for (int shift : {0, 1, 2, 3}) hashes.insert(tiled(model, "6,10,9", shift, "pe:1,2+pe:0,0")["matmul_result_hash"]);
  CHECK(hashes.size() == 4);
  // Shifts repeat modulo the array size.
  CHECK(tiled(model, "6,10,9", 5, "pe:1,2+pe:0,0")["matmul_result_hash"] ==
        tiled(model, "6,10,9", 1, "pe:1,2+pe:0,0")["matmul_result_hash"]);
}

TEST_CASE("tiler: faulty PEs bypassed under a shifted mapping", "[tiling][faults][cosim]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(
      config::loadConfigText("", "t", {"array.rows=3", "array.cols=5", "data.bits=16", "protect.bypass=true"}),
      {}, true);
  tiled(model, "5,8,12", 0, "none", "rndrow:1+s1:0,4,9");
  tiled(model, "5,8,12", 2, "none", "rndcol:3");
}

TEST_CASE("tiler IS: inputs stationary with eq. 10.4 and shift and bypass and faults", "[tiling][is][cosim][large]") {
  test::useTestCache();
  auto cfg = config::loadConfigText("", "t", {"array.rows=4", "array.cols=3", "array.dataflow=is",
                                              "protect.bypass=true"});
  auto model = flow::buildCosimModel(cfg);
  auto plain = tiled(model, "10,7,9", 0);
  CHECK(plain["tiles"] == 4 * 2);  // batch tiles x input-channel tiles
  CHECK(tiled(model, "10,7,9", 2)["matmul_result_hash"] == plain["matmul_result_hash"]);
  std::set<std::string> hashes;
  for (int shift : {0, 1, 2}) hashes.insert(tiled(model, "9,8,5", shift, "pe:1,2+pe:0,0")["matmul_result_hash"]);
  CHECK(hashes.size() == 3);
  auto fiModel = flow::buildCosimModel(cfg, {}, true);
  tiled(fiModel, "7,9,6", 1, "none", "rndcol:1+s0:3,2,5");
}
