// Yosys and OpenSTA log parsers on trimmed real logs (tests/data/synth/) and on broken ones.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "TestUtil.h"
#include "flow/synth/LogParsers.h"

using namespace ftaccel::flow::synth;
namespace fs = std::filesystem;

namespace {

// Captured with Yosys 0.23 and OpenSTA 2.0 (Debian) on the default IP's PE and array, with the
// generic library and SkyWater 130 nm HD (tt, 5 ns clock: the 8-bit MAC violates it).
std::string capturedSynthLog(const std::string& name) {
  return ftaccel::test::readFile(fs::path(FTACCEL_SOURCE_DIR) / "tests/data/synth" / name);
}

const std::string kPe = "ftaccel_ws8x8_d8_pe";
const std::string kArray = "ftaccel_ws8x8_d8_array";
const std::map<std::string, int> kNoChildren;

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("Yosys log of a leaf: area, mapped cells and flip-flops (generic library)",
          "[synthlog]") {
  const std::string log = capturedSynthLog("generic_pe.yosys.log");
  const YosysFigures fig = readYosysLog(log, kPe, kNoChildren);
  CHECK(fig.area == Approx(1072.75));
  CHECK(fig.cells == 602);  // "Number of cells: 602" after mapping
  CHECK(fig.flops == 44);   // $_DFFE_PN0P_ before mapping

  const StatBlock generic = parseStat(log, "ftaccel-stat: generic cells", kPe);
  CHECK(generic.found);
  CHECK_FALSE(generic.area.has_value());  // plain `stat` prints no area
  CHECK(generic.cells.at("$_XOR_") == 151);
  CHECK(generic.cells.size() == 11);
}

TEST_CASE("Yosys log of a leaf: SkyWater 130 nm cells and area", "[synthlog]") {
  const YosysFigures fig = readYosysLog(capturedSynthLog("sky130_pe.yosys.log"), kPe, kNoChildren);
  CHECK(fig.area == Approx(4489.3056));
  CHECK(fig.cells == 485);
  CHECK(fig.flops == 44);
}

TEST_CASE("Yosys log of a wiring-only parent: no own area or cells", "[synthlog]") {
  const std::string log = capturedSynthLog("generic_array.yosys.log");
  const YosysFigures fig = readYosysLog(log, kArray, {{kPe, 64}});
  CHECK(fig.area == 0.0);
  CHECK(fig.cells == 0);
  CHECK(fig.flops == 0);
  // Without knowing the PE is a child, its instances are cells without an area.
  CHECK_THROWS_AS(readYosysLog(log, kArray, kNoChildren), LogError);
}

TEST_CASE("broken Yosys logs give errors that say what is missing", "[synthlog]") {
  const std::string log = capturedSynthLog("generic_pe.yosys.log");
  CHECK_THROWS_WITH(readYosysLog("", kPe, kNoChildren),
                    Catch::Contains("ftaccel-stat: generic cells") && Catch::Contains(kPe));
  const std::string truncated = log.substr(0, log.find("ftaccel-stat: mapped cells"));
  CHECK_THROWS_WITH(readYosysLog(truncated, kPe, kNoChildren),
                    Catch::Contains("no 'ftaccel-stat: mapped cells' section"));
  CHECK_THROWS_WITH(readYosysLog(log, "other_module", kNoChildren),
                    Catch::Contains("do not list module other_module"));
  CHECK_THROWS_WITH(
      readYosysLog(
          replaced(log, "   Chip area for module '\\ftaccel_ws8x8_d8_pe': 1072.750000\n", ""), kPe,
          kNoChildren),
      Catch::Contains("no area reported for module " + kPe));
  // A gate the library could not map stays a Yosys-internal `$_..._` cell.
  CHECK_THROWS_WITH(readYosysLog(replaced(log, "     XOR2                           68",
                                          "     $_XOR_                         68"),
                                 kPe, kNoChildren),
                    Catch::Contains("unmapped cell $_XOR_"));
  CHECK_THROWS_AS(readFlatYosysArea("garbage\n", "top"), LogError);
  CHECK(readFlatYosysArea(log, kPe) == Approx(1072.75));
}

TEST_CASE("OpenSTA log: worst of the path groups, slack met, power (generic library)",
          "[synthlog]") {
  const StaFigures fig = readStaLog(capturedSynthLog("generic_pe.sta.log"));
  REQUIRE(fig.path.has_value());
  // The clk group (3.1133) is worse than the asynchronous reset recovery group (4.94).
  CHECK(fig.path->slackNs == Approx(3.1133));
  CHECK(fig.path->arrivalNs == Approx(1.8367));
  CHECK(fig.path->start == "_1131_");
  CHECK(fig.path->end == "_1159_");
  REQUIRE(fig.powerW.has_value());
  CHECK(*fig.powerW == Approx(2.223171e-05));
}

TEST_CASE("OpenSTA log: violated slack and power (SkyWater 130 nm)", "[synthlog]") {
  const StaFigures fig = readStaLog(capturedSynthLog("sky130_pe.sta.log"));
  REQUIRE(fig.path.has_value());
  CHECK(fig.path->slackNs == Approx(-3.1821));
  CHECK(fig.path->arrivalNs == Approx(8.0533));
  CHECK(fig.path->start == "_892_");
  CHECK(fig.path->end == "_925_");
  REQUIRE(fig.powerW.has_value());
  CHECK(*fig.powerW == Approx(2.557849e-03));
}

TEST_CASE("broken OpenSTA logs give errors that say what is wrong", "[synthlog]") {
  const std::string log = capturedSynthLog("generic_pe.sta.log");
  CHECK_THROWS_WITH(readStaLog(""), Catch::Contains("no timing report"));
  CHECK_THROWS_WITH(readStaLog("Error: pe.sta.tcl, 3 cannot open 'x.syn.v'.\n" + log),
                    Catch::Contains("OpenSTA: Error: pe.sta.tcl, 3 cannot open"));
  CHECK_THROWS_WITH(readStaLog(replaced(log, "3.1133   slack (MET)", "n/a   slack (MET)")),
                    Catch::Contains("expected a number") && Catch::Contains("n/a"));
  CHECK_THROWS_WITH(readStaLog("             4.9400   slack (MET)\n"),
                    Catch::Contains("without a Startpoint"));
  // A design without constrained paths is not an error; it has no path and no power table.
  const StaFigures none = readStaLog("No paths found.\n");
  CHECK_FALSE(none.path.has_value());
  CHECK_FALSE(none.powerW.has_value());
  CHECK_FALSE(parseTotalPower(log.substr(0, log.find("Group "))).has_value());
}
