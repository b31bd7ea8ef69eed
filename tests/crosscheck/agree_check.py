#!/usr/bin/python3
"""agree_check.py: cross-checks `goldset agree --table F.csv --json` against
independent implementations on many random tables (seeded, so a failure
reproduces): all four levels, 2-6 raters, missing values, numbers and
category names (with commas, quotes, non-ASCII), degenerate tables.

References (Debian's python3-statsmodels, python3-sklearn, python3-nltk):
  alpha            nltk AnnotationTask.alpha with the level's distance
                   function. nltk ships no ordinal or ratio distance; we pass
                   Krippendorff's (2011) definitions (the ordinal one needs
                   the pairable values' marginals). nltk's quirks, where we
                   test against the definition instead: it returns 1 when only
                   one label occurs anywhere (Krippendorff: undefined, we
                   print null), and divides by zero when the only second label
                   sits in an unpairable unit (also undefined: null).
  cohen_kappa      statsmodels cohens_kappa: kappa, std_kappa (the FCE 1969
  (+ se, ci95)     ASE), kappa_low/upp; sklearn cohen_kappa_score as well.
  weighted kappa   numbers: statsmodels cohens_kappa(table, weights=values,
                   wt='linear'/'quadratic') (numeric distance); category
                   names: sklearn cohen_kappa_score(labels=every category in
                   the file, sorted, weights=...) (distance by position on
                   the full list).
  fleiss_kappa     statsmodels fleiss_kappa(aggregate_raters(complete rows)).
  percent          no library computes pooled pairwise agreement with
                   missing data: the definition, here, plus sklearn's
                   accuracy_score where there are two raters.
  alpha_ci95       re-done here: the same xoshiro256** draws (transcribed from
                   the reference algorithm), alpha recomputed per resample
                   from the definition, numpy.percentile (type 7).
  kappa intervals  cohen_kappa_ci95 and weighted_kappa_*_ci95: the same
                   draws over the units both raters rated, each kappa
                   recomputed from its definition with numpy, percentiles,
                   kept inside [-1, 1]; null when the SE is (statsmodels'
                   variance 0: one rater gave one value only).
Everything must agree to 1e-9. Prints TAP lines (ok - / not ok -).

usage: GOLDSET=./goldset /usr/bin/python3 tests/crosscheck/agree_check.py [N_TABLES] [SEED]
"""
import csv
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import accuracy_score, cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

warnings.simplefilter("ignore")
np.seterr(all="ignore")

TOL = 1e-9
LEVELS = ["nominal", "ordinal", "interval", "ratio"]
CATEGORIES = ["bad", "ok, fine", 'say "hi"', "good", "ñandú", "great", "awful", "meh"]


# ---------- random tables ----------

def gen_values(rng):
    """a pool of cell texts and whether they are numbers"""
    kind = rng.choice(["int5", "int10", "gaps", "float", "neg", "cat", "cat2", "mixed"])
    if kind == "int5":
        return [str(i) for i in range(1, 6)], True
    if kind == "int10":
        return [str(i) for i in range(1, 11)], True
    if kind == "gaps":
        return ["1", "2", "3", "4", "6", "2.0", "+3"], True
    if kind == "float":
        return ["%.2f" % rng.uniform(0, 20) for _ in range(rng.randint(2, 30))], True
    if kind == "neg":
        return ["-2", "-1", "0", "1", "2", "1e1"], True
    if kind == "cat":
        return rng.sample(CATEGORIES, rng.randint(2, len(CATEGORIES))), False
    if kind == "cat2":
        return ["yes", "no"], False
    return ["1", "2", "3", "n/a"], False


def gen_table(rng):
    raters = rng.randint(2, 6)
    units = rng.randint(1, 60)
    pool, numeric = gen_values(rng)
    if rng.random() < 0.08:
        pool = pool[:1]                                  # one value only
    p_missing = rng.choice([0, 0, 0.1, 0.3, 0.6])
    # raters agree with a unit's "true" value most of the time
    rows = []
    for u in range(units):
        truth = rng.choice(pool)
        row = []
        for r in range(raters):
            if rng.random() < p_missing:
                row.append("")
            else:
                row.append(truth if rng.random() < 0.6 else rng.choice(pool))
        rows.append(row)
    names = ["r%d" % i if rng.random() < 0.7 else "rater, %d" % i for i in range(raters)]
    level = rng.choice(LEVELS + [None])
    return names, rows, level


def write_csv(path, names, rows, rng):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=rng.choice(["\n", "\r\n"]),
                   quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    w.writerow(["unit"] + names)
    for i, row in enumerate(rows):
        w.writerow(["u%d" % i] + row)
    data = buf.getvalue().encode()
    if rng.random() < 0.2:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


# ---------- what the table means ----------

def is_number(s):
    import re
    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s) is not None


def decode(rows):
    """cells -> values: numbers if every value is one, else category positions"""
    texts = sorted({c.strip() for row in rows for c in row if c.strip()},
                   key=lambda s: s.encode())
    numeric = all(is_number(t) for t in texts)
    if numeric:
        conv = {t: float(t) for t in texts}
    else:
        conv = {t: float(i) for i, t in enumerate(texts)}
    vals = [[conv[c.strip()] if c.strip() else None for c in row] for row in rows]
    return vals, numeric, len(texts)


def default_level(numeric):
    return "ordinal" if numeric else "nominal"


# ---------- references ----------

def pairable(vals):
    return [[v for v in row if v is not None] for row in vals if sum(v is not None for v in row) >= 2]


def marginals(units):
    n = {}
    for u in units:
        for v in u:
            n[v] = n.get(v, 0) + 1
    return n


def distance_fn(level, units):
    if level == "nominal":
        return lambda a, b: 0.0 if a == b else 1.0
    if level == "interval":
        return lambda a, b: (a - b) ** 2
    if level == "ratio":
        return lambda a, b: 0.0 if a + b == 0 else ((a - b) / (a + b)) ** 2
    n = marginals(units)
    keys = sorted(n)

    def ordinal(a, b):
        lo, hi = min(a, b), max(a, b)
        return (sum(n[g] for g in keys if lo <= g <= hi) - (n[a] + n[b]) / 2) ** 2
    return ordinal


def alpha_nltk(vals, level):
    units = pairable(vals)
    if len(marginals(units)) < 2:
        return None                       # undefined (nltk: 1 or ZeroDivisionError)
    if level == "ratio" and min(marginals(units)) < 0:
        return None                       # ratio needs values >= 0
    data = [(str(r), "u%05d" % i, v) for i, row in enumerate(vals) for r, v in enumerate(row) if v is not None]
    return AnnotationTask(data, distance=distance_fn(level, units)).alpha()


def alpha_def(units, level):
    """alpha from the coincidence-matrix definition (for the bootstrap)"""
    n = marginals(units)
    if len(n) < 2:
        return None
    d = distance_fn(level, units)
    total = sum(n.values())
    do = 0.0
    for u in units:
        m = len(u)
        do += sum(d(u[i], u[j]) for i in range(m) for j in range(m) if i != j) / (m - 1)
    keys = sorted(n)
    de = sum(n[c] * n[k] * d(c, k) for c in keys for k in keys)
    return None if de <= 0 else 1 - (total - 1) * do / de


class Xoshiro:
    """xoshiro256** seeded by splitmix64, and Lemire's bounded draw"""
    M = (1 << 64) - 1

    def __init__(self, seed):
        x, self.s = seed, []
        for _ in range(4):
            x = (x + 0x9e3779b97f4a7c15) & self.M
            z = x
            z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & self.M
            z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & self.M
            self.s.append(z ^ (z >> 31))

    def next(self):
        s, M = self.s, self.M
        rot = lambda x, k: ((x << k) | (x >> (64 - k))) & M
        out = (rot((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rot(s[3], 45)
        return out

    def below(self, n):
        m = self.next() * n
        if (m & self.M) < n:
            floor = (1 << 64) % n
            while (m & self.M) < floor:
                m = self.next() * n
        return m >> 64


def alpha_ci_ref(vals, level, seed, resamples):
    units = pairable(vals)
    if len(marginals(units)) < 2 or (level == "ratio" and min(marginals(units)) < 0):
        return None
    g, got = Xoshiro(seed), []
    for _ in range(resamples):
        rs = [units[g.below(len(units))] for _ in range(len(units))]
        a = alpha_def(rs, level)
        if a is not None:
            got.append(a)
    if not got:
        return None
    return [float(np.percentile(got, 2.5)), float(np.percentile(got, 97.5))]


def percent_ref(vals):
    agree = pairs = 0
    for u in pairable(vals):
        m = len(u)
        pairs += m * (m - 1) / 2
        agree += sum(c * (c - 1) / 2 for c in marginals([u]).values())
    return None if pairs == 0 else agree / pairs


def both_rated(vals):
    return [(row[0], row[1]) for row in vals if row[0] is not None and row[1] is not None]


def finite(x):
    return None if x is None or not math.isfinite(x) else float(x)


def cohen_ref(vals):
    pairs = both_rated(vals)
    if not pairs:
        return None, None, None, None, None
    labels = sorted({v for p in pairs for v in p})
    idx = {v: i for i, v in enumerate(labels)}
    t = np.zeros((len(labels), len(labels)))
    for a, b in pairs:
        t[idx[a], idx[b]] += 1
    pe = sum(t.sum(1)[i] * t.sum(0)[i] for i in range(len(labels))) / len(pairs) ** 2
    if pe >= 1:
        return None, None, None, None, None
    r = cohens_kappa(t)
    se = r.std_kappa
    if abs(r.var_kappa) < 1e-14:
        # a variance of 0 (one rater always gave the same value, or a
        # degenerate table; statsmodels may round it to about -1e-17): the
        # SE would claim certainty, so it is undefined (null, noted)
        se = None
    # sklearn refuses float labels ("continuous"): give it the values' ranks
    sk = cohen_kappa_score([idx[a] for a, _ in pairs], [idx[b] for _, b in pairs])
    return finite(r.kappa), se, None, finite(sk), t


def kappa_boot_ref(vals, seed, resamples, kind):
    """percentile bootstrap of kappa (kind None), or weighted kappa with
    distance |a - b| (kind "linear") or (a - b)^2 ("quadratic")"""
    pairs = both_rated(vals)
    n = len(pairs)
    g, got = Xoshiro(seed), []
    for _ in range(resamples):
        rs = [pairs[g.below(n)] for _ in range(n)]
        a = np.array([float(x) for x, _ in rs])
        b = np.array([float(y) for _, y in rs])
        if kind is None:
            pe = sum(np.mean(a == c) * np.mean(b == c) for c in set(a) | set(b))
            if pe >= 1:
                continue
            got.append((np.mean(a == b) - pe) / (1 - pe))
            continue
        d = np.abs(a[:, None] - b[None, :])
        d = d if kind == "linear" else d * d
        e = d.mean()
        o = np.abs(a - b) if kind == "linear" else (a - b) ** 2
        if e > 0:
            got.append(1 - o.mean() / e)
    if not got:
        return None
    return [max(-1.0, float(np.percentile(got, 2.5))), min(1.0, float(np.percentile(got, 97.5)))]


def weighted_ref(vals, numeric, ncat, wt):
    pairs = both_rated(vals)
    if not pairs:
        return None
    if numeric:
        labels = sorted({v for p in pairs for v in p})
        if len(labels) < 2:
            return None
        idx = {v: i for i, v in enumerate(labels)}
        t = np.zeros((len(labels), len(labels)))
        for a, b in pairs:
            t[idx[a], idx[b]] += 1
        return finite(cohens_kappa(t, weights=labels, wt=wt).kappa)
    k = cohen_kappa_score([int(a) for a, _ in pairs], [int(b) for _, b in pairs],
                          labels=list(range(ncat)), weights=wt)
    return finite(k)


def fleiss_ref(vals):
    rows = [row for row in vals if all(v is not None for v in row)]
    if not rows:
        return None, 0
    table, _ = aggregate_raters(np.array(rows))
    return finite(fleiss_kappa(table)), len(rows)


# ---------- comparing ----------

def same(got, want, tol):
    """null and null; numbers to tol (relative past 1); lists item by item"""
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, (list, tuple)):
        return isinstance(got, list) and len(got) == len(want) and all(
            same(g, w, tol) for g, w in zip(got, want))
    if isinstance(want, str) or isinstance(got, str):
        return got == want
    return abs(got - want) <= tol * max(1.0, abs(want))


class Checks:
    def __init__(self):
        self.counts, self.fails = {}, {}

    def eq(self, kind, case, got, want, tol=TOL):
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if not same(got, want, tol):
            self.fails.setdefault(kind, []).append("%s: got %r, want %r" % (case, got, want))

    def report(self):
        bad = 0
        for kind in sorted(self.counts):
            f = self.fails.get(kind, [])
            if f:
                bad += 1
                print("not ok - %s: %d of %d differ" % (kind, len(f), self.counts[kind]))
                for line in f[:5]:
                    print("#   " + line)
            else:
                print("ok - %s (%d tables)" % (kind, self.counts[kind]))
        return bad


def run_goldset(gs, path, level, seed, boot):
    cmd = [gs, "agree", "--table", path, "--json", "--seed", str(seed), "--bootstrap", str(boot)]
    if level:
        cmd += ["--level", level]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()))
    return json.loads(p.stdout)


def check_table(ck, gs, rng, tmp, i):
    names, rows, level = gen_table(rng)
    path = os.path.join(tmp, "t%03d.csv" % i)
    write_csv(path, names, rows, rng)
    vals, numeric, ncat = decode(rows)
    lv = level or default_level(numeric)
    boot = 60 if i % 8 == 0 else 0
    seed = rng.randint(0, 2 ** 63)
    case = "%s (%s, %d units x %d raters)" % (os.path.basename(path), lv, len(rows), len(names))
    try:
        got = run_goldset(gs, path, level, seed, boot)
    except Exception as e:                                # noqa: BLE001
        ck.eq("runs", case, str(e), "exit 0")
        return
    keys = ["level", "units", "raters", "pairable_units", "values", "alpha", "alpha_ci95",
            "percent_agreement", "cohen_kappa", "cohen_kappa_se", "cohen_kappa_ci95",
            "weighted_kappa_linear", "weighted_kappa_quadratic", "fleiss_kappa",
            "weighted_kappa_linear_ci95", "weighted_kappa_quadratic_ci95", "gwet_ac1", "gwet_ac1_se",
            "gwet_ac2", "gwet_ac2_se", "pabak", "prevalence_index", "bias_index", "notes",
            "kappa_shown", "kappa_label", "min_units", "too_few_items", "units_needed",
            "more_units_needed", "paradox"]
    ck.eq("json fields in the contract's order", case, list(got), keys)
    ck.eq("counts (units, raters, pairable, values)", case,
          [got["units"], got["raters"], got["pairable_units"], got["values"]],
          [len(rows), len(names), len(pairable(vals)), sum(v is not None for row in vals for v in row)], 0)
    ck.eq("level", case, got["level"], lv)
    ck.eq("alpha %s vs nltk" % lv, case, got["alpha"], alpha_nltk(vals, lv))
    if boot:
        ck.eq("alpha_ci95 vs plain bootstrap + numpy.percentile", case, got["alpha_ci95"],
              alpha_ci_ref(vals, lv, seed, boot))
    ck.eq("percent agreement vs definition", case, got["percent_agreement"], percent_ref(vals))
    if len(names) != 2:
        ck.eq("kappa null for != 2 raters", case,
              [got["cohen_kappa"], got["cohen_kappa_se"], got["weighted_kappa_linear"]], [None] * 3)
    else:
        check_two(ck, case, got, vals, numeric, ncat, lv, seed, boot)
    fk, _ = fleiss_ref(vals)
    ck.eq("fleiss_kappa vs statsmodels", case, got["fleiss_kappa"], fk)


def check_two(ck, case, got, vals, numeric, ncat, lv, seed, boot):
    k, se, ci, sk, _ = cohen_ref(vals)
    ck.eq("cohen_kappa vs statsmodels", case, got["cohen_kappa"], k)
    ck.eq("cohen_kappa vs sklearn", case, got["cohen_kappa"], sk)
    ck.eq("cohen_kappa_se vs statsmodels std_kappa", case, got["cohen_kappa_se"], se)
    if boot and se is not None:
        ci = kappa_boot_ref(vals, seed, boot, None)
    ck.eq("cohen_kappa_ci95 vs plain bootstrap", case, got["cohen_kappa_ci95"], ci if k is not None else None)
    for wt in ("linear", "quadratic") if boot and lv != "nominal" else ():
        want = kappa_boot_ref(vals, seed, boot, wt) if got["weighted_kappa_" + wt] is not None else None
        ck.eq("weighted_kappa_%s_ci95 vs plain bootstrap" % wt, case, got["weighted_kappa_%s_ci95" % wt], want)
    for f in ("cohen_kappa_ci95", "weighted_kappa_linear_ci95", "weighted_kappa_quadratic_ci95"):
        if got[f] is not None:
            ck.eq(f + " inside [-1, 1]", case, -1 <= got[f][0] <= got[f][1] <= 1, True)
    pairs = both_rated(vals)
    if pairs and len(pairs) == len(vals):
        ck.eq("percent agreement vs sklearn accuracy (2 raters, complete)", case,
              got["percent_agreement"], accuracy_score([str(a) for a, _ in pairs], [str(b) for _, b in pairs]))
    if lv == "nominal":
        ck.eq("weighted kappa null for nominal", case,
              [got["weighted_kappa_linear"], got["weighted_kappa_quadratic"]], [None, None])
        return
    src = "statsmodels (numbers)" if numeric else "sklearn labels= (categories)"
    ck.eq("weighted_kappa_linear vs " + src, case, got["weighted_kappa_linear"],
          weighted_ref(vals, numeric, ncat, "linear"))
    ck.eq("weighted_kappa_quadratic vs " + src, case, got["weighted_kappa_quadratic"],
          weighted_ref(vals, numeric, ncat, "quadratic"))


def main():
    gs = os.environ.get("GOLDSET", "./goldset")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 240
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261122
    rng = random.Random(seed)
    ck = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            check_table(ck, gs, rng, tmp, i)
    return 1 if ck.report() else 0


if __name__ == "__main__":
    sys.exit(main())
