// Permanent PE faults (stuck-at bits, random-output PEs, whole faulty rows and columns): wrong
// results without bypass; with the faulty PEs bypassed the RTL equals the pruned golden model.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Cosim.h"

using namespace ftaccel;

namespace {

nlohmann::json runFaults(const flow::CosimModel& model, const std::string& faults, bool bypass) {
  flow::CosimOptions o;
  o.vectors = 120;
  o.batch = 17;
  o.seed = 9;
  o.pattern = "random";
  o.inValidProb = 0.9;
  o.outReadyProb = 0.8;
  o.peFaults = faults;
  o.bypassFaulty = bypass;
  return flow::runCosim(model, o).report;
}

void checkFaultMaps(const std::vector<std::string>& sets, const std::vector<std::string>& maps) {
  test::useTestCache();
  auto cfg = config::loadConfigText("", "t", sets);
  auto model = flow::buildCosimModel(cfg, {}, /*faultPorts=*/true);
  {
    // The fault-port variant without faults behaves exactly like the production RTL.
    flow::CosimOptions clean;
    clean.vectors = 100;
    clean.pattern = "mixed";
    CHECK(flow::runCosim(model, clean).passed());
  }
  for (const auto& map : maps) {
    INFO("faults " << map);
    auto broken = runFaults(model, map, false);
    INFO(broken.dump());
    CHECK(broken["faulty_pes"].get<long>() > 0);
    CHECK(broken["mismatches"].get<long>() > 0);
    auto repaired = runFaults(model, map, true);
    INFO(repaired.dump());
    CHECK(repaired["mismatches"] == 0);
    CHECK(repaired["checked"] == 120);
    CHECK(repaired["bypassed_pes"] == broken["faulty_pes"]);
    CHECK(repaired["pruning_visible_vectors"].get<long>() > 0);
  }
}

}  // namespace

TEST_CASE("faulty PEs 4x4 8-bit: stuck-at and random PEs and a row and a column", "[bypass][faults]") {
  checkFaultMaps({"array.rows=4", "array.cols=4", "protect.bypass=true"},
                 {"s1:0,0,3", "s0:3,3,4", "s1:1,2,17", "rnd:2,1", "s1:0,1,2+rnd:3,0+s0:2,2,7",
                  "rndrow:1", "rndcol:3"});
}

TEST_CASE("faulty PEs 3x5 16-bit non-square", "[bypass][faults][large]") {
  checkFaultMaps({"array.rows=3", "array.cols=5", "data.bits=16", "protect.bypass=true"},
                 {"s1:2,4,20", "rndrow:0+rndcol:2"});
}

TEST_CASE("a malformed fault spec is rejected", "[faults]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(
      config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.bypass=true"}), {}, true);
  for (std::string bad : {"s1:9,0,1", "s1:0,0,99", "bogus:1", "rnd:1"}) {
    flow::CosimOptions o;
    o.vectors = 5;
    o.peFaults = bad;
    CHECK_THROWS_WITH(flow::runCosim(model, o), Catch::Contains("--pe-fault"));
  }
}
