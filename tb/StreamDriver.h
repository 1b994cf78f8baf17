// The pin-level streaming protocol of the generated IP, one driver per dataflow, shared by the
// `sim` driver (CosimMain.cpp) and the campaign engine (campaign/Simulator.h): which pins carry
// a streamed beat and its tag, a load beat, the consumer's ready, and when each handshake fires.
// Callers keep the clock and the evaluation order (campaign records depend on it).
#pragma once

#include <cstdint>

#include "PortAccess.h"
#include "cosim_config.h"
#include "cosim_units.h"

namespace ftaccel::tb {

// What the testbench offers in one cycle.
struct StreamOffer {
  bool stream = false;  // a streamed beat is valid
  bool tag = false;     // WS/IS: swap (first vector of a batch); OS: last step of a tile
  bool load = false;    // WS/IS: a load beat (one row of the stationary operand) is valid
  bool ready = true;    // the consumer takes a result this cycle
};

// Which handshakes complete on the coming edge (read after evaluation).
struct Handshakes {
  bool in = false;
  bool load = false;
  bool out = false;
};

#if FTACCEL_DATAFLOW_OS
// OS: one beat stream (activation column in_x_i, weight row in_w_i, in_last_i) and the result
// row stream; there is no load port.
template <typename Top>
class StreamDriver {
 public:
  explicit StreamDriver(Top& top) : top_(top) {}
  void offer(const StreamOffer& o) {
    top_.in_valid_i = o.stream;
    top_.in_last_i = o.tag;
    top_.out_ready_i = o.ready;
    offered_ = o;
  }
  // Lane r of the activation beat and lane c of the weight beat.
  void streamLane(int lane, int64_t value) { setLane(top_.in_x_i, lane, kBits(), value); }
  void weightLane(int lane, int64_t value) { setLane(top_.in_w_i, lane, kBits(), value); }
  // Lanes 0..n-1 of the activation beat in one pass (the per-cycle path of `sim`).
  void streamLanes(const int64_t* values, int n) { setLanes<FTACCEL_DATA_BITS>(top_.in_x_i, values, n); }
  template <typename X, typename W>
  void streamPorts(const X& x, const W& w) {
    top_.in_x_i = x;
    top_.in_w_i = w;
  }
  Handshakes handshakes() const {
    return {offered_.stream && top_.in_ready_o, false, top_.out_valid_o && offered_.ready};
  }

 private:
  static constexpr int kBits() { return FTACCEL_DATA_BITS; }
  Top& top_;
  StreamOffer offered_;
};
#else
// WS/IS: the streamed operand with its swap flag, the stationary operand's load port (one row
// per beat) and the result vector stream. Port names come from cosim_config.h (FTACCEL_S_*,
// FTACCEL_L_*), so IS (w_*, xload_*) and WS (in_*, wload_*) share the driver.
template <typename Top>
class StreamDriver {
 public:
  explicit StreamDriver(Top& top) : top_(top) {}
  void offer(const StreamOffer& o) {
    top_.FTACCEL_S_VALID = o.stream;
    top_.FTACCEL_S_SWAP = o.tag;
    top_.FTACCEL_L_VALID = o.load;
    top_.out_ready_i = o.ready;
    offered_ = o;
  }
  void streamLane(int lane, int64_t value) { setLane(top_.FTACCEL_S_DATA, lane, FTACCEL_DATA_BITS, value); }
  // Lanes 0..n-1 of the streamed beat in one pass (the per-cycle path of `sim`).
  void streamLanes(const int64_t* values, int n) { setLanes<FTACCEL_DATA_BITS>(top_.FTACCEL_S_DATA, values, n); }
  // Units that drive lanes computed from the load beat (unitLoadBeat) see every lane change;
  // `row`: the beat's position in its matrix load.
  void loadLane(int row, int lane, int64_t value) {
    setLane(top_.FTACCEL_L_DATA, lane, FTACCEL_DATA_BITS, value);
    unitLoadBeat(top_, row);
  }
#if FTACCEL_IDX_BITS
  // Flow-controlling PEs: lane c of the load beat's index bits (wload_idx_i).
  void loadIndexLane(int lane, int64_t value) { setLane(top_.wload_idx_i, lane, FTACCEL_IDX_BITS, value); }
#endif
  template <typename S>
  void streamPort(const S& data) { top_.FTACCEL_S_DATA = data; }
  template <typename L>
  void loadPort(int row, const L& data) {
    top_.FTACCEL_L_DATA = data;
    unitLoadBeat(top_, row);
  }
  Handshakes handshakes() const {
    return {offered_.stream && top_.FTACCEL_S_READY, offered_.load && top_.FTACCEL_L_READY,
            top_.out_valid_o && offered_.ready};
  }

 private:
  Top& top_;
  StreamOffer offered_;
};
#endif

}  // namespace ftaccel::tb
