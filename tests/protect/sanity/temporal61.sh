#!/usr/bin/env bash
# Table 6.1, temporal rows, on the RTL: fault-injection campaigns on a WS 4x4 8-bit IP with the
# temporal checksum (maxBatch 8), the spatial one and both (docs/sanity-check.md has the results).
# usage: tests/protect/sanity/temporal61.sh [FTACCEL] [OUTDIR]   (from the repository root)
set -euo pipefail
F=${1:-build/ftaccel}
OUT=${2:-build/sanity-temporal61}
mkdir -p "$OUT"
BASE="--set array.rows=4 --set array.cols=4 --set protect.sanity_max_batch=8"
mode() {  # the --set of a mode (max_batch is a temporal key)
  case $1 in
    spatial) echo "--set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial" ;;
    *) echo "$BASE --set protect.sanity_check=$1" ;;
  esac
}

# 1. Sampled single-bit upsets over every register of the IP, by site kind.
for m in temporal both; do
  rm -f "$OUT/seu_$m.jsonl"
  "$F" campaign -q -j "${JOBS:-2}" $(mode $m) --model seu --faults "${FAULTS:-3000}" --seed 11 \
    --out "$OUT/seu_$m.jsonl" > "$OUT/seu_$m.txt"
  echo "== seu $m"; cat "$OUT/seu_$m.txt"
done

# Residue mode beside the exact check: bursts and single bits of the data path.
for r in 0 4; do
  rs=""; [ $r -gt 0 ] && rs="--set protect.sanity_residue_bits=$r"
  for model in mbu:21 seu:22; do
    rm -f "$OUT/${model%:*}_r$r.jsonl"
    "$F" campaign -q -j "${JOBS:-2}" $(mode temporal) $rs --model ${model%:*} --faults 3000 --seed ${model#*:} \
      --kinds skew,act,psum,deskew --out "$OUT/${model%:*}_r$r.jsonl" > "$OUT/${model%:*}_r$r.txt"
    echo "== ${model%:*} temporal r=$r"; cat "$OUT/${model%:*}_r$r.txt"
  done
done

# 2. Exhaustive: one fault per run, every bit of every listed site, in each mode.
exhaustive() {  # NAME "SITE=BITS ..." "CYCLES..."
  local name=$1 sites=$2 when=$3
  for m in temporal spatial both; do
    local tally="$OUT/$name.$m.tally"
    : > "$tally"
    for entry in $sites; do
      local site=${entry%=*} bits=${entry##*=}
      for bit in $(seq 0 $((bits - 1))); do
        for w in $when; do
          rm -f "$OUT/one.jsonl"
          "$F" campaign -q $(mode $m) --model list --inject "$site:$bit@$w" --out "$OUT/one.jsonl" > /dev/null
          grep -o '"outcome":"[a-z]*"' "$OUT/one.jsonl" | head -1 >> "$tally"
        done
      done
    done
    echo "== $name, $m (exhaustive): $(wc -l < "$tally") faults"
    sort "$tally" | uniq -c
  done
}
# Input path after the input accumulators: every stage of the input skew and every activation
# register inside the array, flipped at cycles 20, 30 and 40 of the workload.
S=""
for l in 0 1 2 3; do
  if [ $l -eq 0 ]; then S="$S u_in_skew.gen_lane[0].gen_regs.gen_single.stage_q=8"
  else S="$S u_in_skew.gen_lane[$l].gen_regs.gen_chain.stage_q=$((8 * (l + 1)))"; fi
done
A=""
for r in 0 1 2 3; do for c in 0 1 2 3; do A="$A u_array.gen_row[$r].gen_col[$c].u_pe.act_q=8"; done; done
exhaustive input_skew "$S" "20 30 40"
exhaustive input_act "$A" "20 30 40"
# Weights wrong for the whole workload: every bit of every active weight register stuck at 0 and
# at 1 from reset to the end (one of the two changes the bit).
W=""
for r in 0 1 2 3; do for c in 0 1 2 3; do W="$W u_array.gen_row[$r].gen_col[$c].u_pe.weight_q=8"; done; done
exhaustive weight_stuck "$W" "0-end:stuck0 0-end:stuck1"
