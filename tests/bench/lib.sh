# tests/bench/lib.sh: helpers for benchmarks (sourced).
#   measure VAR CMD...  runs CMD, sets VAR_s (wall seconds) and VAR_kb (peak RSS)
#   ratio A B           prints A/B with two decimals
#   bench_cc OUT SRC... builds a C program of tests/bench against goldset's
#                       own objects (make's build/rel), as an archive so that
#                       only the objects it needs are linked
GS=${GOLDSET:-./goldset}
case "$GS" in /*) ;; *) GS="$(pwd)/$GS" ;; esac
B=$(mktemp -d /tmp/gsbench.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$B"' EXIT
export HOME="$B/home"; mkdir -p "$HOME"
measure() {
  var=$1; shift
  /usr/bin/time -f "%e %M" -o "$B/time" "$@" > "$B/out" 2> "$B/err" || { echo "failed: $*"; cat "$B/err"; }
  read -r s kb < "$B/time"
  eval "${var}_s=$s ${var}_kb=$kb"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 0.001; printf "%.2f", a / b }'; }
TOP=$(cd "$(dirname "$0")/../.." && pwd)
bench_cc() {
  out=$1; shift
  pkgs="ncursesw sqlite3 libcjson libxxhash glib-2.0 libutf8proc libgit2"   # as the Makefile's, and libcsv
  [ -f "$B/libgs.a" ] || ar rcs "$B/libgs.a" $(cd "$TOP" && for c in src/*.c src/*/*.c build/gen/embedded.c; do
    case "$c" in */main.c) ;; *) [ -f "$c" ] && echo "$TOP/build/rel/${c%.c}.o" ;; esac; done)   # the objects of today's sources
  cc -std=c11 -O2 -D_GNU_SOURCE -I"$TOP/include" $(pkg-config --cflags $pkgs) -o "$out" "$@" "$B/libgs.a" \
    $(pkg-config --libs $pkgs) -lcsv -lm
}
