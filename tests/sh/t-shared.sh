# t-shared.sh: what a team shares besides labels, end to end. In workspace
# A a calibration batch is started, its report opened and one disagreement
# settled in `calibrate discuss` (tmux); a `review` session (tmux) records
# consensus values, tags and a note. The shared files of A (written by
# shared_files_each through the unit-test harness, since `commit` does not
# write them yet) hold exactly the expected lines. Loaded into a fresh
# workspace B with the same items, they give the same batch (show --json),
# the same consensus (export --consensus) and the same reviewed items
# (review --list leaves them out); B then writes byte-identical files, and
# loading them again changes nothing. A teammate C who started another
# batch of the same name: the later one wins on both sides, with a note,
# and stays blind (A's report opening was of A's batch).
. "$(dirname "$0")/lib.sh"
H="$TOP/build/asan/tests/test_shared"
[ -x "$H" ] || { echo "ok - shared files # SKIP no harness (make check builds $H)"; exit 0; }
command -v tmux >/dev/null || { echo "ok - shared files # SKIP no tmux"; exit 0; }

setup() { # DIR: a workspace with rubrics qa and qb and items i1-i6
  ws "$1"
  cat > "$1/rubrics/qa.json" <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[
 {"id":"ok","type":"binary","labels":["no","yes"]},
 {"id":"stars","type":"scale","min":1,"max":3}]}
J
  sed 's/"qa"/"qb"/' "$1/rubrics/qa.json" > "$1/rubrics/qb.json"
  for i in 1 2 3 4 5 6; do
    printf '{"id":"i%d","input":"question %d","output":"answer %d","meta":{"query_type":"k%d"}}\n' $i $i $i $((i % 2))
  done > "$T/items.jsonl"
  "$GS" -C "$1" import "$T/items.jsonl" --set s >/dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }
}
# ann and ben agree on ok and never on stars: every batch item is a disagreement
for r in ann ben; do
  s=1; [ $r = ben ] && s=2
  for i in 1 2 3 4 5 6; do printf '{"id":"i%d","rubric":"qa","labels":{"ok":"yes","stars":%d}}\n' $i $s; done > "$T/$r.jsonl"
done
labeled() { # DIR: ann's and ben's labels (as `pull` brings them)
  for r in ann ben; do "$GS" -C "$1" import-labels "$T/$r.jsonl" --as $r >/dev/null 2>&1 || fail "import-labels $r"; done
}
setup "$T/a"
labeled "$T/a"
cd "$T/a" || exit 1

expect_exit 64 "calibrate start: a seed past 2^53-1 is refused (no JSON reader keeps it)" \
  "$GS" calibrate start big --raters ann,ben --seed 9007199254740992 --rubric qa
expect_exit 0 "calibrate start" "$GS" calibrate start cal --raters ann,ben -n 4 --seed 11 --stratify query_type --rubric qa
"$GS" calibrate show cal --json > "$T/show-a.json"
expect_exit 0 "calibrate report opens the batch" "$GS" calibrate report cal --json
cp "$T/out" "$T/report.json"
set -- $(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["disagreements"][0]; print(d["id"], d["criterion"])' "$T/report.json")
D_ID=$1 D_CRIT=$2

# discuss: the first disagreement settled on value 2, cause 1, with a note
tm_start D 100 30 "$GS calibrate discuss cal; echo EXIT=\$?; sleep 60"
tm_wait D "disagreement 1/" || fail "discuss screen came up" "$(tm_screen D)"
tm_keys D 2 1 c
tm_wait D "Note" || fail "note prompt"
tm_keys D "the rubric needs an example" Enter
tm_keys D Enter
tm_wait D "agreed on" || fail "discuss recorded" "$(tm_screen D)"
tm_keys D q
tm_wait D "EXIT=0" || fail "discuss ended" "$(tm_screen D)"
tm kill-session -t D

# review of rubric qb: the first item gets ok yes, stars 3, tags and a note; both are marked reviewed
"$GS" review --list -n 2 --rubric qb > "$T/picked"
R1=$(sed -n 1p "$T/picked") R2=$(sed -n 2p "$T/picked")
tm_start R 100 30 "$GS review -n 2 --rubric qb; echo EXIT=\$?; sleep 60"
tm_wait R "item 1/2" || fail "review screen came up" "$(tm_screen R)"
tm_keys R 2 3 t; tm_wait R "Tags" || fail "tags prompt"
tm_keys R "new failure mode, pricing" Enter
tm_keys R c; tm_wait R "Note" || fail "note prompt"
tm_keys R "the model invents a refund policy" Enter
tm_keys R Enter; tm_wait R "reviewed 1 of 2" || fail "item 1 reviewed" "$(tm_screen R)"
tm_keys R Enter; tm_wait R "reviewed 2 of 2" || fail "item 2 reviewed" "$(tm_screen R)"
tm_keys R q
tm_wait R "EXIT=0" || fail "review ended" "$(tm_screen R)"
tm kill-session -t R

today=$(date +%Y-%m-%d)
[ -f "reviews/$today-tester.md" ] && [ -f reviews/calibration-cal-tester.md ] \
  && ok "the Markdown records are named after their writer" || fail "Markdown records" "$(ls reviews)"

expect_exit 0 "harness: write A's shared files" "$H" dump "$T/a" "$T/files-a"
(cd "$T/files-a" && find . -type f | sed 's|^\./||' | sort) > "$T/list-a"
# the expected lines, times matched as times (their values are the clock's)
/usr/bin/python3 - "$T/files-a" "$T/list-a" "$T/show-a.json" "$D_ID" "$D_CRIT" "$R1" "$R2" > "$T/check" 2>&1 <<'P'
import json, re, sys
root, listing, show, d_id, d_crit, r1, r2 = sys.argv[1:8]
files = open(listing).read().split()
show = json.load(open(show))
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$')
bad = []
def lines(rel):
    return open(root + "/" + rel, encoding="utf-8").read().splitlines()
def same(rel, got, want, times=("at",)):
    # the line's bytes are json.dumps of the expected object (keys in this order), times as they came
    obj = json.loads(got)
    for k in times:
        if not TIME.match(obj.get(k) or ""): bad.append(f"{rel}: {k} is not a time: {got}")
        want[k] = obj.get(k)
    text = json.dumps(want, separators=(",", ":"), ensure_ascii=False)
    if got != text: bad.append(f"{rel}:\n  got  {got}\n  want {text}")
sessions = [f for f in files if f.startswith("reviews/")]
want_files = ["batches/cal.jsonl", "consensus/qa.jsonl", "consensus/qb.jsonl"] + sessions
if files != want_files or len(sessions) != 1 or not re.match(r"^reviews/\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ\.jsonl$", sessions[0]):
    bad.append(f"files: {files}")
b = lines("batches/cal.jsonl")
if len(b) != 2: bad.append(f"batches/cal.jsonl: {b}")
else:
    same("batches/cal.jsonl", b[0], {"kind": "batch", "name": "cal", "rubric": "qa", "raters": ["ann", "ben"],
         "items": show["items"], "seed": 11, "stratify": "query_type", "round": 1, "created_at": show["created_at"],
         "at": None})
    if json.loads(b[0])["at"] != show["created_at"]: bad.append("batch at is not its created_at")
    same("batches/cal.jsonl", b[1], {"kind": "revealed", "batch_at": show["created_at"], "at": None})
qa = lines("consensus/qa.jsonl")
want_value = "yes" if d_crit == "ok" else 2
if len(qa) != 1: bad.append(f"consensus/qa.jsonl: {qa}")
else:
    same("consensus/qa.jsonl", qa[0], {"id": d_id, "rubric": "qa", "rubric_version": 1, "criterion": d_crit,
         "value": want_value, "cause": "rubric unclear", "note": "the rubric needs an example",
         "source": "discuss:cal", "at": None})
session = sessions[0][len("reviews/"):-len(".jsonl")].replace("%3A", ":") if sessions else "?"
qb = lines("consensus/qb.jsonl")
if len(qb) != 2: bad.append(f"consensus/qb.jsonl: {qb}")
else:
    for got, crit, v in zip(qb, ["ok", "stars"], ["yes", 3]):
        same("consensus/qb.jsonl", got, {"id": r1, "rubric": "qb", "rubric_version": 1, "criterion": crit,
             "value": v, "cause": None, "note": "the model invents a refund policy", "source": "review:" + session,
             "at": None})
rv = lines(sessions[0]) if sessions else []
want = {r1: (["new failure mode", "pricing"], "the model invents a refund policy"), r2: (None, None)}
if len(rv) != 2: bad.append(f"reviews: {rv}")
else:
    for got, rid in zip(rv, sorted([r1, r2])):
        same(sessions[0], got, {"id": rid, "session": session, "rubric": "qb", "tags": want[rid][0],
             "note": want[rid][1], "at": None})
print("\n".join(bad) if bad else "OK")
P
[ "$(cat "$T/check")" = OK ] && ok "A's shared files hold exactly the expected lines" || fail "A's shared files" "$(cat "$T/check")"

# a fresh workspace with the same items, rubrics and labels
setup "$T/b"
labeled "$T/b"
expect_exit 0 "harness: load A's files into B" "$H" load "$T/b" "$T/files-a"
"$GS" -C "$T/b" calibrate show cal --json > "$T/show-b.json"
/usr/bin/python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a == b else 1)' "$T/show-a.json" "$T/show-b.json" \
  && ok "B shows the same batch (items in order, seed, round, raters, progress)" || fail "B's batch" "$(cat "$T/show-b.json")"
"$GS" export --consensus --rubric qa | grep "\"id\":\"$D_ID\",.*\"criterion\":\"$D_CRIT\"" > "$T/cons-a"
"$GS" -C "$T/b" export --consensus --rubric qa | grep "\"id\":\"$D_ID\",.*\"criterion\":\"$D_CRIT\"" > "$T/cons-b"
grep -q '"status":"consensus"' "$T/cons-b" && cmp -s "$T/cons-a" "$T/cons-b" \
  && ok "B exports the discussion's consensus as A does" || fail "B's consensus" "$(cat "$T/cons-a" "$T/cons-b")"
"$GS" -C "$T/b" review --list -n 4 --rubric qb > "$T/list-b"
[ "$(wc -l < "$T/list-b")" -eq 4 ] && ! grep -qx "$R1\|$R2" "$T/list-b" \
  && ok "B's review leaves A's reviewed items for later" || fail "B's review leaves A's reviewed items for later" "$(cat "$T/list-b")"
expect_exit 0 "harness: write B's shared files" "$H" dump "$T/b" "$T/files-b"
diff -r "$T/files-a" "$T/files-b" > "$T/diff" && ok "B writes byte-identical files" || fail "B's files" "$(head -20 "$T/diff")"
expect_exit 0 "harness: load A's files into B again" "$H" load "$T/b" "$T/files-a"
[ ! -s "$T/err" ] && ok "loading again says nothing" || fail "loading again" "$(cat "$T/err")"
"$H" dump "$T/b" "$T/files-b2" && diff -r "$T/files-a" "$T/files-b2" > "$T/diff" \
  && ok "loading again changes nothing" || fail "loading again" "$(head -20 "$T/diff")"

# teammate C started a batch of the same name, later: theirs wins everywhere
setup "$T/c"
sleep 1   # created_at has seconds: make C's batch the later one
"$GS" -C "$T/c" calibrate start cal --raters cy,dee -n 2 --seed 5 --rubric qa >/dev/null 2>&1 || fail "C: calibrate start"
expect_exit 0 "harness: load A's files into C" "$H" load "$T/c" "$T/files-a"
err_has "batches/cal.jsonl: two calibration batches named \"cal\" differ" && err_has "is newer and is kept" \
  && ok "C is told its own, later batch is kept" || fail "C's note" "$(cat "$T/err")"
"$H" dump "$T/c" "$T/files-c" || fail "harness: write C's files"
[ "$(wc -l < "$T/files-c/batches/cal.jsonl")" -eq 1 ] && grep -q '"raters":\["cy","dee"\]' "$T/files-c/batches/cal.jsonl" \
  && ok "A's report opening does not reveal C's batch" || fail "C's batch stays blind" "$(cat "$T/files-c/batches/cal.jsonl")"
expect_exit 0 "harness: load C's files into B" "$H" load "$T/b" "$T/files-c"
err_has "is newer and replaces this workspace's" && ok "B is told C's batch replaces A's" || fail "B's note" "$(cat "$T/err")"
"$H" dump "$T/b" "$T/files-b3" || fail "harness: write B's files again"
cmp -s "$T/files-c/batches/cal.jsonl" "$T/files-b3/batches/cal.jsonl" \
  && ok "B and C now hold the same batch file" || fail "B and C converge" "$(cat "$T/files-c/batches/cal.jsonl" "$T/files-b3/batches/cal.jsonl")"
"$GS" -C "$T/b" calibrate show cal --json | grep -q '"cy"' && ok "B's batch is C's (raters cy, dee)" \
  || fail "B's batch is C's" "$("$GS" -C "$T/b" calibrate show cal --json)"
