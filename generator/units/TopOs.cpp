// Top level of the OS IP: one beat stream of (activations, weights, last), result rows out.
#include "units/Units.h"

#include "units/IpDesign.h"
#include "units/OutBuffer.h"
#include "units/Protection.h"

namespace ftaccel::units {

using namespace ir;

Module buildTopOs(const config::Config& cfg, const ModuleNames& names, const BuildOptions& options) {
  const std::string rows = std::to_string(cfg.array.rows), cols = std::to_string(cfg.array.cols);
  Module m;
  m.name = names.top;
  m.description = {
      "ftaccel output-stationary systolic-array IP.",
      "Each beat carries activations (in_x_i lane r = X[b=r][k]) and weights (in_w_i lane c =",
      "W[k][c]) of one reduction step k; in_last_i marks the tile's last step. Rows result rows",
      "follow on out_* (row r first to last, lane c = y[r][c]), without stalling the next tile.",
  };
  m.params = {
      {"Rows", rows, true, "", true},
      {"Cols", cols, true, "", true},
      {"DataBits", std::to_string(cfg.data.bits), true, "", true},
      {"AccBits", std::to_string(cfg.data.accBits), true, "", true},
      {"LaneBits", "DataBits + 2", true, "activation plus first/last flags, derived"},
  };
  m.ports = clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "in_valid_i", "", "reduction-step stream"},
      {Dir::Out, "in_ready_o", "", ""},
      {Dir::In, "in_last_i", "", "last step of a tile"},
      {Dir::In, "in_x_i", "Rows*DataBits", "Rows x DataBits"},
      {Dir::In, "in_w_i", "Cols*DataBits", "Cols x DataBits"},
      {Dir::Out, "out_valid_o", "", "result row stream"},
      {Dir::In, "out_ready_i", "", ""},
      {Dir::Out, "out_data_o", "Cols*AccBits", "Cols x AccBits"},
  });
  Instance array{names.array,
                 "u_array",
                 {{"Rows", "Rows"}, {"Cols", "Cols"}, {"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
                 {{"clk_i", "clk_i"},
                  {"rst_ni", "rst_ni"},
                  {"en_i", "en"},
                  {"act_i", "array_act"},
                  {"first_i", "array_first"},
                  {"last_i", "array_last"},
                  {"w_i", "array_w"},
                  {"drain_o", "array_out"}},
                 ""};
  m.items = {
      Signal{"en", "", ""},
      Signal{"accept", "", ""},
      Signal{"first", "", ""},
      Signal{"skew_in", "Rows*LaneBits", "lane r = {last, first, activation}"},
      Signal{"skew_out", "Rows*LaneBits", ""},
      Signal{"w_in", "Cols*DataBits", ""},
      Signal{"array_act", "Rows*DataBits", ""},
      Signal{"array_first", "Rows", ""},
      Signal{"array_last", "Rows", ""},
      Signal{"array_w", "Cols*DataBits", ""},
      Signal{"array_out", "Cols*AccBits", ""},
      Signal{"buf_head_load", "", ""},
      Signal{"buf_head_shift", "", ""},
      Signal{"buf_tail_load", "", ""},
      Signal{"results", "Cols*AccBits", "de-skewed result row"},
      Instance{names.ctrl,
               "u_ctrl",
               {{"Rows", "Rows"}, {"Cols", "Cols"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"in_valid_i", "in_valid_i"},
                {"in_last_i", "in_last_i"},
                {"in_ready_o", "in_ready_o"},
                {"accept_o", "accept"},
                {"first_o", "first"},
                {"en_o", "en"},
                {"out_valid_o", "out_valid_o"},
                {"out_ready_i", "out_ready_i"},
                {"buf_head_load_o", "buf_head_load"},
                {"buf_head_shift_o", "buf_head_shift"},
                {"buf_tail_load_o", "buf_tail_load"}},
               ""},
      makeGenerate(
          "gen_row", "r", "Rows",
          {ContAssign{slice("skew_in", "r", "LaneBits"),
                      "{accept && in_last_i, accept && first, " + slice("in_x_i", "r", "DataBits") +
                          " & {DataBits{accept}}}",
                      "idle cycles feed zeros, so nothing undefined enters the array"},
           ContAssign{slice("array_act", "r", "DataBits"), "skew_out[r*LaneBits +: DataBits]", ""},
           ContAssign{"array_first[r]", "skew_out[r*LaneBits + DataBits]", ""},
           ContAssign{"array_last[r]", "skew_out[r*LaneBits + DataBits + 1]", ""}}),
      ContAssign{"w_in", "in_w_i & {(Cols*DataBits){accept}}", ""},
      Instance{names.skewIn,
               "u_in_skew",
               {{"Lanes", "Rows"}, {"Width", "LaneBits"}, {"Offset", "1"}, {"Reverse", "0"}},
               {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"en_i", "en"}, {"data_i", "skew_in"},
                {"data_o", "skew_out"}},
               "input register plus row skew: row r enters the array r cycles after row 0"},
      Instance{names.skewW,
               "u_w_skew",
               {{"Lanes", "Cols"}, {"Width", "DataBits"}, {"Offset", "1"}, {"Reverse", "0"}},
               {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"en_i", "en"}, {"data_i", "w_in"},
                {"data_o", "array_w"}},
               "input register plus column skew of the weights"},
      array,
  };
  addTopProtection(m, "u_array", cfg, options);
  const auto fed = addInputStages(m, cfg, {{"act", "skew_in", "Rows", "LaneBits", cfg.data.bits},
                                           {"weight", "w_in", "Cols", "DataBits", cfg.data.bits}});
  connectSkew(m, "u_in_skew", fed[0]);
  connectSkew(m, "u_w_skew", fed[1]);
  if (cfg.array.cols > 1) {
    m.items.push_back(Instance{
        names.skewOut,
        "u_out_deskew",
        {{"Lanes", "Cols"}, {"Width", "AccBits"}, {"Offset", "0"}, {"Reverse", "1"}},
        {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}, {"en_i", "en"}, {"data_i", "array_out"},
         {"data_o", "results"}},
        "column c drains c cycles after column 0: re-align"});
  } else {
    m.items.push_back(ContAssign{"results", "array_out", "a single column needs no de-skew"});
  }
  m.items.push_back(outBufferInstance(names, "results"));
  addOutputChecks(m, cfg);
  return m;
}

}  // namespace ftaccel::units
