// Writes a complete IP package (RTL, file list, scripts, SDC, FuseSoC core, manifest) atomically.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "config/Config.h"
#include "units/IpDesign.h"

namespace ftaccel::flow {

// Relative path -> file content; the whole package in memory before anything touches disk.
using FileSet = std::map<std::string, std::string>;

// The command that regenerates this configuration (and variant) without depending on file paths.
std::string regenerateCommand(const config::Config& cfg, const units::BuildOptions& variant = {});

// The hash in the banners: the config hash for the production package; the fault-injection
// variant has its own (config hash + variant name), so the two packages are never confused.
std::string packageHash(const config::Config& cfg, const units::BuildOptions& variant = {});

// `variant` is what `ip` was built with. The fault-injection variant is simulation-only: its
// package has no constraints, no synthesis scripts and no synth target. Throws
// diag::DiagnosticError when an emitted name is a SystemVerilog keyword (config key ip.name).
FileSet renderPackage(const config::Config& cfg, const units::IpDesign& ip,
                      const units::BuildOptions& variant = {});
nlohmann::json buildManifest(const config::Config& cfg, const units::IpDesign& ip);

// Writes `files` into `outDir` via a temporary sibling directory and a rename, so `outDir`
// is either the complete new package or untouched. An existing `outDir` is replaced only
// when it is empty or an earlier ftaccel package. Throws diag::DiagnosticError.
void writePackageAtomically(const FileSet& files, const std::filesystem::path& outDir);

}  // namespace ftaccel::flow
