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
  const test::WsStreamTb tb{.top = ip.top, .rows = r, .cols = c, .bits = b, .accBits = a, .vectors = m,
                            .decls = "logic [1:0] afd_shift_i = 2'd1;\n  logic afd_two_gates_i = 1'b1;"};
  const std::string output = test::runIcarus(dir, test::packageRtl(ip), test::wsStreamTb(tb));
  INFO(output);
  CHECK(output.find("RESULT got=16 errors=0") != std::string::npos);
}
