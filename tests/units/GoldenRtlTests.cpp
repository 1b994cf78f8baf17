// Golden-file tests of emitted packages: any drift in the generated text shows in review.
// The production packages were first written by the generator before the architecture
// refactor, so they also prove that it left the RTL byte-identical. Regenerate after an
// intended change with FTACCEL_UPDATE_GOLDEN=1 (then review the diff), never by hand.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "TestUtil.h"

using namespace ftaccel;
namespace fs = std::filesystem;

namespace {

const fs::path kGoldenDir = fs::path(FTACCEL_SOURCE_DIR) / "tests" / "data" / "golden";

// Golden copies are stored as FILE.golden so no tool takes them for sources.
constexpr std::string_view kSuffix = ".golden";

// Every file of a package except the bundled Liberty library (tested on its own).
std::map<std::string, std::string> packageFiles(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), root).generic_string();
    if (rel.ends_with(kSuffix)) rel.resize(rel.size() - kSuffix.size());
    if (rel.starts_with("synth/lib/")) continue;
    files[rel] = test::readFile(e.path());
  }
  return files;
}

void checkGolden(const std::string& name, std::vector<std::string> args) {
  test::TempDir tmp;
  const fs::path out = tmp / "pkg";
  args.insert(args.begin(), "generate");
  args.push_back("--out");
  args.push_back(out.string());
  auto r = test::runCli(args);
  REQUIRE(r.exitCode == 0);
  const fs::path golden = kGoldenDir / name;
  if (const char* u = std::getenv("FTACCEL_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    fs::remove_all(golden);
    fs::create_directories(golden);
    for (const auto& [rel, text] : packageFiles(out)) test::writeFile(golden / (rel + std::string(kSuffix)), text);
    SUCCEED("updated " << golden);
    return;
  }
  const auto want = packageFiles(golden);
  const auto got = packageFiles(out);
  REQUIRE(!want.empty());
  for (const auto& [rel, text] : want) {
    INFO(name << "/" << rel << " (regenerate with FTACCEL_UPDATE_GOLDEN=1 if the change is intended)");
    REQUIRE(got.count(rel) == 1);
    CHECK(got.at(rel) == text);
  }
  CHECK(got.size() == want.size());
}

}  // namespace

TEST_CASE("golden: WS 2x3", "[golden]") {
  checkGolden("ws2x3", {"--set", "array.rows=2", "--set", "array.cols=3"});
}
TEST_CASE("golden: WS 3x2 with bypass", "[golden][bypass]") {
  checkGolden("ws3x2_byp", {"--set", "array.rows=3", "--set", "array.cols=2", "--set", "protect.bypass=true"});
}
TEST_CASE("golden: WS 1x1 4-bit", "[golden]") {
  checkGolden("ws1x1_d4", {"--set", "array.rows=1", "--set", "array.cols=1", "--set", "data.bits=4"});
}
TEST_CASE("golden: IS 2x2 6-bit", "[golden][is]") {
  checkGolden("is2x2_d6", {"--set", "array.dataflow=is", "--set", "array.rows=2", "--set", "array.cols=2",
                           "--set", "data.bits=6"});
}
TEST_CASE("golden: OS 2x3 with bypass", "[golden][os]") {
  checkGolden("os2x3_byp", {"--set", "array.dataflow=os", "--set", "array.rows=2", "--set", "array.cols=3",
                            "--set", "protect.bypass=true", "--set", "array.max_k=16"});
}
TEST_CASE("golden: fault-injection variants WS 2x2 and OS 2x2", "[golden][faults]") {
  checkGolden("fi_ws2x2", {"--fault-injection", "--set", "array.rows=2", "--set", "array.cols=2"});
  checkGolden("fi_os2x2", {"--fault-injection", "--set", "array.dataflow=os", "--set", "array.rows=2",
                           "--set", "array.cols=2", "--set", "array.max_k=8"});
}
