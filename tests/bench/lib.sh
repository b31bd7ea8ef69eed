# tests/bench/lib.sh: helpers for benchmarks (sourced).
#   measure VAR CMD...  runs CMD, sets VAR_s (wall seconds) and VAR_kb (peak RSS)
#   ratio A B           prints A/B with two decimals
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
