#!/usr/bin/env python3
# Bad-input runs of the ftaccel CLI (issue 11 item 6): mutated TOML files, --set values, sim and
# campaign specifications, matrix files, timing tables and campaign files; every refusal must be
# exit 2 with a message naming the input and leave no output behind, nothing may crash.
"""Usage: bad_cli.py --ftaccel build/ftaccel [-n CASES_PER_KIND] [--seed S]. Exit 1 on a finding."""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

TOKENS = ['"', "'", "[", "]", "{", "}", "=", ".", ",", "\n", "#", "\\", "-1", "0", "1", "3", "256", "257",
          "65537", "99999999999999999999", "1e999", "nan", "true", "\"ws\"", "\"\"", "[1]", "{a=1}", "x" * 200,
          "\xff", ":", "@", ";", "+", "end", "/"]


def mutate(text, rng, edits=None):
    for _ in range(edits or rng.randint(1, 4)):
        pos = rng.randint(0, len(text))
        op = rng.randrange(6)
        if op == 0 and text:
            i = rng.randrange(len(text))
            text = text[:i] + chr(rng.randrange(1, 256)) + text[i + 1:]
        elif op == 1:
            text = text[:pos] + text[pos + rng.randint(1, 30):]
        elif op == 2:
            text = text[:pos] + rng.choice(TOKENS) + text[pos:]
        elif op == 3:
            text = text[:pos]
        elif op == 4:
            eq = text.find("=", pos)
            if eq >= 0:
                end = text.find("\n", eq)
                end = len(text) if end < 0 else end
                text = text[:eq + 1] + " " + rng.choice(TOKENS) + text[end:]
        else:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


BASE_TOML = """[array]
rows = 2
cols = 3
dataflow = "ws"
[data]
bits = 5
[protect]
bypass = true
sanity_check = "spatial"
[protect.afd]
enable = true
gates = 1
"""

MATRIX = "matrix 4 2\n1 0\n0 2\n-3 0\n0 0\n"

CAMPAIGN = (
    '{"type":"header","format":"ftaccel-campaign","version":1,"ip":"t_ws2x2","config_hash":"abc123",'
    '"dataflow":"ws","rows":2,"cols":2,"data_bits":8,"acc_bits":19,"model":"seu","faults":3,"seed":1,'
    '"shard":[0,1],"engine":"fast","workload":{"vectors":4,"seed":1},"alarms":[],"sites":10,'
    '"site_bits":20,"window_cycles":12}\n'
    '{"type":"fault_free","runs":2,"false_alarms":0,"mismatches":0}\n'
    + "".join('{"type":"fault","index":%d,"outcome":"%s","pruned":false,"sim_cycles":12,"injections":'
              '[{"site":"u_array.u_pe.x","id":3,"kind":"psum","pe":[0,1],"bits":[2],"effect":"flip",'
              '"cycle":5,"last_cycle":5}],"wrong":%d,"max_abs_error":%s,"errors":[%s],"alarms":[]}\n'
              % (k, o, w, m, e) for k, o, w, m, e in
              [(0, "masked", 0, "0", ""), (1, "sdc", 1, "4", "[0,1,4]"), (2, "masked", 0, "0", "")]))


class Runner:
    def __init__(self, ftaccel, work):
        self.ftaccel, self.work = ftaccel, work
        self.cases = self.findings = 0
        self.rc = {}

    def check(self, kind, args, names, outputs=(), allow_ok=True):
        """Runs ftaccel ARGS; exit 0 (when allowed) or 2 naming one of `names` with none of
        `outputs` left behind is fine, anything else is a finding."""
        self.cases += 1
        before = set(os.listdir(self.work))
        try:
            p = subprocess.run([self.ftaccel, *args], capture_output=True, text=True, errors="replace",
                               timeout=120, env=dict(os.environ, FTACCEL_CACHE_DIR=os.path.join(self.work, "nocache")))
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = "timeout", ""
        self.rc[(kind, rc)] = self.rc.get((kind, rc), 0) + 1
        problem = None
        if rc == 2:
            if not any(n in err for n in names):
                problem = f"message names none of {names}"
            left = [o for o in outputs if os.path.exists(o)]
            if left:
                problem = f"left behind {left}"
            new = [f for f in set(os.listdir(self.work)) - before if f != "nocache"]
            if new:
                problem = f"left behind {new}"
        elif not (rc == 0 and allow_ok):
            problem = f"exit {rc}"
        if os.path.isdir(os.path.join(self.work, "nocache")):
            problem = problem or "built a model for a bad input"
            shutil.rmtree(os.path.join(self.work, "nocache"), ignore_errors=True)
        for o in outputs:  # accepted runs may write; start clean
            shutil.rmtree(o, ignore_errors=True) if os.path.isdir(o) else (os.path.exists(o) and os.remove(o))
        if problem:
            self.findings += 1
            print(f"[bad-cli] FINDING {kind}: {problem}: ftaccel {' '.join(map(repr, args))}\n{err[-1500:]}")


def write(path, text):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--ftaccel", default="build/ftaccel")
    ap.add_argument("-n", type=int, default=40, help="cases per kind")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="ftaccel-badcli-")
    r = Runner(os.path.abspath(args.ftaccel), work)
    cfg = os.path.join(work, "c.toml")
    out = os.path.join(work, "ip")
    small = ["--set", "array.rows=2", "--set", "array.cols=3"]
    try:
        for i in range(args.n):
            write(cfg, mutate(BASE_TOML, rng))
            r.check("generate --config", ["generate", "--config", cfg, "--out", out], ["c.toml"], [out])
            key = rng.choice(["array.rows", "array.cols", "array.dataflow", "data.bits", "data.acc_bits",
                              "protect.sanity_check", "protect.afd.s_max", "array.pe", "array.group_l", "ip.name",
                              "protect.weight_parity.word_weights", "array.max_k", "synth.clock_ns", "nope"])
            val = mutate(rng.choice(["8", '"ws"', "true", '"x"', "3"]), rng, 1)
            r.check("generate --set", ["generate", "--set", f"{key}={val}", "--out", out], ["--set", key], [out])
            # Specifications refused before a model is built (a valid one would build: forced bad).
            bad = rng.choice(["row:9", "col:-1", "pe:1", "random:1.5", "file:/nonexistent", "x", "row:1+", ""])
            r.check("sim --bypass", ["sim", *small, "--set", "protect.bypass=true", "--bypass",
                                     mutate(bad, rng, 1) + "+row:99"], ["bypass"], allow_ok=False)
            bad = rng.choice(["s0:9,0,1", "s1:0,0,99", "rnd:5", "rndrow:7", "q:1", "s0:0,0,1,"])
            r.check("sim --pe-fault", ["sim", *small, "--pe-fault", bad + "+rnd:99,99"], ["--pe-fault"], allow_ok=False)
            r.check("sim --matmul", ["sim", *small, "--matmul", mutate("4,5,6", rng, 1) + ",x"], ["--matmul"],
                    allow_ok=False)
            camp = os.path.join(work, "r.jsonl")
            site = rng.choice(["u_ctrl.valid_q", "u_array.gen_row[0].gen_col[1].u_pe.psum_q", "nosuch", "7"])
            inj = mutate(f"{site}:0@5", rng, 1) + ";" + rng.choice(["x", "u_ctrl.valid_q:99@1", "@", "1:0@9-2"])
            r.check("campaign --inject", ["campaign", *small, "--model", "list", "--inject", inj, "--out", camp],
                    ["--inject"], [camp], allow_ok=False)
            r.check("campaign --shard", ["campaign", *small, "--faults", "5", "--shard", mutate("1/2", rng, 1) + "/",
                                         "--out", camp], ["--shard"], [camp], allow_ok=False)
            mat = os.path.join(work, "w.mat")
            packed = os.path.join(work, "w.packed")
            write(mat, mutate(MATRIX, rng))
            r.check("pack", ["pack", "--set", "array.pe=\"shortened\"", "--set", "array.group_l=2", mat, "-o", packed],
                    ["w.mat"], [packed])
            tt = os.path.join(work, "t.tt")
            write(tt, mutate("format ftaccel-timing 1\ndata_bits 2\n1 1 : 0:1/4 2:1/8\n-2 1 : 0:1/2\n", rng))
            r.check("timing-table --check", ["timing-table", "--check", tt], ["t.tt"])
            files = []
            for f in range(rng.randint(1, 2)):
                path = os.path.join(work, f"c{f}.jsonl")
                text = mutate(CAMPAIGN, rng) if rng.random() < 0.8 else CAMPAIGN.replace("abc123", "other")
                write(path, text[:rng.randint(0, len(text))] if rng.random() < 0.2 else text)
                files.append(path)
            patterns = os.path.join(work, "p.csv")
            r.check("campaign-report", ["campaign-report", *files, "--patterns", patterns],
                    [os.path.basename(f) for f in files], [patterns])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"bad-cli: {r.cases} cases, {r.findings} findings; exit codes: "
          + ", ".join(f"{k} {rc}: {n}" for (k, rc), n in sorted(r.rc.items(), key=str)))
    return 1 if r.findings else 0


if __name__ == "__main__":
    sys.exit(main())
