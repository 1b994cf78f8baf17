// Four-state (Icarus) co-simulation helpers shared by the tests: lane vectors as $readmemb lines,
// testbench templates filled by name, and one compile-and-run of a testbench with RTL files.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "TestUtil.h"
#include "golden/GoldenModel.h"
#include "units/IpDesign.h"

namespace ftaccel::test {

// One $readmemb line of `values`, `width` bits each, lane 0 in the least significant bits.
template <class Int>
std::string laneBits(const std::vector<Int>& values, int width) {
  std::string s;
  for (auto it = values.rbegin(); it != values.rend(); ++it)
    for (int b = width - 1; b >= 0; --b) s += ((static_cast<golden::UWide>(*it) >> b) & 1) ? '1' : '0';
  return s + "\n";
}

// A "%KEY%" placeholder of a testbench template and its text.
struct TbValue {
  std::string key, text;
  TbValue(std::string k, std::string t) : key(std::move(k)), text(std::move(t)) {}
  TbValue(std::string k, long long v) : key(std::move(k)), text(std::to_string(v)) {}
};

// `tb` with every "%KEY%" of `values` replaced by its text.
inline std::string fillTemplate(std::string tb, const std::vector<TbValue>& values) {
  for (const TbValue& v : values) {
    const std::string from = "%" + v.key + "%";
    for (size_t p = tb.find(from); p != std::string::npos; p = tb.find(from, p + v.text.size()))
      tb.replace(p, from.size(), v.text);
  }
  return tb;
}

// The RTL files of a package written to <dir>/ip, relative to dir.
inline std::vector<std::string> packageRtl(const units::IpDesign& ip) {
  std::vector<std::string> files;
  for (const auto& mod : ip.modules) files.push_back("ip/rtl/" + mod.module.name + ".sv");
  return files;
}

// Writes tb.sv (top module `tb`) into `dir`, compiles it with `rtl` (relative to dir) under
// iverilog -g2012 (a compile error fails the test) and returns what vvp printed. With
// `timeoutSeconds`, coreutils' timeout stops vvp after that long and a TIMEOUT line is appended.
inline std::string runIcarus(const TempDir& dir, const std::vector<std::string>& rtl, const std::string& tb,
                             int timeoutSeconds = 0) {
  writeFile(dir / "tb.sv", tb);
  std::vector<std::string> cmd = {"iverilog", "-g2012", "-o", "sim.vvp", "-s", "tb", "tb.sv"};
  cmd.insert(cmd.end(), rtl.begin(), rtl.end());
  const auto compile = flow::runProcess(cmd, dir.path());
  INFO(compile.output);
  REQUIRE(compile.exitCode == 0);
  std::vector<std::string> run = {"vvp", "-n", "sim.vvp"};
  if (timeoutSeconds > 0) run.insert(run.begin(), {"timeout", std::to_string(timeoutSeconds)});
  const auto result = flow::runProcess(run, dir.path());
  if (timeoutSeconds > 0 && result.exitCode == 124)
    return result.output + fmt::format("\nTIMEOUT: vvp stopped after {} s\n", timeoutSeconds);
  return result.output;
}

}  // namespace ftaccel::test
