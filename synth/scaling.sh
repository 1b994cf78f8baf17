#!/usr/bin/env bash
# Build-cost curve of the generated WS IP from 16x16 to 256x256 (8-bit, array.nets = "auto": per-PE
# nets up to 64x64, the rows form above): Verilator -Wall lint, Yosys 0.23 read + hierarchy, and
# the co-simulation model build (`ftaccel sim --vectors 1`, empty model cache, no ccache), wall
# seconds, CPU seconds (user + system, children included: the figure that a busy machine does
# not distort) and peak RSS from /usr/bin/time. Writes OUT.csv (a size above SCALING_MODEL_MAX has
# empty model cells) and, with gnuplot, OUT.png; prints one JSON object. Beside the flat lint, the
# hierarchical one (`ftaccel lint --mode hier`, docs/lint.md) where the array has the rows form:
# its parts' wall and CPU seconds summed and their largest peak RSS, from the command's JSON
# (the generator's own IR is not in these figures; empty cells for the per-PE sizes).
# Usage: synth/scaling.sh FTACCEL OUT_PREFIX
# Env: SCALING_SIZES (default "16 32 64 128 256"), SCALING_MAX (skip sizes above it),
# SCALING_MODEL_MAX (largest model build, default 128: the 256x256 model build is the longest
# step by far), SCALING_APPEND=1 (add rows to an existing OUT.csv and plot all of them: extends
# the curve without repeating the smaller sizes).
set -euo pipefail
ft=$1; out=$2
sizes=${SCALING_SIZES:-16 32 64 128 256}; max=${SCALING_MAX:-256}; model_max=${SCALING_MODEL_MAX:-128}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CCACHE_DISABLE=1
timed() {  # command...: prints "seconds cpu_seconds peak_mib"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/cmd.out" 2>&1 \
    || { tail -20 "$work/cmd.out" >&2; return 1; }
  read -r secs user sys kib < "$work/time"
  echo "$secs $(python3 -c "print(round($user + $sys, 2))") $((kib / 1024))"
}
if [ "${SCALING_APPEND:-0}" != 1 ] || [ ! -s "$out.csv" ]; then
  echo "size,pes,lint_seconds,lint_peak_mib,model_seconds,model_peak_mib,lint_cpu_seconds,model_cpu_seconds,yosys_seconds,yosys_peak_mib,yosys_cpu_seconds,hier_lint_seconds,hier_lint_peak_mib,hier_lint_cpu_seconds" > "$out.csv"
fi
for n in $sizes; do
  [ "$n" -le "$max" ] || { echo "[scaling] ${n}x${n} skipped (SCALING_MAX=$max)" >&2; continue; }
  rm -rf "$work/ip" "$work/cache"
  "$ft" generate --set array.rows="$n" --set array.cols="$n" --out "$work/ip" >/dev/null
  top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['top'])" "$work/ip/manifest.json")
  echo "[scaling] ${n}x${n}: verilator -Wall lint" >&2
  read -r ls lc lm < <(cd "$work/ip" && timed verilator --lint-only -Wall --top-module "$top" $(cat "$top.f"))
  hs=; hm=; hc=
  if [ -f "$work/ip/rtl/${top}_row.sv" ]; then
    echo "[scaling] ${n}x${n}: ftaccel lint --mode hier" >&2
    read -r hs hc hm < <("$ft" lint --package "$work/ip" --set array.rows="$n" --set array.cols="$n" --mode hier \
                        --json | python3 -c "import json,sys; j=json.load(sys.stdin); assert j['clean'], 'hier lint not clean'; \
print(round(j['seconds'], 2), round(j['cpu_seconds'], 2), j['peak_rss_kib'] // 1024)")
  fi
  echo "[scaling] ${n}x${n}: yosys read_verilog + hierarchy" >&2
  read -r ys yc ym < <(cd "$work/ip" && timed yosys -q -p "read_verilog -sv $(tr '\n' ' ' < "$top.f"); hierarchy -check -top $top")
  ms=; mc=; mm=
  if [ "$n" -le "$model_max" ]; then
    echo "[scaling] ${n}x${n}: co-simulation model build" >&2
    read -r ms mc mm < <(FTACCEL_CACHE_DIR="$work/cache" timed "$ft" sim --set array.rows="$n" \
                        --set array.cols="$n" --vectors 1)
  else
    echo "[scaling] ${n}x${n}: no model build (SCALING_MODEL_MAX=$model_max)" >&2
  fi
  echo "$n,$((n * n)),$ls,$lm,$ms,$mm,$lc,$mc,$ys,$ym,$yc,$hs,$hm,$hc" | tee -a "$out.csv" >&2
done
if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 1000,450 font ",10"
set output "$out.png"
set datafile separator ","
set key autotitle columnhead top left
set logscale xy 2
set xlabel "array size (rows = cols)"
set grid
set datafile missing ""
set multiplot layout 1,2 title "ftaccel WS 8-bit: Verilator -Wall lint (flat and hier), Yosys read and co-simulation model build"
set ylabel "seconds"
plot "$out.csv" using 1:7 with linespoints title "lint (CPU)", "" using 1:8 with linespoints title "model build (CPU)", \\
     "" using 1:11 with linespoints title "Yosys read (CPU)", "" using 1:14 with linespoints title "hier lint (CPU)", \\
     "" using 1:3 with linespoints dt 2 title "lint (wall)", "" using 1:5 with linespoints dt 2 title "model build (wall)"
set ylabel "peak RSS (MiB)"
plot "$out.csv" using 1:4 with linespoints title "lint", "" using 1:6 with linespoints title "model build", \\
     "" using 1:10 with linespoints title "Yosys read", "" using 1:13 with linespoints title "hier lint"
unset multiplot
GP
else
  echo "[scaling] gnuplot not found: no plot (make deps installs it)" >&2
fi
python3 - "$out.csv" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(json.dumps({"name": "scaling", "csv": sys.argv[1],
                  "rows": [{k: float(v) if v else None for k, v in r.items()} for r in rows]}))
PY
