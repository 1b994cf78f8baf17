// Name legalization: the IEEE 1800-2017 keyword set and the per-module check.
#include <catch2/catch.hpp>

#include <string>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "ir/SvNames.h"

using namespace ftaccel;

namespace {

// Keywords from every corner of Annex B: Verilog-1995 gates, SV-2005 verification, 2009
// checkers and properties, 2012 nettype/interconnect/implements.
const char* const kSamples[] = {
    "table",      "wait",       "interface", "checker",      "nettype",  "cell",
    "config",     "library",    "bind",      "s_until_with", "unique0",  "interconnect",
    "implements", "soft",       "accept_on", "always_latch", "rtranif1", "pulsestyle_ondetect",
    "xor",        "wait_order", "untyped",   "eventually"};

}  // namespace

TEST_CASE("every sampled IEEE 1800-2017 keyword is reserved, near misses are not", "[names]") {
  for (const char* k : kSamples) {
    INFO(k);
    CHECK(ir::isSvKeyword(k));
  }
  for (const char* name :
       {"tables", "ftaccel_ws8x8_d8", "pe", "clk_i", "Table", "waits", "s_until_", "uniq", ""})
    CHECK_FALSE(ir::isSvKeyword(name));
}

TEST_CASE("illegalNames reports the module, parameter and port names that are keywords",
          "[names]") {
  ir::Module m;
  m.name = "nettype";
  CHECK(ir::illegalNames(m) == std::vector<std::string>{"nettype"});
  m.name = "ok_mod";
  CHECK(ir::illegalNames(m).empty());
}

TEST_CASE("a keyword as ip.name is a diagnostic naming the key", "[names][config]") {
  for (const char* k : kSamples) {
    INFO(k);
    try {
      config::loadConfigText("", "cfg.toml", {std::string("ip.name=") + k});
      FAIL("accepted ip.name = " << k);
    } catch (const diag::DiagnosticError& e) {
      const std::string text = e.bag().format();
      CHECK_THAT(text, Catch::Contains("'ip.name'") && Catch::Contains("keyword"));
    }
  }
}

TEST_CASE("generate --set ip.name=KEYWORD exits 2 and writes nothing", "[names][cli]") {
  test::TempDir tmp;
  for (const char* k : {"table", "wait", "interface", "checker", "nettype"}) {
    INFO(k);
    const auto out = tmp / k;
    auto r =
        test::runCli({"generate", "--set", std::string("ip.name=") + k, "--out", out.string()});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.output, Catch::Contains("ip.name") && Catch::Contains("keyword"));
    CHECK_FALSE(std::filesystem::exists(out));
  }
}
