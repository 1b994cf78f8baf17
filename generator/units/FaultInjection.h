// Register-level fault injection for the simulation variant (BuildOptions::faultPorts).
//
// Every flip-flop of the IP is a fault site. In the variant, each register's next state passes
// through (d & ~clr) ^ xor, where clr/xor are the register's slice of the top-level buses
// fi_clr_i/fi_xor_i; a register that holds is rewritten as holding through the same gate, so a
// mask applied for one clock edge flips (xor), clears (clr) or sets (clr and xor) the stored
// bits exactly as an upset of the flop would. With both buses at zero the variant behaves like
// the production RTL, which has no trace of this logic.
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"
#include "ir/Ir.h"

namespace ftaccel::units {

struct IpDesign;

struct FaultSite {
  std::string path;  // hierarchical name below the top, e.g. u_array.gen_row[1].gen_col[2].u_pe.psum_q
  int width = 0;
  int offset = 0;    // first bit of this register in fi_xor_i / fi_clr_i
  std::string kind;  // weight, weight_shadow, act, psum, acc, flag, control, skew, deskew, ...
  int peRow = -1;    // PE coordinates, -1 outside the grid
  int peCol = -1;
  ir::LiveClass live = ir::LiveClass::None;  // live-window rule of the campaign engine
  int lane = -1;     // index of the innermost non-grid generate loop (skew lanes), else -1
};

// Rewrites the registers of every module of `ip`, threads fi_xor_i/fi_clr_i from the top and
// fills ip.faultSites / ip.faultBits. Called by buildIp for the simulation variant only. The
// pass is generic: it reads each register's width and RegInfo from its declaration and the
// PE coordinates from the grid loops; a register without RegInfo is an internal error.
void addRegisterInjection(IpDesign& ip);

}  // namespace ftaccel::units
