// Per-PE nets between grid neighbours. Each PE's generate block declares the nets its outputs
// drive; a PE input reads its neighbour's block by hierarchical name, or an edge expression.
// There is no design-wide flat vector: four-state simulators re-evaluate a whole vector on any
// partial change, which made a flat grid net quadratic in the PE count (issue 10).
#pragma once

#include <string>
#include <vector>

#include "ir/Ir.h"

namespace ftaccel::units {

enum class Flow { East, South, North };  // the direction in which the value moves

// One neighbour-to-neighbour connection of every PE: PE output `outPort` drives the block net
// `<net>_out`; PE input `inPort` reads `<net>_in`, which is the upstream neighbour's `<net>_out`
// or, for the first PE of the chain, `edgeIn` (an expression of r or c).
struct GridChain {
  std::string net;       // "act": nets act_in / act_out in gen_row[r].gen_col[c]
  std::string width;     // SV expression; "" is one bit
  Flow flow = Flow::East;
  std::string inPort;    // "act_i"
  std::string outPort;   // "act_o"
  std::string edgeIn;    // first PE's input, e.g. "act_i[r*DataBits +: DataBits]"
  std::string edgeOut;   // array output port the last PE of each lane drives ("" = unused)
  std::string comment;
};

// The hierarchical name of PE(row, col)'s net, e.g. "gen_row[Rows-1].gen_col[c].psum_out".
std::string pePath(const std::string& row, const std::string& col, const std::string& net);

// Wires the chains: the per-PE declarations and input selection go to `peItems` (the items of
// the gen_col block, before the PE instance), the port connections to `pe`, unused_* sinks
// (which Verilator's lint exempts) to `array`; returns the far-edge loops, which the caller
// places after the grid.
std::vector<ir::Item> addGridChains(ir::Module& array, std::vector<ir::Item>& peItems, ir::Instance& pe,
                   const std::vector<GridChain>& chains);

}  // namespace ftaccel::units
