// Campaign requests: validation on the generator side, execution in the co-simulation harness.
#include "flow/Campaign.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "diag/Diagnostics.h"
#include "fault/ResultsLock.h"
#include "fault/TimingTable.h"
#include "flow/FileIo.h"
#include "flow/Process.h"
#include "units/IpDesign.h"

namespace ftaccel::flow {

namespace {

[[noreturn]] void bad(const std::string& flag, const std::string& message) {
  diag::throwError("campaign.bad-option", diag::Location{flag, 0, 0}, message);
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t p = 0;
  while (true) {
    size_t e = s.find(sep, p);
    out.push_back(s.substr(p, e == std::string::npos ? std::string::npos : e - p));
    if (e == std::string::npos) break;
    p = e + 1;
  }
  return out;
}

long parseNumber(const std::string& text, const std::string& what, const std::string& part) {
  try {
    size_t used = 0;
    long v = std::stol(text, &used);
    if (used == text.size() && v >= 0) return v;
  } catch (const std::logic_error&) {
  }
  bad("--inject " + part, fmt::format("{} '{}' is not a non-negative integer", what, text));
}

// SITE:BITS@CYCLE[-CYCLE|-end][:EFFECT] with SITE a hierarchical name or a numeric id from the
// manifest, BITS a comma list or a range LO-HI.
std::string resolveInject(const units::IpDesign& fi, const std::string& spec) {
  std::map<std::string, int> byName;
  for (size_t i = 0; i < fi.faultSites.size(); ++i) byName[fi.faultSites[i].path] = (int)i;
  std::string out;
  for (const std::string& part : split(spec, ';')) {
    if (part.empty()) continue;
    const size_t at = part.rfind('@');
    const size_t colon = part.rfind(':', at);
    if (at == std::string::npos || colon == std::string::npos)
      bad("--inject " + part, "expected SITE:BITS@CYCLE[-CYCLE|-end][:flip|stuck0|stuck1]");
    const std::string site = part.substr(0, colon), bits = part.substr(colon + 1, at - colon - 1);
    std::string when = part.substr(at + 1), effect = "flip";
    if (size_t c = when.find(':'); c != std::string::npos) {
      effect = when.substr(c + 1);
      when = when.substr(0, c);
    }
    if (effect != "flip" && effect != "stuck0" && effect != "stuck1")
      bad("--inject " + part, "effect must be flip, stuck0 or stuck1, not '" + effect + "'");
    int id = -1;
    if (auto it = byName.find(site); it != byName.end()) id = it->second;
    else if (!site.empty() && site.find_first_not_of("0123456789") == std::string::npos) {
      // Compared before narrowing: a huge id must not wrap to a negative index.
      const long n = parseNumber(site, "site id", part);
      if (n >= static_cast<long>(fi.faultSites.size()))
        bad("--inject " + part, fmt::format("site id {} out of range 0..{}", n, fi.faultSites.size() - 1));
      id = static_cast<int>(n);
    } else {
      bad("--inject " + part, fmt::format("unknown fault site '{}' (the manifest's fault_injection.sites "
                                          "lists all {} sites)", site, fi.faultSites.size()));
    }
    const int width = fi.faultSites[id].width;
    std::vector<long> bitList;
    for (const std::string& b : split(bits, ',')) {
      const size_t dash = b.find('-');
      long lo = parseNumber(b.substr(0, dash), "bit", part);
      long hi = dash == std::string::npos ? lo : parseNumber(b.substr(dash + 1), "bit", part);
      if (hi < lo || hi >= width)
        bad("--inject " + part, fmt::format("bit {} out of range 0..{} of {}", hi < lo ? lo : hi, width - 1,
                                            fi.faultSites[id].path));
      for (long v = lo; v <= hi; ++v) bitList.push_back(v);
    }
    const auto cycles = split(when, '-');
    if (cycles.size() > 2) bad("--inject " + part, "cycle range is C or C0-C1 or C0-end");
    long c0 = parseNumber(cycles[0], "cycle", part);
    std::string c1 = cycles.size() == 2 ? cycles[1] : std::to_string(c0);
    if (c1 != "end" && parseNumber(c1, "cycle", part) < c0)
      bad("--inject " + part, "the cycle range ends before it starts");
    if (effect == "flip" && c1 != std::to_string(c0))
      bad("--inject " + part, "a flip happens at one cycle; use stuck0/stuck1 for a range");
    std::string ids;
    for (long b : bitList) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(b);
    }
    out += fmt::format("{}{}:{}@{}-{}:{}", out.empty() ? "" : ";", id, ids, c0, c1, effect);
  }
  if (out.empty()) bad("--inject", "no injection given");
  return out;
}

// The results file must be writable and not in use by another campaign: checked before the
// model is built (the harness itself holds the lock for the whole run). A file created only
// for the check is removed again.
void checkResultsFile(const std::filesystem::path& out) {
  std::error_code ec;
  const bool existed = std::filesystem::exists(out, ec);
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    bad("--out " + out.string(), fmt::format("cannot open the results file for appending: {}", std::strerror(errno)));
  const std::string refused = fault::lockResultsFile(fd, out.string());
  ::close(fd);  // releases the probe's lock
  if (!existed) std::filesystem::remove(out, ec);
  if (!refused.empty()) bad("--out " + out.string(), refused);
}

// mem-*: weight words on the WS load beat; the word is the parity unit's when the IP has one.
void checkMemoryModel(const config::Config& cfg, contract::CampaignOptions& o) {
  const bool memory = o.model.rfind("mem-", 0) == 0;
  if (!memory) {
    if (o.memoryWord) bad("--memory-word", "--memory-word needs a memory model (mem-seu, mem-mbu, mem-ber)");
    if (o.memoryBer > 0) bad("--memory-ber", "--memory-ber needs --model mem-ber");
    return;
  }
  if (cfg.array.dataflow != config::Dataflow::WS)
    bad("--model " + o.model, "memory faults hit the weight load port of a WS IP; this IP is " +
                                  std::string(config::toString(cfg.array.dataflow)));
  const auto& wp = cfg.protect.weightParity;
  if (wp.enable && o.memoryWord && o.memoryWord != wp.wordWeights)
    bad("--memory-word", fmt::format("the IP checks words of protect.weight_parity.word_weights = {} weights; "
                                     "allowed: {}", wp.wordWeights, wp.wordWeights));
  if (!o.memoryWord) o.memoryWord = wp.enable ? wp.wordWeights : cfg.array.cols;
  if (cfg.array.cols % o.memoryWord)
    bad("--memory-word", fmt::format("{} weights per word do not divide the load beat of array.cols = {}",
                                     o.memoryWord, cfg.array.cols));
  if (o.model == "mem-ber" && !(o.memoryBer > 0)) bad("--memory-ber", "--model mem-ber needs --memory-ber P > 0");
}

}  // namespace

contract::CampaignOptions validateCampaign(const config::Config& cfg, const CampaignRequest& request) {
  contract::CampaignOptions o = request.run;
  const auto& models = contract::campaignModels();
  if (std::find(models.begin(), models.end(), o.model) == models.end())
    bad("--model", "unknown model '" + o.model + "'; allowed: seu, mbu, stuck, pe, timing, list, mem-seu, "
                   "mem-mbu, mem-ber");
  if (cfg.array.pe != config::PeKind::Dense && o.model.rfind("mem-", 0) == 0)
    bad("--model " + o.model, fmt::format("memory faults are not modeled for the packed weights of array.pe = "
                                          "\"{}\" (the stored image would include the index bits)",
                                          config::toString(cfg.array.pe)));
  checkMemoryModel(cfg, o);
  if (cfg.array.dataflow == config::Dataflow::OS && o.vectors > cfg.array.maxK)
    bad("--vectors", fmt::format("an OS tile of {} steps exceeds array.max_k = {}", o.vectors, cfg.array.maxK));
  char extra = 0;
  if (std::sscanf(request.shard.c_str(), "%d/%d%c", &o.shardIndex, &o.shardCount, &extra) != 2 ||
      o.shardCount < 1 || o.shardIndex < 0 || o.shardIndex >= o.shardCount)
    bad("--shard " + request.shard, "expected i/n with 0 <= i < n, e.g. 0/4");
  if (o.out.empty()) bad("--out", "an output file is required");
  o.out = std::filesystem::absolute(o.out).string();
  if (o.model == "timing") {
    if (o.timingTable.empty()) bad("--timing-table", "the timing model needs an error table");
    fault::TimingTable t;
    try {
      t = fault::loadTimingTable(o.timingTable);
    } catch (const std::exception& e) {
      diag::throwError("campaign.timing-table", std::nullopt, e.what());
    }
    if (t.dataBits != cfg.data.bits)
      bad("--timing-table " + o.timingTable,
          fmt::format("the table is for {}-bit operands, the IP has data.bits = {}", t.dataBits, cfg.data.bits));
  }
  if (!o.timingTable.empty()) o.timingTable = std::filesystem::absolute(o.timingTable).string();
  o.configHash = cfg.hash();
  if (o.model != "list" && !o.inject.empty()) bad("--inject", "--inject needs --model list");
  if (o.model == "list" && o.inject.empty()) bad("--inject", "--model list needs --inject");
  if (o.model == "list") o.inject = resolveInject(units::buildIp(cfg, units::BuildOptions{true}), o.inject);
  if (!o.kinds.empty()) {
    if (o.model != "seu" && o.model != "mbu" && o.model != "stuck") bad("--kinds", "--kinds needs --model seu, mbu or stuck");
    const units::IpDesign fi = units::buildIp(cfg, units::BuildOptions{true});
    std::set<std::string> known;
    for (const auto& s : fi.faultSites) known.insert(s.kind);
    for (size_t p = 0; p <= o.kinds.size();) {
      const size_t e = std::min(o.kinds.find(',', p), o.kinds.size());
      const std::string kind = o.kinds.substr(p, e - p);
      if (!known.count(kind)) {
        std::string all;
        for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
        bad("--kinds " + o.kinds, fmt::format("no fault site of kind '{}' in this IP; kinds: {}", kind, all));
      }
      p = e + 1;
    }
  }
  checkResultsFile(o.out);  // last: everything else about the request is right
  return o;
}

CampaignRun runCampaign(const CosimModel& model, const contract::CampaignOptions& o) {
  const TempDir tmp("ftaccel-campaign");
  const std::filesystem::path optionsFile = tmp.path() / "options.json";
  writeFile(optionsFile, nlohmann::json(o).dump(2) + "\n");
  const std::vector<std::string> argv = {model.executable.string(), "campaign", "--options", optionsFile.string()};
  // stderr (progress, errors) goes straight to the user.
  raiseStackLimit();
  ProcessResult r = runProcess(argv, model.dir, "-");
  CampaignRun run;
  run.exitCode = r.exitCode;
  if (r.exitCode == 2)
    diag::throwError("campaign.rejected", std::nullopt, "the campaign engine rejected the request (see above)");
  if (r.exitCode == 3)
    throw std::runtime_error("the campaign stopped: its results file could not be written (see above)");
  try {
    run.stats = nlohmann::json::parse(r.output).get<contract::CampaignStats>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(
        fmt::format("campaign engine printed no result (exit {}, {}): {}", r.exitCode, e.what(), r.output));
  }
  return run;
}

}  // namespace ftaccel::flow
