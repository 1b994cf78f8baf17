// Fault-injection campaigns: validates the request, builds the simulation variant once (cached)
// and runs the harness's campaign engine, which appends JSON Lines records (docs/campaign-format.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "contract/CampaignOptionsJson.h"
#include "flow/Cosim.h"

namespace ftaccel::flow {

// What `ftaccel campaign` asks for: the harness contract plus the user's shard specification.
// `run.inject` may name sites by path and `run.out`/`run.timingTable` may be relative; the
// harness gets them resolved (validateCampaign).
struct CampaignRequest {
  contract::CampaignOptions run;
  std::string shard = "0/1";  // i/n: this process runs the fault indices k with k % n == i
};

struct CampaignRun {
  contract::CampaignStats stats;  // what the engine printed: rate, pruned, cycles, ...
  int exitCode = 0;
};

// Checks everything that can be checked before building anything; throws diag::DiagnosticError
// naming the flag (and the site/bit/cycle) at fault. Returns the options the harness gets:
// shard parsed, --inject site names replaced by site ids, absolute paths, the config hash.
contract::CampaignOptions validateCampaign(const config::Config& cfg, const CampaignRequest& request);

// Writes the options as one JSON file into a fresh temporary directory and runs
// `cosim campaign --options FILE`, which appends records to options.out.
CampaignRun runCampaign(const CosimModel& model, const contract::CampaignOptions& options);

}  // namespace ftaccel::flow
