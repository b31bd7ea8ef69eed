# t-import.sh: init / import / export round trips, re-import versions and
# stale labels, --map, --sample, and a corpus of bad inputs: each must give
# one line naming file, line and field, the right exit code, and leave the
# store and golden/ exactly as they were.
. "$(dirname "$0")/lib.sh"
ws
cd "$T/ws"
cat > "$T/good.jsonl" <<'J'
{"id":"q-2","input":"Where is my invoice?","output":"Under Billing.","meta":{"query_type":"billing"}}
{"id":"q-1","input":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Reset 2FA?"}],"output":"Go to Settings.","reference":"Settings > Security","meta":{"query_type":"account"}}
{"id":"p-1","input":"Compare","outputs":[{"system":"a","text":"x"},{"system":"b","text":"y"}]}
J
expect_exit 0 "import a good file" "$GS" import "$T/good.jsonl" --set main
grep -q "3 added" "$T/out" && ok "import reports added count" || fail "import reports added count" "$(cat "$T/out")"
[ "$(head -c 12 golden/main.jsonl)" = '{"id":"p-1",' ] && ok "golden file sorted by id" || fail "golden file sorted by id"
expect_exit 0 "re-import is idempotent" "$GS" import "$T/good.jsonl" --set main
grep -q "0 added, 0 changed, 3 unchanged" "$T/out" && ok "re-import counts unchanged" || fail "re-import counts unchanged" "$(cat "$T/out")"
cp golden/main.jsonl "$T/g1"
expect_exit 0 "importing golden/ only loads it" "$GS" import golden/main.jsonl
cmp -s golden/main.jsonl "$T/g1" && ok "golden file untouched by its own import" || fail "golden file untouched"
"$GS" stats --json > "$T/stats.json"
grep -q '"items":	3' "$T/stats.json" && ok "stats --json items" || fail "stats --json items" "$(cat "$T/stats.json")"

# labels + a changed item -> stale
cat > rubrics/t.json <<'J'
{"name":"t","version":2,"mode":"single","criteria":[{"id":"ok","type":"binary","labels":["no","yes"]},{"id":"s","type":"scale","min":1,"max":3}]}
J
printf '%s\n' '{"id":"q-2","rubric":"t","rater":"ann","labels":{"ok":"yes","s":2},"at":"2026-11-01T10:00:00Z"}' > "$T/l.jsonl"
expect_exit 0 "import-labels style load through init" true
sed 's/Under Billing./Under Billing > Invoices./' "$T/good.jsonl" > "$T/changed.jsonl"

# bad inputs: NAME|EXIT|MESSAGE|CONTENT (printf %b escapes)
i=0
while IFS='|' read -r name code msg content; do
  [ -z "$name" ] && continue
  i=$((i+1))
  f="$T/bad$i.jsonl"
  printf '%b' "$content" > "$f"
  before=$("$GS" export; "$GS" stats --json; cat golden/*.jsonl | cksum)
  "$GS" import "$f" --set main > "$T/out" 2> "$T/err"; got=$?
  after=$("$GS" export; "$GS" stats --json; cat golden/*.jsonl | cksum)
  lines=$(wc -l < "$T/err")
  if [ "$got" -ne "$code" ]; then fail "bad input: $name: exit $got, wanted $code" "$(cat "$T/err")"
  elif ! grep -qF -- "$msg" "$T/err"; then fail "bad input: $name: message" "got: $(cat "$T/err")" "wanted: $msg"
  elif [ "$lines" -ne 1 ]; then fail "bad input: $name: one line" "$(cat "$T/err")"
  elif [ "$before" != "$after" ]; then fail "bad input: $name: store changed"
  else ok "bad input: $name"; fi
done <<'CASES'
invalid json|65|bad1.jsonl:1: invalid JSON at column|{"id":"a",}\n
wrong type id|65|bad2.jsonl:1: id must be a string (id)|{"id":true,"input":"i","output":"o"}\n
duplicate id in file|65|bad3.jsonl:2: duplicate id "z" (id)|{"id":"z","input":"i","output":"o"}\n{"id":"z","input":"i","output":"o"}\n
invalid utf-8|65|bad4.jsonl:1: invalid UTF-8 in a string (input)|{"id":"u","input":"\0303\050","output":"o"}\n
nul byte|65|bad5.jsonl:2: NUL byte|{"id":"n1","input":"i","output":"o"}\n{"id":"n2","input":"\0000","output":"o"}\n
truncated last line|65|bad6.jsonl:2: truncated last line|{"id":"t1","input":"i","output":"o"}\n{"id":"t2","input":"i","outp
deep nesting|65|bad7.jsonl:1: nesting deeper than 64 levels (line)|{"id":"d","input":"i","output":"o","gold":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n
chat missing content|65|bad8.jsonl:1: missing content (input[1].content)|{"id":"c","input":[{"role":"user","content":"a"},{"role":"assistant"}],"output":"o"}\n
chat role not string|65|(input[0].role)|{"id":"c","input":[{"role":1,"content":"a"}],"output":"o"}\n
missing output|65|bad10.jsonl:1: missing output (or outputs for pairwise items) (output)|{"id":"m","input":"i"}\n
missing input|65|bad11.jsonl:1: missing input (input)|{"id":"m","output":"o"}\n
missing id|65|bad12.jsonl:1: missing id (id)|{"input":"i","output":"o"}\n
output and outputs|65|either output or outputs|{"id":"b","input":"i","output":"o","outputs":[]}\n
one pairwise output|65|at least two systems to compare (outputs)|{"id":"b","input":"i","outputs":[{"system":"a","text":"x"}]}\n
duplicate system|65|duplicate system name (outputs[1].system)|{"id":"b","input":"i","outputs":[{"system":"a","text":"x"},{"system":"a","text":"y"}]}\n
system named tie|65|"tie" cannot be a system name|{"id":"b","input":"i","outputs":[{"system":"tie","text":"x"},{"system":"a","text":"y"}]}\n
meta not object|65|meta must be an object (meta)|{"id":"b","input":"i","output":"o","meta":"x"}\n
meta nested|65|(meta.k)|{"id":"b","input":"i","output":"o","meta":{"k":{"x":1}}}\n
reference not string|65|reference must be a string (reference)|{"id":"b","input":"i","output":"o","reference":3}\n
gold not object|65|gold must be an object|{"id":"b","input":"i","output":"o","gold":"yes"}\n
not an object|65|each line must be a JSON object (line)|["a"]\n
trailing garbage|65|bad22.jsonl:1: invalid JSON at column|{"id":"b","input":"i","output":"o"} x\n
bad line after good ones|65|bad23.jsonl:3:|{"id":"g1","input":"i","output":"o"}\n{"id":"g2","input":"i","output":"o"}\n{"id":"g3"}\n
empty id|65|id is empty (id)|{"id":"","input":"i","output":"o"}\n
control char in id|65|a name cannot contain control character U+001B (id)|{"id":"a\\u001b[2J","input":"i","output":"o"}\n
CASES

# id of another set: the case above imports into --set main; do it as another set
printf '%s\n' '{"id":"q-1","input":"i","output":"o"}' > "$T/other.jsonl"
expect_exit 65 "an id already in another set is refused" "$GS" import "$T/other.jsonl" --set other
err_has 'already belongs to set "main"' && ok "message names the other set" || fail "message names the other set" "$(cat "$T/err")"
expect_exit 66 "missing file is exit 66" "$GS" import "$T/nope.jsonl"
err_has "nope.jsonl" && ok "missing file named" || fail "missing file named"
expect_exit 66 "a directory is refused" "$GS" import "$T"
expect_exit 64 "unknown option is 64" "$GS" import --bogus "$T/good.jsonl"
expect_exit 64 "no file is 64" "$GS" import
expect_exit 64 "bad --map is 64" "$GS" import --map nope "$T/good.jsonl"

# BOM + CRLF accepted
printf '\357\273\277{"id":"bom-1","input":"i","output":"o"}\r\n{"id":"bom-2","input":"i","output":"o"}\r\n' > "$T/bom.jsonl"
expect_exit 0 "BOM and CRLF accepted" "$GS" import "$T/bom.jsonl" --set bom
grep -q '"id":"bom-1"' golden/bom.jsonl && ok "BOM stripped from first id" || fail "BOM stripped"

# --map
printf '%s\n' '{"uuid":"m-1","messages":[{"content":"hey"}],"completion":"done","tags":{"x":1}}' > "$T/map.jsonl"
expect_exit 0 "--map with dotted paths" "$GS" import "$T/map.jsonl" --set mapped --map id=uuid,input=messages.0.content,output=completion
grep -qF '{"id":"m-1","input":"hey","output":"done"}' golden/mapped.jsonl && ok "--map canonical line" || fail "--map canonical line" "$(cat golden/mapped.jsonl)"
# --map input=messages: the whole conversation, every turn (content parts joined)
printf '%s\n' '{"uuid":"m-2","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi."},{"type":"text","text":"My invoice?"}]},{"role":"assistant","content":"Which one?","name":"bot"},{"role":"user","content":"INV-7"}],"completion":"Paid."}' > "$T/chat.jsonl"
expect_exit 0 "--map input=messages" "$GS" import "$T/chat.jsonl" --set chat --map id=uuid,input=messages,output=completion
grep -qF '{"id":"m-2","input":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi.\n\nMy invoice?"},{"role":"assistant","content":"Which one?"},{"role":"user","content":"INV-7"}],"output":"Paid."}' golden/chat.jsonl \
  && ok "--map input=messages keeps all four turns" || fail "--map input=messages" "$(cat golden/chat.jsonl)"
printf '%s\n' '{"uuid":"m-3","messages":[{"role":"user","content":[{"type":"image_url","image_url":"x"}]}],"completion":"c"}' > "$T/chat2.jsonl"
expect_exit 65 "a content part that is not text: 65" "$GS" import "$T/chat2.jsonl" --set chat2 --map id=uuid,input=messages,output=completion
err_has "content parts must be" && err_has "(messages[0].content)" && ok "the part named" || fail "non-text part" "$(cat "$T/err")"

# --sample --stratify: 100 lines, two strata 80/20 -> 10 = 8 + 2
n=0; : > "$T/log.jsonl"
while [ $n -lt 100 ]; do
  seg=paid; [ $n -ge 80 ] && seg=free
  printf '{"id":"log-%03d","input":"i%d","output":"o","meta":{"segment":"%s"}}\n' $n $n $seg >> "$T/log.jsonl"
  n=$((n+1))
done
expect_exit 0 "--sample --stratify" "$GS" import "$T/log.jsonl" --set sample --sample 10 --stratify meta.segment --seed 7
[ "$(wc -l < golden/sample.jsonl)" -eq 10 ] && ok "sample size 10" || fail "sample size 10" "$(wc -l < golden/sample.jsonl)"
[ "$(grep -c '"free"' golden/sample.jsonl)" -eq 2 ] && ok "stratified 8/2" || fail "stratified 8/2" "$(grep -c free golden/sample.jsonl)"
cp golden/sample.jsonl "$T/s1"
mkdir -p "$T/ws2"; ws "$T/ws2"
"$GS" -C "$T/ws2" import "$T/log.jsonl" --set sample --sample 10 --stratify segment --seed 7 >/dev/null 2>&1
cmp -s "$T/s1" "$T/ws2/golden/sample.jsonl" && ok "same seed, same sample" || fail "same seed, same sample"

# changed content -> new version, old labels stale
cp "$T/l.jsonl" labels_tmp.jsonl 2>/dev/null
mkdir -p labels/t && cp "$T/l.jsonl" labels/t/ann.jsonl && rm -f labels_tmp.jsonl
expect_exit 0 "init again loads label files" "$GS" init .
[ "$("$GS" export --rubric t | wc -l)" -eq 1 ] && ok "label loaded from labels/" || fail "label loaded from labels/" "$("$GS" export)"
expect_exit 0 "re-import a changed item" "$GS" import "$T/changed.jsonl" --set main
grep -q "1 changed" "$T/out" && ok "changed count" || fail "changed count" "$(cat "$T/out")"
"$GS" stats --json > "$T/stats.json"
grep -q '"stale_labels":	1' "$T/stats.json" && ok "old label reported stale" || fail "old label reported stale" "$(cat "$T/stats.json")"
[ "$("$GS" export --rubric t | wc -l)" -eq 0 ] && ok "stale label not exported as current" || fail "stale label not exported as current"

# CSV export, round trip of label files through a fresh clone
"$GS" export --format csv > "$T/csv"
head -1 "$T/csv" | grep -q '^id,rubric,rubric_version,rater,left,right,criterion,value,note,at$' && ok "csv header" || fail "csv header"
expect_exit 64 "export --format bogus" "$GS" export --format xml
"$GS" --version | grep -q '^goldset ' && ok "--version" || fail "--version"
expect_exit 64 "unknown command is 64" "$GS" frobnicate
"$GS" import --help | grep -q 'usage: goldset import' && ok "command --help" || fail "command --help"
mkdir "$T/nows"; cd "$T/nows"
expect_exit 66 "outside a workspace: clear error" "$GS" stats
err_has "not in a goldset workspace" && ok "workspace error names the fix" || fail "workspace error"
expect_exit 0 "-C finds the workspace" "$GS" -C "$T/ws" stats

# counted nouns agree with their number: 1 item, 1 label, 2 items
ws "$T/plural"
printf '%s\n' '{"id":"p-1","input":"i","output":"o"}' > "$T/one.jsonl"
"$GS" -C "$T/plural" import "$T/one.jsonl" --set one > "$T/out" 2>&1
grep -q "^imported 1 item: 1 added" "$T/out" && ok "plural: imported 1 item" || fail "imported 1 item" "$(cat "$T/out")"
printf '%s\n' '{"id":"p-1","input":"i2","output":"o"}' > "$T/one.jsonl"
"$GS" -C "$T/plural" import "$T/one.jsonl" --set one > "$T/out" 2>&1
grep -q "^1 item changed: its earlier labels are kept" "$T/out" && ok "plural: 1 item changed" || fail "1 item changed" "$(cat "$T/out")"
printf '%s\n' '{"id":"p-1","rubric":"support-answer","labels":{"correctness":3}}' > "$T/onel.jsonl"
"$GS" -C "$T/plural" import-labels "$T/onel.jsonl" --as judge:x > "$T/out" 2>&1
grep -q "^imported 1 label: 1 added" "$T/out" && ok "plural: imported 1 label" || fail "imported 1 label" "$(cat "$T/out")"
"$GS" -C "$T/plural" stats > "$T/out" 2>&1
grep -q "^1 item (1 single, 0 pairwise)" "$T/out" && grep -q "^1 current label$" "$T/out" && grep -q " 1 item$" "$T/out" \
  && grep -q "  1 label  " "$T/out" && ok "plural: stats" || fail "plural in stats" "$(cat "$T/out")"
