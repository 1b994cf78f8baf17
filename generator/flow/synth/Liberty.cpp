// Liberty preparation for the tools: the embedded generic library, .gz decompression, the name.
#include "flow/synth/Liberty.h"

#include <fstream>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

#include "flow/FileIo.h"
#include "flow/Process.h"
#include "flow/synth/Scripts.h"

namespace ftaccel::embedded {
extern const std::string_view kGenericLiberty;
}

namespace ftaccel::flow {

namespace fs = std::filesystem;

std::string_view genericLiberty() { return ftaccel::embedded::kGenericLiberty; }

namespace synth {

std::string libraryName(const fs::path& lib) {
  std::ifstream in(lib, std::ios::binary);
  std::string head(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  // Drop /* comments */ so that prose mentioning "library (" does not match.
  static const std::regex comment(R"(/\*[\s\S]*?\*/)");
  head = std::regex_replace(head, comment, " ");
  static const std::regex nameRe(R"re(library\s*\(\s*"?([^"\s)]+)"?\s*\))re");
  std::smatch m;
  if (std::regex_search(head, m, nameRe)) return m[1];
  return lib.stem().string();
}

PreparedLiberty prepareLiberty(const SynthRequest& req, const fs::path& workDir,
                               const ProgressFn& progress) {
  PreparedLiberty lib;
  if (!req.liberty) {
    lib.path = "ftaccel_generic.lib";
    writeFile(workDir / lib.path, genericLiberty());
    lib.technology = "ftaccel generic";
    lib.areaUnit = "NAND2-eq";
    return lib;
  }
  const fs::path src = fs::absolute(*req.liberty);
  if (!fs::is_regular_file(src))
    throw std::runtime_error(fmt::format("liberty file not found: {}", src.string()));
  if (src.extension() == ".gz") {
    // Decompressed once; ABC and OpenSTA 2019 need a plain file.
    lib.path = "lib.lib";
    const fs::path part = workDir / "lib.lib.part";
    const fs::path log = workDir / "lib.gunzip.log";
    if (progress) progress(fmt::format("gunzip: {}", src.filename().string()));
    const int rc = runProcessToFiles({"gzip", "-dc", src.string()}, workDir, part, log);
    if (rc != 0)
      throw std::runtime_error(
          fmt::format("cannot decompress liberty file {}; see {}", src.string(), log.string()));
    fs::rename(part, workDir / lib.path);
  } else if (needsQuoting(src.string())) {
    // Yosys passes take file names verbatim, so names with blanks are copied first.
    lib.path = "lib.lib";
    fs::copy_file(src, workDir / lib.path, fs::copy_options::overwrite_existing);
  } else {
    lib.path = src;
  }
  lib.technology = libraryName(workDir / lib.path);
  lib.areaUnit = "um^2";
  return lib;
}

}  // namespace synth
}  // namespace ftaccel::flow
