// The one pipeline model: latency, ctrl parameters and live-window offsets follow its stages.
#include <catch2/catch.hpp>

#include "config/Config.h"
#include "units/PipelineModel.h"

using namespace ftaccel;

TEST_CASE("pipeline model: WS/IS and OS figures", "[pipeline]") {
  auto ws = config::loadConfig(std::nullopt, {"array.rows=5", "array.cols=7"});
  units::PipelineModel m = units::pipelineModel(ws);
  CHECK(m.latency() == 13);  // input register, rows + cols - 1 through skew and array, output buffer
  CHECK(m.latencyFormula() == "rows + cols + 1");
  CHECK(m.ctrlLatencySv() == "Rows + Cols");
  CHECK(m.peEdge0() == 1);
  CHECK(m.swapSpan() == 11);
  CHECK(m.swapSpanSv() == "Rows + Cols - 1");

  auto os = config::loadConfig(std::nullopt, {"array.dataflow=os", "array.rows=3", "array.cols=2"});
  m = units::pipelineModel(os);
  CHECK(m.latency() == 7);  // plus the drain row register
  CHECK(m.latencyFormula() == "rows + cols + 2");
  CHECK(m.ctrlLatencySv() == "Rows + Cols");
}

TEST_CASE("pipeline model: a filter stage in front of the skew moves every figure", "[pipeline]") {
  auto cfg = config::loadConfig(std::nullopt, {"array.rows=4", "array.cols=4"});
  units::PipelineModel m = units::pipelineModel(cfg);
  // What an activation filter unit declares through ProtectionUnit::inputStages.
  m.stages.insert(m.stages.begin(), {"filter", units::PipelineStage::Scale::None, 1});
  CHECK(m.latency() == 10);
  CHECK(m.latencyFormula() == "rows + cols + 2");
  CHECK(m.ctrlLatencySv() == "Rows + Cols + 1");
  CHECK(m.peEdge0() == 2);
  CHECK(m.swapSpanSv() == "Rows + Cols");
  CHECK(m.swapSpan() == 8);
}
