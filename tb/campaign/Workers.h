// Runs the faults of a campaign in this process or in forked workers. Workers inherit the
// reference snapshots by fork; the parent alone appends their records to the results file, so
// every line in it is whole. Workers die with the parent (PR_SET_PDEATHSIG); a stop signal
// ends the run between records. Prints a progress line (done/total, rate, ETA) every 2 s.
#pragma once

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "campaign/Records.h"
#include "campaign/ResultsFile.h"

namespace ftaccel::campaign {

using RunOne = std::function<std::string(long index, Stats& st)>;

class Progress {
 public:
  Progress(size_t total, bool enabled) : total_(total), enabled_(enabled) {}
  void tick(long finished, bool last = false) {
    const auto now = std::chrono::steady_clock::now();
    if (!enabled_ || (!last && now - last_ < std::chrono::seconds(2))) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? finished / secs : 0;
    const double eta = rate > 0 ? (double)(total_ - (size_t)finished) / rate : 0;
    std::fprintf(stderr, "[campaign] %ld/%zu faults, %.0f/s, ETA %.0f s%s\n", finished, total_, rate, eta,
                 last ? " - done" : "");
  }

 private:
  size_t total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

inline void runSerial(const std::vector<long>& todo, const RunOne& runOne, ResultsFile& out, Stats& total,
                      Progress& progress) {
  for (long k : todo) {
    if (gStopSignal) return;
    out.append(runOne(k, total), 1);
    progress.tick(total.done);
  }
}

// Worker w runs todo[w], todo[w + jobs], ... and reports its counters in a final "#stats" line.
// A stop signal kills the workers (their unsent records are simply run again on resume).
inline void runForked(const std::vector<long>& todo, int jobs, const RunOne& runOne, ResultsFile& out,
                      Stats& total, Progress& progress) {
  std::vector<int> pipes;
  std::vector<pid_t> pids;
  const pid_t parent = getpid();
  for (int w = 0; w < jobs; ++w) {
    int p[2];
    if (pipe(p) != 0) fail("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) fail("fork failed");
    if (pid == 0) {
      // A worker dies with the harness, even when the harness is killed outright.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(1);
      for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, SIG_DFL);
      out.closeInChild();
      for (int q : pipes) ::close(q);  // the other workers' pipes
      ::close(p[0]);
      Stats st;
      std::string buffer;  // a few records per write: the parent then has less to do
      auto last = std::chrono::steady_clock::now();
      for (size_t i = (size_t)w; i < todo.size(); i += (size_t)jobs) {
        buffer += runOne(todo[i], st);
        const auto now = std::chrono::steady_clock::now();
        if (buffer.size() > (1 << 15) || now - last > std::chrono::milliseconds(200)) {
          writeAll(p[1], buffer);
          buffer.clear();
          last = now;
        }
      }
      writeAll(p[1], buffer);
      writeAll(p[1], "#stats " + std::to_string(st.pruned) + " " + std::to_string(st.analytic) + " " +
                         std::to_string(st.violations) + " " + std::to_string(st.cycles) + "\n");
      ::close(p[1]);
      std::fflush(stderr);
      _exit(0);
    }
    ::close(p[1]);
    pipes.push_back(p[0]);
    pids.push_back(pid);
  }
  std::vector<std::string> partial(jobs);
  std::vector<bool> open(jobs, true);
  int openCount = jobs;
  while (openCount > 0 && !gStopSignal) {
    std::vector<pollfd> fds;
    std::vector<int> which;
    for (int w = 0; w < jobs; ++w)
      if (open[w]) {
        fds.push_back({pipes[w], POLLIN, 0});
        which.push_back(w);
      }
    if (poll(fds.data(), fds.size(), 1000) < 0) {
      if (errno == EINTR) continue;
      fail("poll failed");
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const int w = which[i];
      char buf[1 << 16];
      const ssize_t n = ::read(pipes[w], buf, sizeof buf);
      if (n <= 0) {
        open[w] = false;
        --openCount;
        ::close(pipes[w]);
        continue;
      }
      partial[w].append(buf, (size_t)n);
      std::string lines;
      long records = 0;
      size_t begin = 0, nl;
      while ((nl = partial[w].find('\n', begin)) != std::string::npos) {
        const std::string l = partial[w].substr(begin, nl + 1 - begin);
        begin = nl + 1;
        if (l.rfind("#stats ", 0) == 0) {
          long pr = 0, an = 0, vi = 0, cy = 0;
          std::sscanf(l.c_str(), "#stats %ld %ld %ld %ld", &pr, &an, &vi, &cy);
          total.pruned += pr;
          total.analytic += an;
          total.violations += vi;
          total.cycles += cy;
          continue;
        }
        lines += l;
        ++records;
      }
      partial[w].erase(0, begin);
      if (!lines.empty()) out.append(lines, records);
      total.done += records;
    }
    progress.tick(total.done);
  }
  if (gStopSignal)
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
  for (pid_t pid : pids) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (gStopSignal) continue;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("a campaign worker failed");
  }
}

}  // namespace ftaccel::campaign
