#!/usr/bin/env bash
# Sanity-Check hardware (checksum column + check, temporal input and output sides) in % of the systolic array and of the IP,
# from `ftaccel synth --json` reports, beside the dissertation's Table 6.3.
# usage: tests/protect/sanity/overhead.sh REPORT.json ...   (from `ftaccel synth --set
#        protect.sanity_check=spatial ... --json`)
set -euo pipefail
printf '%-28s %-16s %12s %12s %12s %8s %8s %8s\n' ip technology sanity_area array_area ip_base 'arr %' 'IP %' 'pwr %'
for f in "$@"; do
  jq -r '
    ([.modules[] | select(.name | test("_sanity_(col|check|tin|tout)$")) | .total_area * .instances] | add) as $s |
    ([.modules[] | select(.name | test("_sanity_(col|check|tin|tout)$")) | .total_power_w * .instances] | add) as $sp |
    (.modules[] | select(.name | test("_array$"))) as $a |
    (.overhead[] | select(.protection == "sanity")) as $o |
    [.config.ip.name, .technology, $s, $a.total_area, $o.ip_area_base,
     100 * $s / $a.total_area, 100 * $s / $o.ip_area_base, 100 * $sp / $a.total_power_w] |
    @tsv' "$f" |
    awk -F'\t' '{ printf "%-28s %-16s %12.0f %12.0f %12.0f %8.2f %8.2f %8.2f\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
done
echo "dissertation Table 6.3 (DesignCompiler, 15 nm, 64x64 16-bit): 3.08 % area, 5.50 % power of the array; (n+3)/(n*S) = 2.5 % for S = 64, n = 5"
