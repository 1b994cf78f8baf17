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
