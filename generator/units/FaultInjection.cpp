// Register-level fault injection: rewrites always_ff blocks and threads the fi buses.
#include "units/FaultInjection.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "units/IpDesign.h"

namespace ftaccel::units {

using namespace ir;

namespace {

int clog2(int n) {
  int bits = 0;
  while ((1 << bits) < n) ++bits;
  return bits;
}

// Sites of one module relative to its own fi bus; PE coordinates are filled in by the array.
struct LocalLayout {
  std::vector<FaultSite> sites;
  int bits = 0;
};

std::string gated(const std::string& expr, const std::string& xorSlice, const std::string& clrSlice) {
  return fmt::format("(({}) & ~{}) ^ {}", expr, clrSlice, xorSlice);
}

struct RegMask {
  std::string xorSlice;
  std::string clrSlice;
};

void gateAssignments(std::vector<Stmt>& body, const std::map<std::string, RegMask>& masks) {
  for (Stmt& s : body) {
    if (s.kind == Stmt::Kind::Assign) {
      auto it = masks.find(s.lhs);
      FTACCEL_ASSERT(it != masks.end());  // registers are assigned whole, never by part-select
      s.rhs = gated(s.rhs, it->second.xorSlice, it->second.clrSlice);
    } else if (s.kind == Stmt::Kind::If) {
      gateAssignments(s.thenBody, masks);
      gateAssignments(s.elseBody, masks);
    }
  }
}

// Every path of the block now assigns each register: first a gated hold, then the original
// (gated) assignments, which win as later non-blocking assignments.
void gateBlock(AlwaysFF& ff, const std::map<std::string, RegMask>& masks) {
  std::vector<Stmt> holds;
  for (const Stmt& r : ff.reset) {
    const RegMask& m = masks.at(r.lhs);
    holds.push_back(Stmt::assign(r.lhs, gated(r.lhs, m.xorSlice, m.clrSlice)));
  }
  gateAssignments(ff.body, masks);
  ff.body.insert(ff.body.begin(), holds.begin(), holds.end());
}

void addFiPorts(Module& m, const std::string& width) {
  m.ports.push_back({Dir::In, "fi_xor_i", width, "simulation only: flip these register bits"});
  m.ports.push_back({Dir::In, "fi_clr_i", width, "simulation only: clear these register bits"});
}

// Kind of a PE register. In IS the stationary operand is the input and the streamed one the
// weight (same datapath as WS, eq. 10.4).
std::string peKind(const std::string& reg, config::Dataflow df) {
  const bool is = df == config::Dataflow::IS;
  static const std::map<std::string, std::string> ws = {
      {"act_q", "act"},   {"swap_q", "flag"},     {"psum_q", "psum"},   {"shadow_q", "weight_shadow"},
      {"weight_q", "weight"}, {"bypass_q", "config"}, {"first_q", "flag"}, {"last_q", "flag"},
      {"w_q", "weight"},  {"acc_q", "acc"},       {"hold_q", "acc_hold"}, {"drain_q", "drain"}};
  std::string kind = ws.at(reg);
  if (is && reg == "act_q") return "weight";
  if (is && reg == "weight_q") return "act";
  if (is && reg == "shadow_q") return "act_shadow";
  return kind;
}

// Leaf modules whose registers are declared at module level (PEs, control).
LocalLayout gateLeaf(Module& m, const std::map<std::string, int>& widthOf,
                     const std::function<std::string(const std::string&)>& kindOf) {
  std::map<std::string, std::string> declared;
  for (const Item& item : m.items)
    if (const auto* s = std::get_if<Signal>(&item)) declared[s->name] = s->width;
  LocalLayout layout;
  for (Item& item : m.items) {
    auto* ff = std::get_if<AlwaysFF>(&item);
    if (!ff) continue;
    std::map<std::string, RegMask> masks;
    for (const Stmt& r : ff->reset) {
      auto w = widthOf.find(declared.at(r.lhs));
      FTACCEL_ASSERT(w != widthOf.end());  // a new width expression needs its value here
      masks[r.lhs] = {fmt::format("fi_xor_i[{} +: {}]", layout.bits, w->second),
                      fmt::format("fi_clr_i[{} +: {}]", layout.bits, w->second)};
      layout.sites.push_back({r.lhs, w->second, layout.bits, kindOf(r.lhs), -1, -1});
      layout.bits += w->second;
    }
    gateBlock(*ff, masks);
  }
  if (layout.bits > 0) addFiPorts(m, std::to_string(layout.bits));
  return layout;
}

int paramValue(const Module& m, const std::string& name) {
  for (const Param& p : m.params)
    if (p.name == name) return std::stoi(p.value);
  FTACCEL_ASSERT(false);
  return 0;
}

// The delay-line bank: lane i holds Depth(i)*Width bits in gen_lane[i].gen_regs.gen_*.stage_q.
LocalLayout gateSkew(Module& m, const std::string& kind) {
  const int lanes = paramValue(m, "Lanes"), width = paramValue(m, "Width"),
            offset = paramValue(m, "Offset"), reverse = paramValue(m, "Reverse");
  LocalLayout layout;
  for (int i = 0; i < lanes; ++i) {
    const int depth = offset + (reverse ? lanes - 1 - i : i);
    if (depth == 0) continue;
    layout.sites.push_back({fmt::format("gen_lane[{}].gen_regs.{}.stage_q", i,
                                        depth == 1 ? "gen_single" : "gen_chain"),
                            depth * width, layout.bits, kind, -1, -1});
    layout.bits += depth * width;
  }
  if (layout.bits == 0) return layout;
  // Lanes before i hold Width * sum(Depth) bits; the closed forms match the loop above.
  m.params.push_back({"FiBits", "Width * (Lanes*Offset + (Lanes*(Lanes-1))/2)", true,
                      "fault-injection bits, derived"});
  addFiPorts(m, "FiBits");
  auto& lane = std::get<std::shared_ptr<Generate>>(m.items.at(0));
  lane->items.insert(lane->items.begin() + 1,
                     LocalParam{"FiBase", "Width * (Offset*i + ((Reverse != 0) ? (i*(2*Lanes-1-i))/2 "
                                          ": (i*(i-1))/2))"});
  auto& regs = std::get<std::shared_ptr<GenerateIf>>(lane->items.back());
  auto& depthIf = std::get<std::shared_ptr<GenerateIf>>(regs->elseItems.at(0));
  for (auto* items : {&depthIf->thenItems, &depthIf->elseItems}) {
    for (Item& item : *items) {
      if (auto* ff = std::get_if<AlwaysFF>(&item)) {
        const std::string w = items == &depthIf->thenItems ? "Width" : "Depth*Width";
        gateBlock(*ff, {{"stage_q", {"fi_xor_i[FiBase +: " + w + "]", "fi_clr_i[FiBase +: " + w + "]"}}});
      }
    }
  }
  return layout;
}

// The grid: PE(r,c) owns bits [(r*Cols+c)*peBits, +peBits) of the array's bus.
LocalLayout connectArray(Module& m, const LocalLayout& pe, int rows, int cols) {
  LocalLayout layout;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c)
      for (FaultSite s : pe.sites) {
        s.path = fmt::format("gen_row[{}].gen_col[{}].u_pe.{}", r, c, s.path);
        s.offset += (r * cols + c) * pe.bits;
        s.peRow = r;
        s.peCol = c;
        layout.sites.push_back(s);
      }
  layout.bits = rows * cols * pe.bits;
  addFiPorts(m, std::to_string(layout.bits));
  for (Item& item : m.items) {
    auto* row = std::get_if<std::shared_ptr<Generate>>(&item);
    if (!row || (*row)->label != "gen_row") continue;
    auto& col = std::get<std::shared_ptr<Generate>>((*row)->items.at(0));
    auto& inst = std::get<Instance>(col->items.at(0));
    inst.ports.push_back({"fi_xor_i", slice("fi_xor_i", "r*Cols+c", std::to_string(pe.bits))});
    inst.ports.push_back({"fi_clr_i", slice("fi_clr_i", "r*Cols+c", std::to_string(pe.bits))});
  }
  return layout;
}

// A module that instantiates children at module level (the top): consecutive slices.
// A module that instantiates children at module level (the top): consecutive slices, the
// largest child (the array) first so its slice starts at bit 0: Verilator then reads the PE
// slices straight from the port instead of copying a shifted bus for each of them.
LocalLayout connectChildren(Module& m, const std::map<std::string, LocalLayout>& layouts) {
  std::vector<Instance*> children;
  for (Item& item : m.items) {
    auto* inst = std::get_if<Instance>(&item);
    if (!inst) continue;
    auto it = layouts.find(inst->module);
    if (it != layouts.end() && it->second.bits > 0) children.push_back(inst);
  }
  std::stable_sort(children.begin(), children.end(), [&](const Instance* a, const Instance* b) {
    return layouts.at(a->module).bits > layouts.at(b->module).bits;
  });
  LocalLayout layout;
  for (Instance* inst : children) {
    const LocalLayout& child = layouts.at(inst->module);
    inst->ports.push_back({"fi_xor_i", fmt::format("fi_xor_i[{} +: {}]", layout.bits, child.bits)});
    inst->ports.push_back({"fi_clr_i", fmt::format("fi_clr_i[{} +: {}]", layout.bits, child.bits)});
    for (FaultSite s : child.sites) {
      s.path = inst->name + "." + s.path;
      s.offset += layout.bits;
      layout.sites.push_back(s);
    }
    layout.bits += child.bits;
  }
  if (layout.bits > 0) addFiPorts(m, std::to_string(layout.bits));
  return layout;
}

}  // namespace

void addRegisterInjection(IpDesign& ip, const config::Config& cfg) {
  const int rows = cfg.array.rows, cols = cfg.array.cols;
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  const std::map<std::string, int> peWidths = {
      {"", 1}, {"DataBits", cfg.data.bits}, {"AccBits", cfg.data.accBits}};
  const std::map<std::string, int> ctrlWidths = {
      {"", 1},
      {"Latency", rows + cols},
      {"SpanBits", clog2(rows + cols)},  // $clog2(SwapSpan + 1), SwapSpan = rows + cols - 1
      {"RowBits", os ? clog2(rows + 1) : (rows > 1 ? clog2(rows) : 1)}};
  std::map<std::string, LocalLayout> layouts;
  const std::string prefix = ip.top;
  for (ModuleSpec& spec : ip.modules) {
    Module& m = spec.module;
    const std::string role = m.name.substr(prefix.size());
    if (role == "_pe") {
      layouts[m.name] = gateLeaf(m, peWidths, [&](const std::string& r) {
        return peKind(r, cfg.array.dataflow);
      });
    } else if (role == "_ctrl") {
      layouts[m.name] = gateLeaf(m, ctrlWidths, [](const std::string&) { return "control"; });
    } else if (role == "_skew_in") {
      layouts[m.name] = gateSkew(m, "skew");
    } else if (role == "_skew_w") {
      layouts[m.name] = gateSkew(m, "skew_w");
    } else if (role == "_skew_out") {
      layouts[m.name] = gateSkew(m, "deskew");
    } else if (role == "_array") {
      layouts[m.name] = connectArray(m, layouts.at(prefix + "_pe"), rows, cols);
    } else {
      FTACCEL_ASSERT(role.empty());
      LocalLayout top = connectChildren(m, layouts);
      ip.faultSites = std::move(top.sites);
      ip.faultBits = top.bits;
    }
  }
}

}  // namespace ftaccel::units
