// Bare Verilator driver of a generated WS (or IS) IP: streams random vectors every cycle with the
// consumer always ready, reloads weights in the background, compares nothing. The reference for
// the co-simulation harness's speed (same RTL, same machine, same minute).
// Usage: bare CYCLES; prints "BARE cycles=N results=M checksum=X".
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <type_traits>

#include "Vbare.h"
#include "verilated.h"

namespace {

uint64_t rng = 0x9E3779B97F4A7C15ull;
uint64_t next() {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

// Random bits into a port of any width (Verilator: integers up to 64 bits, VlWide above).
template <typename T>
void randomize(T& port) {
  static_assert(std::is_integral_v<T>);
  port = static_cast<T>(next());
}
template <std::size_t N>
void randomize(VlWide<N>& port) {
  for (std::size_t i = 0; i < N; ++i) port[i] = static_cast<uint32_t>(next());
}

template <typename T>
uint64_t low(const T& port) {
  return port;
}
template <std::size_t N>
uint64_t low(const VlWide<N>& port) {
  return port[0];
}

}  // namespace

int main(int argc, char** argv) {
  const long cycles = argc > 1 ? std::atol(argv[1]) : 1000000;
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(0);
  auto top = std::make_unique<Vbare>(ctx.get());
  top->clk_i = 0;
  top->rst_ni = 0;
  top->eval();
  top->rst_ni = 1;
  top->eval();
  long results = 0;
  uint64_t checksum = 0;
  for (long c = 0; c < cycles; ++c) {
    top->in_valid_i = 1;
    top->in_wswap_i = (c % 1024) == 0;
    randomize(top->in_data_i);
    top->wload_valid_i = 1;
    randomize(top->wload_data_i);
    top->out_ready_i = 1;
    top->clk_i = 1;
    top->eval();
    if (top->out_valid_o) {
      ++results;
      checksum += low(top->out_data_o);
    }
    top->clk_i = 0;
    top->eval();
  }
  top->final();
  std::printf("BARE cycles=%ld results=%ld checksum=%llx\n", cycles, results,
              static_cast<unsigned long long>(checksum));
  return 0;
}
