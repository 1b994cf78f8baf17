// The stage list of each dataflow and the figures derived from it.
#include "units/PipelineModel.h"

#include <fmt/format.h>

#include "protect/ProtectionUnit.h"

namespace ftaccel::units {

namespace {

using Scale = PipelineStage::Scale;

// "Rows + Cols + 1" / "rows + cols": scaled terms in stage order, then the summed constant.
std::string sumText(const std::vector<PipelineStage>& stages, bool ctrlOnly, const char* rows,
                    const char* cols, int extraConstant) {
  std::string text;
  int constant = extraConstant;
  for (const PipelineStage& s : stages) {
    if (ctrlOnly && !s.countedByCtrl) continue;
    constant += s.constant;
    if (s.scales == Scale::None) continue;
    text += fmt::format("{}{}", text.empty() ? "" : " + ", s.scales == Scale::Rows ? rows : cols);
  }
  if (constant > 0) text += fmt::format(" + {}", constant);
  if (constant < 0) text += fmt::format(" - {}", -constant);
  return text;
}

}  // namespace

int PipelineModel::latency() const {
  int cycles = 0;
  for (const PipelineStage& s : stages)
    cycles += s.constant + (s.scales == Scale::Rows ? rows : s.scales == Scale::Cols ? cols : 0);
  return cycles;
}

std::string PipelineModel::latencyFormula() const { return sumText(stages, false, "rows", "cols", 0); }

std::string PipelineModel::ctrlLatencySv() const { return sumText(stages, true, "Rows", "Cols", 0); }

int PipelineModel::peEdge0() const {
  int edge = 0;
  for (const PipelineStage& s : stages) {
    if (s.scales != Scale::None) break;  // the first scaled stage is the array
    edge += s.constant;
  }
  return edge;
}

// PE(rows-1, cols-1) computes at a + peEdge0 + rows + cols - 2; the span counts the edges
// after the handshake edge up to that one.
std::string PipelineModel::swapSpanSv() const {
  const int constant = peEdge0() - 2;
  std::string text = "Rows + Cols";
  if (constant > 0) text += fmt::format(" + {}", constant);
  if (constant < 0) text += fmt::format(" - {}", -constant);
  return text;
}

int PipelineModel::swapSpan() const { return peEdge0() + rows + cols - 2; }

PipelineModel pipelineModel(const config::Config& cfg) {
  PipelineModel m;
  m.rows = cfg.array.rows;
  m.cols = cfg.array.cols;
  // The input gate (idle lanes forced to zero) is combinational: no stage. Units' stages (e.g.
  // activation filters) come next, in registry order, in front of the input register and skew.
  for (const protect::ProtectionUnit* unit : protect::enabledUnits(cfg))
    for (const PipelineStage& s : unit->inputStages(cfg)) m.stages.push_back(s);
  m.stages.push_back({"input register", Scale::None, 1});
  // Row skew plus one PE per row: the bottom PE of column 0 computes rows - 1 edges after the
  // top one, and its partial sum is registered on that edge.
  m.stages.push_back({"row skew and column of PEs", Scale::Rows, 0});
  // Activations cross cols - 1 PEs; the de-skew delays column c by cols - 1 - c.
  m.stages.push_back({"row of PEs and column de-skew", Scale::Cols, -1});
  if (cfg.array.dataflow == config::Dataflow::OS) {
    // The result row is registered at the north edge and taken one cycle later.
    m.stages.push_back({"output row register", Scale::None, 1, false});
  }
  // Results leave through the output buffer's head register (OutBuffer.h).
  m.stages.push_back({"output buffer", Scale::None, 1, false});
  return m;
}

}  // namespace ftaccel::units
