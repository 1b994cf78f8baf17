// Synthesis of generated IP: hierarchical roll-up against flat synthesis, timing present.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/IpSynth.h"
#include "flow/Synth.h"
#include "flow/synth/EnableNet.h"
#include "units/IpDesign.h"

using namespace ftaccel;

TEST_CASE("IP synthesis: hierarchical total agrees with flat synthesis on a 3x2 array", "[synth][ip]") {
  if (!flow::haveTool("yosys") || !flow::haveTool("sta")) {
    WARN("yosys or sta missing: skipped");
    return;
  }
  auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "data.bits=8"});
  flow::IpSynthOptions opts;
  opts.flat = true;
  auto r = flow::synthesizeIp(cfg, opts);
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
  CHECK(r.worstSlackNs < cfg.synth.clockNs);
  // The enable net: found in the top's wiring (ctrl en_o -> en_i of the PEs and skews), its pins
  // counted over all instances, a buffer tree of the generic BUF, the worst sink a leaf.
  REQUIRE(r.enablePath);
  const auto& en = *r.enablePath;
  CHECK(en.sourceModule == "ftaccel_ws3x2_d8_ctrl");
  CHECK(en.sinkModule.rfind("ftaccel_ws3x2_d8_", 0) == 0);
  CHECK(en.bufferCell == "BUF");
  CHECK(en.stageNs > 0);
  CHECK(en.pins >= 6 * 8);  // at least the activation register of every PE
  CHECK(en.stages == flow::synth::treeStages(en.pins));
  CHECK(en.sinkNs > 0);
  CHECK(en.arrivalNs == Approx(en.sourceNs + en.stages * en.stageNs + en.sinkNs));
  CHECK(en.slackNs == Approx(cfg.synth.clockNs - en.arrivalNs));
  CHECK(r.worstSlackNs <= en.slackNs + 1e-9);
}

TEST_CASE("IP synthesis: bypass overhead is reported against the unprotected IP", "[synth][bypass]") {
  if (!flow::haveTool("yosys") || !flow::haveTool("sta")) {
    WARN("yosys or sta missing: skipped");
    return;
  }
  auto cfg = config::loadConfigText("", "t", {"array.rows=2", "array.cols=2", "protect.bypass=true"});
  auto bases = flow::baselinesFor(cfg);
  REQUIRE(bases.size() == 1);
  CHECK(bases[0].second.ip.name == "ftaccel_ws2x2_d8");
  CHECK_FALSE(bases[0].second.protect.bypass);
  auto prot = flow::synthesizeIp(cfg, {});
  auto base = flow::synthesizeIp(bases[0].second, {});
  auto e = flow::overheadOf("bypass", cfg, base, prot);
  INFO(flow::formatOverhead({e}, prot.areaUnit));
  // One more flop and a 2:1 mux per PE: a positive overhead of a few percent.
  CHECK(e.peProtected > e.peBase);
  CHECK(e.arrayProtected > e.arrayBase);
  CHECK(e.reference.find("Table 10.1") != std::string::npos);
}
