# t-upgrade.sh: a workspace whose store an older goldset left at schema 4
# (labels indexed by labels_key) opens in this one: migration 5 replaces
# that index with labels_pair (pairwise rows only), and every label, current
# and past, reads as before: export, agree, stats, the label queue.
# Migration 6 gives calibration batches the times shared files need.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "ok - skipped: no sqlite3 shell"; exit 0; }
ws
cd "$T/ws" || exit 1
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' \
  '{"id":"c","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}'
labels bob '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":5}}' '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":1}}'
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"no","stars":3}}'   # a second row for (a, alice)
snapshot() { # DIR: what the labels read as
  mkdir -p "$1"
  "$GS" export > "$1/export" 2>&1
  "$GS" agree --rubric qa --json > "$1/agree" 2>&1
  "$GS" stats --json > "$1/stats" 2>&1
}
# a calibration batch whose report was opened, and one still blind
"$GS" calibrate start up1 --raters alice,bob -n 1 --seed 3 --rubric qa >/dev/null 2>&1 || fail "calibrate start up1"
"$GS" calibrate report up1 --force >/dev/null 2>&1 || fail "calibrate report up1"
"$GS" calibrate start up2 --raters alice,bob -n 1 --seed 4 --rubric qa >/dev/null 2>&1 || fail "calibrate start up2"
snapshot "$T/before"
db=.goldset/goldset.db
rows=$(sqlite3 "$db" "SELECT count(*) FROM labels")

# back to schema 4, as goldset 0.1 left it
sqlite3 "$db" "DROP INDEX labels_pair; CREATE INDEX labels_key ON labels(rubric, ext_id, rater, pair_key);
  ALTER TABLE batches DROP COLUMN at; ALTER TABLE batches DROP COLUMN revealed_at; PRAGMA user_version = 4;"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 4 ] && ok "the store is at schema 4" || fail "the store is at schema 4"

snapshot "$T/after"
[ "$(sqlite3 "$db" "PRAGMA user_version")" = 6 ] && ok "opening it migrates to the current schema (6)" \
  || fail "migrates to schema 6" "$(sqlite3 "$db" "PRAGMA user_version")"
idx=$(sqlite3 "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'index'
  AND tbl_name = 'labels' ORDER BY name)")
[ "$idx" = "labels_pair" ] && ok "labels_key is replaced by labels_pair" || fail "indexes of labels" "$idx"
[ "$(sqlite3 "$db" "SELECT count(*) FROM labels")" = "$rows" ] && [ "$rows" = 5 ] \
  && ok "every label row is kept (history too)" || fail "label rows" "$rows"
for f in export agree stats; do
  cmp -s "$T/before/$f" "$T/after/$f" && ok "$f reads as before" || fail "$f reads as before" "$(diff "$T/before/$f" "$T/after/$f" | head -5)"
done
grep -q '"stars":3' "$T/after/export" && ok "the newest row of (a, alice) is current" \
  || fail "newest row is current" "$(cat "$T/after/export")"
# migration 6: a batch was decided when it was created; an opened report
# gets that time too (the best known), a blind batch none
b=$(sqlite3 "$db" "SELECT group_concat(name || ':' || (at = created_at) || ':' || coalesce(revealed_at = created_at, 'blind'), ' ')
  FROM (SELECT * FROM batches ORDER BY name)")
[ "$b" = "up1:1:1 up2:1:blind" ] && ok "migration 6: batches get their at and revealed_at" || fail "migration 6" "$b"
[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ] && ok "integrity_check ok" || fail "integrity_check"

# the label queue after the upgrade: alice has only c left
tm_start up 100 30 "cd '$T/ws' && exec $GS label --rubric qa --as alice 2>>'$T/err-up.log'"
tm_wait up "2/3" && tm_screen up | sed -n 2p | grep -q "^c " && ok "label queue: alice goes on with c" \
  || fail "label queue after upgrade" "$(tm_screen up)"
tm_keys up 1 2 Enter
tm_wait up "all done" || tm_wait up "saved c"
"$GS" export --rater alice > "$T/alice" 2>&1
[ "$(wc -l < "$T/alice")" = 3 ] && ok "a label saved after the upgrade is stored" || fail "save after upgrade" "$(cat "$T/alice")"
tm kill-session -t up 2>/dev/null
