// The campaign engine's JSON side (campaign/CampaignIo.h): model-independent, compiled once.
#include "campaign/CampaignIo.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "contract/CampaignOptionsJson.h"
#include "contract/CampaignRecordJson.h"
#include "contract/OptionsFile.h"

namespace ftaccel::campaign {

void fail(const std::string& msg) {
  std::fprintf(stderr, "campaign: error: %s\n", msg.c_str());
  std::exit(2);
}

contract::CampaignOptions readCampaignOptions(int argc, char** argv) {
  std::string file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("+verilator", 0) == 0) continue;
    if (a == "--options" && i + 1 < argc) file = argv[++i];
    else fail("unknown argument " + a + " (usage: cosim campaign --options FILE)");
  }
  if (file.empty()) fail("usage: cosim campaign --options FILE");
  std::string error;
  const auto read = contract::readOptionsFile<contract::CampaignOptions>(file, error);
  if (!read) fail(error);
  if (const std::string why = contract::checkCampaignOptions(*read); !why.empty()) fail(why);
  return *read;
}

std::string headerText(const contract::CampaignHeader& h) { return contract::headerLine(h); }
std::string faultFreeText(const contract::FaultFreeRecord& f) { return contract::faultFreeLine(f); }
std::string faultText(const contract::FaultRecord& r) { return contract::faultLine(r); }
std::string statsText(const contract::CampaignStats& s) { return nlohmann::json(s).dump(); }

std::set<long> resumeResults(const std::string& out, const contract::CampaignHeader& expected, bool& fresh) {
  const nlohmann::json header = expected;
  std::set<long> done;
  std::ifstream in(out, std::ios::binary);
  fresh = !in || in.peek() == std::ifstream::traits_type::eof();
  if (fresh) return done;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t complete = text.rfind('\n');
  complete = complete == std::string::npos ? 0 : complete + 1;
  if (complete < text.size()) {
    std::fprintf(stderr, "campaign: dropping a cut-off last line of %s (a killed run)\n", out.c_str());
    if (truncate(out.c_str(), (off_t)complete) != 0) fail("cannot truncate " + out);
    text.resize(complete);
  }
  size_t p = 0;
  int line = 0;
  while (p < text.size()) {
    const size_t e = text.find('\n', p);
    const std::string l = text.substr(p, e - p);
    p = e + 1;
    ++line;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(l);
    } catch (const nlohmann::json::exception&) {
      fail(out + ":" + std::to_string(line) + ": not a JSON record");
    }
    if (line == 1) {
      nlohmann::json a = header, b = j;
      for (auto* h : {&a, &b}) h->erase("engine");
      if (j.value("type", "") != "header" || a != b)
        fail(out + " holds results of a different campaign; choose another --out or delete it");
      continue;
    }
    if (j.value("type", "") == "fault") done.insert(j.at("index").get<long>());
  }
  return done;
}

}  // namespace ftaccel::campaign
