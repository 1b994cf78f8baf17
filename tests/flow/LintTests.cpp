// `ftaccel lint` (docs/lint.md): the stub of the row module is port-exact and says it is not IP,
// the one-parameterization check refuses what it must, hier mode passes clean IPs, agrees with
// flat mode and fails on an edit of any part; bad input is exit 2.
#include <algorithm>
#include <regex>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Lint.h"
#include "flow/Package.h"
#include "ir/SvPrinter.h"
#include "units/IpDesign.h"

using namespace ftaccel;

namespace {

struct Built {
  config::Config cfg;
  units::IpDesign ip;
};

Built build(const std::vector<std::string>& sets) {
  auto cfg = config::loadConfigText("", "lint", sets);
  auto ip = units::buildIp(cfg);
  return {cfg, ip};
}

const ir::Module& moduleNamed(const units::IpDesign& ip, const std::string& name) {
  for (const auto& m : ip.modules)
    if (m.module.name == name) return m.module;
  FAIL("no module " << name);
  throw;
}

std::vector<std::string> withSets(std::vector<std::string> args, const std::vector<std::string>& sets) {
  for (const auto& s : sets) args.insert(args.end(), {"--set", s});
  return args;
}

// Inserts `line` before the `endmodule` of module `module` in package `dir`.
void addLine(const std::filesystem::path& dir, const std::string& module, const std::string& line) {
  const auto file = dir / "rtl" / (module + ".sv");
  std::string text = test::readFile(file);
  const auto at = text.rfind("endmodule");
  REQUIRE(at != std::string::npos);
  text.insert(at, line + "\n");
  test::writeFile(file, text);
}

const std::vector<std::string> kWs43 = {"array.nets=rows", "array.rows=4", "array.cols=3"};

}  // namespace

TEST_CASE("lint: the stub of the row module has exactly its parameters and ports", "[lint-cmd]") {
  for (const auto& sets : {kWs43,
                           std::vector<std::string>{"array.nets=rows", "array.rows=1", "array.cols=1", "array.dataflow=is"},
                           std::vector<std::string>{"array.nets=rows", "array.rows=3", "array.cols=2", "protect.bypass=true"},
                           std::vector<std::string>{"array.nets=rows", "array.rows=2", "array.cols=4", "array.pe=twodim",
                                                    "array.group_l=2", "array.group_k=2"}}) {
    const auto b = build(sets);
    const std::string row = flow::replicatedModule(b.cfg, b.ip);
    INFO(b.ip.top);
    REQUIRE(row == b.ip.top + "_row");
    const ir::Module& real = moduleNamed(b.ip, row);
    const ir::Module stub = flow::lintStub(real);
    CHECK(stub.name == real.name);
    REQUIRE(stub.ports.size() == real.ports.size());
    for (size_t i = 0; i < real.ports.size(); ++i) {
      CHECK(stub.ports[i].name == real.ports[i].name);
      CHECK(stub.ports[i].dir == real.ports[i].dir);
      CHECK(stub.ports[i].width == real.ports[i].width);
      CHECK(stub.ports[i].bits == real.ports[i].bits);
    }
    REQUIRE(stub.params.size() == real.params.size());
    for (size_t i = 0; i < real.params.size(); ++i) {
      CHECK(stub.params[i].name == real.params[i].name);
      CHECK(stub.params[i].value == real.params[i].value);
      CHECK(stub.params[i].local == real.params[i].local);
    }
    // The printed files: the same header, and the stub says what it is.
    const ir::PrintOptions opts;
    const std::string stubText = ir::printModule(stub, opts), realText = ir::printModule(real, opts);
    CHECK(!flow::moduleHeader(realText, row).empty());
    CHECK(flow::moduleHeader(stubText, row) == flow::moduleHeader(realText, row));
    CHECK(stubText.find("LINT STUB - NOT IP") != std::string::npos);
    CHECK(stubText.find("always") == std::string::npos);
    // The plan puts the stub where part 1 reads it, named after the module (DECLFILENAME).
    const auto plan = flow::planLint(b.cfg, b.ip, flow::LintMode::Auto, "/tmp/stubdir");
    CHECK(plan.mode == flow::LintMode::Hier);
    CHECK(plan.stubFile == "/tmp/stubdir/" + row + ".sv");
    REQUIRE(plan.parts.size() == 2);
    CHECK(std::count(plan.parts[0].files.begin(), plan.parts[0].files.end(), plan.stubFile) == 1);
    CHECK(std::count(plan.parts[0].files.begin(), plan.parts[0].files.end(), "rtl/" + row + ".sv") == 0);
    CHECK(std::count(plan.parts[0].files.begin(), plan.parts[0].files.end(), "rtl/" + b.ip.top + "_pe.sv") == 0);
    CHECK(plan.parts[1].top == row);
    CHECK(plan.parts[1].files == std::vector<std::string>{"rtl/" + b.ip.top + "_pe.sv", "rtl/" + row + ".sv"});
  }
}

TEST_CASE("lint: hier mode needs one parameterization per module and a row module", "[lint-cmd]") {
  // Every module of the generated IPs has one parameterization, protection units included.
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {},
           {"protect.bypass=true"},
           {"protect.sanity_check=both", "protect.sanity_residue_bits=4"},
           {"protect.afd.enable=true", "protect.median.enable=true"},
           {"protect.weight_parity.enable=true", "protect.weight_parity.word_weights=3"},
           {"array.pe=twodim", "array.group_l=2", "array.group_k=2"},
           {"array.dataflow=is", "protect.sanity_check=temporal", "protect.bypass=true"}}) {
    std::vector<std::string> sets = kWs43;
    sets.insert(sets.end(), extra.begin(), extra.end());
    const auto p = build(sets);
    INFO(p.ip.top);
    CHECK(flow::singleParameterizationError(p.ip).empty());
    CHECK(flow::planLint(p.cfg, p.ip, flow::LintMode::Auto, "/tmp/x").mode == flow::LintMode::Hier);
  }
  auto b = build(kWs43);
  // An array that passed the row another Cols than the row's default is refused, naming the instance.
  bool changed = false;
  for (auto& spec : b.ip.modules) {
    if (spec.module.name != b.ip.top + "_array") continue;
    for (auto& item : spec.module.items)
      if (auto* g = std::get_if<ir::Box<ir::Generate>>(&item))
        for (auto& inner : (*g)->items)
          if (auto* inst = std::get_if<ir::Instance>(&inner))
            for (auto& [name, value] : inst->params)
              if (name == "Cols") {
                value = "Cols + 1";
                changed = true;
              }
  }
  REQUIRE(changed);
  const std::string error = flow::singleParameterizationError(b.ip);
  CHECK(error.find(b.ip.top + "_array.gen_row[0].u_row sets Cols = 4 (Cols + 1), but " + b.ip.top +
                   "_row's default is 3") != std::string::npos);
  CHECK_THROWS_AS(flow::planLint(b.cfg, b.ip, flow::LintMode::Hier, "/tmp/x"), diag::DiagnosticError);
  CHECK_NOTHROW(flow::planLint(b.cfg, b.ip, flow::LintMode::Flat, "/tmp/x"));

  // Per-PE nets: no row module; auto is flat, hier is refused.
  const auto small = build({"array.rows=4", "array.cols=4"});
  CHECK(flow::replicatedModule(small.cfg, small.ip).empty());
  CHECK(flow::planLint(small.cfg, small.ip, flow::LintMode::Auto, "/tmp/x").mode == flow::LintMode::Flat);
  CHECK_THROWS_AS(flow::planLint(small.cfg, small.ip, flow::LintMode::Hier, "/tmp/x"), diag::DiagnosticError);
}

// What hier mode gives up (combinational paths through the stub) cannot matter: every output
// of the row module is driven by a PE output, and every PE output is a register.
TEST_CASE("lint: every output of the row module is a PE register", "[lint-cmd]") {
  for (const auto& sets : {kWs43, std::vector<std::string>{"array.nets=rows", "array.rows=2", "array.cols=2",
                                                           "array.dataflow=is", "protect.bypass=true"}}) {
    const auto b = build(sets);
    const ir::Module& pe = moduleNamed(b.ip, b.ip.top + "_pe");
    const ir::Module& row = moduleNamed(b.ip, b.ip.top + "_row");
    auto isReg = [&](const std::string& name) {
      for (const auto& item : pe.items)
        if (const auto* s = std::get_if<ir::Signal>(&item); s && s->name == name) return s->reg.has_value();
      return false;
    };
    for (const auto& p : pe.ports) {
      if (p.dir != ir::Dir::Out) continue;
      std::string driver;
      for (const auto& item : pe.items)
        if (const auto* a = std::get_if<ir::ContAssign>(&item); a && a->lhs == p.name) driver = a->rhs;
      INFO(b.ip.top << " PE output " << p.name << " = " << driver);
      CHECK(isReg(driver));
    }
    // Row outputs: assigned from the last PE's net or the lane vector the PEs drive, nothing else.
    const std::string rowText = ir::printModule(row, {});
    for (const auto& p : row.ports) {
      if (p.dir != ir::Dir::Out) continue;
      INFO(p.name);
      const bool lastPe = rowText.find("assign " + p.name + " = gen_col[Cols-1].") != std::string::npos;
      const std::string lanes = "assign " + p.name + " = ";
      const auto at = rowText.find(lanes);
      REQUIRE(at != std::string::npos);
      const std::string rhs = rowText.substr(at + lanes.size(), rowText.find(';', at) - at - lanes.size());
      // ... and the lane vector is driven lane by lane by the PEs' same-named outputs.
      const bool laneVector =
          rhs.ends_with("_lanes") && std::regex_search(rowText, std::regex("\\." + p.name + " +\\(" + rhs + "\\[(\\(c\\)\\*|c\\])"));
      CHECK((lastPe || laneVector));
    }
  }
}

TEST_CASE("lint: a tool's peak RSS is measured, descendants included, this process's not", "[lint-cmd][process]") {
  // The relay is this executable re-run: its own footprint is the floor of every figure. In a
  // plain build that floor is a few MiB; under AddressSanitizer it is some 200 MiB of runtime,
  // so the bounds below are relative to it (measured first, before any ballast exists here).
  const auto floor = flow::runProcess({"sh", "-c", "exit 0"}, ".", {}, true);
  REQUIRE(floor.exitCode == 0);
  REQUIRE(floor.maxRssKb > 0);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  CHECK(floor.maxRssKb < 32 * 1024);
#endif
  // sh waits for python, which touches 64 MiB: the report is the larger of the two.
  const auto r = flow::runProcess({"sh", "-c", "python3 -c \"b = b'x' * (64 << 20)\"; exit 3"}, ".", {}, true);
  CHECK(r.exitCode == 3);
  CHECK(r.maxRssKb > 64 * 1024);
  CHECK(r.maxRssKb < std::max<long>(floor.maxRssKb, 64 * 1024) + 36 * 1024);
  CHECK(r.cpuSeconds > 0);
  // This process holding 256 MiB does not show in a small tool's figure (a plain fork would
  // hand the tool this process's page tables and their high-water mark).
  std::string ballast(256u << 20, 'x');
  const auto small = flow::runProcess({"sh", "-c", "exit 0"}, ".", {}, true);
  CHECK(ballast.back() == 'x');
  CHECK(small.exitCode == 0);
  CHECK(small.maxRssKb > 0);
  CHECK(small.maxRssKb < floor.maxRssKb + 64 * 1024);
  CHECK(flow::runProcess({"sh", "-c", "exit 0"}, ".").maxRssKb == 0);  // not asked: not measured
  const auto missing = flow::runProcess({"no-such-tool-ftaccel"}, ".", {}, true);
  CHECK(missing.exitCode == 127);
  CHECK(missing.output.find("cannot start 'no-such-tool-ftaccel'") != std::string::npos);
}

TEST_CASE("lint: hier mode on small rows-form IPs is clean (WS 4x3, IS 1x1)", "[lint-cmd][cli]") {
  for (const auto& sets : {kWs43, std::vector<std::string>{"array.nets=rows", "array.rows=1", "array.cols=1",
                                                           "array.dataflow=is"}}) {
    const auto r = test::runCli(withSets({"lint", "--json"}, sets));
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(r.output);
    CHECK(j["mode"] == "hier");
    CHECK(j["clean"] == true);
    REQUIRE(j["parts"].size() == 2);
    CHECK(j["parts"][0]["name"] == "top-with-stub");
    CHECK(j["parts"][1]["name"] == "row");
    for (const auto& p : j["parts"]) {
      CHECK(p["exit"] == 0);
      CHECK(p["messages"].empty());
      CHECK(p["peak_rss_kib"].get<long>() > 1024);  // Verilator itself, not the shell around it
      CHECK(p["cpu_seconds"].get<double>() > 0);
      CHECK(p["command"][0] == "verilator");
    }
  }
}

TEST_CASE("lint: flat and hier agree on a 16x12 rows-form IP, text report", "[lint-cmd][cli]") {
  const std::vector<std::string> sets = {"array.nets=rows", "array.rows=16", "array.cols=12", "protect.bypass=true"};
  const auto flat = test::runCli(withSets({"lint", "--mode", "flat"}, sets));
  const auto hier = test::runCli(withSets({"lint", "--mode", "hier"}, sets));
  INFO(flat.output << hier.output);
  CHECK(flat.exitCode == 0);
  CHECK(hier.exitCode == 0);
  CHECK(flat.output.find("(flat mode, 1 part)") != std::string::npos);
  CHECK(hier.output.find("(hier mode, 2 parts)") != std::string::npos);
  CHECK(hier.output.find("part 1/2 top-with-stub (verilator): the whole IP with its 16 instances of") !=
        std::string::npos);
  CHECK(hier.output.find("not covered by hier mode: combinational loops") != std::string::npos);
  CHECK(flat.output.find(": CLEAN (1 part,") != std::string::npos);
  CHECK(hier.output.find(": CLEAN (2 parts,") != std::string::npos);
}

// Each part lints what it says: an unused, undriven signal added to the top, the row or the PE
// of a package fails the lint (exit 1) and is named; a changed row port is refused (exit 2).
TEST_CASE("lint: hier mode fails on an edit of the top, the row or the PE of a package", "[lint-cmd][cli]") {
  const auto b = build(kWs43);
  for (const std::string& module : {b.ip.top, b.ip.top + "_row", b.ip.top + "_pe"}) {
    test::TempDir dir;
    flow::writePackageAtomically(flow::renderPackage(b.cfg, b.ip), dir / "ip");
    const auto clean = test::runCli(withSets({"lint", "--package", (dir / "ip").string()}, kWs43));
    INFO(clean.output);
    REQUIRE(clean.exitCode == 0);
    addLine(dir / "ip", module, "  logic stray_sig;");
    const auto r = test::runCli(withSets({"lint", "--package", (dir / "ip").string(), "--json"}, kWs43));
    INFO(module << "\n" << r.output);
    CHECK(r.exitCode == 1);
    const auto j = nlohmann::json::parse(r.output);
    CHECK(j["clean"] == false);
    const int failing = module == b.ip.top ? 0 : 1;
    CHECK(j["parts"][failing]["exit"] != 0);
    CHECK(j["parts"][failing]["messages"].dump().find("stray_sig") != std::string::npos);
    CHECK(j["parts"][1 - failing]["exit"] == 0);
  }
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(b.cfg, b.ip), dir / "ip");
  const auto rowFile = dir / "ip" / "rtl" / (b.ip.top + "_row.sv");
  std::string text = test::readFile(rowFile);
  const auto at = text.find("input  logic");
  REQUIRE(at != std::string::npos);
  text.insert(at, "input  logic                 extra_i,\n  ");
  test::writeFile(rowFile, text);
  const auto r = test::runCli(withSets({"lint", "--package", (dir / "ip").string()}, kWs43));
  INFO(r.output);
  CHECK(r.exitCode == 2);
  CHECK(r.output.find("error[lint.package]") != std::string::npos);
  CHECK(r.output.find("would not be port-exact") != std::string::npos);
  // An array that passes the row another parameter value: the row alone at its defaults would
  // not be the row as used.
  test::TempDir dir2;
  flow::writePackageAtomically(flow::renderPackage(b.cfg, b.ip), dir2 / "ip");
  const auto arrayFile = dir2 / "ip" / "rtl" / (b.ip.top + "_array.sv");
  std::string array = test::readFile(arrayFile);
  const std::string cols = ".Cols     (Cols),";
  REQUIRE(array.find(cols) != std::string::npos);
  array.replace(array.find(cols), cols.size(), ".Cols     (Cols - 1),");
  test::writeFile(arrayFile, array);
  const auto p = test::runCli(withSets({"lint", "--package", (dir2 / "ip").string()}, kWs43));
  INFO(p.output);
  CHECK(p.exitCode == 2);
  CHECK(p.output.find("instantiates " + b.ip.top + "_row with other parameters than the generated module") !=
        std::string::npos);
  // Flat mode lints the edited package as it is: the row at Cols - 1 has narrower lanes.
  const auto f = test::runCli(withSets({"lint", "--package", (dir2 / "ip").string(), "--mode", "flat"}, kWs43));
  INFO(f.output);
  CHECK(f.exitCode == 1);
  CHECK(f.output.find("%Warning-WIDTH") != std::string::npos);
}

TEST_CASE("lint: the parameter lists an instance passes, read from the text", "[lint-cmd]") {
  const auto b = build(kWs43);
  const std::string array = ir::printModule(moduleNamed(b.ip, b.ip.top + "_array"), {});
  CHECK(flow::instanceParamBlocks(array, b.ip.top + "_row") ==
        std::vector<std::string>{".Cols     (Cols),\n.DataBits (DataBits),\n.AccBits  (AccBits)\n"});
  CHECK(flow::instanceParamBlocks("  m u_a (\n  );\n  m #(\n    .P (1)\n  ) u_b (\n", "m") ==
        std::vector<std::string>{"", ".P (1)\n"});
  CHECK(flow::instanceParamBlocks(array, "other").empty());
}

TEST_CASE("lint: --with icarus,yosys runs the other linters on every part", "[lint-cmd][cli]") {
  test::TempDir dir;
  const auto b = build(kWs43);
  flow::writePackageAtomically(flow::renderPackage(b.cfg, b.ip), dir / "ip");
  const auto r = test::runCli(withSets({"lint", "--package", (dir / "ip").string(), "--with", "icarus,yosys", "--json"}, kWs43));
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  const auto j = nlohmann::json::parse(r.output);
  REQUIRE(j["parts"].size() == 6);
  const std::vector<std::string> tools = {"verilator", "verilator", "icarus", "icarus", "yosys", "yosys"};
  for (size_t i = 0; i < 6; ++i) {
    CHECK(j["parts"][i]["tool"] == tools[i]);
    CHECK(j["parts"][i]["name"] == (i % 2 ? "row" : "top-with-stub"));
    CHECK(j["parts"][i]["exit"] == 0);
  }
  // A line no tool can parse in the row module: every tool's row run fails, no top-with-stub run.
  addLine(dir / "ip", b.ip.top + "_row", "  this is not verilog;");
  const auto bad = test::runCli(withSets({"lint", "--package", (dir / "ip").string(), "--with", "icarus,yosys", "--json"}, kWs43));
  INFO(bad.output);
  CHECK(bad.exitCode == 1);
  const auto jb = nlohmann::json::parse(bad.output);
  for (size_t i = 0; i < 6; ++i) {
    INFO(i);
    if (i % 2) {
      CHECK(jb["parts"][i]["exit"] != 0);
      CHECK(!jb["parts"][i]["messages"].empty());
    } else {
      CHECK(jb["parts"][i]["exit"] == 0);
      CHECK(jb["parts"][i]["messages"].empty());
    }
  }
  const auto mode = test::runCli({"lint", "--with", "spyglass"});
  CHECK(mode.exitCode == 2);
  CHECK(mode.output.find("--with") != std::string::npos);
}

TEST_CASE("lint: no Verilator on PATH is a tool failure, exit 3", "[lint-cmd][cli]") {
  const auto r = flow::runProcess({"env", "PATH=/nonexistent-ftaccel-dir", FTACCEL_BINARY, "lint", "--set",
                                   "array.rows=2", "--set", "array.cols=2"},
                                  ".");
  INFO(r.output);
  CHECK(r.exitCode == 3);
  CHECK(r.output.find("cannot start 'verilator'") != std::string::npos);
}

TEST_CASE("lint: bad input is exit 2 naming the key or flag", "[lint-cmd][cli][badinput-cli]") {
  const auto range = test::runCli({"lint", "--set", "array.rows=0"});
  CHECK(range.exitCode == 2);
  CHECK(range.output.find("array.rows") != std::string::npos);
  const auto mode = test::runCli({"lint", "--mode", "deep"});
  CHECK(mode.exitCode == 2);
  CHECK(mode.output.find("--mode") != std::string::npos);
  const auto noRows = test::runCli({"lint", "--mode", "hier", "--set", "array.rows=2", "--set", "array.cols=2"});
  INFO(noRows.output);
  CHECK(noRows.exitCode == 2);
  CHECK(noRows.output.find("--mode: error[lint.mode]: --mode hier needs the rows form") != std::string::npos);
  const auto os = test::runCli({"lint", "--mode", "hier", "--set", "array.nets=rows", "--set", "array.dataflow=os"});
  CHECK(os.exitCode == 2);
  CHECK(os.output.find("array.nets") != std::string::npos);
  test::TempDir dir;
  const auto missing = test::runCli({"lint", "--package", (dir / "none").string()});
  CHECK(missing.exitCode == 2);
  CHECK(missing.output.find("is not an ftaccel package") != std::string::npos);
  const auto b = build(kWs43);
  flow::writePackageAtomically(flow::renderPackage(b.cfg, b.ip), dir / "ip");
  const auto other = test::runCli({"lint", "--package", (dir / "ip").string()});  // default 8x8, not 4x3
  INFO(other.output);
  CHECK(other.exitCode == 2);
  CHECK(other.output.find("pass the configuration the package was generated from") != std::string::npos);
}

// The stub drives every output with zero: a sized zero where the port is wider than Verilator's
// 8,192-bit fill limit (psum_o of a 128-column, 96-bit row is 12,288 bits).
TEST_CASE("lint: hier mode is clean on a row wider than Verilator's fill limit", "[lint-cmd][cli][wide]") {
  const auto r = test::runCli(withSets({"lint", "--json"}, {"array.nets=rows", "array.rows=1", "array.cols=128",
                                                           "data.bits=32", "data.acc_bits=96"}));
  INFO(r.output);
  REQUIRE(r.exitCode == 0);
  const auto j = nlohmann::json::parse(r.output);
  CHECK(j["mode"] == "hier");
  CHECK(j["clean"] == true);
}
