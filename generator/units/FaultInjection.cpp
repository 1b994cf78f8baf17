// Register-level fault injection: one generic pass that rewrites always_ff blocks of any module
// and threads the fi buses, reading widths and register kinds from the typed IR.
#include "units/FaultInjection.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "ir/Resolve.h"
#include "units/IpDesign.h"

namespace ftaccel::units {

using namespace ir;

namespace {

// Sites of one module relative to its own fi bus.
struct Layout {
  std::vector<FaultSite> sites;
  int bits = 0;
};

// One elaborated contributor to a module's fi bus: a register or a child instance.
struct Entry {
  const AlwaysFF* ff = nullptr;  // register: its block
  std::string reg;               // register name
  const Signal* decl = nullptr;
  const Instance* inst = nullptr;  // child instance
  const Layout* child = nullptr;
  ElabPoint point;
  int bits = 0;
  int offset = 0;
  const Generate* nest() const { return point.loops.empty() ? nullptr : point.loops.front().loop; }
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

RegMask maskAt(const std::string& base, const std::string& width) {
  return {fmt::format("fi_xor_i[{} +: {}]", base, width), fmt::format("fi_clr_i[{} +: {}]", base, width)};
}

// Collects the registers and fi-carrying child instances of `m` as elaboration sees them.
std::vector<Entry> collect(const Module& m, const std::map<std::string, Layout>& layouts) {
  std::map<std::string, const Signal*> decls;  // by elaborated path
  std::vector<Entry> regs, loopEntries, insts;
  elaborate(m, [&](const Item& item, const ElabPoint& point) {
    if (const auto* s = std::get_if<Signal>(&item)) {
      decls[point.path + s->name] = s;
    } else if (const auto* ff = std::get_if<AlwaysFF>(&item)) {
      for (const Stmt& r : ff->reset) {
        auto it = decls.find(point.path + r.lhs);
        if (it == decls.end() || !it->second->reg)
          throw std::logic_error(fmt::format("module {}: register {}{} has no RegInfo (declare it with ir::reg)",
                                             m.name, point.path, r.lhs));
        Entry e{ff, r.lhs, it->second, nullptr, nullptr, point,
                evalWidth(it->second->width, point.scope), 0};
        (point.loops.empty() ? regs : loopEntries).push_back(e);
      }
    } else if (const auto* inst = std::get_if<Instance>(&item)) {
      auto it = layouts.find(inst->module);
      if (it == layouts.end() || it->second.bits == 0) return;
      Entry e{nullptr, "", nullptr, inst, &it->second, point, it->second.bits, 0};
      (point.loops.empty() ? insts : loopEntries).push_back(e);
    }
  });
  // Module-level instances go largest first, so the biggest child (the array) starts at bit 0
  // and Verilator reads its slices straight from the port instead of copying a shifted bus.
  std::stable_sort(insts.begin(), insts.end(), [](const Entry& a, const Entry& b) { return a.bits > b.bits; });
  std::vector<Entry> all = regs;
  all.insert(all.end(), loopEntries.begin(), loopEntries.end());
  all.insert(all.end(), insts.begin(), insts.end());
  int offset = 0;
  for (Entry& e : all) {
    e.offset = offset;
    offset += e.bits;
  }
  return all;
}

// Flattened iteration index of a loop nest, as SV text and as a number ("r*Cols+c").
std::string flatIndexText(const std::vector<LoopLevel>& loops) {
  std::string text = loops.front().loop->var;
  for (size_t i = 1; i < loops.size(); ++i) text = text + "*" + loops[i].loop->count + "+" + loops[i].loop->var;
  return text;
}

// Per generate nest: the base of every iteration (by flattened index; an iteration without
// registers gets the base of the next one) and each contributor's offset inside it, which
// must not depend on the iteration (the rewritten text is shared by all of them).
struct NestPlan {
  std::vector<int> iterationBase;
  std::map<const void*, int> within;  // AlwaysFF/Instance node -> offset inside its iteration
  bool uniform = true;
  int stride = 0;
  int first = 0;
};

int64_t flatIndex(const ElabPoint& p, int64_t* total) {
  int64_t flat = 0, count = 1;
  for (const LoopLevel& l : p.loops) {
    const int64_t n = evalConst(l.loop->count, p.scope);
    flat = flat * n + l.index;
    count *= n;
  }
  if (total) *total = count;
  return flat;
}

std::map<const Generate*, NestPlan> planNests(const Module& m, const std::vector<Entry>& entries) {
  std::map<const Generate*, NestPlan> plans;
  std::map<const Generate*, std::map<int64_t, int>> baseOf;  // flat iteration -> first offset
  std::map<const Generate*, int> endOf;
  std::map<const Generate*, std::map<std::string, int>> withinByKey;
  std::map<const Generate*, int64_t> iterations;
  for (const Entry& e : entries) {
    const Generate* nest = e.nest();
    if (!nest) continue;
    const int64_t flat = flatIndex(e.point, &iterations[nest]);
    const int base = baseOf[nest].emplace(flat, e.offset).first->second;
    endOf[nest] = e.offset + e.bits;
    const std::string key = e.inst ? "inst:" + e.inst->name : "reg:" + e.reg;
    auto [it, inserted] = withinByKey[nest].emplace(key, e.offset - base);
    if (!inserted && it->second != e.offset - base)
      throw std::logic_error(fmt::format("module {}: {} sits at different offsets in different iterations of {}",
                                         m.name, key, nest->label));
    plans[nest].within[e.inst ? static_cast<const void*>(e.inst) : static_cast<const void*>(e.ff)] =
        e.offset - base;
  }
  for (auto& [nest, plan] : plans) {
    const auto& bases = baseOf[nest];
    plan.iterationBase.assign(static_cast<size_t>(iterations[nest]), endOf[nest]);
    for (int64_t i = iterations[nest] - 1; i >= 0; --i) {
      auto it = bases.find(i);
      if (it != bases.end()) plan.iterationBase[i] = it->second;
      else if (i + 1 < iterations[nest]) plan.iterationBase[i] = plan.iterationBase[i + 1];
    }
    plan.uniform = static_cast<int64_t>(bases.size()) == iterations[nest];
    plan.first = plan.iterationBase.front();
    if (plan.iterationBase.size() > 1) plan.stride = plan.iterationBase[1] - plan.iterationBase[0];
    for (size_t i = 1; i < plan.iterationBase.size(); ++i)
      if (plan.iterationBase[i] - plan.iterationBase[i - 1] != plan.stride) plan.uniform = false;
  }
  return plans;
}

// Base expression of the current iteration of `nest` (table lookup or first + flat*stride).
std::string iterationBaseText(const NestPlan& plan, const std::vector<LoopLevel>& loops, int bitsOfIteration) {
  const std::string flat = flatIndexText(loops);
  if (!plan.uniform) return "FiBase";
  const int stride = plan.iterationBase.size() > 1 ? plan.stride : bitsOfIteration;
  std::string text = fmt::format("({})*{}", flat, stride);
  return plan.first ? fmt::format("{} + {}", plan.first, text) : text;
}

// Inserts the FiBase localparam (a lookup in the module-level FiBases table) at the start of
// the first innermost loop body; a module has at most one irregular nest (asserted by the caller).
bool insertFiBase(std::vector<Item>& items, const std::string& flat) {
  for (Item& item : items) {
    if (auto* g = std::get_if<Box<Generate>>(&item)) {
      bool nestedLoop = std::any_of((*g)->items.begin(), (*g)->items.end(), [](const Item& i) {
        return std::holds_alternative<Box<Generate>>(i);
      });
      if (!nestedLoop) {
        auto pos = (*g)->items.begin();
        while (pos != (*g)->items.end() && std::holds_alternative<LocalParam>(*pos)) ++pos;
        (*g)->items.insert(pos, LocalParam{"FiBase", fmt::format("FiBases[({})*32 +: 32]", flat), "int", true});
        return true;
      }
      if (insertFiBase((*g)->items, flat)) return true;
    }
  }
  return false;
}

Layout gateModule(Module& m, const std::map<std::string, Layout>& layouts) {
  std::vector<Entry> entries = collect(m, layouts);
  Layout layout;
  for (const Entry& e : entries) layout.bits += e.bits;
  if (layout.bits == 0) return layout;
  auto plans = planNests(m, entries);

  // Site list.
  for (const Entry& e : entries) {
    int row = -1, col = -1, lane = -1;
    for (const LoopLevel& l : e.point.loops) {
      if (l.loop->axis == GridAxis::Row) row = static_cast<int>(l.index);
      else if (l.loop->axis == GridAxis::Col) col = static_cast<int>(l.index);
      else lane = static_cast<int>(l.index);
    }
    if (e.inst) {
      for (FaultSite s : e.child->sites) {
        s.path = e.point.path + e.inst->name + "." + s.path;
        s.offset += e.offset;
        if (row >= 0) s.peRow = row;
        if (col >= 0) s.peCol = col;
        layout.sites.push_back(s);
      }
    } else {
      layout.sites.push_back({e.point.path + e.reg, e.bits, e.offset, e.decl->reg->kind, row, col,
                              e.decl->reg->live, lane});
    }
  }

  // Rewrite. The module is ours to change; the entries point into it.
  std::map<const AlwaysFF*, std::map<std::string, RegMask>> masks;
  std::map<const Instance*, std::string> instBase;
  for (const Entry& e : entries) {
    std::string base = std::to_string(e.offset);
    if (const Generate* nest = e.nest()) {
      const NestPlan& plan = plans.at(nest);
      const int within = plan.within.at(e.inst ? static_cast<const void*>(e.inst) : static_cast<const void*>(e.ff));
      base = iterationBaseText(plan, e.point.loops, e.bits);
      if (within) base += " + " + std::to_string(within);
    }
    if (e.inst) {
      instBase[e.inst] = base;
    } else {
      const std::string width = e.point.loops.empty() ? std::to_string(e.bits) : (e.decl->width.empty() ? "1" : e.decl->width);
      masks[e.ff][e.reg] = maskAt(base, width);
    }
  }
  for (auto& [ff, regMasks] : masks) gateBlock(const_cast<AlwaysFF&>(*ff), regMasks);
  for (auto& [inst, base] : instBase) {
    auto& ports = const_cast<Instance&>(*inst).ports;
    const int bits = layouts.at(inst->module).bits;
    ports.push_back({"fi_xor_i", fmt::format("fi_xor_i[{} +: {}]", base, bits)});
    ports.push_back({"fi_clr_i", fmt::format("fi_clr_i[{} +: {}]", base, bits)});
  }
  for (auto& [nest, plan] : plans) {
    if (plan.uniform) continue;
    std::string table;
    for (auto it = plan.iterationBase.rbegin(); it != plan.iterationBase.rend(); ++it)
      table += fmt::format("{}32'd{}", table.empty() ? "" : ", ", *it);
    // Iteration bases differ (skew lanes of different depth): a table, newest entry last.
    FTACCEL_ASSERT(std::none_of(m.items.begin(), m.items.end(), [](const Item& i) {
      const auto* lp = std::get_if<LocalParam>(&i);
      return lp && lp->name == "FiBases";
    }));  // one irregular nest per module
    m.items.insert(m.items.begin(),
                   LocalParam{"FiBases", "{" + table + "}",
                              fmt::format("logic [{}-1:0]", 32 * plan.iterationBase.size()), true});
    std::vector<LoopLevel> loops;
    for (const Entry& e : entries)
      if (e.nest() == nest) { loops = e.point.loops; break; }
    insertFiBase(m.items, flatIndexText(loops));
  }
  const std::string width = std::to_string(layout.bits);
  m.ports.push_back({Dir::In, "fi_xor_i", width, "simulation only: flip these register bits"});
  m.ports.push_back({Dir::In, "fi_clr_i", width, "simulation only: clear these register bits"});
  return layout;
}

}  // namespace

void addRegisterInjection(IpDesign& ip) {
  std::map<std::string, Layout> layouts;
  for (ModuleSpec& spec : ip.modules) layouts[spec.module.name] = gateModule(spec.module, layouts);
  const Layout& top = layouts.at(ip.top);
  ip.faultSites = top.sites;
  ip.faultBits = top.bits;
}

}  // namespace ftaccel::units
