// The shipped scale-out scripts: GNU parallel over --shard i/n (run here, local cores and the
// --sshlogin path with ':' = this machine) and the Slurm array script (syntax, its per-task
// command with SLURM_ARRAY_TASK_ID set, the merge step, and its two sbatch submissions).
#include <catch2/catch.hpp>

#include <map>

#include <nlohmann/json.hpp>

#include "TestUtil.h"

using namespace ftaccel;
namespace fs = std::filesystem;

namespace {

const fs::path kScripts = fs::path(FTACCEL_SOURCE_DIR) / "scripts";
const std::vector<std::string> kCampaign = {"--set", "array.rows=4", "--set", "array.cols=4", "--vectors", "8",
                                            "--model", "mbu", "--faults", "900", "--seed", "21"};

void useBinary() {
  test::useTestCache();
  setenv("FTACCEL", FTACCEL_BINARY, 1);
}

flow::ProcessResult run(std::vector<std::string> argv) { return flow::runProcess(argv, fs::current_path()); }

// The outcome table without the lines that say how the records were split into files.
std::string withoutFileLines(const std::string& report) {
  std::istringstream in(report);
  std::string line, out;
  while (std::getline(in, line))
    if (!line.starts_with("files ") && !line.starts_with("fault-free ") && !line.starts_with("[ftaccel]"))
      out += line + "\n";
  return out;
}

// Fault records by index over several files (raw lines).
std::map<long, std::string> faultsOf(const std::vector<fs::path>& files) {
  std::map<long, std::string> faults;
  for (const auto& f : files) {
    std::istringstream in(test::readFile(f));
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      if (j["type"] != "fault") continue;
      REQUIRE(faults.emplace(j["index"].get<long>(), line).second);
    }
  }
  return faults;
}

// The unsharded campaign and its report, the reference both scripts must reproduce.
struct Unsharded {
  std::string report;
  std::map<long, std::string> faults;
};

Unsharded unsharded(const test::TempDir& dir) {
  std::vector<std::string> argv = {"campaign", "-q", "-j", "1", "--out", (dir / "whole.jsonl").string()};
  argv.insert(argv.end(), kCampaign.begin(), kCampaign.end());
  auto r = test::runCli(argv);
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  auto rep = test::runCli({"campaign-report", (dir / "whole.jsonl").string()});
  REQUIRE(rep.exitCode == 0);
  return {withoutFileLines(rep.output), faultsOf({dir / "whole.jsonl"})};
}

std::vector<fs::path> shardFiles(const fs::path& outdir, int n) {
  std::vector<fs::path> files;
  for (int i = 0; i < n; ++i) files.push_back(outdir / fmt::format("shard-{}-of-{}.jsonl", i, n));
  return files;
}

}  // namespace

TEST_CASE("scale-out: GNU parallel runs the shards and the merged report equals the unsharded one",
          "[campaign][scaleout]") {
  useBinary();
  REQUIRE(flow::haveTool("parallel"));  // the Debian package `parallel` (make deps installs it)
  test::TempDir dir;
  const Unsharded whole = unsharded(dir);
  for (const std::string& hosts : {std::string(), std::string("2/:")}) {
    INFO("--sshlogin '" << hosts << "'");
    const fs::path outdir = dir / ("par" + hosts.substr(0, 1));
    std::vector<std::string> argv = {"bash", (kScripts / "campaign-parallel.sh").string(), "-n", "3", "-o",
                                     outdir.string()};
    if (!hosts.empty()) argv.insert(argv.end(), {"-S", hosts});
    argv.push_back("--");
    argv.insert(argv.end(), kCampaign.begin(), kCampaign.end());
    auto r = run(argv);
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.output, Catch::Contains("files      3 (3 shards)"));
    CHECK(withoutFileLines(test::readFile(outdir / "report.txt")) == whole.report);
    CHECK(faultsOf(shardFiles(outdir, 3)) == whole.faults);
    CHECK(fs::exists(outdir / "report.json"));
    // Rerunning resumes every shard: nothing is run twice.
    auto again = run(argv);
    REQUIRE(again.exitCode == 0);
    CHECK(faultsOf(shardFiles(outdir, 3)) == whole.faults);
  }
  // Options the script sets itself are refused.
  auto bad = run({"bash", (kScripts / "campaign-parallel.sh").string(), "-n", "3", "-o", (dir / "x").string(), "--",
                  "--faults", "10", "--shard", "0/2"});
  CHECK(bad.exitCode == 2);
  CHECK_THAT(bad.output, Catch::Contains("do not pass --shard"));
}

TEST_CASE("scale-out: the Slurm array script's tasks and merge step reproduce the unsharded campaign",
          "[campaign][scaleout]") {
  useBinary();
  const std::string script = (kScripts / "campaign-slurm.sbatch").string();
  auto syntax = run({"bash", "-n", script});
  INFO(syntax.output);
  REQUIRE(syntax.exitCode == 0);
  test::TempDir dir;
  const Unsharded whole = unsharded(dir);
  const fs::path outdir = dir / "slurm";

  // What each array task of `sbatch --array=0-2` runs; merging before every shard is there
  // is refused.
  for (int task = 0; task < 3; ++task) {
    if (task == 2) {
      auto early = run({"bash", script, "--merge", "3", outdir.string()});
      CHECK(early.exitCode == 2);
      CHECK_THAT(early.output, Catch::Contains("shard 2/3 has no results file"));
    }
    std::vector<std::string> argv = {"env", fmt::format("SLURM_ARRAY_TASK_ID={}", task), "SLURM_ARRAY_TASK_MAX=2",
                                     "SLURM_CPUS_PER_TASK=1", "bash", script, outdir.string(), "--"};
    argv.insert(argv.end(), kCampaign.begin(), kCampaign.end());
    auto r = run(argv);
    INFO("task " << task << "\n" << r.output);
    REQUIRE(r.exitCode == 0);
  }
  // The dependent merge step.
  auto merge = run({"bash", script, "--merge", "3", outdir.string()});
  INFO(merge.output);
  REQUIRE(merge.exitCode == 0);
  CHECK(withoutFileLines(test::readFile(outdir / "report.txt")) == whole.report);
  CHECK(faultsOf(shardFiles(outdir, 3)) == whole.faults);

  // --submit: an array job and a merge job that depends on it (sbatch replaced by a stub).
  const fs::path bin = dir / "bin";
  test::writeFile(bin / "sbatch", "#!/bin/sh\necho \"$@\" >> \"$SBATCH_LOG\"\necho \"4242;cluster\"\n");
  fs::permissions(bin / "sbatch", fs::perms::owner_all);
  const std::string path = bin.string() + ":" + std::getenv("PATH");
  auto submit = run({"env", "PATH=" + path, "SBATCH_LOG=" + (dir / "sbatch.log").string(), "bash", script,
                     "--submit", "3", (dir / "sub").string(), "--", "--faults", "900"});
  INFO(submit.output);
  REQUIRE(submit.exitCode == 0);
  const std::string calls = test::readFile(dir / "sbatch.log");
  CHECK_THAT(calls, Catch::Contains("--array=0-2 ") && Catch::Contains("--dependency=afterok:4242 ") &&
                        Catch::Contains("--merge 3 " + (dir / "sub").string()));
}
