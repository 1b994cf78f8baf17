// Weight-stationary processing element: one signed MAC, a shadow weight and an active weight.
#include "units/Units.h"

#include "units/Protection.h"
#include "units/SparsePe.h"

namespace ftaccel::units {

using namespace ir;

Module buildPeWs(const config::Config& cfg, const ModuleNames& names,
                  const BuildOptions& options) {
  if (sparsePe(cfg)) return buildPeSparse(cfg, names, options);
  Module m;
  m.name = names.pe;
  m.description = {
      "Weight-stationary PE. The activation moves right, the partial sum moves down.",
      "The shadow weight is loaded through a vertical shift chain while the array computes;",
      "a swap tag installs it as the active weight. The tag travels one cycle ahead of the",
      "activation it belongs to, so the multiplier reads weight_q with no multiplexer.",
  };
  m.params = peParams(cfg, "partial-sum width");
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "DataBits", "activation from the west"},
      {Dir::In, "swap_i", "", "install the shadow weight (one cycle before its activation)"},
      {Dir::Out, "act_o", "DataBits", "activation to the east"},
      {Dir::Out, "swap_o", "", ""},
      {Dir::In, "psum_i", "AccBits", "partial sum from the north"},
      {Dir::Out, "psum_o", "AccBits", "partial sum to the south"},
      {Dir::In, "wload_i", "", "shift the weight chain"},
      {Dir::In, "wchain_i", "DataBits", "shadow weight from the PE below"},
      {Dir::Out, "wchain_o", "DataBits", "shadow weight to the PE above"},
  });
  // IS runs the same datapath with the operands swapped (eq. 10.4): the streamed register holds
  // a weight and the stationary ones hold inputs.
  const bool is = cfg.array.dataflow == config::Dataflow::IS;
  m.checks = {{"DataBits >= 2", "DataBits must be at least 2"},
              {"AccBits >= ProdBits", "AccBits must hold a full product"}};
  // The fault sits on the MAC result, inside the part that the bypass multiplexer routes around.
  const std::string macOut = macResult(options);
  using protect::PePoint;
  const std::string opA = peExpr(cfg, PePoint::OperandA, "act_i"), opB = peExpr(cfg, PePoint::OperandB, "weight_q");
  const std::string productExpr = "ProdBits'($signed(" + opA + ")) * ProdBits'($signed(" + opB + "))";
  // Without fault ports or protection units nothing taps the product or the sum, and the MAC is
  // written inside the register's assignment: Icarus then evaluates it once per clock edge
  // instead of on every operand change through continuous assignments (a 16x16 IP simulates
  // about 1.4x faster; the logic is the same).
  const bool inlineMac = !options.faultPorts && protect::enabledUnits(cfg).empty();
  const std::string psumNext =
      inlineMac ? "psum_i + AccBits'(" + productExpr + ")" : peExpr(cfg, PePoint::Result, macOut, "psum_i");
  m.items = {
      reg("act_q", "DataBits", "", {is ? "weight" : "act", LiveClass::Act}),
      reg("swap_q", "", "", {"flag", LiveClass::None}),
      reg("psum_q", "AccBits", "", {"psum", LiveClass::Psum}),
      reg("shadow_q", "DataBits", "next weight, loaded in the background",
          {is ? "act_shadow" : "weight_shadow", LiveClass::Shadow}),
      reg("weight_q", "DataBits", "weight in use", {is ? "act" : "weight", LiveClass::Weight}),
      // One block for the pipeline and the shadow weight (different enables): Icarus wakes one
      // process per PE and clock edge instead of two (a 16x16 IP simulates about 1.3x faster).
      AlwaysFF{"p_pipe", "",
               {Stmt::assign("act_q", "'0"), Stmt::assign("swap_q", "1'b0"),
                Stmt::assign("psum_q", "'0"), Stmt::assign("weight_q", "'0"), Stmt::assign("shadow_q", "'0")},
               {Stmt::ifThen("en_i",
                             {Stmt::assign("act_q", "act_i"), Stmt::assign("swap_q", "swap_i"),
                              Stmt::assign("psum_q", psumNext),
                              Stmt::ifThen("swap_i", {Stmt::assign("weight_q", "shadow_q")})}),
                Stmt::ifThen("wload_i", {Stmt::assign("shadow_q", peExpr(cfg, PePoint::LoadChain, "wchain_i"))})}},
      ContAssign{"act_o", "act_q", ""},
      ContAssign{"swap_o", "swap_q", ""},
      ContAssign{"psum_o", peExpr(cfg, PePoint::PsumOut, "psum_q"), ""},
      ContAssign{"wchain_o", "shadow_q", ""},
  };
  if (!inlineMac)
    m.items.insert(m.items.begin() + 5,
                   {Signal{"product", "ProdBits", "", true}, Signal{"mac", "AccBits", "multiply-accumulate result"},
                    ContAssign{"product", peExpr(cfg, PePoint::Product, productExpr), ""},
                    ContAssign{"mac", "psum_i + AccBits'(product)", ""}});
  addPeProtection(m, cfg, options, {opA, opB});
  return m;
}

}  // namespace ftaccel::units
