// Parser and sampler of timing-error tables; grammar in docs/timing-tables.md.
#include "fault/TimingTable.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace ftaccel::fault {

namespace {

constexpr int kMinDataBits = 2;
constexpr int kMaxDataBits = 32;
constexpr double kSumTolerance = 1e-9;  // decimal probabilities need not add up exactly

std::vector<std::string_view> splitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

bool parseInt(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// A probability: a decimal number or an exact fraction "N/D".
bool parseProbability(std::string_view s, double& out) {
  if (size_t slash = s.find('/'); slash != std::string_view::npos) {
    int64_t num = 0, den = 0;
    if (!parseInt(s.substr(0, slash), num) || !parseInt(s.substr(slash + 1), den) || den <= 0)
      return false;
    out = static_cast<double>(num) / static_cast<double>(den);
    return true;
  }
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

std::string str(std::string_view s) { return std::string(s); }

// Keeps the file name and line for every message.
class Parser {
 public:
  explicit Parser(std::string name) { table_.name = std::move(name); }

  TimingTable run(const std::string& text) {
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
      ++line_;
      std::string_view view(raw);
      if (size_t hash = view.find('#'); hash != std::string_view::npos) view = view.substr(0, hash);
      std::vector<std::string_view> words = splitWords(view);
      if (!words.empty()) statement(words);
    }
    if (!sawFormat_) fail(1, "missing header; the first statement must be 'format ftaccel-timing 1'");
    if (table_.dataBits == 0)
      fail(line_, "missing 'data_bits N' (allowed N: " + range(kMinDataBits, kMaxDataBits) + ")");
    return std::move(table_);
  }

 private:
  [[noreturn]] void fail(int line, const std::string& message) const {
    throw std::runtime_error(table_.name + ":" + std::to_string(line) + ": " + message);
  }
  [[noreturn]] void fail(const std::string& message) const { fail(line_, message); }
  static std::string range(int64_t lo, int64_t hi) {
    return std::to_string(lo) + ".." + std::to_string(hi);
  }

  void statement(const std::vector<std::string_view>& w) {
    if (!sawFormat_) {
      if (w.size() != 3 || w[0] != "format" || w[1] != "ftaccel-timing" || w[2] != "1")
        fail("expected the header 'format ftaccel-timing 1' before anything else");
      sawFormat_ = true;
      return;
    }
    if (w[0] == "format") fail("duplicate 'format' header");
    if (w[0] == "data_bits") return dataBits(w);
    if (w[0] == "prev") return entry(w, true);
    int64_t ignored = 0;
    if (parseInt(w[0], ignored)) return entry(w, false);
    fail("unknown directive '" + str(w[0]) +
         "'; allowed: 'data_bits N', an entry 'A B : VALUE:P ...' or 'prev PA PB A B : VALUE:P ...'");
  }

  void dataBits(const std::vector<std::string_view>& w) {
    if (table_.dataBits != 0) fail("duplicate 'data_bits'");
    int64_t bits = 0;
    if (w.size() != 2 || !parseInt(w[1], bits) || bits < kMinDataBits || bits > kMaxDataBits)
      fail("expected 'data_bits N' with N in " + range(kMinDataBits, kMaxDataBits));
    table_.dataBits = static_cast<int>(bits);
    lo_ = -(int64_t{1} << (bits - 1));
    hi_ = (int64_t{1} << (bits - 1)) - 1;
  }

  int64_t operand(std::string_view word, const char* what) const {
    int64_t v = 0;
    if (!parseInt(word, v) || v < lo_ || v > hi_)
      fail(std::string("operand ") + what + " = '" + str(word) + "' is not an integer in " +
           range(lo_, hi_) + " (data_bits " + std::to_string(table_.dataBits) + ")");
    return v;
  }

  void entry(const std::vector<std::string_view>& w, bool qualified) {
    if (table_.dataBits == 0) fail("an entry before 'data_bits N'; declare the operand width first");
    const size_t first = qualified ? 3 : 0;  // index of operand A
    if (w.size() < first + 4 || w[first + 2] != ":")
      fail(std::string("expected '") + (qualified ? "prev PA PB " : "") +
           "A B : VALUE:P [VALUE:P ...]' (':' separated by spaces, at least one outcome)");
    int64_t pa = 0, pb = 0;
    if (qualified) {
      pa = operand(w[1], "PA");
      pb = operand(w[2], "PB");
    }
    const int64_t a = operand(w[first], "A");
    const int64_t b = operand(w[first + 1], "B");

    TimingEntry e;
    e.line = line_;
    std::set<int64_t> seen;
    const int productBits = 2 * table_.dataBits;
    using Limits = std::numeric_limits<int64_t>;
    const int64_t vlo = productBits >= 64 ? Limits::min() : -(int64_t{1} << (productBits - 1));
    const int64_t vhi = productBits >= 64 ? Limits::max() : (int64_t{1} << (productBits - 1)) - 1;
    double sum = 0;
    for (size_t i = first + 3; i < w.size(); ++i) {
      const std::string_view word = w[i];
      const size_t colon = word.find(':');
      if (colon == std::string_view::npos)
        fail("outcome '" + str(word) + "' must be VALUE:P (no spaces), e.g. -56:3/64 or -56:0.05");
      int64_t value = 0;
      if (!parseInt(word.substr(0, colon), value) || value < vlo || value > vhi)
        fail("value '" + str(word.substr(0, colon)) + "' is not an integer in " + range(vlo, vhi) +
             " (2*data_bits = " + std::to_string(productBits) + " bits signed)");
      if (value == a * b)
        fail("value " + std::to_string(value) + " is the correct product " + std::to_string(a) +
             "*" + std::to_string(b) + "; list only wrong outputs (the rest is the correct one)");
      if (!seen.insert(value).second)
        fail("value " + std::to_string(value) + " is listed twice in this entry");
      double p = 0;
      if (!parseProbability(word.substr(colon + 1), p) || !(p > 0) || p > 1)
        fail("probability '" + str(word.substr(colon + 1)) +
             "' must be a number or fraction N/D in (0, 1]");
      sum += p;
      e.outcomes.push_back({value, p, sum});
    }
    if (sum > 1 + kSumTolerance)
      fail("probabilities of this entry add up to " + std::to_string(sum) + "; allowed: at most 1");

    const uint64_t cur = table_.packOperands(a, b);
    const TimingEntry* previous = nullptr;
    if (qualified) {
      auto [it, inserted] = table_.transitions.try_emplace({table_.packOperands(pa, pb), cur}, e);
      if (!inserted) previous = &it->second;
    } else {
      auto [it, inserted] = table_.current.try_emplace(cur, e);
      if (!inserted) previous = &it->second;
    }
    if (previous)
      fail("duplicate entry for " +
           (qualified ? "prev " + std::to_string(pa) + " " + std::to_string(pb) + ", " : std::string()) +
           "A = " + std::to_string(a) + ", B = " + std::to_string(b) + " (first at line " +
           std::to_string(previous->line) + ")");
  }

  TimingTable table_;
  int line_ = 0;
  bool sawFormat_ = false;
  int64_t lo_ = 0, hi_ = 0;
};

}  // namespace

TimingTable parseTimingTable(const std::string& text, const std::string& name) {
  return Parser(name).run(text);
}

TimingTable loadTimingTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ":0: cannot read the timing-error table");
  std::ostringstream text;
  text << in.rdbuf();
  return parseTimingTable(text.str(), path);
}

const TimingEntry* findTimingEntry(const TimingTable& table, int64_t prevA, int64_t prevB,
                                   int64_t a, int64_t b) {
  const uint64_t cur = table.packOperands(a, b);
  if (!table.transitions.empty()) {
    auto it = table.transitions.find({table.packOperands(prevA, prevB), cur});
    if (it != table.transitions.end()) return &it->second;
  }
  auto it = table.current.find(cur);
  return it == table.current.end() ? nullptr : &it->second;
}

std::optional<int64_t> sample(const TimingTable& table, int64_t prevA, int64_t prevB, int64_t a,
                              int64_t b, double uniform01) {
  const TimingEntry* e = findTimingEntry(table, prevA, prevB, a, b);
  if (!e) return std::nullopt;
  for (const TimingOutcome& o : e->outcomes)
    if (uniform01 < o.cumulative) return o.value;
  return std::nullopt;
}

}  // namespace ftaccel::fault
