// SDC text from the template constraints/ftaccel.sdc.in (embedded at build time).
#include <string>

#include <fmt/format.h>

#include "flow/Synth.h"

namespace ftaccel::embedded {
extern const std::string_view kSdcTemplate;
}

namespace ftaccel::flow {

namespace {

void replaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::string sdcText(const std::string& clockPort, double clockNs) {
  std::string text(embedded::kSdcTemplate);
  replaceAll(text, "@CLOCK_PERIOD_NS@", fmt::format("{}", clockNs));
  replaceAll(text, "@CLOCK_PORT@", clockPort);
  return text;
}

}  // namespace ftaccel::flow
