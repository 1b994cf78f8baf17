// Prints ir::Module trees as SystemVerilog text, one module per file.
#pragma once

#include <string>
#include <vector>

#include "ir/Ir.h"
#include "ir/SvNames.h"

namespace ftaccel::ir {

// Emission knobs in one place.
struct PrintOptions {
  bool banner = true;
  std::string generatorVersion;
  std::string configHash;
  std::string regenerateCommand;  // shown in the banner
};

std::string printModule(const Module& module, const PrintOptions& options);

}  // namespace ftaccel::ir
