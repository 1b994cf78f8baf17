#!/usr/bin/env bash
# Measurements behind `make bench`: Verilator model build time and peak memory, co-simulation
# speed beside a bare Verilator model, a 128x128 co-simulation model (build time, peak memory,
# cycles/s with every output compared), Icarus vs Verilator on one testbench, the lint and model
# build curve 16x16..256x256 (CSV + PNG), synthesis runtime and area (generic library; SkyWater
# 130 nm when available: PE figures of both synthesis goals, enable-net calibration).
# Writes build/bench.json (and build/bench_scaling.csv/.png). Usage: synth/bench.sh BUILD_DIR
# [SKY130_LIBERTY]. Env: SCALING_MAX (largest size of the curve, default 256), ICARUS_CYCLES,
# VERILATOR_CYCLES (simulator comparison), BENCH_SKIP (words: scaling simcmp cosim cosim128 pe
# calib).
set -euo pipefail
build=${1:-build}
sky=${2:-../shared/pdk/sky130hd_tt.lib.gz}
ft="$build/ftaccel"
here=$(cd "$(dirname "$0")" && pwd)
skip=" ${BENCH_SKIP:-} "
want() { [[ "$skip" != *" $1 "* ]]; }
out="$build/bench.json"
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
export FTACCEL_CACHE_DIR="$cache" CCACHE_DISABLE=1

measure() {  # name, command...: wall seconds and peak RSS (MiB) of the command
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$cache/time" "$@" > "$cache/$name.out" 2> "$cache/$name.err"
  read -r secs kib < "$cache/time"
  echo "{\"name\": \"$name\", \"seconds\": $secs, \"peak_mib\": $((kib / 1024))}"
}

entries=()
for n in 16 64; do
  echo "[bench] verilator model ${n}x${n} (cold, no ccache)" >&2
  entries+=("$(measure "sim_build_${n}x${n}" "$ft" sim --set array.rows=$n --set array.cols=$n --vectors 1)")
done
if want cosim; then
  # 2,000,000 vectors (about 3 s of CPU per run) and 5 alternations: runs under a second were
  # too noisy on a shared 2-core machine (0.62..1.06 over three 500,000-vector runs).
  echo "[bench] co-simulation speed 16x16 8-bit beside a bare Verilator model" >&2
  entries+=("$(COSIM_REPEAT=${COSIM_REPEAT:-5} bash "$here/cosim_speed.sh" "$ft" 16 2000000)")
fi
if want cosim128; then
  echo "[bench] co-simulation model 128x128 8-bit: cold build, 10,000 vectors compared" >&2
  entries+=("$(bash "$here/cosim_model.sh" "$ft" 128 10000)")
fi
if want simcmp; then
  echo "[bench] Icarus vs Verilator --binary, one testbench, 16x16 8-bit" >&2
  entries+=("$(bash "$here/sim_compare.sh" "$ft" 16 8)")
fi
if want scaling; then
  echo "[bench] lint and model build curve (SCALING_MAX=${SCALING_MAX:-256})" >&2
  entries+=("$(bash "$here/scaling.sh" "$ft" "$build/bench_scaling")")
fi
entries+=("$(measure synth_8x8_generic "$ft" synth --json)")
if [ -f "$sky" ]; then
  for n in 8 64; do
    echo "[bench] synth ${n}x${n} 16-bit sky130, 10 ns" >&2
    entries+=("$(measure "synth_${n}x${n}_d16_sky130" "$ft" synth --liberty "$sky" --clock-ns 10 --set array.rows=$n \
               --set array.cols=$n --set data.bits=16 --json)")
    cp "$cache/synth_${n}x${n}_d16_sky130.out" "$build/synth_${n}x${n}_d16_sky130.json"
  done
  "$ft" synth --liberty "$sky" --json > "$build/synth_8x8_d8_sky130.json" 2>/dev/null
  if want pe; then
    # 10 ns: the clock of the reports; 5 ns: what the timing goal reaches when asked for more.
    for clk in 10 5; do entries+=("$(bash "$here/pe_bench.sh" "$ft" "$sky" $clk)"); done
  fi
  if want calib; then
    for n in 4 8; do
      echo "[bench] enable-net model vs flat STA ${n}x${n} sky130" >&2
      entries+=("$(bash "$here/enable_calibration.sh" "$ft" "$sky" $n 10 2>/dev/null)")
    done
  fi
else
  echo "[bench] sky130 skipped: $sky not found" >&2
fi
(IFS=,; echo "[${entries[*]}]") > "$out"
echo "[bench] wrote $out" >&2
cat "$out"
