# t-graphemes.sh: grapheme clusters on the label screen, read back through
# tmux capture-pane: an emoji ZWJ sequence (👨‍👩‍👧), a flag (🇫🇷), a
# combining accent and a wide character are drawn as themselves, each in
# the columns tmux gives it (the text after them is not shifted), while a
# joiner outside an emoji sequence and a bidi override stay escaped.
. "$(dirname "$0")/lib.sh"
command -v tmux >/dev/null 2>&1 || { echo "ok - # SKIP tmux not installed"; exit 0; }
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || { echo "ok - # SKIP no C.UTF-8 locale"; exit 0; }
export LC_ALL=C.UTF-8
ws
cd "$T/ws"
FAMILY=$(printf '\360\237\221\250\342\200\215\360\237\221\251\342\200\215\360\237\221\247')
FLAG=$(printf '\360\237\207\253\360\237\207\267')
EACUTE=$(printf 'e\314\201')
KAN=$(printf '\346\274\242')
cat > rubrics/g.json <<'J'
{"name":"g","version":1,"mode":"single","criteria":[{"id":"ok","type":"binary","question":"Is it ok?","labels":["no","yes"]}]}
J
# the same text as JSON escapes: \u200d joiners, \u202e an override
printf '%s\n' '{"id":"g-1","input":"family","output":"A\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67B flag:C\ud83c\uddeb\ud83c\uddf7D accent:e\u0301| kan:\u6f22| join:x\u200dy| rlo:\u202eabc 4:\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66| tone:\ud83d\udc4d\ud83c\udffd| dev:\u0915\u093f| flags:\ud83c\uddeb\ud83c\uddf7\ud83c\udde9|"}' > "$T/g.jsonl"
"$GS" import "$T/g.jsonl" --set g > /dev/null 2>&1 || { echo "Bail out! import failed"; exit 1; }

S=g
tm_start g 100 30 "cd '$T/ws' && LC_ALL=C.UTF-8 exec $GS label --rubric g --as ann 2>>'$T/err-g.log'"
shows() { tm_screen g | grep -qF -- "$1"; }
expect() { # NAME CONDITION-COMMAND... (a failure prints the screen)
  n=$1; shift
  if "$@"; then ok "$n"; else fail "$n" "$(tm_screen g 2>/dev/null | head -30)"; fi
}
expect "the item is shown" tm_wait g "flag:"
# ncurses and tmux agree on the columns: the letters around each cluster sit
# right against it, nothing shifted or overwritten
expect "a ZWJ family emoji is drawn as itself, in two columns" shows "A${FAMILY}B flag:"
WOMAN=$(printf '\360\237\221\251')
expect "no joiner of it is escaped" sh -c "! tmux -L '$TM_SOCK' capture-pane -p -t g | grep -qF '<U+200D>$WOMAN'"
expect "a flag is drawn as itself, in two columns" shows "C${FLAG}D accent:"
expect "a combining accent stays on its letter" shows "accent:${EACUTE}| kan:${KAN}| join:"
expect "a joiner between letters is escaped" shows "join:x<U+200D>y"
expect "a bidi override is escaped" shows "rlo:<U+202E>abc"
# The divider of the two panes is drawn after the text by a cursor move: it
# lands in the same column on every row only if ncurses and tmux gave the
# clusters the same widths. tmux measures each row's text before it.
cols_of() { # TEXT: the columns tmux gives TEXT (printed in a pane of its own)
  printf '%s@@' "$1" > "$T/measure"
  tm new-session -d -s m -x 200 -y 5 "cat '$T/measure'; sleep 30"
  tm_wait m "@@" && echo $(($(tm display -p -t m '#{cursor_x}') - 2))
  tm kill-session -t m
}
screen=$(tm_screen g)
ref=$(printf '%s\n' "$screen" | grep -F "INPUT" | head -1)
n=0
for pat in "A${FAMILY}B" "rlo:"; do
  row=$(printf '%s\n' "$screen" | grep -F -- "$pat" | head -1)
  a=$(cols_of "${row%%│*}") b=$(cols_of "${ref%%│*}")
  if [ -n "$a" ] && [ "$a" = "$b" ]; then n=$((n + 1)); else fail "the divider after \"$pat\" is in column $b" "got $a: $row"; fi
done
[ $n -eq 2 ] && ok "the divider stays in its column after the clusters (ncurses and tmux agree on widths)"
tm_keys g q
