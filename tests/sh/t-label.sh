# t-label.sh: the labeling screen, driven through tmux: label,
# undo, go back and change a label, comment, flag, skip, quit and restart,
# checked through `goldset export` and the store; SIGKILL right after saves;
# two raters at once; items full of escape sequences and invalid UTF-8;
# resizing down to 20x6; NO_COLOR; the options (order, filter, set,
# overlap, batch); trap questions in `goldset stats`.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
ws
cd "$T/ws"
DB="$T/ws/.goldset/goldset.db"
q() { sqlite3 -cmd ".timeout 5000" "$DB" "$1"; }   # waits out a closing screen's checkpoint

cat > rubrics/tl.json <<'J'
{"name":"tl","version":1,"mode":"single","instructions":"Rate the output.","criteria":[
 {"id":"ok","type":"binary","question":"Is it ok?","labels":["no","yes"]},
 {"id":"s","type":"scale","min":1,"max":3,"question":"How good?","anchors":{"1":"bad","2":"fair","3":"good"}},
 {"id":"chk","type":"checklist","question":"Which hold?","items":["a","b"]}]}
J
: > "$T/s1.jsonl"
for i in 1 2 3 4 5 6; do
  g=x; [ $i -gt 3 ] && g=y
  printf '{"id":"it-%d","input":[{"role":"user","content":"question %d"}],"output":"answer %d","reference":"ref %d","meta":{"grp":"%s"},"gold":{"ok":"yes"}}\n' $i $i $i $i $g >> "$T/s1.jsonl"
done
: > "$T/big.jsonl"
for i in $(seq 1 25); do printf '{"id":"b-%02d","input":"q%d","output":"a%d"}\n' $i $i $i >> "$T/big.jsonl"; done
printf '%s\n' '{"id":"ov-1","input":"q","output":"a"}' '{"id":"ov-2","input":"q","output":"a"}' \
  '{"id":"ov-3","input":"q","output":"a"}' > "$T/ov.jsonl"
cat > "$T/esc.jsonl" <<'J'
{"id":"e-1","input":"title \u001b]0;pwned\u0007 end","output":"CSI \u001b[31mRED\u001b[0m C1 \u0085 BEL \u0007 BS \b CR \r end"}
{"id":"e-2","input":"bad bytes","output":"BADUTF here"}
J
for s in s1 big ov esc; do "$GS" import "$T/$s.jsonl" --set $s >/dev/null 2>&1 || { echo "Bail out! import $s"; exit 1; }; done
q "UPDATE items SET json = replace(json, 'BADUTF', CAST(X'C328FFE282' AS TEXT)) WHERE ext_id = 'e-2'"

# start NAME W H ARGS: the screen in a tmux session; stderr to $T/err-NAME.log
start() {
  n=$1 w=$2 h=$3; shift 3
  tm_start "$n" "$w" "$h" "cd '$T/ws' && exec $GS label $* 2>>'$T/err-$n.log'"
}
# the item id on the second row
cur_id() { tm_screen "$1" | sed -n 2p | awk '{print $1}'; }
tm_gone() { i=0; while tm_alive "$1" && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; ! tm_alive "$1"; }
expect() { # NAME CONDITION-COMMAND... (a failure prints the screen of session $S)
  n=$1; shift
  if "$@"; then ok "$n"; else fail "$n" "$(tm_screen "$S" 2>/dev/null | head -30)"; fi
}
exported() { "$GS" export --rubric tl --rater "$1" 2>&1; }
line_of() { exported "$1" | grep "\"id\":\"$2\""; }
shows() { tm_screen "$S" | grep -qF -- "$1"; }

# ---- refusals that need no terminal ----
expect_exit 69 "label refuses without a terminal" "$GS" label --rubric tl
[ "$(wc -l < "$T/err")" -eq 1 ] && ok "one line without a terminal" || fail "one line without a terminal" "$(cat "$T/err")"
expect_exit 64 "--overlap 0 is a usage error" "$GS" label --overlap 0
expect_exit 64 "--filter without = is a usage error" "$GS" label --filter grp
expect_exit 64 "--order must be file or shuffled" "$GS" label --order random

# ---- label, undo, back and change, comment, flag, skip, quit, restart ----
S=a
start a 100 30 --rubric tl --as ann --set s1
expect "first item and its position are shown" tm_wait a "item 1/6"
expect "the rubric's criteria are shown" shows "Is it ok?"
expect "a hidden reference is announced" shows "reference answer is hidden"
tm_keys a r
expect "r shows the reference" tm_wait a "REFERENCE"
tm_keys a r
id1=$(cur_id a)
tm_keys a 2 3 1 Enter   # ok yes, s 3, tick chk a; Enter leaves b unticked
expect "a save shows the next item" tm_wait a "saved $id1"
id2=$(cur_id a)
tm_keys a 1 1 1 1 Enter
tm_wait a "saved $id2"
id3=$(cur_id a)
tm_keys a 2 2 2 2 Enter
tm_wait a "saved $id3"
expect "three different items in a row" [ -n "$id1" -a "$id1" != "$id2" -a "$id2" != "$id3" ]
line_of ann "$id1" | grep -qF '"labels":{"ok":"yes","s":3,"chk":{"a":true,"b":false}}' \
  && ok "digits pick options (binary, scale), tick a checklist item, Enter leaves the rest unticked" || fail "digits pick options" "$(exported ann)"
tm_keys a u
expect "u undoes the last save and shows its item" tm_wait a "undone: $id3 is unlabeled again"
expect "the undone item is back on screen" [ "$(cur_id a)" = "$id3" ]
expect "the progress bar counts the undo" shows "] 2/6"
expect "an undone label is withdrawn" [ -z "$(line_of ann "$id3")" ]
expect "undo appends a row (history kept)" [ "$(q "SELECT count(*) FROM labels WHERE ext_id='$id3' AND rater='ann'")" = 2 ]
expect "the undo row withdraws (vals NULL, source undo)" \
  [ "$(q "SELECT count(*) FROM labels WHERE ext_id='$id3' AND source='undo' AND vals IS NULL")" = 1 ]
tm_keys a p
expect "p goes back to a labeled item" tm_wait a "$id2 saved"
expect "its saved values are shown" shows "ok  no"
tm_keys a 2 Enter
tm_wait a "saved $id2"
line_of ann "$id2" | grep -qF '"ok":"yes"' && ok "a changed label is saved" || fail "a changed label is saved" "$(exported ann)"
expect "both versions of the label are kept" [ "$(q "SELECT count(*) FROM labels WHERE ext_id='$id2' AND rater='ann'")" = 2 ]
expect "the next unlabeled item follows" [ "$(cur_id a)" = "$id3" ]
tm_keys a c
tm_wait a "Comment"
tm_keys a "needs context" Enter
expect "c saves a comment" tm_wait a "comment saved"
tm_keys a 1 2 1 2 Enter
tm_wait a "saved $id3"
line_of ann "$id3" | grep -qF '"note":"needs context"' && ok "the comment goes with the label" || fail "comment in export" "$(exported ann)"
id4=$(cur_id a)
tm_keys a f
expect "f flags the item" tm_wait a "flagged $id4"
tm_keys a s
tm_wait a "Skip this item"
tm_keys a "dup" Enter
expect "s skips with a reason" tm_wait a "skipped $id4"
expect "marks are in the store" [ "$(q "SELECT group_concat(kind || ':' || coalesce(text, ''), ' ') FROM marks WHERE rater='ann' ORDER BY id")" = "comment:needs context flag: skip:dup" ]
id5=$(cur_id a)
tm_keys a 1
tm_keys a q
expect "q with unsaved answers asks again" tm_wait a "q again quits"
tm_keys a q
expect "q quits" tm_gone a
start a 100 30 --rubric tl --as ann --set s1
tm_wait a "item"
expect "a restart continues where the rater left off" [ "$(cur_id a)" = "$id5" ]
tm_keys a 2 3 2 1 Enter
tm_wait a "saved $id5"
tm_keys a 2 3 2 1 Enter
expect "all done when every item is labeled or skipped" tm_wait a "Nothing left to label"
expect "the done screen counts the skipped item" tm_wait a "1 skipped"
expect "seconds on the item are stored" [ "$(q "SELECT count(*) FROM labels WHERE rater='ann' AND source='screen' AND seconds >= 0")" = 7 ]
tm_keys a q
tm_gone a
"$GS" stats --json | tr -d ' \t\n' > "$T/stats.json"
grep -qF '"rubric":"tl","rater":"ann","items":5,"answered":5,"correct":4' "$T/stats.json" \
  && ok "stats reports accuracy on trap items" || fail "stats traps" "$(cat "$T/stats.json")"
"$GS" stats | grep -q "traps" && ok "stats text lists traps" || fail "stats text lists traps"

# ---- SIGKILL right after saves loses nothing ----
S=k
start k 100 30 --rubric tl --as kim --set s1
tm_wait k "item 1/6"
pid=$(tm display -p -t k '#{pane_pid}')
for i in 1 2 3; do
  id=$(cur_id k)
  tm_keys k 2 3 2 1 Enter
  tm_wait k "saved $id" || fail "save $i shown"
done
kill -9 "$pid"
tm_gone k
expect "every save shown before SIGKILL is in the store" [ "$(exported kim | grep -c '"rater":"kim"')" = 3 ]
expect "integrity_check ok after SIGKILL" [ "$(q 'PRAGMA integrity_check')" = ok ]

# ---- two raters at once ----
S=x
start x 100 30 --rubric tl --as xavier --set big --order file
start y 100 30 --rubric tl --as yuki --set big
tm_wait x "item 1/25"; tm_wait y "item 1/25"
for i in $(seq 1 25); do tm_keys x 2 3 2 1 Enter; tm_keys y 1 1 1 1 Enter; done
expect "rater 1 finishes" tm_wait x "Nothing left to label"
S=y
expect "rater 2 finishes" tm_wait y "Nothing left to label"
for s in x y; do tm_screen $s; done | grep -qiE "locked|NOT saved|busy" && fail "no lock errors on screen" || ok "no lock errors on screen"
cat "$T/err-x.log" "$T/err-y.log" | grep -qi "locked" && fail "no lock errors logged" || ok "no lock errors logged"
expect "every label of both raters is there" [ "$(exported xavier | wc -l)" = 25 -a "$(exported yuki | wc -l)" = 25 ]
tm_keys x q; tm_keys y q; tm_gone x; tm_gone y

# ---- untrusted text: escapes shown, never sent ----
S=e
tm new-session -d -s ref -x 40 -y 5 "sleep 30"
title0=$(tm display -p -t ref '#{pane_title}')
start e 100 30 --rubric tl --as eve --set esc --order file
tm_wait e "e-1"
sc=$(tm_screen e)
for form in '^[]0;pwned^G' '^[[31mRED^[[0m' '<U+0085>' 'BEL ^G' 'BS ^H' 'CR ^M'; do
  printf '%s\n' "$sc" | grep -qF -- "$form" && ok "shown escaped: $form" || fail "shown escaped: $form" "$sc"
done
expect "the terminal title is untouched" [ "$(tm display -p -t e '#{pane_title}')" = "$title0" ]
tm capture-pane -p -e -t e -S 3 -E 8 | grep -qF "$(printf '\033[31m')" && fail "item text sets no colour" || ok "item text sets no colour"
tm_keys e ">"
tm_wait e "e-2"
tm_screen e | grep -qF "$(printf '\357\277\275')" && ok "invalid UTF-8 shows U+FFFD" || fail "invalid UTF-8 shows U+FFFD" "$(tm_screen e)"

# ---- a 1 MB output scrolls ----
awk 'BEGIN { p = ""; for (i = 0; i < 40; i++) p = p "lorem ipsum dolor sit amet "; printf "{\"id\":\"huge-1\",\"input\":\"sum up\",\"output\":\"";
  for (i = 0; i < 1000; i++) printf "%s\\n\\n", p; printf "THE END\"}\n" }' > "$T/huge.jsonl"
"$GS" import "$T/huge.jsonl" --set huge >/dev/null 2>&1
S=h
start h 100 30 --rubric tl --as hugo --set huge
tm_wait h "huge-1"
tm_keys h End
expect "End reaches the end of a 1 MB output" tm_wait h "THE END"
tm_keys h Home
expect "Home goes back to the top" tm_wait h "INPUT"
tm_keys h q; tm_gone h

# ---- resizing ----
tm resize-window -t e -x 20 -y 6
sleep 0.3
tm_keys e 2
tm resize-window -t e -x 10 -y 3
sleep 0.3
tm resize-window -t e -x 100 -y 30
expect "resizing down to 10x3 and back redraws" tm_wait e "How good?"
expect "the screen survived resizing" tm_alive e
tm_keys e q q; tm_gone e
S=r
start r 20 6 --rubric tl --as rob --set s1
expect "a 20x6 window shows the count" tm_wait r "/6"
rid=$(cur_id r)
tm_keys r 2 3 2 1 Enter
expect "a 20x6 window still labels" tm_wait r "saved $rid"
tm_keys r q; tm_gone r

# ---- colours ----
S=c
tm_start c 100 30 "cd '$T/ws' && NO_COLOR=1 exec $GS label --rubric tl --as cy --set s1 2>>'$T/err-c.log'"
tm_wait c "item"
tm capture-pane -p -e -t c | grep -qE "$(printf '\033')\\[([0-9]+;)*3[0-7]m" && fail "NO_COLOR: no colours" || ok "NO_COLOR: no colours"
tm_keys c q; tm_gone c
start c2 100 30 --rubric tl --as cy --set s1
tm_wait c2 "item"
tm capture-pane -p -e -t c2 | grep -qE "$(printf '\033')\\[([0-9]+;)*3[0-7]m" && ok "colours without NO_COLOR" || fail "colours without NO_COLOR"
tm_keys c2 q; tm_gone c2

# ---- options ----
S=o
start o 100 30 --rubric tl --as fay --set s1 --order file
tm_wait o "item 1/6"
expect "--order file starts with the file's first item" [ "$(cur_id o)" = it-1 ]
tm_keys o q; tm_gone o
start o 100 30 --rubric tl --as fay --filter grp=y --order file
tm_wait o "item 1/3"
expect "--filter KEY=VALUE keeps matching items" [ "$(cur_id o)" = it-4 ]
tm_keys o q; tm_gone o
start o 100 30 --rubric tl --as p1 --set ov --order file
tm_wait o "ov-1"
tm_keys o 2 3 2 1 Enter
tm_wait o "saved ov-1"
tm_keys o q; tm_gone o
start o 100 30 --rubric tl --as p2 --set ov --overlap 1 --order file
expect "--overlap 1 leaves out items that have a rater" tm_wait o "item 1/2"
expect "--overlap shows an unlabeled item" [ "$(cur_id o)" = ov-2 ]
tm_keys o q; tm_gone o
tm_start z 100 30 "cd '$T/ws'; $GS label --rubric tl --set nope 2>'$T/err-z'; echo \$? > '$T/rc-z'"
tm_gone z
expect "an empty queue exits 66" [ "$(cat "$T/rc-z")" = 66 ]
expect "and says so" grep -q "nothing to label" "$T/err-z"
q "INSERT INTO batches(name, rubric, raters, seed, round, created_at) VALUES('cal', 'tl', 'ann,bob', 1, 1, 'now');
   INSERT INTO batch_items(batch, pos, ext_id) VALUES('cal', 0, 'it-2'), ('cal', 1, 'it-5');"
tm_start z 100 30 "cd '$T/ws'; $GS label --batch cal --as carol 2>'$T/err-z'; echo \$? > '$T/rc-z'"
tm_gone z
expect "a batch refuses other raters" [ "$(cat "$T/rc-z")" = 77 ]
expect "and says why" grep -q "not one of the raters" "$T/err-z"
start o 100 30 --batch cal --as bob
expect "a batch shows its items" tm_wait o "item 1/2"
bid=$(cur_id o)
tm_keys o 2 3 2 1 Enter
tm_wait o "saved $bid"
expect "batch labels record the batch" [ "$(q "SELECT batch FROM labels WHERE rater='bob'")" = cal ]
tm_keys o q; tm_gone o

# ---- sanitizers ----
for f in "$T"/err-*.log; do
  if grep -qE "AddressSanitizer|LeakSanitizer|runtime error" "$f"; then fail "sanitizer clean: $(basename "$f")" "$(head -40 "$f")"
  else ok "sanitizer clean: $(basename "$f")"; fi
done
