// Reset of the generated IP's Verilator model, shared by the co-simulation and campaign drivers.
#pragma once

#include "PortAccess.h"
#include "cosim_config.h"
#include "cosim_units.h"

namespace ftaccel::tb {

// Zeroes the fault inputs of the simulation variant: under randReset inputs start random, and
// no fault may act unless one is asked for. Nothing to do for the production model.
template <typename Top>
inline void clearFaultInputs(Top& top) {
#if FTACCEL_FAULT_PORTS
  clearPort(top.fi_xor_i);
  clearPort(top.fi_clr_i);
  clearPort(top.fi_mask_i);
  clearPort(top.fi_value_i);
#if FTACCEL_TIMING_PORTS
  clearPort(top.fi_pxor_i);
#endif
#else
  (void)top;
#endif
}

// Asynchronous reset needs a falling edge on rst_ni; clock twice while it is low. Leaves the
// clock low and the model settled out of reset.
template <typename Top>
inline void applyReset(Top& top) {
  top.clk_i = 0;
  top.rst_ni = 1;
  top.eval();
  top.rst_ni = 0;
  top.eval();
  for (int i = 0; i < 2; ++i) {
    top.clk_i = 1;
    top.eval();
    top.clk_i = 0;
    top.eval();
  }
  top.rst_ni = 1;
  top.eval();
}

}  // namespace ftaccel::tb
