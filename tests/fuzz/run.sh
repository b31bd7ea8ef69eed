#!/bin/sh
# tests/fuzz/run.sh: builds and runs the fuzz targets (tests/fuzz/fuzz_*.c),
# printing TAP lines.
#   sh tests/fuzz/run.sh long      every target for FUZZ_SECONDS (300) under
#                                  libFuzzer with ASan + UBSan (`make fuzz`)
#   sh tests/fuzz/run.sh short     every target for FUZZ_SHORT_SECONDS (5)
#                                  (`make check`, through tests/sh/t-fuzz.sh)
#   sh tests/fuzz/run.sh regress   replays tests/fuzz/regress/<target>/ and the
#                                  seed corpus tests/fuzz/corpus/<target>/
#                                  through a plain main() (tests/fuzz/replay.c)
#                                  built with gcc's ASan + UBSan: no clang needed
# FUZZ_TARGETS="items csv" limits the targets. FUZZ_LENIENT=1 measures around
# known bugs: undefined behaviour and unsafe error messages are reported
# (summed up at the end) but do not stop the run, and libFuzzer runs in
# fork mode, going on after a crash (each one saved and counted).
# libFuzzer needs clang and its runtime (Debian: clang-14 with
# libclang-rt-14-dev); without them the fuzz modes print "ok - ... # SKIP".
# Outputs live in build/fuzz/: the binaries (lf-TARGET for libFuzzer,
# replay-TARGET for the replay), the growing corpus build/fuzz/corpus/TARGET
# (the seeds in tests/fuzz/corpus/ are read too), crash artifacts and logs.
# A crash is a "not ok" line naming the artifact: minimise it
# (build/fuzz/lf-TARGET -minimize_crash=1 -runs=10000 ARTIFACT), fix the bug,
# and add the input to tests/fuzz/regress/TARGET/ so that `make check`
# replays it from then on. One target runs at a time (the machine is shared).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1
mode=${1:-short}
out=build/fuzz
mkdir -p "$out"
TARGETS=${FUZZ_TARGETS:-"text items rubric labels csv pagescan"}
PKG="libcjson libxxhash glib-2.0 libutf8proc"   # every target links text.c
STD="-std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude"

srcs() { # the sources a target is linked with (text.c: messages may escape)
	case $1 in
	text) echo src/text.c src/util.c ;;
	items) echo src/items.c src/jsoncheck.c src/util.c src/text.c ;;
	rubric) echo src/rubric.c src/jsoncheck.c src/util.c src/text.c ;;
	labels) echo src/labelset.c src/rubric.c src/jsoncheck.c src/util.c src/text.c src/csv.c ;;
	csv) echo src/csv.c src/util.c src/text.c src/stats/*.c ;;
	pagescan) echo src/pagescan.c src/util.c src/text.c ;;
	esac
}
libs() { # the libraries a target needs beyond $PKG (libcsv ships no .pc file)
	case $1 in
	csv | labels) echo -lcsv ;;
	esac
}
dict() {
	case $1 in
	items | rubric | labels) echo "$here/json.dict" ;;
	csv) echo "$here/csv.dict" ;;
	text) echo "$here/text.dict" ;;
	pagescan) echo "$here/pagescan.dict" ;;
	esac
}

# stale BIN DEP...: true when BIN is missing or older than a dependency
stale() {
	bin=$1; shift
	[ -e "$bin" ] || return 0
	[ -n "$(find "$@" include src/stats/agree_int.h tests/fuzz/fuzz.h -name '*.[ch]' -newer "$bin" 2> /dev/null | head -1)" ]
}

build() { # CC KIND TARGET: builds $out/KIND-TARGET, prints its path
	cc=$1 kind=$2 t=$3
	bin=$out/$kind-$t
	deps="tests/fuzz/fuzz_$t.c $(srcs "$t")"
	if [ "$kind" = lf ]; then
		flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	elif [ "$kind" = lflenient ]; then
		flags="-g -O1 -fsanitize=fuzzer,address,undefined -fsanitize-recover=undefined -fno-omit-frame-pointer"
	else
		flags="-g -O1 -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
		deps="$deps tests/fuzz/replay.c"
	fi
	if stale "$bin" $deps; then
		# shellcheck disable=SC2086
		$cc $STD $flags $(pkg-config --cflags $PKG) -o "$bin.tmp$$" $deps \
			$(pkg-config --libs $PKG) $(libs "$t") -lm > "$bin.log" 2>&1 && mv "$bin.tmp$$" "$bin" || {
			rm -f "$bin.tmp$$"
			return 1
		}
	fi
	echo "$bin"
}

have_libfuzzer() {
	command -v clang > /dev/null 2>&1 || return 1
	p=$out/probe-$$
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; return (int)n * 0; }\n' > "$p.c"
	clang -fsanitize=fuzzer,address -o "$p" "$p.c" > /dev/null 2>&1
	r=$?
	rm -f "$p" "$p.c"
	return $r
}

# a number from libFuzzer's final statistics
stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -1; }

fuzz_one() { # TARGET SECONDS
	t=$1 secs=$2 kind=lf
	[ -n "${FUZZ_LENIENT:-}" ] && [ "$FUZZ_LENIENT" != 0 ] && kind=lflenient
	if ! bin=$(build clang $kind "$t"); then
		echo "not ok - fuzz $t: build failed"
		sed 's/^/#   /' "$out/$kind-$t.log" | head -20
		return
	fi
	# long: new inputs go to the kept corpus build/fuzz/corpus/<t>; short (make
	# check, perhaps beside a `make fuzz`): to a scratch folder of its own, the
	# kept corpus and the seeds only read
	if [ "$mode" = long ]; then
		work=$out/corpus/$t art=$out/artifacts/$t/ log=$out/$t.log
		# crash files of an earlier run were reported then: keep them aside
		if [ -n "$(ls "$art" 2> /dev/null)" ]; then
			mkdir -p "$out/artifacts/$t.prev" && mv "$art"* "$out/artifacts/$t.prev/" 2> /dev/null
		fi
		corpora="$work"
	else
		work=$run/corpus/$t art=$run/artifacts/$t/ log=$run/$t.log
		corpora="$work"
		[ -d "$out/corpus/$t" ] && corpora="$corpora $out/corpus/$t"
	fi
	[ -d "$here/corpus/$t" ] && corpora="$corpora $here/corpus/$t"
	mkdir -p "$work" "$art"
	# -rss_limit_mb: ASan's shadow counts; -timeout: one input may not hang
	halt=1 more=
	[ $kind = lflenient ] && halt=0 more="-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1"
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=$halt:print_summary=1 \
		"$bin" $corpora -max_total_time="$secs" -timeout=10 -rss_limit_mb=2560 -max_len=8192 \
		-dict="$(dict "$t")" -artifact_prefix="$art" -print_final_stats=1 $more > "$log" 2>&1
	rc=$?
	execs=$(stat_of number_of_executed_units "$log")
	# fork mode: the executions of the last progress line
	[ -z "$execs" ] && execs=$(sed -n 's/^#\([0-9][0-9]*\):* .*/\1/p' "$log" | tail -1)
	crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	ub=$(grep -o '[^ ]*: runtime error: .*' "$log" | sed 's/: runtime error: / /; s/ [-0-9.e+]* is outside/ is outside/' | sort -u)
	if [ -n "$ub" ]; then
		echo "not ok - fuzz $t: undefined behaviour (run went on: FUZZ_LENIENT), ${execs:-?} executions in ${secs} s"
		echo "$ub" | sed 's/^/#   UB at /'
	fi
	unsafe=$(sed -n 's/^unsafe message (lenient): //p' "$log" | sed 's/"[^"]*"/"..."/g; s/\\x[0-9a-f][0-9a-f]//g; s/[0-9][0-9]*/N/g' | cut -c1-100 | sort | uniq -c | sort -rn)
	if [ -n "$unsafe" ]; then
		echo "not ok - fuzz $t: unsafe error messages (run went on: FUZZ_LENIENT); their shapes:"
		echo "$unsafe" | head -30 | sed 's/^/#   /'
	fi
	if [ $rc -eq 0 ] && [ "$crashes" -eq 0 ]; then
		echo "ok - fuzz $t: ${execs:-?} executions in ${secs} s, 0 crashes"
	else
		keep=1
		echo "not ok - fuzz $t: exit $rc after ${execs:-?} executions, $crashes crash file(s) in $art"
		grep -E 'ERROR|SUMMARY|check failed|unsafe message:|deadly signal' "$log" | sed "s|$top/||g; s/==[0-9]*==//" |
			sort | uniq -c | sort -rn | head -8 | sed 's/^/#   /'
		ls "$art" | head -5 | sed 's/^/#   artifact: /'
	fi
}

regress_one() { # TARGET
	t=$1
	if ! bin=$(build "${CC_REPLAY:-cc}" replay "$t"); then
		echo "not ok - fuzz regressions $t: build failed"
		sed 's/^/#   /' "$out/replay-$t.log" | head -20
		return
	fi
	dirs=
	for d in "$here/regress/$t" "$here/corpus/$t"; do [ -d "$d" ] && dirs="$dirs $d"; done
	log=$out/replay-$t.$$.out
	# shellcheck disable=SC2086
	ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" $dirs > "$log" 2>&1
	rc=$?
	n=$(sed -n 's/^# replayed \([0-9]*\) files.*/\1/p' "$log")
	if [ $rc -eq 0 ]; then
		echo "ok - fuzz regressions $t: ${n:-0} inputs replayed (regress + corpus)"
		rm -f "$log"
	else
		echo "not ok - fuzz regressions $t: $(grep -c '^not ok ' "$log") of ${n:-?} inputs fail (log: $log)"
		grep '^not ok ' "$log" | sed "s|^not ok $top/|#   |" | head -20
		grep -E 'check failed|unsafe message|runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer' "$log" |
			sed "s|$top/||g" | sort | uniq -c | sort -rn | head -10 | sed 's/^/#   /'
	fi
}

case $mode in
long | short)
	if [ "$mode" = long ]; then secs=${FUZZ_SECONDS:-300}; else secs=${FUZZ_SHORT_SECONDS:-5}; fi
	if ! have_libfuzzer; then
		echo "ok - fuzz # SKIP no clang with libFuzzer (install clang and libclang-rt-14-dev)"
		exit 0
	fi
	run=$out/run-$$ keep=0
	kind=lf
	[ -n "${FUZZ_LENIENT:-}" ] && [ "$FUZZ_LENIENT" != 0 ] && kind=lflenient
	for t in $TARGETS; do build clang $kind "$t" > /dev/null & done   # builds side by side
	wait
	for t in $TARGETS; do fuzz_one "$t" "$secs"; done
	# a short run's scratch folder is kept only when something failed
	if [ "$mode" = short ]; then
		if [ $keep = 0 ]; then rm -rf "$run"; else echo "# logs and crash files: $run"; fi
	fi
	;;
regress)
	for t in $TARGETS; do build "${CC_REPLAY:-cc}" replay "$t" > /dev/null & done   # builds side by side
	wait
	for t in $TARGETS; do regress_one "$t"; done
	;;
*)
	echo "usage: sh tests/fuzz/run.sh long|short|regress" >&2
	exit 64
	;;
esac
exit 0
