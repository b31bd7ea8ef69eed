# t-pair.sh: the pairwise screen and `goldset rank` on the workspace's
# labels, driven through tmux. The blindness test: a rater who always
# prefers the same system over 14 comparisons, reading which side it is on
# from the text alone: the sides vary, no system name ever reaches the
# screen, that system wins every comparison in `rank --json`, and the
# left-win rate is what the screen showed. Then: undo, n/p back to saved
# answers, SIGKILL after a save, escape sequences in outputs, --both-orders
# and its flip rate, resizing down to 20x6, rank's JSON fields, --by slices,
# --criterion, and the position-bias warning.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "ok - # SKIP python3 not installed"; exit 0; }
ws
cd "$T/ws"
DB="$T/ws/.goldset/goldset.db"
q() { sqlite3 "$DB" "$1"; }

cat > rubrics/pw.json <<'J'
{"name":"pw","version":1,"mode":"pairwise","instructions":"Pick the better reply.","criteria":[
 {"id":"better","type":"preference","question":"Which reply is better?"}]}
J
# duel: two systems; sysalpha's outputs say KITE, sysbeta's say ROCK
: > "$T/duel.jsonl"
for i in $(seq -w 1 14); do
  g=g1; [ "$i" -gt 07 ] && g=g2
  printf '{"id":"d-%s","input":"question %s","outputs":[{"system":"sysalpha","text":"KITE reply %s"},{"system":"sysbeta","text":"ROCK reply %s"}],"meta":{"grp":"%s"}}\n' \
    "$i" "$i" "$i" "$i" "$g" >> "$T/duel.jsonl"
done
# tri: three systems, every pair (3 comparisons an item)
printf '%s\n' \
  '{"id":"t-1","input":"tri one","outputs":[{"system":"s1","text":"ONE first"},{"system":"s2","text":"TWO first"},{"system":"s3","text":"THREE first"}]}' \
  '{"id":"t-2","input":"tri two","outputs":[{"system":"s1","text":"ONE second"},{"system":"s2","text":"TWO second"},{"system":"s3","text":"THREE second"}]}' \
  > "$T/tri.jsonl"
# bo: for --both-orders
: > "$T/bo.jsonl"
for i in 1 2 3; do
  printf '{"id":"b-%s","input":"both %s","outputs":[{"system":"sx","text":"SUN %s"},{"system":"sy","text":"MOON %s"}]}\n' \
    "$i" "$i" "$i" "$i" >> "$T/bo.jsonl"
done
cat > "$T/esc.jsonl" <<'J'
{"id":"e-1","input":"title \u001b]0;pwned\u0007 end","outputs":[{"system":"ea","text":"CSI \u001b[31mRED\u001b[0m BEL \u0007 end"},{"system":"eb","text":"plain \u202e reversed"}]}
J
# five: five systems, a balanced design of --pairs-per-item pairs an item
: > "$T/five.jsonl"
for i in 1 2; do
  printf '{"id":"f-%s","input":"five %s","outputs":[{"system":"m1","text":"a"},{"system":"m2","text":"b"},{"system":"m3","text":"c"},{"system":"m4","text":"d"},{"system":"m5","text":"e"}]}\n' "$i" "$i" >> "$T/five.jsonl"
done
for s in duel tri bo esc five; do "$GS" import "$T/$s.jsonl" --set $s >/dev/null 2>&1 || { echo "Bail out! import $s"; exit 1; }; done

start() { # NAME W H ARGS: the screen in tmux; stderr to $T/err-NAME.log
  n=$1 w=$2 h=$3; shift 3
  tm_start "$n" "$w" "$h" "cd '$T/ws' && $GS pair $* 2>>'$T/err-$n.log'; echo \"exit=\$?\"; sleep 30"
}
cur_id() { tm_screen "$1" | sed -n 2p | awk '{print $1}'; }
expect() { # NAME CONDITION-COMMAND... (a failure prints the screen of session $S)
  n=$1; shift
  if "$@"; then ok "$n"; else fail "$n" "$(tm_screen "$S" 2>/dev/null | head -40)"; fi
}
has_all() { # TEXT...: the screen of $S shows every one
  sc=$(tm_screen "$S")
  for t; do printf '%s\n' "$sc" | grep -qF -- "$t" || return 1; done
}
leaked=0
watch_names() { # any system name on screen is a failure (checked at every step)
  if tm_screen "$S" | grep -qiE 'sysalpha|sysbeta|"s[123]"|\bsx\b|\bsy\b'; then leaked=1; tm_screen "$S" > "$T/leak.txt"; fi
}
json() { python3 -c "import json,sys; d=json.load(open('$T/rank.json')); $1"; }

# ---- refusals ----
expect_exit 69 "pair refuses without a terminal" "$GS" pair --rubric pw
[ "$(wc -l < "$T/err")" -eq 1 ] && ok "one line without a terminal" || fail "one line without a terminal" "$(cat "$T/err")"
expect_exit 64 "--pairs-per-item 0 is a usage error" "$GS" pair --pairs-per-item 0
expect_exit 64 "rank --pairs with --by is a usage error" "$GS" rank --pairs x.csv --by grp

# ---- the blindness test: always the same system ----
S=d
start d 130 35 --rubric pw --set duel --as tess
expect "the first comparison is shown" tm_wait d "pair 1 of 1 on this item"
lefts=0 n=0
while [ $n -lt 14 ]; do
  watch_names
  id=$(cur_id d)
  col=$(tm_screen d | awk '/KITE/ {print index($0, "KITE"); exit}')
  [ -n "$col" ] || { fail "KITE is on screen ($id)" "$(tm_screen d)"; break; }
  if [ "$col" -lt 40 ]; then tm_keys d a; lefts=$((lefts + 1)); else tm_keys d b; fi
  watch_names
  tm_keys d Enter
  tm_wait d "saved $id" || { fail "comparison $n saved" "$(tm_screen d)"; break; }
  n=$((n + 1))
done
watch_names
expect "14 comparisons, then nothing left" tm_wait d "Nothing left to compare"
expect "no system name ever on screen" [ $leaked = 0 ]
[ $leaked = 0 ] || cat "$T/leak.txt" | sed 's/^/#   /'
expect "the sides vary (both systems shown left)" \
  [ "$(q "SELECT count(DISTINCT left_sys) FROM shown WHERE rater='tess' AND rubric='pw'")" = 2 ]
expect "one shown row per comparison" [ "$(q "SELECT count(*) FROM shown WHERE rater='tess' AND rubric='pw'")" = 14 ]
expect "what the screen showed left is what was recorded" \
  [ "$(q "SELECT count(*) FROM shown WHERE rater='tess' AND rubric='pw' AND left_sys='sysalpha'")" = $lefts ]
expect "labels record left, right, sides and the winner" \
  [ "$(q "SELECT count(*) FROM labels WHERE rater='tess' AND rubric='pw' AND vals='{\"better\":\"sysalpha\"}'
          AND sides = CASE left_sys WHEN 'sysalpha' THEN '{\"better\":\"A\"}' ELSE '{\"better\":\"B\"}' END
          AND pair_key='[\"sysalpha\",\"sysbeta\"]' AND seconds >= 0")" = 14 ]
"$GS" export --rubric pw --rater tess > "$T/exp.jsonl" 2>&1
grep -c '"left":"sysalpha","right":"sysbeta"' "$T/exp.jsonl" | grep -qx "$lefts" \
  && ok "export writes left and right as shown" || fail "export writes left and right as shown" "$(head -3 "$T/exp.jsonl")"
"$GS" rank --rubric pw --json --bootstrap 50 > "$T/rank.json" 2>"$T/rank.err"
expect "rank --json runs" [ -s "$T/rank.json" ]
expect "the chosen system wins every comparison" \
  json "s={x['name']:x for x in d['systems']}; assert s['sysalpha']['wins']==14 and s['sysalpha']['losses']==0 and s['sysbeta']['wins']==0"
expect "the left-win rate is what was shown" json "assert abs(d['left_win_rate'] - $lefts/14) < 1e-9"
expect "rank says why there is no finite score" json "assert any('sysalpha never lost' in x for x in d['notes'])"
expect "rank names the criterion and rubric" json "assert d['criterion']=='better' and d['rubric']=='pw' and d['comparisons']==14"
expect "rank gives the left-win rate per rater" \
  json "r=d['left_win_by_rater']; assert len(r)==1 and r[0]['rater']=='tess' and r[0]['decided']==14 and r[0]['left_won']==$lefts"
tm_keys d q
expect "the summary counts the saves" tm_wait d "14 labels saved (pw v1, rater tess)"

# ---- undo, n/p back to saved answers, SIGKILL ----
S=u
start u 100 30 --rubric pairwise-preference --set tri --as uma
tm_wait u "pair 1 of 3"
id=$(cur_id u)
tm_keys u a b Enter
expect "a save moves to the item's next pair" tm_wait u "pair 2 of 3"
tm_keys u p
expect "p goes back to the saved comparison" tm_wait u "pair 1 of 3"
expect "its answers are shown" has_all "helpful  A" "harmless  B" " saved"
tm_keys u n
tm_wait u "pair 2 of 3"
tm_keys u t t Enter
tm_wait u "pair 3 of 3"
tm_keys u u
expect "u undoes the last save" tm_wait u "undone"
expect "the undone comparison is back with its answers unsaved" has_all "pair 2 of 3" "unsaved" "helpful  tie"
expect "undo appends a withdrawing row" \
  [ "$(q "SELECT count(*) FROM labels WHERE rater='uma' AND source='undo' AND vals IS NULL")" = 1 ]
expect "the undone label is not current" [ "$("$GS" export --rubric pairwise-preference --rater uma | wc -l)" = 1 ]
tm_keys u Enter
tm_wait u "pair 3 of 3"
pid=$(tm display -p -t u '#{pane_pid}')
gpid=$(pgrep -P "$pid" -f "pair --rubric" | head -1)
tm_keys u 3 1 Enter
tm_wait u "pair 1 of 3"   # the next item: the save is on disk
[ -n "$gpid" ] && kill -9 "$gpid"
sleep 0.3
expect "a save shown before SIGKILL is kept" [ "$("$GS" export --rubric pairwise-preference --rater uma | wc -l)" = 3 ]
expect "integrity_check ok after SIGKILL" [ "$(q 'PRAGMA integrity_check')" = ok ]
"$GS" export --rubric pairwise-preference --rater uma > "$T/exp.jsonl"
grep -qE '"labels":\{"helpful":"tie","harmless":"s[123]"\}' "$T/exp.jsonl" && grep -qF '"labels":{"helpful":"tie","harmless":"tie"}' "$T/exp.jsonl" \
  && ok "ties and winners are stored canonically" || fail "canonical winners" "$(cat "$T/exp.jsonl")"

# ---- escape sequences in outputs ----
S=e
start e 130 35 --rubric pw --set esc --as eve
tm_wait e "e-1"
sc=$(tm_screen e)
for form in '^[]0;pwned^G' '^[[31mRED^[[0m' 'BEL ^G' '<U+202E>'; do
  printf '%s\n' "$sc" | grep -qF -- "$form" && ok "shown escaped: $form" || fail "shown escaped: $form" "$sc"
done
tm capture-pane -p -e -t e -S 2 -E 8 | grep -qF "$(printf '\033[31m')" && fail "output text sets no colour" || ok "output text sets no colour"
tm_keys e d
expect "d highlights the differences" tm_wait e "words the other lacks"

# ---- resizing ----
for sz in "20 6" "10 3" "40 12" "100 30"; do
  set -- $sz
  tm resize-window -t e -x $1 -y $2
  sleep 0.2
  tm_keys e j
done
expect "resizing down to 10x3 and back redraws" tm_wait e "if A is better"
expect "the screen survived resizing" tm_alive e
tm_keys e q
tm_wait e "exit="
S=r
start r 20 6 --rubric pw --set esc --as rob
expect "a 20x6 window shows the count" tm_wait r "0/1"
tm_keys r a Enter
expect "a 20x6 window still compares" tm_wait r "saved e-1"
expect "and saves" [ "$(q "SELECT count(*) FROM labels WHERE rater='rob'")" = 1 ]
tm_keys r q

# ---- --both-orders ----
S=b
start b 130 35 --rubric pw --set bo --as bea --both-orders
tm_wait b "pair 1 of 1"
k=0
while [ $k -lt 6 ]; do
  watch_names
  id=$(cur_id b)
  tm_keys b a Enter
  tm_wait b "saved $id" || { fail "both orders: save $k" "$(tm_screen b)"; break; }
  k=$((k + 1))
done
expect "both orders: six showings, then nothing left" tm_wait b "Nothing left to compare"
expect "the second showing swaps the sides" \
  [ "$(q "SELECT count(*) FROM shown a JOIN shown b ON a.ext_id=b.ext_id AND a.rater=b.rater AND a.pass=0 AND b.pass=1
          WHERE a.rater='bea' AND a.left_sys=b.right_sys AND a.right_sys=b.left_sys")" = 3 ]
tm_keys b q
expect "the summary reports the flip rate" tm_wait b "the better choice changed in 3 (100.0%)"
"$GS" rank --rubric pw --json --bootstrap 0 > "$T/rank.json" 2>>"$T/rank.err"
expect "rank reports how often the choice changed" \
  json "b=d['both_orders']; assert b['comparisons']==3 and b['changed']==3 and b['change_rate']==1.0 and b['by_rater'][0]['rater']=='bea'"
"$GS" rank --rubric pw > "$T/rank.txt" 2>>"$T/rank.err"
grep -q "the choice changed in 3 (100.0%)" "$T/rank.txt" && ok "rank text reports the flip rate" || fail "rank text flip rate" "$(cat "$T/rank.txt")"

# ---- rank: --by, --criterion, position bias ----
: > "$T/lefty.jsonl"
for i in $(seq -w 1 14); do
  if [ $((1$i % 2)) = 1 ]; then l=sysalpha r=sysbeta; else l=sysbeta r=sysalpha; fi
  printf '{"id":"d-%s","rubric":"pw","left":"%s","right":"%s","labels":{"better":"%s"}}\n' "$i" $l $r $l >> "$T/lefty.jsonl"
done
"$GS" import-labels "$T/lefty.jsonl" --as judge:lefty > /dev/null 2>&1 || fail "import a left-preferring judge" "$(cat "$T/lefty.jsonl" | head -2)"
"$GS" rank --rubric pw --json --bootstrap 0 > "$T/rank.json" 2>>"$T/rank.err"
expect "a rater who always picks left is warned about" \
  json "assert any('position bias of rater judge:lefty' in x for x in d['notes'])"
expect "per-rater left-win rates" \
  json "r={x['rater']:x for x in d['left_win_by_rater']}; assert r['judge:lefty']['left_win_rate']==1.0 and r['judge:lefty']['left_win_ci95'][0] > 0.5"
"$GS" rank --rubric pw --json --bootstrap 0 --by grp > "$T/rank.json" 2>>"$T/rank.err"
expect "--by gives one report per slice" \
  json "assert [x['slice'] for x in d]==['g1','g2',None] and [x['comparisons'] for x in d]==[14,14,4]"
expect "each slice has the report's fields" \
  json "assert all(set(['comparisons','systems','left_win_rate','notes','criterion']) <= set(x) for x in d)"
"$GS" rank --rubric pw --by grp > "$T/rank.txt" 2>>"$T/rank.err"
grep -q "slice grp = g2" "$T/rank.txt" && ok "--by text names each slice" || fail "--by text" "$(head -20 "$T/rank.txt")"
"$GS" rank --rubric pairwise-preference --criterion harmless --json --bootstrap 0 > "$T/rank.json" 2>>"$T/rank.err"
expect "--criterion picks the preference criterion" json "assert d['criterion']=='harmless' and d['comparisons']==3"
expect_exit 64 "--criterion must be a preference criterion" "$GS" rank --rubric pairwise-preference --criterion nope
"$GS" rank --rubric pairwise-preference --bootstrap 0 > "$T/rank.txt" 2>>"$T/rank.err"
grep -q "preference criterion helpful$" "$T/rank.txt" && grep -q "(--criterion picks another: harmless)" "$T/rank.txt" \
  && ok "rank text says which criterion" || fail "rank text says which criterion" "$(head -5 "$T/rank.txt")"

# ---- options: --pairs-per-item, --batch ----
S=f
start f 100 30 --rubric pw --set five --pairs-per-item 2 --as fay
expect "--pairs-per-item 2: two comparisons an item of five systems" tm_wait f "0/4"
expect "and the title counts them" tm_wait f "pair 1 of 2"
tm_keys f q
tm_wait f "exit="
q "INSERT INTO batches(name, rubric, raters, seed, round, created_at) VALUES('pcal', 'pw', 'ann,bob', 1, 1, 'now');
   INSERT INTO batch_items(batch, pos, ext_id) VALUES('pcal', 0, 'd-03'), ('pcal', 1, 'd-09');"
S=c
start c 100 30 --batch pcal --as carol
expect "a batch refuses other raters" tm_wait c "exit=77"
start c2 100 30 --batch pcal --as bob
S=c2
expect "a batch shows only its items" tm_wait c2 "0/2"
tm_keys c2 a Enter
tm_wait c2 "1/2"
expect "batch labels record the batch" [ "$(q "SELECT batch FROM labels WHERE rater='bob'")" = pcal ]
tm_keys c2 q
tm_wait c2 "exit="

# ---- sanitizers: every stderr is empty ----
for f in "$T"/err-[!c]*.log "$T"/err-c2.log "$T/rank.err"; do
  [ -e "$f" ] || continue
  if [ -s "$f" ]; then fail "nothing on stderr: $(basename "$f")" "$(head -40 "$f")"
  else ok "nothing on stderr: $(basename "$f")"; fi
done
