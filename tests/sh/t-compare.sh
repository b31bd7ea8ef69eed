# t-compare.sh: "is the new prompt better?". Pointwise labels of each
# output of an item (label lines with "system", `label --outputs` in tmux),
# agree --by system, and `goldset compare`: text, JSON, the --min-diff gate,
# undefined cases (null and a note), pairwise win rates; two clones and a
# bare remote keep both systems' labels of one item apart.
#
# Expected values, worked by hand from the labels below:
#   q (scale): per-item means new/base: q1 4.5/2 (ann 4, bob 5 / both 2),
#   q2 5/3, q3 4/4, q4 3/1, q5 4/3 (q6: new only, left out): mean A 4.1,
#   mean B 2.6, diff 1.5; sign flips of {2.5, 2, 0, 2, 1}: |S| >= 7.5 only
#   with the four non-zero signs alike, 2 x 2 of 32: p = 0.125.
#   ok (binary): diffs {1, 0, 0, 1, 0}: mean 0.4; |S| >= 2 in 16 of 32: 0.5.
#   Pairwise "helpful": new wins 3, ties 1, loses 1: win rate 3.5/5 = 0.7,
#   Wilson [0.29879105407239326, 0.9274159600143366] (statsmodels
#   proportion_confint(3.5, 5, method="wilson")), binomial p of 3 of 4 at
#   1/2 = 0.625 (scipy.stats.binomtest(3, 4).pvalue).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
ws
cd "$T/ws" || exit 1
cat > rubrics/pt.json <<'J'
{"name":"pt","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary","question":"ok?","labels":["no","yes"]},{"id":"q","type":"scale","min":1,"max":5,"question":"how good?"}]}
J
: > "$T/items.jsonl"
for i in 1 2 3 4 5 6; do
  k=b; [ $i = 1 ] && k=a
  printf '{"id":"q%d","input":"question %d","outputs":[{"system":"base","text":"base answer %d"},{"system":"new","text":"new answer %d"}],"meta":{"kind":"%s"}}\n' $i $i $i $i $k >> "$T/items.jsonl"
done
"$GS" import "$T/items.jsonl" --set arena >/dev/null 2>&1 || fail "import"
pt() { printf '{"id":"q%s","rubric":"pt","system":"%s","labels":{"ok":"%s","q":%s}}' "$1" "$2" "$3" "$4"; }
labels ann "$(pt 1 base no 2)" "$(pt 1 new yes 4)" "$(pt 2 base yes 3)" "$(pt 2 new yes 5)" "$(pt 3 base yes 4)" \
  "$(pt 3 new yes 4)" "$(pt 4 base no 1)" "$(pt 4 new yes 3)" "$(pt 5 base yes 3)" "$(pt 5 new yes 4)" "$(pt 6 new yes 5)"
labels bob "$(pt 1 base no 2)" "$(pt 1 new yes 5)"

# ---- label lines and agreement per system ----
"$GS" export --rubric pt --rater ann > "$T/ex"
[ "$(grep -c '"system":"base"' "$T/ex")" = 5 ] && [ "$(grep -c '"system":"new"' "$T/ex")" = 6 ] \
  && ok "export: eleven label lines of ann, each naming its system" || fail "export lines" "$(cat "$T/ex")"
grep -q '^{"id":"q1","rubric":"pt","rubric_version":1,"rater":"ann","system":"base","labels":{"ok":"no","q":2},"at":' "$T/ex" \
  && ok "a pointwise label line: system after rater, before labels" || fail "line shape" "$(head -1 "$T/ex")"
"$GS" agree --rubric pt --by system --json > "$T/ag" 2>"$T/err"
$PY - "$T/ag" <<'P' > "$T/agv" 2>&1
import json, sys
rows = json.load(open(sys.argv[1]))
print(" ".join("%s:%s:%s" % (r["criterion"], (r["slice"] or {}).get("value"), r["units"]) for r in rows))
P
[ "$(cat "$T/agv")" = "ok:None:11 ok:base:5 ok:new:6 q:None:11 q:base:5 q:new:6" ] \
  && ok "agree --by system: each (item, system) a unit, one slice per system" || fail "agree --by system" "$(cat "$T/agv")"
echo '{"id":"q1","rubric":"pt","system":"nosuch","labels":{"ok":"no","q":2}}' > "$T/bad.jsonl"
expect_exit 65 "a label of a system the item does not have is refused" "$GS" import-labels "$T/bad.jsonl" --as ann
err_has 'item "q1" has no output of system "nosuch" (system)' && ok "the refusal names the item, the system and the field" \
  || fail "refusal text" "$(cat "$T/err")"

# ---- compare: pointwise ----
"$GS" compare new base --rubric pt --json > "$T/cj" 2>"$T/err" || fail "compare --json" "$(cat "$T/err")"
$PY - "$T/cj" <<'P' > "$T/cv" 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["rows"]:
    print(r["criterion"], r["design"], r["items"], r["items_a"], r["items_b"], round(r["mean_a"], 12),
          round(r["mean_b"], 12), round(r["diff"], 12), r["p_value"], r["p_exact"],
          r["diff_ci95"][0] <= r["diff"] <= r["diff_ci95"][1], r["diff_ci95"][0] >= 0, r["gate"])
print(d["a"], d["b"], d["resamples"], d["seed"], d["min_diff"], d["pass"])
P
cat > "$T/want" <<'W'
ok pointwise 5 6 5 1 0.6 0.4 0.5 True True True None
q pointwise 5 6 5 4.1 2.6 1.5 0.125 True True True None
new base 2000 1 None None
W
cmp -s "$T/cv" "$T/want" && ok "compare --json: items, means, difference, exact sign-flip p as worked by hand" \
  || fail "compare json values" "$(cat "$T/cv")"
"$GS" compare new base --rubric pt --json > "$T/cj2"
cmp -s "$T/cj" "$T/cj2" && ok "the same seed gives the same JSON" || fail "reproducible"
"$GS" compare new base --rubric pt --json --seed 7 --resamples 500 > "$T/cj3"
grep -q '"resamples":	500' "$T/cj3" && grep -q '"seed":	7' "$T/cj3" && ok "--seed and --resamples are used and reported" \
  || fail "seed/resamples" "$(head -5 "$T/cj3")"
"$GS" compare new base --rubric pt > "$T/ct"
grep -q "^pt (pointwise): mean per item over raters, difference new - base" "$T/ct" \
  && grep -Eq "^  q +5 +4\.100 +2\.600 +1\.500  \[[0-9.]+, [0-9.]+\] +0\.1250\*" "$T/ct" \
  && ok "compare text: a row per criterion with the same numbers" || fail "compare text" "$(cat "$T/ct")"
grep -q "left out: 1 item labeled for new only, 0 for base only" "$T/ct" && ok "the items of one system only are left out with a note" \
  || fail "left-out note" "$(cat "$T/ct")"

# ---- the gate ----
expect_exit 0 "--min-diff 0: every lower bound >= 0 (every difference is >= 0)" "$GS" compare new base --rubric pt --min-diff 0
grep -q "gate --min-diff 0: passed" "$T/out" && ok "the text says the gate passed" || fail "gate text" "$(cat "$T/out")"
expect_exit 1 "--min-diff 3: above every difference, the gate fails (exit 1)" "$GS" compare new base --rubric pt --min-diff 3
expect_exit 1 "reversed (base over new) the gate fails" "$GS" compare base new --rubric pt --min-diff 0
expect_exit 1 "--criterion ok --min-diff 0.5: the lower bound of 0.4's interval is below" \
  "$GS" compare new base --rubric pt --criterion ok --min-diff 0.5
expect_exit 0 "--criterion q --min-diff 0: gated on q only" "$GS" compare new base --rubric pt --criterion q --min-diff 0 --json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["pass"] is True and [r["criterion"] for r in d["rows"]] == ["q"] and d["rows"][0]["gate"] is True' "$T/out" \
  && ok "--json: pass true, one row, its gate true" || fail "gate json" "$(cat "$T/out")"
expect_exit 64 "--criterion that no rubric has: usage" "$GS" compare new base --criterion nosuch
expect_exit 64 "one system twice: usage" "$GS" compare new new
expect_exit 64 "--min-diff needs a number" "$GS" compare new base --min-diff x
expect_exit 64 "--by system is refused (the systems are what is compared)" "$GS" compare new base --by system

# ---- undefined cases ----
"$GS" compare new other --rubric pt --json > "$T/un"
$PY - "$T/un" <<'P' > "$T/uv" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))["rows"][1]
print(r["items"], r["diff"], r["diff_ci95"], r["p_value"], r["notes"])
P
[ "$(cat "$T/uv")" = "0 None None None ['no labels of other here: no difference']" ] \
  && ok "no shared items: diff, interval and p are null, with a note" || fail "no shared" "$(cat "$T/uv")"
expect_exit 1 "the gate fails on an undefined difference" "$GS" compare new other --rubric pt --min-diff 0
"$GS" compare new base --rubric pt --by kind --json > "$T/by"
$PY - "$T/by" <<'P' > "$T/bv" 2>&1
import json, sys
for r in json.load(open(sys.argv[1]))["rows"]:
    if r["criterion"] == "q" and r["slice"]:
        ci = r["diff_ci95"]
        print(r["slice"]["value"], r["items"], r["diff"], ci if ci is None else ci[0] <= r["diff"] <= ci[1],
              r["p_value"], r["gate"], r["notes"][:1])
P
# slice a: q1 alone (2.5), two sign vectors both reach it: p 1; slice b:
# diffs {2, 0, 2, 1}: mean 1.25, |S| >= 5 only with the three non-zero alike: 2 x 2 of 16
# (q6, labeled for new only, is in slice b: its note comes first)
cat > "$T/want" <<'W'
a 1 2.5 None 1 None ['one item labeled for both: no interval']
b 4 1.25 True 0.25 None ['left out: 1 item labeled for new only, 0 for base only']
W
cmp -s "$T/bv" "$T/want" && ok "--by kind: one item gives a difference but no interval (null, a note); four items: 1.25, p 4/16" \
  || fail "by slices" "$(cat "$T/bv")"

# ---- compare: pairwise ----
pw() { printf '{"id":"q%s","rubric":"pairwise-preference","left":"%s","right":"%s","labels":{"helpful":"%s"}}' "$1" "$2" "$3" "$4"; }
labels ann "$(pw 1 base new new)" "$(pw 2 new base new)" "$(pw 3 new base new)" "$(pw 4 base new tie)" "$(pw 5 new base base)"
"$GS" compare new base --rubric pairwise-preference --criterion helpful --json > "$T/pj" 2>"$T/err"
$PY - "$T/pj" <<'P' > "$T/pv" 2>&1
import json, sys
r = json.load(open(sys.argv[1]))["rows"][0]
print(r["design"], r["comparisons"], r["wins"], r["ties"], r["losses"], r["win_rate"], r["p_value"])
assert abs(r["win_rate_ci95"][0] - 0.29879105407239326) < 1e-12, r["win_rate_ci95"]
assert abs(r["win_rate_ci95"][1] - 0.9274159600143366) < 1e-12, r["win_rate_ci95"]
P
[ "$(cat "$T/pv")" = "pairwise 5 3 1 1 0.7 0.625" ] && ok "pairwise: win rate 0.7 (ties half), Wilson as statsmodels, binomial p 0.625 as scipy" \
  || fail "pairwise" "$(cat "$T/pv")"
expect_exit 1 "pairwise gate --min-diff 0: Wilson's lower bound 0.299 is below 0.5" \
  "$GS" compare new base --rubric pairwise-preference --criterion helpful --min-diff 0
"$GS" compare new base > "$T/all"
grep -q "^pt (pointwise)" "$T/all" && grep -q "^pairwise-preference (pairwise)" "$T/all" \
  && ok "without --rubric: every rubric with labels of both" || fail "all rubrics" "$(cat "$T/all")"

# ---- the label screen, one output at a time ----
tm_start lab 100 30 "$GS label --outputs --rubric pt --as cy --set arena; sleep 30"
tm_wait lab "OUTPUT (being rated)" && ok "label --outputs opens on an output" || fail "screen" "$(tm_screen lab)"
tm_screen lab > "$T/s1"
first=$(grep -Eo "^(base|new) answer [1-6]" "$T/s1" | head -1)
[ -n "$first" ] && ok "one output shown: \"$first\"" || fail "one output" "$(cat "$T/s1")"
# 12 outputs; each answered with 2 (yes), 4 (q = 4), Enter: 3 keystrokes an output, 36 in all
n=0
while [ $n -lt 12 ]; do tm_keys lab 2 4 Enter; n=$((n+1)); sleep 0.15; done
tm_wait lab "Nothing left to label here." && ok "36 keystrokes (2, 4, Enter x 12) label the 12 outputs of 6 items" \
  || fail "all labeled" "$(tm_screen lab)"
tm_screen lab | grep -q "12 of 12 outputs labeled under pt v1" && ok "the done screen counts outputs" || fail "done count" "$(tm_screen lab)"
tm_keys lab q
"$GS" export --rubric pt --rater cy > "$T/cy"
[ "$(grep -c '"system":"base","labels":{"ok":"yes","q":4}' "$T/cy")" = 6 ] && [ "$(grep -c '"system":"new"' "$T/cy")" = 6 ] \
  && ok "each output saved as its own label, naming its system" || fail "cy labels" "$(cat "$T/cy")"
"$GS" export --rubric pt --rater cy --format csv | head -2 > "$T/csv"
grep -q "^q1,pt,1,cy,base,,ok,yes," "$T/csv" && ok "CSV export: the system in the left column, right empty" || fail "csv" "$(cat "$T/csv")"

# ---- the order of the outputs is each rater's own, recorded ----
tm_start lab2 100 30 "$GS label --outputs --rubric pt --as dee --set arena; sleep 30"
tm_wait lab2 "OUTPUT (being rated)" || fail "second screen"
s1=$(tm_screen lab2 | grep -Eo "^(base|new) answer [1-6]" | head -1)
tm_keys lab2 q; sleep 0.3
tm_start lab3 100 30 "$GS label --outputs --rubric pt --as dee --set arena; sleep 30"
tm_wait lab3 "OUTPUT (being rated)" || fail "third screen"
s2=$(tm_screen lab3 | grep -Eo "^(base|new) answer [1-6]" | head -1)
tm_keys lab3 q
[ -n "$s1" ] && [ "$s1" = "$s2" ] && ok "reopened, the same rater sees the same output first ($s1)" || fail "same order" "$s1 / $s2"

# ---- sync: two systems' labels of one item never overwrite each other ----
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
git config --global pull.rebase false
R=$T/remote.git A=$T/a B=$T/b
git init -q --bare "$R"
ws "$A"
cp rubrics/pt.json "$A/rubrics/"
"$GS" -C "$A" import "$T/items.jsonl" --set arena >/dev/null 2>&1
git -C "$A" remote add origin "$R"
"$GS" -C "$A" commit -m items >/dev/null 2>&1 && "$GS" -C "$A" push >/dev/null 2>&1 || fail "first push"
git clone -q "$R" "$B" && "$GS" -C "$B" init >/dev/null 2>&1 || fail "clone + init"
# the same rater on two machines: base's output of q1 on A, new's on B, then
# new's of q2 on A and base's of q2 on B, each committed before the other pulls
pt1() { pt "$1" "$2" "$3" "$4" > "$T/one.jsonl"; }
pt1 1 base no 1; "$GS" -C "$A" import-labels "$T/one.jsonl" --as eve >/dev/null
pt1 2 new yes 5; "$GS" -C "$A" import-labels "$T/one.jsonl" --as eve >/dev/null
"$GS" -C "$A" commit -m "eve on A" >/dev/null 2>&1 && "$GS" -C "$A" push >/dev/null 2>&1 || fail "push A"
pt1 1 new yes 4; "$GS" -C "$B" import-labels "$T/one.jsonl" --as eve >/dev/null
pt1 2 base no 2; "$GS" -C "$B" import-labels "$T/one.jsonl" --as eve >/dev/null
"$GS" -C "$B" commit -m "eve on B" >/dev/null 2>&1
expect_exit 0 "B pulls A's labels of the same item (other systems)" "$GS" -C "$B" pull
"$GS" -C "$B" push >/dev/null 2>&1 || fail "push B"
expect_exit 0 "A pulls B's" "$GS" -C "$A" pull
for d in "$A" "$B"; do "$GS" -C "$d" export --rubric pt --rater eve | sed 's/,"at":.*//' > "$d.ex"; done
cat > "$T/want" <<'W'
{"id":"q1","rubric":"pt","rubric_version":1,"rater":"eve","system":"base","labels":{"ok":"no","q":1}
{"id":"q1","rubric":"pt","rubric_version":1,"rater":"eve","system":"new","labels":{"ok":"yes","q":4}
{"id":"q2","rubric":"pt","rubric_version":1,"rater":"eve","system":"base","labels":{"ok":"no","q":2}
{"id":"q2","rubric":"pt","rubric_version":1,"rater":"eve","system":"new","labels":{"ok":"yes","q":5}
W
cmp -s "$A.ex" "$T/want" && cmp -s "$B.ex" "$T/want" && ok "both clones keep all four labels: one per (item, system)" \
  || fail "sync kept both systems" "$(cat "$A.ex")" "$(cat "$B.ex")"
[ "$(grep -c '"system"' "$B/labels/pt/eve.jsonl")" = 4 ] && ! grep -q '^<<<<<<<' "$B/labels/pt/eve.jsonl" \
  && ok "the merged label file has the four lines, no conflict marker" || fail "label file" "$(cat "$B/labels/pt/eve.jsonl")"
# a newer label of one system replaces only that system's
sleep 0.01
pt1 1 new no 2; "$GS" -C "$A" import-labels "$T/one.jsonl" --as eve >/dev/null
"$GS" -C "$A" commit -m "eve again" >/dev/null 2>&1 && "$GS" -C "$A" push >/dev/null 2>&1
"$GS" -C "$B" pull >/dev/null 2>&1
"$GS" -C "$B" export --rubric pt --rater eve | sed 's/,"at":.*//' > "$T/b2"
grep -q '"system":"new","labels":{"ok":"no","q":2}$' "$T/b2" && grep -q '"id":"q1".*"system":"base","labels":{"ok":"no","q":1}$' "$T/b2" \
  && ok "a newer label of new's output replaces new's only; base's stays" || fail "newer per system" "$(cat "$T/b2")"
