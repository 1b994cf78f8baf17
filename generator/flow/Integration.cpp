// Instantiation template and WaveDrom timing example of a package (docs/integration.md).
#include "flow/Integration.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "units/PipelineModel.h"

namespace ftaccel::flow {

namespace {

// One line of meaning per port: the protocol role of the standard ports, else the port's own
// comment from the RTL (protection units describe theirs there).
std::string portMeaning(const config::Config& cfg, const units::TopPort& p) {
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  const bool isIs = cfg.array.dataflow == config::Dataflow::IS;
  const units::StreamPortNames sp = units::streamPortNames(cfg.array.dataflow);
  const std::string s = sp.stream, l = sp.load;
  auto lanes = [&p](const std::string& what) {
    return p.description.empty() ? what : fmt::format("{} ({})", what, p.description);
  };
  if (p.name == "clk_i") return "clock; every handshake happens on its rising edge";
  if (p.name == "rst_ni") return "asynchronous reset, active low; hold low for at least one rising edge";
  if (p.name == "out_valid_o") return "a result beat is offered; held with out_data_o until out_ready_i";
  if (p.name == "out_ready_i") return "the consumer takes the result beat on this edge (reaches registers only)";
  if (p.name == "out_data_o")
    return lanes(os ? "result row r of a tile, lane c = y[r][c], signed, exact"
                    : isIs ? "result vector, lane c = y[batch c][co], signed, exact"
                           : "result vector, lane c = output channel c, signed, exact");
  if (os) {
    if (p.name == "in_valid_i") return "a reduction step is offered; hold it and its beat until in_ready_o";
    if (p.name == "in_ready_o") return "high: a valid step is taken on this edge (low only for an early last step)";
    if (p.name == "in_last_i") return "the step is its tile's last (part of the beat)";
    if (p.name == "in_x_i") return lanes("activations of step k, lane r = X[r][k], signed");
    if (p.name == "in_w_i") return lanes("weights of step k, lane c = W[k][c], signed");
  } else {
    if (p.name == s + "_valid_i")
      return fmt::format("a streamed vector is offered; hold it and its beat until {}_ready_o", s);
    if (p.name == s + "_ready_o")
      return "high: a valid vector is taken on this edge (low while a swap waits for its load)";
    if (p.name == sp.swap)
      return "first vector of a batch: switch to the last completely loaded operand (no load: no-op)";
    if (p.name == s + "_data_i")
      return lanes(isIs ? "weight vector of one output channel co, lane r = W[r][co], signed"
                        : "activation vector, lane r = input channel r, signed");
    if (p.name == l + "_valid_i")
      return fmt::format("a load beat is offered; hold it until {}_ready_o; finish a started load", l);
    if (p.name == l + "_ready_o") return "high: a valid load beat is taken on this edge (low while a swap reaches the PEs)";
    if (p.name == l + "_data_i")
      return lanes(isIs ? "input row k of the stationary tile, lane c = X[batch c][k], signed"
                        : "weight row k of the stationary matrix, lane c = W[k][c], signed");
  }
  return p.description.empty() ? "see manifest.json, group " + p.group : p.description;
}

// The signal name a template connects a port to: the port name without its direction suffix,
// unless two ports would share it.
std::string signalName(const std::string& port, const std::set<std::string>& taken) {
  std::string n = port;
  if (n.ends_with("_ni")) n = n.substr(0, n.size() - 3) + "_n";
  else if (n.ends_with("_i") || n.ends_with("_o")) n = n.substr(0, n.size() - 2);
  return taken.count(n) ? port : n;
}

// A WaveDrom wave built column by column: "0", "1", "x" or (data signals) a label.
struct Wave {
  std::string name;
  bool data = false;
  std::vector<std::string> cols;

  nlohmann::json json() const {
    std::string wave;
    nlohmann::json labels = nlohmann::json::array();
    for (size_t i = 0; i < cols.size(); ++i) {
      if (i > 0 && cols[i] == cols[i - 1]) {
        wave += '.';
      } else if (!data || cols[i] == "x") {
        wave += cols[i];
      } else {
        wave += '=';
        labels.push_back(cols[i]);
      }
    }
    nlohmann::json j = {{"name", name}, {"wave", wave}};
    if (data) j["data"] = labels;
    return j;
  }
};

}  // namespace

std::string instantiationTemplate(const config::Config& cfg, const units::IpDesign& ip,
                                  const std::string& banner) {
  std::set<std::string> names;
  std::vector<std::string> signal;
  for (const auto& p : ip.ports) {
    signal.push_back(signalName(p.name, names));
    names.insert(signal.back());
  }
  size_t declWidth = 0, portWidth = 0;
  auto range = [](int w) { return w == 1 ? std::string() : fmt::format("[{}:0] ", w - 1); };
  for (size_t i = 0; i < ip.ports.size(); ++i) {
    declWidth = std::max(declWidth, range(ip.ports[i].width).size() + signal[i].size());
    portWidth = std::max(portWidth, ip.ports[i].name.size() + signal[i].size());
  }
  std::string out = banner;
  out += fmt::format(
      "//\n"
      "// Instantiation template of {top} ({df} {r}x{c}, {b}-bit data, {a}-bit results).\n"
      "// Not in {top}.f and not compiled by itself: paste it into a module body (or `include it\n"
      "// there) and rename the signals. {top} has no parameters: its sizes are localparams\n"
      "// fixed by the configuration (Rows = {r}, Cols = {c}, DataBits = {b}, AccBits = {a}).\n"
      "// Lane i of a vector port is bits [i*W +: W]. Latency {lat} cycles ({formula}); the\n"
      "// protocol, reset values and assertions: docs/integration.md of ftaccel and manifest.json.\n\n",
      fmt::arg("top", ip.top), fmt::arg("df", config::toString(cfg.array.dataflow)),
      fmt::arg("r", cfg.array.rows), fmt::arg("c", cfg.array.cols), fmt::arg("b", cfg.data.bits),
      fmt::arg("a", cfg.data.accBits), fmt::arg("lat", ip.latencyCycles),
      fmt::arg("formula", ip.latencyFormula));
  for (size_t i = 0; i < ip.ports.size(); ++i) {
    std::string decl = range(ip.ports[i].width) + signal[i] + ";";
    decl.resize(declWidth + 2, ' ');
    out += fmt::format("logic {}// {}\n", decl, ip.ports[i].name);
  }
  out += fmt::format("\n{0} u_{0} (\n", ip.top);
  for (size_t i = 0; i < ip.ports.size(); ++i) {
    const auto& p = ip.ports[i];
    std::string conn = fmt::format(".{} ({}){}", p.name, signal[i], i + 1 < ip.ports.size() ? "," : "");
    conn.resize(portWidth + 6, ' ');
    out += fmt::format("  {}// {}, {} bit{}: {}\n", conn, p.dir == ir::Dir::In ? "input" : "output", p.width,
                       p.width == 1 ? "" : "s", portMeaning(cfg, p));
  }
  out += ");\n";
  return out;
}

namespace {

// The WS/IS scenario, cycle by cycle, from the ctrl's rules (README "Back-pressure is
// registered"; the ctrl's valid pipe is the pipeline model's ctrl-counted stages): a load of
// `rows` beats from cycle 0; v0 (swap), v1, v2 offered from cycle 0; the consumer not ready for
// kStall cycles from the first out_valid_o, and v3, v4 offered from the cycle after it, so the
// two-entry output buffer fills, the datapath stops and in_ready_o falls.
struct StationaryColumn {
  bool inValid = false, inReady = false, swap = false, loadValid = false, loadReady = false;
  bool outValid = false, outReady = true;
  int vec = -1, beat = -1, head = -1;  // offered vector, offered load beat, out_data_o's result (-1: reset value)
};
constexpr int kVectors = 5, kEarlyVectors = 3, kStall = 4;

// Length of the ctrl's valid (WS/IS) or tile-end (OS) pipe: every ctrl-counted stage.
int ctrlPipeLength(const units::PipelineModel& pipe) {
  int lc = 0;
  for (const auto& s : pipe.stages)
    if (s.countedByCtrl)
      lc += s.constant + (s.scales == units::PipelineStage::Scale::Rows   ? pipe.rows
                          : s.scales == units::PipelineStage::Scale::Cols ? pipe.cols
                                                                          : 0);
  return lc;
}

std::vector<StationaryColumn> stationaryScenario(const units::PipelineModel& pipe, int rows) {
  const int lc = ctrlPipeLength(pipe);
  const int span = pipe.swapSpan();
  std::vector<StationaryColumn> cols;
  // Reset column: nothing offered, the outputs' reset values.
  cols.push_back({false, true, false, false, true, false, true, -1, -1, -1});
  bool enQ = true, loaded = false;
  int count = 0, swapCnt = 0, wrow = 0, head = -1, tail = -1, nextVec = 0, nextBeat = 0, firstOut = -1, popped = 0;
  std::vector<int> valid(static_cast<size_t>(lc), -1);  // the vector in each stage of the valid pipe
  // Until two cycles after the last result is taken (bounded: a broken rule must not hang generate).
  const int bound = 4 * (pipe.latency() + span + rows + kVectors + kStall) + 16;
  for (int t = 0, after = 0; after < 2 && t < bound; ++t) {
    after += popped == kVectors;
    StationaryColumn c;
    c.inValid = nextVec < kVectors && (nextVec < kEarlyVectors || (firstOut >= 0 && t > firstOut));
    c.vec = c.inValid ? nextVec : -1;
    c.swap = c.vec == 0;
    c.loadValid = nextBeat < rows;
    c.beat = c.loadValid ? nextBeat : -1;
    c.outValid = count != 0;
    if (c.outValid && firstOut < 0) firstOut = t;
    c.outReady = !(firstOut >= 0 && t >= firstOut && t < firstOut + kStall);
    c.head = head;
    const bool en = enQ;
    const bool swapOk = loaded || (wrow == 0 && !c.loadValid);
    c.inReady = en && (!c.swap || swapOk);
    const bool accept = c.inValid && c.inReady;
    const bool swap = accept && c.swap && loaded;
    const bool swapBusy = swapCnt != 0 || swap;
    c.loadReady = !swapBusy;
    const bool wload = c.loadValid && !swapBusy;
    const int last = valid.back();
    const bool push = en && last >= 0;
    const bool pop = count != 0 && c.outReady;
    const int countNext = count + push - pop;
    const bool nextPush = en ? (lc >= 2 ? valid[static_cast<size_t>(lc - 2)] >= 0 : accept) : last >= 0;
    const bool enNext = countNext != 2 || !nextPush;
    // The output buffer: head (out_data_o) and second entry.
    const bool headLoad = push && (count == 0 || (count == 1 && pop));
    const bool headShift = pop && count == 2;
    const bool tailLoad = push && ((count == 1 && !pop) || (count == 2 && pop));
    cols.push_back(c);
    // Rising edge t.
    if (headLoad) head = last;
    else if (headShift) head = tail;
    if (tailLoad) tail = last;
    if (en) {
      valid.pop_back();
      valid.insert(valid.begin(), accept ? nextVec : -1);
    }
    if (swap) swapCnt = span;
    else if (en && swapCnt != 0) --swapCnt;
    if (wload) {
      loaded = wrow == rows - 1;
      wrow = loaded ? 0 : wrow + 1;
    } else if (swap) {
      loaded = false;
    }
    enQ = enNext;
    count = countNext;
    popped += pop;
    nextVec += accept;
    nextBeat += wload;
  }
  return cols;
}

// The OS scenario, cycle by cycle, from the OS ctrl's rules (docs/integration.md "OS tiles" and
// "Back-pressure"): tile 0 of `rows` steps and tile 1 one step shorter offered from cycle 0 (its
// last step waits until `rows` cycles after tile 0's last, when rows > 1), the consumer not ready
// for kStall cycles from the first out_valid_o, and a last tile of `rows` steps offered from the
// cycle after it, so the output buffer fills, the datapath stops and in_ready_o falls. With one
// row, three one-step tiles come first, so that a third result row reaches the full buffer.
struct TileColumn {
  bool inValid = false, inReady = true, last = false, outValid = false, outReady = true;
  int tile = -1, step = -1;          // offered step (-1: none)
  int headTile = -1, headRow = -1;   // out_data_o's result row (-1: reset value)
};

std::vector<int> osTileLengths(int rows) { return rows > 1 ? std::vector<int>{rows, rows - 1, rows} : std::vector<int>{1, 1, 1, 1}; }

std::vector<TileColumn> tileScenario(const units::PipelineModel& pipe, int rows) {
  const int lc = ctrlPipeLength(pipe);
  struct Step { int tile, step; bool last; };
  std::vector<Step> steps;
  const std::vector<int> lengths = osTileLengths(rows);
  for (int j = 0; j < static_cast<int>(lengths.size()); ++j)
    for (int i = 0; i < lengths[static_cast<size_t>(j)]; ++i) steps.push_back({j, i, i == lengths[static_cast<size_t>(j)] - 1});
  const int results = rows * static_cast<int>(lengths.size());
  std::vector<TileColumn> cols;
  cols.push_back(TileColumn{});  // reset column: nothing offered, the outputs' reset values
  bool enQ = true;
  int count = 0, since = rows - 1, rowsLeft = 0, rowsTile = -1, next = 0, firstOut = -1, popped = 0;
  std::pair<int, int> head{-1, -1}, tail{-1, -1};
  std::vector<int> ends(static_cast<size_t>(lc), -1);  // the tile whose end is in each stage of the end pipe
  const int bound = 4 * (pipe.latency() + 3 * rows + kStall) + 16;
  for (int t = 0, after = 0; after < 2 && t < bound; ++t) {
    after += popped == results;
    TileColumn c;
    const bool available = next < static_cast<int>(steps.size()) &&
                           (steps[static_cast<size_t>(next)].tile + 1 < static_cast<int>(lengths.size()) ||
                            (firstOut >= 0 && t > firstOut));
    c.inValid = available;
    if (available) {
      c.tile = steps[static_cast<size_t>(next)].tile;
      c.step = steps[static_cast<size_t>(next)].step;
      c.last = steps[static_cast<size_t>(next)].last;
    }
    c.outValid = count != 0;
    if (c.outValid && firstOut < 0) firstOut = t;
    c.outReady = !(firstOut >= 0 && t >= firstOut && t < firstOut + kStall);
    c.headTile = head.first;
    c.headRow = head.second;
    const bool en = enQ;
    const bool lastOk = since == rows - 1;
    c.inReady = en && (!c.last || lastOk);
    const bool accept = c.inValid && c.inReady;
    const bool push = enQ && rowsLeft != 0;
    const std::pair<int, int> pushed{rowsTile, rows - rowsLeft};
    const bool pop = count != 0 && c.outReady;
    const int countNext = count + push - pop;
    const bool endsNow = ends.back() >= 0;
    const bool enNext = countNext != 2 || !(enQ ? (endsNow || (rowsLeft != 0 && rowsLeft != 1)) : rowsLeft != 0);
    const bool headLoad = push && (count == 0 || (count == 1 && pop));
    const bool headShift = pop && count == 2;
    const bool tailLoad = push && ((count == 1 && !pop) || (count == 2 && pop));
    cols.push_back(c);
    // Rising edge t.
    if (headLoad) head = pushed;
    else if (headShift) head = tail;
    if (tailLoad) tail = pushed;
    if (en) {
      const int ending = ends.back();
      ends.pop_back();
      ends.insert(ends.begin(), accept && c.last ? c.tile : -1);
      if (accept && c.last) since = 0;
      else if (!lastOk) ++since;
      if (ending >= 0) {
        rowsLeft = rows;
        rowsTile = ending;
      } else if (rowsLeft != 0) {
        --rowsLeft;
      }
    }
    enQ = enNext;
    count = countNext;
    popped += pop;
    next += accept;
  }
  return cols;
}

// Column-wise waves of a scenario trace (one Column per clock column), shared by the WS/IS and
// OS diagrams.
template <typename Column>
struct TraceWaves {
  const std::vector<Column>& trace;

  nlohmann::json bit(const std::string& name, bool Column::*field) const {
    Wave w{name, false, {}};
    for (const auto& c : trace) w.cols.push_back(c.*field ? "1" : "0");
    return w.json();
  }
  template <typename Label>
  nlohmann::json data(const std::string& name, Label label) const {
    Wave w{name, true, {}};
    for (const auto& c : trace) w.cols.push_back(label(c));
    return w.json();
  }
  // clk_i and rst_ni (low in the reset column 0 only): the head of every diagram.
  nlohmann::json clockAndReset() const {
    Wave r{"rst_ni", false, {}};
    for (size_t i = 0; i < trace.size(); ++i) r.cols.push_back(i == 0 ? "0" : "1");
    std::string wave(trace.size(), '.');  // "p..." (no subtraction: GCC 12 warns on size() - 1)
    if (!wave.empty()) wave[0] = 'p';
    nlohmann::json clock = {{"name", "clk_i"}, {"wave", wave}};
    return nlohmann::json::array({clock, r.json()});
  }
};

// Caption edges both scenarios share, read back from the trace (column n + 1 = cycle n): the
// first result, the consumer's stall and the input stall it causes.
struct StallEdges {
  int firstOut = -1, stallFrom = -1, stallTo = -1, inLowFrom = -1, inLowTo = -1;
};

template <typename Column>
StallEdges stallEdges(const std::vector<Column>& trace) {
  StallEdges e;
  for (size_t i = 1; i < trace.size(); ++i) {
    const int t = static_cast<int>(i) - 1;
    const auto& c = trace[i];
    if (c.outValid && e.firstOut < 0) e.firstOut = t;
    if (!c.outReady) {
      if (e.stallFrom < 0) e.stallFrom = t;
      e.stallTo = t;
    }
    if (e.firstOut >= 0 && c.inValid && !c.inReady) {
      if (e.inLowFrom < 0) e.inLowFrom = t;
      e.inLowTo = t;
    }
  }
  return e;
}

// The diagram around its signal groups: caption, footer and the ftaccel facts.
nlohmann::json diagramJson(const nlohmann::json& signal, const std::string& caption, int lat,
                           const std::string& stimulus, const nlohmann::json& values) {
  return {{"signal", signal},
          {"head", {{"text", caption}, {"tock", -1}}},
          {"foot", {{"text", "cycle n (label) ends with rising edge n after reset release; the "
                             "first column is a reset cycle; other inputs are held at 0"}}},
          {"config", {{"hscale", 1}}},
          {"ftaccel", {{"latency", lat},
                       {"columns", "column 0 = reset cycle, column n + 1 = cycle n"},
                       {"stimulus", stimulus},
                       {"values", values},
                       {"generator", "ftaccel generate (flow/Integration.cpp); render with "
                                     "wavedrom-cli -i <top>_timing.json -s <top>_timing.svg"}}}};
}

}  // namespace

nlohmann::json timingDiagram(const config::Config& cfg, const units::IpDesign& ip) {
  const bool os = cfg.array.dataflow == config::Dataflow::OS;
  const units::PipelineModel pipe = units::pipelineModel(cfg);
  const int rows = cfg.array.rows, lat = ip.latencyCycles;
  if (!os) {
    const std::vector<StationaryColumn> sc = stationaryScenario(pipe, rows);
    const units::StreamPortNames sp = units::streamPortNames(cfg.array.dataflow);
    const TraceWaves<StationaryColumn> waves{sc};
    nlohmann::json signal = waves.clockAndReset();
    nlohmann::json load = nlohmann::json::array({sp.load});
    load.push_back(waves.bit(sp.load + "_valid_i", &StationaryColumn::loadValid));
    load.push_back(waves.bit(sp.load + "_ready_o", &StationaryColumn::loadReady));
    load.push_back(waves.data(sp.load + "_data_i", [](const StationaryColumn& c) {
      return c.beat < 0 ? std::string("x") : fmt::format("w{}", c.beat);
    }));
    signal.push_back(load);
    nlohmann::json stream = nlohmann::json::array({sp.stream});
    stream.push_back(waves.bit(sp.stream + "_valid_i", &StationaryColumn::inValid));
    stream.push_back(waves.bit(sp.stream + "_ready_o", &StationaryColumn::inReady));
    stream.push_back(waves.bit(sp.swap, &StationaryColumn::swap));
    stream.push_back(waves.data(sp.stream + "_data_i", [](const StationaryColumn& c) {
      return c.vec < 0 ? std::string("x") : fmt::format("v{}", c.vec);
    }));
    signal.push_back(stream);
    nlohmann::json out = nlohmann::json::array({"out"});
    out.push_back(waves.bit("out_valid_o", &StationaryColumn::outValid));
    out.push_back(waves.bit("out_ready_i", &StationaryColumn::outReady));
    out.push_back(waves.data("out_data_o", [](const StationaryColumn& c) {
      return c.head < 0 ? std::string("0") : fmt::format("y{}", c.head);
    }));
    signal.push_back(out);
    // Edges of the caption, read back from the trace (column n + 1 = cycle n).
    const StallEdges e = stallEdges(sc);
    int swapTake = -1;
    for (size_t i = 1; i < sc.size() && swapTake < 0; ++i)
      if (sc[i].swap && sc[i].inReady) swapTake = static_cast<int>(i) - 1;
    const std::string stimulus = fmt::format(
        "the {} load beats w<k>: every lane 1; streamed vector v<i>: every lane i + 1, so every lane of "
        "result y<i> is {} * (i + 1)",
        rows, rows);
    const std::string caption = fmt::format(
        "{}: reset, a load of {} beats, the swap vector v0 taken at edge {}, results from edge {} (latency "
        "{} = {}); out_ready_i low in cycles {}..{}: the output buffer fills and in_ready_o is low in "
        "cycles {}..{} while v{} waits",
        ip.top, rows, swapTake, e.firstOut, lat, ip.latencyFormula, e.stallFrom, e.stallTo, e.inLowFrom,
        e.inLowTo, kEarlyVectors);
    nlohmann::json values = nlohmann::json::object();
    for (int k = 0; k < rows; ++k) values[fmt::format("w{}", k)] = 1;
    for (int i = 0; i < kVectors; ++i) {
      values[fmt::format("v{}", i)] = i + 1;
      values[fmt::format("y{}", i)] = rows * (i + 1);
    }
    return diagramJson(signal, caption, lat, stimulus, values);
  }
  // OS: the tile scenario; labels k<i> (step i of its tile), t<j> (tile j) and y<j>.<r> (row r
  // of tile j's result), with their lane values in ftaccel.values.
  const std::vector<TileColumn> tc = tileScenario(pipe, rows);
  const std::vector<int> lengths = osTileLengths(rows);
  const TraceWaves<TileColumn> waves{tc};
  nlohmann::json signal = waves.clockAndReset();
  nlohmann::json in = nlohmann::json::array({"in"});
  in.push_back(waves.bit("in_valid_i", &TileColumn::inValid));
  in.push_back(waves.bit("in_ready_o", &TileColumn::inReady));
  in.push_back(waves.bit("in_last_i", &TileColumn::last));
  in.push_back(waves.data("in_x_i", [](const TileColumn& c) { return c.step < 0 ? std::string("x") : fmt::format("k{}", c.step); }));
  in.push_back(waves.data("in_w_i", [](const TileColumn& c) { return c.tile < 0 ? std::string("x") : fmt::format("t{}", c.tile); }));
  signal.push_back(in);
  nlohmann::json out = nlohmann::json::array({"out"});
  out.push_back(waves.bit("out_valid_o", &TileColumn::outValid));
  out.push_back(waves.bit("out_ready_i", &TileColumn::outReady));
  out.push_back(waves.data("out_data_o", [](const TileColumn& c) {
    return c.headTile < 0 ? std::string("0") : fmt::format("y{}.{}", c.headTile, c.headRow);
  }));
  signal.push_back(out);
  // Lane values of the labels: x = 1 and w = j + 1 in every lane of tile j's steps, so every
  // lane of tile j's result rows is length_j * (j + 1).
  nlohmann::json values = nlohmann::json::object();
  for (int j = 0; j < static_cast<int>(lengths.size()); ++j) {
    values[fmt::format("t{}", j)] = j + 1;
    for (int r = 0; r < rows; ++r) values[fmt::format("y{}.{}", j, r)] = lengths[static_cast<size_t>(j)] * (j + 1);
  }
  for (int i = 0; i < rows; ++i) values[fmt::format("k{}", i)] = 1;
  // Edges of the caption, read back from the trace (column n + 1 = cycle n).
  const StallEdges e = stallEdges(tc);
  int bubble = -1;  // the cycle a tile's last step is held back before the first result, if any
  std::vector<int> lastTake;
  for (size_t i = 1; i < tc.size(); ++i) {
    const int t = static_cast<int>(i) - 1;
    const auto& c = tc[i];
    if (c.inValid && c.inReady && c.last) lastTake.push_back(t);
    if (c.inValid && !c.inReady && c.last && (e.firstOut < 0 || t <= e.firstOut) && bubble < 0) bubble = t;
  }
  std::string tiles;
  for (size_t j = 0; j < lengths.size(); ++j) tiles += fmt::format("{}tile {}: {} steps", j ? ", " : "", j, lengths[j]);
  const std::string stimulus = fmt::format(
      "{}; in_x_i every lane 1 (label k<i>: step i), in_w_i every lane j + 1 in tile j (label t<j>), so "
      "every lane of result row y<j>.<r> is (tile j's steps) * (j + 1); ftaccel.values gives each label's "
      "lane value",
      tiles);
  const std::string caption = fmt::format(
      "{}: reset, tile 0 of {} steps (last step taken at edge {}) and tile 1 of {} steps (last step {}at "
      "edge {}), result rows from edge {} (latency {} = {}); out_ready_i low in cycles {}..{}: the output "
      "buffer fills and in_ready_o is low in cycles {}..{} while tile {} waits",
      ip.top, lengths[0], lastTake.at(0), lengths[1],
      bubble >= 0 ? fmt::format("held by in_ready_o low in cycle {}, a tile ending no sooner than {} cycles after the previous, taken ", bubble, rows) : std::string(),
      lastTake.at(1), e.firstOut, lat, ip.latencyFormula, e.stallFrom, e.stallTo, e.inLowFrom, e.inLowTo,
      lengths.size() - 1);
  return diagramJson(signal, caption, lat, stimulus, values);
}

}  // namespace ftaccel::flow
