// Bypass masks: parsing the user's specification (or mask file) and checking what it prunes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/Config.h"
#include "diag/Diagnostics.h"

namespace ftaccel::flow {

// rows x cols bits, index row*cols+col; true = the PE is bypassed.
struct BypassMask {
  int rows = 0;
  int cols = 0;
  std::vector<bool> bits;

  bool at(int r, int c) const { return bits[static_cast<size_t>(r) * cols + c]; }
  long count() const;
  std::string toBitString() const;  // row-major '0'/'1', contract::SimOptions::bypassBits
};

// Specification, parts joined by '+': none | random:P | row:R | col:C | pe:R,C | file:PATH.
// A mask file holds `rows` lines of `cols` characters '0'/'1' ('#' starts a comment line).
// Throws diag::DiagnosticError naming the part (or file:line) and the allowed range.
BypassMask parseBypassMask(const std::string& spec, int rows, int cols, uint64_t seed);

// Warnings for masks that leave outputs that can never be non-zero: a fully bypassed column
// (WS, OS: output channels; IS: batch positions) or, in OS, a fully bypassed row.
void warnUnproducibleOutputs(const BypassMask& mask, config::Dataflow dataflow,
                             diag::DiagnosticBag& diags);

}  // namespace ftaccel::flow
