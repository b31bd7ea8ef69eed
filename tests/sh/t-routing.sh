# t-routing.sh: `label --overlap 2` routes the work: Alice's 18 labels
# (import-labels), then Bob on the label screen (tmux) gets exactly Alice's
# 18 items first and a fresh one as his 19th; Carol, a third rater, starts
# on the one item that has a single rater; `stats` shows each rater's share
# and the items double-labeled.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
ws
cd "$T/ws"
cat > rubrics/rt.json <<'J'
{"name":"rt","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","question":"Is it ok?","labels":["no","yes"]}]}
J
: > "$T/items.jsonl"
for i in $(seq -w 1 30); do printf '{"id":"r-%s","input":"q%s","output":"a%s"}\n' "$i" "$i" "$i" >> "$T/items.jsonl"; done
"$GS" import "$T/items.jsonl" --set rt >/dev/null 2>&1 || { echo "Bail out! import"; exit 1; }
# Alice: r-01 .. r-18 (a judge on all 30: it does not count towards K)
: > "$T/alice.jsonl"; : > "$T/judge.jsonl"
for i in $(seq -w 1 30); do
  [ "$i" -le 18 ] && printf '{"id":"r-%s","rubric":"rt","labels":{"ok":"yes"}}\n' "$i" >> "$T/alice.jsonl"
  printf '{"id":"r-%s","rubric":"rt","labels":{"ok":"no"}}\n' "$i" >> "$T/judge.jsonl"
done
"$GS" import-labels "$T/alice.jsonl" --as alice >/dev/null 2>&1 || fail "import-labels as alice"
"$GS" import-labels "$T/judge.jsonl" --as judge:j >/dev/null 2>&1 || fail "import-labels as judge:j"

start() { # NAME RATER
  tm_start "$1" 100 30 "cd '$T/ws' && exec $GS label --rubric rt --as $2 --overlap 2 2>>'$T/err-$1.log'"
}
cur_id() { tm_screen "$1" | sed -n 2p | awk '{print $1}'; }
# label N items on session S as shown (2 = yes, Enter saves); ids to $T/seen-S
label_n() {
  s=$1 n=$2; : > "$T/seen-$s"
  for k in $(seq 1 "$n"); do
    tm_wait "$s" "r-" || { fail "item $k on $s's screen" "$(tm_screen "$s")"; return; }
    id=$(cur_id "$s"); echo "$id" >> "$T/seen-$s"
    tm_keys "$s" 2 Enter
    tm_wait "$s" "saved $id" || { fail "save $id on $s" "$(tm_screen "$s")"; return; }
  done
}

start b bob
label_n b 19
tm_keys b q
head -18 "$T/seen-b" | sort > "$T/bob18"
seq -w 1 18 | sed 's/^/r-/' > "$T/alice18"
if cmp -s "$T/bob18" "$T/alice18"; then ok "Bob's first 18 items are exactly Alice's 18"
else fail "Bob's first 18 items are exactly Alice's 18" "$(tr '\n' ' ' < "$T/seen-b")"; fi
if [ "$(head -18 "$T/seen-b" | tr '\n' ' ')" != "$(tr '\n' ' ' < "$T/alice18")" ]; then ok "in an order of Bob's own"
else fail "in an order of Bob's own" "Alice's file order"; fi
b19=$(sed -n 19p "$T/seen-b")
case "$b19" in r-19|r-2?|r-30) ok "Bob's 19th is a fresh item ($b19)" ;; *) fail "Bob's 19th is a fresh item" "$b19" ;; esac

# Carol: every item of Alice's has 2 raters now; Bob's 19th has one
start c carol
tm_wait c "r-" || fail "Carol's screen" "$(tm_screen c)"
c1=$(cur_id c)
[ "$c1" = "$b19" ] && ok "Carol starts on the item with one rater ($b19)" || fail "Carol starts on the item with one rater" "$c1, wanted $b19"
tm_keys c q

"$GS" stats > "$T/stats" 2>&1
# alice 18, bob 19 of 30 items; 18 items with both, 19 with at least one
grep -Eq "rt +alice +18 labels +60\.0% of 30" "$T/stats" && ok "stats: Alice's share (18 labels, 60.0%)" || fail "stats: Alice's share" "$(cat "$T/stats")"
grep -Eq "rt +bob +19 labels +63\.3% of 30" "$T/stats" && ok "stats: Bob's share (19 labels, 63.3%)" || fail "stats: Bob's share" "$(cat "$T/stats")"
grep -Eq "rt +18 items double-labeled \(2\+ raters\) of 19 labeled" "$T/stats" && ok "stats: 18 items double-labeled of 19" || fail "stats: double-labeled" "$(cat "$T/stats")"
"$GS" stats --json > "$T/stats.json" 2>&1
python3 -c 'import json,sys; o=json.load(open(sys.argv[1]))["overlap"]; sys.exit(o != [{"rubric":"rt","items_labeled":19,"double_labeled":18}])' "$T/stats.json" && ok "stats --json: overlap" || fail "stats --json: overlap" "$(cat "$T/stats.json")"

# a pairwise rubric: one rater's two comparisons on an item are one rater
printf '%s\n' '{"id":"pw-1","input":"q","outputs":[{"system":"x","text":"X"},{"system":"y","text":"Y"},{"system":"z","text":"Z"}]}' > "$T/pw.jsonl"
"$GS" import "$T/pw.jsonl" --set pw >/dev/null 2>&1 || fail "import pw"
printf '%s\n' '{"id":"pw-1","rubric":"pairwise-preference","left":"x","right":"y","labels":{"helpful":"x","harmless":"tie"}}' \
  '{"id":"pw-1","rubric":"pairwise-preference","left":"y","right":"z","labels":{"helpful":"y","harmless":"tie"}}' > "$T/pwl.jsonl"
"$GS" import-labels "$T/pwl.jsonl" --as alice >/dev/null 2>"$T/err" || fail "import-labels pairwise" "$(cat "$T/err")"
"$GS" stats > "$T/stats" 2>&1
grep -Eq "pairwise-preference +0 items double-labeled \(2\+ raters\) of 1 labeled" "$T/stats" \
  && ok "stats: two comparisons by one rater are not a double label" || fail "stats: pairwise double-labeled" "$(cat "$T/stats")"
