#!/usr/bin/env bash
# Calibration of the enable-net model against flat STA: `ftaccel synth --flat` on a ROWSxROWS IP
# gives the modeled enable path (JSON enable_path) and the flattened netlist, which OpenSTA then
# times whole: the worst path through the enable register's output net (the source module's
# SOURCE_PORT traced back through its assigns to the register) with its real fan-out. (OpenSTA
# 2019 rejects the netlist's few concatenated assigns, which only join undriven or constant
# bits, and times the rest.) The model launches at the same register (clock-to-Q arrival at
# SOURCE_PORT), so the two paths compare directly. Prints one JSON object.
# Usage: synth/enable_calibration.sh FTACCEL LIBERTY ROWS [CLOCK_NS] [SOURCE_PORT]
set -euo pipefail
ft=$1; lib=$2; n=$3; clock=${4:-10}; srcport=${5:-en_o}
work=$(mktemp -d)
[ -n "${CAL_KEEP:-}" ] && echo "[calibration] work dir $work" >&2 || trap 'rm -rf "$work"' EXIT
"$ft" synth --liberty "$lib" --clock-ns "$clock" --set array.rows="$n" --set array.cols="$n" \
  --flat --json --work-dir "$work" > "$work/report.json"
s="$work/synth"
top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['modules'][-1]['name'])" "$work/report.json")
libfile=$(ls "$s"/lib.lib 2>/dev/null || echo "$lib")
src=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['enable_path']['source_module'])" "$work/report.json")
# The flattened net of the register behind SOURCE_PORT: "<instance of src in the top>.<register>".
net=$(python3 - "$work/ip/rtl" "$top" "$src" "$srcport" <<'PY'
import re, sys
rtl, top, src, port = sys.argv[1:]
inst = re.search(rf"\b{src}\b\s*(?:#\s*\((?:[^()]|\([^()]*\))*\))?\s*(\w+)\s*\(", open(f"{rtl}/{top}.sv").read())
body = open(f"{rtl}/{src}.sv").read()
name, seen = port, set()
while name not in seen:  # follow `assign a = b;` back to the register
    seen.add(name)
    m = re.search(rf"assign\s+{name}\s*=\s*(\w+)\s*;", body)
    if not m: break
    name = m.group(1)
print(f"{inst.group(1)}.{name}")
PY
)
cat > "$s/cal.sta.tcl" <<TCL
read_liberty {$libfile}
read_verilog {$top.flat.v}
link_design $top
read_sdc {ftaccel.sdc}
puts "ftaccel-cal: flat"
report_checks -through [get_nets {$net}] -path_delay max -digits 4
TCL
(cd "$s" && sta -no_splash -exit cal.sta.tcl > cal.sta.log 2>&1)
python3 - "$work/report.json" "$s/cal.sta.log" "$n" "$net" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
clock = rep["clock_ns"]
log = open(sys.argv[2]).read()
m = re.search(r"([-\d.]+)\s+slack \(", log)
flat = clock - float(m.group(1)) if m else None  # arrival plus setup, as the model counts it
q = re.search(r"\^ \S+/CLK \(\S+\)\n\s+([-\d.]+)\s+[-\d.]+ [v^] \S+/Q", log)
model = rep["enable_path"]
print(json.dumps({"name": "enable_calibration", "size": f"{sys.argv[3]}x{sys.argv[3]}",
                  "clock_ns": clock, "model": model, "flat_net": sys.argv[4], "flat_path_ns": flat,
                  "flat_clock_to_q_ns": float(q.group(1)) if q else None,
                  "model_error_percent": round(100 * (model["path_ns"] - flat) / flat, 1) if flat else None,
                  "hierarchical_critical_path_ns": rep["critical_path_ns"]}))
PY
