# commit.sh: `goldset commit` of 1M labels (10 raters x 100k items), the
# export of every label file included, against the git program committing
# the same files (`git add labels && git commit -q -m x` in a fresh
# repository holding a copy of the labels/ goldset wrote).  The items and
# rubrics are committed beforehand, so both sides commit the labels only.
# Goal: at most 1.5x git's time.  Also: CPU time (user + system; steadier
# than wall time on a shared machine), peak memory, and a commit with
# nothing changed (every file exported and compared, no commit made).
# Standalone: GOLDSET=./goldset sh tests/bench/commit.sh
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
RATERS=${RATERS:-10}
git config --global user.name bench
git config --global user.email bench@example.com
"$GS" init "$B/ws" > /dev/null
cat > "$B/ws/rubrics/qa.json" <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"correct","type":"binary","labels":["no","yes"]},{"id":"helpful","type":"scale","min":1,"max":5},{"id":"topic","type":"choice","options":["billing","tech","other"]}]}
J
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"id\":\"it-%07d\",\"input\":\"Question %d about invoices?\",\"output\":\"Answer %d\"}\n", i, i, i }' > "$B/items.jsonl"
"$GS" -C "$B/ws" import "$B/items.jsonl" --set bench > /dev/null
"$GS" -C "$B/ws" commit -m items > /dev/null
timed() { # VAR CMD...: like measure, and VAR_cpu = user + system seconds
  var=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$B/time" "$@" > "$B/out" 2> "$B/err" || { echo "failed: $*"; cat "$B/err"; }
  read -r s kb u sy < "$B/time"
  eval "${var}_s=$s ${var}_kb=$kb ${var}_cpu=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')"
}
k=0
while [ $k -lt "$RATERS" ]; do
  awk -v n="$N" -v k="$k" 'BEGIN { split("billing tech other", t, " ");
    for (i = 0; i < n; i++)
      printf "{\"id\":\"it-%07d\",\"rubric\":\"qa\",\"labels\":{\"correct\":\"%s\",\"helpful\":%d,\"topic\":\"%s\"},\"note\":\"%s\",\"at\":\"2026-11-22T10:%02d:%02dZ\"}\n",
        i, ((i + k) % 3 ? "yes" : "no"), 1 + (i * (k + 1)) % 5, t[1 + (i + k) % 3], (i % 50 ? "" : "see \\\"ref\\\""), k, i % 60 }' > "$B/l.jsonl"
  "$GS" -C "$B/ws" import-labels "$B/l.jsonl" --as "rater-$k" > /dev/null || { echo "import-labels failed"; exit 1; }
  k=$((k + 1))
done
sync
timed gs "$GS" -C "$B/ws" commit -m "1M labels"
timed again "$GS" -C "$B/ws" commit -m "nothing"
mkdir -p "$B/g"
git init -q "$B/g"
cp -R "$B/ws/labels" "$B/g/"
sync
timed git sh -c "cd '$B/g' && git add labels && git commit -q -m x"
same=$(cd "$B/g" && git rev-parse HEAD:labels)
mine=$(cd "$B/ws" && git rev-parse HEAD:labels)
[ "$same" = "$mine" ] || echo "warning: the two commits hold different labels/ trees"
labels=$(cat "$B"/ws/labels/qa/*.jsonl | wc -l)
echo "commit $labels labels ($RATERS raters x $N items), export included: goldset ${gs_s}s, git add+commit ${git_s}s, ratio $(ratio "$gs_s" "$git_s") (goal <= 1.5)"
echo "CPU time: goldset ${gs_cpu}s, git ${git_cpu}s, ratio $(ratio "$gs_cpu" "$git_cpu")"
echo "peak memory: goldset ${gs_kb} KB, git ${git_kb} KB; commit with nothing changed: ${again_s}s"
