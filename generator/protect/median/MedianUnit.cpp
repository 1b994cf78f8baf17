// Median unit: keys, the combinational `<top>_median` module (unrolled per lane with constant
// padding folded, naive or comparison-sharing) and its pipeline register in front of the skew.
#include "protect/median/MedianUnit.h"

#include <map>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "protect/FilterKeys.h"
#include "units/Protection.h"

namespace ftaccel::protect::median {

using namespace ir;

namespace {

// An operand: a padding zero or a named signed signal.
struct Op {
  bool zero = false;
  std::string sig;
};

// A one-bit fact: a constant or a named signal.
struct Bit {
  bool constant = false;
  bool value = false;
  std::string sig;
  std::string text() const { return constant ? (value ? "1'b1" : "1'b0") : sig; }
};

// Emits the logic of one module and counts its comparators.
class Emitter {
 public:
  // share: one comparator per distinct pair of operands (optimized); naive units share nothing.
  Emitter(Module& m, int bits, bool share) : m_(m), bits_(bits), share_(share) {}
  int comparators = 0;

  std::string text(const Op& o) const { return o.zero ? "pad" : o.sig; }
  // a > b (signed); two padding zeros fold to a constant.
  Bit greater(const Op& a, const Op& b) {
    if (a.zero && b.zero) return {true, false, ""};
    const std::string key = text(a) + ">" + text(b);
    if (auto it = shared_.find(key); share_ && it != shared_.end()) return {false, false, it->second};
    const std::string name = fmt::format("g_{}", comparators++);
    m_.items.push_back(Signal{name, "", ""});
    m_.items.push_back(ContAssign{name, text(a) + " > " + text(b), ""});
    shared_[key] = name;
    return {false, false, name};
  }
  Op mux(const Bit& sel, const Op& ifSet, const Op& ifClear) {
    if (sel.constant) return sel.value ? ifSet : ifClear;
    if (ifSet.zero && ifClear.zero) return ifSet;
    const std::string name = fmt::format("m_{}", muxes_++);
    m_.items.push_back(Signal{name, fmt::format("{}", bits_), "", true});
    m_.items.push_back(ContAssign{name, sel.sig + " ? " + text(ifSet) + " : " + text(ifClear), ""});
    return {false, name};
  }
  // Sort-2 outputs built on demand (unused multiplexers are never emitted).
  Op lo(const Op& a, const Op& b) { return mux(greater(a, b), b, a); }
  Op hi(const Op& a, const Op& b) { return mux(greater(a, b), a, b); }

 private:
  Module& m_;
  int bits_;
  bool share_;
  int muxes_ = 0;
  std::map<std::string, std::string> shared_;  // optimized: only the padding comparisons repeat
};

Op naiveMedian3(Emitter& e, const Op& a, const Op& b, const Op& c) {
  const Bit g = e.greater(a, b);
  const Op lo1 = e.mux(g, b, a), hi1 = e.mux(g, a, b);
  const Op lo2 = e.lo(hi1, c);
  return e.hi(lo1, lo2);
}

Op naiveMedian5(Emitter& e, const std::vector<Op>& w) {
  const Bit g1 = e.greater(w[0], w[1]), g2 = e.greater(w[2], w[3]);
  const Op lo1 = e.mux(g1, w[1], w[0]), hi1 = e.mux(g1, w[0], w[1]);
  const Op lo2 = e.mux(g2, w[3], w[2]), hi2 = e.mux(g2, w[2], w[3]);
  return naiveMedian3(e, e.hi(lo1, lo2), e.lo(hi1, hi2), w[4]);
}

// Builds the module body; returns the comparator count.
int buildBody(Module& m, int lanes, int bits, int window, bool optimized) {
  Emitter e(m, bits, optimized);
  const int h = window / 2;
  m.items.push_back(Signal{"pad", fmt::format("{}", bits), "the zero padding of eq. 8.3", true});
  m.items.push_back(ContAssign{"pad", "'0", ""});
  for (int c = 0; c < lanes; ++c) {
    m.items.push_back(Signal{fmt::format("x_{}", c), fmt::format("{}", bits), "", true});
    m.items.push_back(ContAssign{fmt::format("x_{}", c), fmt::format("data_i[{}*{} +: {}]", c, bits, bits), ""});
  }
  auto at = [&](int i) { return i < 0 || i >= lanes ? Op{true, ""} : Op{false, fmt::format("x_{}", i)}; };
  // Optimized: one comparator per pair of padded positions j < k within a window, shared:
  // lt(j,k) = p[k] < p[j], so j comes first unless p[k] is strictly smaller (index tie-break).
  std::map<std::pair<int, int>, Bit> lt;
  auto before = [&](int n, int mIdx) -> Bit {  // does position n come before position mIdx?
    if (n > mIdx) return lt.at({mIdx, n});
    const Bit b = lt.at({n, mIdx});
    if (b.constant) return {true, !b.value, ""};
    return {false, false, "!" + b.sig};
  };
  if (optimized)
    for (int j = -h; j < lanes + h; ++j)
      for (int k = j + 1; k <= j + window - 1 && k < lanes + h; ++k) lt[{j, k}] = e.greater(at(j), at(k));
  for (int i = 0; i < lanes; ++i) {
    Op med;
    if (!optimized) {
      std::vector<Op> w;
      for (int d = -h; d <= h; ++d) w.push_back(at(i + d));
      med = window == 3 ? naiveMedian3(e, w[0], w[1], w[2]) : naiveMedian5(e, w);
    } else {
      // The median is the member with exactly h members before it: a one-hot AND-OR select.
      std::string out;
      for (int mIdx = i - h; mIdx <= i + h; ++mIdx) {
        if (at(mIdx).zero) continue;  // selecting a padding zero adds nothing to the OR
        std::string sum;
        for (int n = i - h; n <= i + h; ++n) {
          if (n == mIdx) continue;
          sum += (sum.empty() ? "" : " + ") + fmt::format("{{2'b0, {}}}", before(n, mIdx).text());
        }
        const std::string sel = fmt::format("sel_{}_{}", i, mIdx - i + h);
        m.items.push_back(Signal{sel, "", ""});
        m.items.push_back(ContAssign{sel, fmt::format("({}) == 3'd{}", sum, h), ""});
        out += (out.empty() ? "" : " | ") + fmt::format("({{{}{{{}}}}} & x_{})", bits, sel, mIdx);
      }
      const std::string name = fmt::format("med_{}", i);
      m.items.push_back(Signal{name, fmt::format("{}", bits), "", true});
      m.items.push_back(ContAssign{name, out, ""});
      med = {false, name};
    }
    m.items.push_back(ContAssign{fmt::format("data_o[{}*{} +: {}]", i, bits, bits), e.text(med), ""});
  }
  return e.comparators;
}

Module medianModule(const config::Config& cfg, const std::string& name) {
  const auto& md = cfg.protect.median;
  const int lanes = cfg.array.rows, b = cfg.data.bits;
  Module m;
  m.name = name;
  m.ports = {{Dir::In, "data_i", fmt::format("{}", lanes * b), "lane c = activation c"},
             {Dir::Out, "data_o", fmt::format("{}", lanes * b), "lane c = median of lanes c-w/2 .. c+w/2"}};
  const int n = buildBody(m, lanes, b, md.window, md.optimized);
  m.description = {
      fmt::format("Median feature selection (SPEC §6, eq. 8.3): median-{} over lanes c-{}..c+{}, zero padding", md.window,
                  md.window / 2, md.window / 2),
      fmt::format("at both ends of the {} lanes, stride 1. {}: {} comparators ({} would use {}).", lanes,
                  md.optimized ? "Comparisons shared between overlapping windows (Fig. 8.12)"
                               : "Naive Sort-2 networks per lane (Fig. 8.10)",
                  n, md.optimized ? "naive" : "optimized", comparatorCount(lanes, md.window, !md.optimized)),
      "Combinational; registered by the parent."};
  return m;
}

class Median final : public ProtectionUnit {
 public:
  std::string_view name() const override { return "median"; }

  std::vector<config::KeyRow> configKeys() const override {
    using config::Config, config::Value, config::Kind;
    std::vector<config::KeyRow> rows;
    config::KeyRow en = keys::row("protect.median.enable", Kind::Bool, 0, 1,
        [](const Config& c) { return Value{c.protect.median.enable}; },
        [](Config& c, const Value& v) { c.protect.median.enable = std::get<bool>(v); });
    en.nameSuffix = [](const Config& c) {
      if (!c.protect.median.enable) return std::string();
      return fmt::format("_med{}{}", c.protect.median.window, c.protect.median.optimized ? "" : "n");
    };
    en.check = [](const Config& c) { return keys::wsOnly(c, c.protect.median.enable, "protect.median.enable", "the median"); };
    rows.push_back(en);
    config::KeyRow w = keys::row("protect.median.window", Kind::Int, 3, 5,
        [](const Config& c) { return Value{int64_t{c.protect.median.window}}; },
        [](Config& c, const Value& v) { c.protect.median.window = static_cast<int>(std::get<int64_t>(v)); });
    w.check = [](const Config& c) {
      return c.protect.median.window == 4 ? std::string("'protect.median.window' = 4 is not allowed; allowed: 3, 5")
                                          : std::string();
    };
    rows.push_back(w);
    rows.push_back(keys::row("protect.median.impl", Kind::String, 0, 0,
        [](const Config& c) { return Value{std::string(c.protect.median.optimized ? "optimized" : "naive")}; },
        [](Config& c, const Value& v) { c.protect.median.optimized = std::get<std::string>(v) == "optimized"; },
        {"naive", "optimized"}));
    for (auto& r : rows) r.present = [](const Config& c) { return c.protect.median.enable; };
    return rows;
  }

  bool enabled(const config::Config& cfg) const override { return cfg.protect.median.enable; }

  std::vector<units::PipelineStage> inputStages(const config::Config&) const override {
    return {{"median stage (activation filter)", units::PipelineStage::Scale::None, 1}};
  }

  void attachInputStage(InputStageHook& hook, const config::Config&) const override {
    // WS only (keys check): the activations (laneBits = DataBits), then the swap tags, which
    // take a plain register so they stay one cycle ahead of their activations.
    FTACCEL_ASSERT(hook.streams.size() == 2 && hook.streams[0].role == "stream");
    InputStream& s = hook.streams[0];
    Module& top = hook.top;
    // Declared first: the skew instance above reads median_out.
    top.items.insert(top.items.begin(), {
        reg("median_q", s.lanes + "*DataBits", "median stage: the activations as they arrive",
            {"median", LiveClass::FilterStage}),
        Signal{"median_out", s.lanes + "*DataBits", "filtered activations"}});
    units::registerStream(top, hook.streams[1], "median_tag_q", hook.enable);
    top.items.push_back(Instance{top.name + "_median", "u_median", {}, {{"data_i", "median_q"}, {"data_o", "median_out"}},
                                 "median feature selection"});
    top.items.push_back(AlwaysFF{"p_median", "", {Stmt::assign("median_q", "'0")},
                                 {Stmt::ifThen(hook.enable, {Stmt::assign("median_q", s.data)})}});
    s.data = "median_out";
  }

  std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const override {
    return {{medianModule(cfg, top + "_median"), ExtraModule::Parent::Top, 1}};
  }

  std::string protocol(const config::Config& cfg) const override {
    const auto& md = cfg.protect.median;
    if (!md.enable) return "not generated (protect.median.enable = false)";
    return fmt::format(
        "one register stage on in_data_i before the input skew (+1 cycle): lane r becomes the median of "
        "lanes r-{0}..r+{0} (zeros beyond the vector's ends); {1} implementation, {2} comparators",
        md.window / 2, md.optimized ? "optimized (shared comparisons)" : "naive",
        comparatorCount(cfg.array.rows, md.window, md.optimized));
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.median.enable = false;
    return base;
  }

  std::string referenceFigures(const config::Config& cfg) const override {
    return fmt::format(
        "dissertation ch. 8.8.2 / Fig. 8.15 (Design Compiler, 15 nm, DNNWeaver accelerator incl. SIMD core): "
        "median-{} array {} of the accelerator's area, {} of its power",
        cfg.protect.median.window, cfg.protect.median.window == 3 ? "0.19-0.23 %" : "0.39-0.48 %",
        cfg.protect.median.window == 3 ? "0.07-0.13 %" : "0.13-0.19 %");
  }

  std::string harnessDriver() const override { return "protect/median/MedianDriver.h"; }
  std::string harnessDefines(const config::Config& cfg) const override {
    return fmt::format("#define FTACCEL_MEDIAN_WINDOW {}\n#define FTACCEL_MEDIAN_OPTIMIZED {}\n",
                       cfg.protect.median.window, cfg.protect.median.optimized ? 1 : 0);
  }
  bool filtersInputs() const override { return true; }
};

}  // namespace

int comparatorCount(int lanes, int window, bool optimized) {
  Module scratch;
  return buildBody(scratch, lanes, 8, window, optimized);
}

const ProtectionUnit& unit() {
  static const Median instance;
  return instance;
}

}  // namespace ftaccel::protect::median
