/* rebuild.h: `goldset init --rebuild`: replacing a store that cannot be
 * trusted (empty, truncated, foreign, damaged) by one loaded from the
 * workspace's files, with what the old file still gives read back in. */
#ifndef GOLDSET_REBUILD_H
#define GOLDSET_REBUILD_H
#include "app/ws.h"

/* moves .goldset/goldset.db (and its -wal, -shm) of the workspace at or
 * above dir aside to .goldset/goldset.db.broken-TIMESTAMP (never deleted),
 * creates a new store from golden/, rubrics/ and labels/ as `init` does in
 * a clone, then recovers every row of the old file that the files do not
 * hold (store_salvage). Prints one line each: what was moved, what the
 * files gave, what was recovered, what could not be. On failure the old
 * file is put back as it was. w is the open workspace on success. */
int ws_rebuild(const char *dir, struct ws *w, struct gs_err *e);
#endif
