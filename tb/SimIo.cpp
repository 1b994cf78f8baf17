// The JSON side of `cosim run`; see SimIo.h.
#include "SimIo.h"

#include "contract/OptionsFile.h"
#include "contract/SimOptionsJson.h"
#include "contract/SimReportJson.h"

namespace ftaccel::tb {

std::optional<contract::SimOptions> readSimOptions(const std::string& file, std::string& error) {
  return contract::readOptionsFile<contract::SimOptions>(file, error);
}

std::string simReportJson(const contract::SimReport& report) { return nlohmann::json(report).dump(); }

}  // namespace ftaccel::tb
