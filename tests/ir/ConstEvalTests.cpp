// The constant-expression evaluator behind the IR's evaluated widths and values.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "ir/ConstEval.h"

using ftaccel::ir::evalConst;
using ftaccel::ir::evalWidth;
using ftaccel::ir::Scope;

TEST_CASE("evalConst: the expressions the generator emits", "[ir]") {
  const Scope s = {{"Rows", 4}, {"Cols", 6}, {"DataBits", 8}, {"Lanes", 5}, {"i", 3}, {"Reverse", 1}};
  CHECK(evalConst("Rows*(Cols+1)*DataBits", s) == 4 * 7 * 8);
  CHECK(evalConst("Rows + Cols - 1", s) == 9);
  CHECK(evalConst("$clog2(Rows + Cols)", s) == 4);
  CHECK(evalConst("$clog2(1)", s) == 0);
  CHECK(evalConst("(Rows > 1) ? $clog2(Rows) : 1", s) == 2);
  CHECK(evalConst("(Reverse != 0) ? (Lanes - 1 - i) : i", s) == 1);
  CHECK(evalConst("Rows >= 1 && Cols >= 1", s) == 1);
  CHECK(evalConst("!(Rows == 4) || 0", s) == 0);
  CHECK(evalConst("32'd7 + (i*(i-1))/2 % 2", s) == 8);
  CHECK(evalConst("-Rows + 1 << 2", s) == -12);
  CHECK(evalWidth("", s) == 1);
  CHECK(evalWidth("2 * DataBits", s) == 16);
}

TEST_CASE("evalConst: refuses what it cannot evaluate, naming the expression", "[ir]") {
  const Scope s = {{"Rows", 4}};
  CHECK_THROWS_AS(evalConst("Rows + Unknown", s), std::invalid_argument);
  CHECK_THROWS_AS(evalConst("Rows +", s), std::invalid_argument);
  CHECK_THROWS_AS(evalConst("Rows / 0", s), std::invalid_argument);
  CHECK_THROWS_AS(evalConst("$bits(Rows)", s), std::invalid_argument);
  CHECK_THROWS_AS(evalConst("8'hff", s), std::invalid_argument);
  try {
    evalConst("Rows * Cols", s);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("Rows * Cols") != std::string::npos);
    CHECK(std::string(e.what()).find("Cols") != std::string::npos);
  }
}
