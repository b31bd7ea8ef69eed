# label.sh: the labeling screen.
#  1. save to durable: label_save() (what Enter does; tests/bench/label_save.c)
#     over N_SAVES saves, against bare_insert.c doing one INSERT + COMMIT
#     into a labels-shaped table with WAL and synchronous=FULL; the two take
#     turns save by save in one process. Goal: median at most 1.2x.
#  2. start-up to the first drawn item on 100k items (the screen runs in tmux
#     with GOLDSET_EXIT_AFTER_DRAW=1, a hook that exits right after the first
#     draw), against the sqlite3 shell opening the same database and
#     selecting the first unlabeled item. Goal: at most 2x. Also 1k items.
#  3. peak memory of the screen with 1k items against 100k. Goal: within 1.2x.
#  4. the first start right after importing the 100k items into a workspace
#     in use, against the next three starts, in FIRST_RUNS (3) workspaces.
#     Goal: about 1 (the import sets the shuffle keys and counts the queue).
# Standalone: GOLDSET=./goldset sh tests/bench/label.sh (needs the objects of
# `make`, tmux, sqlite3 and a C compiler).
. "$(dirname "$0")/lib.sh"
N_SAVES=${N_SAVES:-3000}
RUNS=${RUNS:-15}
TM="tmux -L gsb$$"
trap '$TM kill-server 2>/dev/null; rm -rf "$B"' EXIT
export TERM=${TERM:-xterm-256color}
command -v tmux >/dev/null || { echo "label: tmux not installed, skipped"; exit 0; }

bench_cc "$B/label_save" "$TOP/tests/bench/label_save.c" "$TOP/tests/bench/bare_insert.c" ||
  { echo "label: cannot build label_save"; exit 1; }

gen() { # N FILE: N items of about 600 bytes
  awk -v n="$1" 'BEGIN {
    pad = ""; for (i = 0; i < 50; i++) pad = pad "lorem ipsu";
    for (i = 0; i < n; i++)
      printf "{\"id\":\"b-%06d\",\"input\":\"Question %d about invoices?\",\"output\":\"Answer %d %s\",\"meta\":{\"segment\":\"%s\"}}\n", i, i, i, pad, (i % 3 ? "paid" : "free")
  }' > "$2"
}
mkws() { # DIR N
  "$GS" init "$1" >/dev/null 2>&1
  cat > "$1/rubrics/tl.json" <<'J'
{"name":"tl","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","labels":["no","yes"]},{"id":"s","type":"scale","min":1,"max":3},
 {"id":"chk","type":"checklist","items":["a","b"]}]}
J
  gen "$2" "$B/items.jsonl"
  "$GS" -C "$1" import "$B/items.jsonl" --set bench >/dev/null 2>&1
}
med() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
p95() { sort -n "$1" | awk '{ v[NR] = $1 } END { i = int(NR * 0.95); if (i < 1) i = 1; print v[i] }'; }

# ---- 1. save to durable ----
mkws "$B/wss" "$N_SAVES"
"$GS" -C "$B/wss" rubric list >/dev/null 2>&1
"$B/label_save" "$B/wss/.goldset/goldset.db" "$B/wss/rubrics/tl.json" "$B/bare.db" "$N_SAVES" > "$B/pairs.us" || exit 1
awk '{ print $1 }' "$B/pairs.us" > "$B/gs.us"; awk '{ print $2 }' "$B/pairs.us" > "$B/bare.us"
g=$(med "$B/gs.us"); b=$(med "$B/bare.us")
echo "save to durable, $N_SAVES saves: goldset median ${g} us (p95 $(p95 "$B/gs.us")),"\
  "bare INSERT+COMMIT median ${b} us (p95 $(p95 "$B/bare.us")): ratio $(ratio "$g" "$b") (goal <= 1.2)"

# ---- 2. start-up, 3. memory, 4. first start after an import ----
# wsfirstN are workspaces in use (one item, the rubric already used on the
# screen) into which drive.sh imports the 100k items just before their first
# start: so that start differs from the later ones by the import alone;
# wsfirst1 is then ws100k of the other measurements
FIRST_RUNS=${FIRST_RUNS:-3}
for c in $(seq "$FIRST_RUNS"); do mkws "$B/wsfirst$c" 1; done
gen 100000 "$B/items100k.jsonl"
mkws "$B/ws1k" 1000
SQL="SELECT json FROM items i WHERE is_current AND kind = 'single' AND NOT EXISTS (SELECT 1 FROM heads h
 WHERE h.rubric = 'tl' AND h.rater = 'bench' AND h.ext_id = i.ext_id AND h.pair_key = '') ORDER BY set_name, ord LIMIT 1"
cat > "$B/drive.sh" <<E
# runs inside tmux: one start-up per line, in ms
ns() { date +%s%N; }
label() { GOLDSET_EXIT_AFTER_DRAW=1 "$GS" -C "\$1" label --rubric tl --as bench \$2; }
for c in \$(seq $FIRST_RUNS); do   # first start right after the import, then 3 more
  w="$B/wsfirst\$c"
  label "\$w"   # the rubric used once: remembered before the import
  "$GS" -C "\$w" import "$B/items100k.jsonl" --set bench > /dev/null 2>&1
  sync   # the kernel's writeback of the import is not the screen's work
  t=\$(ns); label "\$w"; echo \$(( (\$(ns) - t) / 1000 )) > "$B/first\$c.us"
  for i in 1 2 3; do t=\$(ns); label "\$w"; echo \$(( (\$(ns) - t) / 1000 )) >> "$B/later\$c.us"; done
done
ln -s "$B/wsfirst1" "$B/ws100k"
label "$B/ws1k"   # (not to /dev/null: the screen wants a terminal)
for i in \$(seq $RUNS); do
  t=\$(ns); label "$B/ws100k"; echo \$(( (\$(ns) - t) / 1000 )) >> "$B/gs100k.us"
  t=\$(ns); label "$B/ws100k" "--order file"; echo \$(( (\$(ns) - t) / 1000 )) >> "$B/gsfile.us"
  t=\$(ns); label "$B/ws1k"; echo \$(( (\$(ns) - t) / 1000 )) >> "$B/gs1k.us"
  t=\$(ns); sqlite3 "$B/ws100k/.goldset/goldset.db" "$SQL" > /dev/null; echo \$(( (\$(ns) - t) / 1000 )) >> "$B/sq.us"
done
/usr/bin/time -f %M -o "$B/rss1k" env GOLDSET_EXIT_AFTER_DRAW=1 "$GS" -C "$B/ws1k" label --rubric tl --as bench
/usr/bin/time -f %M -o "$B/rss100k" env GOLDSET_EXIT_AFTER_DRAW=1 "$GS" -C "$B/ws100k" label --rubric tl --as bench
touch "$B/done"
E
$TM new-session -d -s b -x 100 -y 30 "sh '$B/drive.sh' 2>'$B/drive.err'"
i=0
while [ ! -e "$B/done" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
[ -e "$B/done" ] || { echo "label: start-up runs did not finish"; cat "$B/drive.err"; exit 1; }
n=$(sqlite3 "$B/ws100k/.goldset/goldset.db" "SELECT count(*) FROM items WHERE is_current")
[ "$n" = 100000 ] || { echo "label: the 100k import into ws100k failed ($n items)"; exit 1; }
g=$(med "$B/gs100k.us"); f=$(med "$B/gsfile.us"); s=$(med "$B/sq.us"); k=$(med "$B/gs1k.us")
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
echo "start-up to first drawn item, 100k items: goldset $(ms "$g") ms (shuffled), $(ms "$f") ms (--order file);"\
  "sqlite3 shell first unlabeled item $(ms "$s") ms: ratio $(ratio "$g" "$s") (goal <= 2)"
echo "start-up with 1k items: goldset $(ms "$k") ms (100k/1k: $(ratio "$g" "$k"))"
for c in $(seq "$FIRST_RUNS"); do
  f1=$(cat "$B/first$c.us") l1=$(med "$B/later$c.us")
  echo "$(ratio "$f1" "$l1") $(ms "$f1") $(ms "$l1")"
done | sort -n > "$B/firsts"
echo "first start right after importing 100k items against the next 3 starts, $FIRST_RUNS workspaces:"\
  "$(awk '{ printf "%s%s ms / %s ms", (NR > 1 ? ", " : ""), $2, $3 }' "$B/firsts");"\
  "median ratio $(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' "$B/firsts") (goal ~1: the import sets the shuffle keys)"
r1=$(cat "$B/rss1k"); r2=$(cat "$B/rss100k")
echo "peak memory of the screen: 1k items ${r1} KB, 100k items ${r2} KB, ratio $(ratio "$r2" "$r1") (goal <= 1.2)"
