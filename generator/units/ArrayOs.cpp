// Rows x Cols grid of output-stationary PEs; results leave through the north edge.
#include "units/Units.h"

#include <algorithm>

#include "units/GridNets.h"
#include "units/IpDesign.h"
#include "units/Protection.h"

namespace ftaccel::units {

using namespace ir;

Module buildArrayOs(const config::Config& cfg, const ModuleNames& names, const BuildOptions& options) {
  Module m;
  m.name = names.array;
  m.description = {
      "Output-stationary systolic array. Row r receives skewed activations with tile flags at",
      "the west edge, column c receives skewed weights at the north edge. When the last beat",
      "of a tile has reached the bottom PE of column c, the whole column snapshots its results",
      "into the drain chain, which delivers row 0 first at the north edge, one row per cycle.",
  };
  m.params = arrayParams(cfg);
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "Rows*DataBits", "west edge, lane r = row r"},
      {Dir::In, "first_i", "Rows", "west edge tile-start flags"},
      {Dir::In, "last_i", "Rows", "west edge tile-end flags"},
      {Dir::In, "w_i", "Cols*DataBits", "north edge, lane c = column c"},
      {Dir::Out, "drain_o", "Cols*AccBits", "north edge results, lane c = column c"},
  });
  m.checks = {{"Rows >= 1 && Cols >= 1", "Rows and Cols must be at least 1"}};
  Instance pe{names.pe,
              "u_pe",
              {{"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
              {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"en_i", "en_i"}, {"snap_i", "gen_snap[c].snap"}},
              ""};
  std::vector<GridChain> chains = {
      {"act", "DataBits", Flow::East, "act_i", "act_o", slice("act_i", "r", "DataBits"), "",
       "activation from the west"},
      {"first", "", Flow::East, "first_i", "first_o", "first_i[r]", "", "tile-start flag"},
      {"last", "", Flow::East, "last_i", "last_o", "last_i[r]", "", "tile-end flag"},
      {"w", "DataBits", Flow::South, "w_i", "w_o", slice("w_i", "c", "DataBits"), "",
       "weight from the north"},
      {"drain", "AccBits", Flow::North, "drain_i", "drain_o", "'0", "drain_o",
       "drain chain from the PE below; nothing below the bottom row"},
  };
  const bool flat = config::flatGridNets(cfg.array);
  // Column c's snapshot: the bottom PE has registered the last beat, so every hold_q of the
  // column is final. One net per column (read by its Rows PEs).
  const GridChain& last = *std::find_if(chains.begin(), chains.end(), [](const GridChain& ch) { return ch.net == "last"; });
  m.items.push_back(makeGenerate("gen_snap", "c", "Cols",
                                 {Signal{"snap", "", ""}, ContAssign{"snap", peOutput(last, "Rows-1", "c", flat), ""}}));
  addArrayProtection(m, pe, chains, cfg, options);
  std::vector<Item> peItems;
  std::vector<Item> edges = addGridChains(m, peItems, pe, chains, flat);
  peItems.push_back(pe);
  m.items.push_back(makeGenerate("gen_row", "r", "Rows",
                                 {makeGenerate("gen_col", "c", "Cols", peItems, GridAxis::Col)},
                                 GridAxis::Row));
  m.items.insert(m.items.end(), edges.begin(), edges.end());
  return m;
}

}  // namespace ftaccel::units
