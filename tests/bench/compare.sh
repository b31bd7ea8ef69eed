# compare.sh: `goldset compare new base` on 10k items labeled pointwise for
# both systems (one rater, a 1-5 scale; 20k label lines), 2000 bootstrap
# resamples and 2000 sign flips, against the same computation in numpy
# (the per-item differences given, compute only: the percentile bootstrap
# of the mean and the sign-flip test, vectorised). CPU seconds (user +
# system: the machine is shared, wall time says little), medians of RUNS
# runs: goldset end to end (process start to exit: opening the store,
# reading the labels, the table, the statistics, the JSON) and its
# resampling alone (the run minus one with --resamples 0); numpy's compute
# only (time.process_time; import and reading not counted).
# Goal: goldset >= 10x faster, compute against compute (goldset's
# resampling alone against numpy's, the per-item differences given to
# both); the end-to-end ratio is printed too. Also: both give the same mean
# difference and intervals within bootstrap noise.
#   GOLDSET=./goldset sh tests/bench/compare.sh      (N=, RUNS= change it)
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
N=${N:-10000}
RUNS=${RUNS:-5}
W=$B/ws
mkdir -p "$W"
"$GS" init "$W" >/dev/null 2>&1 || { echo "init failed"; exit 1; }
cat > "$W/rubrics/pt.json" <<'J'
{"name":"pt","version":1,"mode":"single","criteria":[{"id":"q","type":"scale","min":1,"max":5,"question":"how good?"}]}
J
$PY - "$N" "$B/items.jsonl" "$B/labels.jsonl" "$B/d.txt" <<'PYGEN'
import sys, numpy as np
n, items, labels, dpath = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rng = np.random.default_rng(20261207)
base = rng.integers(1, 6, n)
new = np.clip(base + rng.choice([-1, 0, 0, 1, 1], n), 1, 5)
with open(items, "w") as f:
    for i in range(n):
        f.write('{"id":"i%05d","input":"q %d","outputs":[{"system":"base","text":"b %d"},{"system":"new","text":"n %d"}]}\n' % (i, i, i, i))
with open(labels, "w") as f:
    for i in range(n):
        f.write('{"id":"i%05d","rubric":"pt","system":"base","labels":{"q":%d}}\n' % (i, base[i]))
        f.write('{"id":"i%05d","rubric":"pt","system":"new","labels":{"q":%d}}\n' % (i, new[i]))
np.savetxt(dpath, new - base, fmt="%d")
PYGEN
"$GS" -C "$W" import "$B/items.jsonl" --set s >/dev/null 2>&1 || { echo "import failed"; exit 1; }
"$GS" -C "$W" import-labels "$B/labels.jsonl" --as ann >/dev/null 2>&1 || { echo "import-labels failed"; exit 1; }

cat > "$B/np.py" <<'PYNP'
# the same computation in numpy: bootstrap of the mean, sign-flip test
import sys, time, json, numpy as np
d = np.loadtxt(sys.argv[1])
runs, resamples = int(sys.argv[2]), 2000
times = []
for r in range(runs):
    t0 = time.process_time()
    rng = np.random.default_rng(r)
    n = len(d)
    means = d[rng.integers(0, n, (resamples, n))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    signs = rng.integers(0, 2, (resamples, n), dtype=np.int8) * 2 - 1
    s = signs @ d
    p = (1 + np.sum(np.abs(s) >= abs(d.sum()) - 1e-9)) / (resamples + 1)
    times.append(time.process_time() - t0)
print(json.dumps({"seconds": sorted(times)[runs // 2], "diff": d.mean(), "lo": lo, "hi": hi, "p": p}))
PYNP

# CPU seconds (user + system) of goldset runs, from getrusage of the
# children (microseconds; wall time means little on a loaded machine)
cat > "$B/cpu.py" <<'PYCPU'
import json, resource, subprocess, sys
runs, cmd = int(sys.argv[1]), sys.argv[2:]
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
times = []
for _ in range(runs):
    t0 = cpu()
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    times.append(cpu() - t0)
print(json.dumps({"seconds": sorted(times)[runs // 2], "out": json.loads(out)}))
PYCPU
$PY "$B/cpu.py" "$RUNS" "$GS" -C "$W" compare new base --rubric pt --json --resamples 2000 > "$B/gs.json" || exit 1
$PY "$B/cpu.py" "$RUNS" "$GS" -C "$W" compare new base --rubric pt --json --resamples 0 > "$B/gs0.json" || exit 1
measure gsm "$GS" -C "$W" compare new base --rubric pt --json --resamples 2000
$PY "$B/np.py" "$B/d.txt" "$RUNS" > "$B/np.json"
$PY - "$B/gs.json" "$B/gs0.json" "$B/np.json" "$N" <<'PYCMP'
import json, sys
g, g0, k, n = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), int(sys.argv[4])
r = g["out"]["rows"][0]
comp = g["seconds"] - g0["seconds"]
print("compare on %d items, 2000 resamples (bootstrap + sign flips), CPU seconds, medians:" % n)
print("  compute only (the resampling): goldset %.3fs, numpy %.3fs: ratio %.1fx (goal >= 10)"
      % (comp, k["seconds"], k["seconds"] / max(comp, 1e-4)))
print("  goldset end to end %.3fs (of which %.3fs without resamples: start, store, labels) against numpy's"
      " compute only: %.1fx" % (g["seconds"], g0["seconds"], k["seconds"] / g["seconds"]))
print("  mean difference: goldset %.6f, numpy %.6f; 95%% interval goldset [%.4f, %.4f], numpy [%.4f, %.4f];"
      " p goldset %.4g, numpy %.4g" % (r["diff"], k["diff"], r["diff_ci95"][0], r["diff_ci95"][1], k["lo"], k["hi"],
                                      r["p_value"], k["p"]))
PYCMP
echo "  goldset peak memory ${gsm_kb} KB"
