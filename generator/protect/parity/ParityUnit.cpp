// Weight-parity unit: keys, the checker module on the WS load path, manifest facts, baseline.
#include "protect/parity/ParityUnit.h"

#include <fmt/format.h>

#include "units/IpDesign.h"

namespace ftaccel::protect::parity {

using namespace ir;

namespace {

const config::WeightParityConfig& wp(const config::Config& c) { return c.protect.weightParity; }

std::string divisors(int n) {
  std::string out;
  for (int d = 1; d <= n; ++d)
    if (n % d == 0) out += fmt::format("{}{}", out.empty() ? "" : ", ", d);
  return out;
}

int bitsFor(long values) {  // bits of an unsigned counter holding 0..values-1
  int b = 1;
  while ((1L << b) < values) ++b;
  return b;
}

// The checker: one XOR tree per word, AND gates that zero a word with odd parity, the words
// zeroed per beat (a chain of adders) and the per-load counter.
Module checker(const config::Config& cfg, const std::string& top) {
  const int rows = cfg.array.rows;
  Module m;
  m.name = top + "_wparity";
  m.description = {
      "Opportunistic weight parity (seed 001): every memory word of WordWeights weights on the",
      "load beat must have even parity (the host packs it so); a word with odd parity enters",
      "the array as zeros. count_o counts the words zeroed since the first beat of the current",
      "matrix load; flag_o is high while that count is not zero.",
  };
  m.params = {
      {"Rows", std::to_string(rows), false, ""},
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"DataBits", std::to_string(cfg.data.bits), false, ""},
      {"WordWeights", std::to_string(wp(cfg).wordWeights), false, "weights per memory word"},
      {"CountBits", std::to_string(countBits(cfg)), true, "holds Rows*Words, derived", true},
      {"Words", "Cols / WordWeights", true, "words per beat, derived"},
      {"WordBits", "WordWeights * DataBits", true, "derived"},
  };
  m.ports = {
      {Dir::In, "clk_i", "", ""},
      {Dir::In, "rst_ni", "", ""},
      {Dir::In, "load_i", "", "a beat is loaded this cycle"},
      {Dir::In, "data_i", "Cols*DataBits", "load beat as it arrives from memory"},
      {Dir::Out, "data_o", "Cols*DataBits", "load beat with failing words zeroed"},
      {Dir::Out, "count_o", "CountBits", "words zeroed in the current matrix load"},
      {Dir::Out, "flag_o", "", "count_o is not zero"},
  };
  m.checks = {{"Cols % WordWeights == 0", "WordWeights must divide Cols"},
              {"Rows * (Cols / WordWeights) < 2 ** CountBits", "CountBits cannot hold Rows*Words"}};
  m.items = {
      Signal{"word_err", "Words", "word w has odd parity"},
      Signal{"beat_zeroed", "CountBits", "failing words on this beat"},
      reg("count_q", "CountBits", "words zeroed in this load", {"parity_count"}),
      Signal{"load_count", "CountBits", "count before this beat: zero on a load's first beat"},
      makeGenerate("gen_word", "w", "Words",
                   {ContAssign{"word_err[w]", "^data_i[w*WordBits +: WordBits]", ""},
                    ContAssign{"data_o[w*WordBits +: WordBits]",
                               "data_i[w*WordBits +: WordBits] & {WordBits{!word_err[w]}}", ""}}),
  };
  // A sum unrolled into statements: a generate chain over one vector is circular for Verilator.
  std::vector<Stmt> sum = {Stmt::assign("beat_zeroed", "'0")};
  for (int w = 0; w < cfg.array.cols / wp(cfg).wordWeights; ++w)
    sum.push_back(Stmt::assign("beat_zeroed", fmt::format("beat_zeroed + CountBits'(word_err[{}])", w)));
  m.items.push_back(AlwaysComb{"p_beat_zeroed", "", sum});
  if (rows > 1) {
    m.params.push_back({"BeatBits", std::to_string(bitsFor(rows)), true, "holds Rows-1, derived"});
    m.items.push_back(reg("beat_q", "BeatBits", "beat of the current load", {"parity_ctrl"}));
    m.items.push_back(AlwaysFF{"p_beat", "the ctrl's row counter, seen from the load port",
                               {Stmt::assign("beat_q", "'0")},
                               {Stmt::ifThen("load_i", {Stmt::assign("beat_q", "beat_q == BeatBits'(Rows - 1) ? '0 : beat_q + BeatBits'(1)")})}});
    m.items.push_back(ContAssign{"load_count", "beat_q == '0 ? '0 : count_q", ""});
  } else {
    m.items.push_back(ContAssign{"load_count", "'0", "one beat per load"});
  }
  m.items.push_back(AlwaysFF{"p_count", "",
                             {Stmt::assign("count_q", "'0")},
                             {Stmt::ifThen("load_i", {Stmt::assign("count_q", "load_count + beat_zeroed")})}});
  m.items.push_back(ContAssign{"count_o", "count_q", ""});
  m.items.push_back(ContAssign{"flag_o", "|count_q", ""});
  return m;
}

class WeightParity final : public ProtectionUnit {
 public:
  std::string_view name() const override { return "weight_parity"; }

  std::vector<config::KeyRow> configKeys() const override {
    auto on = [](const config::Config& c) { return wp(c).enable; };
    config::KeyRow enable;
    enable.path = "protect.weight_parity.enable";
    enable.kind = config::Kind::Bool;
    enable.max = 1;
    enable.get = [](const config::Config& c) { return config::Value{wp(c).enable}; };
    enable.set = [](config::Config& c, const config::Value& v) { c.protect.weightParity.enable = std::get<bool>(v); };
    enable.nameSuffix = [](const config::Config& c) {
      return wp(c).enable ? fmt::format("_wp{}", wp(c).wordWeights) : std::string();
    };
    enable.present = on;
    // On the enable row, which is given whenever the unit is on (the word size may be a default).
    enable.check = [](const config::Config& c) -> std::string {
      if (!wp(c).enable) return "";
      if (c.array.dataflow == config::Dataflow::IS)
        return "'protect.weight_parity.enable' = true needs array.dataflow = \"ws\": the IS load "
               "port carries inputs, which no host packs, and its weights stream";
      if (c.array.dataflow == config::Dataflow::OS)
        return "'protect.weight_parity.enable' = true needs array.dataflow = \"ws\": OS streams the "
               "weights with the activations and has no weight load port";
      if (c.array.cols % wp(c).wordWeights == 0) return "";
      return fmt::format("'protect.weight_parity.word_weights' = {} does not divide the load beat of "
                         "array.cols = {} weights; allowed: {}",
                         wp(c).wordWeights, c.array.cols, divisors(c.array.cols));
    };
    config::KeyRow words;
    words.path = "protect.weight_parity.word_weights";
    words.kind = config::Kind::Int;
    words.min = 1;
    words.max = 256;
    words.get = [](const config::Config& c) { return config::Value{int64_t{wp(c).wordWeights}}; };
    words.set = [](config::Config& c, const config::Value& v) {
      c.protect.weightParity.wordWeights = static_cast<int>(std::get<int64_t>(v));
    };
    words.present = on;
    config::KeyRow flip;
    flip.path = "protect.weight_parity.flip";
    flip.kind = config::Kind::String;
    flip.choices = {"largest", "last"};
    flip.get = [](const config::Config& c) { return config::Value{wp(c).flip}; };
    flip.set = [](config::Config& c, const config::Value& v) { c.protect.weightParity.flip = std::get<std::string>(v); };
    flip.present = on;
    return {enable, words, flip};
  }

  bool enabled(const config::Config& cfg) const override { return wp(cfg).enable; }

  std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const override {
    return {{checker(cfg, top), ExtraModule::Parent::Top, 1}};
  }

  void attachLoadPath(LoadPathHook& hook, const config::Config& cfg) const override {
    Module& top = hook.top;
    top.description.push_back(fmt::format(
        "Weight parity: every word of {} weights on {} needs even parity (host-packed); a",
        wp(cfg).wordWeights, hook.data));
    top.description.push_back("failing word loads as zeros; wparity_count_o counts them per matrix load.");
    top.ports.push_back({Dir::Out, "wparity_count_o", std::to_string(countBits(cfg)),
                         "weight words zeroed in the current load"});
    top.ports.push_back({Dir::Out, "wparity_flag_o", "", "wparity_count_o is not zero"});
    // Declared before the array instance that reads it.
    top.items.insert(top.items.begin(), Signal{"wparity_data", hook.lanes + "*" + hook.laneBits, "load beat after the parity check"});
    top.items.push_back(Instance{top.name + "_wparity",
                                 "u_wparity",
                                 {{"Rows", "Rows"},
                                  {"Cols", "Cols"},
                                  {"DataBits", "DataBits"},
                                  {"WordWeights", std::to_string(wp(cfg).wordWeights)}},
                                 {{"clk_i", "clk_i"},
                                  {"rst_ni", "rst_ni"},
                                  {"load_i", hook.taken},
                                  {"data_i", hook.data},
                                  {"data_o", "wparity_data"},
                                  {"count_o", "wparity_count_o"},
                                  {"flag_o", "wparity_flag_o"}},
                                 "parity check per memory word, failing words zeroed"});
    hook.data = "wparity_data";
  }

  std::vector<PortGroup> portGroups() const override { return {{"wparity_", "weight_parity"}}; }

  std::string protocol(const config::Config& cfg) const override {
    if (!wp(cfg).enable)
      return "not generated (protect.weight_parity.enable = false; WS only: words of word_weights "
             "weights on the weight load beat, host-packed to even parity)";
    return fmt::format(
        "wload beat = {} memory words of {} weights (word j = lanes {}j..{}j+{}), each packed by the "
        "host to even parity over its {} bits (rule '{}': the LSB of one weight per odd word is "
        "flipped); a word with odd parity is loaded as zeros. wparity_count_o counts the words "
        "zeroed since the first beat of the current matrix load (held until the next load starts), "
        "wparity_flag_o = count != 0: an event, not an alarm (the zeroing is the mitigation)",
        cfg.array.cols / wp(cfg).wordWeights, wp(cfg).wordWeights, wp(cfg).wordWeights,
        wp(cfg).wordWeights, wp(cfg).wordWeights - 1, wp(cfg).wordWeights * cfg.data.bits, wp(cfg).flip);
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.weightParity.enable = false;
    return base;
  }

  std::string referenceFigures(const config::Config&) const override {
    return "seed 001 (Opportunistic Parity): zero storage overhead (no check bits); no checker "
           "area published";
  }

  std::string harnessDriver() const override { return "protect/parity/ParityDriver.h"; }
  std::string harnessDefines(const config::Config& cfg) const override {
    return fmt::format("#define FTACCEL_WPARITY_WORD {}\n#define FTACCEL_WPARITY_FLIP_LAST {}\n",
                       wp(cfg).wordWeights, wp(cfg).flip == "last" ? 1 : 0);
  }
};

}  // namespace

int countBits(const config::Config& cfg) {
  return bitsFor(static_cast<long>(cfg.array.rows) * (cfg.array.cols / wp(cfg).wordWeights) + 1);
}

const ProtectionUnit& unit() {
  static const WeightParity instance;
  return instance;
}

}  // namespace ftaccel::protect::parity
