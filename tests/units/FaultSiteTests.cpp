// Register-level fault injection under Icarus: every fault site of the simulation variant
// flips, clears and sets exactly its own stored bit; with all fi inputs at zero the variant
// runs in lockstep with the production IP; the production RTL carries no trace of it.
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <set>

#include "IcarusUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

config::Config makeConfig(const std::vector<std::string>& sets) { return config::loadConfigText("", "t", sets); }

// Writes the RTL of `ip` below `dir` and returns the paths relative to `dir`.
std::vector<std::string> writeRtl(const test::TempDir& dir, const config::Config& cfg, const units::IpDesign& ip) {
  std::vector<std::string> files;
  for (const auto& [rel, text] : flow::renderPackage(cfg, ip)) {
    if (!rel.starts_with("rtl/")) continue;
    test::writeFile(dir / (ip.top + "/" + rel), text);
    files.push_back(ip.top + "/" + rel);
  }
  return files;
}

// Integer after "key=" on the line starting with "DONE", -1 when absent.
int doneValue(const std::string& output, const std::string& key) {
  std::smatch m;
  if (!std::regex_search(output, m, std::regex("DONE.* " + key + "=(\\d+)"))) return -1;
  return std::stoi(m[1]);
}

// Top-level ports once each (the fi buses are listed by the top module and by buildIp).
std::vector<units::TopPort> uniquePorts(const units::IpDesign& ip) {
  std::vector<units::TopPort> out;
  std::set<std::string> seen;
  for (const auto& p : ip.ports)
    if (seen.insert(p.name).second) out.push_back(p);
  return out;
}

std::string vecDecl(int width) { return width == 1 ? "logic" : fmt::format("logic [{}:0]", width - 1); }

// --- 1. site map ---------------------------------------------------------------------------

// For site s and bit b (one-hot bus mask m at offset + b), each run starting from reset:
//   A = state after one idle edge; B = after one edge with fi_xor_i = m: B == A ^ m.
//   Stuck-at-0: a first edge xors every register to all ones (K, below, excepted), then
//   C1 = after an idle edge, D = after an edge with fi_clr_i = m: D == C1 & ~m; from the same
//   state F = after an edge with fi_xor_i = m: F == C1 ^ m (flips of ones too).
//   Stuck-at-1: the first edge xors every register to zero instead, then C0 = after an idle
//   edge, E = after an edge with fi_clr_i = fi_xor_i = m: E == C0 | m.
// "state" is every site read hierarchically into its place of an fi-bus-shaped vector, so each
// comparison also proves that no other register moved, and the all-ones state gives registers
// that reload every cycle a one to lose (a check is "live" when the bit it forces differs from
// what the register would hold anyway). All inputs stay zero, so out_ready_i is low: every check
// runs once with the pipeline advancing (en = 1) and once stalled (en = 0, registers take their
// hold path), set up by an extra edge after reset that flips the control bits in K (en_q, a
// full output buffer, and WS/IS: the last valid stage; OS: the count of result rows to
// deliver), which the all-ones/zero edges keep.
std::string siteMapTb(const units::IpDesign& ip, int bitsPerSite, unsigned seed) {
  std::vector<int> keep;  // the control bits that decide en
  for (const auto& s : ip.faultSites) {
    if (s.path == "u_ctrl.valid_q") keep.push_back(s.offset + s.width - 1);
    if (s.path == "u_ctrl.rows_q")
      for (int b = 0; b < s.width; ++b) keep.push_back(s.offset + b);
    // The registered advance: en_q cleared with a full output buffer (count 2) stays cleared
    // while out_ready_i is low and the last stage holds a result.
    if (s.path == "u_ctrl.en_q") keep.push_back(s.offset);
    if (s.path == "u_ctrl.count_q") keep.push_back(s.offset + 1);
  }
  REQUIRE(!keep.empty());
  std::string tb = "module tb;\n  logic clk_i = 0, rst_ni = 0;\n";
  for (const auto& p : uniquePorts(ip)) {
    if (p.name == "clk_i" || p.name == "rst_ni") continue;
    tb += fmt::format("  {} {}{};\n", vecDecl(p.width), p.name, p.dir == ir::Dir::In ? " = '0" : "");
  }
  tb += fmt::format("  {} dut (.*);\n", ip.top);
  tb += fmt::format("  localparam N = {};\n  logic [N-1:0] a, b, c0, c1, d, e, f, m, k, diff;\n"
                    "  int failures = 0, sites = 0, checks = 0, stalled = 0, clrLive = 0, setLive = 0;\n",
                    ip.faultBits);
  tb += "  initial begin\n    k = '0;\n";
  for (int bit : keep) tb += fmt::format("    k[{}] = 1'b1;\n", bit);
  tb += "  end\n  function automatic logic [N-1:0] state();\n    logic [N-1:0] s;\n    s = '0;\n";
  for (const auto& s : ip.faultSites) tb += fmt::format("    s[{} +: {}] = dut.{};\n", s.offset, s.width, s.path);
  tb += "    return s;\n  endfunction\n";
  tb += R"(
  task automatic tick; #5 clk_i = 1; #5 clk_i = 0; endtask
  task automatic restart;
    fi_xor_i = '0; fi_clr_i = '0; rst_ni = 0; tick(); tick(); rst_ni = 1; #1;
    if (stalled) begin fi_xor_i = k; tick(); fi_xor_i = '0; end
  endtask
  // After reset (and the stall edge), one edge that leaves every register at `value`, K excepted.
  task automatic preset(input logic [N-1:0] value);
    fi_xor_i = (a ^ value) & ~k; tick(); fi_xor_i = '0;
  endtask
  task automatic report(input string what, input int site, input int bitpos, input logic [N-1:0] got,
                        input logic [N-1:0] want);
    diff = got ^ want;
    failures++;
    $write("FAIL %s stalled=%0d site=%0d bit=%0d wrong bus bits:", what, stalled, site, bitpos);
    for (int i = 0; i < N; i++) if (diff[i] !== 1'b0) $write(" %0d", i);
    $display("");
  endtask
  task automatic check(input int site, input int offset, input int bitpos);
    m = '0; m[offset + bitpos] = 1'b1;
    restart(); tick(); a = state();
    restart(); fi_xor_i = m; tick(); fi_xor_i = '0; b = state();
    restart(); preset('1); tick(); c1 = state();
    restart(); preset('1); fi_clr_i = m; tick(); fi_clr_i = '0; d = state();
    restart(); preset('1); fi_xor_i = m; tick(); fi_xor_i = '0; f = state();
    restart(); preset('0); tick(); c0 = state();
    restart(); preset('0); fi_clr_i = m; fi_xor_i = m; tick(); fi_xor_i = '0; fi_clr_i = '0; e = state();
    checks++;
    clrLive += c1[offset + bitpos] === 1'b1;
    setLive += c0[offset + bitpos] === 1'b0;
    if (b !== (a ^ m)) report("xor", site, bitpos, b, a ^ m);
    if (f !== (c1 ^ m)) report("xor1", site, bitpos, f, c1 ^ m);
    if (d !== (c1 & ~m)) report("clr", site, bitpos, d, c1 & ~m);
    if (e !== (c0 | m)) report("set", site, bitpos, e, c0 | m);
  endtask
  task automatic run_all;
    restart(); tick();
    if (dut.en !== !stalled) begin failures++; $display("FAIL mode stalled=%0d en=%b", stalled, dut.en); end
)";
  std::mt19937 rng(seed);
  for (size_t i = 0; i < ip.faultSites.size(); ++i) {
    const auto& s = ip.faultSites[i];
    // One $isunknown per register: Icarus 11 misreports it on wide concatenations.
    tb += fmt::format("    if ($bits(dut.{0}) != {1}) begin failures++; $display(\"FAIL width site={2} is %0d\", $bits(dut.{0})); end\n"
                      "    if ($isunknown(dut.{0})) begin failures++; $display(\"FAIL x site={2}\"); end\n",
                      s.path, s.width, i);
    std::set<int> picks = {s.width - 1};
    while ((int)picks.size() < std::min(bitsPerSite, s.width)) picks.insert((int)(rng() % s.width));
    for (int b : picks) tb += fmt::format("    check({}, {}, {});\n", i, s.offset, b);
    tb += "    if (!stalled) sites++;\n";
  }
  tb += R"(  endtask
  initial begin
    run_all();
    stalled = 1;
    run_all();
    $display("DONE sites=%0d checks=%0d failures=%0d clr_live=%0d set_live=%0d", sites, checks, failures,
             clrLive, setLive);
    $finish;
  end
endmodule
)";
  return tb;
}

// --- 2. lockstep equivalence ---------------------------------------------------------------

// Production and fi tops on identical random inputs (fi inputs zero); every production output
// must equal the fi one at every rising edge and never be X after reset.
std::string lockstepTb(const units::IpDesign& prod, const units::IpDesign& fi, int cycles) {
  std::string tb = "module tb;\n  logic clk_i = 0, rst_ni = 0;\n";
  std::string prodConns = ".clk_i(clk_i), .rst_ni(rst_ni)", fiConns = prodConns, drive, compare;
  std::set<std::string> prodNames;
  for (const auto& p : uniquePorts(prod)) {
    if (p.name == "clk_i" || p.name == "rst_ni") continue;
    prodNames.insert(p.name);
    if (p.dir == ir::Dir::In) {
      tb += fmt::format("  {} {} = '0;\n", vecDecl(p.width), p.name);
      prodConns += fmt::format(", .{0}({0})", p.name);
      fiConns += fmt::format(", .{0}({0})", p.name);
      std::string value = "$random(seed)";
      for (int w = 32; w < p.width; w += 32) value += ", $random(seed)";
      drive += fmt::format("    {} = {}'({{{}}});\n", p.name, p.width, value);
    } else {
      tb += fmt::format("  {0} p_{1}, f_{1};\n", vecDecl(p.width), p.name);
      prodConns += fmt::format(", .{0}(p_{0})", p.name);
      fiConns += fmt::format(", .{0}(f_{0})", p.name);
      compare += fmt::format(
          "    if ($isunknown(p_{0})) begin errors++; $display(\"X on p_{0} at cycle %0d\", cycle); end\n"
          "    if ($isunknown(f_{0})) begin errors++; $display(\"X on f_{0} at cycle %0d\", cycle); end\n"
          "    if (p_{0} !== f_{0}) begin errors++; $display(\"MISMATCH {0} at cycle %0d: %h vs %h\", cycle, p_{0}, f_{0}); end\n",
          p.name);
    }
  }
  for (const auto& p : uniquePorts(fi)) {
    if (prodNames.count(p.name) || p.name == "clk_i" || p.name == "rst_ni") continue;
    REQUIRE(p.name.starts_with("fi_"));
    if (p.dir == ir::Dir::In) {
      tb += fmt::format("  {} {} = '0;\n", vecDecl(p.width), p.name);
      fiConns += fmt::format(", .{0}({0})", p.name);
    } else {
      tb += fmt::format("  {} unused_{};\n", vecDecl(p.width), p.name);
      fiConns += fmt::format(", .{0}(unused_{0})", p.name);
    }
  }
  tb += fmt::format("  {} u_prod ({});\n  {} u_fi ({});\n", prod.top, prodConns, fi.top, fiConns);
  tb += fmt::format(R"(  int errors = 0, cycle = 0, results = 0;  // results: nonzero output vectors taken
  integer seed = 7;
  initial begin
    repeat (2) begin #5 clk_i = 1; #5 clk_i = 0; end
    rst_ni = 1;
    repeat ({0}) begin #5 clk_i = 1; #5 clk_i = 0; end
    $display("DONE cycles=%0d errors=%0d results=%0d", cycle, errors, results);
    $finish;
  end
  // Drive on the falling edge, compare just before the rising one (combinational outputs too).
  always @(negedge clk_i) if (rst_ni) begin
{1}  end
  always @(posedge clk_i) if (rst_ni) begin
    cycle++;
    if (p_out_valid_o && out_ready_i && p_out_data_o != '0) results++;
{2}  end
endmodule
)",
                    cycles, drive, compare);
  return tb;
}

}  // namespace

TEST_CASE("fi variant: every register site flips clears and sets exactly its bit", "[fisites]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  for (auto sets : {std::vector<std::string>{"array.rows=3", "array.cols=4", "data.bits=8"},
                    std::vector<std::string>{"array.rows=2", "array.cols=3", "array.dataflow=os",
                                             "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=2", "array.cols=2", "array.dataflow=is"},
                    // corners: one row, one column, one PE, accumulators wider than 32 bits
                    std::vector<std::string>{"array.rows=1", "array.cols=3", "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=4", "array.cols=1", "array.dataflow=os", "array.max_k=5"},
                    std::vector<std::string>{"array.rows=1", "array.cols=1", "array.dataflow=os"},
                    std::vector<std::string>{"array.rows=2", "array.cols=2", "data.bits=20"},
                    // the rows net form: PEs one module level deeper
                    std::vector<std::string>{"array.rows=3", "array.cols=2", "array.nets=rows", "protect.bypass=true"}}) {
    const auto cfg = makeConfig(sets);
    const auto ip = units::buildIp(cfg, units::BuildOptions{true});
    INFO(ip.top);
    REQUIRE(!ip.faultSites.empty());
    // The sites tile the buses without gaps or overlaps.
    int next = 0;
    for (const auto& s : ip.faultSites) {
      INFO(s.path);
      CHECK(s.offset == next);
      CHECK(s.width > 0);
      next = s.offset + s.width;
    }
    CHECK(next == ip.faultBits);
    test::TempDir dir;
    const std::string output = test::runIcarus(dir, writeRtl(dir, cfg, ip), siteMapTb(ip, 2, 11));
    std::string failures;  // failing lines with the site path appended
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (std::regex_search(line, m, std::regex("FAIL.*site=(\\d+)")))
        failures += line + "  [" + ip.faultSites.at(std::stoul(m[1])).path + "]\n";
    }
    INFO(failures);
    INFO(output.substr(output.size() > 4000 ? output.size() - 4000 : 0));
    REQUIRE(doneValue(output, "sites") == (int)ip.faultSites.size());
    const int checks = doneValue(output, "checks");
    CHECK(checks > 2 * (int)ip.faultSites.size());  // two modes, up to two bits per site
    // Most forced bits differ from what the register would hold anyway (the rest pass vacuously).
    CHECK(4 * doneValue(output, "clr_live") >= 3 * checks);
    CHECK(4 * doneValue(output, "set_live") >= 3 * checks);
    REQUIRE(doneValue(output, "failures") == 0);
  }
}

TEST_CASE("fi variant with zero fi inputs runs in lockstep with the production IP", "[fisites]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  for (auto sets : {std::vector<std::string>{"array.rows=3", "array.cols=4", "data.bits=8"},
                    std::vector<std::string>{"array.rows=3", "array.cols=2", "array.dataflow=os"},
                    std::vector<std::string>{"array.rows=2", "array.cols=3", "array.dataflow=is",
                                             "protect.bypass=true", "data.bits=17"},
                    std::vector<std::string>{"array.rows=3", "array.cols=4", "array.nets=rows",
                                             "protect.bypass=true"}}) {
    const auto cfg = makeConfig(sets);
    const auto prod = units::buildIp(cfg);
    const auto fi = units::buildIp(cfg, units::BuildOptions{true, true});
    INFO(prod.top);
    REQUIRE(prod.top != fi.top);
    test::TempDir dir;
    auto rtl = writeRtl(dir, cfg, prod);
    for (const auto& f : writeRtl(dir, cfg, fi)) rtl.push_back(f);
    const int cycles = 400;
    const std::string output = test::runIcarus(dir, rtl, lockstepTb(prod, fi, cycles));
    INFO(output.substr(0, 4000));
    CHECK(doneValue(output, "cycles") == cycles);
    CHECK(doneValue(output, "errors") == 0);
    CHECK(doneValue(output, "results") >= 20);
  }
}

TEST_CASE("production RTL has no fault-injection logic and the variant the same modules", "[fisites]") {
  const std::regex fiIdent("(^|[^A-Za-z0-9_$])fi_");
  for (auto sets : {std::vector<std::string>{"array.rows=3", "array.cols=4"},
                    std::vector<std::string>{"array.rows=3", "array.cols=4", "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=2", "array.cols=3", "array.dataflow=is"},
                    std::vector<std::string>{"array.rows=2", "array.cols=3", "array.dataflow=is",
                                             "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=2", "array.cols=3", "array.dataflow=os"},
                    std::vector<std::string>{"array.rows=3", "array.cols=1", "array.dataflow=os",
                                             "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=3", "array.cols=4", "array.nets=rows"}}) {
    const auto cfg = makeConfig(sets);
    const auto prod = units::buildIp(cfg);
    const auto fi = units::buildIp(cfg, units::BuildOptions{true});
    INFO(prod.top);
    int rtlFiles = 0;
    for (const auto& [rel, text] : flow::renderPackage(cfg, prod)) {
      if (!rel.starts_with("rtl/")) continue;
      ++rtlFiles;
      INFO(rel);
      CHECK(!std::regex_search(text, fiIdent));
      CHECK(!std::regex_search(text, std::regex("_fi\\b")));
    }
    CHECK(rtlFiles == (int)prod.modules.size());
    CHECK(prod.faultSites.empty());
    for (const auto& p : prod.ports) CHECK(!p.name.starts_with("fi_"));
    REQUIRE(fi.modules.size() == prod.modules.size());
    for (size_t i = 0; i < prod.modules.size(); ++i) {
      const std::string& name = prod.modules[i].module.name;
      CHECK(fi.modules[i].module.name == fi.top + name.substr(prod.top.size()));
      CHECK(fi.modules[i].children.size() == prod.modules[i].children.size());
    }
  }
}

TEST_CASE("fi variant: the rows net form has the per-PE form's sites one module level deeper", "[fisites][nets]") {
  for (auto sets : {std::vector<std::string>{"array.rows=3", "array.cols=4", "protect.bypass=true"},
                    std::vector<std::string>{"array.rows=1", "array.cols=3", "array.dataflow=is"},
                    std::vector<std::string>{"array.rows=4", "array.cols=1"}}) {
    auto perPe = sets, rows = sets;
    perPe.push_back("array.nets=per_pe");
    rows.push_back("array.nets=rows");
    const auto a = units::buildIp(makeConfig(perPe), units::BuildOptions{true, true});
    const auto b = units::buildIp(makeConfig(rows), units::BuildOptions{true, true});
    INFO(b.top);
    REQUIRE(a.faultSites.size() == b.faultSites.size());
    CHECK(a.faultBits == b.faultBits);
    int inRows = 0;
    for (size_t i = 0; i < a.faultSites.size(); ++i) {
      const auto &s = a.faultSites[i], &t = b.faultSites[i];
      INFO(t.path);
      std::string expected = s.path;
      if (s.peRow >= 0) {  // u_array.gen_row[r].gen_col[c]... -> u_array.gen_row[r].u_row.gen_col[c]...
        const auto at = expected.find(".gen_col[");
        REQUIRE(at != std::string::npos);
        expected.insert(at, ".u_row");
        ++inRows;
      }
      CHECK(t.path == expected);
      CHECK(t.offset == s.offset);
      CHECK(t.width == s.width);
      CHECK(t.kind == s.kind);
      CHECK(t.peRow == s.peRow);
      CHECK(t.peCol == s.peCol);
      CHECK(t.live == s.live);
      CHECK(t.lane == s.lane);
    }
    CHECK(inRows > 0);
  }
}
