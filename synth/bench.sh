#!/usr/bin/env bash
# Measurements behind `make bench`: Verilator model build time and peak memory, co-simulation
# speed, synthesis runtime and area (generic library; SkyWater 130 nm when available).
# Writes build/bench.json. Usage: synth/bench.sh BUILD_DIR [SKY130_LIBERTY]
set -euo pipefail
build=${1:-build}
sky=${2:-../shared/pdk/sky130hd_tt.lib.gz}
ft="$build/ftaccel"
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
echo "[bench] co-simulation speed 16x16 8-bit" >&2
"$ft" sim --set array.rows=16 --set array.cols=16 --vectors 200000 --batch 1000 --json \
  > "$cache/speed.json" 2>/dev/null
entries+=("{\"name\": \"sim_speed_16x16\", \"report\": $(cat "$cache/speed.json")}")
entries+=("$(measure synth_8x8_generic "$ft" synth --json)")
if [ -f "$sky" ]; then
  for n in 8 64; do
    echo "[bench] synth ${n}x${n} 16-bit sky130" >&2
    entries+=("$(measure "synth_${n}x${n}_d16_sky130" "$ft" synth --liberty "$sky" --set array.rows=$n \
               --set array.cols=$n --set data.bits=16 --json)")
    cp "$cache/synth_${n}x${n}_d16_sky130.out" "$build/synth_${n}x${n}_d16_sky130.json"
  done
  "$ft" synth --liberty "$sky" --json > "$build/synth_8x8_d8_sky130.json" 2>/dev/null
else
  echo "[bench] sky130 skipped: $sky not found" >&2
fi
(IFS=,; echo "[${entries[*]}]") > "$out"
echo "[bench] wrote $out" >&2
cat "$out"
