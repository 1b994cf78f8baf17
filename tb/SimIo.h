// The JSON side of `cosim run` (options in, report out), compiled once for every model: no
// model header reaches it, so CosimMain.cpp, which is compiled per configuration, stays free of
// nlohmann-json (a third of its compile time).
#pragma once

#include <optional>
#include <string>

#include "contract/SimOptions.h"
#include "contract/SimReport.h"

namespace ftaccel::tb {

// The options file ftaccel wrote, or nothing with `error` saying why.
std::optional<contract::SimOptions> readSimOptions(const std::string& file, std::string& error);

// The report as one line of JSON.
std::string simReportJson(const contract::SimReport& report);

}  // namespace ftaccel::tb
