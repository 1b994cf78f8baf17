// Campaign process hygiene: kills at random moments (SIGKILL, SIGTERM, SIGINT) and resumes
// leave exactly the records of an uninterrupted run and no process behind; one writer per
// results file; full disks and unwritable files stop the run without losing a record.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "TestUtil.h"

extern char** environ;

using namespace ftaccel;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// WS 4x4 (the model CampaignTests builds); the naive engine with long workloads makes a run
// last long enough to be interrupted in the middle.
const std::vector<std::string> kHygieneIp = {"--set", "array.rows=4", "--set", "array.cols=4"};

std::vector<std::string> campaignArgs(const fs::path& out, const std::vector<std::string>& extra) {
  std::vector<std::string> a = {"campaign", "-q", "--out", out.string()};
  a.insert(a.end(), kHygieneIp.begin(), kHygieneIp.end());
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

flow::ProcessResult hygieneCampaign(const fs::path& out, const std::vector<std::string>& extra) {
  test::useTestCache();
  return test::runCli(campaignArgs(out, extra));
}

// Starts the CLI in the background, output to `log`.
pid_t startCli(const std::vector<std::string>& args, const fs::path& log) {
  test::useTestCache();
  std::vector<std::string> argv = {FTACCEL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> p;
  for (auto& a : argv) p.push_back(a.data());
  p.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
  // Default dispositions, whatever this process inherited (a background job ignores SIGINT).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, p[0], &fa, &attr, p.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  REQUIRE(rc == 0);
  return pid;
}

// The fault lines of a results file by index (the raw text), checking there are no duplicates.
struct HygieneResults {
  std::string header;
  long faultFree = 0;
  std::map<long, std::string> faults;
  bool wholeLines = true;  // ends with a newline
};

HygieneResults readHygieneResults(const fs::path& file) {
  HygieneResults r;
  const std::string text = fs::exists(file) ? test::readFile(file) : std::string();
  r.wholeLines = text.empty() || text.back() == '\n';
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof() && !r.wholeLines) break;  // a cut-off last line (only a SIGKILL leaves one)
    const json j = json::parse(line);
    if (j["type"] == "header") r.header = line;
    if (j["type"] == "fault_free") ++r.faultFree;
    if (j["type"] == "fault") {
      const long k = j["index"].get<long>();
      INFO("index " << k);
      REQUIRE(r.faults.count(k) == 0);  // never duplicated
      r.faults[k] = line;
    }
  }
  return r;
}

// A /proc file of a process that may end while it is read ("" then).
std::string readProc(const fs::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, (size_t)n);
  ::close(fd);
  return text;
}

// The program a process runs (first word of its command line).
std::string programOf(pid_t pid) {
  const std::string cmdline = readProc("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.substr(0, cmdline.find('\0'));
}

// Live processes (zombies excepted) other than this one whose command line contains `text`:
// ftaccel, the harness and its workers of a campaign writing that file.
std::vector<pid_t> processesNaming(const std::string& text) {
  std::vector<pid_t> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = std::stoi(name);
    if (pid == getpid()) continue;
    const std::string cmdline = readProc(e.path() / "cmdline"), statLine = readProc(e.path() / "stat");
    const size_t close = statLine.rfind(')');
    const char state = close != std::string::npos && close + 2 < statLine.size() ? statLine[close + 2] : '?';
    // The harness gets its options (the results path among them) as one JSON file.
    std::string named = cmdline;
    std::istringstream args(cmdline);
    for (std::string arg, prev; std::getline(args, arg, '\0'); prev = arg)
      if (prev == "--options") named += readProc(arg);
    if (named.find(text) != std::string::npos && state != 'Z') found.push_back(pid);
  }
  return found;
}

// The harness: the process naming the file (on its command line or in its options file) whose
// command line runs the cached model.
pid_t harnessOf(const fs::path& path) {
  for (pid_t p : processesNaming(path.string()))
    if (programOf(p).ends_with("/obj/cosim")) return p;
  return 0;
}

// Polls `done` every 10 ms for at most `limit` (a guard against hangs, not a timing check).
template <typename F>
bool waitFor(F done, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

long fileSize(const fs::path& f) {
  std::error_code ec;
  const auto n = fs::file_size(f, ec);
  return ec ? 0 : (long)n;
}

void requireSameRecords(const HygieneResults& got, const HygieneResults& ref) {
  REQUIRE(got.header == ref.header);
  REQUIRE(got.faultFree == 1);
  REQUIRE(got.faults.size() == ref.faults.size());
  for (const auto& [k, line] : ref.faults) {
    INFO("fault index " << k);
    REQUIRE(got.faults.count(k) == 1);
    REQUIRE(got.faults.at(k) == line);
  }
}

}  // namespace

TEST_CASE("campaign: random kills with SIGKILL SIGTERM SIGINT and resumes give the uninterrupted records",
          "[campaign][kill]") {
  test::TempDir dir;
  const long n = 3000;
  const std::vector<std::string> args = {"--model", "seu", "--engine", "naive", "--vectors", "2048",
                                         "--faults", std::to_string(n), "--seed", "11", "-j", "2"};
  auto ref = hygieneCampaign(dir / "ref.jsonl", args);
  INFO(ref.output);
  REQUIRE(ref.exitCode == 0);
  const HygieneResults expected = readHygieneResults(dir / "ref.jsonl");
  REQUIRE((long)expected.faults.size() == n);
  const long refBytes = fileSize(dir / "ref.jsonl");

  const fs::path out = dir / "killed.jsonl";
  std::mt19937 rng(2026);
  const int signals[] = {SIGKILL, SIGTERM, SIGINT};
  int interrupted = 0;
  std::string summary;
  for (int round = 0; round < 9; ++round) {
    const int sig = signals[round % 3];
    const long before = fileSize(out);
    const pid_t pid = startCli(campaignArgs(out, args), dir / "round.log");
    // Odd rounds: a random moment early on (start-up, reference run, first records); even
    // rounds: once the file has grown by a random part of what is left.
    if (round % 2) {
      const auto delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 600)(rng));
      std::this_thread::sleep_for(delay);
    } else {
      const long target =
          before + (long)(std::uniform_real_distribution<double>(0.05, 0.3)(rng) * (double)(refBytes - before));
      waitFor([&] {
        siginfo_t info{};
        return fileSize(out) >= target || (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
                                           info.si_pid == pid);
      });
    }
    const long sizeAtKill = fileSize(out);
    ::kill(pid, sig);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("round " << round << " signal " << sig << "\n" << test::readFile(dir / "round.log"));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;  // it finished first
    ++interrupted;
    summary += fmt::format(" {}@{}", sig == SIGKILL ? "KILL" : sig == SIGTERM ? "TERM" : "INT",
                           readHygieneResults(out).faults.size());
    // ftaccel dies of the signal (or exits 128 + signal after its child has gone).
    const bool byThatSignal = (WIFSIGNALED(status) && WTERMSIG(status) == sig) ||
                              (WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig);
    REQUIRE(byThatSignal);
    if (sig == SIGKILL) {
      // Orphans get their parent-death signal: the harness and its workers go away.
      REQUIRE(waitFor([&] { return processesNaming(out.string()).empty(); }));
      // Orphans that kept running would have finished the campaign.
      if (sizeAtKill < refBytes * 9 / 10) REQUIRE(fileSize(out) < refBytes);
    } else {
      // Forwarded and waited for: nothing is left, and the stop came between two records.
      REQUIRE(processesNaming(out.string()).empty());
      REQUIRE(readHygieneResults(out).wholeLines);
    }
  }
  CHECK(interrupted >= 6);
  std::cout << "kill/resume: " << interrupted << " of 9 rounds interrupted (signal@records):" << summary << "\n";

  auto last = test::runCli(campaignArgs(out, args));
  INFO(last.output);
  REQUIRE(last.exitCode == 0);
  const HygieneResults got = readHygieneResults(out);
  REQUIRE(got.wholeLines);
  REQUIRE((long)got.faults.size() == n);
  requireSameRecords(got, expected);
}

TEST_CASE("campaign: a second writer on the same results file is refused naming the holder's PID",
          "[campaign][hygiene]") {
  test::TempDir dir;
  const fs::path out = dir / "busy.jsonl";
  const std::vector<std::string> args = {"--engine", "naive", "--vectors", "2048", "--faults", "20000", "-j", "2"};

  SECTION("a lock held by this test process") {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    auto r = hygieneCampaign(out, args);
    ::close(fd);
    INFO(r.output);
    REQUIRE(r.exitCode == 2);
    REQUIRE_THAT(r.output, Catch::Contains("is being written by another campaign (PID " +
                                           std::to_string(getpid()) + ")"));
    REQUIRE(fileSize(out) == 0);  // nothing written
  }

  SECTION("a running campaign, refused by ftaccel and by the harness itself") {
    const pid_t first = startCli(campaignArgs(out, args), dir / "first.log");
    REQUIRE(waitFor([&] { return fileSize(out) > 0; }));  // the harness holds the lock now
    const pid_t harness = harnessOf(out);
    REQUIRE(harness > 0);
    const long sizeBefore = fileSize(out);
    auto second = hygieneCampaign(out, args);
    INFO(second.output);
    CHECK(second.exitCode == 2);
    CHECK_THAT(second.output, Catch::Contains("busy.jsonl is being written by another campaign (PID " +
                                              std::to_string(harness) + ")"));
    // The harness's own check (for two runs that pass ftaccel's check at the same moment).
    std::istringstream cmd(readProc("/proc/" + std::to_string(harness) + "/cmdline"));
    std::vector<std::string> argv;
    for (std::string a; std::getline(cmd, a, '\0');) argv.push_back(a);
    auto direct = flow::runProcess(argv, fs::current_path());
    INFO(direct.output);
    CHECK(direct.exitCode == 2);
    CHECK_THAT(direct.output, Catch::Contains("campaign: error:") &&
                                  Catch::Contains("(PID " + std::to_string(harness) + ")"));
    ::kill(first, SIGTERM);
    int status = 0;
    REQUIRE(waitpid(first, &status, 0) == first);
    CHECK(fileSize(out) >= sizeBefore);  // the refused runs took nothing away
    CHECK(processesNaming(out.string()).empty());
  }
}

TEST_CASE("campaign: a full disk or an unwritable results file stops with a clear error and keeps every record",
          "[campaign][hygiene]") {
  test::TempDir dir;
  const std::vector<std::string> args = {"--engine", "naive", "--vectors", "256", "--faults", "600",
                                         "--seed", "4", "-j", "2"};
  auto ref = hygieneCampaign(dir / "ref.jsonl", args);
  REQUIRE(ref.exitCode == 0);
  const HygieneResults expected = readHygieneResults(dir / "ref.jsonl");
  const std::string refText = test::readFile(dir / "ref.jsonl");
  // The first `lines` lines of the reference: what an interrupted run leaves.
  auto prefix = [&](int lines) {
    size_t p = 0;
    for (int i = 0; i < lines; ++i) p = refText.find('\n', p) + 1;
    return refText.substr(0, p);
  };
  auto requireKeptAndResumable = [&](const fs::path& out) {
    const HygieneResults kept = readHygieneResults(out);
    REQUIRE(kept.wholeLines);
    for (const auto& [k, line] : kept.faults) REQUIRE(expected.faults.at(k) == line);
    auto again = hygieneCampaign(out, args);
    INFO(again.output);
    REQUIRE(again.exitCode == 0);
    requireSameRecords(readHygieneResults(out), expected);
  };

  SECTION("a results path below a regular file") {
    test::writeFile(dir / "plain", "x");
    auto r = hygieneCampaign(dir / "plain" / "r.jsonl", args);
    INFO(r.output);
    REQUIRE(r.exitCode == 2);
    REQUIRE_THAT(r.output, Catch::Contains("cannot open the results file for appending: Not a directory"));
  }

  SECTION("a read-only results file with records in it") {
    const fs::path out = dir / "ro.jsonl";
    test::writeFile(out, prefix(40));
    bool readOnly = false;
    if (geteuid() != 0) {
      fs::permissions(out, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
      readOnly = true;
    } else {
      // root ignores permissions; the immutable attribute stops it (ext4, tmpfs and most others)
      readOnly = std::system(("chattr +i '" + out.string() + "' 2>/dev/null").c_str()) == 0;
    }
    if (!readOnly) {
      WARN("cannot make a file read-only for this user here; section not run");
      return;
    }
    auto r = hygieneCampaign(out, args);
    if (geteuid() == 0) std::system(("chattr -i '" + out.string() + "'").c_str());
    else fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write);
    INFO(r.output);
    REQUIRE(r.exitCode == 2);
    REQUIRE_THAT(r.output, Catch::Contains("cannot open the results file for appending"));
    REQUIRE(test::readFile(out) == prefix(40));  // untouched
    requireKeptAndResumable(out);
  }

  SECTION("a file-size limit (ulimit -f): write() fails with EFBIG part-way") {
    const fs::path out = dir / "limited.jsonl";
    rlimit saved{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    rlimit limited = saved;
    limited.rlim_cur = refText.size() / 3;  // children inherit it; the harness ignores SIGXFSZ
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    auto r = hygieneCampaign(out, args);
    setrlimit(RLIMIT_FSIZE, &saved);
    INFO(r.output);
    REQUIRE(r.exitCode == 3);
    REQUIRE_THAT(r.output, Catch::Contains("cannot append to results file") && Catch::Contains("File too large") &&
                               Catch::Contains("the records written before are kept"));
    REQUIRE(fileSize(out) <= (long)limited.rlim_cur);
    REQUIRE(!readHygieneResults(out).faults.empty());
    requireKeptAndResumable(out);
  }

  SECTION("a full file system (a small tmpfs, when this user may mount one)") {
    const fs::path mnt = dir / "mnt";
    fs::create_directories(mnt);
    // Room for about half the records (tmpfs rounds the size up to whole pages).
    const std::string mount = fmt::format("mount -t tmpfs -o size={} ftaccel-test '{}' 2>/dev/null",
                                          refText.size() / 2, mnt.string());
    if (geteuid() != 0 || std::system(mount.c_str()) != 0) {
      WARN("cannot mount a tmpfs here; section not run (the file-size limit section covers the write path)");
      return;
    }
    struct Unmount {
      fs::path m;
      ~Unmount() { std::system(("umount -l '" + m.string() + "'").c_str()); }
    } unmount{mnt};
    const fs::path out = mnt / "full.jsonl";
    auto r = hygieneCampaign(out, args);
    INFO(r.output);
    REQUIRE(r.exitCode == 3);
    REQUIRE_THAT(r.output, Catch::Contains("No space left on device") &&
                               Catch::Contains("the records written before are kept"));
    REQUIRE(!readHygieneResults(out).faults.empty());
    REQUIRE(std::system(("mount -o remount,size=4m '" + mnt.string() + "'").c_str()) == 0);
    requireKeptAndResumable(out);
  }
}

TEST_CASE("sim: an interrupted or killed ftaccel sim leaves no harness running", "[sim][hygiene]") {
  test::TempDir dir;
  // A run of minutes; the seed makes its processes recognizable.
  const std::string seed = "918273645";
  const std::vector<std::string> args = {"sim", "--set", "array.rows=4", "--set", "array.cols=4",
                                         "--vectors", "100000000", "--seed", seed};
  auto harnessRunning = [&] {
    for (pid_t p : processesNaming(seed))
      if (programOf(p).ends_with("/obj/cosim")) return true;
    return false;
  };
  for (const int sig : {SIGTERM, SIGINT, SIGKILL}) {
    INFO("signal " << sig);
    const pid_t pid = startCli(args, dir / "sim.log");
    // Until the harness runs (after a first model build) or ftaccel ended on its own.
    auto ended = [&] {
      siginfo_t info{};
      return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
    };
    REQUIRE(waitFor([&] { return ended() || harnessRunning(); }, std::chrono::minutes(5)));
    INFO(test::readFile(dir / "sim.log"));
    REQUIRE(!ended());
    ::kill(pid, sig);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(((WIFSIGNALED(status) && WTERMSIG(status) == sig) ||
           (WIFEXITED(status) && WEXITSTATUS(status) == 128 + sig)));
    if (sig == SIGKILL) REQUIRE(waitFor([&] { return processesNaming(seed).empty(); }));
    else REQUIRE(processesNaming(seed).empty());  // forwarded and waited for
  }
}
