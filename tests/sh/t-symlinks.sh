# t-symlinks.sh: goldset never follows a symbolic link (a workspace is
# untrusted).  A teammate's commit holding links under labels/ and
# golden/ to files outside (valid label lines, valid items) is refused by
# init in a fresh clone, by pull (before anything changes) and by
# agree --at / diff; links placed by hand in the working tree (a file in
# labels/, golden/, rubrics/; golden/ or .goldset/tmp themselves) are
# refused in one line by init, import, commit and stats, and nothing is
# read from or written outside the workspace.  The git program is used to
# make the links and to check.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
LINKMSG="is a symbolic link: goldset does not follow links in a workspace"
one_line() { [ "$(wc -l < "$T/err")" -eq 1 ] && err_has "$1" && err_has "$LINKMSG"; }
no_secret() { ! grep -rqs SECRET "$@"; }
# refused NAME CMD...: CMD exits 65 with one line naming a link and saying it is not followed
refused() {
  n=$1; shift
  "$@" > "$T/out" 2> "$T/err"; got=$?
  [ "$got" -eq 65 ] && { err_has labels/qa/mallory.jsonl || err_has golden/evil.jsonl; } && one_line "" \
    && ok "$n: refused (65) in one line naming the link" || fail "$n: refused in one line" "exit $got" "$(cat "$T/err")"
}

# the files outside every workspace
O="$T/outside"; mkdir -p "$O/dir"
printf '%s\n' '{"id":"a","rubric":"qa","rubric_version":1,"rater":"mallory","labels":{"ok":"no"},"note":"SECRET-LABEL","at":"2026-12-07T00:00:00.000Z"}' > "$O/secret.jsonl"
printf '%s\n' '{"id":"z","input":"SECRET-ITEM","output":"o"}' > "$O/secret_items.jsonl"
printf '%s\n' '{"name":"evil","version":1,"mode":"single","criteria":[{"id":"SECRET","type":"binary"}]}' > "$O/secret_rubric.json"
outside_sum() { find "$O" -type f | sort | xargs cksum | cksum; }
OSUM=$(outside_sum)
outside_same() { [ "$(outside_sum)" = "$OSUM" ] && [ -z "$(ls -A "$O/dir")" ] \
  && [ "$(find "$O" -type f | wc -l)" -eq 3 ]; }

# ---- a shared repository, then a teammate commits links ----
ws
cd "$T/ws"
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}'
"$GS" commit -m first >/dev/null 2>&1 || fail "first commit" "$(cat "$T/err")"
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
"$GS" push >/dev/null 2>&1 || echo "Bail out! push failed"
git clone -q "file://$T/remote.git" "$T/b" 2>/dev/null
"$GS" init "$T/b" >/dev/null 2>&1 || echo "Bail out! init in clone b failed"
git clone -q "file://$T/remote.git" "$T/m" 2>/dev/null
cd "$T/m"
ln -s "$O/secret.jsonl" labels/qa/mallory.jsonl
ln -s "$O/secret_items.jsonl" golden/evil.jsonl
git add labels golden && git commit -qm "links" && git push -q origin main 2>/dev/null
[ "$(git ls-tree -r HEAD labels/qa/mallory.jsonl | cut -c1-6)" = 120000 ] || echo "Bail out! no link committed"
EVIL=$(git rev-parse HEAD)

# ---- init in a fresh clone ----
git clone -q "file://$T/remote.git" "$T/c" 2>/dev/null
refused "init in a clone holding links" "$GS" init "$T/c"
"$GS" -C "$T/c" export > "$T/ce" 2>/dev/null
no_secret "$T/ce" "$T/c/.goldset" && ok "init: the outside files' contents are nowhere (export, store)" \
  || fail "init: secrets nowhere" "$(cat "$T/ce")"

# ---- pull of that commit into an existing clone ----
cd "$T/b"
head_b=$(git rev-parse HEAD); "$GS" export > "$T/be"
tree_b=$(find . -path ./.git -prune -o -path ./.goldset -prune -o -print | sort | cksum)
store_b=$(find .goldset -name '*.db*' -type f | sort | xargs cat | cksum)
refused "pull bringing links" "$GS" pull
[ "$(git rev-parse HEAD)" = "$head_b" ] && ok "pull: HEAD unchanged" || fail "pull: HEAD unchanged"
[ "$(find . -path ./.git -prune -o -path ./.goldset -prune -o -print | sort | cksum)" = "$tree_b" ] && [ ! -e labels/qa/mallory.jsonl ] \
  && [ -z "$(git status --porcelain)" ] && ok "pull: working tree unchanged" || fail "pull: working tree unchanged" "$(git status --porcelain)"
"$GS" export | cmp -s - "$T/be" && [ "$(find .goldset -name '*.db*' -type f | sort | xargs cat | cksum)" = "$store_b" ] \
  && no_secret .goldset && ok "pull: store unchanged" || fail "pull: store unchanged"

# ---- agree --at and diff of that revision ----
refused "agree --at a revision holding links" "$GS" agree --rubric qa --at "$EVIL"
refused "diff to a revision holding links" "$GS" diff HEAD "$EVIL"

# ---- links placed by hand in a working tree ----
ws "$T/w"
cd "$T/w"
cp "$T/ws/rubrics/qa.json" rubrics/
"$GS" import "$T/items.jsonl" --set s >/dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}'
"$GS" commit -m first >/dev/null 2>&1 || fail "w: first commit"
head_w=$(git rev-parse HEAD)
outside_files() { find "$T" -path "$T/w" -prune -o -path "$T/home" -prune -o -newer "$T/stamp" -type f -print; }
# CASE NAME LINK TARGET: every command refuses in one line or leaves the link alone;
# nothing outside changes, nothing new appears outside, nothing of the secret gets in
wt_case() {
  name=$1 link=$2 target=$3
  ln -s "$target" "$link"
  for c in "init ." "import $T/items.jsonl --set s" "commit -m x" "stats"; do
    touch "$T/stamp"; sleep 1
    # shellcheck disable=SC2086
    "$GS" $c > "$T/out" 2> "$T/err"; got=$?
    [ "$got" -eq 65 ] && one_line "$link" && outside_same \
      && [ -z "$(outside_files | grep -v "^$T/out\$\|^$T/err\$\|^$T/stamp\$")" ] \
      && ok "$name: $c refused (65) in one line naming it; nothing written outside" \
      || fail "$name: $c refused in one line, nothing written outside" "exit $got" "$(cat "$T/err")" "$(outside_files)"
  done
  rm "$link"
  [ "$(git rev-parse HEAD)" = "$head_w" ] && [ -z "$(git ls-files -s | grep '^120000')" ] \
    && "$GS" export > "$T/we" && no_secret "$T/we" .goldset && ok "$name: no commit, the store holds nothing of it" \
    || fail "$name: nothing committed or loaded" "$(git log --oneline -3)"
}
wt_case "link in labels/" labels/qa/mallory.jsonl "$O/secret.jsonl"
wt_case "link in golden/" golden/evil.jsonl "$O/secret_items.jsonl"
wt_case "link in rubrics/" rubrics/evil.json "$O/secret_rubric.json"
mv golden "$T/golden.real"
wt_case "golden/ a link to a folder outside" golden "$O/dir"
mv "$T/golden.real" golden
rm -rf .goldset/tmp
wt_case ".goldset/tmp a link to a folder outside" .goldset/tmp "$O/dir"
