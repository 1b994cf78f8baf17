#!/usr/bin/env bash
# Runs one fault-injection campaign as N shards with GNU parallel (local cores or --sshlogin
# hosts), then merges the shard files with `ftaccel campaign-report`. Rerunning the same
# command resumes: every shard continues its own file. Recipe: docs/scale-out.md.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/campaign-parallel.sh -n SHARDS -o OUTDIR [-P JOBS] [-S SSHLOGINS] [--return]
                                    -- CAMPAIGN_ARGS...
  -n SHARDS     number of shards (one ftaccel process each, --shard i/SHARDS)
  -o OUTDIR     shard files OUTDIR/shard-<i>-of-<n>.jsonl, merged report OUTDIR/report.txt
  -P JOBS       shards running at once per host (default: GNU parallel's, one per core)
  -S SSHLOGINS  GNU parallel --sshlogin list, e.g. '8/node1,8/node2' or ':' for this machine;
                every host runs the same ftaccel path ($FTACCEL) on OUTDIR, which must be on a
                file system shared by all hosts unless --return is given
  --return      hosts without a shared file system: run in a per-host copy of OUTDIR and copy
                the shard files back with rsync (GNU parallel --workdir . --return)
  CAMPAIGN_ARGS the `ftaccel campaign` arguments (config, --model, --faults, --seed, ...)
                without --shard, --out and -j (each shard runs one worker: -j 1)
environment: FTACCEL (default: ftaccel on PATH, else build/ftaccel next to this script),
             FTACCEL_CACHE_DIR (Verilator model cache; default ~/.cache/ftaccel)
USAGE
}

shards="" outdir="" jobs="" sshlogin="" ret=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) shards="$2"; shift 2 ;;
    -o) outdir="$2"; shift 2 ;;
    -P) jobs="$2"; shift 2 ;;
    -S) sshlogin="$2"; shift 2 ;;
    --return) ret=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "campaign-parallel: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]] || [ -z "$outdir" ]; then
  echo "campaign-parallel: -n SHARDS (a positive number) and -o OUTDIR are required" >&2
  usage >&2
  exit 2
fi
for a in "$@"; do
  case "$a" in
    --shard|--shard=*|--out|--out=*|-o|-j|--jobs|--jobs=*)
      echo "campaign-parallel: do not pass $a; the script sets --shard, --out and -j per shard" >&2
      exit 2 ;;
  esac
done
command -v parallel >/dev/null || { echo "campaign-parallel: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ -z "${FTACCEL:-}" ]; then
  if command -v ftaccel >/dev/null; then FTACCEL="$(command -v ftaccel)"
  else FTACCEL="$here/../build/ftaccel"; fi
fi
[ -x "$FTACCEL" ] || { echo "campaign-parallel: ftaccel not found at '$FTACCEL' (set FTACCEL)" >&2; exit 2; }
FTACCEL="$(cd "$(dirname "$FTACCEL")" && pwd)/$(basename "$FTACCEL")"

mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"
cd "$outdir"

# The first shard on a host builds the Verilator model; the others wait on its cache lock.
# One command per shard; {} is the shard index. Arguments are quoted for the remote shell.
cmd="$(printf '%q ' "$FTACCEL" campaign -q -j 1 "$@") --shard {}/$shards --out shard-{}-of-$shards.jsonl"
popts=(--will-cite --halt never --joblog "$outdir/parallel.joblog" --tagstring 'shard {}')
[ -n "$jobs" ] && popts+=(-j "$jobs")
if [ -n "$sshlogin" ]; then
  popts+=(--sshlogin "$sshlogin")
  if [ "$ret" = 1 ]; then popts+=(--workdir . --return "shard-{}-of-$shards.jsonl")
  else popts+=(--workdir "$outdir"); fi
  # Remote environments: the model cache location travels with the command.
  [ -n "${FTACCEL_CACHE_DIR:-}" ] && cmd="FTACCEL_CACHE_DIR=$(printf '%q' "$FTACCEL_CACHE_DIR") $cmd"
fi

status=0
seq 0 $((shards - 1)) | parallel "${popts[@]}" "$cmd" >"$outdir/shards.log" || status=$?
if [ "$status" -ne 0 ]; then
  echo "campaign-parallel: $status shard(s) failed (see $outdir/parallel.joblog and $outdir/shards.log);" \
       "rerun the same command to resume them" >&2
  exit 1
fi

files=()
for ((i = 0; i < shards; ++i)); do files+=("shard-$i-of-$shards.jsonl"); done
"$FTACCEL" campaign-report "${files[@]}" | tee "$outdir/report.txt"
"$FTACCEL" campaign-report "${files[@]}" --json >"$outdir/report.json"
if ! grep -Eq '^faults +[0-9]+ expected, [0-9]+ present, 0 missing' "$outdir/report.txt"; then
  echo "campaign-parallel: the shard files miss records; rerun the same command to complete them" >&2
  exit 1
fi
