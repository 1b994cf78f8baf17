#!/usr/bin/env bash
# Simulator comparison: one generated WS IP (default 16x16 8-bit) driven by one self-checking
# SystemVerilog testbench (bench/ws_tb.sv) under Icarus (iverilog -g2012 + vvp) and under
# Verilator --binary. Prints one JSON object: cycles/s of each (run time only, compile excluded,
# start-up included; wall and, since a busy machine distorts wall time, CPU = user + system)
# and the ratio. Any IP the generator writes works: sizes come from the
# manifest. Usage: synth/sim_compare.sh FTACCEL [ROWS] [BITS]
# Env: ICARUS_CYCLES (default 2000), VERILATOR_CYCLES (default 200000), SIM_TIMEOUT (s, 1800).
set -euo pipefail
ft=$1; n=${2:-16}; bits=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
icyc=${ICARUS_CYCLES:-2000}; vcyc=${VERILATOR_CYCLES:-200000}; limit=${SIM_TIMEOUT:-1800}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ft" generate --set array.rows="$n" --set array.cols="$n" --set data.bits="$bits" --out "$work/ip" >/dev/null
top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['top'])" "$work/ip/manifest.json")
acc=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['config']['data']['acc_bits'])" "$work/ip/manifest.json")
files=$(sed "s|^|$work/ip/|" "$work/ip/$top.f")
defs() { echo "-DTOP=$top -DROWS=$n -DCOLS=$n -DBITS=$bits -DACC=$acc -DCYCLES=$1"; }
now() { date +%s.%N; }
cpu() { read -r u s < "$1"; python3 -c "print($u + $s)"; }  # /usr/bin/time -f "%U %S" output

# shellcheck disable=SC2046
iverilog -g2012 $(defs "$icyc") -s ws_bench_tb -o "$work/tb.vvp" "$here/bench/ws_tb.sv" $files
t0=$(now); /usr/bin/time -f "%U %S" -o "$work/icarus.time" timeout "$limit" vvp -n "$work/tb.vvp" > "$work/icarus.log"; t1=$(now)
# shellcheck disable=SC2046
verilator --binary --timing -Wno-fatal -Wno-lint -Wno-style -O3 --x-assign fast --x-initial fast \
  -MAKEFLAGS "OPT_FAST=-O2" --Mdir "$work/vobj" --top-module ws_bench_tb -o vtb \
  $(defs "$vcyc") "$here/bench/ws_tb.sv" $files > "$work/verilator_build.log" 2>&1 \
  || { cat "$work/verilator_build.log" >&2; exit 1; }
t2=$(now); /usr/bin/time -f "%U %S" -o "$work/verilator.time" timeout "$limit" "$work/vobj/vtb" > "$work/verilator.log"; t3=$(now)
python3 - "$work/icarus.log" "$work/verilator.log" "$t0" "$t1" "$t2" "$t3" "$n" "$bits" \
  "$(cpu "$work/icarus.time")" "$(cpu "$work/verilator.time")" <<'PY'
import json, re, sys
def parse(path):
    m = re.search(r"BENCH cycles=(\d+) results=(\d+) errors=(\d+)", open(path).read())
    if not m: sys.exit(f"no BENCH line in {path}")
    return [int(x) for x in m.groups()]
ic, vc = parse(sys.argv[1]), parse(sys.argv[2])
t0, t1, t2, t3 = map(float, sys.argv[3:7])
icpu, vcpu = float(sys.argv[9]), float(sys.argv[10])
irate, vrate = ic[0] / (t1 - t0), vc[0] / (t3 - t2)
out = {"name": "sim_compare", "size": f"{sys.argv[7]}x{sys.argv[7]}", "bits": int(sys.argv[8]),
       "icarus": {"cycles": ic[0], "results": ic[1], "errors": ic[2], "seconds": round(t1 - t0, 3),
                  "cycles_per_second": round(irate, 1), "cpu_seconds": round(icpu, 3),
                  "cycles_per_cpu_second": round(ic[0] / max(icpu, 1e-3), 1)},
       "verilator": {"cycles": vc[0], "results": vc[1], "errors": vc[2],
                     "seconds": round(t3 - t2, 3), "cycles_per_second": round(vrate, 1),
                     "cpu_seconds": round(vcpu, 3), "cycles_per_cpu_second": round(vc[0] / max(vcpu, 1e-3), 1)},
       "verilator_over_icarus": round(vrate / irate, 1)}
print(json.dumps(out))
if ic[2] or vc[2] or ic[1] == 0 or vc[1] == 0: sys.exit("results wrong or missing")
PY
