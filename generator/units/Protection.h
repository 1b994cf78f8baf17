// Attachment points shared by the WS/IS and OS builders: the registered protection units'
// hooks (protect/ProtectionUnit.h) and the fault ports of the simulation variant.
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"
#include "protect/ProtectionUnit.h"
#include "units/IpDesign.h"

namespace ftaccel::units {

// DataBits, AccBits and the derived ProdBits of every PE.
std::vector<ir::Param> peParams(const config::Config& cfg, const std::string& accComment);
// Rows, Cols, DataBits, AccBits of every array.
std::vector<ir::Param> arrayParams(const config::Config& cfg);

// The top's interface assertions (production RTL only: an injected fault may break them on
// purpose), from its final port list: every valid/ready stream's valid and beat hold until
// ready (the load stream's beat includes the units' loadBeatPorts), and no output is unknown.
ir::InterfaceChecks interfaceChecks(const ir::Module& top, const config::Config& cfg);

// The MAC result a PE stores: "mac", or "mac_f" after the fault ports of the variant.
std::string macResult(const BuildOptions& options);

// A PE datapath expression with every enabled unit's peExpr hook applied (e.g. the bypass mux).
std::string peExpr(const config::Config& cfg, protect::PePoint point, std::string expr,
                   const std::string& psumIn = "");

// Top: every enabled unit's output checks on the de-skewed results.
void addOutputChecks(ir::Module& top, const config::Config& cfg);

// PE: every enabled unit's attachPe hook, then fi_mask_i/fi_value_i applied to `mac` as
// `mac_f`. Declarations go first, logic last.
struct MacOperands {
  std::string a;  // activation operand of the multiplier
  std::string b;  // weight operand
};
void addPeProtection(ir::Module& pe, const config::Config& cfg, const BuildOptions& options,
                     const MacOperands& operands);

// Array: every enabled unit's attachArray hook, then the per-PE fault ports.
void addArrayProtection(ir::Module& array, ir::Instance& pe, std::vector<GridChain>& chains,
                        const config::Config& cfg, const BuildOptions& options);

// Top (WS/IS): every enabled unit's stream-insertion hook; when one hooks in, the ctrl instance
// `ctrlInstance` reads the hook's valid and drives its ready; returns the vector that enters the
// input stages (`data` itself, and the RTL unchanged, when no unit hooks in).
std::string addStreamInsert(ir::Module& top, const std::string& ctrlInstance, const config::Config& cfg,
                            const std::string& valid, const std::string& swap, const std::string& readyPort,
                            const std::string& data);

// Top: every enabled unit's input stages on `streams`; returns the vectors that now feed the
// skews (unchanged when no unit declares a stage).
std::vector<std::string> addInputStages(ir::Module& top, const config::Config& cfg,
                                        std::vector<protect::InputStream> streams);

// Points the instance `instName`'s input `port` (a skew's data_i) at `data`.
// An input-stage unit's plain register on a stream it does not filter (the WS swap tags).
void registerStream(ir::Module& top, protect::InputStream& stream, const std::string& reg,
                    const std::string& enable);

void connectSkew(ir::Module& top, const std::string& instName, const std::string& data,
                 const std::string& port = "data_i");

// Top (WS/IS): every enabled unit's load-path hook on the load beat `data`, then the array
// instance's wdata_i reads the result (unchanged, and the RTL with it, when no unit hooks in).
void addLoadPath(ir::Module& top, const std::string& arrayInstance, const config::Config& cfg,
                 const std::string& data, const std::string& role);

// Top: every enabled unit's attachTop hook, then the fi_* ports, connected to the array.
void addTopProtection(ir::Module& top, const std::string& arrayInstance, const config::Config& cfg,
                      const BuildOptions& options);

}  // namespace ftaccel::units
