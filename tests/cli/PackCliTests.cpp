// `ftaccel pack`: the documented text format in, values and index bits out; bad input is a
// diagnostic (exit 2) that names the group, and nothing is written.
#include <catch2/catch.hpp>

#include "TestUtil.h"

using namespace ftaccel;

TEST_CASE("pack: a shortened-4 matrix and a dense layer", "[sparse][cli]") {
  test::TempDir dir;
  test::writeFile(dir / "w.txt", R"(# 8 x 2, one non-zero per group of 4 rows
matrix 8 2
0 0
5 0   # group rows 0..3: row 1 in column 0
0 0
0 -3  # row 3 in column 1
0 0
0 0
0 7
-128 0
)");
  auto r = test::runCli({"pack", "--set", "array.pe=shortened", "--set", "array.group_l=4", (dir / "w.txt").string()});
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  CHECK(r.output.find("packed 2 2 group_l 4 group_k 1\nvalues\n5 -3\n-128 7\nindex\n1 3\n3 2\n") !=
        std::string::npos);
  test::writeFile(dir / "d.txt", "matrix 2 2\n1 2\n3 4\n");
  auto d = test::runCli({"pack", "--set", "array.pe=twodim", "--set", "array.group_l=2", "--set", "array.group_k=2",
                         "--dense", (dir / "d.txt").string(), "-o", (dir / "d.packed").string()});
  INFO(d.output);
  REQUIRE(d.exitCode == 0);
  CHECK(test::readFile(dir / "d.packed").find("values\n1 2\n3 4\nindex\n0 0\n0 0\n") != std::string::npos);
}

TEST_CASE("pack: bad input names the group or the position, exit 2, no output", "[sparse][cli]") {
  test::TempDir dir;
  const auto out = dir / "out.txt";
  auto pack = [&](const std::string& text, std::vector<std::string> sets) {
    test::writeFile(dir / "w.txt", text);
    std::vector<std::string> args = {"pack", (dir / "w.txt").string(), "-o", out.string()};
    for (const auto& s : sets) args.insert(args.end(), {"--set", s});
    return test::runCli(args);
  };
  const std::vector<std::string> sh4 = {"array.pe=shortened", "array.group_l=4"};
  auto twice = pack("matrix 4 2\n1 0\n0 0\n2 0\n0 0\n", sh4);
  CHECK(twice.exitCode == 2);
  CHECK(twice.output.find("group rows 0..3, columns 0 holds more than one non-zero: (0, 0) and (2, 0)") !=
        std::string::npos);
  auto fold = pack("matrix 2 2\n1 0\n0 0\n", sh4);
  CHECK(fold.exitCode == 2);
  CHECK(fold.output.find("fewer than the group size l = 4") != std::string::npos);
  auto word = pack("matrix 4 1\n1\nx\n0\n0\n", sh4);
  CHECK(word.exitCode == 2);
  CHECK(word.output.find("w.txt:3:1: error[pack.matrix]: 'x' is not an integer") != std::string::npos);
  auto shortRow = pack("matrix 4 2\n1 0\n0\n0 0\n0 0\n", sh4);
  CHECK(shortRow.exitCode == 2);
  CHECK(shortRow.output.find("row 1 has 1 values, expected 2") != std::string::npos);
  auto range = pack("matrix 4 1\n300\n0\n0\n0\n", sh4);
  CHECK(range.exitCode == 2);
  CHECK(range.output.find("value 300 at row 0, column 0 does not fit data.bits = 8") != std::string::npos);
  auto dense = pack("matrix 4 1\n1\n0\n0\n0\n", {});
  CHECK(dense.exitCode == 2);
  CHECK(dense.output.find("needs a flow-controlling PE") != std::string::npos);
  auto badKey = pack("matrix 4 1\n1\n0\n0\n0\n", {"array.pe=shortened", "array.group_l=3"});
  CHECK(badKey.exitCode == 2);
  CHECK(badKey.output.find("not a power of two") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
}
