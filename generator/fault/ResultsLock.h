// Exclusive writer lock on a campaign results file (flock) and who holds it (/proc/locks).
// Header-only, POSIX/Linux and standard C++ only: also compiled into the co-simulation harness.
#pragma once

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace ftaccel::fault {

// The PID that holds a flock() on the file open as `fd`, from /proc/locks (its line reads
// "N: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE 0 EOF", device numbers in hex); 0 when unknown.
inline long flockHolder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return 0;
  std::ifstream in("/proc/locks");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string id, type, mode, access, pid, file;
    words >> id >> type;
    if (type == "->") words >> type;  // a blocked waiter, not a holder
    else if (words >> mode >> access >> pid >> file && type == "FLOCK") {
      unsigned maj = 0, min = 0;
      unsigned long ino = 0;
      if (std::sscanf(file.c_str(), "%x:%x:%lu", &maj, &min, &ino) == 3 && maj == major(st.st_dev) &&
          min == minor(st.st_dev) && ino == st.st_ino)
        return std::stol(pid);
    }
  }
  return 0;
}

// Takes the exclusive lock without waiting. Returns "" on success, else the refusal message
// naming the holder's PID.
inline std::string lockResultsFile(int fd, const std::string& path) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return "";
  long holder = 0;
  for (int attempt = 0; attempt < 3 && holder == 0; ++attempt) holder = flockHolder(fd);
  return path + " is being written by another campaign (" +
         (holder > 0 ? "PID " + std::to_string(holder) : std::string("a process /proc/locks does not name")) +
         "); wait for it to finish or stop it, or choose another --out";
}

}  // namespace ftaccel::fault
