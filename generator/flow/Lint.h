// `ftaccel lint`: Verilator -Wall lint of a package, flat (the whole top at once) or
// hierarchical (rows form: the IP around a port-exact stub of the row module, and the row
// module alone). Verilator flattens every instance, so a flat lint of a 256x256 IP holds all
// 65,536 PEs at once (4.3 GB); the hierarchical lint holds the top plus one row per run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "ir/Ir.h"
#include "units/IpDesign.h"

namespace ftaccel::flow {

enum class LintMode { Auto, Flat, Hier };

// The linters: Verilator --lint-only -Wall (always), and optionally Icarus -g2012 -Wall and a
// Yosys read (`hierarchy -check; proc; check -assert`), the three checks of tests/LintUtil.h.
enum class LintTool { Verilator, Icarus, Yosys };

// One tool run on one part: what it covers and how it is called (in the package directory).
struct LintPart {
  std::string name;    // "flat", "top-with-stub", "row"
  std::string covers;  // one sentence for the report
  std::string top;     // the top module of the run
  std::vector<std::string> files;  // relative to the package or absolute (the stub)
  LintTool tool = LintTool::Verilator;
  std::vector<std::string> argv() const;
};

struct LintPlan {
  LintMode mode = LintMode::Flat;  // never Auto
  std::string top;
  std::string stubbed;             // Hier: the module replaced by a stub
  std::string stubFile;            // Hier: where the stub goes (absolute; named <module>.sv)
  std::string stubText;            // Hier: the stub's SystemVerilog
  std::vector<LintPart> parts;
};

// The module whose instances a hierarchical lint replaces: the row module of the rows form,
// or "" when the IP has none.
std::string replicatedModule(const config::Config& cfg, const units::IpDesign& ip);

// An empty string when every instance in the IP passes exactly its module's default
// parameter values (so each module has one parameterization and linting a module alone at its
// defaults is linting it as used); otherwise the first instance that does not, named.
std::string singleParameterizationError(const units::IpDesign& ip);

// The lint stub of `real`: the same name, parameters and ports, no logic, every output driven
// with '0, the inputs waived for UNUSEDSIGNAL, and a header that says it is not IP.
ir::Module lintStub(const ir::Module& real);

// The `module ... );` header of module `name` in SystemVerilog text (parameters and ports as
// printed), or "" when not found: a stub and the module it stands for have the same header.
std::string moduleHeader(const std::string& svText, const std::string& name);

// The parameter lists with which `svText` instantiates `module` (each "<module> #( ... ) <inst> ("
// block, whitespace-trimmed lines), in text order; an instance without one contributes "".
std::vector<std::string> instanceParamBlocks(const std::string& svText, const std::string& module);

// Hier mode on an existing package: the stub stands for the package's row module and part 2
// lints it at its defaults, so the package's row module must have the generated header and every
// module that instantiates it must pass the generated parameter lists. "" or what differs.
std::string hierPackageMismatch(const LintPlan& plan, const units::IpDesign& ip,
                                const std::filesystem::path& packageDir);

// The runs of a lint in `mode` (Auto: Hier when the IP has a row module). Throws
// diag::DiagnosticError (exit 2) for Hier without a row module or with a module that is
// instantiated with other than its default parameters. `stubDir` is where the stub will go.
LintPlan planLint(const config::Config& cfg, const units::IpDesign& ip, LintMode mode,
                  const std::filesystem::path& stubDir);

// Every part of `plan` also run by each of `tools` (after Verilator's runs, part by part).
void addTools(LintPlan& plan, const std::vector<LintTool>& tools);

struct LintPartResult {
  LintPart part;
  int exitCode = -1;
  double seconds = 0;     // wall
  double cpuSeconds = 0;  // user + system
  long maxRssKb = 0;
  std::vector<std::string> messages;  // %Warning / %Error lines (first line of each)
  std::string output;
  bool clean() const { return exitCode == 0 && messages.empty(); }
};

// Writes the stub (Hier) and runs every part in `packageDir`, one after the other.
std::vector<LintPartResult> runLint(const LintPlan& plan, const std::filesystem::path& packageDir);

// What hier mode leaves to other checks (the report and docs/lint.md say it).
std::string hierGivesUp();

nlohmann::json lintJson(const LintPlan& plan, const std::vector<LintPartResult>& results);
std::string lintText(const LintPlan& plan, const std::vector<LintPartResult>& results,
                     const std::filesystem::path& packageDir);

const char* toString(LintMode mode);
const char* toString(LintTool tool);

}  // namespace ftaccel::flow
