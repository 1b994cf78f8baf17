// AFD unit: keys, the combinational `<top>_afd` module (one lane per array row, neighbours
// wrapping), its pipeline register in front of the input skew and its run-time inputs.
#include "protect/afd/AfdUnit.h"

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "protect/FilterKeys.h"
#include "units/Protection.h"

namespace ftaccel::protect::afd {

using namespace ir;

namespace {

// The module: data_i/data_o are Lanes lanes of DataBits; everything is unrolled per lane.
Module afdModule(const config::Config& cfg, const std::string& name) {
  const int lanes = cfg.array.rows, b = cfg.data.bits, s = cfg.protect.afd.sMax;
  const bool two = cfg.protect.afd.gates == 2, clip = cfg.protect.afd.clip;
  const int tw = b + 1 + s;  // threshold width: exact magnitude (b+1 bits) shifted by up to s
  Module m;
  m.name = name;
  m.description = {
      "Anomalous feature detection and suppression (SPEC §5, eq. 8.1-8.2): lane c is suppressed",
      fmt::format("when |a_c| > 2^s |a_(c+1)|{}; neighbours wrap inside the {} lanes.",
                  two ? " (and, with two_gates_i, also > 2^s |a_(c-1)|)" : "", lanes),
      clip ? "Clip: the magnitude becomes the largest violated threshold, the sign is kept."
           : "Drop: a suppressed lane becomes 0.",
      fmt::format("Run-time shift s = min(shift_i, {}); combinational, registered by the parent.", s)};
  m.ports = {{Dir::In, "data_i", fmt::format("{}", lanes * b), "lane c = activation c"},
             {Dir::Out, "data_o", fmt::format("{}", lanes * b), "filtered lanes"},
             {Dir::In, "shift_i", fmt::format("{}", shiftBits(s)), "gamma = 2^shift"}};
  if (two) m.ports.push_back({Dir::In, "two_gates_i", "", "1: eq. 8.2 (both neighbours), 0: eq. 8.1"});
  auto& it = m.items;
  const std::string tws = fmt::format("{}", tw);
  std::string sh;
  if (s == 0) {
    it.push_back(Signal{"unused_shift", fmt::format("{}", shiftBits(s)), "s_max = 0: gamma is 1"});
    it.push_back(ContAssign{"unused_shift", "shift_i", ""});
  } else {
    const int sb = shiftBits(s);
    it.push_back(Signal{"sh", fmt::format("{}", sb), "the shift the shifters are built for"});
    // Clamp only when the port can hold more than s_max (else the comparison is constant).
    it.push_back(ContAssign{"sh", (1 << sb) - 1 > s ? fmt::format("shift_i > {0}'d{1} ? {0}'d{1} : shift_i", sb, s)
                                                     : std::string("shift_i"),
                            ""});
    sh = "sh";
  }
  for (int c = 0; c < lanes; ++c) {
    const std::string a = fmt::format("a_{}", c), mag = fmt::format("mag_{}", c), thr = fmt::format("thr_{}", c);
    it.push_back(Signal{a, fmt::format("{}", b), ""});
    it.push_back(ContAssign{a, fmt::format("data_i[{}*{} +: {}]", c, b, b), ""});
    // Exact magnitude in b+1 bits, zero-extended to the threshold width.
    it.push_back(Signal{mag, tws, c == 0 ? "exact magnitude: |-2^(b-1)| needs b+1 bits" : ""});
    const std::string ext = s > 0 ? fmt::format("{{{}'d0, ", s) : "{";
    it.push_back(ContAssign{mag, fmt::format("{}{}[{}] ? ~{{{}[{}], {}}} + {}'d1 : {{1'b0, {}}}}}", ext, a, b - 1, a,
                                             b - 1, a, b + 1, a),
                            ""});
    it.push_back(Signal{thr, tws, ""});
    it.push_back(ContAssign{thr, s > 0 ? mag + " << " + sh : mag, ""});
  }
  for (int c = 0; c < lanes; ++c) {
    const int nx = (c + 1) % lanes, pv = (c + lanes - 1) % lanes;
    const std::string vn = fmt::format("v_next_{}", c), vp = fmt::format("v_prev_{}", c),
                      sup = fmt::format("sup_{}", c), a = fmt::format("a_{}", c);
    it.push_back(Signal{vn, "", ""});
    it.push_back(ContAssign{vn, fmt::format("mag_{} > thr_{}", c, nx), ""});
    std::string supExpr = vn;
    if (two) {
      it.push_back(Signal{vp, "", ""});
      it.push_back(ContAssign{vp, fmt::format("mag_{} > thr_{}", c, pv), ""});
      supExpr = fmt::format("{} && (!two_gates_i || {})", vn, vp);
    }
    it.push_back(Signal{sup, "", ""});
    it.push_back(ContAssign{sup, supExpr, ""});
    std::string out;
    if (!clip) {
      out = fmt::format("{} ? {}'d0 : {}", sup, b, a);
    } else {
      // The largest violated threshold: with two gates in use both are violated, so the larger.
      const std::string t = fmt::format("t_{}", c);
      it.push_back(Signal{t, fmt::format("{}", b), ""});
      std::string pick = fmt::format("thr_{}[{}:0]", nx, b - 1);
      if (two)
        pick = fmt::format("two_gates_i && mag_{} > mag_{} ? thr_{}[{}:0] : thr_{}[{}:0]", pv, nx, pv, b - 1, nx, b - 1);
      it.push_back(ContAssign{t, pick, ""});
      out = fmt::format("!{} ? {} : {}[{}] ? ~{} + {}'d1 : {}", sup, a, a, b - 1, t, b, t);
    }
    it.push_back(ContAssign{fmt::format("data_o[{}*{} +: {}]", c, b, b), out, ""});
  }
  // The high threshold bits are only compared; the clip takes the low ones.
  if (clip) {
    for (int c = 0; c < lanes; ++c) {
      it.push_back(Signal{fmt::format("unused_thr_hi_{}", c), fmt::format("{}", tw - b), ""});
      it.push_back(ContAssign{fmt::format("unused_thr_hi_{}", c), fmt::format("thr_{}[{}:{}]", c, tw - 1, b), ""});
    }
  }
  return m;
}

class Afd final : public ProtectionUnit {
 public:
  std::string_view name() const override { return "afd"; }

  std::vector<config::KeyRow> configKeys() const override {
    using config::Config, config::Value, config::Kind;
    auto on = [](const Config& c) { return c.protect.afd.enable; };
    std::vector<config::KeyRow> rows;
    config::KeyRow en = keys::row("protect.afd.enable", Kind::Bool, 0, 1,
        [](const Config& c) { return Value{c.protect.afd.enable}; },
        [](Config& c, const Value& v) { c.protect.afd.enable = std::get<bool>(v); });
    en.nameSuffix = [](const Config& c) { return c.protect.afd.enable ? std::string("_afd") : std::string(); };
    en.check = [](const Config& c) { return keys::wsOnly(c, c.protect.afd.enable, "protect.afd.enable", "AFD"); };
    rows.push_back(en);
    rows.push_back(keys::row("protect.afd.gates", Kind::Int, 1, 2,
        [](const Config& c) { return Value{int64_t{c.protect.afd.gates}}; },
        [](Config& c, const Value& v) { c.protect.afd.gates = static_cast<int>(std::get<int64_t>(v)); }));
    rows.push_back(keys::row("protect.afd.mode", Kind::String, 0, 0,
        [](const Config& c) { return Value{std::string(c.protect.afd.clip ? "clip" : "drop")}; },
        [](Config& c, const Value& v) { c.protect.afd.clip = std::get<std::string>(v) == "clip"; }, {"drop", "clip"}));
    rows.push_back(keys::row("protect.afd.s_max", Kind::Int, 0, 15,
        [](const Config& c) { return Value{int64_t{c.protect.afd.sMax}}; },
        [](Config& c, const Value& v) { c.protect.afd.sMax = static_cast<int>(std::get<int64_t>(v)); }));
    for (auto& r : rows) r.present = on;
    return rows;
  }

  bool enabled(const config::Config& cfg) const override { return cfg.protect.afd.enable; }

  std::vector<units::PipelineStage> inputStages(const config::Config&) const override {
    return {{"AFD stage (activation filter)", units::PipelineStage::Scale::None, 1}};
  }

  void attachInputStage(InputStageHook& hook, const config::Config& cfg) const override {
    // WS only (keys check): the activations (laneBits = DataBits), then the swap tags, which
    // take a plain register so they stay one cycle ahead of their activations.
    FTACCEL_ASSERT(hook.streams.size() == 2 && hook.streams[0].role == "stream");
    InputStream& s = hook.streams[0];
    Module& top = hook.top;
    // Declared first: the skew instance above reads afd_out.
    top.items.insert(top.items.begin(), {
        reg("afd_q", s.lanes + "*DataBits", "afd stage: the activations as they arrive",
            {"afd", LiveClass::FilterStage}),
        Signal{"afd_out", s.lanes + "*DataBits", "filtered activations"}});
    units::registerStream(top, hook.streams[1], "afd_tag_q", hook.enable);
    std::vector<std::pair<std::string, std::string>> ports = {
        {"data_i", "afd_q"}, {"data_o", "afd_out"}, {"shift_i", "afd_shift_i"}};
    if (cfg.protect.afd.gates == 2) ports.push_back({"two_gates_i", "afd_two_gates_i"});
    top.items.push_back(Instance{top.name + "_afd", "u_afd", {}, ports, "anomalous feature suppression"});
    top.items.push_back(AlwaysFF{"p_afd", "", {Stmt::assign("afd_q", "'0")},
                                 {Stmt::ifThen(hook.enable, {Stmt::assign("afd_q", s.data)})}});
    s.data = "afd_out";
  }

  void attachTop(Module& top, Instance&, const config::Config& cfg) const override {
    top.description.push_back("AFD (SPEC §5): afd_shift_i sets gamma = 2^s (clamped to s_max)" +
                              std::string(cfg.protect.afd.gates == 2 ? ", afd_two_gates_i selects eq. 8.2" : "") +
                              "; hold them stable while vectors are in flight.");
    top.ports.push_back({Dir::In, "afd_shift_i", fmt::format("{}", shiftBits(cfg.protect.afd.sMax)),
                         "AFD shift s (gamma = 2^s)"});
    if (cfg.protect.afd.gates == 2)
      top.ports.push_back({Dir::In, "afd_two_gates_i", "", "AFD: 1 = two gates (eq. 8.2), 0 = one gate (eq. 8.1)"});
  }

  std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const override {
    return {{afdModule(cfg, top + "_afd"), ExtraModule::Parent::Top, 1}};
  }

  std::vector<PortGroup> portGroups() const override { return {{"afd_", "afd"}}; }

  std::string protocol(const config::Config& cfg) const override {
    if (!cfg.protect.afd.enable) return "not generated (protect.afd.enable = false)";
    const auto& a = cfg.protect.afd;
    return fmt::format(
        "one register stage on in_data_i before the input skew (+1 cycle): lane r is {} when "
        "|x_r| > 2^s |x_(r+1)|{} (lanes wrap inside the vector); s = min(afd_shift_i, {}){}; "
        "hold the settings stable while vectors are in flight",
        a.clip ? "clipped to the largest violated threshold (sign kept)" : "dropped (0)",
        a.gates == 2 ? " and, with afd_two_gates_i, also > 2^s |x_(r-1)|" : "", a.sMax,
        a.gates == 2 ? "; afd_two_gates_i selects eq. 8.2 (1) or eq. 8.1 (0)" : "");
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.afd.enable = false;
    return base;
  }

  std::string referenceFigures(const config::Config& cfg) const override {
    (void)cfg;
    return "dissertation Table 8.1 (Design Compiler, 15 nm, DNNWeaver accelerator incl. SIMD core, "
           "1 GHz): AFD + suppression 8-bit area 0.23 % power 0.09 %, 16-bit area 0.31 % power 0.15 %; "
           "fits one cycle";
  }

  std::string harnessDriver() const override { return "protect/afd/AfdDriver.h"; }
  // The harness drives s = s_max and, with two gates built, selects eq. 8.2.
  std::string harnessDefines(const config::Config& cfg) const override {
    const auto& a = cfg.protect.afd;
    return fmt::format("#define FTACCEL_AFD_S_MAX {}\n#define FTACCEL_AFD_GATES {}\n#define FTACCEL_AFD_CLIP {}\n",
                       a.sMax, a.gates, a.clip ? 1 : 0);
  }
  bool filtersInputs() const override { return true; }
};

}  // namespace

int shiftBits(int sMax) {
  int w = 1;
  while ((1 << w) - 1 < sMax) ++w;
  return w;
}

const ProtectionUnit& unit() {
  static const Afd instance;
  return instance;
}

}  // namespace ftaccel::protect::afd
