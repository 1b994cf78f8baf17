// Bad-input fuzzing of every parser a user reaches (issue 11 item 6): thousands of random and
// mutated TOML files, --set values, bypass masks, --pe-fault and --inject lists, campaign
// requests, timing tables, matrix files and campaign result files, seeded and reproducible.
// Each input is accepted or refused with the project's diagnostic naming the input; any other
// exception is a bug. FTACCEL_FUZZ_SEED picks another seed, FTACCEL_FUZZ_SCALE multiplies the
// case counts (default 1).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <typeinfo>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "CampaignUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "config/KeyRow.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"
#include "fault/TimingTable.h"
#include "fault/TimingTableExample.h"
#include "flow/Campaign.h"
#include "flow/MatrixText.h"
#include "flow/Package.h"
#include "flow/PeFaultSpec.h"
#include "protect/bypass/BypassMask.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

uint64_t fuzzSeed() {
  const char* s = std::getenv("FTACCEL_FUZZ_SEED");
  return s && *s ? std::strtoull(s, nullptr, 10) : 20261130;
}

int scaled(int n) {
  const char* s = std::getenv("FTACCEL_FUZZ_SCALE");
  const int k = s && *s ? std::max(1, std::atoi(s)) : 1;
  return n * k;
}

// Tokens that tend to break parsers: quotes, brackets, TOML types, huge and odd numbers.
const std::vector<std::string> kTokens = {
    "\"", "'", "'''", "\"\"\"", "[", "]", "[[", "]]", "{", "}", "=", ".", ",", "\n", "#", "\\", "\\u0000",
    "-", "+", "inf", "-inf", "nan", "1e999", "-1e999", "9999999999999999999999", "-9223372036854775808",
    "9223372036854775807", "0x7fffffffffffffff", "0b101", "0o17", "1_000", "-1", "0", "1", "2", "3", "5",
    "7", "16", "64", "255", "256", "257", "65536", "65537", "96", "97", "true", "false", "\"ws\"", "\"os\"",
    "\"is\"", "\"\"", "[1,2]", "{a=1}", "1979-05-27T07:32:00Z", "1.5", "-0.0", "0.05", "1001",
    std::string(300, 'a'), "\xff\xfe", std::string(1, '\0'), "\t", "\r\n", "array", "protect", "data", "afd",
    "rows", "cols", ":", "@", ";", "+", "end", "flip", "stuck0", "/", "%", "  ", "\u00c7", "\u00e9", "\u2014",
    "\u3001", "\ufc00", "\U0001f600"};

// One random edit of `text`.
void mutateOnce(std::string& text, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n ? std::uniform_int_distribution<size_t>(0, n - 1)(rng) : size_t{0}; };
  const auto& tok = kTokens[pick(kTokens.size())];
  const size_t pos = pick(text.size() + 1);
  switch (pick(8)) {
    case 0:  // flip one byte
      if (!text.empty()) text[pick(text.size())] = static_cast<char>(rng() & 0xff);
      break;
    case 1:  // delete a range
      if (!text.empty()) text.erase(pos, pick(40) + 1);
      break;
    case 2:  // insert a token
      text.insert(std::min(pos, text.size()), tok);
      break;
    case 3:  // truncate
      text.resize(std::min(pos, text.size()));
      break;
    case 4: {  // duplicate a range
      const std::string part = text.substr(std::min(pos, text.size()), pick(80) + 1);
      text.insert(pick(text.size() + 1), part);
      break;
    }
    case 5: {  // replace the value after an '='/':' with a token
      const size_t eq = text.find_first_of("=:", pos);
      if (eq == std::string::npos) break;
      const size_t end = std::min(text.find('\n', eq), text.size());
      text.replace(eq + 1, end - eq - 1, " " + tok);
      break;
    }
    case 6: {  // swap two lines
      std::vector<std::string> lines;
      std::istringstream in(text);
      for (std::string l; std::getline(in, l);) lines.push_back(l);
      if (lines.size() < 2) break;
      std::swap(lines[pick(lines.size())], lines[pick(lines.size())]);
      text.clear();
      for (const auto& l : lines) text += l + "\n";
      break;
    }
    default:  // replace a digit run with a token or another number
      for (size_t i = pos; i < text.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
        size_t j = i;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        text.replace(i, j - i, pick(2) ? tok : std::to_string(static_cast<int64_t>(rng()) >> pick(64)));
        break;
      }
  }
}

std::string mutate(std::string text, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) mutateOnce(text, rng);
  return text;
}

// Tallies of one category, printed at the end of its test case for the report.
struct Tally {
  std::string name;
  long accepted = 0, refused = 0;
  ~Tally() { std::cout << fmt::format("[badinput] {}: {} cases, {} accepted, {} refused with a diagnostic\n", name,
                                      accepted + refused, accepted, refused); }
};

// Whether `text` contains one of the '|'-separated alternatives of `names`.
bool namesOneOf(const std::string& text, const std::string& names) {
  for (size_t p = 0; p <= names.size();) {
    const size_t e = std::min(names.find('|', p), names.size());
    if (text.find(names.substr(p, e - p)) != std::string::npos) return true;
    p = e + 1;
  }
  return false;
}

// Runs one case: ok when `body` returns or throws DiagnosticError whose text names the input
// (one of the '|'-separated `mustName`); with `withLine` every error also carries a line number.
// Any other exception fails with the input, so the case can be replayed.
void runCase(Tally& t, const std::string& input, const std::string& mustName, const std::function<void()>& body,
             bool withLine = false) {
  try {
    body();
    ++t.accepted;
  } catch (const diag::DiagnosticError& e) {
    ++t.refused;
    const std::string text = e.bag().format();
    if (!namesOneOf(text, mustName) || !e.bag().hasErrors())
      FAIL(fmt::format("diagnostic does not name '{}':\n{}\ninput:\n{}", mustName, text, input));
    for (const auto& d : e.bag().items())
      if (withLine && d.severity == diag::Severity::Error && (!d.location || d.location->line < 1))
        FAIL(fmt::format("diagnostic without a line:\n{}\ninput:\n{}", text, input));
  } catch (const std::exception& e) {
    FAIL(fmt::format("escaped {}: {}\ninput ({} bytes):\n{}", typeid(e).name(), e.what(), input.size(), input));
  }
}

// Accepted configurations of a modest size are built and rendered too: the generator must not
// trip an internal assertion on anything the config layer lets through.
void buildIfSmall(const config::Config& cfg) {
  if (cfg.array.rows * cfg.array.cols * cfg.array.groupL * cfg.array.groupK > 256) return;
  const units::IpDesign ip = units::buildIp(cfg, {});
  (void)flow::renderPackage(cfg, ip, {});
}

const char* kFullToml = R"(
[ip]
name = "fz_ip"
[array]
rows = 4
cols = 4
dataflow = "ws"
nets = "per_pe"
[data]
bits = 6
acc_bits = 20
[protect]
bypass = true
sanity_check = "spatial"
sanity_residue_bits = 3
weight_parity = { enable = true, word_weights = 2, flip = "last" }
[protect.afd]
enable = true
gates = 1
mode = "clip"
s_max = 2
[protect.median]
enable = true
window = 5
impl = "naive"
[synth]
clock_ns = 3.5
goal = "area"
)";

const char* kSparseToml = R"(
[array]
rows = 3
cols = 2
pe = "twodim"
group_l = 2
group_k = 4
[data]
bits = 5
)";

const char* kOsToml = R"(
[array]
rows = 2
cols = 3
dataflow = "os"
max_k = 17
[data]
bits = 4
acc_bits = 13
[protect]
bypass = true
)";

}  // namespace

TEST_CASE("mutated TOML files are accepted or refused with file:line", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed());
  Tally t{"toml"};
  const std::vector<std::string> bases = {std::string(config::defaultConfigToml()), kFullToml, kSparseToml, kOsToml};
  for (int i = 0; i < scaled(3000); ++i) {
    const std::string text = mutate(bases[i % bases.size()], rng);
    runCase(t, text, "fuzz.toml", [&] { buildIfSmall(config::loadConfigText(text, "fuzz.toml")); }, true);
  }
  CHECK(t.refused > t.accepted / 10);  // the mutations do reach the checks
}

TEST_CASE("random --set overrides are accepted or refused naming --set", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 1);
  Tally t{"--set"};
  std::vector<std::string> keys;
  for (const auto& row : config::keyTable()) keys.push_back(std::string(row.path));
  keys.insert(keys.end(), {"array", "array.", ".rows", "array.rows.x", "protect.afd", "nope.key", "", "ARRAY.ROWS",
                           "protect.weight_parity", "array.rows ", " array.cols"});
  for (int i = 0; i < scaled(3000); ++i) {
    std::vector<std::string> sets;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < n; ++k) {
      std::string value = kTokens[rng() % kTokens.size()];
      if (rng() % 3 == 0) value = std::to_string(static_cast<int64_t>(rng() % 300) - 20);
      std::string set = keys[rng() % keys.size()] + (rng() % 20 ? "=" : "") + value;
      if (rng() % 4 == 0) set = mutate(set, rng);
      sets.push_back(set);
    }
    std::string input;
    for (const auto& s : sets) input += "--set " + s + "\n";
    runCase(t, input, "--set", [&] { buildIfSmall(config::loadConfigText("", "fuzz.toml", sets)); });
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

namespace {

// A random specification made of `parts` drawn from `forms` with random numbers, sometimes
// mutated.
std::string randomSpec(std::mt19937_64& rng, const std::vector<std::string>& forms, const std::string& sep) {
  auto num = [&] {
    switch (rng() % 6) {
      case 0: return std::to_string(static_cast<int64_t>(rng() % 10) - 2);
      case 1: return std::to_string(static_cast<int64_t>(rng()));
      case 2: return fmt::format("{:.3f}", static_cast<double>(rng() % 1300) / 1000.0 - 0.1);
      case 3: return kTokens[rng() % kTokens.size()];
      default: return std::to_string(rng() % 5);
    }
  };
  std::string spec;
  const int parts = 1 + static_cast<int>(rng() % 3);
  for (int p = 0; p < parts; ++p) {
    std::string f = forms[rng() % forms.size()];
    for (size_t at; (at = f.find('N')) != std::string::npos;) f.replace(at, 1, num());
    spec += (p ? sep : "") + f;
  }
  return rng() % 4 == 0 ? mutate(spec, rng) : spec;
}

}  // namespace

TEST_CASE("random bypass masks and mask files are accepted or refused naming the part", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 2);
  test::TempDir tmp;
  Tally t{"--bypass"};
  for (int i = 0; i < scaled(2000); ++i) {
    const int rows = 1 + static_cast<int>(rng() % 5), cols = 1 + static_cast<int>(rng() % 5);
    std::string maskText;
    for (int r = 0; r < rows; ++r) maskText += std::string(cols, '0') + "\n";
    maskText = "# mask\n" + mutate(maskText, rng);
    const auto file = tmp / fmt::format("m{}.txt", i % 7);
    test::writeFile(file, maskText);
    std::vector<std::string> forms = {"none", "random:N", "row:N", "col:N", "pe:N,N", "pe:N", "file:" + file.string(),
                                      "file:" + (tmp / "missing.txt").string(), "N", "", "random:"};
    const std::string spec = randomSpec(rng, forms, "+");
    // A mask file's problems name the file (path as given), everything else the --bypass part.
    const std::string name = "bypass";  // the part (--bypass ...) or the mask file, code bypass.*
    runCase(t, spec + "\n" + maskText, name, [&] {
      const auto mask = flow::parseBypassMask(spec, rows, cols, rng());
      REQUIRE(mask.bits.size() == static_cast<size_t>(rows * cols));
    });
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

TEST_CASE("random --pe-fault lists are accepted or refused naming --pe-fault", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 3);
  Tally t{"--pe-fault"};
  const std::vector<std::string> forms = {"none", "s0:N,N,N", "s1:N,N,N", "rnd:N,N", "rndrow:N", "rndcol:N",
                                          "s0:N,N", "rnd:N", "x:N", "N", ""};
  for (int i = 0; i < scaled(2000); ++i) {
    const std::string spec = randomSpec(rng, forms, "+");
    runCase(t, spec, "--pe-fault", [&] { (void)flow::parsePeFaults(spec, 3, 4, 20); });
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

TEST_CASE("random campaign requests and --inject lists are refused naming the flag", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 4);
  test::TempDir tmp;
  Tally t{"campaign request / --inject"};
  const auto cfg = config::loadConfigText("", "fuzz", {"array.rows=2", "array.cols=3", "protect.bypass=true"});
  const auto fi = units::buildIp(cfg, units::BuildOptions{true});
  std::vector<std::string> sites;
  for (const auto& s : fi.faultSites) sites.push_back(s.path);
  const auto table = tmp / "t.tt";
  test::writeFile(table, fault::renderExampleTable({2, 2, 8}));
  const std::vector<std::string> models = {"seu", "mbu", "stuck", "pe", "timing", "list", "mem-seu", "mem-mbu",
                                           "mem-ber", "nope", ""};
  for (int i = 0; i < scaled(1500); ++i) {
    flow::CampaignRequest req;
    auto& o = req.run;
    o.out = (tmp / "r.jsonl").string();
    o.faults = static_cast<long>(rng() % 50);
    o.model = models[rng() % models.size()];
    if (rng() % 2) {
      o.model = "list";
      const std::string site = sites[rng() % sites.size()];
      const std::vector<std::string> forms = {site + ":N@N", site + ":N,N@N-N:stuck0", site + ":N@N-end:stuck1",
                                              site + ":N@N:flip", site + ":N-N@N", "N:N@N", "nosuch:N@N",
                                              site + "@N", site + ":N", site + ":N@N:melt"};
      o.inject = randomSpec(rng, forms, ";");
    }
    if (rng() % 5 == 0) req.shard = randomSpec(rng, {"N/N", "N", "N/", "/N"}, "");
    if (rng() % 5 == 0) o.kinds = randomSpec(rng, {"psum", "weight", "act", "ctrl", "N", "bypass"}, ",");
    if (rng() % 6 == 0) o.vectors = static_cast<long>(rng() % 400) - 5;
    if (o.model == "timing" && rng() % 3) o.timingTable = table.string();
    if (rng() % 8 == 0) o.memoryWord = static_cast<int>(rng() % 8);
    if (rng() % 8 == 0) o.memoryBer = static_cast<double>(rng() % 100) / 50.0 - 0.2;
    const std::string input = fmt::format("--model {} --inject '{}' --shard {} --kinds '{}' --vectors {}", o.model,
                                          o.inject, req.shard, o.kinds, o.vectors);
    runCase(t, input, "--", [&] { (void)flow::validateCampaign(cfg, req); });
    CHECK_FALSE(std::filesystem::exists(tmp / "r.jsonl"));  // the probe of --out leaves nothing
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

TEST_CASE("mutated timing tables are accepted or refused with name:line", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 5);
  Tally t{"timing table"};
  const std::string base = fault::renderExampleTable({3, 2, 8});
  for (int i = 0; i < scaled(3000); ++i) {
    const std::string text = mutate(base, rng);
    try {
      const auto table = fault::parseTimingTable(text, "fuzz.tt");
      for (const auto& [key, entry] : table.current) {
        REQUIRE(entry.errorProbability() <= 1.0 + 1e-9);
        (void)key;
      }
      ++t.accepted;
    } catch (const diag::DiagnosticError& e) {
      FAIL("a timing-table problem is reported as fuzz.tt:line (std::runtime_error), not as " << e.what());
    } catch (const std::runtime_error& e) {
      ++t.refused;
      const std::string what = e.what();
      if (!what.starts_with("fuzz.tt:") || !std::isdigit(static_cast<unsigned char>(what[8])))
        FAIL("message does not start with fuzz.tt:LINE: " << what << "\ninput:\n" << text);
    } catch (const std::exception& e) {
      FAIL("escaped " << typeid(e).name() << ": " << e.what() << "\ninput:\n" << text);
    }
  }
  CHECK(t.refused > 0);
}

TEST_CASE("mutated matrix files are accepted or refused with file:line", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 6);
  Tally t{"matrix"};
  const std::vector<std::string> bases = {"matrix 2 3\n1 0 -2\n0 5 0\n", "# w\nmatrix 4 2\n1 0\n0 1\n\n-3 0\n0 0\n",
                                          "matrix 1 1\n-128\n"};
  for (int i = 0; i < scaled(3000); ++i) {
    const std::string text = mutate(bases[i % bases.size()], rng);
    runCase(t, text, "fuzz.mat", [&] {
      const auto m = flow::parseMatrixText(text, "fuzz.mat");
      std::string error;
      (void)golden::pack(m, golden::GroupShape{2, 2}, error);
    }, true);
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

namespace {

std::string campaignHeader(const std::string& hash, long faults, int shard, int shards) {
  return test::campaignHeaderLine(hash, faults, shard, shards);
}

std::string campaignFault(long index, const std::string& outcome, const std::string& errors, long wrong,
                          const std::string& maxAbs) {
  return fmt::format(
      R"({{"type":"fault","index":{},"outcome":"{}","pruned":false,"sim_cycles":12,)"
      R"("injections":[{{"site":"u_array.u_pe.x","id":3,"kind":"psum","pe":[0,1],"bits":[2],"effect":"flip",)"
      R"("cycle":5,"last_cycle":5}}],"wrong":{},"max_abs_error":{},"errors":[{}],"alarms":[]}})"
      "\n",
      index, outcome, wrong, maxAbs, errors);
}

std::string campaignFile(const std::string& hash, int shard, int shards) {
  std::string s = campaignHeader(hash, 6, shard, shards) +
                  R"({"type":"fault_free","runs":2,"false_alarms":0,"mismatches":0})" "\n";
  for (long k = shard; k < 6; k += shards)
    s += k % 2 ? campaignFault(k, "sdc", "[0,1,32],[1,1,-32]", 2, "32") : campaignFault(k, "masked", "", 0, "0");
  return s;
}

}  // namespace

TEST_CASE("mutated, truncated and mixed campaign files are read or refused with file:line", "[badinput]") {
  std::mt19937_64 rng(fuzzSeed() + 7);
  test::TempDir tmp;
  Tally t{"campaign files"};
  for (int i = 0; i < scaled(1500); ++i) {
    std::vector<std::filesystem::path> files;
    std::string input;
    const int n = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < n; ++f) {
      // Shards of one campaign, now and then one of another campaign (other hash) or a wrong shard.
      const std::string hash = rng() % 6 ? "abc123" : "fff999";
      std::string text = campaignFile(hash, rng() % 5 ? f : 0, rng() % 5 ? n : n + 1);
      if (rng() % 4) text = mutate(text, rng);
      if (rng() % 6 == 0) text.resize(rng() % (text.size() + 1));  // cut anywhere
      const auto path = tmp / fmt::format("shard{}.jsonl", f);
      test::writeFile(path, text);
      files.push_back(path);
      input += "== " + path.filename().string() + "\n" + text;
    }
    runCase(t, input, "shard", [&] {
      diag::DiagnosticBag warnings;
      const auto data = fault::readCampaignFiles(files, warnings);
      const auto summary = fault::summarize(data);
      (void)fault::formatReport(summary);
      (void)fault::toJson(summary).dump();
      std::ostringstream csv;
      fault::writeFaultPatterns(data, csv);
    });
  }
  CHECK(t.accepted > 0);
  CHECK(t.refused > 0);
}

TEST_CASE("non-ASCII characters in a TOML file are refused or ignored, not undefined behaviour", "[badinput]") {
  // toml++ 3.3 hit __builtin_unreachable classifying U+00C7 after a table name (make sanitize).
  const std::string text = "# \u00e9t\u00e9 \u2014 comment\n[array]\nrows = 2 # \u00d7\nx\u00c7 = 1\n[protect.afd\u00c7]\n";
  try {
    (void)config::loadConfigText(text, "utf8.toml");
    FAIL("accepted");
  } catch (const diag::DiagnosticError& e) {
    CHECK(e.bag().format().find("utf8.toml:4:") != std::string::npos);
  }
  CHECK(config::loadConfigText("# \u00e9t\u00e9\n[array]\nrows = 3 # \u00d7 \u3001\n", "utf8.toml").array.rows == 3);
}
