// Four-state co-simulation under Icarus of an IP with both input filters (AFD, then the median):
// no X on any output after reset, results equal the golden model with the filters applied.
#include <catch2/catch.hpp>

#include <random>

#include "IcarusUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "golden/GoldenModel.h"
#include "protect/afd/AfdModel.h"
#include "protect/median/MedianModel.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

const char* kTb = R"(
module tb;
  localparam int R = %R%, C = %C%, B = %B%, A = %A%, M = %M%;
  logic clk_i = 0, rst_ni = 1;
  logic in_valid_i = 0, in_wswap_i = 0, wload_valid_i = 0, out_ready_i = 1;
  logic [R*B-1:0] in_data_i = '0;
  logic [C*B-1:0] wload_data_i = '0;
  logic [1:0] afd_shift_i = 2'd1;
  logic afd_two_gates_i = 1'b1;
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
  always @(negedge clk_i) if (rst_ni) begin
    wload_valid_i = loaded < R;
    wload_data_i = loaded < R ? wmem[loaded] : '0;
    in_valid_i = sent < M;
    in_wswap_i = sent == 0;
    in_data_i = sent < M ? xmem[sent] : '0;
  end
  always @(posedge clk_i) if (rst_ni) begin
    cycles++;
    if ($isunknown(in_ready_o) || $isunknown(wload_ready_o) || $isunknown(out_valid_o) ||
        $isunknown(out_data_o)) begin
      $display("X on an output at cycle %0d", cycles);
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

}  // namespace

TEST_CASE("icarus co-simulation of a 5x3 IP with AFD (clip, two gates) and median-5", "[icarus][protect][afd][median]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const auto cfg = config::loadConfigText("", "t",
                                          {"array.rows=5", "array.cols=3", "protect.afd.enable=true",
                                           "protect.afd.mode=clip", "protect.median.enable=true",
                                           "protect.median.window=5"});
  const auto ip = units::buildIp(cfg);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
  const int r = cfg.array.rows, c = cfg.array.cols, b = cfg.data.bits, a = cfg.data.accBits, m = 16;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  golden::Matrix w(r, c);
  for (auto& v : w.data) v = d(rng);
  std::string wText, xText, yText;
  for (int k = 0; k < r; ++k) {
    std::vector<golden::Wide> row;
    for (int j = 0; j < c; ++j) row.push_back(w.at(k, j));
    wText += test::laneBits(row, b);
  }
  long changed = 0;
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(static_cast<size_t>(r));
    for (auto& v : x) v = i == 0 ? golden::minValue(b) : d(rng);
    xText += test::laneBits(std::vector<golden::Wide>(x.begin(), x.end()), b);
    // The tb drives shift 1 and two gates; AFD first, then the median.
    const auto seen = median::medianFilter(afd::afdFilter(x, r, {1, 3, 2, true}), r, 5, median::Impl::Optimized);
    changed += seen != x;
    yText += test::laneBits(golden::arrayOutput(seen, w), a);
  }
  CHECK(changed > 0);
  test::writeFile(dir / "w.mem", wText);
  test::writeFile(dir / "x.mem", xText);
  test::writeFile(dir / "y.mem", yText);
  const std::string tb = test::fillTemplate(kTb, {{"R", r}, {"C", c}, {"B", b}, {"A", a}, {"M", m}, {"TOP", ip.top}});
  const std::string output = test::runIcarus(dir, test::packageRtl(ip), tb);
  INFO(output);
  CHECK(output.find("RESULT got=16 errors=0") != std::string::npos);
}
