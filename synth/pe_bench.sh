#!/usr/bin/env bash
# PE figures of both synthesis goals: the 8- and 16-bit WS PE (default 8x8 IP) on a Liberty
# library at one clock, area and reg->reg critical path from `ftaccel synth --json`, and the
# area-delay product. Prints one JSON object. Usage: synth/pe_bench.sh FTACCEL LIBERTY [CLOCK_NS]
set -euo pipefail
ft=$1; lib=$2; clock=${3:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bits in 8 16; do
  for goal in area timing; do
    echo "[pe-bench] ${bits}-bit PE, goal $goal, ${clock} ns" >&2
    "$ft" synth --liberty "$lib" --clock-ns "$clock" --set data.bits="$bits" \
      --set synth.goal="$goal" --json > "$work/pe_${bits}_${goal}.json" 2>/dev/null
  done
done
python3 - "$work" "$clock" <<'PY'
import glob, json, os, sys
rows = []
for path in sorted(glob.glob(os.path.join(sys.argv[1], "pe_*.json"))):
    _, bits, goal = os.path.basename(path)[:-5].split("_")
    rep = json.load(open(path))
    pe = next(m for m in rep["modules"] if m["name"].endswith("_pe"))
    rows.append({"bits": int(bits), "goal": goal, "area": round(pe["own_area"], 1),
                 "area_unit": rep["area_unit"], "critical_path_ns": pe["critical_path_ns"],
                 "area_delay": round(pe["own_area"] * pe["critical_path_ns"], 0),
                 "path": f'{pe["path_start"]} -> {pe["path_end"]}'})
print(json.dumps({"name": "pe_goals", "technology": rep["technology"],
                  "clock_ns": float(sys.argv[2]), "pe": rows}))
PY
