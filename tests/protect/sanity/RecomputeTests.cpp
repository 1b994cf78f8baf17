// Campaign option --recompute-on-alarm (docs/campaign-format.md): the engine re-runs an alarmed
// batch fault-free, the records say so, and the report counts the SDCs left after detection
// and recomputation; with the Sanity-Check unit on a small WS IP.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"

using namespace ftaccel;

namespace {

flow::CampaignRequest request(const test::TempDir& tmp, const std::string& model, long faults) {
  flow::CampaignRequest req;
  req.run.model = model;
  req.run.faults = faults;
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  req.run.recomputeOnAlarm = true;
  req.run.jobs = 1;
  return req;
}

fault::CampaignData readBack(const test::TempDir& tmp) {
  diag::DiagnosticBag warnings;
  return fault::readCampaignFiles({tmp / "r.jsonl"}, warnings);
}

// The one record of a --model list campaign with --recompute-on-alarm.
fault::FaultRecord listRecord(const flow::CosimModel& model, const config::Config& cfg, const std::string& inject) {
  test::TempDir tmp;
  flow::CampaignRequest req = request(tmp, "list", 1);
  req.run.inject = inject;
  REQUIRE(flow::runCampaign(model, flow::validateCampaign(cfg, req)).exitCode == 0);
  const fault::CampaignData data = readBack(tmp);
  CHECK(data.header.modelOptions.recompute);
  REQUIRE(data.faults.size() == 1);
  return data.faults.begin()->second;
}

}  // namespace

TEST_CASE("recompute on alarm: detected batches are re-run fault-free, SDCs are not", "[sanity][campaign][recompute]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=2", "protect.sanity_check=spatial"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);

  // A weight flip: wrong results, an alarm, a correct re-run.
  const fault::FaultRecord weight = listRecord(model, cfg, "u_array.gen_row[1].gen_col[1].u_pe.weight_q:3@30");
  CHECK(weight.outcome == fault::Outcome::Detected);
  CHECK(weight.wrong > 0);
  CHECK(weight.recomputed);
  CHECK(weight.recomputeWrong == 0);
  // A flip of a checksum weight: results right, an alarm anyway: a needless recomputation.
  const fault::FaultRecord checksum = listRecord(model, cfg, "u_sanity_col.gen_row[0].weight_q:2@30");
  CHECK(checksum.outcome == fault::Outcome::Detected);
  CHECK(checksum.wrong == 0);
  CHECK(checksum.recomputed);
  // An input flip before the array: no alarm, so nothing is recomputed and it stays an SDC.
  const fault::FaultRecord input = listRecord(model, cfg, "u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q:6@30");
  CHECK(input.outcome == fault::Outcome::Sdc);
  CHECK_FALSE(input.recomputed);

  // A random campaign: every detected run recomputed, the report's figures add up.
  test::TempDir tmp;
  flow::CampaignRequest req = request(tmp, "seu", 150);
  req.run.seed = 9;
  REQUIRE(flow::runCampaign(model, flow::validateCampaign(cfg, req)).exitCode == 0);
  const fault::CampaignData data = readBack(tmp);
  long detected = 0, detectedWrong = 0, sdc = 0;
  for (const auto& [index, r] : data.faults) {
    INFO("fault " << index);
    CHECK(r.recomputed == (r.outcome == fault::Outcome::Detected));
    CHECK(r.recomputeWrong == 0);
    detected += r.outcome == fault::Outcome::Detected;
    detectedWrong += r.outcome == fault::Outcome::Detected && r.wrong > 0;
    sdc += r.outcome == fault::Outcome::Sdc;
  }
  const fault::CampaignSummary s = fault::summarize(data);
  CHECK(detected > 0);
  CHECK(s.recompute.runs == detected);
  CHECK(s.recompute.corrected == detectedWrong);
  CHECK(s.recompute.needless == detected - detectedWrong);
  CHECK(s.recompute.stillWrong == 0);
  const std::string text = fault::formatReport(s);
  INFO(text);
  CHECK(text.find(fmt::format("SDCs left after detection and recomputation: {} ", sdc)) != std::string::npos);
  CHECK(fault::toJson(s)["recompute"]["sdc_after"] == sdc);
}

TEST_CASE("recompute on alarm: report counts, and a recomputed record must be detected", "[recompute]") {
  const std::string header =
      R"({"type":"header","format":"ftaccel-campaign","version":1,"ip":"t","config_hash":"h","dataflow":"ws",)"
      R"("rows":2,"cols":2,"model":"seu","faults":4,"seed":1,"shard":[0,1],"engine":"fast",)"
      R"("model_options":{"recompute_on_alarm":true},"workload":{"vectors":4,"seed":1},"alarms":["a"]})"
      "\n";
  auto line = [](int index, const char* outcome, int wrong, const char* extra) {
    std::string errors;
    for (int i = 0; i < wrong; ++i) errors += fmt::format("{}[{},0,1]", i ? "," : "", i);
    return fmt::format(R"({{"type":"fault","index":{},"outcome":"{}","injections":[],"wrong":{},"errors":[{}]{}}})"
                       "\n",
                       index, outcome, wrong, errors, extra);
  };
  test::TempDir tmp;
  test::writeFile(tmp / "r.jsonl", header + line(0, "detected", 2, R"(,"recomputed":true,"recompute_wrong":0)") +
                                       line(1, "detected", 0, R"(,"recomputed":true,"recompute_wrong":0)") +
                                       line(2, "detected", 1, R"(,"recomputed":true,"recompute_wrong":3)") +
                                       line(3, "sdc", 1, ""));
  const fault::CampaignSummary s = fault::summarize(readBack(tmp));
  CHECK(s.recompute.runs == 3);
  CHECK(s.recompute.corrected == 1);
  CHECK(s.recompute.needless == 1);
  CHECK(s.recompute.stillWrong == 1);
  CHECK(fault::toJson(s)["recompute"]["sdc_after"] == 2);  // the SDC and the still-wrong re-run

  test::writeFile(tmp / "r.jsonl", header + line(0, "sdc", 1, R"(,"recomputed":true,"recompute_wrong":0)"));
  diag::DiagnosticBag warnings;
  CHECK_THROWS_WITH(fault::readCampaignFiles({tmp / "r.jsonl"}, warnings),
                    Catch::Contains("only a detected fault is recomputed"));
}
