# t-fit.sh: every text report (agree, agree --judge, agree --by, rank,
# stats, disagreements, diff, calibrate show and report) fits the width:
# $COLUMNS when standard output is not a terminal (80 without it), at 80
# and 60 columns, on a workspace with long criterion, rater and item names
# (CJK among them, two columns a character); no line is wider, counted in
# display columns (Python's East Asian width, ANSI colours taking none).
# The JSON outputs do not depend on the width; the long names are cut
# with "…" in the tables, and the stacked columns are still printed.
. "$(dirname "$0")/lib.sh"
ws
cd "$T/ws"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.org
export LC_ALL=C.UTF-8
cat > rubrics/support.json <<'J'
{"name":"customer-support-answer-quality","version":1,"mode":"single","criteria":[
 {"id":"factual_correctness_of_every_claim_about_billing","type":"binary"},
 {"id":"helpfulness_for_the_customer_in_their_situation","type":"scale","min":1,"max":5},
 {"id":"回答の丁寧さと分かりやすさの総合評価","type":"choice","options":["billing","technical-support-escalation","other"]}]}
J
cat > rubrics/pw.json <<'J'
{"name":"pairwise-preference-between-two-assistant-models","version":1,"mode":"pairwise","criteria":[{"id":"overall_preference_of_the_reviewer","type":"preference"}]}
J
awk 'BEGIN { for (i = 1; i <= 12; i++)
  printf "{\"id\":\"customer-ticket-with-a-long-identifier-%02d\",\"input\":\"q\",\"output\":\"answer %d\",\"meta\":{\"segment\":\"enterprise-customers-on-annual-plans-%d\"}}\n", i, i, i % 2 }' > "$T/items.jsonl"
awk 'BEGIN { for (i = 1; i <= 8; i++)
  printf "{\"id\":\"cmp-%d\",\"input\":\"q\",\"outputs\":[{\"system\":\"assistant-model-with-a-very-long-name-a\",\"text\":\"x\"},{\"system\":\"assistant-model-with-a-very-long-name-b\",\"text\":\"y\"}]}\n", i }' > "$T/pitems.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null && "$GS" import "$T/pitems.jsonl" --set p > /dev/null \
  || { echo "Bail out! import failed"; exit 1; }
# mk RATER OK STARS TOPIC: 12 label lines
mk() {
  awk -v ok="$2" -v st="$3" -v tp="$4" 'BEGIN {
    split(ok, a, " "); split(st, b, " "); split(tp, c, " ")
    tn["b"] = "billing"; tn["t"] = "technical-support-escalation"; tn["o"] = "other"; yn["y"] = "yes"; yn["n"] = "no"
    for (i = 1; i <= 12; i++)
      printf "{\"id\":\"customer-ticket-with-a-long-identifier-%02d\",\"rubric\":\"customer-support-answer-quality\",\"labels\":{\"factual_correctness_of_every_claim_about_billing\":\"%s\",\"helpfulness_for_the_customer_in_their_situation\":%d,\"回答の丁寧さと分かりやすさの総合評価\":\"%s\"}}\n",
        i, yn[a[i]], b[i], tn[c[i]] }' > "$T/$1.jsonl"
  "$GS" import-labels "$T/$1.jsonl" --as "$1" > /dev/null || { echo "Bail out! import-labels $1 failed"; exit 1; }
}
mk alexandra.konstantinopoulou "y n y y n y n y y n y y" "1 2 3 4 5 1 2 3 4 5 2 3" "b t o b t o b t o b t o"
mk bartholomew.von.habsburg-lothringen "y n y n n y n y y n y n" "1 2 3 4 4 1 3 3 4 5 2 2" "b t o b t t b t o b o o"
mk 山田太郎の長い評価者名 "y y y y n y n n y n y y" "2 2 3 5 5 1 2 4 4 5 3 3" "b t o o t o b t o b t o"
mk judge:gpt-4o-mini-2024-07-18-with-a-long-suffix "n n y y n y n y y n y y" "1 3 3 4 5 1 2 3 4 4 2 3" "b t o b t o b t o b t o"
for r in alexandra.konstantinopoulou bartholomew.von.habsburg-lothringen; do
  awk -v r="$r" 'BEGIN { for (i = 1; i <= 8; i++)
    printf "{\"id\":\"cmp-%d\",\"rubric\":\"pairwise-preference-between-two-assistant-models\",\"left\":\"assistant-model-with-a-very-long-name-a\",\"right\":\"assistant-model-with-a-very-long-name-b\",\"labels\":{\"overall_preference_of_the_reviewer\":\"assistant-model-with-a-very-long-name-%s\"}}\n", i, (i + length(r)) % 3 ? "a" : "b" }' > "$T/pw.jsonl"
  "$GS" import-labels "$T/pw.jsonl" --as "$r" > /dev/null || fail "pairwise labels of $r"
done
git add -A > /dev/null 2>&1; "$GS" commit -m "labels" > /dev/null 2>&1 || fail "commit"
# a change after the commit for diff
printf '%s\n' '{"id":"customer-ticket-with-a-long-identifier-01","rubric":"customer-support-answer-quality","labels":{"factual_correctness_of_every_claim_about_billing":"no","helpfulness_for_the_customer_in_their_situation":5,"回答の丁寧さと分かりやすさの総合評価":"technical-support-escalation"},"note":"a long note that goes on and on about the answer and what the customer said in the ticket"}' > "$T/ch.jsonl"
"$GS" import-labels "$T/ch.jsonl" --as alexandra.konstantinopoulou > /dev/null || fail "the change"
"$GS" calibrate start onboarding-round-with-a-long-name --raters alexandra.konstantinopoulou,bartholomew.von.habsburg-lothringen \
  --rubric customer-support-answer-quality -n 4 --seed 7 > /dev/null 2>&1 || fail "calibrate start"

# widest W FILE: the lines of FILE wider than W display columns (ANSI colours take none)
widest() {
  python3 - "$1" "$2" <<'P'
import re, sys, unicodedata
w = int(sys.argv[1])
for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    line = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line.rstrip("\n"))
    cols = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if cols > w:
        print("line %d: %d columns: %s" % (n, cols, line))
P
}
reports='agree|agree --judge judge:gpt-4o-mini-2024-07-18-with-a-long-suffix|agree --by segment|agree --raters alexandra.konstantinopoulou,bartholomew.von.habsburg-lothringen|rank --rubric pairwise-preference-between-two-assistant-models|stats|disagreements|diff|calibrate show onboarding-round-with-a-long-name|calibrate report onboarding-round-with-a-long-name --force'
for W in 80 60; do
  echo "$reports" | tr '|' '\n' | while read -r cmd; do
    # shellcheck disable=SC2086
    COLUMNS=$W "$GS" $cmd > "$T/out" 2> "$T/err"; rc=$?
    [ -s "$T/out" ] || { fail "$cmd at $W: prints something" "exit $rc" "$(head -3 "$T/err")"; continue; }
    widest "$W" "$T/out" > "$T/wide"
    [ ! -s "$T/wide" ] && ok "$cmd fits $W columns" || fail "$cmd fits $W columns" "$(head -5 "$T/wide")"
  done
done
# without COLUMNS and without a terminal: 80
unset COLUMNS
"$GS" agree > "$T/out" 2>/dev/null
widest 80 "$T/out" > "$T/wide"
[ ! -s "$T/wide" ] && ok "agree fits 80 columns without COLUMNS" || fail "agree without COLUMNS" "$(head -3 "$T/wide")"
# the long names are cut with an ellipsis in the table; the stacked reading is still there
COLUMNS=60 "$GS" agree > "$T/out" 2>/dev/null
grep -q '  factual_correctness_of[a-z_]*… ' "$T/out" && ok "a long criterion name is cut with …" || fail "cut names" "$(head -8 "$T/out")"
grep -q 'reading: ' "$T/out" && grep -q '      alpha 95% CI: \[' "$T/out" && ok "at 60 columns the interval and the reading are stacked under their row" || fail "stacked reading" "$(head -8 "$T/out")"
COLUMNS=200 "$GS" agree > "$T/out" 2>/dev/null
grep -q 'factual_correctness_of_every_claim_about_billing' "$T/out" && ok "at 200 columns nothing is cut" || fail "wide" "$(head -5 "$T/out")"
# JSON outputs do not change with the width
for cmd in "agree --json" "rank --rubric pairwise-preference-between-two-assistant-models --json" "stats --json" "disagreements --json" "calibrate report onboarding-round-with-a-long-name --force --json"; do
  # shellcheck disable=SC2086
  COLUMNS=40 "$GS" $cmd > "$T/j40" 2>/dev/null; COLUMNS=300 "$GS" $cmd > "$T/j300" 2>/dev/null
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/j40" && cmp -s "$T/j40" "$T/j300" \
    && ok "$cmd: the same JSON at any width" || fail "$cmd: JSON by width" "$(diff "$T/j40" "$T/j300" | head -5)"
done
