// Verilator co-simulation helpers shared by the tests: one run that must come out clean.
#pragma once

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "flow/Cosim.h"

namespace ftaccel::test {

// Runs `o` on `model` and checks the run is clean: every vector checked, no mismatch, no
// timeout, no result beat the golden model did not expect. Returns the report.
inline nlohmann::json cosimClean(const flow::CosimModel& model, const flow::CosimOptions& o) {
  const auto r = flow::runCosim(model, o);
  INFO(r.report.dump());
  CHECK(r.report["mismatches"] == 0);
  CHECK(r.report["checked"] == o.vectors);
  CHECK(r.report["timeout"] == false);
  CHECK(r.report["spurious_outputs"] == 0);
  CHECK(r.passed());
  return r.report;
}

// Options for a corner-pattern run with weight reloads between short batches and random
// handshakes on every port.
inline flow::CosimOptions randomHandshakes(const std::string& pattern, long vectors, long batch, uint64_t seed) {
  flow::CosimOptions o;
  o.pattern = pattern;
  o.vectors = vectors;
  o.batch = batch;
  o.seed = seed;
  o.inValidProb = 0.8;
  o.outReadyProb = 0.7;
  o.wloadValidProb = 0.9;
  return o;
}

}  // namespace ftaccel::test
