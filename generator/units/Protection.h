// Protection and simulation hooks shared by the WS/IS and OS builders: bypass configuration
// chain (SPEC §3) and the fault ports of the simulation variant.
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"
#include "units/IpDesign.h"

namespace ftaccel::units {

// DataBits, AccBits and the derived ProdBits of every PE.
std::vector<ir::Param> peParams(const config::Config& cfg, const std::string& accComment);
// Rows, Cols, DataBits, AccBits of every array.
std::vector<ir::Param> arrayParams(const config::Config& cfg);

// The MAC result a PE stores: "mac", or "mac_f" after the fault ports of the variant.
std::string macResult(const BuildOptions& options);

// PE: bypass_q with its chain ports, and fi_mask_i/fi_value_i applied to `mac` as `mac_f`.
// Declarations go first, logic last; the builder uses bypass_q and macResult() itself.
struct MacOperands {
  std::string a;  // activation operand of the multiplier
  std::string b;  // weight operand
};
void addPeProtection(ir::Module& pe, const config::Config& cfg, const BuildOptions& options,
                     const std::vector<std::string>& bypassDescription, const MacOperands& operands);

// Array: the vertical bypass chain (rows beats enter at the south edge) and per-PE fault ports.
void addArrayProtection(ir::Module& array, ir::Instance& pe, const config::Config& cfg,
                        const BuildOptions& options);

// Top: bypass_valid_i/bypass_data_i and fi_* ports, connected to the array instance.
void addTopProtection(ir::Module& top, ir::Instance& array, const config::Config& cfg,
                      const BuildOptions& options);

}  // namespace ftaccel::units
