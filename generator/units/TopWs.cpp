// Top level of the WS IP: streaming ports, control, input skew, array, output de-skew.
#include "units/Units.h"

#include <fmt/format.h>

#include "units/IpDesign.h"
#include "units/OutBuffer.h"
#include "units/Protection.h"
#include "units/SparsePe.h"

namespace ftaccel::units {

using namespace ir;

Module buildTopWs(const config::Config& cfg, const ModuleNames& names,
                  const BuildOptions& options) {
  const StreamPortNames sp = streamPortNames(cfg.array.dataflow);
  const std::string sValid = sp.stream + "_valid_i", sReady = sp.stream + "_ready_o",
                    sData = sp.stream + "_data_i", lValid = sp.load + "_valid_i",
                    lReady = sp.load + "_ready_o", lData = sp.load + "_data_i";
  Module m;
  m.name = names.top;
  if (cfg.array.dataflow == config::Dataflow::IS) {
    m.description = {
        "ftaccel input-stationary systolic-array IP (same datapath as WS, operands swapped).",
        "Load input rows (xload_*: beat k = input channel k, lane c = batch column c), stream",
        "weight vectors (w_*: one output channel per beat, lane r = W[r][co]), read results",
        "(out_*: lane c = y[batch c][co]). Set w_xswap_i on the first weight vector that",
        "should use the last loaded inputs.",
    };
  } else {
    m.description = {
        "ftaccel weight-stationary systolic-array IP.",
        "Stream activation vectors in (in_*), weight rows in (wload_*), results out (out_*).",
        "in_data_i lane r is input channel r; out_data_o lane c is output channel c;",
        "wload beat k carries weight row k (lane c = W[k][c]). Set in_wswap_i on the first",
        "vector of a batch to switch it (and every later vector) to the last loaded matrix.",
    };
  }
  m.params = {
      {"Rows", std::to_string(cfg.array.rows), true, "", true},
      {"Cols", std::to_string(cfg.array.cols), true, "", true},
      {"DataBits", std::to_string(cfg.data.bits), true, "", true},
      {"AccBits", std::to_string(cfg.data.accBits), true, "", true},
  };
  const bool sparse = sparsePe(cfg);
  const std::string actW = actLaneWidth(cfg), psumW = psumLaneWidth(cfg);
  if (sparse) {
    const auto groups = sparseParams(cfg);
    for (auto p : groups) {
      p.header = true;
      p.local = true;
      m.params.push_back(p);
    }
    m.description.insert(m.description.end(), {
        fmt::format("Flow-controlling PEs ({}): in_data_i carries Rows*GroupL activations (lane j is",
                    config::toString(cfg.array.pe)),
        "input channel j; PE row r selects within lanes r*GroupL .. r*GroupL+GroupL-1), out_data_o",
        "carries Cols*GroupK results (lane j is output channel j), wload_idx_i the index bits of the",
        "weight row (lane c: activation select in the low ceil(log2 GroupL) bits, partial-sum",
        "select above them); docs/sparsity.md describes the packed format.",
    });
  }
  m.ports = clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, sValid, "", "streamed operand"},
      {Dir::Out, sReady, "", ""},
      {Dir::In, sp.swap, "", "first vector of a batch: use the newly loaded operand"},
      {Dir::In, sData, "Rows*" + actW, sparse ? "Rows*GroupL x DataBits" : "Rows x DataBits"},
      {Dir::In, lValid, "", "stationary operand, one row per beat"},
      {Dir::Out, lReady, "", ""},
      {Dir::In, lData, "Cols*DataBits", "Cols x DataBits"},
      {Dir::Out, "out_valid_o", "", "result vector stream"},
      {Dir::In, "out_ready_i", "", ""},
      {Dir::Out, "out_data_o", "Cols*" + psumW, sparse ? "Cols*GroupK x AccBits" : "Cols x AccBits"},
  });
  if (sparse)
    m.ports.insert(m.ports.begin() + 9,
                   Port{Dir::In, lData.substr(0, lData.size() - 6) + "idx_i", "Cols*IdxBits", "index bits of the row, Cols x IdxBits"});
  m.items = {
      Signal{"en", "", ""},
      Signal{"accept", "", ""},
      Signal{"wload", "", ""},
      Signal{"buf_head_load", "", ""},
      Signal{"buf_head_shift", "", ""},
      Signal{"buf_tail_load", "", ""},
      Signal{"act_in", "Rows*" + actW, "the vector taken, zero while idle"},
      Signal{"tag_in", "", "its swap tag (the ctrl clears a no-op swap)"},
      Signal{"array_act", "Rows*" + actW, ""},
      Signal{"array_swap", "Rows", ""},
      Signal{"array_psum", "Cols*" + psumW, ""},
      Signal{"results", "Cols*" + psumW, "de-skewed result vector"},
      Instance{names.ctrl,
               "u_ctrl",
               {{"Rows", "Rows"}, {"Cols", "Cols"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"in_valid_i", sValid},
                {"in_wswap_i", sp.swap},
                {"in_ready_o", sReady},
                {"accept_o", "accept"},
                {"swap_o", "tag_in"},
                {"wload_valid_i", lValid},
                {"wload_ready_o", lReady},
                {"wload_o", "wload"},
                {"en_o", "en"},
                {"out_valid_o", "out_valid_o"},
                {"out_ready_i", "out_ready_i"},
                {"buf_head_load_o", "buf_head_load"},
                {"buf_head_shift_o", "buf_head_shift"},
                {"buf_tail_load_o", "buf_tail_load"}},
               ""},
      ContAssign{"act_in", sData + " & {(Rows*" + actW + "){accept}}",
                 "idle cycles feed zeros, so nothing undefined enters the array"},
      Instance{names.skewIn,
               "u_in_skew",
               {{"Lanes", "Rows"}, {"Width", actW}, {"Offset", "1"}, {"Reverse", "0"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"en_i", "en"},
                {"data_i", "act_in"},
                {"data_o", "array_act"}},
               "input register plus row skew: row r enters the array r cycles after row 0"},
      Instance{names.array,
               "u_array",
               {{"Rows", "Rows"}, {"Cols", "Cols"}, {"DataBits", "DataBits"}, {"AccBits", "AccBits"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"en_i", "en"},
                {"act_i", "array_act"},
                {"swap_i", "array_swap"},
                {"psum_o", "array_psum"},
                {"wload_i", "wload"},
                {"wdata_i", lData}},
               ""},
  };
  if (sparse)
    for (Item& item : m.items)
      if (auto* inst = std::get_if<Instance>(&item); inst && inst->name == "u_array") {
        for (const auto& p : sparseParamPass(cfg)) inst->params.push_back(p);
        inst->ports.push_back({"widx_i", "wload_idx_i"});
      }
  addTopProtection(m, "u_array", cfg, options);
  addLoadPath(m, "u_array", cfg, lData, cfg.array.dataflow == config::Dataflow::IS ? "input" : "weight");
  const std::string inserted = addStreamInsert(m, "u_ctrl", cfg, sValid, sp.swap, sReady, "act_in");
  const auto fed = addInputStages(m, cfg, {{"stream", inserted, sparse ? "Rows*GroupL" : "Rows", "DataBits", cfg.data.bits},
                                           {"tag", "tag_in", "1", "1", 0}});
  connectSkew(m, "u_in_skew", fed[0]);
  if (cfg.array.rows > 1) {
    m.items.push_back(Instance{names.tagLine,
               "u_tag_line",
               {{"Lanes", "Rows"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"en_i", "en"},
                {"tag_i", fed[1]},
                {"tags_o", "array_swap"}},
               "the same skew without the input register: tags run one cycle ahead"});
  } else {
    m.items.push_back(ContAssign{"array_swap", fed[1], "a single row needs no tag line"});
  }
  if (cfg.array.cols > 1) {
    m.items.push_back(
        Instance{names.skewOut,
               "u_out_deskew",
               {{"Lanes", "Cols"}, {"Width", psumW}, {"Offset", "0"}, {"Reverse", "1"}},
               {{"clk_i", "clk_i"},
                {"rst_ni", "rst_ni"},
                {"en_i", "en"},
                {"data_i", "array_psum"},
                {"data_o", "results"}},
               "column c leaves the array c cycles after column 0: re-align"});
  } else {
    m.items.push_back(ContAssign{"results", "array_psum", "a single column needs no de-skew"});
  }
  m.items.push_back(outBufferInstance(names, "results"));
  addOutputChecks(m, cfg);
  return m;
}

}  // namespace ftaccel::units
