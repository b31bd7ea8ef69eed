# t-agree-ws.sh: `goldset agree` and `goldset disagreements` in a workspace:
# one JSON row per rubric x criterion (checklist items their own)
# x slice, --raters, --by, --level, --criterion, stale labels left out with a
# note, the gates (exit 1, one line per row, undefined fails), --judge with
# its verdict both ways, disagreements in order, pairwise preferences on
# canonical winners, a 2-10 scale in numeric order (10 after 9), the terminal pictures
# (heat map, bars, the few-points warning, length bias), --at REV.
#
# Numbers are checked by the Python part below against independent
# implementations (Debian's python3-sklearn cohen_kappa_score and
# accuracy_score, python3-statsmodels cohens_kappa / fleiss_kappa,
# python3-nltk AnnotationTask.alpha, numpy corrcoef for Pearson's r) and
# against `goldset agree --table` on the same labels written as CSV.
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
have_py=0
[ -x "$py" ] && "$py" -c 'import numpy, sklearn, statsmodels, nltk' 2>/dev/null && have_py=1
ws
cd "$T/ws"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.org
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary"},
 {"id":"stars","type":"scale","min":1,"max":5},
 {"id":"topic","type":"choice","options":["billing","tech","other"]},
 {"id":"checks","type":"checklist","items":["cites","concise"]},
 {"id":"ten","type":"scale","min":2,"max":10}]}
J
cat > rubrics/pw.json <<'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference"}]}
J
# 16 items, kind a (odd) / b (even), outputs of different lengths
awk 'BEGIN { for (i = 1; i <= 16; i++) { s = ""; n = (i * 13) % 50 + 5; for (k = 0; k < n; k++) s = s "x";
  printf "{\"id\":\"i%02d\",\"input\":\"q\",\"output\":\"%s\",\"meta\":{\"kind\":\"%s\"}}\n", i, s, i % 2 ? "a" : "b" } }' > "$T/items.jsonl"
awk 'BEGIN { for (i = 1; i <= 8; i++)
  printf "{\"id\":\"p%d\",\"input\":\"q\",\"outputs\":[{\"system\":\"m1\",\"text\":\"x\"},{\"system\":\"m2\",\"text\":\"y\"}]}\n", i }' > "$T/pitems.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null && "$GS" import "$T/pitems.jsonl" --set p > /dev/null \
  || { echo "Bail out! import failed"; exit 1; }

# mk RATER OK STARS TOPIC CITES CONCISE TEN: 16 label lines of rubric qa, imported --as RATER
mk() {
  awk -v ok="$2" -v st="$3" -v tp="$4" -v ci="$5" -v co="$6" -v te="$7" 'BEGIN {
    split(ok, a, " "); split(st, b, " "); split(tp, c, " "); split(ci, d, " "); split(co, e, " "); split(te, f, " ")
    tn["b"] = "billing"; tn["t"] = "tech"; tn["o"] = "other"; yn["y"] = "yes"; yn["n"] = "no"; tf[1] = "true"; tf[0] = "false"
    for (i = 1; i <= 16; i++)
      printf "{\"id\":\"i%02d\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"%s\",\"stars\":%d,\"topic\":\"%s\",\"checks\":{\"cites\":%s,\"concise\":%s},\"ten\":%d}}\n",
        i, yn[a[i]], b[i], tn[c[i]], tf[d[i]], tf[e[i]], f[i] }' > "$T/$1.jsonl"
  "$GS" import-labels "$T/$1.jsonl" --as "$1" > /dev/null || { echo "Bail out! import-labels $1 failed"; exit 1; }
}
mk alice "y n y y n y n y y n y y n n y y" "1 2 3 4 5 1 2 3 4 5 2 3 4 1 5 3" "b t o b t o b t o b t o b t o b" \
  "1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0" "1 1 0 0 1 1 0 0 1 1 0 0 1 1 0 0" "2 2 10 9 3 8 7 10 2 5 6 2 9 4 10 3"
mk bob   "y n y n n y n y y n y y y n y y" "1 2 3 4 4 1 3 3 4 5 2 2 4 1 5 4" "b t o b t t b t o b o o b t o b" \
  "1 0 1 0 1 1 1 0 1 0 1 0 1 0 0 0" "1 1 0 0 1 0 0 0 1 1 0 1 1 1 0 0" "2 2 10 8 3 8 6 10 2 9 7 2 9 4 9 3"
mk carol "y y y y n y n n y n y y n n y n" "2 2 3 5 5 1 2 4 4 5 3 3 4 2 4 3" "b t o o t o b t o b t o t t o b" \
  "1 0 1 0 1 0 1 1 1 0 1 0 1 0 1 0" "0 1 0 0 1 1 0 1 1 1 0 0 1 0 0 0" "2 3 9 9 4 8 7 10 2 6 6 2 10 4 10 2"
# judge:good says what bob says; judge:rand mostly the opposite of everyone
mk judge:good "y n y n n y n y y n y y y n y y" "1 2 3 4 4 1 3 3 4 5 2 2 4 1 5 4" "b t o b t t b t o b o o b t o b" \
  "1 0 1 0 1 1 1 0 1 0 1 0 1 0 0 0" "1 1 0 0 1 0 0 0 1 1 0 1 1 1 0 0" "2 2 10 8 3 8 6 10 2 9 7 2 9 4 9 3"
mk judge:rand "n y n y y n y n n y n n n y n n" "5 4 1 2 1 5 4 1 2 1 5 4 1 5 1 5" "o b t t o b t o b t b t o b t o" \
  "0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1" "0 0 1 1 0 0 1 1 0 0 1 1 0 0 1 1" "10 9 2 2 8 3 4 2 9 6 5 10 2 7 2 8"
# pairwise: bob saw every other pair the other way round; winners are system names or tie
for r in alice bob; do
  awk -v r=$r 'BEGIN { split(r == "alice" ? "m1 m2 tie m1 m2 m1 m1 m2" : "m1 m2 tie m2 m2 m1 tie m2", w, " ")
    for (i = 1; i <= 8; i++) { l = "m1"; rt = "m2"; if (r == "bob" && i % 2) { l = "m2"; rt = "m1" }
      printf "{\"id\":\"p%d\",\"rubric\":\"pw\",\"left\":\"%s\",\"right\":\"%s\",\"labels\":{\"better\":\"%s\"}}\n", i, l, rt, w[i] } }' > "$T/pw_$r.jsonl"
  "$GS" import-labels "$T/pw_$r.jsonl" --as $r > /dev/null || { echo "Bail out! pairwise labels"; exit 1; }
done

has() { grep -qF -- "$1" "${2:-$T/out}"; }

# ---- JSON rows ----
expect_exit 0 "agree --json, two raters" "$GS" agree --rubric qa --raters alice,bob --json --bootstrap 0
cp "$T/out" "$T/j2.json"
n=$(grep -c '"criterion":' "$T/j2.json")
[ "$n" -eq 6 ] && ok "one row per criterion, a checklist item each its own (6)" || fail "6 rows" "got $n"
has '"criterion":	"checks/cites"' "$T/j2.json" && has '"criterion":	"checks/concise"' "$T/j2.json" \
  && has '"slice":	null' "$T/j2.json" && ok "checklist rows named checks/ITEM, slice null" || fail "checklist rows" "$(head -30 "$T/j2.json")"
if tr -d ' \t\n' < "$T/j2.json" | grep -q '"rubric".*"criterion".*"slice".*"level".*"units".*"raters".*"pairable_units".*"values".*"alpha".*"alpha_ci95".*"percent_agreement".*"cohen_kappa".*"cohen_kappa_se".*"cohen_kappa_ci95".*"weighted_kappa_linear".*"weighted_kappa_quadratic".*"fleiss_kappa".*"notes"'
then ok "the contract's fields in order"; else fail "the contract's fields in order"; fi
expect_exit 0 "agree --json, default raters" "$GS" agree --rubric qa --json --bootstrap 0
cp "$T/out" "$T/j3.json"
has '"raters":	3' "$T/j3.json" && has '"rater_kappa":' "$T/j3.json" && has 'judges left out (judge:good, judge:rand)' "$T/j3.json" \
  && ok "default raters: the three humans, judges left out with a note, rater_kappa" || fail "default raters" "$(head -40 "$T/j3.json")"
expect_exit 0 "--level interval" "$GS" agree --rubric qa --criterion stars --level interval --json --bootstrap 0
cp "$T/out" "$T/ji.json"
has '"level":	"interval"' "$T/ji.json" && ok "--level overrides the level" || fail "--level" "$(head "$T/ji.json")"
expect_exit 0 "--by kind" "$GS" agree --rubric qa --raters alice,bob --by kind --json --bootstrap 0
cp "$T/out" "$T/jb.json"
[ "$(grep -c '"criterion":' "$T/jb.json")" -eq 18 ] && has '"key":	"kind"' "$T/jb.json" && has '"value":	"a"' "$T/jb.json" \
  && ok "--by: an overall row and one per slice, slice {key, value}" || fail "--by rows" "$(grep -c criterion "$T/jb.json")"
expect_exit 0 "--criterion checks" "$GS" agree --rubric qa --criterion checks --json --bootstrap 0
[ "$(grep -c '"criterion":' "$T/out")" -eq 2 ] && ok "--criterion ID: all its checklist items" || fail "--criterion checks"
expect_exit 0 "--criterion checks/cites" "$GS" agree --rubric qa --criterion checks/cites --json --bootstrap 0
[ "$(grep -c '"criterion":' "$T/out")" -eq 1 ] && ok "--criterion ID/ITEM: one row" || fail "--criterion checks/cites"
expect_exit 0 "--judge on 16 items" "$GS" agree --rubric qa --judge judge:good --raters alice,bob --json --bootstrap 0
[ "$(grep -c '"verdict":	"too few items"' "$T/out")" -eq 6 ] && has '"min_units":	20' "$T/out" \
  && ok "16 items < 20: every verdict is too few items" || fail "judge: too few items" "$(grep -E 'verdict|units' "$T/out")"
expect_exit 0 "--judge judge:good" "$GS" agree --rubric qa --judge judge:good --raters alice,bob --json --bootstrap 0 --min-units 10
cp "$T/out" "$T/jj.json"
[ "$(grep -c '"verdict":	"deploy"' "$T/jj.json")" -eq 6 ] && has '"judge":	"judge:good"' "$T/jj.json" \
  && has 'split evenly' "$T/jj.json" && ok "a judge that agrees: deploy on every criterion; even splits left out with a note" \
  || fail "judge:good" "$(grep -E 'verdict|split' "$T/jj.json")"
expect_exit 0 "--judge judge:rand" "$GS" agree --rubric qa --judge judge:rand --json --bootstrap 0 --min-units 10
cp "$T/out" "$T/jr.json"
[ "$(grep -c '"verdict":	"do not deploy"' "$T/jr.json")" -eq 6 ] && has '"deploy_threshold":	0.5' "$T/jr.json" \
  && ok "a random judge: do not deploy, threshold 0.5 stated" || fail "judge:rand" "$(grep -E 'verdict' "$T/jr.json")"
expect_exit 0 "judge text" "$GS" agree --rubric qa --judge judge:rand --bootstrap 0 --min-units 10
has "judge:rand against the majority of alice, bob, carol" && has "do not deploy (kappa (unweighted) < 0.5)" \
  && has "do not deploy (kappa (linear weights) < 0.5)" && ok "judge text: verdict and threshold" || fail "judge text" "$(head -12 "$T/out")"
expect_exit 0 "disagreements --json" "$GS" disagreements --rubric qa --raters alice,bob --json
cp "$T/out" "$T/jd.json"
expect_exit 0 "disagreements text" "$GS" disagreements --rubric qa --raters alice,bob
sed -n 2p "$T/out" | grep -q '^ *4  i10  qa ten:  alice=5  bob=9$' && ok "disagreements text: largest distance first" \
  || fail "disagreements text" "$(head -3 "$T/out")"
has "alice=5  bob=4" && ok "disagreements text: each rater's value" || fail "disagreements values" "$(head "$T/out")"
expect_exit 0 "pairwise agree" "$GS" agree --rubric pw --json --bootstrap 0
cp "$T/out" "$T/jp.json"
has '"values":	["m1", "m2", "tie"]' "$T/jp.json" && ok "preference values are winners (system names, tie)" \
  || fail "preference winners" "$(cat "$T/jp.json")"
# erin and frank use only 1, 2 and 5 of the 1-5 scale: weighted kappa must weigh over the full scale
for r in erin frank; do
  awk -v r=$r 'BEGIN { split(r == "erin" ? "1 2 5 5 1 2 2 5" : "2 2 5 1 1 5 2 5", v, " ")
    for (i = 1; i <= 8; i++) printf "{\"id\":\"i%02d\",\"rubric\":\"qa\",\"labels\":{\"stars\":%d}}\n", i, v[i] }' > "$T/$r.jsonl"
  "$GS" import-labels "$T/$r.jsonl" --as $r > /dev/null
done
expect_exit 0 "two raters who skip points of the scale" "$GS" agree --rubric qa --raters erin,frank --criterion stars --json --bootstrap 0
cp "$T/out" "$T/jef.json"
if grep -qi nan "$T"/j*.json; then fail "no NaN in any JSON"; else ok "no NaN in any JSON"; fi

# ---- numbers against independent implementations ----
cat > "$T/check.py" <<'PY'
import csv, json, os, subprocess, sys
import numpy as np
from sklearn.metrics import cohen_kappa_score, accuracy_score
from statsmodels.stats.inter_rater import cohens_kappa, fleiss_kappa, aggregate_raters
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance
T, GS = sys.argv[1], sys.argv[2]
def load(p): return json.load(open(os.path.join(T, p)))
def lab(r):
    out = {}
    for line in open(os.path.join(T, r + ".jsonl")):
        l = json.loads(line); v = l["labels"]
        out[l["id"]] = {"ok": v["ok"], "stars": v["stars"], "topic": v["topic"], "checks/cites": v["checks"]["cites"],
                        "checks/concise": v["checks"]["concise"], "ten": v["ten"]}
    return out
L = {r: lab(r) for r in ["alice", "bob", "carol", "judge:good", "judge:rand"]}
ids = sorted(L["alice"]); crits = ["ok", "stars", "topic", "checks/cites", "checks/concise", "ten"]
scale = {"stars": list(range(1, 6)), "ten": list(range(2, 11))}
n_ok = 0
def check(name, got, want, tol=1e-9):
    global n_ok
    good = (got is None and want is None) or (got is not None and want is not None and abs(got - want) <= tol)
    print(("ok - " if good else "not ok - ") + name + ("" if good else "\n#   got %r, wanted %r" % (got, want)))
def col(r, c, sub=None): return [L[r][i][c] for i in (sub or ids)]
def enc(vals): return [str(v) for v in vals]
def rows(j): return {(x["criterion"], json.dumps(x["slice"])): x for x in j}
def table(raters, c, level, sub=None):    # the same labels through `agree --table`
    p = os.path.join(T, "t.csv")
    with open(p, "w", newline="") as f:
        w = csv.writer(f); w.writerow(["unit"] + raters)
        for i in (sub or ids): w.writerow([i] + [int(L[r][i][c]) if isinstance(L[r][i][c], bool) else L[r][i][c] for r in raters])
    return json.loads(subprocess.check_output([GS, "agree", "--table", p, "--json", "--bootstrap", "0", "--level", level]))
# two raters: sklearn / statsmodels kappa, SE and CI; alpha and all else = --table on the same data
j2 = rows(load("j2.json"))
for c in crits:
    r = j2[(c, "null")]; a, b = col("alice", c), col("bob", c)
    check(c + ": cohen_kappa = sklearn", r["cohen_kappa"], cohen_kappa_score(enc(a), enc(b)))
    cats = sorted(set(enc(a)) | set(enc(b)), key=lambda s: (len(s), s))
    tab = np.array([[sum(1 for x, y in zip(enc(a), enc(b)) if x == p and y == q) for q in cats] for p in cats])
    sm = cohens_kappa(tab)
    check(c + ": cohen_kappa_se = statsmodels std_kappa", r["cohen_kappa_se"], sm.std_kappa)
    print(("ok" if r["cohen_kappa_ci95"] is None else "not ok") + " - %s: no kappa interval with --bootstrap 0" % c)
    check(c + ": percent_agreement = sklearn accuracy", r["percent_agreement"], accuracy_score(enc(a), enc(b)))
    lv = "ordinal" if c in scale else "nominal"
    t = table(["alice", "bob"], c, lv)
    for f in ["alpha", "fleiss_kappa", "weighted_kappa_quadratic"]:
        check(c + ": " + f + " = agree --table on the same labels", r[f], t[f])
    if c in scale:
        for wt in ["linear", "quadratic"]:
            check(c + ": weighted_kappa_%s = sklearn over the full scale" % wt, r["weighted_kappa_" + wt],
                  cohen_kappa_score(a, b, labels=scale[c], weights=wt))
        lens = {i: (int(i[1:]) * 13) % 50 + 5 for i in ids}
        lb = {x["rater"]: x["r"] for x in r["length_bias"]}
        check(c + ": length bias of alice = numpy corrcoef", lb["alice"], np.corrcoef([lens[i] for i in ids], a)[0, 1])
je = load("jef.json")[0]
ea, fa = [1, 2, 5, 5, 1, 2, 2, 5], [2, 2, 5, 1, 1, 5, 2, 5]
for wt in ["linear", "quadratic"]:
    full, seen = cohen_kappa_score(ea, fa, labels=scale["stars"], weights=wt), cohen_kappa_score(ea, fa, weights=wt)
    check("gaps in the scale: weighted_kappa_%s = sklearn with labels=1..5" % wt, je["weighted_kappa_" + wt], full)
    print(("ok" if abs(full - seen) > 1e-3 else "not ok") + " - (the observed values alone would give another %s kappa)" % wt)
j = j2[("ten", "null")]
print(("ok" if j["confusion"]["values"] == list(range(2, 11)) else "not ok") + " - 2-10 scale in numeric order: %s" % j["confusion"]["values"])
# three raters: Fleiss (statsmodels), alpha (nltk, nominal), kappa of each pair (sklearn)
j3 = rows(load("j3.json"))
for c in crits:
    r = j3[(c, "null")]
    m = np.array([enc(col(x, c)) for x in ["alice", "bob", "carol"]]).T
    check(c + ": 3 raters: fleiss_kappa = statsmodels", r["fleiss_kappa"], fleiss_kappa(aggregate_raters(m)[0]))
    if c not in scale:
        task = AnnotationTask(data=[(x, i, L[x][i][c]) for x in ["alice", "bob", "carol"] for i in ids])
        check(c + ": 3 raters: nominal alpha = nltk", r["alpha"], task.alpha())
    for p in r["rater_kappa"]:
        check(c + ": kappa %s-%s = sklearn" % (p["a"], p["b"]), p["kappa"], cohen_kappa_score(enc(col(p["a"], c)), enc(col(p["b"], c))))
ji = load("ji.json")[0]
task = AnnotationTask(data=[(x, i, L[x][i]["stars"]) for x in ["alice", "bob", "carol"] for i in ids], distance=interval_distance)
check("--level interval: alpha = nltk interval", ji["alpha"], task.alpha())
# slices: kind a = odd items
jb = rows(load("jb.json"))
for kind, sub in [("a", [i for i in ids if int(i[1:]) % 2]), ("b", [i for i in ids if not int(i[1:]) % 2])]:
    r = jb[("stars", json.dumps({"key": "kind", "value": kind}))]
    check("slice kind=%s: units" % kind, r["units"], len(sub))
    check("slice kind=%s: weighted kappa = sklearn on the slice" % kind, r["weighted_kappa_linear"],
          cohen_kappa_score(col("alice", "stars", sub), col("bob", "stars", sub), labels=scale["stars"], weights="linear"))
    check("slice kind=%s: alpha = agree --table on the slice" % kind, r["alpha"], table(["alice", "bob"], "stars", "ordinal", sub)["alpha"])
# judges: the majority of the humans (mode; median of a scale; an even split left out)
def majority(humans, c, i):
    v = sorted(L[h][i][c] for h in humans)
    if c in scale:
        return v[len(v) // 2] if v[(len(v) - 1) // 2] == v[len(v) // 2] else None
    cnt = {x: v.count(x) for x in v}; top = max(cnt.values())
    best = [x for x in cnt if cnt[x] == top]
    return best[0] if len(best) == 1 else None
for fn, judge, humans in [("jj.json", "judge:good", ["alice", "bob"]), ("jr.json", "judge:rand", ["alice", "bob", "carol"])]:
    for r in load(fn):
        c = r["criterion"]
        keep = [i for i in ids if majority(humans, c, i) is not None]
        jv, mv = [L[judge][i][c] for i in keep], [majority(humans, c, i) for i in keep]
        check("%s %s: units (even splits left out)" % (judge, c), r["units"], len(keep))
        want = cohen_kappa_score(jv, mv, labels=scale[c], weights="linear") if c in scale else cohen_kappa_score(enc(jv), enc(mv))
        check("%s %s: verdict kappa = sklearn vs the majority" % (judge, c), r["verdict_kappa"], want)
# disagreements: alice vs bob, distance = |a - b| on scales, else 1; largest first, then id, then rubric order
want = []
for i in ids:
    for k, c in enumerate(crits):
        a, b = L["alice"][i][c], L["bob"][i][c]
        if a != b: want.append((-(abs(a - b) if c in scale else 1), i, k, c, {"alice": a, "bob": b}))
want.sort(key=lambda x: x[:3])
got = [(-x["distance"], x["id"], crits.index(x["criterion"]), x["criterion"], x["values"]) for x in load("jd.json")]
print(("ok" if got == want else "not ok") + " - disagreements: the expected list, largest distance first, values by rater")
if got != want: print("#   got %r\n#   wanted %r" % (got[:4], want[:4]))
# pairwise: canonical winners
wa, wb = "m1 m2 tie m1 m2 m1 m1 m2".split(), "m1 m2 tie m2 m2 m1 tie m2".split()
jp = load("jp.json")[0]
check("pairwise: kappa on winners = sklearn", jp["cohen_kappa"], cohen_kappa_score(wa, wb))
check("pairwise: alpha on winners = nltk", jp["alpha"], AnnotationTask(data=[(r, k, w) for r, ws in [("a", wa), ("b", wb)] for k, w in enumerate(ws)]).alpha())
PY
if [ $have_py = 1 ]; then
  "$py" "$T/check.py" "$T" "$GS" > "$T/check.out" 2>&1
  rc=$?
  cat "$T/check.out"
  [ $rc -eq 0 ] || fail "check.py exited $rc" "$(tail -5 "$T/check.out")"
else
  ok "numbers against sklearn/statsmodels/nltk # SKIP /usr/bin/python3 lacks numpy, sklearn, statsmodels or nltk"
fi

# ---- text and the terminal pictures ----
expect_exit 0 "text output" "$GS" agree --rubric qa --raters alice,bob --bootstrap 0
has "qa: 2 raters: alice, bob" && has "How to read it" && has "rubric is too vague" && has "at least 0.5 against the humans" \
  && has ">= 0.667 tentative" && ok "text: a table that says what the numbers mean" || fail "text output" "$(head -20 "$T/out")"
has "heat map" && fail "no pictures when stdout is not a terminal" || ok "no pictures when stdout is not a terminal"
GOLDSET_FORCE_TTY=1 LC_ALL=C.UTF-8 "$GS" agree --rubric qa --raters alice,bob --criterion stars --bootstrap 0 > "$T/out" 2>&1
has "heat map, rows alice, columns bob" && has "██" && ok "terminal: heat map with shade blocks" || fail "heat map" "$(cat "$T/out")"
has "value counts:" && grep -q "█ 4$" "$T/out" && ok "terminal: bars of each rater's values" || fail "bars" "$(cat "$T/out")"
has "length bias (Pearson r of output length with the value): alice" && ok "terminal: length bias per rater" || fail "length bias" "$(cat "$T/out")"
GOLDSET_FORCE_TTY=1 LC_ALL=C "$GS" agree --rubric qa --raters alice,bob --criterion stars --bootstrap 0 > "$T/out" 2>&1
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$T/out"; then fail "ASCII outside a UTF-8 locale" "$(cat "$T/out")"
elif has "##"; then ok "ASCII pictures outside a UTF-8 locale"; else fail "ASCII pictures" "$(cat "$T/out")"; fi
awk 'BEGIN { for (i = 1; i <= 16; i++) printf "{\"id\":\"i%02d\",\"rubric\":\"qa\",\"labels\":{\"stars\":3}}\n", i }' > "$T/dave.jsonl"
"$GS" import-labels "$T/dave.jsonl" --as dave > /dev/null
GOLDSET_FORCE_TTY=1 "$GS" agree --rubric qa --raters alice,dave --criterion stars --bootstrap 0 > "$T/out" 2>&1
has "dave uses only 1 point of the scale" && ok "terminal: warning for a rater who uses one point" || fail "one-point warning" "$(cat "$T/out")"
has "dave's values: not discriminating" && ok "text: dave's values flagged not discriminating" || fail "spread flag" "$(cat "$T/out")"
"$GS" stats --json > "$T/jstats.json"
json_ok "stats --json: dave's stars (all 3) not discriminating" jstats.json \
  '{"rubric": "qa", "criterion": "stars", "rater": "dave", "flag": "not discriminating"} in d["value_spread"]'
expect_exit 0 "stats text" "$GS" stats
has "value spread (see goldset agree):" && grep -Eq "qa +stars +dave +not discriminating" "$T/out" \
  && ok "stats text: the flag, by rubric, criterion and rater" || fail "stats spread" "$(cat "$T/out")"
"$GS" agree --rubric qa --raters alice,dave --criterion stars --bootstrap 0 --json > "$T/jdave.json"
json_ok "JSON: value_spread, the named kappa, AC1/AC2, PABAK in the row" jdave.json \
  '[x["flag"] for x in d[0]["value_spread"]] == [None, "not discriminating"] and d[0]["kappa_label"] == "kappa (linear weights)" and d[0]["kappa_shown"] == "weighted_kappa_linear" and "gwet_ac2" in d[0] and "pabak" in d[0] and d[0]["too_few_items"]'

if command -v script > /dev/null; then
  script -qc "$GS agree --rubric qa --raters alice,bob --criterion ok --bootstrap 0" /dev/null > "$T/out" 2>&1
  has "heat map, rows alice, columns bob" && ok "a real terminal (script) gets the pictures" || fail "script tty" "$(cat "$T/out")"
else
  ok "a real terminal gets the pictures # SKIP no script(1)"
fi

# ---- gates ----
expect_exit 1 "--min-kappa not met exits 1" "$GS" agree --rubric qa --raters alice,bob --min-kappa 0.99 --bootstrap 0 --json --min-units 16
err_has "qa: ok: kappa (unweighted) " && err_has "< 0.99" && err_has "qa: stars: kappa (linear weights)" \
  && ok "one line per failing row" || fail "gate lines" "$(cat "$T/err")"
[ "$(grep -c 'qa: ' "$T/err")" -eq 6 ] && head -c1 "$T/out" | grep -q '\[' && ok "every row named; JSON still printed" \
  || fail "gate rows" "$(cat "$T/err")"
expect_exit 1 "16 items < 20: the kappa gate is not met" "$GS" agree --rubric qa --raters alice,bob --min-kappa 0.1 --bootstrap 0
err_has "qa: stars: too few items (16 < --min-units 20), so --min-kappa 0.1 is not met (--allow-small" \
  && ok "the gate names the small rows" || fail "small gate" "$(cat "$T/err")"
expect_exit 0 "gates met exit 0 (--allow-small)" "$GS" agree --rubric qa --raters alice,bob --min-kappa 0.1 --min-alpha 0.1 --bootstrap 0 --allow-small
expect_exit 0 "gates met exit 0 (--min-units 16)" "$GS" agree --rubric qa --raters alice,bob --min-kappa 0.1 --bootstrap 0 --min-units 16
expect_exit 1 "--min-alpha not met exits 1" "$GS" agree --rubric qa --raters alice,bob --min-alpha 0.95 --bootstrap 0
err_has "alpha 0." && err_has "< 0.95" && ok "alpha gate line" || fail "alpha gate line" "$(cat "$T/err")"
expect_exit 1 "an undefined alpha fails the gate" "$GS" agree --rubric qa --raters alice --criterion ok --min-alpha 0.1 --bootstrap 0
err_has "alpha undefined" && ok "says the value is undefined" || fail "undefined gate" "$(cat "$T/err")"

# ---- errors ----
expect_exit 66 "unknown rubric" "$GS" agree --rubric nope
expect_exit 66 "unknown criterion" "$GS" agree --rubric qa --criterion nope
expect_exit 66 "unknown judge" "$GS" agree --judge judge:nobody
expect_exit 66 "unknown rater" "$GS" disagreements --raters zed
expect_exit 64 "bad level" "$GS" agree --level fuzzy
expect_exit 64 "disagreements: unknown option" "$GS" disagreements --frob

# ---- --at REV: a committed version, read without touching the working tree ----
if "$GS" commit -m "v1" --tag v1 > "$T/commit.out" 2>&1; then
  "$GS" agree --rubric qa --raters alice,bob --json --bootstrap 0 > "$T/now1.json"
  sed 's/"stars":4/"stars":1/' "$T/bob.jsonl" > "$T/bob2.jsonl"
  "$GS" import-labels "$T/bob2.jsonl" --as bob > /dev/null
  before=$(git status --porcelain; cat labels/qa/bob.jsonl | cksum)
  expect_exit 0 "agree --at v1" "$GS" agree --at v1 --rubric qa --raters alice,bob --json --bootstrap 0
  cmp -s "$T/out" "$T/now1.json" && ok "--at v1 gives the rows of the committed labels" || fail "--at v1" "$(diff "$T/out" "$T/now1.json" | head)"
  "$GS" agree --rubric qa --raters alice,bob --json --bootstrap 0 > "$T/now2.json"
  cmp -s "$T/now2.json" "$T/now1.json" && fail "the store's labels changed since v1" || ok "the store's labels changed since v1"
  [ "$before" = "$(git status --porcelain; cat labels/qa/bob.jsonl | cksum)" ] && ok "--at leaves the working tree alone" \
    || fail "--at touched the working tree"
  expect_exit 64 "--at an unknown revision" "$GS" agree --at no-such-rev
else
  ok "agree --at REV # SKIP goldset commit failed: $(head -1 "$T/commit.out")"
fi

# ---- stale labels ----
sed 's/"id":"i03","input":"q","output":"x*"/"id":"i03","input":"q","output":"changed"/' "$T/items.jsonl" > "$T/items2.jsonl"
"$GS" import "$T/items2.jsonl" --set s > /dev/null
expect_exit 0 "agree after an item changed" "$GS" agree --rubric qa --raters alice,carol --criterion ok --json --bootstrap 0
has "2 labels left out: made on an older version of their item" && has '"units":	15' \
  && ok "stale labels left out with a note" || fail "stale labels" "$(cat "$T/out")"
