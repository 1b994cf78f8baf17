// Sized zeros for signals over Verilator's 8,192-bit fill limit (ir/WideZeros.h).
#include <catch2/catch.hpp>

#include "ir/Ir.h"
#include "ir/WideZeros.h"

using namespace ftaccel::ir;

namespace {

const Stmt& resetOf(const std::vector<Item>& items, size_t index) { return std::get<AlwaysFF>(items[index]).reset[0]; }

}  // namespace

// Widths decided per elaboration; a name declared in a generate branch shadows the module's.
TEST_CASE("sizeWideZeros: wide whole-signal zeros sized, narrow ones, slices and shadowed names kept", "[ir]") {
  Module m;
  m.name = "t";
  m.params = {{"Width", "8193", false, ""}, {"Narrow", "8192", false, ""}, {"Lanes", "3", false, ""}};
  m.ports = {{Dir::Out, "wide_o", "Width", ""}, {Dir::Out, "narrow_o", "Narrow", ""}};
  Signal wideReg = reg("wide_q", "Width", "", {"x", LiveClass::None});
  Signal narrowReg = reg("narrow_q", "Narrow", "", {"x", LiveClass::None});
  // Lane i of the loop: a chain of i+1 narrow words; only lane 2 (3 x 4096 bits) is wide.
  auto chain = makeGenerate(
      "gen_lane", "i", "Lanes",
      {LocalParam{"Depth", "i + 1"},
       makeGenerateIf("Depth == 1", "gen_one",
                      {reg("stage_q", "4096", "", {"x", LiveClass::None}),
                       AlwaysFF{"p1", "", {Stmt::assign("stage_q", "'0")}, {}}},
                      "gen_chain",
                      {reg("stage_q", "Depth*4096", "", {"x", LiveClass::None}),
                       AlwaysFF{"p2", "", {Stmt::assign("stage_q", "'0")},
                                {Stmt::ifThen("en_i", {Stmt::assign("stage_q", "'0")})}}})});
  m.items = {wideReg,
             narrowReg,
             AlwaysFF{"p_w", "", {Stmt::assign("wide_q", "'0")}, {Stmt::assign("wide_q[3:0]", "'0")}},
             AlwaysFF{"p_n", "", {Stmt::assign("narrow_q", "'0")}, {}},
             ContAssign{"wide_o", "'0", ""},
             ContAssign{"narrow_o", "'0", ""},
             std::move(chain)};
  sizeWideZeros(m);
  CHECK(resetOf(m.items, 2).rhs == "Width'(0)");
  CHECK(std::get<AlwaysFF>(m.items[2]).body[0].rhs == "'0");  // a slice: not the whole signal
  CHECK(resetOf(m.items, 3).rhs == "'0");                     // exactly 8,192 bits
  CHECK(std::get<ContAssign>(m.items[4]).rhs == "Width'(0)");
  CHECK(std::get<ContAssign>(m.items[5]).rhs == "'0");
  const auto& lane = std::get<Box<Generate>>(m.items[6])->items;
  const auto& branches = *std::get<Box<GenerateIf>>(lane[1]);
  CHECK(resetOf(branches.thenItems, 1).rhs == "'0");  // the single stage: 4,096 bits
  CHECK(resetOf(branches.elseItems, 1).rhs == "(Depth*4096)'(0)");
  CHECK(std::get<AlwaysFF>(branches.elseItems[1]).body[0].thenBody[0].rhs == "(Depth*4096)'(0)");
}
