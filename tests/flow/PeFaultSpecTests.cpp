// --pe-fault specifications: every form parsed into typed faults, bad parts named.
#include <catch2/catch.hpp>

#include "diag/Diagnostics.h"
#include "flow/PeFaultSpec.h"

using namespace ftaccel;
using contract::PeFault;

TEST_CASE("pe-fault specs parse into one fault per PE", "[faults]") {
  CHECK(flow::parsePeFaults("none", 4, 3, 19).empty());
  CHECK(flow::parsePeFaults("", 4, 3, 19).empty());
  const auto f = flow::parsePeFaults("s1:0,2,18+s0:3,0,0+rnd:1,1", 4, 3, 19);
  REQUIRE(f.size() == 3);
  CHECK(f[0] == PeFault{0, 2, 18, true, false});
  CHECK(f[1] == PeFault{3, 0, 0, false, false});
  CHECK(f[2] == PeFault{1, 1, -1, false, true});
  CHECK(flow::parsePeFaults("rndrow:2", 4, 3, 19).size() == 3);
  const auto col = flow::parsePeFaults("rndcol:1+rnd:0,1", 4, 3, 19);
  CHECK(col.size() == 5);
  CHECK(flow::faultyPeCount(col) == 4);
  for (const auto& p : col) CHECK((p.col == 1 && p.random));
}

TEST_CASE("bad pe-fault parts are named with the allowed forms or range", "[faults]") {
  auto message = [](const std::string& spec) {
    try {
      flow::parsePeFaults(spec, 4, 3, 19);
    } catch (const diag::DiagnosticError& e) {
      return e.bag().format();
    }
    return std::string();
  };
  CHECK_THAT(message("bogus:1"), Catch::Contains("--pe-fault bogus:1") && Catch::Contains("rndrow:R"));
  CHECK_THAT(message("s1:0,0"), Catch::Contains("--pe-fault s1:0,0") && Catch::Contains("s1:R,C,BIT"));
  CHECK_THAT(message("rnd"), Catch::Contains("expected none"));
  CHECK_THAT(message("none+s0:4,0,1"), Catch::Contains("--pe-fault s0:4,0,1") && Catch::Contains("allowed: 0..3"));
  CHECK_THAT(message("rnd:0,3"), Catch::Contains("column '3' is out of range; allowed: 0..2"));
  CHECK_THAT(message("s1:0,0,-1"), Catch::Contains("allowed: 0..18"));
  CHECK_THAT(message("rndrow:1x"), Catch::Contains("row '1x'"));
}
