// RTL against golden model: many shapes and widths, corner operands, backpressure, reloads,
// cycle-exact latency and stall-free reload, and a negative control that must fail.
#include <catch2/catch.hpp>

#include "CosimUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Cosim.h"
#include "flow/Process.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

struct Shape {
  int rows, cols, bits;
  std::string dataflow = "ws";
  std::string nets = "auto";  // array.nets: the PE-to-PE wiring form
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> s = {
      {1, 1, 8}, {2, 3, 4}, {3, 2, 16}, {4, 4, 8}, {8, 8, 8}, {8, 8, 4},
      {8, 8, 16}, {16, 16, 8}, {5, 12, 32}, {24, 10, 16},
  };
  return s;
}

config::Config configFor(const Shape& s) {
  return config::loadConfigText("", "test", {fmt::format("array.rows={}", s.rows),
                                             fmt::format("array.cols={}", s.cols),
                                             fmt::format("data.bits={}", s.bits),
                                             "array.dataflow=" + s.dataflow, "array.nets=" + s.nets});
}

void checkShape(const Shape& s) {
  test::useTestCache();
  config::Config cfg = configFor(s);
  units::IpDesign ip = units::buildIp(cfg);
  flow::CosimModel model = flow::buildCosimModel(cfg);
  const int latency = ip.latencyCycles;
  const long stallFree = ip.minStallFreeBatch;

  // Corner operands, each with weight reloads between short batches and random handshakes.
  for (std::string pattern : {"neg", "zero", "alt", "max", "random", "mixed"}) {
    INFO("pattern " << pattern);
    test::cosimClean(model, test::randomHandshakes(pattern, 120, 7, 11));
  }

  // Full-rate streaming: exact latency, exact batch cycles, reloads hidden behind compute.
  flow::CosimOptions o;
  o.vectors = 3 * stallFree;
  o.batch = stallFree;
  o.seed = 5;
  auto j = test::cosimClean(model, o);
  CHECK(j["latency_min"] == latency);
  CHECK(j["latency_max"] == latency);
  CHECK(j["input_stall_cycles"] == s.rows);  // only the very first load is waited for
  CHECK(j["batch_cycles"] == o.vectors + latency - 1);
  CHECK(j["throughput_vectors_per_cycle"] == Approx(1.0));

  // One vector shorter and the reload can no longer hide: the bound is tight.
  o.batch = stallFree - 1;
  o.vectors = 3 * o.batch;
  auto tight = test::cosimClean(model, o);
  CHECK(tight["input_stall_cycles"].get<long>() > s.rows);
}

}  // namespace

TEST_CASE("co-simulation 1x1 8-bit", "[cosim]") { checkShape(shapes()[0]); }
TEST_CASE("co-simulation 2x3 4-bit", "[cosim]") { checkShape(shapes()[1]); }
TEST_CASE("co-simulation 3x2 16-bit", "[cosim]") { checkShape(shapes()[2]); }
TEST_CASE("co-simulation 4x4 8-bit", "[cosim]") { checkShape(shapes()[3]); }
TEST_CASE("co-simulation 8x8 8-bit (default)", "[cosim]") { checkShape(shapes()[4]); }
TEST_CASE("co-simulation 8x8 4-bit", "[cosim]") { checkShape(shapes()[5]); }
TEST_CASE("co-simulation 8x8 16-bit", "[cosim]") { checkShape(shapes()[6]); }
TEST_CASE("co-simulation 16x16 8-bit", "[cosim]") { checkShape(shapes()[7]); }
TEST_CASE("co-simulation 5x12 32-bit (widest data and 66-bit results)", "[cosim]") { checkShape(shapes()[8]); }
TEST_CASE("co-simulation 24x10 16-bit (non-square)", "[cosim][large]") { checkShape(shapes()[9]); }

TEST_CASE("co-simulation 5x4 8-bit with the flat net form", "[cosim][nets]") { checkShape({5, 4, 8, "ws", "flat"}); }
TEST_CASE("co-simulation 5x4 8-bit with the rows net form", "[cosim][nets]") { checkShape({5, 4, 8, "ws", "rows"}); }

TEST_CASE("co-simulation IS 3x5 8-bit", "[cosim][is]") { checkShape({3, 5, 8, "is"}); }
TEST_CASE("co-simulation IS 8x8 16-bit", "[cosim][is]") { checkShape({8, 8, 16, "is"}); }
TEST_CASE("co-simulation IS 1x1 4-bit", "[cosim][is]") { checkShape({1, 1, 4, "is"}); }
// Above 64 pipeline stages the ctrl's valid pipe is segmented, one advance copy per segment.
TEST_CASE("co-simulation 1x80 8-bit (valid pipe in two segments)", "[cosim]") { checkShape({1, 80, 8}); }
TEST_CASE("co-simulation IS 70x2 8-bit (valid pipe in two segments)", "[cosim][is]") { checkShape({70, 2, 8, "is"}); }

TEST_CASE("co-simulation 64x64 8-bit", "[cosim][large]") {
  test::useTestCache();
  auto cfg = config::loadConfigText("", "test", {"array.rows=64", "array.cols=64"});
  auto model = flow::buildCosimModel(cfg);
  flow::CosimOptions o;
  o.vectors = 600;
  o.batch = 200;  // >= 2*64 + 64: reloads hidden
  o.pattern = "mixed";
  auto j = test::cosimClean(model, o);
  CHECK(j["latency_max"] == 64 + 64 + 1);  // rows + cols + the output buffer
  CHECK(j["input_stall_cycles"] == 64);
}

TEST_CASE("the checker catches wrong results (weights never switched)", "[cosim]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(configFor({4, 4, 8}));
  flow::CosimOptions o;
  o.vectors = 20;
  o.noSwap = true;
  auto r = flow::runCosim(model, o);
  CHECK_FALSE(r.passed());
  CHECK(r.report["mismatches"].get<long>() > 0);
  CHECK(r.report["first_mismatch"].get<std::string>().find("expected") != std::string::npos);
}

TEST_CASE("a cached model is reused", "[cosim]") {
  test::useTestCache();
  auto cfg = configFor({2, 3, 4});
  flow::buildCosimModel(cfg);
  CHECK(flow::buildCosimModel(cfg).reused);
}

TEST_CASE("models share one precompiled harness header, and GCC uses it", "[cosim][pch]") {
  test::useTestCache();
  auto model = flow::buildCosimModel(configFor({2, 3, 4}));
  // A link into shared-objects/ (the model that compiled it links too), not a 100 MB copy.
  const std::filesystem::path pch = model.dir / "tb" / "HarnessPch.h.gch";
  REQUIRE(std::filesystem::is_symlink(pch));
  REQUIRE(std::filesystem::exists(pch));
  CHECK(std::filesystem::read_symlink(pch).parent_path().parent_path().filename() == "shared-objects");
  // The model's own compile of CosimMain.cpp, repeated with -H: GCC marks a precompiled header
  // it uses with '!' and one it rejects with 'x'.
  const std::string log = test::readFile(model.dir / "build.stdout.log");
  const size_t at = log.find("-c -o CosimMain.o");
  REQUIRE(at != std::string::npos);
  std::string cmd = log.substr(log.rfind('\n', at) + 1, log.find('\n', at) - log.rfind('\n', at) - 1);
  if (cmd.starts_with("ccache ")) cmd.erase(0, 7);
  cmd.replace(cmd.find("-c -o CosimMain.o"), 17, "-fsyntax-only -H");
  auto r = flow::runProcess({"sh", "-c", cmd + " 2>&1"}, model.dir / "obj");
  INFO(cmd << "\n" << r.output.substr(0, 2000));
  REQUIRE(r.exitCode == 0);
  CHECK(r.output.find("! " + (model.dir / "tb" / "HarnessPch.h.gch").string()) != std::string::npos);
  CHECK(r.output.find("x " + (model.dir / "tb" / "HarnessPch.h.gch").string()) == std::string::npos);
}

namespace {

// The protocol fuzzer (tb/ProtocolFuzz.h): random legal valid/ready/load/swap sequences,
// every result right and within the manifest's result_bound, nothing after the last.
nlohmann::json fuzz(const std::vector<std::string>& sets, long sequences, uint64_t seed,
                    const std::string& bypass = "none", const std::string& peFaults = "none") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "test", sets);
  const bool faultPorts = peFaults != "none";
  auto model = flow::buildCosimModel(cfg, {}, faultPorts);
  flow::CosimOptions o;
  o.protocolFuzz = sequences;
  o.seed = seed;
  o.bypass = bypass;
  o.peFaults = peFaults;
  auto r = flow::runCosim(model, o);
  INFO(r.report.dump());
  CHECK(r.report["fuzz_sequences"].get<long>() >= 1);
  return r.report;
}

void fuzzPasses(const std::vector<std::string>& sets, const std::string& bypass = "none") {
  const auto j = fuzz(sets, 40, 3, bypass);
  INFO(j.dump());
  CHECK(j["mismatches"] == 0);
  CHECK(j["fuzz_bound_violations"] == 0);
  CHECK(j["spurious_outputs"] == 0);
  CHECK(j["fuzz_sequences"] == 40);
  CHECK(j["checked"] == j["vectors"]);
  CHECK(j["checked"].get<long>() > 100);
  CHECK(j["fuzz_worst_slack"].get<long>() <= 2);
}

}  // namespace

TEST_CASE("protocol fuzzer: WS, swaps with and without a new load", "[cosim][protocol]") {
  const auto j = fuzz({"array.rows=4", "array.cols=3"}, 40, 3);
  INFO(j.dump());
  CHECK(j["mismatches"] == 0);
  CHECK(j["fuzz_bound_violations"] == 0);
  CHECK(j["checked"] == j["vectors"]);
  // Both kinds of swap occurred: the no-op swap (no new load) neither hangs nor changes results.
  CHECK(j["fuzz_swaps"].get<long>() > 10);
  CHECK(j["fuzz_noop_swaps"].get<long>() > 10);
}

TEST_CASE("protocol fuzzer: IS", "[cosim][protocol]") { fuzzPasses({"array.rows=3", "array.cols=5", "array.dataflow=is"}); }
TEST_CASE("protocol fuzzer: OS with random tile lengths", "[cosim][protocol]") {
  fuzzPasses({"array.rows=4", "array.cols=4", "array.dataflow=os"});
}
TEST_CASE("protocol fuzzer: WS with bypass and a single row", "[cosim][protocol]") {
  fuzzPasses({"array.rows=3", "array.cols=3", "protect.bypass=true"}, "random:0.4");
  fuzzPasses({"array.rows=1", "array.cols=4"});
}

TEST_CASE("protocol fuzzer: a wrong result is caught", "[cosim][protocol]") {
  const auto j = fuzz({"array.rows=2", "array.cols=2"}, 5, 1, "none", "s1:1,1,3");
  CHECK(j["mismatches"].get<long>() > 0);
  CHECK(j["first_mismatch"].get<std::string>().find("expected") != std::string::npos);
}
