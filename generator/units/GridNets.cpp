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

// Lane indices of the flat form: the chain's lane vector has one more position than PEs along
// the flow (the edge input), e.g. East: lane r*(Cols+1) + c is PE(r,c)'s input, + 1 its output.
struct FlatIndex {
  std::string in, out, edge, lanes;
};

FlatIndex flatIndex(Flow flow, const std::string& r, const std::string& c) {
  switch (flow) {
    case Flow::East:
      return {"(" + r + ")*(Cols+1) + " + c, "(" + r + ")*(Cols+1) + " + c + " + 1", "(" + r + ")*(Cols+1)",
              "Rows*(Cols+1)"};
    case Flow::South:
      return {"(" + r + ")*Cols + " + c, "(" + r + " + 1)*Cols + " + c, c, "(Rows+1)*Cols"};
    case Flow::North:
      break;
  }
  return {"(" + r + " + 1)*Cols + " + c, "(" + r + ")*Cols + " + c, "Rows*Cols + " + c, "(Rows+1)*Cols"};
}

std::string laneOf(const GridChain& ch, const std::string& index) {
  return ch.width.empty() ? ch.net + "_grid[" + index + "]" : slice(ch.net + "_grid", index, ch.width);
}

std::string pePath(const std::string& row, const std::string& col, const std::string& net) {
  return "gen_row[" + row + "].gen_col[" + col + "]." + net;
}

}  // namespace

std::string peOutput(const GridChain& ch, const std::string& row, const std::string& col, bool flat) {
  return flat ? laneOf(ch, flatIndex(ch.flow, row, col).out) : pePath(row, col, ch.net + "_out");
}

std::vector<Item> addGridChains(Module& array, std::vector<Item>& peItems, Instance& pe,
                                const std::vector<GridChain>& chains, bool flat) {
  std::vector<Item> rowEdge, colEdge, selects;
  for (const GridChain& ch : chains) {
    const FlowFacts f = facts(ch.flow);
    const std::string in = ch.net + "_in", out = ch.net + "_out";
    if (flat) {
      const FlatIndex ix = flatIndex(ch.flow, "r", "c");
      array.items.push_back(Signal{ch.net + "_grid", ch.width.empty() ? ix.lanes : ix.lanes + "*" + ch.width,
                                   ch.comment.empty() ? "" : ch.comment + "; lane vector of the chain"});
      (f.lane == "r" ? rowEdge : colEdge).push_back(ContAssign{laneOf(ch, ix.edge), ch.edgeIn, ""});
      pe.ports.push_back({ch.inPort, laneOf(ch, ix.in)});
      pe.ports.push_back({ch.outPort, laneOf(ch, ix.out)});
    } else {
      peItems.push_back(Signal{in, ch.width, ch.comment});
      peItems.push_back(Signal{out, ch.width, ""});
      selects.push_back(makeGenerateIf(
          f.firstCond, "gen_" + ch.net + "_" + f.edgeName + "_edge",
          {ContAssign{in, ch.edgeIn, ""}}, "gen_" + ch.net + "_inner",
          {ContAssign{in, pePath(f.upRow, f.upCol, out), ""}}));
      pe.ports.push_back({ch.inPort, in});
      pe.ports.push_back({ch.outPort, out});
    }

    // The far edge: lane `lane` of an output port, or an unused sink per lane. The port's lanes
    // are assembled in `<net>_<edge>`, which the port reads whole: Icarus 11 converts a vector
    // built from part assigns once per reader and lane update (see Skew.cpp).
    const std::string width = ch.width.empty() ? "1" : ch.width;
    const std::string last = peOutput(ch, f.lastRow, f.lastCol, flat);
    auto& edge = f.lane == "r" ? rowEdge : colEdge;
    if (ch.edgeOut.empty()) {
      const std::string sink = "unused_" + ch.net + "_" + f.farEdge;
      edge.push_back(Signal{sink, ch.width, "the " + f.farEdge + " edge has no consumer"});
      edge.push_back(ContAssign{sink, last, ""});
    } else {
      const std::string lanes = ch.net + "_" + f.farEdge;
      array.items.push_back(Signal{lanes, ch.width.empty() ? f.lanes : f.lanes + "*" + ch.width,
                                   "the " + f.farEdge + " edge by lane; " + ch.edgeOut + " reads it whole"});
      array.items.push_back(ContAssign{ch.edgeOut, lanes, ""});
      edge.push_back(ContAssign{ch.width.empty() ? lanes + "[" + f.lane + "]" : slice(lanes, f.lane, width), last, ""});
    }
  }
  peItems.insert(peItems.end(), selects.begin(), selects.end());
  std::vector<Item> edges;
  if (!rowEdge.empty()) edges.push_back(makeGenerate("gen_row_edge", "r", "Rows", rowEdge));
  if (!colEdge.empty()) edges.push_back(makeGenerate("gen_col_edge", "c", "Cols", colEdge));
  return edges;
}

}  // namespace ftaccel::units
