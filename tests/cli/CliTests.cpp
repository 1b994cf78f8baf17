// The command line: help, defaults, bad input with clear messages and non-zero exits.
#include <catch2/catch.hpp>

#include "TestUtil.h"

using namespace ftaccel;
namespace fs = std::filesystem;

TEST_CASE("cli: help and default config", "[cli]") {
  auto help = test::runCli({"--help"});
  CHECK(help.exitCode == 0);
  for (const char* cmd : {"generate", "sim", "synth", "config"}) CHECK(help.output.find(cmd) != std::string::npos);
  auto def = test::runCli({"config", "--print-default"});
  CHECK(def.exitCode == 0);
  CHECK(def.output.find("rows = 8") != std::string::npos);
  CHECK(test::runCli({"bogus"}).exitCode == 2);
  CHECK(test::runCli({"generate"}).exitCode == 2);  // --out is required
}

TEST_CASE("cli: generate writes a package and reports latency", "[cli]") {
  test::TempDir tmp;
  auto r = test::runCli({"generate", "--set", "array.rows=3", "--out", (tmp / "ip").string()});
  INFO(r.output);
  CHECK(r.exitCode == 0);
  CHECK(r.output.find("latency 12 cycles") != std::string::npos);  // 3 + 8 + the output buffer
  CHECK(fs::exists(tmp / "ip" / "rtl" / "ftaccel_ws3x8_d8.sv"));
}

TEST_CASE("cli: bad input is named and exits 2 and leaves no output", "[cli]") {
  test::TempDir tmp;
  auto out = (tmp / "ip").string();
  struct Case {
    std::string toml;
    std::vector<std::string> extra;
    std::string expect;
  };
  std::vector<Case> cases = {
      {"[array]\nrows = 4\nbogus = 1\n", {}, "bad.toml:3:9: error[config.unknown-key]: unknown key 'array.bogus'"},
      {"[array]\nrows = 300\n", {}, "'array.rows' = 300 is out of range; allowed: 1..256"},
      {"[data]\nbits = \"8\"\n", {}, "'data.bits' must be an integer"},
      {"[array\nrows = 4\n", {}, "bad.toml:1"},
      {"[data]\nacc_bits = 10\n", {}, "'data.acc_bits' = 10 is too narrow"},
      {"[array]\ndataflow = \"zz\"\n", {}, "allowed: \"ws\", \"is\", \"os\""},
      {"", {"--set", "data.bits=99"}, "'data.bits' = 99 is out of range; allowed: 4..32"},
  };
  for (const auto& c : cases) {
    test::writeFile(tmp / "bad.toml", c.toml);
    std::vector<std::string> args = {"generate", "--config", (tmp / "bad.toml").string(), "--out", out};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    auto r = test::runCli(args, tmp.path());
    INFO(c.toml << "\n" << r.output);
    CHECK(r.exitCode == 2);
    CHECK(r.output.find(c.expect) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
  }
  auto missing = test::runCli({"generate", "--config", (tmp / "nope.toml").string(), "--out", out});
  CHECK(missing.exitCode == 2);
  CHECK(missing.output.find("nope.toml") != std::string::npos);

  test::writeFile(tmp / "file", "x");
  auto unwritable = test::runCli({"generate", "--out", (tmp / "file" / "ip").string()});
  INFO(unwritable.output);
  CHECK(unwritable.exitCode == 2);
  CHECK(unwritable.output.find("output.unwritable") != std::string::npos);

  CHECK(test::runCli({"sim", "--pattern", "weird"}).exitCode == 2);
  CHECK(test::runCli({"synth", "--liberty", (tmp / "no.lib").string()}).output.find("no.lib") !=
        std::string::npos);
}

TEST_CASE("cli: sim names a bad --pe-fault or --matmul part before building anything", "[cli][faults]") {
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {{"--pe-fault", "bogus:1"},
       "--pe-fault bogus:1: error[sim.bad-pe-fault]: expected none, s0:R,C,BIT, s1:R,C,BIT, rnd:R,C, rndrow:R or "
       "rndcol:C (joined with '+')"},
      {{"--pe-fault", "s1:0,0,1+rnd:1"}, "--pe-fault rnd:1: error[sim.bad-pe-fault]: expected none"},
      {{"--pe-fault", "s1:9,0,1"}, "row '9' is out of range; allowed: 0..7"},
      {{"--pe-fault", "rndcol:x"}, "column 'x' is out of range; allowed: 0..7"},
      {{"--pe-fault", "s0:0,0,19"}, "bit (of the 19-bit MAC result) '19' is out of range; allowed: 0..18"},
      {{"--set", "array.rows=2", "--pe-fault", "rndrow:2"}, "row '2' is out of range; allowed: 0..1"},
      {{"--matmul", "4,0,3"}, "--matmul 4,0,3: error[sim.bad-matmul]: expected B,CI,CO with positive integers"},
      {{"--set", "array.dataflow=os", "--matmul", "2,300,2"}, "CI = 300 exceeds array.max_k = 256"},
      {{"--bypass-faulty", "--pe-fault", "rnd:0,0"}, "--bypass-faulty: error[sim.no-bypass]"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"sim"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = test::runCli(args);
    INFO(r.output);
    CHECK(r.exitCode == 2);
    CHECK(r.output.find(c.expect) != std::string::npos);
    CHECK(r.output.find("verilating") == std::string::npos);  // rejected before any model is built
  }
}
