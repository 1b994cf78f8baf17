#!/usr/bin/env bash
# One co-simulation model of an NxN 8-bit WS IP, built cold (empty model cache, no ccache) and
# run once: build wall and CPU seconds (user + system, children included) and peak RSS (of the
# largest process: Verilator or the C++ compiler) from /usr/bin/time, then a short `ftaccel sim`
# with every output compared with the golden model: cycles/s from wall time and from CPU time
# (the run's CPU minus that of a 1-vector run of the same cached model, so generator start-up
# and model construction are left out).
# Prints one JSON object. Usage: synth/cosim_model.sh FTACCEL [N] [VECTORS]
# Env: MODEL_TIMEOUT (seconds of wall time the build may take, default 2700).
set -euo pipefail
ft=$1; n=${2:-128}; vectors=${3:-10000}; limit=${MODEL_TIMEOUT:-2700}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FTACCEL_CACHE_DIR="$work/cache" CCACHE_DISABLE=1
set_args=(--set array.rows="$n" --set array.cols="$n")
status=0
/usr/bin/time -f "%e %U %S %M" -o "$work/build.time" timeout "$limit" "$ft" sim "${set_args[@]}" --vectors 1 \
  --json > "$work/build.json" 2> "$work/build.err" || status=$?
read -r wall user sys kib < <(tail -1 "$work/build.time")  # after "Command exited ..." on failure
if [ "$status" -ne 0 ]; then
  tail -5 "$work/build.err" >&2
  python3 -c "import json,sys; print(json.dumps({'name': 'cosim_model_${n}x${n}', 'built': False,
    'exit': $status, 'build_seconds': $wall, 'build_cpu_seconds': round($user + $sys, 1),
    'build_peak_mib': $kib // 1024, 'timeout_seconds': $limit}))"
  exit 0
fi
# Timed runs on the cached model: the short one gives the fixed cost (generator, model
# construction, reset), the long one adds VECTORS vectors.
cpu_run() {  # vectors, out: CPU seconds of one `ftaccel sim`, children included (getrusage, to
  # the microsecond; /usr/bin/time rounds to 10 ms)
  python3 - "$2" "$ft" sim "${set_args[@]}" --vectors "$1" --batch 1000 --json <<'PY'
import resource, subprocess, sys
with open(sys.argv[1], "w") as out:
    subprocess.run(sys.argv[2:], stdout=out, check=True)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.6f}")
PY
}
c1=$(cpu_run 1 "$work/one.json")
cn=$(cpu_run "$vectors" "$work/run.json")
python3 - "$work/one.json" "$work/run.json" "$c1" "$cn" "$n" "$wall" "$user" "$sys" "$kib" <<'PY'
import json, sys
one, run = (json.load(open(p)) for p in sys.argv[1:3])
c1, cn, n = float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
build_wall = float(sys.argv[6])
cycles = run["cycles"] - one["cycles"]
print(json.dumps({"name": f"cosim_model_{n}x{n}", "built": True,
                  "build_seconds": round(build_wall, 1),
                  "build_cpu_seconds": round(float(sys.argv[7]) + float(sys.argv[8]), 1),
                  "build_peak_mib": int(sys.argv[9]) // 1024,
                  "vectors": run["vectors"], "checked": run["checked"], "mismatches": run["mismatches"],
                  "cycles": run["cycles"], "run_wall_seconds": round(run["wall_seconds"], 3),
                  "cycles_per_second_wall": round(run["cycles"] / run["wall_seconds"], 1),
                  # null when the run's own CPU is too small to tell from the start-up's variation
                  "cycles_per_second_cpu": round(cycles / (cn - c1), 1) if cn - c1 > 0.05 else None}))
PY
