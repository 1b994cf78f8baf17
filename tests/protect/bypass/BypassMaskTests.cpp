// Bypass mask specifications and files: parsing, clear errors, warnings about dead outputs.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "protect/bypass/BypassMask.h"

using namespace ftaccel;

namespace {
std::string maskError(const std::string& spec, int rows = 4, int cols = 3) {
  try {
    flow::parseBypassMask(spec, rows, cols, 1);
  } catch (const diag::DiagnosticError& e) {
    return e.bag().format();
  }
  return "";
}
}  // namespace

TEST_CASE("bypass mask specs combine", "[bypass][mask]") {
  auto m = flow::parseBypassMask("row:1+col:2+pe:3,0", 4, 3, 1);
  CHECK(m.toBitString() == "001" "111" "001" "101");  // row 1, column 2, PE (3,0)
  CHECK(m.count() == 7);
  CHECK(flow::parseBypassMask("none", 4, 3, 1).count() == 0);
  CHECK(flow::parseBypassMask("random:1", 4, 3, 1).count() == 12);
  CHECK(flow::parseBypassMask("random:0.5", 4, 3, 7).toBitString() ==
        flow::parseBypassMask("random:0.5", 4, 3, 7).toBitString());
}

TEST_CASE("bypass mask errors name the part and the range", "[bypass][mask]") {
  CHECK(maskError("pe:4,0").find("row '4' is out of range; allowed: 0..3") != std::string::npos);
  CHECK(maskError("col:3").find("allowed: 0..2") != std::string::npos);
  CHECK(maskError("row:x").find("row 'x'") != std::string::npos);
  CHECK(maskError("random:2").find("probability") != std::string::npos);
  CHECK(maskError("diag:1").find("expected none, random:P") != std::string::npos);
}

TEST_CASE("bypass mask files are checked line by line", "[bypass][mask]") {
  test::TempDir tmp;
  auto spec = [&](const std::string& text) {
    test::writeFile(tmp / "m.txt", text);
    return "file:" + (tmp / "m.txt").string();
  };
  CHECK(flow::parseBypassMask(spec("# faulty PEs\n010\n000\n001\n100\n"), 4, 3, 1).toBitString() ==
        "010000001100");
  CHECK(maskError(spec("010\n000\n001\n")).find("m.txt:3: error") != std::string::npos);
  CHECK(maskError(spec("010\n000\n001\n")).find("expected 4 mask rows, found 3") != std::string::npos);
  CHECK(maskError(spec("010\n0000\n001\n100\n")).find("m.txt:2: error") != std::string::npos);
  CHECK(maskError(spec("010\n0x0\n001\n100\n")).find("column 1: 'x'") != std::string::npos);
  CHECK(maskError(spec("010\n000\n001\n100\n111\n")).find("m.txt:5") != std::string::npos);
  CHECK(maskError("file:" + (tmp / "missing.txt").string()).find("cannot open") != std::string::npos);
}

TEST_CASE("masks that make outputs impossible are reported", "[bypass][mask]") {
  auto m = flow::parseBypassMask("col:1+row:2", 4, 3, 1);
  diag::DiagnosticBag os;
  flow::warnUnproducibleOutputs(m, config::Dataflow::OS, os);
  CHECK(os.items().size() == 2);
  CHECK(os.format().find("column 1") != std::string::npos);
  CHECK(os.format().find("row 2") != std::string::npos);
  CHECK_FALSE(os.hasErrors());
  diag::DiagnosticBag ws;
  flow::warnUnproducibleOutputs(m, config::Dataflow::WS, ws);
  CHECK(ws.items().size() == 1);  // a full row in WS prunes one input channel, nothing dies
  diag::DiagnosticBag none;
  flow::warnUnproducibleOutputs(flow::parseBypassMask("pe:0,0", 4, 3, 1), config::Dataflow::OS, none);
  CHECK(none.items().empty());
}

TEST_CASE("cli: sim warns about a dead OS column and still runs", "[bypass][cli]") {
  test::useTestCache();
  auto r = test::runCli({"sim", "--set", "array.dataflow=os", "--set", "array.rows=2", "--set",
                         "array.cols=3", "--set", "protect.bypass=true", "--bypass", "col:2",
                         "--vectors", "8", "--batch", "3"});
  INFO(r.output);
  CHECK(r.exitCode == 0);
  CHECK(r.output.find("warning[bypass.dead-column]") != std::string::npos);
  auto bad = test::runCli({"sim", "--set", "protect.bypass=true", "--bypass", "pe:9,9"});
  CHECK(bad.exitCode == 2);
  CHECK(bad.output.find("allowed: 0..7") != std::string::npos);
}
