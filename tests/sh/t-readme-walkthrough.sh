# t-readme-walkthrough.sh: the README's walkthrough ("Five minutes with
# goldset", up to "Where things are documented") run in order, as written,
# in the workspace `goldset demo --no-screen` makes: each command must exit
# 0 and print a report that is not empty. The commands that need a remote
# or a screen are skipped, and the ones the demo cannot take as written are
# adapted; both lists are below, and each entry must still match a README
# line (so the lists do not go stale).
. "$(dirname "$0")/lib.sh"
README="$TOP/README.md"
mkdir -p "$T/bin"
ln -s "$GS" "$T/bin/goldset"
PATH="$T/bin:$PATH"; export PATH
export TMPDIR="$T"

"$GS" demo --no-screen > "$T/demo.out" 2> "$T/err" </dev/null || { echo "Bail out! goldset demo --no-screen: $(cat "$T/err")"; exit 1; }
D=$(sed -n 's/^demo workspace: //p' "$T/demo.out")
[ -d "$D/.goldset" ] && ok "demo --no-screen builds a workspace and prints where" || { echo "Bail out! no workspace: $(cat "$T/demo.out")"; exit 1; }
grep -q "goldset agree --judge judge:demo-gpt" "$T/demo.out" && ok "demo --no-screen says what to try" || fail "demo --no-screen says what to try" "$(cat "$T/demo.out")"

# the walkthrough's shell blocks, one command a line (continuations joined)
awk '/^## Five minutes with goldset/ {on = 1; next}
     /^## Where things are documented/ {on = 0}
     on && /^```sh/ {blk = 1; next}
     on && /^```/ {blk = 0; next}
     on && blk {
       if (sub(/\\$/, "")) { cur = cur $0; next }
       print cur $0; cur = ""
     }' "$README" | sed 's/  *# .*$//; s/  */ /g' > "$T/walk"
[ "$(wc -l < "$T/walk")" -ge 20 ] && ok "the walkthrough has $(wc -l < "$T/walk") commands" || fail "walkthrough extracted" "$(cat "$T/walk")"

# skipped: PATTERN|why (a shell case pattern on the command)
cat > "$T/skip" <<'L'
goldset init support-eval*|makes a new workspace: the test works in the demo's
git remote add *|needs a remote
goldset import ~/exports/*|a file of your own: the demo's sets are imported already
goldset label *|opens the label screen
goldset pair *|opens the pair screen
goldset push*|needs a remote
git clone *|needs a remote
goldset pull*|needs a remote
goldset calibrate discuss *|opens the discuss screen
goldset review *|opens the review screen
promptfoo *|another tool's run: tests/sh/t-import-presets.sh runs promptfoo and imports its output
goldset import --from *|a file another tool wrote: tests/sh/t-import-presets.sh imports real ones
goldset import-labels --from *|a file another tool wrote: tests/sh/t-import-presets.sh imports real ones
L
# adapted: PATTERN|sed expression|why
cat > "$T/adapt" <<'L'
goldset calibrate start nov-cal *|s/nov-cal/try-cal/|the demo ships nov-cal labeled: the draw is tried under another name
L
# compare: the demo's systems are the arena's model-a and model-b, compared pairwise
echo "goldset compare new-prompt baseline *|s#new-prompt baseline --rubric support-answer#model-a model-b --rubric pairwise-preference --criterion helpful#|the demo's systems: the arena's models, compared pairwise on helpful" >> "$T/adapt"
echo "goldset agree --judge *judge:rubric-v*|s#judge:rubric-v\\*#judge:*#|the demo's judge is judge:demo-gpt" >> "$T/adapt"
echo 'cp judges/*|s#$# \&\& ls judges#|cp prints nothing: the folder is listed after it' >> "$T/adapt"
# the judge: a script in place of the README's LLM command (no network here)
printf '%s\n' 'cat > /dev/null' \
  'echo "{\"correctness\":4,\"relevance\":4,\"completeness\":3,\"clarity\":4,\"safety\":5}"' > "$T/judge.sh"
echo "goldset judge *--cmd *|s#--cmd '[^']*'#--cmd 'sh $T/judge.sh'#|no LLM command here: a script answers in its place" >> "$T/adapt"

matches() { # LINE PATTERN (a case pattern; its spaces and ~ are literal)
  p=$(printf '%s' "$2" | sed 's/[ ~]/\\&/g')
  eval "case \"\$1\" in $p) return 0 ;; esac"; return 1
}
in_readme() { # PATTERN: does a walkthrough command match it
  while IFS= read -r l; do matches "$l" "$1" && return 0; done < "$T/walk"; return 1
}
for f in skip adapt; do
  while IFS='|' read -r pat rest; do
    in_readme "$pat" && ok "$f list: '$pat' is a README command" || fail "$f list: '$pat' matches no README command"
  done < "$T/$f"
done

ran=0
cd "$D" || exit 1
while IFS= read -r cmd; do
  [ -n "$cmd" ] || continue
  skip=""
  while IFS='|' read -r pat why; do matches "$cmd" "$pat" && skip=$why && break; done < "$T/skip"
  if [ -n "$skip" ]; then echo "ok - skipped: $cmd # SKIP $skip"; continue; fi
  while IFS='|' read -r pat ex why; do
    matches "$cmd" "$pat" && { cmd=$(printf '%s\n' "$cmd" | sed "$ex"); echo "# adapted ($why): $cmd"; break; }
  done < "$T/adapt"
  sh -c "$cmd" > "$T/out" 2> "$T/err" < /dev/null; rc=$?
  ran=$((ran + 1))
  if [ $rc -ne 0 ]; then fail "$cmd" "exit $rc" "$(head -c 600 "$T/err")"; continue; fi
  if ! grep -q '[[:alnum:]]' "$T/out"; then fail "$cmd" "printed nothing" "$(head -c 600 "$T/err")"; continue; fi
  if grep -qiE "nothing to compare|no labels|no comparisons|no disagreements" "$T/out" "$T/err"; then
    fail "$cmd" "an empty report" "$(head -5 "$T/out")"; continue
  fi
  ok "$cmd ($(wc -l < "$T/out") lines)"
done < "$T/walk"

# what the demo must show, whatever the README says (figures from tools/demo-labels.py's files)
for c in "goldset agree --judge judge:demo-gpt" "goldset rank" "goldset calibrate report nov-cal" "goldset disagreements" \
	 "goldset agree --rubric support-answer"; do
  grep -q "^$c" "$T/walk" && ok "the walkthrough runs $c" || fail "the walkthrough runs $c"
done
[ $ran -ge 10 ] && ok "$ran commands ran" || fail "$ran commands ran, wanted at least 10"
"$GS" stats > "$T/stats"
grep -Eq "support-answer +32 items double-labeled \(2\+ raters\) of 40 labeled" "$T/stats" \
  && ok "stats: 32 of 40 support items double-labeled (bob's 32 lines)" || fail "stats: double-labeled" "$(cat "$T/stats")"
