# t-lint.sh: tools/lint.sh (run by `make check`) passes on the tree and
# fails, naming the file, on each rule it guards: a layer including a
# header above it, sqlite3.h / git2.h / curses outside their folder, a
# second option parser, a second hash function, an array grown by hand
# with xrealloc, a screen calling the
# store, an include cycle, an issue number in code.
. "$(dirname "$0")/lib.sh"
if sh "$TOP/tools/lint.sh" > "$T/out" 2>&1; then ok "the tree passes the lint"; else fail "lint on the tree" "$(head -5 "$T/out")"; fi
# breach FILE LINE WHAT [SAYS]: a copy of the tree with LINE appended to
# FILE must fail, naming FILE (or saying SAYS)
breach() {
  rm -rf "$T/tree"; mkdir -p "$T/tree"
  cp -r "$TOP/src" "$TOP/include" "$TOP/tools" "$T/tree/"
  mkdir -p "$T/tree/tests"; cp -r "$TOP/tests/unit" "$TOP/tests/sh" "$T/tree/tests/"; cp "$TOP/Makefile" "$T/tree/"
  printf '%s\n' "$2" >> "$T/tree/$1"
  if sh "$T/tree/tools/lint.sh" > "$T/out" 2>&1; then fail "lint catches $3" "passed"
  elif grep -q "${4:-$1}" "$T/out"; then ok "lint catches $3"
  else fail "lint catches $3 (naming ${4:-$1})" "$(head -3 "$T/out")"; fi
}
breach src/store/store.c '#include "app/session.h"' "the store including an app header"
breach src/base/text.c '#include "model/items.h"' "base including a model header"
breach src/tui/widgets.c '#include "report/agreeview.h"' "a screen including a report header (same step)"
breach src/app/ws.c '#include <sqlite3.h>' "sqlite3.h outside store/"
breach src/app/sync.c '#include <git2.h>' "git2.h outside vcs/"
breach src/report/agreeview.c '#include <curses.h>' "curses outside tui/"
breach src/cmd/cmd-log.c 'static int f(int c, char **v) { return getopt_long(c, v, "", 0, 0); }' "a second option parser"
breach src/cmd/cmd-diff.c 'static int g(char **argv) { return strcmp(argv[1], "--x"); }' "an option loop outside parse.c"
breach src/app/ingest.c 'static unsigned long long h = 0xcbf29ce484222325ULL;' "an FNV hash"
breach src/model/items.c 'static int slot(unsigned h, unsigned cap) { return h & (cap - 1); }' "a hand-made hash table"
breach src/tui/label.c 'static void x(void) { store_close(0); }' "a screen calling the store"
breach src/app/rank.c 'static void grow(int **v, size_t n) { *v = xrealloc(*v, (n + 1) * sizeof **v); }' "an array grown by hand"
breach include/base/mem.h '#include "base/util.h"' "an include cycle" "cycle.*mem"
breach src/app/calib.c "/* see iss""ue 12 */" "an issue number in code"
