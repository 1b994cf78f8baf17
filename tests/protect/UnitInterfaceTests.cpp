// Design test of the protection-unit interface: a unit written only against ProtectionUnit.h
// (an input stage, an extra module with an alarm) changes the latency, the ctrl, the manifest,
// the fault sites and the campaign classification without any edit elsewhere.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "ir/SvPrinter.h"
#include "protect/ProtectionUnit.h"
#include "units/IpDesign.h"

using namespace ftaccel;
using namespace ftaccel::ir;

namespace {

// One register stage on every input stream, and a sticky alarm flag in a module of its own.
class DelayUnit final : public protect::ProtectionUnit {
 public:
  std::string_view name() const override { return "delay"; }
  std::vector<config::KeyRow> configKeys() const override { return {}; }
  bool enabled(const config::Config&) const override { return true; }
  std::vector<units::PipelineStage> inputStages(const config::Config&) const override {
    return {{"delay stage", units::PipelineStage::Scale::None, 1}};
  }
  void attachInputStage(protect::InputStageHook& hook, const config::Config&) const override {
    for (auto& s : hook.streams) {
      const std::string q = "delay_" + s.role + "_q";
      hook.top.items.push_back(reg(q, s.lanes + "*" + s.laneBits, "", {"delay"}));
      hook.top.items.push_back(AlwaysFF{"p_" + q, "", {Stmt::assign(q, "'0")},
                                        {Stmt::ifThen(hook.enable, {Stmt::assign(q, s.data)})}});
      s.data = q;
    }
  }
  std::vector<protect::ExtraModule> extraModules(const config::Config&, const std::string& top) const override {
    Module m;
    m.name = top + "_delay_flag";
    m.ports = {{Dir::In, "clk_i", "", ""}, {Dir::In, "rst_ni", "", ""}, {Dir::Out, "alarm_o", "", ""}};
    m.items = {reg("flag_q", "", "sticky: never set by itself", {"alarm"}),
               AlwaysFF{"p_flag", "", {Stmt::assign("flag_q", "1'b0")}, {Stmt::assign("flag_q", "flag_q")}},
               ContAssign{"alarm_o", "flag_q", ""}};
    return {{m, protect::ExtraModule::Parent::Top, 1}};
  }
  void attachTop(Module& top, Instance&, const config::Config&) const override {
    top.ports.push_back({Dir::Out, "delay_alarm_o", "", "test unit alarm"});
    top.items.push_back(Instance{top.name + "_delay_flag", "u_delay_flag", {},
                                 {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"alarm_o", "delay_alarm_o"}}, ""});
  }
  // An identity rewrite of the multiplier's streamed operand, visible in the PE's text.
  std::string peExpr(protect::PePoint point, const config::Config&, const std::string& expr,
                     const std::string&) const override {
    return point == protect::PePoint::OperandA ? "(" + expr + ")" : expr;
  }
  // Counts the results taken (reads the de-skewed outputs, delays nothing).
  void attachOutputCheck(protect::OutputCheckHook& hook, const config::Config&) const override {
    hook.top.items.push_back(reg("delay_seen_q", "8", "results taken", {"delay_check"}));
    hook.top.items.push_back(AlwaysFF{"p_delay_seen", "", {Stmt::assign("delay_seen_q", "'0")},
                                      {Stmt::ifThen(hook.taken, {Stmt::assign("delay_seen_q", "delay_seen_q + 8'd1")})}});
    hook.top.items.push_back(Signal{"unused_delay_seen", "8", "only a fault site"});
    hook.top.items.push_back(ContAssign{"unused_delay_seen", "delay_seen_q", ""});
  }
  std::vector<protect::PortGroup> portGroups() const override { return {{"delay_", "delay"}}; }
  std::string protocol(const config::Config&) const override { return "one register stage in front of the skew"; }
  std::vector<std::string> alarmPorts(const config::Config&) const override { return {"delay_alarm_o"}; }
  config::Config baseline(const config::Config& cfg) const override { return cfg; }
};

}  // namespace

TEST_CASE("unit interface: a new unit moves latency, ctrl, manifest and fault sites", "[protect][design]") {
  const DelayUnit delay;
  const protect::ScopedTestUnit active(delay);
  for (const char* df : {"ws", "os"}) {
    const auto cfg = config::loadConfig(std::nullopt, {"array.rows=3", "array.cols=2", std::string("array.dataflow=") + df});
    const units::IpDesign ip = units::buildIp(cfg);
    INFO(df);
    // rows + cols + 1 (+1 OS output row register) plus the unit's stage.
    CHECK(ip.latencyCycles == (std::string(df) == "os" ? 8 : 7));
    CHECK(ip.peEdge0 == 2);
    CHECK(ip.alarmPorts == std::vector<std::string>{"delay_alarm_o"});
    const auto& top = ip.modules.back();
    CHECK(top.children.at(cfg.ip.name + "_delay_flag") == 1);
    const auto& ctrl = std::find_if(ip.modules.begin(), ip.modules.end(),
                                    [&](const units::ModuleSpec& m) { return m.module.name == cfg.ip.name + "_ctrl"; })
                           ->module;
    const std::string ctrlText = printModule(ctrl, PrintOptions{false, "", "", ""});
    CHECK(ctrlText.find("localparam int Latency = Rows + Cols + 1;") != std::string::npos);
    bool grouped = false;
    for (const auto& p : ip.ports) grouped |= p.name == "delay_alarm_o" && p.group == "delay";
    CHECK(grouped);
    const nlohmann::json manifest = flow::buildManifest(cfg, ip);
    CHECK(manifest["protocol"]["delay"] == "one register stage in front of the skew");
    CHECK(manifest["fault_injection"]["alarms"] == nlohmann::json::array({"delay_alarm_o"}));
    const units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true});
    int delaySites = 0, alarmSites = 0, checkSites = 0;
    for (const auto& s : fi.faultSites) {
      delaySites += s.kind == "delay";
      alarmSites += s.path == "u_delay_flag.flag_q";
      checkSites += s.kind == "delay_check";
    }
    CHECK(delaySites == 2);  // two input streams: WS activations and swap tags, OS activations and weights
    CHECK(alarmSites == 1);
    CHECK(checkSites == 1);
    const std::string peText = printModule(ip.modules.front().module, PrintOptions{false, "", "", ""});
    CHECK(peText.find("ProdBits'($signed((act_i)))") != std::string::npos);
  }
}

TEST_CASE("unit interface: the harness follows the pipeline model and classifies the unit's alarm",
          "[protect][design][campaign]") {
  test::useTestCache();
  const DelayUnit delay;
  const protect::ScopedTestUnit active(delay);
  const auto cfg = config::loadConfig(std::nullopt, {"array.rows=3", "array.cols=2"});
  const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
  test::TempDir tmp;
  flow::CampaignRequest req;
  req.run.model = "list";
  req.run.faults = 1;
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  // The only fault flips the unit's alarm flag: the engine ORs the unit's alarm outputs.
  req.run.inject = "u_delay_flag.flag_q:0@6";
  contract::CampaignOptions o = flow::validateCampaign(cfg, req);
  const flow::CampaignRun run = flow::runCampaign(model, o);
  REQUIRE(run.exitCode == 0);
  const std::string text = test::readFile(tmp / "r.jsonl");
  INFO(text);
  // The fault-free reference run matched the golden model with the extra stage in the pipe.
  CHECK(text.find("\"mismatches\":0") != std::string::npos);
  CHECK(text.find("\"false_alarms\":0") != std::string::npos);
  CHECK(text.find("\"outcome\":\"detected\"") != std::string::npos);
}
