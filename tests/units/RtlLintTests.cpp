// Every emitted file must pass Verilator -Wall and be read by Yosys 0.23 and Icarus -g2012.
#include <algorithm>

#include <catch2/catch.hpp>

#include "LintUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

struct LintTarget {
  std::vector<std::string> sets;
  // Verilator and Icarus elaborate every PE instance, which is slow for the largest arrays, so
  // those sizes are checked with Yosys only; `make lint-large` runs the simulators on 256x256.
  bool simulators = true;
  bool faultPorts = false;  // the simulation variant must be as clean as the production RTL
};

void lint(const LintTarget& t) {
  test::lintPackage({t.sets, units::BuildOptions{t.faultPorts, t.faultPorts}, t.simulators,
                     [](const std::string&) { return true; }});
}

}  // namespace

TEST_CASE("lint: default 8x8 8-bit", "[lint]") { lint({{}}); }
TEST_CASE("lint: 1x1 4-bit", "[lint]") { lint({{"array.rows=1", "array.cols=1", "data.bits=4"}}); }
TEST_CASE("lint: 2x3 32-bit with explicit 96-bit accumulator", "[lint]") {
  lint({{"array.rows=2", "array.cols=3", "data.bits=32", "data.acc_bits=96"}});
}
TEST_CASE("lint: 7x1 and 1x9 edges", "[lint]") {
  lint({{"array.rows=7", "array.cols=1"}});
  lint({{"array.rows=1", "array.cols=9", "data.bits=5"}});
}
TEST_CASE("lint: bypass 5x3 8-bit and 1x1 16-bit", "[lint][bypass]") {
  lint({{"array.rows=5", "array.cols=3", "protect.bypass=true"}});
  lint({{"array.rows=1", "array.cols=1", "data.bits=16", "protect.bypass=true"}});
}
TEST_CASE("lint: fault-port variant with bypass", "[lint][faults]") {
  lint({{"array.rows=3", "array.cols=4", "protect.bypass=true"}, true, true});
  lint({{"array.rows=2", "array.cols=2"}, true, true});
}
TEST_CASE("lint: IS 4x6 and IS 1x1 with bypass", "[lint][is]") {
  lint({{"array.rows=4", "array.cols=6", "array.dataflow=is"}});
  lint({{"array.rows=1", "array.cols=1", "array.dataflow=is", "protect.bypass=true"}});
}
TEST_CASE("lint: OS 3x4 with bypass and OS 1x1 and OS fault variant", "[lint][os]") {
  lint({{"array.rows=3", "array.cols=4", "array.dataflow=os", "protect.bypass=true"}});
  lint({{"array.rows=1", "array.cols=1", "array.dataflow=os", "data.bits=4"}});
  lint({{"array.rows=2", "array.cols=5", "array.dataflow=os", "protect.bypass=true"}, true, true});
}
TEST_CASE("lint: flat net form on WS with bypass and fault ports, IS and OS", "[lint][nets]") {
  lint({{"array.nets=flat", "array.rows=3", "array.cols=4", "protect.bypass=true"}, true, true});
  lint({{"array.nets=flat", "array.dataflow=is", "array.rows=1", "array.cols=3"}});
  lint({{"array.nets=flat", "array.dataflow=os", "array.rows=4", "array.cols=2"}});
}
// The rows form (the default above 64x64 PEs for WS/IS) forced on small arrays: with bypass and
// both fault-port variants, IS, a flow-controlling PE, one row and one column.
TEST_CASE("lint: rows net form on WS with bypass and fault ports, IS, twodim PE and edges", "[lint][nets]") {
  lint({{"array.nets=rows", "array.rows=8", "array.cols=8", "protect.bypass=true"}, true, true});
  lint({{"array.nets=rows", "array.dataflow=is", "array.rows=3", "array.cols=4"}});
  lint({{"array.nets=rows", "array.pe=twodim", "array.group_l=2", "array.group_k=2", "array.rows=4", "array.cols=4"}});
  lint({{"array.nets=rows", "array.rows=1", "array.cols=5"}});
  lint({{"array.nets=rows", "array.rows=5", "array.cols=1", "protect.bypass=true"}});
}
TEST_CASE("lint: 64x64 16-bit", "[lint][large]") {
  lint({{"array.rows=64", "array.cols=64", "data.bits=16"}});
}
// 256x256 takes the rows net form (array.nets = "auto" above 64x64 PEs): Yosys 0.23 reads it in
// about 3 s of CPU (the flat form: about 3 minutes; the per-PE form already took minutes at
// 128x128). Verilator -Wall on it is `make lint-large` (about 3 minutes of CPU and 4.4 GB).
TEST_CASE("lint: 256x256 with Yosys and 256x1 and 1x256 with all three", "[lint][large]") {
  lint({{"array.rows=256", "array.cols=256"}, false});
  lint({{"array.rows=256", "array.cols=1", "ip.name=thin"}});
  lint({{"array.rows=1", "array.cols=256", "ip.name=wide"}});
}

// Verilator -Wall flags a '0 fill wider than 8,192 bits (WIDTHCONCAT); fuzz seed 200449 (WS
// 14x35 32-bit, superposition PE with group_k 8) reset an 18,760-bit output buffer that way.
// Each configuration here passes the limit in different modules: the output buffer, the output
// de-skew and the temporal check's accumulators (1x128); the temporal check's input side
// (256x1); the input skew of an OS array (256x1). All of them must reset to a sized zero.
// Yosys elaborates only the modules with a sized zero here: its `proc` takes minutes on
// registers this wide (268 s for the 1x128 IP, 189 s of it the de-skew), and what is new is the
// syntax, not the netlist.
TEST_CASE("lint: vectors over Verilator's 8,192-bit fill limit reset to a sized zero", "[lint][wide]") {
  const std::vector<std::vector<std::string>> configs = {
      {"array.rows=1", "array.cols=128", "data.bits=32", "data.acc_bits=96", "protect.sanity_check=both"},
      {"array.rows=256", "array.cols=1", "data.bits=32", "data.acc_bits=96", "protect.sanity_check=both",
       "array.nets=flat"},
      {"array.rows=256", "array.cols=1", "data.bits=32", "data.acc_bits=96", "array.dataflow=os",
       "array.nets=flat", "array.max_k=65536"},
  };
  const std::vector<std::vector<std::string>> sizedIn = {
      {"_out_buf", "_skew_out", "_sanity_tout"}, {"_sanity_tin"}, {"_skew_in"}};
  for (size_t i = 0; i < configs.size(); ++i) {
    const auto files =
        test::lintPackage({configs[i], {}, true, [](const std::string&) { return false; }, sizedIn[i]});
    for (const auto& suffix : sizedIn[i]) {
      INFO(suffix);
      const auto file = std::find_if(files.begin(), files.end(),
                                     [&](const auto& f) { return f.first.ends_with(suffix + ".sv"); });
      REQUIRE(file != files.end());
      CHECK(file->second.find("'(0);") != std::string::npos);
    }
  }
}
