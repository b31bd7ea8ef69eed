#!/bin/sh
# tools/lint.sh: the layer rules, checked by grep (run by `make check`).
# Prints one line per breach and exits 1 if there is any. The rules
# (HACKING.md, "Layers"):
#   - a file in src/L/ or include/L/ includes only headers of its own layer
#     or of a layer below it: base < model < store, vcs, stats < app <
#     report, tui < cmd (layers on one step do not include each other);
#   - sqlite3.h only in store/, git2.h only in vcs/, curses only in tui/;
#   - one hash table (GLib's GHashTable, XXH3 keys), one growable array
#     (GArray / GPtrArray, no xrealloc outside base/mem.c), one option parser
#     (getopt_long in src/cmd/parse.c), one RNG (base/rng.c); screens
#     never call the store;
#   - no include cycle between modules; no issue numbers in code; every
#     file starts with a comment saying what it is for.
cd "$(dirname "$0")/.." || exit 2
bad=0
say() { echo "lint: $*"; bad=1; }
rank() {
	case $1 in
	base) echo 0 ;; model) echo 1 ;; store | vcs | stats) echo 2 ;;
	app) echo 3 ;; report | tui) echo 4 ;; cmd) echo 5 ;; *) echo 9 ;;
	esac
}
layer_of() { # path -> its layer (the folder below src/ or include/)
	echo "$1" | sed -E 's,^(src|include)/([^/]+)/.*,\2,'
}
files=$(ls src/*/*.[ch] include/*/*.h 2> /dev/null)
for f in $files; do
	l=$(layer_of "$f"); r=$(rank "$l")
	[ "$r" = 9 ] && say "$f: not in a layer folder"
	for h in $(sed -n 's/^#include "\([a-z]*\)\/[^"]*".*/\1/p' "$f" | sort -u); do
		[ "$h" = "$l" ] && continue
		hr=$(rank "$h")
		[ "$hr" -lt "$r" ] || say "$f includes a $h/ header ($h is not below $l)"
	done
	grep -q '^#include "[^/"]*"' "$f" && [ "$l" != gen ] &&
		say "$f: includes a header without its layer folder"
	head -c 2 "$f" | grep -q '/\*' || say "$f: does not start with a comment saying what it is for"
done
only_in() { # pattern folder what
	grep -lE "$1" $files | grep -v "^src/$2/\|^include/$2/" | while read -r f; do
		echo "lint: $f: $3 outside $2/"
	done
}
out=$(only_in '#include <sqlite3\.h>' store "sqlite3.h"
	only_in '#include <git2' vcs "git2.h"
	only_in '#include <n?cursesw?(/curses)?\.h>' tui "curses")
[ -n "$out" ] && { echo "$out"; bad=1; }
# one of each
out=$(grep -nE '\bgetopt(_long)?\(' $files | grep -v '^src/cmd/parse\.c:')
[ -n "$out" ] && say "a second option parser: $out"
out=$(grep -nE 'strn?cmp\(argv\[' $files | grep -v '^src/cmd/parse\.c:')
[ -n "$out" ] && say "an option loop outside src/cmd/parse.c: $out"
# a hash function or hash table of our own: FNV/murmur/djb2 constants, a
# second splitmix, open addressing by hand (slot = hash & (cap - 1))
out=$(grep -niE '\bfnv|0x100000001b3|0xcbf29ce484222325|murmur|djb2|0x9e3779b97f4a7c15|& *\(?[a-z_>.-]*cap *- *1\)' $files |
	grep -v '^src/base/rng\.c:')
[ -n "$out" ] && say "a second hash function or hash table (use GHashTable with gs_str_hash / gs_hash64): $out"
# one growable array (GArray / GPtrArray): no array grown by hand with
# xrealloc; a block resized to an exact size says so ("exact size")
out=$(grep -nE '\bx?realloc\(' $files | grep -v '^src/base/mem\.c:\|^include/base/mem\.h:' | grep -v 'exact size')
[ -n "$out" ] && say "an array grown by hand (use GArray / GPtrArray): $out"
# screens draw and map keys: what they do goes through app/ (no store call)
out=$(grep -nE '\bstore_[a-z_]+\(' src/tui/*.c)
[ -n "$out" ] && say "a screen calls the store (go through app/session.h): $out"
out=$(grep -nE '[Ii]ssue ?#?[0-9]+' $files tests/unit/*.c tests/sh/*.sh Makefile)
[ -n "$out" ] && say "issue numbers in code: $out"
# no cycle between modules (a module: a .c and its header)
deps=$(for f in src/*/*.c include/*/*.h; do
	m=$(basename "$f" | sed 's/\.[ch]$//; s/_impl$//')
	sed -n 's/^#include "[a-z]*\/\([^"]*\)\.h".*/\1/p' "$f" | while read -r d; do
		d=${d%_impl}; [ "$d" != "$m" ] && echo "$m $d"
	done
done | sort -u)
cyc=$(echo "$deps" | tsort 2>&1 > /dev/null | grep -v '^tsort: -:')
[ -n "$cyc" ] && say "include cycle between modules:" $cyc
exit $bad
