// The module tree of a synthesis request: lookup, checks, descendants and instance counts.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "flow/Synth.h"

namespace ftaccel::flow::synth {

// Throws std::runtime_error for an unknown name.
const SynthModule& findModule(const SynthRequest& req, const std::string& name);

// The module's RTL file as the tools see it (inside req.ipDir when that is set).
std::filesystem::path rtlPath(const SynthRequest& req, const SynthModule& mod);

// Throws unless the request is complete: a known top, known children and existing RTL files.
void checkRequest(const SynthRequest& req);

// Every module below `name`, each once, deepest first (so that OpenSTA reads leaves first).
std::vector<std::string> descendants(const SynthRequest& req, const std::string& name);

// How many times each module occurs in the tree of req.top (the top once).
std::map<std::string, long> instanceCounts(const SynthRequest& req);

}  // namespace ftaccel::flow::synth
