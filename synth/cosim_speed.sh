#!/usr/bin/env bash
# Co-simulation speed beside a bare Verilator model of the same RTL, measured in the same minute:
# `ftaccel sim` (golden compare of every output) on a WS IP, then the same RTL verilated with
# bench/bare_main.cpp (random stimulus every cycle, no compare, Verilator -O3, C++ -O2).
# Prints one JSON object. Usage: synth/cosim_speed.sh FTACCEL [ROWS] [VECTORS]
set -euo pipefail
ft=$1; n=${2:-16}; vectors=${3:-200000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ft" generate --set array.rows="$n" --set array.cols="$n" --out "$work/ip" >/dev/null
top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['top'])" "$work/ip/manifest.json")
# shellcheck disable=SC2046
verilator --cc --exe --build -O3 --x-assign fast --x-initial fast -Wno-fatal -Wno-lint -Wno-style \
  --prefix Vbare --top-module "$top" -MAKEFLAGS "OPT_FAST=-O2" --Mdir "$work/obj" -o bare \
  $(sed "s|^|$work/ip/|" "$work/ip/$top.f") "$here/bench/bare_main.cpp" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
# The co-simulation model is built (or taken from the cache) by a short run first, so that the
# timed run measures simulation only.
"$ft" sim --set array.rows="$n" --set array.cols="$n" --vectors 1 >/dev/null
"$ft" sim --set array.rows="$n" --set array.cols="$n" --vectors "$vectors" --batch 1000 --json \
  > "$work/cosim.json" 2>/dev/null
t0=$(date +%s.%N); "$work/obj/bare" "$vectors" > "$work/bare.log"; t1=$(date +%s.%N)
python3 - "$work/cosim.json" "$work/bare.log" "$t0" "$t1" "$n" <<'PY'
import json, re, sys
cosim = json.load(open(sys.argv[1]))
m = re.search(r"BARE cycles=(\d+) results=(\d+)", open(sys.argv[2]).read())
cycles, secs = int(m.group(1)), float(sys.argv[4]) - float(sys.argv[3])
bare = cycles / secs
vps = cosim.get("vectors_per_second") or cosim.get("report", {}).get("vectors_per_second")
print(json.dumps({"name": "cosim_vs_bare", "size": f"{sys.argv[5]}x{sys.argv[5]}",
                  "cosim_vectors_per_second": vps, "cosim_report": cosim,
                  "bare_cycles": cycles, "bare_seconds": round(secs, 3),
                  "bare_cycles_per_second": round(bare, 1),
                  "cosim_over_bare": round(vps / bare, 3) if vps else None}))
PY
