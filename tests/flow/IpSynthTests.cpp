// Synthesis of generated IP: hierarchical roll-up against flat synthesis, timing present.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "flow/Synth.h"
#include "units/IpDesign.h"

using namespace ftaccel;

TEST_CASE("IP synthesis: hierarchical total agrees with flat synthesis on a 3x2 array", "[synth][ip]") {
  if (!flow::haveTool("yosys") || !flow::haveTool("sta")) {
    WARN("yosys or sta missing: skipped");
    return;
  }
  auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "data.bits=8"});
  auto ip = units::buildIp(cfg);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
  flow::SynthRequest req;
  req.ipDir = dir / "ip";
  req.top = ip.top;
  req.flat = true;
  req.workDir = dir / "work";
  for (const auto& m : ip.modules)
    req.modules.push_back({m.module.name, "rtl/" + m.module.name + ".sv", m.children});
  auto r = flow::runSynth(req);
  INFO(flow::formatReport(r));
  REQUIRE(r.flatArea);
  // The PE dominates; it appears 6 times and its own area is counted 6 times.
  const auto& pe = r.modules.front();
  CHECK(pe.instances == 6);
  CHECK(pe.ownFlops == 8 + 1 + 17 + 8 + 8);  // act, swap, psum (17 bits for 3 rows), shadow, weight
  CHECK(r.totalArea > 6 * pe.ownArea);
  // Cross-boundary optimization makes the flat netlist a little smaller; more than 10% apart
  // would mean the roll-up counts something wrong.
  CHECK(*r.flatArea == Approx(r.totalArea).epsilon(0.10));
  CHECK(r.criticalPathNs > 0);
  CHECK(r.worstSlackNs < req.clockNs);
}
