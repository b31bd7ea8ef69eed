# t-git.sh: label sets in git: `goldset commit` writes
# labels/<rubric>/<rater>.jsonl and makes one commit that the git program
# sees (log, show, status), with a summary; nothing to commit; other files
# left alone; --tag; rater names that cannot leave labels/; label files
# edited by hand never overwritten; refusals that
# change nothing (detached HEAD, locked index); a commit without identity;
# `log` and `diff`; two clones of a bare repository exchanging labels with
# push and pull (rejected push, merge, fast-forward); a true conflict; an
# unreachable remote.  The git program is only used here, to check.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
ws
cd "$T/ws"
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5},{"id":"checks","type":"checklist","items":["cites","concise"]}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o"}' '{"id":"b","input":"q","output":"o"}' \
  '{"id":"c","input":"q","output":"o"}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null
snap() { # a fingerprint of labels/, HEAD, the index and the store
  { find labels -type f | sort | xargs cksum; git rev-parse HEAD 2>/dev/null; cksum < .git/index
    "$GS" export; } 2>/dev/null | cksum
}
has() { grep -qF -- "$1" "$2"; }
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4,"checks":{"cites":true,"concise":false}}}' \
  '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2},"note":"say \"hi\" \\ back\ttab \u001b[2J \u00e9 \u007f \u2028"}'

# ---- the first commit ----
expect_exit 0 "first commit in a fresh workspace" "$GS" commit -m "first labels"
[ "$(git rev-list --count HEAD)" = 1 ] && ok "git log: one commit" || fail "git log: one commit" "$(git log --oneline)"
"$GS" export --rubric qa --rater alice > "$T/exp"
git show HEAD:labels/qa/alice.jsonl > "$T/shown"
cmp -s "$T/exp" "$T/shown" && ok "git show HEAD:labels/qa/alice.jsonl = goldset export" \
  || fail "git show = export" "$(diff "$T/exp" "$T/shown")"
[ -z "$(git status --porcelain labels/ golden/ rubrics/)" ] && ok "git status clean after commit" \
  || fail "git status clean" "$(git status --porcelain)"
git log -1 --format=%B > "$T/msg"
has "first labels" "$T/msg" && has "labels qa by alice: 2 added, 0 changed, 0 removed" "$T/msg" \
  && has "items in s: 3 added, 0 changed" "$T/msg" && has "rubric qa.json: added" "$T/msg" \
  && ok "message: the user's, then the summary" || fail "commit summary" "$(cat "$T/msg")"
[ "$(git log -1 --format=%an)" = "Test User" ] && ok "author from git config" || fail "author" "$(git log -1 --format=%an)"

# ---- a workspace with items but no labels yet (an empty list of label files to keep) ----
"$GS" init "$T/nolabels" >/dev/null 2>&1
"$GS" -C "$T/nolabels" import "$T/items.jsonl" --set s >/dev/null
expect_exit 0 "commit with items and no labels" "$GS" -C "$T/nolabels" commit -m "items only"
[ "$(git -C "$T/nolabels" rev-list --count HEAD)" = 1 ] && git -C "$T/nolabels" show HEAD:golden/s.jsonl >/dev/null 2>&1 \
  && ok "no labels: the items are committed" || fail "no labels: the items are committed" "$(cat "$T/err")"

# ---- nothing changed ----
expect_exit 0 "commit with nothing changed" "$GS" commit -m again
has "nothing to commit" "$T/out" && [ "$(git rev-list --count HEAD)" = 1 ] \
  && ok "nothing changed: no commit, and it says so" || fail "nothing to commit" "$(cat "$T/out")"

# ---- other files stay as they were; --tag; changed labels ----
echo one > other.txt; git add other.txt; git commit -qm "other file"
echo two >> other.txt; echo staged > staged.txt; git add staged.txt
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":5,"checks":{"cites":true,"concise":true}}}' \
  '{"id":"c","rubric":"qa","labels":{"ok":"no","stars":1}}'
"$GS" diff > "$T/diff" 2>"$T/err"
has "~ a qa alice stars 4 → 5" "$T/diff" && has "~ a qa alice checks/concise false → true" "$T/diff" \
  && has "+ c qa alice ok=no stars=1" "$T/diff" && ! grep -q "^- " "$T/diff" \
  && ok "diff: last commit against the store" || fail "diff against the store" "$(cat "$T/diff" "$T/err")"
# in the rubric's order (ok, stars, checks/cites, checks/concise), not by name
awk '/^~ a qa alice/ { printf "%s ", $5 }' "$T/diff" > "$T/order"
[ "$(cat "$T/order")" = "stars checks/concise " ] && ok "diff: the criteria in the rubric's order" \
  || fail "diff order" "$(cat "$T/diff")"
expect_exit 0 "commit --tag" "$GS" commit -m "second labels" --tag labels-v2
[ "$(git rev-parse labels-v2)" = "$(git rev-parse HEAD)" ] && ok "tag on the commit" || fail "tag" "$(git tag)"
git status --porcelain > "$T/st"
has " M other.txt" "$T/st" && has "A  staged.txt" "$T/st" && ! git show --stat HEAD | grep -q "other.txt\|staged.txt" \
  && ok "other changed and staged files left as they were" || fail "other files" "$(cat "$T/st")"
git log -1 --format=%B | grep -qF "labels qa by alice: 1 added, 1 changed, 0 removed" \
  && ok "summary counts added and changed" || fail "summary counts" "$(git log -1 --format=%B)"
"$GS" diff HEAD~2 HEAD > "$T/diff" 2>/dev/null
has "~ a qa alice stars 4 → 5" "$T/diff" && has "+ c qa alice ok=no stars=1" "$T/diff" \
  && ok "diff REV REV" || fail "diff REV REV" "$(cat "$T/diff")"
"$GS" diff HEAD > "$T/diff" 2>/dev/null
[ ! -s "$T/diff" ] && ok "diff REV: no changes since" || fail "diff REV" "$(cat "$T/diff")"
"$GS" log > "$T/log"
has "second labels" "$T/log" && has "first labels" "$T/log" && has "labels qa by alice: 1 added, 1 changed" "$T/log" \
  && [ "$(grep -c '^[0-9a-f]\{12\} ' "$T/log")" -ge 2 ] && ok "log lists versions with summaries" \
  || fail "log" "$(cat "$T/log")"
"$GS" diff HEAD HEAD~2 > "$T/diff" 2>/dev/null
has "- c qa alice ok=no stars=1" "$T/diff" && ok "diff: removed labels" || fail "diff removed" "$(cat "$T/diff")"
git reset -q staged.txt; rm -f staged.txt; git checkout -q other.txt

# ---- rater names stay inside labels/ ----
labels '../evil' '{"id":"a","rubric":"qa","labels":{"ok":"no"}}'
labels 'a/b' '{"id":"b","rubric":"qa","labels":{"ok":"yes"}}'
labels '50%' '{"id":"c","rubric":"qa","labels":{"ok":"yes"}}'
printf '{"id":"a","rubric":"qa","labels":{"ok":"no"}}\n' > "$T/in.jsonl"
expect_exit 64 "a rater name with control characters is refused (--as: a usage error)" "$GS" import-labels "$T/in.jsonl" --as "$(printf 'x\033[2J')"
expect_exit 0 "commit strange rater names" "$GS" commit -m "names"
[ -f "labels/qa/%2E.%2Fevil.jsonl" ] && [ -f "labels/qa/a%2Fb.jsonl" ] && [ -f "labels/qa/50%25.jsonl" ] \
  && [ "$(find "$T" -name '*evil*' | grep -vc "/ws/labels/qa/")" = 0 ] && [ ! -e "$T/evil.jsonl" ] \
  && ok "rater names encoded, files inside labels/" || fail "rater names" "$(find "$T" -name '*.jsonl')"
"$GS" export --rater a/b > "$T/exp"
git show "HEAD:labels/qa/a%2Fb.jsonl" | cmp -s - "$T/exp" && ok "encoded file holds the rater's labels" \
  || fail "encoded file" "$(git show HEAD:labels/qa/a%2Fb.jsonl)"

# ---- label files changed by hand are loaded, last writer wins ----
# a hand edit that keeps the line's time is older than the store's label of
# that key: not taken, and commit says so
sed 's/"ok":"yes"/"ok":"no"/' labels/qa/alice.jsonl > "$T/x" && cp "$T/x" labels/qa/alice.jsonl
expect_exit 0 "commit after a hand edit that kept the time" "$GS" commit -m hand
err_has "older than" && err_has "labels/qa/alice.jsonl" && ! grep -q '"id":"a".*"ok":"no"' labels/qa/alice.jsonl   && ok "hand edit with the old time: not taken, and said" || fail "hand edit old time" "$(cat "$T/err")"
# a hand edit without a time is a decision made now: taken
sed 's/"ok":"yes"/"ok":"no"/; s/,"at":"[^"]*"//' labels/qa/alice.jsonl > "$T/x" && cp "$T/x" labels/qa/alice.jsonl
expect_exit 0 "commit after a hand edit without a time" "$GS" commit -m "hand edit loaded"
git log -1 --format=%B | grep -qF "labels qa by alice: 0 added, 1 changed, 0 removed" \
  && grep -q '"id":"a".*"ok":"no".*"at":"' labels/qa/alice.jsonl \
  && ok "hand edit committed, stamped with its time" || fail "hand edit committed" "$(git log -1 --format=%B)"
printf '{"id":"a","rubric":"qa","labels":{"ok":"no"}}\n' > labels/qa/ghost.jsonl
expect_exit 0 "an unknown label file is loaded, not deleted" "$GS" commit -m ghost
[ -f labels/qa/ghost.jsonl ] && "$GS" export --rater ghost | grep -q '"id":"a"' \
  && git show HEAD:labels/qa/ghost.jsonl | grep -q '"at":"' && ok "unknown label file kept and committed" \
  || fail "ghost" "$(cat "$T/err")"

# ---- refusals that change nothing ----
branch=$(git symbolic-ref --short HEAD)
labels alice '{"id":"b","rubric":"qa","labels":{"ok":"yes","stars":3}}'
git checkout -q --detach
before=$(snap)
expect_exit 73 "detached HEAD refused" "$GS" commit -m detached
err_has "detached" && [ "$(snap)" = "$before" ] && ok "detached HEAD: one line, nothing changed" \
  || fail "detached HEAD" "$(cat "$T/err")"
git checkout -q "$branch"
touch .git/index.lock
before=$(snap)
expect_exit 75 "locked index: exit 75" "$GS" commit -m locked
[ "$(snap)" = "$before" ] && [ "$(wc -l < "$T/err")" = 1 ] && err_has "index.lock" \
  && [ -z "$(ls .goldset/tmp 2>/dev/null)" ] && ok "locked index: one line, label files and store unchanged" \
  || fail "locked index" "$(cat "$T/err")" "$(ls .goldset/tmp)"
rm -f .git/index.lock

# ---- no identity: the login name, and a notice ----
mkdir -p "$T/noid"
HOME="$T/noid" "$GS" commit -m "no identity" > "$T/out" 2> "$T/err"; rc=$?
[ $rc = 0 ] && err_has "notice" && err_has "user.name" && [ "$(git log -1 --format=%an)" = tester ] \
  && ok "missing identity: committed as the login name, with a notice" || fail "missing identity" "rc $rc" "$(cat "$T/err")"

# ---- two clones of a bare repository ----
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
expect_exit 0 "push to a local bare repository" "$GS" push
git clone -q "file://$T/remote.git" "$T/b" 2>/dev/null
"$GS" init "$T/b" > /dev/null 2>&1
"$GS" -C "$T/b" export > "$T/eb"; "$GS" export > "$T/ea"
cmp -s "$T/ea" "$T/eb" && ok "init in a fresh clone loads its labels" || fail "init in clone" "$(diff "$T/ea" "$T/eb")"
cd "$T/b"
printf '%s\n' '{"id":"d","input":"q2","output":"o2"}' > "$T/items2.jsonl"
"$GS" import "$T/items2.jsonl" --set t > /dev/null
labels bob '{"id":"a","rubric":"qa","labels":{"ok":"no","stars":3}}' '{"id":"b","rubric":"qa","labels":{"ok":"no","stars":2}}' \
  '{"id":"d","rubric":"qa","labels":{"ok":"yes"}}'
expect_exit 0 "B commits" "$GS" commit -m "bob labels"
expect_exit 0 "B pushes (file:// remote)" "$GS" push
cd "$T/ws"
labels alice '{"id":"c","rubric":"qa","labels":{"ok":"yes","stars":2}}'
expect_exit 0 "A commits" "$GS" commit -m "alice more"
expect_exit 75 "A's push rejected: remote moved" "$GS" push
err_has "goldset pull" && ok "rejection says to pull" || fail "rejection message" "$(cat "$T/err")"
expect_exit 0 "A pulls (merge)" "$GS" pull
[ "$(git rev-list --parents -n 1 HEAD | wc -w)" = 3 ] && ok "a merge commit" || fail "merge commit" "$(git log --oneline -3)"
expect_exit 0 "A pushes after the merge" "$GS" push
cd "$T/b"
expect_exit 0 "B pulls (fast-forward)" "$GS" pull
"$GS" export > "$T/eb"; "$GS" -C "$T/ws" export > "$T/ea"
grep -q '"rater":"bob"' "$T/ea" && grep -q '"id":"c","rubric":"qa","rubric_version":1,"rater":"alice"' "$T/eb" \
  && cmp -s "$T/ea" "$T/eb" && ok "both workspaces end with both raters' labels" || fail "exports equal" "$(diff "$T/ea" "$T/eb")"
if "$GS" agree --json --rubric qa > "$T/ga" 2>/dev/null && "$GS" -C "$T/ws" agree --json --rubric qa > "$T/gb" 2>/dev/null; then
  cmp -s "$T/ga" "$T/gb" && ok "equal agreement numbers" || fail "agree equal" "$(diff "$T/ga" "$T/gb")"
fi
expect_exit 0 "pull again" "$GS" pull
"$GS" export | cmp -s - "$T/eb" && ok "pulling twice changes nothing" || fail "pull idempotent"
expect_exit 0 "commit after pull" "$GS" commit -m nothing
has "nothing to commit" "$T/out" && ok "pulled labels export byte-identical" || fail "after pull" "$(cat "$T/out")"

grep -q '"id":"d","rubric":"qa","rubric_version":1,"rater":"bob"' "$T/ea" \
  && ok "pull loads new golden sets and the labels on them" || fail "golden via pull" "$(cat "$T/ea")"

# ---- commits pulled with the git program are loaded before a commit ----
cd "$T/ws"
labels alice '{"id":"d","rubric":"qa","labels":{"ok":"no","stars":1}}'
"$GS" commit -m "alice d" > /dev/null && "$GS" push > /dev/null 2>&1
cd "$T/b"
git pull -q 2>/dev/null
expect_exit 0 "commit after a git pull by hand" "$GS" commit -m "after git pull"
err_has "had not seen" && has "nothing to commit" "$T/out" \
  && "$GS" export | grep -q '"id":"d","rubric":"qa","rubric_version":1,"rater":"alice"' \
  && ok "git pull by hand: labels loaded first, not overwritten" || fail "catch up" "$(cat "$T/out" "$T/err")"

# ---- the same rater's file edited on both sides merges; a rubric edited on both sides is a true conflict ----
sed 's/"stars":3/"stars":5/; s/,"at":"[^"]*"//' labels/qa/bob.jsonl > "$T/x" && cp "$T/x" labels/qa/bob.jsonl
"$GS" commit -m "hand edit in B" > /dev/null
sed 's/"version":1/"version":1,"instructions":"B"/' rubrics/qa.json > "$T/x" && cp "$T/x" rubrics/qa.json
git commit -qam "rubric edit in B"
expect_exit 0 "B pushes" "$GS" push
cd "$T/ws"
sed 's/"stars":3/"stars":1/' labels/qa/bob.jsonl > "$T/x" && cp "$T/x" labels/qa/bob.jsonl
git commit -qam "hand edit in A"
sed 's/"version":1/"version":1,"instructions":"A"/' rubrics/qa.json > "$T/x" && cp "$T/x" rubrics/qa.json
git commit -qam "rubric edit in A"
before=$(snap)
expect_exit 65 "a true conflict (a rubric changed on both sides) is refused" "$GS" pull
err_has "rubrics/qa.json" && [ "$(grep -vc 'older than the store' "$T/err")" = 1 ] && [ "$(snap)" = "$before" ] \
  && [ -z "$(git status --porcelain labels/ rubrics/)" ] && ok "conflict: names the file, nothing changed" \
  || fail "conflict" "$(cat "$T/err")"
git reset -q --hard HEAD~1
expect_exit 0 "the same rater's label file edited on both sides merges" "$GS" pull
grep -q '"stars":5' labels/qa/bob.jsonl && ! grep -q '^<<<<<<<' labels/qa/bob.jsonl \
  && ok "merged: the newer edit wins, no markers" || fail "label file merge" "$(cat labels/qa/bob.jsonl)"

# ---- an unreachable remote ----
git remote add gone "$T/no-such-repo.git"
expect_exit 69 "unreachable remote: pull exits 69" "$GS" pull gone
[ "$(wc -l < "$T/err")" = 1 ] && ok "unreachable remote: one line" || fail "one line" "$(cat "$T/err")"
expect_exit 69 "unreachable remote: push exits 69" "$GS" push gone
