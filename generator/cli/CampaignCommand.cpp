// `ftaccel campaign`: fault-injection campaign on the simulation variant of the configured IP.
#include <algorithm>
#include <iostream>
#include <thread>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"

namespace ftaccel::cli {

namespace {

struct CampaignArgs {
  ConfigArgs config;
  flow::CampaignRequest request;
  bool json = false;
  bool quiet = false;
  CLI::Option* faultsOption = nullptr;
};

int run(const CampaignArgs& a) {
  const config::Config cfg = a.config.load();
  const contract::CampaignOptions o = flow::validateCampaign(cfg, a.request);
  auto log = [](const std::string& line) { std::cerr << "[ftaccel] " << line << "\n"; };
  const flow::CosimModel model = flow::buildCosimModel(cfg, log, true, o.model == "timing");
  const flow::CampaignRun r = flow::runCampaign(model, o);
  diag::DiagnosticBag warnings;
  const fault::CampaignData data = fault::readCampaignFiles({o.out}, warnings);
  std::cerr << warnings.format();
  const fault::CampaignSummary summary = fault::summarize(data);
  if (a.json) {
    nlohmann::json j = {{"engine", r.stats}, {"summary", fault::toJson(summary)}};
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << fault::formatReport(summary);
    const auto& s = r.stats;
    std::cout << fmt::format(
        "engine: {} faults in {:.2f} s = {:.0f} injections/s ({}, {} job(s)); {} classified dead from "
        "live windows and {} by the stationary-register rule without simulation; {} cycles simulated; "
        "reference window {} cycles\n",
        s.faultsRun, s.seconds, s.injectionsPerSecond, s.engine, s.jobs, s.pruned, s.analytic, s.simulatedCycles,
        s.windowCycles);
    if (s.pruningViolations > 0)
      std::cout << fmt::format("PRUNING VIOLATIONS: {} faults the live windows called dead changed the result\n",
                               s.pruningViolations);
  }
  return r.exitCode;
}

}  // namespace

Command addCampaignCommand(CLI::App& parent) {
  auto a = std::make_shared<CampaignArgs>();
  CLI::App* app = parent.add_subcommand(
      "campaign", "Fault-injection campaign: inject, simulate against the golden model, classify");
  a->config.attach(app);
  app->add_option("--model", a->request.run.model,
                  "seu (one bit flip), mbu (burst of adjacent bits), stuck (stuck-at-0/1), pe (whole PE "
                  "outputs random), timing (multiplier error table), list (--inject); WS weight words "
                  "from memory: mem-seu, mem-mbu (burst inside one word), mem-ber (--memory-ber)")
      ->check(CLI::IsMember(contract::campaignModels()));
  a->faultsOption = app->add_option("-n,--faults", a->request.run.faults,
                                    "Faults in the whole campaign (all shards; default 1000, list: 1)")
                        ->check(CLI::Range(1L, 1000000000L));
  app->add_option("--seed", a->request.run.seed, "Campaign seed: fault k is derived from (seed, k) alone");
  app->add_option("--shard", a->request.shard, "i/n: run the faults k with k % n == i (default 0/1)");
  a->request.run.jobs = std::max(1u, std::thread::hardware_concurrency());
  app->add_option("-j,--jobs", a->request.run.jobs, "Worker processes (default: all cores)")
      ->check(CLI::Range(1, 256));
  app->add_option("-o,--out", a->request.run.out,
                  "Results (JSON Lines, appended; an interrupted campaign resumes where it stopped)")
      ->required();
  app->add_option("--engine", a->request.run.engine, "fast (live windows, snapshots, early stop) or naive")
      ->check(CLI::IsMember({"fast", "naive"}));
  app->add_option("--vectors", a->request.run.vectors, "Workload: vectors through freshly loaded weights")
      ->check(CLI::Range(1, 100000));
  app->add_option("--workload-seed", a->request.run.workloadSeed, "Seed of the workload operands");
  app->add_option("--memory-word", a->request.run.memoryWord,
                  "mem-*: weights per memory word (default: the weight-parity word, else array.cols)")
      ->check(CLI::Range(1, 256));
  app->add_option("--memory-ber", a->request.run.memoryBer, "mem-ber: bit error rate of the weight image")
      ->check(CLI::Range(0.0, 1.0));
  app->add_option("--tolerance", a->request.run.tolerance,
                  "Largest absolute output error of a suppressed fault: a fault an input filter or the "
                  "weight-parity check acted on is suppressed when every result is within it (default 0: "
                  "exact); faults no unit acted on are masked only when exact")
      ->check(CLI::Range(0L, 1L << 62));
  app->add_flag("--recompute-on-alarm", a->request.run.recomputeOnAlarm,
                "After a run that ends with an alarm, re-run the batch fault-free (the host's recomputation) "
                "and report the SDCs left after detection and recomputation");
  app->add_option("--burst", a->request.run.burst, "mbu: adjacent bits per upset (0 = random 2..8)")
      ->check(CLI::Range(0, 8));
  app->add_option("--stuck-cycles", a->request.run.stuckCycles,
                  "stuck: cycles per transient stuck-at (0 = permanent)")
      ->check(CLI::Range(0L, 1000000L));
  app->add_option("--multi", a->request.run.multi, "seu/mbu/stuck: independent upsets per run (multi-site)")
      ->check(CLI::Range(1, 64));
  app->add_option("--inject", a->request.run.inject,
                  "list: SITE:BITS@CYCLE[-CYCLE|-end][:flip|stuck0|stuck1] joined by ';' (SITE: path "
                  "or id from the manifest's fault_injection.sites; BITS: 3 or 0,5 or 2-4)");
  app->add_option("--kinds", a->request.run.kinds,
                  "seu/mbu/stuck: draw faults only among the sites of these kinds, comma-separated "
                  "(the manifest's fault_injection.sites kinds, e.g. afd,median,skew,act)");
  app->add_option("--timing-table", a->request.run.timingTable, "timing: error table (docs/timing-tables.md)");
  app->add_option("--timing-scale", a->request.run.timingScale, "timing: multiply every table probability")
      ->check(CLI::Range(0.0, 1e9));
  app->add_flag("--verify-pruned", a->request.run.verifyPruned,
                "Also simulate the faults classified without simulation (dead in their live window, or "
                "by the stationary-register rule) and exit 1 if any record would differ");
  app->add_option("--snapshot-mib", a->request.run.snapshotMib,
                  "Memory for fault-free state snapshots; beyond it every k-th edge is kept and the "
                  "cycles in between are replayed")
      ->check(CLI::Range(1L, 1L << 20));
  app->add_option("--snapshot-stride", a->request.run.snapshotStride,
                  "Keep the state of every n-th edge only (0 = as --snapshot-mib allows)")
      ->check(CLI::Range(0L, 1L << 20));
  app->add_flag("-q,--quiet", a->quiet, "No progress lines");
  app->add_flag("--json", a->json, "Print engine statistics and the summary as JSON");
  return {app, [a] {
            a->request.run.progress = !a->quiet;
            if (a->request.run.model == "list" && a->faultsOption->count() == 0) a->request.run.faults = 1;
            return run(*a);
          }};
}

}  // namespace ftaccel::cli
