// Whole-file reads and writes shared by the flows.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ftaccel::flow {

// Throws std::runtime_error naming the file when it cannot be read.
std::string readFile(const std::filesystem::path& path);

// Creates parent directories and writes through "<path>.part" + rename, so a reader never
// sees a truncated file. Throws std::runtime_error naming the file (and removes the partial one).
void writeFile(const std::filesystem::path& path, std::string_view text);

// A fresh private directory under the system temp directory, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace ftaccel::flow
