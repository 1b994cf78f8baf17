// `ftaccel lint`: Verilator -Wall lint of a generated package, flat or per part (docs/lint.md).
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/FileIo.h"
#include "flow/Lint.h"
#include "flow/Package.h"
#include "units/IpDesign.h"

namespace ftaccel::cli {

namespace {

namespace fs = std::filesystem;

struct LintArgs {
  ConfigArgs config;
  std::string mode = "auto";
  std::string package;
  std::string workDir;
  std::vector<std::string> with;
  bool json = false;
};

flow::LintMode parseMode(const std::string& m) {
  if (m == "flat") return flow::LintMode::Flat;
  if (m == "hier") return flow::LintMode::Hier;
  return flow::LintMode::Auto;  // CLI11 admits only the three names
}

// An existing package must be the one this configuration generates: the IR that the stub and the
// parameter check come from is built from the configuration, the files linted are the package's.
void checkPackage(const fs::path& dir, const config::Config& cfg, const units::IpDesign& ip) {
  const diag::Location where{"--package", 0, 0};
  const fs::path manifestPath = dir / "manifest.json";
  if (!fs::is_regular_file(manifestPath))
    diag::throwError("lint.package", where, fmt::format("{} is not an ftaccel package (no manifest.json)", dir.string()));
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(flow::readFile(manifestPath));
  } catch (const std::exception& e) {
    diag::throwError("lint.package", where, fmt::format("cannot read {}: {}", manifestPath.string(), e.what()));
  }
  const std::string hash = manifest.value("config_hash", std::string());
  if (hash != cfg.hash() || manifest.contains("variant"))
    diag::throwError("lint.package", where,
                     fmt::format("{} holds config hash {}{}, but the given configuration (--config/--set) is {} "
                                 "(hash {}): pass the configuration the package was generated from",
                                 dir.string(), hash.empty() ? "(none)" : hash,
                                 manifest.contains("variant") ? " (the fault-injection variant)" : "", ip.top,
                                 cfg.hash()));
  for (const auto& m : ip.modules)
    if (!fs::is_regular_file(dir / "rtl" / (m.module.name + ".sv")))
      diag::throwError("lint.package", where, fmt::format("{} lacks rtl/{}.sv", dir.string(), m.module.name));
}

int run(const LintArgs& a) {
  const config::Config cfg = a.config.load();
  const units::IpDesign ip = units::buildIp(cfg);
  const flow::TempDir tmp("ftaccel-lint");
  // --work-dir keeps the package and the stub, so the printed commands can be run again.
  const fs::path work = a.workDir.empty() ? tmp.path() : fs::absolute(a.workDir);
  fs::path pkg;
  if (a.package.empty()) {
    pkg = work / "ip";
    flow::writePackageAtomically(flow::renderPackage(cfg, ip), pkg);
  } else {
    pkg = fs::absolute(a.package);
    checkPackage(pkg, cfg, ip);
  }
  flow::LintPlan plan = flow::planLint(cfg, ip, parseMode(a.mode), work / "stub");
  std::vector<flow::LintTool> tools;
  for (const auto& t : a.with) tools.push_back(t == "icarus" ? flow::LintTool::Icarus : flow::LintTool::Yosys);
  flow::addTools(plan, tools);
  if (!a.package.empty())
    if (const std::string e = flow::hierPackageMismatch(plan, ip, pkg); !e.empty())
      diag::throwError("lint.package", diag::Location{"--package", 0, 0}, e + "; use --mode flat");
  const auto results = flow::runLint(plan, pkg);
  bool clean = true;
  for (const auto& r : results) clean = clean && r.clean();
  if (a.json) {
    nlohmann::json j = flow::lintJson(plan, results);
    j["config_hash"] = cfg.hash();
    j["package"] = a.package.empty() ? nlohmann::json(nullptr) : nlohmann::json(pkg.string());
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << flow::lintText(plan, results, pkg);
    if (a.workDir.empty() && a.package.empty()) std::cout << "(the package and the stub were temporary: --work-dir DIR keeps them)\n";
  }
  return clean ? 0 : 1;
}

}  // namespace

Command addLintCommand(CLI::App& parent) {
  auto args = std::make_shared<LintArgs>();
  CLI::App* app = parent.add_subcommand(
      "lint", "Verilator -Wall lint of the IP: flat, or per part around a stub of the row module (docs/lint.md)");
  args->config.attach(app);
  app->add_option("--mode", args->mode,
                  "auto (hier when the array has a row module, else flat), flat (the whole top at once) or hier "
                  "(the IP with the row module stubbed, then the row module alone)")
      ->check(CLI::IsMember({"auto", "flat", "hier"}));
  app->add_option("--package", args->package,
                  "Lint this generated package (of the same --config/--set) instead of a fresh one");
  app->add_option("--work-dir", args->workDir,
                  "Write the generated package (DIR/ip) and the stub (DIR/stub) here and keep them");
  app->add_option("--with", args->with,
                  "Also run these linters on every part, comma-separated: icarus (iverilog -g2012 -Wall), yosys "
                  "(read_verilog -sv; hierarchy -check; proc; check -assert)")
      ->delimiter(',')
      ->check(CLI::IsMember({"icarus", "yosys"}));
  app->add_flag("--json", args->json, "Print the report as JSON");
  return Command{app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
