#!/usr/bin/env bash
# Calibration of the enable-net model against flat STA: `ftaccel synth --flat` on a ROWSxROWS IP
# gives the modeled enable path (JSON enable_path) and the flattened netlist, which OpenSTA then
# times whole: the worst path from the stall port through the enable's real (ABC-buffered)
# fan-out. (OpenSTA 2019 rejects the netlist's few concatenated assigns, which only join
# undriven or constant bits, and times the rest.) Prints one JSON object.
# Usage: synth/enable_calibration.sh FTACCEL LIBERTY ROWS [CLOCK_NS] [STALL_PORT] [SOURCE_PORT]
# STALL_PORT launches the enable (default out_ready_i: today's ctrl computes the enable from it
# combinationally); SOURCE_PORT is the ctrl's enable output (default en_o).
set -euo pipefail
ft=$1; lib=$2; n=$3; clock=${4:-10}; port=${5:-out_ready_i}; srcport=${6:-en_o}
work=$(mktemp -d)
[ -n "${CAL_KEEP:-}" ] && echo "[calibration] work dir $work" >&2 || trap 'rm -rf "$work"' EXIT
"$ft" synth --liberty "$lib" --clock-ns "$clock" --set array.rows="$n" --set array.cols="$n" \
  --flat --json --work-dir "$work" > "$work/report.json"
s="$work/synth"
top=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['modules'][-1]['name'])" "$work/report.json")
libfile=$(ls "$s"/lib.lib 2>/dev/null || echo "$lib")
src=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['enable_path']['source_module'])" "$work/report.json")
# Flat: the enable launched at the port that stalls the pipeline (input delay 0) to every flop
# it reaches. Model: the same launch, i.e. the source module's PORT -> enable-output delay in
# place of its worst arrival at that output.
cat > "$s/cal.sta.tcl" <<TCL
read_liberty {$libfile}
read_verilog {$top.flat.v}
link_design $top
read_sdc {ftaccel.sdc}
puts "ftaccel-cal: flat"
report_checks -from [get_ports {$port}] -path_delay max -digits 4
TCL
cat > "$s/cal.src.tcl" <<TCL
read_liberty {$libfile}
read_verilog {$src.syn.v}
link_design $src
read_sdc {ftaccel.sdc}
puts "ftaccel-cal: source"
report_checks -from [get_ports {$port}] -to [get_ports {$srcport}] -path_delay max -digits 4
TCL
(cd "$s" && sta -no_splash -exit cal.sta.tcl > cal.sta.log 2>&1 && sta -no_splash -exit cal.src.tcl > cal.src.log 2>&1)
python3 - "$work/report.json" "$s/cal.sta.log" "$s/cal.src.log" "$n" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
clock = rep["clock_ns"]
def path(log):  # clock - slack: arrival plus setup, as the model counts it
    m = re.search(r"([-\d.]+)\s+slack \(", open(log).read())
    return clock - float(m.group(1)) if m else None
def arrival(log):
    m = re.search(r"\n\s+([-\d.]+)\s+data arrival time", open(log).read())
    return float(m.group(1)) if m else None
model = rep["enable_path"]
flat = path(sys.argv[2])
src = arrival(sys.argv[3])
modeled = model["path_ns"] - model["source_ns"] + src
print(json.dumps({"name": "enable_calibration", "size": f"{sys.argv[4]}x{sys.argv[4]}",
                  "clock_ns": clock, "model": model, "source_port_ns": src,
                  "model_from_port_ns": round(modeled, 4), "flat_from_port_ns": flat,
                  "model_error_percent": round(100 * (modeled - flat) / flat, 1),
                  "hierarchical_critical_path_ns": rep["critical_path_ns"]}))
PY
