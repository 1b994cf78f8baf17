// Rows x Cols grid of weight-stationary PEs with flat nets between neighbours.
#include "units/Units.h"

#include "units/IpDesign.h"
#include "units/Protection.h"

namespace ftaccel::units {

using namespace ir;

Module buildArrayWs(const config::Config& cfg, const ModuleNames& names,
                  const BuildOptions& options) {
  Module m;
  m.name = names.array;
  m.description = {
      "Weight-stationary systolic array. Row r receives (already skewed) activation lane r at",
      "the west edge; column c delivers its dot product at the south edge. Weights enter the",
      "shadow chain at the south edge and shift north, one weight row per wload_i beat.",
  };
  m.params = arrayParams(cfg);
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "act_i", "Rows*DataBits", "west edge, lane r = row r"},
      {Dir::In, "swap_i", "Rows", "west edge swap tags"},
      {Dir::Out, "psum_o", "Cols*AccBits", "south edge, lane c = column c"},
      {Dir::In, "wload_i", "", "shift the weight chains"},
      {Dir::In, "wdata_i", "Cols*DataBits", "weight row entering the south edge"},
  });
  m.checks = {{"Rows >= 1 && Cols >= 1", "Rows and Cols must be at least 1"}};

  // Flat nets indexed by grid position; the extra column/row holds the edge values.
  m.items = {
      Signal{"act_net", "Rows*(Cols+1)*DataBits", "index r*(Cols+1)+c: input of PE(r,c)"},
      Signal{"swap_net", "Rows*(Cols+1)", ""},
      Signal{"psum_net", "(Rows+1)*Cols*AccBits", "index r*Cols+c: input of PE(r,c)"},
      Signal{"wchain_net", "(Rows+1)*Cols*DataBits", "index r*Cols+c: output of PE(r,c)"},
      Signal{"unused_act_east", "Rows*DataBits", "the east edge has no consumer"},
      Signal{"unused_swap_east", "Rows", ""},
      Signal{"unused_wchain_north", "Cols*DataBits", "the weight chain ends at row 0"},
  };
  auto rowEdges = makeGenerate(
      "gen_row_edge", "r", "Rows",
      {ContAssign{slice("act_net", "r*(Cols+1)", "DataBits"), slice("act_i", "r", "DataBits"), ""},
       ContAssign{"swap_net[r*(Cols+1)]", "swap_i[r]", ""},
       ContAssign{slice("unused_act_east", "r", "DataBits"),
                  slice("act_net", "r*(Cols+1)+Cols", "DataBits"), ""},
       ContAssign{"unused_swap_east[r]", "swap_net[r*(Cols+1)+Cols]", ""}});
  auto colEdges = makeGenerate(
      "gen_col_edge", "c", "Cols",
      {ContAssign{slice("psum_net", "c", "AccBits"), "'0", "columns start from zero"},
       ContAssign{slice("psum_o", "c", "AccBits"), slice("psum_net", "Rows*Cols+c", "AccBits"), ""},
       ContAssign{slice("wchain_net", "Rows*Cols+c", "DataBits"), slice("wdata_i", "c", "DataBits"),
                  ""},
       ContAssign{slice("unused_wchain_north", "c", "DataBits"),
                  slice("wchain_net", "c", "DataBits"), ""}});
  Instance pe{names.pe,
              "u_pe",
              {{"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
              {{"clk_i", "clk_i"},
               {"rst_ni", "rst_ni"},
               {"en_i", "en_i"},
               {"act_i", slice("act_net", "r*(Cols+1)+c", "DataBits")},
               {"swap_i", "swap_net[r*(Cols+1)+c]"},
               {"act_o", slice("act_net", "r*(Cols+1)+c+1", "DataBits")},
               {"swap_o", "swap_net[r*(Cols+1)+c+1]"},
               {"psum_i", slice("psum_net", "r*Cols+c", "AccBits")},
               {"psum_o", slice("psum_net", "(r+1)*Cols+c", "AccBits")},
               {"wload_i", "wload_i"},
               {"wchain_i", slice("wchain_net", "(r+1)*Cols+c", "DataBits")},
               {"wchain_o", slice("wchain_net", "r*Cols+c", "DataBits")}},
              ""};
  addArrayProtection(m, pe, cfg, options);
  auto grid = makeGenerate("gen_row", "r", "Rows",
                           {makeGenerate("gen_col", "c", "Cols", {pe}, GridAxis::Col)}, GridAxis::Row);
  m.items.push_back(rowEdges);
  m.items.push_back(colEdges);
  m.items.push_back(grid);
  return m;
}

}  // namespace ftaccel::units
