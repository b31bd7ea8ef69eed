# t-import-labels.sh: `goldset import-labels`: label lines validated against
# rubric and items with FILE:LINE errors, all or nothing, idempotent, --as
# for a judge, pairwise left/right checked against the item's systems; and
# label files under labels/ loaded by `init` (a fresh clone).
. "$(dirname "$0")/lib.sh"
ws
cd "$T/ws"
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5},{"id":"checks","type":"checklist","items":["cites","concise"]}]}
J
cat > rubrics/pw.json <<'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference"}]}
J
cat > "$T/items.jsonl" <<'J'
{"id":"a","input":"q","output":"o"}
{"id":"b","input":"q","output":"o"}
{"id":"c","input":"q","outputs":[{"system":"m1","text":"x"},{"system":"m2","text":"y"}]}
J
"$GS" import "$T/items.jsonl" --set s >/dev/null
cat > "$T/judge.jsonl" <<'J'
{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4,"checks":{"cites":true,"concise":false}}}
{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}
J
expect_exit 0 "import a judge's labels" "$GS" import-labels "$T/judge.jsonl" --as judge:gpt-x
grep -q "2 added" "$T/out" && ok "counts added" || fail "counts added" "$(cat "$T/out")"
"$GS" export --rater judge:gpt-x > "$T/exp"
[ "$(wc -l < "$T/exp")" -eq 2 ] && ok "export shows the judge's labels" || fail "export shows the judge's labels" "$(cat "$T/exp")"
grep -qF '{"id":"a","rubric":"qa","rubric_version":1,"rater":"judge:gpt-x","labels":{"ok":"yes","stars":4,"checks":{"cites":true,"concise":false}},"at":' "$T/exp" \
  && ok "label line in canonical key order" || fail "label line in canonical key order" "$(head -1 "$T/exp")"
expect_exit 0 "re-import is a no-op" "$GS" import-labels "$T/judge.jsonl" --as judge:gpt-x
grep -q "0 added or changed, 2 unchanged" "$T/out" && ok "re-import unchanged" || fail "re-import unchanged" "$(cat "$T/out")"
# export -> import-labels round trip is byte-identical
mkdir -p "$T/ws2"; ws "$T/ws2"
cp rubrics/qa.json rubrics/pw.json "$T/ws2/rubrics/"
"$GS" -C "$T/ws2" import "$T/items.jsonl" --set s >/dev/null
"$GS" -C "$T/ws2" import-labels "$T/exp" >/dev/null 2>&1
"$GS" -C "$T/ws2" export > "$T/exp2"
cmp -s "$T/exp" "$T/exp2" && ok "export / import-labels round trip byte-identical" || fail "round trip" "$(diff "$T/exp" "$T/exp2")"

bad() { # NAME EXIT MESSAGE CONTENT
  printf '%s\n' "$4" > "$T/bad.jsonl"
  before=$("$GS" export | cksum)
  "$GS" import-labels "$T/bad.jsonl" --as r1 > "$T/out" 2> "$T/err"; got=$?
  after=$("$GS" export | cksum)
  if [ "$got" -ne "$2" ]; then fail "bad labels: $1: exit $got" "$(cat "$T/err")"
  elif ! grep -qF -- "$3" "$T/err"; then fail "bad labels: $1: message" "got: $(cat "$T/err")" "wanted: $3"
  elif [ "$before" != "$after" ]; then fail "bad labels: $1: store changed"
  else ok "bad labels: $1"; fi
}
bad "unknown item" 65 'bad.jsonl:1: no item "zz" in the workspace (id)' '{"id":"zz","rubric":"qa","labels":{"ok":"yes"}}'
bad "unknown rubric" 65 'bad.jsonl:1: no rubric named "nope"' '{"id":"a","rubric":"nope","labels":{"ok":"yes"}}'
bad "value out of scale" 65 'bad.jsonl:1: 9 is not a valid value of scale criterion "stars": it takes a whole number from 1 to 5 (labels.stars)' '{"id":"a","rubric":"qa","labels":{"stars":9}}'
bad "text for a scale" 65 '"five" is not a valid value of scale criterion "stars": it takes a whole number from 1 to 5' '{"id":"a","rubric":"qa","labels":{"stars":"five"}}'
bad "a pairwise value" 65 '"m3" is not a valid value of preference criterion "better": it takes "m1", "m2" or "tie" (labels.better)' '{"id":"c","rubric":"pw","left":"m1","right":"m2","labels":{"better":"m3"}}'
bad "unknown criterion" 65 'has no criterion "speed" (labels)' '{"id":"a","rubric":"qa","labels":{"speed":1}}'
bad "binary label text" 65 '"maybe" is not a valid value of binary criterion "ok": it takes one of "no", "yes" (labels.ok)' '{"id":"a","rubric":"qa","labels":{"ok":"maybe"}}'
bad "checklist item" 65 'has no item "short"' '{"id":"a","rubric":"qa","labels":{"checks":{"short":true}}}'
bad "labels not object" 65 'bad.jsonl:1: labels must be an object (labels)' '{"id":"a","rubric":"qa","labels":3}'
bad "invalid json" 65 'bad.jsonl:1: invalid JSON' '{"id":"a",'
bad "no rubric" 65 'no rubric (rubric)' '{"id":"a","labels":{"ok":"yes"}}'
grep -qF "no default one: several rubrics" "$T/err" && ok "no rubric and several: the error says so" || fail "no default" "$(cat "$T/err")"
# a line without a rubric, no --rubric: the default one, as label picks it
# (the rubric of the line's mode used last: label --rubric qa, rank --rubric pw)
if command -v tmux > /dev/null; then
  ws "$T/one"
  "$GS" -C "$T/one" import "$T/items.jsonl" --set s > /dev/null 2>&1 && cp rubrics/qa.json rubrics/pw.json "$T/one/rubrics/"
  "$GS" -C "$T/one" rank --rubric pw > /dev/null 2>&1
  tm_start lq 80 24 "exec $GS -C '$T/one' label --rubric qa --as tester"
  tm_wait lq "answers" || tm_wait lq "ok"
  tm_keys lq q; sleep 0.5
  printf '%s\n' '{"id":"a","labels":{"ok":"yes"}}' '{"id":"c","left":"m1","right":"m2","labels":{"better":"m2"}}' > "$T/norub.jsonl"
  expect_exit 0 "import-labels --as judge:NAME without --rubric: the default rubric" "$GS" -C "$T/one" import-labels "$T/norub.jsonl" --as judge:x
  "$GS" -C "$T/one" export --rater judge:x > "$T/exp" 2>&1
  grep -q '"id":"a","rubric":"qa"' "$T/exp" && grep -q '"id":"c","rubric":"pw"' "$T/exp" \
    && ok "each line under the default rubric of its mode" || fail "default rubric" "$(cat "$T/exp")"
else
  ok "default rubric # SKIP no tmux"
fi
bad "pairwise without sides" 65 'needs left and right (left)' '{"id":"c","rubric":"pw","labels":{"better":"m1"}}'
bad "pairwise unknown system" 65 '(right)' '{"id":"c","rubric":"pw","left":"m1","right":"m9","labels":{"better":"m1"}}'
bad "pairwise winner not shown" 65 '(labels.better)' '{"id":"c","rubric":"pw","left":"m1","right":"m2","labels":{"better":"m3"}}'
printf '%s\n%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}' '{"id":"b","rubric":"qa","labels":{"ok":"??"}}' > "$T/half.jsonl"
expect_exit 65 "second line bad: nothing imported" "$GS" import-labels "$T/half.jsonl" --as half
err_has "half.jsonl:2:" && ok "error names line 2" || fail "error names line 2" "$(cat "$T/err")"
[ -z "$("$GS" export --rater half)" ] && ok "all or nothing" || fail "all or nothing"
printf '%s\n' '{"id":"c","rubric":"pw","left":"m2","right":"m1","labels":{"better":"m1"}}' > "$T/pw.jsonl"
expect_exit 0 "pairwise label with sides" "$GS" import-labels "$T/pw.jsonl" --as judge:pw
"$GS" export --rubric pw | grep -qF '"left":"m2","right":"m1","labels":{"better":"m1"}' && ok "pairwise exported with sides" || fail "pairwise exported" "$("$GS" export --rubric pw)"
# last writer wins: a line older than the workspace's label of its key is not taken, and said
printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"no","stars":1},"at":"2020-01-01T00:00:00Z"}' > "$T/old.jsonl"
expect_exit 0 "import an older label" "$GS" import-labels "$T/old.jsonl" --as judge:gpt-x
grep -q "1 of them older than the label the workspace has" "$T/out" && "$GS" export --rater judge:gpt-x | grep -q '"id":"a".*"stars":4' \
  && ok "an older imported line is not taken, and said" || fail "older import" "$(cat "$T/out")"
expect_exit 64 "import-labels without file" "$GS" import-labels
expect_exit 66 "import-labels missing file" "$GS" import-labels "$T/none.jsonl"

# a clone: label files under labels/ are loaded by init, rater from the file name
mkdir -p "$T/clone/labels/qa" "$T/clone/rubrics" "$T/clone/golden"
cp rubrics/qa.json "$T/clone/rubrics/"; cp golden/s.jsonl "$T/clone/golden/"
"$GS" export --rater judge:gpt-x | sed 's/"rater":"judge:gpt-x",//' > "$T/clone/labels/qa/judge%3Agpt-x.jsonl"
expect_exit 0 "init in a clone loads label files" "$GS" init "$T/clone"
[ "$("$GS" -C "$T/clone" export --rater judge:gpt-x | wc -l)" -eq 2 ] && ok "rater taken from the file name" || fail "rater from file name" "$("$GS" -C "$T/clone" export)"
