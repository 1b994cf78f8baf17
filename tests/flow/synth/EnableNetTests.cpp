// The enable-net model: buffer choice from Liberty text, tree depth, the characterization and
// enable reports on trimmed real OpenSTA logs (tests/data/synth/), and the modeled path.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "TestUtil.h"
#include "flow/Synth.h"
#include "flow/synth/EnableNet.h"

using namespace ftaccel::flow;
using namespace ftaccel::flow::synth;
namespace fs = std::filesystem;

namespace {

// Captured with OpenSTA 2.0 (Debian) from `ftaccel synth` of a 4x4 8-bit WS IP on SkyWater 130 nm
// HD (tt, 10 ns clock, timing goal with an 8,000 ps ABC target): the ctrl (enable source en_o),
// the PE (sink en_i) and the fan-out-4 chain of sky130_fd_sc_hd__buf_1. Library warnings removed.
std::string capturedEnableLog(const std::string& name) {
  return ftaccel::test::readFile(fs::path(FTACCEL_SOURCE_DIR) / "tests/data/synth" / name);
}

const char* kLiberty = R"lib(
library (t) {
  /* cell (FAKE) { pin (A) { direction : input; } } in a comment */
  cell (INV) { area : 1; pin (A) { direction : input; } pin (Y) { direction : output; function : "!A"; } }
  cell (AND2) { area : 0.5; pin (A) { direction : input; } pin (B) { direction : input; }
                pin (Y) { direction : output; function : "A"; } }
  cell (BUF_X2) { area : 2.0; pin (A) { direction : input; } pin (Z) { direction : output; function : "A"; } }
  cell (BUF_X1) { area : 1.5; pin (I) { direction : input; capacitance : 0.002; }
                  pin (Z) { direction : output; function : "(I)";
                            timing () { related_pin : "I"; } } }
  cell (CLKBUF_X1) { area : 1.5; pin (A) { direction : input; } pin (X) { direction : output; function : "A"; } }
}
)lib";

// top -> 2 x row -> 3 x pe each, plus one ctrl under top.
SynthRequest enableTree() {
  SynthRequest req;
  req.modules = {{"pe", "rtl/pe.sv", {}},
                 {"ctrl", "rtl/ctrl.sv", {}},
                 {"row", "rtl/row.sv", {{"pe", 3}}},
                 {"top", "rtl/top.sv", {{"row", 2}, {"ctrl", 1}}}};
  req.top = "top";
  req.clockNs = 5.0;
  req.enableNet = EnableNetSpec{"ctrl", "en_o", "en_i", {"pe"}};
  return req;
}

}  // namespace

TEST_CASE("enable net: the smallest non-inverting single-input cell is the tree's buffer",
          "[synthlog][enable]") {
  const auto cell = findBufferCell(kLiberty);
  REQUIRE(cell);
  CHECK(cell->name == "BUF_X1");  // smaller than BUF_X2, first of the two 1.5 buffers
  CHECK(cell->input == "I");
  CHECK(cell->output == "Z");
  CHECK(cell->area == Approx(1.5));

  const auto generic = findBufferCell(genericLiberty());
  REQUIRE(generic);
  CHECK(generic->name == "BUF");
  CHECK(generic->input == "A");
  CHECK(generic->output == "Y");

  CHECK_FALSE(findBufferCell("library (t) { cell (INV) { pin (A) { direction : input; } "
                             "pin (Y) { direction : output; function : \"!A\"; } } }"));
  CHECK_FALSE(findBufferCell("not a liberty file"));
}

TEST_CASE("enable net: fan-out-4 tree depth", "[synthlog][enable]") {
  CHECK(treeStages(1) == 0);
  CHECK(treeStages(4) == 0);   // the source drives four pins itself
  CHECK(treeStages(5) == 1);
  CHECK(treeStages(16) == 1);
  CHECK(treeStages(17) == 2);
  CHECK(treeStages(678) == 4);  // 4^5 = 1024 >= 678 > 256
  CHECK(treeStages(4096L * 61) == 8);
}

TEST_CASE("enable net: characterization netlist and script", "[synthlog][enable]") {
  const BufferCell buf{"BUF_X1", "I", "Z", 1.5};
  const std::string v = fo4Netlist(buf);
  CHECK_THAT(v, Catch::Contains("module ftaccel_fo4 (a, n2, n6);"));
  CHECK_THAT(v, Catch::Contains("BUF_X1 s0 (.I(a), .Z(n0));"));
  CHECK_THAT(v, Catch::Contains("BUF_X1 s3 (.I(n2), .Z(n3));"));
  CHECK_THAT(v, Catch::Contains("BUF_X1 d3_2 (.I(n2), .Z(x3_2));"));
  CHECK_THAT(v, Catch::Contains("BUF_X1 s7 (.I(n6), .Z(n7));"));  // n6 has four loads too
  const std::string tcl = fo4StaScript("lib.lib", "ftaccel_fo4.v");
  CHECK_THAT(tcl, Catch::Contains("report_checks -to [get_ports n2]"));
  CHECK_THAT(tcl, Catch::Contains("report_checks -to [get_ports n6]"));
  CHECK_THAT(enableSinkTcl("en_i"), Catch::Contains("get_pins -of_objects [get_nets {en_i}]"));
  CHECK_THAT(enableSourceTcl("en_o"), Catch::Contains("report_checks -to [get_ports {en_o}]"));
}

TEST_CASE("enable net: figures from OpenSTA logs (SkyWater 130 nm)", "[synthlog][enable]") {
  // (n6 arrival - n2 arrival) / 4 stages.
  CHECK(readFo4Log(capturedEnableLog("sky130_enable_fo4.sta.log")) == Approx(0.161325).margin(1e-6));

  const auto source = readEnableSource(capturedEnableLog("sky130_enable_ctrl.sta.log"));
  REQUIRE(source);
  CHECK(source->arrivalNs == Approx(0.7938));
  CHECK(source->end == "en_o");

  const EnableSinkFigures sink = readEnableSink(capturedEnableLog("sky130_enable_pe.sta.log"));
  CHECK(sink.pins == 21);
  REQUIRE(sink.path);
  CHECK(sink.path->slackNs == Approx(9.1916));
  CHECK(sink.path->start == "en_i");

  // A log of a module run without the enable reports (or cut short) is an error.
  CHECK_THROWS_AS(readEnableSource(capturedEnableLog("sky130_pe.sta.log")), LogError);
  CHECK_THROWS_AS(readEnableSink(capturedEnableLog("sky130_enable_ctrl.sta.log")), LogError);
  CHECK_THROWS_AS(readFo4Log("ftaccel-fo4: near\nNo paths found.\n"), LogError);
}

TEST_CASE("enable net: modeled path and the worst-path decision", "[synthlog][enable]") {
  const SynthRequest req = enableTree();
  EnableMeasurements m;
  m.source = StaPath{4.5, 0.5, "q", "en_o"};
  m.buffer = BufferCell{"BUF_X1", "I", "Z", 1.5};
  m.stageNs = 0.1;
  m.sinks = {{"pe", EnableSinkFigures{20, StaPath{4.0, 0.9, "en_i", "d"}}}};
  const EnablePathEstimate e = estimateEnablePath(req, m);
  CHECK(e.pins == 120);   // 20 pins x 6 PEs
  CHECK(e.stages == 3);   // 4^4 = 256 >= 120 > 64
  CHECK(e.sinkNs == Approx(1.0));  // 5 ns clock - 4 ns slack: arrival plus setup
  CHECK(e.arrivalNs == Approx(0.5 + 3 * 0.1 + 1.0));
  CHECK(e.slackNs == Approx(5.0 - 1.8));
  CHECK(e.sourceModule == "ctrl");
  CHECK(e.sinkModule == "pe");
  CHECK(e.bufferCell == "BUF_X1");

  SynthResult worse;  // a module path worse than the enable: it stays the critical one
  worse.worstSlackNs = 1.0;
  worse.criticalPathNs = 4.0;
  worse.criticalModule = "pe";
  addEnablePath(worse, e);
  CHECK(worse.criticalModule == "pe");
  CHECK(worse.enablePath);

  SynthResult better;  // every module path is shorter: the enable becomes the critical path
  better.worstSlackNs = 4.0;
  better.criticalPathNs = 1.0;
  better.criticalModule = "pe";
  addEnablePath(better, e);
  CHECK(better.criticalModule == kEnableNetName);
  CHECK(better.worstSlackNs == Approx(3.2));
  CHECK(better.criticalPathNs == Approx(1.8));
  CHECK_THAT(formatReport(better), Catch::Contains("enable net:     1.800 ns, slack 3.200 ns"));
  CHECK(toJson(better)["enable_path"]["pins"] == 120);
}
