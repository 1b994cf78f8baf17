// Diagnostic collection and formatting.
#include "diag/Diagnostics.h"

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

namespace ftaccel::diag {

void throwError(std::string code, std::optional<Location> loc, std::string message) {
  DiagnosticBag bag;
  bag.error(std::move(code), std::move(loc), std::move(message));
  throw DiagnosticError(std::move(bag));
}

void DiagnosticBag::error(std::string code, std::optional<Location> loc, std::string message) {
  add({Severity::Error, std::move(code), std::move(loc), std::move(message)});
}

void DiagnosticBag::warning(std::string code, std::optional<Location> loc, std::string message) {
  add({Severity::Warning, std::move(code), std::move(loc), std::move(message)});
}

bool DiagnosticBag::hasErrors() const {
  for (const auto& d : items_)
    if (d.severity == Severity::Error) return true;
  return false;
}

std::string DiagnosticBag::format() const {
  std::string out;
  for (const auto& d : items_) {
    if (d.location) {
      out += d.location->file;
      if (d.location->line > 0) out += fmt::format(":{}", d.location->line);
      if (d.location->column > 0) out += fmt::format(":{}", d.location->column);
      out += ": ";
    }
    out += fmt::format("{}[{}]: {}\n", d.severity == Severity::Error ? "error" : "warning",
                       d.code, d.message);
  }
  return out;
}

DiagnosticError::DiagnosticError(DiagnosticBag bag)
    : std::runtime_error(bag.format()), bag_(std::move(bag)) {}

void assertionFailed(const char* expr, const char* file, int line) {
  std::cerr << fmt::format("ftaccel internal error: assertion '{}' failed at {}:{}\n", expr,
                           file, line);
  std::abort();
}

}  // namespace ftaccel::diag
