#!/usr/bin/env bash
# Overhead of the activation filters (docs/filters.md): `ftaccel synth --json` of a 16x16 WS IP
# with each filter (AFD two gates clip s_max 3; median-3/5 naive and optimized) against the same
# IP without it, one run per row, 5 ns clock. Prints one markdown row per unit with the unit's
# area (IP with minus IP without) in % of the array and of the IP, the IP's power change and the
# worst path before and after. Usage: [UNITS="afd med5n"] synth/filter_bench.sh FTACCEL [LIBERTY] [BITS] [CLOCK_NS]
set -euo pipefail
ft=$1; lib=${2:-}; bits=${3:-8}; clock=${4:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A units=(
  [afd]="--set protect.afd.enable=true --set protect.afd.gates=2 --set protect.afd.mode=clip --set protect.afd.s_max=3"
  [med3n]="--set protect.median.enable=true --set protect.median.window=3 --set protect.median.impl=naive"
  [med3o]="--set protect.median.enable=true --set protect.median.window=3 --set protect.median.impl=optimized"
  [med5n]="--set protect.median.enable=true --set protect.median.window=5 --set protect.median.impl=naive"
  [med5o]="--set protect.median.enable=true --set protect.median.window=5 --set protect.median.impl=optimized")
echo "| unit | lib | bits | unit area (+IP) | % of array | % of IP | power % (IP) | worst path base -> with unit (ns) |"
echo "|---|---|---|---|---|---|---|---|"
for u in ${UNITS:-afd med3n med3o med5n med5o}; do
  echo "[filter-bench] $u ${bits}-bit ${lib:-generic}" >&2
  # shellcheck disable=SC2086
  "$ft" synth ${lib:+--liberty "$lib"} --clock-ns "$clock" --set array.rows=16 --set array.cols=16 \
    --set data.bits="$bits" ${units[$u]} --json -j 1 > "$work/$u.json"
  python3 - "$work/$u.json" "$u" "$bits" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
e = rep["overhead"][0]
unit = rep.get("area_unit", "")
lib = "generic" if "generic" in rep.get("technology", "generic") else "sky130"
d = e["ip_area_protected"] - e["ip_area_base"]
print(f"| {sys.argv[2]} | {lib} | {sys.argv[3]} | {d:.1f} {unit} | {e['ip_area_percent_of_array']:.3f} | "
      f"{e['ip_area_percent']:.3f} | {e['ip_power_percent']:+.3f} | {e['ip_path_ns_base']:.3f} -> {e['ip_path_ns_protected']:.3f} |")
PY
done
