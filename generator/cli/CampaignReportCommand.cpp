// `ftaccel campaign-report`: merge campaign result shards, print the outcome table (or JSON),
// optionally export the fault patterns as CSV.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"

namespace ftaccel::cli {

namespace {

namespace fs = std::filesystem;

struct CampaignReportArgs {
  std::vector<std::string> files;
  bool json = false;
  std::string patterns;
};

// Writes FILE.tmp and renames it, so a reader never sees a half-written pattern file.
void writePatternsAtomically(const fault::CampaignData& data, const fs::path& path) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) fault::writeFaultPatterns(data, out);
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw std::runtime_error(fmt::format("cannot write the fault patterns to {}", tmp.string()));
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error(fmt::format("cannot rename {} to {}", tmp.string(), path.string()));
  }
}

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
    writePatternsAtomically(data, args.patterns);
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
