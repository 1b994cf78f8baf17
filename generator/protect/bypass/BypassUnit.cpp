// Bypass unit: a configuration chain of one flop per PE and the bypass of its result
// (WS/IS: a 2:1 mux forwards psum_i; OS: AND gates force zero).
#include "protect/bypass/BypassUnit.h"

#include <fmt/format.h>

#include "units/IpDesign.h"

namespace ftaccel::protect::bypass {

using namespace ir;

namespace {

bool isOs(const config::Config& cfg) { return cfg.array.dataflow == config::Dataflow::OS; }

class Bypass final : public ProtectionUnit {
 public:
  std::string_view name() const override { return "bypass"; }

  std::vector<config::KeyRow> configKeys() const override {
    config::KeyRow row;
    row.path = "protect.bypass";
    row.kind = config::Kind::Bool;
    row.max = 1;
    row.get = [](const config::Config& c) { return config::Value{c.protect.bypass}; };
    row.set = [](config::Config& c, const config::Value& v) { c.protect.bypass = std::get<bool>(v); };
    row.nameSuffix = [](const config::Config& c) { return c.protect.bypass ? std::string("_byp") : std::string(); };
    return {row};
  }

  bool enabled(const config::Config& cfg) const override { return cfg.protect.bypass; }

  std::string peExpr(PePoint point, const config::Config& cfg, const std::string& result,
                     const std::string& psumIn) const override {
    if (point != PePoint::Result) return result;
    if (isOs(cfg)) return result + " & {AccBits{!bypass_q}}";  // the AND gates of the OS bypass
    return "bypass_q ? " + psumIn + " : " + result;          // the WS/IS 2:1 mux
  }

  void attachPe(PeHook& hook) const override {
    Module& pe = hook.pe;
    if (isOs(hook.cfg)) {
      pe.description.push_back("Bypass (ch. 10.3.1, OS): AND gates force a bypassed PE's result to zero.");
    } else {
      pe.description.push_back("Bypass (ch. 10.3.1): with bypass_q set the PE forwards psum_i unchanged, so");
      pe.description.push_back("its weight is pruned; bypass_q is one stage of a vertical configuration chain.");
    }
    pe.ports.push_back({Dir::In, "bypass_shift_i", "", "shift the bypass chain"});
    pe.ports.push_back({Dir::In, "bypass_chain_i", "", "bypass bit from the PE below"});
    pe.ports.push_back({Dir::Out, "bypass_chain_o", "", "bypass bit to the PE above"});
    hook.declarations.push_back(reg("bypass_q", "", "this PE is bypassed", {"config"}));
    pe.items.push_back(AlwaysFF{"p_bypass", "",
                                {Stmt::assign("bypass_q", "1'b0")},
                                {Stmt::ifThen("bypass_shift_i", {Stmt::assign("bypass_q", "bypass_chain_i")})}});
    pe.items.push_back(ContAssign{"bypass_chain_o", "bypass_q", ""});
  }

  void attachArray(ArrayHook& hook) const override {
    hook.array.ports.push_back({Dir::In, "bypass_shift_i", "", "shift the bypass chains"});
    hook.array.ports.push_back({Dir::In, "bypass_data_i", "Cols", "bypass row entering the south edge"});
    hook.pe.ports.push_back({"bypass_shift_i", "bypass_shift_i"});
    hook.chains.push_back({"bypass", "", units::Flow::North, "bypass_chain_i", "bypass_chain_o",
                           "bypass_data_i[c]", "", "bypass bit from the PE below"});
  }

  void attachTop(Module& top, Instance& array, const config::Config&) const override {
    top.description.insert(top.description.end(),
                           {"Bypass mask: bypass_valid_i shifts one row of bypass bits (lane c = column",
                            "c) into the chain, row 0 first, rows beats in all; change it only while idle."});
    top.ports.push_back({Dir::In, "bypass_valid_i", "", "shift one bypass row in"});
    top.ports.push_back({Dir::In, "bypass_data_i", "Cols", "Cols bypass bits"});
    array.ports.push_back({"bypass_shift_i", "bypass_valid_i"});
    array.ports.push_back({"bypass_data_i", "bypass_data_i"});
  }

  std::vector<PortGroup> portGroups() const override { return {{"bypass_", "bypass"}}; }

  std::string protocol(const config::Config& cfg) const override {
    if (!cfg.protect.bypass) return "not generated (protect.bypass = false)";
    if (isOs(cfg))
      return "bypass_valid_i shifts one row of bypass bits into the chain, row 0 first, rows beats "
             "per mask; a bypassed PE's result is forced to zero";
    return "bypass_valid_i shifts one row of bypass bits into the chain, row 0 first, rows beats per "
           "mask; lane c = column c; change only while idle; a bypassed PE forwards its partial sum "
           "(its weight is pruned)";
  }

  config::Config baseline(const config::Config& cfg) const override {
    config::Config base = cfg;
    base.protect.bypass = false;
    return base;
  }

  std::string referenceFigures(const config::Config& cfg) const override {
    // Table 10.1 gives 8-bit fixed-point and 32-bit float PEs; other widths show both.
    const bool os = isOs(cfg);
    return fmt::format(
        "dissertation Table 10.1 (DesignCompiler, 15 nm), {} PE: 8-bit fixed area {} power {}, "
        "32-bit float area {} power {}; delay <= +2.2 %",
        os ? "OS" : "WS/IS", os ? "+4.00 %" : "+7.09 %", os ? "+2.27 %" : "+5.36 %",
        os ? "+0.52 %" : "+0.79 %", os ? "+0.22 %" : "+0.50 %");
  }

  std::string harnessDriver() const override { return "protect/bypass/BypassDriver.h"; }
};

}  // namespace

const ProtectionUnit& unit() {
  static const Bypass instance;
  return instance;
}

}  // namespace ftaccel::protect::bypass
