# t-rank-pairs.sh: `goldset rank --pairs FILE.csv` end to end: the JSON
# contract (fields, nulls, notes), exact values on small worked cases, the
# tie convention, separation, the seed, the left column, the text table,
# and bad input (one line FILE:LINE: what (field), exit 65; missing file 66).
# JSON is read with /usr/bin/python3 (in CI's install list). The math itself
# is checked against R's BradleyTerry2 in tests/unit/test_bt.c.
. "$(dirname "$0")/lib.sh"
cd "$T"
PY=/usr/bin/python3

# A beat B 3 times and tied once: with a tie as half a win each, the
# scores are +-ln(7)/2 = +-0.9729550745 exactly; elo 1000 +- 168.9987
printf 'a,b,winner\nA,B,A\nB,A,A\nA,B,A\nA,B,tie\n' > tie.csv
expect_exit 0 "rank --pairs --json exits 0" "$GS" rank --pairs tie.csv --json --bootstrap 0
cp "$T/out" tie.json
json_ok "comparisons counted" tie.json 'd["comparisons"] == 4'
json_ok "system fields in order" tie.json 'list(d["systems"][0].keys())[:7] == ["name","score","elo","ci95","wins","losses","ties"]'
json_ok "top-level fields" tie.json 'list(d.keys()) [:2] == ["comparisons","systems"] and "left_win_rate" in d and isinstance(d["notes"], list)'
json_ok "best system first" tie.json '[s["name"] for s in d["systems"]] == ["A","B"]'
json_ok "tie counts half: score ln(7)/2" tie.json 'abs(d["systems"][0]["score"] - math.log(7)/2) < 1e-9 and abs(d["systems"][1]["score"] + math.log(7)/2) < 1e-9'
json_ok "elo = 1000 + 400 theta / ln 10" tie.json 'abs(d["systems"][0]["elo"] - (1000 + 400*math.log(7)/2/math.log(10))) < 1e-6'
json_ok "wins, losses, ties" tie.json 'd["systems"][0]["wins"] == 3 and d["systems"][0]["losses"] == 0 and d["systems"][0]["ties"] == 1 and d["systems"][1]["losses"] == 3'
json_ok "--bootstrap 0: ci95 null" tie.json 'all(s["ci95"] is None for s in d["systems"])'
json_ok "no left column: left_win_rate null, noted" tie.json 'd["left_win_rate"] is None and any("left" in n for n in d["notes"])'

# choix testcase-pairwise-2 (winner, loser): 0>1, 0>1, 1>2, 2>0 ->
# centred scores 0.4196176, -0.4196176, 0
printf 'a,b,winner\nx,y,x\ny,x,x\ny,z,y\nz,x,z\n' > choix.csv
"$GS" rank --pairs choix.csv --json --bootstrap 0 > choix.json 2>"$T/err"
json_ok "choix pairwise case" choix.json '[round(s["score"], 6) for s in d["systems"]] == [0.419618, 0.0, -0.419618]'

# a larger file with a left column: intervals, seed, position rate
i=0
: > big.csv
echo "a,b,winner,left" > big.csv
while [ $i -lt 60 ]; do
  echo "m1,m2,m1,m1"; echo "m2,m3,m2,m3"; echo "m1,m3,m1,m3"; echo "m3,m1,m1,m3"
  [ $((i % 3)) -eq 0 ] && echo "m2,m1,m2,m2"
  [ $((i % 4)) -eq 0 ] && echo "m3,m2,m3,m3"
  [ $((i % 5)) -eq 0 ] && echo "m3,m1,tie,m1"
  [ $((i % 6)) -eq 0 ] && echo "m1,m3,m3,m1"
  i=$((i + 1))
done >> big.csv
expect_exit 0 "bootstrap run exits 0" "$GS" rank --pairs big.csv --json --bootstrap 200 --seed 5
cp "$T/out" b1.json
"$GS" rank --pairs big.csv --json --bootstrap 200 --seed 5 > b2.json
"$GS" rank --pairs big.csv --json --bootstrap 200 --seed 6 > b3.json
cmp -s b1.json b2.json && ok "same seed, same output" || fail "same seed, same output"
cmp -s b1.json b3.json && fail "another seed, other intervals" || ok "another seed, other intervals"
json_ok "intervals hold the estimate" b1.json 'all(s["ci95"][0] < s["score"] < s["ci95"][1] for s in d["systems"])'
json_ok "scores centred" b1.json 'abs(sum(s["score"] for s in d["systems"])) < 1e-9'
json_ok "left_win_rate a rate" b1.json '0 <= d["left_win_rate"] <= 1'
"$GS" rank --pairs big.csv --json --bootstrap 10 --seed=5 > b4.json 2>"$T/err" && ok "--seed=S form" || fail "--seed=S form"
"$GS" rank --pairs - --json --bootstrap 0 < big.csv > b5.json 2>"$T/err"
json_ok "--pairs - reads stdin" b5.json 'd["comparisons"] > 200'

# separation: A never lost, D never won
printf 'a,b,winner\nA,B,A\nA,C,A\nB,C,B\nC,B,C\nB,C,B\nD,B,B\nD,C,C\n' > sep.csv
expect_exit 0 "separation still exits 0" "$GS" rank --pairs sep.csv --json
cp "$T/out" sep.json
json_ok "separation: scores null" sep.json 'all(s["score"] is None and s["elo"] is None and s["ci95"] is None for s in d["systems"])'
json_ok "separation: notes name who never lost / won" sep.json 'any("A never lost" in n for n in d["notes"]) and any("D never won" in n for n in d["notes"])'
json_ok "separation: groups in order" sep.json '[s["group"] for s in d["systems"]] == [1,2,2,3] and d["systems"][0]["name"] == "A"'

# two pieces never compared
printf 'a,b,winner\nA,B,A\nB,A,B\nC,D,C\nD,C,D\n' > dis.csv
"$GS" rank --pairs dis.csv --json > dis.json 2>"$T/err"
json_ok "disconnected: said plainly" dis.json 'any("separate pieces" in n for n in d["notes"]) and d["systems"][0]["score"] is None'

# text output: table, head to head, escaped names, no colour on a pipe
printf 'a,b,winner\n\033[31mevil,B,B\nB,\033[31mevil,\033[31mevil\nB,\033[31mevil,B\n' > esc.csv
expect_exit 0 "text output exits 0" "$GS" rank --pairs esc.csv --bootstrap 0
grep -q "head to head" "$T/out" && ok "text has the head-to-head table" || fail "text has the head-to-head table" "$(cat "$T/out")"
grep -q '\^\[\[31mevil' "$T/out" && ok "names escaped in text" || fail "names escaped in text" "$(cat -v "$T/out")"
if printf '\033' | grep -qF -f - "$T/out"; then fail "no raw escape reaches the output"; else ok "no raw escape reaches the output"; fi
grep -q "elo with 95%" "$T/out" && fail "no forest plot on a pipe" || ok "no forest plot on a pipe"

# bad input: NAME|EXIT|MESSAGE|CONTENT (printf %b)
i=0
while IFS='|' read -r name code msg content; do
  [ -z "$name" ] && continue
  i=$((i + 1))
  f="$T/bad$i.csv"
  printf '%b' "$content" > "$f"
  "$GS" rank --pairs "$f" > "$T/out" 2> "$T/err"; got=$?
  if [ "$got" -ne "$code" ]; then fail "$name: exit $code" "exit $got" "$(cat "$T/err")"; continue; fi
  lines=$(wc -l < "$T/err")
  if [ "$lines" -eq 1 ] && err_has "bad$i.csv:$msg"; then ok "$name"; else fail "$name" "wanted bad$i.csv:$msg" "$(cat "$T/err")"; fi
done <<'EOF'
unknown winner|65|3: "X" is neither a, b nor tie (winner)|a,b,winner\nA,B,A\nA,C,X\n
missing winner column|65|1: no column winner|a,b\nA,B\n
same system twice|65|2: a and b name the same system (b)|a,b,winner\nA,A,A\n
short row|65|3: 2 fields where the header has 3|a,b,winner\nA,B,A\nA,B\n
long row|65|2: 4 fields where the header has 3|a,b,winner\nA,B,A,x\n
unclosed quote|65|2: quoted field never closed|a,b,winner\nA,B,"A\n
left names a third system|65|2: "C" is neither a nor b (left)|a,b,winner,left\nA,B,A,C\n
empty file|65|1: empty file|
empty system name|65|2: empty system name (a)|a,b,winner\n,B,B\n
tie as a name|65|2: "tie" cannot name a system (b)|a,b,winner\nA,tie,A\n
duplicate column|65|1: column a appears twice (header)|a,b,winner,a\nA,B,A,A\n
line counts quoted line breaks|65|4: "Q" is neither a, b nor tie (winner)|a,b,winner\n"A\nA",B,B\nA,B,Q\n
EOF

expect_exit 66 "missing file: 66" "$GS" rank --pairs "$T/nope.csv"
err_has "nope.csv" && ok "missing file named" || fail "missing file named" "$(cat "$T/err")"
expect_exit 64 "bad --bootstrap: 64" "$GS" rank --pairs tie.csv --bootstrap -3
expect_exit 64 "bad --seed: 64" "$GS" rank --pairs tie.csv --seed x
expect_exit 64 "unknown option: 64" "$GS" rank --pairs tie.csv --frob
printf 'a,b,winner\n' > empty.csv
"$GS" rank --pairs empty.csv --json > empty.json 2>"$T/err"
json_ok "no comparisons: empty systems, a note" empty.json 'd["comparisons"] == 0 and d["systems"] == [] and len(d["notes"]) >= 1'
mkdir -p "$T/wsx" && cd "$T/wsx"
expect_exit 66 "rank outside a workspace: 66" "$GS" rank
