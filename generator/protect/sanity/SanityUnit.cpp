// Sanity-Check unit: the spatial checksum column (one sanity neuron PE per array row, weight
// -sum_u W[k][u] loaded beside weight row k), its de-skew, the adder tree over every result
// vector plus the sanity neuron, and the alarms (SPEC §4, dissertation ch. 6, Fig. 6.2).
#include "protect/sanity/SanityUnit.h"

#include <fmt/format.h>

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

Widths widthsOf(const config::Config& cfg) { return widths(cfg.data.bits, cfg.data.accBits, cfg.array.cols); }

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
  const int depth = cfg.array.cols - 1;
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
      {"ProdBits", "DataBits + WeightBits", true, "full-width product, derived"},
  };
  m.ports = units::clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "Rows*DataBits", "the skewed activations of the array's west edge"},
      {Dir::In, "swap_i", "Rows", "their swap tags, one cycle ahead (as in the array)"},
      {Dir::In, "wload_i", "", "shift the checksum weight chain"},
      {Dir::In, "wdata_i", "WeightBits", "checksum weight entering at the bottom"},
      {Dir::Out, "sum_o", "SumBits", "sanity neuron output, aligned with the de-skewed results"},
  });
  m.checks = {{"ProdBits <= SumBits", "SumBits must hold a full checksum product"}};
  m.items = {
      Signal{"psum_net", "(Rows+1)*SumBits", "index r: partial sum entering PE r"},
      Signal{"wchain_net", "(Rows+1)*WeightBits", "index r: output of PE r"},
      Signal{"unused_wchain_north", "WeightBits", "the chain ends at row 0"},
      ContAssign{units::slice("psum_net", "0", "SumBits"), "'0", ""},
      ContAssign{units::slice("wchain_net", "Rows", "WeightBits"), "wdata_i", ""},
      ContAssign{"unused_wchain_north", units::slice("wchain_net", "0", "WeightBits"), ""},
      makeGenerate(
          "gen_row", "r", "Rows",
          {reg("shadow_q", "WeightBits", "next checksum weight", {"sanity_shadow", LiveClass::None}),
           reg("weight_q", "WeightBits", "checksum weight in use", {"sanity_weight", LiveClass::None}),
           reg("psum_q", "SumBits", "", {"sanity_psum", LiveClass::None}),
           Signal{"product", "ProdBits", "", true},
           ContAssign{"product",
                      "ProdBits'($signed(" + units::slice("act_i", "r", "DataBits") +
                          ")) * ProdBits'($signed(weight_q))",
                      ""},
           // One register per block: the fault-injection pass places sites per block in loops.
           AlwaysFF{"p_psum", "",
                    {Stmt::assign("psum_q", "'0")},
                    {Stmt::ifThen("en_i", {Stmt::assign("psum_q", units::slice("psum_net", "r", "SumBits") +
                                                                      " + SumBits'(product)")})}},
           AlwaysFF{"p_weight", "",
                    {Stmt::assign("weight_q", "'0")},
                    {Stmt::ifThen("en_i && swap_i[r]", {Stmt::assign("weight_q", "shadow_q")})}},
           AlwaysFF{"p_shadow", "",
                    {Stmt::assign("shadow_q", "'0")},
                    {Stmt::ifThen("wload_i", {Stmt::assign("shadow_q", units::slice("wchain_net", "r+1", "WeightBits"))})}},
           ContAssign{units::slice("psum_net", "r+1", "SumBits"), "psum_q", ""},
           ContAssign{units::slice("wchain_net", "r", "WeightBits"), "shadow_q", ""}}),
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
// |sum| > threshold_i sets the per-vector flag and the sticky alarm one cycle later.
Module checkModule(const config::Config& cfg, const std::string& name) {
  const Widths w = widthsOf(cfg);
  Module m;
  m.name = name;
  m.description = {
      "Sanity-Check spatial check: for every result vector taken, the sum of its Cols lanes",
      "and the sanity neuron is zero when nothing went wrong (exact integer arithmetic).",
      "flag_o: |sum| > threshold_i for the vector taken one cycle earlier; alarm_o: sticky",
      "until clear_i.",
  };
  m.params = {
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"AccBits", std::to_string(cfg.data.accBits), false, "result lane width"},
      {"SumBits", std::to_string(w.sumBits), false, "check-sum width"},
  };
  m.ports = units::clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "taken_i", "", "a result vector is taken this cycle"},
      {Dir::In, "data_i", "Cols*AccBits", "the result vector"},
      {Dir::In, "sanity_i", "SumBits", "the sanity neuron, aligned with data_i"},
      {Dir::In, "threshold_i", "SumBits", "largest |sum| accepted (unsigned)"},
      {Dir::In, "clear_i", "", "clear the sticky alarm"},
      {Dir::Out, "flag_o", "", "the previous vector taken failed the check"},
      {Dir::Out, "alarm_o", "", "sticky: some vector failed since the last clear"},
  });
  m.checks = {{"SumBits > AccBits", "SumBits must be wider than a result lane"}};
  // A balanced tree of SumBits adders: level 0 holds the sanity neuron and the sign-extended
  // lanes, each level adds neighbours pairwise (one signal per level, so no level feeds itself).
  m.items = {
      Signal{"tree_0", "(Cols+1)*SumBits", "index 0: sanity neuron, index c+1: lane c"},
      ContAssign{units::slice("tree_0", "0", "SumBits"), "sanity_i", ""},
      makeGenerate("gen_lane", "c", "Cols",
                   {ContAssign{units::slice("tree_0", "c+1", "SumBits"),
                               "SumBits'($signed(" + units::slice("data_i", "c", "AccBits") + "))", ""}}),
  };
  int terms = cfg.array.cols + 1, level = 0;
  while (terms > 1) {
    const std::string in = fmt::format("tree_{}", level), out = fmt::format("tree_{}", level + 1);
    const int pairs = terms / 2, next = (terms + 1) / 2;
    m.items.push_back(Signal{out, fmt::format("{}*SumBits", next), ""});
    m.items.push_back(makeGenerate(fmt::format("gen_add_{}", level), "j", std::to_string(pairs),
                                   {ContAssign{units::slice(out, "j", "SumBits"),
                                               units::slice(in, "2*j", "SumBits") + " + " +
                                                   units::slice(in, "2*j+1", "SumBits"),
                                               ""}}));
    if (terms % 2)
      m.items.push_back(ContAssign{units::slice(out, std::to_string(pairs), "SumBits"),
                                   units::slice(in, std::to_string(terms - 1), "SumBits"), "odd term passes"});
    terms = next;
    ++level;
  }
  m.items.insert(m.items.end(), {
      Signal{"sum", "SumBits", ""},
      Signal{"magnitude", "SumBits", "|sum| (unsigned; -2^(SumBits-1) maps to 2^(SumBits-1))"},
      Signal{"mismatch", "", ""},
      reg("flag_q", "", "per-vector flag", {"sanity_flag", LiveClass::None}),
      reg("alarm_q", "", "sticky alarm", {"sanity_alarm", LiveClass::None}),
      ContAssign{"sum", fmt::format("tree_{}[SumBits-1:0]", level), ""},
      ContAssign{"magnitude", "sum[SumBits-1] ? (~sum + 1'b1) : sum", ""},
      ContAssign{"mismatch", "taken_i && (magnitude > threshold_i)", ""},
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
      if (c.protect.sanityResidueBits == 0) return "";
      const std::string key = fmt::format("'protect.sanity_residue_bits' = {} ", c.protect.sanityResidueBits);
      if (c.protect.sanityCheck == SanityCheck::Off)
        return key + "needs protect.sanity_check other than \"off\"";
      return key + "is not implemented yet: residue (mod 2^r - 1) checksums are not built; allowed today: 0 "
             "(exact sums)";
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
    top.description.push_back("Sanity-Check (spatial): sanity_wload_data_i carries the checksum weight");
    top.description.push_back("-sum_u W[k][u] beside wload beat k; sanity_flag_o / sanity_alarm_o report a");
    top.description.push_back("result vector whose lanes plus the sanity neuron exceed sanity_threshold_i.");
    top.ports.push_back({Dir::In, "sanity_wload_data_i", std::to_string(w.weightBits),
                         "checksum weight of the load beat (signed)"});
    top.ports.push_back({Dir::In, "sanity_threshold_i", std::to_string(w.sumBits),
                         "alarm when |check sum| exceeds it (0: exact)"});
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
                                       {"sanity_i", sum},
                                       {"threshold_i", "sanity_threshold_i"},
                                       {"clear_i", "sanity_clear_i"},
                                       {"flag_o", "sanity_flag_o"},
                                       {"alarm_o", "sanity_alarm_o"}},
                                      "sum of the results and the sanity neuron, alarm"});
  }

  std::vector<PortGroup> portGroups() const override { return {{"sanity_", "sanity"}}; }

  std::string protocol(const config::Config& cfg) const override {
    if (!enabled(cfg))
      return "not generated (protect.sanity_check = \"off\"; \"spatial\" adds the weight checksum column)";
    const Widths w = widthsOf(cfg);
    const bool is = cfg.array.dataflow == config::Dataflow::IS;
    return fmt::format(
        "spatial checksum ({} checksum): on every {} beat k drive sanity_wload_data_i ({} bits, signed) "
        "with -sum_c L[k][c] of that beat's lanes; every result vector taken is checked: "
        "|sum_c out[c] + sanity neuron| > sanity_threshold_i ({} bits, unsigned; 0 = exact, no false "
        "alarm) raises sanity_flag_o for one cycle on the next edge (+1 cycle after the output "
        "handshake) and sets sanity_alarm_o until sanity_clear_i; results are never delayed. "
        "Detects any single error of a {} register or a PE result/output; errors of the streamed "
        "operand ({}) are not detected",
        is ? "input" : "weight", is ? "xload" : "wload", w.weightBits, w.sumBits,
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
  bool harnessLoadBeat() const override { return true; }
};

}  // namespace

const ProtectionUnit& unit() {
  static const Sanity instance;
  return instance;
}

}  // namespace ftaccel::protect::sanity
