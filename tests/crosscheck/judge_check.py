# judge_check.py: the judge check of `goldset agree --judge --json` (its
# "alignment" objects) against scikit-learn 1.2 and scipy 1.10 (Debian 12's
# python3-sklearn, python3-scipy), on random workspaces: three human raters
# and a judge on a 1-5 scale with outputs of random length, and a pairwise
# rubric with a judge that favours one system and the left side.
# Prints TAP lines. argv: rounds, seed. $GOLDSET names the binary.
import json, math, os, random, subprocess, sys, tempfile
import numpy as np
from scipy import stats
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

GS = os.environ["GOLDSET"]
rounds, seed = int(sys.argv[1]), int(sys.argv[2])
failures = 0


def gs(ws, *args, stdin=None):
    p = subprocess.run([GS, "-C", ws, *args], capture_output=True, text=True, input=stdin)
    if p.returncode != 0:
        raise RuntimeError("goldset %s: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout


def close(a, b, tol=1e-9):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None and (b is None or math.isnan(b))
    return abs(a - b) <= tol * max(1.0, abs(b))


def check(name, ok, detail=""):
    global failures
    if ok:
        print("ok - %s" % name)
    else:
        failures += 1
        print("not ok - %s" % name)
        print("#   %s" % detail)


def labels_file(ws, rater, lines):
    path = os.path.join(ws, "..", rater.replace(":", "_") + ".jsonl")
    with open(path, "w") as f:
        for l in lines:
            f.write(json.dumps(l) + "\n")
    extra = ["--rubric", lines[0]["rubric"]] if rater.startswith("judge:") else []
    gs(ws, "import-labels", path, "--as", rater, *extra)


def single_round(r, ws):
    n = r.randint(25, 60)
    items = [{"id": "i%03d" % i, "input": "q", "output": "x" * r.randint(10, 900)} for i in range(n)]
    with open(os.path.join(ws, "..", "items.jsonl"), "w") as f:
        for it in items:
            f.write(json.dumps(it) + "\n")
    gs(ws, "import", os.path.join(ws, "..", "items.jsonl"), "--set", "s")
    truth = [r.randint(1, 5) for _ in items]
    val = {}
    for rater, noise, bias in [("ann", 0.3, 0), ("ben", 0.4, 0), ("cat", 0.3, 0), ("judge:j", 0.4, r.choice([0, 1]))]:
        vs = []
        for k, it in enumerate(items):
            v = truth[k] + (r.choice([-1, 1]) if r.random() < noise else 0)
            if bias and len(it["output"]) > 400 and r.random() < 0.6:
                v += 1
            vs.append(max(1, min(5, v)))
        val[rater] = vs
        labels_file(ws, rater, [{"id": it["id"], "rubric": "support-answer", "labels": {"correctness": vs[k]}}
                                for k, it in enumerate(items)])
    out = json.loads(gs(ws, "agree", "--judge", "judge:j", "--rubric", "support-answer",
                        "--criterion", "correctness", "--json", "--bootstrap", "0"))
    a = [row for row in out if "alignment" in row][0]["alignment"]
    humans = np.array([val["ann"], val["ben"], val["cat"]], dtype=float)
    judge = np.array(val["judge:j"], dtype=float)
    major = np.median(humans, axis=0)          # three raters: the median is the majority of a scale
    labels = [1, 2, 3, 4, 5]
    cm = confusion_matrix(major, judge, labels=labels)   # [human][judge]
    got = np.array(a["confusion"]).T
    check("round %d: confusion = sklearn confusion_matrix" % rnd, (cm == got).all(), "%s vs %s" % (cm, got))
    p, rc, f1, _ = precision_recall_fscore_support(major, judge, labels=labels, zero_division=0)
    ok = True
    for k, v in enumerate(a["per_value"]):
        for name, want in (("precision", p[k]), ("recall", rc[k]), ("f1", f1[k])):
            if v[name] is not None and not close(v[name], float(want)):
                ok = False
    check("round %d: precision, recall, F1 = sklearn (where defined)" % rnd, ok)
    hm = humans.mean(axis=0)
    d = judge - hm
    lo, hi = stats.t.interval(0.95, len(d) - 1, loc=d.mean(), scale=stats.sem(d))
    check("round %d: mean difference and t interval = scipy" % rnd,
          close(a["mean_diff"], d.mean()) and close(a["mean_diff_ci95"][0], lo, 1e-7) and
          close(a["mean_diff_ci95"][1], hi, 1e-7), "%s vs %s %s %s" % (a, d.mean(), lo, hi))
    check("round %d: Spearman and Kendall tau-b = scipy" % rnd,
          close(a["spearman"], stats.spearmanr(judge, hm).correlation) and
          close(a["kendall_tau_b"], stats.kendalltau(judge, hm).correlation))
    lens = np.array([len(it["output"]) for it in items]) / 100.0
    check("round %d: length slopes = scipy linregress" % rnd,
          close(a["length_slope_judge"], stats.linregress(lens, judge).slope) and
          close(a["length_slope_humans"], stats.linregress(lens, hm).slope))


def pair_round(r, ws):
    systems = ["sys-a", "sys-b", "sys-c"]
    its = [{"id": "p%03d" % i, "input": "q", "outputs": [{"system": s, "text": "t%d" % i} for s in systems]}
           for i in range(r.randint(10, 20))]
    with open(os.path.join(ws, "..", "pairs.jsonl"), "w") as f:
        for it in its:
            f.write(json.dumps(it) + "\n")
    gs(ws, "import", os.path.join(ws, "..", "pairs.jsonl"), "--set", "p")
    score = {}
    lines = {rt: [] for rt in ("ann", "ben", "judge:j")}
    for it in its:
        for x in range(3):
            for y in range(x + 1, 3):
                a, b = systems[x], systems[y]
                for rt in lines:
                    left, right = (a, b) if r.random() < 0.5 else (b, a)
                    w = r.choice([a, b, "tie"])
                    if rt == "judge:j" and r.random() < 0.3:
                        w = "sys-c" if "sys-c" in (a, b) else left
                    lines[rt].append({"id": it["id"], "rubric": "pairwise-preference", "left": left,
                                      "right": right, "labels": {"helpful": w, "harmless": "tie"}})
                    score.setdefault((it["id"], a, b), {})[rt] = w
    for rt, ls in lines.items():
        labels_file(ws, rt, ls)
    out = json.loads(gs(ws, "agree", "--judge", "judge:j", "--rubric", "pairwise-preference",
                        "--criterion", "helpful", "--json", "--bootstrap", "0"))
    a = [row for row in out if "alignment" in row][0]["alignment"]
    ok = True
    for s in a["system_preference"]:
        ds = []
        for (iid, x, y), w in score.items():
            if s["system"] not in (x, y):
                continue
            sc = lambda v: 1.0 if v == s["system"] else 0.5 if v == "tie" else 0.0
            ds.append(sc(w["judge:j"]) - (sc(w["ann"]) + sc(w["ben"])) / 2)
        ds = np.array(ds)
        lo, hi = stats.t.interval(0.95, len(ds) - 1, loc=ds.mean(), scale=stats.sem(ds))
        ok &= s["pairs"] == len(ds) and close(s["judge_minus_humans"], ds.mean()) and \
            close(s["ci95"][0], lo, 1e-7) and close(s["ci95"][1], hi, 1e-7)
    check("round %d: each system's judge-minus-humans score and t interval = scipy" % rnd, ok, str(a))
    dec = [l for l in lines["judge:j"] if l["labels"]["helpful"] != "tie"]
    won = sum(1 for l in dec if l["labels"]["helpful"] == l["left"])
    check("round %d: the judge's left-win rate = its decided comparisons won by the left side" % rnd,
          close(a["position"]["judge_left_win_rate"], won / len(dec)))


r = random.Random(seed)
for rnd in range(rounds):
    with tempfile.TemporaryDirectory() as d:
        ws = os.path.join(d, "ws")
        os.mkdir(ws)
        subprocess.run([GS, "init", ws], capture_output=True, check=True)
        single_round(r, ws)
        pair_round(r, ws)
sys.exit(1 if failures else 0)
