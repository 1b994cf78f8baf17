// Triangular delay-line bank: input skew ("synchronization") and output de-skew.
#include "units/Units.h"

#include "units/IpDesign.h"

namespace ftaccel::units {

using namespace ir;

std::vector<Port> clockPorts(bool enable) {
  std::vector<Port> ports = {{Dir::In, "clk_i", "", ""}, {Dir::In, "rst_ni", "", "async, active low"}};
  if (enable) ports.push_back({Dir::In, "en_i", "", "pipeline advance"});
  return ports;
}

Module buildSkew(const config::Config& cfg, const ModuleNames& names, SkewKind kind) {
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  // Lanes, width, offset and direction of each use; every use is its own module.
  // A flow-controlling PE's row lane carries group_l activations, its column lane group_k sums.
  int lanes = cfg.array.rows, width = cfg.data.bits * cfg.array.groupL + (os ? 2 : 0), offset = 1, reverse = 0;
  std::string name = names.skewIn;
  RegInfo site{"skew", LiveClass::SkewIn};
  if (kind == SkewKind::Output) {
    lanes = cfg.array.cols, width = cfg.data.accBits * cfg.array.groupK, offset = 0, reverse = 1, name = names.skewOut;
    site = {"deskew", os ? LiveClass::DeskewOs : LiveClass::Deskew};
  } else if (kind == SkewKind::Weights) {
    lanes = cfg.array.cols, width = cfg.data.bits, offset = 1, reverse = 0, name = names.skewW;
    site = {"skew_w", LiveClass::SkewW};
  }
  Module m;
  m.name = name;
  m.description = {
      "Delays lane i by Offset + i cycles (Reverse = 0) or Offset + Lanes-1-i (Reverse = 1).",
      "Used before the array to skew activation rows and after it to re-align the columns.",
  };
  m.params = {
      // Defaults are the values this IP uses.
      {"Lanes", std::to_string(lanes), false, "number of lanes"},
      {"Width", std::to_string(width), false, "bits per lane"},
      {"Offset", std::to_string(offset), false, "delay common to all lanes"},
      {"Reverse", std::to_string(reverse), false, "1: the last lane has the shortest delay"},
  };
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "data_i", "Lanes*Width", ""},
      {Dir::Out, "data_o", "Lanes*Width", ""},
  });
  m.checks = {{"Lanes >= 1 && Width >= 1", "Lanes and Width must be at least 1"},
              {"Offset >= 0", "Offset must not be negative"}};

  std::string in = slice("data_i", "i", "Width");
  // The lanes are assembled in `lanes` and data_o reads it whole: Icarus 11 turns part assigns
  // into a strength-aware concatenation that every reader converts on every lane update (16
  // readers of a 16-lane skew: a quarter of a 16x16 IP's run time); one reader converts once.
  std::string out = slice("lanes", "i", "Width");
  auto deep = makeGenerateIf(
      "Depth == 1", "gen_single",
      {reg("stage_q", "Width", "", site),
       AlwaysFF{"p_stage", "", {Stmt::assign("stage_q", "'0")},
                {Stmt::ifThen("en_i", {Stmt::assign("stage_q", in)})}},
       ContAssign{out, "stage_q", ""}},
      "gen_chain",
      {reg("stage_q", "Depth*Width", "newest entry in the low bits", site),
       AlwaysFF{"p_stage", "", {Stmt::assign("stage_q", "'0")},
                {Stmt::ifThen("en_i", {Stmt::assign(
                                          "stage_q", "{stage_q[(Depth-1)*Width-1:0], " + in + "}")})}},
       ContAssign{out, "stage_q[(Depth-1)*Width +: Width]", ""}});
  auto lane = makeGenerate(
      "gen_lane", "i", "Lanes",
      {LocalParam{"Depth", "Offset + ((Reverse != 0) ? (Lanes - 1 - i) : i)"},
       makeGenerateIf("Depth == 0", "gen_wire", {ContAssign{out, in, ""}}, "gen_regs", {deep})});
  m.items = {Signal{"lanes", "Lanes*Width", "lane i: its last stage; data_o reads the vector whole"}, ContAssign{"data_o", "lanes", ""},
             lane};
  return m;
}

}  // namespace ftaccel::units
