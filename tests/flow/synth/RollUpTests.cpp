// Module tree, roll-up of per-module figures and the bounded parallel runner, without any tool.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "flow/synth/Hierarchy.h"
#include "flow/synth/Parallel.h"
#include "flow/synth/Scripts.h"
#include "flow/synth/RollUp.h"

using namespace ftaccel::flow;
using namespace ftaccel::flow::synth;

namespace {

// top -> 2 x row -> 3 x pe each, plus one ctrl under top.
SynthRequest tree() {
  SynthRequest req;
  req.modules = {{"pe", "rtl/pe.sv", {}},
                 {"ctrl", "rtl/ctrl.sv", {}},
                 {"row", "rtl/row.sv", {{"pe", 3}}},
                 {"top", "rtl/top.sv", {{"row", 2}, {"ctrl", 1}}}};
  req.top = "top";
  req.clockNs = 5.0;
  return req;
}

StaPath path(double slack, const std::string& start) {
  return StaPath{slack, 5.0 - slack, start, "q"};
}

}  // namespace

TEST_CASE("module tree: descendants deepest first, instance counts, cycles and unknown modules",
          "[synthlog][rollup]") {
  const SynthRequest req = tree();
  CHECK(descendants(req, "top") == std::vector<std::string>{"ctrl", "pe", "row"});
  CHECK(descendants(req, "pe").empty());
  CHECK(instanceCounts(req) ==
        std::map<std::string, long>{{"pe", 6}, {"ctrl", 1}, {"row", 2}, {"top", 1}});
  // The OpenSTA script reads the sub-module netlists before the module's own.
  const std::string sta = staScript(req, req.modules[3], "lib.lib", "c.sdc");
  CHECK(sta.find("read_verilog {pe.syn.v}") < sta.find("read_verilog {row.syn.v}"));
  CHECK(sta.find("read_verilog {row.syn.v}") < sta.find("read_verilog {top.syn.v}"));

  SynthRequest cyclic = req;
  cyclic.modules[0].children = {{"row", 1}};  // pe -> row -> pe
  CHECK_THROWS_WITH(instanceCounts(cyclic), Catch::Contains("cyclic"));
  SynthRequest unknown = req;
  unknown.modules[3].children["missing"] = 1;
  CHECK_THROWS_WITH(checkRequest(unknown), Catch::Contains("unknown module 'missing'"));
}

TEST_CASE("roll-up: instance counts, area and power totals, worst path", "[synthlog][rollup]") {
  std::vector<ModuleRun> runs(4);
  runs[0] = {10.0, 7, 3, 0.5, path(2.0, "pe_a")};
  runs[1] = {4.0, 2, 1, 0.25, path(1.5, "ctrl_a")};
  runs[2] = {1.0, 1, 0, std::nullopt, std::nullopt};
  runs[3] = {2.0, 2, 0, std::nullopt, std::nullopt};
  const SynthResult r = rollUp(tree(), runs);
  REQUIRE(r.modules.size() == 4);
  CHECK(r.modules[0].instances == 6);
  CHECK(r.modules[1].instances == 1);
  CHECK(r.modules[2].instances == 2);
  CHECK(r.modules[3].instances == 1);
  CHECK(r.modules[2].totalArea == Approx(1.0 + 3 * 10.0));
  CHECK(r.totalArea == Approx(2.0 + 2 * 31.0 + 4.0));
  CHECK(r.totalPowerW == Approx(6 * 0.5 + 0.25));
  // Parents take their worst child's path; the critical module is the leaf it lies in.
  CHECK(r.modules[2].pathStart == "pe_a");
  CHECK(r.modules[3].pathStart == "ctrl_a");
  CHECK(r.worstSlackNs == Approx(1.5));
  CHECK(r.criticalModule == "ctrl");
  CHECK(r.criticalPathNs == Approx(3.5));
}

TEST_CASE("roll-up: a module without any timed path keeps the whole period", "[synthlog][rollup]") {
  std::vector<ModuleRun> runs(4);
  const SynthResult r = rollUp(tree(), runs);
  CHECK(r.worstSlackNs == Approx(5.0));
  CHECK(r.totalArea == 0.0);
  CHECK_THROWS(rollUp(tree(), std::vector<ModuleRun>(3)));
}

TEST_CASE("parallel runner: every task runs, never more than `jobs` at once, failures rethrown",
          "[synthlog][parallel]") {
  std::atomic<int> running{0}, peak{0}, done{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 8; ++i)
    tasks.emplace_back([&] {
      const int now = ++running;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::yield();
      --running;
      ++done;
    });
  runParallel(2, tasks);
  CHECK(done == 8);
  CHECK(peak <= 2);
  CHECK(peak >= 1);

  std::vector<std::function<void()>> failing = {[] { throw std::runtime_error("tool X failed"); }};
  CHECK_THROWS_WITH(runParallel(2, failing), "tool X failed");
  runParallel(3, {});  // nothing to do
}
