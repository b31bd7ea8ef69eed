# t-keys.sh: how many keys labeling and calibration discussion take,
# driven through tmux at 80x24 and 40x12. Label: one item of a rubric of
# five criteria (scale, binary, checklist of three, choice, binary) in 7
# keys: digits tick checklist items and Enter leaves the rest unticked, y/n
# answer binary criteria; answers left unsaved survive n/p (>/<) as a draft
# and q lists the drafts (s saves the complete ones, d discards). Discuss:
# 115 disagreeing (item, criterion) cells over 50 items, every one settled
# with fewer than 150 keys (a/b take a rater's value for one criterion, A/B
# for the whole item); every key sent is counted by send().
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
ws
cd "$T/ws" || exit 1

cat > rubrics/five.json <<'J'
{"name":"five","version":1,"mode":"single","criteria":[
 {"id":"s","type":"scale","min":1,"max":5,"question":"How good?"},
 {"id":"ok","type":"binary","labels":["fail","pass"],"question":"Does it pass?"},
 {"id":"chk","type":"checklist","question":"Which hold?","items":["cites","polite","concise"]},
 {"id":"kind","type":"choice","options":["fact","howto","other"],"question":"What kind?"},
 {"id":"safe","type":"binary","question":"Is it safe?"}]}
J
for i in 1 2 3 4; do printf '{"id":"k%d","input":"question %d","output":"answer %d"}\n' $i $i $i; done > "$T/k.jsonl"
"$GS" import "$T/k.jsonl" --set k >/dev/null 2>&1 || { echo "Bail out! import"; exit 1; }

KEYS=0
send() { s=$1; shift; KEYS=$((KEYS + $#)); tm_keys "$s" "$@"; }   # one tmux key per argument
shows() { tm_screen "$S" | grep -qF -- "$1"; }
expect() { n=$1; shift; if "$@"; then ok "$n"; else fail "$n" "$(tm_screen "$S" 2>/dev/null | head -30)"; fi; }
vals() { # RATER ID: the labels of RATER's label on ID, as compact JSON
  "$GS" export --rubric five --rater "$1" 2>&1 | /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o["id"] == sys.argv[1]: print(json.dumps(o["labels"], separators=(",", ":")))' "$2"
}
tm_gone() { i=0; while tm_alive "$1" && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; ! tm_alive "$1"; }
WANT='{"s":4,"ok":"pass","chk":{"cites":false,"polite":true,"concise":false},"kind":"other","safe":"no"}'

for size in 80x24 40x12; do
  S=L$size rater=r$size w=${size%x*} h=${size#*x}
  tm_start "$S" "$w" "$h" "cd '$T/ws' && exec $GS label --rubric five --as $rater --order file 2>>'$T/err-$S'"
  tm_wait "$S" "k1" || fail "$size: label screen came up" "$(tm_screen "$S")"
  send "$S" y
  expect "$size: y on a scale says what y does" tm_wait "$S" "y and n answer yes/no"
  KEYS=0
  send "$S" 4 y 2 Enter 3 n Enter   # s 4, ok pass, tick polite, Enter: the rest unticked, kind other, safe no, save
  expect "$size: one item of five criteria is saved" tm_wait "$S" "saved k1"
  expect "$size: it took 7 keys" [ "$KEYS" -eq 7 ]
  expect "$size: the label holds every answer" [ "$(vals "$rater" k1)" = "$WANT" ]
  # k2: two answers, then away and back: the draft survives
  send "$S" 5 y '>'
  expect "$size: > keeps unsaved answers as a draft" tm_wait "$S" "kept as a draft"
  send "$S" '<'
  expect "$size: coming back shows the draft" tm_wait "$S" "draft of this item is back"
  expect "$size: the draft's answers are on screen" [ "$(tm_screen "$S" | grep -c "pass")" -ge 1 ]
  send "$S" n   # focus on the checklist: n is the next item
  expect "$size: n goes to the next item when the focus is not yes/no" tm_wait "$S" "k3"
  send "$S" 1 y q   # k3: a draft too; q lists both
  expect "$size: q lists the drafts" tm_wait "$S" "Unsaved answers"
  expect "$size: the list names k2" shows "k2"
  send "$S" s   # none complete: nothing saved, k2 shown
  expect "$size: s with incomplete drafts shows the first" tm_wait "$S" "k2 has 5 answers missing"
  send "$S" 1 Enter 2 n Enter   # k2: tick cites, rest unticked, kind howto, safe no
  expect "$size: the completed draft is saved" tm_wait "$S" "saved k2"
  expect "$size: with the draft's first answers" [ "$(vals "$rater" k2)" = '{"s":5,"ok":"pass","chk":{"cites":true,"polite":false,"concise":false},"kind":"howto","safe":"no"}' ]
  send "$S" q
  expect "$size: q lists k3's draft" tm_wait "$S" "Unsaved answers"
  send "$S" d
  expect "$size: d discards and quits" tm_gone "$S"
  expect "$size: k3 stays unlabeled" [ -z "$(vals "$rater" k3)" ]
done

# ---- discuss: 115 disagreements over 50 items (a workspace of their own) ----
ws "$T/ws2"
cd "$T/ws2" || exit 1
cat > rubrics/dk.json <<'J'
{"name":"dk","version":1,"mode":"single","criteria":[
 {"id":"c1","type":"binary","question":"Acceptable?"},
 {"id":"c2","type":"scale","min":1,"max":3,"question":"How good?"},
 {"id":"c3","type":"choice","options":["p","q","r"],"question":"Which?"}]}
J
# ann: yes 1 p everywhere; ben: no 2 q on d01-d15 (3 cells each: 45), no 2
# p on d16-d50 (2 cells each: 70): 115 disagreeing cells
: > "$T/d.jsonl"; : > "$T/ann.jsonl"; : > "$T/ben.jsonl"
for i in $(seq 1 50); do
  id=$(printf 'd%02d' "$i"); c3=p; [ "$i" -le 15 ] && c3=q
  printf '{"id":"%s","input":"q%d","output":"a%d"}\n' "$id" "$i" "$i" >> "$T/d.jsonl"
  printf '{"id":"%s","rubric":"dk","labels":{"c1":"yes","c2":1,"c3":"p"}}\n' "$id" >> "$T/ann.jsonl"
  printf '{"id":"%s","rubric":"dk","labels":{"c1":"no","c2":2,"c3":"%s"}}\n' "$id" "$c3" >> "$T/ben.jsonl"
done
"$GS" import "$T/d.jsonl" --set d >/dev/null 2>&1 || { echo "Bail out! import d"; exit 1; }
for r in ann ben; do "$GS" import-labels "$T/$r.jsonl" --as $r >/dev/null 2>&1 || fail "import-labels $r"; done
expect_exit 0 "calibrate start of 50 items" "$GS" calibrate start dcal --raters ann,ben -n 50 --rubric dk --seed 3
"$GS" calibrate report dcal --json > "$T/rep.json" 2>&1
n=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["disagreements"]))' "$T/rep.json")
expect "the case has 115 disagreements" [ "$n" = 115 ]

S=D
tm_start D 80 24 "cd '$T/ws2' && $GS calibrate discuss dcal; echo EXIT=\$?; sleep 60"
tm_wait D "disagreement 1/115" || fail "discuss screen came up" "$(tm_screen D)"
tm_screen D > "$T/d.screen"
grep -qF "c1" "$T/d.screen" && grep -qF "c2" "$T/d.screen" && ok "one screen shows every disagreeing criterion of the item" \
  || fail "one screen shows every disagreeing criterion of the item" "$(cat "$T/d.screen")"
KEYS=0 seen=""
for k in $(seq 1 50); do
  id=$(tm_screen D | sed -n 2p | awk '{print $1}')
  case " $seen " in *" $id "*) fail "item $id shown twice" "$(tm_screen D)"; break ;; esac
  seen="$seen $id"
  num=${id#d}; num=${num#0}
  if [ "$num" -le 15 ]; then send D a B   # c1 from rater 1 (ann), the rest from rater 2 (ben)
  else send D A; fi                       # the whole item from rater 1
  [ "$k" -eq 50 ] && break
  i=0; while [ $i -lt 200 ] && [ "$(tm_screen D | sed -n 2p | awk '{print $1}')" = "$id" ]; do sleep 0.05; i=$((i+1)); done
done
expect "discuss: all settled on screen" tm_wait D "all 115 disagreements settled"
send D q
expect "discuss ends with the summary" tm_wait D "115 of 115 disagreements settled"
expect "115 disagreements took $KEYS keys (fewer than 150)" [ "$KEYS" -lt 150 ]
expect "the keys: 15 items x 2 + 35 items x 1 + q = 66" [ "$KEYS" -eq 66 ]
tm kill-session -t D
"$GS" export --consensus --rubric dk > "$T/cons"
c=$(grep -c '"status":"consensus"' "$T/cons")
expect "export --consensus: the 115 discussed cells are consensus (the 35 agreed ones majority)" [ "$c" = 115 ]
/usr/bin/python3 - "$T/cons" > "$T/cons.check" <<'P'
import json, sys
want = {}
for i in range(1, 51):
    d = "d%02d" % i
    if i <= 15: want.update({(d, "c1"): "yes", (d, "c2"): 2, (d, "c3"): "q"})
    else: want.update({(d, "c1"): "yes", (d, "c2"): 1})
got = {}
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o["status"] == "consensus": got[(o["id"], o["criterion"])] = o["value"]
bad = [k for k in want if got.get(k) != want[k]] + [k for k in got if k not in want]
print("OK" if not bad else "BAD %s" % bad[:5])
P
grep -q "^OK" "$T/cons.check" && ok "each value is the rater's the key named (a: ann, B/A: ben/ann)" \
  || fail "consensus values" "$(cat "$T/cons.check")"
