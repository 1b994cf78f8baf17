// The generic fault-injection pass on modules it has never seen: it reads register widths and
// kinds from the typed IR, PE coordinates from grid loops, and needs no per-module tables.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "ir/SvPrinter.h"
#include "units/FaultInjection.h"
#include "units/IpDesign.h"

using namespace ftaccel;
using namespace ftaccel::ir;

namespace {

const std::vector<Port> kClock = {{Dir::In, "clk_i", "", ""}, {Dir::In, "rst_ni", "", ""}};

// A leaf with one module-level register and a bank of lanes of growing depth (lane 0: none).
Module bank() {
  Module m;
  m.name = "toy_bank";
  m.params = {{"Lanes", "3", false, ""}, {"Width", "5", false, ""}};
  m.ports = kClock;
  auto lane = makeGenerate(
      "gen_lane", "i", "Lanes",
      {LocalParam{"Depth", "i"},
       makeGenerateIf("Depth > 0", "gen_regs",
                      {reg("stage_q", "Depth*Width", "", {"skew", LiveClass::SkewIn}),
                       AlwaysFF{"p_stage", "", {Stmt::assign("stage_q", "'0")}, {Stmt::assign("stage_q", "stage_q")}}})});
  m.items = {reg("cnt_q", "$clog2(Lanes + 6)", "", {"control"}),
             AlwaysFF{"p_cnt", "", {Stmt::assign("cnt_q", "'0")}, {Stmt::assign("cnt_q", "cnt_q + 1'b1")}},
             lane};
  return m;
}

Module cell() {
  Module m;
  m.name = "toy_cell";
  m.ports = kClock;
  m.items = {reg("v_q", "", "", {"flag"}), reg("w_q", "3", "", {"weight", LiveClass::Weight}),
             AlwaysFF{"p_v", "", {Stmt::assign("v_q", "1'b0"), Stmt::assign("w_q", "'0")},
                      {Stmt::assign("v_q", "!v_q")}}};
  return m;
}

Module grid() {
  Module m;
  m.name = "toy_grid";
  m.params = {{"Rows", "2", false, ""}, {"Cols", "3", false, ""}};
  m.ports = kClock;
  Instance c{"toy_cell", "u_cell", {}, {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}}, ""};
  m.items = {makeGenerate("gen_row", "r", "Rows", {makeGenerate("gen_col", "c", "Cols", {c}, GridAxis::Col)},
                          GridAxis::Row)};
  return m;
}

Module top() {
  Module m;
  m.name = "toy";
  m.ports = kClock;
  m.items = {Instance{"toy_bank", "u_bank", {}, {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}}, ""},
             Instance{"toy_grid", "u_grid", {}, {{"clk_i", "clk_i"}, {"rst_ni", "rst_ni"}}, ""}};
  return m;
}

}  // namespace

TEST_CASE("fault injection: a generic pass over unknown modules", "[faults][ir]") {
  units::IpDesign ip;
  ip.top = "toy";
  ip.modules = {{bank(), {}}, {cell(), {}}, {grid(), {{"toy_cell", 6}}}, {top(), {}}};
  units::addRegisterInjection(ip);
  // bank: cnt_q (4 bits: $clog2(9)), lane 1 (5 bits), lane 2 (10 bits) = 19; grid: 6 cells x 4 = 24.
  // The top puts the larger child (the grid) first.
  REQUIRE(ip.faultBits == 24 + 19);
  REQUIRE(ip.faultSites.size() == 12 + 3);
  const auto& first = ip.faultSites[0];
  CHECK(first.path == "u_grid.gen_row[0].gen_col[0].u_cell.v_q");
  CHECK(first.offset == 0);
  CHECK(first.width == 1);
  CHECK(first.kind == "flag");
  const auto& w12 = ip.faultSites[11];
  CHECK(w12.path == "u_grid.gen_row[1].gen_col[2].u_cell.w_q");
  CHECK(w12.peRow == 1);
  CHECK(w12.peCol == 2);
  CHECK(w12.offset == 5 * 4 + 1);
  CHECK(w12.live == LiveClass::Weight);
  const auto& cnt = ip.faultSites[12];
  CHECK(cnt.path == "u_bank.cnt_q");
  CHECK(cnt.offset == 24);
  CHECK(cnt.width == 4);
  CHECK(cnt.lane == -1);
  const auto& lane2 = ip.faultSites[14];
  CHECK(lane2.path == "u_bank.gen_lane[2].gen_regs.stage_q");
  CHECK(lane2.offset == 24 + 4 + 5);
  CHECK(lane2.width == 10);
  CHECK(lane2.lane == 2);
  CHECK(lane2.live == LiveClass::SkewIn);

  // The printed text: table-driven bases for the irregular lanes, a stride for the grid.
  const PrintOptions opts{false, "", "", ""};
  const std::string bankText = printModule(ip.modules[0].module, opts);
  CHECK(bankText.find("localparam logic [96-1:0] FiBases = {32'd9, 32'd4, 32'd4};") != std::string::npos);
  CHECK(bankText.find("localparam int FiBase = FiBases[(i)*32 +: 32];") != std::string::npos);
  CHECK(bankText.find("stage_q <= ((stage_q) & ~fi_clr_i[FiBase +: Depth*Width]) ^ fi_xor_i[FiBase +: Depth*Width];") !=
        std::string::npos);
  CHECK(bankText.find("cnt_q <= ((cnt_q + 1'b1) & ~fi_clr_i[0 +: 4]) ^ fi_xor_i[0 +: 4];") != std::string::npos);
  const std::string gridText = printModule(ip.modules[2].module, opts);
  CHECK(gridText.find(".fi_xor_i (fi_xor_i[(r*Cols+c)*4 +: 4])") != std::string::npos);
}

TEST_CASE("fault injection: a register without RegInfo is an internal error", "[faults][ir]") {
  units::IpDesign ip;
  ip.top = "toy_cell";
  Module m = cell();
  std::get<Signal>(m.items[1]).reg.reset();
  ip.modules = {{m, {}}};
  CHECK_THROWS_AS(units::addRegisterInjection(ip), std::logic_error);
}
