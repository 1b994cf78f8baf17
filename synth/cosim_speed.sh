#!/usr/bin/env bash
# Co-simulation speed beside a bare Verilator model of the same RTL, measured in the same minute:
# `ftaccel sim` (golden compare of every output) on a WS IP, then the same RTL verilated with
# bench/bare_main.cpp (random stimulus every cycle, no compare, Verilator -O3, C++ -O2).
# The two runs alternate COSIM_REPEAT times (default 3). Cycles/s of each from CPU time (user +
# system, children included; a busy machine distorts wall time far more than CPU time) of the
# long run minus that of a 1-vector (1-cycle) run, so start-up (the generator, model
# construction, reset) is left out of both; the ratio is taken per repetition and the median
# reported. The wall-clock figures (`ftaccel sim`'s vectors_per_second, the bare run's
# cycles/wall) are kept beside them. The co-simulation model is built once by a 1-vector run
# (in $FTACCEL_CACHE_DIR when set, else a fresh cache, cold; model_build_seconds is Verilator
# plus the C++ build, 0 when the model was reused).
# Prints one JSON object. Usage: synth/cosim_speed.sh FTACCEL [ROWS] [VECTORS]
set -euo pipefail
ft=$1; n=${2:-16}; vectors=${3:-500000}; repeat=${COSIM_REPEAT:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FTACCEL_CACHE_DIR="${FTACCEL_CACHE_DIR:-$work/cache}"
"$ft" generate --set array.rows="$n" --set array.cols="$n" --out "$work/ip" >/dev/null
top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['top'])" "$work/ip/manifest.json")
# shellcheck disable=SC2046
/usr/bin/time -f "%e" -o "$work/bare_build.time" verilator --cc --exe --build -O3 --x-assign fast \
  --x-initial fast -Wno-fatal -Wno-lint -Wno-style \
  --prefix Vbare --top-module "$top" -MAKEFLAGS "OPT_FAST=-O2" --Mdir "$work/obj" -o bare \
  $(sed "s|^|$work/ip/|" "$work/ip/$top.f") "$here/bench/bare_main.cpp" > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
sim=("$ft" sim --set array.rows="$n" --set array.cols="$n" --batch 1000 --json)
timed() {  # out, command...: runs it, stdout to out; prints "wall cpu" (CPU from getrusage of the
  # waited-for process tree, to the microsecond; /usr/bin/time rounds to 10 ms)
  local out=$1; shift
  python3 - "$out" "$@" <<'PY'
import resource, subprocess, sys, time
t0 = time.monotonic()
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[2:], stdout=out, check=True)
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.6f} {r.ru_utime + r.ru_stime:.6f}")
PY
}
# The co-simulation model is built (or taken from the cache) by the first 1-vector run; the
# second gives the fixed CPU cost of a run.
"${sim[@]}" --vectors 1 > "$work/build.json"
read -r _ cosim_fixed < <(timed "$work/one.json" "${sim[@]}" --vectors 1)
read -r _ bare_fixed < <(timed "$work/bare1.log" "$work/obj/bare" 1)
runs=()
for i in $(seq "$repeat"); do
  read -r cw cc < <(timed "$work/cosim$i.json" "${sim[@]}" --vectors "$vectors")
  read -r bw bc < <(timed "$work/bare$i.log" "$work/obj/bare" "$vectors")
  runs+=("$cw $cc $bw $bc")
done
printf '%s\n' "${runs[@]}" > "$work/runs.txt"
python3 - "$work" "$n" "$repeat" "$cosim_fixed" "$bare_fixed" "$(cat "$work/bare_build.time")" <<'PY'
import json, re, statistics, sys
work, n, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
cosim_fixed, bare_fixed, bare_build = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
build = json.load(open(f"{work}/build.json"))
one = json.load(open(f"{work}/one.json"))
reps = []
for i, line in enumerate(open(f"{work}/runs.txt"), 1):
    cw, cc, bw, bc = map(float, line.split())
    cosim = json.load(open(f"{work}/cosim{i}.json"))
    bare = re.search(r"BARE cycles=(\d+) results=(\d+)", open(f"{work}/bare{i}.log").read())
    bare_cycles = int(bare.group(1))
    c_cps = (cosim["cycles"] - one["cycles"]) / (cc - cosim_fixed)
    b_cps = (bare_cycles - 1) / (bc - bare_fixed)
    reps.append({"cosim_cycles": cosim["cycles"], "cosim_vectors": cosim["vectors"], "cosim_checked": cosim["checked"],
                 "cosim_mismatches": cosim["mismatches"], "cosim_cpu_seconds": cc,
                 "cosim_cycles_per_second_cpu": round(c_cps, 1),
                 "cosim_vectors_per_second_wall": round(cosim["vectors_per_second"], 1),
                 "bare_cycles": bare_cycles, "bare_cpu_seconds": bc, "bare_wall_seconds": bw,
                 "bare_cycles_per_second_cpu": round(b_cps, 1),
                 "bare_cycles_per_second_wall": round(bare_cycles / bw, 1),
                 "ratio_cpu": round(c_cps / b_cps, 3),
                 "ratio_wall": round(cosim["vectors_per_second"] / (bare_cycles / bw), 3)})
med = lambda k: statistics.median(r[k] for r in reps)
print(json.dumps({"name": "cosim_vs_bare", "size": f"{n}x{n}", "repeat": repeat,
                  "cosim_cycles_per_second": med("cosim_cycles_per_second_cpu"),
                  "bare_cycles_per_second": med("bare_cycles_per_second_cpu"),
                  "cosim_over_bare": med("ratio_cpu"),
                  "cosim_vectors_per_second_wall": med("cosim_vectors_per_second_wall"),
                  "bare_cycles_per_second_wall": med("bare_cycles_per_second_wall"),
                  "cosim_over_bare_wall": med("ratio_wall"),
                  "all_checked": all(r["cosim_checked"] == r["cosim_vectors"] and r["cosim_mismatches"] == 0
                                     for r in reps),
                  "cosim_model_build_seconds": build.get("model_build_seconds"),
                  "cosim_model_reused": build.get("model_reused"),
                  "bare_build_seconds": bare_build, "fixed_cpu_seconds": {"cosim": cosim_fixed, "bare": bare_fixed},
                  "runs": reps}))
PY
