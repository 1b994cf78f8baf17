// The three-tool check every emitted package must pass: Verilator -Wall, Icarus -g2012 and
// Yosys 0.23 (`hierarchy -check; proc; check -assert`), shared by the lint tests of every unit.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

namespace ftaccel::test {

struct LintRequest {
  std::vector<std::string> sets;       // --set lines of the configuration
  units::BuildOptions variant{};       // production RTL or the simulation variant
  bool simulators = true;              // Verilator and Icarus too (slow on the largest arrays)
  // Modules that must also lint as the top with their default parameters.
  std::function<bool(const std::string& module)> alsoAsTop = [](const std::string&) { return false; };
  // Non-empty: Yosys only elaborates the modules <top><suffix>, each alone (`hierarchy -check`,
  // no `proc`), instead of the whole IP with `proc; check -assert`: proc takes minutes on very
  // wide registers.
  std::vector<std::string> yosysElaborateOnly{};
};

// Returns the package's files, so a caller can check their text too.
inline flow::FileSet lintPackage(const LintRequest& req) {
  const auto cfg = config::loadConfigText("", "lint", req.sets);
  const auto ip = units::buildIp(cfg, req.variant);
  TempDir dir;
  flow::FileSet package = flow::renderPackage(cfg, ip, req.variant);
  flow::writePackageAtomically(package, dir / "ip");
  std::vector<std::string> files;
  for (const auto& m : ip.modules) files.push_back("rtl/" + m.module.name + ".sv");
  INFO(ip.top);
  auto withFiles = [&](std::vector<std::string> cmd) {
    cmd.insert(cmd.end(), files.begin(), files.end());
    return flow::runProcess(cmd, dir / "ip");
  };
  if (req.simulators) {
    const auto r = withFiles({"verilator", "--lint-only", "-Wall", "--top-module", ip.top});
    INFO(r.output);
    CHECK(r.exitCode == 0);
    CHECK(r.output.find("%Warning") == std::string::npos);
    for (const auto& m : ip.modules) {
      if (!req.alsoAsTop(m.module.name)) continue;
      const auto r1 = withFiles({"verilator", "--lint-only", "-Wall", "--top-module", m.module.name});
      INFO(m.module.name << "\n" << r1.output);
      CHECK(r1.exitCode == 0);
    }
    const auto ri = withFiles({"iverilog", "-g2012", "-Wall", "-o", "/dev/null", "-s", ip.top});
    INFO(ri.output);
    CHECK(ri.exitCode == 0);
    CHECK(ri.output.find("warning") == std::string::npos);
  }
  for (const auto& suffix : req.yosysElaborateOnly) {
    const std::string name = ip.top + suffix;
    const auto ry = flow::runProcess(
        {"yosys", "-q", "-p", "read_verilog -sv rtl/" + name + ".sv; hierarchy -check -top " + name}, dir / "ip");
    INFO(name << "\n" << ry.output);
    CHECK(ry.exitCode == 0);
  }
  if (req.yosysElaborateOnly.empty()) {
    std::string script;
    for (const auto& f : files) script += "read_verilog -sv " + f + "; ";
    script += "hierarchy -check -top " + ip.top + "; proc; check -assert";
    const auto ry = flow::runProcess({"yosys", "-q", "-p", script}, dir / "ip");
    INFO(ry.output);
    CHECK(ry.exitCode == 0);
  }
  return package;
}

}  // namespace ftaccel::test
