// Fault-injection campaigns through the CLI: hand-made outcomes, determinism, shards, resume,
// the fast engine against the naive one, the live-window rules, every fault model, bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "TestUtil.h"

using namespace ftaccel;
using nlohmann::json;

namespace {

// WS 4x4 8-bit, 8 vectors: small enough for hundreds of faults per second of test time.
const std::vector<std::string> kIp = {"--set", "array.rows=4", "--set", "array.cols=4"};

flow::ProcessResult campaign(const std::filesystem::path& out, std::vector<std::string> args,
                             const std::vector<std::string>& ip = kIp) {
  test::useTestCache();
  std::vector<std::string> argv = {"campaign", "-q", "--vectors", "8", "--out", out.string()};
  argv.insert(argv.end(), ip.begin(), ip.end());
  argv.insert(argv.end(), args.begin(), args.end());
  return test::runCli(argv);
}

struct Results {
  json header;
  std::map<long, json> faults;  // by index
  long lines = 0;
};

Results readResults(const std::filesystem::path& file) {
  Results r;
  std::istringstream in(test::readFile(file));
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line);
    ++r.lines;
    if (j["type"] == "header") r.header = j;
    if (j["type"] == "fault") {
      REQUIRE(r.faults.count(j["index"].get<long>()) == 0);  // never duplicated
      r.faults[j["index"].get<long>()] = j;
    }
  }
  return r;
}

// What a record says about the design, without the fields that describe how it was obtained.
json effect(json j) {
  for (const char* k : {"pruned", "analytic", "sim_cycles", "converged"}) j.erase(k);
  return j;
}

json single(const test::TempDir& dir, const std::string& inject, const std::vector<std::string>& ip = kIp) {
  std::filesystem::remove(dir / "one.jsonl");
  auto run = campaign(dir / "one.jsonl", {"--model", "list", "--inject", inject}, ip);
  INFO(run.output);
  REQUIRE(run.exitCode == 0);
  Results r = readResults(dir / "one.jsonl");
  REQUIRE(r.faults.size() == 1);
  return r.faults.begin()->second;
}

}  // namespace

TEST_CASE("campaign: hand-made faults have the outcome the schedule predicts", "[campaign]") {
  test::TempDir dir;
  // A fault-free probe of the schedule: the window ends with the last result handshake.
  auto probe = campaign(dir / "probe.jsonl", {"--faults", "1"});
  REQUIRE(probe.exitCode == 0);
  const long window = readResults(dir / "probe.jsonl").header["window_cycles"].get<long>();
  const int rows = 4, cols = 4, m = 8;
  // Manifest latency rows+cols+1 (the output buffer): the last vector was accepted that many
  // edges before the last result, and its bottom-row partial sum of column c is registered
  // rows+c edges after that.
  const long lastAccept = window - 1 - (rows + cols + 1);

  SECTION("a flip in a weight after its last use is masked") {
    json f = single(dir, "u_array.gen_row[0].gen_col[0].u_pe.weight_q:3@" + std::to_string(window - 1));
    CHECK(f["outcome"] == "masked");
    CHECK(f["wrong"] == 0);
    CHECK(f["pruned"] == true);
  }
  SECTION("a flip in an activation leaving the east edge is masked") {
    json f = single(dir, "u_array.gen_row[2].gen_col[3].u_pe.act_q:0-7@" + std::to_string(lastAccept + 3));
    CHECK(f["outcome"] == "masked");
  }
  SECTION("a flip in a live partial sum is an SDC of exactly 2^bit in one element") {
    const int c = 1, bit = 5;
    const long edge = lastAccept + rows + c;
    json f = single(dir, "u_array.gen_row[3].gen_col[1].u_pe.psum_q:" + std::to_string(bit) + "@" +
                             std::to_string(edge));
    INFO(f.dump());
    CHECK(f["outcome"] == "sdc");
    CHECK(f["pruned"] == false);
    REQUIRE(f["wrong"] == 1);
    CHECK(f["errors"][0][0] == m - 1);  // batch row: the last vector
    CHECK(f["errors"][0][1] == c);      // output channel
    CHECK(std::abs(f["errors"][0][2].get<long>()) == (1L << bit));
    CHECK(f["max_abs_error"] == (1L << bit));
  }
  SECTION("the same flip one edge later hits a register that was already passed on") {
    // After edge+1 the bottom-row psum_q holds an idle slot (the last vector has gone).
    json f = single(dir, "u_array.gen_row[3].gen_col[1].u_pe.psum_q:5@" +
                             std::to_string(lastAccept + rows + 1 + 1));
    CHECK(f["outcome"] == "masked");
  }
  SECTION("a stuck-at-1 on a weight sign bit for the whole run corrupts its column only") {
    json f = single(dir, "u_array.gen_row[1].gen_col[2].u_pe.weight_q:7@0-end:stuck1");
    INFO(f.dump());
    if (f["outcome"] == "sdc")
      for (const auto& e : f["errors"]) CHECK(e[1] == 2);
    CHECK(f["injections"][0]["last_cycle"].is_null());
  }
  SECTION("several upsets in one run are all recorded") {
    json f = single(dir, "u_array.gen_row[0].gen_col[0].u_pe.psum_q:1@5;u_ctrl.valid_q:0@9;1:0@11");
    CHECK(f["injections"].size() == 3);
  }
}

TEST_CASE("campaign: same seed same results and shards add up to the whole", "[campaign]") {
  test::TempDir dir;
  const std::vector<std::string> args = {"--faults", "240", "--seed", "11"};
  REQUIRE(campaign(dir / "a.jsonl", args).exitCode == 0);
  REQUIRE(campaign(dir / "b.jsonl", args).exitCode == 0);
  Results a = readResults(dir / "a.jsonl"), b = readResults(dir / "b.jsonl");
  REQUIRE(a.faults.size() == 240);
  CHECK(a.faults == b.faults);

  std::map<long, json> united;
  for (int i = 0; i < 3; ++i) {
    auto shard = dir / ("s" + std::to_string(i) + ".jsonl");
    auto run = campaign(shard, {"--faults", "240", "--seed", "11", "--shard", std::to_string(i) + "/3", "-j", "2"});
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    for (auto& [k, v] : readResults(shard).faults) {
      CHECK(k % 3 == i);
      CHECK(united.count(k) == 0);
      united[k] = v;
    }
  }
  CHECK(united == a.faults);

  // The report merges the shards into the same table as the unsharded file.
  auto merged = test::runCli({"campaign-report", "--json", (dir / "s0.jsonl").string(),
                              (dir / "s1.jsonl").string(), (dir / "s2.jsonl").string()});
  auto whole = test::runCli({"campaign-report", "--json", (dir / "a.jsonl").string()});
  REQUIRE(merged.exitCode == 0);
  json jm = json::parse(merged.output), jw = json::parse(whole.output);
  CHECK(jm["outcomes"] == jw["outcomes"]);
  CHECK(jm["faults_present"] == 240);
}

TEST_CASE("campaign: a killed campaign resumes without losing or duplicating records", "[campaign]") {
  test::TempDir dir;
  const std::vector<std::string> args = {"--faults", "150", "--seed", "5", "-j", "2"};
  REQUIRE(campaign(dir / "full.jsonl", args).exitCode == 0);
  // The state a kill leaves: header, fault-free line, some complete records and a cut-off one.
  const std::string full = test::readFile(dir / "full.jsonl");
  size_t cut = 0;
  for (int line = 0; line < 60; ++line) cut = full.find('\n', cut) + 1;
  test::writeFile(dir / "part.jsonl", full.substr(0, cut) + full.substr(cut, 40));
  auto resumed = campaign(dir / "part.jsonl", args);
  INFO(resumed.output);
  REQUIRE(resumed.exitCode == 0);
  Results r = readResults(dir / "part.jsonl");  // also checks: no index twice, every line parses
  CHECK(r.faults.size() == 150);
  CHECK(r.faults == readResults(dir / "full.jsonl").faults);
  // Running it again adds nothing.
  REQUIRE(campaign(dir / "part.jsonl", args).exitCode == 0);
  CHECK(readResults(dir / "part.jsonl").lines == r.lines);
}

TEST_CASE("campaign: the fast engine classifies every fault like the naive one", "[campaign]") {
  test::TempDir dir;
  for (const std::string model : {"seu", "mbu", "stuck"}) {
    INFO(model);
    std::vector<std::string> args = {"--faults", "300", "--seed", "3", "--model", model};
    if (model == "stuck") args.insert(args.end(), {"--stuck-cycles", "6"});
    auto fastArgs = args, naiveArgs = args;
    naiveArgs.insert(naiveArgs.end(), {"--engine", "naive"});
    REQUIRE(campaign(dir / (model + "f.jsonl"), fastArgs).exitCode == 0);
    REQUIRE(campaign(dir / (model + "n.jsonl"), naiveArgs).exitCode == 0);
    Results fast = readResults(dir / (model + "f.jsonl")), naive = readResults(dir / (model + "n.jsonl"));
    REQUIRE(fast.faults.size() == 300);
    long sdc = 0, shortcut = 0;
    for (const auto& [k, f] : fast.faults) {
      INFO("fault " << k);
      CHECK(effect(f) == effect(naive.faults.at(k)));
      sdc += f["outcome"] == "sdc";
      shortcut += f.value("pruned", false) || f.value("analytic", false);
    }
    CHECK(sdc > 0);  // a campaign where nothing is wrong would prove nothing
    if (model != "stuck") CHECK(shortcut > 0);
    if (model == "seu") {  // sparse checkpoints change nothing either
      auto stridedArgs = args;
      stridedArgs.insert(stridedArgs.end(), {"--snapshot-stride", "5"});
      REQUIRE(campaign(dir / "seus.jsonl", stridedArgs).exitCode == 0);
      Results strided = readResults(dir / "seus.jsonl");
      for (const auto& [k, f] : fast.faults) CHECK(effect(f) == effect(strided.faults.at(k)));
    }
  }
}

TEST_CASE("campaign: the rows net form injects and classifies like the per-PE form", "[campaign][nets]") {
  test::TempDir dir;
  auto with = [](const std::string& nets) {
    auto ip = kIp;
    ip.insert(ip.end(), {"--set", "array.nets=" + nets});
    return ip;
  };
  const std::vector<std::string> args = {"--faults", "200", "--seed", "5", "--model", "seu"};
  REQUIRE(campaign(dir / "per_pe.jsonl", args, with("per_pe")).exitCode == 0);
  REQUIRE(campaign(dir / "rows.jsonl", args, with("rows")).exitCode == 0);
  Results perPe = readResults(dir / "per_pe.jsonl"), rows = readResults(dir / "rows.jsonl");
  REQUIRE(rows.faults.size() == 200);
  long inPes = 0;
  for (const auto& [k, f] : rows.faults) {
    INFO("fault " << k);
    json mapped = f;
    for (auto& inj : mapped["injections"]) {
      std::string site = inj["site"];
      const auto at = site.find(".u_row.");
      if (at != std::string::npos) {
        site.erase(at, 6);  // u_array.gen_row[r].u_row.gen_col[c]... -> the per-PE path
        inj["site"] = site;
        ++inPes;
      }
    }
    CHECK(effect(mapped) == effect(perPe.faults.at(k)));
  }
  CHECK(inPes > 0);
  // A hand-made flip by its rows-form name: the live partial sum of PE(3,1) (see above).
  const long window = rows.header["window_cycles"].get<long>();
  const long edge = window - 1 - (4 + 4 + 1) + 4 + 1;
  json f = single(dir, "u_array.gen_row[3].u_row.gen_col[1].u_pe.psum_q:5@" + std::to_string(edge), with("rows"));
  INFO(f.dump());
  CHECK(f["outcome"] == "sdc");
  CHECK(f["injections"][0]["pe"] == json::array({3, 1}));
  REQUIRE(f["wrong"] == 1);
  CHECK(f["errors"][0][1] == 1);
}

// Fuzz seed 200011: Verilator kept this IP's row module as a class of its own, outside the
// root object the fast engine copies, and the campaign stopped ("snapshots do not restore
// exactly"); fault-injection models are now built with --flatten.
TEST_CASE("campaign: a rows-form IP with a temporal check snapshots exactly (fast engine, verified)",
          "[campaign][nets]") {
  test::TempDir dir;
  const std::vector<std::string> ip = {"--set", "array.rows=6", "--set", "array.cols=4", "--set", "data.bits=9",
                                       "--set", "array.nets=\"rows\"", "--set",
                                       "protect.sanity_check=\"temporal\""};
  const auto r = campaign(dir / "rows.jsonl",
                          {"--faults", "60", "--seed", "200011", "--model", "seu", "--verify-pruned"},
                          ip);
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  CHECK(readResults(dir / "rows.jsonl").faults.size() == 60);
}

TEST_CASE("campaign: OS tiles are injected and classified like WS batches", "[campaign][os]") {
  test::TempDir dir;
  const std::vector<std::string> os = {"--set", "array.dataflow=os", "--set", "array.rows=3",
                                       "--set", "array.cols=4", "--set", "array.max_k=16"};
  for (const std::string engine : {"fast", "naive"}) {
    auto run = campaign(dir / (engine + ".jsonl"), {"--faults", "200", "--seed", "4", "--engine", engine}, os);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
  }
  // Sparse checkpoints (what a large array gets when its snapshots exceed --snapshot-mib)
  // replay the cycles up to the injection and give the same records.
  auto sparse = campaign(dir / "strided.jsonl", {"--faults", "200", "--seed", "4", "--snapshot-stride", "7"}, os);
  REQUIRE(sparse.exitCode == 0);
  Results fast = readResults(dir / "fast.jsonl"), naive = readResults(dir / "naive.jsonl"),
          strided = readResults(dir / "strided.jsonl");
  CHECK(fast.header["dataflow"] == "os");
  REQUIRE(fast.faults.size() == 200);
  long sdc = 0, accumulators = 0;
  for (const auto& [k, f] : fast.faults) {
    CHECK(effect(f) == effect(naive.faults.at(k)));
    CHECK(effect(f) == effect(strided.faults.at(k)));
    sdc += f["outcome"] == "sdc";
    accumulators += f["injections"][0]["kind"] == "acc";
    for (const auto& e : f["errors"]) {
      CHECK(e[0].get<int>() < 3);  // batch row of the tile
      CHECK(e[1].get<int>() < 4);
    }
  }
  CHECK(sdc > 0);
  CHECK(accumulators > 0);
  // A flip in a running sum just before the tile ends shows up in exactly one result.
  json f = single(dir, "u_array.gen_row[1].gen_col[2].u_pe.acc_q:4@9", os);
  INFO(f.dump());
  CHECK(f["outcome"] == "sdc");
  REQUIRE(f["wrong"] == 1);
  CHECK(f["errors"][0][0] == 1);
  CHECK(f["errors"][0][1] == 2);
  CHECK(std::abs(f["errors"][0][2].get<long>()) == 16);
}

TEST_CASE("campaign: live-window rules hold when the pruned faults are simulated", "[campaign][large]") {
  test::TempDir dir;
  for (const auto& ip : std::vector<std::vector<std::string>>{
           kIp, {"--set", "array.rows=3", "--set", "array.cols=5", "--set", "data.bits=6"},
           {"--set", "array.rows=4", "--set", "array.cols=4", "--set", "array.dataflow=is"},
           {"--set", "array.rows=1", "--set", "array.cols=1"},
           {"--set", "array.rows=5", "--set", "array.cols=1", "--set", "protect.bypass=true"},
           {"--set", "array.dataflow=os", "--set", "array.rows=3", "--set", "array.cols=4", "--set", "array.max_k=16"},
           {"--set", "array.dataflow=os", "--set", "array.rows=4", "--set", "array.cols=2", "--set", "array.max_k=8",
            "--set", "protect.bypass=true", "--set", "data.bits=5"}}) {
    const bool os = std::find(ip.begin(), ip.end(), "array.dataflow=os") != ip.end();
    auto run = campaign(dir / "v.jsonl", {"--faults", "1500", "--seed", "8", "--verify-pruned", "-j", "2"}, ip);
    INFO(run.output);
    CHECK(run.exitCode == 0);  // a violation exits 1
    Results r = readResults(dir / "v.jsonl");
    long pruned = 0, analytic = 0;
    for (const auto& [k, f] : r.faults) {
      CHECK(!f.contains("pruning_violation"));
      pruned += f["pruned"].get<bool>();
      analytic += f.value("analytic", false);
    }
    CHECK(pruned > 100);
    if (!os) CHECK(analytic > 10);  // OS has no stationary registers
    std::filesystem::remove(dir / "v.jsonl");
  }
}

TEST_CASE("campaign: mbu pe stuck timing and multi-site models produce their records", "[campaign]") {
  test::TempDir dir;
  SECTION("mbu bursts stay inside one register") {
    REQUIRE(campaign(dir / "m.jsonl", {"--model", "mbu", "--burst", "8", "--faults", "60"}).exitCode == 0);
    for (const auto& [k, f] : readResults(dir / "m.jsonl").faults) {
      const auto bits = f["injections"][0]["bits"];
      CHECK(bits.size() >= 1);
      CHECK(bits.size() <= 8);
      for (size_t i = 1; i < bits.size(); ++i) CHECK(bits[i].get<int>() == bits[i - 1].get<int>() + 1);
    }
  }
  SECTION("a whole failing PE corrupts only its own column") {
    REQUIRE(campaign(dir / "p.jsonl", {"--model", "pe", "--faults", "20"}).exitCode == 0);
    long sdc = 0;
    for (const auto& [k, f] : readResults(dir / "p.jsonl").faults) {
      sdc += f["outcome"] == "sdc";
      for (const auto& e : f["errors"]) CHECK(e[1] == f["injections"][0]["pe"][1]);
    }
    CHECK(sdc >= 18);  // a random 18-bit MAC result is almost never right
  }
  SECTION("permanent stuck-at faults last to the end") {
    REQUIRE(campaign(dir / "s.jsonl", {"--model", "stuck", "--faults", "30"}).exitCode == 0);
    for (const auto& [k, f] : readResults(dir / "s.jsonl").faults)
      CHECK(f["injections"][0]["last_cycle"].is_null());
  }
  SECTION("multi-site runs carry every upset") {
    REQUIRE(campaign(dir / "x.jsonl", {"--multi", "3", "--faults", "20"}).exitCode == 0);
    for (const auto& [k, f] : readResults(dir / "x.jsonl").faults) CHECK(f["injections"].size() == 3);
  }
  SECTION("timing errors from the example table") {
    const std::string table = std::string(FTACCEL_SOURCE_DIR) + "/examples/timing/mul4_example.tt";
    const std::vector<std::string> ip4 = {"--set", "array.rows=4", "--set", "array.cols=4", "--set", "data.bits=4"};
    auto run = campaign(dir / "t.jsonl", {"--model", "timing", "--timing-table", table, "--faults", "10"}, ip4);
    INFO(run.output);
    REQUIRE(run.exitCode == 0);
    long errors = 0;
    for (const auto& [k, f] : readResults(dir / "t.jsonl").faults)
      for (const auto& i : f["injections"]) {
        CHECK(i["effect"] == "timing");
        CHECK(i["wrong_value"] != i["correct"]);
        ++errors;
      }
    CHECK(errors > 0);  // 15-30 % of products fail in the example table
    // A zero scale turns the table off: nothing may go wrong then.
    auto off = campaign(dir / "t0.jsonl",
                        {"--model", "timing", "--timing-table", table, "--timing-scale", "0", "--faults", "3"}, ip4);
    REQUIRE(off.exitCode == 0);
    for (const auto& [k, f] : readResults(dir / "t0.jsonl").faults) CHECK(f["outcome"] == "masked");
  }
}

TEST_CASE("campaign: timing errors reach exactly the results the schedule predicts", "[campaign][timing]") {
  // Every drawn error is listed (at most 64 per run): the wrong product of PE(r,c) at edge t
  // belongs to the vector accepted at edge t-1-r-c and adds (wrong - correct) to its column c.
  test::TempDir dir;
  const std::string table = std::string(FTACCEL_SOURCE_DIR) + "/examples/timing/mul4_example.tt";
  const std::vector<std::string> ip4 = {"--set", "array.rows=4", "--set", "array.cols=4", "--set", "data.bits=4"};
  auto run = campaign(dir / "t.jsonl",
                      {"--model", "timing", "--timing-table", table, "--timing-scale", "0.15", "--faults", "40"}, ip4);
  INFO(run.output);
  REQUIRE(run.exitCode == 0);
  Results r = readResults(dir / "t.jsonl");
  const long window = r.header["window_cycles"].get<long>();
  const int rows = 4, cols = 4, m = 8;
  // Latency rows+cols+1 (manifest), back-to-back vectors.
  const long firstAccept = window - 1 - (rows + cols + 1) - (m - 1);
  long checked = 0;
  for (const auto& [k, f] : r.faults) {
    if (f.value("timing_errors", 0L) > 64) continue;  // list truncated
    std::map<std::pair<int, int>, long> predicted;
    for (const auto& i : f["injections"]) {
      const long vec = i["cycle"].get<long>() - 1 - i["pe"][0].get<int>() - i["pe"][1].get<int>() - firstAccept;
      if (vec < 0 || vec >= m) continue;  // an idle slot: never a result
      predicted[{(int)vec, i["pe"][1].get<int>()}] += i["wrong_value"].get<long>() - i["correct"].get<long>();
    }
    std::map<std::pair<int, int>, long> seen;
    for (const auto& e : f["errors"]) seen[{e[0].get<int>(), e[1].get<int>()}] = e[2].get<long>();
    for (auto it = predicted.begin(); it != predicted.end();)
      it = it->second == 0 ? predicted.erase(it) : std::next(it);
    CHECK(seen == predicted);
    ++checked;
  }
  CHECK(checked >= 20);
}

TEST_CASE("campaign: bad input is refused with a clear message", "[campaign][cli]") {
  test::TempDir dir;
  auto expectBad = [&](std::vector<std::string> args, const std::string& text) {
    auto r = campaign(dir / "bad.jsonl", args);
    INFO(r.output);
    CHECK(r.exitCode == 2);
    CHECK(r.output.find(text) != std::string::npos);
  };
  expectBad({"--model", "list", "--inject", "u_array.nope:1@3"}, "unknown fault site");
  expectBad({"--model", "list", "--inject", "u_array.gen_row[0].gen_col[0].u_pe.act_q:8@3"}, "out of range 0..7");
  expectBad({"--model", "list", "--inject", "u_ctrl.valid_q:0@x"}, "cycle 'x'");
  expectBad({"--model", "list", "--inject", "u_ctrl.valid_q:0@3-9"}, "stuck0/stuck1");
  expectBad({"--shard", "3/3"}, "0 <= i < n");
  expectBad({"--shard", "a/b"}, "0 <= i < n");
  expectBad({"--model", "meteor"}, "meteor");
  test::writeFile(dir / "bad.tt", "format ftaccel-timing 1\ndata_bits 8\n1 2 : 3:1.5\n");
  expectBad({"--model", "timing", "--timing-table", (dir / "bad.tt").string()}, "bad.tt:3");
  expectBad({"--set", "array.dataflow=os", "--set", "array.max_k=4"}, "array.max_k = 4");
  // A results file of another campaign is never appended to.
  REQUIRE(campaign(dir / "other.jsonl", {"--faults", "5", "--seed", "1"}).exitCode == 0);
  auto clash = campaign(dir / "other.jsonl", {"--faults", "5", "--seed", "2"});
  CHECK(clash.exitCode == 2);
  CHECK(clash.output.find("different campaign") != std::string::npos);
}
