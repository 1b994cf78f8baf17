// Protection-unit hooks and fault-port plumbing shared by every dataflow.
#include "units/Protection.h"

#include <fmt/format.h>

#include "diag/Diagnostics.h"

#include "protect/ProtectionUnit.h"

namespace ftaccel::units {

using namespace ir;

std::vector<Param> peParams(const config::Config& cfg, const std::string& accComment) {
  return {
      {"DataBits", std::to_string(cfg.data.bits), false, "weight and activation width"},
      {"AccBits", std::to_string(cfg.data.accBits), false, accComment},
      {"ProdBits", "2 * DataBits", true, "full-width product, derived"},
  };
}

std::vector<Param> arrayParams(const config::Config& cfg) {
  return {
      {"Rows", std::to_string(cfg.array.rows), false, ""},
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"DataBits", std::to_string(cfg.data.bits), false, ""},
      {"AccBits", std::to_string(cfg.data.accBits), false, ""},
  };
}

InterfaceChecks interfaceChecks(const Module& top, const config::Config& cfg) {
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  const StreamPortNames sp = streamPortNames(cfg.array.dataflow);
  std::vector<std::string> loadBeat;  // unit inputs that travel with each load beat
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    for (const std::string& p : unit->loadBeatPorts(cfg)) loadBeat.push_back(p);
  InterfaceChecks checks;
  auto inputStream = [&](const std::string& name, const std::vector<std::string>& extra) {
    StreamCheck s{name, name + "_valid_i", name + "_ready_o", {}, false};
    for (const auto& p : top.ports)
      if (p.dir == Dir::In && p.name.starts_with(name + "_") && p.name != s.valid) s.payload.push_back(p.name);
    s.payload.insert(s.payload.end(), extra.begin(), extra.end());
    checks.streams.push_back(s);
  };
  if (os) {
    inputStream("in", {});
  } else {
    inputStream(sp.stream, {});
    inputStream(sp.load, loadBeat);
  }
  checks.streams.push_back({"out", "out_valid_o", "out_ready_i", {"out_data_o"}, true});
  for (const auto& p : top.ports)
    if (p.dir == Dir::Out) checks.knownOutputs.push_back(p.name);
  return checks;
}

std::string macResult(const BuildOptions& options) { return options.faultPorts ? "mac_f" : "mac"; }

std::string peExpr(const config::Config& cfg, protect::PePoint point, std::string expr, const std::string& psumIn) {
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) expr = unit->peExpr(point, cfg, expr, psumIn);
  return expr;
}

void addOutputChecks(Module& top, const config::Config& cfg) {
  protect::OutputCheckHook hook{top};
  hook.alongResults = [&top](const std::string& value, const std::string& width, const std::string& prefix) {
    const std::string head = prefix + "_head_q", tail = prefix + "_tail_q";
    top.items.push_back(reg(head, width, "beside the output buffer's head", {"out_buf"}));
    top.items.push_back(reg(tail, width, "beside its second entry", {"out_buf"}));
    top.items.push_back(AlwaysFF{"p_" + prefix, "the output buffer's controls (units/OutBuffer.h)",
                                 {Stmt::assign(head, "'0"), Stmt::assign(tail, "'0")},
                                 {Stmt::ifElseIf({{"buf_head_load", {Stmt::assign(head, value)}},
                                                  {"buf_head_shift", {Stmt::assign(head, tail)}}}),
                                  Stmt::ifThen("buf_tail_load", {Stmt::assign(tail, value)})}});
    return head;
  };
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) unit->attachOutputCheck(hook, cfg);
}

void addPeProtection(Module& pe, const config::Config& cfg, const BuildOptions& options,
                     const MacOperands& operands) {
  std::vector<Item> declarations;
  protect::PeHook hook{pe, cfg, declarations};
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) unit->attachPe(hook);
  if (options.faultPorts) {
    pe.description.push_back(
        "Simulation variant: fi_mask_i bits of the MAC result are replaced by fi_value_i.");
    pe.ports.push_back({Dir::In, "fi_mask_i", "AccBits", "fault: bits to override"});
    pe.ports.push_back({Dir::In, "fi_value_i", "AccBits", "fault: their values"});
    declarations.push_back(Signal{"mac_f", "AccBits", "MAC result after the fault"});
    pe.items.push_back(ContAssign{"mac_f", "(mac & ~fi_mask_i) | (fi_value_i & fi_mask_i)", ""});
  }
  if (options.faultPorts && options.timingPorts) {
    // Timing errors: the testbench reads the operands and flips product bits for one cycle.
    pe.description.push_back(
        "Simulation variant: fi_pxor_i flips product bits (timing errors); fi_opa_o/fi_opb_o show "
        "the operands.");
    pe.ports.push_back({Dir::In, "fi_pxor_i", "ProdBits", "fault: product bits to flip"});
    pe.ports.push_back({Dir::Out, "fi_opa_o", "DataBits", "multiplier operand a (activation)"});
    pe.ports.push_back({Dir::Out, "fi_opb_o", "DataBits", "multiplier operand b (weight)"});
    pe.items.push_back(ContAssign{"fi_opa_o", operands.a, ""});
    pe.items.push_back(ContAssign{"fi_opb_o", operands.b, ""});
    for (Item& item : pe.items) {
      auto* a = std::get_if<ContAssign>(&item);
      if (a && a->lhs == "product") a->rhs = "(" + a->rhs + ") ^ fi_pxor_i";
    }
  }
  pe.items.insert(pe.items.begin(), declarations.begin(), declarations.end());
}

void addArrayProtection(Module& array, Instance& pe, std::vector<GridChain>& chains,
                        const config::Config& cfg, const BuildOptions& options) {
  protect::ArrayHook hook{array, pe, chains, cfg};
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) unit->attachArray(hook);
  if (options.faultPorts) {
    array.ports.push_back({Dir::In, "fi_mask_i", "Rows*Cols*AccBits", "fault masks, index r*Cols+c"});
    array.ports.push_back({Dir::In, "fi_value_i", "Rows*Cols*AccBits", ""});
    pe.ports.push_back({"fi_mask_i", slice("fi_mask_i", "r*Cols+c", "AccBits")});
    pe.ports.push_back({"fi_value_i", slice("fi_value_i", "r*Cols+c", "AccBits")});
  }
  if (options.faultPorts && options.timingPorts) {
    array.ports.push_back({Dir::In, "fi_pxor_i", "Rows*Cols*2*DataBits", "product flips, index r*Cols+c"});
    array.ports.push_back({Dir::Out, "fi_opa_o", "Rows*Cols*DataBits", "PE operands, index r*Cols+c"});
    array.ports.push_back({Dir::Out, "fi_opb_o", "Rows*Cols*DataBits", ""});
    pe.ports.push_back({"fi_pxor_i", slice("fi_pxor_i", "r*Cols+c", "2*DataBits")});
    pe.ports.push_back({"fi_opa_o", slice("fi_opa_o", "r*Cols+c", "DataBits")});
    pe.ports.push_back({"fi_opb_o", slice("fi_opb_o", "r*Cols+c", "DataBits")});
  }
}

std::vector<std::string> addInputStages(Module& top, const config::Config& cfg,
                                        std::vector<protect::InputStream> streams) {
  protect::InputStageHook hook{top, std::move(streams)};
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    if (!unit->inputStages(cfg).empty()) unit->attachInputStage(hook, cfg);
  std::vector<std::string> data;
  for (const auto& s : hook.streams) data.push_back(s.data);
  return data;
}

std::string addStreamInsert(Module& top, const std::string& ctrlInstance, const config::Config& cfg,
                            const std::string& valid, const std::string& swap, const std::string& readyPort,
                            const std::string& data) {
  protect::StreamInsertHook hook{top, valid, swap, readyPort, readyPort, data};
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) unit->attachStreamInsert(hook, cfg);
  for (Item& item : top.items)
    if (auto* inst = std::get_if<Instance>(&item); inst && inst->name == ctrlInstance)
      for (auto& [port, expr] : inst->ports) {
        if (expr == valid && port == "in_valid_i") expr = hook.valid;
        if (expr == readyPort && port == "in_ready_o") expr = hook.ready;
      }
  return hook.data;
}

void registerStream(Module& top, protect::InputStream& stream, const std::string& name,
                    const std::string& enable) {
  top.items.insert(top.items.begin(), reg(name, stream.lanes + "*" + stream.laneBits, "", {"flag"}));
  top.items.push_back(AlwaysFF{"p_" + name, "", {Stmt::assign(name, "'0")},
                               {Stmt::ifThen(enable, {Stmt::assign(name, stream.data)})}});
  stream.data = name;
}

void connectSkew(Module& top, const std::string& instName, const std::string& data,
                 const std::string& port) {
  for (Item& item : top.items)
    if (auto* inst = std::get_if<Instance>(&item); inst && inst->name == instName)
      for (auto& [name, expr] : inst->ports)
        if (name == port) expr = data;
}

void addLoadPath(Module& top, const std::string& arrayInstance, const config::Config& cfg,
                 const std::string& data, const std::string& role) {
  protect::LoadPathHook hook{top, data, role};
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) unit->attachLoadPath(hook, cfg);
  if (hook.data == data) return;
  for (Item& item : top.items)
    if (auto* inst = std::get_if<Instance>(&item); inst && inst->name == arrayInstance)
      for (auto& [port, expr] : inst->ports)
        if (port == "wdata_i") expr = hook.data;
}

void addTopProtection(Module& top, const std::string& arrayInstance, const config::Config& cfg,
                      const BuildOptions& options) {
  // Found again after every hook: a unit may add items to the top, which moves them.
  auto arrayRef = [&]() -> Instance& {
    for (Item& item : top.items)
      if (auto* inst = std::get_if<Instance>(&item); inst && inst->name == arrayInstance) return *inst;
    FTACCEL_ASSERT(false);
    return std::get<Instance>(top.items.front());
  };
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) {
    Instance array = arrayRef();
    unit->attachTop(top, array, cfg);
    arrayRef() = array;
  }
  Instance& array = arrayRef();
  if (options.faultPorts) {
    const std::string w = std::to_string(cfg.array.rows * cfg.array.cols * cfg.data.accBits);
    top.ports.push_back({Dir::In, "fi_mask_i", w, "simulation only: per-PE fault masks"});
    top.ports.push_back({Dir::In, "fi_value_i", w, ""});
    array.ports.push_back({"fi_mask_i", "fi_mask_i"});
    array.ports.push_back({"fi_value_i", "fi_value_i"});
  }
  if (options.faultPorts && options.timingPorts) {
    const int pes = cfg.array.rows * cfg.array.cols;
    top.ports.push_back({Dir::In, "fi_pxor_i", std::to_string(pes * 2 * cfg.data.bits),
                         "simulation only: per-PE product flips"});
    top.ports.push_back({Dir::Out, "fi_opa_o", std::to_string(pes * cfg.data.bits),
                         "simulation only: per-PE operands"});
    top.ports.push_back({Dir::Out, "fi_opb_o", std::to_string(pes * cfg.data.bits), ""});
    array.ports.push_back({"fi_pxor_i", "fi_pxor_i"});
    array.ports.push_back({"fi_opa_o", "fi_opa_o"});
    array.ports.push_back({"fi_opb_o", "fi_opb_o"});
  }
}

}  // namespace ftaccel::units
