// Sanity-Check unit: the spatial checksum column (one sanity neuron PE per array row, weight
// -sum_u W[k][u] loaded beside weight row k), its de-skew, the adder tree over every result
// vector plus the sanity neuron, and the alarms (SPEC §4, dissertation ch. 6, Fig. 6.2).
#include "protect/sanity/SanityUnit.h"

#include <fmt/format.h>

#include <algorithm>

#include "protect/sanity/SanityModel.h"
#include "units/IpDesign.h"
#include "units/Units.h"

namespace ftaccel::protect::sanity {

using namespace ir;
using config::SanityCheck;

namespace {

const char* modeName(SanityCheck m) {
  switch (m) {
    case SanityCheck::Off: return "off";
    case SanityCheck::Spatial: return "spatial";
    case SanityCheck::Temporal: return "temporal";
    case SanityCheck::Both: return "both";
  }
  return "off";
}

Widths widthsOf(const config::Config& cfg) {
  return widths(cfg.data.bits, cfg.data.accBits, cfg.array.cols, cfg.protect.sanityResidueBits);
}

// Bits that hold every value up to `bound`.
int bitsFor(golden::UWide bound) {
  int b = 1;
  while (b < 128 && (bound >> b) != 0) ++b;
  return b;
}

// Items that fold `in` (`inBits` wide, value <= bound) to `out` (r bits, value in [0, m]):
// end-around stages (s & m) + (s >> r) until the bound fits r bits, as SanityModel's fold().
std::vector<Item> foldItems(const std::string& prefix, std::string in, int inBits, golden::UWide bound, int r,
                            const std::string& out) {
  const golden::UWide m = modulus(r);
  std::vector<Item> items;
  for (int stage = 0; bound > m; ++stage) {
    // Largest (s & m) + (s >> r) over s <= bound: the top quotient with the bound's low digit,
    // or one quotient less with a full low digit.
    const golden::UWide q = bound >> r;
    bound = std::max((bound & m) + q, m + q - 1);
    const int w = bitsFor(bound);
    const std::string next = fmt::format("{}_f{}", prefix, stage);
    items.push_back(Signal{next, std::to_string(w), stage == 0 ? "end-around fold (mod 2^r - 1)" : ""});
    items.push_back(ContAssign{next, fmt::format("{0}'({1}[{2}:0]) + {0}'({1}[{3}:{4}])", w, in, r - 1, inBits - 1, r), ""});
    in = next;
    inBits = w;
  }
  items.push_back(ContAssign{out, inBits == r ? in : fmt::format("{}'({})", r, in), ""});
  return items;
}

// Items that fold the signed `bits`-bit value `in` to `out` (r bits), as foldSigned(): sign
// extension to K*r bits, the K digits plus m - 1 when negative, then end-around folds.
std::vector<Item> foldSignedItems(const std::string& prefix, const std::string& in, int bits, int r,
                                  const std::string& out) {
  const golden::UWide m = modulus(r);
  const int k = (bits + r - 1) / r;
  const golden::UWide bound = static_cast<golden::UWide>(k) * m + (m - 1);
  const int w = bitsFor(bound);
  const std::string ext = prefix + "_ext", sum = prefix + "_digits";
  std::string expr = fmt::format("({}[{}] ? {}'d{} : {}'d0)", ext, k * r - 1, w, static_cast<uint64_t>(m - 1), w);
  for (int i = 0; i < k; ++i) expr += fmt::format(" + {}'({}[{}:{}])", w, ext, (i + 1) * r - 1, i * r);
  std::vector<Item> items = {
      Signal{ext, std::to_string(k * r), "sign-extended to whole r-bit digits"},
      Signal{sum, std::to_string(w), "digit sum; m - 1 stands for the 2^(K*r) of a negative value"},
      ContAssign{ext, fmt::format("{}'($signed({}))", k * r, in), ""},
      ContAssign{sum, expr, ""},
  };
  for (auto& it : foldItems(prefix, sum, w, bound, r, out)) items.push_back(std::move(it));
  return items;
}

// The port connection of `port` on instance `inst` (the array's enable, operands and load
// strobe, whatever the top calls them).
std::string connection(const Instance& inst, const std::string& port) {
  for (const auto& [p, expr] : inst.ports)
    if (p == port) return expr;
  return "";
}

// Rows checksum PEs (no activation forwarding: nothing lies east of them), fed with the
// skewed operands that enter the array's west edge, so the column's result leaves with
// column 0's; Cols-1 stages then align it with the de-skewed outputs.
Module columnModule(const config::Config& cfg, const std::string& name) {
  const Widths w = widthsOf(cfg);
  const int depth = cfg.array.cols - 1, r = cfg.protect.sanityResidueBits;
  Module m;
  m.name = name;
  m.description = {
      "Sanity-Check spatial checksum column (dissertation ch. 6): PE r holds the checksum",
      "weight -sum_u W[r][u], loaded through its own shift chain on the array's load strobe,",
      "and multiplies the activation that enters array row r; the column's dot product",
      "(minus the sum of every output of the vector) is delayed Cols-1 cycles to line up",
      "with the de-skewed results.",
  };
  m.params = {
      {"Rows", std::to_string(cfg.array.rows), false, ""},
      {"DataBits", std::to_string(cfg.data.bits), false, "activation width"},
      {"WeightBits", std::to_string(w.weightBits), false, "checksum weight width"},
      {"SumBits", std::to_string(w.sumBits), false, "checksum partial-sum width"},
  };
  if (r == 0) m.params.push_back({"ProdBits", "DataBits + WeightBits", true, "full-width product, derived"});
  m.ports = units::clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "Rows*DataBits", "the skewed activations of the array's west edge"},
      {Dir::In, "swap_i", "Rows", "their swap tags, one cycle ahead (as in the array)"},
      {Dir::In, "wload_i", "", "shift the checksum weight chain"},
      {Dir::In, "wdata_i", "WeightBits", "checksum weight entering at the bottom"},
      {Dir::Out, "sum_o", "SumBits", "sanity neuron output, aligned with the de-skewed results"},
  });
  if (r == 0) m.checks = {{"ProdBits <= SumBits", "SumBits must hold a full checksum product"}};
  // Exact: a full product added to the partial sum. Residue: the activation and the product
  // folded modulo 2^r - 1, the partial sum added with end-around carry.
  std::vector<Item> mac;
  if (r == 0) {
    mac = {Signal{"product", "ProdBits", "", true},
           ContAssign{"product",
                      "ProdBits'($signed(" + units::slice("act_i", "r", "DataBits") + ")) * ProdBits'($signed(weight_q))",
                      ""},
           Signal{"psum_d", "SumBits", ""},
           ContAssign{"psum_d", units::slice("psum_net", "r", "SumBits") + " + SumBits'(product)", ""}};
  } else {
    const golden::UWide mod = modulus(r);
    mac = {Signal{"act_res", "SumBits", "activation mod 2^r - 1"},
           Signal{"product", std::to_string(2 * r), ""},
           Signal{"prod_res", "SumBits", ""},
           Signal{"psum_add", std::to_string(r + 1), ""},
           Signal{"psum_d", "SumBits", ""}};
    for (auto& it : foldSignedItems("act", units::slice("act_i", "r", "DataBits"), cfg.data.bits, r, "act_res"))
      mac.push_back(std::move(it));
    mac.push_back(ContAssign{"product", fmt::format("{0}'(act_res) * {0}'(weight_q)", 2 * r), ""});
    for (auto& it : foldItems("prod", "product", 2 * r, mod * mod, r, "prod_res")) mac.push_back(std::move(it));
    mac.push_back(ContAssign{"psum_add", fmt::format("{0}'({1}) + {0}'(prod_res)", r + 1,
                                                     units::slice("psum_net", "r", "SumBits")),
                             ""});
    for (auto& it : foldItems("psum", "psum_add", r + 1, 2 * mod, r, "psum_d")) mac.push_back(std::move(it));
  }
  std::vector<Item> row = {
      reg("shadow_q", "WeightBits", "next checksum weight", {"sanity_shadow", LiveClass::None}),
      reg("weight_q", "WeightBits", "checksum weight in use", {"sanity_weight", LiveClass::None}),
      reg("psum_q", "SumBits", "", {"sanity_psum", LiveClass::None})};
  row.insert(row.end(), mac.begin(), mac.end());
  row.insert(row.end(), {
      // One register per block: the fault-injection pass places sites per block in loops.
      AlwaysFF{"p_psum", "", {Stmt::assign("psum_q", "'0")}, {Stmt::ifThen("en_i", {Stmt::assign("psum_q", "psum_d")})}},
      AlwaysFF{"p_weight", "",
               {Stmt::assign("weight_q", "'0")},
               {Stmt::ifThen("en_i && swap_i[r]", {Stmt::assign("weight_q", "shadow_q")})}},
      AlwaysFF{"p_shadow", "",
               {Stmt::assign("shadow_q", "'0")},
               {Stmt::ifThen("wload_i", {Stmt::assign("shadow_q", units::slice("wchain_net", "r+1", "WeightBits"))})}},
      ContAssign{units::slice("psum_net", "r+1", "SumBits"), "psum_q", ""},
      ContAssign{units::slice("wchain_net", "r", "WeightBits"), "shadow_q", ""}});
  m.items = {
      Signal{"psum_net", "(Rows+1)*SumBits", "index r: partial sum entering PE r"},
      Signal{"wchain_net", "(Rows+1)*WeightBits", "index r: output of PE r"},
      Signal{"unused_wchain_north", "WeightBits", "the chain ends at row 0"},
      ContAssign{units::slice("psum_net", "0", "SumBits"), "'0", ""},
      ContAssign{units::slice("wchain_net", "Rows", "WeightBits"), "wdata_i", ""},
      ContAssign{"unused_wchain_north", units::slice("wchain_net", "0", "WeightBits"), ""},
      makeGenerate("gen_row", "r", "Rows", row),
  };
  if (depth == 0) {
    m.items.push_back(ContAssign{"sum_o", units::slice("psum_net", "Rows", "SumBits"), "a single column: no de-skew"});
    return m;
  }
  m.params.push_back({"Depth", std::to_string(depth), false, "de-skew stages (Cols - 1)"});
  m.items.push_back(Signal{"deskew_net", "(Depth+1)*SumBits", "index i: input of stage i"});
  m.items.push_back(ContAssign{units::slice("deskew_net", "0", "SumBits"), units::slice("psum_net", "Rows", "SumBits"), ""});
  m.items.push_back(makeGenerate(
      "gen_deskew", "i", "Depth",
      {reg("stage_q", "SumBits", "", {"sanity_deskew", LiveClass::None}),
       AlwaysFF{"p_stage", "", {Stmt::assign("stage_q", "'0")},
                {Stmt::ifThen("en_i", {Stmt::assign("stage_q", units::slice("deskew_net", "i", "SumBits"))})}},
       ContAssign{units::slice("deskew_net", "i+1", "SumBits"), "stage_q", ""}}));
  m.items.push_back(ContAssign{"sum_o", units::slice("deskew_net", "Depth", "SumBits"), ""});
  return m;
}

// The check: sum of every result lane plus the sanity neuron (a tree of SumBits adders),
// |sum| > threshold_q sets the per-vector flag and the sticky alarm one cycle later. The
// threshold is a run-time register written through threshold_we_i (reset 0: exact). In
// residue mode the lanes are folded modulo 2^r - 1, the tree adds with end-around carry and
// any non-zero residue (neither 0 nor all ones) alarms: there is no magnitude to threshold.
Module checkModule(const config::Config& cfg, const std::string& name) {
  const Widths w = widthsOf(cfg);
  const int r = cfg.protect.sanityResidueBits;
  Module m;
  m.name = name;
  m.description = {
      "Sanity-Check spatial check: for every result vector taken, the sum of its Cols lanes",
      r ? "and the sanity neuron is zero modulo 2^r - 1 when nothing went wrong (end-around carry)."
        : "and the sanity neuron is zero when nothing went wrong (exact integer arithmetic).",
      r ? "flag_o: the residue is not zero for the vector taken one cycle earlier; alarm_o: sticky"
        : "flag_o: |sum| > threshold for the vector taken one cycle earlier; alarm_o: sticky",
      "until clear_i.",
  };
  m.params = {
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"AccBits", std::to_string(cfg.data.accBits), false, "result lane width"},
      {"SumBits", std::to_string(w.sumBits), false, r ? "residue width r" : "check-sum width"},
  };
  m.ports = units::clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "taken_i", "", "a result vector is taken this cycle"},
      {Dir::In, "data_i", "Cols*AccBits", "the result vector"},
      {Dir::In, "sanity_i", "SumBits", "the sanity neuron, aligned with data_i"},
  });
  if (r == 0)
    m.ports.insert(m.ports.end(), {
        {Dir::In, "threshold_i", "SumBits", "new threshold: largest |sum| accepted (unsigned)"},
        {Dir::In, "threshold_we_i", "", "write threshold_i into the threshold register"},
    });
  m.ports.insert(m.ports.end(), {
      {Dir::In, "clear_i", "", "clear the sticky alarm"},
      {Dir::Out, "flag_o", "", "the previous vector taken failed the check"},
      {Dir::Out, "alarm_o", "", "sticky: some vector failed since the last clear"},
  });
  if (r == 0) m.checks = {{"SumBits > AccBits", "SumBits must be wider than a result lane"}};
  // A balanced tree: level 0 holds the sanity neuron and the lanes (sign-extended, or folded),
  // each level adds neighbours pairwise (one signal per level, so no level feeds itself).
  std::vector<Item> lane;
  const std::string laneIn = units::slice("data_i", "c", "AccBits"), laneOut = units::slice("tree_0", "c+1", "SumBits");
  if (r == 0)
    lane = {ContAssign{laneOut, "SumBits'($signed(" + laneIn + "))", ""}};
  else
    lane = foldSignedItems("lane", laneIn, cfg.data.accBits, r, laneOut);
  m.items = {
      Signal{"tree_0", "(Cols+1)*SumBits", "index 0: sanity neuron, index c+1: lane c"},
      ContAssign{units::slice("tree_0", "0", "SumBits"), "sanity_i", ""},
      makeGenerate("gen_lane", "c", "Cols", lane),
  };
  int terms = cfg.array.cols + 1, level = 0;
  while (terms > 1) {
    const std::string in = fmt::format("tree_{}", level), out = fmt::format("tree_{}", level + 1);
    const int pairs = terms / 2, next = (terms + 1) / 2;
    const std::string a = units::slice(in, "2*j", "SumBits"), b = units::slice(in, "2*j+1", "SumBits"),
                      o = units::slice(out, "j", "SumBits");
    std::vector<Item> add;
    if (r == 0) {
      add = {ContAssign{o, a + " + " + b, ""}};
    } else {
      add = {Signal{"pair", std::to_string(r + 1), ""},
             ContAssign{"pair", fmt::format("{0}'({1}) + {0}'({2})", r + 1, a, b), ""}};
      for (auto& it : foldItems("pair", "pair", r + 1, 2 * modulus(r), r, o)) add.push_back(std::move(it));
    }
    m.items.push_back(Signal{out, fmt::format("{}*SumBits", next), ""});
    m.items.push_back(makeGenerate(fmt::format("gen_add_{}", level), "j", std::to_string(pairs), add));
    if (terms % 2)
      m.items.push_back(ContAssign{units::slice(out, std::to_string(pairs), "SumBits"),
                                   units::slice(in, std::to_string(terms - 1), "SumBits"), "odd term passes"});
    terms = next;
    ++level;
  }
  m.items.push_back(Signal{"sum", "SumBits", ""});
  m.items.push_back(Signal{"mismatch", "", ""});
  m.items.push_back(ContAssign{"sum", fmt::format("tree_{}[SumBits-1:0]", level), ""});
  if (r == 0) {
    m.items.insert(m.items.end(), {
        Signal{"magnitude", "SumBits", "|sum| (unsigned; -2^(SumBits-1) maps to 2^(SumBits-1))"},
        reg("threshold_q", "SumBits", "run-time threshold (reset 0: exact)", {"sanity_threshold", LiveClass::None}),
        ContAssign{"magnitude", "sum[SumBits-1] ? (~sum + 1'b1) : sum", ""},
        ContAssign{"mismatch", "taken_i && (magnitude > threshold_q)", ""},
        AlwaysFF{"p_threshold", "",
                 {Stmt::assign("threshold_q", "'0")},
                 {Stmt::ifThen("threshold_we_i", {Stmt::assign("threshold_q", "threshold_i")})}},
    });
  } else {
    m.items.push_back(ContAssign{"mismatch", "taken_i && (sum != '0) && (sum != '1)", "0 and all ones: residue 0"});
  }
  m.items.insert(m.items.end(), {
      reg("flag_q", "", "per-vector flag", {"sanity_flag", LiveClass::None}),
      reg("alarm_q", "", "sticky alarm", {"sanity_alarm", LiveClass::None}),
      AlwaysFF{"p_flag", "", {Stmt::assign("flag_q", "1'b0")}, {Stmt::assign("flag_q", "mismatch")}},
      AlwaysFF{"p_alarm", "",
               {Stmt::assign("alarm_q", "1'b0")},
               {Stmt::ifElseIf({{"mismatch", {Stmt::assign("alarm_q", "1'b1")}},
                                {"clear_i", {Stmt::assign("alarm_q", "1'b0")}}})}},
      ContAssign{"flag_o", "flag_q", ""},
      ContAssign{"alarm_o", "alarm_q", ""},
  });
  return m;
}

class Sanity final : public ProtectionUnit {
 public:
  std::string_view name() const override { return "sanity"; }

  std::vector<config::KeyRow> configKeys() const override {
    config::KeyRow mode;
    mode.path = "protect.sanity_check";
    mode.kind = config::Kind::String;
    mode.choices = {"off", "spatial", "temporal", "both"};
    mode.get = [](const config::Config& c) { return config::Value{std::string(modeName(c.protect.sanityCheck))}; };
    mode.set = [](config::Config& c, const config::Value& v) {
      const auto& s = std::get<std::string>(v);
      c.protect.sanityCheck = s == "spatial"    ? SanityCheck::Spatial
                              : s == "temporal" ? SanityCheck::Temporal
                              : s == "both"     ? SanityCheck::Both
                                                : SanityCheck::Off;
    };
    mode.nameSuffix = [](const config::Config& c) {
      return c.protect.sanityCheck == SanityCheck::Off ? std::string()
                                                       : fmt::format("_sc{}", modeName(c.protect.sanityCheck)[0]);
    };
    mode.present = [](const config::Config& c) { return c.protect.sanityCheck != SanityCheck::Off; };
    mode.check = [](const config::Config& c) -> std::string {
      const std::string key = fmt::format("'protect.sanity_check' = \"{}\" ", modeName(c.protect.sanityCheck));
      if (c.protect.sanityCheck == SanityCheck::Temporal || c.protect.sanityCheck == SanityCheck::Both)
        return key + "is not implemented yet: only \"spatial\" (the weight checksum column) is built; "
               "allowed today: \"off\", \"spatial\"";
      if (c.protect.sanityCheck == SanityCheck::Spatial && c.array.dataflow == config::Dataflow::OS)
        return key + "cannot work with array.dataflow = \"os\" here: the checksum column needs a "
               "stationary operand loaded row by row (ws: weights, is: inputs); OS streams both "
               "operands and keeps outputs in the PEs. Use \"ws\" or \"is\", or \"off\"";
      return "";
    };
    config::KeyRow residue;
    residue.path = "protect.sanity_residue_bits";
    residue.kind = config::Kind::Int;
    residue.min = 0;
    residue.max = 32;
    residue.get = [](const config::Config& c) { return config::Value{int64_t{c.protect.sanityResidueBits}}; };
    residue.set = [](config::Config& c, const config::Value& v) {
      c.protect.sanityResidueBits = static_cast<int>(std::get<int64_t>(v));
    };
    residue.nameSuffix = [](const config::Config& c) {
      return c.protect.sanityResidueBits ? fmt::format("_r{}", c.protect.sanityResidueBits) : std::string();
    };
    residue.present = [](const config::Config& c) { return c.protect.sanityResidueBits != 0; };
    residue.check = [](const config::Config& c) -> std::string {
      const int r = c.protect.sanityResidueBits;
      if (r == 0) return "";
      const std::string key = fmt::format("'protect.sanity_residue_bits' = {} ", r);
      if (c.protect.sanityCheck == SanityCheck::Off) return key + "needs protect.sanity_check other than \"off\"";
      if (r < 2) return key + "is too small: modulo 2^1 - 1 = 1 every sum is 0; use 2..32, or 0 for exact sums";
      const int exact = widths(c.data.bits, c.data.accBits, c.array.cols).sumBits;
      if (r >= exact)
        return key + fmt::format("is not below the exact check-sum width ({} bits for these data, accumulator and "
                                 "column widths): residues save nothing there; use 2..{}, or 0 for exact sums",
                                 exact, exact - 1);
      return "";
    };
    return {mode, residue};
  }

  bool enabled(const config::Config& cfg) const override { return cfg.protect.sanityCheck != SanityCheck::Off; }

  std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const override {
    return {{columnModule(cfg, top + "_sanity_col"), ExtraModule::Parent::Top, 1},
            {checkModule(cfg, top + "_sanity_check"), ExtraModule::Parent::Top, 1}};
  }

  void attachTop(Module& top, Instance& array, const config::Config& cfg) const override {
    const Widths w = widthsOf(cfg);
    const int r = cfg.protect.sanityResidueBits;
    if (r == 0) {
      top.description.push_back("Sanity-Check (spatial): sanity_wload_data_i carries the checksum weight");
      top.description.push_back("-sum_u W[k][u] beside wload beat k; sanity_flag_o / sanity_alarm_o report a");
      top.description.push_back("result vector whose lanes plus the sanity neuron exceed the threshold register.");
    } else {
      top.description.push_back(fmt::format("Sanity-Check (spatial, residue mod 2^{} - 1): sanity_wload_data_i carries", r));
      top.description.push_back("(-sum_u W[k][u]) mod 2^r - 1 beside wload beat k; sanity_flag_o / sanity_alarm_o");
      top.description.push_back("report a result vector whose lanes plus the sanity neuron are not 0 mod 2^r - 1.");
    }
    top.ports.push_back({Dir::In, "sanity_wload_data_i", std::to_string(w.weightBits),
                         r ? "checksum weight residue of the load beat (0..2^r-2)"
                           : "checksum weight of the load beat (signed)"});
    if (r == 0) {
      top.ports.push_back({Dir::In, "sanity_threshold_i", std::to_string(w.sumBits),
                           "new alarm threshold: largest |check sum| accepted (unsigned)"});
      top.ports.push_back({Dir::In, "sanity_threshold_we_i", "", "write sanity_threshold_i into the threshold register"});
    }
    top.ports.push_back({Dir::In, "sanity_clear_i", "", "clear the sticky alarm"});
    top.ports.push_back({Dir::Out, "sanity_flag_o", "", "the vector taken last cycle failed the check"});
    top.ports.push_back({Dir::Out, "sanity_alarm_o", "", "sticky Sanity-Check alarm"});
    top.items.push_back(Signal{"sanity_sum", std::to_string(w.sumBits), "sanity neuron, de-skewed"});
    top.items.push_back(Instance{top.name + "_sanity_col",
                                 "u_sanity_col",
                                 {},
                                 {{"clk_i", "clk_i"},
                                  {"rst_ni", "rst_ni"},
                                  {"en_i", connection(array, "en_i")},
                                  {"act_i", connection(array, "act_i")},
                                  {"swap_i", connection(array, "swap_i")},
                                  {"wload_i", connection(array, "wload_i")},
                                  {"wdata_i", "sanity_wload_data_i"},
                                  {"sum_o", "sanity_sum"}},
                                 "checksum column beside the array's column 0"});
  }

  void attachOutputCheck(OutputCheckHook& hook, const config::Config& cfg) const override {
    // The column's sum meets its result vector in front of the output buffer: it follows it.
    const std::string sum = hook.alongResults("sanity_sum", std::to_string(widthsOf(cfg).sumBits), "sanity_sum");
    hook.top.items.push_back(Instance{hook.top.name + "_sanity_check",
                                      "u_sanity_check",
                                      {},
                                      {{"clk_i", "clk_i"},
                                       {"rst_ni", "rst_ni"},
                                       {"taken_i", hook.taken},
                                       {"data_i", hook.data},
                                       {"sanity_i", sum}},
                                      "sum of the results and the sanity neuron, alarm"});
    auto& check = std::get<Instance>(hook.top.items.back());
    if (cfg.protect.sanityResidueBits == 0)
      check.ports.insert(check.ports.end(),
                         {{"threshold_i", "sanity_threshold_i"}, {"threshold_we_i", "sanity_threshold_we_i"}});
    check.ports.insert(check.ports.end(),
                       {{"clear_i", "sanity_clear_i"}, {"flag_o", "sanity_flag_o"}, {"alarm_o", "sanity_alarm_o"}});
  }

  std::vector<PortGroup> portGroups() const override { return {{"sanity_", "sanity"}}; }

  std::string protocol(const config::Config& cfg) const override {
    if (!enabled(cfg))
      return "not generated (protect.sanity_check = \"off\"; \"spatial\" adds the weight checksum column)";
    const Widths w = widthsOf(cfg);
    const bool is = cfg.array.dataflow == config::Dataflow::IS;
    const int r = cfg.protect.sanityResidueBits;
    const std::string check =
        r == 0 ? fmt::format("|sum_c out[c] + sanity neuron| > the threshold register ({} bits, unsigned; written "
                             "from sanity_threshold_i in a cycle with sanity_threshold_we_i high, used from the next "
                             "cycle on; reset 0 = exact, no false alarm)",
                             w.sumBits)
               : fmt::format("sum_c out[c] + sanity neuron is not 0 modulo 2^{0} - 1 (residue mode: lanes folded, "
                             "end-around carry; an error that is a multiple of 2^{0} - 1 is not seen)",
                             r);
    return fmt::format(
        "spatial checksum ({} checksum): on every {} beat k drive sanity_wload_data_i ({} bits) "
        "with {} of that beat's lanes{}; every result vector taken is checked: {} "
        "raises sanity_flag_o for one cycle on the next edge (+1 cycle after the output "
        "handshake) and sets sanity_alarm_o until sanity_clear_i; results are never delayed. "
        "Detects any single error of a {} register or a PE result/output; errors of the streamed "
        "operand ({}) are not detected",
        is ? "input" : "weight", is ? "xload" : "wload", w.weightBits,
        r ? fmt::format("(-sum_c L[k][c]) mod 2^{} - 1 (0..2^{}-2)", r, r) : std::string("-sum_c L[k][c] (signed)"),
        // A bypassed PE ignores its lane: counting it would flag every vector.
        cfg.protect.bypass ? " without the lanes of the PEs bypassed in row k" : "", check,
        is ? "stationary input" : "weight", is ? "weights" : "activations");
  }

  std::vector<std::string> alarmPorts(const config::Config&) const override {
    return {"sanity_alarm_o", "sanity_flag_o"};
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.sanityCheck = SanityCheck::Off;
    base.protect.sanityResidueBits = 0;
    return base;
  }

  std::string referenceFigures(const config::Config&) const override {
    return "dissertation Table 6.3 (DesignCompiler, 15 nm, 64x64 16-bit): Sanity-Check hardware "
           "3.08 % area, 5.50 % power of the systolic array; rough estimate (n+3)/(n*S) = 2.5 % "
           "for S = 64, n = 5";
  }

  std::string harnessDriver() const override { return "protect/sanity/SanityDriver.h"; }
  std::string harnessDefines(const config::Config& cfg) const override {
    return fmt::format("#define FTACCEL_SANITY_RESIDUE_BITS {}\n", cfg.protect.sanityResidueBits);
  }
  bool harnessLoadBeat() const override { return true; }
  std::vector<std::string> loadBeatPorts(const config::Config&) const override { return {"sanity_wload_data_i"}; }
};

}  // namespace

const ProtectionUnit& unit() {
  static const Sanity instance;
  return instance;
}

}  // namespace ftaccel::protect::sanity
