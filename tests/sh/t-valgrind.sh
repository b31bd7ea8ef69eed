# t-valgrind.sh: the release build ($TOP/goldset, which make check builds
# first; valgrind cannot run the AddressSanitizer build) under valgrind's
# memcheck: the everyday commands on a small workspace, with
# good and bad input, must show no invalid access, no use of uninitialised
# memory and no definite leak. The unit tests are AddressSanitizer builds
# and are covered by `make check` itself. Skipped without valgrind.
. "$(dirname "$0")/lib.sh"
command -v valgrind > /dev/null || { echo "ok - valgrind # SKIP valgrind not installed"; exit 0; }
REL=${GOLDSET_RELEASE:-$TOP/goldset}
[ -x "$REL" ] || { echo "ok - valgrind # SKIP no release build at $REL (make goldset)"; exit 0; }
unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
# vg NAME WANT CMD...: runs `goldset CMD...` under valgrind; exit WANT, no error
vg() {
	n=$1 want=$2; shift 2
	# shellcheck disable=SC2086
	$VG --log-file="$T/vg.log" "$REL" "$@" > "$T/out" 2> "$T/err"
	got=$?
	if [ "$got" -eq 99 ] || [ -s "$T/vg.log" ]; then fail "valgrind: $n" "$(grep -m6 -E '==[0-9]+== [A-Z ]|at 0x|by 0x' "$T/vg.log")"
	elif [ "$got" -ne "$want" ]; then fail "valgrind: $n: exit $got, wanted $want" "$(head -3 "$T/err")"
	else ok "valgrind: $n"; fi
}
W=$T/ws
vg "init" 0 init "$W"
cd "$W" || exit 1
cat > rubrics/qa.json << 'J'
{"name":"qa","version":1,"criteria":[{"id":"ok","type":"binary"},{"id":"stars","type":"scale","min":1,"max":5},
 {"id":"topic","type":"choice","options":["billing","tech"]},{"id":"checks","type":"checklist","items":["cites","short"]}]}
J
awk 'BEGIN { for (i = 0; i < 300; i++)
	printf "{\"id\":\"v%03d\",\"input\":[{\"role\":\"user\",\"content\":\"q %d \\u001b[2J\"}],\"output\":\"a %d \\u00e9\",\"reference\":\"r\",\"meta\":{\"seg\":\"s%d\",\"n\":%d}}\n", i, i, i, i % 3, i }' > "$T/items.jsonl"
vg "import" 0 import "$T/items.jsonl" --set v
printf '{"id":"bad","input":"q"}\n' > "$T/bad.jsonl"
vg "import of a bad line" 65 import "$T/bad.jsonl"
for r in alice bob; do
	awk -v r="$r" 'BEGIN { for (i = 0; i < 300; i++)
		printf "{\"id\":\"v%03d\",\"rubric\":\"qa\",\"labels\":{\"ok\":\"%s\",\"stars\":%d,\"topic\":\"%s\",\"checks\":{\"cites\":true}},\"note\":\"n\"}\n",
			i, (i + length(r)) % 3 ? "yes" : "no", 1 + (i * length(r)) % 5, i % 2 ? "tech" : "billing" }' > "$T/$r.jsonl"
	vg "import-labels ($r)" 0 import-labels "$T/$r.jsonl" --as "$r"
done
printf '{"id":"v001","rubric":"qa","labels":{"stars":9}}\n' > "$T/badl.jsonl"
vg "import-labels of a bad value" 65 import-labels "$T/badl.jsonl" --as carol
vg "export" 0 export
vg "export --format csv" 0 export --format csv --rubric qa
vg "stats" 0 stats
vg "stats --json" 0 stats --json
vg "rubric check" 0 rubric check rubrics/qa.json
awk 'BEGIN { print "unit,a,b,c"; for (i = 0; i < 200; i++) printf "u%d,%d,%d,%s\n", i, i % 5, (i * 7) % 5, i % 4 ? i % 5 : "" }' > "$T/t.csv"
vg "agree --table" 0 agree --table "$T/t.csv" --bootstrap 50
vg "agree --table --json" 0 agree --table "$T/t.csv" --json --bootstrap 50
printf 'unit,a,a\nx,1,2\n' > "$T/bad.csv"
vg "agree --table of a bad file" 65 agree --table "$T/bad.csv"
awk 'BEGIN { print "a,b,winner"; for (i = 0; i < 300; i++) { a = "m" i % 4; b = "m" (i + 1 + i % 3) % 4; w = i % 5 == 0 ? "tie" : i % 3 ? a : b; print a "," b "," w } }' > "$T/p.csv"
vg "rank --pairs" 0 rank --pairs "$T/p.csv" --bootstrap 50
vg "rank --pairs --json" 0 rank --pairs "$T/p.csv" --json --bootstrap 50
printf 'a,b,winner\nx,x,x\n' > "$T/badp.csv"
vg "rank --pairs of a bad file" 65 rank --pairs "$T/badp.csv"
if "$REL" commit --help > /dev/null 2>&1; then
	git config user.name vg
	git config user.email vg@example.invalid
	vg "commit" 0 commit -m "valgrind"
	vg "log" 0 log
fi
