// `ftaccel synth` on a flow-controlling PE: the dense IP of the same size is the baseline, the
// overhead entry carries the group size, the ops gains and the dissertation's figures.
#include <catch2/catch.hpp>

#include "config/Config.h"
#include "flow/IpSynth.h"

using namespace ftaccel;

namespace {

flow::SynthResult fake(const std::string& prefix, double peArea, double pePower, double path) {
  flow::SynthResult r;
  r.modules = {{prefix + "_pe", 4, peArea, peArea, 0, 0, pePower, pePower, 0, path, "", ""},
               {prefix + "_array", 1, 0, 4 * peArea, 0, 0, 0, 4 * pePower, 0, path, "", ""}};
  r.totalArea = 4 * peArea + 100;
  r.totalPowerW = 4 * pePower;
  return r;
}

}  // namespace

TEST_CASE("synth overhead of a flow-controlling PE against the dense IP", "[sparse][synth]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=2", "array.cols=2", "array.pe=twodim",
                                                    "array.group_l=4", "array.group_k=4"});
  const auto bases = flow::baselinesFor(cfg);
  REQUIRE(bases.size() == 1);
  CHECK(bases[0].first == "twodim-4x4");
  CHECK(bases[0].second.array.pe == config::PeKind::Dense);
  CHECK(bases[0].second.ip.name == "ftaccel_ws2x2_d8");
  const auto e = flow::overheadOf("twodim-4x4", cfg, fake("d", 1000, 1e-5, 2.0), fake("s", 2000, 4e-5, 2.5));
  CHECK(e.group == 16);
  CHECK(e.reference.find("area +63.73 %, power +65.67 %") != std::string::npos);
  CHECK(e.reference.find("ops/area 9.77x") != std::string::npos);
  const auto j = flow::toJsonWithGain(e);
  CHECK(j["ops_per_area_gain"] == Approx(8.0));
  CHECK(j["ops_per_power_gain"] == Approx(4.0));
  CHECK(flow::formatOverhead({e}, "NAND2-eq").find("ops/area 8.00x, ops/power 4.00x, PE path +25.0 %") !=
        std::string::npos);
  // A dense IP has no such baseline.
  CHECK(flow::baselinesFor(config::loadConfigText("", "t", {})).empty());
}
