#!/usr/bin/env bash
# Measured throughput of the flow-controlling PEs (docs/sparsity.md): `ftaccel sim` at full rate
# (batches of the stall-free length 2*rows + cols, so reloads hide behind compute) on a ROWSxCOLS
# IP of each PE kind, every result checked against the golden model; prints vectors per cycle and
# dense-equivalent MACs per cycle beside the dense array of the same size.
# Usage: synth/sparse_throughput.sh FTACCEL [ROWS] [COLS]
set -euo pipefail
ft=$1; rows=${2:-4}; cols=${3:-4}
batch=$((2 * rows + cols)); vectors=$((10 * batch))
printf "%-18s %8s %10s %9s %13s %10s %6s\n" "PE kind ($rows x $cols)" vectors mismatches "vec/cyc" "dense-eq MAC/c" "gain" latency
base=""
for spec in dense:1:1 shortened:8:1 superposition:1:8 shortened:16:1 twodim:4:4 twodim:8:8; do
  IFS=: read -r pe l k <<< "$spec"
  sets=(--set array.rows="$rows" --set array.cols="$cols" --set array.pe="$pe")
  [ "$l" -gt 1 ] && sets+=(--set array.group_l="$l")
  [ "$k" -gt 1 ] && sets+=(--set array.group_k="$k")
  json=$("$ft" sim "${sets[@]}" --vectors "$vectors" --batch "$batch" --seed 1 --json 2>/dev/null)
  read -r chk mis tp macs lat < <(jq -r '"\(.checked) \(.mismatches) \(.throughput_vectors_per_cycle) \(.dense_equivalent_macs_per_cycle) \(.latency_max)"' <<< "$json")
  [ -z "$base" ] && base=$macs
  printf "%-18s %8s %10s %9.3f %13.1f %10.2f %6s\n" "$pe $l x $k" "$chk" "$mis" "$tp" "$macs" "$(echo "$macs / $base" | bc -l)" "$lat"
done
