// Diagnostics: user-input problems collected with a location and reported together.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ftaccel::diag {

enum class Severity { Warning, Error };

// Where in the user's input a problem was found. `file` may be "<default>" or "--set".
struct Location {
  std::string file;
  int line = 0;    // 1-based, 0 = unknown
  int column = 0;  // 1-based, 0 = unknown
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;  // stable identifier, see DiagCodes.h
  std::optional<Location> location;
  std::string message;
};

// Collects diagnostics; callers check hasErrors() at phase boundaries.
class DiagnosticBag {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(std::string code, std::optional<Location> loc, std::string message);
  void warning(std::string code, std::optional<Location> loc, std::string message);

  bool hasErrors() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string format() const;  // one line each: "file:line:col: error[code]: message"

 private:
  std::vector<Diagnostic> items_;
};

// Thrown at a phase boundary when the bag holds errors; the CLI prints and exits non-zero.
class DiagnosticError : public std::runtime_error {
 public:
  explicit DiagnosticError(DiagnosticBag bag);
  const DiagnosticBag& bag() const { return bag_; }

 private:
  DiagnosticBag bag_;
};

// One error at a phase boundary: builds the bag and throws it.
[[noreturn]] void throwError(std::string code, std::optional<Location> loc, std::string message);

// Internal invariant check: a failure is a bug in ftaccel, not in the user's input.
[[noreturn]] void assertionFailed(const char* expr, const char* file, int line);
#define FTACCEL_ASSERT(cond) \
  ((cond) ? static_cast<void>(0) : ::ftaccel::diag::assertionFailed(#cond, __FILE__, __LINE__))

}  // namespace ftaccel::diag
