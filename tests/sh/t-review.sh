# t-review.sh: the weekly review. `review --list` picks items nobody has
# reviewed, spread over the query_type slices, disputed ones first, and
# never repeats an item until every item was seen; `--from` narrows the
# pick. The screen (driven in tmux) shows every rater's and the judge's
# labels, records a consensus value, tags and a note, marks items
# reviewed, and writes reviews/<date>-<login>.md, which `goldset commit`
# commits.
. "$(dirname "$0")/lib.sh"
ws
cd "$T/ws" || exit 1
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","labels":["no","yes"]},
 {"id":"stars","type":"scale","min":1,"max":3}]}
J
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
  q=$(( ${i#0} % 3 )); printf '{"id":"r%s","input":"question %s","output":"answer %s","meta":{"query_type":"k%d"}}\n' $i $i $i $q
done > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }
# ann and ben label r01-r08 and agree but on r05 and r07; a judge labels
# everything like them, but for r01
for r in ann ben; do
  for i in 01 02 03 04 05 06 07 08; do
    v=yes; { [ $r = ben ] && { [ $i = 05 ] || [ $i = 07 ]; }; } && v=no
    printf '{"id":"r%s","rubric":"qa","labels":{"ok":"%s","stars":2}}\n' $i $v
  done > "$T/$r.jsonl"
  "$GS" import-labels "$T/$r.jsonl" --as $r >/dev/null || fail "import-labels $r"
done
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
  v=yes; s=2; [ $i = 01 ] && v=no s=3
  printf '{"id":"r%s","rubric":"qa","labels":{"ok":"%s","stars":%d}}\n' $i $v $s
done > "$T/judge.jsonl"
"$GS" import-labels "$T/judge.jsonl" --as judge:gpt >/dev/null || fail "import-labels judge"

slice() { sed -n "s/.*\"id\":\"$1\".*\"query_type\":\"\(k[0-9]\)\".*/\1/p" "$T/items.jsonl"; }
expect_exit 0 "review --list" "$GS" review --list -n 3 --rubric qa
cp "$T/out" "$T/list1"
[ "$(wc -l < "$T/list1")" -eq 3 ] && [ "$(sort -u "$T/list1" | wc -l)" -eq 3 ] && ok "3 distinct ids" || fail "3 distinct ids" "$(cat "$T/list1")"
[ "$(for id in $(cat "$T/list1"); do slice "$id"; done | sort -u | wc -l)" -eq 3 ] && ok "one item of each slice" \
  || fail "one item of each slice" "$(cat "$T/list1")"
grep -qx "r01\|r05\|r07" "$T/list1" && ok "disputed items come first" || fail "disputed items come first" "$(cat "$T/list1")"
"$GS" review --list --from disagreements --rubric qa > "$T/dis"
[ "$(sort "$T/dis" | tr '\n' ' ')" = "r01 r05 r07 " ] && ok "--from disagreements (judge included)" || fail "--from disagreements" "$(cat "$T/dis")"
expect_exit 66 "--from flagged with nothing flagged" "$GS" review --list --from flagged --rubric qa
expect_exit 64 "review without a terminal and without --list" "$GS" review --rubric qa

# a session: first item gets a consensus, tags and a note; every item is marked reviewed
session() { # NAME N [FIRST-ITEM-KEYS]
  tm_start "$1" 100 30 "$GS review -n $2 --rubric qa; echo EXIT=\$?; sleep 60"
  tm_wait "$1" "item 1/$2" || { fail "$1: review screen came up" "$(tm_screen "$1")"; return; }
  tm_screen "$1" > "$T/$1.first"
  if [ -n "${3:-}" ]; then
    tm_keys "$1" 2 3 t; tm_wait "$1" "Tags" || fail "tags prompt"
    tm_keys "$1" "new failure mode, pricing" Enter
    tm_keys "$1" c; tm_wait "$1" "Note" || fail "note prompt"
    tm_keys "$1" "the model invents a refund policy" Enter
  fi
  k=1
  while [ $k -le "$2" ]; do
    tm_keys "$1" Enter; tm_wait "$1" "reviewed $k of $2" || fail "$1: item $k marked" "$(tm_screen "$1")"
    k=$((k+1))
  done
  tm_keys "$1" q
  tm_wait "$1" "EXIT=" || fail "$1: review ended"
  tm_screen "$1" > "$T/$1.end"
  tm kill-session -t "$1"
}
session S1 3 notes
grep -q "judge:gpt" "$T/S1.first" && grep -q "ann" "$T/S1.first" && grep -q "ben" "$T/S1.first" \
  && ok "the screen shows every rater and the judge" || fail "the screen shows every rater and the judge" "$(cat "$T/S1.first")"
first=$(head -1 "$T/list1")
grep -q "review summary written to reviews/" "$T/S1.end" && grep -q "EXIT=0" "$T/S1.end" && ok "summary announced, exit 0" || fail "summary announced" "$(cat "$T/S1.end")"
md=$(ls reviews/*.md 2>/dev/null | head -1)
today=$(date +%Y-%m-%d)
[ "$md" = "reviews/$today-tester.md" ] && ok "the summary is named after the day and its writer (LOGNAME)" \
  || fail "summary named reviews/$today-tester.md" "$(ls reviews)"
if [ -n "$md" ] && grep -qF "new failure mode: $first" "$md" && grep -qF "the model invents a refund policy" "$md" \
   && grep -qF "consensus: ok yes, stars 3" "$md" && grep -qF "| query_type | reviewed |" "$md"; then
  ok "reviews/<date>-<login>.md: items, consensus, notes, tags, counts by slice"
else fail "reviews/<date>-<login>.md" "$(cat "$md" 2>/dev/null || echo no file)"; fi
"$GS" export --consensus --rubric qa > "$T/cons"
grep -qF "{\"id\":\"$first\",\"rubric\":\"qa\",\"rubric_version\":1,\"criterion\":\"stars\",\"value\":3,\"status\":\"consensus\"" "$T/cons" \
  && ok "the review's consensus is exported" || fail "the review's consensus is exported" "$(grep "$first" "$T/cons")"

"$GS" review --list -n 3 --rubric qa > "$T/list2"
[ -z "$(sort "$T/list1" "$T/list2" | uniq -d)" ] && ok "the next review shows none of the reviewed items" \
  || fail "no repeats across sessions" "$(cat "$T/list1" "$T/list2")"
session S2 9
[ "$(ls reviews/*.md | wc -l)" -eq 2 ] && [ -f "reviews/$today-tester-2.md" ] \
  && ok "a second session the same day gets its own file (-2)" || fail "second summary file" "$(ls reviews)"
"$GS" review --list -n 12 --rubric qa > "$T/list3"
[ "$(sort -u "$T/list3" | wc -l)" -eq 12 ] && ok "once every item was seen, the review starts over" || fail "starts over" "$(cat "$T/list3")"

if "$GS" commit --help >/dev/null 2>&1; then
  git config user.name t >/dev/null 2>&1; git config user.email t@example.org >/dev/null 2>&1
  "$GS" commit -m "weekly review" >/dev/null 2>&1
  git show "HEAD:$md" 2>/dev/null | grep -qF "new failure mode" && ok "goldset commit commits the review summary" \
    || fail "goldset commit commits the review summary" "$(git status --short 2>&1 | head)"
else
  echo "ok - goldset commit commits the review summary # SKIP no commit command yet"
fi
