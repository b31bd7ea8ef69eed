# t-fuzz.sh: the fuzz targets in `make check`. Two parts:
#   - regressions: every input in tests/fuzz/regress/<target>/ (crashes and
#     broken promises found by fuzzing) and the seed corpus
#     tests/fuzz/corpus/<target>/ replayed through each target under gcc's
#     AddressSanitizer + UBSan (tests/fuzz/replay.c): no clang needed;
#   - a short fuzz run of each target (FUZZ_SHORT_SECONDS, 5 s) under
#     libFuzzer, skipped when clang's libFuzzer is not installed.
# `make fuzz` is the long run (tests/fuzz/run.sh long, FUZZ_SECONDS each).
. "$(dirname "$0")/lib.sh"
sh "$TOP/tests/fuzz/run.sh" regress
sh "$TOP/tests/fuzz/run.sh" short
