// The WS/IS ctrl's valid pipe above 64 stages: one copy of the advance register per 64 stages
// (units/CtrlWs.cpp), which synthesis must keep apart. Behaviour: the long-pipe co-simulations
// in flow/CosimTests.cpp and the fault-site tests.
#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "flow/Process.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

// Reset-to-1 flip-flops (en_q and its copies; nothing else in the ctrl resets to 1).
struct CtrlFlops {
  int written = 0;  // as written (proc; techmap: nothing merged)
  int kept = 0;     // after Yosys `synth` (opt_merge folds flip-flops with equal inputs)
};

CtrlFlops ctrlFlops(const std::vector<std::string>& sets) {
  const auto cfg = config::loadConfigText("", "t", sets);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, units::buildIp(cfg)), dir / "ip");
  const std::string mod = cfg.ip.name + "_ctrl";
  auto stats = [&](const std::string& passes) {
    auto r = flow::runProcess(
        {"yosys", "-p", "read_verilog -sv rtl/" + mod + ".sv; hierarchy -top " + mod + "; " + passes + "; stat"},
        dir / "ip");
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    return r.output.substr(r.output.rfind("=== " + mod + " ==="));  // the last statistics
  };
  auto count = [](const std::string& text, const std::regex& cell) {
    int n = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), cell), end; it != end; ++it) n += std::stoi((*it)[1]);
    return n;
  };
  static const std::regex setFlop(R"(\s+\$_DFF_PN1_\s+(\d+))");
  return {count(stats("proc; techmap"), setFlop), count(stats("synth -top " + mod), setFlop)};
}

}  // namespace

TEST_CASE("ctrl: a valid pipe over 64 stages has an advance copy per 64 stages, all kept by synthesis",
          "[ctrl][synth]") {
  struct Case {
    std::vector<std::string> sets;
    int segments;  // ceil(latency / 64); 0: the short form, no copies
  };
  for (const Case& c : {Case{{"array.rows=4", "array.cols=4"}, 0},
                        Case{{"array.rows=2", "array.cols=80"}, 2},
                        Case{{"array.rows=70", "array.cols=60", "array.dataflow=is"}, 3}}) {
    const CtrlFlops f = ctrlFlops(c.sets);
    INFO(c.sets[0] << " " << c.sets[1] << ": " << f.written << " written, " << f.kept << " kept");
    CHECK(f.written == 1 + c.segments);  // en_q and one copy per segment ...
    CHECK(f.kept == f.written);          // ... none merged or removed
    // The copies are control fault sites of the fault-injection variant, one bit per segment.
    const auto cfg = config::loadConfigText("", "t", c.sets);
    const units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true, false});
    int copyBits = 0;
    for (const auto& site : fi.faultSites)
      if (site.path == "u_ctrl.en_copy_q") {
        CHECK(site.kind == "control");
        copyBits += site.width;
      }
    CHECK(copyBits == c.segments);
  }
}
