# t-libgit2.sh: libgit2 is loaded with dlopen only by the commands that use
# git (src/vcs.c, src/vcs_libgit2.h), so the binary does not link it; the
# git commands still work; and when the library cannot be loaded
# (GOLDSET_LIBGIT2 names a file that is missing, or that is not libgit2)
# every git command fails with one line and exit 69, changing nothing,
# while the commands without git work as before.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main

# ---- the binary does not link libgit2 ----
if ldd "$GS" > "$T/ldd" 2>&1 && grep -q 'libsqlite3' "$T/ldd"; then
  grep -q 'libgit2' "$T/ldd" && fail "ldd: libgit2 is not linked" "$(grep libgit2 "$T/ldd")" \
    || ok "ldd: libgit2 is not linked"
else
  fail "ldd: libgit2 is not linked" "ldd did not list the libraries of $GS" "$(head -3 "$T/ldd")"
fi

# ---- with libgit2: init and commit ----
expect_exit 0 "init in a fresh folder" "$GS" init "$T/ws"
[ -d "$T/ws/.git" ] && ok "init made a git repository" || fail "init made a git repository"
cd "$T/ws" || exit 1
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null 2> "$T/err" || fail "import" "$(cat "$T/err")"
one_label() { labels "$1" '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}'; }   # RATER
one_label alice
expect_exit 0 "commit" "$GS" commit -m "first"
[ "$(git rev-list --count HEAD 2> /dev/null)" = 1 ] && ok "commit: git sees one commit" \
  || fail "commit: git sees one commit" "$(git log --oneline 2>&1)"
one_label bob

# ---- without libgit2 ----
# one_line NAME TEXT: $T/err is exactly one line, holding TEXT
one_line() {
  if [ "$(wc -l < "$T/err")" -eq 1 ] && err_has "$2"; then ok "$1: one line"
  else fail "$1: one line" "$(head -5 "$T/err")"; fi
}
snap() { # labels/, HEAD, the index and the store
  { find labels -type f | sort | xargs cksum; git rev-parse HEAD; cksum < .git/index; "$GS" export; } 2>&1 | cksum
}
before=$(snap)
missing=/nonexistent/libgit2.so
for cmd in "commit -m second" "log" "diff" "push" "pull" "agree --rubric qa --at HEAD"; do
  # shellcheck disable=SC2086
  expect_exit 69 "no libgit2: $cmd exits 69" env GOLDSET_LIBGIT2=$missing "$GS" $cmd
  one_line "no libgit2: $cmd" "goldset: git: cannot load $missing: cannot open shared object file"
done
err_has "(install the libgit2-1.5 package)" && ok "no libgit2: the line names the package" \
  || fail "no libgit2: the line names the package" "$(cat "$T/err")"
[ "$(snap)" = "$before" ] && ok "no libgit2: commit changed nothing" \
  || fail "no libgit2: commit changed nothing" "$(git status --porcelain)"
[ ! -e labels/qa/bob.jsonl ] && ok "no libgit2: no label file written" \
  || fail "no libgit2: no label file written" "$(find labels -type f)"

expect_exit 69 "no libgit2: init exits 69" env GOLDSET_LIBGIT2=$missing "$GS" init "$T/new/ws"
one_line "no libgit2: init" "goldset: git: cannot load $missing"
[ ! -e "$T/new" ] && ok "no libgit2: init created nothing" || fail "no libgit2: init created nothing" "$(find "$T/new")"

# a library that is not libgit2: named, with the first function it lacks
expect_exit 69 "not libgit2: commit exits 69" env GOLDSET_LIBGIT2=libz.so.1 "$GS" commit -m second
one_line "not libgit2: commit" "goldset: git: libz.so.1 has no function git_"

# the commands without git do not need it
expect_exit 0 "no libgit2: stats works" env GOLDSET_LIBGIT2=$missing "$GS" stats
expect_exit 0 "no libgit2: export works" env GOLDSET_LIBGIT2=$missing "$GS" export --rubric qa
[ "$(grep -c '"a"' "$T/out")" = 2 ] && ok "no libgit2: export prints both labels" \
  || fail "no libgit2: export prints both labels" "$(cat "$T/out")"

# and with it back, the same commit goes through
expect_exit 0 "libgit2 back: commit" "$GS" commit -m "second"
[ "$(git rev-list --count HEAD 2> /dev/null)" = 2 ] && [ -e labels/qa/bob.jsonl ] \
  && ok "libgit2 back: two commits, bob's labels in the second" \
  || fail "libgit2 back: two commits, bob's labels in the second" "$(git log --stat --oneline 2>&1)"
