// Per-PE neighbour nets of the array (see GridNets.h).
#include "units/GridNets.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

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

namespace {

const Port* findPort(const Module& m, const std::string& name) {
  auto it = std::find_if(m.ports.begin(), m.ports.end(), [&](const Port& p) { return p.name == name; });
  return it == m.ports.end() ? nullptr : &*it;
}

std::string lane(const std::string& vec, const std::string& index, const std::string& width) {
  return width.empty() ? vec + "[" + index + "]" : slice(vec, index, width);
}

std::string lanesWidth(const std::string& count, const std::string& width) {
  return width.empty() ? count : count + "*" + width;
}

}  // namespace

Module addGridRows(Module& array, const std::string& rowName, const Instance& pe,
                   const std::vector<GridChain>& chains) {
  Module row;
  row.name = rowName;
  row.description = {
      "One row of the array: Cols PEs, the west-east chains PE to PE inside the row, the",
      "vertical chains as Cols-lane row vectors that the array wires from row to row.",
  };
  for (const Param& p : array.params)
    if (p.name != "Rows") row.params.push_back(p);
  Instance rowInst{rowName, "u_row", {}, {}, ""};
  for (const Param& p : row.params)
    if (!p.local) rowInst.params.push_back({p.name, p.name});

  Instance rowPe = pe;
  rowPe.ports.clear();
  auto chainPort = [&](const std::string& port) {
    return std::any_of(chains.begin(), chains.end(),
                       [&](const GridChain& ch) { return ch.inPort == port || ch.outPort == port; });
  };
  // Ports every PE shares, and per-PE slices of array ports (the fault-port variant's).
  static const std::regex perPe(R"(^(\w+)\[\(r\*Cols\+c\)\*(.+) \+: (.+)\]$)");
  for (const auto& [port, expr] : pe.ports) {
    if (chainPort(port)) continue;
    std::smatch m;
    if (const Port* shared = findPort(array, expr)) {
      row.ports.push_back(*shared);
      rowInst.ports.push_back({expr, expr});
      rowPe.ports.push_back({port, expr});
    } else if (std::regex_match(expr, m, perPe) && m[2] == m[3] && findPort(array, m[1])) {
      const Port* perPePort = findPort(array, m[1]);
      const std::string w = m[2];
      row.ports.push_back({perPePort->dir, perPePort->name, "Cols*" + w, "this row's lanes, index c"});
      rowInst.ports.push_back({perPePort->name, slice(perPePort->name, "r", "Cols*" + w)});
      rowPe.ports.push_back({port, slice(perPePort->name, "c", w)});
    } else {
      throw std::logic_error("array rows form: PE port " + port + " (" + expr +
                             ") is neither a chain, an array port nor a per-PE slice of one");
    }
  }

  // Items that read a generate block by name go after it (rowTail, arrayTail).
  std::vector<Item> colItems, colSelects, rowTail, rowItems, rowSelects, arrayEdge, arrayTail;
  for (const GridChain& ch : chains) {
    const FlowFacts f = facts(ch.flow);
    const std::string in = ch.net + "_in", out = ch.net + "_out";
    if (ch.flow == Flow::East) {
      // Inside the row: per-PE nets, the first PE reads the row's input, the last drives its output.
      row.ports.push_back({Dir::In, ch.inPort, ch.width, ch.comment});
      row.ports.push_back({Dir::Out, ch.outPort, ch.width, "the last PE's " + ch.net});
      colItems.push_back(Signal{in, ch.width, ch.comment});
      colItems.push_back(Signal{out, ch.width, ""});
      colSelects.push_back(makeGenerateIf("c == 0", "gen_" + ch.net + "_" + f.edgeName + "_edge",
                                          {ContAssign{in, ch.inPort, ""}}, "gen_" + ch.net + "_inner",
                                          {ContAssign{in, "gen_col[c-1]." + out, ""}}));
      rowPe.ports.push_back({ch.inPort, in});
      rowPe.ports.push_back({ch.outPort, out});
      rowTail.push_back(ContAssign{ch.outPort, "gen_col[Cols-1]." + out, ""});
      rowInst.ports.push_back({ch.inPort, ch.edgeIn});
      if (ch.edgeOut.empty()) {
        const std::string sink = "unused_" + ch.net + "_" + f.farEdge;
        rowItems.push_back(Signal{sink, ch.width, "the " + f.farEdge + " edge has no consumer"});
        rowInst.ports.push_back({ch.outPort, sink});
      } else {
        const std::string lanes = ch.net + "_" + f.farEdge;
        array.items.push_back(Signal{lanes, lanesWidth("Rows", ch.width),
                                     "the " + f.farEdge + " edge by lane; " + ch.edgeOut + " reads it whole"});
        array.items.push_back(ContAssign{ch.edgeOut, lanes, ""});
        rowInst.ports.push_back({ch.outPort, lane(lanes, "r", ch.width)});
      }
      continue;
    }
    // Vertical chains: a Cols-lane vector per row boundary.
    const std::string vec = lanesWidth("Cols", ch.width);
    const std::string lanes = ch.net + "_lanes";
    row.ports.push_back({Dir::In, ch.inPort, vec, ch.comment.empty() ? "" : ch.comment + ", lane c = column c"});
    row.ports.push_back({Dir::Out, ch.outPort, vec, ""});
    row.items.push_back(Signal{lanes, vec, ch.outPort + " reads it whole"});
    row.items.push_back(ContAssign{ch.outPort, lanes, ""});
    rowPe.ports.push_back({ch.inPort, lane(ch.inPort, "c", ch.width)});
    rowPe.ports.push_back({ch.outPort, lane(lanes, "c", ch.width)});
    rowItems.push_back(Signal{in, vec, ch.comment});
    rowItems.push_back(Signal{out, vec, ""});
    // The edge input: an array port whose lane c is the chain's input, a constant, or a vector
    // assembled lane by lane.
    std::string edge = ch.edgeIn;
    if (ch.edgeIn != "'0") {
      const std::string port = ch.edgeIn.substr(0, ch.edgeIn.find('['));
      const Port* p = findPort(array, port);
      if (!p || ch.edgeIn != lane(port, "c", ch.width) || p->width != vec) {
        edge = ch.net + "_" + f.edgeName;
        array.items.push_back(Signal{edge, vec, "the " + f.edgeName + " edge by lane"});
        arrayEdge.push_back(ContAssign{lane(edge, "c", ch.width), ch.edgeIn, ""});
      } else {
        edge = port;
      }
    }
    rowSelects.push_back(makeGenerateIf(f.firstCond, "gen_" + ch.net + "_" + f.edgeName + "_edge",
                                        {ContAssign{in, edge, ""}}, "gen_" + ch.net + "_inner",
                                        {ContAssign{in, "gen_row[" + f.upRow + "]." + out, ""}}));
    rowInst.ports.push_back({ch.inPort, in});
    rowInst.ports.push_back({ch.outPort, out});
    const std::string last = "gen_row[" + f.lastRow + "]." + out;
    if (ch.edgeOut.empty()) {
      const std::string sink = "unused_" + ch.net + "_" + f.farEdge;
      arrayTail.push_back(Signal{sink, vec, "the " + f.farEdge + " edge has no consumer"});
      arrayTail.push_back(ContAssign{sink, last, ""});
    } else {
      arrayTail.push_back(ContAssign{ch.edgeOut, last, ""});
    }
  }
  colItems.insert(colItems.end(), colSelects.begin(), colSelects.end());
  colItems.push_back(rowPe);
  row.items.push_back(makeGenerate("gen_col", "c", "Cols", colItems, GridAxis::Col));
  row.items.insert(row.items.end(), rowTail.begin(), rowTail.end());
  rowItems.insert(rowItems.end(), rowSelects.begin(), rowSelects.end());
  rowItems.push_back(rowInst);
  if (!arrayEdge.empty()) array.items.push_back(makeGenerate("gen_col_edge", "c", "Cols", arrayEdge));
  array.items.push_back(makeGenerate("gen_row", "r", "Rows", rowItems, GridAxis::Row));
  array.items.insert(array.items.end(), arrayTail.begin(), arrayTail.end());
  return row;
}

}  // namespace ftaccel::units
