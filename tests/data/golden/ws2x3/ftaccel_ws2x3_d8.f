rtl/ftaccel_ws2x3_d8_pe.sv
rtl/ftaccel_ws2x3_d8_skew_in.sv
rtl/ftaccel_ws2x3_d8_ctrl.sv
rtl/ftaccel_ws2x3_d8_array.sv
rtl/ftaccel_ws2x3_d8_skew_out.sv
rtl/ftaccel_ws2x3_d8.sv
