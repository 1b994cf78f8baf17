#!/usr/bin/env bash
# Residue mode, fault-free: zero false alarms over 100,000 mixed vectors with random stalls,
# every sanity_flag_o compared with the model (SanityModel.h), on several sizes and widths.
# usage: tests/protect/sanity/residue_fa.sh [FTACCEL] [OUTDIR]   (from the repository root)
set -euo pipefail
F=${1:-build/ftaccel}
OUT=${2:-build/sanity-residue}
mkdir -p "$OUT"
N=${VECTORS:-100000}
run() {
  local name=$1; shift
  "$F" sim --set protect.sanity_check=spatial "$@" --vectors "$N" --pattern mixed --in-valid 0.9 --out-ready 0.8 \
    --seed 5 --json > "$OUT/fa_$name.json"
  echo "$name: $(jq -c '{checked, mismatches, alarm_cycles, alarm_model_checked, alarm_model_mismatches, latency_min}' "$OUT/fa_$name.json")"
}
run ws4x4_d8_r4 --set array.rows=4 --set array.cols=4 --set protect.sanity_residue_bits=4
run ws3x5_d16_r7 --set array.rows=3 --set array.cols=5 --set data.bits=16 --set protect.sanity_residue_bits=7
run ws8x8_d8_r8 --set protect.sanity_residue_bits=8
run is4x3_d8_r5 --set array.dataflow=is --set array.rows=4 --set array.cols=3 --set protect.sanity_residue_bits=5
run ws1x1_d4_r2 --set array.rows=1 --set array.cols=1 --set data.bits=4 --set protect.sanity_residue_bits=2
