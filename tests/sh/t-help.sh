# t-help.sh: `goldset COMMAND --help` (and -h) for every command of
# `goldset --help`'s list: exit 0, the usage, one line per option, an
# example; the options of the help lines (printed from the command's option
# table, see tests/unit/test_options.c) are exactly those of its usage line.
# `goldset help COMMAND` prints the same without a terminal, and opens the
# man page in one (a stand-in `man` on PATH records what it was asked).
. "$(dirname "$0")/lib.sh"
"$GS" --help > "$T/list"
cmds=$(awk '/^  [a-z]/ { print $1 }' "$T/list")
[ -n "$cmds" ] && ok "goldset --help lists commands" || fail "goldset --help lists commands" "$(cat "$T/list")"
# the -x and --name words of a text, one a line, sorted
opt_words() { grep -oE '(^|[][ |])--?[a-z][-a-z]*' | sed 's/^[][ |]*//' | sort -u; }
for c in $cmds; do
  "$GS" "$c" --help > "$T/help" 2> "$T/err"; rc=$?
  [ $rc -eq 0 ] && [ ! -s "$T/err" ] && ok "$c --help exits 0" || fail "$c --help exits 0" "exit $rc" "$(cat "$T/err")"
  "$GS" "$c" -h > "$T/h" 2>&1
  cmp -s "$T/help" "$T/h" && ok "$c -h is --help" || fail "$c -h is --help" "$(diff "$T/help" "$T/h" | head -5)"
  grep -q "^usage: goldset $c" "$T/help" && grep -q '^example: ' "$T/help" && ok "$c --help: usage and example" \
    || fail "$c --help: usage and example" "$(cat "$T/help")"
  sed -n '1,/^$/p' "$T/help" | opt_words > "$T/in-usage"
  grep -E '^    -' "$T/help" | awk '{ print $1, $2 }' | opt_words > "$T/in-lines"
  # an option with a letter and a name ("-n, --max-count N") may be in the usage either way
  grep -E '^    -[a-z], --' "$T/help" | awk '{ sub(",", "", $1); print $1, $2 }' > "$T/pairs"
  while read -r short long; do
    grep -qx -- "$short" "$T/in-usage" || grep -qx -- "$long" "$T/in-usage" || continue
    printf '%s\n%s\n' "$short" "$long" >> "$T/in-usage"
  done < "$T/pairs"
  sort -u -o "$T/in-usage" "$T/in-usage"
  cmp -s "$T/in-usage" "$T/in-lines" && ok "$c --help has a line for each option of its usage, and no other" \
    || fail "$c --help: options of the usage vs the option lines" "$(diff "$T/in-usage" "$T/in-lines")"
done
for s in start show report discuss; do
  expect_exit 0 "calibrate $s --help" "$GS" calibrate "$s" --help
  grep -q "^usage: goldset calibrate $s" "$T/out" && ok "calibrate $s --help: its own usage" || fail "calibrate $s --help" "$(cat "$T/out")"
done
expect_exit 64 "an unknown option: 64" "$GS" log --frobnicate
grep -q '^goldset log: unknown option --frobnicate$' "$T/err" && grep -q '^usage: goldset log' "$T/err" \
  && ok "an unknown option: one line and the usage" || fail "unknown option message" "$(cat "$T/err")"
expect_exit 64 "a missing value: 64" "$GS" export --rubric
grep -q '^goldset export: --rubric needs a value$' "$T/err" && ok "a missing value: said" || fail "missing value" "$(cat "$T/err")"

# goldset help without a terminal: the --help text
"$GS" label --help > "$T/label-help"
"$GS" help label > "$T/out" 2> "$T/err" < /dev/null; rc=$?
[ $rc -eq 0 ] && cmp -s "$T/out" "$T/label-help" && ok "help label without a terminal prints label --help" \
  || fail "help label without a terminal" "exit $rc" "$(cat "$T/err")" "$(head -3 "$T/out")"
expect_exit 0 "help without a command" "$GS" help
cmp -s "$T/out" "$T/list" && ok "help without a command lists the commands" || fail "help lists" "$(head -3 "$T/out")"
expect_exit 64 "help of an unknown command: 64" "$GS" help frobnicate
expect_exit 0 "help --help" "$GS" help --help

# in a terminal: man, goldset-COMMAND(1) when it exists, else goldset(1)
mkdir -p "$T/bin"
cat > "$T/bin/man" <<'EOF'
#!/bin/sh
echo "man $*" >> "$MANLOG"
case "$1 $2 $3" in "-w 1 goldset-pair") exit 0 ;; "-w 1 goldset") exit 0 ;; -w*) exit 16 ;; esac
echo "MANPAGE $*"
EOF
chmod +x "$T/bin/man"
if command -v script > /dev/null; then
  tty_help() { MANLOG="$T/manlog" PATH="$T/bin:$PATH" script -qec "$GS help $1" /dev/null > "$T/out" 2>&1; }
  tty_help label
  grep -q "MANPAGE 1 goldset" "$T/out" && ! grep -q "usage:" "$T/out" && ok "help label in a terminal opens man goldset" \
    || fail "help label in a terminal" "$(cat "$T/out")" "$(cat "$T/manlog" 2>/dev/null)"
  tty_help pair
  grep -q "MANPAGE 1 goldset-pair" "$T/out" && ok "help pair in a terminal opens goldset-pair(1) when it exists" \
    || fail "help pair in a terminal" "$(cat "$T/out")"
  rm "$T/bin/man"
  sc=$(command -v script)
  PATH="$T/bin:/nonexistent" "$sc" -qec "$GS help label" /dev/null > "$T/out" 2>&1
  grep -q "^usage: goldset label" "$T/out" && ok "help label in a terminal without man prints --help" \
    || fail "help label without man" "$(cat "$T/out")"
else
  ok "help in a terminal # SKIP no script(1)"
fi

# the real man and the pages of man/: help COMMAND in a terminal shows goldset-COMMAND(1)
if command -v script > /dev/null && command -v man > /dev/null && [ -x /usr/bin/man ]; then
  mkdir -p "$T/share/man/man1" && cp "$TOP"/man/*.1 "$T/share/man/man1/"
  for c in agree import-labels calibrate; do
    up=$(printf %s "$c" | tr a-z A-Z)
    MANPATH="$T/share/man" MANPAGER=cat PAGER=cat MANWIDTH=80 script -qec "$GS help $c" /dev/null > "$T/out" 2>&1
    grep -q "GOLDSET-$up(1)" "$T/out" && grep -q "goldset-$c - " "$T/out" && ok "help $c in a terminal shows goldset-$c(1)" \
      || fail "help $c shows its page" "$(head -5 "$T/out")"
  done
else
  ok "help shows the page # SKIP no man or script"
fi
