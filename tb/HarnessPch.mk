# Precompiled harness header (HarnessPch.h), read by make together with Vtop.mk:
#   make -C obj -f Vtop.mk -f ../tb/HarnessPch.mk harness-pch
# It uses the exact flags of Vtop.mk's rule for the harness objects (OPT_FAST included), which
# GCC requires before it accepts the .gch.
.PHONY: harness-pch
harness-pch: ../tb/HarnessPch.h.gch

../tb/HarnessPch.h.gch: ../tb/HarnessPch.h
	$(OBJCACHE) $(CXX) $(CXXFLAGS) $(CPPFLAGS) $(OPT_FAST) -x c++-header -o $@ $<
