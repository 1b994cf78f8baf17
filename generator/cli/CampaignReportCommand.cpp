// `ftaccel campaign-report`: merge campaign result shards, print the outcome table (or JSON),
// optionally export the fault patterns as CSV.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"
#include "flow/FileIo.h"

namespace ftaccel::cli {

namespace {

namespace fs = std::filesystem;

struct CampaignReportArgs {
  std::vector<std::string> files;
  bool json = false;
  std::string patterns;
};

int run(const CampaignReportArgs& args) {
  const std::vector<fs::path> files(args.files.begin(), args.files.end());
  diag::DiagnosticBag warnings;
  fault::CampaignData data;
  try {
    data = fault::readCampaignFiles(files, warnings);
  } catch (const diag::DiagnosticError&) {
    std::cerr << warnings.format();  // the warnings belong to the same input; main() prints the errors
    throw;
  }
  std::cerr << warnings.format();
  const fault::CampaignSummary summary = fault::summarize(data);
  if (args.json)
    std::cout << fault::toJson(summary).dump(2) << "\n";
  else
    std::cout << fault::formatReport(summary);
  if (!args.patterns.empty()) {
    std::ostringstream csv;
    fault::writeFaultPatterns(data, csv);
    flow::writeFile(args.patterns, csv.str());  // atomic: FILE.part, then rename
    std::cerr << fmt::format("wrote fault patterns to {}\n", args.patterns);
  }
  return 0;
}

}  // namespace

Command addCampaignReportCommand(CLI::App& parent) {
  auto args = std::make_shared<CampaignReportArgs>();
  CLI::App* app = parent.add_subcommand("campaign-report",
                                        "Merge fault-injection campaign shards and print the outcome table");
  app->add_option("files", args->files, "Campaign result files (JSONL), e.g. one per shard")
      ->required()
      ->check([](const std::string& f) -> std::string {
        if (!fs::exists(f)) return fmt::format("campaign result file '{}' does not exist", f);
        if (fs::is_directory(f)) return fmt::format("'{}' is a directory, not a campaign result file", f);
        return "";
      });
  app->add_flag("--json", args->json, "Print the summary as JSON");
  app->add_option("--patterns", args->patterns,
                  "Write the wrong output elements of every non-masked fault as CSV to FILE "
                  "(see docs/fault-patterns.md)");
  return {app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
