# t-git-ignore.sh: `git status` has nothing to say after `goldset init`
# and the first `goldset commit`: the .gitignore that init writes (keeping
# .goldset/, the working store, out of git) and its .gitattributes are
# committed with the workspace's folders, in a fresh workspace and in an
# adopted repository whose committed .gitignore init extended.  A
# .gitignore as committed adds nothing to a commit.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
ws
cd "$T/ws"
printf '%s\n' '{"id":"a","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null
expect_exit 0 "first commit in a fresh workspace" "$GS" commit -m first
[ -z "$(git status --porcelain)" ] && ok "fresh workspace: git status clean after the first commit" \
  || fail "fresh workspace: git status clean" "$(git status --porcelain)"
[ "$(git show HEAD:.gitignore)" = ".goldset/" ] && ok ".gitignore committed" || fail ".gitignore committed" "$(git show --stat HEAD)"
git check-ignore -q .goldset/goldset.db && ok "the store stays ignored" || fail "the store stays ignored"

# ---- nothing else changed: .gitignore alone makes no commit ----
expect_exit 0 "commit with nothing changed" "$GS" commit -m again
grep -qF "nothing to commit" "$T/out" && [ "$(git rev-list --count HEAD)" = 1 ] \
  && ok "nothing to commit: .gitignore as committed" || fail "nothing to commit" "$(cat "$T/out")"

# ---- an adopted repository: init adds .goldset/ to its committed .gitignore ----
mkdir -p "$T/adopt" && cd "$T/adopt"
git init -q && printf '*.log\n' > .gitignore && echo notes > notes.txt && git add . && git commit -qm own
"$GS" init . > /dev/null 2>&1 || fail "init in an existing repository"
expect_exit 0 "first goldset commit in an adopted repository" "$GS" commit -m adopted
[ -z "$(git status --porcelain)" ] && ok "adopted: git status clean after the first commit" \
  || fail "adopted: git status clean" "$(git status --porcelain)"
[ "$(git show HEAD:.gitignore | tr '\n' ' ')" = "*.log .goldset/ " ] && ok "adopted: the extended .gitignore committed" \
  || fail "adopted .gitignore" "$(git show HEAD:.gitignore)"
