// The package's integration aids: interface assertions (fire on violations under Icarus and
// Verilator, silent on legal traffic), the instantiation template and the WaveDrom timing example.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "LintUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

struct Package {
  config::Config cfg;
  units::IpDesign ip;
  test::TempDir dir;
  std::vector<std::string> files;  // RTL, relative to dir
  explicit Package(const std::vector<std::string>& sets)
      : cfg(config::loadConfigText("", "t", sets)), ip(units::buildIp(cfg)) {
    flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
    for (const auto& m : ip.modules) files.push_back("ip/rtl/" + m.module.name + ".sv");
  }
  flow::ProcessResult run(std::vector<std::string> cmd, bool withRtl = true) const {
    if (withRtl) cmd.insert(cmd.end(), files.begin(), files.end());
    return flow::runProcess(cmd, dir.path());
  }
};

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

// WS 2x2: the load's beats at edges 0 and 1, the swap vector v0 offered from cycle 0 (it waits
// for the load, in_ready_o low in cycles 0 and 1), v1 at edge 3, a second load offered in
// cycle 3 while the swap blocks loads (cycles 2..5), out_ready_i low in cycles 7 and 8 while
// v0's result waits. +case=N breaks one rule: 1 drops in_valid_i before in_ready_o, 2 changes
// in_data_i while waiting, 3 drops wload_valid_i before wload_ready_o, 4 changes out_data_o
// (forced) while it waits, 5 drives in_wswap_i unknown (in_ready_o follows). Drives on falling edges.
constexpr const char* kAssertTb = R"(
module tb;
  localparam int R = 2, C = 2, B = 8, A = %A%;
  logic clk_i = 0, rst_ni = 0;
  logic in_valid_i = 0, in_wswap_i = 0, wload_valid_i = 0, out_ready_i = 1;
  logic [R*B-1:0] in_data_i = '0;
  logic [C*B-1:0] wload_data_i = '0;
  wire in_ready_o, wload_ready_o, out_valid_o;
  wire [C*A-1:0] out_data_o;
  %TOP% dut (.*);
  always #5 clk_i = ~clk_i;
  integer kase = 0;
  initial begin
    if (!$value$plusargs("case=%d", kase)) kase = 0;
    @(negedge clk_i) rst_ni = 1;
    // cycle 0
    wload_valid_i = 1; wload_data_i = {C{8'd1}};
    in_valid_i = 1; in_wswap_i = 1; in_data_i = {R{8'd1}};
    @(negedge clk_i);  // cycle 1
    if (!in_ready_o) $display("WAITED_IN");
    wload_data_i = {C{8'd2}};
    if (kase == 1) in_valid_i = 0;
    if (kase == 2) in_data_i = {R{8'd3}};
    if (kase == 5) in_wswap_i = 1'bx;
    @(negedge clk_i);  // cycle 2: the load is complete, v0 is taken
    wload_valid_i = 0; in_valid_i = 1; in_data_i = {R{8'd1}};
    @(negedge clk_i);  // cycle 3: v1; a new load waits behind the swap
    in_wswap_i = 0; in_data_i = {R{8'd2}};
    wload_valid_i = 1; wload_data_i = {C{8'd3}};
    @(negedge clk_i);  // cycle 4
    if (!wload_ready_o) $display("WAITED_LOAD");
    in_valid_i = 0;
    if (kase == 3) wload_valid_i = 0;
    while (!(wload_valid_i && wload_ready_o)) @(negedge clk_i);
    @(negedge clk_i);
    wload_data_i = {C{8'd4}};
    while (!(wload_valid_i && wload_ready_o)) @(negedge clk_i);
    @(negedge clk_i);
    wload_valid_i = 0;
  end
  initial begin
    repeat (7) @(negedge clk_i);  // cycle 6
    out_ready_i = 0;
    @(negedge clk_i);  // cycle 7
    if (out_valid_o) $display("WAITED_OUT");
    @(negedge clk_i);  // cycle 8
    if (kase == 4) force dut.out_data_o = '1;
    @(negedge clk_i);  // cycle 9
    release dut.out_data_o;
    out_ready_i = 1;
    repeat (12) @(negedge clk_i);
    $display("END %0d", kase);
    $finish;
  end
endmodule
)";

std::string assertTb(const Package& p) {
  std::string tb = kAssertTb;
  replaceAll(tb, "%A%", std::to_string(p.cfg.data.accBits));
  replaceAll(tb, "%TOP%", p.ip.top);
  return tb;
}

const std::vector<std::pair<int, std::string>> kViolations = {
    {1, "a_in_valid_held"}, {2, "a_in_stable"}, {3, "a_wload_valid_held"}, {4, "a_out_stable"}, {5, "a_known"}};

// OS 2x2: tiles of 2 steps back to back while the consumer is never ready, until the full
// output buffer stops the datapath and a step waits (in_ready_o low); then +case=N breaks one
// rule on the next edge: 1 drops in_valid_i, 2 changes in_w_i, 3 changes in_last_i; case 0
// holds the step. Then the consumer takes everything. Drives on falling edges.
constexpr const char* kAssertTbOs = R"(
module tb;
  localparam int R = 2, C = 2, B = 8, A = %A%;
  logic clk_i = 0, rst_ni = 0;
  logic in_valid_i = 0, in_last_i = 0, out_ready_i = 0;
  logic [R*B-1:0] in_x_i = '0;
  logic [C*B-1:0] in_w_i = '0;
  wire in_ready_o, out_valid_o;
  wire [C*A-1:0] out_data_o;
  %TOP% dut (.*);
  always #5 clk_i = ~clk_i;
  integer kase = 0, step = 0;
  initial begin
    if (!$value$plusargs("case=%d", kase)) kase = 0;
    @(negedge clk_i) rst_ni = 1;
    in_valid_i = 1;
    in_w_i = {C{8'd1}};
    in_x_i = {R{8'd1}};
    in_last_i = 0;
    #1;
    while (in_ready_o && step < 100) begin
      @(negedge clk_i);
      step = step + 1;
      in_x_i = {R{8'(step + 1)}};
      in_last_i = (step % R) == R - 1;
      #1;
    end
    if (in_ready_o) $display("NEVER_WAITED");
    else $display("WAITED_IN");
    @(negedge clk_i);  // the step waited on the last edge
    if (kase == 1) in_valid_i = 0;
    if (kase == 2) in_w_i = {C{8'd2}};
    if (kase == 3) in_last_i = !in_last_i;
    @(negedge clk_i);
    out_ready_i = 1;
    repeat (3) @(negedge clk_i);
    in_valid_i = 0;
    repeat (20) @(negedge clk_i);
    $display("END %0d", kase);
    $finish;
  end
endmodule
)";

// The timing diagram's waves, one entry per column: "0", "1", "x" or a data label.
std::map<std::string, std::vector<std::string>> expandWaves(const nlohmann::json& diagram) {
  std::map<std::string, std::vector<std::string>> waves;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
    if (node.is_array()) {
      for (const auto& n : node) walk(n);
      return;
    }
    if (!node.is_object() || !node.contains("wave")) return;
    const std::string wave = node["wave"];
    std::vector<std::string> cols;
    size_t label = 0;
    for (char ch : wave) {
      if (ch == '.') cols.push_back(cols.back());
      else if (ch == '=') cols.push_back(node["data"].at(label++).get<std::string>());
      else cols.push_back(std::string(1, ch));
    }
    waves[node["name"].get<std::string>()] = cols;
  };
  walk(diagram["signal"]);
  return waves;
}

// An Icarus testbench that drives the diagram's inputs column by column (labels as the
// diagram's stimulus says, "x" as unknown) and compares every output with it just before the
// rising edge that ends the column. rst_ni starts unknown, so its fall to 0 in column 0 is an
// edge that resets the flip-flops before the first comparison.
std::string timingTb(const Package& p, const std::map<std::string, std::vector<std::string>>& waves,
                     const nlohmann::json& values) {
  const int bits = p.cfg.data.bits, acc = p.cfg.data.accBits;
  std::string decl, body;
  for (const auto& port : p.ip.ports) {
    const std::string range = port.width == 1 ? "" : fmt::format("[{}:0] ", port.width - 1);
    decl += fmt::format("  {} {}{}{};\n", port.dir == ir::Dir::In ? "logic" : "wire", range, port.name,
                        port.dir == ir::Dir::In && port.name != "clk_i" && port.name != "rst_ni" ? " = '0" : "");
  }
  auto value = [&](const units::TopPort& port, const std::string& v) -> std::string {
    if (v == "0" || v == "1") return port.width == 1 ? "1'b" + v : "'0";
    if (v == "x") return "'x";
    const int lane = port.dir == ir::Dir::Out ? acc : bits;
    const int lanes = port.width / lane;
    return fmt::format("{{{}{{{}'d{}}}}}", lanes, lane, values.at(v).get<int>());  // every lane the label's value
  };
  const size_t columns = waves.at("rst_ni").size();
  for (size_t col = 0; col < columns; ++col) {
    body += fmt::format("    // column {}\n    clk_i = 0;\n", col);
    for (const auto& port : p.ip.ports)
      if (port.dir == ir::Dir::In && port.name != "clk_i" && waves.count(port.name))
        body += fmt::format("    {} = {};\n", port.name, value(port, waves.at(port.name)[col]));
    body += "    #4;\n";
    for (const auto& port : p.ip.ports)
      if (port.dir == ir::Dir::Out && waves.count(port.name))
        body += fmt::format("    if ({0} !== {1}) begin $display(\"MISMATCH column {2} {0} = %h\", {0}); errors++; end\n",
                            port.name, value(port, waves.at(port.name)[col]), col);
    body += "    #1 clk_i = 1;\n    #5;\n";
  }
  return fmt::format("module tb;\n{}  integer errors = 0;\n  {} dut (.*);\n  initial begin\n{}"
                     "    $display(\"DONE errors=%0d\", errors);\n    $finish;\n  end\nendmodule\n",
                     decl, p.ip.top, body);
}

}  // namespace

TEST_CASE("interface assertions are in the production top only, under SYNTHESIS and FTACCEL_NO_ASSERT guards", "[assert]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=2", "array.cols=2"});
  const auto files = flow::renderPackage(cfg, units::buildIp(cfg));
  const std::string top = files.at("rtl/ftaccel_ws2x2_d8.sv");
  CHECK(top.find("`ifndef SYNTHESIS\n`ifndef FTACCEL_NO_ASSERT") != std::string::npos);
  CHECK(top.find("assert property") == std::string::npos);  // Icarus 11 parses none
  for (const char* rule : {"a_in_valid_held", "a_in_stable", "a_wload_valid_held", "a_wload_stable",
                           "a_out_valid_held", "a_out_stable", "a_known"})
    CHECK(top.find(rule) != std::string::npos);
  CHECK(top.find("{in_wswap_i, in_data_i} == {a_in_wswap_i_q, a_in_data_i_q}") != std::string::npos);
  const auto fi = flow::renderPackage(cfg, units::buildIp(cfg, {true}), {true});
  CHECK(fi.at("rtl/ftaccel_ws2x2_d8_fi.sv").find("a_in_valid_held") == std::string::npos);
  // Every unit's load-beat inputs travel with the load beat.
  const auto sc = config::loadConfigText("", "t", {"array.rows=2", "array.cols=2", "protect.sanity_check=\"spatial\""});
  const auto scIp = units::buildIp(sc);
  CHECK(flow::renderPackage(sc, scIp).at("rtl/" + scIp.top + ".sv").find("a_sanity_wload_data_i_q") != std::string::npos);
}

TEST_CASE("interface assertions fire under Icarus on each broken rule and stay silent on legal traffic", "[assert][icarus]") {
  Package p({"array.rows=2", "array.cols=2"});
  test::writeFile(p.dir / "tb.sv", assertTb(p));
  const auto c = p.run({"iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb", "tb.sv"});
  INFO(c.output);
  REQUIRE(c.exitCode == 0);
  const auto legal = flow::runProcess({"vvp", "-n", "sim.vvp", "+case=0"}, p.dir.path());
  INFO(legal.output);
  // The legal run exercises every wait the rules are about.
  for (const char* w : {"WAITED_IN", "WAITED_LOAD", "WAITED_OUT", "END 0"}) CHECK(legal.output.find(w) != std::string::npos);
  CHECK(legal.output.find("ERROR") == std::string::npos);
  for (const auto& [kase, rule] : kViolations) {
    const auto r = flow::runProcess({"vvp", "-n", "sim.vvp", fmt::format("+case={}", kase)}, p.dir.path());
    INFO("case " << kase << "\n" << r.output);
    CHECK(r.output.find("ERROR") != std::string::npos);
    CHECK(r.output.find(rule) != std::string::npos);
  }
  // FTACCEL_NO_ASSERT leaves them out.
  const auto off = p.run({"iverilog", "-g2012", "-DFTACCEL_NO_ASSERT", "-o", "off.vvp", "-s", "tb", "tb.sv"});
  REQUIRE(off.exitCode == 0);
  const auto quiet = flow::runProcess({"vvp", "-n", "off.vvp", "+case=1"}, p.dir.path());
  CHECK(quiet.output.find("ERROR") == std::string::npos);
}

TEST_CASE("interface assertions fire under Icarus for an OS package when a waiting step is broken", "[assert][icarus]") {
  Package p({"array.dataflow=\"os\"", "array.rows=2", "array.cols=2"});
  std::string tb = kAssertTbOs;
  replaceAll(tb, "%A%", std::to_string(p.cfg.data.accBits));
  replaceAll(tb, "%TOP%", p.ip.top);
  test::writeFile(p.dir / "tb.sv", tb);
  const auto c = p.run({"iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb", "tb.sv"});
  INFO(c.output);
  REQUIRE(c.exitCode == 0);
  const auto legal = flow::runProcess({"vvp", "-n", "sim.vvp", "+case=0"}, p.dir.path());
  INFO(legal.output);
  CHECK(legal.output.find("WAITED_IN") != std::string::npos);  // back-pressure reached the input
  CHECK(legal.output.find("END 0") != std::string::npos);
  CHECK(legal.output.find("ERROR") == std::string::npos);
  for (const auto& [kase, rule] : std::vector<std::pair<int, std::string>>{
           {1, "a_in_valid_held"}, {2, "a_in_stable"}, {3, "a_in_stable"}}) {
    const auto r = flow::runProcess({"vvp", "-n", "sim.vvp", fmt::format("+case={}", kase)}, p.dir.path());
    INFO("case " << kase << "\n" << r.output);
    CHECK(r.output.find("ERROR") != std::string::npos);
    CHECK(r.output.find(rule) != std::string::npos);
  }
}

TEST_CASE("interface assertions stop a Verilator --assert simulation that drops valid", "[assert][verilator]") {
  Package p({"array.rows=2", "array.cols=2"});
  test::writeFile(p.dir / "tb.sv", assertTb(p));
  const auto b = p.run({"verilator", "--binary", "--assert", "--timing", "-Wno-fatal", "-j", "1", "--top-module", "tb",
                        "-o", "vtb", "tb.sv"});
  INFO(b.output);
  REQUIRE(b.exitCode == 0);
  const auto legal = flow::runProcess({"obj_dir/vtb", "+case=0"}, p.dir.path());
  INFO(legal.output);
  CHECK(legal.exitCode == 0);
  CHECK(legal.output.find("END 0") != std::string::npos);
  const auto bad = flow::runProcess({"obj_dir/vtb", "+case=1"}, p.dir.path());
  INFO(bad.output);
  CHECK(bad.exitCode != 0);
  CHECK(bad.output.find("a_in_valid_held") != std::string::npos);
}

TEST_CASE("the instantiation template declares and connects every port and compiles in a module body", "[inst][lint]") {
  for (const std::vector<std::string>& sets :
       {std::vector<std::string>{"array.rows=3", "array.cols=2"},
        {"array.dataflow=\"is\"", "array.rows=2", "array.cols=3", "protect.bypass=true"},
        {"array.dataflow=\"os\"", "array.rows=2", "array.cols=2"},
        {"array.rows=2", "array.cols=2", "protect.sanity_check=\"spatial\""}}) {
    Package p(sets);
    INFO(p.ip.top);
    const std::string inst = test::readFile(p.dir / ("ip/" + p.ip.top + "_inst.svh"));
    for (const auto& port : p.ip.ports) {
      CHECK(inst.find("." + port.name + " (") != std::string::npos);
      // every port's line says its direction and width
      CHECK(inst.find(fmt::format("// {}, {} bit", port.dir == ir::Dir::In ? "input" : "output", port.width)) != std::string::npos);
    }
    CHECK(test::readFile(p.dir / ("ip/" + p.ip.top + ".f")).find("_inst") == std::string::npos);
    const auto manifest = nlohmann::json::parse(test::readFile(p.dir / "ip/manifest.json"));
    CHECK(manifest["integration"]["instantiation_template"] == p.ip.top + "_inst.svh");
    CHECK(manifest["integration"]["timing_diagram"] == p.ip.top + "_timing.json");
    test::writeFile(p.dir / "soc.sv", "module soc;\n`include \"" + p.ip.top + "_inst.svh\"\nendmodule\n");
    // Undriven/unused: the template only declares the signals; widths and names must match.
    const auto v = p.run({"verilator", "--lint-only", "-Wall", "-Wno-UNDRIVEN", "-Wno-UNUSED", "-Iip",
                          "--top-module", "soc", "soc.sv"});
    INFO(v.output);
    CHECK(v.exitCode == 0);
    CHECK(v.output.find("%Warning") == std::string::npos);
    const auto i = p.run({"iverilog", "-g2012", "-Wall", "-Iip", "-o", "/dev/null", "-s", "soc", "soc.sv"});
    INFO(i.output);
    CHECK(i.exitCode == 0);
    std::string script = "read_verilog -sv -Iip soc.sv; ";
    for (const auto& f : p.files) script += "read_verilog -sv " + f + "; ";
    const auto y = flow::runProcess({"yosys", "-q", "-p", script + "hierarchy -check -top soc"}, p.dir.path());
    INFO(y.output);
    CHECK(y.exitCode == 0);
  }
}

TEST_CASE("the WaveDrom timing example matches a Verilator --timing simulation of WS and IS", "[timing][verilator]") {
  for (const std::vector<std::string>& sets :
       {std::vector<std::string>{"array.rows=2", "array.cols=3"},
        {"array.dataflow=\"is\"", "array.rows=3", "array.cols=2", "data.bits=4"}}) {
    Package p(sets);
    INFO(p.ip.top);
    const auto diagram = nlohmann::json::parse(test::readFile(p.dir / ("ip/" + p.ip.top + "_timing.json")));
    const auto waves = expandWaves(diagram);
    // Two-state: rst_ni cannot start unknown, so it starts high for one time unit and column
    // 0's fall resets.
    std::string tb = timingTb(p, waves, diagram["ftaccel"]["values"]);
    replaceAll(tb, "  logic rst_ni;\n", "  logic rst_ni = 1'b1;\n");
    replaceAll(tb, "  initial begin\n", "  initial begin\n    #1;\n");
    REQUIRE(tb.find("logic rst_ni = 1'b1;") != std::string::npos);
    test::writeFile(p.dir / "tb.sv", tb);
    const auto b = p.run({"verilator", "--binary", "--assert", "--timing", "-Wno-fatal", "-j", "1", "--top-module", "tb",
                          "-o", "vtb", "tb.sv"});
    INFO(b.output);
    REQUIRE(b.exitCode == 0);
    const auto r = flow::runProcess({"obj_dir/vtb"}, p.dir.path());
    INFO(r.output);
    CHECK(r.exitCode == 0);
    CHECK(r.output.find("DONE errors=0") != std::string::npos);
  }
}

TEST_CASE("the WaveDrom timing example matches the RTL cycle by cycle under Icarus", "[timing][icarus]") {
  for (const std::vector<std::string>& sets :
       {std::vector<std::string>{"array.rows=2", "array.cols=3"},
        {"array.dataflow=\"is\"", "array.rows=3", "array.cols=2", "data.bits=4"},
        {"array.dataflow=\"os\"", "array.rows=3", "array.cols=2"},
        {"array.dataflow=\"os\"", "array.rows=1", "array.cols=3", "protect.bypass=true"},
        {"array.rows=2", "array.cols=2", "protect.afd.enable=true"},
        {"array.rows=1", "array.cols=1", "data.bits=4"},
        {"array.rows=3", "array.cols=4", "protect.median.enable=true", "protect.sanity_check=\"spatial\""}}) {
    Package p(sets);
    INFO(p.ip.top);
    const auto diagram = nlohmann::json::parse(test::readFile(p.dir / ("ip/" + p.ip.top + "_timing.json")));
    const auto waves = expandWaves(diagram);
    // Every wave spans the same columns; the first result appears `latency` edges after the
    // handshake of its vector (WS/IS) or of the tile's last step (OS), as the manifest says.
    const size_t columns = waves.at("clk_i").size();
    for (const auto& [name, cols] : waves) CHECK(cols.size() == columns);
    const auto& outValid = waves.at("out_valid_o");
    const auto firstOut = std::find(outValid.begin(), outValid.end(), "1") - outValid.begin();
    const auto manifest = nlohmann::json::parse(test::readFile(p.dir / "ip/manifest.json"));
    CHECK(diagram["ftaccel"]["latency"] == manifest["latency"]["cycles"]);
    const bool os = p.cfg.array.dataflow == config::Dataflow::OS;
    const units::StreamPortNames sp = units::streamPortNames(p.cfg.array.dataflow);
    const auto& valid = waves.at(os ? "in_valid_i" : sp.stream + "_valid_i");
    const auto& ready = waves.at(os ? "in_ready_o" : sp.stream + "_ready_o");
    long firstTake = -1;  // WS/IS: the first vector's handshake; OS: the first tile's last step's
    for (size_t c = 0; c < columns && firstTake < 0; ++c)
      if (valid[c] == "1" && ready[c] == "1" && (!os || waves.at("in_last_i")[c] == "1")) firstTake = (long)c;
    CHECK(firstOut - firstTake == manifest["latency"]["cycles"].get<int>());
    {
      // Back-pressure: a result waits (out_valid_o high, out_ready_i low), and while the output
      // buffer is full a vector (OS: a step) offered after the first result waits (in_ready_o
      // low), then is taken.
      const auto& outReady = waves.at("out_ready_i");
      bool outWait = false, inWait = false, inTakenAfterWait = false;
      for (size_t c = (size_t)firstOut; c < columns; ++c) {
        outWait = outWait || (outValid[c] == "1" && outReady[c] == "0");
        if (valid[c] == "1" && ready[c] == "0") inWait = true;
        if (inWait && valid[c] == "1" && ready[c] == "1") inTakenAfterWait = true;
      }
      CHECK(outWait);
      CHECK(inWait);
      CHECK(inTakenAfterWait);
      CHECK(diagram["head"]["text"].get<std::string>().find("in_ready_o is low in cycles") != std::string::npos);
    }
    if (os && p.cfg.array.rows > 1) {
      // The early-last rule: tile 1's last step waits (in_ready_o low) before the first result.
      bool lastWaits = false;
      for (size_t c = 0; c < (size_t)firstOut; ++c)
        lastWaits = lastWaits || (valid[c] == "1" && ready[c] == "0" && waves.at("in_last_i")[c] == "1");
      CHECK(lastWaits);
    }
    test::writeFile(p.dir / "tb.sv", timingTb(p, waves, diagram["ftaccel"]["values"]));
    const auto c = p.run({"iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb", "tb.sv"});
    INFO(c.output);
    REQUIRE(c.exitCode == 0);
    const auto r = flow::runProcess({"vvp", "-n", "sim.vvp"}, p.dir.path());
    INFO(test::readFile(p.dir / "tb.sv"));
    INFO(r.output);
    CHECK(r.output.find("DONE errors=0") != std::string::npos);
    CHECK(r.output.find("ERROR") == std::string::npos);  // the assertions stay silent
  }
}
