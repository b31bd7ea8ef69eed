/* workspace.h: opening a workspace for a command (found from -C DIR or
 * the current folder) and creating one (`goldset init`). */
#ifndef GOLDSET_WORKSPACE_H
#define GOLDSET_WORKSPACE_H
#include "app/ws.h"

/* finds the workspace from dir (NULL: the current folder) and opens it
 * for a command that saves: a workspace that cannot be written (read-only,
 * a full disk) is refused in one line (EX_IOERR) */
int workspace_open(const char *dir, struct ws *w, struct gs_err *e);
/* the same for a command that only reads: when the workspace cannot be
 * written, its store is opened read-only (no migrations, no repairs of
 * golden/, rubrics/ not synced) and one line on stderr says that nothing
 * can be saved */
int workspace_open_read(const char *dir, struct ws *w, struct gs_err *e);
/* creates or adopts a workspace in dir: git repository, .goldset/, golden/,
 * rubrics/ seeded with the shipped rubrics (never overwriting), .gitignore;
 * then loads golden/, rubrics/ and labels/ into the store. *created: 1 new.
 * When libgit2 cannot be loaded, nothing is created (EX_UNAVAILABLE). */
int workspace_init(const char *dir, struct ws *w, int *created, struct gs_err *e);
#endif
