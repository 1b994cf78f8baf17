// Liberty preparation for the tools: the embedded generic library, .gz decompression, the name.
#pragma once

#include <filesystem>
#include <string>

#include "flow/Synth.h"

namespace ftaccel::flow::synth {

struct PreparedLiberty {
  std::filesystem::path path;  // as the tools see it from inside the work directory
  std::string technology;      // library name, or "ftaccel generic"
  std::string areaUnit;        // "um^2" for real libraries, "NAND2-eq" for the generic one
};

// Puts the requested library (or the generic one) where Yosys and OpenSTA can read it.
// Throws std::runtime_error naming the file when it is missing or cannot be decompressed.
PreparedLiberty prepareLiberty(const SynthRequest& req, const std::filesystem::path& workDir,
                               const ProgressFn& progress);

// Liberty name as written in `library (name)` near the top of the file; the file stem if none.
std::string libraryName(const std::filesystem::path& lib);

}  // namespace ftaccel::flow::synth
