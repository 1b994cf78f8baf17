# Summarizes mem-* campaign results: outcome shares, mean/max of each fault's largest |output
# error| (overall and per outcome), and outcomes by the parity of the number of flipped bits.
# usage: python3 summ.py FILE.jsonl...
import json, sys
for path in sys.argv[1:]:
    n = 0; out = {}; per = {}; errs = []
    byodd = {0: {}, 1: {}}
    for line in open(path):
        j = json.loads(line)
        if j.get('type') != 'fault': continue
        n += 1
        o = j['outcome']; out[o] = out.get(o, 0) + 1
        e = max([abs(int(x[2])) for x in j.get('errors', [])] or [0])
        errs.append(e); per.setdefault(o, []).append(e)
        nb = sum(len(i['bits']) for i in j['injections'])
        d = byodd[nb % 2]; d[o] = d.get(o, 0) + 1
    pct = lambda k: 100.0 * out.get(k, 0) / n
    odd = lambda p: ' '.join(f"{k}={v}" for k, v in sorted(byodd[p].items()))
    po = ' '.join(f"{k}:{sum(v)/len(v):.0f}/{max(v)}" for k, v in sorted(per.items()))
    print(f"{path.split('/')[-1][:-6]:16s} n={n} M={pct('masked'):5.1f} S={pct('suppressed'):5.1f} "
          f"D={pct('detected'):3.1f} SDC={pct('sdc'):5.1f} | mean/max |err| all {sum(errs)/n:.0f}/{max(errs)} ({po}) "
          f"| odd-bit faults [{odd(1)}] even-bit faults [{odd(0)}]")
