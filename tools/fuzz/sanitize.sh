#!/usr/bin/env bash
# `make sanitize`: ASan + UBSan build of the generator and tests (FTACCEL_SANITIZE) in its own
# build directory, the unit tests without co-simulation, then co-simulations and campaigns whose
# Verilator models are compiled and linked with the same sanitizers (FTACCEL_COSIM_CXXFLAGS).
# Usage: tools/fuzz/sanitize.sh [BUILD_DIR=build-asan] [JOBS=2] [build|unit|cosim|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-asan}
JOBS=${2:-2}
WHAT=${3:-all}
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer"
# Any report fails the run: UBSan stops at the first finding, ASan checks leaks at exit.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}
t0=$(date +%s)
stamp() { echo "[sanitize] $1 ($(( $(date +%s) - t0 )) s)"; }

if [[ $WHAT == build || $WHAT == all ]]; then
  # -O1 -g1: a quarter of -O2's compile time, and line numbers in every report.
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" \
    -DFTACCEL_SANITIZE=ON -DFTACCEL_HARNESS_SMOKE=OFF > /dev/null
  cmake --build "$BUILD" -j "$JOBS" --target ftaccel ftaccel_tests
  stamp "built"
fi

if [[ $WHAT == unit || $WHAT == all ]]; then
  # Everything but what builds Verilator models or runs the synthesis tools (those run below
  # with sanitized models, or need no sanitizer: their work is in other programs).
  (cd "$BUILD" && FTACCEL_CACHE_DIR="$PWD/cosim-cache" \
    ./tests/ftaccel_tests "~[cosim]~[large]~[synth]~[campaign]~[icarus]~[icarus16]~[hygiene]~[.]" \
    --reporter compact 2>&1 | tail -n 40)
  stamp "unit tests"
fi

if [[ $WHAT == cosim || $WHAT == all ]]; then
  F="$BUILD/ftaccel"
  export FTACCEL_CACHE_DIR="$PWD/$BUILD/cosim-cache"
  export FTACCEL_COSIM_CXXFLAGS="$SAN"
  out="$BUILD/sanitize-runs"
  rm -rf "$out" && mkdir -p "$out"
  run() { echo "[sanitize] ftaccel $*"; "$F" "$@" > "$out/last.log" 2>&1 || { cat "$out/last.log"; exit 1; }; }
  # One model per dataflow and per unit family, small arrays: each verilates and compiles once.
  run sim --set array.rows=3 --set array.cols=4 --set protect.bypass=true --set protect.sanity_check='"spatial"' \
      --vectors 300 --batch 7 --in-valid 0.7 --out-ready 0.6 --bypass random:0.3 --protocol-fuzz 20
  run sim --set array.rows=4 --set array.cols=2 --set array.dataflow='"is"' --vectors 200 --pattern mixed
  run sim --set array.rows=3 --set array.cols=3 --set array.dataflow='"os"' --set array.max_k=16 --vectors 16 \
      --matmul 5,7,4
  run sim --set array.rows=4 --set array.cols=4 --set protect.afd.enable=true --set protect.median.enable=true \
      --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=2 --vectors 200
  run sim --set array.rows=3 --set array.cols=2 --set array.pe='"twodim"' --set array.group_l=2 \
      --set array.group_k=2 --vectors 100
  # The temporal Sanity-Check (batch register, digit insertion, the harness's batch-report checker).
  run sim --set array.rows=3 --set array.cols=3 --set protect.sanity_check='"both"' --set protect.sanity_max_batch=8 \
      --sanity-batch 5 --vectors 200 --in-valid 0.8 --out-ready 0.7
  # Campaigns: the fault-injection variant, forked workers, the fast engine's snapshots and the naive one.
  run campaign --set array.rows=3 --set array.cols=4 --set protect.bypass=true --set protect.sanity_check='"spatial"' \
      --model seu --faults 200 --seed 3 -j 2 -q --verify-pruned --out "$out/seu.jsonl"
  run campaign --set array.rows=3 --set array.cols=4 --set protect.bypass=true --set protect.sanity_check='"spatial"' \
      --model mbu --faults 60 --seed 4 -j 1 -q --engine naive --out "$out/mbu.jsonl"
  run campaign --set array.rows=3 --set array.cols=3 --set array.dataflow='"os"' --set array.max_k=16 \
      --model stuck --faults 60 --seed 5 -j 2 -q --vectors 8 --out "$out/os.jsonl"
  run campaign --set array.rows=3 --set array.cols=3 --set protect.sanity_check='"both"' --set protect.sanity_max_batch=8 \
      --model seu --faults 100 --seed 6 -j 2 -q --out "$out/temporal.jsonl"
  for f in seu mbu os temporal; do run campaign-report "$out/$f.jsonl"; done
  stamp "co-simulations and campaigns"
  # The CLI's bad-input runs under the sanitizers (tools/fuzz/bad_cli.py: 10 kinds x 20).
  python3 tools/fuzz/bad_cli.py -n 20 --seed 1 --ftaccel "$F" | tail -n 1
  stamp "bad-input CLI runs"
fi
stamp "done"
