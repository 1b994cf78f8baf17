#!/usr/bin/env bash
# Fault-injection throughput (issue 4 benchmark): SEU campaigns on a 16x16 8-bit WS array,
# workload 64 vectors through freshly loaded weights, naive engine (every fault re-simulated
# from reset) against the fast engine (live windows, snapshots, early stop), both on all cores.
# Writes BUILD/campaign_bench.json. Usage: synth/campaign_bench.sh BUILD_DIR [JOBS]
set -euo pipefail
build=${1:-build}
jobs=${2:-$(nproc)}
ft="$build/ftaccel"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ip=(--set array.rows=16 --set array.cols=16 --set data.bits=8 --set array.dataflow=ws)
run() {  # engine faults
  echo "[bench] campaign seu 16x16, $1 engine, $2 faults, $jobs jobs" >&2
  "$ft" campaign "${ip[@]}" --model seu --vectors 64 --seed 1 --faults "$2" --engine "$1" -j "$jobs" \
    -q --json --out "$work/$1.jsonl" 2>>"$work/log" | tee "$work/$1.json" >/dev/null
}
"$ft" campaign "${ip[@]}" --faults 1 --out "$work/warm.jsonl" -q >/dev/null 2>>"$work/log"  # build the model once
run naive 4000
run fast 40000
python3 - "$work" "$build/campaign_bench.json" "$jobs" <<'PY'
import json, sys
work, out, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
eng = {e: json.load(open(f"{work}/{e}.json")) for e in ("naive", "fast")}
rate = {e: eng[e]["engine"]["injections_per_second"] for e in eng}
res = {
    "name": "campaign_seu_16x16_ws_d8",
    "workload": "64 vectors, freshly loaded weights, SEU uniform over every flip-flop bit and cycle",
    "jobs": jobs,
    "naive": eng["naive"]["engine"],
    "fast": eng["fast"]["engine"],
    "naive_injections_per_second": rate["naive"],
    "fast_injections_per_second": rate["fast"],
    "speedup": rate["fast"] / rate["naive"],
    "fast_outcomes": eng["fast"]["summary"]["outcomes"],
    "targets": {"speedup_min": 10, "fast_injections_per_second_min": 2000},
}
json.dump(res, open(out, "w"), indent=2)
print(json.dumps(res, indent=2))
PY
echo "[bench] wrote $build/campaign_bench.json" >&2
