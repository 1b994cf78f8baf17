// The registered pipeline advance and the two-entry output buffer that makes it possible.
// The datapath's enable is a flip-flop (en_q), decided one cycle ahead from registered state
// and out_ready_i, so no same-cycle path runs from out_ready_i to the enables of the array; the
// results of the one advance that may follow a falling out_ready_i wait in the buffer.
#pragma once

#include <string>

#include "config/Config.h"
#include "ir/Ir.h"

namespace ftaccel::units {

struct ModuleNames;

// Adds en_q, the buffer occupancy and the buffer controls to a ctrl module. `lastValid` is the
// valid bit of the datapath's last stage (a register expression), `lastValidNext` its value
// after the next edge when the datapath advances (registers only). Declares the signal `en`
// (= en_q) and drives en_o, out_valid_o and the buf_* outputs; the ctrl must have out_ready_i.
void addRegisteredAdvance(ir::Module& ctrl, const std::string& lastValid,
                          const std::string& lastValidNext);

// The buffer's data registers (<name>_out_buf): the control is in the ctrl.
ir::Module buildOutBuffer(const config::Config& cfg, const ModuleNames& names);

// The buffer instance in a top, between `data` (the de-skewed results) and out_data_o.
ir::Instance outBufferInstance(const ModuleNames& names, const std::string& data);

}  // namespace ftaccel::units
