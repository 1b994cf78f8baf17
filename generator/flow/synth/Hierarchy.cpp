// The module tree of a synthesis request: lookup, checks, descendants and instance counts.
#include "flow/synth/Hierarchy.h"

#include <algorithm>
#include <functional>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace ftaccel::flow::synth {

namespace fs = std::filesystem;

namespace {

// Generated hierarchies are a few levels deep; anything deeper is a cycle.
constexpr int kMaxDepth = 64;

void checkDepth(int depth) {
  if (depth > kMaxDepth) throw std::runtime_error("synthesis: module hierarchy is cyclic");
}

void collectDescendants(const SynthRequest& req, const std::string& name,
                        std::vector<std::string>& out, std::set<std::string>& seen, int depth) {
  checkDepth(depth);
  for (const auto& [child, count] : findModule(req, name).children) {
    (void)count;
    if (!seen.insert(child).second) continue;
    collectDescendants(req, child, out, seen, depth + 1);
    out.push_back(child);
  }
}

}  // namespace

const SynthModule& findModule(const SynthRequest& req, const std::string& name) {
  for (const auto& m : req.modules)
    if (m.name == name) return m;
  throw std::runtime_error(fmt::format("synthesis: unknown module '{}'", name));
}

fs::path rtlPath(const SynthRequest& req, const SynthModule& mod) {
  return req.ipDir.empty() ? fs::path(mod.file) : req.ipDir / mod.file;
}

void checkRequest(const SynthRequest& req) {
  if (req.modules.empty()) throw std::runtime_error("synthesis: no modules given");
  findModule(req, req.top);
  for (const auto& m : req.modules) {
    for (const auto& [child, count] : m.children) {
      (void)count;
      if (std::none_of(req.modules.begin(), req.modules.end(),
                       [&](const SynthModule& x) { return x.name == child; }))
        throw std::runtime_error(
            fmt::format("synthesis: module '{}' instantiates unknown module '{}'", m.name, child));
    }
  }
  // Files last: a wrong module tree is the more basic mistake.
  for (const auto& m : req.modules) {
    const fs::path rtl = rtlPath(req, m);
    if (!fs::is_regular_file(rtl))
      throw std::runtime_error(
          fmt::format("synthesis: RTL file of module '{}' not found: {}", m.name, rtl.string()));
  }
}

std::vector<std::string> descendants(const SynthRequest& req, const std::string& name) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  collectDescendants(req, name, out, seen, 0);
  return out;
}

std::map<std::string, long> instanceCounts(const SynthRequest& req) {
  std::map<std::string, long> counts;
  std::function<long(const std::string&, int)> countOf = [&](const std::string& name, int depth) {
    checkDepth(depth);
    if (name == req.top) return 1L;
    if (auto it = counts.find(name); it != counts.end()) return it->second;
    long total = 0;
    for (const auto& parent : req.modules) {
      auto it = parent.children.find(name);
      if (it != parent.children.end()) total += it->second * countOf(parent.name, depth + 1);
    }
    counts[name] = total;
    return total;
  };
  for (const auto& m : req.modules) counts[m.name] = countOf(m.name, 0);
  return counts;
}

}  // namespace ftaccel::flow::synth
