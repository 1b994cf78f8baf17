// One model of the IP's pipeline, from the input handshake to the output handshake. The ctrl's
// latency parameter, the manifest's formulas, the harness constants and the campaign's
// live-window offsets are all read from it instead of being retyped.
#pragma once

#include <string>
#include <vector>

#include "config/Config.h"

namespace ftaccel::units {

// A pipeline stage and the cycles it adds: constant + (rows or cols, when `scales` says so).
struct PipelineStage {
  enum class Scale { None, Rows, Cols };
  std::string name;
  Scale scales = Scale::None;
  int constant = 0;
  bool countedByCtrl = true;  // part of the ctrl's valid/end pipe (false: output handshake)
};

struct PipelineModel {
  // The result bound (manifest protocol.result_bound): a result's output handshake comes at
  // most latency (+ r for OS row r) + stall cycles + this many cycles after its input handshake;
  // results queued in the two-entry output buffer before it account for the constant.
  static constexpr int kResultBoundSlack = 2;
  std::vector<PipelineStage> stages;  // input gate -> filters -> skew -> array -> de-skew -> checks

  // Input handshake to output handshake with a ready consumer (cycles), and as text.
  int latency() const;
  std::string latencyFormula() const;  // "rows + cols"
  // Length of the ctrl's valid (WS/IS) or tile-end (OS) pipe as an SV expression of Rows/Cols.
  std::string ctrlLatencySv() const;
  // Edges from the input handshake at edge a until PE(r,c) computes on that vector:
  // a + peEdge0() + r + c. Everything in front of the array (input register, filters) adds to it.
  int peEdge0() const;
  // Edges a swap tag needs from its handshake to the last PE, as SV and as a number.
  std::string swapSpanSv() const;
  int swapSpan() const;

  int rows = 0;
  int cols = 0;
};

// The stages of the configured IP (dataflow and enabled units).
PipelineModel pipelineModel(const config::Config& cfg);

}  // namespace ftaccel::units
