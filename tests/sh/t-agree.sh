# t-agree.sh: the `goldset agree --table` contract: JSON fields and values
# for Krippendorff's (2011) worked example (interval alpha 951/1120 =
# 0.849107142857...), the readable table, null + note for what is
# undefined, exit codes (65 bad data with FILE:LINE, 66 no file, 64 usage,
# 66 workspace mode outside a workspace, 1 a gate not met; workspace mode
# itself is t-agree-ws.sh).
. "$(dirname "$0")/lib.sh"
k="$T/k2011.csv"
cat > "$k" <<'CSV'
unit,A,B,C,D
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,3,,
CSV
has() { grep -Eq -- "$1" "$T/out"; }
expect_exit 0 "agree --table --json runs" "$GS" agree --table "$k" --json --level interval --bootstrap 200
if has '"alpha":[[:space:]]*0\.84910714285714' && has '"units":[[:space:]]*12' &&
   has '"pairable_units":[[:space:]]*11' && has '"values":[[:space:]]*41' &&
   has '"level":[[:space:]]*"interval"'; then ok "Krippendorff 2011 example: interval alpha, counts"
else fail "Krippendorff 2011 example: interval alpha, counts" "$(cat "$T/out")"; fi
if has '"cohen_kappa":[[:space:]]*null' && has 'needs exactly two raters'; then ok "kappa null with a note for 4 raters"
else fail "kappa null with a note for 4 raters" "$(cat "$T/out")"; fi
if tr -d ' \t\n' < "$T/out" | grep -q '"level".*"units".*"raters".*"pairable_units".*"values".*"alpha".*"alpha_ci95".*"percent_agreement".*"cohen_kappa".*"cohen_kappa_se".*"cohen_kappa_ci95".*"weighted_kappa_linear".*"weighted_kappa_quadratic".*"fleiss_kappa".*"notes"'
then ok "JSON fields in the contract's order"; else fail "JSON fields in the contract's order" "$(cat "$T/out")"; fi
if ! grep -qi 'nan' "$T/out"; then ok "no NaN in JSON"; else fail "no NaN in JSON"; fi

expect_exit 0 "nominal level" "$GS" agree --table "$k" --json --level nominal --bootstrap 0
if has '"alpha":[[:space:]]*0\.74342105263157'; then ok "nominal alpha 113/152"; else fail "nominal alpha 113/152" "$(cat "$T/out")"; fi

expect_exit 0 "text output" "$GS" agree --table "$k" --bootstrap 100
if has "Krippendorff's alpha" && has '0\.815' && has 'reliable' && has 'rubric is too vague'; then
  ok "text output explains the numbers"; else fail "text output explains the numbers" "$(cat "$T/out")"; fi

two="$T/two.csv"
printf 'unit,alice,"bob, jr"\r\nq1,good,good\r\nq2,bad,good\r\nq3,bad,bad\r\nq4,good,good\r\nq5,,bad\r\n' > "$two"
expect_exit 0 "two raters with category names" "$GS" agree --table "$two"
if has 'Cohen' && has 'bob, jr' && has 'Who said what'; then ok "two raters: kappa and confusion matrix"
else fail "two raters: kappa and confusion matrix" "$(cat "$T/out")"; fi
expect_exit 1 "--min-kappa not met exits 1" "$GS" agree --table "$two" --min-kappa 0.99
expect_exit 1 "--min-kappa on 4 items: too few, not met" "$GS" agree --table "$two" --min-kappa 0.1 --json
if err_has "too few items (4 < --min-units 20)" && err_has "allow-small"; then ok "the gate names the small sample"
else fail "the gate names the small sample" "$(cat "$T/err")"; fi
expect_exit 0 "--min-kappa met with --allow-small" "$GS" agree --table "$two" --min-kappa 0.1 --json --allow-small
expect_exit 0 "--min-kappa met with --min-units 4" "$GS" agree --table "$two" --min-kappa 0.1 --min-units 4

# the reported four rows (a,a) (a,a) (b,b) (b,a): kappa (0.75 - 0.5) / (1 - 0.5) = 0.5
# exactly (Cohen 1960, by hand); the old interval was [-0.235, 1.235]
printf 'unit,x,y\n1,a,a\n2,a,a\n3,b,b\n4,b,a\n' > "$T/four.csv"
expect_exit 0 "four rows, JSON" "$GS" agree --table "$T/four.csv" --json --seed 3
json_ok "four rows: kappa 0.5, interval inside [-1, 1]" out \
  'd["cohen_kappa"] == 0.5 and -1 <= d["cohen_kappa_ci95"][0] <= d["cohen_kappa_ci95"][1] <= 1'
json_ok "four rows: too few items, 285 more for +-0.1 (289 by Cohen's SE)" out \
  'd["too_few_items"] and d["min_units"] == 20 and d["units_needed"] == 289 and d["more_units_needed"] == 285'
json_ok "four rows: PABAK 0.5, PI 0.25, BI 0.25 (Byrt et al. 1993, by hand); named kappa" out \
  'd["pabak"] == 0.5 and d["prevalence_index"] == 0.25 and d["bias_index"] == 0.25 and d["kappa_label"] == "kappa (unweighted)"'
expect_exit 0 "four rows, text" "$GS" agree --table "$T/four.csv" --min-units 4
if has 'kappa \(unweighted\) +0\.500' && has 'a judge: deploy \(>= 0\.5\)' && ! has borderline; then
  ok "kappa 0.500 exactly: a judge deploys (>= 0.5), not borderline"; else fail "boundary 0.5" "$(cat "$T/out")"; fi
expect_exit 0 "the boundary passes the gate" "$GS" agree --table "$T/four.csv" --min-kappa 0.5 --min-units 4
expect_exit 0 "four rows, text, default minimum" "$GS" agree --table "$T/four.csv"
if has 'too few items \(4 < 20\); about 285 more for a 95% interval of \+-0\.1' && has 'no verdict'; then
  ok "four rows: too few items, and how many more"; else fail "four rows: too few" "$(cat "$T/out")"; fi

# a rater who always says the same: SE undefined, not 0.0000 and [0.000, 0.000]
printf 'unit,x,y\n1,a,a\n2,a,b\n3,a,a\n4,a,b\n5,a,a\n' > "$T/const.csv"
expect_exit 0 "constant rater, JSON" "$GS" agree --table "$T/const.csv" --json
json_ok "constant rater: SE and interval null, with a note" out \
  'd["cohen_kappa_se"] is None and d["cohen_kappa_ci95"] is None and any("kappa is 0 by construction" in n for n in d["notes"])'
expect_exit 0 "constant rater, text" "$GS" agree --table "$T/const.csv"
if has 'standard error undefined' && ! has 'SE 0\.0000'; then ok "constant rater: text says undefined"
else fail "constant rater: text" "$(cat "$T/out")"; fi

# the kappa paradox: 37 (no,no), 1 (no,yes), 1 (yes,no), 1 (yes,yes): agreement 95%, kappa
# 0.45/0.95 = 0.474, AC1 0.855/0.905 = 0.945 (by hand, Gwet 2008)
{ echo 'unit,x,y'; i=0; while [ $i -lt 37 ]; do i=$((i+1)); echo "$i,no,no"; done
  echo '38,no,yes'; echo '39,yes,no'; echo '40,yes,yes'; } > "$T/skew.csv"
expect_exit 0 "paradox, text" "$GS" agree --table "$T/skew.csv"
if has 'kappa 0\.474 is low although the raters agree on 95%' && has 'AC1 0\.945'; then
  ok "the paradox is named, with AC1"; else fail "the paradox" "$(cat "$T/out")"; fi
expect_exit 0 "paradox, JSON" "$GS" agree --table "$T/skew.csv" --json
json_ok "paradox in JSON, AC1 and its SE" out \
  'd["paradox"] and "kappa paradox" in d["paradox"] and abs(d["gwet_ac1"] - 0.855/0.905) < 1e-12 and d["gwet_ac1_se"] > 0'

printf 'unit,a,b\n1,1,2\n2,1\n' > "$T/ragged.csv"
expect_exit 65 "ragged row is a data error" "$GS" agree --table "$T/ragged.csv"
if err_has "ragged.csv:3:" && err_has "(field 3 missing)"; then ok "error names file, line and field"
else fail "error names file, line and field" "$(cat "$T/err")"; fi
expect_exit 66 "missing file" "$GS" agree --table "$T/nope.csv"
expect_exit 64 "bad level" "$GS" agree --table "$k" --level fuzzy
expect_exit 64 "unknown option" "$GS" agree --table "$k" --frobnicate
(cd "$T" && expect_exit 66 "workspace mode outside a workspace" "$GS" agree)
if err_has "not in a goldset workspace"; then ok "says there is no workspace"; else fail "says there is no workspace" "$(cat "$T/err")"; fi
printf 'unit,a,b\n1,3,3\n2,3,3\n' > "$T/same.csv"
expect_exit 0 "one value only" "$GS" agree --table "$T/same.csv" --json
if has '"alpha":[[:space:]]*null' && has 'only one value observed'; then ok "alpha null + note for one value"
else fail "alpha null + note for one value" "$(cat "$T/out")"; fi
