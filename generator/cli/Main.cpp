// ftaccel command-line interface: generate, sim, synth, config.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "protect/bypass/BypassMask.h"
#include "flow/Cosim.h"
#include "units/PipelineModel.h"
#include "flow/IpSynth.h"
#include "flow/Package.h"
#include "flow/PeFaultSpec.h"
#include "flow/Process.h"
#include "flow/Synth.h"
#include "units/IpDesign.h"

namespace fs = std::filesystem;
using namespace ftaccel;

namespace {

// Exit codes: 0 success, 1 the design failed a check (mismatch, timing report failure),
// 2 bad input (config, flags, files), 3 a tool failed.
constexpr int kExitCheckFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitToolFailed = 3;

using cli::ConfigArgs;

void progress(const std::string& line) { std::cerr << "[ftaccel] " << line << "\n"; }

int cmdGenerate(const ConfigArgs& args, const std::string& out, bool faultInjection) {
  config::Config cfg = args.load();
  const units::BuildOptions variant{faultInjection, faultInjection};
  units::IpDesign ip = units::buildIp(cfg, variant);
  flow::FileSet files = flow::renderPackage(cfg, ip, variant);
  flow::writePackageAtomically(files, out);
  std::cout << fmt::format("wrote {} files for {} ({}x{} {}, {}-bit data, {}-bit results) to {}\n",
                           files.size(), ip.top, cfg.array.rows, cfg.array.cols,
                           config::toString(cfg.array.dataflow), cfg.data.bits, cfg.data.accBits,
                           out);
  std::cout << fmt::format("latency {} cycles ({}), config hash {}", ip.latencyCycles,
                           ip.latencyFormula, cfg.hash());
  if (faultInjection)
    std::cout << fmt::format(", fault-injection package hash {}", flow::packageHash(cfg, variant));
  std::cout << "\n";
  return 0;
}

// The co-simulation options are bound to the flags directly; only the output format is extra.
struct SimArgs {
  flow::CosimOptions run = [] {
    flow::CosimOptions o;
    o.vectors = 1000;
    return o;
  }();
  bool json = false;
};

int cmdSim(const ConfigArgs& args, const SimArgs& s) {
  config::Config cfg = args.load();
  // Permanent faults need the simulation variant with per-PE fault ports.
  const bool faultPorts =
      !flow::parsePeFaults(s.run.peFaults, cfg.array.rows, cfg.array.cols, cfg.data.accBits).empty();
  // Every specification is checked (diagnostics, exit 2) before anything is built.
  flow::harnessOptions(flow::modelShape(cfg, faultPorts), s.run);
  {
    // Say which outputs the mask makes impossible.
    const flow::BypassMask mask = flow::parseBypassMask(s.run.bypass, cfg.array.rows, cfg.array.cols, s.run.seed);
    diag::DiagnosticBag warnings;
    flow::warnUnproducibleOutputs(mask, cfg.array.dataflow, warnings);
    std::cerr << warnings.format();
  }
  flow::CosimModel model = flow::buildCosimModel(cfg, progress, faultPorts);
  const flow::CosimOptions& o = s.run;
  progress(fmt::format("simulating {} vectors in batches of {} (seed {}, pattern {})", s.run.vectors,
                       s.run.batch, s.run.seed, s.run.pattern));
  flow::CosimResult r = flow::runCosim(model, o);
  r.report["model_reused"] = model.reused;
  r.report["model_build_seconds"] = model.buildSeconds;
  r.report["config_hash"] = cfg.hash();
  if (s.json) {
    std::cout << r.report.dump(2) << "\n";
  } else {
    const auto& j = r.report;
    std::cout << fmt::format(
        "co-simulation of {} against the golden model\n"
        "  vectors checked   {} / {} in {} batches (weights reloaded per batch)\n"
        "  mismatches        {}\n"
        "  cycles            {}\n"
        "  latency           {}..{} cycles (manifest: {})\n"
        "  throughput        {:.4f} vectors/cycle over the run ({} input stall cycles)\n"
        "  speed             {:.0f} vectors/s wall clock\n",
        cfg.ip.name, j["checked"].get<long>(), j["vectors"].get<long>(), j["batches"].get<long>(),
        j["mismatches"].get<long>(), j["cycles"].get<long>(), j["latency_min"].get<long>(),
        j["latency_max"].get<long>(), j["latency_expected"].get<long>(),
        j["throughput_vectors_per_cycle"].get<double>(), j["input_stall_cycles"].get<long>(),
        j["vectors_per_second"].get<double>());
    if (j["fuzz_sequences"].get<long>() > 0)
      std::cout << fmt::format(
          "  protocol fuzzer   {} sequences, {} swaps ({} no-op), worst slack {} (bound: +{}), "
          "{} bound violations\n",
          j["fuzz_sequences"].get<long>(), j["fuzz_swaps"].get<long>() + j["fuzz_noop_swaps"].get<long>(),
          j["fuzz_noop_swaps"].get<long>(), j["fuzz_worst_slack"].get<long>(),
          units::PipelineModel::kResultBoundSlack,
          j["fuzz_bound_violations"].get<long>());
    if (j["timeout"].get<bool>()) std::cout << "  TIMEOUT: not every vector came out\n";
    if (!j["first_mismatch"].get<std::string>().empty())
      std::cout << "  first mismatch:   " << j["first_mismatch"].get<std::string>() << "\n";
    std::cout << (r.passed() ? "PASS\n" : "FAIL\n");
  }
  return r.passed() ? 0 : kExitCheckFailed;
}

struct SynthArgs {
  std::string liberty;
  double clockNs = 0;
  bool json = false;
  bool flat = false;
  int jobs = 2;
  std::string workDir;
};

int cmdSynth(const ConfigArgs& args, const SynthArgs& s) {
  config::Config cfg = args.load();
  if (s.clockNs > 0) cfg.synth.clockNs = s.clockNs;
  flow::IpSynthOptions opts;
  opts.flat = s.flat;
  opts.jobs = s.jobs;
  opts.workDir = s.workDir;
  if (!s.liberty.empty()) {
    if (!fs::exists(s.liberty)) {
      diag::DiagnosticBag bag;
      bag.error("synth.no-liberty", diag::Location{s.liberty, 0, 0}, "Liberty file not found");
      throw diag::DiagnosticError(bag);
    }
    opts.liberty = fs::absolute(s.liberty);
  }
  flow::SynthResult result = flow::synthesizeIp(cfg, opts, progress);
  // Every enabled protection is compared with the same IP without it.
  std::vector<flow::OverheadEntry> overhead;
  for (const auto& [protection, base] : flow::baselinesFor(cfg)) {
    progress(fmt::format("baseline without {}: {}", protection, base.ip.name));
    flow::IpSynthOptions baseOpts = opts;
    baseOpts.flat = false;
    if (!opts.workDir.empty()) baseOpts.workDir = opts.workDir / ("baseline-" + protection);
    overhead.push_back(flow::overheadOf(protection, cfg, flow::synthesizeIp(base, baseOpts, progress), result));
  }
  if (s.json) {
    nlohmann::json j = flow::toJson(result);
    j["config"] = cfg.toJson();
    j["config_hash"] = cfg.hash();
    j["overhead"] = nlohmann::json::array();
    for (const auto& e : overhead) j["overhead"].push_back(flow::toJsonWithGain(e));
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << flow::formatReport(result);
    if (!overhead.empty()) std::cout << flow::formatOverhead(overhead, result.areaUnit);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  flow::runRssRelayIfAsked(argc, argv);  // before anything else: the relay must stay small
  CLI::App app{"ftaccel - generator of fault-tolerant systolic-array SystemVerilog IP"};
  app.set_version_flag("--version", std::string("ftaccel ") + FTACCEL_VERSION);
  app.require_subcommand(1);

  ConfigArgs genArgs, simArgs, synthArgs;
  std::string out;
  auto* gen = app.add_subcommand("generate", "Write an IP package (RTL, scripts, SDC, manifest)");
  genArgs.attach(gen);
  gen->add_option("-o,--out", out, "Output directory (created or replaced atomically)")->required();
  bool genFi = false;
  gen->add_flag("--fault-injection", genFi,
                "Write the simulation-only variant with fault-injection ports (module names end in "
                "_fi; never synthesize it)");

  SimArgs sim;
  auto* simCmd = app.add_subcommand("sim", "Co-simulate the IP against the golden model (Verilator)");
  simArgs.attach(simCmd);
  simCmd->add_option("-n,--vectors", sim.run.vectors, "Activation vectors to check")
      ->check(CLI::Range(1L, 100000000L));
  simCmd->add_option("--batch", sim.run.batch, "Vectors per weight matrix (a reload between batches)")
      ->check(CLI::Range(1L, 100000000L));
  simCmd->add_option("--seed", sim.run.seed, "Random seed");
  simCmd->add_option("--pattern", sim.run.pattern, "Operands: random, neg, zero, alt, max or mixed")
      ->check(CLI::IsMember({"random", "neg", "zero", "alt", "max", "mixed"}));
  simCmd->add_option("--in-valid", sim.run.inValidProb, "Probability per idle cycle that the producer offers the next vector (an offer is held until taken)")
      ->check(CLI::Range(0.01, 1.0));
  simCmd->add_option("--out-ready", sim.run.outReadyProb, "Probability that the consumer is ready")
      ->check(CLI::Range(0.01, 1.0));
  simCmd->add_option("--bypass", sim.run.bypass,
                     "Bypass mask (needs protect.bypass): none, random:P, row:R, col:C, pe:R,C or "
                     "file:PATH (rows lines of cols '0'/'1'), joined with '+'");
  simCmd->add_option("--pe-fault", sim.run.peFaults,
                     "Permanent PE faults, joined with '+': s0:R,C,BIT or s1:R,C,BIT (stuck-at on "
                     "the MAC result), rnd:R,C (random output), rndrow:R, rndcol:C");
  simCmd->add_option("--matmul", sim.run.matmul,
                     "Tile a full B x CI times CI x CO product onto the array (host-side tiler)");
  simCmd->add_option("--shift", sim.run.shift, "Diagonal shift of the mapping (dissertation 10.3.4)")
      ->check(CLI::Range(0, 1 << 20));
  simCmd->add_flag("--bypass-faulty", sim.run.bypassFaulty, "Bypass exactly the faulty PEs");
  simCmd->add_option("--memory-ber", sim.run.memoryBer,
                     "WS: bit error rate of the stored weight image (checked by weight parity)")
      ->check(CLI::Range(0.0, 1.0));
  simCmd->add_option("--afd-shift", sim.run.afdShift,
                     "protect.afd: drive afd_shift_i = S (gamma = 2^S, clamped to s_max; default s_max)")
      ->check(CLI::Range(0, 255));
  simCmd->add_option("--afd-gates", sim.run.afdGates,
                     "protect.afd: gates in use, 1 (eq. 8.1) or 2 (eq. 8.2, two-gate units only; default: as built)")
      ->check(CLI::Range(1, 2));
  simCmd->add_option("--sanity-batch", sim.run.sanityBatch,
                     "temporal Sanity-Check: write N into the batch register after reset (1..protect.sanity_max_batch; "
                     "default: its reset value, protect.sanity_max_batch)");
  simCmd->add_option("--protocol-fuzz", sim.run.protocolFuzz,
                     "Instead of batches: N random legal handshake sequences from reset (random "
                     "valid/ready/load/swap, OS: random tile lengths); every result must be right "
                     "and within the manifest's protocol.result_bound")
      ->check(CLI::Range(1L, 100000000L));
  simCmd->add_flag("--json", sim.json, "Print the result as JSON");

  SynthArgs syn;
  auto* synCmd = app.add_subcommand("synth", "Synthesize with Yosys and time with OpenSTA");
  synthArgs.attach(synCmd);
  synCmd->add_option("--liberty", syn.liberty, "Liberty file (.lib or .lib.gz); default: built-in generic");
  synCmd->add_option("--clock-ns", syn.clockNs, "Clock period in ns (default: synth.clock_ns)")
      ->check(CLI::Range(0.05, 1000.0));
  synCmd->add_flag("--json", syn.json, "Print the report as JSON");
  synCmd->add_flag("--flat", syn.flat, "Also synthesize the flattened top to cross-check the area");
  synCmd->add_option("-j,--jobs", syn.jobs, "Parallel tool processes")->check(CLI::Range(1, 64));
  synCmd->add_option("--work-dir", syn.workDir, "Keep scripts, logs and netlists here");

  const std::vector<cli::Command> commands = {
      cli::addCampaignCommand(app), cli::addCampaignReportCommand(app), cli::addBerCommand(app),
      cli::addTimingTableCommand(app), cli::addPackCommand(app), cli::addLintCommand(app),
      cli::addCosimSourcesCommand(app)};

  bool printDefault = false;
  auto* cfgCmd = app.add_subcommand("config", "Show configuration information");
  cfgCmd->add_flag("--print-default", printDefault, "Print the embedded default TOML");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*gen) return cmdGenerate(genArgs, out, genFi);
    if (*simCmd) return cmdSim(simArgs, sim);
    if (*synCmd) return cmdSynth(synthArgs, syn);
    for (const auto& c : commands)
      if (*c.app) return c.run();
    if (*cfgCmd) {
      if (!printDefault) {
        std::cerr << cfgCmd->help();
        return kExitBadInput;
      }
      std::cout << config::defaultConfigToml();
      return 0;
    }
  } catch (const diag::DiagnosticError& e) {
    std::cerr << e.bag().format();
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "ftaccel: error: " << e.what() << "\n";
    return kExitToolFailed;
  }
  return 0;
}
