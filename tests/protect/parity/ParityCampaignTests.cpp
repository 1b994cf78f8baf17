// Memory-fault campaigns (mem-seu, mem-mbu, mem-ber) on the RTL against the golden model of the
// whole weight path: every record's wrong outputs are what the host-side path predicts (packing,
// the corrupted word, the check and zeroing), with and without the parity unit, and its outcome
// follows the suppressed rule with --tolerance (docs/campaign-format.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "fault/CampaignReport.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"
#include "golden/GoldenModel.h"
#include "protect/parity/ParityPacker.h"

using namespace ftaccel;
namespace par = ftaccel::protect::parity;

namespace {

// The campaign workload (tb/campaign/Workload.h): one matrix, then `m` vectors, from one seed.
struct Workload {
  golden::Matrix w;
  std::vector<std::vector<int64_t>> x;
};
Workload workload(const config::Config& cfg, int m, uint64_t seed) {
  Workload wl{golden::Matrix(cfg.array.rows, cfg.array.cols), {}};
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> d(golden::minValue(cfg.data.bits), golden::maxValue(cfg.data.bits));
  for (auto& v : wl.w.data) v = d(rng);
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(cfg.array.rows);
    for (auto& v : x) v = d(rng);
    wl.x.push_back(std::move(x));
  }
  return wl;
}

// What the golden path says of one record: words zeroed and the largest |output error|.
struct Predicted {
  int zeroed = 0;
  golden::Wide maxAbs = 0;
};

// Runs the campaign with `tolerance` and checks every record against the golden load path;
// returns the prediction per fault index.
std::map<long, Predicted> checkCampaign(const std::vector<std::string>& sets, const std::string& model, int word,
                                        long tolerance = 0) {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", sets);
  const bool parity = cfg.protect.weightParity.enable;
  const auto modelBuilt = flow::buildCosimModel(cfg, nullptr, true);
  test::TempDir tmp;
  flow::CampaignRequest req;
  req.run.model = model;
  req.run.faults = 60;
  req.run.seed = 9;
  req.run.vectors = 12;
  req.run.jobs = 1;
  req.run.memoryWord = parity ? 0 : word;
  req.run.memoryBer = model == "mem-ber" ? 0.02 : 0;
  req.run.tolerance = tolerance;
  req.run.out = (tmp / "r.jsonl").string();
  req.run.progress = false;
  const auto o = flow::validateCampaign(cfg, req);
  CHECK(o.memoryWord == word);
  REQUIRE(flow::runCampaign(modelBuilt, o).exitCode == 0);
  diag::DiagnosticBag warnings;
  const auto data = fault::readCampaignFiles({tmp / "r.jsonl"}, warnings);
  REQUIRE(data.faults.size() == 60);
  const par::WordLayout layout{cfg.data.bits, cfg.array.cols, word};
  Workload wl = workload(cfg, 12, 1);
  if (parity) par::packImage(wl.w.data, layout, par::flipRuleName(par::FlipRule::Largest) == cfg.protect.weightParity.flip
                                                  ? par::FlipRule::Largest : par::FlipRule::Last);
  long zeroedFaults = 0, escapes = 0;
  std::map<long, Predicted> predicted;
  for (const auto& [index, rec] : data.faults) {
    auto image = wl.w.data;
    for (const auto& inj : rec.injections) {
      REQUIRE(inj.kind == "memory");
      const long w = std::stol(inj.site->substr(std::string("weight_word[").size()));
      par::corrupt(image, layout, {w, inj.bits});
    }
    int zeroed = 0;
    if (parity)
      for (int z : par::checkAndZero(image, layout)) zeroed += z;
    golden::Matrix loaded = wl.w;
    loaded.data = image;
    std::vector<contract::OutputError> expected;
    for (size_t v = 0; v < wl.x.size(); ++v) {
      const auto good = golden::arrayOutput(wl.x[v], wl.w), got = golden::arrayOutput(wl.x[v], loaded);
      for (int c = 0; c < cfg.array.cols; ++c)
        if (got[c] != good[c]) expected.push_back({(long)v, c, got[c] - good[c]});
    }
    Predicted p{zeroed, 0};
    for (const auto& e : expected) p.maxAbs = std::max(p.maxAbs, e.delta < 0 ? -e.delta : e.delta);
    INFO("fault " << index << " zeroed " << zeroed << " max |err| " << golden::toString(p.maxAbs));
    CHECK(rec.errors == expected);
    CHECK(rec.parityZeroed == zeroed);
    // A zeroed word is suppressed when every result stays within the tolerance (inclusive).
    const auto want = zeroed && p.maxAbs <= tolerance ? contract::Outcome::Suppressed
                      : expected.empty()              ? contract::Outcome::Masked
                                                      : contract::Outcome::Sdc;
    CHECK(rec.outcome == want);
    zeroedFaults += zeroed > 0;
    escapes += parity && !zeroed && !expected.empty();
    predicted[index] = p;
  }
  if (parity && model != "mem-seu") CHECK(escapes > 0);  // even numbers of flips in a word
  if (parity) CHECK(zeroedFaults > 0);
  if (!parity) CHECK(zeroedFaults == 0);
  return predicted;
}

}  // namespace

TEST_CASE("memory faults: mem-seu and mem-mbu with parity equal the golden load path", "[parity][campaign]") {
  const std::vector<std::string> sets = {"array.rows=3", "array.cols=6", "protect.weight_parity.enable=true",
                                         "protect.weight_parity.word_weights=3"};
  checkCampaign(sets, "mem-seu", 3);
  checkCampaign(sets, "mem-mbu", 3);
  checkCampaign(sets, "mem-ber", 3);
}

TEST_CASE("memory faults: --tolerance bounds suppressed, boundary included", "[parity][campaign]") {
  const std::vector<std::string> sets = {"array.rows=3", "array.cols=6", "protect.weight_parity.enable=true",
                                         "protect.weight_parity.word_weights=3"};
  // Exact (default): a zeroed word that leaves an output error is sdc.
  const auto exact = checkCampaign(sets, "mem-seu", 3, 0);
  std::vector<golden::Wide> errs;
  for (const auto& [index, p] : exact)
    if (p.zeroed && p.maxAbs > 0) errs.push_back(p.maxAbs);
  REQUIRE(errs.size() >= 3);
  std::sort(errs.begin(), errs.end());
  const golden::Wide t = errs[errs.size() / 2];
  REQUIRE(errs.front() < t);
  REQUIRE(errs.back() > t);
  // At the median error and one below it, the record at the threshold flips from suppressed
  // to sdc; checkCampaign checks every record against the rule.
  checkCampaign(sets, "mem-seu", 3, (long)t);
  checkCampaign(sets, "mem-seu", 3, (long)t - 1);
}

TEST_CASE("memory faults: without parity the corrupted words load as they are", "[parity][campaign][large]") {
  checkCampaign({"array.rows=3", "array.cols=6"}, "mem-mbu", 2);
}

TEST_CASE("memory faults: bad requests name the flag", "[parity][campaign]") {
  auto refuse = [](const std::vector<std::string>& sets, flow::CampaignRequest req, const std::string& text) {
    req.run.out = "/tmp/ftaccel-never-written.jsonl";
    const auto cfg = config::loadConfigText("", "t", sets);
    CHECK_THROWS_WITH(flow::validateCampaign(cfg, req), Catch::Contains(text));
  };
  flow::CampaignRequest req;
  req.run.model = "mem-seu";
  refuse({"array.dataflow=os"}, req, "WS IP");
  req.run.memoryWord = 3;
  refuse({}, req, "do not divide the load beat");
  refuse({"protect.weight_parity.enable=true"}, req, "allowed: 8");
  req.run.memoryWord = 0;
  req.run.model = "mem-ber";
  refuse({}, req, "needs --memory-ber");
  req.run.model = "seu";
  req.run.memoryWord = 2;
  refuse({}, req, "needs a memory model");
}
