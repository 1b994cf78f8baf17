// Flow-controlling MAC on the WS datapath: Shortened-l selects one of GroupL activations,
// Superposition-k updates one of GroupK partial sums, two-dimensional does both (Fig. 12.6).
#include "units/SparsePe.h"

#include <fmt/format.h>

#include "units/Protection.h"
#include "units/Units.h"

namespace ftaccel::units {

using namespace ir;

std::vector<Param> sparseParams(const config::Config& cfg) {
  if (!sparsePe(cfg)) return {};
  return {
      {"GroupL", std::to_string(cfg.array.groupL), false, "activations per row lane (shortened)"},
      {"GroupK", std::to_string(cfg.array.groupK), false, "partial sums per column lane (superposition)"},
      {"IdxBits", std::to_string(config::peIndexBits(cfg.array)), false,
       "index bits beside each weight: ceil(log2 GroupL) + ceil(log2 GroupK)"},
  };
}

std::vector<std::pair<std::string, std::string>> sparseParamPass(const config::Config& cfg) {
  if (!sparsePe(cfg)) return {};
  return {{"GroupL", "GroupL"}, {"GroupK", "GroupK"}, {"IdxBits", "IdxBits"}};
}

Module buildPeSparse(const config::Config& cfg, const ModuleNames& names, const BuildOptions& options) {
  const int l = cfg.array.groupL, k = cfg.array.groupK;
  const int lBits = config::selectBits(l), kBits = config::selectBits(k);
  Module m;
  m.name = names.pe;
  m.description = {
      fmt::format("Flow-controlling weight-stationary PE ({}, l = {}, k = {}; dissertation Fig. 12.6).",
                  config::toString(cfg.array.pe), l, k),
      "The weight is stored with index bits: the low ceil(log2 GroupL) select one of the GroupL",
      "activations of the row lane, the bits above them the one of the GroupK partial sums of the",
      "column lane that the product is added to; the other partial sums pass unchanged.",
      "Activations move right, partial sums move down, the shadow weight and its index bits load",
      "through a vertical shift chain and a swap tag installs them, as in the dense PE.",
  };
  m.params = peParams(cfg, "partial-sum width");
  const auto extra = sparseParams(cfg);
  m.params.insert(m.params.end(), extra.begin(), extra.end());
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "GroupL*DataBits", "GroupL activations from the west"},
      {Dir::In, "swap_i", "", "install the shadow weight (one cycle before its activation)"},
      {Dir::Out, "act_o", "GroupL*DataBits", "activations to the east"},
      {Dir::Out, "swap_o", "", ""},
      {Dir::In, "psum_i", "GroupK*AccBits", "GroupK partial sums from the north"},
      {Dir::Out, "psum_o", "GroupK*AccBits", "partial sums to the south"},
      {Dir::In, "wload_i", "", "shift the weight chain"},
      {Dir::In, "wchain_i", "DataBits", "shadow weight from the PE below"},
      {Dir::Out, "wchain_o", "DataBits", "shadow weight to the PE above"},
      {Dir::In, "ichain_i", "IdxBits", "its index bits"},
      {Dir::Out, "ichain_o", "IdxBits", ""},
  });
  m.checks = {{"DataBits >= 2", "DataBits must be at least 2"},
              {"AccBits >= ProdBits", "AccBits must hold a full product"},
              {"IdxBits >= 1", "a flow-controlling PE needs index bits"}};
  const std::string macOut = macResult(options);
  // Selection fields of the active index.
  const std::string actSel = l > 1 ? fmt::format("act_i[idx_q[{}:0]*DataBits +: DataBits]", lBits - 1) : "act_i";
  const std::string kField = fmt::format("idx_q[{}:{}]", lBits + kBits - 1, lBits);
  const std::string psumSel = k > 1 ? fmt::format("psum_i[{}*AccBits +: AccBits]", kField) : "psum_i";
  using protect::PePoint;
  const std::string opA = peExpr(cfg, PePoint::OperandA, "act_sel"), opB = peExpr(cfg, PePoint::OperandB, "weight_q");
  m.items = {
      reg("act_q", "GroupL*DataBits", "", {"act", LiveClass::Act}),
      reg("swap_q", "", "", {"flag", LiveClass::None}),
      reg("psum_q", "GroupK*AccBits", "", {"psum", LiveClass::Psum}),
      reg("shadow_q", "DataBits", "next weight, loaded in the background", {"weight_shadow", LiveClass::Shadow}),
      reg("shadow_idx_q", "IdxBits", "its index bits", {"index_shadow", LiveClass::Shadow}),
      reg("weight_q", "DataBits", "weight in use", {"weight", LiveClass::Weight}),
      reg("idx_q", "IdxBits", "index bits in use: activation and partial-sum selection", {"index", LiveClass::Weight}),
      Signal{"act_sel", "DataBits", "the activation idx_q selects (input multiplexer)"},
      Signal{"psum_sel", "AccBits", "the partial sum idx_q selects (output multiplexer)"},
      Signal{"product", "ProdBits", "", true},
      Signal{"mac", "AccBits", "multiply-accumulate result"},
      Signal{"psum_d", "GroupK*AccBits", "the partial sums with the selected one updated"},
      ContAssign{"act_sel", actSel, ""},
      ContAssign{"psum_sel", psumSel, ""},
      ContAssign{"product", peExpr(cfg, PePoint::Product, "ProdBits'($signed(" + opA + ")) * ProdBits'($signed(" + opB + "))"), ""},
      ContAssign{"mac", "psum_sel + AccBits'(product)", ""},
  };
  const std::string result = peExpr(cfg, PePoint::Result, macOut, "psum_sel");
  if (k > 1) {
    m.items.push_back(makeGenerate(
        "gen_psum", "j", "GroupK",
        {ContAssign{slice("psum_d", "j", "AccBits"),
                    fmt::format("({} == {}'(j)) ? {} : {}", kField, kBits, result, slice("psum_i", "j", "AccBits")),
                    ""}}));
  } else {
    m.items.push_back(ContAssign{"psum_d", result, ""});
  }
  m.items.insert(m.items.end(), {
      AlwaysFF{"p_pipe", "",
               {Stmt::assign("act_q", "'0"), Stmt::assign("swap_q", "1'b0"), Stmt::assign("psum_q", "'0"),
                Stmt::assign("weight_q", "'0"), Stmt::assign("idx_q", "'0")},
               {Stmt::ifThen("en_i",
                             {Stmt::assign("act_q", "act_i"), Stmt::assign("swap_q", "swap_i"),
                              Stmt::assign("psum_q", "psum_d"),
                              Stmt::ifThen("swap_i", {Stmt::assign("weight_q", "shadow_q"),
                                                      Stmt::assign("idx_q", "shadow_idx_q")})})}},
      AlwaysFF{"p_shadow", "",
               {Stmt::assign("shadow_q", "'0"), Stmt::assign("shadow_idx_q", "'0")},
               {Stmt::ifThen("wload_i", {Stmt::assign("shadow_q", peExpr(cfg, PePoint::LoadChain, "wchain_i")),
                                         Stmt::assign("shadow_idx_q", "ichain_i")})}},
      ContAssign{"act_o", "act_q", ""},
      ContAssign{"swap_o", "swap_q", ""},
      ContAssign{"psum_o", peExpr(cfg, PePoint::PsumOut, "psum_q"), ""},
      ContAssign{"wchain_o", "shadow_q", ""},
      ContAssign{"ichain_o", "shadow_idx_q", ""},
  });
  addPeProtection(m, cfg, options, {opA, opB});
  return m;
}

}  // namespace ftaccel::units
