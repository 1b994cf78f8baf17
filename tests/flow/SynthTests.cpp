// Tests of the synthesis flow (Yosys + OpenSTA) on a hand-written MAC and a chain of three.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "TestUtil.h"
#include "flow/Process.h"
#include "flow/Synth.h"
#include "flow/synth/Scripts.h"

namespace fs = std::filesystem;
using namespace ftaccel::flow;

namespace {

// 8-bit signed multiply-accumulate: 20 accumulator bits, 8 forwarded operand bits and one
// flag that resets to 1 (so both reset polarities of the flip-flop cells are used).
constexpr const char* kMacSv = R"(// test MAC
module t_mac (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        en_i,
  input  logic [7:0]  a_i,
  input  logic [7:0]  b_i,
  output logic [7:0]  a_o,
  output logic [19:0] acc_o,
  output logic        idle_o
);
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_o  <= '0;
      a_o    <= '0;
      idle_o <= 1'b1;
    end else if (en_i) begin
      acc_o  <= acc_o + 20'($signed(a_i) * $signed(b_i));
      a_o    <= a_i;
      idle_o <= 1'b0;
    end
  end
endmodule
)";
constexpr long kMacFlops = 20 + 8 + 1;

// Three MACs passing the `a` operand along, plus one register of the parent's own.
constexpr const char* kChainSv = R"(// test chain
module t_chain (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        en_i,
  input  logic [7:0]  a_i,
  input  logic [23:0] b_i,
  output logic [7:0]  a_o,
  output logic [59:0] acc_o,
  output logic [2:0]  idle_o
);
  logic       en_q;
  logic [7:0] a0, a1;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) en_q <= 1'b0;
    else         en_q <= en_i;
  end
  t_mac u0 (.clk_i, .rst_ni, .en_i(en_q), .a_i(a_i), .b_i(b_i[7:0]), .a_o(a0),
            .acc_o(acc_o[19:0]), .idle_o(idle_o[0]));
  t_mac u1 (.clk_i, .rst_ni, .en_i(en_q), .a_i(a0), .b_i(b_i[15:8]), .a_o(a1),
            .acc_o(acc_o[39:20]), .idle_o(idle_o[1]));
  t_mac u2 (.clk_i, .rst_ni, .en_i(en_q), .a_i(a1), .b_i(b_i[23:16]), .a_o(a_o),
            .acc_o(acc_o[59:40]), .idle_o(idle_o[2]));
endmodule
)";

// A fresh directory holding rtl/ for one test, removed afterwards.
struct TempIp {
  ftaccel::test::TempDir tmp;
  fs::path dir = tmp.path();
  TempIp() {
    write("rtl/t_mac.sv", kMacSv);
    write("rtl/t_chain.sv", kChainSv);
  }
  void write(const std::string& rel, const std::string& text) const {
    ftaccel::test::writeFile(dir / rel, text);
  }
  SynthRequest leafRequest() const {
    SynthRequest req;
    req.ipDir = dir;
    req.modules = {{"t_mac", "rtl/t_mac.sv", {}}};
    req.top = "t_mac";
    req.workDir = dir / "work";
    return req;
  }
  SynthRequest chainRequest() const {
    SynthRequest req = leafRequest();
    req.modules.push_back({"t_chain", "rtl/t_chain.sv", {{"t_mac", 3}}});
    req.top = "t_chain";
    return req;
  }
};

bool haveTools() { return haveTool("yosys") && haveTool("sta"); }

// The SkyWater liberty lives outside the project; tests that need it skip when it is absent.
std::optional<fs::path> sky130Liberty() {
  std::vector<fs::path> candidates;
#ifdef FTACCEL_SOURCE_DIR
  candidates.push_back(fs::path(FTACCEL_SOURCE_DIR) / "../shared/pdk/sky130hd_tt.lib.gz");
#endif
  candidates.push_back("/work/shared/pdk/sky130hd_tt.lib.gz");
  for (const auto& c : candidates)
    if (fs::is_regular_file(c)) return c;
  return std::nullopt;
}

const ModuleSynthResult& moduleOf(const SynthResult& r, const std::string& name) {
  for (const auto& m : r.modules)
    if (m.name == name) return m;
  FAIL("module " << name << " missing from the result");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("generated scripts and SDC", "[synth]") {
  TempIp ip;
  const SynthRequest req = ip.chainRequest();
  const std::string ys =
      yosysModuleScript(req, req.modules[1], "lib/x.lib", "netlist/t_chain.v");
  CHECK_THAT(ys, Catch::Contains("read_verilog -sv " + (ip.dir / "rtl/t_chain.sv").string()));
  CHECK_THAT(ys, Catch::Contains("read_verilog -sv -lib " + (ip.dir / "rtl/t_mac.sv").string()));
  CHECK_THAT(ys, Catch::Contains("hierarchy -check -top t_chain"));
  CHECK_THAT(ys, Catch::Contains("dfflibmap -liberty lib/x.lib"));
  CHECK_THAT(ys, Catch::Contains("abc -liberty lib/x.lib"));
  CHECK_THAT(ys, Catch::Contains("stat -liberty lib/x.lib"));
  CHECK_THAT(ys, Catch::Contains("write_verilog -noattr -simple-lhs netlist/t_chain.v"));
  CHECK_THAT(ys, !Catch::Contains("flatten"));
  // Timing goal (default): ABC maps and sizes against 60 % of the clock period, in ps.
  CHECK(req.goal == ftaccel::config::SynthGoal::Timing);
  CHECK_THAT(ys, Catch::Contains("abc -liberty lib/x.lib -script \"+strash;dch,-f;map,-D,3000;"
                                 "cleanup;buffer,-p;upsize,-D,3000;dnsize,-D,3000;\"\n"));
  SynthRequest area = req;
  area.goal = ftaccel::config::SynthGoal::Area;
  area.clockNs = 10;
  const std::string ysArea = yosysModuleScript(area, area.modules[1], "lib/x.lib", "n.v");
  CHECK_THAT(ysArea, Catch::Contains("abc -liberty lib/x.lib\n"));
  CHECK_THAT(ysArea, !Catch::Contains("-script"));
  CHECK_THAT(synth::timingAbcScript(10), Catch::Contains("map,-D,6000;"));

  const std::string sdc = sdcText("clk_i", 2.5);
  CHECK_THAT(sdc, Catch::Contains("create_clock -name clk -period 2.5 [get_ports clk_i]"));
  CHECK_THAT(sdc, Catch::Contains("set_input_delay 0 -clock clk"));
  CHECK_THAT(sdc, Catch::Contains("set_output_delay 0 -clock clk [all_outputs]"));
  CHECK_THAT(sdc, Catch::Contains("set_load"));

  CHECK_THAT(std::string(genericLiberty()), Catch::Contains("library (ftaccel_generic)"));
}

TEST_CASE("generic library: leaf MAC area and flip-flops and timing", "[synth]") {
  if (!haveTools()) {
    WARN("skipping: yosys or sta not on PATH");
    return;
  }
  TempIp ip;
  std::vector<std::string> lines;
  const SynthResult r = runSynth(ip.leafRequest(), [&](const std::string& l) {
    lines.push_back(l);
  });
  const auto& mac = moduleOf(r, "t_mac");
  CHECK(r.technology == "ftaccel generic");
  CHECK(r.areaUnit == "NAND2-eq");
  CHECK(mac.instances == 1);
  CHECK(mac.ownArea > 0);
  CHECK(mac.totalArea == Approx(mac.ownArea));
  CHECK(r.totalArea == Approx(mac.ownArea));
  CHECK(mac.ownFlops == kMacFlops);
  CHECK(mac.ownCells > kMacFlops);
  // OpenSTA read the generic library and the netlist, and found register-to-register paths.
  CHECK(std::isfinite(r.criticalPathNs));
  CHECK(r.criticalPathNs > 0);
  CHECK(r.criticalPathNs < r.clockNs);
  CHECK(r.worstSlackNs == Approx(mac.worstSlackNs));
  CHECK(r.criticalModule == "t_mac");
  CHECK_FALSE(mac.pathStart.empty());
  CHECK_FALSE(mac.pathEnd.empty());
  CHECK(std::find(lines.begin(), lines.end(), "yosys: t_mac (1/1)") != lines.end());
  fmt::print("generic t_mac: area {:.2f} NAND2-eq, {} cells, {} flops, path {:.3f} ns, "
             "{:.2f} s\n", mac.ownArea, mac.ownCells, mac.ownFlops, mac.criticalPathNs,
             r.runtimeSeconds);

  const nlohmann::json j = toJson(r);
  CHECK(j.at("technology") == "ftaccel generic");
  CHECK(j.at("modules").at(0).at("own_flops") == kMacFlops);
  CHECK(j.at("flat_area").is_null());
  const std::string text = formatReport(r);
  CHECK_THAT(text, Catch::Contains("t_mac"));
  CHECK_THAT(text, Catch::Contains("total area:"));
  CHECK_THAT(text, Catch::Contains("critical path:"));
}

TEST_CASE("hierarchical area adds up and matches the flattened design", "[synth]") {
  if (!haveTools()) {
    WARN("skipping: yosys or sta not on PATH");
    return;
  }
  TempIp ip;
  SynthRequest req = ip.chainRequest();
  req.flat = true;
  req.jobs = 2;
  const SynthResult r = runSynth(req);
  const auto& mac = moduleOf(r, "t_mac");
  const auto& chain = moduleOf(r, "t_chain");
  CHECK(mac.instances == 3);
  CHECK(chain.instances == 1);
  CHECK(chain.ownFlops == 1);
  CHECK(chain.ownArea > 0);
  CHECK(chain.ownArea < mac.ownArea);
  CHECK(chain.totalArea == Approx(chain.ownArea + 3 * mac.ownArea));
  CHECK(r.totalArea == Approx(chain.totalArea));

  REQUIRE(r.flatArea.has_value());
  const double deviation = std::abs(*r.flatArea - r.totalArea) / r.totalArea;
  fmt::print("t_chain: hierarchical {:.2f}, flat {:.2f} NAND2-eq ({:+.2f}%)\n", r.totalArea,
             *r.flatArea, 100.0 * (*r.flatArea - r.totalArea) / r.totalArea);
  CHECK(deviation < 0.05);

  // The parent is timed with its children linked in, so it sees at least the leaf's path.
  CHECK(chain.criticalPathNs > 0);
  CHECK(std::isfinite(r.criticalPathNs));
  CHECK(r.worstSlackNs <= mac.worstSlackNs);
  CHECK(r.worstSlackNs <= chain.worstSlackNs);
  CHECK_FALSE(r.criticalModule.empty());
  CHECK(toJson(r).at("flat_area").get<double>() == Approx(*r.flatArea));
  CHECK_THAT(formatReport(r), Catch::Contains("flat area:"));
}

TEST_CASE("a missing liberty file is reported with its path", "[synth]") {
  TempIp ip;
  SynthRequest req = ip.leafRequest();
  req.liberty = ip.dir / "no-such-dir" / "missing.lib.gz";
  REQUIRE_THROWS_WITH(runSynth(req), Catch::Contains("missing.lib.gz") &&
                                         Catch::Contains("liberty"));
}

TEST_CASE("a failing Yosys run names the log", "[synth]") {
  if (!haveTools()) {
    WARN("skipping: yosys or sta not on PATH");
    return;
  }
  TempIp ip;
  ip.write("rtl/t_mac.sv", "module t_mac (input logic a_i; endmodule\n");
  REQUIRE_THROWS_WITH(runSynth(ip.leafRequest()), Catch::Contains("t_mac.yosys.log") &&
                                                      Catch::Contains("rtl/t_mac.sv"));
}

TEST_CASE("sky130 liberty gives a plausible MAC area", "[synth]") {
  const auto lib = sky130Liberty();
  if (!lib) {
    WARN("skipping: SkyWater liberty not found (../shared/pdk/sky130hd_tt.lib.gz)");
    return;
  }
  if (!haveTools()) {
    WARN("skipping: yosys or sta not on PATH");
    return;
  }
  TempIp ip;
  SynthRequest req = ip.leafRequest();
  req.liberty = *lib;
  const SynthResult r = runSynth(req);
  const auto& mac = moduleOf(r, "t_mac");
  fmt::print("sky130 t_mac: area {:.1f} um^2, {} cells, {} flops, path {:.3f} ns, {:.2f} s\n",
             mac.ownArea, mac.ownCells, mac.ownFlops, mac.criticalPathNs, r.runtimeSeconds);
  CHECK(r.technology == "sky130_fd_sc_hd__tt_025C_1v80");
  CHECK(r.areaUnit == "um^2");
  CHECK(mac.ownFlops == kMacFlops);
  // 29 flip-flops alone are ~700 um^2; an 8x8 multiplier and 20-bit adder add a few thousand.
  CHECK(mac.ownArea > 1500.0);
  CHECK(mac.ownArea < 20000.0);
  CHECK(r.criticalPathNs > 0);
  CHECK(std::isfinite(r.worstSlackNs));
}

TEST_CASE("a tool log without the figures is an error that names the log", "[synth]") {
  // A "Yosys" that succeeds without printing anything (FTACCEL_YOSYS replaces the binary).
  TempIp ip;
  const char* old = std::getenv("FTACCEL_YOSYS");
  const std::string saved = old ? old : "";
  setenv("FTACCEL_YOSYS", "true", 1);
  std::string message;
  try {
    runSynth(ip.leafRequest());
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  if (old)
    setenv("FTACCEL_YOSYS", saved.c_str(), 1);
  else
    unsetenv("FTACCEL_YOSYS");
  CHECK_THAT(message, Catch::Contains("yosys: no 'ftaccel-stat: generic cells' section for module "
                                      "t_mac") &&
                          Catch::Contains("see log") && Catch::Contains("t_mac.yosys.log"));
}
