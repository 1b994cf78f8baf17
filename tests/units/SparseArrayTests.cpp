// Flow-controlling PEs (array.pe, SPEC §7): lint with the three tools, Verilator co-simulation
// against the dense product of the unpacked matrix for several group shapes and array sizes
// (tiled products too), the exact latency and full-rate throughput, and one Icarus run.
#include <catch2/catch.hpp>

#include <random>

#include <fmt/format.h>

#include "LintUtil.h"
#include "IcarusUtil.h"
#include "CosimUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

std::vector<std::string> sets(int rows, int cols, const std::string& pe, int l, int k) {
  std::vector<std::string> s = {fmt::format("array.rows={}", rows), fmt::format("array.cols={}", cols),
                                "array.pe=" + pe};
  if (l > 1) s.push_back(fmt::format("array.group_l={}", l));
  if (k > 1) s.push_back(fmt::format("array.group_k={}", k));
  return s;
}

void lintSparse(const std::vector<std::string>& s, bool faultPorts = false) {
  test::lintPackage({s, units::BuildOptions{faultPorts, false}});
}

// Random complementary-sparse matrices with reloads and random handshakes, then full rate:
// exact latency, reloads hidden, dense-equivalent MACs per cycle = rows*l x cols*k.
void sparseCosim(int rows, int cols, const std::string& pe, int l, int k) {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", sets(rows, cols, pe, l, k));
  const units::IpDesign ip = units::buildIp(cfg);
  const flow::CosimModel model = flow::buildCosimModel(cfg);
  INFO(ip.top);
  for (std::string pattern : {"random", "neg", "max", "mixed"}) {
    INFO("pattern " << pattern);
    test::cosimClean(model, test::randomHandshakes(pattern, 90, 7, 13));
  }
  flow::CosimOptions o;
  o.vectors = 3 * ip.minStallFreeBatch;
  o.batch = ip.minStallFreeBatch;
  o.seed = 5;
  auto j = test::cosimClean(model, o);
  CHECK(j["latency_min"] == ip.latencyCycles);
  CHECK(j["latency_max"] == ip.latencyCycles);
  CHECK(j["latency_min"] == rows + cols + 1);  // the dense formula holds
  CHECK(j["input_stall_cycles"] == rows);
  CHECK(j["batch_cycles"] == o.vectors + ip.latencyCycles - 1);
  CHECK(j["throughput_vectors_per_cycle"] == Approx(1.0));
  CHECK(j["dense_equivalent_macs_per_cycle"] == Approx(double(rows * l * cols * k)));
  // A product larger than the array, tiled on the host (shift 0) and put back together.
  flow::CosimOptions t;
  t.matmul = fmt::format("5,{},{}", 2 * rows * l + l, 2 * cols * k + 1);
  t.seed = 9;
  t.inValidProb = 0.9;
  auto tj = flow::runCosim(model, t);
  INFO(tj.report.dump());
  CHECK(tj.passed());
  CHECK(tj.report["matmul_mismatches"] == 0);
  CHECK(tj.report["matmul_elements"] == 5 * (2 * cols * k + 1));
  CHECK(tj.report["tiles"].get<long>() == 3 * 3);
}

}  // namespace

TEST_CASE("sparse lint: shortened, superposition and two-dimensional PEs", "[sparse][lint]") {
  lintSparse(sets(4, 4, "shortened", 8, 1));
  lintSparse(sets(1, 5, "shortened", 2, 1));
  lintSparse(sets(3, 1, "superposition", 1, 4));
  lintSparse(sets(2, 3, "twodim", 4, 2));
  lintSparse(sets(1, 1, "twodim", 2, 2));
  lintSparse(sets(2, 2, "shortened", 4, 1), true);  // the simulation variant too
}

TEST_CASE("sparse co-simulation: shortened-4 on 3x2", "[sparse][cosim]") { sparseCosim(3, 2, "shortened", 4, 1); }
TEST_CASE("sparse co-simulation: shortened-2 on 1x4 and shortened-8 on 4x1", "[sparse][cosim]") {
  sparseCosim(1, 4, "shortened", 2, 1);
  sparseCosim(4, 1, "shortened", 8, 1);
}
TEST_CASE("sparse co-simulation: superposition-4 on 2x3", "[sparse][cosim]") { sparseCosim(2, 3, "superposition", 1, 4); }
TEST_CASE("sparse co-simulation: two-dimensional 2x4 on 3x3", "[sparse][cosim]") { sparseCosim(3, 3, "twodim", 2, 4); }

TEST_CASE("sparse co-simulation refuses what the packed format cannot do", "[sparse][cosim]") {
  const auto cfg = config::loadConfigText("", "t", sets(2, 2, "shortened", 2, 1));
  flow::CosimModel model = flow::modelShape(cfg, false);
  flow::CosimOptions o;
  o.matmul = "2,4,4";
  o.shift = 1;
  CHECK_THROWS_AS(flow::harnessOptions(model, o), diag::DiagnosticError);
  flow::CosimOptions b;
  b.memoryBer = 1e-3;
  CHECK_THROWS_AS(flow::harnessOptions(model, b), diag::DiagnosticError);
}

TEST_CASE("sparse icarus four-state co-simulation of a two-dimensional 2x3 IP", "[sparse][icarus]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const int r = 2, c = 3, l = 4, k = 2, m = 10;
  auto cfg = config::loadConfigText("", "t", sets(r, c, "twodim", l, k));
  auto ip = units::buildIp(cfg);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
  const int b = cfg.data.bits, a = cfg.data.accBits, ib = config::peIndexBits(cfg.array);
  std::mt19937_64 rng(3);
  const golden::Matrix w = golden::randomComplementary(r * l, c * k, {l, k}, golden::minValue(b), golden::maxValue(b), rng);
  std::string error;
  const auto p = golden::pack(w, {l, k}, error);
  REQUIRE(p);
  std::string wText, iText, xText, yText;
  for (int row = 0; row < r; ++row) {
    std::vector<int64_t> v, idx;
    for (int col = 0; col < c; ++col) {
      v.push_back(p->values.at(row, col));
      idx.push_back(p->index.at(row, col));
    }
    wText += test::laneBits(v, b);
    iText += test::laneBits(idx, ib);
  }
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  const golden::Matrix unpacked = golden::unpack(*p);
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(r * l);
    for (auto& v : x) v = d(rng);
    xText += test::laneBits(x, b);
    std::vector<int64_t> y;
    for (golden::Wide v : golden::arrayOutput(x, unpacked)) y.push_back((int64_t)v);
    yText += test::laneBits(y, a);
  }
  test::writeFile(dir / "w.mem", wText);
  test::writeFile(dir / "i.mem", iText);
  test::writeFile(dir / "x.mem", xText);
  test::writeFile(dir / "y.mem", yText);
  test::WsStreamTb tb{.top = ip.top, .rows = r, .cols = c, .bits = b, .accBits = a, .vectors = m};
  tb.params = fmt::format("localparam int L = {}, K = {}, I = {};", l, k, ib);
  tb.inWidth = "R*L*B";
  tb.outWidth = "C*K*A";
  tb.decls = "logic [C*I-1:0] wload_idx_i = '0;\n  logic [C*I-1:0] imem [R];";
  tb.readmem = "$readmemb(\"i.mem\", imem);";
  tb.drive = "wload_idx_i = loaded < R ? imem[loaded] : '0;";
  const std::string result = test::runIcarus(dir, test::packageRtl(ip), test::wsStreamTb(tb));
  INFO(result);
  CHECK(result.find(fmt::format("RESULT got={} errors=0", m)) != std::string::npos);
}

TEST_CASE("sparse campaign: the fault-free run equals the golden model and index bits are sites", "[sparse][campaign]") {
  test::useTestCache();
  test::TempDir dir;
  const auto out = dir / "r.jsonl";
  auto r = test::runCli({"campaign", "--set", "array.rows=2", "--set", "array.cols=3", "--set", "array.pe=twodim",
                         "--set", "array.group_l=2", "--set", "array.group_k=2", "--model", "seu", "--faults", "80",
                         "--seed", "5", "--vectors", "6", "--kinds", "index,index_shadow,psum", "-j", "1", "-q",
                         "--out", out.string()});
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  const std::string text = test::readFile(out);
  CHECK(text.find("{\"type\":\"fault_free\",\"runs\":1,\"false_alarms\":0,\"mismatches\":0}") != std::string::npos);
  CHECK(r.output.find("index ") != std::string::npos);
  CHECK(r.output.find("\nsdc ") != std::string::npos);
  CHECK(r.output.find("pruned           0") != std::string::npos);  // every fault simulated
  // Memory faults are not modeled for the packed image.
  auto mem = test::runCli({"campaign", "--set", "array.pe=shortened", "--set", "array.group_l=2", "--model", "mem-seu",
                           "--faults", "5", "--seed", "1", "--out", (dir / "m.jsonl").string()});
  CHECK(mem.exitCode == 2);
  CHECK(mem.output.find("memory faults are not modeled") != std::string::npos);
}
