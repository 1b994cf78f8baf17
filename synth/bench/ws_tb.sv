// One self-checking testbench for a generated WS (or IS) IP, for Icarus and Verilator --binary:
// loads a random weight matrix, streams vectors from a pool of 16 every cycle, compares every
// result with the sum it computes itself, and stops after `CYCLES clock cycles.
// Defines: TOP (module), ROWS, COLS, BITS, ACC, CYCLES.
`timescale 1ns / 1ps
module ws_bench_tb;
  localparam int R = `ROWS, C = `COLS, B = `BITS, A = `ACC, P = 16;
  localparam int Cycles = `CYCLES;
  logic clk_i = 0, rst_ni = 0;
  logic in_valid_i = 0, in_wswap_i = 0, wload_valid_i = 0, out_ready_i = 1;
  logic [R*B-1:0] in_data_i = '0;
  logic [C*B-1:0] wload_data_i = '0;
  logic in_ready_o, wload_ready_o, out_valid_o;
  logic [C*A-1:0] out_data_o;
  logic [C*B-1:0] wrows [R];
  logic [R*B-1:0] xpool [P];
  logic [C*A-1:0] ypool [P];
  int cycles = 0, loaded = 0, sent = 0, got = 0, errors = 0;
  int unsigned state = 32'h1234_5678;

  `TOP dut (.*);

  always #5 clk_i = ~clk_i;

  // xorshift32: the same numbers in every simulator.
  function automatic int unsigned next();
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  endfunction

  initial begin : p_setup
    longint sum;
    for (int k = 0; k < R; k++)
      for (int c = 0; c < C; c++) wrows[k][c*B +: B] = B'(next());
    for (int p = 0; p < P; p++) begin
      for (int k = 0; k < R; k++) xpool[p][k*B +: B] = B'(next());
      for (int c = 0; c < C; c++) begin
        sum = 0;
        for (int k = 0; k < R; k++)
          sum += longint'($signed(xpool[p][k*B +: B])) * longint'($signed(wrows[k][c*B +: B]));
        ypool[p][c*A +: A] = A'(sum);
      end
    end
    #22 rst_ni = 1;
  end

  // Drive on the falling edge, sample on the rising edge.
  always @(negedge clk_i) if (rst_ni) begin
    wload_valid_i = loaded < R;
    wload_data_i = loaded < R ? wrows[loaded] : '0;
    in_valid_i = 1'b1;
    in_wswap_i = sent == 0;
    in_data_i = xpool[sent % P];
  end

  always @(posedge clk_i) if (rst_ni) begin
    cycles++;
    if (wload_valid_i && wload_ready_o) loaded++;
    if (in_valid_i && in_ready_o) sent++;
    if (out_valid_o && out_ready_i) begin
      if (out_data_o !== ypool[got % P]) begin
        if (errors < 5) $display("mismatch at result %0d", got);
        errors++;
      end
      got++;
    end
    if (cycles == Cycles) begin
      $display("BENCH cycles=%0d results=%0d errors=%0d", cycles, got, errors);
      $finish;
    end
  end
endmodule
