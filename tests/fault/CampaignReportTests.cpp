// Campaign result shards: merging, counts, error locations, truncated lines, exact deltas and
// the fault-pattern CSV. The JSONL is written by hand; expected values are worked out below.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "CampaignUtil.h"
#include "TestUtil.h"
#include "fault/CampaignReport.h"

using namespace ftaccel;

namespace {

// A header of a 6-fault campaign; shard i of n owns the indices k with k % n == i.
std::string header(int shard, int shards, const std::string& hash = "abc123", long faults = 6) {
  return test::campaignHeaderLine(hash, faults, shard, shards);
}

std::string faultFree(int runs, int falseAlarms, int mismatches) {
  return fmt::format(R"({{"type":"fault_free","runs":{},"false_alarms":{},"mismatches":{}}})"
                     "\n",
                     runs, falseAlarms, mismatches);
}

// `errors` holds JSON text for each delta so that string-encoded deltas can be written too;
// `wrong` and `maxAbs` are given explicitly as the writer would have written them.
std::string faultLine(long index, const std::string& outcome, const std::string& kind, const std::string& effect,
                  const std::vector<std::tuple<int, int, std::string>>& errors = {}, const std::string& maxAbs = "0",
                  bool pruned = false) {
  std::string list;
  for (const auto& [row, ch, delta] : errors)
    list += fmt::format("{}[{},{},{}]", list.empty() ? "" : ",", row, ch, delta);
  return fmt::format(
      R"({{"type":"fault","index":{},"outcome":"{}","pruned":{},"sim_cycles":12,)"
      R"("injections":[{{"site":"u_array.u_pe.x","id":3,"kind":"{}","pe":[0,1],"bits":[2],"effect":"{}",)"
      R"("cycle":5,"last_cycle":5}}],"wrong":{},"max_abs_error":{},"errors":[{}],"alarms":[]}})"
      "\n",
      index, outcome, pruned ? "true" : "false", kind, effect, errors.size(), maxAbs, list);
}

// Shard 0 of 2: faults 0, 2, 4.
std::string shard0() {
  return header(0, 2) + faultFree(2, 0, 1) + faultLine(0, "masked", "psum", "flip") +
         faultLine(2, "sdc", "psum", "flip", {{0, 1, "32"}, {1, 1, "-32"}}, "32") +
         faultLine(4, "detected", "weight", "stuck1", {{2, 0, "4"}}, "4");
}

// Shard 1 of 2: faults 1 and 3; fault 5 was never written. 2^53 + 1 is written as a string.
std::string shard1() {
  return header(1, 2) + faultFree(2, 1, 0) + faultLine(1, "masked", "weight", "flip", {}, "0", true) +
         faultLine(3, "sdc", "act", "flip", {{0, 0, R"("9007199254740993")"}}, R"("9007199254740993")");
}

std::string readError(const std::vector<std::filesystem::path>& files) {
  diag::DiagnosticBag warnings;
  try {
    fault::readCampaignFiles(files, warnings);
  } catch (const diag::DiagnosticError& e) {
    return e.bag().format();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("campaign shards merge into one summary", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "a.jsonl", shard0());
  test::writeFile(tmp / "b.jsonl", shard1());
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "a.jsonl", tmp / "b.jsonl"}, warnings);
  CHECK(warnings.items().empty());
  CHECK(data.faults.size() == 5);
  CHECK(data.duplicates == 0);

  const fault::CampaignSummary s = fault::summarize(data);
  CHECK(s.expected == 6);
  CHECK(s.present == 5);
  CHECK(s.missing == 1);
  CHECK(s.firstMissing == std::vector<long>{5});
  // masked: 0, 1; detected: 4; sdc: 2, 3.
  CHECK(s.overall[fault::Outcome::Masked] == 2);
  CHECK(s.overall[fault::Outcome::Detected] == 1);
  CHECK(s.overall[fault::Outcome::Suppressed] == 0);
  CHECK(s.overall[fault::Outcome::Sdc] == 2);
  CHECK(s.pruned == 1);
  // Fault-free lines summed: runs 2 + 2, false alarms 0 + 1, mismatches 1 + 0.
  CHECK(s.faultFree.runs == 4);
  CHECK(s.faultFree.falseAlarms == 1);
  CHECK(s.faultFree.mismatches == 1);
  // SDCs 2 (2 wrong) and 3 (1 wrong): mean 1.5; max |error| 2^53 + 1, kept exact.
  CHECK(s.sdc == 2);
  CHECK(s.meanWrongSdc == Approx(1.5));
  CHECK(s.maxAbsErrorSdc == (fault::Wide{1} << 53) + 1);

  REQUIRE(s.byKind.size() == 3);  // act, psum, weight (by name)
  CHECK(s.byKind[0].name == "act");
  CHECK(s.byKind[0].counts[fault::Outcome::Sdc] == 1);
  CHECK(s.byKind[1].name == "psum");
  CHECK(s.byKind[1].counts[fault::Outcome::Masked] == 1);
  CHECK(s.byKind[1].counts[fault::Outcome::Sdc] == 1);
  CHECK(s.byKind[2].name == "weight");
  CHECK(s.byKind[2].counts[fault::Outcome::Masked] == 1);
  CHECK(s.byKind[2].counts[fault::Outcome::Detected] == 1);
  REQUIRE(s.byEffect.size() == 2);
  CHECK(s.byEffect[0].name == "flip");
  CHECK(s.byEffect[0].counts.total() == 4);
  CHECK(s.byEffect[1].name == "stuck1");
  CHECK(s.byEffect[1].counts[fault::Outcome::Detected] == 1);

  // 2 of 5 = 40 %, 1 of 5 = 20 %.
  const nlohmann::json j = fault::toJson(s);
  CHECK(j["outcomes"]["masked"]["percent"].get<double>() == Approx(40.0));
  CHECK(j["outcomes"]["detected"]["percent"].get<double>() == Approx(20.0));
  CHECK(j["pruned"]["percent"].get<double>() == Approx(20.0));
  CHECK(j["faults_missing"] == 1);
  CHECK(j["sdc"]["max_abs_error"] == "9007199254740993");  // beyond 53 bits: a string, as in the input
  CHECK(j["by_kind"]["weight"]["detected"] == 1);

  const std::string text = fault::formatReport(s);
  CHECK(contains(text, "5 present, 1 missing (first: 5)"));
  CHECK(contains(text, "40.00"));
  CHECK(contains(text, "max |error| 9007199254740993"));
}

TEST_CASE("campaign report merges identical duplicates", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "a.jsonl", shard0());
  test::writeFile(tmp / "again.jsonl", header(0, 2) + faultLine(2, "sdc", "psum", "flip", {{0, 1, "32"}, {1, 1, "-32"}}, "32"));
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "a.jsonl", tmp / "again.jsonl"}, warnings);
  CHECK(data.faults.size() == 3);
  CHECK(data.duplicates == 1);
  CHECK(fault::summarize(data).overall[fault::Outcome::Sdc] == 1);
}

TEST_CASE("campaign report rejects conflicting duplicates with both places", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "a.jsonl", shard0());
  test::writeFile(tmp / "dup.jsonl", header(0, 2) + faultFree(1, 0, 0) + faultLine(2, "masked", "psum", "flip"));
  const std::string err = readError({tmp / "a.jsonl", tmp / "dup.jsonl"});
  CHECK(contains(err, "dup.jsonl:3: error[campaign.conflict]"));
  CHECK(contains(err, "a.jsonl:4"));  // where fault 2 was read first
  CHECK(contains(err, "outcome sdc vs masked"));
}

TEST_CASE("campaign report skips a cut-off final line with a warning", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "b.jsonl", shard1() + R"({"type":"fault","index":5,"outc)");
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "b.jsonl"}, warnings);
  REQUIRE(warnings.items().size() == 1);
  CHECK(contains(warnings.format(), "b.jsonl:5: warning[campaign.truncated-line]"));
  CHECK(data.truncatedLines == 1);
  CHECK(data.faults.size() == 2);
  CHECK(data.faults.count(5) == 0);
  // The same cut-off text in the middle of a file is an error.
  test::writeFile(tmp / "mid.jsonl", shard1() + R"({"type":"fault","index":5,"outc)" "\n");
  CHECK(contains(readError({tmp / "mid.jsonl"}), "mid.jsonl:5:"));
}

TEST_CASE("campaign report locates malformed lines", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "bad.jsonl", header(0, 1) + faultFree(1, 0, 0) + "{not json\n" + faultLine(0, "masked", "psum", "flip"));
  const std::string err = readError({tmp / "bad.jsonl"});
  CHECK(contains(err, "bad.jsonl:3:"));
  CHECK(contains(err, "error[campaign.bad-json]: malformed JSON"));

  test::writeFile(tmp / "type.jsonl", header(0, 1) + R"({"type":"faults","index":0})" "\n");
  CHECK(contains(readError({tmp / "type.jsonl"}), "type.jsonl:2: error[campaign.bad-type]: unknown record type 'faults'"));

  test::writeFile(tmp / "range.jsonl", header(0, 1) + faultLine(6, "masked", "psum", "flip"));
  CHECK(contains(readError({tmp / "range.jsonl"}), "range.jsonl:2: error[campaign.index-range]: fault index 6 is out of range; allowed: 0..5"));

  test::writeFile(tmp / "nohdr.jsonl", faultFree(1, 0, 0));
  CHECK(contains(readError({tmp / "nohdr.jsonl"}), "nohdr.jsonl:1: error[campaign.no-header]"));
  test::writeFile(tmp / "empty.jsonl", "");
  CHECK(contains(readError({tmp / "empty.jsonl"}), "empty.jsonl:1: error[campaign.no-header]"));

  test::writeFile(tmp / "wrong.jsonl", header(0, 1) + faultLine(0, "sdc", "psum", "flip", {{0, 0, "3"}}, "4"));
  CHECK(contains(readError({tmp / "wrong.jsonl"}), "'max_abs_error' is 4 but the largest |delta| is 3"));
}

TEST_CASE("campaign report rejects files of different campaigns", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "a.jsonl", shard0());
  test::writeFile(tmp / "other.jsonl", header(1, 2, "def456") + faultLine(1, "masked", "psum", "flip"));
  std::string err = readError({tmp / "a.jsonl", tmp / "other.jsonl"});
  CHECK(contains(err, "other.jsonl:1: error[campaign.mismatch]"));
  CHECK(contains(err, R"(config_hash "abc123" vs "def456")"));

  test::writeFile(tmp / "size.jsonl", header(1, 3, "abc123", 9));
  err = readError({tmp / "a.jsonl", tmp / "size.jsonl"});
  CHECK(contains(err, "faults 6 vs 9"));
  CHECK(contains(err, "shard count 2 vs 3"));
}

TEST_CASE("campaign report lists the missing indices", "[report]") {
  test::TempDir tmp;
  // Only faults 1 and 3 of 6 present: 0, 2, 4, 5 missing.
  test::writeFile(tmp / "b.jsonl", shard1());
  diag::DiagnosticBag warnings;
  const fault::CampaignSummary s = fault::summarize(fault::readCampaignFiles({tmp / "b.jsonl"}, warnings));
  CHECK(s.missing == 4);
  CHECK(s.firstMissing == std::vector<long>{0, 2, 4, 5});
  CHECK(contains(fault::formatReport(s), "(first: 0, 2, 4, 5)"));

  // Beyond ten missing only the first ten are listed.
  test::writeFile(tmp / "big.jsonl", header(0, 1, "abc123", 40) + faultLine(3, "masked", "psum", "flip"));
  const fault::CampaignSummary big = fault::summarize(fault::readCampaignFiles({tmp / "big.jsonl"}, warnings));
  CHECK(big.missing == 39);
  CHECK(big.firstMissing == std::vector<long>{0, 1, 2, 4, 5, 6, 7, 8, 9, 10});
}

TEST_CASE("campaign report keeps deltas beyond 64 bits exact", "[report]") {
  test::TempDir tmp;
  // -2^65 and 2^53 + 1 as strings, 2^52 as a number.
  test::writeFile(tmp / "w.jsonl",
                  header(0, 1) + faultLine(0, "sdc", "psum", "flip",
                                       {{0, 0, R"("-36893488147419103232")"}, {0, 1, R"("9007199254740993")"},
                                        {1, 0, "4503599627370496"}},
                                       R"("36893488147419103232")"));
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "w.jsonl"}, warnings);
  const fault::FaultRecord& r = data.faults.at(0);
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].delta == -(fault::Wide{1} << 65));
  CHECK(r.errors[1].delta == (fault::Wide{1} << 53) + 1);
  CHECK(r.errors[2].delta == (fault::Wide{1} << 52));
  CHECK(r.maxAbsError == (fault::Wide{1} << 65));

  test::writeFile(tmp / "bad.jsonl", header(0, 1) + faultLine(0, "sdc", "psum", "flip", {{0, 0, R"("12x")"}}, "12"));
  CHECK(contains(readError({tmp / "bad.jsonl"}), "delta '12x' is not a decimal integer"));
}

TEST_CASE("campaign report writes fault patterns per wrong output", "[report]") {
  test::TempDir tmp;
  test::writeFile(tmp / "a.jsonl", shard0());
  test::writeFile(tmp / "b.jsonl", shard1());
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "b.jsonl", tmp / "a.jsonl"}, warnings);
  std::ostringstream csv;
  fault::writeFaultPatterns(data, csv);
  // Masked faults 0 and 1 contribute nothing; rows follow the fault index, then the file order.
  CHECK(csv.str() ==
        "fault_index,outcome,batch_row,output_channel,delta\n"
        "2,sdc,0,1,32\n"
        "2,sdc,1,1,-32\n"
        "3,sdc,0,0,9007199254740993\n"
        "4,detected,2,0,4\n");
}

TEST_CASE("campaign report reads whole-PE stuck-at hang and silent timing records", "[report]") {
  test::TempDir tmp;
  // Fault 0: a permanent whole-PE stuck-at (site null, last_cycle null) whose run hung, so
  // 'wrong' (1 listed + 2 results that never came) exceeds the list. Fault 1: a timing fault
  // that never struck (no injections), masked. Extra fields are ignored.
  test::writeFile(
      tmp / "p.jsonl",
      header(0, 1, "abc123", 2) +
          R"({"type":"fault","index":0,"outcome":"sdc","pruned":false,"sim_cycles":90,)"
          R"("injections":[{"site":null,"id":null,"kind":"pe","pe":[1,0],"bits":[0,1],"effect":"stuck1",)"
          R"("cycle":0,"last_cycle":null}],"wrong":3,"max_abs_error":7,"errors":[[0,1,-7]],)"
          R"("missing_results":1,"extra_results":0,"converged":false,"alarms":[]})"
          "\n"
          R"({"type":"fault","index":1,"outcome":"masked","pruned":false,"sim_cycles":40,"injections":[],)"
          R"("wrong":0,"max_abs_error":0,"errors":[],"missing_results":0,"extra_results":0,"converged":true,)"
          R"("alarms":[]})"
          "\n");
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({tmp / "p.jsonl"}, warnings);
  const fault::FaultRecord& pe = data.faults.at(0);
  REQUIRE(pe.injections.size() == 1);
  CHECK_FALSE(pe.injections[0].site.has_value());
  CHECK_FALSE(pe.injections[0].lastCycle.has_value());
  CHECK(pe.wrong == 3);
  const fault::CampaignSummary s = fault::summarize(data);
  CHECK(s.meanWrongSdc == Approx(3.0));
  REQUIRE(s.byKind.size() == 2);
  CHECK(s.byKind[0].name == "(none)");
  CHECK(s.byKind[0].counts[fault::Outcome::Masked] == 1);
  CHECK(s.byKind[1].name == "pe");
  CHECK(s.byKind[1].counts[fault::Outcome::Sdc] == 1);
}
