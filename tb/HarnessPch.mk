# Precompiled harness header (HarnessPch.h), read by make together with Vtop.mk:
#   make -C obj -f Vtop.mk -f ../tb/HarnessPch.mk harness-pch
# It uses the flags of Vtop.mk's rule for the harness and model objects (OPT_FAST included),
# which GCC requires before it accepts the .gch, less the -include of the header itself.
.PHONY: harness-pch
harness-pch: ../tb/HarnessPch.h.gch

../tb/HarnessPch.h.gch: ../tb/HarnessPch.h
	$(OBJCACHE) $(CXX) $(CXXFLAGS) $(filter-out -include%,$(CPPFLAGS)) $(OPT_FAST) -x c++-header -o $@ $<
