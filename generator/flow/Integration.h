// The package's integration aids (docs/integration.md): the instantiation template and the
// cycle-level timing example (WaveDrom), both derived from the IP's ports and pipeline model.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "units/IpDesign.h"

namespace ftaccel::flow {

// `<top>_inst.svh`: signal declarations and a commented instantiation of the top, one line per
// port (direction, width, meaning). Not in the .f file: a snippet to paste or `include into a
// module body. `banner` is the package's banner lines (comments).
std::string instantiationTemplate(const config::Config& cfg, const units::IpDesign& ip,
                                  const std::string& banner);

// `<top>_timing.json`: a WaveDrom diagram of reset, one stationary-operand load (WS/IS) with
// the swap that installs it, five streamed vectors and their results, with the consumer not
// ready for four cycles from the first result so that the output buffer fills and in_ready_o
// falls (a cycle model of the ctrl's rules over the pipeline model's stages and swap span);
// OS: one tile of `rows` steps, one back-pressure cycle on the last row. Column 0 is a reset
// cycle; column n + 1 is cycle n, which ends with rising edge n after reset release. Data
// labels: `stimulus` says which values they stand for.
nlohmann::json timingDiagram(const config::Config& cfg, const units::IpDesign& ip);

}  // namespace ftaccel::flow
