# t-judge-check.sh: the judge check of `agree --judge` (how the judge errs).
# Its numbers are compared with scikit-learn and scipy by
# tests/crosscheck/judge_check.py (skipped when /usr/bin/python3 lacks
# them); here: the text (a verdict line per criterion, within 80 columns,
# "too few items" below 20 units, harsher / kinder, picked more), the JSON
# fields, and undefined values as null.
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c 'import numpy, scipy, sklearn' 2>/dev/null; then
  GOLDSET="$GS" "$py" "$TOP/tests/crosscheck/judge_check.py" 4 20261207 > "$T/check.out" 2>&1
  rc=$?
  cat "$T/check.out"
  [ $rc -ne 0 ] && ! grep -q '^not ok ' "$T/check.out" && fail "judge_check.py exited $rc" "$(tail -5 "$T/check.out")"
else
  ok "judge check against scikit-learn and scipy # SKIP /usr/bin/python3 lacks numpy, scipy or sklearn"
fi

ws "$T/w"
cd "$T/w" || exit 1
i=0; : > "$T/items.jsonl"
while [ $i -lt 30 ]; do
  printf '{"id":"i%02d","input":"q","output":"%s"}\n' $i "$(printf '%*s' $((i * 20 + 5)) '' | tr ' ' x)" >> "$T/items.jsonl"
  i=$((i + 1))
done
"$GS" import "$T/items.jsonl" --set s > /dev/null
# three humans agree with each other; the judge gives one point more on most items (kinder)
for r in ann ben cat judge:kind; do
  i=0; : > "$T/l.jsonl"
  while [ $i -lt 30 ]; do
    v=$((i % 4 + 1)); [ "$r" = judge:kind ] && [ $((i % 5)) -ne 0 ] && v=$((v + 1))
    printf '{"id":"i%02d","rubric":"support-answer","labels":{"correctness":%d}}\n' $i $v >> "$T/l.jsonl"
    i=$((i + 1))
  done
  case $r in judge:*) "$GS" import-labels "$T/l.jsonl" --as "$r" --rubric support-answer > /dev/null ;;
  *) "$GS" import-labels "$T/l.jsonl" --as "$r" > /dev/null ;; esac
done
COLUMNS=80 "$GS" agree --judge judge:kind --criterion correctness > "$T/out" 2>&1
expect_out() { grep -qF -- "$2" "$T/out" && ok "$1" || fail "$1" "$(cat "$T/out")"; }
expect_out "a section says how the judge errs" "How judge:kind errs, criterion by criterion"
expect_out "one verdict line for the criterion" "  correctness: "
expect_out "the judge one point kinder is called kinder" ": kinder"
expect_out "the confusion matrix is printed" "judge (rows) x human majority (columns), 30 units"
expect_out "precision, recall and F1 per value" "value     precision     recall         F1"
[ "$(awk '/How judge/,/How to read/' "$T/out" | grep -v '^How to read' | awk 'length > 80' | wc -l)" -eq 0 ] && ok "the judge check fits 80 columns" \
  || fail "the judge check fits 80 columns" "$(awk 'length > 80' "$T/out")"
"$GS" agree --judge judge:kind --criterion correctness --json > "$T/j" 2>&1
for f in verdict_reason majority_units accuracy per_value confusion mean_diff mean_diff_ci95 spearman kendall_tau_b \
         length_slope_judge length_slope_humans; do
  grep -q "\"$f\"" "$T/j" || { fail "JSON alignment has $f" "$(head -c 400 "$T/j")"; continue; }
done
ok "JSON alignment has every documented field"
# 10 items only: too few
ws "$T/small"
cd "$T/small" || exit 1
head -10 "$T/items.jsonl" > "$T/i10.jsonl"
"$GS" import "$T/i10.jsonl" --set s > /dev/null
for r in ann judge:kind; do
  head -10 "$T/l.jsonl" > "$T/l10.jsonl"
  case $r in judge:*) "$GS" import-labels "$T/l10.jsonl" --as "$r" --rubric support-answer > /dev/null ;;
  *) "$GS" import-labels "$T/l10.jsonl" --as "$r" > /dev/null ;; esac
done
"$GS" agree --judge judge:kind --criterion correctness > "$T/out" 2>&1
expect_out "10 units: the verdict is too few items" "correctness: too few items"
expect_out "... naming how many there are" "too few items (10 < 20)"
# one item: undefined values are null
ws "$T/one"
cd "$T/one" || exit 1
head -1 "$T/items.jsonl" > "$T/i1.jsonl"
"$GS" import "$T/i1.jsonl" --set s > /dev/null
head -1 "$T/l.jsonl" > "$T/l1.jsonl"
"$GS" import-labels "$T/l1.jsonl" --as ann > /dev/null
"$GS" import-labels "$T/l1.jsonl" --as judge:kind --rubric support-answer > /dev/null
"$GS" agree --judge judge:kind --criterion correctness --json > "$T/j" 2>&1
"$py" -c '
import json, sys
row = [r for r in json.load(open(sys.argv[1])) if "alignment" in r][0]
a = row["alignment"]
bad = [k for k in ("spearman", "kendall_tau_b", "mean_diff_ci95", "length_slope_judge") if a[k] is not None]
sys.exit(1 if bad or row["verdict"] not in ("too few items", "undefined") else 0)' "$T/j" \
  && ok "one item: correlations, interval and slope are null, no verdict" \
  || fail "one item: undefined values are null" "$(cat "$T/j")"

# the judges table's bias is the judge check's judge - humans (the humans'
# mean on each unit), not judge - majority: on 4 items ann and ben give 1,
# cat 4, the judge 2. Humans' mean 2: bias 0; the majority (1) would say +1.
ws "$T/mix"
cd "$T/mix" || exit 1
head -4 "$T/items.jsonl" > "$T/i4.jsonl"
"$GS" import "$T/i4.jsonl" --set s > /dev/null
for rv in ann:1 ben:1 cat:4 judge:mix:2; do
  r=${rv%:*}; v=${rv##*:}; : > "$T/m.jsonl"
  for i in 0 1 2 3; do printf '{"id":"i0%d","rubric":"support-answer","labels":{"correctness":%d}}\n' $i $v >> "$T/m.jsonl"; done
  case $r in judge:*) "$GS" import-labels "$T/m.jsonl" --as "$r" --rubric support-answer > /dev/null ;;
  *) "$GS" import-labels "$T/m.jsonl" --as "$r" > /dev/null ;; esac
done
"$GS" agree --judge judge:mix --criterion correctness --json > "$T/one.json" 2>&1
"$GS" agree --judge 'judge:m*' --criterion correctness --json > "$T/tab.json" 2>&1
"$py" -c '
import json, sys
a = [r for r in json.load(open(sys.argv[1])) if "alignment" in r][0]["alignment"]
t = json.load(open(sys.argv[2]))[0]
sys.exit(0 if abs(a["mean_diff"]) < 1e-12 and abs(t["bias"]) < 1e-12 else 1)' "$T/one.json" "$T/tab.json" \
  && ok "judges table bias = judge check mean_diff = 0 (judge 2, humans 1 1 4: mean 2, majority 1)" \
  || fail "judges table bias is the judge check's" "$(cat "$T/one.json" "$T/tab.json")"
