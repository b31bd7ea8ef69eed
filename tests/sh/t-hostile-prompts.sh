# t-hostile-prompts.sh: hostile strings typed into every prompt of the
# screens (the untrusted-workspace issue), driven through tmux: the label
# and pair screens' comment and skip reason, the review screen's note and
# tags, the calibration discussion's note. Typed (or pasted) text can
# carry escape sequences (CSI clear screen, an OSC window title, a DCS
# string), C1 controls as UTF-8, U+202E and be very long; NUL cannot be
# typed. For each prompt:
#   - an escape sequence is dropped whole: the prompt stays open, and none
#     of its bytes acts as a key of the screen behind it (a '2' of
#     ESC [2J does not pick an option); an Esc alone still cancels;
#   - the screen (capture-pane) shows U+202E as <U+202E>, never raw, and no
#     C1 control; the bytes the program wrote to the pane (pipe-pane) carry
#     no C1, no bidi control, no OSC, no "pwned"; the pane title stays;
#   - notes, comments and reasons are text: kept (controls dropped as typed)
#     and shown escaped; tags are names: one holding U+202E is refused with
#     one line naming the tag and why, and nothing is stored;
#   - a 5000-character string is cut at the prompt's 4096 code points;
#   - every screen exits with a code below 128, and no file that `goldset
#     commit` puts in git carries a raw control or bidi character.
. "$(dirname "$0")/lib.sh"
ws
W=$T/ws
cd "$W" || exit 1
git config user.name prompts
git config user.email prompts@example.invalid
command -v tmux > /dev/null || { echo "ok - hostile prompts # SKIP no tmux"; exit 0; }

cat > rubrics/qa.json << 'J'
{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary"}]}
J
cat > rubrics/pw.json << 'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference"}]}
J
{
	for i in a b c d; do printf '{"id":"%s","input":"question %s","output":"answer %s"}\n' $i $i $i; done
	printf '%s\n' '{"id":"p","input":"q","outputs":[{"system":"m1","text":"x"},{"system":"m2","text":"y"}]}'
} > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }

# what is typed: escape sequences, C1 CSI as UTF-8 (U+009B), U+202E
HOSTILE=$(printf 'A\033[2JB\033]0;pwned\007C\033P1$r\033\\D\302\2332JE\342\200\256F')
SHOWN='ABCD2JE<U+202E>F'     # the escape sequences and the C1 control dropped
KEPT=$(printf 'ABCD2JE\342\200\256F')
LONG=$(head -c 5000 /dev/zero | tr '\0' y)
C1=$(printf '\302[\200-\237]')
BIDI=$(printf '\342\200[\252-\256]\\|\342\201[\246-\251]')
C0=$(printf '[\001-\010\013-\037\177]')

# screen NAME CMD: CMD in a tmux session whose bytes to the pane are kept
# in $T/raw-NAME; its exit code is printed as EXIT=N when it ends
screen() {
	tm_start "$1" 100 30 "cd '$W' && $2 2>>'$T/err-$1.log'; echo EXIT=\$?; sleep 60"
	tm select-pane -t "$1" -T before 2> /dev/null
}
# record NAME: from now on, every byte written to the pane goes to $T/raw-NAME
record() { tm pipe-pane -t "$1" -o "cat >> '$T/raw-$1'"; }
# shown NAME TEXT: waits (polling, up to ~30 s: the machine may be busy)
# until the screen shows TEXT
shown() { tm_wait "$1" "$2" || tm_wait "$1" "$2" || tm_wait "$1" "$2"; }
# clean NAME WHAT: the pane's plain text and raw bytes hold no raw control
clean() {
	tm_screen "$1" > "$T/scr-$1"
	t=$(tm display-message -p -t "$1" '#{pane_title}' 2> /dev/null)
	if LC_ALL=C grep -q -e "$C1" -e "$BIDI" "$T/scr-$1"; then fail "$2: the screen shows no raw C1 or bidi control" "$(LC_ALL=C sed -n l "$T/scr-$1" | grep -m2 '\\')"
	elif [ ! -s "$T/raw-$1" ]; then fail "$2: the bytes sent to the pane were recorded" "$T/raw-$1 is empty"
	elif LC_ALL=C grep -q -e "$C1" -e "$BIDI" -e "$(printf '\033]')" -e pwned "$T/raw-$1"; then
		fail "$2: the bytes sent to the terminal carry no C1, bidi control, OSC or pwned" \
			"$(LC_ALL=C grep -m1 -e "$C1" -e "$BIDI" -e "$(printf '\033]')" -e pwned "$T/raw-$1" | LC_ALL=C sed -n l | cut -c1-200)"
	elif [ "$t" != before ]; then fail "$2: the pane title stays" "it became: $t"
	else ok "$2: no raw control on the screen or in the bytes sent to it"; fi
}
# type NAME WHAT KEY PROMPT: opens the prompt with KEY, types the hostile
# string; it must stay open, shown escaped, and nothing else must happen
type_hostile() {
	n=$1 what=$2
	tm_keys "$n" "$3"
	shown "$n" "$4" || { fail "$what: the prompt opens" "$(tm_screen "$n" | tail -3)"; return 1; }
	tm_keys "$n" -l "$HOSTILE"
	tm_keys "$n" -l "#"   # a marker typed last: the prompt has read everything before it
	if shown "$n" "${SHOWN}#"; then ok "$what: escape sequences dropped, U+202E shown as <U+202E>, the prompt stays open"
	else fail "$what: the prompt shows $SHOWN#" "$(tm_screen "$n" | tail -2)"; fi
	tm_keys "$n" BSpace
	clean "$n" "$what"
}
# after_keys WHAT NAME TEXT KEYS...: KEYS, then the screen shows TEXT
after_keys() {
	w=$1 s=$2 want=$3
	shift 3
	tm_keys "$s" "$@"
	if shown "$s" "$want"; then ok "$w"; else fail "$w" "$(tm_screen "$s" | tail -2)"; fi
}
# ends NAME WHAT [KEYS]: q (or KEYS), then the screen's exit code is below 128
ends() {
	tm_keys "$1" "${3:-q}"
	if shown "$1" "EXIT="; then
		rc=$(tm_screen "$1" | sed -n 's/^EXIT=\([0-9]*\).*/\1/p' | tail -1)
		[ "${rc:-999}" -lt 128 ] && ok "$2: exits $rc" || fail "$2: exit code below 128" "EXIT=$rc"
	else
		fail "$2: ends on q" "$(tm_screen "$1" | tail -3)"
	fi
	tm kill-session -t "$1" 2> /dev/null
}
# note_of RUBRIC RATER ID: the note of RATER's label of ID (export)
note_of() { "$GS" export --rubric "$1" --rater "$2" | grep "\"id\":\"$3\"" | sed -n 's/.*"note":"\([^"]*\)".*/\1/p'; }
exp_kept=$(printf '%s' "$KEPT" | sed 's/\xe2\x80\xae/\\u202e/')

# ---- label: comment, skip reason, a long comment, Esc alone ----
screen L "$GS label --rubric qa --set s --as ann --order file"
if shown L "item 1/"; then
	record L
	type_hostile L "label: comment" c "Comment (Enter saves"
	after_keys "label: the comment is saved" L "comment saved" Enter
	tm_keys L 2 Enter
	shown L "saved a" || fail "label: a saved" "$(tm_screen L | tail -2)"
	type_hostile L "label: skip reason" s "Skip this item? Reason"
	after_keys "label: skipped with the reason" L "skipped b" Enter
	tm_keys L c
	shown L "Comment (Enter saves"
	tm_keys L -l "$LONG"
	tm_keys L -l "#"
	after_keys "label: a 5000-character comment is taken" L "comment saved" Enter
	tm_keys L 1 Enter
	shown L "saved c" || fail "label: c saved" "$(tm_screen L | tail -2)"
	tm_keys L c
	shown L "Comment (Enter saves"
	after_keys "label: Esc alone still cancels a prompt" L "comment not changed" Escape
	clean L "label: after every prompt"
	ends L "label screen"
else
	fail "label screen came up" "$(tm_screen L | head -3)"
fi
[ "$(note_of qa ann a)" = "$exp_kept" ] && ok "label: the comment is kept without the typed controls, U+202E as \\u202e in JSON" \
	|| fail "label: the comment kept" "$("$GS" export --rubric qa --rater ann | grep '"id":"a"' | LC_ALL=C sed -n l)"
n=$(note_of qa ann c | wc -c)
[ "$n" -eq 4097 ] && ok "label: the long comment is cut at 4096 characters" || fail "label: the long comment is cut at 4096" "$n bytes"
"$GS" export --rubric qa --rater ann | grep '"id":"a"' | grep -q '"ok":"yes"' && ok "label: a is labeled as keyed (2: yes)" \
	|| fail "label: a is labeled as keyed (2: yes)" "$("$GS" export --rubric qa --rater ann)"

# ---- pair: comment and skip reason ----
screen P "$GS pair --rubric pw --as pat"
if shown P "pair 1 of"; then
	record P
	type_hostile P "pair: comment" c "Comment (Enter saves"
	after_keys "pair: the comment is saved" P "comment saved" Enter
	type_hostile P "pair: skip reason" s "Skip this comparison? Reason"
	after_keys "pair: Esc alone cancels the skip" P "not skipped" Escape
	clean P "pair: after every prompt"
	ends P "pair screen"
else
	fail "pair screen came up" "$(tm_screen P | head -3)"
fi

# ---- review: note (text) and tags (names) ----
printf '%s\n' '{"id":"d","rubric":"qa","labels":{"ok":"yes"}}' > "$T/d.jsonl"
"$GS" import-labels "$T/d.jsonl" --as bob > /dev/null 2>&1
screen R "$GS review -n 2 --rubric qa"
if shown R "item 1/"; then
	record R
	type_hostile R "review: note" c "Note (Enter keeps"
	tm_keys R Enter
	shown R "Enter marks the item reviewed" || fail "review: the note is kept" "$(tm_screen R | tail -2)"
	type_hostile R "review: tags" t "Tags, comma-separated"
	tm_keys R Enter
	if shown R "tags not changed: tag 1: a name cannot contain"; then
		tm_screen R | grep -F "tags not changed" > "$T/tagline"
		[ "$(wc -l < "$T/tagline")" -eq 1 ] && grep -qF "U+202E" "$T/tagline" && ok "review: a tag with U+202E is refused in one line: $(cut -c1-90 "$T/tagline")" \
			|| fail "review: the tag refusal is one line naming U+202E" "$(cat "$T/tagline")"
	else
		fail "review: a tag with U+202E is refused" "$(tm_screen R | tail -3)"
	fi
	tm_keys R t
	shown R "Tags, comma-separated"
	tm_keys R -l "rubric gap, $(printf 'x\342\200\256y')"
	tm_keys R Enter
	shown R "tags not changed: tag 2: a name cannot contain" && ok "review: the refusal names the tag by its place (tag 2)" \
		|| fail "review: tag 2 refused" "$(tm_screen R | tail -3)"
	tm_keys R t
	shown R "Tags, comma-separated"
	tm_keys R -l "rubric gap, pricing"
	after_keys "review: plain tags are taken" R "Enter marks the item reviewed" Enter
	tm_keys R Enter
	shown R "reviewed 1 of 2" || fail "review: the item is marked reviewed" "$(tm_screen R | tail -2)"
	clean R "review: after every prompt"
	ends R "review screen"
else
	fail "review screen came up" "$(tm_screen R | head -3)"
fi
tags=$(sqlite3 .goldset/goldset.db 'SELECT tags FROM reviews' 2> /dev/null)
[ "$tags" = '["rubric gap","pricing"]' ] && ok "review: only the plain tags were stored" || fail "review: only the plain tags stored" "$tags"

# ---- calibrate discuss: the note ----
"$GS" calibrate start cal --raters cy,dee -n 2 --rubric qa > /dev/null 2>&1
for r in cy dee; do
	v=yes; [ $r = dee ] && v=no
	for i in a b c d; do printf '{"id":"%s","rubric":"qa","labels":{"ok":"%s"}}\n' $i $v; done > "$T/$r.jsonl"
	"$GS" import-labels "$T/$r.jsonl" --as $r > /dev/null 2>&1 || fail "import-labels $r"
done
screen D "$GS calibrate discuss cal"
if shown D "disagreement 1/"; then
	record D
	type_hostile D "discuss: note" c "Note (Enter keeps"
	tm_keys D Enter
	clean D "discuss: after the note"
	tm_keys D q
	shown D "q again quits" || fail "discuss: q asks again" "$(tm_screen D | tail -2)"
	ends D "discuss screen"
else
	fail "discuss screen came up" "$(tm_screen D | head -3)"
fi

# ---- what goes to git ----
"$GS" commit -m "hostile prompts" > "$T/out" 2>&1 || fail "commit" "$(cat "$T/out")"
bad=
for f in $(git ls-files); do
	LC_ALL=C grep -q -e "$C0" -e "$C1" -e "$BIDI" "$f" && bad="$bad $f"
done
[ -z "$bad" ] && ok "no committed file carries a raw control or bidi character ($(git ls-files | wc -l) files)" \
	|| fail "no committed file carries a raw control or bidi character" "$bad" "$(LC_ALL=C grep -h -e "$C1" -e "$BIDI" $bad | LC_ALL=C sed -n l | head -3 | cut -c1-200)"
for f in $T/err-*.log; do
	[ -s "$f" ] && fail "$(basename "$f"): the screens wrote nothing to stderr" "$(head -3 "$f")"
done
exit 0
