# judge.sh: what `goldset judge` adds around the judge command. 10,000 items
# (N=), --jobs 8, a command that answers at once (reads the prompt, prints a
# fixed JSON answer) against the same command run by `xargs -P 8` over the
# same prompts, one file each (what a user would otherwise script). Both
# start the same processes (sh -c, then the answering script); goldset also
# renders each prompt, reads and checks each answer and saves it as a label
# (one transaction per turn of its loop, durable). Goal: at most 1.5x.
#   GOLDSET=./goldset sh tests/bench/judge.sh
. "$(dirname "$0")/lib.sh"
N=${N:-10000}
J=${J:-8}
W=$B/ws
"$GS" init "$W" >/dev/null 2>&1
cat > "$W/rubrics/qa.json" <<'R'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary","question":"Correct?"},{"id":"stars","type":"scale","min":1,"max":5}]}
R
awk -v n="$N" 'BEGIN { for (i = 1; i <= n; i++)
  printf "{\"id\":\"q%05d\",\"input\":\"How do I reset my password, case %d?\",\"output\":\"Open Settings, then Security, then Reset. Case %d.\"}\n", i, i, i }' > "$B/items.jsonl"
"$GS" -C "$W" import "$B/items.jsonl" --set s >/dev/null
cat > "$B/answer.sh" <<'A'
cat > /dev/null
echo '{"ok":"yes","stars":4,"comment":"fine"}'
A
# the same prompts as files, written by a judge that keeps what it is sent
mkdir -p "$B/prompts"
"$GS" -C "$W" judge --as judge:dump --rubric qa --jobs "$J" --cmd "cat > $B/prompts/p.\$\$.txt; echo '{\"ok\":\"yes\",\"stars\":1}'" >/dev/null 2>&1
[ "$(ls "$B/prompts" | wc -l)" -eq "$N" ] || echo "(only $(ls "$B/prompts" | wc -l) prompts of $N written: pid reuse)"
measure gs "$GS" -C "$W" judge --as judge:bench --rubric qa --jobs "$J" --cmd "sh $B/answer.sh"
labels=$("$GS" -C "$W" export --rater judge:bench | wc -l)
cd "$B/prompts" || exit 1
measure xa sh -c "ls | xargs -P $J -n 1 sh -c 'sh $B/answer.sh < \"\$0\"' > $B/xargs.out"
echo "$N items, $J at once, a judge that answers at once: goldset judge ${gs_s}s (${gs_kb} KB, $labels labels saved);" \
  "xargs -P $J ${xa_s}s; ratio $(ratio "$gs_s" "$xa_s")x (goal <= 1.5)"
