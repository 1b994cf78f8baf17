// `ftaccel cosim-sources` (hidden): writes a co-simulation model's sources without verilating them.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "flow/Cosim.h"
#include "flow/FileIo.h"

namespace ftaccel::cli {

namespace {

namespace fs = std::filesystem;

struct CosimSourcesArgs {
  ConfigArgs config;
  std::string out;
  bool faultInjection = false;
};

// Leaves an unchanged file alone, so that a build that depends on it is not redone.
bool writeIfChanged(const fs::path& path, const std::string& text) {
  if (fs::is_regular_file(path) && flow::readFile(path) == text) return false;
  flow::writeFile(path, text);
  return true;
}

int run(const CosimSourcesArgs& a) {
  const config::Config cfg = a.config.load();
  const flow::CosimSources src = flow::cosimSources(cfg, a.faultInjection, a.faultInjection);
  int changed = 0;
  for (const auto& [rel, text] : src.files) changed += writeIfChanged(fs::path(a.out) / rel, text);
  std::string args;
  for (const auto& arg : src.verilatorArgs) args += arg + "\n";
  changed += writeIfChanged(fs::path(a.out) / "verilator.f", args);
  // Written last and only when something changed: what a build depends on.
  writeIfChanged(fs::path(a.out) / "key", src.key + "\n");
  std::cout << fmt::format("{}: {} files, {} changed\n", src.key, src.files.size() + 1, changed);
  return 0;
}

}  // namespace

Command addCosimSourcesCommand(CLI::App& parent) {
  auto args = std::make_shared<CosimSourcesArgs>();
  CLI::App* app = parent.add_subcommand(
      "cosim-sources",
      "Write the RTL and harness sources of a co-simulation model (for the build)");
  app->group("");  // a build helper, not listed in --help
  args->config.attach(app);
  app->add_option("-o,--out", args->out, "Directory (files are rewritten only when they change)")
      ->required();
  app->add_flag("--fault-injection", args->faultInjection,
                "The simulation variant with fault and timing-error ports");
  return Command{app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
