// Sanity-Check unit: the spatial checksum column (one sanity neuron PE per array row, weight
// -sum_u W[k][u] loaded beside weight row k), its de-skew, the adder tree over every result
// vector plus the sanity neuron, and the alarms (SPEC §4, dissertation ch. 6, Fig. 6.2).
#include "protect/sanity/SanityUnit.h"

#include <fmt/format.h>

#include <algorithm>

#include "protect/sanity/SanityModel.h"
#include "protect/sanity/TemporalModel.h"
#include "units/PipelineModel.h"
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

// ---- Temporal (input) checksum (TemporalModel.h) ----

temporal::TemporalWidths temporalWidthsOf(const config::Config& cfg) {
  return temporal::temporalWidths(cfg.data.bits, cfg.data.accBits, cfg.protect.sanityMaxBatch);
}

bool hasSpatial(const config::Config& cfg) {
  return cfg.protect.sanityCheck == SanityCheck::Spatial || cfg.protect.sanityCheck == SanityCheck::Both;
}
bool hasTemporal(const config::Config& cfg) {
  return cfg.protect.sanityCheck == SanityCheck::Temporal || cfg.protect.sanityCheck == SanityCheck::Both;
}

// Width of the batch register: holds 1..maxBatch.
int batchBits(const config::Config& cfg) { return bitsFor(static_cast<golden::UWide>(cfg.protect.sanityMaxBatch)); }
// Width of the digit counters: holds 0..D-1.
int digitBits(const temporal::TemporalWidths& tw) { return bitsFor(static_cast<golden::UWide>(tw.digits - 1)); }

// The ctrl's valid pipe length: the stages the ctrl counts (everything but the output handshake).
int ctrlLatency(const config::Config& cfg) {
  const units::PipelineModel pipe = units::pipelineModel(cfg);
  int cycles = 0;
  for (const auto& s : pipe.stages)
    if (s.countedByCtrl)
      cycles += s.constant + (s.scales == units::PipelineStage::Scale::Rows   ? pipe.rows
                              : s.scales == units::PipelineStage::Scale::Cols ? pipe.cols
                                                                              : 0);
  return cycles;
}

// Input side: accumulators of the inverse -sum x over the batch, the batch register and
// counter, and the digit insertion (the stream held off while the D digit vectors enter).
Module temporalInModule(const config::Config& cfg, const std::string& name, const std::string& lanes) {
  const auto tw = temporalWidthsOf(cfg);
  const int b = cfg.data.bits, bb = batchBits(cfg), db = digitBits(tw), maxBatch = cfg.protect.sanityMaxBatch;
  Module m;
  m.name = name;
  m.description = {
      "Sanity-Check temporal checksum, input side (dissertation ch. 6): inv_q holds -sum x over the",
      "vectors of the current batch. The batch closes after batch_q vectors, before a vector with",
      "its swap flag set (a new matrix), or on close_i; then the stream is held off (ready_o low)",
      "while the D digit vectors of inv_q enter the pipeline as bubbles the ctrl does not count:",
      "digit j < D-1 = inv[j*Shift +: Shift] (non-negative), digit D-1 = the signed top bits.",
  };
  m.params = {
      {"Lanes", lanes, false, ""},
      {"DataBits", std::to_string(b), false, ""},
      {"InvBits", std::to_string(tw.inverseBits), false, "inverse accumulator width"},
      {"Digits", std::to_string(tw.digits), false, "digit vectors per batch (D)"},
      {"Shift", std::to_string(tw.digitShift), false, "digit j weighs 2^(j*Shift)"},
      {"BatchBits", std::to_string(bb), false, ""},
      {"MaxBatch", std::to_string(maxBatch), false, "batch register range 1..MaxBatch"},
      {"DigitBits", std::to_string(db), false, ""},
      {"ExtBits", "(Digits-1)*Shift + DataBits", true, "the inverse sign-extended over all digits, derived"},
  };
  m.ports = units::clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "valid_i", "", "the stream's valid"},
      {Dir::In, "swap_i", "", "its swap flag"},
      {Dir::In, "ready_i", "", "the ctrl's ready"},
      {Dir::In, "accept_i", "", "the ctrl takes a vector"},
      {Dir::In, "data_i", "Lanes*DataBits", "the vector taken (zero while idle)"},
      {Dir::In, "batch_i", "BatchBits", "new batch length N"},
      {Dir::In, "batch_we_i", "", "write batch_i (1..MaxBatch) into the batch register"},
      {Dir::In, "close_i", "", "close the current batch now"},
      {Dir::Out, "valid_o", "", "valid to the ctrl"},
      {Dir::Out, "ready_o", "", "the stream's ready"},
      {Dir::Out, "data_o", "Lanes*DataBits", "the vector entering the pipeline"},
      {Dir::Out, "insert_o", "", "data_o is a digit vector (it enters when en_i is high)"},
  });
  m.checks = {{"ExtBits >= InvBits", "the digits must cover the inverse"},
              {"MaxBatch >= 1", "MaxBatch must be at least 1"}};
  std::vector<Item> lane = {
      Signal{"x", "DataBits", ""},
      Signal{"inv_ext", "ExtBits", ""},
      ContAssign{"x", units::slice("data_i", "k", "DataBits"), ""},
      ContAssign{"inv_ext", "ExtBits'($signed(" + units::slice("inv_q", "k", "InvBits") + "))", ""},
      ContAssign{units::slice("inv_d", "k", "InvBits"),
                 units::slice("inv_q", "k", "InvBits") + " - InvBits'($signed(x))", ""},
  };
  for (int j = 0; j < tw.digits; ++j) {
    const std::string d = fmt::format("digit{}", j);
    lane.push_back(Signal{d, "DataBits", j == 0 ? "the digits of this lane's inverse" : ""});
    lane.push_back(ContAssign{d, j + 1 < tw.digits ? fmt::format("{{1'b0, inv_ext[{}:{}]}}", (j + 1) * tw.digitShift - 1, j * tw.digitShift)
                                                   : fmt::format("inv_ext[ExtBits-1:{}]", j * tw.digitShift),
                              ""});
  }
  // The digit select is registered per lane (sel_q[j] == phase_q && dcnt_q == j): one shared
  // flop would drive every lane's multiplexer, and a flip-flop's output net is not buffered.
  // Each copy shifts its own one-hot value under en_i || x[0]: x is zero whenever sel_q is not
  // (no vector is taken during the digit phase) and a shift of 0 is 0, so this is en_i; the
  // lane's own bit keeps synthesis from merging the copies back into one flip-flop.
  std::string pick = "({DataBits{sel_q == '0}} & x)";
  for (int j = 0; j < tw.digits; ++j) pick += fmt::format(" | ({{DataBits{{sel_q[{}]}}}} & digit{})", j, j);
  lane.push_back(reg("sel_q", "Digits", "this lane's copy of the digit select (one-hot, 0: data)",
                     {"sanity_tctrl", LiveClass::None}));
  lane.push_back(AlwaysFF{"p_sel", "", {Stmt::assign("sel_q", "'0")},
                          {Stmt::ifElseIf({{"close", {Stmt::assign("sel_q", "Digits'(1)")}},
                                           {"en_i || x[0]", {Stmt::assign("sel_q", "sel_q << 1")}}})}});
  lane.push_back(ContAssign{units::slice("data_o", "k", "DataBits"), pick, ""});
  const std::string inRange =
      (golden::UWide{1} << bb) - 1 > static_cast<golden::UWide>(maxBatch)
          ? "batch_we_i && (batch_i != '0) && (batch_i <= BatchBits'(MaxBatch))"
          : "batch_we_i && (batch_i != '0)";
  m.items = {
      reg("inv_q", "Lanes*InvBits", "-sum x over the batch so far", {"sanity_tinv", LiveClass::None}),
      reg("cnt_q", "BatchBits", "vectors taken in the current batch", {"sanity_tctrl", LiveClass::None}),
      reg("batch_q", "BatchBits", "batch length N (run-time register)", {"sanity_tbatch", LiveClass::None}),
      reg("lastv_q", "", "the next vector taken completes the batch: cnt_q + 1 >= batch_q",
          {"sanity_tctrl", LiveClass::None}),
      reg("open_q", "", "the batch holds a vector: cnt_q != 0", {"sanity_tctrl", LiveClass::None}),
      reg("phase_q", "", "digit vectors are being inserted", {"sanity_tctrl", LiveClass::None}),
      reg("dcnt_q", "DigitBits", "digit being inserted", {"sanity_tctrl", LiveClass::None}),
      Signal{"inv_d", "Lanes*InvBits", ""},
      Signal{"hold", "", "the stream waits"},
      Signal{"swap_close", "", "a swap vector waits for the batch in progress to close"},
      Signal{"full", "", "this vector completes the batch"},
      Signal{"close", "", ""},
      Signal{"last_digit", "", ""},
      Signal{"batch_we", "", "the batch register takes batch_i"},
      Signal{"batch_d", "BatchBits", "the batch register's next value"},
      Signal{"lastv_d", "", ""},
      Signal{"phase_d", "", ""},
      Signal{"dcnt_d", "DigitBits", ""},
      ContAssign{"swap_close", "valid_i && swap_i && open_q", ""},
      ContAssign{"hold", "phase_q || swap_close", ""},
      ContAssign{"valid_o", "valid_i && !hold", ""},
      ContAssign{"ready_o", "ready_i && !hold", ""},
      ContAssign{"insert_o", "phase_q", ""},
      ContAssign{"full", "accept_i && lastv_q", "registered: the count compare is off the handshake path"},
      ContAssign{"close", "!phase_q && (full || swap_close || (close_i && (open_q || accept_i)))", ""},
      ContAssign{"last_digit", "phase_q && en_i && (dcnt_q == DigitBits'(Digits - 1))", ""},
      ContAssign{"batch_we", inRange, ""},
      ContAssign{"batch_d", "batch_we ? batch_i : batch_q", ""},
      // cnt_q + 1 >= batch_q one cycle ahead, for each next count (0, cnt_q + 1, cnt_q), against
      // the batch register's next value: exact also when it is written in the middle of a batch.
      ContAssign{"lastv_d", "close ? (batch_d == BatchBits'(1)) : accept_i ? "
                            "((BatchBits+1)'(cnt_q) + (BatchBits+1)'(2) >= (BatchBits+1)'(batch_d)) : "
                            "((BatchBits+1)'(cnt_q) + 1'b1 >= (BatchBits+1)'(batch_d))", ""},
      ContAssign{"phase_d", "close || (phase_q && !last_digit)", ""},
      ContAssign{"dcnt_d", "last_digit ? '0 : (phase_q && en_i) ? dcnt_q + 1'b1 : dcnt_q", ""},
      makeGenerate("gen_lane", "k", "Lanes", lane),
      AlwaysFF{"p_inv", "", {Stmt::assign("inv_q", "'0")},
               {Stmt::ifElseIf({{"last_digit", {Stmt::assign("inv_q", "'0")}}, {"accept_i", {Stmt::assign("inv_q", "inv_d")}}})}},
      AlwaysFF{"p_cnt", "", {Stmt::assign("cnt_q", "'0")},
               {Stmt::ifElseIf({{"close", {Stmt::assign("cnt_q", "'0")}}, {"accept_i", {Stmt::assign("cnt_q", "cnt_q + 1'b1")}}})}},
      AlwaysFF{"p_lastv", "", {Stmt::assign("lastv_q", maxBatch == 1 ? "1'b1" : "1'b0")}, {Stmt::assign("lastv_q", "lastv_d")}},
      AlwaysFF{"p_open", "", {Stmt::assign("open_q", "1'b0")}, {Stmt::assign("open_q", "!close && (open_q || accept_i)")}},
      AlwaysFF{"p_phase", "", {Stmt::assign("phase_q", "1'b0")}, {Stmt::assign("phase_q", "phase_d")}},
      AlwaysFF{"p_dcnt", "", {Stmt::assign("dcnt_q", "'0")}, {Stmt::assign("dcnt_q", "dcnt_d")}},
      AlwaysFF{"p_batch", "values outside 1..MaxBatch are ignored", {Stmt::assign("batch_q", "BatchBits'(MaxBatch)")},
               {Stmt::assign("batch_q", "batch_d")}},
  };
  return m;
}

// Output side: per output position, the sum of the batch's delivered results (taken at the
// output handshake, behind the output buffer) plus its digit results (at the pipeline's exit,
// shifted by j*Shift; exact, or modulo 2^r - 1 with the digit residues rotated). A batch's digit
// results leave the pipeline while its last results may still wait in the two-entry buffer, and
// the next batch's results may enter it, so there are two banks: the exit bank (pushes and
// digits) and the report bank (deliveries; the oldest batch not yet reported). A batch is
// reported once its last digit has left the pipeline and its last result has been delivered.
Module temporalOutModule(const config::Config& cfg, const std::string& name, const std::string& lanes,
                         const std::string& laneBits) {
  const auto tw = temporalWidthsOf(cfg);
  const int r = cfg.protect.sanityResidueBits, db = digitBits(tw);
  const int accW = r ? r : tw.accBits;
  Module m;
  m.name = name;
  m.description = {
      "Sanity-Check temporal checksum, output side: per output position c and batch, the sum of",
      "the results delivered at the output handshake (behind the output buffer) and digit j's result",
      r ? "rotated by j*Shift mod r (modulo 2^r - 1, end-around carry) as it reaches the de-skew's output;"
        : "shifted left by j*Shift (exact modulo 2^AccW) as it reaches the de-skew's output;",
      "the digit results are recognised by a tag pipe parallel to the ctrl's valid pipe and are",
      "not delivered. Two banks: a batch's digits may arrive while its last results still wait in",
      "the output buffer. Once a batch's last digit has arrived and its last result has been",
      "delivered: pos_o = positions whose sum is not 0, flag_o and done_o for one cycle, alarm_o",
      "sticky until clear_i. Each position has its own flip-flop copies of the digit selects (decided",
      "a cycle ahead), of the report (its bank's sum restarts from 0 in the next cycle) and of the",
      "report bank (where its delivered result goes), so no flip-flop drives more than one",
      "position's adders.",
  };
  m.params = {
      {"Cols", lanes, false, "output positions"},
      {"AccBits", laneBits, false, "result lane width"},
      {"AccW", std::to_string(accW), false, r ? "residue width r" : "output accumulator width"},
      {"Digits", std::to_string(tw.digits), false, ""},
      {"DigitBits", std::to_string(db), false, ""},
      {"Latency", std::to_string(ctrlLatency(cfg)), false, "the ctrl's valid pipe length"},
  };
  if (r == 0) m.params.insert(m.params.begin() + 4, {"Shift", std::to_string(tw.digitShift), false, "digit j weighs 2^(j*Shift)"});
  m.ports = units::clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "insert_i", "", "a digit vector enters the pipeline (with en_i)"},
      {Dir::In, "push_i", "", "a data result leaves the pipeline into the output buffer"},
      {Dir::In, "results_i", "Cols*AccBits", "the de-skewed result vector (in front of the buffer)"},
      {Dir::In, "taken_i", "", "a result is delivered (output handshake)"},
      {Dir::In, "data_i", "Cols*AccBits", "the delivered result vector"},
      {Dir::In, "clear_i", "", "clear the sticky alarm"},
      {Dir::Out, "done_o", "", "a batch was checked (one cycle)"},
      {Dir::Out, "flag_o", "", "it failed (one cycle)"},
      {Dir::Out, "pos_o", "Cols", "failing positions of the last batch checked"},
      {Dir::Out, "alarm_o", "", "sticky"},
  });
  m.checks = {{"Latency >= 2", "the valid pipe has at least two stages"},
              {"Digits >= 2", "the inverse is wider than data.bits: at least two digit vectors"}};
  const std::string laneIn = units::slice("results_i", "c", "AccBits"), outIn = units::slice("data_i", "c", "AccBits");
  std::vector<Item> lane;
  if (r == 0) {
    lane = {Signal{"ext", "AccW", ""}, Signal{"xterm", "AccW", "delivered result"},
            ContAssign{"ext", "AccW'($signed(" + laneIn + "))", ""},
            ContAssign{"xterm", "AccW'($signed(" + outIn + "))", ""}};
  } else {
    lane = {Signal{"res", "AccW", ""}, Signal{"xterm", "AccW", "delivered result's residue"}};
    for (auto& it : foldSignedItems("lane", laneIn, cfg.data.accBits, r, "res")) lane.push_back(std::move(it));
    for (auto& it : foldSignedItems("out", outIn, cfg.data.accBits, r, "xterm")) lane.push_back(std::move(it));
  }
  auto rot = [&](int j) {
    const int s = (j * tw.digitShift) % r;
    return s == 0 ? std::string("res") : fmt::format("{{res[{}:0], res[{}:{}]}}", r - 1 - s, r - 1, r - s);
  };
  // This lane's copy of the report bank selects which bank its delivered result goes to (one
  // shared rbank_q would drive 2*Cols*AccW gates). The copy reloads from rbank_q's next value;
  // the term it reads of itself is 0 while it equals rbank_q (always, unless a flip parted
  // them: then it realigns within two cycles) and keeps synthesis from merging the copies.
  lane.push_back(Signal{"rb_c", "", "this lane's copy of rbank_q"});
  lane.push_back(ContAssign{"rb_c", "rb_q[c]", ""});
  lane.push_back(ContAssign{"rb_n[c]", "rbank_d && !(rb_c && !rbank_q)", ""});
  lane.push_back(Signal{"del0_c", "", "bank t takes this lane's delivered result"});
  lane.push_back(Signal{"del1_c", "", ""});
  lane.push_back(ContAssign{"del0_c", "taken_i && !rb_c", ""});
  lane.push_back(ContAssign{"del1_c", "taken_i && rb_c", ""});
  for (int t = 0; t < 2; ++t) {
    const std::string idx = t ? "Cols+c" : "c", sum = fmt::format("sum{}", t), dterm = fmt::format("dterm{}", t);
    const std::string accIn = units::slice("acc_q", idx, "AccW");
    // The digit term, selected by this lane's own registered one-hot selects, and the bank's
    // base, cleared by this lane's own registered report flag: on a large array one shared select
    // would drive Cols*AccW gates, and ABC buffers no flip-flop's output (sky130 64x64: 13.67 ns).
    // Each copy's next value also reads the copy itself through a term that is 0 in every
    // reachable state (two bits of a one-hot select, both banks cleared at once): the copies
    // are then different logic, which synthesis cannot merge back into one flip-flop.
    const std::string sel = fmt::format("dsel{}_c", t), clr = fmt::format("clr{}_c", t);
    lane.push_back(Signal{sel, "Digits", t ? "" : "bank t's digit selects (registered, this lane's copy)"});
    lane.push_back(ContAssign{sel, units::slice("dsel_q", idx, "Digits"), ""});
    lane.push_back(Signal{clr, "", t ? "" : "bank t reported on the last edge: its sum starts from 0"});
    lane.push_back(ContAssign{clr, fmt::format("clr_q[{}]", idx), ""});
    lane.push_back(ContAssign{units::slice("dsel_n", idx, "Digits"),
                              fmt::format("dsel{0}_d & ~{{Digits{{{1}[0] && {1}[1]}}}}", t, sel), ""});
    lane.push_back(ContAssign{fmt::format("clr_n[{}]", idx), fmt::format("fin{} && !(clr_q[c] && clr_q[Cols+c])", t), ""});
    std::string pick;
    for (int j = 0; j < tw.digits; ++j) {
      const std::string v = r ? rot(j)
                              : (j == 0 ? std::string("ext") : fmt::format("(ext << ({}*Shift))", j));
      pick += fmt::format("{}({{AccW{{{}[{}]}}}} & {})", j ? " | " : "", sel, j, v);
    }
    const std::string base = fmt::format("{}_base", sum);
    lane.push_back(Signal{base, "AccW", t ? "" : "bank t's accumulator, or 0 after its report"});
    lane.push_back(ContAssign{base, fmt::format("{{AccW{{!{}}}}} & {}", clr, accIn), ""});
    lane.push_back(Signal{dterm, "AccW", t ? "" : "bank t's digit term (0 unless a digit result of its batch arrives)"});
    lane.push_back(ContAssign{dterm, pick, ""});
    lane.push_back(Signal{sum, "AccW", t ? "" : "bank sums with this cycle's terms"});
    if (r == 0) {
      lane.push_back(ContAssign{sum, fmt::format("{0} + {2} + (del{1}_c ? xterm : '0)", base, t, dterm), ""});
      lane.push_back(ContAssign{fmt::format("mis{}[c]", t), sum + " != '0", ""});
    } else {
      const std::string tri = fmt::format("add{}", t);
      lane.push_back(Signal{tri, std::to_string(r + 2), ""});
      lane.push_back(ContAssign{tri, fmt::format("{0}'({1}) + {0}'({3}) + (del{2}_c ? {0}'(xterm) : {0}'d0)", r + 2,
                                                 base, t, dterm),
                                ""});
      for (auto& it : foldItems(tri, tri, r + 2, 3 * modulus(r), r, sum)) lane.push_back(std::move(it));
      lane.push_back(ContAssign{fmt::format("mis{}[c]", t), fmt::format("({0} != '0) && ({0} != '1)", sum),
                                t ? "" : "0 and all ones: residue 0"});
    }
    lane.push_back(ContAssign{units::slice("acc_n", idx, "AccW"), sum, ""});
  }
  m.items = {
      reg("dtag_q", "Latency", "digit tags beside the ctrl's valid pipe", {"sanity_tctrl", LiveClass::None}),
      reg("dseen_q", "DigitBits", "digit results seen of the batch leaving the pipeline", {"sanity_tctrl", LiveClass::None}),
      reg("adv_q", "", "the pipeline advanced on the last edge: the de-skewed result is new", {"sanity_tctrl", LiveClass::None}),
      reg("dsel_q", "2*Cols*Digits", "per bank and position: digit j's result is added (one-hot), decided a cycle ahead",
          {"sanity_tctrl", LiveClass::None}),
      reg("clr_q", "2*Cols", "per bank and position: the bank reported on the last edge", {"sanity_tctrl", LiveClass::None}),
      reg("obank_q", "", "bank of the batch leaving the pipeline (pushes, digits)", {"sanity_tctrl", LiveClass::None}),
      reg("rbank_q", "", "bank of the oldest batch not reported (deliveries)", {"sanity_tctrl", LiveClass::None}),
      reg("rb_q", "Cols", "per position: a copy of rbank_q (where its delivered result goes)", {"sanity_tctrl", LiveClass::None}),
      reg("pend_q", "4", "per bank: its results in the output buffer (0..2)", {"sanity_tctrl", LiveClass::None}),
      reg("ddone_q", "2", "per bank: its last digit has left the pipeline", {"sanity_tctrl", LiveClass::None}),
      reg("acc_q", "2*Cols*AccW", "output accumulators, index bank*Cols + c", {"sanity_tacc", LiveClass::None}),
      reg("pos_q", "Cols", "failing positions of the last batch", {"sanity_tpos", LiveClass::None}),
      reg("done_q", "", "a batch was checked", {"sanity_tflag", LiveClass::None}),
      reg("flag_q", "", "per-batch flag", {"sanity_tflag", LiveClass::None}),
      reg("alarm_q", "", "sticky alarm", {"sanity_talarm", LiveClass::None}),
      Signal{"acc_n", "2*Cols*AccW", ""},
      Signal{"mis0", "Cols", "bank 0, position c: the sum is not 0"},
      Signal{"mis1", "Cols", ""},
      Signal{"mis", "Cols", "the completing bank's"},
      Signal{"digit", "", "a digit result leaves the pipeline"},
      Signal{"last", "", "the batch's last digit result"},
      Signal{"dsel_n", "2*Cols*Digits", "dsel_q's next value"},
      Signal{"rb_n", "Cols", "rb_q's next value"},
      Signal{"rbank_d", "", "rbank_q's next value"},
      Signal{"clr_n", "2*Cols", "clr_q's next value"},
      Signal{"digit_d", "", "a digit result leaves the pipeline in the next cycle"},
      Signal{"obank_d", "", "obank_q's next value"},
      Signal{"dseen_d", "DigitBits", "dseen_q's next value"},
      Signal{"dsel0_d", "Digits", "bank t takes digit j's result in the next cycle (one-hot)"},
      Signal{"dsel1_d", "Digits", ""},
      Signal{"del0", "", "bank t takes a delivered result, a push"},
      Signal{"del1", "", ""},
      Signal{"push0", "", ""},
      Signal{"push1", "", ""},
      Signal{"dd", "2", "per bank: its digits are complete with this cycle's"},
      Signal{"done", "", "the report bank's batch is complete"},
      Signal{"fin0", "", ""},
      Signal{"fin1", "", ""},
      // Counted in the first cycle it is at the de-skew's output (en_i stays off the accumulators).
      ContAssign{"digit", "adv_q && dtag_q[Latency-1]", ""},
      ContAssign{"last", "digit && (dseen_q == DigitBits'(Digits - 1))", ""},
      // The next cycle's digit selects from this cycle's state: adv_q becomes en_i, and the tag
      // at the pipe's end becomes dtag_q[Latency-2] when the pipeline advances.
      ContAssign{"digit_d", "en_i && dtag_q[Latency-2]", ""},
      ContAssign{"obank_d", "obank_q ^ last", ""},
      ContAssign{"dseen_d", "last ? '0 : digit ? dseen_q + 1'b1 : dseen_q", ""},
      ContAssign{"dsel0_d", "(digit_d && !obank_d) ? (Digits'(1) << dseen_d) : '0", ""},
      ContAssign{"dsel1_d", "(digit_d && obank_d) ? (Digits'(1) << dseen_d) : '0", ""},
      ContAssign{"del0", "taken_i && !rbank_q", ""},
      ContAssign{"del1", "taken_i && rbank_q", ""},
      ContAssign{"push0", "push_i && !obank_q", ""},
      ContAssign{"push1", "push_i && obank_q", ""},
      ContAssign{"dd", "ddone_q | {last && obank_q, last && !obank_q}", ""},
      // Its last digit has left and nothing of it is left in the buffer after this cycle's delivery.
      ContAssign{"done", "rbank_q ? (dd[1] && (pend_q[3:2] == {1'b0, taken_i})) : (dd[0] && (pend_q[1:0] == {1'b0, taken_i}))", ""},
      ContAssign{"rbank_d", "rbank_q ^ done", ""},
      ContAssign{"fin0", "done && !rbank_q", ""},
      ContAssign{"fin1", "done && rbank_q", ""},
      // Selected by fin0/fin1 (0 unless a batch completes), not by rbank_q: its flip-flop would
      // drive every position's multiplexer and head the accumulators' path.
      ContAssign{"mis", "({Cols{fin0}} & mis0) | ({Cols{fin1}} & mis1)", ""},
      makeGenerate("gen_lane", "c", "Cols", lane),
      AlwaysFF{"p_dtag", "", {Stmt::assign("dtag_q", "'0")},
               {Stmt::ifThen("en_i", {Stmt::assign("dtag_q", "{dtag_q[Latency-2:0], insert_i}")})}},
      AlwaysFF{"p_dseen", "", {Stmt::assign("dseen_q", "'0")}, {Stmt::assign("dseen_q", "dseen_d")}},
      AlwaysFF{"p_dsel", "", {Stmt::assign("dsel_q", "'0")}, {Stmt::assign("dsel_q", "dsel_n")}},
      AlwaysFF{"p_clr", "", {Stmt::assign("clr_q", "'0")}, {Stmt::assign("clr_q", "clr_n")}},
      AlwaysFF{"p_adv", "", {Stmt::assign("adv_q", "1'b0")}, {Stmt::assign("adv_q", "en_i")}},
      AlwaysFF{"p_obank", "", {Stmt::assign("obank_q", "1'b0")}, {Stmt::assign("obank_q", "obank_d")}},
      AlwaysFF{"p_rbank", "", {Stmt::assign("rbank_q", "1'b0")}, {Stmt::assign("rbank_q", "rbank_d")}},
      AlwaysFF{"p_rb", "", {Stmt::assign("rb_q", "'0")}, {Stmt::assign("rb_q", "rb_n")}},
      AlwaysFF{"p_pend", "", {Stmt::assign("pend_q", "'0")},
               {Stmt::assign("pend_q", "{pend_q[3:2] - {1'b0, del1} + {1'b0, push1}, pend_q[1:0] - {1'b0, del0} + {1'b0, push0}}")}},
      AlwaysFF{"p_ddone", "", {Stmt::assign("ddone_q", "'0")}, {Stmt::assign("ddone_q", "dd & ~{fin1, fin0}")}},
      AlwaysFF{"p_acc", "", {Stmt::assign("acc_q", "'0")}, {Stmt::assign("acc_q", "acc_n")}},
      AlwaysFF{"p_pos", "", {Stmt::assign("pos_q", "'0")}, {Stmt::ifThen("done", {Stmt::assign("pos_q", "mis")})}},
      AlwaysFF{"p_done", "", {Stmt::assign("done_q", "1'b0")}, {Stmt::assign("done_q", "done")}},
      AlwaysFF{"p_flag", "", {Stmt::assign("flag_q", "1'b0")}, {Stmt::assign("flag_q", "done && (mis != '0)")}},
      AlwaysFF{"p_alarm", "", {Stmt::assign("alarm_q", "1'b0")},
               {Stmt::ifElseIf({{"done && (mis != '0)", {Stmt::assign("alarm_q", "1'b1")}},
                                {"clear_i", {Stmt::assign("alarm_q", "1'b0")}}})}},
      ContAssign{"done_o", "done_q", ""},
      ContAssign{"flag_o", "flag_q", ""},
      ContAssign{"pos_o", "pos_q", ""},
      ContAssign{"alarm_o", "alarm_q", ""},
  };
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
      if (c.protect.sanityCheck == SanityCheck::Spatial && c.array.dataflow == config::Dataflow::OS)
        return key + "cannot work with array.dataflow = \"os\" here: the checksum column needs a "
               "stationary operand loaded row by row (ws: weights, is: inputs); OS streams both "
               "operands and keeps outputs in the PEs. Use \"ws\" or \"is\", or \"off\"";
      if (hasTemporal(c)) {
        if (c.array.dataflow == config::Dataflow::OS)
          return key + "cannot work with array.dataflow = \"os\": OS streams both operands into stationary "
                 "outputs, so the checksum of a batch would be an extra reduction step of every output, not "
                 "a vector of its own. Use \"ws\", or \"off\"";
        if (c.array.pe != config::PeKind::Dense)
          return key + "needs array.pe = \"dense\": a flow-controlling PE selects activations by the "
                 "weights' indices, so a digit vector would not meet every weight";
        if (c.protect.median.enable || c.protect.afd.enable)
          return key + "cannot be combined with an activation filter (protect.median, protect.afd): the "
                 "filter would change the digit vectors, which must reach the array as computed";
      }
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
    config::KeyRow maxBatch;
    maxBatch.path = "protect.sanity_max_batch";
    maxBatch.kind = config::Kind::Int;
    maxBatch.min = 1;
    maxBatch.max = 65535;
    maxBatch.get = [](const config::Config& c) { return config::Value{int64_t{c.protect.sanityMaxBatch}}; };
    maxBatch.set = [](config::Config& c, const config::Value& v) {
      c.protect.sanityMaxBatch = static_cast<int>(std::get<int64_t>(v));
    };
    maxBatch.nameSuffix = [](const config::Config& c) {
      return c.protect.sanityMaxBatch != config::Config{}.protect.sanityMaxBatch ? fmt::format("_mb{}", c.protect.sanityMaxBatch)
                                                                                : std::string();
    };
    maxBatch.present = [](const config::Config& c) {
      return c.protect.sanityMaxBatch != config::Config{}.protect.sanityMaxBatch;
    };
    maxBatch.check = [](const config::Config& c) -> std::string {
      if (c.protect.sanityMaxBatch == config::Config{}.protect.sanityMaxBatch || hasTemporal(c)) return "";
      return fmt::format("'protect.sanity_max_batch' = {} needs protect.sanity_check = \"temporal\" or \"both\" "
                         "(it sizes the temporal checksum's batch register)",
                         c.protect.sanityMaxBatch);
    };
    return {mode, residue, maxBatch};
  }

  bool enabled(const config::Config& cfg) const override { return cfg.protect.sanityCheck != SanityCheck::Off; }

  std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const override {
    std::vector<ExtraModule> mods;
    if (hasSpatial(cfg)) {
      mods.push_back({columnModule(cfg, top + "_sanity_col"), ExtraModule::Parent::Top, 1});
      mods.push_back({checkModule(cfg, top + "_sanity_check"), ExtraModule::Parent::Top, 1});
    }
    if (hasTemporal(cfg)) {
      mods.push_back({temporalInModule(cfg, top + "_sanity_tin", std::to_string(cfg.array.rows)), ExtraModule::Parent::Top, 1});
      mods.push_back({temporalOutModule(cfg, top + "_sanity_tout", std::to_string(cfg.array.cols),
                                        std::to_string(cfg.data.accBits)),
                      ExtraModule::Parent::Top, 1});
    }
    return mods;
  }

  void attachTop(Module& top, Instance& array, const config::Config& cfg) const override {
    if (!hasSpatial(cfg)) {
      top.ports.push_back({Dir::In, "sanity_clear_i", "", "clear the sticky alarm"});
      return;
    }
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

  void attachStreamInsert(StreamInsertHook& hook, const config::Config& cfg) const override {
    if (!hasTemporal(cfg)) return;
    const auto tw = temporalWidthsOf(cfg);
    Module& top = hook.top;
    top.description.push_back(fmt::format(
        "Sanity-Check (temporal): after every batch of N vectors (sanity_batch_i, 1..{}) the IP inserts", cfg.protect.sanityMaxBatch));
    top.description.push_back(fmt::format(
        "{} digit vectors of -sum x ({}_ready_o low); sanity_tflag_o / sanity_tpos_o report the batch.", tw.digits,
        hook.readyPort.substr(0, hook.readyPort.size() - 8)));
    top.ports.push_back({Dir::In, "sanity_batch_i", std::to_string(batchBits(cfg)),
                         fmt::format("temporal batch length N (1..{})", cfg.protect.sanityMaxBatch)});
    top.ports.push_back({Dir::In, "sanity_batch_we_i", "", "write sanity_batch_i into the batch register"});
    top.ports.push_back({Dir::In, "sanity_batch_close_i", "", "close the current temporal batch now"});
    // Declared first: the ctrl and the input stages above read them.
    top.items.insert(top.items.begin(),
                     {Signal{"sanity_t_valid", "", "the stream's valid as the ctrl sees it"},
                      Signal{"sanity_t_ready", "", "the ctrl's ready"},
                      Signal{"sanity_t_data", hook.lanes + "*" + hook.laneBits, "data or digit vector"},
                      Signal{"sanity_t_insert", "", "a digit vector enters the pipeline"}});
    top.items.push_back(Instance{top.name + "_sanity_tin",
                                 "u_sanity_tin",
                                 {},
                                 {{"clk_i", "clk_i"},
                                  {"rst_ni", "rst_ni"},
                                  {"en_i", hook.enable},
                                  {"valid_i", hook.valid},
                                  {"swap_i", hook.swap},
                                  {"ready_i", "sanity_t_ready"},
                                  {"accept_i", hook.accept},
                                  {"data_i", hook.data},
                                  {"batch_i", "sanity_batch_i"},
                                  {"batch_we_i", "sanity_batch_we_i"},
                                  {"close_i", "sanity_batch_close_i"},
                                  {"valid_o", "sanity_t_valid"},
                                  {"ready_o", hook.readyPort},
                                  {"data_o", "sanity_t_data"},
                                  {"insert_o", "sanity_t_insert"}},
                                 "temporal checksum: input accumulators and digit insertion"});
    hook.valid = "sanity_t_valid";
    hook.ready = "sanity_t_ready";
    hook.data = "sanity_t_data";
  }

  void attachOutputCheck(OutputCheckHook& hook, const config::Config& cfg) const override {
    if (hasTemporal(cfg)) {
      hook.top.ports.push_back({Dir::Out, "sanity_tdone_o", "", "a temporal batch was checked (one cycle)"});
      hook.top.ports.push_back({Dir::Out, "sanity_tflag_o", "", "it failed (one cycle, with sanity_tdone_o)"});
      hook.top.ports.push_back({Dir::Out, "sanity_tpos_o", hook.lanes, "failing output positions of the last batch checked"});
      hook.top.ports.push_back({Dir::Out, "sanity_talarm_o", "", "sticky temporal alarm"});
      hook.top.items.push_back(Instance{hook.top.name + "_sanity_tout",
                                        "u_sanity_tout",
                                        {},
                                        {{"clk_i", "clk_i"},
                                         {"rst_ni", "rst_ni"},
                                         {"en_i", hook.enable},
                                         {"insert_i", "sanity_t_insert"},
                                         {"push_i", hook.pushed},
                                         {"results_i", hook.results},
                                         {"taken_i", hook.taken},
                                         {"data_i", hook.data},
                                         {"clear_i", "sanity_clear_i"},
                                         {"done_o", "sanity_tdone_o"},
                                         {"flag_o", "sanity_tflag_o"},
                                         {"pos_o", "sanity_tpos_o"},
                                         {"alarm_o", "sanity_talarm_o"}},
                                        "temporal checksum: output accumulators and the position alarm"});
    }
    if (!hasSpatial(cfg)) return;
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
    const int r = cfg.protect.sanityResidueBits;
    std::string temporalText;
    if (hasTemporal(cfg)) {
      const auto tw = temporalWidthsOf(cfg);
      const units::StreamPortNames sp = units::streamPortNames(cfg.array.dataflow);
      temporalText = fmt::format(
          "temporal checksum (input checksum, {8}): the batch register N (sanity_batch_i, {0} bits; written in a "
          "cycle with sanity_batch_we_i high when the value is in 1..{1}, other values are ignored; used from the "
          "next cycle on; reset value {1}). A temporal batch is the next N vectors taken; it closes early before a "
          "vector with {9} set (that vector waits one cycle with {10}_ready_o low while the batch closes) or "
          "after a cycle with sanity_batch_close_i high (the vector taken in that cycle, if any, is the batch's "
          "last). After a batch closes, {10}_ready_o stays low for the next {2} cycles in which the pipeline "
          "advances: the IP inserts {2} digit vectors of the inverse S = -sum x over the batch (digit j, "
          "weight 2^({4}*j): bits [{4}*j +: {4}] of S with a 0 on top for j < {3}, the signed top bits for j = "
          "{3}; no result is delivered for them). The output accumulators add, per "
          "output position c, the batch's results as they are delivered (out_valid_o && out_ready_i, behind the "
          "output buffer) and the digit results shifted by {4}*j ({5}); once the last digit result has reached the "
          "de-skew's output and the batch's last result has been delivered: sanity_tdone_o for one cycle, sanity_tflag_o "
          "with it when some position's sum is not 0, sanity_tpos_o = those positions (held until the next batch "
          "is checked), sanity_talarm_o set until sanity_clear_i. Results keep their latency; a batch's check "
          "comes {6} cycles after its last vector's input handshake when nothing stalls (after the cycle in "
          "which it closes, for a batch closed by sanity_batch_close_i or before a swap vector), and never before "
          "the cycle after its last result's output handshake. Detects any single error of an input after the "
          "accumulators (input register, skew, array), of a PE result or partial sum, and of a result in the "
          "output buffer; errors of the stationary operand are not detected{7}",
          batchBits(cfg), cfg.protect.sanityMaxBatch, tw.digits, tw.digits - 1, tw.digitShift,
          r ? fmt::format("modulo 2^{} - 1, digit residues rotated", r) : fmt::format("exact, {} bits", tw.accBits),
          ctrlLatency(cfg) + tw.digits + 1, hasSpatial(cfg) ? " by it (the spatial checksum detects them)" : "",
          cfg.array.dataflow == config::Dataflow::IS ? "streamed weights" : "streamed activations", sp.swap,
          sp.stream);
      if (!hasSpatial(cfg)) return temporalText;
    }
    const Widths w = widthsOf(cfg);
    const bool is = cfg.array.dataflow == config::Dataflow::IS;
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
        is ? "stationary input" : "weight", is ? "weights" : "activations") +
           (temporalText.empty() ? "" : "; " + temporalText);
  }

  std::vector<std::string> alarmPorts(const config::Config& cfg) const override {
    std::vector<std::string> ports;
    if (hasSpatial(cfg)) ports = {"sanity_alarm_o", "sanity_flag_o"};
    if (hasTemporal(cfg)) ports.insert(ports.end(), {"sanity_talarm_o", "sanity_tflag_o"});
    return ports;
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.sanityCheck = SanityCheck::Off;
    base.protect.sanityResidueBits = 0;
    base.protect.sanityMaxBatch = config::Config{}.protect.sanityMaxBatch;
    return base;
  }

  std::string referenceFigures(const config::Config&) const override {
    return "dissertation Table 6.3 (DesignCompiler, 15 nm, 64x64 16-bit): Sanity-Check hardware "
           "3.08 % area, 5.50 % power of the systolic array; rough estimate (n+3)/(n*S) = 2.5 % "
           "for S = 64, n = 5";
  }

  std::string harnessDriver() const override { return "protect/sanity/SanityDriver.h"; }
  std::string harnessDefines(const config::Config& cfg) const override {
    return fmt::format("#define FTACCEL_SANITY_RESIDUE_BITS {}\n#define FTACCEL_SANITY_SPATIAL {}\n"
                       "#define FTACCEL_SANITY_TEMPORAL {}\n#define FTACCEL_SANITY_MAX_BATCH {}\n",
                       cfg.protect.sanityResidueBits, hasSpatial(cfg) ? 1 : 0, hasTemporal(cfg) ? 1 : 0,
                       cfg.protect.sanityMaxBatch);
  }
  bool harnessLoadBeat() const override { return true; }
  std::vector<std::string> loadBeatPorts(const config::Config& cfg) const override {
    return hasSpatial(cfg) ? std::vector<std::string>{"sanity_wload_data_i"} : std::vector<std::string>{};
  }

  std::string throughputNote(const config::Config& cfg) const override {
    if (!hasTemporal(cfg)) return "";
    const int d = temporalWidthsOf(cfg).digits;
    return fmt::format("temporal checksum: {0} digit vectors after every batch of N streamed vectors (N = the "
                       "batch register, 1..{1}): N vectors per N + {0} cycles, throughput N/(N+{0}), loss "
                       "{0}/(N+{0}) ({2:.2f} % at N = {1}); a swap vector or sanity_batch_close_i closes a "
                       "batch early and costs {0} cycles (+1 for a swap vector that closes one)",
                       d, cfg.protect.sanityMaxBatch, 100.0 * d / (cfg.protect.sanityMaxBatch + d));
  }
  std::string batchFormulaExtra(const config::Config& cfg) const override {
    if (!hasTemporal(cfg)) return "";
    return fmt::format(" + {}*floor((M-1)/N) (temporal batches of N, no swap inside)", temporalWidthsOf(cfg).digits);
  }
};

}  // namespace

const ProtectionUnit& unit() {
  static const Sanity instance;
  return instance;
}

}  // namespace ftaccel::protect::sanity
