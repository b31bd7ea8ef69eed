# t-docs.sh: the man pages render without a warning, document every command
# in the command table, and `make install` puts binary, man pages and the
# shipped rubrics under DESTDIR/PREFIX.
. "$(dirname "$0")/lib.sh"
for page in "$TOP"/man/*.[15]; do
  name=$(basename "$page")
  if ! command -v groff >/dev/null; then ok "man $name renders # SKIP no groff"; continue; fi
  groff -man -ww -Tutf8 "$page" > /dev/null 2> "$T/groff.err"
  [ ! -s "$T/groff.err" ] && ok "man $name renders without warnings" || fail "man $name" "$(head -5 "$T/groff.err")"
done
"$GS" --help > "$T/help"
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$TOP/man/goldset.1" > "$T/man.txt"
for c in $(awk '/^  [a-z]/ { print $1 }' "$T/help"); do
  grep -q "goldset $c" "$T/man.txt" && ok "man page documents $c" || fail "man page documents $c"
  "$GS" "$c" --help > /dev/null && ok "$c --help" || fail "$c --help"
done
make -s -C "$TOP" install DESTDIR="$T/inst" PREFIX=/usr > "$T/make.out" 2>&1
for f in usr/bin/goldset usr/share/man/man1/goldset.1 usr/share/man/man5/goldset-items.5 \
         usr/share/man/man5/goldset-rubric.5 usr/share/goldset/rubrics/support-answer.json; do
  [ -e "$T/inst/$f" ] && ok "make install: $f" || fail "make install: $f" "$(tail -5 "$T/make.out")"
done
