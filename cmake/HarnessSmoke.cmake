# Harness smoke target: the co-simulation harness (FTACCEL_HARNESS_FILES) compiled by the project
# build with the project's warnings, against the verilated fault-injection variant of the default
# IP (the variant that compiles every part of the harness). The model is built by Verilator's
# own makefile, the harness and Verilator's runtime by CMake. The program is never run (the
# test suite runs harnesses built the way `ftaccel sim` builds them), so the model is built at
# -O0 and the harness at -O1, which keeps GCC's flow-based warnings.
find_program(FTACCEL_VERILATOR verilator)
if(NOT FTACCEL_VERILATOR)
  message(STATUS "verilator not found: harness smoke target disabled")
  return()
endif()
execute_process(COMMAND ${FTACCEL_VERILATOR} --getenv VERILATOR_ROOT
                OUTPUT_VARIABLE FTACCEL_VERILATOR_ROOT OUTPUT_STRIP_TRAILING_WHITESPACE)
find_package(Threads REQUIRED)

set(smoke ${CMAKE_BINARY_DIR}/harness-smoke)
# `key` changes only when a source changes (cosim-sources leaves unchanged files alone), so a
# rebuilt ftaccel binary re-verilates only when the RTL or the harness differ.
add_custom_command(
  OUTPUT ${smoke}/src/key
  COMMAND $<TARGET_FILE:ftaccel> cosim-sources --fault-injection --out ${smoke}/src
  DEPENDS ftaccel
  COMMENT "Writing the co-simulation sources of the default IP (fault-injection variant)")
set(model_outputs ${smoke}/obj/Vtop.h ${smoke}/obj/Vtop__ALL.a)
add_custom_command(
  OUTPUT ${model_outputs}
  COMMAND ${CMAKE_COMMAND} -E env "OBJCACHE=$<$<BOOL:${FTACCEL_CCACHE}>:${FTACCEL_CCACHE}>"
          ${FTACCEL_VERILATOR} --cc --build -j 2 -Mdir ${smoke}/obj -f verilator.f
          -MAKEFLAGS "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"
  WORKING_DIRECTORY ${smoke}/src
  DEPENDS ${smoke}/src/key
  COMMENT "Verilating the default IP for the harness smoke target")
add_custom_target(ftaccel_harness_model DEPENDS ${model_outputs})

set(harness_sources ${FTACCEL_HARNESS_FILES})
list(FILTER harness_sources INCLUDE REGEX "\\.cpp$")
list(TRANSFORM harness_sources PREPEND ${CMAKE_SOURCE_DIR}/)
set(verilator_runtime ${FTACCEL_VERILATOR_ROOT}/include/verilated.cpp
                      ${FTACCEL_VERILATOR_ROOT}/include/verilated_threads.cpp)
# Verilator's runtime is third-party code: built, not linted.
set_source_files_properties(${verilator_runtime} PROPERTIES COMPILE_OPTIONS "-w")

add_executable(ftaccel_harness_smoke ${harness_sources} ${verilator_runtime})
add_dependencies(ftaccel_harness_smoke ftaccel_harness_model)
# The source tree first (golden/, fault/ headers), then the generated per-configuration headers
# (cosim_config.h, fi_sites.h) and the model (Vtop.h).
target_include_directories(ftaccel_harness_smoke PRIVATE
  ${CMAKE_SOURCE_DIR}/generator ${CMAKE_SOURCE_DIR}/tb ${smoke}/src/tb)
# Verilator's headers and the code it generates are not ours to lint.
target_include_directories(ftaccel_harness_smoke SYSTEM PRIVATE ${smoke}/obj
  ${FTACCEL_VERILATOR_ROOT}/include ${FTACCEL_VERILATOR_ROOT}/include/vltstd)
target_compile_definitions(ftaccel_harness_smoke PRIVATE
  VM_COVERAGE=0 VM_SC=0 VM_TRACE=0 VM_TRACE_FST=0 VM_TRACE_VCD=0)
target_compile_options(ftaccel_harness_smoke PRIVATE ${FTACCEL_WARNINGS} -O1)
target_link_libraries(ftaccel_harness_smoke PRIVATE
  ${smoke}/obj/Vtop__ALL.a nlohmann_json::nlohmann_json Threads::Threads atomic)
