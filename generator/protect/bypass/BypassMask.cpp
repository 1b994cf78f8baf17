// Bypass mask specifications and mask files.
#include "protect/bypass/BypassMask.h"

#include "flow/SpecText.h"

#include <fstream>
#include <random>

#include <fmt/format.h>

namespace ftaccel::flow {

long BypassMask::count() const {
  long n = 0;
  for (bool b : bits) n += b;
  return n;
}

std::string BypassMask::toBitString() const {
  std::string s;
  for (bool b : bits) s += b ? '1' : '0';
  return s;
}

namespace {

[[noreturn]] void fail(const std::string& where, int line, const std::string& message) {
  diag::DiagnosticBag bag;
  bag.error("bypass.bad-mask", diag::Location{where, line, 0}, message);
  throw diag::DiagnosticError(bag);
}

int maskIndex(const std::string& text, const std::string& part, const char* what, int limit) {
  const auto v = flow::parseIndex(text, limit);
  if (!v) fail("--bypass " + part, 0, fmt::format("{} '{}' is out of range; allowed: 0..{}", what, text, limit - 1));
  return *v;
}

void readMaskFile(const std::string& path, BypassMask& mask) {
  std::ifstream in(path);
  if (!in) fail(path, 0, "cannot open the bypass mask file");
  std::string line;
  int lineNo = 0, row = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (row >= mask.rows)
      fail(path, lineNo, fmt::format("more than {} mask rows (the array has {} rows)", mask.rows, mask.rows));
    if (static_cast<int>(line.size()) != mask.cols)
      fail(path, lineNo, fmt::format("expected {} characters '0'/'1' (one per column), got {}", mask.cols,
                                     line.size()));
    for (int c = 0; c < mask.cols; ++c) {
      if (line[c] != '0' && line[c] != '1')
        fail(path, lineNo, fmt::format("column {}: '{}' is not '0' or '1'", c, line[c]));
      if (line[c] == '1') mask.bits[static_cast<size_t>(row) * mask.cols + c] = true;
    }
    ++row;
  }
  if (row != mask.rows)
    fail(path, lineNo, fmt::format("expected {} mask rows, found {}", mask.rows, row));
}

}  // namespace

BypassMask parseBypassMask(const std::string& spec, int rows, int cols, uint64_t seed) {
  BypassMask mask{rows, cols, std::vector<bool>(static_cast<size_t>(rows) * cols, false)};
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ull);
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find('+', start);
    if (end == std::string::npos) end = spec.size();
    const std::string part = spec.substr(start, end - start);
    start = end + 1;
    if (part == "none" || part.empty()) continue;
    const size_t colon = part.find(':');
    const std::string kind = part.substr(0, colon);
    const std::string arg = colon == std::string::npos ? "" : part.substr(colon + 1);
    if (kind == "random") {
      double p = -1;
      try {
        p = std::stod(arg);
      } catch (const std::exception&) {
      }
      if (p < 0 || p > 1) fail("--bypass " + part, 0, "random:P needs a probability P in 0..1");
      std::bernoulli_distribution d(p);
      for (size_t i = 0; i < mask.bits.size(); ++i) mask.bits[i] = mask.bits[i] || d(rng);
    } else if (kind == "row") {
      int r = maskIndex(arg, part, "row", rows);
      for (int c = 0; c < cols; ++c) mask.bits[static_cast<size_t>(r) * cols + c] = true;
    } else if (kind == "col") {
      int c = maskIndex(arg, part, "column", cols);
      for (int r = 0; r < rows; ++r) mask.bits[static_cast<size_t>(r) * cols + c] = true;
    } else if (kind == "pe" && arg.find(',') != std::string::npos) {
      int r = maskIndex(arg.substr(0, arg.find(',')), part, "row", rows);
      int c = maskIndex(arg.substr(arg.find(',') + 1), part, "column", cols);
      mask.bits[static_cast<size_t>(r) * cols + c] = true;
    } else if (kind == "file" && !arg.empty()) {
      readMaskFile(arg, mask);
    } else {
      fail("--bypass " + part, 0,
           "expected none, random:P, row:R, col:C, pe:R,C or file:PATH (joined with '+')");
    }
  }
  return mask;
}

void warnUnproducibleOutputs(const BypassMask& mask, config::Dataflow dataflow,
                             diag::DiagnosticBag& diags) {
  const char* colMeaning = dataflow == config::Dataflow::IS ? "batch positions b" : "output channels c_o";
  for (int c = 0; c < mask.cols; ++c) {
    bool all = true;
    for (int r = 0; r < mask.rows; ++r) all = all && mask.at(r, c);
    if (all)
      diags.warning("bypass.dead-column", diag::Location{"--bypass", 0, 0},
                    fmt::format("every PE of column {} is bypassed: {} = {} (mod {}) always "
                                "produce zero",
                                c, colMeaning, c, mask.cols));
  }
  if (dataflow != config::Dataflow::OS) return;
  for (int r = 0; r < mask.rows; ++r) {
    bool all = true;
    for (int c = 0; c < mask.cols; ++c) all = all && mask.at(r, c);
    if (all)
      diags.warning("bypass.dead-row", diag::Location{"--bypass", 0, 0},
                    fmt::format("every PE of row {} is bypassed: batch rows b = {} (mod {}) "
                                "always produce zero",
                                r, r, mask.rows));
  }
}

}  // namespace ftaccel::flow
