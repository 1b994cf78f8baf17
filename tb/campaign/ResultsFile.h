// The results file of a campaign: opened for appending under an exclusive lock for the whole
// run, written only by the harness parent; a failed write is rolled back to the last whole
// record and stops the run with a clear error, so no record already written is ever lost.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "campaign/Common.h"
#include "fault/ResultsLock.h"

namespace ftaccel::campaign {

// SIGINT/SIGTERM/SIGHUP (from ftaccel, or the parent-death signal when ftaccel was killed):
// before the results file is open the harness just exits; afterwards the run stops between
// two records, so the file never ends in a cut-off line.
inline volatile std::sig_atomic_t gStopSignal = 0;
inline volatile std::sig_atomic_t gWriting = 0;

inline void onStopSignal(int sig) {
  if (!gWriting) _exit(128 + sig);
  gStopSignal = sig;
}

inline void installStopHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll() returns and the loop sees the flag
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaction(s, &sa, nullptr);
  // A file-size limit (ulimit -f) makes write() fail with EFBIG instead of killing us.
  std::signal(SIGXFSZ, SIG_IGN);
}

class ResultsFile {
 public:
  // Opens (creating) and locks the file; a second writer is refused with exit status 2.
  explicit ResultsFile(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot open results file " + path + " for appending: " + std::strerror(errno));
    const std::string refused = ftaccel::fault::lockResultsFile(fd_, path);
    if (!refused.empty()) fail(refused);
    gWriting = 1;
  }
  ~ResultsFile() { close(); }
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  // Call once resume() has checked (and maybe truncated) the file: appends start here.
  void start(size_t recorded) {
    end_ = ::lseek(fd_, 0, SEEK_END);
    records_ = (long)recorded;
  }

  // Appends whole lines (`records` fault records among them). On a write error the file is
  // cut back to where this write started and the run stops with exit status 3.
  void append(const std::string& lines, long records = 0) {
    size_t off = 0;
    while (off < lines.size()) {
      const ssize_t n = ::write(fd_, lines.data() + off, lines.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int e = n < 0 ? errno : ENOSPC;
        const bool cut = ::ftruncate(fd_, end_) == 0;
        std::fprintf(stderr,
                     "campaign: error: cannot append to results file %s: %s; %s, %ld fault records are in "
                     "it; make room and rerun the same command to resume\n",
                     path_.c_str(), std::strerror(e),
                     cut ? "the records written before are kept" : "its last line may be cut off",
                     records_);
        std::exit(3);
      }
      off += (size_t)n;
    }
    end_ += (off_t)lines.size();
    records_ += records;
  }

  // Forked workers must not keep the file (and so its lock) open.
  void closeInChild() {
    ::close(fd_);
    fd_ = -1;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  long records() const { return records_; }
  bool empty() const { return end_ == 0; }  // e.g. a killed run's cut-off header was dropped

 private:
  std::string path_;
  int fd_ = -1;
  off_t end_ = 0;
  long records_ = 0;
};

}  // namespace ftaccel::campaign
