// The generated IP as a set of IR modules plus the facts the manifest and testbench need.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"
#include "units/FaultInjection.h"

namespace ftaccel::units {

struct ModuleSpec {
  ir::Module module;
  std::map<std::string, int> children;  // direct sub-module instances by module name
};

// Port-name prefixes of the two operand streams. WS and IS share one datapath: the stationary
// operand is loaded into the shadow registers, the other one streams through the array.
struct StreamPortNames {
  std::string stream;  // streamed operand: "in" (WS activations) or "w" (IS weight vectors)
  std::string load;    // stationary operand: "wload" (WS weights) or "xload" (IS inputs)
  std::string swap;    // flag on the first streamed vector that installs the loaded operand
};
StreamPortNames streamPortNames(config::Dataflow dataflow);

struct TopPort {
  std::string name;
  ir::Dir dir;
  int width;
  std::string group;        // handshake group: "in", "wload", "out", "clock"
  std::string description;
};

struct IpDesign {
  std::string top;
  std::vector<ModuleSpec> modules;  // leaves first, top last
  std::vector<TopPort> ports;
  int latencyCycles = 0;            // input handshake to output handshake, consumer ready
  int peEdge0 = 1;                  // PE(r,c) computes on a vector accepted at edge a at a+peEdge0+r+c
  std::string latencyFormula;
  std::string batchFormula;         // cycles from first input to last output of M vectors
  int weightLoadBeats = 0;          // beats per weight matrix
  int minStallFreeBatch = 0;        // batch length at which a reload never stalls the input
  std::string minStallFreeBatchFormula;
  // Simulation variant only: every flip-flop, in the bit order of fi_xor_i / fi_clr_i.
  std::vector<FaultSite> faultSites;
  int faultBits = 0;
  // Top-level outputs that raise an alarm (error detection); a campaign classifies a fault whose
  // run raises one as detected. None yet: the detection units will add theirs.
  std::vector<std::string> alarmPorts;
};

// Variants of the same configuration that only simulation uses.
struct BuildOptions {
  // Per-PE fault ports (fi_mask_i/fi_value_i) on the MAC result, for permanent-fault
  // co-simulation; per-PE product error ports (fi_pxor_i, operands on fi_opa_o/fi_opb_o) for
  // timing errors; and register-level injection (fi_xor_i/fi_clr_i, see FaultInjection.h). Module names get "_fi" so the variant never shadows the production RTL.
  bool faultPorts = false;
  // With faultPorts: also the timing-error ports (fi_pxor_i, fi_opa_o/fi_opb_o). Separate because
  // the operand outputs gather every PE's operands into two wide buses, which Verilator
  // assembles at a cost that grows with the square of the PE count.
  bool timingPorts = false;
};

IpDesign buildIp(const config::Config& cfg, const BuildOptions& options = {});

// Part-select of element `index` (an SV expression) of width `width` in flat vector `vec`.
std::string slice(const std::string& vec, const std::string& index, const std::string& width);

}  // namespace ftaccel::units
