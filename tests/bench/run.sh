#!/bin/sh
# make bench: runs every benchmark script in tests/bench/ against ./goldset.
# Each script generates its own data, runs goldset and the tool a user would
# otherwise use on the same data, and prints ratios and peak memory.
# BENCH_ONLY=name runs only the scripts whose name contains it.
here=$(cd "$(dirname "$0")" && pwd)
export GOLDSET="${GOLDSET:-$here/../../goldset}"
for b in "$here"/*.sh; do
  case "$b" in */run.sh|*/lib.sh) continue ;; esac
  case "$(basename "$b")" in *"${BENCH_ONLY:-}"*) ;; *) continue ;; esac
  echo "=== $(basename "$b")"
  sh "$b" || echo "(benchmark $(basename "$b") failed: $?)"
done
