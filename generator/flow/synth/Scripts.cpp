// Text of the Yosys and OpenSTA scripts the synthesis flow runs.
#include "flow/synth/Scripts.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "flow/synth/EnableNet.h"
#include "flow/synth/Hierarchy.h"

namespace ftaccel::flow {

namespace {

// Yosys' read_verilog accepts "quoted" names; most other passes take the argument verbatim.
std::string yosysPath(const std::filesystem::path& p) {
  const std::string s = p.generic_string();
  return synth::needsQuoting(s) ? "\"" + s + "\"" : s;
}

// Technology mapping to the Liberty library and the mapped statistics, shared by both scripts.
// Yosys' default Liberty script ends in &nf, which ignores -D: the timing goal brings its own.
std::string mapAndStat(const SynthRequest& req, const std::filesystem::path& libertyPath,
                       const std::filesystem::path& netlistOut) {
  const std::string lib = libertyPath.generic_string();
  std::string s;
  s += fmt::format("dfflibmap -liberty {}\n", lib);
  if (req.goal == config::SynthGoal::Timing)
    s += fmt::format("abc -liberty {} -script \"{}\"\n", lib, synth::timingAbcScript(req.clockNs));
  else
    s += fmt::format("abc -liberty {}\n", lib);
  s += "opt_clean\n";
  s += fmt::format("log {}\n", synth::kMarkMapped);
  s += fmt::format("stat -liberty {}\n", lib);
  s += fmt::format("write_verilog -noattr -simple-lhs {}\n", netlistOut.generic_string());
  return s;
}

}  // namespace

std::string yosysModuleScript(const SynthRequest& req, const SynthModule& mod,
                              const std::filesystem::path& libertyPath,
                              const std::filesystem::path& netlistOut) {
  std::string s = fmt::format("# ftaccel: synthesis of module {} on its own", mod.name);
  s += mod.children.empty() ? "\n" : "; sub-modules are read as black boxes\n";
  s += "read_verilog -sv " + yosysPath(synth::rtlPath(req, mod)) + "\n";
  for (const auto& [child, count] : mod.children) {
    (void)count;
    s += "read_verilog -sv -lib " + yosysPath(synth::rtlPath(req, synth::findModule(req, child))) +
         "\n";
  }
  s += fmt::format("hierarchy -check -top {}\n", mod.name);
  s += fmt::format("synth -top {}\n", mod.name);
  // Generic-gate statistics: flip-flops are counted before they become library cells.
  s += fmt::format("log {}\n", synth::kMarkGeneric);
  s += "stat\n";
  return s + mapAndStat(req, libertyPath, netlistOut);
}

namespace synth {

std::string timingAbcScript(double clockNs) {
  const long targetPs = std::lround(kAbcDelayTargetFraction * clockNs * 1000.0);
  // `cleanup` drops nodes `map` leaves without fanout: ABC's `buffer -p` aborts on them ("node
  // has no fanout", seen on the naive median-5), and Yosys then finds no output netlist.
  return fmt::format("+strash;dch,-f;map,-D,{0};cleanup;buffer,-p;upsize,-D,{0};dnsize,-D,{0};", targetPs);
}

bool needsQuoting(const std::string& path) {
  return path.find_first_of(" \t\"") != std::string::npos;
}

std::string flatYosysScript(const SynthRequest& req, const std::filesystem::path& libertyPath,
                            const std::filesystem::path& netlistOut) {
  std::string s = fmt::format(
      "# ftaccel: flattened synthesis of {} (cross-check of the hierarchical area)\n", req.top);
  for (const auto& m : req.modules) s += "read_verilog -sv " + yosysPath(rtlPath(req, m)) + "\n";
  // Coarse synthesis still runs per module and only the fine-grained part (gates, ABC) sees
  // the flattened design. With `synth -flatten`, Yosys 0.23's alumacc does not merge a
  // flattened instance's `a * b` into the following `acc + ...` ($macc), while it does for
  // the module synthesized alone: an 8-bit MAC then differs by ~18% for that reason only,
  // which would drown what this check is for (cross-boundary optimization).
  s += fmt::format("hierarchy -check -top {}\n", req.top);
  s += fmt::format("synth -top {} -run begin:fine\n", req.top);
  s += "flatten\n";
  s += fmt::format("hierarchy -top {}\n", req.top);
  s += fmt::format("synth -top {} -run fine:\n", req.top);
  return s + mapAndStat(req, libertyPath, netlistOut);
}

std::string staScript(const SynthRequest& req, const SynthModule& mod,
                      const std::filesystem::path& liberty, const std::filesystem::path& sdc) {
  std::string s = fmt::format("# ftaccel: static timing of {}", mod.name);
  s += mod.children.empty() ? "\n" : " together with its synthesized sub-modules\n";
  s += fmt::format("read_liberty {{{}}}\n", liberty.generic_string());
  for (const auto& child : descendants(req, mod.name))
    s += fmt::format("read_verilog {{{}.syn.v}}\n", child);
  s += fmt::format("read_verilog {{{}.syn.v}}\n", mod.name);
  s += fmt::format("link_design {}\n", mod.name);
  s += fmt::format("read_sdc {{{}}}\n", sdc.generic_string());
  s += "report_checks -path_delay max -digits 4\n";
  // Power with a default activity: 10 % toggle rate per cycle on every input, propagated.
  s += "set_power_activity -input -activity 0.1\n";
  s += "report_power -digits 6\n";
  if (const auto& en = req.enableNet) {
    if (mod.name == en->sourceModule) s += enableSourceTcl(en->sourcePort);
    if (std::find(en->sinkModules.begin(), en->sinkModules.end(), mod.name) !=
        en->sinkModules.end())
      s += enableSinkTcl(en->sinkPort);
  }
  return s;
}

}  // namespace synth
}  // namespace ftaccel::flow
