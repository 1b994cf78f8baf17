// Four-state (Icarus) co-simulation helpers shared by the tests: lane vectors as $readmemb lines,
// testbench templates filled by name, and one compile-and-run of a testbench with RTL files.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "TestUtil.h"
#include "golden/GoldenModel.h"
#include "units/IpDesign.h"

namespace ftaccel::test {

// One $readmemb line of `values`, `width` bits each, lane 0 in the least significant bits.
template <class Int>
std::string laneBits(const std::vector<Int>& values, int width) {
  std::string s;
  for (auto it = values.rbegin(); it != values.rend(); ++it)
    for (int b = width - 1; b >= 0; --b) s += ((static_cast<golden::UWide>(*it) >> b) & 1) ? '1' : '0';
  return s + "\n";
}

// A "%KEY%" placeholder of a testbench template and its text.
struct TbValue {
  std::string key, text;
  TbValue(std::string k, std::string t) : key(std::move(k)), text(std::move(t)) {}
  TbValue(std::string k, long long v) : key(std::move(k)), text(std::to_string(v)) {}
};

// `tb` with every "%KEY%" of `values` replaced by its text.
inline std::string fillTemplate(std::string tb, const std::vector<TbValue>& values) {
  for (const TbValue& v : values) {
    const std::string from = "%" + v.key + "%";
    for (size_t p = tb.find(from); p != std::string::npos; p = tb.find(from, p + v.text.size()))
      tb.replace(p, from.size(), v.text);
  }
  return tb;
}

// The RTL files of a package written to <dir>/ip, relative to dir.
inline std::vector<std::string> packageRtl(const units::IpDesign& ip) {
  std::vector<std::string> files;
  for (const auto& mod : ip.modules) files.push_back("ip/rtl/" + mod.module.name + ".sv");
  return files;
}

// Writes tb.sv (top module `tb`) into `dir`, compiles it with `rtl` (relative to dir) under
// iverilog -g2012 (a compile error fails the test) and returns what vvp printed. With
// `timeoutSeconds`, coreutils' timeout stops vvp after that long and a TIMEOUT line is appended.
inline std::string runIcarus(const TempDir& dir, const std::vector<std::string>& rtl, const std::string& tb,
                             int timeoutSeconds = 0) {
  writeFile(dir / "tb.sv", tb);
  std::vector<std::string> cmd = {"iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb", "tb.sv"};
  cmd.insert(cmd.end(), rtl.begin(), rtl.end());
  const auto compile = flow::runProcess(cmd, dir.path());
  INFO(compile.output);
  REQUIRE(compile.exitCode == 0);
  std::vector<std::string> run = {"vvp", "-n", "sim.vvp"};
  if (timeoutSeconds > 0) run.insert(run.begin(), {"timeout", std::to_string(timeoutSeconds)});
  const auto result = flow::runProcess(run, dir.path());
  if (timeoutSeconds > 0 && result.exitCode == 124)
    return result.output + fmt::format("\nTIMEOUT: vvp stopped after {} s\n", timeoutSeconds);
  return result.output;
}

// The WS streaming testbench the Icarus tests share (clock 10 time units, reset released at 22):
// loads `rows` weight beats from w.mem, streams `vectors` input vectors from x.mem with the swap
// tag on the first, holds each valid until it is accepted, compares every result beat with
// y.mem, counts X on `xSignals` at every edge after reset, and prints
// "RESULT got=<results> errors=<X + mismatches>" (or `finish`) once `done` holds or after
// 10 * (M + R + C + 10) cycles. The strings are SystemVerilog spliced in at their places.
struct WsStreamTb {
  std::string top{};
  int rows = 1, cols = 1, bits = 8, accBits = 19, vectors = 1;
  std::string inWidth = "R*B", outWidth = "C*A";  // in_data_i / out_data_o widths
  std::string params{};                            // more localparams: "localparam int Z = 1;"
  std::string decls{};                             // the unit's ports and memories
  std::string readmem{};                           // more $readmemb calls
  std::string drive{};                             // more statements at the falling edge
  std::string inValidGate{};                       // a condition before in_valid_i ("loaded == R && ")
  std::vector<std::string> xSignals = {"in_ready_o", "wload_ready_o", "out_valid_o", "out_data_o"};
  std::string check{};                             // more statements at the rising edge
  std::string done = "got == M";
  std::string finish = "$display(\"RESULT got=%0d errors=%0d\", got, errors);";
};

inline std::string wsStreamTb(const WsStreamTb& t) {
  std::string unknown;
  // One $isunknown per signal: Icarus 11 misreports it on wide concatenations.
  for (const auto& sig : t.xSignals) unknown += (unknown.empty() ? "" : " || ") + fmt::format("$isunknown({})", sig);
  return fmt::format(R"(
module tb;
  localparam int R = {rows}, C = {cols}, B = {bits}, A = {acc}, M = {m};
  {params}
  logic clk_i = 0, rst_ni = 1;
  logic in_valid_i = 0, in_wswap_i = 0, wload_valid_i = 0, out_ready_i = 1;
  logic [{inw}-1:0] in_data_i = '0;
  logic [C*B-1:0] wload_data_i = '0;
  logic in_ready_o, wload_ready_o, out_valid_o;
  logic [{outw}-1:0] out_data_o;
  {decls}
  logic [C*B-1:0] wmem [R];
  logic [{inw}-1:0] xmem [M];
  logic [{outw}-1:0] ymem [M];
  int sent = 0, loaded = 0, got = 0, errors = 0, cycles = 0;
  {top} dut (.*);
  always #5 clk_i = ~clk_i;
  initial begin
    $readmemb("w.mem", wmem);
    $readmemb("x.mem", xmem);
    $readmemb("y.mem", ymem);
    {readmem}
    #2 rst_ni = 0;
    #20 rst_ni = 1;
  end
  // Drive on the falling edge, sample on the rising edge.
  always @(negedge clk_i) if (rst_ni) begin
    wload_valid_i = loaded < R;
    wload_data_i = loaded < R ? wmem[loaded] : '0;
    {drive}
    in_valid_i = {gate}sent < M;
    in_wswap_i = sent == 0;
    in_data_i = sent < M ? xmem[sent] : '0;
  end
  always @(posedge clk_i) if (rst_ni) begin
    cycles++;
    if ({unknown}) begin
      $display("X on an output at cycle %0d", cycles);
      errors++;
    end
    {check}
    if (wload_valid_i && wload_ready_o) loaded++;
    if (in_valid_i && in_ready_o) sent++;
    if (out_valid_o && out_ready_i) begin
      if (out_data_o !== ymem[got]) begin
        $display("mismatch at vector %0d: %b vs %b", got, out_data_o, ymem[got]);
        errors++;
      end
      got++;
    end
    if (({done}) || cycles > 10 * (M + R + C + 10)) begin
      {finish}
      $finish;
    end
  end
endmodule
)",
                     fmt::arg("rows", t.rows), fmt::arg("cols", t.cols), fmt::arg("bits", t.bits),
                     fmt::arg("acc", t.accBits), fmt::arg("m", t.vectors), fmt::arg("params", t.params),
                     fmt::arg("inw", t.inWidth), fmt::arg("outw", t.outWidth), fmt::arg("decls", t.decls),
                     fmt::arg("top", t.top), fmt::arg("readmem", t.readmem), fmt::arg("drive", t.drive),
                     fmt::arg("gate", t.inValidGate), fmt::arg("unknown", unknown), fmt::arg("check", t.check),
                     fmt::arg("done", t.done), fmt::arg("finish", t.finish));
}

}  // namespace ftaccel::test
