// Flow-controlling PEs of complementary sparsity (SPEC §7, dissertation Fig. 12.6): the facts the
// WS array, top and skew read to widen a row's activation lane (GroupL activations) and a
// column's partial-sum lane (GroupK partial sums), and the PE builder.
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"

namespace ftaccel::units {

struct ModuleNames;
struct BuildOptions;

inline bool sparsePe(const config::Config& cfg) { return cfg.array.pe != config::PeKind::Dense; }

// Width of one row's activation lane and one column's partial-sum lane (SV expressions); the
// dense PE's "DataBits" and "AccBits" unchanged, so dense RTL stays byte-identical.
inline std::string actLaneWidth(const config::Config& cfg) {
  return sparsePe(cfg) ? "GroupL*DataBits" : "DataBits";
}
inline std::string psumLaneWidth(const config::Config& cfg) {
  return sparsePe(cfg) ? "GroupK*AccBits" : "AccBits";
}

// GroupL, GroupK and IdxBits as module parameters (empty for the dense PE).
std::vector<ir::Param> sparseParams(const config::Config& cfg);
// The same as instance parameter overrides passed down from the parent.
std::vector<std::pair<std::string, std::string>> sparseParamPass(const config::Config& cfg);

// The PE of Fig. 12.6-a/b/c on the WS datapath (act_q, swap_q, psum_q move with the data; the
// shadow weight and its index bits load in the background).
ir::Module buildPeSparse(const config::Config& cfg, const ModuleNames& names, const BuildOptions& options);

}  // namespace ftaccel::units
