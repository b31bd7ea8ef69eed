# t-judge.sh: `goldset judge` with tests/fake-judge.sh as the judge: every
# answer ends as a label or a recorded failure (garbage, a value out of
# range, an exit status, a hang past the timeout), a fenced ```json answer
# is taken; item text never reaches the shell; an answered item is never
# sent again and a changed template sends everything again; kill -9 in the
# middle of 300 items loses at most the calls in flight (the fake judge logs
# every call: they are counted) and SIGINT stops cleanly; pairwise both
# orders; the prompt never reaches a terminal raw; the judge's labels and
# template travel through a bare remote to a second clone.
. "$(dirname "$0")/lib.sh"
git config --global user.name "Test User"
git config --global user.email test@example.com
git config --global init.defaultBranch main
FAKE=$(cd "$(dirname "$0")/.." && pwd)/fake-judge.sh
JUDGE="FAKE_LOG=$T/log sh $FAKE"
ws
cd "$T/ws" || exit 1
cat > rubrics/qa.json <<'J'
{"name":"qa","version":1,"mode":"single","instructions":"Be strict.","criteria":[{"id":"ok","type":"binary","question":"Correct?"},{"id":"stars","type":"scale","min":1,"max":5,"anchors":{"1":"useless","5":"perfect"}}]}
J
cat > rubrics/pw.json <<'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference","question":"Which is better?"}]}
J
printf '%s\n' \
  '{"id":"a","input":"plain question","output":"o1","reference":"the reference text"}' \
  '{"id":"b","input":"MODE:garbage","output":"o"}' \
  '{"id":"c","input":"MODE:fence","output":"o"}' \
  '{"id":"d","input":"MODE:range","output":"o"}' \
  '{"id":"e","input":"MODE:exit","output":"o"}' \
  '{"id":"f","input":"MODE:hang","output":"o"}' \
  '{"id":"g","input":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"$(touch x1) `touch x2`; touch x3 && touch x4 | touch x5"}],"output":"$(touch x6)"}' \
  '{"id":"h","input":"MODE:slow","output":"o"}' \
  '{"id":"esc","input":"evil \u001b[31mred\u001b]0;title\u0007 text","output":"o"}' \
  > "$T/items.jsonl"
printf '%s\n' '{"id":"p1","input":"q","outputs":[{"system":"m1","text":"short"},{"system":"m2","text":"a much longer answer"},{"system":"m3","text":"mid size"}]}' > "$T/pw.jsonl"
"$GS" import "$T/items.jsonl" --set s >/dev/null && "$GS" import "$T/pw.jsonl" --set pw >/dev/null || echo "Bail out! import"

# ---- every case ends in a label or a failure ----
FAKE_SLOW=0.3 expect_exit 1 "a run with failures exits 1" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" \
  --timeout 2 --retries 1 --backoff 0.1 --jobs 4
grep -q "9 calls: 5 answered now, 0 before, 4 failed" "$T/out" && ok "5 answered, 4 failed" || fail "5 answered, 4 failed" "$(cat "$T/out")"
# 9 first tries and a retry of each of the 4 failures (retries 1)
[ "$(wc -l < "$T/log")" -eq 13 ] && ok "each failure tried again once" || fail "each failure tried again once" "$(wc -l < "$T/log")"
"$GS" export --rater judge:fake --rubric qa > "$T/labels"
[ "$(cut -d, -f1 "$T/labels" | grep -c '"id"')" -eq 5 ] && ok "5 labels by judge:fake" || fail "5 labels by judge:fake" "$(cat "$T/labels")"
grep -q '"id":"c",.*"labels":{"ok":"no","stars":2},"note":"fenced"' "$T/labels" && ok "a fenced json block in prose is taken, comment as note" \
  || fail "fenced answer" "$(cat "$T/labels")"
grep -q '"id":"h",.*"labels":{"ok":"no","stars":2}' "$T/labels" && ok "a slow answer is taken" || fail "slow answer" "$(cat "$T/labels")"
err_has "b: answer: no JSON object" && err_has 'd: answer: 9 is not a valid value of scale criterion "stars"' \
  && err_has "e: exited with status 3: rate limited, try later" && err_has "f: no answer within 2 s (killed)" \
  && ok "one clear line per failure" || fail "one clear line per failure" "$(cat "$T/err")"
expect_exit 0 "--failures lists them" "$GS" judge --as judge:fake --rubric qa --failures
[ "$(grep -c '^[a-z]*: ' "$T/out")" -eq 4 ] && grep -q "output: I think this answer is pretty good" "$T/out" \
  && grep -q 'output: {"ok":"yes","stars":9}' "$T/out" && ok "--failures keeps the raw answers" || fail "--failures" "$(cat "$T/out")"
ps -eo args | grep -v grep | grep -q "sleep 1000" && fail "the hanging judge is killed" "$(ps -eo pid,args | grep 'sleep 1000')" \
  || ok "the hanging judge is killed"

# ---- item text never reaches the shell ----
for f in x1 x2 x3 x4 x5 x6; do [ -e "$f" ] || [ -e "$T/$f" ] && echo "$f"; done > "$T/made"
[ -s "$T/made" ] && fail "item text is never run" "$(cat "$T/made")" || ok "item text is never run"
"$GS" judge --as judge:fake --rubric qa --show-prompt g > "$T/prompt_g"
grep -qF '$(touch x1) `touch x2`; touch x3 && touch x4 | touch x5' "$T/prompt_g" && ok "the prompt carries the text as it is" \
  || fail "prompt carries the text" "$(cat "$T/prompt_g")"

# ---- what is shown is what is sent ----
"$GS" judge --as judge:cat --rubric qa --show-prompt esc > "$T/shown"
"$GS" judge --as judge:cat --rubric qa --set s --retries 0 --cmd "cat > $T/p.\$\$; if grep -q evil $T/p.\$\$; \
  then mv $T/p.\$\$ $T/sent; else rm $T/p.\$\$; fi; echo '{\"ok\":\"yes\",\"stars\":1}'" >/dev/null 2>&1
cmp -s "$T/shown" "$T/sent" && ok "--show-prompt prints exactly what is sent" || fail "show-prompt = sent" "$(diff "$T/shown" "$T/sent")"
"$GS" judge --as judge:one --rubric qa --show-prompt a > "$T/shown_a"
grep -q "Reference answer" "$T/shown_a" && grep -q "the reference text" "$T/shown_a" && grep -q "1 = useless" "$T/shown_a" \
  && grep -q "Be strict." "$T/shown_a" && ok "the prompt has instructions, anchors and the reference" || fail "prompt contents" "$(cat "$T/shown_a")"
printf '\033' > "$T/esc_byte"
grep -qF "$(cat "$T/esc_byte")[31m" "$T/shown" && ok "--show-prompt to a file is exactly the prompt (raw)" || fail "raw prompt to a file" "$(od -c "$T/shown" | head)"
tm_start show 100 40 "\"$GS\" -C \"$T/ws\" judge --as judge:cat --rubric qa --show-prompt esc; sleep 30"
tm_wait show "Reply with one JSON"
scr=$(tm_screen show)
echo "$scr" | grep -qF 'evil ^[[31mred^[]0;title^G text' && ok "--show-prompt on a terminal escapes the item's text" \
  || fail "--show-prompt escaped on a terminal" "$scr"
tm kill-session -t show 2>/dev/null
"$GS" judge --as judge:echo --rubric qa --set s --retries 0 --cmd "cat; echo" > "$T/out" 2> "$T/err"
"$GS" judge --as judge:echo --rubric qa --failures >> "$T/out" 2>> "$T/err"
grep -qF "$(cat "$T/esc_byte")" "$T/out" "$T/err" && fail "no escape byte reaches the output" "$(grep -c . "$T/out")" \
  || ok "failures quoting a prompt with escapes print no escape byte"

# ---- answered once; a changed prompt sends everything again ----
: > "$T/log"
expect_exit 1 "a second run" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" --timeout 1 --retries 0
grep -q "9 calls: 0 answered now, 5 before, 4 failed" "$T/out" && [ "$(wc -l < "$T/log")" -eq 4 ] \
  && ok "a second run sends only the failed ones" || fail "second run sends only what is missing" "$(cat "$T/out"; wc -l < "$T/log")"
[ -f judges/fake.prompt ] && grep -q "{{answer_format}}" judges/fake.prompt && ok "judges/fake.prompt from the default template" \
  || fail "template file" "$(ls judges)"
sed 's/You are grading/Please grade/' judges/fake.prompt > "$T/new.prompt"
: > "$T/log"
expect_exit 1 "--prompt FILE" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" --timeout 1 --retries 0 --prompt "$T/new.prompt"
[ "$(wc -l < "$T/log")" -eq 9 ] && cmp -s "$T/new.prompt" judges/fake.prompt && ok "a changed template sends everything again" \
  || fail "changed template" "$(wc -l < "$T/log")"
printf 'Grade {{outptu}} please\n' > "$T/bad.prompt"
expect_exit 65 "a template with an unknown variable" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" --prompt "$T/bad.prompt"
err_has "bad.prompt:1: unknown template variable {{outptu}}" && ok "names file, line and variable" || fail "template error" "$(cat "$T/err")"
printf 'Grade \377\376 {{output}}\n' > "$T/latin.prompt"
expect_exit 65 "a template that is not UTF-8" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" --prompt "$T/latin.prompt"
err_has "latin.prompt: a prompt template is UTF-8 text" && ok "names the template" || fail "template not UTF-8" "$(cat "$T/err")"
cp judges/fake.prompt "$T/keep.prompt"; printf 'a\000b {{output}}' > judges/fake.prompt
expect_exit 65 "a template with a NUL (a teammate's, from git)" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE"
err_has "judges/fake.prompt: a prompt template is UTF-8 text" && ok "names the file under judges/" || fail "NUL template" "$(cat "$T/err")"
cp "$T/keep.prompt" judges/fake.prompt
expect_exit 64 "--as must be a judge" "$GS" judge --as alice --cmd true
expect_exit 64 "--cmd is needed" "$GS" judge --as judge:x

# ---- pairwise, both orders ----
: > "$T/log"
expect_exit 0 "pairwise, both orders" "$GS" judge --as judge:fake --rubric pw --cmd "$JUDGE" --both-orders
[ "$(wc -l < "$T/log")" -eq 6 ] && ok "3 systems: 3 comparisons, each both ways round" || fail "6 calls" "$(wc -l < "$T/log")"
"$GS" export --rater judge:fake --rubric pw > "$T/pw"
# the fake judge prefers the shorter answer: m1 (5 characters) < m3 (8) < m2 (20)
[ "$(grep -c '"labels":{"better":"m1"}' "$T/pw")" -eq 2 ] && [ "$(grep -c '"labels":{"better":"m3"}' "$T/pw")" -eq 1 ] \
  && ok "the preference names the system, whatever side it was on" || fail "pairwise labels" "$(cat "$T/pw")"
[ "$(sqlite3 .goldset/goldset.db "SELECT count(*) FROM labels WHERE rater = 'judge:fake' AND rubric = 'pw' AND sides IS NOT NULL")" -eq 6 ] \
  && ok "every answer's side is recorded" || fail "sides" "$(sqlite3 .goldset/goldset.db "SELECT left_sys, right_sys, sides FROM labels WHERE rubric = 'pw'")"
# the run ends with one FULL commit (store_judge_run_end), which takes the
# run's NORMAL commits to the disk: its mark is there
sqlite3 .goldset/goldset.db "SELECT value FROM settings WHERE key = 'judge_run:judge:fake'" | grep -q '^20[0-9-]*T[0-9:.]*Z$' \
  && ok "the run ends with a durable commit (judge_run:judge:fake)" || fail "judge_run mark" "$(sqlite3 .goldset/goldset.db "SELECT * FROM settings")"
: > "$T/log"
"$GS" judge --as judge:fake --rubric pw --cmd "$JUDGE" --both-orders >/dev/null 2>&1
[ "$(wc -l < "$T/log")" -eq 0 ] && ok "pairwise: nothing sent twice" || fail "pairwise re-run" "$(wc -l < "$T/log")"

# ---- the verdict against the humans ----
printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"c","rubric":"qa","labels":{"ok":"no","stars":2}}' \
  '{"id":"h","rubric":"qa","labels":{"ok":"no","stars":2}}' > "$T/human.jsonl"
"$GS" import-labels "$T/human.jsonl" --as alice >/dev/null
"$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE" --timeout 1 --retries 0 > "$T/out" 2>&1
grep -q "judge:fake against the majority of alice" "$T/out" && grep -q "verdict" "$T/out" && ok "ends with the verdict against the humans" \
  || fail "verdict" "$(cat "$T/out")"

# ---- kill -9 in the middle, SIGINT: nothing but the calls in flight is lost ----
K=$T/k
ws "$K"
cp rubrics/qa.json "$K/rubrics/"
i=1; : > "$T/many.jsonl"
while [ $i -le 300 ]; do printf '{"id":"k%03d","input":"question %d","output":"answer %d"}\n' $i $i $i >> "$T/many.jsonl"; i=$((i+1)); done
"$GS" -C "$K" import "$T/many.jsonl" --set m >/dev/null
: > "$T/klog"
"$GS" -C "$K" judge --as judge:fake --rubric qa --cmd "sleep 0.02; FAKE_LOG=$T/klog sh $FAKE" --jobs 4 >/dev/null 2>&1 &
pid=$!
n=0; while [ "$(wc -l < "$T/klog")" -lt 60 ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n+1)); done
kill -9 $pid; wait $pid 2>/dev/null
sleep 0.5   # the orphaned calls in flight end
calls=$(wc -l < "$T/klog")
saved=$("$GS" -C "$K" export --rater judge:fake | wc -l)
[ "$calls" -ge "$saved" ] && [ $((calls - saved)) -le 4 ] && [ "$saved" -lt 300 ] \
  && ok "kill -9: $calls calls made, $saved saved (at most the 4 in flight lost)" || fail "kill -9 loses at most the calls in flight" "calls $calls saved $saved"
: > "$T/klog"
"$GS" -C "$K" judge --as judge:fake --rubric qa --cmd "FAKE_LOG=$T/klog sh $FAKE" --jobs 4 > "$T/out" 2>&1 &
pid=$!
n=0; while [ "$(wc -l < "$T/klog")" -lt 20 ] && [ $n -lt 600 ]; do sleep 0.02; n=$((n+1)); done
kill -INT $pid; wait $pid; rc=$?
calls2=$(wc -l < "$T/klog")
saved2=$("$GS" -C "$K" export --rater judge:fake | wc -l)
[ $rc -eq 130 ] && grep -q "stopped (run it again to go on)" "$T/out" && ok "SIGINT stops cleanly (exit 130)" || fail "SIGINT" "rc $rc $(cat "$T/out")"
[ $((saved2 - saved)) -le "$calls2" ] && [ $((calls2 - (saved2 - saved))) -le 4 ] && ok "SIGINT: at most the calls in flight lost" \
  || fail "SIGINT loses at most the calls in flight" "calls $calls2 saved $((saved2 - saved))"
: > "$T/klog"
expect_exit 0 "the re-run finishes" "$GS" -C "$K" judge --as judge:fake --rubric qa --cmd "FAKE_LOG=$T/klog sh $FAKE" --jobs 4
[ "$(wc -l < "$T/klog")" -eq $((300 - saved2)) ] && [ "$("$GS" -C "$K" export --rater judge:fake | wc -l)" -eq 300 ] \
  && ok "the re-run sends only the $((300 - saved2)) missing" || fail "re-run sends only what is missing" "$(wc -l < "$T/klog") sent, $saved2 saved"

# ---- the judge's labels and template go through git ----
R=$T/remote.git C=$T/clone
git init -q --bare "$R"
git remote add origin "$R"
check "commit" "$GS" commit -m "judge labels"
git ls-files judges | grep -q "judges/fake.prompt" && ok "commit takes judges/NAME.prompt" || fail "judges/ committed" "$(git ls-files)"
check "push" "$GS" push
git clone -q "$R" "$C"
check "init in the clone" "$GS" -C "$C" init
"$GS" export --rater judge:fake > "$T/e1"
"$GS" -C "$C" export --rater judge:fake > "$T/e2"
[ -s "$T/e1" ] && cmp -s "$T/e1" "$T/e2" && cmp -s judges/fake.prompt "$C/judges/fake.prompt" \
  && ok "the clone has the judge's labels and template" || fail "clone" "$(diff "$T/e1" "$T/e2")"
"$GS" -C "$C" judge --as judge:late --rubric qa --set s --cmd "$JUDGE" --timeout 3 --retries 0 >/dev/null 2>&1
"$GS" -C "$C" commit -m "a late judge" >/dev/null && "$GS" -C "$C" push >/dev/null 2>&1
check "pull" "$GS" pull
[ "$("$GS" export --rater judge:late | wc -l)" -eq 5 ] && ok "labels judged in the clone arrive by pull" \
  || fail "pull judge labels" "$("$GS" export --rater judge:late)"

# ---- judges/ is no way out of the workspace ----
mv judges "$T/judges.real" && ln -s "$T/judges.real" judges
expect_exit 65 "a judges/ that is a link is refused" "$GS" judge --as judge:fake --rubric qa --cmd "$JUDGE"
err_has "is a symbolic link" && ok "names the link" || fail "judges link" "$(cat "$T/err")"
rm judges && mv "$T/judges.real" judges
