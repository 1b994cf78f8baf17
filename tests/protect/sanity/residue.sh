#!/usr/bin/env bash
# Residue mode (protect.sanity_residue_bits = r: sums modulo 2^r - 1) against the exact
# checksum: single-bit upsets by site kind, and multi-bit bursts (2..8 adjacent bits) in the
# weights, PE results and outputs, same faults for every mode (same seed).
# usage: tests/protect/sanity/residue.sh [FTACCEL] [OUTDIR]   (from the repository root)
set -euo pipefail
F=${1:-build/ftaccel}
OUT=${2:-build/sanity-residue}
mkdir -p "$OUT"
J=${JOBS:-1}
camp() {
  local name=$1; shift
  rm -f "$OUT/$name.jsonl"
  "$F" campaign -q -j "$J" "$@" --out "$OUT/$name.jsonl" > "$OUT/$name.txt"
  echo "== $name: $*"; cat "$OUT/$name.txt"
}
A="--set array.rows=4 --set array.cols=4 --set protect.sanity_check=spatial"
camp ws4x4_r4_seu $A --set protect.sanity_residue_bits=4 --model seu --faults ${FAULTS:-2000} --seed 11
for r in 0 4 8; do
  camp ws4x4_r${r}_mbu $A --set protect.sanity_residue_bits=$r --model mbu --kinds weight,psum,deskew \
    --faults ${FAULTS:-1500} --seed 21
done
camp ws4x4_r4_mbu4 $A --set protect.sanity_residue_bits=4 --model mbu --burst 4 --kinds psum,deskew \
  --faults ${FAULTS:-1000} --seed 22

# Exhaustive: every bit of every weight register of the 4x4 8-bit array in residue mode r = 4,
# flipped at three cycles of the weights' live window.
tally="$OUT/weights_4x4_r4.tally"
: > "$tally"
for r in 0 1 2 3; do for c in 0 1 2 3; do for bit in $(seq 0 7); do for cyc in 12 30 48; do
  rm -f "$OUT/one.jsonl"
  "$F" campaign -q $A --set protect.sanity_residue_bits=4 --model list \
    --inject "u_array.gen_row[$r].gen_col[$c].u_pe.weight_q:$bit@$cyc" --out "$OUT/one.jsonl" > /dev/null
  grep -o '"outcome":"[a-z]*"' "$OUT/one.jsonl" | head -1 >> "$tally"
done; done; done; done
echo "== weights_4x4_r4 (exhaustive): $(wc -l < "$tally") faults"
sort "$tally" | uniq -c

# Every escape of the residue runs is an error that is a multiple of 2^r - 1 on every wrong
# output (what residue mode cannot see), and every escaping burst is at least r bits long.
for r in 4 8; do
  for f in "$OUT"/ws4x4_r${r}_mbu*.jsonl; do
    [ -f "$f" ] || continue
    jq -r --argjson m $(( (1 << r) - 1 )) --argjson r $r 'select(.type == "fault" and .outcome == "sdc") |
      [(all(.errors[]; .[2] % $m == 0)), ((.injections[0].bits | length) >= $r)] | @tsv' "$f" |
      sort | uniq -c | sed "s|^|$(basename "$f") sdc (all errors multiple of m, burst >= r): |"
  done
done
