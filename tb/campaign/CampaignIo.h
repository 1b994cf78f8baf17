// The campaign engine's JSON side: the options file, the result lines and the resume scan.
// Declared here without nlohmann-json and compiled once in tb/CampaignIo.cpp (a generic
// harness object shared by every model), so a model's own Campaign.cpp does not parse the JSON
// library: it cost about a third of every fault-injection model's build.
#pragma once

#include <set>
#include <string>

#include "contract/CampaignOptions.h"
#include "contract/CampaignRecord.h"

namespace ftaccel::campaign {

// "campaign: error: MSG" on stderr, exit 2.
[[noreturn]] void fail(const std::string& msg);

// `cosim campaign --options FILE`: the options as flow::validateCampaign checked them.
contract::CampaignOptions readCampaignOptions(int argc, char** argv);

// The bytes of each line as docs/campaign-format.md documents them (newline included).
std::string headerText(const contract::CampaignHeader& h);
std::string faultFreeText(const contract::FaultFreeRecord& f);
std::string faultText(const contract::FaultRecord& r);
std::string statsText(const contract::CampaignStats& s);  // one JSON object, no newline

// Reads an existing results file `out`: checks that it belongs to the campaign `expected`
// describes, drops a cut-off last line, and returns the fault indices already recorded;
// `fresh` is set when the file is missing or empty.
std::set<long> resumeResults(const std::string& out, const contract::CampaignHeader& expected, bool& fresh);

}  // namespace ftaccel::campaign
