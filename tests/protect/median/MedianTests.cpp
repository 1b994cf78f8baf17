// The median unit in the IP: keys and diagnostics, comparator counts (generator == Yosys cells
// before techmap, optimized < naive), and fault-free co-simulation with the filter in the golden
// model.
#include <catch2/catch.hpp>

#include <iostream>
#include <regex>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "protect/median/MedianUnit.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

// $lt/$le/$gt/$ge cells of the median module after proc, before any optimization or techmap.
int yosysComparators(const std::vector<std::string>& sets) {
  const auto cfg = config::loadConfigText("", "t", sets);
  const auto ip = units::buildIp(cfg);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
  const std::string mod = cfg.ip.name + "_median";
  auto r = flow::runProcess({"yosys", "-p", "read_verilog -sv rtl/" + mod + ".sv; hierarchy -top " + mod + "; proc; stat"},
                            dir / "ip");
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  int n = 0;
  static const std::regex cell(R"(\s+\$(lt|le|gt|ge)\s+(\d+))");
  for (std::sregex_iterator it(r.output.begin(), r.output.end(), cell), end; it != end; ++it) n += std::stoi((*it)[2]);
  return n;
}

void medianCosim(const std::vector<std::string>& sets) {
  test::useTestCache();
  const auto model = flow::buildCosimModel(config::loadConfigText("", "t", sets));
  for (const char* pattern : {"random", "neg", "max", "mixed", "zero"}) {
    flow::CosimOptions o;
    o.vectors = 120;
    o.batch = 19;
    o.seed = 9;
    o.pattern = pattern;
    o.inValidProb = 0.8;
    o.outReadyProb = 0.7;
    const auto r = flow::runCosim(model, o);
    INFO(pattern << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["mismatches"] == 0);
    if (std::string(pattern) == "random") CHECK(r.report["filtered_vectors"].get<long>() > 0);  // the filter did act
  }
}

}  // namespace

TEST_CASE("median keys: window 3 or 5, implementations, dataflow", "[protect][median]") {
  CHECK_THAT(test::configError({"protect.median.window=4"}), Catch::Contains("protect.median.window") && Catch::Contains("3, 5"));
  CHECK_THAT(test::configError({"protect.median.window=7"}), Catch::Contains("protect.median.window"));
  CHECK_THAT(test::configError({"protect.median.impl=fast"}),
             Catch::Contains("protect.median.impl") && Catch::Contains("\"optimized\""));
  CHECK_THAT(test::configError({"protect.median.enable=true", "array.dataflow=os"}), Catch::Contains("protect.median.enable"));
  const auto on = config::loadConfigText("", "t", {"protect.median.enable=true", "protect.median.impl=naive"});
  CHECK(on.ip.name == "ftaccel_ws8x8_d8_med3n");
  CHECK(config::loadConfigText("", "t", {}).canonicalToml().find("median") == std::string::npos);
}

TEST_CASE("median comparator counts: generator equals the Yosys netlist", "[protect][median][synth]") {
  // Optimized median-3: 2 per window after the first (3); median-5: 4 after the first (10),
  // less the comparisons of two padding zeros, which are constants.
  CHECK(protect::median::comparatorCount(8, 3, false) == 24);
  CHECK(protect::median::comparatorCount(8, 3, true) == 17);
  CHECK(protect::median::comparatorCount(8, 5, false) == 55);  // 7 per lane, lane 0 starts with two padding zeros
  CHECK(protect::median::comparatorCount(8, 5, true) == 30);  // 38 pairs, 2 of two zeros, 6 repeat a zero comparison
  for (int rows : {1, 3, 8, 16})
    for (int w : {3, 5})
      for (bool opt : {false, true}) {
        const std::vector<std::string> sets = {"array.rows=" + std::to_string(rows), "array.cols=2",
                                               "protect.median.enable=true",
                                               "protect.median.window=" + std::to_string(w),
                                               std::string("protect.median.impl=") + (opt ? "optimized" : "naive")};
        INFO(rows << " lanes, window " << w << (opt ? " optimized" : " naive"));
        CHECK(yosysComparators(sets) == protect::median::comparatorCount(rows, w, opt));
        if (rows > 1) CHECK(protect::median::comparatorCount(rows, w, true) < protect::median::comparatorCount(rows, w, false));
      }
}

TEST_CASE("median cosim 4x3 8-bit median-3 optimized", "[protect][median][cosim]") {
  medianCosim({"array.rows=4", "array.cols=3", "protect.median.enable=true"});
}

TEST_CASE("median cosim 7x2 16-bit median-5 naive", "[protect][median][cosim]") {
  medianCosim({"array.rows=7", "array.cols=2", "data.bits=16", "protect.median.enable=true", "protect.median.window=5",
         "protect.median.impl=naive"});
}

TEST_CASE("median cosim 5x5 8-bit median-5 optimized and 1x2 median-3 naive", "[protect][median][cosim][large]") {
  medianCosim({"array.rows=5", "array.cols=5", "protect.median.enable=true", "protect.median.window=5"});
  medianCosim({"array.rows=1", "array.cols=2", "protect.median.enable=true", "protect.median.impl=naive"});
}

TEST_CASE("median comparator table (docs/filters.md)", "[.][filter-figures]") {
  for (int lanes : {1, 3, 8, 16, 64})
    std::cout << lanes << " lanes: median-3 naive " << protect::median::comparatorCount(lanes, 3, false) << " optimized "
              << protect::median::comparatorCount(lanes, 3, true) << "; median-5 naive "
              << protect::median::comparatorCount(lanes, 5, false) << " optimized "
              << protect::median::comparatorCount(lanes, 5, true) << "\n";
}
