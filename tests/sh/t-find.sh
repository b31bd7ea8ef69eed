# t-find.sh: finding items on the label, pair and review screens, driven
# through tmux at 80x24 and 40x12: g with a full id, a unique start, an
# ambiguous start (Tab completes the shared part) and an unknown id; /
# searching id, input, output and meta, then . and / Enter going on to the
# next match and wrapping around; l listing the items with their state and
# the rater's values, the state filter (Tab), the meta filter (m, --filter's
# KEY=VALUE), Enter opening an item and Esc / q going back. Every screen is
# checked for raw control bytes (capture-pane) and for the words a person
# needs being whole. It also counts the keys that take the label screen
# from item 19 to item 3 of 20: g 3 Enter, 3 keys (n/p took 16).
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
ws
cd "$T/ws" || exit 1

cat > rubrics/tl.json <<'J'
{"name":"tl","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","question":"Is it ok?","labels":["no","yes"]},
 {"id":"s","type":"scale","min":1,"max":3,"question":"How good?"}]}
J
cat > rubrics/pw.json <<'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference","question":"Which is better?"}]}
J
# a-01 .. a-20: grp x then y; "Needle" in a-07's output, "needle" in a-15's
# meta, escape sequences and U+202E in a-09's input
for i in $(seq -w 1 20); do
  g=x; [ "$i" -gt 10 ] && g=y
  out="answer $i"; [ "$i" = 07 ] && out="answer $i with a Needle"
  inp="question $i"; [ "$i" = 09 ] && inp='title \u001b]0;pwned\u0007 \u202e evil \u001b[31mRED'
  extra=""; [ "$i" = 15 ] && extra=',"why":"a needle in meta"'
  printf '{"id":"a-%s","input":"%s","output":"%s","meta":{"grp":"%s"%s}}\n' "$i" "$inp" "$out" "$g" "$extra"
done > "$T/s.jsonl"
for i in $(seq 1 20); do printf '{"id":%d,"input":"q %d","output":"o %d"}\n' "$i" "$i" "$i"; done > "$T/num.jsonl"
for i in 1 2 3 4; do
  three=""; [ $i = 4 ] && three=',{"system":"sz","text":"Zed"}'
  printf '{"id":"p0%d","input":"duel %d","outputs":[{"system":"sx","text":"Ex %d"},{"system":"sy","text":"Why %d"}%s]}\n' \
    $i $i $i $i "$three"
done > "$T/duel.jsonl"
for s in s num duel; do "$GS" import "$T/$s.jsonl" --set $s >/dev/null 2>&1 || { echo "Bail out! import $s"; exit 1; }; done

# start NAME W H CMD...: a screen in tmux; its exit code is printed as EXIT=N
start() {
  n=$1 w=$2 h=$3; shift 3
  tm_start "$n" "$w" "$h" "cd '$PWD' && $GS $* 2>>'$T/err-$n.log'; echo EXIT=\$?; sleep 30"
}
S=
expect() { # NAME CONDITION-COMMAND... (a failure prints the screen of session $S)
  n=$1; shift
  if "$@"; then ok "$n"; else fail "$n" "$(tm_screen "$S" 2>/dev/null | head -30)"; fi
}
shows() { tm_screen "$S" | grep -qF -- "$1"; }
waits() { tm_wait "$S" "$1"; }
status() { tm_screen "$S" | tail -1; }
# no raw control byte (but the newlines) and no raw U+202E on the screen
clean() { ! tm_screen "$S" | tr -d '\n' | LC_ALL=C grep -q '[[:cntrl:]]' && ! tm_screen "$S" | grep -q "$(printf '\342\200\256')"; }
# the widest line of the screen (in characters) fits its width
fits() { tm_screen "$S" | python3 -c "import sys; sys.exit(max(len(l) for l in sys.stdin.read().split('\n')) > $1)"; }
# the list row of an id ("* ID STATE MARKS VALUES"; * the item shown) matches
# the extended regular expression $2
row() { tm_screen "$S" | grep -E "^[* ] $1 " | head -1; }
row_has() { row "$1" | grep -qE -- "$2"; }

# ---- the label screen, 80x24 ----
S=la
start la 80 24 label --rubric tl --set s --order file --as ann
expect "label screen up" waits "item 1/20"
tm_keys la g; expect "g opens the id prompt" waits "Go to id (Tab completes"
tm_keys la a-12 Enter
expect "g with a full id goes to it" waits "went to a-12"
expect "  the title says item 12/20" shows "item 12/20"
tm_keys la g a-2 Enter
expect "g with a unique start goes to the one id (a-20)" waits "went to a-20"
tm_keys la g a-1 Enter
expect "g with an ambiguous start says how many match" waits "10 ids start with a-1: type more"
expect "  and stays" shows "item 20/20"
tm_keys la g a-1 Tab
expect "Tab on an ambiguous start says how many" waits "10 ids"
tm_keys la 9 Enter
expect "  then a digit more and Enter goes there" waits "went to a-19"
tm_keys la g a-0 Tab; waits "9 ids" >/dev/null
tm_keys la C-u a-2 Tab
expect "Tab on a unique start completes the id" waits "Go to id (Tab completes, Esc cancels): a-20"
tm_keys la Escape; sleep 0.2
tm_keys la g zz Enter
expect "g with an unknown id says so" waits "no item zz in this queue"
expect "  and stays" shows "item 19/20"
expect "  no raw control on the screen" clean

tm_keys la / needle Enter
expect "/ finds the first match after the item shown, wrapping" waits "match 1/2: a-07 (from the top)"
tm_keys la .
expect ". goes on to the next match (meta)" waits "match 2/2: a-15"
tm_keys la / Enter
expect "/ Enter on nothing goes on too, wrapping around" waits "match 1/2: a-07 (from the top)"
tm_keys la / "NEEDLE IN" Enter
expect "the search is case-insensitive and reads meta" waits "match 1/1: a-15"
tm_keys la / pwned Enter
expect "the search reads the input (a-09)" waits "match 1/1: a-09"
expect "  whose escape sequences are shown escaped" shows "^["
expect "  and U+202E too" shows "<U+202E>"
expect "  no raw control on the screen" clean
tm_keys la / nowhere Enter
expect "a search with no match says so" waits "no item holds \"nowhere\""

# a-03 labeled (no, 2), a-04 skipped, a-05 flagged and commented
tm_keys la g a-03 Enter 1 2; waits "all answered" >/dev/null; tm_keys la Enter; waits "saved a-03" >/dev/null
tm_keys la g a-04 Enter s; waits "Skip this item" >/dev/null; tm_keys la Enter; waits "skipped a-04" >/dev/null
tm_keys la g a-05 Enter f; waits "flagged a-05" >/dev/null
tm_keys la c; waits "Comment" >/dev/null; tm_keys la "unclear" Enter; waits "comment saved" >/dev/null
tm_keys la l
expect "l lists the items" waits "goldset label: items  all"
expect "  20 of 20" shows "20 of 20"
expect "  a-03 labeled with the rater's values" row_has a-03 "^  a-03 +labeled +no 2$"
expect "  a-04 skipped" row_has a-04 "skipped"
expect "  a-05 flagged, commented, the item shown" row_has a-05 "^\* a-05 +unlabeled +flagged commented +-$"
expect "  a-06 unlabeled" row_has a-06 "unlabeled"
expect "  no raw control on the screen" clean
tm_keys la Tab
expect "Tab shows only the unlabeled items" waits "18 of 20"
expect "  (a-03 left out)" sh -c "! tmux -L $TM_SOCK capture-pane -p -t la | grep -q ' a-03 '"
tm_keys la Tab
expect "Tab again: the labeled ones" waits "1 of 20"
tm_keys la Tab Tab Tab Tab Tab
expect "round the filters back to all" waits "20 of 20"
tm_keys la m; waits "Meta KEY=VALUE" >/dev/null
tm_keys la grp=y Enter
expect "m filters by meta (grp=y)" waits "10 of 20"
expect "  the title says so" shows "all  grp=y"
tm_keys la Tab
expect "  with the state filter" waits "unlabeled  grp=y"
expect "  10 unlabeled of grp=y" shows "10 of 20"
tm_keys la m C-u grp Enter
expect "a meta filter without = is refused in one line" waits "the meta filter takes KEY=VALUE"
tm_keys la m C-u Enter
expect "an empty meta filter shows every item again" waits "18 of 20"
tm_keys la Home Down Down Down Down Enter   # a-01 a-02 a-05 a-06 a-07
expect "Enter opens the selected item" waits "went to a-07"
tm_keys la l; waits "goldset label: items" >/dev/null
tm_keys la Escape
expect "Esc goes back to the item shown" waits "item 7/20"
tm_keys la l; waits "goldset label: items" >/dev/null
tm_keys la q
expect "q goes back too" waits "item 7/20"
tm_alive la && ok "  and the screen is still open" || fail "  and the screen is still open"
tm_keys la '?'
expect "? lists g / . l" waits "go to an id (Tab completes), search, next match, list"
tm_keys la x q
expect "label quits" waits "EXIT=0"
tm kill-session -t la

# ---- 40x12 ----
S=ln
start ln 40 12 label --rubric tl --set s --order file --as ann
expect "40x12: label up" waits "? keys"
tm_keys ln g a-16 Enter
expect "40x12: g goes to a full id" waits "went to a-16"
tm_keys ln g a-1 Enter
expect "40x12: an ambiguous start, said whole" waits "10 ids start with a-1: type more"
tm_keys ln g a-1 Tab
expect "40x12: the prompt fits and counts" waits "Go to id: a-1"
expect "40x12:   with the count" shows "10 ids"
tm_keys ln Escape; sleep 0.2
tm_keys ln g qq Enter
expect "40x12: an unknown id, said whole" waits "no item qq in this queue"
tm_keys ln / needle Enter
expect "40x12: / finds, said whole" waits "match 1/2: a-07"
tm_keys ln .
expect "40x12: . the next" waits "match 2/2: a-15"
tm_keys ln l
expect "40x12: the list" waits "all"
tm_keys ln Home
expect "40x12:   its count" shows "20 of 20"
expect "40x12:   a-03's state and values whole" row_has a-03 "^  a-03 +labeled +no 2$"
expect "40x12:   marks as letters (a-05: F C)" row_has a-05 "unlabeled FC"
expect "40x12:   fits the width" fits 40
expect "40x12:   no raw control" clean
tm_keys ln End
expect "40x12: the list scrolls (End: a-20)" waits "a-20"
tm_keys ln Home
expect "40x12:   Home: a-01" waits "a-01"
tm_keys ln Tab; waits "18 of 20" >/dev/null
tm_keys ln m
expect "40x12: the meta prompt fits" waits "Meta K=V:"
tm_keys ln grp=x Enter
expect "40x12: meta filter (unlabeled: a-01 a-02 a-05 .. a-10)" waits "8 of 20"
tm_keys ln '?'
expect "40x12: the list's keys fit" waits "flag/comment/dispute"
expect "40x12:   whole" shows "filter by meta K=V"
tm_keys ln x Enter
expect "40x12: Enter opens" waits "went to a-01"
expect "40x12: fits the width" fits 40
tm_keys ln q; waits "EXIT=0" >/dev/null
tm kill-session -t ln

# ---- keys from item 19 to item 3 of 20 ----
S=k
start k 80 24 label --rubric tl --set num --order file --as kim
waits "item 1/20" >/dev/null
tm_keys k g 19 Enter; waits "item 19/20" >/dev/null
keys="g 3 Enter"
tm_keys k $keys
expect "from item 19 to item 3 of 20 with g 3 Enter: $(echo $keys | wc -w) keys (p: 16)" waits "item 3/20"
tm_keys k g 19 Enter; waits "item 19/20" >/dev/null
i=0; while [ $i -lt 16 ]; do tm_keys k p; i=$((i+1)); done
expect "  the same with p takes 16 keys" waits "item 3/20"
tm_keys k q; waits "EXIT=0" >/dev/null
tm kill-session -t k

# ---- the pair screen ----
S=pa
start pa 80 24 pair --rubric pw --set duel --as ann
expect "pair screen up" waits "goldset pair"
tm_keys pa g p0 Enter
expect "pair: an ambiguous start" waits "4 ids start with p0: type more"
tm_keys pa g p04 Enter
expect "pair: g goes to an id" waits "went to p04"
tm_keys pa a Enter; waits "saved p04" >/dev/null
tm_keys pa g p0 Tab
expect "pair: Tab counts" waits "4 ids"
tm_keys pa 2 Enter
expect "pair: then Enter" waits "went to p02"
tm_keys pa t Enter; waits "saved p02" >/dev/null
tm_keys pa / "duel 1" Enter
expect "pair: / searches the input" waits "match 1/1: p01"
tm_keys pa / "why 3" Enter
expect "pair: / searches the outputs" waits "match 1/1: p03"
tm_keys pa l
expect "pair: the list" waits "goldset pair: items"
expect "pair:   p04 partly compared, its values per comparison, A the first" row_has p04 "partly +A - -$"
expect "pair:   p02 labeled: tie" row_has p02 " labeled +tie$"
expect "pair:   p01 unlabeled" row_has p01 " unlabeled +-$"
expect "pair:   no system name" sh -c "! tmux -L $TM_SOCK capture-pane -p -t pa | grep -q 'sx\|sy\|sz'"
tm_keys pa Tab Tab Tab
expect "pair: the partly filter" waits "partly"
expect "pair:   1 of 4" shows "1 of 4"
tm_keys pa Enter
expect "pair: Enter opens" waits "went to p04"
tm_keys pa '?'
expect "pair: ? lists g / . l" waits "go to an id (Tab completes), search, next match, list"
expect "pair:   and every key up to q, at 80x24" shows "quit (every save is already on disk)"
tm_keys pa x q; waits "EXIT=" >/dev/null
tm kill-session -t pa

# ---- the review screen: a workspace where nothing is flagged ----
ws "$T/rw"
cd "$T/rw" || exit 1
cp "$T/ws/rubrics/tl.json" rubrics/
"$GS" import "$T/s.jsonl" --set s >/dev/null 2>&1 || fail "import into the review workspace"
for r in ann ben; do
  for i in 01 02 03; do
    v=yes; [ $r = ben ] && [ $i = 02 ] && v=no
    printf '{"id":"a-%s","rubric":"tl","labels":{"ok":"%s","s":2}}\n' $i $v
  done > "$T/$r.jsonl"
  "$GS" import-labels "$T/$r.jsonl" --as $r >/dev/null 2>&1 || fail "import-labels $r"
done
"$GS" review --list --from disagreements --rubric tl > "$T/dis"
[ "$(cat "$T/dis")" = a-02 ] && ok "review: a-02 is the disagreement" || fail "review: the disagreement" "$(cat "$T/dis")"
"$GS" review --list -n 3 --rubric tl > "$T/rl"
last=$(sed -n 3p "$T/rl")
S=rv
start rv 80 24 review -n 3 --rubric tl
expect "review screen up" waits "item 1/3"
tm_keys rv g "$last" Enter
expect "review: g goes to an id" waits "went to $last"
expect "review:   item 3/3" shows "item 3/3"
tm_keys rv g zz Enter
expect "review: an unknown id" waits "no item zz in this review"
tm_keys rv / "question 02" Enter
expect "review: / finds a-02" waits "match 1/1: a-02"
tm_keys rv l
expect "review: the list" waits "goldset review: items"
expect "review:   a-02 unreviewed, disputed" row_has a-02 " unreviewed +disputed"
tm_keys rv Escape
expect "review: Esc goes back" waits "goldset review  tl"
tm_keys rv Enter; waits "reviewed 1 of 3" >/dev/null
tm_keys rv l; waits "goldset review: items" >/dev/null
expect "review: a-02 reviewed in the list" row_has a-02 " a-02 +reviewed +disputed"
tm_keys rv Tab Tab Tab Tab Tab
expect "review: the disputed filter" waits "disputed"
expect "review:   1 of 3" shows "1 of 3"
tm_keys rv q q
expect "review ends" waits "EXIT="
tm kill-session -t rv
exit 0
