// Sized zeros for signals over Verilator's 8,192-bit fill limit (see WideZeros.h).
#include "ir/WideZeros.h"

#include <map>
#include <set>
#include <string>

#include "ir/Resolve.h"

namespace ftaccel::ir {

namespace {

using WideNames = std::map<std::string, std::string>;  // signal name -> its width expression

std::string sizedZero(const std::string& width) {
  const bool identifier =
      !width.empty() && width.find_first_not_of(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == std::string::npos;
  return (identifier ? width : "(" + width + ")") + "'(0)";
}

void rewrite(std::vector<Stmt>& stmts, const WideNames& wide) {
  for (Stmt& s : stmts) {
    if (s.kind == Stmt::Kind::Assign && s.rhs == "'0") {
      if (auto it = wide.find(s.lhs); it != wide.end()) s.rhs = sizedZero(it->second);
    }
    rewrite(s.thenBody, wide);
    rewrite(s.elseBody, wide);
  }
}

// Items of one scope: signals declared here shadow the enclosing scope's of the same name.
void rewrite(std::vector<Item>& items, WideNames wide, const std::set<const Item*>& wideDecls) {
  for (const Item& item : items)
    if (const auto* s = std::get_if<Signal>(&item)) {
      if (wideDecls.contains(&item)) wide[s->name] = s->width;
      else wide.erase(s->name);
    }
  for (Item& item : items) {
    if (auto* ff = std::get_if<AlwaysFF>(&item)) {
      rewrite(ff->reset, wide);
      rewrite(ff->body, wide);
    } else if (auto* comb = std::get_if<AlwaysComb>(&item)) {
      rewrite(comb->body, wide);
    } else if (auto* ca = std::get_if<ContAssign>(&item)) {
      if (auto it = wide.find(ca->lhs); it != wide.end() && ca->rhs == "'0") ca->rhs = sizedZero(it->second);
    } else if (auto* g = std::get_if<Box<Generate>>(&item)) {
      rewrite((*g)->items, wide, wideDecls);
    } else if (auto* gi = std::get_if<Box<GenerateIf>>(&item)) {
      rewrite((*gi)->thenItems, wide, wideDecls);
      rewrite((*gi)->elseItems, wide, wideDecls);
    }
  }
}

}  // namespace

void sizeWideZeros(Module& m) {
  // A declaration inside a generate block is wide when any elaboration of it is.
  std::set<const Item*> wideDecls;
  elaborate(m, [&](const Item& item, const ElabPoint& point) {
    if (const auto* s = std::get_if<Signal>(&item))
      if (evalWidth(s->width, point.scope) > kVerilatorFillLimit) wideDecls.insert(&item);
  });
  WideNames widePorts;
  const Scope scope = moduleScope(m);
  for (const Port& p : m.ports)
    if (evalWidth(p.width, scope) > kVerilatorFillLimit) widePorts[p.name] = p.width;
  if (!wideDecls.empty() || !widePorts.empty()) rewrite(m.items, widePorts, wideDecls);
}

}  // namespace ftaccel::ir
