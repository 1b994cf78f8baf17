// Campaign helpers shared by the tests: the outcome of one hand-made fault.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"

namespace ftaccel::test {

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
