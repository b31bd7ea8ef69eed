# t-calibrate.sh: a calibration round end to end, as two raters would run
# it: `calibrate start` draws the batch; each rater labels it in the real
# label screen (`label --batch`, driven in tmux); before both finish the
# report is refused (exit 75) and neither screen nor `calibrate show`
# reveals the other rater's labels or comments; afterwards the report's
# kappas equal an independent computation and its disagreement list is
# exact; `calibrate discuss` records a consensus label that `export
# --consensus` returns; a second batch of the rubric is round 2.
. "$(dirname "$0")/lib.sh"
ws
cd "$T/ws" || exit 1
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","labels":["no","yes"],"question":"Is the answer acceptable?"},
 {"id":"stars","type":"scale","min":1,"max":3,"question":"How good?"}]}
J
for i in 1 2 3 4 5 6 7 8 9 10; do
  q=$(( i % 2 )); printf '{"id":"i%d","input":"question %d","output":"answer %d","meta":{"query_type":"t%d"}}\n' $i $i $i $q
done > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }

# The values each rater gives, by item id: "ID OK STARS" (OK: 1 no, 2 yes).
# Only the batch's 8 items are looked up, so every id gets a line.
cat > "$T/ann.tab" <<'E'
i1 2 1
i2 2 2
i3 1 3
i4 2 3
i5 1 1
i6 2 2
i7 2 2
i8 1 3
i9 2 2
i10 1 1
E
cat > "$T/ben.tab" <<'E'
i1 2 1
i2 1 2
i3 1 3
i4 2 2
i5 1 1
i6 2 2
i7 1 3
i8 1 3
i9 2 1
i10 1 1
E

expect_exit 0 "calibrate start" "$GS" calibrate start cal --raters ann,ben -n 8 --seed 11 --stratify query_type --rubric qa
grep -qF "round 1" "$T/out" && ok "start says round 1" || fail "start says round 1" "$(cat "$T/out")"
"$GS" calibrate show cal --json > "$T/show.json"
/usr/bin/python3 - "$T/show.json" > "$T/batch" <<'P'
import json, sys
b = json.load(open(sys.argv[1]))
print(" ".join(b["items"]))
P
set -- $(cat "$T/batch")
[ $# -eq 8 ] && ok "show --json lists 8 items" || fail "show --json lists 8 items" "$(cat "$T/show.json")"
t0=0; for id in "$@"; do grep -q "\"id\":\"$id\".*\"t0\"" "$T/items.jsonl" && t0=$((t0+1)); done
[ $t0 -eq 4 ] && ok "stratified: 4 items of each query_type" || fail "stratified: 4 items of each query_type" "t0: $t0"

# label: drive the screen in session $1 as rater $2 for $3 items (table
# $T/$2.tab); optionally a comment $4 on the first item
line2() { tm_screen "$1" | sed -n 2p | awk '{print $1}'; }
label_items() {
  ls_s=$1; ls_r=$2; ls_n=$3; ls_c=${4:-}; ls_k=0
  while [ $ls_k -lt "$ls_n" ]; do
    tm_wait "$ls_s" "labeled" || { fail "label screen of $ls_r came up" "$(tm_screen "$ls_s")"; return; }
    ls_id=$(line2 "$ls_s")
    ls_v=$(grep "^$ls_id " "$T/$ls_r.tab") || { fail "$ls_r: unexpected item on screen: '$ls_id'"; return; }
    if [ $ls_k -eq 0 ] && [ -n "$ls_c" ]; then
      tm_keys "$ls_s" c; tm_wait "$ls_s" "Comment" || fail "comment prompt"
      tm_keys "$ls_s" "$ls_c" Enter
    fi
    tm_keys "$ls_s" $(echo "$ls_v" | cut -d' ' -f2) $(echo "$ls_v" | cut -d' ' -f3) Enter
    ls_i=0
    while [ $ls_i -lt 200 ] && [ "$(line2 "$ls_s")" = "$ls_id" ] && ! tm_screen "$ls_s" | grep -q "Nothing left"; do
      sleep 0.05; ls_i=$((ls_i+1))
    done
    tm_screen "$ls_s" >> "$T/screens.$ls_r"
    ls_k=$((ls_k+1))
  done
}

tm_start A 100 30 "$GS label --batch cal --as ann"
label_items A ann 4
tm_start B 100 30 "$GS label --batch cal --as ben"
label_items B ben 8 BENSECRET
tm_wait B "Nothing left" && ok "ben finished the batch" || fail "ben finished the batch" "$(tm_screen B)"
tm_keys B q

expect_exit 75 "report refused while ann has not finished" "$GS" calibrate report cal
err_has "waiting for ann (4/8)" && ok "refusal names who is missing" || fail "refusal names who is missing" "$(cat "$T/err")"
[ "$(wc -l < "$T/err")" -eq 1 ] && ok "refusal is one line" || fail "refusal is one line" "$(cat "$T/err")"
expect_exit 75 "discuss refused too" "$GS" calibrate discuss cal
"$GS" calibrate show cal > "$T/show.txt" 2>&1
if grep -q "ann  *4/8" "$T/show.txt" && grep -q "ben  *8/8" "$T/show.txt" && ! grep -q BENSECRET "$T/show.txt"; then
  ok "show: progress counts only"; else fail "show: progress counts only" "$(cat "$T/show.txt")"; fi

# blind everywhere: no export, statistic, label file or commit shows the
# batch's labels before the report is open
"$GS" export --rubric qa > "$T/exp.blind"
[ ! -s "$T/exp.blind" ] && ok "export shows no batch label before the report" || fail "export is blind" "$(head -3 "$T/exp.blind")"
"$GS" stats > "$T/stats.blind"
if grep -q "ben\|ann" "$T/stats.blind"; then fail "stats shows no rater progress before the report" "$(cat "$T/stats.blind")"
else ok "stats shows no rater progress before the report"; fi
"$GS" agree --rubric qa --json > "$T/agree.blind" 2>&1
if grep -q '"units": *[1-9]' "$T/agree.blind"; then fail "agree computes nothing from the batch before the report" "$(head -c 300 "$T/agree.blind")"
else ok "agree computes nothing from the batch before the report"; fi
"$GS" review --list -n 20 --rubric qa > "$T/rev"
[ -z "$(for id in $(cat "$T/batch"); do grep -x "$id" "$T/rev"; done)" ] && [ "$(wc -l < "$T/rev")" -eq 2 ] \
  && ok "review keeps the unfinished batch's items out (it shows every label)" || fail "review leaves the batch out" "$(cat "$T/rev")"

label_items A ann 4
tm_wait A "Nothing left" && ok "ann finished the batch" || fail "ann finished the batch" "$(tm_screen A)"
tm_keys A q
[ "$(grep -c "goldset label" "$T/screens.ann")" -eq 8 ] && [ "$(grep -c "goldset label" "$T/screens.ben")" -eq 8 ] \
  && ok "every screen after a save was captured" || fail "screens captured"
if grep -qi "ben\|BENSECRET" "$T/screens.ann"; then fail "ann's screen never showed ben's name or comment" "$(grep -i 'ben' "$T/screens.ann" | head -3)"
else ok "ann's screen never showed ben's name or comment"; fi
if grep -qi "ann" "$T/screens.ben"; then fail "ben's screen never showed ann" "$(grep -i ann "$T/screens.ben" | head -3)"
else ok "ben's screen never showed ann"; fi

expect_exit 0 "report after both finished" "$GS" calibrate report cal --json
cp "$T/out" "$T/report.json"
[ "$("$GS" export --rubric qa | wc -l)" -eq 16 ] && ok "after the report, export shows the batch's 16 labels" \
  || fail "export after the report" "$("$GS" export --rubric qa | wc -l) lines"
# Expected kappas, by hand from the tables above (and by sklearn when it is
# installed): over the batch's 8 items, e.g. ok: p_o = share of equal
# pairs, p_e = sum over categories of the product of the two raters'
# shares, kappa = (p_o - p_e) / (1 - p_e).
/usr/bin/python3 - "$T/report.json" "$T/ann.tab" "$T/ben.tab" "$*" <<'P' > "$T/check" 2>&1
import json, sys
rep = json.load(open(sys.argv[1]))
tab = [dict((l.split()[0], l.split()[1:]) for l in open(f)) for f in sys.argv[2:4]]
ids = sys.argv[4].split()
def kappa(a, b, weights=None):
    cats = sorted(set(a) | set(b))
    n = len(a)
    if weights is None:
        po = sum(x == y for x, y in zip(a, b)) / n
        pe = sum(a.count(c) / n * b.count(c) / n for c in cats)
        return (po - pe) / (1 - pe)
    w = lambda x, y: abs(x - y) if weights == "linear" else (x - y) ** 2
    obs = sum(w(x, y) for x, y in zip(a, b)) / n
    exp = sum(a.count(c) / n * b.count(d) / n * w(c, d) for c in cats for d in cats)
    return 1 - obs / exp
crit = {c["criterion"]: c for c in rep["criteria"]}
ok, how = True, "by hand"
for k, col in (("ok", 0), ("stars", 1)):
    a = [int(tab[0][i][col]) for i in ids]
    b = [int(tab[1][i][col]) for i in ids]
    want = kappa(a, b)
    try:
        from sklearn.metrics import cohen_kappa_score
        sk = cohen_kappa_score(a, b)
        how = "by hand and sklearn"
        if abs(sk - want) > 1e-12: print("hand and sklearn differ", k, sk, want); ok = False
        if k == "stars":
            for wt in ("linear", "quadratic"):
                skw = cohen_kappa_score(a, b, labels=[1, 2, 3], weights=wt)
                if abs(skw - kappa(a, b, wt)) > 1e-12: print("weighted: hand and sklearn differ", wt); ok = False
    except ImportError:
        pass
    got = crit[k]["cohen_kappa"]
    if abs(got - want) > 1e-9: print("kappa", k, got, want); ok = False
    if k == "stars":
        for wt in ("linear", "quadratic"):
            want_w = kappa(a, b, wt)
            got_w = crit[k]["weighted_kappa_" + wt]
            if abs(got_w - want_w) > 1e-9: print("weighted", wt, got_w, want_w); ok = False
names = {"ok": ["no", "yes"]}
want_d = []
for i in ids:
    for k, col in (("ok", 0), ("stars", 1)):
        x, y = int(tab[0][i][col]), int(tab[1][i][col])
        if x != y:
            v = (lambda z: names[k][z - 1]) if k in names else (lambda z: z)
            want_d.append({"id": i, "criterion": k, "values": {"ann": v(x), "ben": v(y)}})
if rep["disagreements"] != want_d: print("disagreements", rep["disagreements"], want_d); ok = False
print(("OK " + how) if ok else "MISMATCH")
P
grep -q "^OK" "$T/check" && ok "report kappas (plain, weighted; $(cat "$T/check" | cut -c4-)) and disagreement list exact" \
  || fail "report kappas and disagreements" "$(cat "$T/check")"
grep -q '"verdict":' "$T/report.json" && grep -q '"confusion":' "$T/report.json" && ok "report has verdict and confusion matrix" \
  || fail "report has verdict and confusion matrix"
"$GS" calibrate report cal > "$T/report.txt" 2>&1
grep -q "disagreement" "$T/report.txt" && ok "text report" || fail "text report" "$(head -20 "$T/report.txt")"
# one vocabulary: the scale's verdict is on kappa (linear weights), as agree's; 8 items < 20: too few
json_ok "report: stars on kappa (linear weights), ok on kappa (unweighted), as agree reads them" report.json \
  '[(c["criterion"], c["verdict_on"], c["kappa_label"]) for c in d["criteria"]] == [("ok", "cohen_kappa", "kappa (unweighted)"), ("stars", "weighted_kappa_linear", "kappa (linear weights)")]'
json_ok "report: 8 items < 20: too few items, AC1 and PABAK in every row" report.json \
  'all(c["verdict"] == "too few items" and c["too_few_items"] and "gwet_ac1" in c and "pabak" in c for c in d["criteria"])'
"$GS" agree --rubric qa --raters ann,ben --json --bootstrap 0 > "$T/agree.json"
json_ok "agree shows the same kappa for the same criteria" agree.json \
  '[(r["criterion"], r["kappa_shown"]) for r in d] == [("ok", "cohen_kappa"), ("stars", "weighted_kappa_linear")]'
grep -q "stars (ordinal, 8 items rated)" "$T/report.txt" && grep -q "kappa (linear weights) " "$T/report.txt" \
  && grep -q "too few items (8 < 20)" "$T/report.txt" && ok "text report names its kappa; too few items" \
  || fail "text report names its kappa" "$(cat "$T/report.txt")"
"$GS" calibrate report cal --min-units 8 --json > "$T/report8.json"
json_ok "--min-units 8: verdicts again" report8.json 'all(c["verdict"] in ("ok", "too vague", "undefined") for c in d["criteria"])'
expect_exit 64 "--min-units 0 is a usage error" "$GS" calibrate report cal --min-units 0

# discuss: the first disagreement, agreed value 2 (ok: yes, stars: 2), cause 1
first=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["disagreements"][0]; print(d["id"], d["criterion"])' "$T/report.json")
set -- $first
tm_start D 100 30 "$GS calibrate discuss cal; echo EXIT=\$?; sleep 60"
tm_wait D "disagreement 1/" || fail "discuss screen came up" "$(tm_screen D)"
tm_screen D > "$T/discuss.screen"
grep -q "rater 1" "$T/discuss.screen" && ! grep -q "ann\|ben" "$T/discuss.screen" && ok "discuss shows raters as rater 1, rater 2" \
  || fail "discuss shows raters as rater 1, rater 2" "$(cat "$T/discuss.screen")"
tm_keys D 2 1 c
tm_wait D "Note" || fail "note prompt"
tm_keys D "the rubric needs an example" Enter
tm_keys D Enter
tm_wait D "agreed on" || fail "discuss recorded" "$(tm_screen D)"
tm_keys D q
tm_wait D "EXIT=0" && tm_screen D | grep -q "1 of [0-9]* disagreements settled" && ok "discuss ends with a summary" \
  || fail "discuss ends with a summary" "$(tm_screen D)"
tm kill-session -t D
# the record is named after its writer (LOGNAME=tester): teammates who
# discuss the same batch never add the same file
grep -qF "| $1 | $2 |" reviews/calibration-cal-tester.md 2>/dev/null \
  && grep -qF "| rubric unclear | the rubric needs an example |" reviews/calibration-cal-tester.md \
  && ok "the discussion is written to reviews/calibration-cal-tester.md" \
  || fail "reviews/calibration-cal-tester.md" "$(ls reviews; cat reviews/calibration-cal-tester.md 2>&1)"
"$GS" export --consensus --rubric qa > "$T/cons"
want=$([ "$2" = ok ] && echo '"yes"' || echo 2)
grep -qF "{\"id\":\"$1\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"$2\",\"value\":$want,\"status\":\"consensus\"" "$T/cons" \
  && ok "discuss records a consensus label (export --consensus)" || fail "discuss records a consensus label" "$1 $2" "$(cat "$T/cons")"
grep -q '"status":"tie"' "$T/cons" && grep -q '"status":"majority"' "$T/cons" && grep -q '"status":"too_few_raters"' "$T/cons" \
  && ok "export --consensus marks ties and too few raters" || fail "export --consensus statuses" "$(head -5 "$T/cons")"

# a second round of the same rubric: fresh items, kappa side by side
expect_exit 0 "second batch" "$GS" calibrate start cal2 --raters ann,ben -n 2 --rubric qa --seed 5
grep -qF "round 2" "$T/out" && ok "second batch is round 2" || fail "second batch is round 2" "$(cat "$T/out")"
"$GS" calibrate show cal2 --json > "$T/show2.json"
/usr/bin/python3 -c 'import json,sys; a=set(json.load(open(sys.argv[1]))["items"]); b=set(sys.argv[2].split()); sys.exit(0 if not a & b else 1)' \
  "$T/show2.json" "$(cat "$T/batch")" && ok "round 2 draws items round 1 did not use" || fail "round 2 draws fresh items" "$(cat "$T/show2.json")"
expect_exit 0 "report --force on an unfinished batch" "$GS" calibrate report cal2 --force --json
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if [x["round"] for x in r["rounds"]]==[1,2] and not r["complete"] else 1)' "$T/out" \
  && ok "report shows kappa per round" || fail "report shows kappa per round" "$(head -c 600 "$T/out")"
