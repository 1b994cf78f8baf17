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
};

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
ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                         const std::filesystem::path& logFile = {});

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
