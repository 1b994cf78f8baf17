// Generator-harness contracts: options and campaign records survive write -> read unchanged,
// and the record writer reproduces the documented bytes (docs/campaign-format.md).
#include <catch2/catch.hpp>

#include <string>

#include "contract/CampaignOptionsJson.h"
#include "contract/CampaignRecordJson.h"
#include "contract/SimOptionsJson.h"

using namespace ftaccel;
using contract::Wide;

namespace {

// Writes a line with the one writer and reads it back with the one reader.
template <typename T>
T reread(const std::string& line) {
  REQUIRE(!line.empty());
  REQUIRE(line.back() == '\n');
  return nlohmann::json::parse(line).get<T>();
}

}  // namespace

TEST_CASE("contract: sim options round-trip through JSON", "[contract]") {
  contract::SimOptions o;
  o.vectors = 77;
  o.seed = ~0ull;  // all 64 bits survive
  o.pattern = "mixed";
  o.inValidProb = 0.3;
  o.product = {5, 8, 12};
  o.shift = 3;
  o.faults = {{0, 4, 9, true, false}, {1, 2, -1, false, true}};
  o.bypassFaulty = true;
  o.bypassBits = "0100";
  const auto back = nlohmann::json::parse(nlohmann::json(o).dump()).get<contract::SimOptions>();
  CHECK(back == o);
  CHECK_FALSE(back == contract::SimOptions{});
  // A missing field is an error, not a silent default: both sides compile the same header.
  nlohmann::json j = o;
  j.erase("faults");
  CHECK_THROWS_AS(j.get<contract::SimOptions>(), nlohmann::json::exception);
}

TEST_CASE("contract: campaign options round-trip and are checked", "[contract]") {
  contract::CampaignOptions o;
  o.model = "list";
  o.inject = "3:0,1@5-9:stuck1";
  o.shardIndex = 2;
  o.shardCount = 3;
  o.out = "/tmp/x.jsonl";
  o.timingScale = 0.125;
  o.configHash = "abc";
  CHECK(nlohmann::json::parse(nlohmann::json(o).dump()).get<contract::CampaignOptions>() == o);
  CHECK(contract::checkCampaignOptions(o).empty());
  o.shardIndex = 3;
  CHECK(contract::checkCampaignOptions(o).find("shard") != std::string::npos);
}

TEST_CASE("contract: header and fault-free lines are written as documented", "[contract]") {
  contract::CampaignHeader h;
  h.ip = "ftaccel_ws8x8_d8";
  h.configHash = "762a6d7457be536e";
  h.dataflow = "ws";
  h.rows = h.cols = 8;
  h.dataBits = 8;
  h.accBits = 19;
  h.model = "seu";
  h.faults = 600;
  h.seed = 3;
  h.engine = "fast";
  h.workload = {64, 1};
  h.sites = 339;
  h.siteBits = 3696;
  h.windowCycles = 88;
  // A header line of `ftaccel campaign --model seu --faults 600 --seed 3` on the default IP.
  CHECK(
      contract::headerLine(h) ==
      R"({"acc_bits":19,"alarms":[],"cols":8,"config_hash":"762a6d7457be536e","data_bits":8,"dataflow":"ws",)"
      R"("engine":"fast","faults":600,"format":"ftaccel-campaign","ip":"ftaccel_ws8x8_d8","model":"seu",)"
      R"("model_options":{"burst":0,"inject":"","multi":1,"stuck_cycles":0,"timing_scale":1.0,"timing_table":""},)"
      R"("rows":8,"seed":3,"shard":[0,1],"site_bits":3696,"sites":339,"type":"header","version":1,)"
      R"("window_cycles":88,"workload":{"seed":1,"vectors":64}})"
      "\n");
  CHECK(reread<contract::CampaignHeader>(contract::headerLine(h)) == h);
  const contract::FaultFreeRecord ff{1, 0, 0};
  CHECK(contract::faultFreeLine(ff) == R"({"type":"fault_free","runs":1,"false_alarms":0,"mismatches":0})"
                                       "\n");
  CHECK(reread<contract::FaultFreeRecord>(contract::faultFreeLine(ff)) == ff);
}

TEST_CASE("contract: fault records round-trip with every optional field", "[contract]") {
  contract::FaultRecord r;
  r.index = 10;
  r.outcome = contract::Outcome::Sdc;
  r.injections.push_back({"u_array.gen_row[5].gen_col[7].u_pe.weight_q",
                          238,
                          "weight",
                          std::array<int, 2>{5, 7},
                          {6},
                          "flip",
                          59,
                          59,
                          std::nullopt,
                          std::nullopt});
  r.errors = {{39, 7, 2112}, {40, 7, -768}};
  r.wrong = 2;
  r.maxAbsError = 2112;
  r.analytic = true;
  // Byte for byte a record of the baseline campaign (fields in the documented order).
  const std::string line = contract::faultLine(r);
  CHECK(line ==
        R"({"type":"fault","index":10,"outcome":"sdc","pruned":false,"sim_cycles":0,"injections":[{"site":)"
        R"("u_array.gen_row[5].gen_col[7].u_pe.weight_q","id":238,"kind":"weight","pe":[5,7],"bits":[6],)"
        R"("effect":"flip","cycle":59,"last_cycle":59}],"wrong":2,"max_abs_error":2112,"errors":[[39,7,2112],)"
        R"([40,7,-768]],"missing_results":0,"extra_results":0,"converged":false,"alarms":[],"analytic":true})"
        "\n");
  CHECK(reread<contract::FaultRecord>(line) == r);

  SECTION("PE-level, permanent, timing, hangs and values beyond 53 and 64 bits") {
    contract::FaultRecord t;
    t.index = 4;
    t.outcome = contract::Outcome::Sdc;
    t.simCycles = 90;
    t.injections.push_back({std::nullopt,
                            std::nullopt,
                            "pe",
                            std::array<int, 2>{1, 0},
                            {},
                            "random",
                            0,
                            std::nullopt,
                            std::nullopt,
                            std::nullopt});
    t.injections.push_back(
        {std::nullopt, std::nullopt, "pe", std::array<int, 2>{2, 3}, {}, "timing", 17, 17, -56, 8});
    t.errors = {{0, 1, -(Wide{1} << 65)}, {3, 2, (Wide{1} << 53) + 1}, {4, 0, Wide{1} << 52}};
    t.wrong = 3;
    t.maxAbsError = Wide{1} << 65;
    t.missingResults = 2;
    t.extraResults = 1;
    t.converged = true;
    t.alarms = {"alarm_o"};
    t.timingErrors = 70;
    t.pruningViolation = true;
    const std::string text = contract::faultLine(t);
    CHECK(text.find(R"("site":null,"id":null,"kind":"pe","pe":[1,0],"bits":[],"effect":"random","cycle":0,)"
                    R"("last_cycle":null})") != std::string::npos);
    CHECK(text.find(R"("correct":-56,"wrong_value":8})") != std::string::npos);
    CHECK(text.find(R"([0,1,"-36893488147419103232"],[3,2,"9007199254740993"],[4,0,4503599627370496])") !=
          std::string::npos);
    CHECK(text.find(R"("max_abs_error":"36893488147419103232")") != std::string::npos);
    CHECK(reread<contract::FaultRecord>(text) == t);
  }
}

TEST_CASE("contract: the reader names what is wrong with a record", "[contract]") {
  auto error = [](const std::string& line) -> std::string {
    try {
      (void)nlohmann::json::parse(line).get<contract::FaultRecord>();
    } catch (const contract::RecordError& e) {
      return e.code + ": " + e.what();
    }
    return "";
  };
  CHECK(error(R"({"outcome":"sdc","injections":[]})") == "campaign.missing-field: missing field 'index'");
  CHECK(error(R"({"index":1,"outcome":"late","injections":[]})").find("unknown outcome 'late'") !=
        std::string::npos);
  CHECK(error(R"({"index":1,"outcome":"sdc","injections":[],"errors":[[0,0,3]],"max_abs_error":4})") ==
        "campaign.inconsistent: 'max_abs_error' is 4 but the largest |delta| is 3");
  CHECK(error(R"({"index":1,"outcome":"sdc","injections":[],"converged":1})") ==
        "campaign.bad-field: 'converged' must be true or false");
}
