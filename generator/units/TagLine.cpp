// WS/IS swap tags: a tapped delay line instead of a triangular skew, because every lane carries
// the same tag (the accepted vector's in_wswap_i): lane r is the tag delayed by r cycles.
#include "units/Units.h"

#include "units/IpDesign.h"

namespace ftaccel::units {

using namespace ir;

Module buildTagLine(const config::Config& cfg, const ModuleNames& names) {
  Module m;
  m.name = names.tagLine;
  m.description = {
      "Swap-tag line: lane r is tag_i delayed by r cycles, the row skew of the activations",
      "without their input register, so a tag reaches each PE one cycle ahead of the",
      "activation it belongs to (the PE installs the new weight just before it is used).",
  };
  m.params = {{"Lanes", std::to_string(cfg.array.rows), false, "number of rows"}};
  m.ports = clockPorts(true);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "tag_i", "", "the tag of the vector taken this cycle"},
      {Dir::Out, "tags_o", "Lanes", "lane r: the tag taken r cycles ago"},
  });
  m.checks = {{"Lanes >= 1", "Lanes must be at least 1"}};
  // tags_o is driven whole in each branch: a vector assembled from part assigns costs Icarus a
  // strength-aware conversion per reader and update (see Skew.cpp).
  m.items = {
      makeGenerateIf(
          "Lanes == 2", "gen_one",
          {reg("line_q", "", "the tag taken one cycle ago", {"flag"}),
           AlwaysFF{"p_line", "", {Stmt::assign("line_q", "1'b0")},
                    {Stmt::ifThen("en_i", {Stmt::assign("line_q", "tag_i")})}},
           ContAssign{"tags_o", "{line_q, tag_i}", "row 0 sees the tag in the cycle it is taken"}},
          "gen_many",
          {makeGenerateIf(
              "Lanes > 2", "gen_line",
              {reg("line_q", "Lanes-1", "bit i: the tag taken i+1 cycles ago", {"flag"}),
               AlwaysFF{"p_line", "", {Stmt::assign("line_q", "'0")},
                        {Stmt::ifThen("en_i", {Stmt::assign("line_q", "{line_q[Lanes-3:0], tag_i}")})}},
               ContAssign{"tags_o", "{line_q, tag_i}", "row 0 sees the tag in the cycle it is taken"}},
              "gen_wire", {ContAssign{"tags_o", "tag_i", ""}})}),
  };
  return m;
}

}  // namespace ftaccel::units
