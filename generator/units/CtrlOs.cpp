// Handshake and pipeline control of the OS array: advance, tile flags, tile spacing and the
// valid window of the drained result rows.
#include "units/PipelineModel.h"
#include "units/OutBuffer.h"
#include "units/Units.h"

namespace ftaccel::units {

using namespace ir;

Module buildCtrlOs(const config::Config& cfg, const ModuleNames& names) {
  Module m;
  m.name = names.ctrl;
  m.description = {
      "The whole datapath advances together (en_o, a register): it stops one cycle after the",
      "output buffer is full and the last stage holds a result row.",
      "A tile is the beats from a first beat to the beat with in_last_i. Its last beat is",
      "accepted no sooner than Rows cycles after the previous tile's last beat, so a column",
      "has drained its results before it snapshots the next ones (bubbles fill the gap).",
      "Rows result rows leave Rows + Cols cycles after the last beat, one per cycle.",
  };
  m.params = {
      {"Rows", std::to_string(cfg.array.rows), false, ""},
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"Latency", pipelineModel(cfg).ctrlLatencySv(), true, "last beat to first result row, derived"},
      {"RowBits", "$clog2(Rows + 1)", true, "derived"},
  };
  m.ports = clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "in_valid_i", "", ""},
      {Dir::In, "in_last_i", "", ""},
      {Dir::Out, "in_ready_o", "", ""},
      {Dir::Out, "accept_o", "", "a beat is taken this cycle"},
      {Dir::Out, "first_o", "", "the beat taken is the first of its tile"},
      {Dir::Out, "en_o", "", "datapath advance"},
      {Dir::Out, "out_valid_o", "", ""},
      {Dir::In, "out_ready_i", "", ""},
  });
  m.checks = {{"Rows >= 1 && Cols >= 1", "Rows and Cols must be at least 1"}};
  m.items = {
      reg("end_q", "Latency", "tile ends on their way to the north edge", {"control"}),
      reg("since_q", "RowBits", "cycles since the last tile end, saturating at Rows-1", {"control"}),
      reg("open_q", "", "a tile has started and not ended", {"control"}),
      reg("rows_q", "RowBits", "result rows still to deliver", {"control"}),
      Signal{"last_ok", "", ""},
      Signal{"accept", "", ""},
      ContAssign{"last_ok", "since_q == RowBits'(Rows - 1)", ""},
      ContAssign{"accept", "in_valid_i && en && (!in_last_i || last_ok)", ""},
      AlwaysFF{"p_tiles", "",
               {Stmt::assign("end_q", "'0"), Stmt::assign("since_q", "RowBits'(Rows - 1)"),
                Stmt::assign("open_q", "1'b0"), Stmt::assign("rows_q", "'0")},
               {Stmt::ifThen(
                   "en",
                   {Stmt::assign("end_q", "{end_q[Latency-2:0], accept && in_last_i}"),
                    Stmt::ifThen("accept && in_last_i", {Stmt::assign("since_q", "'0")},
                                 {Stmt::ifThen("!last_ok",
                                               {Stmt::assign("since_q", "since_q + 1'b1")})}),
                    Stmt::ifThen("accept", {Stmt::assign("open_q", "!in_last_i")}),
                    Stmt::ifThen("end_q[Latency-1]", {Stmt::assign("rows_q", "RowBits'(Rows)")},
                                 {Stmt::ifThen("rows_q != '0",
                                               {Stmt::assign("rows_q", "rows_q - 1'b1")})})})}},
      ContAssign{"in_ready_o", "en && (!in_last_i || last_ok)", ""},
      ContAssign{"accept_o", "accept", ""},
      ContAssign{"first_o", "!open_q", ""},
  };
  // After an advance the last stage holds a row if a tile end arrives or more rows remain.
  addRegisteredAdvance(m, "(rows_q != '0)",
                       "en_q ? (end_q[Latency-1] || (rows_q != '0 && rows_q != RowBits'(1))) : (rows_q != '0)");
  return m;
}

}  // namespace ftaccel::units
