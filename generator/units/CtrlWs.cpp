// Handshake and pipeline control of the WS array: advance, valid pipe, weight-load sequencing.
#include <fmt/format.h>

#include "units/OutBuffer.h"
#include "units/PipelineModel.h"
#include "units/Units.h"

namespace ftaccel::units {

using namespace ir;

namespace {

// Valid stages per copy of the advance register in a long valid pipe.
constexpr int kValidSegment = 64;

// valid_q advanced by one stage: the taken vector enters stage 0. Latency = rows + cols >= 2,
// so there is always a lower part to shift.
constexpr const char* kValidShifted = "{valid_q[Latency-2:0], accept}";

// The valid pipe of a long array, in segments of kValidSegment stages, each enabled by its own
// copy of en_q (en_copy_q): en_q alone drove every stage's enable, and no synthesis step here
// buffers a flip-flop's output (256x256 16-bit on sky130: en_q's clock-to-Q was 4.77 ns of the
// ctrl's 6.91 ns path; 0.54 ns of 2.58 ns with the copies). Each copy loads en_next like en_q;
// the term `en_copy_q & ~en_q` is 0 in every reachable state (the copies equal en_q), so
// behaviour is unchanged, but it keeps Yosys from merging the copies back into one flip-flop,
// and a flipped copy falls back in step with en_q by the cycle after en_q is next 1.
void addSegmentedValid(Module& m) {
  m.params.push_back({"EnSegs", fmt::format("(Latency + {0} - 1) / {0}", kValidSegment), true,
                      fmt::format("valid stages per en_q copy: {}", kValidSegment)});
  m.items.insert(m.items.end(), {
      reg("en_copy_q", "EnSegs", "copies of en_q, one per segment of the valid pipe", {"control"}),
      Signal{"en_copy_n", "EnSegs", ""},
      Signal{"valid_shift", "Latency", "valid_q advanced by one stage"},
      Signal{"valid_n", "Latency", "valid_q's next value"},
      ContAssign{"en_copy_n", "{EnSegs{en_next}} | (en_copy_q & ~{EnSegs{en_q}})",
                 "equal to en_q's next value whenever the copies equal en_q"},
      ContAssign{"valid_shift", kValidShifted, ""},
  });
  m.items.push_back(makeGenerate(
      "gen_valid_seg", "s", "EnSegs",
      {LocalParam{"Lo", fmt::format("{} * s", kValidSegment)},
       LocalParam{"N", fmt::format("(Latency - Lo < {0}) ? Latency - Lo : {0}", kValidSegment)},
       ContAssign{"valid_n[Lo +: N]", "en_copy_q[s] ? valid_shift[Lo +: N] : valid_q[Lo +: N]", ""}}));
  m.items.push_back(AlwaysFF{"p_valid_q", "",
                             {Stmt::assign("valid_q", "'0"), Stmt::assign("en_copy_q", "'1")},
                             {Stmt::assign("valid_q", "valid_n"), Stmt::assign("en_copy_q", "en_copy_n")}});
}

}  // namespace

Module buildCtrlWs(const config::Config& cfg, const ModuleNames& names) {
  const PipelineModel pipe = pipelineModel(cfg);
  Module m;
  m.name = names.ctrl;
  m.description = {
      "The whole datapath advances together (en_o, a register): it stops one cycle after the",
      "output buffer is full and the last stage holds a result, so out_ready_i reaches no",
      "datapath enable in the same cycle.",
      "A vector whose in_wswap_i is set installs the weight matrix completed since the last",
      "swap (swap_o). With none completed it waits (in_ready_o low) while a load is in",
      "progress or offered (wload_valid_i), until the load's last beat; otherwise the swap is",
      "a no-op that keeps the active matrix, so a swap never waits for a load nobody sends.",
      "Weight beats are refused while a swap is still travelling through the array, so a PE",
      "never installs a half-loaded row.",
  };
  m.params = {
      {"Rows", std::to_string(cfg.array.rows), false, ""},
      {"Cols", std::to_string(cfg.array.cols), false, ""},
      {"Latency", pipe.ctrlLatencySv(), true, "input handshake to output valid, derived"},
      {"SwapSpan", pipe.swapSpanSv(), true, "cycles a swap needs to reach the last PE, derived"},
      {"RowBits", "(Rows > 1) ? $clog2(Rows) : 1", true, "derived"},
      {"SpanBits", "$clog2(SwapSpan + 1)", true, "derived"},
  };
  m.ports = clockPorts(false);
  m.ports.insert(m.ports.end(), {
      {Dir::In, "in_valid_i", "", ""},
      {Dir::In, "in_wswap_i", "", ""},
      {Dir::Out, "in_ready_o", "", ""},
      {Dir::Out, "accept_o", "", "an input vector is taken this cycle"},
      {Dir::Out, "swap_o", "", "the vector taken installs the loaded matrix"},
      {Dir::In, "wload_valid_i", "", ""},
      {Dir::Out, "wload_ready_o", "", ""},
      {Dir::Out, "wload_o", "", "a weight row is taken this cycle"},
      {Dir::Out, "en_o", "", "datapath advance"},
      {Dir::Out, "out_valid_o", "", ""},
      {Dir::In, "out_ready_i", "", ""},
  });
  m.checks = {{"Rows >= 1 && Cols >= 1", "Rows and Cols must be at least 1"}};

  m.items = {
      reg("valid_q", "Latency", "valid bit of every pipeline stage", {"control"}),
      reg("swap_cnt_q", "SpanBits", "advances until the last swap has reached every PE", {"control"}),
      reg("wrow_q", "RowBits", "weight rows received of the current load", {"control"}),
      reg("loaded_q", "", "a complete weight matrix waits in the shadow registers", {"control"}),
      Signal{"accept", "", ""},
      Signal{"wload", "", ""},
      Signal{"swap_ok", "", ""},
      Signal{"swap", "", ""},
      Signal{"swap_busy", "", ""},
      ContAssign{"swap_ok", "loaded_q || (wrow_q == '0 && !wload_valid_i)",
                 "a swap waits only for a load in progress or offered"},
      ContAssign{"accept", "in_valid_i && en && (!in_wswap_i || swap_ok)", ""},
      ContAssign{"swap", "accept && in_wswap_i && loaded_q", "no new matrix: the swap is a no-op"},
      ContAssign{"swap_busy", "(swap_cnt_q != '0) || swap", ""},
      ContAssign{"wload", "wload_valid_i && !swap_busy", ""},
  };
  if (pipe.latency() <= kValidSegment) {
    m.items.push_back(AlwaysFF{"p_valid_q", "",
                               {Stmt::assign("valid_q", "'0")},
                               {Stmt::ifThen("en", {Stmt::assign("valid_q", kValidShifted)})}});
  } else {
    addSegmentedValid(m);
  }
  // A counter rather than a shift register of swap tags: a wide OR-reduction was the
  // critical path of large arrays.
  m.items.push_back(AlwaysFF{
      "p_swap_cnt", "",
      {Stmt::assign("swap_cnt_q", "'0")},
      {Stmt::ifThen("swap", {Stmt::assign("swap_cnt_q", "SpanBits'(SwapSpan)")},
                    {Stmt::ifThen("en && swap_cnt_q != '0",
                                  {Stmt::assign("swap_cnt_q", "swap_cnt_q - 1'b1")})})}});
  m.items.push_back(AlwaysFF{
      "p_wload",
      "count weight rows; a complete matrix is consumed by the next swap",
      {Stmt::assign("wrow_q", "'0"), Stmt::assign("loaded_q", "1'b0")},
      {Stmt::ifThen(
           "wload",
           {Stmt::ifThen("wrow_q == RowBits'(Rows - 1)",
                         {Stmt::assign("wrow_q", "'0"), Stmt::assign("loaded_q", "1'b1")},
                         {Stmt::assign("wrow_q", "wrow_q + 1'b1"),
                          Stmt::assign("loaded_q", "1'b0")})},
           {Stmt::ifThen("swap", {Stmt::assign("loaded_q", "1'b0")})})}});
  m.items.push_back(ContAssign{"in_ready_o", "en && (!in_wswap_i || swap_ok)", ""});
  m.items.push_back(ContAssign{"accept_o", "accept", ""});
  m.items.push_back(ContAssign{"swap_o", "swap", ""});
  m.items.push_back(ContAssign{"wload_ready_o", "!swap_busy", ""});
  m.items.push_back(ContAssign{"wload_o", "wload", ""});
  addRegisteredAdvance(m, "valid_q[Latency-1]", "en_q ? valid_q[Latency-2] : valid_q[Latency-1]");
  return m;
}

}  // namespace ftaccel::units
