// Helpers shared by the tests: temp dirs, running the CLI, reading files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/FileIo.h"
#include "flow/Process.h"

namespace ftaccel::test {

// A fresh directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / fmt::format("ftaccel-test-{:08x}{:08x}", rd(), rd());
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

using flow::readFile;
using flow::writeFile;

// Runs the ftaccel CLI with stderr merged into the output.
inline flow::ProcessResult runCli(std::vector<std::string> args,
                                  const std::filesystem::path& cwd = std::filesystem::current_path()) {
  args.insert(args.begin(), FTACCEL_BINARY);
  return flow::runProcess(args, cwd);
}

// Models are cached per configuration inside the build tree.
inline void useTestCache() { setenv("FTACCEL_CACHE_DIR", FTACCEL_TEST_CACHE, 0); }

// The diagnostics a configuration is refused with ("" when it loads): `toml` read as file
// `source`, then the --set lines.
inline std::string configError(const std::vector<std::string>& sets, const std::string& toml = "",
                               const std::string& source = "t") {
  try {
    config::loadConfigText(toml, source, sets);
  } catch (const diag::DiagnosticError& e) {
    return e.what();
  }
  return "";
}

}  // namespace ftaccel::test
