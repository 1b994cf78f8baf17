// Rows x Cols grid of output-stationary PEs; results leave through the north edge.
#include "units/Units.h"

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
  m.items = {
      Signal{"act_net", "Rows*(Cols+1)*DataBits", "index r*(Cols+1)+c: input of PE(r,c)"},
      Signal{"first_net", "Rows*(Cols+1)", ""},
      Signal{"last_net", "Rows*(Cols+1)", ""},
      Signal{"w_net", "(Rows+1)*Cols*DataBits", "index r*Cols+c: input of PE(r,c)"},
      Signal{"drain_net", "(Rows+1)*Cols*AccBits", "index r*Cols+c: output of PE(r,c)"},
      Signal{"snap", "Cols", "column c: the last beat has reached its bottom PE"},
      Signal{"unused_act_east", "Rows*DataBits", "the east edge has no consumer"},
      Signal{"unused_flags_east", "2*Rows", ""},
      Signal{"unused_w_south", "Cols*DataBits", "the south edge has no consumer"},
  };
  m.items.push_back(makeGenerate(
      "gen_row_edge", "r", "Rows",
      {ContAssign{slice("act_net", "r*(Cols+1)", "DataBits"), slice("act_i", "r", "DataBits"), ""},
       ContAssign{"first_net[r*(Cols+1)]", "first_i[r]", ""},
       ContAssign{"last_net[r*(Cols+1)]", "last_i[r]", ""},
       ContAssign{slice("unused_act_east", "r", "DataBits"),
                  slice("act_net", "r*(Cols+1)+Cols", "DataBits"), ""},
       ContAssign{"unused_flags_east[2*r +: 2]",
                  "{first_net[r*(Cols+1)+Cols], last_net[r*(Cols+1)+Cols]}", ""}}));
  m.items.push_back(makeGenerate(
      "gen_col_edge", "c", "Cols",
      {ContAssign{slice("w_net", "c", "DataBits"), slice("w_i", "c", "DataBits"), ""},
       ContAssign{slice("unused_w_south", "c", "DataBits"), slice("w_net", "Rows*Cols+c", "DataBits"), ""},
       ContAssign{slice("drain_net", "Rows*Cols+c", "AccBits"), "'0", "nothing below the bottom row"},
       ContAssign{slice("drain_o", "c", "AccBits"), slice("drain_net", "c", "AccBits"), ""},
       ContAssign{"snap[c]", "last_net[(Rows-1)*(Cols+1)+c+1]",
                  "the bottom PE has registered the last beat: every hold_q of the column is final"}}));
  Instance pe{names.pe,
              "u_pe",
              {{"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
              {{"clk_i", "clk_i"},
               {"rst_ni", "rst_ni"},
               {"en_i", "en_i"},
               {"act_i", slice("act_net", "r*(Cols+1)+c", "DataBits")},
               {"first_i", "first_net[r*(Cols+1)+c]"},
               {"last_i", "last_net[r*(Cols+1)+c]"},
               {"act_o", slice("act_net", "r*(Cols+1)+c+1", "DataBits")},
               {"first_o", "first_net[r*(Cols+1)+c+1]"},
               {"last_o", "last_net[r*(Cols+1)+c+1]"},
               {"w_i", slice("w_net", "r*Cols+c", "DataBits")},
               {"w_o", slice("w_net", "(r+1)*Cols+c", "DataBits")},
               {"snap_i", "snap[c]"},
               {"drain_i", slice("drain_net", "(r+1)*Cols+c", "AccBits")},
               {"drain_o", slice("drain_net", "r*Cols+c", "AccBits")}},
              ""};
  addArrayProtection(m, pe, cfg, options);
  m.items.push_back(makeGenerate("gen_row", "r", "Rows",
                                  {makeGenerate("gen_col", "c", "Cols", {pe}, GridAxis::Col)},
                                  GridAxis::Row));
  return m;
}

}  // namespace ftaccel::units
