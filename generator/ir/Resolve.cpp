// Evaluation of widths and parameter values, and generate-block elaboration.
#include "ir/Resolve.h"

namespace ftaccel::ir {

Scope moduleScope(const Module& m) {
  Scope scope;
  for (const Param& p : m.params) scope[p.name] = evalConst(p.value, scope);
  return scope;
}

void resolve(Module& m) {
  Scope scope;
  for (Param& p : m.params) {
    p.evaluated = evalConst(p.value, scope);
    scope[p.name] = p.evaluated;
  }
  for (Port& p : m.ports) p.bits = evalWidth(p.width, scope);
  for (Item& item : m.items)
    if (auto* s = std::get_if<Signal>(&item)) s->bits = evalWidth(s->width, scope);
}

namespace {

void walk(const std::vector<Item>& items, ElabPoint point,
          const std::function<void(const Item&, const ElabPoint&)>& visit) {
  for (const Item& item : items) {
    if (const auto* lp = std::get_if<LocalParam>(&item)) {
      if (!lp->opaque) point.scope[lp->name] = evalConst(lp->value, point.scope);
      visit(item, point);
    } else if (const auto* g = std::get_if<Box<Generate>>(&item)) {
      const int64_t count = evalConst((*g)->count, point.scope);
      for (int64_t i = 0; i < count; ++i) {
        ElabPoint inner = point;
        inner.scope[(*g)->var] = i;
        inner.path += (*g)->label + "[" + std::to_string(i) + "].";
        inner.loops.push_back({&**g, i});
        walk((*g)->items, inner, visit);
      }
    } else if (const auto* gi = std::get_if<Box<GenerateIf>>(&item)) {
      const bool taken = evalConst((*gi)->cond, point.scope) != 0;
      const auto& branch = taken ? (*gi)->thenItems : (*gi)->elseItems;
      const std::string& label = taken ? (*gi)->label : (*gi)->elseLabel;
      if (branch.empty()) continue;
      ElabPoint inner = point;
      inner.path += label + ".";
      walk(branch, inner, visit);
    } else {
      visit(item, point);
    }
  }
}

}  // namespace

void elaborate(const Module& m, const std::function<void(const Item&, const ElabPoint&)>& visit) {
  ElabPoint root;
  root.scope = moduleScope(m);
  walk(m.items, root, visit);
}

}  // namespace ftaccel::ir
