#!/bin/sh
# tests/bench/agree_judge.sh: `goldset agree --judge` (the agreement rows and the
# judge check) on 500 items x 6 criteria, 4 human raters and a judge,
# against the same computations in Python with statsmodels, scikit-learn and
# scipy. Both without a bootstrap.
#   compute only (the goal, >= 10x): the labels in memory before the clock
#     starts on both sides; goldset's side is agree_compute.c (the rows, the
#     judge check and the JSON, as `agree --judge --json` makes them), the
#     best of 20 runs; Python's the best of 3.
#   end to end: goldset's whole command (start, open and check the store,
#     load, compute, print), the best of 3, against Python's compute alone
#     and against Python's whole script (start, imports, read, compute).
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy, scipy, sklearn, statsmodels' 2>/dev/null; then
  echo "agree --judge bench: skipped (/usr/bin/python3 lacks numpy, scipy, sklearn or statsmodels)"
  exit 0
fi
W="$B/ws"
"$GS" init "$W" > /dev/null 2>&1
"$PY" - "$W" "$B" <<'PYGEN'
import json, random, sys
ws, b = sys.argv[1], sys.argv[2]
r = random.Random(20261207)
crit = ["c%d" % i for i in range(6)]
json.dump({"name": "bench6", "version": 1, "mode": "single",
           "criteria": [{"id": c, "type": "scale", "min": 1, "max": 5, "question": c} for c in crit]},
          open(ws + "/rubrics/bench6.json", "w"))
items = [{"id": "i%04d" % i, "input": "q", "output": "x" * r.randint(20, 900)} for i in range(500)]
with open(b + "/items.jsonl", "w") as f:
    for it in items: f.write(json.dumps(it) + "\n")
truth = {(it["id"], c): r.randint(1, 5) for it in items for c in crit}
for rater in ["ann", "ben", "cat", "dan", "judge:j"]:
    with open(b + "/" + rater.replace(":", "_") + ".jsonl", "w") as f:
        for it in items:
            labs = {c: max(1, min(5, truth[it["id"], c] + (r.choice([-1, 1]) if r.random() < 0.35 else 0)))
                    for c in crit}
            f.write(json.dumps({"id": it["id"], "rubric": "bench6", "labels": labs}) + "\n")
PYGEN
"$GS" -C "$W" import "$B/items.jsonl" --set bench > /dev/null
for r in ann ben cat dan; do "$GS" -C "$W" import-labels "$B/$r.jsonl" --as "$r" > /dev/null; done
"$GS" -C "$W" import-labels "$B/judge_j.jsonl" --as judge:j --rubric bench6 > /dev/null

cat > "$B/ref.py" <<'PYREF'
# what `agree --judge` computes, per criterion, with statsmodels / sklearn / scipy
import json, sys, time
import numpy as np
from scipy import stats
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support
from statsmodels.stats.inter_rater import fleiss_kappa, aggregate_raters
b = sys.argv[1]
raters = ["ann", "ben", "cat", "dan"]
lab = {}
for r in raters + ["judge_j"]:
    lab[r] = [json.loads(l) for l in open("%s/%s.jsonl" % (b, r))]
length = {json.loads(l)["id"]: len(json.loads(l)["output"]) for l in open(b + "/items.jsonl")}
t0 = time.perf_counter()
out = {}
for c in ["c%d" % i for i in range(6)]:
    H = np.array([[l["labels"][c] for l in lab[r]] for r in raters], dtype=float)
    J = np.array([l["labels"][c] for l in lab["judge_j"]], dtype=float)
    srt = np.sort(H, axis=0)
    ok = srt[1] == srt[2]                       # four raters: a median only when the middle two agree
    M, j = srt[1][ok], J[ok]
    k = cohen_kappa_score(M, j)
    kw = cohen_kappa_score(M, j, weights="linear")
    kq = cohen_kappa_score(M, j, weights="quadratic")
    fk = fleiss_kappa(aggregate_raters(np.vstack([M, j]).T)[0])
    cm = confusion_matrix(M, j, labels=[1, 2, 3, 4, 5])
    prf = precision_recall_fscore_support(M, j, labels=[1, 2, 3, 4, 5], zero_division=0)
    hm = H.mean(axis=0)
    d = J - hm
    ci = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    rho = stats.spearmanr(J, hm).correlation
    tau = stats.kendalltau(J, hm).correlation
    ln = np.array([length[l["id"]] for l in lab["judge_j"]]) / 100.0
    s1, s2 = stats.linregress(ln, J).slope, stats.linregress(ln, hm).slope
    out[c] = [k, kw, kq, fk, float(ci[0]), rho, tau, s1, s2, int(cm.sum()), float(prf[2].mean())]
print("compute %.6f" % (time.perf_counter() - t0))
PYREF

best() { # VAR CMD...: the best of 3 wall times
  bv=$1; shift; b=
  for k in 1 2 3; do
    measure one "$@"
    b=$(awk -v a="${b:-$one_s}" -v c="$one_s" 'BEGIN { print (c < a ? c : a) }')
  done
  eval "${bv}_s=$b"
}
best gs "$GS" -C "$W" agree --judge judge:j --json --bootstrap 0
bench_cc "$B/agree_compute" "$TOP/tests/bench/agree_compute.c" || { echo "agree --judge: cannot build agree_compute"; exit 1; }
gsc_s=$("$B/agree_compute" "$W" judge:j 20 | awk '/^compute/ { print $2 }')
py_s=9999
for k in 1 2 3; do
  s=$("$PY" "$B/ref.py" "$B" | awk '/^compute/ { print $2 }')
  py_s=$(awk -v a="$py_s" -v c="$s" 'BEGIN { print (c < a ? c : a) }')
done
best pyall "$PY" "$B/ref.py" "$B"
echo "agree --judge, 500 items x 6 criteria, 4 raters + a judge, no bootstrap:"
echo "  compute only: goldset ${gsc_s}s, Python (statsmodels, sklearn, scipy) ${py_s}s: ratio $(ratio "$py_s" "$gsc_s")x (goal >= 10)"
echo "  goldset end to end ${gs_s}s (start, open, load, compute, print) against Python's compute only: $(ratio "$py_s" "$gs_s")x"
echo "  against Python end to end ${pyall_s}s (start, imports, read, compute): $(ratio "$pyall_s" "$gs_s")x"
