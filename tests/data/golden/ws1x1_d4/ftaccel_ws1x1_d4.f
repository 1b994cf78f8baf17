rtl/ftaccel_ws1x1_d4_pe.sv
rtl/ftaccel_ws1x1_d4_skew_in.sv
rtl/ftaccel_ws1x1_d4_ctrl.sv
rtl/ftaccel_ws1x1_d4_array.sv
rtl/ftaccel_ws1x1_d4.sv
