// Timing-error tables (seed 004): grammar, errors with file:line, sampler, example procedure.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "fault/TimingTable.h"
#include "fault/TimingTableExample.h"

using namespace ftaccel::fault;

namespace {

const char* kGood =
    "# ftaccel timing-error table v1\n"
    "format ftaccel-timing 1   # header\n"
    "\n"
    "data_bits 4\r\n"
    "# a b : value:probability\n"
    "-8 7 : -24:0.25 8:1/8\n"
    "3 -2 : 5:1/4 -7:0.125\n"
    "  prev 1 1   3 -2 : 100:1\n"
    "prev -8 -8 0 0 : -128:1/2\n";

// The message of the error parseTimingTable throws for `text`.
std::string parseError(const std::string& text) {
  try {
    parseTimingTable(text, "t.tt");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kHead = "format ftaccel-timing 1\ndata_bits 4\n";

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a good timing table parses", "[timing]") {
  const TimingTable t = parseTimingTable(kGood, "good.tt");
  CHECK(t.dataBits == 4);
  CHECK(t.current.size() == 2);
  CHECK(t.transitions.size() == 2);
  const TimingEntry* e = findTimingEntry(t, 0, 0, 3, -2);
  REQUIRE(e != nullptr);
  CHECK(e->line == 7);
  REQUIRE(e->outcomes.size() == 2);
  CHECK(e->outcomes[0].value == 5);
  CHECK(e->outcomes[0].probability == 0.25);
  CHECK(e->outcomes[1].value == -7);
  CHECK(e->outcomes[1].cumulative == 0.375);
  CHECK(e->errorProbability() == 0.375);
  CHECK(findTimingEntry(t, 0, 0, 1, 1) == nullptr);
  CHECK_FALSE(sample(t, 0, 0, 1, 1, 0.0).has_value());
}

TEST_CASE("timing table errors name file and line and the allowed range", "[timing]") {
  struct Case {
    std::string text;
    std::string prefix;  // "t.tt:LINE: "
    std::string says;    // part of the message
  };
  const std::vector<Case> cases = {
      {"", "t.tt:1: ", "first statement must be 'format ftaccel-timing 1'"},
      {"# only a comment\ndata_bits 4\n", "t.tt:2: ", "expected the header 'format ftaccel-timing 1'"},
      {"format ftaccel-timing 2\n", "t.tt:1: ", "expected the header"},
      {"format ftaccel-timing 1\n", "t.tt:1: ", "missing 'data_bits N' (allowed N: 2..32)"},
      {kHead + "format ftaccel-timing 1\n", "t.tt:3: ", "duplicate 'format'"},
      {kHead + "data_bits 4\n", "t.tt:3: ", "duplicate 'data_bits'"},
      {"format ftaccel-timing 1\ndata_bits 33\n", "t.tt:2: ", "N in 2..32"},
      {"format ftaccel-timing 1\ndata_bits x\n", "t.tt:2: ", "N in 2..32"},
      {"format ftaccel-timing 1\n1 1 : 2:0.5\n", "t.tt:2: ", "before 'data_bits N'"},
      {kHead + "scale 0.5\n", "t.tt:3: ", "unknown directive 'scale'; allowed:"},
      {kHead + "8 1 : 2:0.5\n", "t.tt:3: ", "operand A = '8' is not an integer in -8..7"},
      {kHead + "1 -9 : 2:0.5\n", "t.tt:3: ", "operand B = '-9' is not an integer in -8..7"},
      {kHead + "prev 1 x 1 1 : 2:0.5\n", "t.tt:3: ", "operand PB = 'x' is not an integer in -8..7"},
      {kHead + "1 1 : 128:0.5\n", "t.tt:3: ", "value '128' is not an integer in -128..127"},
      {kHead + "1 1 : 2:0\n", "t.tt:3: ", "must be a number or fraction N/D in (0, 1]"},
      {kHead + "1 1 : 2:1.5\n", "t.tt:3: ", "in (0, 1]"},
      {kHead + "1 1 : 2:3/2\n", "t.tt:3: ", "in (0, 1]"},
      {kHead + "1 1 : 2:abc\n", "t.tt:3: ", "in (0, 1]"},
      {kHead + "1 1 : 2:1/0\n", "t.tt:3: ", "in (0, 1]"},
      {kHead + "1 1 : 2:nan\n", "t.tt:3: ", "in (0, 1]"},
      {kHead + "1 1 : 2:0.5 3:0.6\n", "t.tt:3: ", "add up to 1.1"},
      {kHead + "1 1 : 2\n", "t.tt:3: ", "must be VALUE:P"},
      {kHead + "1 1 : 2:0.1 2:0.2\n", "t.tt:3: ", "value 2 is listed twice"},
      {kHead + "2 3 : 6:0.1\n", "t.tt:3: ", "value 6 is the correct product 2*3"},
      {kHead + "1 1 :\n", "t.tt:3: ", "at least one outcome"},
      {kHead + "1 1 2:0.5\n", "t.tt:3: ", "':' separated by spaces"},
      {kHead + "1 1: 2:0.5\n", "t.tt:3: ", "':' separated by spaces"},
      {kHead + "1 1 : 2:0.5\n\n1 1 : 3:0.5\n", "t.tt:5: ", "duplicate entry for A = 1, B = 1 (first at line 3)"},
      {kHead + "prev 0 0 1 1 : 2:0.5\nprev 0 0 1 1 : 3:0.5\n", "t.tt:4: ",
       "duplicate entry for prev 0 0, A = 1, B = 1 (first at line 3)"},
  };
  for (const Case& c : cases) {
    const std::string msg = parseError(c.text);
    INFO("table text:\n" << c.text << "message: " << msg);
    CHECK(msg.rfind(c.prefix, 0) == 0);
    CHECK(msg.find(c.says) != std::string::npos);
  }
  // The same pair with and without a previous-pair qualifier is not a duplicate.
  CHECK_NOTHROW(parseTimingTable(kHead + "1 1 : 2:0.5\nprev 0 0 1 1 : 3:0.5\n", "t.tt"));
  // Sums within rounding of 1 are accepted.
  CHECK_NOTHROW(parseTimingTable(kHead + "1 1 : 2:0.1 3:0.2 4:0.7\n", "t.tt"));
  CHECK_THROWS_WITH(loadTimingTable("/nonexistent/x.tt"),
                    Catch::StartsWith("/nonexistent/x.tt:0: cannot read"));
}

TEST_CASE("sampled outcomes follow the table probabilities", "[timing]") {
  const TimingTable t = parseTimingTable(kGood, "good.tt");
  // Evenly spaced uniforms: the counts are exactly the probabilities times N.
  const int n = 10000;
  std::map<int64_t, int> counts;
  int correct = 0;
  for (int i = 0; i < n; ++i) {
    auto v = sample(t, 0, 0, 3, -2, (i + 0.5) / n);
    if (v)
      ++counts[*v];
    else
      ++correct;
  }
  CHECK(counts[5] == 2500);
  CHECK(counts[-7] == 1250);
  CHECK(correct == 6250);
  CHECK(counts.size() == 2);
  // Boundaries: u just below a cumulative probability picks that outcome, at it the next one.
  CHECK(sample(t, 0, 0, 3, -2, 0.0) == 5);
  CHECK(sample(t, 0, 0, 3, -2, 0.2499) == 5);
  CHECK(sample(t, 0, 0, 3, -2, 0.25) == -7);
  CHECK_FALSE(sample(t, 0, 0, 3, -2, 0.375).has_value());
  // Scaling the uniform regulates the probabilities (seed 004 §IV-A): p * 0.0668.
  CHECK_FALSE(sample(t, 0, 0, 3, -2, 0.03 / 0.0668).has_value());
  CHECK(sample(t, 0, 0, 3, -2, 0.01 / 0.0668) == 5);
}

TEST_CASE("a previous-pair entry takes precedence over the current-pair entry", "[timing]") {
  const TimingTable t = parseTimingTable(kGood, "good.tt");
  CHECK(sample(t, 1, 1, 3, -2, 0.9) == 100);   // "prev 1 1 3 -2 : 100:1"
  CHECK(sample(t, 1, 1, 3, -2, 0.1) == 100);   // not 5: the qualified entry replaces it
  CHECK(sample(t, 1, 0, 3, -2, 0.1) == 5);     // other previous pairs use the current entry
  CHECK_FALSE(sample(t, 1, 0, 3, -2, 0.9).has_value());
  CHECK(sample(t, -8, -8, 0, 0, 0.4) == -128);  // qualified only
  CHECK_FALSE(sample(t, -8, -7, 0, 0, 0.4).has_value());
  // Raw register bits pack like sign-extended values: 0x8 is -8, 0xe is -2.
  CHECK(sample(t, 0x8, 0x8, 0, 0, 0.4) == -128);
  CHECK(sample(t, 0, 0, 3, 0xe, 0.1) == 5);
}

TEST_CASE("example delay model and compression", "[timing]") {
  ExampleModel m;
  m.bits = 2;
  const std::vector<Transition> rows = simulateTransitions(m);
  // 2-bit operands, 4-bit products, slow bits 1..3: a change only in bit 0 always settles.
  for (const Transition& r : rows) {
    const uint64_t diff = static_cast<uint64_t>((r.prevA * r.prevB) ^ (r.a * r.b)) & 0xf;
    CHECK(diff > 1);
    CHECK(r.value != r.a * r.b);
    // Fast bit 0 from the current product, slow bits 1..3 from the previous one.
    CHECK((static_cast<uint64_t>(r.value) & 0xf) ==
          ((static_cast<uint64_t>(r.a * r.b) & 1) | (static_cast<uint64_t>(r.prevA * r.prevB) & 0xe)));
  }
  // Seed 004 Table I/II style check: cur (-2, 1) = -2, by brute force over the 16 previous pairs.
  std::map<int64_t, uint64_t> eighths;
  for (const Transition& r : rows)
    if (r.a == -2 && r.b == 1) eighths[r.value] += r.probability.num;
  const std::vector<CompressedEntry> entries = compressUniformPrevious(m, rows);
  CHECK(entries.size() == 16);
  for (const CompressedEntry& e : entries) {
    if (e.a != -2 || e.b != 1) continue;
    REQUIRE(e.outcomes.size() == eighths.size());
    for (const CompressedOutcome& o : e.outcomes)
      CHECK(static_cast<double>(o.probability.num) / o.probability.den ==
            Approx(static_cast<double>(eighths[o.value]) / 8 / 16));
  }
  m.bits = 6;
  CHECK_THROWS_AS(simulateTransitions(m), std::invalid_argument);
}

TEST_CASE("example table is valid and reproduces the committed file", "[timing]") {
  const std::string text = renderExampleTable(ExampleModel{});
  const std::string path = std::string(FTACCEL_SOURCE_DIR) + "/examples/timing/mul4_example.tt";
  CHECK(text == readText(path));  // regenerate: ftaccel timing-table --example --bits 4 --out ...
  const TimingTable t = loadTimingTable(path);
  CHECK(t.dataBits == 4);
  CHECK(t.current.size() == 256);
  CHECK(t.transitions.empty());
  for (const auto& [key, e] : t.current) {
    CHECK(e.errorProbability() > 0);
    CHECK(e.errorProbability() <= 3.0 / 8 + 1e-12);  // at most 3 slow bits reached, 1/8 each
  }
}
