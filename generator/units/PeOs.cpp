// Output-stationary processing element: keeps one output's accumulator, a result holding
// register and one stage of the column drain chain.
#include "units/Units.h"

#include "units/Protection.h"

namespace ftaccel::units {

using namespace ir;

Module buildPeOs(const config::Config& cfg, const ModuleNames& names, const BuildOptions& options) {
  Module m;
  m.name = names.pe;
  m.description = {
      "Output-stationary PE. Activations move east with the tile flags, weights move south;",
      "acc_q accumulates one output. On the last beat of a tile the result goes to hold_q;",
      "snap_i copies hold_q into the drain chain, which shifts results north to the edge.",
  };
  m.params = peParams(cfg, "accumulator width");
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "DataBits", "activation from the west"},
      {Dir::In, "first_i", "", "first beat of a tile: restart the accumulator"},
      {Dir::In, "last_i", "", "last beat of a tile: keep the result"},
      {Dir::Out, "act_o", "DataBits", "activation to the east"},
      {Dir::Out, "first_o", "", ""},
      {Dir::Out, "last_o", "", ""},
      {Dir::In, "w_i", "DataBits", "weight from the north"},
      {Dir::Out, "w_o", "DataBits", "weight to the south"},
      {Dir::In, "snap_i", "", "column-wide: load the drain chain from hold_q"},
      {Dir::In, "drain_i", "AccBits", "drain chain from the PE below"},
      {Dir::Out, "drain_o", "AccBits", "drain chain to the PE above"},
  });
  m.checks = {{"DataBits >= 2", "DataBits must be at least 2"},
              {"AccBits >= ProdBits", "AccBits must hold a full product"}};
  const std::string macOut = macResult(options);
  using protect::PePoint;
  const std::string result = peExpr(cfg, PePoint::Result, macOut);
  const std::string opA = peExpr(cfg, PePoint::OperandA, "act_i"), opB = peExpr(cfg, PePoint::OperandB, "w_i");
  m.items = {
      reg("act_q", "DataBits", "", {"act", LiveClass::Act}),
      reg("first_q", "", "", {"flag", LiveClass::None}),
      reg("last_q", "", "", {"flag", LiveClass::None}),
      reg("w_q", "DataBits", "", {"weight", LiveClass::WeightPass}),
      reg("acc_q", "AccBits", "running sum of this tile", {"acc", LiveClass::Acc}),
      reg("hold_q", "AccBits", "result of the last finished tile", {"acc_hold", LiveClass::Hold}),
      reg("drain_q", "AccBits", "", {"drain", LiveClass::Drain}),
      Signal{"product", "ProdBits", "", true},
      Signal{"mac", "AccBits", "multiply-accumulate result"},
      ContAssign{"product", peExpr(cfg, PePoint::Product, "ProdBits'($signed(" + opA + ")) * ProdBits'($signed(" + opB + "))"), ""},
      ContAssign{"mac", "(first_i ? '0 : acc_q) + AccBits'(product)", ""},
  };
  m.items.push_back(AlwaysFF{
      "p_pipe", "",
      {Stmt::assign("act_q", "'0"), Stmt::assign("first_q", "1'b0"), Stmt::assign("last_q", "1'b0"),
       Stmt::assign("w_q", "'0"), Stmt::assign("acc_q", "'0"), Stmt::assign("hold_q", "'0"),
       Stmt::assign("drain_q", "'0")},
      {Stmt::ifThen("en_i",
                    {Stmt::assign("act_q", "act_i"), Stmt::assign("first_q", "first_i"),
                     Stmt::assign("last_q", "last_i"), Stmt::assign("w_q", "w_i"),
                     Stmt::assign("acc_q", macOut),
                     Stmt::ifThen("last_i", {Stmt::assign("hold_q", result)}),
                     Stmt::assign("drain_q", "snap_i ? hold_q : drain_i")})}});
  m.items.push_back(ContAssign{"act_o", "act_q", ""});
  m.items.push_back(ContAssign{"first_o", "first_q", ""});
  m.items.push_back(ContAssign{"last_o", "last_q", ""});
  m.items.push_back(ContAssign{"w_o", "w_q", ""});
  m.items.push_back(ContAssign{"drain_o", peExpr(cfg, PePoint::PsumOut, "drain_q"), ""});
  addPeProtection(m, cfg, options, {opA, opB});
  return m;
}

}  // namespace ftaccel::units
