// Campaign helpers shared by the tests: a results-file header line, the outcome of one
// hand-made fault.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"

namespace ftaccel::test {

// The header line of a results file of a small WS 2x2 seu campaign (`faults` faults, shard
// `shard` of `shards`): what the report reader checks, without running a campaign.
inline std::string campaignHeaderLine(const std::string& hash, long faults, int shard, int shards) {
  return fmt::format(
      R"({{"type":"header","format":"ftaccel-campaign","version":1,"ip":"t_ws2x2","config_hash":"{}",)"
      R"("dataflow":"ws","rows":2,"cols":2,"data_bits":8,"acc_bits":19,"model":"seu","faults":{},"seed":1,)"
      R"("shard":[{},{}],"engine":"fast","workload":{{"vectors":4,"seed":1}},"alarms":[],"sites":10,)"
      R"("site_bits":20,"window_cycles":12}})"
      "\n",
      hash, faults, shard, shards);
}

// Outcome of one hand-made fault (--model list, `inject` as for --inject) on the
// fault-injection variant `model`; the fault-free reference must raise no alarm.
inline std::string listOutcome(const flow::CosimModel& model, const config::Config& cfg, const std::string& inject) {
  TempDir tmp;
  flow::CampaignRequest req;
  req.run.model = "list";
  req.run.faults = 1;
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  req.run.inject = inject;
  const flow::CampaignRun run = flow::runCampaign(model, flow::validateCampaign(cfg, req));
  REQUIRE(run.exitCode == 0);
  const std::string text = readFile(tmp / "r.jsonl");
  INFO(text);
  CHECK(text.find("\"false_alarms\":0") != std::string::npos);
  const auto at = text.find("\"outcome\":\"");
  REQUIRE(at != std::string::npos);
  return text.substr(at + 11, text.find('"', at + 11) - at - 11);
}

}  // namespace ftaccel::test
