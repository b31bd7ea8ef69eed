# t-agree-crosscheck.sh: runs tests/crosscheck/agree_check.py, which
# compares `goldset agree --table --json` on a few hundred random tables with
# statsmodels, sklearn and nltk (Debian's python3-* packages, run with
# /usr/bin/python3). Its TAP lines pass through; skipped when the modules
# are missing.
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import numpy, statsmodels, sklearn, nltk' 2>/dev/null; then
  ok "agree cross-check against statsmodels/sklearn/nltk # SKIP /usr/bin/python3 lacks numpy, statsmodels, sklearn or nltk"
  exit 0
fi
# 160 tables keep this near 10 s on the sanitizer build (about 3,000 comparisons)
GOLDSET="$GS" "$py" "$TOP/tests/crosscheck/agree_check.py" 160 20261122 > "$T/check.out" 2>&1
rc=$?
cat "$T/check.out"
if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$T/check.out"; then
  fail "agree_check.py exited $rc" "$(tail -5 "$T/check.out")"
fi
exit 0
