# Summarizes mem-* campaign results as the rows of docs/weight-parity.md: outcome shares, the
# share of faults after which the parity check zeroed a word, mean/max of each fault's largest
# |output error|, and the outcomes of faults with an odd and an even number of flipped bits.
# usage: python3 memory_campaign_summary.py FILE.jsonl...
import json, sys

def pct(k, n):
    return f"{100.0 * k / n:.1f} %" if k else "0"

for path in sys.argv[1:]:
    n = 0; out = {}; errs = []; zeroed = 0; tol = 0
    byodd = {0: {}, 1: {}}
    for line in open(path):
        j = json.loads(line)
        if j.get('type') == 'header':
            tol = j.get('model_options', {}).get('tolerance', 0)
            continue
        if j.get('type') != 'fault': continue
        n += 1
        o = j['outcome']; out[o] = out.get(o, 0) + 1
        errs.append(abs(int(j['max_abs_error'])))
        zeroed += j.get('parity_zeroed', 0) > 0
        nb = sum(len(i['bits']) for i in j['injections'])
        d = byodd[nb % 2]; d[o] = d.get(o, 0) + 1
    split = lambda p: ' '.join(f"{k}={v}" for k, v in sorted(byodd[p].items())) or '-'
    print(f"| {path.split('/')[-1][:-6]} | {tol} | " +
          ' | '.join(pct(out.get(k, 0), n) for k in ('masked', 'suppressed', 'detected', 'sdc')) +
          f" | {pct(zeroed, n)} | {sum(errs) / n:.0f} | {max(errs)} | odd: {split(1)}; even: {split(0)} | n={n}")
