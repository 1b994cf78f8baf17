# Start order of the longest Catch2 tests (CTest runs higher COST first). A clean clone has no
# CTestCostData.txt, so without this CTest starts tests in declaration order and the longest
# ones (declared late) ran alone at the end of `make test`. Figures: seconds measured in one
# clean-clone `make test` (ctest -j 3, cold model cache); a name that no longer exists is
# ignored by CTest, so a stale entry costs only its place in the order.
set(ftaccel_test_costs
  "campaign: random kills with SIGKILL SIGTERM SIGINT and resumes give the uninterrupted records" 117
  "the WaveDrom timing example matches a Verilator --timing simulation of WS and IS" 41
  "campaign: the rows net form injects and classifies like the per-PE form" 26
  "filter campaigns: the stationary-register shortcut uses the filtered vectors (--verify-pruned)" 26
  "temporal campaign: errors inside the output buffer are detected, also two that cancel in the spatial sum" 26
  "temporal campaign: input flips detected, whole-batch weight errors missed (both: detected)" 25
  "interface assertions stop a Verilator --assert simulation that drops valid" 20
  "bypass 30-bit WS 3x1 and IS 4x4: no beat is taken while the mask shifts in" 18
  "sparse co-simulation: shortened-2 on 1x4 and shortened-8 on 4x1" 17
  "lint: vectors over Verilator's 8,192-bit fill limit reset to a sized zero" 13)
list(LENGTH ftaccel_test_costs n)
math(EXPR last "${n} - 1")
foreach(i RANGE 0 ${last} 2)
  math(EXPR j "${i} + 1")
  list(GET ftaccel_test_costs ${i} name)
  list(GET ftaccel_test_costs ${j} cost)
  set_tests_properties("${name}" PROPERTIES COST ${cost})
endforeach()
