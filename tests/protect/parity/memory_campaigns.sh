#!/bin/bash
# Memory-fault campaigns of docs/weight-parity.md (16x16 and 16x32, 8-bit): run from the
# repository root after a build; results in /tmp/pm, summary with memory_campaign_summary.py.
mkdir -p /tmp/pm

F=build/ftaccel
N=2000
run() { local name=$1; shift; rm -f /tmp/pm/$name.jsonl; $F campaign -q -j 1 --faults $N --seed 14 "$@" --out /tmp/pm/$name.jsonl > /tmp/pm/$name.log 2>&1; echo "$name exit $?"; }
A16="--set array.rows=16 --set array.cols=16"
A32="--set array.rows=16 --set array.cols=32"
for P in 1 8 16; do
  run seu_nopar_p$P $A16 --model mem-seu --memory-word $P
  run mbu_nopar_p$P $A16 --model mem-mbu --memory-word $P
  run seu_par_p$P $A16 --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=$P --model mem-seu
  run mbu_par_p$P $A16 --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=$P --model mem-mbu
done
run seu_nopar_p32 $A32 --model mem-seu --memory-word 32
run mbu_nopar_p32 $A32 --model mem-mbu --memory-word 32
run seu_par_p32 $A32 --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=32 --model mem-seu
run mbu_par_p32 $A32 --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=32 --model mem-mbu
for B in 2 3 4 5 6 7 8; do
  N=1000 run mbu_par_p8_b$B $A16 --set protect.weight_parity.enable=true --set protect.weight_parity.word_weights=8 --model mem-mbu --burst $B
done
echo ALLDONE
