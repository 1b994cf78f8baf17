// Sanity-Check temporal (input) checksum hardware and "both" (SPEC §4, dissertation ch. 6): keys
// and refusals, the generated ports/manifest, lint, RTL-against-TemporalModel co-simulation
// (every batch report compared), the cycle-exact throughput, an Icarus run and campaigns.
#include <catch2/catch.hpp>

#include <random>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "IcarusUtil.h"
#include "LintUtil.h"
#include "CampaignUtil.h"
#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"
#include "flow/Campaign.h"
#include "flow/Cosim.h"
#include "flow/Package.h"
#include "flow/Process.h"
#include "protect/sanity/TemporalModel.h"
#include "units/IpDesign.h"

using namespace ftaccel;
namespace tmod = ftaccel::protect::sanity::temporal;

namespace {

units::IpDesign ipOf(const std::vector<std::string>& sets) { return units::buildIp(config::loadConfigText("", "t", sets)); }

const units::TopPort* portOf(const units::IpDesign& ip, const std::string& name) {
  for (const auto& p : ip.ports)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("temporal keys: names, max batch range, refusals with a reason, exit 2", "[sanity][temporal][config]") {
  const auto t = config::loadConfigText("", "t", {"protect.sanity_check=temporal"});
  CHECK(t.ip.name == "ftaccel_ws8x8_d8_sct");
  CHECK(config::loadConfigText("", "t", {"protect.sanity_check=both"}).ip.name == "ftaccel_ws8x8_d8_scb");
  const auto mb = config::loadConfigText("", "t", {"protect.sanity_check=temporal", "protect.sanity_max_batch=5"});
  CHECK(mb.ip.name == "ftaccel_ws8x8_d8_sct_mb5");
  CHECK(mb.hash() != t.hash());
  CHECK(t.canonicalToml().find("sanity_max_batch") == std::string::npos);  // default: not in the hash
  CHECK_THAT(test::configError({"protect.sanity_check=temporal", "protect.sanity_max_batch=0"}),
             Catch::Contains("protect.sanity_max_batch") && Catch::Contains("out of range"));
  CHECK_THAT(test::configError({"protect.sanity_check=temporal", "protect.sanity_max_batch=65536"}),
             Catch::Contains("out of range"));
  CHECK_THAT(test::configError({"protect.sanity_check=spatial", "protect.sanity_max_batch=8"}),
             Catch::Contains("'protect.sanity_max_batch' = 8 needs protect.sanity_check = \"temporal\" or \"both\""));
  CHECK_THAT(test::configError({"protect.sanity_check=temporal", "array.dataflow=os"}),
             Catch::Contains("'protect.sanity_check' = \"temporal\" cannot work with array.dataflow = \"os\"") &&
                 Catch::Contains("extra reduction step"));
  CHECK_THAT(test::configError({"protect.sanity_check=both", "array.dataflow=os"}),
             Catch::Contains("cannot work with array.dataflow = \"os\""));
  // IS: the streamed operand is the weights, so the temporal sum checks them.
  CHECK(config::loadConfigText("", "t", {"protect.sanity_check=temporal", "array.dataflow=is"}).ip.name ==
        "ftaccel_is8x8_d8_sct");
  CHECK_THAT(test::configError({"protect.sanity_check=temporal", "array.pe=shortened", "array.group_l=2"}),
             Catch::Contains("needs array.pe = \"dense\""));
  CHECK_THAT(test::configError({"protect.sanity_check=temporal", "protect.median.enable=true"}),
             Catch::Contains("activation filter"));
  test::TempDir dir;
  const auto r = test::runCli({"generate", "--set", "array.dataflow=os", "--set", "protect.sanity_check=temporal",
                               "--out", (dir / "ip").string()});
  CHECK(r.exitCode == 2);
  CHECK_THAT(r.output, Catch::Contains("protect.sanity_check"));
  CHECK_FALSE(std::filesystem::exists(dir / "ip"));
  // --sanity-batch outside 1..max_batch: a diagnostic naming the flag.
  flow::CosimModel model;
  model.rows = model.cols = 4;
  model.accBits = 18;
  model.sanityMaxBatch = 6;
  flow::CosimOptions o;
  o.sanityBatch = 7;
  CHECK_THROWS_WITH(flow::harnessOptions(model, o), Catch::Contains("1..6"));
  o.sanityBatch = 6;
  CHECK_NOTHROW(flow::harnessOptions(model, o));
  model.sanityMaxBatch = 0;
  CHECK_THROWS_WITH(flow::harnessOptions(model, o), Catch::Contains("no temporal checksum"));
}

TEST_CASE("temporal hardware: ports, alarms, manifest throughput, latency unchanged, fault sites", "[sanity][temporal]") {
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=5", "protect.sanity_check=temporal",
                                                    "protect.sanity_max_batch=6"});
  const auto plain = ipOf({"array.rows=3", "array.cols=5"});
  const auto ip = units::buildIp(cfg);
  CHECK(ip.latencyCycles == plain.latencyCycles);
  CHECK(ip.alarmPorts == std::vector<std::string>{"sanity_talarm_o", "sanity_tflag_o"});
  REQUIRE(portOf(ip, "sanity_batch_i"));
  CHECK(portOf(ip, "sanity_batch_i")->width == 3);  // holds 1..6
  CHECK(portOf(ip, "sanity_tpos_o")->width == 5);
  CHECK(portOf(ip, "sanity_batch_we_i"));
  CHECK(portOf(ip, "sanity_batch_close_i"));
  CHECK(portOf(ip, "sanity_tdone_o"));
  CHECK(portOf(ip, "sanity_clear_i"));
  CHECK_FALSE(portOf(ip, "sanity_wload_data_i"));  // no spatial column
  const auto manifest = flow::buildManifest(cfg, ip);
  const auto tw = tmod::temporalWidths(8, cfg.data.accBits, 6);
  CHECK(tw.digits == 2);
  CHECK_THAT(manifest["throughput"]["sanity"].get<std::string>(), Catch::Contains("throughput N/(N+2)"));
  CHECK_THAT(manifest["latency"]["batch_formula"].get<std::string>(), Catch::Contains("+ 2*floor((M-1)/N)"));
  CHECK_THAT(manifest["protocol"]["sanity"].get<std::string>(), Catch::Contains("in_ready_o stays low for the next 2 cycles"));
  CHECK(manifest["fault_injection"]["alarms"] == nlohmann::json::array({"sanity_talarm_o", "sanity_tflag_o"}));
  const auto both = units::buildIp(config::loadConfigText("", "t", {"array.rows=3", "array.cols=5", "protect.sanity_check=both"}));
  CHECK(both.alarmPorts == std::vector<std::string>{"sanity_alarm_o", "sanity_flag_o", "sanity_talarm_o", "sanity_tflag_o"});
  CHECK(portOf(both, "sanity_wload_data_i"));
  const units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true});
  std::map<std::string, int> kinds;
  for (const auto& s : fi.faultSites) kinds[s.kind] += 1;
  CHECK(kinds["sanity_tinv"] == 1);
  CHECK(kinds["sanity_tacc"] == 1);
  CHECK(kinds["sanity_tbatch"] == 1);
  CHECK(kinds["sanity_talarm"] == 1);
}

TEST_CASE("temporal lint: Verilator -Wall, Icarus and Yosys 0.23 on temporal, both, residue and the fault variant",
          "[sanity][temporal][lint]") {
  auto lint = [](const std::vector<std::string>& sets, bool faultPorts) {
    test::lintPackage({sets, units::BuildOptions{faultPorts, false}, true,
                       [](const std::string& module) { return module.find("sanity") != std::string::npos; }});
  };
  lint({"array.rows=4", "array.cols=4", "protect.sanity_check=temporal"}, false);
  lint({"array.rows=1", "array.cols=1", "data.bits=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=1"}, false);
  lint({"array.rows=3", "array.cols=5", "protect.sanity_check=both", "protect.sanity_residue_bits=5"}, false);
  lint({"array.rows=2", "array.cols=3", "data.bits=16", "protect.sanity_check=both"}, true);
  lint({"array.rows=3", "array.cols=5", "array.dataflow=is", "protect.sanity_check=temporal", "protect.sanity_residue_bits=5"},
       false);
}

namespace {

// Co-simulation with every temporal batch report compared with TemporalModel.h.
void temporalCosim(const std::vector<std::string>& sets, long vectors, int batch, double inValid, double outReady,
           const std::vector<std::string>& patterns) {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", sets);
  const auto model = flow::buildCosimModel(cfg);
  for (const auto& pattern : patterns) {
    flow::CosimOptions o;
    o.vectors = vectors;
    o.batch = 2 * cfg.array.rows + cfg.array.cols + 5;
    o.seed = 23;
    o.pattern = pattern;
    o.inValidProb = inValid;
    o.outReadyProb = outReady;
    o.sanityBatch = batch;
    const auto r = flow::runCosim(model, o);
    INFO(cfg.ip.name << " N=" << batch << " " << pattern << ": " << r.report.dump());
    CHECK(r.passed());
    CHECK(r.report["checked"] == vectors);
    CHECK(r.report["alarm_cycles"] == 0);
    CHECK(r.report["temporal_model_mismatches"] == 0);
    CHECK(r.report["temporal_alarms"] == 0);
    // Batches close at N vectors and before every weight swap.
    CHECK(r.report["temporal_batches_checked"].get<long>() >= (vectors + batch - 1) / batch);
  }
}

}  // namespace

TEST_CASE("temporal cosim: 4x4 8-bit, N = 1, 5 and max, every batch report equals the model", "[sanity][temporal][cosim]") {
  temporalCosim({"array.rows=4", "array.cols=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=9"}, 300, 5, 0.8,
        0.7, {"random", "mixed"});
  temporalCosim({"array.rows=4", "array.cols=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=9"}, 200, 1, 1.0,
        1.0, {"neg"});
  // Batches of one behind a slow consumer: both banks busy, a batch's report waits for its delivery.
  temporalCosim({"array.rows=4", "array.cols=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=9"}, 200, 1, 1.0,
        0.3, {"random"});
  temporalCosim({"array.rows=4", "array.cols=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=9"}, 200, 9, 0.9,
        0.8, {"max"});
}

TEST_CASE("temporal cosim: 3x5 4-bit, 1x1, 8x8 16-bit, both, residue", "[sanity][temporal][cosim][large]") {
  temporalCosim({"array.rows=3", "array.cols=5", "data.bits=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=255"},
        400, 255, 0.9, 0.8, {"neg", "mixed"});
  temporalCosim({"array.rows=1", "array.cols=1", "data.bits=4", "protect.sanity_check=temporal", "protect.sanity_max_batch=3"},
        200, 3, 0.8, 0.7, {"random", "neg"});
  temporalCosim({"array.rows=8", "array.cols=8", "data.bits=16", "protect.sanity_check=temporal"}, 300, 64, 1.0, 1.0,
        {"random", "neg"});
  temporalCosim({"array.rows=4", "array.cols=4", "protect.sanity_check=both", "protect.sanity_max_batch=7"}, 300, 7, 0.8, 0.7,
        {"mixed"});
  temporalCosim({"array.rows=4", "array.cols=3", "array.dataflow=is", "protect.sanity_check=both", "protect.sanity_max_batch=9"},
        300, 5, 0.8, 0.7, {"random", "mixed"});
  temporalCosim({"array.rows=3", "array.cols=5", "protect.sanity_check=temporal", "protect.sanity_residue_bits=5",
         "protect.sanity_max_batch=4"},
        300, 4, 0.8, 0.7, {"random", "neg"});
}

TEST_CASE("temporal throughput: a full-rate stream of k batches of N takes M + D*(k-1) + latency - 1 cycles",
          "[sanity][temporal][cosim]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.sanity_check=temporal",
                                                    "protect.sanity_max_batch=9"});
  const auto model = flow::buildCosimModel(cfg);
  const auto ip = units::buildIp(cfg);
  const int d = tmod::temporalWidths(cfg.data.bits, cfg.data.accBits, 9).digits;
  for (int n : {1, 4, 9}) {
    flow::CosimOptions o;
    o.vectors = 12L * n;
    o.batch = o.vectors;  // one weight matrix: no swap inside the stream
    o.sanityBatch = n;
    const auto r = flow::runCosim(model, o);
    INFO("N=" << n << ": " << r.report.dump());
    REQUIRE(r.passed());
    const long m = o.vectors, k = m / n;
    // First input handshake to last output handshake (the manifest's batch_formula).
    CHECK(r.report["batch_cycles"] == m + d * (k - 1) + ip.latencyCycles - 1);
    CHECK(r.report["latency_min"] == ip.latencyCycles);
    CHECK(r.report["temporal_batches_checked"] == k);
  }
}

TEST_CASE("temporal icarus: four-state run, results right, every batch checked without a flag, the batch register",
          "[sanity][temporal][icarus]") {
  if (!flow::haveTool("iverilog")) {
    WARN("iverilog missing: skipped");
    return;
  }
  const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=4", "protect.sanity_check=temporal",
                                                    "protect.sanity_max_batch=4"});
  const auto ip = units::buildIp(cfg);
  const int r = cfg.array.rows, c = cfg.array.cols, b = cfg.data.bits, a = cfg.data.accBits, m = 10;
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<int64_t> d(golden::minValue(b), golden::maxValue(b));
  golden::Matrix wt(r, c);
  for (auto& v : wt.data) v = d(rng);
  std::string wText, xText, yText;
  for (int k = 0; k < r; ++k) {
    std::vector<golden::Wide> row;
    for (int j = 0; j < c; ++j) row.push_back(wt.at(k, j));
    wText += test::laneBits(row, b);
  }
  for (int i = 0; i < m; ++i) {
    std::vector<int64_t> x(r);
    for (auto& v : x) v = i < 4 ? golden::minValue(b) : d(rng);  // the extreme inverse first
    xText += test::laneBits(std::vector<golden::Wide>(x.begin(), x.end()), b);
    yText += test::laneBits(golden::arrayOutput(x, wt), a);
  }
  // N = reset value 4: batches 4, 4 and the last 2 closed by sanity_batch_close_i; N = 3 written
  // once after reset: 3, 3, 3, 1; N = 0 written: ignored (4, 4, 2). Last: N = 4 with the consumer
  // stalling 9 cycles before the first batch's last result: its report waits for the delivery.
  const int stallCycles = 9;
  for (const auto& [n, we, dones, stall] :
       {std::tuple{4, 0, 3, 0}, std::tuple{3, 1, 4, 0}, std::tuple{0, 1, 3, 0}, std::tuple{4, 0, 3, stallCycles}}) {
    test::WsStreamTb tb{.top = ip.top, .rows = r, .cols = c, .bits = b, .accBits = a, .vectors = m};
    tb.params = fmt::format("localparam int N = {}, WE = {}, STALL = {};", n, we, stall);
    tb.decls = R"(logic [2:0] sanity_batch_i = 3'(N);
  logic sanity_batch_we_i = 0, sanity_batch_close_i = 0, sanity_clear_i = 0;
  logic sanity_tdone_o, sanity_tflag_o, sanity_talarm_o;
  logic [C-1:0] sanity_tpos_o;
  int negs = 0, dones = 0, flags = 0, full_at = -1, gap = -1, held = 0, last_out_at = -1, wait_after = -1;)";
    // The write strobe in the first cycle after reset, before the first vector is offered.
    tb.drive = R"(sanity_batch_we_i = WE != 0 && negs == 0;
    negs++;
    sanity_batch_close_i = sent == M;
    out_ready_i = !(got == FIRST - 1 && held < STALL);
    if (got == FIRST - 1) held++;)";
    tb.inValidGate = "negs > 1 && ";
    tb.xSignals = {"in_ready_o", "out_valid_o", "out_data_o", "sanity_tdone_o", "sanity_tflag_o", "sanity_tpos_o",
                   "sanity_talarm_o"};
    // gap: from the handshake of the first batch's last vector to its report; wait: from the
    // output handshake of its last result to the report.
    tb.params += fmt::format(" localparam int FIRST = {};", n >= 1 ? n : 4);
    tb.check =
        "if (sanity_tdone_o) begin if (dones == 0) begin gap = cycles - full_at; wait_after = cycles - last_out_at; end "
        "dones++; end "
        "if (sanity_tflag_o || sanity_tpos_o != '0) flags++; "
        "if (in_valid_i && in_ready_o && sent == FIRST - 1) full_at = cycles; "
        "if (out_valid_o && out_ready_i && got == FIRST - 1) last_out_at = cycles;";
    tb.done = fmt::format("got == M && dones == {}", dones);
    tb.finish = R"($display("RESULT got=%0d errors=%0d dones=%0d flags=%0d alarm=%0d gap=%0d wait=%0d", got, errors, dones, flags, sanity_talarm_o, gap, wait_after);)";
    test::TempDir dir;
    flow::writePackageAtomically(flow::renderPackage(cfg, ip), dir / "ip");
    test::writeFile(dir / "w.mem", wText);
    test::writeFile(dir / "x.mem", xText);
    test::writeFile(dir / "y.mem", yText);
    const std::string out = test::runIcarus(dir, test::packageRtl(ip), test::wsStreamTb(tb));
    INFO("N " << n << " we " << we << " stall " << stall << "\n" << out);
    // The manifest's figure: the ctrl's valid pipe (latency - 1) + D digits + 1 for the check,
    // D cycles after the last result's output handshake. Stalled: one cycle after that handshake.
    const int digits = tmod::temporalWidths(b, a, 4).digits;
    const int gap = stall ? ip.latencyCycles + stall + 1 : ip.latencyCycles + digits, wait = stall ? 1 : digits;
    CHECK(out.find(fmt::format("RESULT got=10 errors=0 dones={} flags=0 alarm=0 gap={} wait={}", dones, gap, wait)) !=
          std::string::npos);
  }
}

TEST_CASE("temporal campaign: input flips detected, whole-batch weight errors missed (both: detected)",
          "[sanity][temporal][campaign]") {
  test::useTestCache();
  for (const std::string mode : {"temporal", "both"}) {
    const auto cfg = config::loadConfigText("", "t", {"array.rows=3", "array.cols=3", "protect.sanity_max_batch=4",
                                                      "protect.sanity_check=" + mode});
    const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
    INFO(mode);
    // Inputs after the accumulators: the spatial column would miss these.
    for (int bit : {0, 7})
      CHECK(test::listOutcome(model, cfg, "u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q:" + std::to_string(bit) + "@30") ==
            "detected");
    CHECK(test::listOutcome(model, cfg, "u_in_skew.gen_lane[2].gen_regs.gen_chain.stage_q:20@31") == "detected");
    CHECK(test::listOutcome(model, cfg, "u_array.gen_row[2].gen_col[1].u_pe.psum_q:3@30") == "detected");
    // A weight wrong from reset to the end: one of the two stuck values changes it.
    std::set<std::string> weight;
    for (const char* s : {"stuck0", "stuck1"})
      weight.insert(test::listOutcome(model, cfg, std::string("u_array.gen_row[1].gen_col[1].u_pe.weight_q:2@0-end:") + s));
    CHECK(weight == std::set<std::string>{"masked", mode == "temporal" ? "sdc" : "detected"});
  }
}

// The temporal check reads the delivered results (behind the two-entry output buffer). Run 1147
// of the `--multi 2 --kinds out_buf` campaign (seed 32, docs/sanity-check.md): bits 53 and 71 of
// the buffer's head (the sign bits of lanes 2 and 3, 18-bit accumulators) flipped in the same
// cycle change the two results by -2^17 and +2^17, which the spatial sum cannot see. When the
// temporal check read the results in front of the buffer, both modes missed it (sdc).
TEST_CASE("temporal campaign: errors inside the output buffer are detected, also two that cancel in the spatial sum",
          "[sanity][temporal][campaign]") {
  test::useTestCache();
  for (const std::string mode : {"temporal", "both"}) {
    const auto cfg = config::loadConfigText("", "t", {"array.rows=4", "array.cols=4", "protect.sanity_max_batch=8",
                                                      "protect.sanity_check=" + mode});
    const flow::CosimModel model = flow::buildCosimModel(cfg, nullptr, true);
    INFO(mode);
    CHECK(test::listOutcome(model, cfg, "u_out_buf.head_q:53,71@65") == "detected");
    CHECK(test::listOutcome(model, cfg, "u_out_buf.head_q:53@65") == "detected");
  }
}

namespace {

// Flip-flop bits of the temporal output side in Yosys: as written (proc; techmap: one cell per
// bit, nothing merged) and after `synth`, whose opt_merge folds flip-flops with the same inputs.
std::pair<int, int> toutFlopBits(const std::vector<std::string>& sets) {
  const auto cfg = config::loadConfigText("", "t", sets);
  test::TempDir dir;
  flow::writePackageAtomically(flow::renderPackage(cfg, units::buildIp(cfg)), dir / "ip");
  const std::string mod = cfg.ip.name + "_sanity_tout";
  auto count = [&](const std::string& passes) {
    auto r = flow::runProcess({"yosys", "-p", "read_verilog -sv rtl/" + mod + ".sv; hierarchy -top " + mod + "; " + passes + "; stat"},
                              dir / "ip");
    INFO(r.output);
    REQUIRE(r.exitCode == 0);
    // The last statistics printed (synth prints its own before ours).
    const std::string last = r.output.substr(r.output.rfind("=== " + mod + " ==="));
    int n = 0;
    static const std::regex cell(R"(\s+\$_\w*DFF\w*_\s+(\d+))");
    for (std::sregex_iterator it(last.begin(), last.end(), cell), end; it != end; ++it) n += std::stoi((*it)[1]);
    return n;
  };
  return {count("proc; techmap"), count("synth -top " + mod)};
}

}  // namespace

TEST_CASE("temporal synthesis: the output side's per-position select and clear copies survive synthesis",
          "[sanity][temporal][synth]") {
  // One shared select would drive Cols*AccW gates (sky130 64x64: 13.67 ns); identical copies
  // would be merged back into it. Each copy reads itself, so every flip-flop stays.
  for (const auto& sets : {std::vector<std::string>{"array.rows=4", "array.cols=4", "protect.sanity_check=temporal"},
                           std::vector<std::string>{"array.rows=2", "array.cols=5", "data.bits=4", "protect.sanity_check=both",
                                                    "protect.sanity_residue_bits=3"}}) {
    const auto cfg = config::loadConfigText("", "t", sets);
    const int cols = cfg.array.cols, digits = tmod::temporalWidths(cfg.data.bits, cfg.data.accBits, cfg.protect.sanityMaxBatch).digits;
    const auto [written, kept] = toutFlopBits(sets);
    INFO(cfg.ip.name << ": " << written << " written, " << kept << " kept");
    CHECK(written >= 2 * cols * (digits + 1));  // the copies are in the RTL ...
    CHECK(kept == written);                      // ... and none is merged or removed
  }
}
