// Reads a contract struct from the JSON options file the generator hands the harness.
// Standard C++ plus nlohmann-json: compiled on both sides.
#pragma once

#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace ftaccel::contract {

// The parsed options, or nothing with `error` saying why (unreadable file, bad JSON, a missing
// or mistyped field).
template <typename Options>
std::optional<Options> readOptionsFile(const std::string& file, std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = "cannot read " + file;
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(in).get<Options>();
  } catch (const nlohmann::json::exception& e) {
    error = file + ": " + e.what();
    return std::nullopt;
  }
}

}  // namespace ftaccel::contract
