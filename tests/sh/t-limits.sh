# t-limits.sh: goldset at the edges of the machine and of its formats.
# Each case works, or is refused with one clear line and a
# sysexits code, and never leaves the store damaged or half-changed:
#   - a full disk: a file-size limit (ulimit -f, SIGXFSZ ignored) and, where
#     a private mount namespace is allowed (unshare -m), a tiny tmpfs;
#   - an unwritable workspace: a read-only bind mount (in a private mount
#     namespace: root ignores file modes), and paths that cannot be created
#     even by root (the next golden file, .goldset/golden-next/SET.jsonl, or
#     golden/SET.jsonl a folder);
#   - big inputs: a 50 MB item, a set of 100k items (1M with SOAK=long), a
#     rubric with 100 criteria, a rater with 100k labels.
# Timeouts are generous and only stop a hang; no time is asserted.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 > /dev/null || { echo "ok - limits # SKIP sqlite3 missing"; exit 0; }
ws
W=$T/ws
DB=$W/.goldset/goldset.db
cat > "$W/rubrics/qa.json" << 'J'
{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary","question":"Correct?"}]}
J
gen_items() { # PREFIX COUNT
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"id\":\"%s-%07d\",\"input\":\"question %d\",\"output\":\"answer %d, a line of model output\",\"meta\":{\"seg\":\"s%d\"}}\n", p, i, i, i, i % 5 }'
}
TAB=$(printf '\t')
# top_num KEY: the number of a top-level key of `stats --json` on stdin
top_num() { sed -n "s/^$TAB\"$1\":[[:space:]]*\([0-9]*\).*/\1/p" | head -1; }
items() { "$GS" -C "${1:-$W}" stats --json 2> /dev/null | top_num items; }
integrity() { sqlite3 "${1:-$DB}" 'PRAGMA integrity_check' 2>&1; }
golden_sum() { cat "${1:-$W}"/golden/*.jsonl 2> /dev/null | cksum; }
gen_items seed 50 > "$T/seed.jsonl"
"$GS" -C "$W" import "$T/seed.jsonl" --set seed > /dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }
gen_items big 30000 > "$T/big.jsonl"

# refused NAME CODES...: after a command that had to fail ($T/err, exit $rc):
# one line on stderr and an exit among CODES (intact() checks the store)
refused() {
	name=$1; shift
	codes=" $* "
	lines=$(wc -l < "$T/err")
	if ! echo "$codes" | grep -q " $rc "; then fail "$name: exit $rc, wanted one of$codes" "$(head -3 "$T/err")"
	elif [ "$lines" -ne 1 ]; then fail "$name: one line on stderr" "$lines lines:" "$(head -4 "$T/err")"
	else ok "$name: exit $rc, one line: $(cut -c1-110 "$T/err")"; fi
}
intact() { # NAME [WS]: the store is whole and unchanged
	w=${2:-$W}
	r=$(integrity "$w/.goldset/goldset.db")
	now=$(items "$w")
	if [ "$r" != ok ]; then fail "$1: store intact" "integrity_check: $r"
	elif [ "$now" != "$before" ]; then fail "$1: store unchanged" "items $before -> $now"
	elif [ "$(golden_sum "$w")" != "$gbefore" ]; then fail "$1: golden/ unchanged"
	else ok "$1: store intact and unchanged ($now items)"; fi
}

# ---- a full disk: a file-size limit ----
before=$(items) gbefore=$(golden_sum)
size=$(($(cat "$DB" "$DB-wal" 2> /dev/null | wc -c) / 512 + 64))
(
	trap '' XFSZ
	ulimit -f "$size"
	exec "$GS" -C "$W" import "$T/big.jsonl" --set big
) > "$T/out" 2> "$T/err"
rc=$?
refused "import past a file-size limit (ulimit -f)" 74 73
intact "import past a file-size limit"
[ -e "$W/.goldset/golden-next/big.jsonl" ] && fail "no temporary golden file left behind" || ok "no temporary golden file left behind"
# the golden file is what hits the limit: the store holds less than the file
small=$(($(wc -c < "$T/big.jsonl") / 512 / 2))
(
	trap '' XFSZ
	ulimit -f "$small"
	exec "$GS" -C "$W" import "$T/big.jsonl" --set big
) > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
	ok "import with golden/ over the file-size limit # SKIP the store wrote no file past the limit"
else
	refused "import with golden/big.jsonl past the file-size limit" 74 73
	intact "import with golden/big.jsonl past the file-size limit"
fi

# ---- a full disk: a tiny file system ----
if unshare -m true 2> /dev/null; then
	mkdir -p "$T/tiny"
	gen_items small 10 > "$T/small.jsonl"
	GS="$GS" T="$T" unshare -m sh -c '
		mount -t tmpfs -o size=3m tmpfs "$T/tiny" || exit 99
		"$GS" init "$T/tiny/ws" > /dev/null 2>&1 || exit 98
		"$GS" -C "$T/tiny/ws" import "$T/seed.jsonl" --set seed > /dev/null 2>&1 || exit 97
		"$GS" -C "$T/tiny/ws" stats --json > "$T/tiny-before.json" 2>&1
		cat "$T/tiny/ws/golden/"*.jsonl | cksum > "$T/tiny-gbefore"
		"$GS" -C "$T/tiny/ws" import "$T/big.jsonl" --set big > "$T/out" 2> "$T/err"
		echo $? > "$T/tiny-rc"
		sqlite3 "$T/tiny/ws/.goldset/goldset.db" "PRAGMA integrity_check" > "$T/tiny-integrity" 2>&1
		"$GS" -C "$T/tiny/ws" stats --json > "$T/tiny-after.json" 2>&1
		cat "$T/tiny/ws/golden/"*.jsonl | cksum > "$T/tiny-gafter"
		ls "$T/tiny/ws/golden" > "$T/tiny-golden"
		# after the failure, a small import still fits
		"$GS" -C "$T/tiny/ws" import "$T/small.jsonl" --set small > /dev/null 2> "$T/tiny-err2"
		echo $? > "$T/tiny-rc2"
	'
	nsrc=$?
	if [ $nsrc -ge 97 ]; then
		echo "ok - import on a full file system # SKIP could not set up a tmpfs ($nsrc)"
	else
		rc=$(cat "$T/tiny-rc")
		refused "import on a full file system (tmpfs)" 74 73
		b=$(top_num items < "$T/tiny-before.json")
		a=$(top_num items < "$T/tiny-after.json")
		if [ "$(cat "$T/tiny-integrity")" != ok ]; then fail "full file system: store intact" "$(cat "$T/tiny-integrity")"
		elif [ "$a" != "$b" ]; then fail "full file system: store unchanged" "items $b -> $a" "$(head -2 "$T/tiny-after.json")"
		elif ! cmp -s "$T/tiny-gbefore" "$T/tiny-gafter"; then fail "full file system: golden/ unchanged" "$(cat "$T/tiny-golden")"
		else ok "full file system: store intact and unchanged ($a items)"; fi
		grep -q '\.tmp$' "$T/tiny-golden" && fail "full file system: no temporary file left in golden/" "$(cat "$T/tiny-golden")" ||
			ok "full file system: no temporary file left in golden/"
		[ "$(cat "$T/tiny-rc2")" = 0 ] && ok "full file system: a small import still works afterwards" ||
			fail "full file system: a small import still works afterwards" "$(head -2 "$T/tiny-err2")"
	fi
else
	echo "ok - import on a full file system # SKIP no private mount namespace (unshare -m)"
fi

# ---- an unwritable workspace: a read-only bind mount ----
if unshare -m true 2> /dev/null; then
	before=$(items) gbefore=$(golden_sum)
	GS="$GS" T="$T" W="$W" unshare -m sh -c '
		mount --bind "$W" "$W" && mount -o remount,ro,bind "$W" || exit 99
		touch "$W/.probe" 2> /dev/null && exit 98
		"$GS" -C "$W" import "$T/big.jsonl" --set big > "$T/out" 2> "$T/err"
		echo $? > "$T/ro-rc"
		"$GS" -C "$W" import-labels "$T/seed.jsonl" --as x > /dev/null 2> "$T/ro-err2"
		echo $? > "$T/ro-rc2"
		"$GS" -C "$W" stats --json > "$T/ro-stats" 2> "$T/ro-err3"
		echo $? > "$T/ro-rc3"
	'
	nsrc=$?
	if [ $nsrc -ge 98 ]; then
		echo "ok - import into a read-only workspace # SKIP could not mount read-only ($nsrc)"
	else
		rc=$(cat "$T/ro-rc")
		refused "import into a read-only workspace" 73 74 75 77
		intact "import into a read-only workspace"
		rc=$(cat "$T/ro-rc2")
		cp "$T/ro-err2" "$T/err"
		refused "import-labels into a read-only workspace" 65 73 74 75 77
		rc=$(cat "$T/ro-rc3")
		if [ "$rc" -eq 0 ]; then ok "stats on a read-only workspace works"
		else cp "$T/ro-err3" "$T/err"; refused "stats on a read-only workspace (refused clearly)" 73 74 75 77; fi
	fi
else
	echo "ok - import into a read-only workspace # SKIP no private mount namespace (unshare -m)"
fi

# ---- paths that cannot be created, even by root ----
before=$(items) gbefore=$(golden_sum)
mkdir -p "$W/.goldset/golden-next/blocked.jsonl"
gen_items blk 20 > "$T/blocked.jsonl"
"$GS" -C "$W" import "$T/blocked.jsonl" --set blocked > "$T/out" 2> "$T/err"
rc=$?
refused "import when the next golden file cannot be created" 73 74
intact "import when the next golden file cannot be created"
rmdir "$W/.goldset/golden-next/blocked.jsonl"
mkdir -p "$W/golden/blocked2.jsonl/sub"
gen_items blk2 20 > "$T/blocked2.jsonl"
"$GS" -C "$W" import "$T/blocked2.jsonl" --set blocked2 > "$T/out" 2> "$T/err"
rc=$?
cnt=$(sqlite3 "$DB" "SELECT count(*) FROM items WHERE set_name = 'blocked2' AND is_current")
if [ $rc -eq 0 ]; then
	fail "import when golden/SET.jsonl cannot be replaced (a folder)" "exit 0 and $cnt items in the store, but golden/blocked2.jsonl was not written: the store and golden/ disagree"
else
	refused "import when golden/SET.jsonl cannot be replaced (a folder)" 73 74
	[ "$cnt" = 0 ] && ok "golden/SET.jsonl a folder: nothing imported" || fail "golden/SET.jsonl a folder: nothing imported" "$cnt items in the store"
fi
rm -rf "$W/golden/blocked2.jsonl"
mv "$DB" "$DB.away" && mkdir "$DB"
"$GS" -C "$W" stats > "$T/out" 2> "$T/err"
rc=$?
refused "a store that cannot be opened (.goldset/goldset.db a folder)" 66 73 74
rmdir "$DB" && mv "$DB.away" "$DB"

# ---- a 50 MB item ----
awk 'BEGIN { s = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; t = s
	while (length(t) < 50 * 1024 * 1024) t = t t
	printf "{\"id\":\"huge\",\"input\":\"how long can an answer be?\",\"output\":\"%s\"}\n", substr(t, 1, 50 * 1024 * 1024) }' > "$T/huge.jsonl"
before=$(items)
timeout 300 "$GS" -C "$W" import "$T/huge.jsonl" --set huge > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
	[ "$(items)" = $((before + 1)) ] && ok "a 50 MB item imports" || fail "a 50 MB item imports" "items $before -> $(items)"
	[ "$(wc -c < "$W/golden/huge.jsonl")" -gt 52428800 ] && ok "a 50 MB item is whole in golden/" || fail "a 50 MB item is whole in golden/"
	check "stats with a 50 MB item" timeout 120 "$GS" -C "$W" stats --json
	check "export with a 50 MB item" timeout 120 "$GS" -C "$W" export
	printf '{"id":"huge","rubric":"qa","labels":{"ok":"yes"}}\n' > "$T/huge-label.jsonl"
	check "a label on a 50 MB item" timeout 120 "$GS" -C "$W" import-labels "$T/huge-label.jsonl" --as big-rater
else
	refused "a 50 MB item refused clearly" 65
fi

# ---- a large set ----
if [ "${SOAK:-}" = long ]; then NBIG=1000000; else NBIG=100000; fi
echo "# a set of $NBIG items (SOAK=long: 1000000)"
gen_items many "$NBIG" > "$T/many.jsonl"
before=$(items)
timeout 900 "$GS" -C "$W" import "$T/many.jsonl" --set many > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
	[ "$(items)" = $((before + NBIG)) ] && ok "a set of $NBIG items imports" || fail "a set of $NBIG items imports" "items $before -> $(items)"
	[ "$(wc -l < "$W/golden/many.jsonl")" -eq "$NBIG" ] && ok "golden/many.jsonl holds $NBIG lines" || fail "golden/many.jsonl holds $NBIG lines"
	check "stats with $NBIG more items" timeout 300 "$GS" -C "$W" stats --json
else
	refused "a set of $NBIG items refused clearly" 65 74
fi

# ---- a rater with 100k labels ----
NLAB=100000
[ "$NBIG" -lt $NLAB ] && NLAB=$NBIG
awk -v n="$NLAB" 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"id\":\"many-%07d\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"%s\"}}\n", i, i % 3 ? "yes" : "no" }' > "$T/many-labels.jsonl"
timeout 900 "$GS" -C "$W" import-labels "$T/many-labels.jsonl" --as prolific > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
	cnt=$(timeout 300 "$GS" -C "$W" export --rater prolific | wc -l)
	[ "$cnt" -eq "$NLAB" ] && ok "a rater with $NLAB labels: export has them all" || fail "a rater with $NLAB labels: export" "$cnt lines"
	timeout 300 "$GS" -C "$W" stats --json > "$T/stats" 2> "$T/err"
	labs=$(top_num labels < "$T/stats")
	[ "${labs:-0}" -ge "$NLAB" ] && ok "a rater with $NLAB labels: stats counts them" || fail "a rater with $NLAB labels: stats" "labels: $labs" "$(head -2 "$T/err")"
	check "a rater with $NLAB labels: export --format csv" timeout 300 "$GS" -C "$W" export --format csv --rater prolific
else
	refused "a rater with $NLAB labels refused clearly" 65 74
fi

# ---- a rubric with 100 criteria ----
awk 'BEGIN { printf "{\"name\":\"wide\",\"version\":1,\"criteria\":["
	for (i = 0; i < 100; i++) {
		t = i % 4
		printf "%s{\"id\":\"c%03d\",\"question\":\"Criterion %d?\",", i ? "," : "", i, i
		if (t == 0) printf "\"type\":\"binary\"}"
		else if (t == 1) printf "\"type\":\"scale\",\"min\":1,\"max\":5}"
		else if (t == 2) printf "\"type\":\"choice\",\"options\":[\"a\",\"b\",\"c\"]}"
		else printf "\"type\":\"checklist\",\"items\":[\"x\",\"y\"]}"
	}
	printf "]}\n" }' > "$W/rubrics/wide.json"
"$GS" -C "$W" rubric check "$W/rubrics/wide.json" > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -eq 0 ]; then
	ok "a rubric with 100 criteria passes rubric check"
	check "rubric show with 100 criteria" "$GS" -C "$W" rubric show wide
	awk 'BEGIN { for (k = 0; k < 50; k++) {
		printf "{\"id\":\"seed-%07d\",\"rubric\":\"wide\",\"labels\":{", k
		for (i = 0; i < 100; i++) {
			t = i % 4; printf "%s\"c%03d\":", i ? "," : "", i
			if (t == 0) printf "\"%s\"", (i + k) % 2 ? "yes" : "no"
			else if (t == 1) printf "%d", 1 + (i + k) % 5
			else if (t == 2) printf "\"%s\"", substr("abc", 1 + (i * k) % 3, 1)
			else printf "{\"x\":true,\"y\":false}"
		}
		printf "}}\n" } }' > "$T/wide-labels.jsonl"
	expect_exit 0 "labels on a rubric with 100 criteria import" "$GS" -C "$W" import-labels "$T/wide-labels.jsonl" --as wide-rater
	cnt=$("$GS" -C "$W" export --rubric wide --rater wide-rater | wc -l)
	[ "$cnt" -eq 50 ] && ok "labels on a rubric with 100 criteria export" || fail "labels on a rubric with 100 criteria export" "$cnt lines"
	check "export --format csv with 100 criteria" "$GS" -C "$W" export --format csv --rubric wide
else
	refused "a rubric with 100 criteria refused clearly" 65
fi
