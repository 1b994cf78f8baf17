rtl/ftaccel_is2x2_d6_pe.sv
rtl/ftaccel_is2x2_d6_skew_in.sv
rtl/ftaccel_is2x2_d6_ctrl.sv
rtl/ftaccel_is2x2_d6_array.sv
rtl/ftaccel_is2x2_d6_skew_out.sv
rtl/ftaccel_is2x2_d6.sv
