// Process runner for Verilator, Yosys, OpenSTA and the co-simulation harness: supervised
// children (process group, parent-death signal, signal forwarding) and posix_spawn for tools.
#include "flow/Process.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>

extern char** environ;

namespace ftaccel::flow {

void raiseStackLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_STACK, &limit) == 0 && limit.rlim_cur != limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_STACK, &limit);
  }
}

namespace {

// ---- supervised children ----------------------------------------------------------------
// runProcess starts every child in its own process group with a parent-death signal, and
// while children run, SIGINT/SIGTERM/SIGHUP received by this process are forwarded to their
// groups (the harness's forked workers included); once the child is gone this process
// re-raises the signal, so an interrupted ftaccel leaves nothing running behind it.

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP};
constexpr const char* kRelayFlag = "--ftaccel-rss-relay";
constexpr int kRelayFd = 3;
constexpr int kMaxGroups = 64;
std::atomic<pid_t> gGroups[kMaxGroups];  // process groups of the running children (0 = free slot)
volatile std::sig_atomic_t gReceived = 0;
std::mutex gHandlerMutex;
int gRunning = 0;  // supervised children; the handlers are installed while it is positive
struct sigaction gPrevious[std::size(kForwarded)];

extern "C" void forwardSignal(int sig) {
  gReceived = sig;
  for (auto& g : gGroups)
    if (const pid_t p = g.load(); p > 0) ::kill(-p, sig);
}

// Installs the forwarding handlers for the lifetime of one child and holds its group's slot.
class Supervision {
 public:
  Supervision() {
    std::lock_guard<std::mutex> lock(gHandlerMutex);
    if (gRunning++ == 0) {
      gReceived = 0;
      struct sigaction sa {};
      sa.sa_handler = forwardSignal;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART;  // reads and waits go on until the child has gone
      // A signal ignored on entry (nohup, a background job of a script) stays ignored.
      for (size_t i = 0; i < std::size(kForwarded); ++i) {
        sigaction(kForwarded[i], nullptr, &gPrevious[i]);
        if (gPrevious[i].sa_handler != SIG_IGN) sigaction(kForwarded[i], &sa, nullptr);
      }
    }
  }
  ~Supervision() {
    if (slot_ >= 0) gGroups[slot_].store(0);
    int sig = 0;
    {
      std::lock_guard<std::mutex> lock(gHandlerMutex);
      if (--gRunning == 0) {
        for (size_t i = 0; i < std::size(kForwarded); ++i) sigaction(kForwarded[i], &gPrevious[i], nullptr);
        sig = gReceived;
        gReceived = 0;
      }
    }
    // The child has been waited for: now take the signal as this process would have.
    if (sig != 0) {
      ::raise(sig);
      std::_Exit(128 + sig);  // the previous disposition handled it and returned
    }
  }
  Supervision(const Supervision&) = delete;
  Supervision& operator=(const Supervision&) = delete;

  // Registers the child's group; a signal that arrived before it is forwarded now.
  void attach(pid_t group) {
    for (int i = 0; i < kMaxGroups && slot_ < 0; ++i) {
      pid_t expected = 0;
      if (gGroups[i].compare_exchange_strong(expected, group)) slot_ = i;
    }
    if (const int sig = gReceived) ::kill(-group, sig);
  }
  // What the child must restore: ignored signals stay ignored (nohup), the rest default.
  bool ignored(size_t i) const { return gPrevious[i].sa_handler == SIG_IGN; }

 private:
  int slot_ = -1;
};

// Starts argv in workDir with stdin from /dev/null, stdout on `outFd` and stderr on `errFd`
// (-1: this process's). The child gets its own process group and SIGTERM when this thread
// dies (PR_SET_PDEATHSIG), checked against the race with a parent that died before it was set.
pid_t startSupervised(const std::vector<std::string>& argv, const std::filesystem::path& workDir, int outFd,
                      int errFd, Supervision& sup, int reportFd = -1) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int execPipe[2];  // carries errno when exec fails; closed by a successful exec
  if (pipe2(execPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  bool ignore[std::size(kForwarded)];
  for (size_t i = 0; i < std::size(kForwarded); ++i) ignore[i] = sup.ignored(i);
  sigset_t forwarded, previousMask;
  sigemptyset(&forwarded);
  for (int s : kForwarded) sigaddset(&forwarded, s);
  // Blocked until the group is registered, so no signal slips between fork and attach.
  pthread_sigmask(SIG_BLOCK, &forwarded, &previousMask);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Child: async-signal-safe calls only (the parent may have threads).
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(128 + SIGTERM);
    struct sigaction sa {};
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < std::size(kForwarded); ++i) {
      sa.sa_handler = ignore[i] ? SIG_IGN : SIG_DFL;
      sigaction(kForwarded[i], &sa, nullptr);
    }
    // A background group writing to a terminal with `stty tostop` would be stopped.
    sa.sa_handler = SIG_IGN;
    sigaction(SIGTTOU, &sa, nullptr);
    sigprocmask(SIG_SETMASK, &previousMask, nullptr);
    if (devNull >= 0) dup2(devNull, STDIN_FILENO);
    if (outFd >= 0) dup2(outFd, STDOUT_FILENO);
    if (errFd >= 0) dup2(errFd, STDERR_FILENO);
    if (reportFd >= 0) {  // the relay's report pipe on fd 3, kept across the exec
      if (reportFd == kRelayFd) fcntl(kRelayFd, F_SETFD, 0);
      else dup2(reportFd, kRelayFd);
    }
    if (!workDir.empty() && chdir(workDir.c_str()) != 0) {
      const int e = errno;
      (void)!write(execPipe[1], &e, sizeof e);
      _exit(127);
    }
    execvp(args[0], args.data());
    const int e = errno;
    (void)!write(execPipe[1], &e, sizeof e);
    _exit(127);
  }
  if (pid > 0) {
    setpgid(pid, pid);  // also here: whichever runs first; EACCES after the exec is fine
    sup.attach(pid);
  }
  pthread_sigmask(SIG_SETMASK, &previousMask, nullptr);
  if (devNull >= 0) ::close(devNull);
  ::close(execPipe[1]);
  if (pid < 0) {
    ::close(execPipe[0]);
    throw std::runtime_error("fork() failed");
  }
  int childErrno = 0;
  ssize_t n;
  while ((n = ::read(execPipe[0], &childErrno, sizeof childErrno)) < 0 && errno == EINTR) {
  }
  ::close(execPipe[0]);
  if (n > 0) {
    waitpid(pid, nullptr, 0);
    throw std::runtime_error("cannot start '" + argv[0] + "': " + std::strerror(childErrno) +
                             " (is it installed? run 'make deps')");
  }
  return pid;
}

}  // namespace

void runRssRelayIfAsked(int argc, char** argv) {
  if (argc < 3 || std::strcmp(argv[1], kRelayFlag) != 0) return;
  fcntl(kRelayFd, F_SETFD, FD_CLOEXEC);  // the report pipe is the relay's, not the tool's
  const pid_t relay = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != relay) _exit(128 + SIGTERM);
    execvp(argv[2], argv + 2);
    const std::string msg = std::string("cannot start '") + argv[2] + "': " + std::strerror(errno) +
                            " (is it installed? run 'make deps')\n";
    (void)!write(STDERR_FILENO, msg.data(), msg.size());
    _exit(127);
  }
  if (pid < 0) _exit(127);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  const std::string report = std::to_string(usage.ru_maxrss) + " " +  // Linux: KiB
                             std::to_string(seconds(usage.ru_utime) + seconds(usage.ru_stime)) + "\n";
  (void)!write(kRelayFd, report.data(), report.size());
  if (WIFSIGNALED(status)) {
    std::signal(WTERMSIG(status), SIG_DFL);
    ::raise(WTERMSIG(status));
  }
  std::_Exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

ProcessResult runProcess(const std::vector<std::string>& toolArgv, const std::filesystem::path& workDir,
                         const std::filesystem::path& logFile, bool measureRss) {
  ProcessResult result;
  std::vector<std::string> argv = toolArgv;
  int reportPipe[2] = {-1, -1};
  if (measureRss) {
    char self[4096];
    const ssize_t len = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) throw std::runtime_error("cannot find this executable (/proc/self/exe)");
    argv.insert(argv.begin(), {std::string(self, static_cast<size_t>(len)), kRelayFlag});
    if (pipe2(reportPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  }
  auto start = std::chrono::steady_clock::now();
  int pipeFds[2];
  // O_CLOEXEC: children started in parallel must not inherit each other's pipe.
  if (pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2() failed");
  int errFd = pipeFds[1];  // merged into the output
  if (logFile == "-") {
    errFd = -1;  // stderr stays the caller's: progress lines reach the user while the run goes on
  } else if (!logFile.empty()) {
    errFd = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (errFd < 0) {
      ::close(pipeFds[0]);
      ::close(pipeFds[1]);
      throw std::runtime_error("cannot write " + logFile.string() + ": " + std::strerror(errno));
    }
  }
  Supervision sup;  // declared before the child starts, destroyed after it has been waited for
  pid_t pid;
  try {
    pid = startSupervised(argv, workDir, pipeFds[1], errFd, sup, reportPipe[1]);
  } catch (...) {
    for (int fd : reportPipe)
      if (fd >= 0) ::close(fd);
    if (errFd >= 0 && errFd != pipeFds[1]) ::close(errFd);
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    throw;
  }
  if (errFd >= 0 && errFd != pipeFds[1]) ::close(errFd);
  close(pipeFds[1]);
  if (reportPipe[1] >= 0) ::close(reportPipe[1]);
  char buf[65536];
  ssize_t n;
  while ((n = read(pipeFds[0], buf, sizeof buf)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    result.output.append(buf, static_cast<size_t>(n));
  }
  close(pipeFds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (reportPipe[0] >= 0) {  // the relay has exited: its report (if any) is in the pipe
    std::string report;
    while ((n = read(reportPipe[0], buf, sizeof buf)) != 0) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      report.append(buf, static_cast<size_t>(n));
    }
    ::close(reportPipe[0]);
    char* end = nullptr;
    result.maxRssKb = std::strtol(report.c_str(), &end, 10);
    result.cpuSeconds = std::strtod(end, nullptr);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

namespace {

// posix_spawnp in `workDir`; returns the exit status, throws when the tool cannot start.
int spawnAndWait(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                 posix_spawn_file_actions_t& actions) {
  if (!workDir.empty()) posix_spawn_file_actions_addchdir_np(&actions, workDir.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start '" + argv[0] + "' (is it installed? run 'make deps')");
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int runProcessToFiles(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                      const std::filesystem::path& outFile, const std::filesystem::path& errFile) {
  // Absolute paths: the child changes into workDir before the files are opened.
  const auto out = std::filesystem::absolute(outFile);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (errFile.empty()) {
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  } else {
    const auto err = std::filesystem::absolute(errFile);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  return spawnAndWait(argv, workDir, actions);
}

bool haveTool(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string p = path;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::filesystem::path candidate = std::filesystem::path(p.substr(start, end - start)) / name;
    if (access(candidate.c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::string tailOfFile(const std::filesystem::path& file, int lines) {
  std::ifstream in(file);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "  " + l + "\n";
  return out;
}

}  // namespace ftaccel::flow
