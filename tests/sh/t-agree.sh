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
expect_exit 0 "--min-kappa met" "$GS" agree --table "$two" --min-kappa 0.1 --json

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
