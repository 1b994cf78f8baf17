// Nets between grid neighbours, in one of two forms (config array.nets):
// - per-PE: each PE's generate block declares the nets its outputs drive; a PE input reads its
//   neighbour's block by hierarchical name, or an edge expression. Four-state simulators
//   re-evaluate a whole vector on any partial change, which makes a design-wide vector
//   quadratic in the PE count (a 16x16 IP ran at a few cycles per second under Icarus).
// - flat: one lane vector per chain (`<net>_grid`), each PE port a constant slice of it. Yosys
//   0.23 resolves the per-PE hierarchical names superlinearly (128x128: minutes), so large
//   OS arrays use this form.
// - rows (WS/IS): a `_row` module holds Cols PEs with per-PE nets between west-east neighbours;
//   the array instantiates it Rows times and wires the vertical chains row to row with one
//   Cols-lane vector per chain. Verilator and Yosys then process one module of Cols PEs and
//   one of Rows rows instead of one of Rows x Cols PEs, so large WS/IS arrays use this form.
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

// The expression of PE(row, col)'s output on `chain`: "gen_row[Rows-1].gen_col[c].psum_out"
// (per-PE) or the slice of `psum_grid` (flat).
std::string peOutput(const GridChain& chain, const std::string& row, const std::string& col, bool flat);

// Wires the chains: the per-PE declarations and input selection go to `peItems` (the items of
// the gen_col block, before the PE instance), the port connections to `pe`, the vector that
// assembles an output edge to `array`; returns the far-edge loops (with the per-lane unused_*
// sinks, which Verilator's lint exempts), which the caller places after the grid.
std::vector<ir::Item> addGridChains(ir::Module& array, std::vector<ir::Item>& peItems, ir::Instance& pe,
                                    const std::vector<GridChain>& chains, bool flat);

// The rows form: builds the row module `rowName` (the PE instance `pe` Cols times, whose port
// expressions may be the chains', an array port passed to every PE, or a per-PE slice
// `P[(r*Cols+c)*W +: W]` of an array port) and puts the gen_row loop that instantiates it and
// the edges into `array`. Returns the row module.
ir::Module addGridRows(ir::Module& array, const std::string& rowName, const ir::Instance& pe,
                       const std::vector<GridChain>& chains);

}  // namespace ftaccel::units
