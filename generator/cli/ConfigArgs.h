// The --config / --set flags every subcommand that builds an IP takes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/Config.h"

namespace ftaccel::cli {

struct ConfigArgs {
  std::string file;
  std::vector<std::string> sets;

  void attach(CLI::App* app) {
    app->add_option("-c,--config", file, "TOML configuration file (default: embedded default)");
    // One value per --set, so a positional argument after it (pack MATRIX) is not taken as a key.
    app->add_option("-s,--set", sets, "Override one key, e.g. --set array.rows=16 (repeatable)")
        ->allow_extra_args(false);
  }
  config::Config load() const {
    std::optional<std::filesystem::path> path;
    if (!file.empty()) path = file;
    return config::loadConfig(path, sets);
  }
};

}  // namespace ftaccel::cli
