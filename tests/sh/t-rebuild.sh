# t-rebuild.sh: `goldset init --rebuild` replaces a store that cannot be
# trusted. For a store that is empty, cut to half, another program's SQLite
# database, a text file, or damaged by one flipped byte (in a page that holds
# no labels; in the labels table's own page): it moves the file aside
# (.goldset/goldset.db.broken-*, byte for byte as it was), builds a new
# store from golden/, rubrics/ and labels/, and reads back every label row
# the old file still gives that labels/ does not hold: committed labels come
# back from the files, uncommitted ones (a changed label, new labels, another
# rater's) from the damaged store where it can be read, and they are current
# again. It says in one line each what it moved, loaded, recovered and
# could not recover, and exits 0. Between a label line the old store never
# held (a label file changed by git alone) and the store's row, the newer
# is current. Rows in an unreadable stretch of the labels table are counted
# as lost.
# A rebuild that fails (a bad label file) puts the old store back.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "ok - skipped: no sqlite3 shell"; exit 0; }
git config --global user.name "Test User"
git config --global user.email test@example.com
ws
cd "$T/ws" || exit 1
db=.goldset/goldset.db
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5}]}
J
for i in a b c d e f; do printf '{"id":"%s","input":"q %s","output":"o %s"}\n' $i $i $i; done > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}'
"$GS" commit -m "first labels" >/dev/null 2>&1 || fail "commit"
"$GS" export > "$T/committed"
# not committed: a changed label, a new one, another rater's, a calibration batch
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"no","stars":1}}' '{"id":"c","rubric":"qa","labels":{"ok":"yes","stars":5}}'
labels bob '{"id":"c","rubric":"qa","labels":{"ok":"yes","stars":3}}'
"$GS" calibrate start cal --raters alice,bob -n 2 --seed 1 >/dev/null 2>&1 || fail "calibrate start"
"$GS" export > "$T/all"
"$GS" calibrate show cal > "$T/cal" 2>&1
cp "$db" "$T/good.db"
[ ! -e "$db-wal" ] || fail "no WAL left after the commands"

poke() { printf "\\$(printf %o "$3")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
page_of() { sqlite3 "$T/good.db" "SELECT rootpage FROM sqlite_master WHERE name = '$1'"; }
damage() { # KIND
  rm -f "$db" "$db-wal" "$db-shm"
  case $1 in
    empty) : > "$db" ;;
    half) cp "$T/good.db" "$db"; truncate -s $(( $(stat -c %s "$T/good.db") / 2 )) "$db" ;;
    foreign) sqlite3 "$db" "PRAGMA application_id = 42; CREATE TABLE notes(x); INSERT INTO notes VALUES('hello');" ;;
    text) printf 'just some text\n' > "$db" ;;
    flipped) cp "$T/good.db" "$db"; poke "$db" $(( ($(page_of marks_item) - 1) * 4096 )) 255 ;;
    flipped-labels) cp "$T/good.db" "$db"; poke "$db" $(( ($(page_of labels) - 1) * 4096 )) 255 ;;
  esac
}
brokens() { ls .goldset | grep -c '^goldset\.db\.broken-[0-9TZ-]*$'; }
for kind in empty half foreign text flipped flipped-labels; do
  damage $kind
  cksum < "$db" > "$T/damaged"
  nb=$(brokens)
  expect_exit 0 "$kind store: init --rebuild exits 0" "$GS" init --rebuild
  b=$(ls -t .goldset/goldset.db.broken-* | grep -v -- '-wal$\|-shm$' | head -1)
  [ "$(brokens)" = $((nb + 1)) ] && cksum < "$b" | cmp -s - "$T/damaged" \
    && ok "$kind store: moved aside to $(basename "$b"), unchanged" || fail "$kind: moved aside" "$(ls .goldset)"
  grep -q "^moved .goldset/goldset.db aside to " "$T/out" && grep -q "^new store loaded from " "$T/out" \
    && grep -q "^recovered from the old store: " "$T/out" && grep -q "^could not recover: " "$T/out" \
    && [ "$(wc -l < "$T/out")" = 4 ] && ok "$kind store: one line each: moved, loaded, recovered, not recovered" \
    || fail "$kind: report" "$(cat "$T/out")"
  expect_exit 0 "$kind store: stats works after the rebuild" "$GS" stats
  "$GS" export > "$T/now"
  case $kind in
    empty|foreign|text) want="$T/committed" ;;
    *) want="$T/all" ;;
  esac
  cmp -s "$T/now" "$want" && ok "$kind store: labels back ($(wc -l < "$want") current)" \
    || fail "$kind: labels back" "$(diff "$want" "$T/now")"
done
# after the unrelated flipped byte: everything, the calibration batch too
damage flipped
"$GS" init --rebuild > "$T/out" 2>&1
grep -q "could not recover: nothing" "$T/out" && ok "flipped: nothing lost" || fail "flipped: nothing lost" "$(cat "$T/out")"
"$GS" calibrate show cal > "$T/cal2" 2>&1
cmp -s "$T/cal" "$T/cal2" && ok "flipped: the calibration batch is back" || fail "calibration batch" "$(diff "$T/cal" "$T/cal2")"
grep -q "3 label rows that labels/ does not hold (3 labels current from them), 2 already in labels/" "$T/out" \
  && ok "flipped: counts what came from where" || fail "flipped: counts" "$(cat "$T/out")"
"$GS" stats > "$T/stats" 2>&1
grep -q "^3 labels made here are not committed yet" "$T/stats" && ok "flipped: stats counts the recovered labels as not committed" \
  || fail "uncommitted after rebuild" "$(cat "$T/stats")"
expect_exit 0 "commit after the rebuild" "$GS" commit -m "after the rebuild"
"$GS" export > "$T/now"
git show HEAD:labels/qa/bob.jsonl > /dev/null 2>&1 && cmp -s "$T/now" "$T/all" \
  && ok "the recovered labels are committed" || fail "commit after rebuild" "$(git show --stat HEAD)"
damage empty
"$GS" init --rebuild > "$T/out" 2>&1
grep -q "recovered from the old store: nothing (it was empty (0 bytes))" "$T/out" && ok "empty: says why nothing" \
  || fail "empty: report" "$(cat "$T/out")"

# label lines the old store never held (label files changed by git alone):
# the newer of line and store row is current. Back to the first commit's
# files, b changed to a line from the future, c added with a line from the past
cp "$T/good.db" "$db"; rm -f "$db-wal" "$db-shm"
git show HEAD~1:labels/qa/alice.jsonl | sed '/"id":"b"/ s/"stars":2/"stars":3/; /"id":"b"/ s/"at":"[^"]*"/"at":"2999-01-01T00:00:00Z"/' > labels/qa/alice.jsonl
echo '{"id":"c","rubric":"qa","rubric_version":1,"rater":"alice","labels":{"ok":"no","stars":2},"at":"2000-01-01T00:00:00Z"}' >> labels/qa/alice.jsonl
rm -f labels/qa/bob.jsonl
"$GS" init --rebuild > "$T/out" 2>&1
"$GS" export --rater alice > "$T/now"
grep '"id":"a"' "$T/now" | grep -q '"stars":1' && ok "a store row newer than the committed line is current" \
  || fail "a: store row after the committed line" "$(cat "$T/now" "$T/out")"
grep '"id":"b"' "$T/now" | grep -q '"stars":3' && ok "a line from elsewhere, newer than the store's row, is current" \
  || fail "b: newer line from elsewhere" "$(cat "$T/now")"
grep '"id":"c"' "$T/now" | grep -q '"stars":5' && ok "a line from elsewhere, older than the store's row, is not" \
  || fail "c: older line from elsewhere" "$(cat "$T/now")"
git checkout -q HEAD -- labels

# many labels, one page of them wiped in the middle: rows lost are counted
for i in $(seq 1 400); do printf '{"id":"x%03d","input":"q","output":"o"}\n' $i; done > "$T/many.jsonl"
"$GS" import "$T/many.jsonl" --set many >/dev/null
for i in $(seq 1 400); do printf '{"id":"x%03d","rubric":"qa","labels":{"ok":"yes","stars":%d},"note":"a note to make the row longer than a few bytes"}\n' $i $((i % 5 + 1)); done > "$T/many-labels.jsonl"
"$GS" import-labels "$T/many-labels.jsonl" --as carol >/dev/null
leaf=$(sqlite3 "$db" "SELECT pageno FROM dbstat WHERE name = 'labels' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 3")
if [ -z "$leaf" ]; then
  echo "ok - a wiped page of labels # SKIP no dbstat in this sqlite3 shell"
else
  dd if=/dev/zero of="$db" bs=1 seek=$(( (leaf - 1) * 4096 + 1000 )) count=2000 conv=notrunc 2>/dev/null
  expect_exit 65 "a wiped labels page is refused" "$GS" stats
  expect_exit 0 "a wiped labels page: init --rebuild" "$GS" init --rebuild
  got=$("$GS" export --rater carol | wc -l)
  lost=$(sed -n 's/^could not recover: \([0-9]*\) rows of labels.*/\1/p' "$T/out")
  [ -n "$lost" ] && [ "$lost" -gt 0 ] && [ $((got + lost)) = 400 ] \
    && ok "a wiped labels page: $got of carol's 400 labels back, $lost counted as lost" \
    || fail "wiped page" "got $got" "$(cat "$T/out")"
fi

# a rebuild that fails leaves the old store where it was
damage flipped
cksum < "$db" > "$T/damaged"
mkdir -p labels/qa && echo '{not json' > labels/qa/zed.jsonl
nb=$(brokens)
expect_exit 65 "a bad label file: the rebuild fails (65)" "$GS" init --rebuild
cksum < "$db" | cmp -s - "$T/damaged" && [ "$(brokens)" = "$nb" ] && err_has "the old store is back in place" \
  && ok "and the old store is back in place" || fail "put back" "$(ls .goldset)" "$(cat "$T/err")"
rm labels/qa/zed.jsonl

"$GS" init --help > "$T/help"
grep -q -- "--rebuild" "$T/help" && ok "init --help shows --rebuild" || fail "init --help" "$(cat "$T/help")"
