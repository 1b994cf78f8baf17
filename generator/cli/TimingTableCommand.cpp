// `ftaccel timing-table`: write the example timing-error table, or check a table file.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "diag/Diagnostics.h"
#include "fault/TimingTable.h"
#include "fault/TimingTableExample.h"
#include "flow/FileIo.h"

namespace ftaccel::cli {

namespace {

namespace fs = std::filesystem;

struct TimingTableArgs {
  bool example = false;
  int bits = 4;
  std::string out;
  std::string check;
};

[[noreturn]] void badInput(const std::string& flag, const std::string& message) {
  diag::throwError("timing-table.args", diag::Location{flag, 0, 0}, message);
}

int run(const TimingTableArgs& a) {
  if (a.example == !a.check.empty())
    badInput("timing-table", "give exactly one of --example (with --out FILE) or --check FILE");
  if (!a.check.empty()) {
    fault::TimingTable t;
    try {
      t = fault::loadTimingTable(a.check);
    } catch (const std::runtime_error& e) {
      std::cerr << e.what() << "\n";  // already "file:line: message"
      return 2;
    }
    std::cout << fmt::format("{}: valid, {}-bit operands, {} current-pair entries, {} "
                             "(previous, current) entries\n",
                             a.check, t.dataBits, t.current.size(), t.transitions.size());
    return 0;
  }
  if (a.bits < 2 || a.bits > 5)
    badInput("--bits", fmt::format("{} bits is out of range; allowed: 2..5 (the example "
                                   "enumerates 2^(4*bits) operand transitions)", a.bits));
  if (a.out.empty()) badInput("--out", "--example needs --out FILE");
  fault::ExampleModel model;
  model.bits = a.bits;
  const std::string text = fault::renderExampleTable(model);
  fault::parseTimingTable(text, a.out);  // the example must always be valid
  flow::writeFile(a.out, text);  // atomic: FILE.part, then rename
  std::cout << fmt::format("wrote the {}-bit example timing-error table to {}\n", a.bits, a.out);
  return 0;
}

}  // namespace

Command addTimingTableCommand(CLI::App& parent) {
  auto args = std::make_shared<TimingTableArgs>();
  CLI::App* app = parent.add_subcommand(
      "timing-table", "Write the example multiplier timing-error table, or check a table file");
  app->add_flag("--example", args->example,
                "Generate the documented example (toy delay model, docs/timing-tables.md)");
  app->add_option("--bits", args->bits, "Operand width of the example, 2..5 (default 4)");
  app->add_option("-o,--out", args->out, "Where to write the example (written atomically)");
  app->add_option("--check", args->check, "Parse a table file and report the first error");
  return Command{app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
