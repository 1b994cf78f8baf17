// `ftaccel ber`: tensor-level random bit errors in the golden model (SPEC §9, Alg. 6.1 / 9.1).
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "golden/BitErrors.h"
#include "golden/GoldenModel.h"

namespace ftaccel::cli {

namespace {


struct BerArgs {
  ConfigArgs config;
  double ber = -1;
  std::string target;
  long trials = 100;
  uint64_t seed = 1;
  long batch = 64;
  bool json = false;
};

// One array tile: the stationary operand fills the array, `batch` vectors stream through it.
struct TileShape {
  int m = 0, k = 0, c = 0;
};

TileShape tileShape(const config::Config& cfg, int batch) {
  switch (cfg.array.dataflow) {
    case config::Dataflow::WS: return {batch, cfg.array.rows, cfg.array.cols};  // w is rows x cols
    case config::Dataflow::IS: return {cfg.array.cols, cfg.array.rows, batch};  // x is cols x rows
    case config::Dataflow::OS: return {cfg.array.rows, batch, cfg.array.cols};  // y is rows x cols
  }
  return {};
}

void validate(const BerArgs& a, const config::Config& cfg, golden::BerTarget& target) {
  diag::DiagnosticBag bag;
  auto flag = [](const std::string& name) { return diag::Location{name, 0, 0}; };
  if (!(a.ber >= 0 && a.ber <= 1))
    bag.error("ber.range", flag("--ber"),
              fmt::format("bit error rate {} is out of range; allowed: 0 <= P <= 1", a.ber));
  if (!golden::parseBerTarget(a.target, target))
    bag.error("ber.target", flag("--target"),
              fmt::format("unknown target '{}'; allowed: weights, inputs, outputs", a.target));
  if (a.trials < 1 || a.trials > 100000000)
    bag.error("ber.range", flag("--trials"),
              fmt::format("{} trials is out of range; allowed: 1..100000000", a.trials));
  if (a.batch < 1 || a.batch > 1000000)
    bag.error("ber.range", flag("--batch"),
              fmt::format("batch {} is out of range; allowed: 1..1000000", a.batch));
  else if (cfg.array.dataflow == config::Dataflow::OS && a.batch > cfg.array.maxK)
    bag.error("ber.range", flag("--batch"),
              fmt::format("an OS tile reduces over --batch = {} steps, but the accumulators are "
                          "sized for array.max_k = {}; allowed: 1..{}",
                          a.batch, cfg.array.maxK, cfg.array.maxK));
  if (bag.hasErrors()) throw diag::DiagnosticError(bag);
}

// Uniform operands of `bits` bits from raw engine output (portable across standard libraries).
golden::Matrix randomOperands(int rows, int cols, int bits, std::mt19937_64& rng) {
  golden::Matrix m(rows, cols);
  for (int64_t& v : m.data) v = golden::signExtend(rng(), bits);
  return m;
}

int run(const BerArgs& a) {
  config::Config cfg = a.config.load();
  golden::BerTarget target{};
  validate(a, cfg, target);
  const TileShape s = tileShape(cfg, static_cast<int>(a.batch));

  // Operands and errors use different streams so changing --ber keeps the same operands.
  std::mt19937_64 operandRng(golden::trialSeed(a.seed ^ 0x6f706572616e6473ULL, 0));
  golden::Matrix x = randomOperands(s.m, s.k, cfg.data.bits, operandRng);
  golden::Matrix w = randomOperands(s.k, s.c, cfg.data.bits, operandRng);

  golden::BerStudyOptions opts;
  opts.dataBits = cfg.data.bits;
  opts.accBits = cfg.data.accBits;
  opts.ber = a.ber;
  opts.target = target;
  opts.trials = static_cast<int>(a.trials);
  opts.seed = a.seed;
  const golden::BerStudyResult r = golden::runBerStudy(x, w, opts);

  const std::string maxErr = golden::toString(r.maxAbsError);
  if (a.json) {
    nlohmann::json j;
    j["ip"] = cfg.ip.name;
    j["config_hash"] = cfg.hash();
    j["dataflow"] = std::string(config::toString(cfg.array.dataflow));
    j["shape"] = {{"m", s.m}, {"k", s.k}, {"c", s.c}};
    j["data_bits"] = cfg.data.bits;
    j["acc_bits"] = cfg.data.accBits;
    j["target"] = golden::toString(target);
    j["ber"] = a.ber;
    j["trials"] = r.trials;
    j["seed"] = a.seed;
    j["bits_flipped"] = r.bitsFlipped;
    j["expected_bits_flipped"] = r.expectedBitsFlipped;
    j["trials_with_error"] = r.trialsWithError;
    j["output_elements_per_trial"] = r.outputElements;
    j["wrong_elements"] = r.wrongElements;
    j["max_abs_error"] = maxErr;  // decimal string: exact beyond 64 bits (acc_bits up to 96)
    j["mean_relative_error"] = r.meanRelativeError;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  const double trials = static_cast<double>(r.trials);
  std::cout << fmt::format(
      "tensor-level bit errors in the golden model of {} (dissertation Alg. 9.1)\n"
      "  tile              x {}x{} times w {}x{} ({}, {}-bit data, {}-bit outputs)\n"
      "  injected          {} at BER {:g}, {} trials, seed {}\n"
      "  bits flipped      {} (expected {:.1f})\n"
      "  trials wrong      {} of {} ({:.2f} %)\n"
      "  wrong outputs     {} ({:.3f} of {} per trial)\n"
      "  max |error|       {}\n"
      "  mean rel. error   {:.4g} (|error| / max(|golden|, 1) over wrong outputs)\n",
      cfg.ip.name, s.m, s.k, s.k, s.c, config::toString(cfg.array.dataflow), cfg.data.bits,
      cfg.data.accBits, golden::toString(target), a.ber, r.trials, a.seed, r.bitsFlipped,
      r.expectedBitsFlipped, r.trialsWithError, r.trials, 100.0 * r.trialsWithError / trials,
      r.wrongElements, r.wrongElements / trials, r.outputElements, maxErr, r.meanRelativeError);
  return 0;
}

}  // namespace

Command addBerCommand(CLI::App& parent) {
  auto args = std::make_shared<BerArgs>();
  CLI::App* app = parent.add_subcommand(
      "ber", "Golden-model study of random bit errors at a bit error rate (Alg. 6.1 / 9.1)");
  args->config.attach(app);
  app->add_option("--ber", args->ber, "Probability that any one bit is flipped, 0..1")->required();
  app->add_option("--target", args->target,
                  "Tensor in error: weights, inputs, or outputs (flipped at acc_bits)")
      ->required();
  app->add_option("--trials", args->trials, "Independent injections (default 100)");
  app->add_option("--seed", args->seed, "Seed of operands and errors (default 1)");
  app->add_option("--batch", args->batch,
                  "Vectors streamed through one tile (WS: M, IS: C, OS: K; default 64)");
  app->add_flag("--json", args->json, "Print the result as JSON");
  return Command{app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
