// What the harness is handed: the user's specifications parsed into contract::SimOptions and
// contract::CampaignOptions before anything is built (no model is verilated here).
#include <catch2/catch.hpp>

#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"

using namespace ftaccel;

namespace {

std::string diagnostic(const std::function<void()>& f) {
  try {
    f();
  } catch (const diag::DiagnosticError& e) {
    return e.bag().format();
  }
  return "";
}

}  // namespace

TEST_CASE("sim: the harness gets parsed faults and expanded bypass bits and the product shape", "[contract][faults]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=2", "array.cols=3", "protect.bypass=true"});
  flow::CosimOptions o;
  o.bypass = "pe:1,2";
  o.peFaults = "s1:0,1,4+rndrow:1";
  o.matmul = "5,7,9";
  o.shift = 2;
  const contract::SimOptions h = flow::harnessOptions(flow::modelShape(cfg, true), o);
  CHECK(h.bypassBits == "000001");
  REQUIRE(h.faults.size() == 4);
  CHECK(h.faults[0] == contract::PeFault{0, 1, 4, true, false});
  CHECK(h.faults[3] == contract::PeFault{1, 2, -1, false, true});
  CHECK(h.product == contract::MatmulShape{5, 7, 9});
  CHECK(h.shift == 2);
  CHECK(h.vectors == o.vectors);

  CHECK_THAT(diagnostic([&] { flow::harnessOptions(flow::modelShape(cfg, false), o); }),
             Catch::Contains("sim.no-fault-ports"));
  const auto plain = config::loadConfigText("", "t", {"array.rows=2", "array.cols=3"});
  CHECK_THAT(diagnostic([&] { flow::harnessOptions(flow::modelShape(plain, true), o); }),
             Catch::Contains("--bypass pe:1,2: error[sim.no-bypass]"));
  o.matmul = "5,x,9";
  CHECK_THAT(diagnostic([&] { flow::harnessOptions(flow::modelShape(cfg, true), o); }),
             Catch::Contains("--matmul 5,x,9: error[sim.bad-matmul]"));
}

TEST_CASE("campaign: the harness gets the shard and resolved sites and absolute paths", "[contract][campaign]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=2", "array.cols=2"});
  flow::CampaignRequest r;
  r.run.model = "list";
  r.run.out = "rel.jsonl";
  r.run.inject = "u_array.gen_row[0].gen_col[0].u_pe.psum_q:1-3@5;u_ctrl.valid_q:0@2-end:stuck1";
  r.shard = "1/4";
  const contract::CampaignOptions o = flow::validateCampaign(cfg, r);
  CHECK(o.shardIndex == 1);
  CHECK(o.shardCount == 4);
  CHECK(std::filesystem::path(o.out).is_absolute());
  CHECK(o.configHash == cfg.hash());
  // Site names become ids, bit ranges lists, single cycles explicit ranges.
  CHECK(o.inject.find("u_array") == std::string::npos);
  CHECK(o.inject.find(":1,2,3@5-5:flip;") != std::string::npos);
  CHECK(o.inject.find("@2-end:stuck1") != std::string::npos);
  CHECK(contract::checkCampaignOptions(o).empty());
  r.shard = "4/4";
  CHECK_THAT(diagnostic([&] { flow::validateCampaign(cfg, r); }), Catch::Contains("0 <= i < n"));
}
