// Subcommands that live in their own files; Main.cpp registers them and dispatches.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace ftaccel::cli {

// A registered subcommand: run() is called when the user selected it and returns the exit code
// (0 success, 1 check failed, 2 bad input, 3 tool failure). Diagnostics are thrown as
// diag::DiagnosticError and reported by main().
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// `ftaccel ber`: tensor-level bit errors in the golden model (Algorithm 6.1 / 9.1).
Command addBerCommand(CLI::App& parent);
// `ftaccel timing-table`: write the documented example timing-error table.
Command addTimingTableCommand(CLI::App& parent);
// `ftaccel campaign`: fault-injection campaign on the simulation variant.
Command addCampaignCommand(CLI::App& parent);
// `ftaccel campaign-report`: merge campaign shards and print the outcome table.
Command addCampaignReportCommand(CLI::App& parent);
// `ftaccel pack`: complementary-sparse matrix to packed values and index bits (docs/sparsity.md).
Command addPackCommand(CLI::App& parent);
// `ftaccel lint`: Verilator -Wall lint, flat or per part around a stub of the row module.
Command addLintCommand(CLI::App& parent);
// `ftaccel cosim-sources` (hidden): a model's sources without verilating (harness smoke target).
Command addCosimSourcesCommand(CLI::App& parent);

}  // namespace ftaccel::cli
