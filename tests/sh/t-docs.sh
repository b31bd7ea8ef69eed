# t-docs.sh: the man pages render without a warning, document every command
# in the command table, each command has its own page goldset-COMMAND(1)
# naming every option of its --help and made from the current goldset(1)
# and option tables (tools/manpages.sh), and `make install` puts binary,
# man pages and the shipped rubrics under DESTDIR/PREFIX.
. "$(dirname "$0")/lib.sh"
for page in "$TOP"/man/*.[15]; do
  name=$(basename "$page")
  if ! command -v groff >/dev/null; then ok "man $name renders # SKIP no groff"; continue; fi
  groff -man -ww -Tutf8 -z "$page" > /dev/null 2> "$T/groff.err"
  [ ! -s "$T/groff.err" ] && ok "man $name renders without warnings" || fail "man $name" "$(head -5 "$T/groff.err")"
done
"$GS" --help > "$T/help"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$TOP/man/goldset.1" > "$T/man.txt"
for c in $(awk '/^  [a-z]/ { print $1 }' "$T/help"); do
  grep -q "goldset $c" "$T/man.txt" && ok "man page documents $c" || fail "man page documents $c"
  "$GS" "$c" --help > /dev/null && ok "$c --help" || fail "$c --help"
done
# the page of each command: there, with every option of its --help, current
mkdir -p "$T/pages"
sh "$TOP/tools/manpages.sh" "$GS" "$T/pages" 2> "$T/err" || fail "tools/manpages.sh" "$(head -3 "$T/err")"
for c in $(awk '/^  [a-z]/ { print $1 }' "$T/help"); do
  page="$TOP/man/goldset-$c.1"
  [ -f "$page" ] || { fail "goldset-$c.1 exists"; continue; }
  grep -q "^\.SH SYNOPSIS" "$page" && grep -q "^\.SH EXAMPLES" "$page" && grep -q "^\.SH SEE ALSO" "$page" \
    && ok "goldset-$c.1: synopsis, examples, see also" || fail "goldset-$c.1 sections"
  sed 's/\\-/-/g; s/\\f[BIRP]//g' "$page" > "$T/page.txt"
  missing=$("$GS" "$c" --help | grep -E '^    -' | awk '{ print $1, $2 }' | grep -oE -- '--?[a-z][-a-z]*' | sort -u |
    while read -r o; do grep -qe "$o" "$T/page.txt" || printf '%s ' "$o"; done)
  [ -z "$missing" ] && ok "goldset-$c.1 names every option" || fail "goldset-$c.1 lacks options" "$missing"
  cmp -s "$page" "$T/pages/goldset-$c.1" && ok "goldset-$c.1 is current (make man)" \
    || fail "goldset-$c.1 is not what make man writes" "$(diff "$page" "$T/pages/goldset-$c.1" | head -5)"
done
make -s -C "$TOP" install DESTDIR="$T/inst" PREFIX=/usr > "$T/make.out" 2>&1
for f in usr/bin/goldset usr/share/man/man1/goldset.1 usr/share/man/man1/goldset-agree.1 \
         usr/share/man/man1/goldset-merge-driver.1 usr/share/man/man5/goldset-items.5 \
         usr/share/man/man5/goldset-rubric.5 usr/share/goldset/rubrics/support-answer.json; do
  [ -e "$T/inst/$f" ] && ok "make install: $f" || fail "make install: $f" "$(tail -5 "$T/make.out")"
done
