// IP package rendering (manifest, file list, FuseSoC core, synthesis scripts) and atomic writing.
#include "flow/Package.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "config/KeyRow.h"
#include "flow/FileIo.h"
#include "flow/Integration.h"
#include "flow/Synth.h"
#include "ir/SvNames.h"
#include "ir/SvPrinter.h"
#include "protect/ProtectionUnit.h"

namespace ftaccel::flow {

namespace fs = std::filesystem;

std::string regenerateCommand(const config::Config& cfg, const units::BuildOptions& variant) {
  const config::Config def = config::loadConfig(std::nullopt);
  std::string cmd = "ftaccel generate";
  if (variant.faultPorts) cmd += " --fault-injection";
  for (const config::KeyRow& r : config::keyTable()) {
    const bool named = r.inRegenerate ? r.inRegenerate(cfg, def) : r.get(cfg) != r.get(def);
    if (named) cmd += fmt::format(" --set {}={}", r.path, config::setText(r.get(cfg)));
  }
  return cmd + " --out DIR";
}

std::string packageHash(const config::Config& cfg, const units::BuildOptions& variant) {
  if (!variant.faultPorts) return cfg.hash();
  // FNV-1a 64 like Config::hash, over the config hash and the variant's name.
  const std::string text =
      cfg.hash() + (variant.timingPorts ? "fault-injection" : "fault-injection-without-timing");
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

namespace {

// Back-pressure, the same for every dataflow (units/OutBuffer.h).
constexpr const char* kBackpressure =
    "out_valid_o and out_data_o (the head of a two-entry output buffer, a register) hold until "
    "out_ready_i; the pipeline advance is a register: whether the datapath and the input stream "
    "advance in cycle t+1 is decided from the state and out_ready_i in cycle t, and they stop "
    "only when the buffer is full and the last pipeline stage holds a result, so with "
    "out_ready_i high the IP takes one input per cycle";

// OS has one beat stream and no load port.
nlohmann::json osProtocol(const config::Config& cfg) {
  return {{"clock", "clk_i, rising edge; rst_ni asynchronous, active low"},
          {"streams", "valid/ready: a beat transfers on a rising edge with valid and ready high"},
          {"in", "one reduction step k per beat: in_x_i lane r = X[b=r][k], in_w_i lane c = W[k][c]; "
                 "in_last_i on the tile's last step; at most array.max_k steps per tile"},
          {"tile_spacing", "a tile's last beat is taken no sooner than rows cycles after the "
                           "previous one (shorter tiles get bubbles)"},
          {"out", fmt::format("rows result rows per tile, row 0 first; lane c = y[r][c] = "
                              "sum_k X[r][k]*W[k][c], signed, exact, {} bits",
                              cfg.data.accBits)},
          {"backpressure", kBackpressure},
          {"combinational_paths", "in_valid_i, in_last_i -> in_ready_o; out_ready_i reaches "
                                  "registers only (the pipeline advance is registered)"}};
}

}  // namespace

// Every flip-flop of the IP with its place in the simulation variant's fi_xor_i/fi_clr_i buses
// (ftaccel campaign uses the same table). The production RTL has no injection logic. Sites are
// rows of `site_columns`, printed one per line (a 64x64 array has 20k of them).
nlohmann::json faultSitesJson(const config::Config& cfg) {
  units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true});
  nlohmann::json sites = nlohmann::json::array();
  std::map<std::string, nlohmann::json> kinds;
  for (const auto& s : fi.faultSites) {
    nlohmann::json row = nlohmann::json::array({sites.size(), s.path, s.width, s.offset, s.kind});
    row.push_back(s.peRow < 0 ? nlohmann::json(nullptr) : nlohmann::json(s.peRow));
    row.push_back(s.peCol < 0 ? nlohmann::json(nullptr) : nlohmann::json(s.peCol));
    sites.push_back(row);
    auto& k = kinds[s.kind];
    if (k.is_null()) k = {{"sites", 0}, {"bits", 0}};
    k["sites"] = k["sites"].get<int>() + 1;
    k["bits"] = k["bits"].get<int>() + s.width;
  }
  return {{"variant_top", fi.top},
          {"buses", "fi_xor_i flips and fi_clr_i clears register bits at the next rising edge "
                    "((d & ~clr) ^ xor); site bit b is bus bit offset + b"},
          {"alarms", fi.alarmPorts},
          {"bits", fi.faultBits},
          {"kinds", kinds},
          {"site_columns", {"id", "path", "width", "offset", "kind", "pe_row", "pe_col"}},
          {"sites", sites}};
}

namespace {

// dump(2), except that the fault-site rows take one line each.
std::string formatManifest(nlohmann::json manifest) {
  nlohmann::json sites = std::move(manifest["fault_injection"]["sites"]);
  const std::string marker = "@sites@";
  manifest["fault_injection"]["sites"] = marker;
  std::string text = manifest.dump(2);
  std::string rows = "[";
  for (size_t i = 0; i < sites.size(); ++i) rows += (i ? ",\n      " : "\n      ") + sites[i].dump();
  rows += sites.empty() ? "]" : "\n    ]";
  const size_t at = text.find("\"" + marker + "\"");
  FTACCEL_ASSERT(at != std::string::npos);
  return text.replace(at, marker.size() + 2, rows) + "\n";
}

}  // namespace

namespace {

// Flow-controlling PEs (array.pe, docs/sparsity.md): the packed format on the ports and the
// bandwidth of the chosen kind.
void addSparsePe(nlohmann::json& manifest, const config::Config& cfg) {
  const int rows = cfg.array.rows, cols = cfg.array.cols, l = cfg.array.groupL, k = cfg.array.groupK;
  const int lBits = config::selectBits(l);
  manifest["pe"] = {
      {"kind", std::string(config::toString(cfg.array.pe))},
      {"group_l", l},
      {"group_k", k},
      {"index_bits", config::peIndexBits(cfg.array)},
      {"index_layout", fmt::format("bits [{}:0] select the activation within the row's group of {}, "
                                   "bits above them the partial sum within the column's group of {}; "
                                   "index = row offset + group_l * column offset",
                                   std::max(lBits - 1, 0), l, k)},
      {"logical_matrix", fmt::format("{} x {} (rows*group_l input channels x cols*group_k output channels)",
                                     rows * l, cols * k)},
      {"input_bandwidth_activations_per_cycle", rows * l},
      {"output_bandwidth_partial_sums_per_cycle", cols * k},
      {"dense_equivalent_macs_per_cycle", rows * l * cols * k},
      {"dense_layer", "pack with --dense: every weight at index 0 of its group (activations on lanes "
                      "r*group_l, results on lanes c*group_k)"},
      {"packer", "ftaccel pack (docs/sparsity.md)"}};
  manifest["protocol"]["in"] = fmt::format(
      "one activation vector per beat: rows*group_l = {} lanes, lane j = input channel j; PE row r "
      "selects within lanes r*{} .. r*{}+{}", rows * l, l, l, l - 1);
  manifest["protocol"]["wload"] = fmt::format(
      "one packed weight row per beat, row 0 first: lane c of wload_data_i is the value, lane c of "
      "wload_idx_i ({} bits) its index; rows beats per matrix; loading overlaps computation",
      config::peIndexBits(cfg.array));
  manifest["protocol"]["out"] = fmt::format(
      "one result vector per beat: cols*group_k = {} lanes, lane j = output channel j = "
      "sum_i x[i]*W[i][j] of the unpacked {} x {} matrix, signed, exact", cols * k, rows * l, cols * k);
  manifest["throughput"]["dense_equivalent_macs_per_cycle"] = rows * l * cols * k;
  manifest["mapping"] = "packed weight (r, c) -> PE(r, c); shift 0 (groups must not cross tiles)";
}

}  // namespace

nlohmann::json buildManifest(const config::Config& cfg, const units::IpDesign& ip) {
  const units::StreamPortNames sp = units::streamPortNames(cfg.array.dataflow);
  const bool isIs = cfg.array.dataflow == config::Dataflow::IS;
  nlohmann::json ports = nlohmann::json::array();
  for (const auto& p : ip.ports)
    ports.push_back({{"name", p.name},
                     {"direction", p.dir == ir::Dir::In ? "input" : "output"},
                     {"width", p.width},
                     {"group", p.group},
                     {"description", p.description}});
  nlohmann::json modules = nlohmann::json::array();
  for (const auto& m : ip.modules)
    modules.push_back({{"name", m.module.name},
                       {"file", "rtl/" + m.module.name + ".sv"},
                       {"children", m.children}});
  nlohmann::json manifest = {
      {"generator", {{"name", "ftaccel"}, {"version", FTACCEL_VERSION}}},
      {"config", cfg.toJson()},
      {"config_hash", cfg.hash()},
      {"top", ip.top},
      {"modules", modules},
      {"file_list", ip.top + ".f"},
      {"ports", ports},
      {"protocol",
       {{"clock", "clk_i, rising edge; rst_ni asynchronous, active low"},
        {"streams", "valid/ready: a beat transfers on a rising edge with valid and ready high"},
        {sp.stream, isIs ? "one weight vector per beat (one output channel co); lane r = W[r][co], signed"
                          : "one activation vector per beat; lane r = in_data_i[r*bits +: bits], signed"},
        {sp.load, isIs ? "one input row per beat, row 0 first; lane c of beat k is X[batch c][channel k]; "
                         "rows beats per tile; loading overlaps computation"
                       : "one weight row per beat, row 0 first; lane c of beat k is W[k][c]; "
                         "rows beats per matrix; loading overlaps computation"},
        {sp.swap, fmt::format(
                      "set on the first streamed vector of a batch: it and all later vectors use the "
                      "stationary operand whose load completed since the previous swap. With no such "
                      "load the stream's ready stays low while a load is in progress or offered "
                      "({0}_valid_i) until its last beat; with none in progress or offered the swap "
                      "is a no-op that keeps the active operand. A load, once offered, must be "
                      "completed without waiting for {1}_ready_o",
                      sp.load, sp.stream)},
        {"out", isIs ? "one result vector per streamed weight vector; lane c = y[batch c][co] = "
                       "sum_k X[c][k]*W[k][co], signed, exact"
                     : "one result vector per beat; lane c = out_data_o[c*acc_bits +: acc_bits] = "
                       "sum_k x[k]*W[k][c], signed, exact"},
        {"backpressure", kBackpressure},
        {"combinational_paths",
         fmt::format("{0}_valid_i, {2} -> {0}_ready_o, {1}_ready_o; {1}_valid_i -> {0}_ready_o; "
                     "out_ready_i reaches registers only (the pipeline advance is registered)",
                     sp.stream, sp.load, sp.swap)}}},
      {"dataflow", std::string(config::toString(cfg.array.dataflow))},
      {"mapping", isIs ? "eq. 10.4: input (b, c_i) -> PE(row c_i mod rows, column b mod cols)"
                       : "eq. 10.3: weight (c_o, c_i) -> PE(row c_i mod rows, column c_o mod cols)"},
      {"latency",
       {{"cycles", ip.latencyCycles},
        {"formula", ip.latencyFormula},
        {"definition", "rising edges from the input handshake to the output handshake of the "
                       "same vector when out_ready_i stays high"},
        {"batch_formula", ip.batchFormula},
        {"batch_definition", "cycles from the first input handshake to the last output "
                             "handshake of M back-to-back vectors, consumer always ready"}}},
      {"throughput", {{"vectors_per_cycle", 1}, {"macs_per_cycle", cfg.array.rows * cfg.array.cols}}},
      {"accumulator",
       {{"bits", cfg.data.accBits},
        {"min_bits", config::minAccBits(cfg.data.bits, config::reductionLength(cfg))},
        {"min_bits_formula", cfg.array.dataflow == config::Dataflow::OS
                                 ? "floor(log2(max_k)) + 2*bits"
                                 : "floor(log2(rows)) + 2*bits"}}},
      {"weight_load",
       {{"beats", ip.weightLoadBeats},
        {"min_batch_without_stall", ip.minStallFreeBatch},
        {"min_batch_formula", ip.minStallFreeBatchFormula},
        {"definition", "a reload overlaps the running batch completely when every batch has at "
                       "least this many vectors (the first load of all costs rows cycles)"}}},
  };
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    if (const std::string note = unit->throughputNote(cfg); !note.empty())
      manifest["throughput"][std::string(unit->name())] = note;
  manifest["fault_injection"] = faultSitesJson(cfg);
  if (cfg.array.dataflow == config::Dataflow::OS) {
    manifest["protocol"] = osProtocol(cfg);
  }
  manifest["protocol"]["result_bound"] = fmt::format(
      "every accepted {} has its output handshake at most latency.cycles{} + s + {} cycles after "
      "its input handshake{}, where s counts the cycles in between with out_valid_o high and "
      "out_ready_i low; with out_ready_i always high a result is never later than latency + {} "
      "(checked by ftaccel sim --protocol-fuzz)",
      cfg.array.dataflow == config::Dataflow::OS ? "tile's result row r" : "vector's result",
      cfg.array.dataflow == config::Dataflow::OS ? " + r" : "", units::PipelineModel::kResultBoundSlack,
      cfg.array.dataflow == config::Dataflow::OS ? " (the tile's last beat)" : "",
      units::PipelineModel::kResultBoundSlack);
  // Every registered protection unit states its protocol, or how to enable it.
  for (const protect::ProtectionUnit* unit : protect::registry())
    manifest["protocol"][std::string(unit->name())] = unit->protocol(cfg);
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    manifest["protocol"][std::string(unit->name())] = unit->protocol(cfg);
  if (cfg.array.dataflow == config::Dataflow::OS) {
    manifest["mapping"] = "eq. 10.5: output (c_o, b) -> PE(row b mod rows, column c_o mod cols)";
    manifest["latency"]["definition"] =
        "rising edges from the handshake of a tile's last beat to its first result row";
    manifest["latency"]["batch_definition"] = "first beat of a tile to its last result row";
    manifest.erase("weight_load");
    manifest["tile"] = {{"min_beats_without_bubbles", ip.minStallFreeBatch},
                        {"max_beats", cfg.array.maxK}};
  }
  if (cfg.array.pe != config::PeKind::Dense) addSparsePe(manifest, cfg);
  return manifest;
}

namespace {

std::string fileList(const units::IpDesign& ip) {
  std::string out;
  for (const auto& m : ip.modules) out += "rtl/" + m.module.name + ".sv\n";
  return out;
}

// The simulation-only variant has no constraints fileset and no synth target.
std::string fuseSocCore(const config::Config& cfg, const units::IpDesign& ip,
                        const units::BuildOptions& variant) {
  std::string files;
  for (const auto& m : ip.modules) files += fmt::format("      - rtl/{}.sv\n", m.module.name);
  const std::string constraints = variant.faultPorts ? "" : fmt::format(
      "  constraints:\n"
      "    files:\n"
      "      - constraints/{}.sdc\n"
      "    file_type: SDC\n", ip.top);
  const std::string synthTarget = variant.faultPorts ? "" : fmt::format(
      "  synth:\n"
      "    default_tool: yosys\n"
      "    filesets: [rtl, constraints]\n"
      "    toplevel: {}\n", ip.top);
  return fmt::format(
      "CAPI=2:\n"
      "# generated by ftaccel {ver} - do not edit; config hash {hash}\n"
      "name: ftaccel:ip:{top}:{ver}\n"
      "description: ftaccel {df} systolic array {r}x{c}, {b}-bit data, {a}-bit results\n\n"
      "filesets:\n"
      "  rtl:\n"
      "    files:\n{files}"
      "    file_type: systemVerilogSource\n"
      "{constraints}\n"
      "targets:\n"
      "  default:\n"
      "    filesets: [rtl]\n"
      "    toplevel: {top}\n"
      "  lint:\n"
      "    default_tool: verilator\n"
      "    filesets: [rtl]\n"
      "    toplevel: {top}\n"
      "    tools:\n"
      "      verilator:\n"
      "        mode: lint-only\n"
      "        verilator_options: [-Wall]\n"
      "{synth}",
      fmt::arg("ver", FTACCEL_VERSION), fmt::arg("hash", packageHash(cfg, variant)),
      fmt::arg("top", ip.top),
      fmt::arg("df", config::toString(cfg.array.dataflow)), fmt::arg("r", cfg.array.rows),
      fmt::arg("c", cfg.array.cols), fmt::arg("b", cfg.data.bits), fmt::arg("a", cfg.data.accBits),
      fmt::arg("files", files), fmt::arg("constraints", constraints),
      fmt::arg("synth", synthTarget));
}

SynthRequest packageSynthRequest(const config::Config& cfg, const units::IpDesign& ip) {
  SynthRequest req;
  req.ipDir = ".";
  req.top = ip.top;
  req.clockNs = cfg.synth.clockNs;
  req.goal = cfg.synth.goal;
  for (const auto& m : ip.modules)
    req.modules.push_back({m.module.name, "rtl/" + m.module.name + ".sv", m.children});
  return req;
}

std::string scriptBanner(const config::Config& cfg, const char* comment) {
  return fmt::format("{0} generated by ftaccel {1} - do not edit\n{0} config hash: {2}\n",
                     comment, FTACCEL_VERSION, cfg.hash());
}

// The legalization step for every emitted name: module names derive from ip.name, so a keyword
// among them is the user's choice of ip.name and is reported as such.
void checkEmittedNames(const config::Config& cfg, const units::IpDesign& ip) {
  diag::DiagnosticBag diags;
  for (const auto& m : ip.modules)
    for (const auto& name : ir::illegalNames(m.module))
      diags.error("config.bad-name", diag::Location{"ip.name", 0, 0},
                  fmt::format("'ip.name' = \"{}\" gives the name '{}' in module {}, which is a "
                              "SystemVerilog keyword; choose another ip.name",
                              cfg.ip.name, name, m.module.name));
  if (diags.hasErrors()) throw diag::DiagnosticError(diags);
}

}  // namespace

FileSet renderPackage(const config::Config& cfg, const units::IpDesign& ip,
                      const units::BuildOptions& variant) {
  checkEmittedNames(cfg, ip);
  FileSet files;
  ir::PrintOptions opts;
  opts.generatorVersion = FTACCEL_VERSION;
  opts.configHash = packageHash(cfg, variant);
  opts.regenerateCommand = regenerateCommand(cfg, variant);
  for (const auto& m : ip.modules)
    files["rtl/" + m.module.name + ".sv"] = ir::printModule(m.module, opts);
  files[ip.top + ".f"] = fileList(ip);
  files[ip.top + ".core"] = fuseSocCore(cfg, ip, variant);
  nlohmann::json manifest = buildManifest(cfg, ip);
  if (variant.faultPorts)
    manifest["variant"] = {{"name", "fault-injection"},
                           {"hash", packageHash(cfg, variant)},
                           {"note", "simulation only: no constraints and no synthesis scripts"}};
  if (!variant.faultPorts)
    manifest["integration"] = {
        {"instantiation_template", ip.top + "_inst.svh"},
        {"instantiation_note", "signal declarations and the top's instantiation, one comment per "
                               "port; not in the .f file: paste or `include it into a module body"},
        {"timing_diagram", ip.top + "_timing.json"},
        {"timing_note", "WaveDrom: reset, a load and swap, streamed beats and their results with one "
                        "back-pressure cycle; render with wavedrom-cli"},
        {"assertions", "the top's interface assertions (valid and beat held until ready, outputs "
                       "never unknown) are compiled unless SYNTHESIS or FTACCEL_NO_ASSERT is "
                       "defined"}};
  files["manifest.json"] = formatManifest(manifest);
  if (variant.faultPorts) return files;
  {
    const std::string banner = fmt::format("// generated by ftaccel {} - do not edit\n// config hash: {}\n"
                                           "// regenerate: {}\n",
                                           FTACCEL_VERSION, opts.configHash, opts.regenerateCommand);
    files[ip.top + "_inst.svh"] = instantiationTemplate(cfg, ip, banner);
    files[ip.top + "_timing.json"] = timingDiagram(cfg, ip).dump(2) + "\n";
  }
  files["constraints/" + ip.top + ".sdc"] =
      scriptBanner(cfg, "#") + sdcText("clk_i", cfg.synth.clockNs);
  // Per-module Yosys scripts for the built-in technology, runnable from the package root:
  //   yosys -s synth/<module>.ys
  files["synth/lib/ftaccel_generic.lib"] = std::string(genericLiberty());
  SynthRequest req = packageSynthRequest(cfg, ip);
  for (const auto& m : req.modules)
    files["synth/" + m.name + ".ys"] =
        scriptBanner(cfg, "#") + yosysModuleScript(req, m, "synth/lib/ftaccel_generic.lib",
                                                   "synth/out/" + m.name + ".v");
  return files;
}

void writePackageAtomically(const FileSet& files, const fs::path& outDir) {
  diag::DiagnosticBag diags;
  auto fail = [&](const std::string& msg) {
    diags.error("output.unwritable", diag::Location{outDir.string(), 0, 0}, msg);
    throw diag::DiagnosticError(diags);
  };
  std::error_code ec;
  fs::path target = fs::absolute(outDir, ec);
  if (ec) fail("cannot resolve the output path");
  fs::path parent = target.parent_path();
  if (fs::exists(target, ec)) {
    if (!fs::is_directory(target, ec)) fail("--out exists and is not a directory");
    bool empty = fs::is_empty(target, ec);
    bool earlierPackage = fs::exists(target / "manifest.json", ec);
    if (!empty && !earlierPackage)
      fail("--out is a non-empty directory that is not an ftaccel package; refusing to replace "
           "it (choose a new or empty directory)");
  } else if (!fs::is_directory(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) fail(fmt::format("cannot create the parent directory: {}", ec.message()));
  }
  std::random_device rd;
  fs::path tmp = parent / fmt::format(".{}.tmp-{:08x}", target.filename().string(), rd());
  fs::create_directory(tmp, ec);
  if (ec) fail(fmt::format("cannot write into {}: {}", parent.string(), ec.message()));
  try {
    for (const auto& [rel, content] : files) writeFile(tmp / rel, content);
    fs::path old;
    if (fs::exists(target)) {
      old = parent / fmt::format(".{}.old-{:08x}", target.filename().string(), rd());
      fs::rename(target, old);
    }
    fs::rename(tmp, target);
    if (!old.empty()) fs::remove_all(old);
  } catch (const std::exception& e) {
    fs::remove_all(tmp, ec);
    fail(fmt::format("writing the package failed: {}", e.what()));
  }
}

}  // namespace ftaccel::flow
