// Permanent PE fault specifications: s0/s1 stuck-at bits, random-output PEs, rows and columns.
#include "flow/PeFaultSpec.h"

#include "flow/SpecText.h"

#include <set>
#include <utility>

#include <fmt/format.h>

#include "diag/Diagnostics.h"

namespace ftaccel::flow {

namespace {

constexpr const char* kForms =
    "expected none, s0:R,C,BIT, s1:R,C,BIT, rnd:R,C, rndrow:R or rndcol:C (joined with '+')";

[[noreturn]] void fail(const std::string& part, const std::string& message) {
  diag::throwError("sim.bad-pe-fault", diag::Location{"--pe-fault " + part, 0, 0}, message);
}

std::vector<std::string> splitOn(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t p = 0;
  while (true) {
    const size_t e = s.find(sep, p);
    out.push_back(s.substr(p, e == std::string::npos ? std::string::npos : e - p));
    if (e == std::string::npos) return out;
    p = e + 1;
  }
}

int index(const std::string& text, const std::string& part, const std::string& what, int limit) {
  const auto v = parseIndex(text, limit);
  if (!v) fail(part, fmt::format("{} '{}' is out of range; allowed: 0..{}", what, text, limit - 1));
  return *v;
}

}  // namespace

std::vector<contract::PeFault> parsePeFaults(const std::string& spec, int rows, int cols, int accBits) {
  std::vector<contract::PeFault> out;
  for (const std::string& part : splitOn(spec, '+')) {
    if (part == "none" || part.empty()) continue;
    const size_t colon = part.find(':');
    if (colon == std::string::npos) fail(part, kForms);
    const std::string kind = part.substr(0, colon);
    const std::vector<std::string> a = splitOn(part.substr(colon + 1), ',');
    if ((kind == "s0" || kind == "s1") && a.size() == 3) {
      const int r = index(a[0], part, "row", rows), c = index(a[1], part, "column", cols);
      const int bit = index(a[2], part, fmt::format("bit (of the {}-bit MAC result)", accBits), accBits);
      out.push_back({r, c, bit, kind == "s1", false});
    } else if (kind == "rnd" && a.size() == 2) {
      out.push_back({index(a[0], part, "row", rows), index(a[1], part, "column", cols), -1, false, true});
    } else if (kind == "rndrow" && a.size() == 1) {
      const int r = index(a[0], part, "row", rows);
      for (int c = 0; c < cols; ++c) out.push_back({r, c, -1, false, true});
    } else if (kind == "rndcol" && a.size() == 1) {
      const int c = index(a[0], part, "column", cols);
      for (int r = 0; r < rows; ++r) out.push_back({r, c, -1, false, true});
    } else {
      fail(part, kForms);
    }
  }
  return out;
}

long faultyPeCount(const std::vector<contract::PeFault>& faults) {
  std::set<std::pair<int, int>> pes;
  for (const auto& f : faults) pes.insert({f.row, f.col});
  return static_cast<long>(pes.size());
}

}  // namespace ftaccel::flow
