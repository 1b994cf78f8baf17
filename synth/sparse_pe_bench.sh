#!/usr/bin/env bash
# Flow-controlling PEs (array.pe, docs/sparsity.md) against the dense PE of the same data width:
# PE area, power and reg->reg path from `ftaccel synth --json` (2x2 IPs: the PE is synthesized
# once, whatever the array size), overhead % and ops/area, ops/power gain (group size /
# (1 + overhead)) beside the dissertation's Tables 12.9 and 12.10 (8-bit fixed point).
# Usage: synth/sparse_pe_bench.sh FTACCEL [LIBERTY] [CLOCK_NS]   (LIBERTY default: built-in generic)
set -euo pipefail
ft=$1; lib=${2:-}; clock=${3:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kinds="dense:1:1 shortened:8:1 superposition:1:8 shortened:16:1 superposition:1:16 twodim:4:4 shortened:64:1 twodim:8:8"
for spec in $kinds; do
  IFS=: read -r pe l k <<< "$spec"
  sets=(--set array.rows=2 --set array.cols=2 --set array.pe="$pe")
  [ "$l" -gt 1 ] && sets+=(--set array.group_l="$l")
  [ "$k" -gt 1 ] && sets+=(--set array.group_k="$k")
  echo "[sparse-pe-bench] $pe l=$l k=$k" >&2
  "$ft" synth ${lib:+--liberty "$lib"} --clock-ns "$clock" "${sets[@]}" --json -j 2 > "$work/$pe-$l-$k.json"
done
python3 - "$work" "$kinds" <<'PY'
import json, os, sys
# Dissertation Table 12.9 (area, power overhead %) and 12.10 (ops/area, ops/power gain), 8-bit fixed point.
t129 = {"shortened-8": (14.63, 14.06), "superposition-8": (111.68, 95.85), "shortened-16": (32.04, 19.59),
        "superposition-16": (229.68, 192.63), "twodim-4x4": (63.73, 65.67), "shortened-64": (125.36, 36.87),
        "twodim-8x8": (126.30, 111.75)}
t1210 = {"shortened-8": (6.98, 7.01), "superposition-8": (12.12, 4.08), "superposition-16": (4.85, 5.47),
         "twodim-4x4": (9.77, 9.66), "shortened-64": (28.40, 46.76), "twodim-8x8": (28.28, 30.22)}
rows = []
for spec in sys.argv[2].split():
    pe, l, k = spec.split(":")
    rep = json.load(open(os.path.join(sys.argv[1], f"{pe}-{l}-{k}.json")))
    m = next(x for x in rep["modules"] if x["name"].endswith("_pe"))
    name = pe if pe == "dense" else (f"{pe}-{l}x{k}" if pe == "twodim" else f"{pe}-{int(l) * int(k)}")
    rows.append({"kind": name, "group": int(l) * int(k), "area": m["own_area"], "power_w": m["own_power_w"],
                 "flops": m["own_flops"], "path_ns": m["critical_path_ns"], "tech": rep["technology"],
                 "unit": rep["area_unit"]})
d = rows[0]
print(f"technology {d['tech']}, area in {d['unit']}, PE of a 2x2 IP, 8-bit data")
print(f"{'PE kind':18} {'area':>9} {'flops':>5} {'power uW':>9} {'path ns':>7} | {'area %':>7} {'power %':>7} "
      f"{'ops/area':>8} {'ops/pwr':>7} | {'diss. area %':>12} {'diss. power %':>13} {'diss. ops/area':>14} {'diss. ops/pwr':>13}")
for r in rows:
    oa = 100 * (r["area"] / d["area"] - 1)
    op = 100 * (r["power_w"] / d["power_w"] - 1)
    ga, gp = r["group"] * d["area"] / r["area"], r["group"] * d["power_w"] / r["power_w"]
    ref = t129.get(r["kind"]); ref2 = t1210.get(r["kind"])
    f = lambda v: "-" if v is None else f"{v:.2f}"
    print(f"{r['kind']:18} {r['area']:9.1f} {r['flops']:5d} {r['power_w'] * 1e6:9.2f} {r['path_ns']:7.3f} | "
          f"{oa:7.1f} {op:7.1f} {ga:8.2f} {gp:7.2f} | {f(ref and ref[0]):>12} {f(ref and ref[1]):>13} "
          f"{f(ref2 and ref2[0]):>14} {f(ref2 and ref2[1]):>13}")
print("diss. = the dissertation's figures (Tables 12.9/12.10, 8-bit fixed-point MAC), not measured here")
PY
