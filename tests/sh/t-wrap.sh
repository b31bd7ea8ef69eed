# t-wrap.sh: the screens wrap rubric text instead of cutting it at the
# edge: the question and the anchors of the focused criterion in `label` at
# 80x24 and 40x12 (below the item) and 100x30 (beside it), and in
# `calibrate discuss` at 100x30, 80x24 and 40x12, and the focused question
# of `pair` at the same sizes (with its three keys), read back through tmux.
# A text on the screen is there whole (joined over its lines) or not at all,
# never cut; an emoji ZWJ sequence in an anchor (👨‍👩‍👧) stays one glyph,
# its joiners not escaped.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || { echo "ok - # SKIP no C.UTF-8 locale"; exit 0; }
export LC_ALL=C.UTF-8
ws
cd "$T/ws"
FAMILY=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
Q="Is everything the reply states true for our product, the customer's plan and the policies in force?"
A1="The central claim or instruction is wrong; following it would fail or cause harm."
A2="Mostly wrong, or right on a detail but wrong on what the customer asked about."
A3="Right overall, and friendly to the whole family $FAMILY as the customer wished."
cat > rubrics/w.json <<J
{"name":"w","version":1,"mode":"single","criteria":[
 {"id":"correctness","type":"scale","min":1,"max":3,"question":"$Q","anchors":{"1":"$A1","2":"$A2","3":"$A3"}},
 {"id":"tone","type":"binary","question":"Polite?","labels":["no","yes"]}]}
J
awk 'BEGIN { for (i = 1; i <= 4; i++) printf "{\"id\":\"w-%d\",\"input\":\"question %d\",\"output\":\"answer %d\"}\n", i, i, i }' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set w > /dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }
"$GS" calibrate start wb --raters ann,bob --rubric w -n 2 --seed 3 > /dev/null 2>&1 || { echo "Bail out! calibrate start"; exit 1; }
for r in ann:1 bob:3; do
  "$GS" calibrate show wb | awk '/^items:/ { f = 1; next } f { print $1 }' | while read -r id; do
    printf '{"id":"%s","rubric":"w","batch":"wb","labels":{"correctness":%s,"tone":"yes"}}\n' "$id" "${r#*:}"
  done > "$T/l.jsonl"
  "$GS" import-labels "$T/l.jsonl" --as "${r%%:*}" > /dev/null 2>&1 || fail "labels of ${r%%:*}"
done

# panel TEXT: the screen's rubric panel as one line, spaces collapsed (beside
# the item: what follows the divider; below it: what follows the rule)
panel() {
  tm_screen "$1" | awk '
    /│/ { sub(/^[^│]*│/, ""); print; next }
    /^──/ { below = 1; next }
    below' | tr '\n' ' ' | tr -s ' '
}
# whole NAME SESSION [-o] TEXT...: each TEXT is in the panel whole; with -o
# it may be in part (the rows ran out), but then cut at a space, never
# inside a word (what a cut at the right edge would do)
whole() {
  n=$1 s=$2; shift 2; part=0; [ "$1" = -o ] && { part=1; shift; }
  panel "$s" > "$T/panel"
  bad=$(python3 - "$T/panel" "$part" "$@" <<'P'
import sys
p = open(sys.argv[1], encoding="utf-8").read()
part = sys.argv[2] == "1"
for t in sys.argv[3:]:
    if t in p:
        continue
    k = max([k for k in range(1, len(t)) if t[:k] in p] or [0])
    if not part or k >= 8 and t[k - 1] != " " and t[k] != " ":
        print("[%s: %s]" % ("cut" if part else "missing", t[:max(k, 24)]))
P
)
  [ -z "$bad" ] && ok "$n" || fail "$n" "$bad" "$(tm_screen "$s")"
}

for size in 80x24 100x30 40x12; do
  w=${size%x*} h=${size#*x}
  tm_start "l$w" "$w" "$h" "cd '$T/ws' && LC_ALL=C.UTF-8 exec $GS label --rubric w --as carol 2>>'$T/err.log'"
  tm_wait "l$w" "correctness" || fail "label at $size starts" "$(tm_screen "l$w")"
  if [ "$w" -ge 80 ]; then
    whole "label at $size: the question and every anchor wrapped whole" "l$w" "$Q" "$A1" "$A2" "$A3"
  else   # 40x12: the rows run out, but no line is cut at the edge
    whole "label at $size: no rubric text cut" "l$w" -o "$Q" "$A1" "$A2" "$A3"
  fi
  tm_keys "l$w" q; sleep 0.2
done
tm_start l80e 80 24 "cd '$T/ws' && LC_ALL=C.UTF-8 exec $GS label --rubric w --as carol 2>>'$T/err.log'"
tm_wait l80e "correctness"
tm_screen l80e | grep -qF "$FAMILY" && ! tm_screen l80e | grep -qF "<U+200D>" \
  && ok "a ZWJ family emoji in an anchor is one glyph, joiners not escaped" || fail "ZWJ in an anchor" "$(tm_screen l80e)"
tm_keys l80e q

for size in 100x30 80x24 40x12; do
  w=${size%x*} h=${size#*x}
  tm_start "d$w" "$w" "$h" "cd '$T/ws' && LC_ALL=C.UTF-8 exec $GS calibrate discuss wb 2>>'$T/err.log'"
  tm_wait "d$w" "agreed" || fail "discuss at $size starts" "$(tm_screen "d$w")"
  case $w in
    100) whole "discuss at $size: the question and every option's anchor wrapped whole" "d$w" "$Q" "$A1" "$A2" "$A3" ;;
    80) whole "discuss at $size: the question wrapped whole, no anchor cut" "d$w" "$Q"
        whole "discuss at $size: no anchor cut" "d$w" -o "$A1" "$A2" "$A3" ;;
    *) whole "discuss at $size: no rubric text cut" "d$w" -o "$Q" "$A1" "$A2" "$A3" ;;
  esac
  tm_keys "d$w" q; sleep 0.2
done

# pair: the focused criterion's question whole (wrapped under its row when
# the row has no room), and its three keys, at every size
PQ="Which reply would you rather send to a customer who is already upset about being charged twice?"
cat > rubrics/pw.json <<J
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference","question":"$PQ"},
 {"id":"safer","type":"preference","question":"Which is safer?"}]}
J
awk 'BEGIN { for (i = 1; i <= 3; i++) printf "{\"id\":\"p-%d\",\"input\":\"q %d\",\"outputs\":[{\"system\":\"x\",\"text\":\"one %d\"},{\"system\":\"y\",\"text\":\"two %d\"}]}\n", i, i, i, i }' > "$T/pairs.jsonl"
"$GS" import "$T/pairs.jsonl" --set p > /dev/null 2>&1 || fail "import pairs" ""
for size in 100x30 80x24 40x12; do
  w=${size%x*} h=${size#*x}
  tm_start "p$w" "$w" "$h" "cd '$T/ws' && LC_ALL=C.UTF-8 exec $GS pair --rubric pw --set p --as carol 2>>'$T/err.log'"
  tm_wait "p$w" "better" || fail "pair at $size starts" "$(tm_screen "p$w")"
  tm_screen "p$w" | tr '\n' ' ' | tr -s ' ' > "$T/pscreen"
  grep -qF "$PQ" "$T/pscreen" && grep -qF "a/1" "$T/pscreen" && grep -qF "b/2" "$T/pscreen" && grep -qF "t/3" "$T/pscreen" \
    && ok "pair at $size: the focused question whole, keys a/1 b/2 t/3" || fail "pair at $size: question and keys" "$(tm_screen "p$w")"
  tm_keys "p$w" q; sleep 0.2
done
