// Small helpers shared by the parsers of command-line specifications (--bypass, --pe-fault).
#pragma once

#include <optional>
#include <string>

namespace ftaccel::flow {

// `text` as an index in 0..limit-1, or nothing when it is not exactly such a decimal number.
inline std::optional<int> parseIndex(const std::string& text, int limit) {
  size_t used = 0;
  int v = -1;
  try {
    v = std::stoi(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (text.empty() || used != text.size() || v < 0 || v >= limit) return std::nullopt;
  return v;
}

}  // namespace ftaccel::flow
