// Rows x Cols grid of weight-stationary PEs with per-PE nets between neighbours.
#include "units/Units.h"

#include "diag/Diagnostics.h"
#include "units/GridNets.h"
#include "units/IpDesign.h"
#include "units/Protection.h"
#include "units/SparsePe.h"

namespace ftaccel::units {

using namespace ir;

Module buildArrayWs(const config::Config& cfg, const ModuleNames& names,
                  const BuildOptions& options, Module* row) {
  Module m;
  m.name = names.array;
  m.description = {
      "Weight-stationary systolic array. Row r receives (already skewed) activation lane r at",
      "the west edge; column c delivers its dot product at the south edge. Weights enter the",
      "shadow chain at the south edge and shift north, one weight row per wload_i beat.",
  };
  m.params = arrayParams(cfg);
  const auto groups = sparseParams(cfg);
  m.params.insert(m.params.end(), groups.begin(), groups.end());
  const std::string actW = actLaneWidth(cfg), psumW = psumLaneWidth(cfg);
  const bool sparse = sparsePe(cfg);
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "Rows*" + actW, sparse ? "west edge, lane r = row r (GroupL activations)" : "west edge, lane r = row r"},
      {Dir::In, "swap_i", "Rows", "west edge swap tags"},
      {Dir::Out, "psum_o", "Cols*" + psumW, sparse ? "south edge, lane c = column c (GroupK partial sums)" : "south edge, lane c = column c"},
      {Dir::In, "wload_i", "", "shift the weight chains"},
      {Dir::In, "wdata_i", "Cols*DataBits", "weight row entering the south edge"},
  });
  if (sparse) m.ports.push_back({Dir::In, "widx_i", "Cols*IdxBits", "index bits of the weight row"});
  m.checks = {{"Rows >= 1 && Cols >= 1", "Rows and Cols must be at least 1"}};

  Instance pe{names.pe,
              "u_pe",
              {{"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
              {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"en_i", "en_i"}, {"wload_i", "wload_i"}},
              ""};
  std::vector<GridChain> chains = {
      {"act", actW, Flow::East, "act_i", "act_o", slice("act_i", "r", actW), "",
       "activation from the west"},
      {"swap", "", Flow::East, "swap_i", "swap_o", "swap_i[r]", "", ""},
      {"psum", psumW, Flow::South, "psum_i", "psum_o", "'0", "psum_o",
       "partial sum from the north; columns start from zero"},
      {"wchain", "DataBits", Flow::North, "wchain_i", "wchain_o", slice("wdata_i", "c", "DataBits"),
       "", "shadow weight from the PE below"},
  };
  for (const auto& p : sparseParamPass(cfg)) pe.params.push_back(p);
  if (sparse)
    chains.push_back({"ichain", "IdxBits", Flow::North, "ichain_i", "ichain_o", slice("widx_i", "c", "IdxBits"), "",
                      "index bits from the PE below"});
  addArrayProtection(m, pe, chains, cfg, options);
  if (config::gridNetForm(cfg.array) == config::GridNetForm::Rows) {
    FTACCEL_ASSERT(row != nullptr);
    *row = addGridRows(m, names.row, pe, chains);
    return m;
  }
  std::vector<Item> peItems;
  std::vector<Item> edges = addGridChains(m, peItems, pe, chains, config::flatGridNets(cfg.array));
  peItems.push_back(pe);
  m.items.push_back(makeGenerate("gen_row", "r", "Rows",
                                 {makeGenerate("gen_col", "c", "Cols", peItems, GridAxis::Col)},
                                 GridAxis::Row));
  m.items.insert(m.items.end(), edges.begin(), edges.end());
  return m;
}

}  // namespace ftaccel::units
