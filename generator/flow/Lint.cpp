// Flat and hierarchical Verilator lint of a package (docs/lint.md).
#include "flow/Lint.h"

#include <algorithm>
#include <functional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "flow/FileIo.h"
#include "flow/Process.h"
#include "ir/ConstEval.h"
#include "ir/Resolve.h"
#include "ir/SvPrinter.h"
#include "ir/WideZeros.h"
#include "units/Units.h"

namespace ftaccel::flow {

namespace fs = std::filesystem;

const char* toString(LintMode mode) {
  switch (mode) {
    case LintMode::Auto: return "auto";
    case LintMode::Flat: return "flat";
    case LintMode::Hier: return "hier";
  }
  return "?";
}

const char* toString(LintTool tool) {
  switch (tool) {
    case LintTool::Verilator: return "verilator";
    case LintTool::Icarus: return "icarus";
    case LintTool::Yosys: return "yosys";
  }
  return "?";
}

std::vector<std::string> LintPart::argv() const {
  std::vector<std::string> cmd;
  switch (tool) {
    case LintTool::Verilator: cmd = {"verilator", "--lint-only", "-Wall", "--top-module", top}; break;
    case LintTool::Icarus: cmd = {"iverilog", "-g2012", "-Wall", "-o", "/dev/null", "-s", top}; break;
    case LintTool::Yosys: {
      std::string script;
      for (const auto& f : files) script += "read_verilog -sv " + f + "; ";
      return {"yosys", "-q", "-p", script + "hierarchy -check -top " + top + "; proc; check -assert"};
    }
  }
  cmd.insert(cmd.end(), files.begin(), files.end());
  return cmd;
}

namespace {

const units::ModuleSpec* findSpec(const units::IpDesign& ip, const std::string& name) {
  for (const auto& m : ip.modules)
    if (m.module.name == name) return &m;
  return nullptr;
}

// Modules reachable from `root` (itself included); the walk does not enter `stop`.
std::set<std::string> reachable(const units::IpDesign& ip, const std::string& root, const std::string& stop) {
  std::set<std::string> seen;
  std::function<void(const std::string&)> visit = [&](const std::string& name) {
    if (!seen.insert(name).second || name == stop) return;
    if (const auto* spec = findSpec(ip, name))
      for (const auto& [child, count] : spec->children) visit(child);
  };
  visit(root);
  return seen;
}

// The package's RTL files of `names`, leaves first (the order of the .f file).
std::vector<std::string> filesOf(const units::IpDesign& ip, const std::set<std::string>& names) {
  std::vector<std::string> files;
  for (const auto& m : ip.modules)
    if (names.count(m.module.name)) files.push_back("rtl/" + m.module.name + ".sv");
  return files;
}

[[noreturn]] void refuseHier(const std::string& why) {
  diag::throwError("lint.mode", diag::Location{"--mode", 0, 0}, why);
}

}  // namespace

std::string replicatedModule(const config::Config& cfg, const units::IpDesign& ip) {
  const std::string row = units::ModuleNames(cfg, {}).row;
  return findSpec(ip, row) ? row : "";
}

std::string singleParameterizationError(const units::IpDesign& ip) {
  std::string error;
  for (const auto& parent : ip.modules) {
    // Evaluated in the parent's default scope: with every instance above at its defaults
    // (induction from the top, which nobody instantiates), that is the scope it runs in.
    ir::elaborate(parent.module, [&](const ir::Item& item, const ir::ElabPoint& point) {
      const auto* inst = std::get_if<ir::Instance>(&item);
      if (!inst || !error.empty()) return;
      const auto* child = findSpec(ip, inst->module);
      if (!child) return;  // not a module of the IP (none is)
      const ir::Scope defaults = ir::moduleScope(child->module);
      for (const auto& [name, expr] : inst->params) {
        const auto it = defaults.find(name);
        const int64_t value = ir::evalConst(expr, point.scope);
        if (it == defaults.end() || it->second != value) {
          error = fmt::format("{}.{}{} sets {} = {} ({}), but {}'s default is {}", parent.module.name, point.path,
                              inst->name, name, value, expr, inst->module,
                              it == defaults.end() ? std::string("(no such parameter)") : std::to_string(it->second));
          return;
        }
      }
    });
    if (!error.empty()) break;
  }
  return error;
}

ir::Module lintStub(const ir::Module& real) {
  ir::Module stub;
  stub.name = real.name;
  stub.params = real.params;
  stub.ports = real.ports;
  stub.description = {
      "LINT STUB - NOT IP. Written by `ftaccel lint --mode hier` for one Verilator run: the same",
      "name, parameters and ports as the generated " + real.name + ", no logic, every output '0.",
      "It lets Verilator lint the IP around this module without flattening every instance of it;",
      "the real module is linted alone in another run. Never simulate or synthesize it.",
  };
  // The header declares the inputs and parameters, which nothing reads here: waived up to the
  // first body line (the real module is linted for them in its own run).
  stub.lintWaivers = {"/* verilator lint_off UNUSEDSIGNAL */", "/* verilator lint_off UNUSEDPARAM */"};
  stub.items.push_back(ir::Comment{"verilator lint_on UNUSEDPARAM"});
  stub.items.push_back(ir::Comment{"verilator lint_on UNUSEDSIGNAL"});
  for (const auto& p : real.ports)
    if (p.dir == ir::Dir::Out) stub.items.push_back(ir::ContAssign{p.name, "'0", ""});
  ir::sizeWideZeros(stub);
  return stub;
}

std::string moduleHeader(const std::string& svText, const std::string& name) {
  std::istringstream in(svText);
  std::string line, header;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && (line.rfind("module " + name + " ", 0) == 0 || line.rfind("module " + name + "(", 0) == 0))
      inside = true;
    if (!inside) continue;
    header += line + "\n";
    if (line == ");") return header;
  }
  return "";
}

namespace {

std::string trim(const std::string& line) {
  const auto b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : line.substr(b, e - b + 1);
}

}  // namespace

std::vector<std::string> instanceParamBlocks(const std::string& svText, const std::string& module) {
  std::vector<std::string> blocks;
  std::istringstream in(svText);
  std::string line, block;
  bool inside = false;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (!inside && t == module + " #(") {
      inside = true;
      block.clear();
    } else if (!inside && t.rfind(module + " ", 0) == 0 && t.back() == '(') {
      blocks.push_back("");  // instantiated without a parameter list: the defaults
    } else if (inside && t.rfind(") ", 0) == 0) {
      blocks.push_back(block);
      inside = false;
    } else if (inside) {
      block += t + "\n";
    }
  }
  return blocks;
}

std::string hierPackageMismatch(const LintPlan& plan, const units::IpDesign& ip, const fs::path& packageDir) {
  if (plan.mode != LintMode::Hier) return "";
  const ir::PrintOptions opts;
  const auto* row = findSpec(ip, plan.stubbed);
  const std::string rowFile = "rtl/" + plan.stubbed + ".sv";
  if (moduleHeader(readFile(packageDir / rowFile), plan.stubbed) != moduleHeader(ir::printModule(row->module, opts), plan.stubbed))
    return fmt::format("the parameters or ports of {} differ from the generated module's, so the stub would not be "
                       "port-exact",
                       rowFile);
  for (const auto& parent : ip.modules) {
    if (!parent.children.count(plan.stubbed)) continue;
    const std::string file = "rtl/" + parent.module.name + ".sv";
    if (instanceParamBlocks(readFile(packageDir / file), plan.stubbed) !=
        instanceParamBlocks(ir::printModule(parent.module, opts), plan.stubbed))
      return fmt::format("{} instantiates {} with other parameters than the generated module, so linting {} at its "
                         "defaults would not lint it as used",
                         file, plan.stubbed, plan.stubbed);
  }
  return "";
}

LintPlan planLint(const config::Config& cfg, const units::IpDesign& ip, LintMode mode, const fs::path& stubDir) {
  LintPlan plan;
  plan.top = ip.top;
  const std::string row = replicatedModule(cfg, ip);
  plan.mode = mode == LintMode::Auto ? (row.empty() ? LintMode::Flat : LintMode::Hier) : mode;
  if (plan.mode == LintMode::Flat) {
    plan.parts.push_back({"flat", "the whole IP, every instance elaborated (Verilator flattens it)", ip.top,
                          filesOf(ip, reachable(ip, ip.top, ""))});
    return plan;
  }
  if (row.empty())
    refuseHier(fmt::format("--mode hier needs the rows form of the array (a module {}_row), which {} does not "
                           "have: set array.nets = \"rows\" (ws/is; \"auto\" picks it above 64x64 PEs) or use "
                           "--mode flat",
                           cfg.ip.name, ip.top));
  if (const std::string e = singleParameterizationError(ip); !e.empty())
    refuseHier("a module is instantiated with other than its default parameters, so linting it alone at its "
               "defaults would not lint it as used: " + e + "; use --mode flat");
  const auto* rowSpec = findSpec(ip, row);
  const ir::Module stub = lintStub(rowSpec->module);
  ir::PrintOptions opts;
  opts.generatorVersion = FTACCEL_VERSION;
  opts.configHash = cfg.hash();
  plan.stubbed = row;
  plan.stubText = ir::printModule(stub, opts);
  if (moduleHeader(plan.stubText, row) != moduleHeader(ir::printModule(rowSpec->module, opts), row))
    throw std::logic_error("lint stub of " + row + " does not have the module's header");
  plan.stubFile = (fs::absolute(stubDir) / (row + ".sv")).string();  // DECLFILENAME: file = module

  std::vector<std::string> outer = filesOf(ip, reachable(ip, ip.top, row));
  std::erase(outer, "rtl/" + row + ".sv");
  outer.push_back(plan.stubFile);
  const long rows = cfg.array.rows;
  plan.parts.push_back({"top-with-stub",
                        fmt::format("the whole IP with its {} instances of {} replaced by the port-exact stub", rows, row),
                        ip.top, outer});
  std::set<std::string> inner = reachable(ip, row, "");
  plan.parts.push_back({"row",
                        fmt::format("{} alone with its PEs, at its default parameters (the values all {} "
                                    "instances pass, checked)",
                                    row, rows),
                        row, filesOf(ip, inner)});
  return plan;
}

void addTools(LintPlan& plan, const std::vector<LintTool>& tools) {
  const std::vector<LintPart> verilator = plan.parts;
  for (const LintTool tool : tools) {
    if (tool == LintTool::Verilator) continue;
    for (LintPart part : verilator) {
      part.tool = tool;
      plan.parts.push_back(part);
    }
  }
}

namespace {

// The lines of a tool's output that are a warning or an error (the first line of each).
bool isMessage(LintTool tool, const std::string& line) {
  switch (tool) {
    case LintTool::Verilator:
      return (line.rfind("%Warning", 0) == 0 || line.rfind("%Error", 0) == 0) &&
             line.rfind("%Error: Exiting due to", 0) != 0;
    case LintTool::Icarus:  // "file:line: warning: ...", "file:line: error: ...", "error: ..."
      return line.find("warning:") != std::string::npos || line.find("error:") != std::string::npos ||
             line.find("error(s)") != std::string::npos;
    case LintTool::Yosys:  // "Warning: ...", "ERROR: ...", "file:line: ERROR: ..."
      return line.find("Warning:") != std::string::npos || line.find("ERROR:") != std::string::npos;
  }
  return false;
}

}  // namespace

std::vector<LintPartResult> runLint(const LintPlan& plan, const fs::path& packageDir) {
  if (!plan.stubFile.empty()) writeFile(plan.stubFile, plan.stubText);
  std::vector<LintPartResult> results;
  for (const auto& part : plan.parts) {
    const ProcessResult r = runProcess(part.argv(), packageDir, {}, /*measureRss=*/true);
    if (r.exitCode == 127 && r.output.find("cannot start '") != std::string::npos)
      throw std::runtime_error(r.output.substr(0, r.output.find('\n')));  // exit 3: no such tool
    LintPartResult res;
    res.part = part;
    res.exitCode = r.exitCode;
    res.seconds = r.seconds;
    res.cpuSeconds = r.cpuSeconds;
    res.maxRssKb = r.maxRssKb;
    res.output = r.output;
    std::istringstream in(r.output);
    std::string line;
    while (std::getline(in, line))
      if (isMessage(part.tool, line)) res.messages.push_back(line);
    results.push_back(std::move(res));
  }
  return results;
}

std::string hierGivesUp() {
  return "combinational loops through the stubbed module's ports (UNOPTFLAT across rows); none can exist "
         "because every output of the row module is a PE register output (docs/lint.md), and the flat "
         "lints of smaller arrays in the test suite check the same structure whole";
}

nlohmann::json lintJson(const LintPlan& plan, const std::vector<LintPartResult>& results) {
  nlohmann::json j;
  j["top"] = plan.top;
  j["mode"] = toString(plan.mode);
  if (plan.mode == LintMode::Hier) {
    j["stubbed_module"] = plan.stubbed;
    j["not_covered"] = hierGivesUp();
  }
  j["parts"] = nlohmann::json::array();
  bool clean = true;
  double seconds = 0, cpu = 0;
  long rss = 0;
  for (const auto& r : results) {
    j["parts"].push_back({{"name", r.part.name},
                          {"tool", toString(r.part.tool)},
                          {"covers", r.part.covers},
                          {"command", r.part.argv()},
                          {"exit", r.exitCode},
                          {"seconds", r.seconds},
                          {"cpu_seconds", r.cpuSeconds},
                          {"peak_rss_kib", r.maxRssKb},
                          {"messages", r.messages}});
    clean = clean && r.clean();
    seconds += r.seconds;
    cpu += r.cpuSeconds;
    rss = std::max(rss, r.maxRssKb);
  }
  j["clean"] = clean;
  j["seconds"] = seconds;
  j["cpu_seconds"] = cpu;
  j["peak_rss_kib"] = rss;
  return j;
}

std::string lintText(const LintPlan& plan, const std::vector<LintPartResult>& results, const fs::path& packageDir) {
  std::string tools;
  for (const auto& r : results)
    if (tools.find(toString(r.part.tool)) == std::string::npos) tools += (tools.empty() ? "" : ", ") + std::string(toString(r.part.tool));
  std::string out = fmt::format("lint of {} ({} mode, {} part{}) with {}\n", plan.top, toString(plan.mode),
                                results.size(), results.size() == 1 ? "" : "s", tools);
  bool clean = true;
  double seconds = 0, cpu = 0;
  long rss = 0;
  size_t messages = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    std::string cmd;
    for (const auto& a : r.part.argv())  // quoted for a shell where it holds spaces (the Yosys script)
      cmd += (cmd.empty() ? "" : " ") + (a.find_first_of(" ;'") == std::string::npos ? a : "'" + a + "'");
    out += fmt::format("part {}/{} {} ({}): {}\n", i + 1, results.size(), r.part.name, toString(r.part.tool),
                       r.part.covers);
    out += fmt::format("  command  cd {} && {}\n", packageDir.string(), cmd);
    out += fmt::format("  result   exit {}, {:.2f} s wall, {:.2f} s CPU, peak RSS {:.1f} MiB, {} warning/error line{}\n",
                       r.exitCode, r.seconds, r.cpuSeconds, r.maxRssKb / 1024.0, r.messages.size(),
                       r.messages.size() == 1 ? "" : "s");
    for (const auto& m : r.messages) out += "  " + m + "\n";
    if (r.exitCode != 0 && r.messages.empty()) {
      // A failure without a %Warning/%Error line (a crash, a missing file): show the output's end.
      std::istringstream in(r.output);
      std::vector<std::string> lines;
      for (std::string l; std::getline(in, l);) lines.push_back(l);
      for (size_t k = lines.size() > 10 ? lines.size() - 10 : 0; k < lines.size(); ++k) out += "  | " + lines[k] + "\n";
    }
    clean = clean && r.clean();
    seconds += r.seconds;
    cpu += r.cpuSeconds;
    rss = std::max(rss, r.maxRssKb);
    messages += r.messages.size();
  }
  if (plan.mode == LintMode::Hier) out += "not covered by hier mode: " + hierGivesUp() + "\n";
  out += fmt::format("lint {}: {} ({} part{}, {:.2f} s wall, {:.2f} s CPU, peak RSS {:.1f} MiB, {} warning/error line{})\n",
                     plan.top, clean ? "CLEAN" : "FAILED", results.size(), results.size() == 1 ? "" : "s", seconds, cpu,
                     rss / 1024.0, messages, messages == 1 ? "" : "s");
  return out;
}

}  // namespace ftaccel::flow
