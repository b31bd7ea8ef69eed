# pull.sh: `goldset pull` that brings 1M changed labels (10 raters x 100k
# items, one rubric; every label of every rater changed on the other
# clone), against what a user would otherwise do: `git pull`, then the
# plain `goldset import-labels` of the label files that arrived.  Goal: at
# most 2x their time.  Also: CPU time (user + system; steadier than wall
# time on a shared machine) and peak memory.
#
# Set-up (not timed): a bare remote; workspace A commits the items and the
# rubric with goldset, then two rounds of label files (every value changed
# in the second) with git, pushing each; clone B (`git clone` + `goldset
# init`, after the first round) pulls the second; B's twin, a copy of B made
# before the pull, runs git pull + import-labels.  Both end with the same
# labels (checked).  A's label files are written by awk, byte for byte as
# `goldset commit` writes them (checked on a sample), because importing and
# committing 2M labels in A would take most of the benchmark's time; the
# set-up pushes skip git's delta search for the same reason.
#
# The clones fetch from `git daemon` on 127.0.0.1 (git://), as from a
# team's server, which sends the pushed objects as they are stored.
# PULL_REMOTE=path makes them fetch from the bare repository's folder
# instead: libgit2 then packs in-process, computing deltas anew (it cannot
# reuse those of the remote's packs, as git does); for 1M labels that alone
# takes minutes.
# Standalone: GOLDSET=./goldset sh tests/bench/pull.sh (N items, RATERS,
# PULL_REMOTE=daemon|path).
. "$(dirname "$0")/lib.sh"
N=${N:-100000}
RATERS=${RATERS:-10}
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main
timed() { # VAR CMD...: like measure, and VAR_cpu = user + system seconds
  var=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$B/time" "$@" > "$B/out" 2> "$B/err" || { echo "failed: $*"; cat "$B/err"; }
  read -r s kb u sy < "$B/time"
  eval "${var}_s=$s ${var}_kb=$kb ${var}_cpu=$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')"
}

# ---- the remote ----
git init -q --bare "$B/remote.git"
git -C "$B/remote.git" config receive.unpackLimit 1   # keeps pushed packs, as hosting servers do
url="$B/remote.git"
if [ "${PULL_REMOTE:-daemon}" = daemon ]; then
  port=$((20000 + $$ % 20000)); tries=0
  while :; do
    git daemon --reuseaddr --listen=127.0.0.1 --port=$port --base-path="$B" --export-all \
      --pid-file="$B/daemon.pid" --detach "$B" 2> /dev/null
    sleep 0.5
    git ls-remote "git://127.0.0.1:$port/remote.git" > /dev/null 2>&1 && break
    [ -s "$B/daemon.pid" ] && kill "$(cat "$B/daemon.pid")" 2> /dev/null
    tries=$((tries + 1)); port=$((port + 1))
    [ $tries -lt 5 ] || { echo "cannot start git daemon; try PULL_REMOTE=path"; exit 1; }
  done
  trap 'kill "$(cat "$B/daemon.pid")" 2> /dev/null; rm -rf "$B"' EXIT
  url="git://127.0.0.1:$port/remote.git"
fi

# ---- workspace A: items and rubric by goldset, label files by awk ----
"$GS" init "$B/a" > /dev/null
git -C "$B/a" remote add origin "$B/remote.git"
cat > "$B/a/rubrics/qa.json" <<'J'
{"name":"qa","version":1,"mode":"single","criteria":[{"id":"correct","type":"binary","labels":["no","yes"]},{"id":"helpful","type":"scale","min":1,"max":5},{"id":"topic","type":"choice","options":["billing","tech","other"]}]}
J
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
  printf "{\"id\":\"it-%07d\",\"input\":\"Question %d about invoices?\",\"output\":\"Answer %d\"}\n", i, i, i }' > "$B/items.jsonl"
"$GS" -C "$B/a" import "$B/items.jsonl" --set bench > /dev/null
label_lines() { # FORM ROUND K: rater K's N labels; every round changes every value.
  # FORM file: as goldset commit writes labels/qa/rater-K.jsonl; import: as import-labels reads
  awk -v n="$N" -v f="$1" -v r="$2" -v k="$3" 'BEGIN { split("billing tech other", t, " ");
    who = f == "file" ? sprintf(",\"rubric_version\":1,\"rater\":\"rater-%d\"", k) : "";
    for (i = 0; i < n; i++) {
      note = i % 50 ? "" : "see \\\"ref\\\"";
      printf "{\"id\":\"it-%07d\",\"rubric\":\"qa\"%s,\"labels\":{\"correct\":\"%s\",\"helpful\":%d,\"topic\":\"%s\"}%s,\"at\":\"2026-11-2%dT10:%02d:%02dZ\"}\n",
        i, who, ((i + k + r) % 2 ? "yes" : "no"), 1 + (i * (k + 1) + r) % 5, t[1 + (i + k + r) % 3],
        (note != "" || f != "file" ? ",\"note\":\"" note "\"" : ""), r, k, i % 60 } }'
}
label_lines import 0 1 | head -60 > "$B/sample.jsonl"
"$GS" -C "$B/a" import-labels "$B/sample.jsonl" --as rater-1 > /dev/null && "$GS" -C "$B/a" commit -m items > /dev/null \
  || { echo "set-up: items commit failed"; exit 1; }
label_lines file 0 1 | head -60 | cmp -s - "$B/a/labels/qa/rater-1.jsonl" \
  || echo "warning: the generated label files differ from what goldset commit writes"
round() { # R MSG: every rater's file for round R, committed with git and pushed
  k=0
  while [ $k -lt "$RATERS" ]; do label_lines file "$1" $k > "$B/a/labels/qa/rater-$k.jsonl"; k=$((k + 1)); done
  git -C "$B/a" add labels && git -C "$B/a" commit -q -m "$2" && git -C "$B/a" -c pack.window=0 push -q origin main 2> "$B/err" \
    || { echo "set-up: round $1 failed"; cat "$B/err"; exit 1; }
}
round 0 "round 0"

# ---- clone B, its twin, the second round ----
git clone -q "$url" "$B/b" 2> /dev/null && "$GS" init "$B/b" > /dev/null || { echo "clone + init failed"; exit 1; }
cp -a "$B/b" "$B/twin"
round 1 "round 1: every label changed"
sync
timed gs "$GS" -C "$B/b" pull
grep -q "^fast-forward" "$B/out" || echo "warning: goldset pull did not fast-forward: $(head -c 300 "$B/out")"
timed git sh -c "cd '$B/twin' && git pull -q"
timed imp sh -c "cd '$B/twin' && '$GS' import-labels labels/qa/*.jsonl"
"$GS" -C "$B/b" export > "$B/eb"
"$GS" -C "$B/twin" export > "$B/et"
cmp -s "$B/eb" "$B/et" || echo "warning: the two clones end with different labels"
labels=$(wc -l < "$B/eb")
other_s=$(awk -v a="$git_s" -v b="$imp_s" 'BEGIN { printf "%.2f", a + b }')
other_cpu=$(awk -v a="$git_cpu" -v b="$imp_cpu" 'BEGIN { printf "%.2f", a + b }')
echo "pull bringing $labels changed labels ($RATERS raters x $N items, remote: ${PULL_REMOTE:-daemon}): goldset pull ${gs_s}s, git pull ${git_s}s + import-labels ${imp_s}s = ${other_s}s, ratio $(ratio "$gs_s" "$other_s") (goal <= 2)"
echo "CPU time: goldset ${gs_cpu}s, git pull + import-labels ${other_cpu}s, ratio $(ratio "$gs_cpu" "$other_cpu")"
echo "peak memory: goldset ${gs_kb} KB; git pull ${git_kb} KB, import-labels ${imp_kb} KB"
