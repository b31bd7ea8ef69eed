# t-git-tags.sh: tags travel with the labels.  `goldset push` pushes the
# branch and every tag on its history that the remote lacks (and says so);
# `goldset pull` fetches the remote's tags; so `agree --at TAG` works in
# every clone, also a fresh `git clone` + `goldset init`.  Tags the two
# sides have on different commits are never overwritten: push reports the
# tag in one line, still pushes the branch and exits 65; pull keeps the
# local tag, reports it and exits 0.  A tag off the pushed branch stays
# home; a tag made later on an old commit goes with the next push.  The git program is only used to set up and to check.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
has() { grep -qF -- "$1" "$2"; }
git init -q --bare "$T/remote.git"

# ---- clone A: items, two raters, a first push without tags ----
ws "$T/a"
cd "$T/a"
git remote add origin "$T/remote.git"
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5}]}
J
printf '%s\n' '{"id":"a","input":"q1","output":"o1"}' '{"id":"b","input":"q2","output":"o2"}' \
  '{"id":"c","input":"q3","output":"o3"}' '{"id":"d","input":"q4","output":"o4"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}' \
  '{"id":"c","rubric":"qa","labels":{"ok":"yes","stars":5}}' '{"id":"d","rubric":"qa","labels":{"ok":"no","stars":1}}'
labels bob '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"b","rubric":"qa","labels":{"ok":"yes","stars":3}}' \
  '{"id":"c","rubric":"qa","labels":{"ok":"yes","stars":5}}' '{"id":"d","rubric":"qa","labels":{"ok":"no","stars":2}}'
"$GS" commit -m base > /dev/null 2>&1 && "$GS" push > /dev/null 2>&1 || fail "A: first commit and push"
git clone -q "$T/remote.git" "$T/b" 2>/dev/null && "$GS" init "$T/b" > /dev/null 2>&1 || fail "B: clone and init"
git -C "$T/b" config user.name Bob

# ---- A tags a version and pushes it ----
labels bob '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}'
expect_exit 0 "A: commit --tag t1" "$GS" commit -m "week 1" --tag t1
git tag -a t1-notes -m "an annotated tag made with git" t1
expect_exit 0 "A: push with new tags" "$GS" push
has "pushed main to origin ($(git rev-parse --short=7 HEAD))" "$T/out" && has "2 tags: t1, t1-notes" "$T/out" \
  && ok "push says which tags it pushed" || fail "push says which tags it pushed" "$(cat "$T/out" "$T/err")"
[ "$(git -C "$T/remote.git" rev-parse t1)" = "$(git rev-parse t1)" ] \
  && [ "$(git -C "$T/remote.git" cat-file -t t1-notes)" = tag ] \
  && [ "$(git -C "$T/remote.git" rev-parse main)" = "$(git rev-parse HEAD)" ] \
  && ok "the remote has the branch, the tag and the annotated tag" || fail "remote tags" "$(git -C "$T/remote.git" show-ref)"
expect_exit 0 "A: push again" "$GS" push
has "origin already has main at" "$T/out" && ! has "tag" "$T/out" \
  && ok "push again: no tag pushed twice" || fail "push again" "$(cat "$T/out")"
"$GS" agree --at t1 --rubric qa --json > "$T/agree-a" 2> "$T/err" || fail "A: agree --at t1" "$(cat "$T/err")"

# ---- B pulls: the tags arrive, agree --at t1 works ----
cd "$T/b"
expect_exit 0 "B: pull" "$GS" pull
[ "$(git rev-parse t1)" = "$(git -C "$T/a" rev-parse t1)" ] && [ "$(git cat-file -t t1-notes)" = tag ] \
  && ok "B: pull fetched both tags" || fail "B: pull fetched the tags" "$(git show-ref)" "$(cat "$T/out" "$T/err")"
has "t1" "$T/out" && has "t1-notes" "$T/out" && ok "B: pull says which tags arrived" || fail "pull names the tags" "$(cat "$T/out")"
expect_exit 0 "B: agree --at t1" "$GS" agree --at t1 --rubric qa --json
cmp -s "$T/out" "$T/agree-a" && ok "B: agree --at t1 as in A" || fail "B: agree --at t1 as in A" "$(diff "$T/out" "$T/agree-a")"
expect_exit 0 "B: pull again" "$GS" pull
! has "tag" "$T/out" && ok "B: pull again: no tag news" || fail "B: pull again" "$(cat "$T/out")"

# ---- C: a fresh git clone (git fetches tags itself) ----
git clone -q "$T/remote.git" "$T/c" 2>/dev/null && "$GS" init "$T/c" > /dev/null 2>&1 || fail "C: clone and init"
expect_exit 0 "C: agree --at t1 in a fresh clone" "$GS" -C "$T/c" agree --at t1 --rubric qa --json
cmp -s "$T/out" "$T/agree-a" && ok "C: agree --at t1 as in A" || fail "C: agree --at t1 as in A" "$(diff "$T/out" "$T/agree-a")"

# ---- a tag pushed with the git program arrives by goldset pull ----
cd "$T/a"
git tag -a t0 -m "first version, tagged late" HEAD~1 && git push -q origin t0 2>/dev/null
expect_exit 0 "B: pull with only a new tag" "$GS" -C "$T/b" pull
[ "$(git -C "$T/b" rev-parse t0)" = "$(git rev-parse t0)" ] && has "t0" "$T/out" \
  && ok "pull fetches an annotated tag pushed with git" || fail "pull fetches t0" "$(cat "$T/out" "$T/err")"

# ---- a tag off the pushed branch stays home ----
git checkout -q -b side && git commit -q --allow-empty -m side && git tag off-branch && git checkout -q main
git tag late HEAD~1
expect_exit 0 "A: push with a tag off the branch, and a late tag" "$GS" push
! git -C "$T/remote.git" rev-parse -q --verify refs/tags/off-branch > /dev/null \
  && ok "a tag on another branch is not pushed" || fail "off-branch tag pushed" "$(git -C "$T/remote.git" show-ref)"
has "origin already has main at" "$T/out" && has "pushed 1 tag: late" "$T/out" \
  && [ "$(git -C "$T/remote.git" rev-parse late)" = "$(git rev-parse HEAD~1)" ] \
  && ok "branch up to date: a new tag on an old commit is pushed, and named" || fail "late tag" "$(cat "$T/out")"

# ---- the same tag name on two commits ----
labels alice '{"id":"c","rubric":"qa","labels":{"ok":"no","stars":3}}'
"$GS" commit -m "week 2" --tag t2 > /dev/null && "$GS" push > /dev/null 2>&1 || fail "A: push t2"
cd "$T/b"
git tag t2 HEAD                         # B's own t2, on an older commit
b_t2=$(git rev-parse t2)
expect_exit 0 "B: pull with a local tag that differs" "$GS" pull
[ "$(git rev-parse t2)" = "$b_t2" ] && ok "pull keeps the local tag" || fail "pull overwrote t2"
[ "$(wc -l < "$T/err")" = 1 ] && err_has "t2" && err_has "$(git -C "$T/a" rev-parse --short=7 t2)" \
  && ok "pull reports the differing tag in one line" || fail "pull reports the tag" "$(cat "$T/err")"
labels bob '{"id":"d","rubric":"qa","labels":{"ok":"yes","stars":3}}'
"$GS" commit -m "bob week 2" > /dev/null || fail "B: commit"
expect_exit 65 "B: push with a conflicting tag exits 65" "$GS" push
[ "$(wc -l < "$T/err")" = 1 ] && err_has "t2" && ok "push reports the conflicting tag in one line" \
  || fail "push reports the tag" "$(cat "$T/err")"
[ "$(git -C "$T/remote.git" rev-parse main)" = "$(git rev-parse HEAD)" ] && has "pushed main to origin" "$T/out" \
  && ok "the branch is pushed all the same" || fail "branch pushed" "$(cat "$T/out")"
[ "$(git -C "$T/remote.git" rev-parse t2)" = "$(git -C "$T/a" rev-parse t2)" ] \
  && ok "the remote's tag is not overwritten" || fail "remote t2 overwritten"
