rtl/ftaccel_ws8x8_d8_pe.sv
rtl/ftaccel_ws8x8_d8_skew_in.sv
rtl/ftaccel_ws8x8_d8_ctrl.sv
rtl/ftaccel_ws8x8_d8_array.sv
rtl/ftaccel_ws8x8_d8_skew_out.sv
rtl/ftaccel_ws8x8_d8.sv
