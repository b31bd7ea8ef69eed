# t-concurrency.sh: several raters' processes writing one workspace at once.
# Four loops run together: two import different sets over and
# over, two import label files for new raters over and over; when the label
# screen exists, two raters label in tmux at the same time. Afterwards: no
# process failed, no "database is locked" / busy error on any stderr, and
# every acknowledged import (exit 0) and every label shown as saved is in
# the store, golden/ holds every imported set whole, integrity_check is ok.
# CONC_ROUNDS sets the rounds per loop (default 12).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 > /dev/null || { echo "ok - concurrency # SKIP sqlite3 missing"; exit 0; }
ROUNDS=${CONC_ROUNDS:-12}
ITEMS=1500
ws
W=$T/ws
DB=$W/.goldset/goldset.db
cat > "$W/rubrics/qa.json" << 'J'
{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary","question":"Correct?"}]}
J
gen_items() { # PREFIX COUNT
	awk -v p="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"id\":\"%s-%05d\",\"input\":\"q %d\",\"output\":\"a %d\"}\n", p, i, i, i }'
}
gen_items base "$ITEMS" > "$T/base.jsonl"
"$GS" -C "$W" import "$T/base.jsonl" --set base > /dev/null 2>&1 || { echo "Bail out! base import failed"; exit 1; }
awk -v n="$ITEMS" 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"id\":\"base-%05d\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"%s\"}}\n", i, i % 2 ? "yes" : "no" }' > "$T/labels.jsonl"

# importer NAME: imports NAME-1 ... NAME-ROUNDS; logs "ok SET" or "fail SET rc"
importer() {
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		gen_items "$1-$r" 300 > "$T/$1-$r.jsonl"
		if "$GS" -C "$W" import "$T/$1-$r.jsonl" --set "$1-$r" > /dev/null 2>> "$T/$1.err"; then
			echo "ok $1-$r"
		else
			echo "fail $1-$r $?"
		fi
	done > "$T/$1.log"
}
# labeler NAME: imports the label file as raters NAME-1 ... NAME-ROUNDS
labeler() {
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		if "$GS" -C "$W" import-labels "$T/labels.jsonl" --as "$1-$r" > /dev/null 2>> "$T/$1.err"; then
			echo "ok $1-$r"
		else
			echo "fail $1-$r $?"
		fi
	done > "$T/$1.log"
}

screens=0
if "$GS" label --help > /dev/null 2>&1 && command -v tmux > /dev/null; then screens=1; fi
if [ $screens = 1 ]; then
	for who in ann ben; do
		tm_start "$who" 100 30 "exec \"$GS\" -C \"$W\" label --rubric qa --set base --as $who 2> \"$T/$who.err\""
	done
fi
pids=
for who in imp1 imp2; do importer $who & pids="$pids $!"; done
for who in lab1 lab2; do labeler $who & pids="$pids $!"; done
running() { for p in $pids; do kill -0 "$p" 2> /dev/null && return 0; done; return 1; }
# the screen raters label while the loops run: "1 Enter" saves an item
acked=0
if [ $screens = 1 ]; then
	for who in ann ben; do tm_wait "$who" "item " || echo "# $who: the label screen did not start"; done
	: > "$T/acked"
	k=0
	while [ $k -lt 20 ] || { running && [ $k -lt 400 ]; }; do
		k=$((k + 1))
		for who in ann ben; do tm_keys "$who" 1 Enter; done
		sleep 0.1
		for who in ann ben; do
			tm_screen "$who" | grep -o 'saved base-[0-9]*' | sed "s/^saved /$who /" >> "$T/acked"
		done
	done
fi
wait
if [ $screens = 1 ]; then
	# the progress count is what the screen acknowledged as saved
	sleep 0.5
	for who in ann ben; do
		tm_screen "$who" | sed -n "s|.*] \([0-9]*\)/$ITEMS.*|\1|p" | head -1 > "$T/done-$who"
	done
	for who in ann ben; do tm_keys "$who" q 2> /dev/null; sleep 0.3; tm_keys "$who" q 2> /dev/null; done
	sleep 0.5
	sort -u "$T/acked" > "$T/acked.u"
	acked=$(wc -l < "$T/acked.u")
fi

problems=0
bad() { problems=$((problems + 1)); printf '#   %s\n' "$@"; }
cat "$T"/*.err 2> /dev/null > "$T/all.err"
if grep -qiE 'locked|busy' "$T/all.err"; then
	fail "no 'database is locked' or busy error with four writers" "$(grep -iE 'locked|busy' "$T/all.err" | head -3)"
else
	ok "no 'database is locked' or busy error with four writers"
fi
fails=$(cat "$T"/imp?.log "$T"/lab?.log | grep -c '^fail')
if [ "$fails" -eq 0 ]; then ok "every concurrent import and import-labels succeeded ($((4 * ROUNDS)) runs)"
else fail "every concurrent import and import-labels succeeded" "$fails failed: $(grep -h '^fail' "$T"/imp?.log "$T"/lab?.log | head -3 | tr '\n' ' ')" "$(head -3 "$T/all.err")"; fi

for set in $(sed -n 's/^ok //p' "$T"/imp?.log); do
	cnt=$(sqlite3 "$DB" "SELECT count(*) FROM items WHERE set_name = '$set' AND is_current")
	[ "$cnt" = 300 ] || bad "set $set: $cnt of 300 items in the store"
	g=$W/golden/$set.jsonl
	[ -f "$g" ] && [ "$(wc -l < "$g")" -eq 300 ] || bad "set $set: golden/$set.jsonl missing or not whole"
done
[ $problems -eq 0 ] && ok "every acknowledged import is whole in the store and in golden/" || fail "every acknowledged import is whole in the store and in golden/"
problems=0
for rater in $(sed -n 's/^ok //p' "$T"/lab?.log); do
	cnt=$("$GS" -C "$W" export --rater "$rater" | wc -l)
	[ "$cnt" -eq "$ITEMS" ] || bad "rater $rater: $cnt of $ITEMS labels"
done
[ $problems -eq 0 ] && ok "every acknowledged import-labels is whole" || fail "every acknowledged import-labels is whole"
if [ $screens = 1 ]; then
	problems=0
	for who in ann ben; do "$GS" -C "$W" export --rater "$who" > "$T/exp-$who"; done
	while read -r who id; do
		grep -qF "\"id\":\"$id\"" "$T/exp-$who" || bad "$who: $id shown as saved, not in export"
	done < "$T/acked.u"
	for who in ann ben; do
		shown=$(cat "$T/done-$who")
		have=$(wc -l < "$T/exp-$who")
		[ -n "$shown" ] || { bad "$who: no progress count on the screen"; continue; }
		[ "$have" -ge "$shown" ] || bad "$who: the screen counted $shown labeled, export has $have"
		acked=$((acked + shown))
	done
	if [ "$acked" -eq 0 ]; then fail "two raters in the label screen at the same time" "no save acknowledged" "$(tm_screen ann 2> /dev/null | tail -3)"
	elif [ $problems -eq 0 ]; then ok "two raters in the label screen at the same time: every save shown (progress $(cat "$T/done-ann") + $(cat "$T/done-ben")) is in export"
	else fail "two raters in the label screen at the same time: $problems saves lost"; fi
else
	echo "ok - two raters in the label screen at the same time # SKIP label screen not built yet"
fi
r=$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)
[ "$r" = ok ] && ok "integrity_check after the concurrent run" || fail "integrity_check after the concurrent run" "$r"
