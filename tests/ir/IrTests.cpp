// The typed IR: value semantics, evaluated widths, else-if printing, elaboration.
#include <catch2/catch.hpp>

#include "ir/Resolve.h"
#include "ir/SvPrinter.h"

using namespace ftaccel::ir;

namespace {

Module sample() {
  Module m;
  m.name = "sample";
  m.params = {{"Lanes", "3", false, ""}, {"Width", "4", false, ""}, {"Bits", "Lanes*Width", true, ""}};
  m.ports = {{Dir::In, "clk_i", "", ""}, {Dir::In, "rst_ni", "", ""}, {Dir::In, "d_i", "Bits", ""}};
  m.items = {reg("q", "Width", "", {"control"}),
             makeGenerate("gen_lane", "i", "Lanes",
                          {LocalParam{"Depth", "i + 1"},
                           makeGenerateIf("Depth == 1", "gen_one", {reg("s_q", "Width", "", {"skew"})},
                                          "gen_many", {reg("s_q", "Depth*Width", "", {"skew"})})})};
  return m;
}

}  // namespace

TEST_CASE("ir: a copied module is a deep copy", "[ir]") {
  Module a = sample();
  Module b = a;
  auto& gen = std::get<Box<Generate>>(b.items.at(1));
  gen->count = "2";
  gen->items.clear();
  const auto& genA = std::get<Box<Generate>>(a.items.at(1));
  CHECK(genA->count == "Lanes");
  CHECK(genA->items.size() == 2);
}

TEST_CASE("ir: resolve evaluates parameters, ports and module-level signals", "[ir]") {
  Module m = sample();
  resolve(m);
  CHECK(m.params[2].evaluated == 12);
  CHECK(m.ports[0].bits == 1);
  CHECK(m.ports[2].bits == 12);
  CHECK(std::get<Signal>(m.items[0]).bits == 4);
}

TEST_CASE("ir: elaboration unrolls loops and decides generate-ifs", "[ir]") {
  std::vector<std::pair<std::string, int>> regs;
  elaborate(sample(), [&](const Item& item, const ElabPoint& p) {
    if (const auto* s = std::get_if<Signal>(&item))
      regs.emplace_back(p.path + s->name, evalWidth(s->width, p.scope));
  });
  REQUIRE(regs.size() == 4);
  CHECK(regs[0] == std::make_pair(std::string("q"), 4));
  CHECK(regs[1] == std::make_pair(std::string("gen_lane[0].gen_one.s_q"), 4));
  CHECK(regs[2] == std::make_pair(std::string("gen_lane[1].gen_many.s_q"), 8));
  CHECK(regs[3] == std::make_pair(std::string("gen_lane[2].gen_many.s_q"), 12));
}

TEST_CASE("ir: if / else if / else prints as one chain", "[ir]") {
  Module m;
  m.name = "chain";
  m.ports = {{Dir::In, "clk_i", "", ""}, {Dir::In, "rst_ni", "", ""}, {Dir::In, "a_i", "", ""},
             {Dir::In, "b_i", "", ""}};
  m.items = {reg("q", "2", "", {"control"}),
             AlwaysFF{"p_q", "", {Stmt::assign("q", "'0")},
                      {Stmt::ifElseIf({{"a_i", {Stmt::assign("q", "2'd1")}}, {"b_i", {Stmt::assign("q", "2'd2")}}},
                                      {Stmt::assign("q", "2'd3")})}}};
  const std::string text = printModule(m, PrintOptions{false, "", "", ""});
  CHECK(text.find("      if (a_i) begin\n        q <= 2'd1;\n      end else if (b_i) begin\n"
                  "        q <= 2'd2;\n      end else begin\n        q <= 2'd3;\n      end\n") != std::string::npos);
}
