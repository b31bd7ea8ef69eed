# t-import-keys.sh: every item row gets its shuffle key (items.shuf) as it
# is imported, so the label screen's first start writes nothing. A large
# import (past 20 000 new rows) builds the label queue's shuffle index once
# at the end: afterwards the index is there, the store is sound and the key
# of every row is the one the label queue uses (gs_order('', id), as the
# upgrade of older stores computes it). A large import refused by its last
# line keeps the old index and rows.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "ok - skipped: no sqlite3 shell"; exit 0; }
ws
cd "$T/ws" || exit 1
db=.goldset/goldset.db
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' > "$T/small.jsonl"
"$GS" import "$T/small.jsonl" --set small >/dev/null
[ "$(sqlite3 "$db" "SELECT count(*) FROM items WHERE shuf IS NULL")" = 0 ] \
  && ok "a small import gives every row its shuffle key" || fail "small import keys" "$(sqlite3 "$db" "SELECT ext_id, shuf FROM items")"
awk 'BEGIN { for (i = 0; i < 21000; i++) printf "{\"id\":\"k%05d\",\"input\":\"q\",\"output\":\"o\"}\n", i }' > "$T/big.jsonl"
expect_exit 0 "import of 21 000 items" "$GS" import "$T/big.jsonl" --set big
[ "$(sqlite3 "$db" "SELECT count(*), count(shuf) FROM items")" = "21002|21002" ] \
  && ok "a large import gives every row its shuffle key" || fail "large import keys" "$(sqlite3 "$db" "SELECT count(*), count(shuf) FROM items")"
idx() { sqlite3 "$db" "SELECT sql FROM sqlite_master WHERE name = 'items_queue_shuf'"; }
[ "$(idx)" = "CREATE INDEX items_queue_shuf ON items(is_current, kind, shuf, ext_id)" ] \
  && ok "the shuffle index is there after the large import" || fail "shuffle index" "$(idx)"
[ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ] && ok "integrity_check ok" || fail "integrity_check"
sqlite3 "$db" "SELECT id, shuf FROM items ORDER BY id" > "$T/keys.import"
# the same keys as the upgrade computes with gs_order: rows without keys, at schema 6
sqlite3 "$db" "UPDATE items SET shuf = NULL; CREATE INDEX items_unshuffled ON items(id) WHERE shuf IS NULL;
  PRAGMA user_version = 6;"
"$GS" stats >/dev/null 2>&1
sqlite3 "$db" "SELECT id, shuf FROM items ORDER BY id" > "$T/keys.upgrade"
cmp -s "$T/keys.import" "$T/keys.upgrade" && [ -s "$T/keys.import" ] \
  && ok "the keys set at import are those gs_order gives (the upgrade of older stores)" \
  || fail "keys differ" "$(diff "$T/keys.import" "$T/keys.upgrade" | head -4)"
[ "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'items_unshuffled'")" = 0 ] && [ -n "$(idx)" ] \
  && ok "the upgrade drops items_unshuffled, keeps the shuffle index" || fail "indexes after the upgrade"

# a large import whose last line is bad: nothing changes, the index stays
awk 'BEGIN { for (i = 0; i < 21000; i++) printf "{\"id\":\"m%05d\",\"input\":\"q\",\"output\":\"o\"}\n", i; print "{not json" }' > "$T/bad.jsonl"
expect_exit 65 "a large import refused by its last line" "$GS" import "$T/bad.jsonl" --set more
[ "$(sqlite3 "$db" "SELECT count(*) FROM items")" = 21002 ] && [ -n "$(idx)" ] \
  && ok "refused: no row added, the shuffle index kept" || fail "refused import" "$(sqlite3 "$db" "SELECT count(*) FROM items")" "$(idx)"

# the label screen's first start after the import: the queue reads keys, writes none
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"}]}
J
tm_start lk 100 30 "cd '$T/ws' && GOLDSET_EXIT_AFTER_DRAW=1 $GS label --rubric qa --as alice; echo \$? > '$T/label.rc'"
i=0; while [ ! -s "$T/label.rc" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
[ "$(cat "$T/label.rc" 2>/dev/null)" = 0 ] && ok "the label screen starts after the import" || fail "label start" "$(cat "$T/label.rc" 2>/dev/null)"
