#!/bin/sh
# Runs every test and ends with one line "N passed, N failed".
# Arguments: the cmocka unit-test programs.  Then every tests/sh/t-*.sh.
# All tests speak TAP ("ok ..." / "not ok ..."); this script counts them.
# $GOLDSET names the binary under test (the sanitizer build in `make check`).
# T_ONLY=pattern runs only the shell tests whose name matches.
here=$(cd "$(dirname "$0")" && pwd)
export GOLDSET="${GOLDSET:-$here/../goldset}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=99}"
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export CMOCKA_MESSAGE_OUTPUT=TAP
export NO_COLOR=
unset NO_COLOR
log=$(mktemp -d)/tests.log
pass=0; fail=0
count() { # file: adds its ok / not ok lines to the totals
  p=$(grep -c '^ok ' "$1"); f=$(grep -c '^not ok ' "$1")
  pass=$((pass + p)); fail=$((fail + f))
}
run_one() { # name command...
  name=$1; shift
  out=$(mktemp)
  "$@" > "$out" 2>&1
  rc=$?
  cat "$out" >> "$log"
  if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$out"; then
    echo "not ok - $name exited $rc" >> "$out"
    echo "--- $name exited $rc; its output:"; tail -40 "$out"
  fi
  # each failure with the first lines of what it said
  awk -v n="$name" '/^not ok /{print n ": " $0; k=8; next} k>0 && /^#/{print n ":   " $0; k--; next} {k=0}' "$out"
  count "$out"
  rm -f "$out"
}
for t in "$@"; do
  [ -n "$T_ONLY" ] && continue
  run_one "$(basename "$t")" "$t"
done
# shell tests run JOBS at a time (default: the number of cores), each into
# its own log; their results are then read in name order
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
logdir=$(mktemp -d)
for t in "$here"/sh/t-*.sh; do
  [ -e "$t" ] || continue
  case "$(basename "$t")" in *"$T_ONLY"*) ;; *) continue ;; esac
  echo "$t"
done | xargs -P "$jobs" -I{} sh -c 'n=$(basename "$1"); sh "$1" > "$2/$n.log" 2>&1; echo $? > "$2/$n.rc"' _ {} "$logdir"
for f in "$logdir"/*.log; do
  [ -e "$f" ] || continue
  name=$(basename "$f" .log)
  run_one "$name" sh -c 'cat "$1"; exit "$(cat "$2")"' _ "$f" "$logdir/$name.rc"
done
rm -rf "$logdir"
echo "(full log: $log)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
