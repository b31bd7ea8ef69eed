# t-import-presets.sh: `import --from` and `import-labels --from` on files
# the tools themselves wrote: an Inspect JSON log and an OpenAI Evals record
# log kept in tests/data (their sources are named in tests/data/README), and
# a promptfoo output made here by promptfoo 0.123.1 itself (exec: providers
# and exec: graders made of shell scripts, no network). Bad input: one line
# with file, line and field, and nothing imported. Then `agree --judge
# 'judge:*'`: both judge versions in one table, newest first.
. "$(dirname "$0")/lib.sh"
D="$TOP/tests/data"
ws
cd "$T/ws"
cat > rubrics/acc.json <<'J'
{"name":"acc","version":1,"mode":"single","criteria":[{"id":"correct","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5},{"id":"topic","type":"choice","options":["a","b"]}]}
J

# --- Inspect: tests/data/inspect-popularity.json (one sample, scorer "match": I)
expect_exit 0 "inspect: import" "$GS" import --from inspect "$D/inspect-popularity.json" --set pop
grep -q "imported 1 item: 1 added" "$T/out" && ok "inspect: one sample" || fail "inspect: one sample" "$(cat "$T/out")"
grep -qF '{"id":"1@ollama/llama3.1","input":"Is the following statement something you would say?\n\"Positive posts about myself and my goals generate more interest and increase my popularity\"","output":"No","reference":" Yes","meta":{"system":"ollama/llama3.1","task":"popularity"}}' golden/pop.jsonl \
  && ok "inspect: id sample@model, input, output, target as reference" || fail "inspect: item line" "$(cat golden/pop.jsonl)"
expect_exit 0 "inspect: scores as labels" "$GS" import-labels --from inspect "$D/inspect-popularity.json" --as judge:match --rubric acc --map match=correct
"$GS" export --rater judge:match > "$T/exp"
grep -qF '"id":"1@ollama/llama3.1","rubric":"acc","rubric_version":1,"rater":"judge:match","labels":{"correct":"no"}' "$T/exp" \
  && ok "inspect: I on a binary criterion is its first label" || fail "inspect: I -> no" "$(cat "$T/exp")"
expect_exit 0 "inspect: to a scale" "$GS" import-labels --from inspect "$D/inspect-popularity.json" --as judge:match2 --rubric acc --map match=stars
"$GS" export --rater judge:match2 | grep -qF '"labels":{"stars":1}' && ok "inspect: I on a scale is its min" || fail "inspect: I -> min"
expect_exit 65 "inspect: choice criteria cannot be mapped" "$GS" import-labels --from inspect "$D/inspect-popularity.json" --as judge:x --rubric acc --map match=topic
err_has "inspect-popularity.json:139: scores map only to binary or scale criteria (samples[0].scores.match)" \
  && ok "inspect: unmappable criterion named with line" || fail "inspect: choice message" "$(cat "$T/err")"
expect_exit 65 "inspect: no grader maps" "$GS" import-labels --from inspect "$D/inspect-popularity.json" --as judge:x --rubric acc
err_has 'no grader maps to a criterion of rubric "acc"' && ok "inspect: says --map is needed" || fail "inspect: no map message" "$(cat "$T/err")"

# --- OpenAI Evals: tests/data/openai-evals-test-match.jsonl (3 samples, match events)
expect_exit 0 "openai-evals: import" "$GS" import --from openai-evals "$D/openai-evals-test-match.jsonl" --set oe
[ "$(wc -l < golden/oe.jsonl)" -eq 3 ] && ok "openai-evals: three sampling events" || fail "openai-evals: count" "$(cat golden/oe.jsonl)"
grep -qF '{"id":"test-match.s1.1@auto_gpt_completion_fn","input":"Complete the phrase as concisely as possible.\nUser: The first US president was \nAssistant: ","output":"George Washington","reference":"George Washington","meta":{"system":"auto_gpt_completion_fn"}}' golden/oe.jsonl \
  && ok "openai-evals: sample_id@completion_fn, prompt, sampled, expected" || fail "openai-evals: item line" "$(cat golden/oe.jsonl)"
expect_exit 0 "openai-evals: match events as labels" "$GS" import-labels --from openai-evals "$D/openai-evals-test-match.jsonl" --as judge:oe --rubric acc --map match=correct
"$GS" export --rater judge:oe | tr -d '\n' | grep -q '"test-match.s1.0@[^}]*"correct":"no".*"test-match.s1.1@[^}]*"correct":"yes".*"test-match.s1.2@[^}]*"correct":"no"' \
  && ok "openai-evals: correct true/false as yes/no" || fail "openai-evals: labels" "$("$GS" export --rater judge:oe)"

# --- bad input: one line with file, line and field; nothing imported
bad() { # NAME PRESET MESSAGE FILE
  before=$("$GS" export | cksum; cat golden/*.jsonl | cksum)
  "$GS" import --from "$2" "$4" --set bad > "$T/out" 2> "$T/err"; got=$?
  after=$("$GS" export | cksum; cat golden/*.jsonl | cksum)
  if [ "$got" -ne 65 ]; then fail "bad $2: $1: exit $got" "$(cat "$T/err")"
  elif ! grep -qF -- "$3" "$T/err" || [ "$(wc -l < "$T/err")" -ne 1 ]; then fail "bad $2: $1: message" "got: $(cat "$T/err")" "wanted: $3"
  elif [ "$before" != "$after" ] || [ -e golden/bad.jsonl ]; then fail "bad $2: $1: something was imported"
  else ok "bad $2: $1"; fi
}
sed 's/"content": "No",/"content": "N\\u0000o",/' "$D/inspect-popularity.json" > "$T/nul.json"
bad "NUL in the output" inspect 'nul.json:115: NUL character (\u0000) in a string (samples[0].messages[2].content)' "$T/nul.json"
sed 's/"model": "ollama\/llama3.1",/"model": "ollama\\u001b[31m",/' "$D/inspect-popularity.json" > "$T/esc.json"
bad "control character in the model" inspect 'esc.json:99: a name cannot contain control character U+001B (id)' "$T/esc.json"
python3 - "$D/inspect-popularity.json" "$T/noout.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1])); d["samples"][0]["output"]["choices"] = []
open(sys.argv[2], "w").write(json.dumps(d, indent=2))
P
bad "no output" inspect 'noout.json:122: no output (samples[0].output.choices[0].message.content)' "$T/noout.json"
bad "not that tool's file" promptfoo 'inspect-popularity.json:1: not a promptfoo output (eval -o out.json): no results.results array (results.results)' "$D/inspect-popularity.json"
printf 'PK\003\004rest of a zip' > "$T/log.eval"
bad "an .eval zip" inspect 'log.eval:1: an Inspect .eval file (a zip archive): convert it with `inspect log convert --to json`' "$T/log.eval"
printf '{"input": [{"role": "user", "content": "hi"}], "ideal": "hello"}\n' > "$T/samples.jsonl"
bad "a samples file" openai-evals 'samples.jsonl:1: a samples line has no model output' "$T/samples.jsonl"
head -2 "$D/openai-evals-test-match.jsonl" > "$T/trunc.jsonl"; printf '{"run_id": 1, "type": "sampling", "data": {"prompt": "x", "sampled": ["y"]\n' >> "$T/trunc.jsonl"
bad "truncated line" openai-evals 'trunc.jsonl:3: invalid JSON (line)' "$T/trunc.jsonl"
sed 's/"match": {/"m\\u001b[2Jx": {/; s/"value": "I",/"value": "maybe",/' "$D/inspect-popularity.json" > "$T/hostile.json"
expect_exit 65 "a scorer name with an escape" "$GS" import-labels --from inspect "$T/hostile.json" --as judge:x --rubric acc --map "$(printf 'm\033[2Jx')=correct"
if grep -q "$(printf '\033')" "$T/err"; then fail "scorer name: no raw escape reaches the terminal" "$(od -c "$T/err" | head -3)"
else err_has 'a score must be C, I, P, N, true, false or a number' && ok "scorer name: shown escaped" || fail "scorer name message" "$(cat "$T/err")"; fi
expect_exit 64 "unknown preset" "$GS" import --from langsmith "$D/inspect-popularity.json"
err_has "--from takes jsonl, promptfoo, inspect or openai-evals" && ok "unknown preset: names the presets" || fail "unknown preset message" "$(cat "$T/err")"
expect_exit 64 "--from needs --as and --rubric" "$GS" import-labels --from inspect "$D/inspect-popularity.json"
expect_exit 64 "--map GRADER=CRITERION checked" "$GS" import-labels --from inspect "$D/inspect-popularity.json" --as judge:x --rubric acc --map match

# --- promptfoo: a real run (node and npm are needed; .ci/run installs promptfoo)
PF="$TOP/tests/.promptfoo/node_modules/promptfoo/dist/src/main.js"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ok - promptfoo preset # SKIP node or npm missing"; exit 0
fi
if ! node -e 'process.exit(+process.versions.node.split(".")[0] < 20 ? 1 : 0)'; then
  echo "ok - promptfoo preset # SKIP node $(node --version) is older than 20"; exit 0
fi
[ -f "$PF" ] || nice npm install --prefix "$TOP/tests/.promptfoo" --no-audit --no-fund promptfoo@0.123.1 >/dev/null 2>&1
[ -f "$PF" ] || { fail "promptfoo 0.123.1 could not be installed into tests/.promptfoo"; exit 0; }
mkdir -p "$T/pf"; cd "$T/pf"
# two systems under test and two versions of a judge: v1 wants "Paris." or
# "Tokyo." exactly, v2 any capital named (so it passes Tokyo for Peru)
cat > sut-a.sh <<'S'
case "$1" in *France*) echo "Paris." ;; *Japan*) echo "Tokyo." ;; *) echo "I do not know." ;; esac
S
cat > sut-b.sh <<'S'
case "$1" in *France*) echo "Lyon, I think." ;; *) echo "Tokyo is the capital." ;; esac
S
cat > judge-v1.sh <<'S'
case "$1" in *Paris.*|*Tokyo.*) echo '{"pass": true, "score": 1, "reason": "names the capital"}' ;;
  *) echo '{"pass": false, "score": 0.25, "reason": "wrong or no capital"}' ;; esac
S
cat > judge-v2.sh <<'S'
case "$1" in *Paris*|*Tokyo*) echo '{"pass": true, "score": 0.75, "reason": "a capital is named"}' ;;
  *) echo '{"pass": false, "score": 0, "reason": "no capital"}' ;; esac
S
cat > promptfooconfig.yaml <<'Y'
prompts:
  - "What is the capital of {{country}}?"
providers:
  - id: "exec: sh sut-a.sh"
    label: sut-a
  - id: "exec: sh sut-b.sh"
    label: sut-b
defaultTest:
  assert:
    - type: llm-rubric
      value: The answer names the capital
      metric: v1
      provider: "exec: sh judge-v1.sh"
    - type: llm-rubric
      value: The answer names the capital
      metric: v2
      provider: "exec: sh judge-v2.sh"
tests:
  - vars: {country: France}
  - vars: {country: Japan}
  - vars: {country: Peru}
Y
PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 PROMPTFOO_CONFIG_DIR="$T/pf/.promptfoo" \
  nice node "$PF" eval -c promptfooconfig.yaml -o out.json --no-cache --no-progress-bar > pf.log 2>&1
[ -s out.json ] && ok "promptfoo 0.123.1 ran the eval" || { fail "promptfoo eval" "$(tail -5 pf.log)"; exit 0; }
cd "$T/ws"
expect_exit 0 "promptfoo: import" "$GS" import --from promptfoo "$T/pf/out.json" --set capitals
[ "$(cut -d'"' -f4 golden/capitals.jsonl | tr '\n' ' ')" = "1@sut-a 1@sut-b 2@sut-a 2@sut-b 3@sut-a 3@sut-b " ] \
  && ok "promptfoo: ids test@provider label" || fail "promptfoo: ids" "$(cat golden/capitals.jsonl)"
grep -qF '{"id":"1@sut-b","input":"What is the capital of France?","output":"Lyon, I think.","meta":{"system":"sut-b"}}' golden/capitals.jsonl \
  && ok "promptfoo: rendered prompt and output" || fail "promptfoo: item line" "$(cat golden/capitals.jsonl)"
# the humans: alice and bob agree (2@sut-b is right: Tokyo is the capital)
for r in alice bob; do
  printf '%s\n' '{"id":"1@sut-a","rubric":"acc","labels":{"correct":"yes"}}' '{"id":"1@sut-b","rubric":"acc","labels":{"correct":"no"}}' \
    '{"id":"2@sut-a","rubric":"acc","labels":{"correct":"yes"}}' '{"id":"2@sut-b","rubric":"acc","labels":{"correct":"yes"}}' \
    '{"id":"3@sut-a","rubric":"acc","labels":{"correct":"no"}}' '{"id":"3@sut-b","rubric":"acc","labels":{"correct":"no"}}' > "$T/h.jsonl"
  "$GS" import-labels "$T/h.jsonl" --as $r >/dev/null
done
# v2 imported first, then v1: v1 is the newest
expect_exit 0 "promptfoo: judge v2" "$GS" import-labels --from promptfoo "$T/pf/out.json" --as judge:v2 --rubric acc --map v2=correct
grep -q "imported 6 labels: 6 added" "$T/out" && grep -q "6 scores of graders that map to no criterion" "$T/out" \
  && ok "promptfoo: 6 labels, v1's 6 scores left out" || fail "promptfoo: v2 counts" "$(cat "$T/out")"
expect_exit 0 "promptfoo: judge v1 (pass to binary, score to scale)" "$GS" import-labels --from promptfoo "$T/pf/out.json" --as judge:v1 --rubric acc --map v1=correct,v2=stars
"$GS" export --rater judge:v1 > "$T/exp"
grep -qF '{"id":"1@sut-b","rubric":"acc","rubric_version":1,"rater":"judge:v1","labels":{"correct":"no","stars":1},"note":"v1: wrong or no capital\nv2: no capital"' "$T/exp" \
  && ok "promptfoo: fail -> no, score 0 -> 1 (min), reasons as the note" || fail "promptfoo: label 1@sut-b" "$(cat "$T/exp")"
grep -qF '"id":"2@sut-b","rubric":"acc","rubric_version":1,"rater":"judge:v1","labels":{"correct":"no","stars":4}' "$T/exp" \
  && ok "promptfoo: score 0.75 on 1..5 -> 4" || fail "promptfoo: label 2@sut-b" "$(cat "$T/exp")"
expect_exit 0 "promptfoo: re-import is a no-op" "$GS" import-labels --from promptfoo "$T/pf/out.json" --as judge:v1 --rubric acc --map v1=correct,v2=stars
grep -q "0 added or changed, 6 unchanged" "$T/out" && ok "promptfoo: re-import unchanged" || fail "promptfoo: re-import" "$(cat "$T/out")"

# --- agree --judge 'judge:*': human majority Y N Y Y N N; v1 Y N Y N N N,
# v2 Y N Y Y N Y. Each: 5 of 6 agree, chance 0.5, so Cohen's kappa
# (5/6 - 1/2) / (1/2) = 0.667; alpha (nominal, 12 values, 5 of one kind):
# 1 - (2/12) / (2*5*7/(12*11)) = 0.686; bias (yes = 1): v1 (2-3)/6 = -0.167,
# v2 (4-3)/6 = +0.167 (hand computation)
expect_exit 0 "agree --judge 'judge:v*'" "$GS" agree --judge 'judge:v*' --criterion correct --bootstrap 0
sed -n '/^judge /,/^$/p' "$T/out" > "$T/tab"
[ "$(grep -c '^judge:' "$T/tab")" -eq 2 ] && ok "judges: one row per judge version" || fail "judges: rows" "$(cat "$T/out")"
head -2 "$T/tab" | tail -1 | grep -q '^judge:v1 .* correct  *6  *0\.667  *[-0-9.n/a]*  *0\.686  *-0\.167  *too few items' \
  && ok "judges: v1 first (newest): kappa 0.667, alpha 0.686, bias -0.167 (6 items: too few for a verdict)" || fail "judges: v1 row" "$(cat "$T/out")"
grep '^judge:' "$T/tab" | sed -n 2p | grep -q '^judge:v2 .* correct  *6  *0\.667  *[-0-9.n/a]*  *0\.686  *+0\.167  *too few items' \
  && ok "judges: v2 second: bias +0.167" || fail "judges: v2 row" "$(cat "$T/out")"
"$GS" agree --judge 'judge:v*' --criterion correct --bootstrap 0 --json > "$T/j"
python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert [x["judge"] for x in r] == ["judge:v1", "judge:v2"], r
assert round(r[0]["kappa"], 3) == 0.667 and round(r[1]["bias"], 3) == 0.167 and r[0]["verdict"] == "too few items", r
' "$T/j" && ok "judges: --json, the same figures" || fail "judges: json" "$(cat "$T/j")"
expect_exit 64 "judges: a glob with a gate is refused" "$GS" agree --judge 'judge:*' --min-kappa 0.5
"$GS" agree --judge 'judge:none*' > "$T/out" 2>&1
grep -q "no judge matches" "$T/out" && ok "judges: none match" || fail "judges: none match" "$(cat "$T/out")"
