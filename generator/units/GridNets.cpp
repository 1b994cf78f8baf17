// Per-PE neighbour nets of the array (see GridNets.h).
#include "units/GridNets.h"

#include "units/IpDesign.h"

namespace ftaccel::units {

using namespace ir;

namespace {

struct FlowFacts {
  std::string firstCond;  // the PE whose input comes from the edge
  std::string upRow, upCol;  // the upstream neighbour
  std::string edgeName;      // for labels: where the chain enters
  std::string lastRow, lastCol;  // the last PE of lane `lane`
  std::string lane, lanes;       // the coordinate that indexes lanes, and their count
  std::string farEdge;           // where the chain leaves
};

FlowFacts facts(Flow flow) {
  switch (flow) {
    case Flow::East:
      return {"c == 0", "r", "c-1", "west", "r", "Cols-1", "r", "Rows", "east"};
    case Flow::South:
      return {"r == 0", "r-1", "c", "north", "Rows-1", "c", "c", "Cols", "south"};
    case Flow::North:
      break;
  }
  return {"r == Rows-1", "r+1", "c", "south", "0", "c", "c", "Cols", "north"};
}

}  // namespace

std::string pePath(const std::string& row, const std::string& col, const std::string& net) {
  return "gen_row[" + row + "].gen_col[" + col + "]." + net;
}

std::vector<Item> addGridChains(Module& array, std::vector<Item>& peItems, Instance& pe,
                                const std::vector<GridChain>& chains) {
  std::vector<Item> rowEdge, colEdge, selects;
  for (const GridChain& ch : chains) {
    const FlowFacts f = facts(ch.flow);
    const std::string in = ch.net + "_in", out = ch.net + "_out";
    peItems.push_back(Signal{in, ch.width, ch.comment});
    peItems.push_back(Signal{out, ch.width, ""});
    selects.push_back(makeGenerateIf(
        f.firstCond, "gen_" + ch.net + "_" + f.edgeName + "_edge",
        {ContAssign{in, ch.edgeIn, ""}}, "gen_" + ch.net + "_inner",
        {ContAssign{in, pePath(f.upRow, f.upCol, out), ""}}));
    pe.ports.push_back({ch.inPort, in});
    pe.ports.push_back({ch.outPort, out});

    // The far edge: lane `lane` of an output port, or an unused sink.
    const std::string width = ch.width.empty() ? "1" : ch.width;
    std::string sink = ch.edgeOut;
    if (sink.empty()) {
      sink = "unused_" + ch.net + "_" + f.farEdge;
      array.items.push_back(Signal{sink, ch.width.empty() ? f.lanes : f.lanes + "*" + ch.width,
                                   "the " + f.farEdge + " edge has no consumer"});
    }
    const std::string lhs = ch.width.empty() ? sink + "[" + f.lane + "]" : slice(sink, f.lane, width);
    (f.lane == "r" ? rowEdge : colEdge)
        .push_back(ContAssign{lhs, pePath(f.lastRow, f.lastCol, out), ""});
  }
  peItems.insert(peItems.end(), selects.begin(), selects.end());
  std::vector<Item> edges;
  if (!rowEdge.empty()) edges.push_back(makeGenerate("gen_row_edge", "r", "Rows", rowEdge));
  if (!colEdge.empty()) edges.push_back(makeGenerate("gen_col_edge", "c", "Cols", colEdge));
  return edges;
}

}  // namespace ftaccel::units
