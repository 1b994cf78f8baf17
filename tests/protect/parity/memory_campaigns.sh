#!/bin/bash
# Memory-fault campaigns of docs/weight-parity.md (16x16 and 16x32, 8-bit), each at the
# tolerances in TOLS (default "0 4096"): run from the repository root after a build; results in
# $OUT (default /tmp/pm), summary with memory_campaign_summary.py $OUT/*.jsonl.
OUT=${OUT:-/tmp/pm}
TOLS=${TOLS:-"0 4096"}
mkdir -p "$OUT"

F=build/ftaccel
N=${N:-2000}
run() { local name=$1; shift; rm -f $OUT/$name.jsonl; $F campaign -q -j ${JOBS:-1} --faults $N --seed 14 "$@" --out $OUT/$name.jsonl > $OUT/$name.log 2>&1; echo "$name exit $?"; }
A16="--set array.rows=16 --set array.cols=16"
A32="--set array.rows=16 --set array.cols=32"
PAR="--set protect.weight_parity.enable=true --set protect.weight_parity.word_weights"
for T in $TOLS; do
  for P in 1 8; do
    run seu_nopar_p${P}_t$T $A16 --model mem-seu --memory-word $P --tolerance $T
    run mbu_nopar_p${P}_t$T $A16 --model mem-mbu --memory-word $P --tolerance $T
    run seu_par_p${P}_t$T $A16 $PAR=$P --model mem-seu --tolerance $T
    run mbu_par_p${P}_t$T $A16 $PAR=$P --model mem-mbu --tolerance $T
  done
  # P = 32 needs a 32-weight load beat: 16x32.
  run seu_nopar_p32_t$T $A32 --model mem-seu --memory-word 32 --tolerance $T
  run mbu_nopar_p32_t$T $A32 --model mem-mbu --memory-word 32 --tolerance $T
  run seu_par_p32_t$T $A32 $PAR=32 --model mem-seu --tolerance $T
  run mbu_par_p32_t$T $A32 $PAR=32 --model mem-mbu --tolerance $T
  for B in 2 3 4 5 6 7 8; do
    N=${NB:-1000} run mbu_par_p8_b${B}_t$T $A16 $PAR=8 --model mem-mbu --burst $B --tolerance $T
  done
done
echo ALLDONE
