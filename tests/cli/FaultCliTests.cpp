// The golden-model BER study and the timing-table tool through the CLI.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "TestUtil.h"

using namespace ftaccel;

TEST_CASE("cli: ber reports errors that grow with the bit error rate", "[cli][ber]") {
  auto none = test::runCli({"ber", "--ber", "0", "--target", "weights", "--trials", "20", "--json"});
  REQUIRE(none.exitCode == 0);
  auto j0 = nlohmann::json::parse(none.output);
  CHECK(j0["bits_flipped"] == 0);
  CHECK(j0["wrong_elements"] == 0);
  auto low = test::runCli({"ber", "--ber", "1e-4", "--target", "inputs", "--trials", "200", "--json"});
  auto high = test::runCli({"ber", "--ber", "1e-2", "--target", "inputs", "--trials", "200", "--json"});
  REQUIRE(low.exitCode == 0);
  REQUIRE(high.exitCode == 0);
  auto jl = nlohmann::json::parse(low.output), jh = nlohmann::json::parse(high.output);
  CHECK(jh["bits_flipped"].get<long>() > 10 * jl["bits_flipped"].get<long>());
  CHECK(jh["trials_with_error"].get<long>() > jl["trials_with_error"].get<long>());
  // Same seed, same answer.
  CHECK(test::runCli({"ber", "--ber", "1e-2", "--target", "inputs", "--trials", "200", "--json"}).output ==
        high.output);
}

TEST_CASE("cli: ber and timing-table refuse bad input", "[cli][ber][timing]") {
  auto bad = test::runCli({"ber", "--ber", "2", "--target", "weights"});
  CHECK(bad.exitCode == 2);
  CHECK(bad.output.find("0 <= P <= 1") != std::string::npos);
  test::TempDir dir;
  test::writeFile(dir / "t.tt", "format ftaccel-timing 1\ndata_bits 4\n7 7 : 49:0.5\n");
  auto check = test::runCli({"timing-table", "--check", (dir / "t.tt").string()});
  CHECK(check.exitCode == 2);
  CHECK(check.output.find("t.tt:3") != std::string::npos);
}

TEST_CASE("cli: timing-table writes the committed example", "[cli][timing]") {
  test::TempDir dir;
  auto run = test::runCli({"timing-table", "--example", "--bits", "4", "--out", (dir / "x.tt").string()});
  INFO(run.output);
  REQUIRE(run.exitCode == 0);
  CHECK(test::readFile(dir / "x.tt") ==
        test::readFile(std::string(FTACCEL_SOURCE_DIR) + "/examples/timing/mul4_example.tt"));
  CHECK(test::runCli({"timing-table", "--check", (dir / "x.tt").string()}).exitCode == 0);
}

TEST_CASE("cli: generate --fault-injection writes the variant with its site table", "[cli][fisites]") {
  test::TempDir dir;
  auto run = test::runCli({"generate", "--fault-injection", "--set", "array.rows=2", "--set", "array.cols=3",
                           "--out", (dir / "fi").string()});
  INFO(run.output);
  REQUIRE(run.exitCode == 0);
  CHECK(std::filesystem::exists(dir / "fi" / "rtl" / "ftaccel_ws2x3_d8_fi_pe.sv"));
  auto manifest = nlohmann::json::parse(test::readFile(dir / "fi" / "manifest.json"));
  const auto& fi = manifest["fault_injection"];
  long bits = 0, pes = 0;
  REQUIRE(fi["site_columns"] ==
          nlohmann::json({"id", "path", "width", "offset", "kind", "pe_row", "pe_col"}));
  for (const auto& s : fi["sites"]) {
    CHECK(s[3] == bits);  // the sites tile the injection buses in order
    bits += s[2].get<long>();
    pes += !s[5].is_null();
  }
  CHECK(fi["bits"] == bits);
  CHECK(pes == 2 * 3 * 5);  // act, swap flag, psum, shadow and weight per WS PE
  bool xorPort = false;
  for (const auto& p : manifest["ports"]) xorPort |= p["name"] == "fi_xor_i" && p["width"] == bits;
  CHECK(xorPort);
}
