// Every protection unit enabled at once: the units compose (filters in front of the skew, the
// checksum column beside the array, parity on the load path, bypass in the PEs) and the
// co-simulation still matches the golden model, each unit's own model included.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "flow/Cosim.h"

using namespace ftaccel;

TEST_CASE("all units together: co-simulation matches the golden model and every unit's model",
          "[protect][cosim]") {
  test::useTestCache();
  const auto cfg = config::loadConfigText(
      "", "t",
      {"array.rows=4", "array.cols=8", "protect.bypass=true", "protect.sanity_check=spatial",
       "protect.afd.enable=true", "protect.median.enable=true", "protect.weight_parity.enable=true",
       "protect.weight_parity.word_weights=4"});
  const auto model = flow::buildCosimModel(cfg);
  flow::CosimOptions o;
  o.vectors = 1500;
  o.batch = 2 * cfg.array.rows + cfg.array.cols + 5;
  o.seed = 23;
  o.pattern = "mixed";
  o.inValidProb = 0.8;
  o.outReadyProb = 0.7;
  const auto r = flow::runCosim(model, o);
  INFO(r.report.dump());
  CHECK(r.passed());
  CHECK(r.report["checked"] == o.vectors);
  CHECK(r.report["filtered_vectors"].get<long>() > 0);        // the filters acted
  CHECK(r.report["alarm_cycles"] == 0);                       // no false Sanity-Check alarm
  CHECK(r.report["alarm_model_checked"] == o.vectors);        // every flag against its model
  CHECK(r.report["alarm_model_mismatches"] == 0);
}
