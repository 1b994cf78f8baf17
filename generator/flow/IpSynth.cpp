// Whole-IP synthesis and the overhead of each protection against its unprotected baseline.
#include "flow/IpSynth.h"

#include <unistd.h>

#include <fmt/format.h>

#include "flow/Package.h"
#include "protect/ProtectionUnit.h"
#include "units/IpDesign.h"
#include "units/Units.h"

namespace ftaccel::flow {

namespace fs = std::filesystem;

namespace {

const ir::Port* findPort(const ir::Module& m, const std::string& name) {
  for (const auto& p : m.ports)
    if (p.name == name) return &p;
  return nullptr;
}

// The global enable as the top wires it: the signal on the children's enable port and the child
// output that drives it. Nothing when the top has no such single source.
std::optional<EnableNetSpec> enableNetOf(const units::IpDesign& ip) {
  const std::string sinkPort = units::clockPorts(true).back().name;
  std::map<std::string, const ir::Module*> byName;
  for (const auto& m : ip.modules) byName[m.module.name] = &m.module;
  const ir::Module& top = *byName.at(ip.top);
  std::vector<const ir::Instance*> instances;
  for (const auto& item : top.items)
    if (const auto* inst = std::get_if<ir::Instance>(&item)) instances.push_back(inst);
  std::string net;
  for (const auto* inst : instances)
    for (const auto& [formal, actual] : inst->ports)
      if (formal == sinkPort) net = actual;
  if (net.empty()) return std::nullopt;
  EnableNetSpec spec;
  spec.sinkPort = sinkPort;
  for (const auto* inst : instances) {
    const auto it = byName.find(inst->module);
    if (it == byName.end()) continue;
    for (const auto& [formal, actual] : inst->ports) {
      const ir::Port* port = findPort(*it->second, formal);
      if (actual == net && port != nullptr && port->dir == ir::Dir::Out) {
        spec.sourceModule = inst->module;
        spec.sourcePort = formal;
      }
    }
  }
  if (spec.sourceModule.empty()) return std::nullopt;
  for (const auto& m : ip.modules)
    if (m.children.empty() && findPort(m.module, sinkPort) != nullptr)
      spec.sinkModules.push_back(m.module.name);
  return spec;
}

}  // namespace

SynthResult synthesizeIp(const config::Config& cfg, const IpSynthOptions& options,
                         const ProgressFn& progress) {
  units::IpDesign ip = units::buildIp(cfg);
  const bool temporary = options.workDir.empty();
  fs::path work = temporary ? fs::temp_directory_path() /
                                  fmt::format("ftaccel-synth-{}-{}", cfg.hash(), getpid())
                            : options.workDir;
  writePackageAtomically(renderPackage(cfg, ip), work / "ip");
  SynthRequest req;
  req.ipDir = work / "ip";
  req.top = ip.top;
  req.clockNs = cfg.synth.clockNs;
  req.goal = cfg.synth.goal;
  req.flat = options.flat;
  req.enableNet = enableNetOf(ip);
  req.jobs = options.jobs;
  req.workDir = work / "synth";
  req.liberty = options.liberty;
  for (const auto& m : ip.modules)
    req.modules.push_back({m.module.name, "rtl/" + m.module.name + ".sv", m.children});
  SynthResult result = runSynth(req, progress);
  if (temporary) fs::remove_all(work);
  return result;
}

std::vector<std::pair<std::string, config::Config>> baselinesFor(const config::Config& cfg) {
  std::vector<std::pair<std::string, config::Config>> out;
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg)) {
    config::Config base = unit->baseline(cfg);
    base.ip.name = cfg.ip.nameDerived ? config::derivedName(base) : cfg.ip.name + "_base";
    out.emplace_back(std::string(unit->name()), base);
  }
  if (cfg.array.pe != config::PeKind::Dense) {
    config::Config base = cfg;
    base.array.pe = config::PeKind::Dense;
    base.array.groupL = base.array.groupK = 1;
    base.ip.name = cfg.ip.nameDerived ? config::derivedName(base) : cfg.ip.name + "_base";
    out.emplace_back(peKindName(cfg), base);
  }
  return out;
}

std::string peKindName(const config::Config& cfg) {
  const auto& a = cfg.array;
  if (a.pe == config::PeKind::TwoDim) return fmt::format("twodim-{}x{}", a.groupL, a.groupK);
  return fmt::format("{}-{}", config::toString(a.pe), a.groupL * a.groupK);
}

namespace {

// Modules are emitted leaves first with the PE first and the array just before the skews.
const ModuleSynthResult& moduleWithSuffix(const SynthResult& r, const std::string& suffix) {
  for (const auto& m : r.modules)
    if (m.name.size() >= suffix.size() &&
        m.name.compare(m.name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return m;
  throw std::runtime_error("synthesis result has no module ending in " + suffix);
}

double percent(double base, double prot) { return base > 0 ? 100.0 * (prot - base) / base : 0.0; }

// The dissertation's Tables 12.9 (area, power overhead %) and 12.10 (ops/area, ops/power gain)
// for the 8-bit fixed-point MAC; "" for kinds and widths it does not list.
std::string peKindReference(const std::string& kind, int bits) {
  struct Row {
    const char* kind;
    double area, power, opsArea, opsPower;  // opsArea < 0: not in Table 12.10
  };
  static const Row rows[] = {
      {"shortened-8", 14.63, 14.06, 6.98, 7.01},        {"superposition-8", 111.68, 95.85, 12.12, 4.08},
      {"shortened-16", 32.04, 19.59, -1, -1},           {"superposition-16", 229.68, 192.63, 4.85, 5.47},
      {"twodim-4x4", 63.73, 65.67, 9.77, 9.66},         {"shortened-64", 125.36, 36.87, 28.40, 46.76},
      {"superposition-64", 932.12, 609.68, 6.20, 9.02}, {"twodim-8x8", 126.30, 111.75, 28.28, 30.22},
      {"shortened-256", 487.00, 91.71, 43.61, 133.54},  {"twodim-16x16", 261.72, 213.36, 70.77, 81.69},
  };
  if (bits != 8) return "the dissertation's Tables 12.9/12.10 give 8-bit fixed-point (and 32-bit float) MACs only";
  for (const Row& r : rows)
    if (kind == r.kind)
      return fmt::format("dissertation Table 12.9 (8-bit fixed-point MAC unit, not this PE): area +{:.2f} %, "
                         "power +{:.2f} %{}", r.area, r.power,
                         r.opsArea < 0 ? std::string()
                                       : fmt::format("; Table 12.10: ops/area {:.2f}x, ops/power {:.2f}x",
                                                     r.opsArea, r.opsPower));
  return "";
}

}  // namespace

OverheadEntry overheadOf(const std::string& protection, const config::Config& cfg,
                         const SynthResult& base, const SynthResult& prot) {
  OverheadEntry e;
  e.protection = protection;
  const auto& peB = moduleWithSuffix(base, "_pe");
  const auto& peP = moduleWithSuffix(prot, "_pe");
  e.peBase = peB.ownArea;
  e.peProtected = peP.ownArea;
  e.arrayBase = moduleWithSuffix(base, "_array").totalArea;
  e.arrayProtected = moduleWithSuffix(prot, "_array").totalArea;
  e.ipBase = base.totalArea;
  e.ipProtected = prot.totalArea;
  e.pePowerBase = peB.ownPowerW;
  e.pePowerProtected = peP.ownPowerW;
  e.pathBase = peB.criticalPathNs;
  e.pathProtected = peP.criticalPathNs;
  e.ipPowerBase = base.totalPowerW;
  e.ipPowerProtected = prot.totalPowerW;
  e.ipPathBase = base.criticalPathNs;
  e.ipPathProtected = prot.criticalPathNs;
  for (const protect::ProtectionUnit* unit : protect::registry())
    if (unit->name() == protection) e.reference = unit->referenceFigures(cfg);
  if (cfg.array.pe != config::PeKind::Dense && protection == peKindName(cfg)) {
    e.group = cfg.array.groupL * cfg.array.groupK;
    e.reference = peKindReference(protection, cfg.data.bits);
  }
  return e;
}

std::string formatOverhead(const std::vector<OverheadEntry>& entries, const std::string& unit) {
  std::string out = fmt::format("\noverhead of each protection (area in {}):\n", unit);
  out += fmt::format("{:<10} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8} {:>16}\n", "protection", "PE base",
                     "PE prot.", "PE %", "array %", "IP %", "power %", "PE path ns (%)");
  for (const auto& e : entries) {
    const std::string power = e.pePowerBase > 0
                                  ? fmt::format("{:+.2f}", percent(e.pePowerBase, e.pePowerProtected))
                                  : "n/a";
    out += fmt::format("{:<10} {:>12.2f} {:>12.2f} {:>+8.2f} {:>+8.2f} {:>+8.2f} {:>8} {:>6.3f}->{:.3f} ({:+.1f})\n",
                       e.protection, e.peBase, e.peProtected, percent(e.peBase, e.peProtected),
                       percent(e.arrayBase, e.arrayProtected), percent(e.ipBase, e.ipProtected),
                       power, e.pathBase, e.pathProtected, percent(e.pathBase, e.pathProtected));
    // Units outside the PE (input filters) are measured against the array and the whole IP.
    out += fmt::format("  whole IP: area +{:.2f} = {:.3f} % of the array, {:.3f} % of the IP; power {:+.3f} %; "
                       "worst path {:.3f}->{:.3f} ns\n",
                       e.ipProtected - e.ipBase, e.arrayBase > 0 ? 100.0 * (e.ipProtected - e.ipBase) / e.arrayBase : 0.0,
                       percent(e.ipBase, e.ipProtected), percent(e.ipPowerBase, e.ipPowerProtected), e.ipPathBase,
                       e.ipPathProtected);
    if (e.group > 0)
      out += fmt::format("  flow-controlling PE, {} dense-equivalent MACs per PE and cycle: ops/area {:.2f}x, "
                         "ops/power {}, PE path {:+.1f} % (the selection multiplexers sit in the MAC path)\n",
                         e.group, e.peProtected > 0 ? e.group * e.peBase / e.peProtected : 0.0,
                         e.pePowerProtected > 0 ? fmt::format("{:.2f}x", e.group * e.pePowerBase / e.pePowerProtected)
                                                : std::string("n/a"),
                         percent(e.pathBase, e.pathProtected));
    if (!e.reference.empty()) out += fmt::format("  reference: {}\n", e.reference);
  }
  return out;
}

nlohmann::json toJson(const OverheadEntry& e) {
  return {{"protection", e.protection},
          {"pe_area_base", e.peBase},
          {"pe_area_protected", e.peProtected},
          {"pe_area_percent", percent(e.peBase, e.peProtected)},
          {"array_area_base", e.arrayBase},
          {"array_area_protected", e.arrayProtected},
          {"array_area_percent", percent(e.arrayBase, e.arrayProtected)},
          {"ip_area_base", e.ipBase},
          {"ip_area_protected", e.ipProtected},
          {"ip_area_percent", percent(e.ipBase, e.ipProtected)},
          {"pe_power_w_base", e.pePowerBase},
          {"pe_power_w_protected", e.pePowerProtected},
          {"pe_power_percent", percent(e.pePowerBase, e.pePowerProtected)},
          {"pe_path_ns_base", e.pathBase},
          {"pe_path_ns_protected", e.pathProtected},
          {"pe_path_percent", percent(e.pathBase, e.pathProtected)},
          {"ip_power_w_base", e.ipPowerBase},
          {"ip_power_w_protected", e.ipPowerProtected},
          {"ip_power_percent", percent(e.ipPowerBase, e.ipPowerProtected)},
          {"ip_area_percent_of_array", e.arrayBase > 0 ? 100.0 * (e.ipProtected - e.ipBase) / e.arrayBase : 0.0},
          {"ip_path_ns_base", e.ipPathBase},
          {"ip_path_ns_protected", e.ipPathProtected},
          {"reference", e.reference}};
}

nlohmann::json toJsonWithGain(const OverheadEntry& e) {
  nlohmann::json j = toJson(e);
  if (e.group > 0) {
    j["group"] = e.group;
    j["ops_per_area_gain"] = e.peProtected > 0 ? e.group * e.peBase / e.peProtected : 0.0;
    j["ops_per_power_gain"] = e.pePowerProtected > 0 ? e.group * e.pePowerBase / e.pePowerProtected : 0.0;
  }
  return j;
}

}  // namespace ftaccel::flow
