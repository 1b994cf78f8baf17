// Prints ir::Module trees as SystemVerilog text, one module per file.
#pragma once

#include <string>
#include <vector>

#include "ir/Ir.h"

namespace ftaccel::ir {

// Emission knobs in one place.
struct PrintOptions {
  bool banner = true;
  std::string generatorVersion;
  std::string configHash;
  std::string regenerateCommand;  // shown in the banner
};

std::string printModule(const Module& module, const PrintOptions& options);

// Names that would clash with SystemVerilog keywords; checked before printing.
bool isSvKeyword(const std::string& name);
std::vector<std::string> illegalNames(const Module& module);

}  // namespace ftaccel::ir
