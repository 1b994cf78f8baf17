// Four-state co-simulation under Icarus: no X on any output after reset, results equal the
// golden model. Complements the two-state Verilator runs.
#include <catch2/catch.hpp>

#include <random>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "golden/GoldenModel.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

// Binary text of `values`, lane 0 in the least significant bits.
std::string bits(const std::vector<golden::Wide>& values, int width) {
  std::string s;
  for (auto it = values.rbegin(); it != values.rend(); ++it)
    for (int b = width - 1; b >= 0; --b) s += ((static_cast<golden::UWide>(*it) >> b) & 1) ? '1' : '0';
  return s + "\n";
}

const char* kTb = R"(
module tb;
  localparam int R = %R%, C = %C%, B = %B%, A = %A%, M = %M%;
  logic clk_i = 0, rst_ni = 1;
  logic in_valid_i = 0, in_wswap_i = 0, wload_valid_i = 0, out_ready_i = 1;
  logic [R*B-1:0] in_data_i = '0;
  logic [C*B-1:0] wload_data_i = '0;
  logic in_ready_o, wload_ready_o, out_valid_o;
  logic [C*A-1:0] out_data_o;
  logic [C*B-1:0] wmem [R];
  logic [R*B-1:0] xmem [M];
  logic [C*A-1:0] ymem [M];
  int sent = 0, loaded = 0, got = 0, errors = 0, cycles = 0;
  %TOP% dut (.*);
  always #5 clk_i = ~clk_i;
  initial begin
    $readmemb("w.mem", wmem);
    $readmemb("x.mem", xmem);
    $readmemb("y.mem", ymem);
    #2 rst_ni = 0;
    #20 rst_ni = 1;
  end
  // Drive on the falling edge, sample on the rising edge.
  always @(negedge clk_i) if (rst_ni) begin
    wload_valid_i = loaded < R;
    wload_data_i = loaded < R ? wmem[loaded] : '0;
    in_valid_i = sent < M;
    in_wswap_i = sent == 0;
    in_data_i = sent < M ? xmem[sent] : '0;
  end
  always @(posedge clk_i) if (rst_ni) begin
    cycles++;
    // One $isunknown per signal: Icarus 11 misreports it on wide concatenations.
    if ($isunknown(in_ready_o) || $isunknown(wload_ready_o) || $isunknown(out_valid_o) ||
        $isunknown(out_data_o)) begin
      $display("X on an output at cycle %0d: %b %b %b %b", cycles, in_ready_o, wload_ready_o, out_valid_o, out_data_o);
      errors++;
    end
    if (wload_valid_i && wload_ready_o) loaded++;
    if (in_valid_i && in_ready_o) sent++;
    if (out_valid_o && out_ready_i) begin
      if (out_data_o !== ymem[got]) begin
        $display("mismatch at vector %0d: %b vs %b", got, out_data_o, ymem[got]);
        errors++;
      end
      got++;
    end
    if (got == M || cycles > 10 * (M + R + C + 10)) begin
      $display("RESULT got=%0d errors=%0d", got, errors);
      $finish;
    end
  end
endmodule
)";

// Compiles tb.sv with the IP under Icarus and returns what the simulation printed.
std::string runIcarus(const test::TempDir& dir, const units::IpDesign& ip, const std::string& tb) {
  const std::string output = runIcarus(dir, ip, tb);
  INFO(output);
  CHECK(output.find("RESULT got=" + std::to_string(tiles * r) + " errors=0") != std::string::npos);
}
