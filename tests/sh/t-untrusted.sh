# t-untrusted.sh: the untrusted workspace. Workspaces arrive from teammates
# through git and item text comes from production logs; a corpus of hostile
# strings (NUL as \u0000, a lone surrogate \ud800, the overlong UTF-8 bytes
# C0 AF, a UTF-8-encoded surrogate, C0 ESC and C1 CSI controls, U+202E, a
# 10 MB name, 1e999, 1e-999, 2^53+1, duplicate keys) goes through every
# entry point: `import` (items), `import-labels`, `rubric check`, a rubric
# under rubrics/, label files under labels/ loaded by `init` in a clone, and
# the flags that make names (label/pair/import-labels --as, import --set,
# calibrate start NAME --raters, commit --tag, the login name). Each is
# refused: exit 65 (64 for a flag), exactly one line on stderr naming file,
# line and field, and the store (export, stats) and the working tree (git
# status, a checksum of every file) as they were. A rubric under rubrics/ is
# skipped with that one line as a warning naming file, line, column and
# field (man goldset: every command keeps working), also for the rules
# checked after parsing (scale min above max, an unknown type), and when it
# arrives by pull (exit 0, the rest of the commit loaded). Text fields keep controls (they are shown
# escaped): the same characters in input, meta values and notes are taken.
# Then every printing command runs in a workspace carrying ESC, C1 and
# U+202E wherever they may legally go, plus a commit message, a file name,
# a folder name, a tag and a branch name of its own: no raw ESC, C1 or
# U+202E byte may come out.
. "$(dirname "$0")/lib.sh"
ws
W=$T/ws
cd "$W" || exit 1
git config user.name untrusted
git config user.email untrusted@example.invalid

ESC=$(printf '\033')
C1=$(printf '\302\233')          # U+009B, CSI as UTF-8
RLO=$(printf '\342\200\256')     # U+202E
OVERLONG=$(printf '\300\257')    # '/' in two bytes
SURR8=$(printf '\355\240\200')   # U+D800 encoded in UTF-8
BIG=$T/big                       # a 10 MB name
head -c 10485760 /dev/zero | tr '\0' x > "$BIG"

BAD=$(printf '\033\\|\302[\200-\237]\\|\342\200\256')
rawbytes() { LC_ALL=C grep -q "$BAD" "$1"; }

# ---- a workspace to keep unchanged ----
cat > rubrics/qa.json << 'J'
{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5},
 {"id":"checks","type":"checklist","items":["cites","concise"]}]}
J
cat > rubrics/pw.json << 'J'
{"name":"pw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference"}]}
J
printf '%s\n' '{"id":"a","input":"q","output":"o","meta":{"seg":"x"}}' '{"id":"b","input":"q","output":"o"}' \
	'{"id":"p","input":"q","outputs":[{"system":"m1","text":"x"},{"system":"m2","text":"y"}]}' > "$T/items.jsonl"
"$GS" import "$T/items.jsonl" --set s > /dev/null 2>&1 || fail "import the base items" "$(cat "$T/err")"
labels alice '{"id":"a","rubric":"qa","labels":{"ok":"yes","stars":4}}' '{"id":"b","rubric":"qa","labels":{"ok":"no"}}'
"$GS" commit -m base > /dev/null 2>&1 || fail "commit the base workspace"
git add .gitignore && git commit -q -m gitignore   # so that a clone ignores .goldset/ as this one does
GOOD_ITEM='{"id":"g1","input":"q","output":"o"}'
GOOD_LABEL='{"id":"a","rubric":"qa","rater":"carol","labels":{"ok":"yes"}}'

# snap FILE [DIR]: what must not change: the store (export, stats), git
# (status, HEAD, tags) and a checksum of every file outside .git/ and .goldset/
snap() {
	d=${2:-$W}
	{
		"$GS" -C "$d" export 2> /dev/null
		"$GS" -C "$d" stats --json 2> /dev/null
		git -C "$d" status --porcelain
		git -C "$d" rev-parse HEAD
		git -C "$d" tag
		(cd "$d" && find . \( -path ./.git -o -path ./.goldset \) -prune -o -type f -exec cksum {} + | LC_ALL=C sort)
	} > "$1" 2>&1
}

# refuse NAME CODE WHERE FIELD CMD...: CMD exits CODE with exactly one short,
# safe line on stderr containing WHERE, "(FIELD" and $WHY (when not empty),
# and nothing changes in $DIR (the workspace by default)
refuse() {
	n=$1 want=$2 where=$3 field=$4
	shift 4
	snap "$T/before" "${DIR:-$W}"
	"$@" > "$T/out" 2> "$T/err"
	rc=$?
	snap "$T/after" "${DIR:-$W}"
	lines=$(grep -c '' "$T/err")
	size=$(wc -c < "$T/err")
	if [ "$rc" -ne "$want" ] || [ "$rc" -ge 128 ]; then fail "$n: exit $want" "exit $rc" "$(head -c 300 "$T/err")"
	elif [ "$lines" -ne 1 ] || [ "$size" -gt 1100 ]; then
		fail "$n: one line on stderr" "$lines lines, $size bytes:" "$(head -3 "$T/err" | cut -c1-200)"
	elif [ -n "$where" ] && ! grep -qF -- "$where" "$T/err"; then fail "$n: names $where" "$(cut -c1-300 "$T/err")"
	elif [ -n "$field" ] && ! grep -qF -- "($field" "$T/err"; then fail "$n: names the field ($field)" "$(cut -c1-300 "$T/err")"
	elif [ -n "${WHY:-}" ] && ! grep -qF -- "$WHY" "$T/err"; then fail "$n: says why ($WHY)" "$(cut -c1-300 "$T/err")"
	elif rawbytes "$T/err"; then fail "$n: the message is safe" "$(LC_ALL=C sed -n l "$T/err" | cut -c1-200)"
	elif ! cmp -s "$T/before" "$T/after"; then fail "$n: nothing changed" "$(diff "$T/before" "$T/after" | head -6)"
	else ok "$n: exit $want, one line: $(cut -c1-150 "$T/err")"; fi
}

# ---- items: `goldset import` (a good line 1, the hostile line 2) ----
item() { # NAME WHY FIELD LINE
	f=$T/item-$1.jsonl
	WHY=$2
	printf '%s\n%s\n' "$GOOD_ITEM" "$4" > "$f"
	refuse "import: $1" 65 "$f:2:" "$3" "$GS" import "$f" --set s
}
item "NUL in the id" "NUL" id '{"id":"a\u0000b","input":"i","output":"o"}'
item "NUL in the input" "NUL" input '{"id":"n","input":"bad \u0000 nul","output":"o"}'
item "NUL in a meta value" "NUL" meta.k '{"id":"n","input":"i","output":"o","meta":{"k":"v\u0000"}}'
item "NUL in a chat turn" "NUL" 'input[1].content' '{"id":"n","input":[{"role":"user","content":"a"},{"role":"assistant","content":"\u0000"}],"output":"o"}'
item "a lone surrogate in the output" "unpaired surrogate" output '{"id":"n","input":"i","output":"x\ud800y"}'
item "a lone low surrogate in the reference" "unpaired surrogate" reference '{"id":"n","input":"i","output":"o","reference":"\udc00"}'
item "a surrogate pair cut short" "unpaired surrogate" input '{"id":"n","input":"\ud83d\u0041","output":"o"}'
item "overlong UTF-8 (C0 AF) in the input" "invalid UTF-8" input "{\"id\":\"n\",\"input\":\"a${OVERLONG}b\",\"output\":\"o\"}"
item "a UTF-8-encoded surrogate in a meta value" "invalid UTF-8" meta.k "{\"id\":\"n\",\"input\":\"i\",\"output\":\"o\",\"meta\":{\"k\":\"$SURR8\"}}"
item "ESC in the id" "control character U+001B" id '{"id":"bob\u001b[2J","input":"i","output":"o"}'
item "C1 CSI in the id" "control character U+009B" id '{"id":"c1\u009b2J","input":"i","output":"o"}'
item "a raw C1 byte pair in the id" "control character U+009B" id "{\"id\":\"c1${C1}2J\",\"input\":\"i\",\"output\":\"o\"}"
item "U+202E in the id" "bidirectional control U+202E" id "{\"id\":\"evil${RLO}gnp\",\"input\":\"i\",\"output\":\"o\"}"
item "U+202E in a system name" "bidirectional control U+202E" 'outputs[1].system' '{"id":"n","input":"i","outputs":[{"system":"m1","text":"a"},{"system":"m\u202e2","text":"b"}]}'
item "ESC in a meta key" "control character U+001B" 'meta.k^[' '{"id":"n","input":"i","output":"o","meta":{"k\u001b":"v"}}'
item "1e999 in meta" "too large" meta.n '{"id":"n","input":"i","output":"o","meta":{"n":1e999}}'
item "1e-999 in meta" "too small" meta.n '{"id":"n","input":"i","output":"o","meta":{"n":1e-999}}'
item "2^53+1 in meta" "kept as 9007199254740992" meta.n '{"id":"n","input":"i","output":"o","meta":{"n":9007199254740993}}'
item "1e999 in gold" "too large" gold.ok '{"id":"n","input":"i","output":"o","gold":{"ok":1e999}}'
item "a duplicate id key" "duplicate key" id '{"id":"n","input":"i","output":"o","id":"m"}'
item "a duplicate meta key" "duplicate key" meta.k '{"id":"n","input":"i","output":"o","meta":{"k":"1","j":2,"k":"3"}}'
item "a duplicate key in a chat turn" "duplicate key" 'input[0].role' '{"id":"n","input":[{"role":"user","content":"a","role":"system"}],"output":"o"}'
{ printf '%s\n' "$GOOD_ITEM"; printf '{"id":"n","input":"i","output":"o\000"}\n'; } > "$T/item-nulbyte.jsonl"
WHY="NUL byte"
refuse "import: a raw NUL byte in the output" 65 "$T/item-nulbyte.jsonl:2:" output "$GS" import "$T/item-nulbyte.jsonl" --set s
{ printf '%s\n{"id":"' "$GOOD_ITEM"; cat "$BIG"; printf '","input":"i","output":"o"}\n'; } > "$T/item-big.jsonl"
WHY="longer than 200 bytes"
refuse "import: a 10 MB id" 65 "$T/item-big.jsonl:2:" id "$GS" import "$T/item-big.jsonl" --set s
{ printf '%s\n{"id":"n","input":"i","output":"o","meta":{"' "$GOOD_ITEM"; cat "$BIG"; printf '":1}}\n'; } > "$T/item-bigkey.jsonl"
refuse "import: a 10 MB meta key" 65 "$T/item-bigkey.jsonl:2:" "meta.xxxx" "$GS" import "$T/item-bigkey.jsonl" --set s
printf '%s\n' '{"uuid":"g2","q":"i","a":"o"}' '{"uuid":"u\u001b","q":"i","a":"o"}' > "$T/item-map.jsonl"
WHY="control character U+001B"
refuse "import --map: ESC in the mapped id" 65 "$T/item-map.jsonl:2:" uuid "$GS" import "$T/item-map.jsonl" --set s \
	--map id=uuid,input=q,output=a
# text keeps its controls (escaped on display): taken, then shown safely
printf '%s\n' '{"id":"t1","input":"esc \u001b[2J c1 \u009b2J rlo \u202e","output":"o","meta":{"k":"\u001b\u202e"}}' > "$T/text.jsonl"
expect_exit 0 "import: ESC, C1 and U+202E in text and meta values are taken" "$GS" import "$T/text.jsonl" --set text
grep -qF '"input":"esc \u001b[2J c1 \u009b2J rlo \u202e"' golden/text.jsonl &&
	ok "... and kept in golden/text.jsonl as \\u escapes" || fail "kept as \\u escapes" "$(cat golden/text.jsonl)"
# numbers a double keeps are kept as written, none rounded
printf '%s\n' '{"id":"num","input":"i","output":"o","meta":{"big":1234567890123456,"max":9007199254740992,"f":0.30000000000000004,"e":1e22}}' > "$T/num.jsonl"
expect_exit 0 "import: numbers a double keeps" "$GS" import "$T/num.jsonl" --set num
grep -qF '"meta":{"big":1234567890123456,"max":9007199254740992,"f":0.30000000000000004,"e":1e+22}' golden/num.jsonl &&
	ok "... are written back as they were (not 1.23456789012346e+15)" || fail "numbers kept exactly" "$(cat golden/num.jsonl)"
"$GS" commit -m "text and numbers" > /dev/null 2>&1 || fail "commit text and numbers"

# ---- label lines: `goldset import-labels` ----
lab() { # NAME WHY FIELD LINE [--as RATER]
	f=$T/lab-$1.jsonl
	n=$1 WHY=$2 fld=$3
	printf '%s\n%s\n' "$GOOD_LABEL" "$4" > "$f"
	shift 4
	refuse "import-labels: $n" 65 "$f:2:" "$fld" "$GS" import-labels "$f" "$@"
}
lab "NUL in the note" "NUL" note '{"id":"a","rubric":"qa","labels":{"ok":"yes"},"note":"a\u0000b"}' --as carol
lab "NUL in the id" "NUL" id '{"id":"a\u0000","rubric":"qa","labels":{"ok":"yes"}}' --as carol
lab "a lone surrogate in the note" "unpaired surrogate" note '{"id":"a","rubric":"qa","labels":{"ok":"yes"},"note":"\ud800"}' --as carol
lab "overlong UTF-8 in the note" "invalid UTF-8" note "{\"id\":\"a\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"yes\"},\"note\":\"$OVERLONG\"}" --as carol
lab "ESC in the line's rater" "control character U+001B" rater '{"id":"a","rubric":"qa","rater":"bob\u001b[2J","labels":{"ok":"yes"}}'
lab "C1 in the line's rater" "control character U+009B" rater "{\"id\":\"a\",\"rubric\":\"qa\",\"rater\":\"c1${C1}\",\"labels\":{\"ok\":\"yes\"}}"
lab "U+202E in the rubric" "bidirectional control U+202E" rubric '{"id":"a","rubric":"qa\u202e","labels":{"ok":"yes"}}' --as carol
lab "U+202E in left" "bidirectional control U+202E" left '{"id":"p","rubric":"pw","left":"m1\u202e","right":"m2","labels":{"better":"tie"}}' --as carol
lab "1e999 as a value" "too large" labels.stars '{"id":"a","rubric":"qa","labels":{"stars":1e999}}' --as carol
lab "1e-999 as a value" "too small" labels.stars '{"id":"a","rubric":"qa","labels":{"stars":1e-999}}' --as carol
lab "a duplicate criterion" "duplicate key" labels.ok '{"id":"a","rubric":"qa","labels":{"ok":"yes","ok":"no"}}' --as carol
lab "a duplicate checklist item" "duplicate key" labels.checks.cites '{"id":"a","rubric":"qa","labels":{"checks":{"cites":true,"cites":false}}}' --as carol
lab "a duplicate id key" "duplicate key" id '{"id":"a","rubric":"qa","labels":{"ok":"yes"},"id":"b"}' --as carol
{ printf '%s\n{"id":"a","rubric":"qa","rater":"' "$GOOD_LABEL"; cat "$BIG"; printf '","labels":{"ok":"yes"}}\n'; } > "$T/lab-big.jsonl"
WHY="longer than 200 bytes"
refuse "import-labels: a 10 MB rater" 65 "$T/lab-big.jsonl:2:" rater "$GS" import-labels "$T/lab-big.jsonl"
printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes"},"note":"esc \u001b c1 \u009b rlo \u202e"}' > "$T/lab-text.jsonl"
expect_exit 0 "import-labels: ESC, C1 and U+202E in a note are taken" "$GS" import-labels "$T/lab-text.jsonl" --as dave

# ---- rubric files: `goldset rubric check` (the hostile part on line 3) ----
rub() { # NAME WHY FIELD LINE3
	f=$T/rub-$1.json
	WHY=$2
	printf '{"name":"r1","version":1,\n "instructions":"read it",\n %s,\n "mode":"single"}\n' "$4" > "$f"
	refuse "rubric check: $1" 65 "$f:3:" "$3" "$GS" rubric check "$f"
}
C='"criteria":[{"id":"ok","type":"binary"}]'
rub "NUL in a question" "NUL" 'criteria[0].question' '"criteria":[{"id":"ok","type":"binary","question":"a\u0000b"}]'
rub "a lone surrogate in an option" "unpaired surrogate" 'criteria[0].options[1]' '"criteria":[{"id":"c","type":"choice","options":["a","\udbff"]}]'
rub "invalid UTF-8 in the instructions" "invalid UTF-8" instructions "\"instructions\":\"bad ${OVERLONG} utf8\", $C"
rub "a UTF-8-encoded surrogate in an anchor" "invalid UTF-8" 'criteria[0].anchors.1' "\"criteria\":[{\"id\":\"s\",\"type\":\"scale\",\"min\":1,\"max\":3,\"anchors\":{\"1\":\"$SURR8\"}}]"
rub "ESC [2J in a criterion id" "control character U+001B" 'criteria[0].id' '"criteria":[{"id":"ok\u001b[2J","type":"binary"}]'
rub "C1 in a checklist item" "control character U+009B" 'criteria[0].items[1]' "\"criteria\":[{\"id\":\"c\",\"type\":\"checklist\",\"items\":[\"a\",\"b${C1}\"]}]"
rub "U+202E in the name" "bidirectional control U+202E" name "\"name\":\"evil${RLO}\", $C"
rub "1e999 as the version" "too large" version "\"version\":1e999, $C"
rub "1e-999 as a scale's min" "too small" 'criteria[0].min' '"criteria":[{"id":"s","type":"scale","min":1e-999,"max":3}]'
rub "a duplicate name key" "duplicate key" name "\"name\":\"r2\", $C"
rub "a duplicate key in a criterion" "duplicate key" 'criteria[0].type' '"criteria":[{"id":"ok","type":"binary","type":"choice"}]'
{ printf '{"name":"r1",\n "version":1,\n "criteria":[{"id":"'; cat "$BIG"; printf '","type":"binary"}]}\n'; } > "$T/rub-big.json"
WHY="longer than 200 bytes"
refuse "rubric check: a 10 MB criterion id" 65 "$T/rub-big.json:3:" 'criteria[0].id' "$GS" rubric check "$T/rub-big.json"

# ---- a rubric under rubrics/: skipped with one warning, nothing loaded ----
# (man goldset: one bad rubric does not stop the team); the warning names
# file, line, column and field, for the validator's refusals and for the
# rubric rules checked after parsing alike
rub 'scale min above max' "scale min 5 > max 1" 'criteria[0].max' '"criteria":[{"id":"s","type":"scale","min":5,"max":1}]'
rub 'an unknown type' 'unknown type "binery"' 'criteria[0].type' '"criteria":[{"id":"s","type":"binery"}]'
for r in "ESC [2J in a criterion id|criteria[0].id|U+001B" "U+202E in the name|name|U+202E" \
	"invalid UTF-8 in the instructions|instructions|invalid UTF-8" "scale min above max|criteria[0].max|min 5 > max 1" \
	"an unknown type|criteria[0].type|unknown type"; do
	fld=${r#*|} WHY=${fld#*|} fld=${fld%|*} r=${r%%|*}
	cp "$T/rub-$r.json" rubrics/zz.json
	refuse "rubrics/zz.json ($r): skipped by stats" 0 "rubrics/zz.json:3:" "$fld" "$GS" stats
	"$GS" rubric list 2> /dev/null | grep -q '^r1 ' && fail "rubrics/zz.json ($r): not loaded" || ok "rubrics/zz.json ($r): not loaded"
	rm -f rubrics/zz.json
done
# the same rubric arriving by pull: pull succeeds (exit 0) with that one
# warning, the other files of the commit are loaded, the rubric is not
git init -q --bare "$T/rub.git"
git push -q "$T/rub.git" "HEAD:refs/heads/$(git symbolic-ref --short HEAD)" 2> /dev/null
git clone -q "$T/rub.git" "$T/peer" 2> /dev/null && git clone -q "$T/rub.git" "$T/mine" 2> /dev/null
"$GS" init "$T/mine" > /dev/null 2>&1 || fail "init of the clone that pulls"
cp "$T/rub-ESC [2J in a criterion id.json" "$T/peer/rubrics/zz.json"
printf '%s\n' '{"id":"a","rubric":"qa","rubric_version":1,"rater":"peer","labels":{"ok":"no"},"at":"2026-12-07T00:00:00.000Z"}' > "$T/peer/labels/qa/peer.jsonl"
(cd "$T/peer" && git add rubrics labels && git -c user.name=peer -c user.email=peer@example.invalid commit -qm "a bad rubric" && git push -q origin HEAD) 2> /dev/null
DIR=$T/mine WHY="U+001B"
"$GS" -C "$T/mine" pull > "$T/out" 2> "$T/err"
rc=$?
if [ $rc -ne 0 ]; then fail "pull of a bad rubric: exit 0" "exit $rc" "$(head -c 300 "$T/err")"
elif [ "$(grep -c warning "$T/err")" -ne 1 ] || ! grep -qF 'rubrics/zz.json:3:' "$T/err" || ! grep -qF '(criteria[0].id)' "$T/err" ||
	! grep -qF U+001B "$T/err" || rawbytes "$T/err"; then
	fail "pull of a bad rubric: one safe warning naming rubrics/zz.json:3: (criteria[0].id)" "$(cut -c1-200 "$T/err")"
else ok "pull of a bad rubric: exit 0, one warning: $(grep warning "$T/err" | cut -c1-150)"; fi
"$GS" -C "$T/mine" export --rater peer 2> /dev/null | grep -q '"id":"a"' && ok "pull of a bad rubric: the rest of the commit is loaded" \
	|| fail "pull of a bad rubric: the rest of the commit is loaded"
"$GS" -C "$T/mine" rubric list 2> /dev/null | grep -q '^r1 ' && fail "pull of a bad rubric: the rubric is not loaded" \
	|| ok "pull of a bad rubric: the rubric is not loaded"
refuse "after the pull, stats still warns in one line" 0 "rubrics/zz.json:3:" "criteria[0].id" "$GS" -C "$T/mine" stats
DIR= WHY=

# ---- label files under labels/, loaded by `goldset init` in a clone ----
clone_init() { # NAME WHY WHERE FIELD FILE LINE...
	n=$1 WHY=$2 where=$3 fld=$4 file=$5
	shift 5
	c=$T/clone-$$-$(echo "$n" | cksum | cut -d' ' -f1)
	rm -rf "$c"
	git clone -q "$W" "$c" 2> /dev/null
	mkdir -p "$(dirname "$c/$file")"
	printf '%s\n' "$@" > "$c/$file"
	"$GS" init "$c" > "$T/out" 2> "$T/err"
	rc=$?
	lines=$(grep -c '' "$T/err")
	if [ "$rc" -ne 65 ]; then fail "init of a clone: $n: exit 65" "exit $rc" "$(head -c 300 "$T/err")"
	elif [ "$lines" -ne 1 ] || ! grep -qF -- "$where" "$T/err" || ! grep -qF -- "($fld" "$T/err" || rawbytes "$T/err" ||
		! grep -qF -- "$WHY" "$T/err"; then
		fail "init of a clone: $n: one safe line naming $where ($fld): $WHY" "$(head -3 "$T/err" | cut -c1-200)"
	elif [ -n "$("$GS" -C "$c" export 2> /dev/null)" ]; then fail "init of a clone: $n: no label loaded"
	elif [ "$(git -C "$c" status --porcelain)" != "?? $file" ]; then
		fail "init of a clone: $n: the working tree unchanged" "$(git -C "$c" status --porcelain | head -3)"
	else ok "init of a clone: $n: exit 65, one line: $(cut -c1-150 "$T/err")"; fi
	rm -rf "$c"
}
clone_init "NUL in a note" "NUL" "labels/qa/bob.jsonl:1:" note labels/qa/bob.jsonl '{"id":"a","labels":{"ok":"yes"},"note":"\u0000"}'
clone_init "a lone surrogate in an id" "unpaired surrogate" "labels/qa/bob.jsonl:2:" id labels/qa/bob.jsonl '{"id":"a","labels":{"ok":"yes"}}' '{"id":"\ud800","labels":{"ok":"yes"}}'
clone_init "ESC in the line's rater" "control character U+001B" "labels/qa/bob.jsonl:1:" rater labels/qa/bob.jsonl '{"id":"a","rater":"b\u001b]0;x\u0007","labels":{"ok":"yes"}}'
clone_init "ESC in the file name (the rater)" "rater" "labels/qa/%1B%5B2J.jsonl:1:" rater 'labels/qa/%1B%5B2J.jsonl' '{"id":"a","labels":{"ok":"yes"}}'
clone_init "C1 in the file name (the rater)" "rater" "labels/qa/c1%C2%9B.jsonl:1:" rater 'labels/qa/c1%C2%9B.jsonl' '{"id":"a","labels":{"ok":"yes"}}'
clone_init "U+202E in the file name (the rater)" "rater" "labels/qa/x%E2%80%AE.jsonl:1:" rater 'labels/qa/x%E2%80%AE.jsonl' '{"id":"a","labels":{"ok":"yes"}}'
clone_init "1e999 as a value" "too large" "labels/qa/bob.jsonl:1:" labels.stars labels/qa/bob.jsonl '{"id":"a","labels":{"stars":1e999}}'
clone_init "a duplicate key" "duplicate key" "labels/qa/bob.jsonl:1:" labels labels/qa/bob.jsonl '{"id":"a","labels":{"ok":"yes"},"labels":{"ok":"no"}}'

# ---- names given as flags: exit 64, one line, nothing changed ----
printf '%s\n' '{"id":"a","rubric":"qa","labels":{"ok":"yes"}}' > "$T/one.jsonl"
WHY="a name cannot"
LONG=$(head -c 201 "$BIG")
HUGE=$(head -c 100000 "$BIG")   # an argument is at most 128 KB
for what in ESC C1 U+202E "overlong UTF-8" "a UTF-8 surrogate" "201 bytes" "100 KB"; do
	case $what in
	ESC) v="bob${ESC}[2J" ;;
	C1) v="c1${C1}2J" ;;
	U+202E) v="evil${RLO}gnp" ;;
	overlong*) v="a${OVERLONG}" ;;
	*surrogate) v="a${SURR8}" ;;
	201*) v=$LONG ;;
	*) v=$HUGE ;;
	esac
	refuse "label --as $what" 64 "--as" "" "$GS" label --as "$v"
	refuse "pair --as $what" 64 "--as" "" "$GS" pair --as "$v"
	refuse "import-labels --as $what" 64 "--as" "" "$GS" import-labels "$T/one.jsonl" --as "$v"
	refuse "import --set $what" 64 "--set" "" "$GS" import "$T/items.jsonl" --set "$v"
	refuse "calibrate start NAME $what" 64 "calibrate start NAME" "" "$GS" calibrate start "$v" --raters alice,bob -n 1 --rubric qa
	refuse "calibrate start --raters $what" 64 "--raters" "" "$GS" calibrate start cal1 --raters "alice,$v" -n 1 --rubric qa
	refuse "commit --tag $what" 64 "--tag" "" "$GS" commit -m "tagged" --tag "$v"
done
refuse "label with a hostile login name" 64 "login name" "" env LOGNAME="bob${ESC}[2J" USER=x "$GS" label

WHY=
# ---- no raw ESC, C1 or U+202E from any command ----
PJ='\u001b[2J\u001b]0;pwned\u0007 \u009b2J \u202eevil\u202c'
cat > rubrics/h.json << J
{"name":"h","version":1,"instructions":"$PJ",
 "criteria":[{"id":"ok","type":"binary","question":"$PJ","labels":["no $PJ","yes"]},
  {"id":"stars","type":"scale","min":1,"max":3,"question":"$PJ","anchors":{"1":"$PJ","3":"$PJ"}},
  {"id":"topic","type":"choice","options":["$PJ","plain"]}]}
J
cat > rubrics/hpw.json << J
{"name":"hpw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference","question":"$PJ"}]}
J
# a rubric the old code took: ESC in a criterion id (now skipped with a warning)
printf '{"name":"hx","criteria":[{"id":"x\\u001b[2J\\u009b\\u202e","type":"binary"}]}\n' > rubrics/hx.json
cat > "$T/hostile.jsonl" << J
{"id":"h1","input":"$PJ","output":"$PJ","reference":"$PJ","meta":{"seg":"$PJ","n":1}}
{"id":"h2","input":[{"role":"$PJ","content":"$PJ"}],"output":"$PJ","meta":{"seg":"plain"}}
{"id":"h3","input":"$PJ","outputs":[{"system":"m1","text":"$PJ"},{"system":"m2","text":"$PJ"}]}
J
"$GS" import "$T/hostile.jsonl" --set hostile > /dev/null 2>&1
printf '%s\n' "{\"id\":\"h1\",\"rubric\":\"h\",\"labels\":{\"ok\":\"no $PJ\",\"stars\":1,\"topic\":\"$PJ\"},\"note\":\"$PJ\"}" \
	"{\"id\":\"h2\",\"rubric\":\"h\",\"labels\":{\"ok\":\"yes\",\"stars\":3,\"topic\":\"plain\"},\"note\":\"$PJ\"}" \
	"{\"id\":\"h3\",\"rubric\":\"hpw\",\"left\":\"m1\",\"right\":\"m2\",\"labels\":{\"better\":\"m1\"},\"note\":\"$PJ\"}" > "$T/hl.jsonl"
"$GS" import-labels "$T/hl.jsonl" --as judge:x > /dev/null 2>&1
sed 's/"ok":"no [^"]*"/"ok":"yes"/; s/"stars":1/"stars":2/; s/"better":"m1"/"better":"m2"/' "$T/hl.jsonl" > "$T/hl2.jsonl"
"$GS" import-labels "$T/hl2.jsonl" --as erin > /dev/null 2>&1
git tag "v${RLO}1" 2> /dev/null
none() { # NAME CMD...: no raw ESC, C1 or U+202E on stdout or stderr, and something printed
	n=$1
	shift
	"$@" > "$T/out" 2>&1
	rc=$?
	if rawbytes "$T/out"; then fail "$n: no raw ESC, C1 or U+202E" "exit $rc:" "$(LC_ALL=C grep -m1 "$BAD" "$T/out" | LC_ALL=C sed -n l | cut -c1-160)"
	elif [ ! -s "$T/out" ]; then fail "$n: printed something" "exit $rc"
	else ok "$n: no raw ESC, C1 or U+202E (exit $rc)"; fi
}
none "stats" "$GS" stats
none "export" "$GS" export
none "export --format csv" "$GS" export --format csv
none "agree" "$GS" agree --rubric h
none "agree --by a hostile meta value" "$GS" agree --rubric h --by seg
none "disagreements" "$GS" disagreements --rubric h
none "rank" "$GS" rank --rubric hpw
none "rubric show" "$GS" rubric show h
none "rubric show of a rubric with ESC in a criterion id" "$GS" rubric show hx
none "rubric list" "$GS" rubric list
none "review --list" "$GS" review --list --rubric h
none "calibrate start" "$GS" calibrate start hcal --raters judge:x,erin -n 2 --rubric h
none "calibrate show" "$GS" calibrate show hcal
none "calibrate report" "$GS" calibrate report hcal --force
none "commit -m with ESC, C1 and U+202E" "$GS" commit -m "$(printf 'msg \033]0;pwned\007 \302\2332J \342\200\256evil')"
none "log" "$GS" log
none "diff HEAD~1" "$GS" diff HEAD~1
none "diff at a tag named with U+202E" "$GS" diff "v${RLO}1"
none "rubric check of a file named with ESC" sh -c 'cp rubrics/qa.json "$1" && "$2" rubric check "$1"' _ "$T/$(printf 'r\033]0;x\007.json')" "$GS"
none "an unknown command" "$GS" "$(printf 'x\033[2J\302\233')"
none "an unknown option" "$GS" "$(printf -- '--x\033[2J')"
none "an unexpected argument" "$GS" log "$(printf 'x\033[2J\342\200\256')"
mkdir -p "$T/$(printf 'd\033]0;x\007')"
none "init in a folder named with ESC" "$GS" init "$T/$(printf 'd\033]0;x\007')"
if git init -q --bare "$T/remote.git" 2> /dev/null; then
	git remote add origin "$T/remote.git"
	git checkout -q -b "main${RLO}x" 2> /dev/null
	none "push of a branch named with U+202E" "$GS" push
fi
