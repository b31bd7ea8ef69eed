# t-store-check.sh: the store (.goldset/goldset.db) is checked before it is
# trusted. A file that is empty (0 bytes), truncated, another program's
# SQLite database (another application_id, or none and other tables), not a
# database at all, or damaged (one byte flipped in a page that holds no
# labels) is refused by stats, label and commit with one line that names the
# file and `goldset init --rebuild`, exit 65; labels/ and the file itself
# stay as they were (it is never taken for an empty store, so commit never
# removes label files). A new store carries goldset's application_id.
# A store too big for the quick check on open is refused by the first read
# that meets the damage.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "ok - skipped: no sqlite3 shell"; exit 0; }
git config --global user.name "Test User"
git config --global user.email test@example.com
ws
cd "$T/ws" || exit 1
db=.goldset/goldset.db
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}' '{"id":"b","rubric":"qa","labels":{"ok":"no"}}'
"$GS" commit -m "first labels" >/dev/null 2>&1 || fail "commit"
[ "$(sqlite3 "$db" "PRAGMA application_id")" = 1196639572 ] && ok "a new store has application_id GSET" \
  || fail "application_id" "$(sqlite3 "$db" "PRAGMA application_id")"
cp "$db" "$T/good.db"
snap() { find labels -type f | sort | xargs cksum; git rev-parse HEAD; }
snap > "$T/labels.before"

# flip BYTE at byte OFFSET of FILE
poke() { printf "\\$(printf %o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
# the first byte (the b-tree page type) of the root page of index marks_item:
# a page no label lives in
flip_index_page() {
  root=$(sqlite3 "$T/good.db" "SELECT rootpage FROM sqlite_master WHERE name = 'marks_item'")
  cp "$T/good.db" "$db"; poke "$db" $(( (root - 1) * 4096 )) 255
}
damage() { # KIND: replaces the store with a bad one
  rm -f "$db" "$db-wal" "$db-shm"
  case $1 in
    empty) : > "$db" ;;
    half) cp "$T/good.db" "$db"; truncate -s $(( $(stat -c %s "$T/good.db") / 2 )) "$db" ;;
    foreign-id) sqlite3 "$db" "PRAGMA application_id = 42; CREATE TABLE labels(x); CREATE TABLE items(x);
      CREATE TABLE heads(x); CREATE TABLE rubrics(x); PRAGMA user_version = 5;" ;;
    foreign) sqlite3 "$db" "CREATE TABLE notes(x); INSERT INTO notes VALUES('hello');" ;;
    text) printf 'just some text\n' > "$db" ;;
    flipped) flip_index_page ;;
  esac
}
# label in a terminal (tmux): its exit status in $T/label.rc
run_label() {
  rm -f "$T/label.rc"
  tm_start lb 100 30 "cd '$T/ws' && $GS label --rubric qa --as alice 2>'$T/err'; echo \$? > '$T/label.rc'"
  i=0; while [ ! -s "$T/label.rc" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  tm kill-session -t lb 2>/dev/null
  [ "$(cat "$T/label.rc" 2>/dev/null)" = 65 ]
}
one_line() { # the refusal: one line, naming the file and the way out
  [ "$(wc -l < "$T/err")" = 1 ] && err_has "$T/ws/$db" && err_has "goldset init --rebuild"
}
for kind in empty half foreign-id foreign text flipped; do
  damage $kind
  cksum < "$db" > "$T/db.before"
  for c in stats "commit -m again"; do
    expect_exit 65 "$kind store: ${c%% *} refused (65)" "$GS" $c
    one_line && ok "$kind store: ${c%% *} says so in one line" || fail "$kind: $c message" "$(cat "$T/err")"
  done
  run_label && one_line && ok "$kind store: label refused in one line (65)" \
    || fail "$kind store: label" "rc $(cat "$T/label.rc" 2>/dev/null)" "$(cat "$T/err")"
  snap | cmp -s - "$T/labels.before" && ok "$kind store: labels/ and HEAD unchanged" \
    || fail "$kind: labels unchanged" "$(snap)"
  cksum < "$db" | cmp -s - "$T/db.before" && [ ! -e "$db-wal" ] && ok "$kind store: the file is left as it was" \
    || fail "$kind: file untouched"
done
damage empty
expect_exit 65 "init refuses an empty store too" "$GS" init
err_has "is empty (0 bytes)" && ok "empty: says it is empty" || fail "empty message" "$(cat "$T/err")"
damage foreign-id
"$GS" stats 2>"$T/err"; err_has "application_id 0x0000002a" && ok "foreign: names its application_id" \
  || fail "foreign message" "$(cat "$T/err")"

# a store older than the application_id (schema 6, none set) still opens and gets it
rm -f "$db"; cp "$T/good.db" "$db"
sqlite3 "$db" "PRAGMA application_id = 0; PRAGMA user_version = 6;
  CREATE INDEX items_unshuffled ON items(id) WHERE shuf IS NULL;"
expect_exit 0 "a schema-6 store without application_id opens" "$GS" stats
[ "$(sqlite3 "$db" "PRAGMA application_id")" = 1196639572 ] && ok "and is given the application_id" \
  || fail "application_id after upgrade"
snap | cmp -s - "$T/labels.before" && "$GS" export | grep -q '"id":"b"' && ok "its labels read as before" \
  || fail "labels after upgrade" "$("$GS" export)"

# a store bigger than the quick check: the damage is met by the first read of it
ws "$T/big"
cd "$T/big" || exit 1
cp "$T/ws/rubrics/qa.json" rubrics/
awk 'BEGIN { pad = ""; for (i = 0; i < 60; i++) pad = pad "lorem ipsum ";
  for (i = 0; i < 800; i++) printf "{\"id\":\"i%05d\",\"input\":\"q %s\",\"output\":\"o %s\"}\n", i, pad, pad }' > "$T/big.jsonl"
"$GS" import "$T/big.jsonl" --set big >/dev/null
labels alice '{"id":"i00001","rubric":"qa","labels":{"ok":"yes"}}'
pages=$(sqlite3 "$db" "PRAGMA page_count")
[ "$pages" -gt 256 ] && ok "big store: $pages pages (more than the quick check covers)" || fail "big store size" "$pages"
root=$(sqlite3 "$db" "SELECT rootpage FROM sqlite_master WHERE name = 'heads'")
poke "$db" $(( (root - 1) * 4096 )) 255
expect_exit 65 "big store, heads page damaged: stats refused (65)" "$GS" stats
one_line() { [ "$(wc -l < "$T/err")" = 1 ] && err_has "$T/big/$db is damaged" && err_has "goldset init --rebuild"; }
one_line && ok "big store: one line names the file and the rebuild" || fail "big store message" "$(cat "$T/err")"
expect_exit 65 "big store: commit refused (65)" "$GS" commit -m x
[ -z "$(ls labels)" ] && ok "big store: commit wrote no label file" || fail "big store: labels/" "$(ls -R labels)"
