#!/bin/sh
# fake-judge.sh: a stand-in for an LLM judge command, for tests/sh/t-judge.sh
# and tests/bench/judge.sh. Reads the prompt on stdin, appends one line
# per call to $FAKE_LOG (when set: the prompt's checksum) and answers by
# what the prompt holds, deterministically:
#   MODE:garbage  prose, no JSON          MODE:range  a value the rubric refuses
#   MODE:slow     answers after $FAKE_SLOW s (default 1)
#   MODE:hang     never answers           MODE:exit   exits 3, a line on stderr
#   MODE:fence    a ```json block inside prose
#   MODE:flaky    fails the first call ($FAKE_LOG counts), answers after
#   a pairwise prompt ("Answer A:")  prefers the shorter answer
#   anything else: {"ok": "yes", "stars": 1 + checksum mod 5, "comment": ...}
p=$(cat)
sum=$(printf '%s' "$p" | cksum | cut -d' ' -f1)
[ -n "$FAKE_LOG" ] && echo "$sum" >> "$FAKE_LOG"
case "$p" in
*MODE:garbage*) echo "I think this answer is pretty good, 4 stars." ;;
*MODE:range*) echo '{"ok":"yes","stars":9}' ;;
*MODE:slow*) sleep "${FAKE_SLOW:-1}"; echo '{"ok":"no","stars":2}' ;;
*MODE:hang*) sleep 1000 ;;
*MODE:exit*) echo "rate limited, try later" >&2; exit 3 ;;
*MODE:fence*) printf 'Sure, here is my grading:\n```json\n{"ok":"no","stars":2,"comment":"fenced"}\n```\nHope it helps.\n' ;;
*MODE:flaky*)
  if [ "$(grep -c "^$sum\$" "$FAKE_LOG")" -lt 2 ]; then echo "overloaded" >&2; exit 1; fi
  echo '{"ok":"yes","stars":5}' ;;
*"Answer A:"*)
  a=${p#*Answer A:}; a=${a%%Answer B:*}; b=${p#*Answer B:}; b=${b%%Reply with*}
  if [ ${#a} -le ${#b} ]; then w=A; else w=B; fi
  echo "{\"better\":\"$w\",\"comment\":\"shorter\"}" ;;
*) echo "{\"ok\":\"yes\",\"stars\":$((sum % 5 + 1)),\"comment\":\"fine\"}" ;;
esac
