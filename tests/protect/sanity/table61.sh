#!/usr/bin/env bash
# Table 6.1 of the dissertation shown on the RTL: fault-injection campaigns on IPs with the
# Sanity-Check spatial checksum (docs/sanity-check.md has the results and how to read them).
# usage: tests/protect/sanity/table61.sh [FTACCEL] [OUTDIR]   (from the repository root)
set -euo pipefail
F=${1:-build/ftaccel}
OUT=${2:-build/sanity-table61}
mkdir -p "$OUT"
J=${JOBS:-2}

# 1. Sampled single-bit upsets over every register of the IP, by site kind.
camp() {
  local name=$1; shift
  rm -f "$OUT/$name.jsonl"
  "$F" campaign -q -j "$J" "$@" --out "$OUT/$name.jsonl" > "$OUT/$name.txt"
  echo "== $name: $*"; cat "$OUT/$name.txt"
}
camp ws4x4_d8_seu --set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial --model seu --faults ${FAULTS:-3000} --seed 11
camp ws8x8_d16_seu --set data.bits=16 --set protect.sanity_check=spatial --model seu --faults ${FAULTS:-3000} --seed 12
camp ws3x5_d8_mbu --set array.rows=3 --set array.cols=5 --set protect.sanity_check=spatial --model mbu --faults ${FAULTS:-2000} --seed 13
camp ws4x4_d8_pe --set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial --model pe --faults 300 --seed 14
camp is4x4_d8_seu --set array.dataflow=is --set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial --model seu --faults ${FAULTS:-2000} --seed 15

# 2. Exhaustive: every bit of every weight register (weight_q) of a 4x4 8-bit array, flipped
#    at three cycles of the weights' live window; and every bit of every input register of the
#    input skew (errors in the input: the spatial checksum cannot see them).
exhaustive() {
  local name=$1 sites=$2 bits=$3 cycles=$4
  local tally="$OUT/$name.tally"
  : > "$tally"
  for site in $sites; do
    for bit in $(seq 0 $((bits - 1))); do
      for cyc in $cycles; do
        rm -f "$OUT/one.jsonl"
        "$F" campaign -q --set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial \
          --model list --inject "$site:$bit@$cyc" --out "$OUT/one.jsonl" > /dev/null
        grep -o '"outcome":"[a-z]*"' "$OUT/one.jsonl" | head -1 >> "$tally"
      done
    done
  done
  echo "== $name (exhaustive): $(wc -l < "$tally") faults"
  sort "$tally" | uniq -c
}
W=""
for r in 0 1 2 3; do for c in 0 1 2 3; do W="$W u_array.gen_row[$r].gen_col[$c].u_pe.weight_q"; done; done
exhaustive weights_4x4 "$W" 8 "12 30 48"
S="u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q u_in_skew.gen_lane[3].gen_regs.gen_chain.stage_q"
exhaustive input_skew_4x4 "$S" 8 "20 30 40"
