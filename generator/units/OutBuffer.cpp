// Registered pipeline advance and the output buffer (see OutBuffer.h).
#include "units/OutBuffer.h"

#include "units/Units.h"

namespace ftaccel::units {

using namespace ir;

void addRegisteredAdvance(Module& m, const std::string& lastValid, const std::string& lastValidNext) {
  m.ports.insert(m.ports.end(), {
      {Dir::Out, "buf_head_load_o", "", "output buffer: the head takes the new result"},
      {Dir::Out, "buf_head_shift_o", "", "output buffer: the head takes the second entry"},
      {Dir::Out, "buf_tail_load_o", "", "output buffer: the second entry takes the new result"},
  });
  // Declarations first (the ctrl's own logic reads `en`), logic last.
  const std::vector<Item> declarations = {
      reg("en_q", "", "the datapath advances this cycle", {"control"}),
      reg("count_q", "2", "results held in the output buffer (0..2)", {"control"}),
      Signal{"en", "", ""},
      Signal{"push", "", ""},
      Signal{"pop", "", ""},
      Signal{"count_next", "2", ""},
      Signal{"en_next", "", ""},
  };
  m.items.insert(m.items.begin(), declarations.begin(), declarations.end());
  m.items.insert(m.items.end(), {
      ContAssign{"en", "en_q", ""},
      ContAssign{"push", "en_q && " + lastValid, "the last stage's result leaves with this advance"},
      ContAssign{"pop", "(count_q != 2'd0) && out_ready_i", ""},
      ContAssign{"count_next", "count_q + {1'b0, push} - {1'b0, pop}", ""},
      // Registers and out_ready_i only: no path from out_ready_i to the datapath's enables.
      ContAssign{"en_next", "(count_next != 2'd2) || !(" + lastValidNext + ")",
                 "advance next cycle unless a full buffer could get a third result"},
      AlwaysFF{"p_advance", "",
               {Stmt::assign("en_q", "1'b1"), Stmt::assign("count_q", "2'd0")},
               {Stmt::assign("en_q", "en_next"), Stmt::assign("count_q", "count_next")}},
      ContAssign{"buf_head_load_o", "push && ((count_q == 2'd0) || (count_q == 2'd1 && pop))", ""},
      ContAssign{"buf_head_shift_o", "pop && (count_q == 2'd2)", ""},
      ContAssign{"buf_tail_load_o", "push && ((count_q == 2'd1 && !pop) || (count_q == 2'd2 && pop))", ""},
      ContAssign{"en_o", "en", ""},
      ContAssign{"out_valid_o", "count_q != 2'd0", ""},
  });
}

Module buildOutBuffer(const config::Config& cfg, const ModuleNames& names) {
  Module m;
  m.name = names.outBuf;
  m.description = {
      "Output buffer: two result vectors. The datapath's advance is registered, so after",
      "out_ready_i falls the results of one more advance may arrive; they wait here. The ctrl",
      "decides every load and shift. out_data_o is the head register (no logic after it).",
  };
  m.params = {{"Width", std::to_string(cfg.array.cols * cfg.array.groupK * cfg.data.accBits), false, "bits per result vector"}};
  m.ports = clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "head_load_i", "", "the head takes data_i"},
      {Dir::In, "head_shift_i", "", "the head takes the second entry"},
      {Dir::In, "tail_load_i", "", "the second entry takes data_i"},
      {Dir::In, "data_i", "Width", ""},
      {Dir::Out, "data_o", "Width", "the oldest result held"},
  });
  m.checks = {{"Width >= 1", "Width must be at least 1"}};
  m.items = {
      reg("head_q", "Width", "oldest result", {"out_buf"}),
      reg("tail_q", "Width", "result behind it", {"out_buf"}),
      AlwaysFF{"p_entries", "",
               {Stmt::assign("head_q", "'0"), Stmt::assign("tail_q", "'0")},
               {Stmt::ifElseIf({{"head_load_i", {Stmt::assign("head_q", "data_i")}},
                                {"head_shift_i", {Stmt::assign("head_q", "tail_q")}}}),
                Stmt::ifThen("tail_load_i", {Stmt::assign("tail_q", "data_i")})}},
      ContAssign{"data_o", "head_q", ""},
  };
  return m;
}

Instance outBufferInstance(const ModuleNames& names, const std::string& data) {
  return Instance{names.outBuf,
                  "u_out_buf",
                  {},
                  {{"clk_i", "clk_i"},
                   {"rst_ni", "rst_ni"},
                   {"head_load_i", "buf_head_load"},
                   {"head_shift_i", "buf_head_shift"},
                   {"tail_load_i", "buf_tail_load"},
                   {"data_i", data},
                   {"data_o", "out_data_o"}},
                  "results wait here when out_ready_i is low"};
}

}  // namespace ftaccel::units
