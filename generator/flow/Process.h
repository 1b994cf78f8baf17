// Running external tools: capture output, exit code and wall time.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ftaccel::flow {

struct ProcessResult {
  int exitCode = -1;
  std::string output;  // stdout (and stderr when merged)
  double seconds = 0;
  // With `measureRss`: peak resident set of the tool and the descendants it waited for, KiB
  // (0 when not measured). See runRssRelayIfAsked for why a relay process starts the tool.
  long maxRssKb = 0;
  double cpuSeconds = 0;  // with `measureRss`: the tool's user + system CPU time, descendants included
};

// A child's ru_maxrss also counts the memory of the process it was forked from: fork copies
// the parent's page tables and exec records their high-water mark into the child (Linux
// exec_mmap), so a tool started by a generator holding a 256x256 IR would report the IR.
// runProcess with `measureRss` therefore starts the tool through a relay: this executable
// again (/proc/self/exe, a few MB at that point), which forks the tool, waits for it with
// wait4 and writes the tool's ru_maxrss to fd 3. Every main() that calls runProcess with
// `measureRss` must call this first; it returns when argv is not a relay request and does not
// return otherwise (it exits with the tool's status, or dies of the tool's signal).
void runRssRelayIfAsked(int argc, char** argv);

// Raises this process's soft stack limit to the hard limit, so that the models it starts
// inherit it: Verilator's evaluation of large designs keeps wide temporaries on the stack
// (Verilator's own launcher does `ulimit -s unlimited` for the same reason).
void raiseStackLimit();

// Runs `argv` (no shell) in `workDir`, stdout to the result, stderr to `logFile` (or merged
// into the output when logFile is empty, inherited when it is "-"), stdin from /dev/null.
// The child runs in its own process group and gets SIGTERM if the calling thread dies
// (PR_SET_PDEATHSIG); SIGINT, SIGTERM and SIGHUP sent to this process while it runs are
// forwarded to its group, and once it has exited this process takes the signal itself
// (default action: it dies with it, exit status 128 + signal), so nothing is left behind.
// With `measureRss` the tool runs under the relay (runRssRelayIfAsked) and maxRssKb is its
// peak RSS (floor: the relay's own few MB, which the tool's process starts from).
ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                         const std::filesystem::path& logFile = {}, bool measureRss = false);

// Runs `argv` (no shell) in `workDir` with stdout written to `outFile` and stderr to
// `errFile`, or to `outFile` as well when `errFile` is empty. Returns the exit status.
int runProcessToFiles(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                      const std::filesystem::path& outFile,
                      const std::filesystem::path& errFile = {});

// Whether an executable is on PATH.
bool haveTool(const std::string& name);

// Last `lines` lines of a text file (for error messages).
std::string tailOfFile(const std::filesystem::path& file, int lines = 20);

}  // namespace ftaccel::flow
