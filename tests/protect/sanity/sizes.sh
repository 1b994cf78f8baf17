#!/usr/bin/env bash
# Table 6.1 (spatial) on more sizes and widths, exact and residue, single-bit upsets over every
# register of the IP (the threshold register included), by site kind.
# usage: tests/protect/sanity/sizes.sh [FTACCEL] [OUTDIR]   (from the repository root)
set -euo pipefail
F=${1:-build/ftaccel}
OUT=${2:-build/sanity-sizes}
mkdir -p "$OUT"
J=${JOBS:-1}
camp() {
  local name=$1; shift
  rm -f "$OUT/$name.jsonl"
  "$F" campaign -q -j "$J" "$@" --out "$OUT/$name.jsonl" > "$OUT/$name.txt"
  echo "== $name: $*"; cat "$OUT/$name.txt"
}
S="--set protect.sanity_check=spatial --model seu --faults ${FAULTS:-20000}"
camp ws4x4_d8_exact $S --set array.rows=4 --set array.cols=4 --seed 11
camp ws8x8_d16_exact $S --set data.bits=16 --seed 12
camp ws8x8_d16_r8 $S --set data.bits=16 --set protect.sanity_residue_bits=8 --seed 12
camp ws3x5_d16_r7_mbu --set protect.sanity_check=spatial --model mbu --faults ${FAULTS:-20000} --set array.rows=3 \
  --set array.cols=5 --set data.bits=16 --set protect.sanity_residue_bits=7 --seed 13
