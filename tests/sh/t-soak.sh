# t-soak.sh: kill tests. goldset is killed with SIGKILL at random
# moments, many times, and after each kill the workspace must have lost
# nothing acknowledged and hold every import and commit whole or not at all:
#   import         a large JSONL file: the store has all of its items or none
#                  (stats --json "items"), and golden/SET.jsonl holds exactly
#                  the store's items of that set (or does not exist);
#   import-labels  all of the file's labels or none (export --rater);
#   label          a rater in the label screen (tmux): every item the screen
#                  reported "saved" before the kill is in `export`;
#   commit         (once `goldset commit` exists) either a new git commit with
#                  every label file or no new commit; git fsck clean; the next
#                  commit works and leaves labels/ clean in `git status`.
# After every kill: `PRAGMA integrity_check` is ok.
# Besides the random kills, a small preloaded library (built here with cc)
# kills goldset exactly at the riskiest step: the rename that puts a new
# golden/SET.jsonl or labels/ file in place; the next goldset command must
# find the workspace consistent.
# Default (make check): SOAK_N kills per kind (6), small files, well under a
# minute. SOAK=long (make soak): 200 kills per kind and larger files, then
# t-limits.sh at full size (1M items) and t-concurrency.sh for 50 rounds.
# SOAK_SEED fixes the random delays (printed, so a failure can be replayed).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 > /dev/null || { echo "ok - soak # SKIP sqlite3 missing"; exit 0; }
if [ "${SOAK:-}" = long ]; then
	N=${SOAK_N:-200} ITEMS=${SOAK_ITEMS:-20000} LABELS=${SOAK_LABELS:-10000} SCREEN_N=${SOAK_SCREEN_N:-60}
else
	N=${SOAK_N:-6} ITEMS=${SOAK_ITEMS:-5000} LABELS=${SOAK_LABELS:-3000} SCREEN_N=${SOAK_SCREEN_N:-4}
fi
SEED=${SOAK_SEED:-$(date +%s)}
echo "# soak: $N kills per kind, $ITEMS items, $LABELS labels a file, seed $SEED"
# fresh NAME: a new workspace $T/NAME with the rubric qa; sets W and DB. Each
# kind of kill has its own, and a long run starts a new one every 20 kills,
# so that no store grows without bound
fresh() {
	W=$T/$1
	DB=$W/.goldset/goldset.db
	ws "$W"
	printf '%s\n' '{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary","question":"Correct?"}]}' > "$W/rubrics/qa.json"
}
rnd_state=$((SEED % 2147483648))
# rnd MAX: sets R to a random decimal in [0, MAX), from SEED (an LCG: mawk's
# srand() is no good with large seeds)
rnd() {
	rnd_state=$(((rnd_state * 1103515245 + 12345) % 2147483648))
	R=$(awk -v r="$rnd_state" -v m="$1" 'BEGIN { printf "%.3f", r / 2147483648 * m }')
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

# gen_items PREFIX COUNT: a JSONL file on stdout, ids PREFIX-000000...
gen_items() {
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"id\":\"%s-%06d\",\"input\":\"question %d about an invoice\",\"output\":\"answer %d, long enough to be a realistic line of model output\",\"meta\":{\"seg\":\"s%d\"}}\n", p, i, i, i, i % 7 }'
}
# gen_labels PREFIX COUNT: label lines for items PREFIX-000000...
gen_labels() {
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"id\":\"%s-%06d\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"%s\"}}\n", p, i, i % 3 ? "yes" : "no" }'
}
TAB=$(printf '\t')
stat_items() { "$GS" -C "$W" stats --json 2> /dev/null | sed -n "s/^$TAB\"items\":[[:space:]]*\([0-9]*\).*/\1/p" | head -1; }
integrity() { sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1; }
set_count() { sqlite3 "$DB" "SELECT count(*) FROM items WHERE set_name = '$1' AND is_current" 2>&1; }

# kill_after DELAY CMD...: runs CMD in the background, SIGKILLs it after DELAY s;
# sets $killed_rc (137 when it was killed, else its own exit status)
kill_after() {
	d=$1; shift
	"$@" > "$T/kout" 2> "$T/kerr" &
	kpid=$!
	sleep "$d"
	kill -9 "$kpid" 2> /dev/null
	wait "$kpid" 2> /dev/null
	killed_rc=$?
}

problems=0
bad() { problems=$((problems + 1)); printf '#   %s\n' "$@"; }

# ---- import ----
fresh wi0
gen_items calib "$ITEMS" > "$T/calib.jsonl"
t0=$(now)
"$GS" -C "$W" import "$T/calib.jsonl" --set calib > /dev/null 2>&1 || bad "calibration import failed"
D=$(elapsed "$t0")
echo "# an uninterrupted import of $ITEMS items takes ${D}s"
whole=0 none=0 it=0
while [ $it -lt "$N" ]; do
	it=$((it + 1))
	[ $((it % 20)) = 0 ] && fresh "wi$it"
	set=k$it
	gen_items "$set" "$ITEMS" > "$T/$set.jsonl"
	before=$(stat_items)
	rnd "$(awk -v d="$D" 'BEGIN { print d * 1.3 }')"
	delay=$R
	kill_after "$delay" "$GS" -C "$W" import "$T/$set.jsonl" --set "$set"
	after=$(stat_items)
	cnt=$(set_count "$set")
	g=$W/golden/$set.jsonl
	if [ "$after" = "$before" ] && [ "$cnt" = 0 ]; then
		none=$((none + 1))
		[ -e "$g" ] && bad "import $it (killed at ${delay}s): nothing in the store but $g exists"
	elif [ "$after" = $((before + ITEMS)) ] && [ "$cnt" = "$ITEMS" ]; then
		whole=$((whole + 1))
		sqlite3 "$DB" "SELECT json FROM items WHERE set_name = '$set' AND is_current" | LC_ALL=C sort > "$T/store.txt"
		if [ ! -e "$g" ]; then bad "import $it (killed at ${delay}s, exit $killed_rc): all $ITEMS items in the store but no $g"
		elif ! LC_ALL=C sort "$g" | cmp -s - "$T/store.txt"; then bad "import $it: $g differs from the store ($(wc -l < "$g") lines)"
		fi
	else
		bad "import $it (killed at ${delay}s): items $before -> $after, set $set has $cnt of $ITEMS: partial import"
	fi
	r=$(integrity)
	[ "$r" = ok ] || bad "import $it: integrity_check: $r"
	rm -f "$T/$set.jsonl"
done
if [ $problems -eq 0 ]; then ok "import killed $N times: whole $whole, none $none, never partial, golden/ matches, integrity ok"
else fail "import killed $N times: $problems problems (seed $SEED)"; fi

# ---- import-labels ----
problems=0
fresh_labels() { fresh "$1" && "$GS" -C "$W" import "$T/calib.jsonl" --set calib > /dev/null 2>&1 || bad "import into $1 failed"; }
fresh_labels wl0
gen_labels calib "$LABELS" > "$T/calib-labels.jsonl"
t0=$(now)
"$GS" -C "$W" import-labels "$T/calib-labels.jsonl" --as calibrator > /dev/null 2>&1 || bad "calibration import-labels failed"
D=$(elapsed "$t0")
echo "# an uninterrupted import-labels of $LABELS labels takes ${D}s"
whole=0 none=0 it=0
while [ $it -lt "$N" ]; do
	it=$((it + 1))
	[ $((it % 20)) = 0 ] && fresh_labels "wl$it"
	rnd "$(awk -v d="$D" 'BEGIN { print d * 1.3 }')"
	delay=$R
	kill_after "$delay" "$GS" -C "$W" import-labels "$T/calib-labels.jsonl" --as "r$it"
	cnt=$("$GS" -C "$W" export --rater "r$it" 2> "$T/experr" | wc -l)
	if [ "$cnt" -eq 0 ]; then none=$((none + 1))
	elif [ "$cnt" -eq "$LABELS" ]; then whole=$((whole + 1))
	else bad "import-labels $it (killed at ${delay}s): $cnt of $LABELS labels: partial"; fi
	[ -s "$T/experr" ] && bad "import-labels $it: export says: $(head -1 "$T/experr")"
	r=$(integrity)
	[ "$r" = ok ] || bad "import-labels $it: integrity_check: $r"
done
if [ $problems -eq 0 ]; then ok "import-labels killed $N times: whole $whole, none $none, never partial, integrity ok"
else fail "import-labels killed $N times: $problems problems (seed $SEED)"; fi

# ---- the label screen ----
problems=0
if ! "$GS" label --help > /dev/null 2>&1; then
	echo "ok - soak: label screen killed # SKIP label screen not built yet"
elif ! command -v tmux > /dev/null; then
	echo "ok - soak: label screen killed # SKIP tmux missing"
else
	fresh wscreen
	gen_items scr 400 > "$T/scr.jsonl"
	"$GS" -C "$W" import "$T/scr.jsonl" --set scr > /dev/null 2>&1
	acked_total=0 it=0
	while [ $it -lt "$SCREEN_N" ]; do
		it=$((it + 1))
		rater=screen$it
		: > "$T/acked"
		tm_start "s$it" 100 30 "exec \"$GS\" -C \"$W\" label --rubric qa --set scr --as $rater"
		if ! tm_wait "s$it" "item "; then
			bad "screen $it: the label screen did not start: $(tm_screen "s$it" | head -3)"
			tm kill-session -t "s$it" 2> /dev/null
			continue
		fi
		pid=$(tm list-panes -t "s$it" -F '#{pane_pid}')
		rnd 8
		saves=$((1 + ${R%.*}))
		k=0 last=
		while [ $k -lt "$saves" ]; do
			k=$((k + 1))
			tm_keys "s$it" 1 Enter
			# acknowledged: the status line says "saved ID" with a new ID
			w=0
			while [ $w -lt 200 ]; do
				id=$(tm_screen "s$it" | grep -o 'saved scr-[0-9]*' | tail -1 | cut -c7-)
				[ -n "$id" ] && [ "$id" != "$last" ] && break
				sleep 0.05
				w=$((w + 1))
			done
			if [ -n "$id" ] && [ "$id" != "$last" ]; then
				echo "$id" >> "$T/acked"
				last=$id
			fi
		done
		# one more save in flight, killed at a random moment
		tm_keys "s$it" 1 Enter
		rnd 0.05
		sleep "$R"
		kill -9 "$pid" 2> /dev/null
		sleep 0.1
		tm kill-session -t "s$it" 2> /dev/null
		"$GS" -C "$W" export --rater "$rater" > "$T/exp" 2>&1
		while read -r id; do
			grep -qF "\"id\":\"$id\"" "$T/exp" || bad "screen $it: $id was shown as saved but is not in export"
		done < "$T/acked"
		acked_total=$((acked_total + $(wc -l < "$T/acked")))
		r=$(integrity)
		[ "$r" = ok ] || bad "screen $it: integrity_check: $r"
	done
	if [ "$acked_total" -eq 0 ]; then fail "label screen killed $SCREEN_N times: no save was ever acknowledged" "$(tm_screen "s$it" 2> /dev/null | tail -5)"
	elif [ $problems -eq 0 ]; then ok "label screen killed $SCREEN_N times: all $acked_total labels shown as saved are in export"
	else fail "label screen killed $SCREEN_N times: $problems problems (seed $SEED)"; fi
fi

# ---- commit ----
problems=0
if ! "$GS" commit --help > /dev/null 2>&1; then
	echo "ok - soak: commit killed # SKIP goldset commit not built yet"
else
	fresh wcommit
	gen_items calib 200 > "$T/few-items.jsonl"
	"$GS" -C "$W" import "$T/few-items.jsonl" --set calib > /dev/null 2>&1 || bad "import into wcommit failed"
	git -C "$W" config user.name soak
	git -C "$W" config user.email soak@example.invalid
	gen_labels calib 200 > "$T/few.jsonl"
	t0=$(now)
	"$GS" -C "$W" commit -m "soak: before" > /dev/null 2>&1
	D=$(elapsed "$t0")
	newc=0 same=0 it=0
	while [ $it -lt "$N" ]; do
		it=$((it + 1))
		"$GS" -C "$W" import-labels "$T/few.jsonl" --as "c$it" > /dev/null 2>&1 || bad "commit $it: import-labels failed"
		head0=$(git -C "$W" rev-parse -q --verify HEAD)
		rnd "$(awk -v d="$D" 'BEGIN { print d * 1.5 + 0.05 }')"
		kill_after "$R" "$GS" -C "$W" commit -m "soak $it"
		head1=$(git -C "$W" rev-parse -q --verify HEAD)
		if [ "$head0" = "$head1" ]; then same=$((same + 1))
		else
			newc=$((newc + 1))
			[ "$(git -C "$W" rev-parse -q --verify HEAD~1)" = "$head0" ] || bad "commit $it: HEAD moved by more than one commit"
			git -C "$W" ls-tree -r --name-only HEAD > "$T/tree"
			j=0
			while [ $j -lt "$it" ]; do
				j=$((j + 1))
				grep -qx "labels/qa/c$j.jsonl" "$T/tree" || bad "commit $it: the new commit lacks labels/qa/c$j.jsonl"
			done
		fi
		git -C "$W" fsck --no-progress > "$T/fsck" 2>&1 || bad "commit $it: git fsck: $(head -3 "$T/fsck")"
		for f in "$W"/labels/qa/*.jsonl; do
			[ -s "$f" ] || continue
			# whole lines only: each a {...} object, the file ending in a newline
			if [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ] || grep -qv '^{.*}$' "$f"; then
				bad "commit $it: $f is cut short"
			fi
		done
		# the next commit (not killed) works and leaves labels/ clean
		"$GS" -C "$W" commit -m "soak $it again" > "$T/out2" 2>&1
		rc=$?
		st=$(git -C "$W" status --porcelain -- labels)
		[ -z "$st" ] || bad "commit $it: after a second commit (exit $rc) labels/ is not clean: $st" "$(head -2 "$T/out2")"
		git -C "$W" ls-tree -r --name-only HEAD | grep -qx "labels/qa/c$it.jsonl" || bad "commit $it: labels/qa/c$it.jsonl never committed" "$(head -2 "$T/out2")"
		r=$(integrity)
		[ "$r" = ok ] || bad "commit $it: integrity_check: $r"
	done
	if [ $problems -eq 0 ]; then ok "commit killed $N times: new commit $newc, none $same; fsck clean, the next commit works"
	else fail "commit killed $N times: $problems problems (seed $SEED)"; fi
fi

# ---- kills at the exact step: a rename into golden/ or labels/ ----
cat > "$T/fault.c" << 'C'
/* fault.c: preloaded into goldset by t-soak.sh: SIGKILL at the GS_FAULT_N-th
 * (default 1st) rename whose target path contains GS_FAULT. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	static int seen;
	const char *f = getenv("GS_FAULT"), *n = getenv("GS_FAULT_N");
	if (!real) real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (f && *f && strstr(to, f) && ++seen >= (n ? atoi(n) : 1)) raise(SIGKILL);
	return real(from, to);
}
C
if ! cc -shared -fPIC -o "$T/fault.so" "$T/fault.c" -ldl 2> "$T/cc.err"; then
	echo "ok - soak: kills at a rename # SKIP cannot build the fault library: $(head -1 "$T/cc.err")"
	exact=0
else
	exact=1
fi
# faulty GS_FAULT N CMD...: runs CMD with the fault library
faulty() {
	f=$1 fn=$2; shift 2
	GS_FAULT=$f GS_FAULT_N=$fn LD_PRELOAD="$T/fault.so" ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0" "$@" > "$T/kout" 2> "$T/kerr"
	killed_rc=$?
}
fresh wfault
gen_items atomic 500 > "$T/atomic.jsonl"
[ $exact = 1 ] && faulty /golden/ 1 "$GS" -C "$W" import "$T/atomic.jsonl" --set atomic
if [ $exact = 0 ]; then :
elif [ "$killed_rc" -ne 137 ]; then
	fail "import killed at the rename into golden/" "the fault did not fire (exit $killed_rc): $(head -2 "$T/kerr")"
else
	"$GS" -C "$W" stats > /dev/null 2>&1
	cnt=$(set_count atomic)
	g=$W/golden/atomic.jsonl
	if [ "$cnt" = 0 ] && [ ! -e "$g" ]; then ok "import killed at the rename into golden/: nothing imported"
	elif [ "$cnt" = 500 ] && [ -e "$g" ] && [ "$(wc -l < "$g")" -eq 500 ]; then ok "import killed at the rename into golden/: store and golden/ both whole"
	else
		fail "import killed at the rename into golden/: store and golden/ agree after the next command" \
			"the store has $cnt of 500 items of set atomic; golden/atomic.jsonl: $([ -e "$g" ] && wc -l < "$g" || echo missing)" \
			"golden/: $(ls "$W/golden" | tr '\n' ' ')"
	fi
fi
r=$(integrity)
[ "$r" = ok ] && ok "integrity_check after the kill at the rename" || fail "integrity_check after the kill at the rename" "$r"

if [ $exact = 0 ]; then :
elif "$GS" commit --help > /dev/null 2>&1; then
	W=$T/wcommit DB=$T/wcommit/.goldset/goldset.db
	gen_labels calib 200 > "$T/few.jsonl"
	[ -d "$W/.git" ] || { fresh wcommit; "$GS" -C "$W" import "$T/few-items.jsonl" --set calib > /dev/null 2>&1; }
	git -C "$W" config user.name soak
	git -C "$W" config user.email soak@example.invalid
	for fn in 1 2; do
		"$GS" -C "$W" import-labels "$T/few.jsonl" --as "exact$fn" > /dev/null 2>&1
		"$GS" -C "$W" import-labels "$T/few.jsonl" --as "exact${fn}b" > /dev/null 2>&1
		head0=$(git -C "$W" rev-parse -q --verify HEAD)
		faulty /labels/ "$fn" "$GS" -C "$W" commit -m "exact $fn"
		head1=$(git -C "$W" rev-parse -q --verify HEAD)
		name="commit killed at rename $fn into labels/"
		if [ "$killed_rc" -ne 137 ]; then
			fail "$name" "the fault did not fire (exit $killed_rc): $(head -2 "$T/kerr")"
			continue
		fi
		problems=0
		[ "$head0" = "$head1" ] || bad "HEAD moved although the commit was killed before it"
		git -C "$W" fsck --no-progress > "$T/fsck" 2>&1 || bad "git fsck: $(head -3 "$T/fsck")"
		"$GS" -C "$W" commit -m "exact $fn again" > "$T/out2" 2>&1 || bad "the next commit failed: $(head -2 "$T/out2")"
		st=$(git -C "$W" status --porcelain -- labels)
		[ -z "$st" ] || bad "labels/ not clean after the next commit: $st"
		git -C "$W" ls-tree -r --name-only HEAD > "$T/tree"
		for rr in "exact$fn" "exact${fn}b"; do
			grep -qx "labels/qa/$rr.jsonl" "$T/tree" || bad "labels/qa/$rr.jsonl not committed"
		done
		if [ $problems -eq 0 ]; then ok "$name: HEAD kept, fsck clean, the next commit works"
		else fail "$name"; fi
	done
else
	echo "ok - soak: commit killed at a rename # SKIP goldset commit not built yet"
fi

# ---- make soak: the limits at full size and a longer concurrent run ----
if [ "${SOAK:-}" = long ]; then
	echo "# SOAK=long: t-limits.sh (a set of 1M items) and t-concurrency.sh (50 rounds)"
	SOAK=long sh "$TOP/tests/sh/t-limits.sh"
	CONC_ROUNDS=${CONC_ROUNDS:-50} sh "$TOP/tests/sh/t-concurrency.sh"
fi
