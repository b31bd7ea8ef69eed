# t-readonly.sh: a workspace that cannot be written. Read-only (a read-only
# bind mount, in a private mount namespace: chmod stops no root) and on a
# full disk (a tiny tmpfs filled up): the commands that only read (stats,
# export, log, agree, disagreements, diff, rubric list, calibrate show) work
# and print what they print on a writable workspace, and say once on stderr
# that nothing can be saved; a store an older goldset left at schema 6 is
# read without being migrated. The commands that save (label, import,
# import-labels, commit, calibrate start) fail with one line, exit 74, and
# change neither the store nor labels/.
READS='stats|export|log|agree --rubric qa|disagreements --rubric qa|diff|rubric list|calibrate show cal'
WRITES='import ITEMS --set more|import-labels LABELS --as carol|commit -m again|calibrate start cal2 --raters alice,bob -n 1|label --rubric qa --as alice'

setup() { # DIR: a workspace with labels of two raters, a commit and a calibration batch
  "$GS" init "$1" >/dev/null 2>&1 || return 1
  cat > "$1/rubrics/qa.json" <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"}]}
J
  for i in a b c d; do printf '{"id":"%s","input":"q","output":"o"}\n' $i; done > "$T/items.jsonl"
  printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}' '{"id":"b","rubric":"qa","labels":{"ok":"no"}}' > "$T/alice.jsonl"
  printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}' '{"id":"b","rubric":"qa","labels":{"ok":"yes"}}' > "$T/bob.jsonl"
  ( cd "$1" && "$GS" import "$T/items.jsonl" --set s && "$GS" import-labels "$T/alice.jsonl" --as alice &&
    "$GS" import-labels "$T/bob.jsonl" --as bob && "$GS" commit -m first &&
    "$GS" calibrate start cal --raters alice,bob -n 2 --seed 1 ) >/dev/null 2>&1
}
# runs every command of a list in workspace DIR, each into OUT/N.{out,err,rc}
run_all() { # DIR OUT LIST
  mkdir -p "$2"
  echo "$3" | tr '|' '\n' | sed "s|ITEMS|$T/items.jsonl|; s|LABELS|$T/alice.jsonl|" > "$2/list"
  n=0
  while read -r c; do
    n=$((n + 1))
    case $c in
      label*) ( cd "$1" && script -qec "$GS $c 2>'$2/$n.err'" /dev/null > "$2/$n.out" ); echo $? > "$2/$n.rc" ;;
      *) ( cd "$1" && $GS $c > "$2/$n.out" 2> "$2/$n.err" ); echo $? > "$2/$n.rc" ;;
    esac
  done < "$2/list"
}
fingerprint() { ( cd "$1" && find labels golden -type f | sort | xargs cksum; cksum < .goldset/goldset.db; ls .goldset ); }
# checks the runs in OUT against the writable run in $T/rw; WHY: the line
check_reads() { # OUT WHY LABEL
  n=0
  while read -r c; do
    n=$((n + 1))
    [ "$(cat "$1/$n.rc")" = 0 ] && ok "$3: $c works" || fail "$3: $c" "exit $(cat "$1/$n.rc")" "$(cat "$1/$n.err")"
    cmp -s "$1/$n.out" "$T/rw/$n.out" && ok "$3: $c prints what it prints when writable" \
      || fail "$3: $c output" "$(diff "$T/rw/$n.out" "$1/$n.out" | head -5)"
    grep -v "^0 added, 0 changed, 0 removed" "$1/$n.err" > "$1/$n.err1"   # diff's own summary
    [ "$(cat "$1/$n.err1")" = "goldset: $2: nothing can be saved" ] && ok "$3: $c says once that nothing can be saved" \
      || fail "$3: $c stderr" "$(cat "$1/$n.err")"
  done < "$1/list"
}
check_writes() { # OUT WHY LABEL
  n=0
  while read -r c; do
    n=$((n + 1))
    set -- "$1" "$2" "$3" "${c%% *}"
    [ "$(cat "$1/$n.rc")" = 74 ] && [ "$(wc -l < "$1/$n.err")" = 1 ] && grep -q "$2: nothing can be saved" "$1/$n.err" \
      && ok "$3: $4 refused in one line (74)" || fail "$3: $4" "exit $(cat "$1/$n.rc")" "$(cat "$1/$n.err")"
  done < "$1/list"
}

# inside a private mount namespace (this script run again by unshare -m)
case ${1:-} in
  inner-ro) # W read-only: every read and every write
    mount --bind "$W" "$W" && mount -o remount,ro,bind "$W" || exit 99
    touch "$W/.probe" 2>/dev/null && exit 98
    run_all "$W" "$T/ro-reads" "$READS"
    run_all "$W" "$T/ro-writes" "$WRITES"
    exit 0 ;;
  inner-old) # W read-only, the store left at schema 6
    mount --bind "$W" "$W" && mount -o remount,ro,bind "$W" || exit 99
    cd "$W" && "$GS" export > "$T/old.out" 2> "$T/old.err"; echo $? > "$T/old.rc"
    exit 0 ;;
  inner-full) # a workspace on a 3 MB tmpfs, filled up
    mount -t tmpfs -o size=3m tmpfs "$T/tiny" || exit 99
    setup "$T/tiny/ws" || exit 98
    run_all "$T/tiny/ws" "$T/rw-tiny" "$READS"
    cat /dev/zero > "$T/tiny/fill" 2>/dev/null
    fingerprint "$T/tiny/ws" > "$T/fp.full.before"
    run_all "$T/tiny/ws" "$T/full-reads" "$READS"
    run_all "$T/tiny/ws" "$T/full-writes" "$WRITES"
    fingerprint "$T/tiny/ws" > "$T/fp.full.after"
    exit 0 ;;
esac
. "$(dirname "$0")/lib.sh"
if ! unshare -m true 2>/dev/null; then
  echo "ok - read-only workspace # SKIP no private mount namespace (unshare -m)"; exit 0
fi
command -v sqlite3 >/dev/null || { echo "ok - read-only workspace # SKIP no sqlite3 shell"; exit 0; }
command -v script >/dev/null || { echo "ok - read-only workspace # SKIP no script(1) for the label screen"; exit 0; }
git config --global user.name "Test User"
git config --global user.email test@example.com

# ---- read-only: a read-only bind mount ----
W=$T/ws
setup "$W" || fail "setup"
run_all "$W" "$T/rw" "$READS"
fingerprint "$W" > "$T/fp.before"
GS="$GS" T="$T" W="$W" unshare -m sh "$0" inner-ro
nsrc=$?
if [ $nsrc -ge 98 ]; then
  echo "ok - read-only workspace # SKIP could not mount it read-only ($nsrc)"
else
  check_reads "$T/ro-reads" "the workspace is read-only" "read-only"
  check_writes "$T/ro-writes" "the workspace is read-only" "read-only"
  fingerprint "$W" | cmp -s - "$T/fp.before" && ok "read-only: store, labels/ and golden/ unchanged" \
    || fail "read-only: unchanged" "$(fingerprint "$W" | diff "$T/fp.before" -)"
  # an older store (schema 6, no application_id): read as it is, not migrated
  sqlite3 "$W/.goldset/goldset.db" "PRAGMA application_id = 0; PRAGMA user_version = 6;"
  fingerprint "$W" > "$T/fp.old"
  GS="$GS" T="$T" W="$W" unshare -m sh "$0" inner-old
  [ "$(cat "$T/old.rc")" = 0 ] && cmp -s "$T/old.out" "$T/rw/2.out" && fingerprint "$W" | cmp -s - "$T/fp.old" \
    && ok "read-only: a schema-6 store is read without being migrated" || fail "read-only schema 6" "$(cat "$T/old.err")"
fi

# ---- a full disk: a tiny tmpfs, filled up ----
mkdir -p "$T/tiny"
GS="$GS" T="$T" unshare -m sh "$0" inner-full
nsrc=$?
if [ $nsrc -ge 98 ]; then
  echo "ok - full disk # SKIP could not set up a tmpfs ($nsrc)"
else
  cp -r "$T/rw-tiny/." "$T/rw/"   # what the tiny workspace printed while it could be written
  check_reads "$T/full-reads" "the disk is full" "full disk"
  check_writes "$T/full-writes" "the disk is full" "full disk"
  cmp -s "$T/fp.full.before" "$T/fp.full.after" && ok "full disk: store, labels/ and golden/ unchanged" \
    || fail "full disk: unchanged" "$(diff "$T/fp.full.before" "$T/fp.full.after")"
fi
