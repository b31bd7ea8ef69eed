# t-hostile.sh: hostile text. Item text comes from models and
# users, names from files that anyone can push: none of it may reach a
# terminal raw. A corpus of escape sequences and control characters (CSI
# clear screen, OSC window title, DCS, C1 CSI as UTF-8, BEL, BS, CR, bidi
# overrides) is put in every text field that reaches a screen or a report
# (item input, output, reference and meta values, chat roles and content,
# criterion questions, options, labels and anchors, rubric instructions,
# notes, CSV cells, file names), then every printing command runs and its
# stdout and stderr are searched: no raw C0 control but tab and newline, no
# DEL, no C1 (0xc2 0x80-0x9f), no bidi override or isolate (U+202A-E,
# U+2066-9) may appear; JSON output must carry them as \u escapes. Names
# (ids, raters, rubrics, criteria, checklist items, systems, sets, meta
# keys) refuse these characters (t-untrusted.sh); here they carry accents, wide characters and SQL and
# path characters, and the errors that quote refused names must be safe.
# The screens run in tmux: the pane title must stay as it was. Names made
# of SQL and path characters ('; DROP TABLE items; --, ../../etc/passwd,
# a/b) must stay only names.
. "$(dirname "$0")/lib.sh"
ws
W=$T/ws
cd "$W" || exit 1
git config user.name hostile
git config user.email hostile@example.invalid

# the payload, as JSON escapes (for JSON files) and as raw bytes (for CSV and names)
PJ='\u001b[2J\u001b[31mred\u001b[0m \u001b]0;pwned\u0007 \u001bP1$r\u001b\\ \u009b2J \u009d0;c1\u009c bell\u0007 bs\b\b cr\r \u202eevil\u202c \u2066iso\u2069'
PR=$(printf '\033[2J\033[31mred\033[0m \033]0;pwned\007 \033P1$r\033\\ \302\2332J \302\2350;c1\302\234 bell\007 bs\010\010 cr\r \342\200\256evil\342\200\254')
C1R=$(printf 'c1\302\2332J\342\200\256') # no C0: names refuse it all the same
C1J='c1\u009b2J\u202e'
NU=$(printf 'h\303\251-\345\220\215') # a legal name that is not ASCII: hé-名
NJ='h\u00e9-\u540d'

# unsafe FILE: 0 (true) when FILE holds a byte that must not reach a terminal
BAD_C0=$(printf '[\001-\010\013\014\015\016-\037\177]')
BAD_C1=$(printf '\302[\200-\237]')
BAD_BIDI=$(printf '\342\200[\252-\256]\\|\342\201[\246-\251]')
unsafe() { LC_ALL=C grep -q -e "$BAD_C0" -e "$BAD_C1" -e "$BAD_BIDI" "$1"; }
# show FILE: its first unsafe line, made visible
show() { LC_ALL=C grep -m1 -e "$BAD_C0" -e "$BAD_C1" -e "$BAD_BIDI" "$1" | LC_ALL=C sed -n l | cut -c1-160; }
# clean NAME CMD...: runs CMD; its stdout and stderr must be safe
clean() {
	n=$1; shift
	"$@" > "$T/out" 2> "$T/err"
	rc=$?
	if unsafe "$T/out"; then fail "$n: stdout safe" "exit $rc; raw bytes on stdout:" "$(show "$T/out")"
	elif unsafe "$T/err"; then fail "$n: stderr safe" "exit $rc; raw bytes on stderr:" "$(show "$T/err")"
	elif [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then fail "$n: printed something" "exit $rc, no output"
	else ok "$n: no raw control bytes (exit $rc)"; fi
}

# ---- a hostile workspace ----
cat > rubrics/h.json << J
{"name":"h","version":1,"instructions":"$PJ",
 "criteria":[{"id":"ok","type":"binary","question":"$PJ","labels":["no $PJ","yes"]},
  {"id":"stars","type":"scale","min":1,"max":3,"question":"$PJ","anchors":{"1":"$PJ","3":"$PJ"}},
  {"id":"topic","type":"choice","options":["$PJ","plain"]},
  {"id":"checks","type":"checklist","items":["$NJ","cites"]}]}
J
cat > rubrics/hpw.json << J
{"name":"hpw","version":1,"mode":"pairwise","criteria":[{"id":"better","type":"preference","question":"$PJ"}]}
J
cat > rubrics/hname.json << J
{"name":"$NJ","version":1,"criteria":[{"id":"ok","type":"binary"}]}
J
cat > "$T/items.jsonl" << J
{"id":"h1","input":"$PJ","output":"$PJ","reference":"$PJ","meta":{"seg":"$PJ","$NJ":"$PJ","n":1}}
{"id":"h2","input":[{"role":"$PJ","content":"$PJ"},{"role":"user","content":"plain"}],"output":"$PJ","meta":{"seg":"plain"}}
{"id":"$NJ","input":"a name that is not ASCII","output":"$PJ"}
J
cat > "$T/pw.jsonl" << J
{"id":"p1","input":"$PJ","outputs":[{"system":"$NJ","text":"$PJ"},{"system":"m2","text":"$PJ"}]}
J
clean "import hostile items" "$GS" import "$T/items.jsonl" --set hostile
clean "import a hostile pairwise item" "$GS" import "$T/pw.jsonl" --set "$NU"
cat > "$T/labels.jsonl" << J
{"id":"h1","rubric":"h","labels":{"ok":"no $PJ","stars":1,"topic":"$PJ","checks":{"$NJ":true,"cites":false}},"note":"$PJ","at":"2026-11-01T10:00:00Z"}
{"id":"h2","rubric":"h","rater":"$NJ","labels":{"ok":"yes","stars":3,"topic":"plain"},"note":"$PJ"}
{"id":"$NJ","rubric":"h","labels":{"ok":"yes","topic":"plain"}}
{"id":"p1","rubric":"hpw","left":"$NJ","right":"m2","labels":{"better":"$NJ"},"note":"$PJ"}
J
clean "import-labels hostile labels" "$GS" import-labels "$T/labels.jsonl" --as "judge:$NU"
"$GS" import-labels "$T/labels.jsonl" --as "second" > /dev/null 2>&1

# ---- every printing command ----
clean "stats" "$GS" stats
clean "stats --json" "$GS" stats --json
clean "export" "$GS" export
clean "export --format csv" "$GS" export --format csv
clean "export --rater (a name that is not ASCII)" "$GS" export --rater "judge:$NU"
clean "rubric list" "$GS" rubric list
clean "rubric show" "$GS" rubric show h
clean "rubric show (a name that is not ASCII)" "$GS" rubric show "$NU"
clean "rubric show (a C1 name: no such rubric)" "$GS" rubric show "$C1R"
clean "rubric check" "$GS" rubric check rubrics/h.json
clean "review --list" "$GS" review --list --rubric h
clean "agree (workspace)" "$GS" agree --rubric h
clean "agree --by a hostile meta value" "$GS" agree --rubric h --by seg
clean "agree --json" "$GS" agree --rubric h --json
clean "disagreements" "$GS" disagreements --rubric h
clean "rank (workspace)" "$GS" rank --rubric hpw
clean "commit" "$GS" commit -m "hostile labels"
clean "log" "$GS" log
clean "diff" "$GS" diff HEAD
clean "calibrate start" "$GS" calibrate start hcal --raters "second,judge:$NU" -n 2 --rubric h
clean "calibrate show" "$GS" calibrate show hcal
clean "calibrate report" "$GS" calibrate report hcal --force

# ---- what a pull brings: commits and label files made by others ----
if "$GS" log --help > /dev/null 2>&1; then
	git -c user.name="$PR" -c user.email="x@example.invalid" commit -q --allow-empty -m "$PR" -m "$PR body" > /dev/null 2>&1
	clean "log of a commit with a hostile message and author" "$GS" log
	clean "diff across a commit with a hostile message" "$GS" diff HEAD~1 HEAD
fi
mkdir -p "$T/clone/labels/h" "$T/clone/rubrics" "$T/clone/golden"
cp rubrics/h.json "$T/clone/rubrics/"
cp golden/hostile.jsonl "$T/clone/golden/"
"$GS" export --rubric h --rater second | sed 's/"rater":"second",//' > "$T/clone/labels/h/%1B]0;pwned%07.jsonl"
"$GS" export --rubric h --rater second | sed 's/"rater":"second",//' > "$T/clone/labels/h/c1%C2%9B2J%E2%80%AE.jsonl"
clean "init of a clone with hostile label file names (refused)" "$GS" init "$T/clone"
clean "stats of that clone" "$GS" -C "$T/clone" stats
rm -f "$T/clone/labels/h/"*
"$GS" export --rubric h --rater second | sed 's/"rater":"second",//' > "$T/clone/labels/h/h%C3%A9-%E5%90%8D.jsonl"
clean "init of a clone with a label file of a rater not ASCII" "$GS" init "$T/clone"
clean "export of that clone" "$GS" -C "$T/clone" export --rater "$NU"

# ---- errors that quote what they read ----
printf '%s\n' "{\"id\":\"dup$C1J\",\"input\":\"q\",\"output\":\"o\"}" "{\"id\":\"dup$C1J\",\"input\":\"q\",\"output\":\"o\"}" > "$T/dup.jsonl"
clean "import error: a hostile id (refused)" "$GS" import "$T/dup.jsonl" --set dup
printf '%s\n' "{\"id\":\"m\",\"input\":\"q\",\"output\":\"o\",\"meta\":{\"$PJ\":{\"nested\":1}}}" > "$T/meta.jsonl"
clean "import error: a hostile meta key" "$GS" import "$T/meta.jsonl" --set meta
printf '%s\n' "{\"id\":\"zz$C1J\",\"rubric\":\"h\",\"labels\":{\"ok\":\"yes\"}}" > "$T/l1.jsonl"
clean "import-labels error: an unknown hostile item id" "$GS" import-labels "$T/l1.jsonl" --as x
printf '%s\n' "{\"id\":\"h1\",\"rubric\":\"h\",\"labels\":{\"$PJ\":\"yes\"}}" > "$T/l2.jsonl"
clean "import-labels error: a hostile criterion name" "$GS" import-labels "$T/l2.jsonl" --as x
printf '%s\n' "{\"id\":\"h1\",\"rubric\":\"h\",\"labels\":{\"checks\":{\"$PJ x\":true}}}" > "$T/l3.jsonl"
clean "import-labels error: a hostile checklist item" "$GS" import-labels "$T/l3.jsonl" --as x
printf '%s\n' "{\"id\":\"h1\",\"rubric\":\"no$PJ\",\"labels\":{\"ok\":\"yes\"}}" > "$T/l4.jsonl"
clean "import-labels error: a hostile rubric name (refused)" "$GS" import-labels "$T/l4.jsonl" --as x
printf '%s\n' "{\"id\":\"h1\",\"rubric\":\"nosuch\",\"rater\":\"$NJ\",\"labels\":{\"ok\":\"yes\"}}" > "$T/l5.jsonl"
clean "import-labels error: an unknown rubric, a rater not ASCII" "$GS" import-labels "$T/l5.jsonl"
clean "import --set with an escape (refused)" "$GS" import "$T/dup.jsonl" --set "$PR"
clean "import-labels --as with an escape (refused)" "$GS" import-labels "$T/l1.jsonl" --as "$PR"
printf '%s\n' '{"id":"fn","input":"q","output":"o"}' > "$T/$(printf 'n\033]0;pwned\007')"
clean "import of a file with a hostile name" "$GS" import "$T/$(printf 'n\033]0;pwned\007')" --set fn
cat > "$T/hr.json" << J
{"name":"hr","mode":"$PJ","criteria":[{"id":"t","type":"nope $PJ"},{"id":"c","type":"choice","options":["$PJ","$PJ"]},
 {"id":"s","type":"scale","min":1,"max":3,"level":"$PJ"},
 {"id":"s2","type":"scale","min":1,"max":3,"anchors":{"$PJ":"x"}}]}
J
clean "rubric check: problems quoting hostile text" "$GS" rubric check "$T/hr.json"
printf '{"name":"%s","criteria":[{"id":"%s","type":"binary"}]}\n' "$PJ" "$PJ" > "$T/hn.json"
clean "rubric check: a hostile name (refused)" "$GS" rubric check "$T/hn.json"
cp "$T/hr.json" rubrics/zz-broken.json
clean "a broken hostile rubric in rubrics/ (warning on every command)" "$GS" stats
rm -f rubrics/zz-broken.json

# ---- CSV: agree --table and rank --pairs ----
# hostile cells are quoted: the payload holds a CR, which ends a line unquoted
printf 'unit,"%s",plain\n"%s","%s",x\nu2,x,"%s"\nu3,x,x\n' "$PR" "$PR" "$PR" "$PR" > "$T/t.csv"
clean "agree --table" "$GS" agree --table "$T/t.csv"
clean "agree --table --json" "$GS" agree --table "$T/t.csv" --json
printf 'unit,a,b\n"%s",1,2\n"%s",1,2\n' "$PR" "$PR" > "$T/tdup.csv"
clean "agree --table error: a hostile unit twice" "$GS" agree --table "$T/tdup.csv"
printf 'unit,"%s","%s"\nu,1,2\n' "$PR" "$PR" > "$T/tdup2.csv"
clean "agree --table error: a hostile rater twice" "$GS" agree --table "$T/tdup2.csv"
printf 'a,b,winner\n"%s",m2,"%s"\nm2,"%s",m2\n"%s",m3,tie\nm3,m2,m3\n' "$PR" "$PR" "$PR" "$PR" > "$T/p.csv"
clean "rank --pairs" "$GS" rank --pairs "$T/p.csv"
clean "rank --pairs --json" "$GS" rank --pairs "$T/p.csv" --json
printf 'a,b,winner\nm1,m2,"%s"\n' "$PR" > "$T/pbad.csv"
clean "rank --pairs error: a hostile winner" "$GS" rank --pairs "$T/pbad.csv"

# ---- the screens (tmux): the pane title must not change ----
title_kept() { # NAME SESSION
	t=$(tm display-message -p -t "$2" '#{pane_title}' 2> /dev/null)
	scr=$(tm_screen "$2" 2> /dev/null)
	if echo "$t" | grep -q pwned; then fail "$1: the pane title stays" "title became: $t"
	elif ! echo "$scr" | grep -qF '^['; then fail "$1: escapes shown as ^[" "$(echo "$scr" | head -8)"
	else ok "$1: pane title kept, escapes shown as ^["; fi
}
if command -v tmux > /dev/null && "$GS" label --help > /dev/null 2>&1; then
	tm_start lab 120 40 "exec \"$GS\" -C \"$W\" label --rubric h --set hostile --as screen"
	if tm_wait lab "item "; then
		tm set-option -t lab -p pane-border-status off 2> /dev/null
		tm select-pane -t lab -T before 2> /dev/null
		tm_keys lab r; sleep 0.3; tm_keys lab '?'; sleep 0.3; tm_keys lab Escape; sleep 0.2
		tm_keys lab n; sleep 0.3; tm_keys lab n; sleep 0.3
		title_kept "label screen with hostile items and rubric" lab
	else
		fail "label screen with hostile items and rubric" "did not start: $(tm_screen lab 2> /dev/null | head -3)"
	fi
	tm kill-session -t lab 2> /dev/null
else
	echo "ok - label screen with hostile items # SKIP label screen not built yet"
fi
if command -v tmux > /dev/null && "$GS" pair --help > /dev/null 2>&1; then
	tm_start pw 120 40 "exec \"$GS\" -C \"$W\" pair --rubric hpw --as screen2"
	if tm_wait pw "1/" || tm_wait pw "item"; then
		tm select-pane -t pw -T before 2> /dev/null
		sleep 0.3
		title_kept "pair screen with a hostile item" pw
	else
		fail "pair screen with a hostile item" "did not start: $(tm_screen pw 2> /dev/null | head -3)"
	fi
	tm kill-session -t pw 2> /dev/null
else
	echo "ok - pair screen with a hostile item # SKIP pair screen not built yet"
fi

if command -v tmux > /dev/null && "$GS" review --help > /dev/null 2>&1; then
	tm_start rv 120 40 "exec \"$GS\" -C \"$W\" review --rubric h -n 3"
	sleep 1
	if tm_alive rv; then
		tm select-pane -t rv -T before 2> /dev/null
		tm_keys rv n; sleep 0.3; tm_keys rv n; sleep 0.3
		title_kept "review screen with hostile items, labels and notes" rv
	else
		echo "ok - review screen with hostile items # SKIP the review screen did not stay open"
	fi
	tm kill-session -t rv 2> /dev/null
fi

# ---- SQL and path characters are only names ----
SQL="'; DROP TABLE items; --"
TAB=$(printf '\t')
before=$("$GS" stats --json | sed -n "s/^$TAB\"items\":[[:space:]]*\([0-9]*\).*/\1/p" | head -1)
printf '%s\n' '{"id":"s1","input":"q","output":"o","meta":{"'"'"'; DROP TABLE items; --":"v"}}' > "$T/sql.jsonl"
expect_exit 0 "a set named $SQL imports" "$GS" import "$T/sql.jsonl" --set "$SQL"
[ -f "golden/$SQL.jsonl" ] && ok "its file is golden/$SQL.jsonl" || fail "its file is golden/$SQL.jsonl" "$(ls golden)"
after=$("$GS" stats --json | sed -n "s/^$TAB\"items\":[[:space:]]*\([0-9]*\).*/\1/p" | head -1)
[ "$after" = $((before + 1)) ] && ok "items table still there and counted ($after)" || fail "items table still there" "$before -> $after"
expect_exit 64 "a set named ../../x is refused" "$GS" import "$T/sql.jsonl" --set "../../x"
expect_exit 64 "a set named a/b is refused" "$GS" import "$T/sql.jsonl" --set "a/b"
[ ! -e "$T/x.jsonl" ] && [ ! -e "$W/golden/a" ] && ok "nothing written outside golden/ for refused set names" || fail "nothing written outside golden/"
printf '%s\n' '{"id":"s1","rubric":"qa-sql","labels":{"ok":"yes"}}' > "$T/sl.jsonl"
cat > rubrics/sql.json << 'J'
{"name":"'; DROP TABLE labels; --","version":1,"criteria":[{"id":"'; DROP TABLE labels; --","type":"binary"}]}
J
cat > rubrics/qa-sql.json << 'J'
{"name":"qa-sql","version":1,"criteria":[{"id":"ok","type":"binary"}]}
J
for r in "$SQL" "../../etc/passwd" "a/b" "..'\"%00" ".hidden"; do
	expect_exit 0 "rater named $r: import-labels" "$GS" import-labels "$T/sl.jsonl" --as "$r"
	cnt=$("$GS" export --rater "$r" | grep -c '"id":"s1"')
	[ "$cnt" = 1 ] && ok "rater named $r: export finds the label" || fail "rater named $r: export finds the label" "$cnt"
done
printf '%s\n' '{"id":"s1","rubric":"'"'"'; DROP TABLE labels; --","labels":{"'"'"'; DROP TABLE labels; --":"yes"}}' > "$T/sl2.jsonl"
expect_exit 0 "a rubric and criterion named '; DROP TABLE labels; --" "$GS" import-labels "$T/sl2.jsonl" --as sqlrater
"$GS" export --rubric "'; DROP TABLE labels; --" | grep -q sqlrater && ok "its label exports" || fail "its label exports"
touch "$T/marker"
"$GS" commit -m "names" > "$T/out" 2>&1
outside=$(find "$T" -newer "$T/marker" -type f ! -path "$W/*" ! -name out ! -name err 2> /dev/null | head -3)
[ -z "$outside" ] && ok "commit writes nothing outside the workspace" || fail "commit writes nothing outside the workspace" "$outside"
[ ! -e "$W/etc" ] && [ ! -e "$W/labels/etc" ] && ok "no etc/ made from ../../etc/passwd" || fail "no etc/ made from ../../etc/passwd"
if "$GS" commit --help > /dev/null 2>&1; then
	stray=$(find labels -type f | grep -v '^labels/[^/]*/[A-Za-z0-9._%-]*\.jsonl$' | LC_ALL=C sed -n l | head -3)
	[ -z "$stray" ] && ok "label files are labels/RUBRIC/ENCODED-RATER.jsonl" || fail "label files are labels/RUBRIC/ENCODED-RATER.jsonl" "$stray"
	ls labels/qa-sql/ | grep -q '^%2E\.%2F\.\.%2Fetc%2Fpasswd\.jsonl$' && ok "../../etc/passwd is labels/qa-sql/%2E.%2F..%2Fetc%2Fpasswd.jsonl" ||
		fail "../../etc/passwd encoded" "$(ls labels/qa-sql/)"
fi
r=$(sqlite3 .goldset/goldset.db 'PRAGMA integrity_check' 2>&1)
[ "$r" = ok ] && ok "integrity_check after hostile names" || fail "integrity_check after hostile names" "$r"
