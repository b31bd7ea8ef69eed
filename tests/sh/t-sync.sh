# t-sync.sh: team sync that never loses a label.  A bare remote and two
# or three clones play teammates: the same rater on two machines with
# clocks skewed by +-10 minutes, concurrent edits of one label file merged
# by `goldset pull` and by `git pull` through the merge driver (never a
# conflict marker), a newer uncommitted label surviving the pull of an older
# one, withdrawn labels travelling as tombstones, a pull whose files cannot
# be loaded followed by a commit (nothing deleted), a fresh clone
# reproducing the export byte for byte, and kill -9 at random moments of
# pull, commit, push and `git pull`, after which one pull + commit on each
# side gives the uninterrupted result, git fsck is clean and no label is
# lost or reverted.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
git config --global pull.rebase false
R=$T/remote.git
git init -q --bare "$R"
A=$T/a B=$T/b
ws "$A"
cd "$A" || exit 1
git remote add origin "$R"
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5}]}
J
i=1; : > "$T/items.jsonl"
while [ $i -le 40 ]; do printf '{"id":"q%02d","input":"question %d","output":"answer %d"}\n' $i $i $i >> "$T/items.jsonl"; i=$((i+1)); done
"$GS" import "$T/items.jsonl" --set s >/dev/null
check "first commit" "$GS" commit -m "items"
check "first push" "$GS" push
git clone -q "$R" "$B"
check "init in a clone" "$GS" -C "$B" init
# lab DIR RATER ID OK STARS [SKEW]: one label made now on that machine
lab() {
  printf '{"id":"%s","rubric":"qa","labels":{"ok":"%s","stars":%s}}\n' "$3" "$4" "$5" > "$T/one.jsonl"
  GOLDSET_CLOCK_SKEW=${6:-0} "$GS" -C "$1" import-labels "$T/one.jsonl" --as "$2" >/dev/null 2>"$T/err" \
    || fail "label $3 as $2 in $1" "$(cat "$T/err")"
}
val() { "$GS" -C "$1" export --rater "$2" | grep "\"id\":\"$3\"" | sed 's/.*"labels":\({[^}]*}\).*/\1/'; }
clean_status() { [ -z "$(git -C "$1" status --porcelain)" ]; }
same_exports() { "$GS" -C "$A" export > "$T/ea"; "$GS" -C "$B" export > "$T/eb"; cmp -s "$T/ea" "$T/eb"; }
no_markers() { ! grep -rq '^<<<<<<<\|^>>>>>>>' "$1/labels" 2>/dev/null; }

# ---- a newer uncommitted label survives the pull of an older one ----
lab "$B" alice q10 no 1
"$GS" -C "$B" commit -m "q10 on the server" >/dev/null; "$GS" -C "$B" push >/dev/null
sleep 0.01
lab "$A" alice q10 yes 5             # made after B's, not committed
lab "$A" alice q11 yes 3             # made before B's (below), not committed
sleep 0.01
lab "$B" alice q11 no 2
"$GS" -C "$B" commit -m "q11 on the server" >/dev/null; "$GS" -C "$B" push >/dev/null
expect_exit 0 "pull with uncommitted labels here" "$GS" -C "$A" pull
[ "$(val "$A" alice q10)" = '{"ok":"yes","stars":5}' ] && ok "a newer uncommitted label survives the pull of an older one" \
  || fail "newer local survives" "$(val "$A" alice q10)"
[ "$(val "$A" alice q11)" = '{"ok":"no","stars":2}' ] && ok "an older uncommitted label is replaced by the newer pulled one" \
  || fail "older local replaced" "$(val "$A" alice q11)"
grep -q "kept 1 newer label" "$T/out" && ok "pull says it kept the newer local label" || fail "pull says kept" "$(cat "$T/out")"
"$GS" -C "$A" stats > "$T/st"
grep -q "^1 label made here is not committed yet" "$T/st" && ok "stats says one label made here (the newer one) is not committed yet" \
  || fail "stats says so" "$(cat "$T/st")"
"$GS" -C "$A" commit -m "after pull" >/dev/null; "$GS" -C "$A" push >/dev/null; "$GS" -C "$B" pull >/dev/null 2>&1
[ "$(val "$B" alice q10)" = '{"ok":"yes","stars":5}' ] && ok "the other machine gets the newer label after commit and pull" \
  || fail "newer label travels" "$(val "$B" alice q10)"

# ---- git pull by hand: the merge driver, never conflict markers ----
grep -q 'labels/\*\* merge=goldset' "$B/.gitattributes" && git -C "$B" config merge.goldset.driver | grep -q merge-driver \
  && ok "init set up the merge driver (.gitattributes, .git/config)" || fail "merge driver set up" "$(cat "$B/.gitattributes")"
lab "$A" bob q12 yes 1; lab "$A" bob q13 yes 1
"$GS" -C "$A" commit -m "bob on A" >/dev/null; "$GS" -C "$A" push >/dev/null
sleep 0.01
lab "$B" bob q12 no 5; lab "$B" bob q14 no 5
"$GS" -C "$B" commit -m "bob on B" >/dev/null
git -C "$B" pull -q origin main > "$T/out" 2>&1 && ok "git pull by hand merges the label file" || fail "git pull by hand" "$(cat "$T/out")"
no_markers "$B" && ok "git pull: no conflict markers" || fail "git pull markers" "$(cat "$B/labels/qa/bob.jsonl")"
[ "$(grep -c . "$B/labels/qa/bob.jsonl")" = 3 ] && grep -q '"id":"q12".*"ok":"no"' "$B/labels/qa/bob.jsonl" \
  && ok "git pull: union of both sides, the newer line per key" || fail "git pull union" "$(cat "$B/labels/qa/bob.jsonl")"
"$GS" -C "$B" commit -m "after git pull" >/dev/null 2>&1
[ "$(val "$B" bob q13)" = '{"ok":"yes","stars":1}' ] && [ "$(val "$B" bob q12)" = '{"ok":"no","stars":5}' ] \
  && ok "commit after git pull loads what git merged" || fail "commit after git pull" "$("$GS" -C "$B" export --rater bob)"
"$GS" -C "$B" push >/dev/null; "$GS" -C "$A" pull >/dev/null 2>&1
same_exports && ok "converged after git pull by hand" || fail "converged after git pull" "$(diff "$T/ea" "$T/eb")"

# ---- merge-driver and lwwmerge: commutative, idempotent ----
printf '%s\n' '{"id":"x","rubric":"qa","rater":"r","labels":{"ok":"yes"},"at":"2026-01-01T00:00:01.000Z"}' \
  '{"id":"y","rubric":"qa","rater":"r","labels":{"ok":"no"},"at":"2026-01-01T00:00:05Z"}' > "$T/m1"
printf '%s\n' '{"id":"x","rubric":"qa","rater":"r","labels":null,"at":"2026-01-01T00:00:02.000Z"}' \
  '{"id":"y","rubric":"qa","rater":"r","labels":{"ok":"yes"},"at":"2026-01-01T00:00:04.999Z"}' \
  '{"id":"w","rubric":"qa","rater":"r","labels":{"ok":"yes"},"at":"2026-01-01T00:00:00Z"}' > "$T/m2"
cp "$T/m1" "$T/o1"; cp "$T/m2" "$T/o2"
"$GS" merge-driver /dev/null "$T/o1" "$T/m2" labels/qa/r.jsonl && "$GS" merge-driver /dev/null "$T/o2" "$T/m1" labels/qa/r.jsonl \
  && cmp -s "$T/o1" "$T/o2" && ok "merge-driver: A+B = B+A" || fail "commutative" "$(diff "$T/o1" "$T/o2")"
cp "$T/o1" "$T/o3"; "$GS" merge-driver /dev/null "$T/o3" "$T/o1" labels/qa/r.jsonl
cmp -s "$T/o1" "$T/o3" && ok "merge-driver: A+A = A" || fail "idempotent" "$(diff "$T/o1" "$T/o3")"
[ "$(sed -n 1p "$T/o1" | cut -c1-9)" = '{"id":"w"' ] && grep -q '"id":"x".*"labels":null' "$T/o1" \
  && grep -q '"id":"y".*"ok":"no"' "$T/o1" && ok "merge-driver: tombstone newer than the value wins; 05Z beats 04.999Z; key order" \
  || fail "merge result" "$(cat "$T/o1")"
printf 'not json\n' > "$T/bad"; cp "$T/m1" "$T/o4"
"$GS" merge-driver /dev/null "$T/o4" "$T/bad" labels/qa/r.jsonl 2> "$T/err"; rc=$?
[ $rc = 1 ] && cmp -s "$T/o4" "$T/m1" && grep -q 'labels/qa/r.jsonl:1:' "$T/err" \
  && ok "merge-driver: a broken version is refused with file and line, ours untouched" || fail "broken version" "rc=$rc $(cat "$T/err")"

# ---- withdrawn labels are tombstones that travel ----
cd "$A" || exit 1
tm_start w 100 30 "cd '$A' && LOGNAME=carol '$GS' label --rubric qa"
if tm_wait w "q"; then
  tm_keys w 2 3 Enter; sleep 0.4; tm_keys w 2 4 Enter; sleep 0.4
  tm_keys w u; sleep 0.4; tm_keys w q; sleep 0.4; tm_keys w y 2>/dev/null; sleep 0.3
fi
tm kill-session -t w 2>/dev/null
"$GS" -C "$A" commit -m "carol undid one" >/dev/null 2>&1
grep -q '"labels":null' "$A/labels/qa/carol.jsonl" 2>/dev/null && ok "an undone label is a tombstone line in the label file" \
  || fail "tombstone line" "$(cat "$A/labels/qa/carol.jsonl" 2>&1)"
"$GS" -C "$A" push >/dev/null; "$GS" -C "$B" pull >/dev/null 2>&1
[ "$("$GS" -C "$B" export --rater carol | grep -c .)" = "$("$GS" -C "$A" export --rater carol | grep -c .)" ] \
  && same_exports && ok "the other clone sees the label withdrawn" || fail "withdrawn travels" "$(diff "$T/ea" "$T/eb")"

# ---- a pull that cannot load what arrived, then commit: nothing deleted ----
cd "$B" || exit 1
printf '%s\n' '{"id":"q01","rubric":"qa","rater":"dave","labels":{"ok":"maybe"},"at":"2026-01-01T00:00:00Z"}' > labels/qa/dave.jsonl
git add labels/qa/dave.jsonl && git commit -qm "broken by hand" && git push -q origin main 2>/dev/null
cd "$A" || exit 1
expect_exit 65 "pull of a file that cannot be loaded fails" "$GS" pull
grep -q "labels/qa/dave.jsonl:1" "$T/err" && ok "it names the file and line" || fail "names file" "$(cat "$T/err")"
before=$(find labels -type f | sort | xargs cksum | cksum)
expect_exit 65 "commit after that refuses" "$GS" commit -m "would delete"
[ -f labels/qa/dave.jsonl ] && [ "$(find labels -type f | sort | xargs cksum | cksum)" = "$before" ] \
  && ok "commit after a failed load deletes and rewrites nothing" || fail "nothing deleted" "$(ls labels/qa)"
cd "$B" && git rm -q labels/qa/dave.jsonl && git commit -qm "fix" && git push -q origin main 2>/dev/null
cd "$A" && expect_exit 0 "pull after the fix" "$GS" pull

# ---- a calibration batch run on two machines ----
cd "$A" || exit 1
expect_exit 0 "calibrate start on A" "$GS" calibrate start cal --raters alice,bob -n 3 --rubric qa --seed 5
"$GS" commit -m "batch cal" >/dev/null && "$GS" push >/dev/null
"$GS" -C "$B" pull >/dev/null 2>&1
"$GS" -C "$B" calibrate show cal --json > "$T/showb" 2>"$T/err"
"$GS" calibrate show cal --json > "$T/showa"
cmp -s "$T/showa" "$T/showb" && ok "the batch reaches the other machine (calibrate show the same)" \
  || fail "batch after pull" "$(cat "$T/err" "$T/showb")"
ids=$(tr -d '\n\t ' < "$T/showa" | sed 's/.*"items":\[\([^]]*\)\].*/\1/' | tr -d '"' | tr ',' ' ')
: > "$T/ba"; : > "$T/bb"; n=0
for id in $ids; do
  n=$((n+1))
  printf '{"id":"%s","rubric":"qa","batch":"cal","labels":{"ok":"yes","stars":%d}}\n' "$id" $n >> "$T/ba"
  printf '{"id":"%s","rubric":"qa","batch":"cal","labels":{"ok":"%s","stars":3}}\n' "$id" "$([ $n = 1 ] && echo no || echo yes)" >> "$T/bb"
done
"$GS" import-labels "$T/ba" --as alice >/dev/null
head -1 "$T/bb" > "$T/bb1"; "$GS" -C "$B" import-labels "$T/bb1" --as bob >/dev/null
"$GS" -C "$B" commit -m "bob halfway" >/dev/null; "$GS" -C "$B" push >/dev/null 2>&1
! grep -q '"batch":"cal"' "$B/labels/qa/bob.jsonl" 2>/dev/null && ok "an unfinished rater's batch labels stay on the rater's machine (blind)" \
  || fail "blind until finished" "$(cat "$B/labels/qa/bob.jsonl")"
"$GS" -C "$B" import-labels "$T/bb" --as bob >/dev/null
"$GS" -C "$B" commit -m "bob done" >/dev/null; "$GS" -C "$B" pull >/dev/null 2>&1; "$GS" -C "$B" push >/dev/null 2>&1
"$GS" commit -m "alice done" >/dev/null; "$GS" pull >/dev/null 2>&1; "$GS" push >/dev/null 2>&1
"$GS" -C "$B" pull >/dev/null 2>&1
"$GS" calibrate show cal > "$T/show" 2>&1
! "$GS" export --rater bob | grep -q '"batch":"cal"' && ok "blind until the report: A's export does not show bob's batch labels" \
  || fail "blind export" "bob's batch labels visible before the report"
expect_exit 0 "calibrate report opens on A" "$GS" calibrate report cal
cp "$T/out" "$T/ra"
expect_exit 0 "calibrate report opens on B" "$GS" -C "$B" calibrate report cal
cmp -s "$T/ra" "$T/out" && ok "calibrate report: identical numbers on both machines" || fail "reports differ" "$(diff "$T/ra" "$T/out")"
# consensus recorded on A (the discussion screen) is seen on B after pull
tm_start D 100 30 "cd '$A' && '$GS' calibrate discuss cal; echo EXIT=\$?; sleep 30"
if tm_wait D "disagreement 1/"; then
  tm_keys D 2 1 c; sleep 0.3; tm_keys D "needs an example" Enter; tm_keys D Enter
  tm_wait D "agreed on" || fail "discuss recorded" "$(tm_screen D)"
  tm_keys D q; tm_wait D "EXIT=0" >/dev/null
else fail "discuss screen came up" "$(tm_screen D)"; fi
tm kill-session -t D 2>/dev/null
"$GS" export --consensus > "$T/ca" 2>/dev/null
"$GS" commit -m "discussed" >/dev/null && "$GS" push >/dev/null 2>&1
"$GS" -C "$B" pull >/dev/null 2>&1
"$GS" -C "$B" export --consensus > "$T/cb" 2>/dev/null
cmp -s "$T/ca" "$T/cb" && grep -q '"status":"consensus"' "$T/cb" \
  && ok "consensus recorded on A is seen on B after pull" || fail "consensus travels" "$(diff "$T/ca" "$T/cb" | head -5)"
ls "$A/consensus/" 2>/dev/null | grep -q qa.jsonl && ok "consensus/qa.jsonl is in git" || fail "consensus file" "$(ls "$A")"

# ---- a fresh clone reproduces every export byte for byte ----
"$GS" -C "$A" commit -m sync >/dev/null 2>&1; "$GS" -C "$A" push >/dev/null 2>&1
C=$T/c; git clone -q "$R" "$C" && "$GS" -C "$C" init >/dev/null 2>&1
"$GS" -C "$A" export > "$T/ea"; "$GS" -C "$C" export > "$T/ec"
cmp -s "$T/ea" "$T/ec" && ok "fresh clone + init: export byte for byte" || fail "fresh clone export" "$(diff "$T/ea" "$T/ec")"
"$GS" -C "$A" agree --rubric qa --json > "$T/ga" 2>/dev/null; "$GS" -C "$C" agree --rubric qa --json > "$T/gc" 2>/dev/null
cmp -s "$T/ga" "$T/gc" && ok "fresh clone + init: agree --json byte for byte" || fail "fresh clone agree" "$(diff "$T/ga" "$T/gc")"
for cmd in "calibrate report cal" "calibrate show cal --json" "export --consensus" "stats --json" "disagreements --rubric qa"; do
  "$GS" -C "$A" $cmd > "$T/ra" 2>&1; "$GS" -C "$C" $cmd > "$T/rc" 2>&1
  cmp -s "$T/ra" "$T/rc" && ok "fresh clone + init: $cmd byte for byte" || fail "fresh clone $cmd" "$(diff "$T/ra" "$T/rc" | head -5)"
done

# ---- kill -9 at random moments ----
# rnd N: a pseudo-random number of milliseconds below N
SEED=$$
rnd() { SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 )); echo $(( SEED / 65536 % $1 )); }
killed_run() { # MAXMS CMD...: runs CMD, kills it -9 after a random delay
  ms=$(rnd "$1"); shift
  "$@" >/dev/null 2>&1 & p=$!
  sleep "$(printf '0.%03d' "$ms")"; kill -9 $p 2>/dev/null; wait $p 2>/dev/null
  # a process killed while git held a lock leaves the lock file, as git
  # itself does; goldset names it ("... is locked ... or one crashed"), and
  # its user removes it: so does the test, and only that (in the bare
  # remote too: a push killed while it held the remote ref's lock)
  for d in "$A/.git" "$B/.git" "$R"; do find "$d" -name '*.lock' -delete 2>/dev/null; done
}
# the kill loops test crash consistency, not memory errors: they run the
# optimised build when there is one (ten times as many runs in the same time)
[ -x "$TOP/goldset" ] && GS=$TOP/goldset
converge() { # one pull + commit on each side, then push both ways
  for d in "$A" "$B"; do "$GS" -C "$d" pull >/dev/null 2>&1; "$GS" -C "$d" commit -m converge >/dev/null 2>&1; "$GS" -C "$d" push >/dev/null 2>&1; done
  "$GS" -C "$A" pull >/dev/null 2>&1
}
# expected values are kept beside, per key, as the last decision made
: > "$T/expect"
remember() { echo "$1 $2 $3" >> "$T/expect"; }
verify() { # every remembered key holds its last remembered value on both clones
  bad=0
  for d in "$A" "$B"; do
    "$GS" -C "$d" export > "$T/now"
    for key in $(awk '{print $1"@"$2}' "$T/expect" | sort -u); do
      r=${key%@*}; id=${key#*@}
      want=$(awk -v r="$r" -v i="$id" '$1==r && $2==i {v=$3} END {print v}' "$T/expect")
      got=$(grep "\"rater\":\"$r\"" "$T/now" | grep "\"id\":\"$id\"" | sed 's/.*"stars":\([0-9]\).*/\1/')
      [ "$got" = "$want" ] || { bad=$((bad+1)); echo "# $d $r $id want $want got $got"; }
    done
  done
  return $bad
}
converge
N=${KILL_RUNS:-20}
lost=0; k=0
while [ $k -lt $N ]; do
  s=$(( k % 5 + 1 )); id=$(printf 'q%02d' $(( 20 + k % 10 )))
  lab "$A" erin $id yes $s; remember erin $id $s
  "$GS" -C "$A" commit -m "k$k" >/dev/null 2>&1; "$GS" -C "$A" push >/dev/null 2>&1
  s2=$(( (k + 2) % 5 + 1 )); id2=$(printf 'q%02d' $(( 30 + k % 10 )))
  lab "$B" frank $id2 no $s2; remember frank $id2 $s2
  killed_run 400 "$GS" -C "$B" pull
  converge
  verify > "$T/v" || { lost=$((lost+1)); [ -s "$T/why" ] || { cat "$T/v"; ls -a "$B/.git" "$A/.git"; git -C "$B" status --short | head -5; } > "$T/why"; }
  k=$((k+1))
done
[ $lost = 0 ] && ok "kill -9 during pull ($N runs): no label lost or reverted after pull + commit" \
  || fail "pull kill loop" "$lost of $N runs lost labels" "$(cat "$T/why")"
lost=0; k=0
while [ $k -lt $N ]; do
  s=$(( k % 5 + 1 )); id=$(printf 'q%02d' $(( 20 + k % 10 )))
  lab "$B" erin $id no $s; remember erin $id $s
  killed_run 400 "$GS" -C "$B" commit -m "killed $k"
  s2=$(( (k + 3) % 5 + 1 ))
  lab "$A" frank q31 yes $s2; remember frank q31 $s2
  killed_run 300 "$GS" -C "$A" commit -m "killed a $k"
  converge
  verify > "$T/v" || { lost=$((lost+1)); [ -s "$T/why" ] || { cat "$T/v"; ls -a "$B/.git" "$A/.git"; git -C "$B" status --short | head -5; } > "$T/why"; }
  k=$((k+1))
done
[ $lost = 0 ] && ok "kill -9 during commit ($N runs): no label lost or reverted" || fail "commit kill loop" "$lost of $N runs lost labels" "$(cat "$T/why")"
lost=0; k=0
while [ $k -lt $N ]; do
  s=$(( k % 5 + 1 ))
  lab "$A" erin q25 yes $s; remember erin q25 $s
  "$GS" -C "$A" commit -m "p$k" >/dev/null 2>&1
  killed_run 300 "$GS" -C "$A" push
  converge
  verify > "$T/v" || { lost=$((lost+1)); [ -s "$T/why" ] || { cat "$T/v"; ls -a "$B/.git" "$A/.git"; git -C "$B" status --short | head -5; } > "$T/why"; }
  k=$((k+1))
done
[ $lost = 0 ] && ok "kill -9 during push ($N runs): no label lost or reverted" || fail "push kill loop" "$lost of $N runs lost labels" "$(cat "$T/why")"
lost=0; k=0
while [ $k -lt $N ]; do
  s=$(( k % 5 + 1 ))
  lab "$A" erin q26 yes $s; remember erin q26 $s
  "$GS" -C "$A" commit -m "g$k" >/dev/null 2>&1; "$GS" -C "$A" push >/dev/null 2>&1
  s2=$(( (k + 1) % 5 + 1 ))
  lab "$B" erin q27 no $s2; remember erin q27 $s2
  "$GS" -C "$B" commit -m "gb$k" >/dev/null 2>&1
  killed_run 300 git -C "$B" pull -q origin main
  # a killed git pull may leave its merge half done: git's own way out, then goldset's
  [ -f "$B/.git/MERGE_HEAD" ] && git -C "$B" merge --abort >/dev/null 2>&1
  converge
  verify > "$T/v" || { lost=$((lost+1)); [ -s "$T/why" ] || { cat "$T/v"; ls -a "$B/.git" "$A/.git"; git -C "$B" status --short | head -5; } > "$T/why"; }
  k=$((k+1))
done
[ $lost = 0 ] && ok "kill -9 during git pull by hand ($N runs): no label lost or reverted" || fail "git pull kill loop" "$lost of $N runs lost labels" "$(cat "$T/why")"
verify > "$T/v" && ok "every remembered decision is the current label on both clones" || fail "final verify" "$(head -5 "$T/v")"
git -C "$A" fsck --no-progress >/dev/null 2>&1 && git -C "$B" fsck --no-progress >/dev/null 2>&1 && git -C "$R" fsck --no-progress >/dev/null 2>&1 \
  && ok "git fsck is clean on both clones and the remote" || fail "fsck" "$(git -C "$B" fsck 2>&1 | head -3)"
same_exports && ok "both clones end with the same labels" || fail "final same labels" "$(diff "$T/ea" "$T/eb" | head)"
clean_status "$A" && clean_status "$B" && ok "git status clean at the end" || fail "status at end" "$(git -C "$B" status --porcelain)"

D=$T/d E=$T/e
git clone -q "$R" "$D" && git clone -q "$R" "$E"
"$GS" -C "$D" init >/dev/null 2>&1 && "$GS" -C "$E" init >/dev/null 2>&1
same_exports_de() { "$GS" -C "$D" export > "$T/ea"; "$GS" -C "$E" export > "$T/eb"; cmp -s "$T/ea" "$T/eb"; }
# ---- the same rater on two machines, clocks 20 minutes apart ----
SA=600 SB=-600
for id in q01 q02 q03 q04 q05; do lab "$D" gina $id yes 4 $SA; done
for id in q03 q04 q05 q06 q07; do lab "$E" gina $id no 2 $SB; done
GOLDSET_CLOCK_SKEW=$SA "$GS" -C "$D" commit -m "gina on the laptop" >/dev/null && GOLDSET_CLOCK_SKEW=$SA "$GS" -C "$D" push >/dev/null
GOLDSET_CLOCK_SKEW=$SB "$GS" -C "$E" commit -m "gina on the server" >/dev/null
expect_exit 0 "pull: the same label file edited on two machines merges" env GOLDSET_CLOCK_SKEW=$SB "$GS" -C "$E" pull
no_markers "$E" && ok "no conflict markers in labels/" || fail "conflict markers" "$(grep -rn '<<<<' "$B/labels")"
git -C "$E" log -1 --format=%s | grep -q Merge \
  && ok "a merge commit was made" || fail "merge commit" "$(git -C "$E" log --oneline | head -3)"
# concurrent edits of q03-q05: the later time wins, on both machines alike (A's clock is ahead)
[ "$(val "$E" gina q03)" = '{"ok":"yes","stars":4}' ] && ok "concurrent edits: the later stamp wins" \
  || fail "concurrent q03" "$(val "$E" gina q03)"
# a correction made on the slow machine after it saw the fast one's label wins
lab "$E" gina q04 no 1 $SB
GOLDSET_CLOCK_SKEW=$SB "$GS" -C "$E" commit -m "correction" >/dev/null && GOLDSET_CLOCK_SKEW=$SB "$GS" -C "$E" push >/dev/null
GOLDSET_CLOCK_SKEW=$SA "$GS" -C "$D" pull >/dev/null 2>&1
[ "$(val "$D" gina q04)" = '{"ok":"no","stars":1}' ] && ok "a correction made after a pull wins although its clock is 20 minutes behind" \
  || fail "correction after pull" "$(val "$D" gina q04)"
lab "$D" gina q06 yes 5 $SA
GOLDSET_CLOCK_SKEW=$SA "$GS" -C "$D" commit -m more >/dev/null && GOLDSET_CLOCK_SKEW=$SA "$GS" -C "$D" push >/dev/null
GOLDSET_CLOCK_SKEW=$SB "$GS" -C "$E" pull >/dev/null 2>&1
same_exports_de && ok "after pull both ways both clones hold the same labels" || fail "same labels" "$(diff "$T/ea" "$T/eb")"
[ "$(val "$E" gina q06)" = '{"ok":"yes","stars":5}' ] && [ "$(val "$E" gina q07)" = '{"ok":"no","stars":2}' ] \
  && [ "$(val "$E" gina q01)" = '{"ok":"yes","stars":4}' ] && ok "every key holds its most recent decision" \
  || fail "most recent decisions" "$(cat "$T/eb")"
clean_status "$D" && clean_status "$E" && ok "git status is clean on both" \
  || fail "git status clean" "$(git -C "$D" status --porcelain) / $(git -C "$E" status --porcelain)"

