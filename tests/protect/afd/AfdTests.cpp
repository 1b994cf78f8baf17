// The AFD unit in the IP: keys and their diagnostics, the pipeline stage (+1 cycle), RTL that
// lints clean, and fault-free co-simulation against the golden model with the filter in it.
#include <catch2/catch.hpp>

#include "LintUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

void afdCosim(const std::vector<std::string>& sets, int extraLatency) {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", sets);
  const auto plain = config::loadConfigText("", "t", {"array.rows=" + std::to_string(cfg.array.rows),
                                                       "array.cols=" + std::to_string(cfg.array.cols)});
  CHECK(units::buildIp(cfg).latencyCycles == units::buildIp(plain).latencyCycles + extraLatency);
  const auto model = flow::buildCosimModel(cfg);
  for (const char* pattern : {"random", "neg", "max", "mixed", "alt"}) {
    flow::CosimOptions o;
    o.vectors = 120;
    o.batch = 17;
    o.seed = 5;
    o.pattern = pattern;
    o.inValidProb = 0.8;
    o.outReadyProb = 0.8;
    const auto r = flow::runCosim(model, o);
    INFO(pattern << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["mismatches"] == 0);
    // The filter did act (a single lane is its own neighbour and never suppressed).
    if (std::string(pattern) == "random" && cfg.array.rows > 1) CHECK(r.report["filtered_vectors"].get<long>() > 0);
  }
}

}  // namespace

TEST_CASE("afd keys: absent from the hash unless enabled; name and latency", "[protect][afd]") {
  const auto plain = config::loadConfigText("", "t", {});
  CHECK(plain.canonicalToml().find("protect.afd") == std::string::npos);
  CHECK(!plain.toJson()["protect"].contains("afd"));
  const auto on = config::loadConfigText("", "t", {"protect.afd.enable=true", "protect.afd.mode=clip"});
  CHECK(on.canonicalToml().find("protect.afd.mode = \"clip\"") != std::string::npos);
  CHECK(on.toJson()["protect"]["afd"]["s_max"] == 3);
  CHECK(on.ip.name == "ftaccel_ws8x8_d8_afd");
  CHECK(units::buildIp(on).latencyCycles == units::buildIp(plain).latencyCycles + 1);
  // The TOML table form works too.
  const auto table = config::loadConfigText("[protect]\nafd = { enable = true, gates = 1, mode = \"drop\", s_max = 0 }\n",
                                            "t", {});
  CHECK(table.protect.afd.enable);
  CHECK(table.protect.afd.gates == 1);
  CHECK(table.protect.afd.sMax == 0);
}

TEST_CASE("afd keys: bad input names the key", "[protect][afd]") {
  CHECK_THAT(test::configError({"protect.afd.s_max=16"}), Catch::Contains("protect.afd.s_max") && Catch::Contains("0..15"));
  CHECK_THAT(test::configError({"protect.afd.gates=3"}), Catch::Contains("protect.afd.gates"));
  CHECK_THAT(test::configError({"protect.afd.mode=zero"}), Catch::Contains("protect.afd.mode") && Catch::Contains("\"clip\""));
  CHECK_THAT(test::configError({"protect.afd.enable=true", "array.dataflow=os"}),
             Catch::Contains("protect.afd.enable") && Catch::Contains("os"));
  CHECK_THAT(test::configError({"protect.afd.enable=true", "array.dataflow=is"}), Catch::Contains("protect.afd.enable"));
  // Disabled on another dataflow: nothing to complain about.
  CHECK(test::configError({"protect.afd.enable=false", "array.dataflow=os"}).empty());
}

TEST_CASE("afd cli: a bad key exits 2 and writes nothing", "[protect][afd][cli]") {
  test::TempDir dir;
  const auto r = test::runCli({"generate", "--set", "protect.afd.enable=true", "--set", "array.dataflow=is", "--out",
                               (dir / "ip").string()});
  CHECK(r.exitCode == 2);
  CHECK_THAT(r.output, Catch::Contains("protect.afd.enable"));
  CHECK(!std::filesystem::exists(dir / "ip"));
}

TEST_CASE("afd rtl lints clean (Verilator -Wall, Icarus, Yosys)", "[protect][afd][lint]") {
  for (auto sets : {std::vector<std::string>{"array.rows=5", "array.cols=3", "protect.afd.enable=true",
                                             "protect.afd.mode=clip"},
                    std::vector<std::string>{"array.rows=1", "array.cols=2", "data.bits=16", "protect.afd.enable=true",
                                             "protect.afd.gates=1", "protect.afd.s_max=0"},
                    std::vector<std::string>{"array.rows=4", "array.cols=4", "protect.afd.enable=true",
                                             "protect.afd.s_max=7", "protect.median.enable=true",
                                             "protect.median.window=5"}}) {
    test::lintPackage({.sets = sets});
  }
}

TEST_CASE("afd cosim 4x4 8-bit, two gates, drop", "[protect][afd][cosim]") {
  afdCosim({"array.rows=4", "array.cols=4", "protect.afd.enable=true", "protect.afd.s_max=1"}, 1);
}

TEST_CASE("afd cosim 5x3 16-bit, one gate, clip, s_max 0", "[protect][afd][cosim]") {
  afdCosim({"array.rows=5", "array.cols=3", "data.bits=16", "protect.afd.enable=true", "protect.afd.gates=1",
         "protect.afd.mode=clip", "protect.afd.s_max=0"},
        1);
}

TEST_CASE("afd cosim 1x3 8-bit single lane, clip", "[protect][afd][cosim][large]") {
  afdCosim({"array.rows=1", "array.cols=3", "protect.afd.enable=true", "protect.afd.mode=clip"}, 1);
}

TEST_CASE("afd + median cosim 6x2 8-bit: both stages, AFD first", "[protect][afd][median][cosim]") {
  afdCosim({"array.rows=6", "array.cols=2", "protect.afd.enable=true", "protect.afd.mode=clip", "protect.afd.s_max=2",
         "protect.median.enable=true", "protect.median.window=5"},
        2);
}

TEST_CASE("afd campaign: upsets of the stage register end suppressed or sdc, live windows verified",
          "[protect][afd][campaign]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "protect.afd.enable=true",
                                                    "protect.afd.s_max=0", "protect.afd.gates=1"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  test::TempDir tmp;
  flow::CampaignRequest req;
  req.run.model = "seu";
  req.run.faults = 120;
  req.run.seed = 4;
  req.run.kinds = "afd";
  req.run.verifyPruned = true;  // the FilterStage live window is checked by simulation
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  const flow::CampaignRun run = flow::runCampaign(model, flow::validateCampaign(cfg, req));
  REQUIRE(run.exitCode == 0);
  const std::string text = test::readFile(tmp / "r.jsonl");
  CHECK(text.find("\"outcome\":\"suppressed\"") != std::string::npos);
  CHECK(text.find("\"outcome\":\"sdc\"") != std::string::npos);
  CHECK(text.find("\"pruning_violation\":true") == std::string::npos);
  CHECK(text.find("\"kind\":\"skew\"") == std::string::npos);  // --kinds kept to the stage register
  // With a tolerance, upsets the filter acted on but did not undo (a dropped or clipped lane
  // still differs from its fault-free value) become suppressed; each within the tolerance.
  const long tolerance = 600;
  auto suppressedWithError = [](const std::string& results, long t) {
    long n = 0;
    for (size_t p = 0; (p = results.find("\"outcome\":\"suppressed\"", p)) != std::string::npos; ++p) {
      const size_t e = results.find("\"max_abs_error\":", p);
      const long err = std::stol(results.substr(e + 16));
      CHECK(err <= t);
      n += err > 0;
    }
    return n;
  };
  CHECK(suppressedWithError(text, 0) == 0);
  req.run.tolerance = tolerance;
  req.run.out = (tmp / "t.jsonl").string();
  REQUIRE(flow::runCampaign(model, flow::validateCampaign(cfg, req)).exitCode == 0);
  CHECK(suppressedWithError(test::readFile(tmp / "t.jsonl"), tolerance) > 0);
  req.run.tolerance = 0;
  // A kind the IP lacks is refused, naming the kinds it has.
  req.run.kinds = "median";
  CHECK_THROWS_WITH(flow::validateCampaign(cfg, req), Catch::Contains("afd"));
}

// Found by `make fuzz` (median 4x3 6-bit, seed 236: 116 violations): the stationary-register
// rule multiplied a weight flip by the raw vector, but the array multiplies the filtered one.
// --verify-pruned simulates every shortcut record; with median or AFD on none may disagree.
TEST_CASE("filter campaigns: the stationary-register shortcut uses the filtered vectors (--verify-pruned)",
          "[protect][afd][median][campaign]") {
  test::useTestCache();
  struct Case {
    std::vector<std::string> sets;
    int vectors;
    uint64_t seed;
  };
  const std::vector<Case> cases = {
      {{"array.rows=4", "array.cols=3", "data.bits=6", "protect.median.enable=true"}, 3, 236},
      {{"array.rows=5", "array.cols=2", "data.bits=6", "protect.afd.enable=true", "protect.afd.mode=clip",
        "protect.afd.s_max=0", "protect.afd.gates=1"},
       6, 3},
  };
  for (const auto& c : cases) {
    const auto cfg = config::loadConfigText("", "t", c.sets);
    const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
    test::TempDir tmp;
    flow::CampaignRequest req;
    req.run.model = "seu";
    req.run.faults = 300;
    req.run.seed = c.seed;
    req.run.vectors = c.vectors;
    req.run.kinds = "weight,weight_shadow";
    req.run.verifyPruned = true;
    req.run.out = (tmp / "r.jsonl").string();
    req.run.progress = false;
    const flow::CampaignRun run = flow::runCampaign(model, flow::validateCampaign(cfg, req));
    INFO(cfg.ip.name);
    CHECK(run.stats.analytic > 20);  // the shortcut ran (and was simulated as well)
    CHECK(run.stats.pruningViolations == 0);
    CHECK(test::readFile(tmp / "r.jsonl").find("\"pruning_violation\":true") == std::string::npos);
  }
}

TEST_CASE("afd sim: --matmul is refused with a filter", "[protect][afd][cosim]") {
  test::useTestCache();
  const auto model = flow::buildCosimModel(
      config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.afd.enable=true", "protect.afd.s_max=1"}));
  CHECK(model.inputFilters);
  flow::CosimOptions o;
  o.matmul = "5,9,3";
  CHECK_THROWS_WITH(flow::runCosim(model, o), Catch::Contains("--matmul") && Catch::Contains("protect.afd"));
}

namespace {

// Filtered vectors of one fault-free co-simulation with afd_shift_i = shift and `gates` in use;
// every result must equal the golden model run with the same settings.
long runtimeCosim(const flow::CosimModel& model, int shift, int gates, const char* pattern) {
  flow::CosimOptions o;
  o.vectors = 300;
  o.batch = 23;
  o.seed = 8;
  o.pattern = pattern;
  o.inValidProb = 0.85;
  o.outReadyProb = 0.8;
  o.afdShift = shift;
  o.afdGates = gates;
  const auto r = flow::runCosim(model, o);
  INFO("shift " << shift << " gates " << gates << " " << pattern << ": " << r.report.dump());
  CHECK(r.passed());
  CHECK(r.report["mismatches"] == 0);
  CHECK(r.report["checked"] == 300);
  return r.report["filtered_vectors"].get<long>();
}

// Every shift 0..s_max, one clamped shift above it, and (two-gate units) one-gate mode. The
// filtered-vector counts show each setting reached the RTL and the model: a larger shift raises
// every threshold (fewer vectors change), one gate violates more often than two, and a shift
// above s_max behaves as s_max.
void runtimeRegisters(const std::vector<std::string>& sets) {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", sets);
  const auto model = flow::buildCosimModel(cfg);
  const int sMax = cfg.protect.afd.sMax, twoGates = cfg.protect.afd.gates == 2;
  REQUIRE(model.afdShiftMax > sMax);  // the port can hold a value to clamp
  for (const char* pattern : {"random", "mixed"}) {
    std::vector<long> two, one;
    for (int s = 0; s <= model.afdShiftMax; ++s) {
      one.push_back(runtimeCosim(model, s, 1, pattern));
      if (twoGates) two.push_back(runtimeCosim(model, s, 2, pattern));
    }
    for (int s = 0; s < sMax; ++s) {
      CHECK(one[s] >= one[s + 1]);
      if (twoGates) CHECK(two[s] >= two[s + 1]);
    }
    for (int s = sMax + 1; s <= model.afdShiftMax; ++s) CHECK(one[s] == one[sMax]);
    if (std::string(pattern) == "random") {
      CHECK(one[0] > one[sMax]);
      if (twoGates) CHECK(one[sMax] > two[sMax]);  // at s = 0 both may change every vector
    }
    for (size_t s = 0; s < two.size(); ++s) CHECK(one[s] >= two[s]);
  }
}

}  // namespace

TEST_CASE("afd cosim: run-time shift 0..s_max (and clamped) and one-gate mode of a two-gate unit, 5x4 8-bit clip",
          "[protect][afd][cosim]") {
  runtimeRegisters({"array.rows=5", "array.cols=4", "protect.afd.enable=true", "protect.afd.mode=clip",
                    "protect.afd.s_max=2"});
}

TEST_CASE("afd cosim: run-time shift 0..s_max and gates, 4x3 16-bit drop, s_max 5", "[protect][afd][cosim][large]") {
  runtimeRegisters({"array.rows=4", "array.cols=3", "data.bits=16", "protect.afd.enable=true",
                    "protect.afd.s_max=5"});
}

TEST_CASE("afd cosim: one-gate unit, every shift 0..s_max, 6x2 8-bit drop", "[protect][afd][cosim][large]") {
  runtimeRegisters({"array.rows=6", "array.cols=2", "protect.afd.enable=true", "protect.afd.gates=1",
                    "protect.afd.s_max=6"});
}

TEST_CASE("afd sim: --afd-shift / --afd-gates bad requests name the flag", "[protect][afd]") {
  const auto shape = [](const std::vector<std::string>& sets) {
    return flow::modelShape(config::loadConfigText("", "t", sets), false);
  };
  const auto refused = [](const flow::CosimModel& m, int shift, int gates, const std::string& text) {
    flow::CosimOptions o;
    o.afdShift = shift;
    o.afdGates = gates;
    CHECK_THROWS_WITH(flow::harnessOptions(m, o), Catch::Contains(text));
  };
  const auto plain = shape({"array.rows=4", "array.cols=4"});
  refused(plain, 1, 0, "--afd-shift");
  refused(plain, -1, 1, "--afd-gates");
  const auto one = shape({"array.rows=4", "array.cols=4", "protect.afd.enable=true", "protect.afd.gates=1",
                          "protect.afd.s_max=2"});
  CHECK(one.afdShiftMax == 3);
  refused(one, 4, 0, "0..3");
  refused(one, -1, 2, "protect.afd.gates = 1");
  flow::CosimOptions ok;
  ok.afdShift = 3;  // clamped to s_max by the unit and the model
  ok.afdGates = 1;
  CHECK(flow::harnessOptions(one, ok).afdShift == 3);
}
