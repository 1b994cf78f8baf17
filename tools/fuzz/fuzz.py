#!/usr/bin/env python3
# Random-configuration regression (`make fuzz`): draws valid configurations, generates, lints,
# co-simulates and runs a short campaign on each; one JSON line per configuration.
"""Config i of a run with --seed S is drawn from seed S + i alone, so
`fuzz.py -n 1 --seed S+i` (or `make fuzz N=1 SEED=S+i`) repeats exactly that configuration.
Exit status: 0 when every accepted configuration passed, 1 otherwise."""

import argparse
import json
import math
import os
import random
import shutil
import string
import subprocess
import sys
import threading
import time

SANITY_MODES = ["off", "spatial", "temporal", "both"]  # every choice of the key table's row


def small(rng, hi, lo=1):
    """An integer in lo..hi biased to small values (most runs must stay cheap)."""
    r = rng.random()
    if r < 0.6:
        return rng.randint(lo, min(hi, max(lo, 6)))
    if r < 0.9:
        return rng.randint(lo, min(hi, max(lo, 16)))
    return rng.randint(lo, hi)


def min_acc_bits(bits, n):
    return int(math.floor(math.log2(n))) + 2 * bits


def draw_config(rng, max_size):
    """--set lines of one configuration that respects the documented constraints (README's key
    table); a few refusals remain by design (residue width, a temporal check with an activation filter)
    and are counted."""
    s = {}
    rows, cols = small(rng, max_size), small(rng, max_size)
    df = rng.choice(["ws", "is", "os"])
    s["array.rows"], s["array.cols"], s["array.dataflow"] = rows, cols, df
    bits = rng.randint(4, 12) if rng.random() < 0.7 else rng.randint(4, 32)
    s["data.bits"] = bits
    length = rows
    if df == "os":
        max_k = 256
        if rng.random() < 0.5:
            max_k = rng.choice([rng.randint(1, 64), rng.randint(1, 4096), 65536])
            s["array.max_k"] = max_k
        length = max_k
    if rng.random() < 0.3:
        lo = min_acc_bits(bits, length)
        s["data.acc_bits"] = min(96, lo + rng.randint(0, 12))
    if rng.random() < 0.3:
        s["array.nets"] = rng.choice(["auto", "per_pe", "flat"] + (["rows"] if df != "os" else []))
    if rng.random() < 0.15:
        s["ip.name"] = "fz_" + "".join(rng.choice(string.ascii_lowercase + string.digits + "_")
                                       for _ in range(rng.randint(1, 20)))
    if rng.random() < 0.2:
        s["synth.clock_ns"] = round(rng.uniform(0.5, 20), 2)
        s["synth.goal"] = rng.choice(["timing", "area"])
    # array.pe other than dense: ws only and without any protection unit.
    if df == "ws" and rng.random() < 0.25:
        pe = rng.choice(["shortened", "superposition", "twodim"])
        s["array.pe"] = pe
        if pe in ("shortened", "twodim"):
            s["array.group_l"] = rng.choice([2, 4, 8] if rng.random() < 0.9 else [16, 32])
        if pe in ("superposition", "twodim"):
            s["array.group_k"] = rng.choice([2, 4, 8] if rng.random() < 0.9 else [16, 32])
        return s
    if rng.random() < 0.35:
        s["protect.bypass"] = "true"
    if df in ("ws", "is") and rng.random() < 0.35:
        mode = rng.choice(SANITY_MODES[1:] + ["spatial"])  # spatial twice as often
        s["protect.sanity_check"] = f'"{mode}"'
        if mode in ("temporal", "both") and rng.random() < 0.4:
            s["protect.sanity_max_batch"] = rng.choice([1, 2, 3, rng.randint(4, 300)])
        if rng.random() < 0.3:
            s["protect.sanity_residue_bits"] = rng.randint(2, 8)
    if df == "ws":
        if rng.random() < 0.25:
            s["protect.afd.enable"] = "true"
            s["protect.afd.gates"] = rng.choice([1, 2])
            s["protect.afd.mode"] = '"' + rng.choice(["drop", "clip"]) + '"'
            s["protect.afd.s_max"] = rng.randint(0, 15)
        if rng.random() < 0.25:
            s["protect.median.enable"] = "true"
            s["protect.median.window"] = rng.choice([3, 5])
            s["protect.median.impl"] = '"' + rng.choice(["naive", "optimized"]) + '"'
        if rng.random() < 0.25:
            s["protect.weight_parity.enable"] = "true"
            s["protect.weight_parity.word_weights"] = rng.choice([d for d in range(1, cols + 1) if cols % d == 0])
            s["protect.weight_parity.flip"] = '"' + rng.choice(["largest", "last"]) + '"'
    return s


def set_args(cfg):
    out = []
    for k, v in cfg.items():
        if isinstance(v, str) and k in ("array.dataflow", "array.nets", "array.pe", "ip.name", "synth.goal"):
            v = f'"{v}"'
        out += ["--set", f"{k}={v}"]
    return out


def draw_sim(rng, cfg, seed):
    """Sim options: workload, handshake rates, a bypass mask when the IP has bypass logic."""
    a = ["--seed", str(seed), "--pattern", rng.choice(["random", "neg", "zero", "alt", "max", "mixed"])]
    vectors, batch = rng.randint(20, 200), rng.randint(1, 64)
    if cfg["array.dataflow"] == "os":  # an OS batch is one tile: at most max_k steps
        batch = min(batch, int(cfg.get("array.max_k", 256)))
    a += ["--vectors", str(vectors), "--batch", str(batch)]
    if rng.random() < 0.5:
        a += ["--in-valid", f"{rng.uniform(0.2, 1):.2f}", "--out-ready", f"{rng.uniform(0.2, 1):.2f}"]
    if cfg.get("protect.bypass") == "true" and rng.random() < 0.7:
        a += ["--bypass", f"random:{rng.uniform(0, 0.5):.2f}"]
    if cfg.get("protect.sanity_check") in ('"temporal"', '"both"') and rng.random() < 0.6:
        a += ["--sanity-batch", str(rng.randint(1, int(cfg.get("protect.sanity_max_batch", 64))))]
    return a


def draw_campaign(rng, cfg, seed, faults):
    model = rng.choice(["seu", "seu", "mbu", "stuck"])
    a = ["--model", model, "--faults", str(faults), "--seed", str(seed), "-j", "1", "-q"]
    vectors = rng.randint(2, 12)
    if cfg["array.dataflow"] == "os":
        vectors = min(vectors, int(cfg.get("array.max_k", 256)))
    a += ["--vectors", str(vectors)]
    if rng.random() < 0.5:
        a += ["--verify-pruned"]
    return a


def run(cmd, cwd=None, timeout=1800, env=None):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode, p.stdout + p.stderr, time.time() - t0
    except subprocess.TimeoutExpired:
        return -1, f"timeout after {timeout} s", time.time() - t0


def tail(text, n=15):
    return "\n".join(text.strip().splitlines()[-n:])


def check_config(ftaccel, seed, work, args, env):
    """Runs every stage on the configuration of `seed`; returns the JSON record."""
    rng = random.Random(seed)
    cfg = draw_config(rng, args.max_size)
    sets = set_args(cfg)
    rec = {"seed": seed, "config": cfg, "status": "pass", "stages": {},
           "repro": f"make fuzz N=1 SEED={seed}" + (f" FUZZ_MAX={args.max_size}" if args.max_size != 64 else "")}
    d = os.path.join(work, f"cfg{seed}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)

    def stage(name, cmd, cwd=None, ok=lambda rc, out: rc == 0):
        rc, out, sec = run(cmd, cwd=cwd, env=env, timeout=args.timeout)
        rec["stages"][name] = round(sec, 2)
        if not ok(rc, out):
            rec["status"], rec["stage"], rec["exit"], rec["log"] = "fail", name, rc, tail(out)
            rec["command"] = " ".join(cmd)
            return False
        return True

    ip = os.path.join(d, "ip")
    rc, out, sec = run([ftaccel, "generate", *sets, "--out", ip], env=env, timeout=args.timeout)
    rec["stages"]["generate"] = round(sec, 2)
    if rc == 2:  # a documented refusal (diagnostic, exit 2): not a failure, but counted
        rec["status"], rec["reason"] = "refused", tail(out, 3)
        shutil.rmtree(d, ignore_errors=True)
        return rec
    if rc != 0:
        rec["status"], rec["stage"], rec["exit"], rec["log"] = "fail", "generate", rc, tail(out)
        return rec
    with open(os.path.join(ip, "manifest.json")) as f:
        top = json.load(f)["top"]
    with open(os.path.join(ip, f"{top}.f")) as f:
        files = f.read().split()
    rec["top"] = top
    if not args.no_lint:
        if not stage("verilator", ["verilator", "--lint-only", "-Wall", "--top-module", top, *files], ip,
                     lambda rc, out: rc == 0 and "%Warning" not in out):
            return rec
        if not stage("iverilog", ["iverilog", "-g2012", "-Wall", "-o", "/dev/null", "-s", top, *files], ip,
                     lambda rc, out: rc == 0 and "warning" not in out.lower()):
            return rec
        script = "".join(f"read_verilog -sv {f}; " for f in files) + f"hierarchy -check -top {top}; proc; check -assert"
        if not stage("yosys", ["yosys", "-q", "-p", script], ip):
            return rec
    if not stage("sim", [ftaccel, "sim", *sets, *draw_sim(rng, cfg, seed), "--json"]):
        return rec
    if args.protocol_fuzz and not stage("protocol", [ftaccel, "sim", *sets, "--seed", str(seed),
                                                    "--protocol-fuzz", str(args.protocol_fuzz)]):
        return rec
    if args.faults > 0 and seed - args.seed < args.campaigns:
        camp = os.path.join(d, "camp.jsonl")
        if not stage("campaign", [ftaccel, "campaign", *sets, *draw_campaign(rng, cfg, seed, args.faults),
                                  "--out", camp]):
            return rec

        def report_ok(rc, out):
            if rc != 0:
                return False
            r = json.loads(out)
            return r.get("faults_present") == args.faults and r.get("faults_missing", 1) == 0
        if not stage("report", [ftaccel, "campaign-report", camp, "--json"], ok=report_ok):
            return rec
    shutil.rmtree(d, ignore_errors=True)
    return rec


def worker_env(base_env, work, k):
    """Worker k's environment: its own model cache (so that removing one configuration's models
    never touches another worker's), sharing the harness objects every model links."""
    env = dict(base_env)
    if "FTACCEL_CACHE_DIR" in base_env:  # the user's cache: shared as it is
        return env
    root = os.path.join(work, "cache", f"w{k}")
    shared = os.path.join(work, "cache", "shared-objects")
    os.makedirs(root, exist_ok=True)
    os.makedirs(shared, exist_ok=True)
    link = os.path.join(root, "shared-objects")
    if not os.path.islink(link):
        shutil.rmtree(link, ignore_errors=True)
        os.symlink(shared, link)
    env["FTACCEL_CACHE_DIR"] = root
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=10, help="configurations to draw")
    ap.add_argument("--seed", type=int, default=1, help="configuration i uses seed SEED + i")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="configurations checked at once")
    ap.add_argument("--ftaccel", default="build/ftaccel")
    ap.add_argument("--work", default="build/fuzz", help="work directory (results.jsonl, model cache)")
    ap.add_argument("--out", help="results file (default WORK/results.jsonl)")
    ap.add_argument("--max-size", type=int, default=64, help="largest rows/cols drawn (1..64)")
    ap.add_argument("--faults", type=int, default=20, help="campaign faults per configuration (0: none)")
    ap.add_argument("--campaigns", type=int, default=1 << 30,
                    help="run the campaign on the first CAMPAIGNS configurations only (each builds a second model)")
    ap.add_argument("--protocol-fuzz", type=int, default=0, help="also run --protocol-fuzz N sequences")
    ap.add_argument("--no-lint", action="store_true")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per stage")
    ap.add_argument("--keep-cache", action="store_true", help="keep each configuration's models")
    args = ap.parse_args()
    if args.jobs < 1:
        ap.error("-j must be at least 1")

    ftaccel = os.path.abspath(args.ftaccel)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    out = args.out or os.path.join(work, "results.jsonl")
    base_env = dict(os.environ)
    # Each model runs a few hundred cycles: an unoptimized build is the faster whole.
    base_env.setdefault("FTACCEL_COSIM_OPT", "-O0")
    t0 = time.time()
    counts = {"pass": 0, "fail": 0, "refused": 0}
    failed = []
    lock = threading.Lock()
    seeds = iter(range(args.seed, args.seed + args.n))
    done = [0]

    def work_loop(k, results):
        env = worker_env(base_env, work, k)
        models = os.path.join(env["FTACCEL_CACHE_DIR"], "cosim")
        while True:
            with lock:
                seed = next(seeds, None)
            if seed is None:
                return
            had = set(os.listdir(models)) if os.path.isdir(models) else set()
            try:
                rec = check_config(ftaccel, seed, work, args, env)
            except Exception as e:  # a harness bug must not hide the other configurations
                rec = {"seed": seed, "status": "fail", "stage": "fuzz.py", "exit": -1, "log": repr(e),
                       "stages": {}, "repro": f"make fuzz N=1 SEED={seed}"}
            rec["seconds"] = round(sum(rec["stages"].values()), 2)
            # Models of random configs are never reused; in a cache the workers share (the user's
            # FTACCEL_CACHE_DIR), a new entry may be another worker's model in use: kept then.
            own_cache = "FTACCEL_CACHE_DIR" not in base_env or args.jobs == 1
            if not args.keep_cache and own_cache and os.path.isdir(models):
                for entry in set(os.listdir(models)) - had:
                    path = os.path.join(models, entry)
                    shutil.rmtree(path, ignore_errors=True) if os.path.isdir(path) else os.remove(path)
            with lock:
                counts[rec["status"]] += 1
                done[0] += 1
                results.write(json.dumps(rec, sort_keys=True) + "\n")
                results.flush()
                elapsed = time.time() - t0
                eta = elapsed / done[0] * (args.n - done[0])
                line = (f"[fuzz {done[0]}/{args.n}, {elapsed:.0f} s, ~{eta:.0f} s left] seed {seed}: "
                        f"{rec['status']} {rec.get('top', '')} {rec['seconds']:.1f} s")
                if rec["status"] == "fail":
                    failed.append(seed)
                    line += f" at {rec['stage']} (exit {rec['exit']}); repeat: {rec['repro']}\n{rec['log']}"
                elif rec["status"] == "refused":
                    line += f": {rec['reason'].splitlines()[0] if rec['reason'] else ''}"
                print(line, flush=True)

    with open(out, "w") as results:
        workers = [threading.Thread(target=work_loop, args=(k, results)) for k in range(args.jobs)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    total = time.time() - t0
    failed.sort()
    print(f"fuzz: {args.n} configs (seeds {args.seed}..{args.seed + args.n - 1}), {counts['pass']} passed, "
          f"{counts['fail']} failed, {counts['refused']} refused, {total:.0f} s with -j {args.jobs}; results {out}"
          + (f"; failing seeds: {' '.join(map(str, failed))} (repeat one: make fuzz N=1 SEED=<seed>)"
             if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
