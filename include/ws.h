/* ws.h: the workspace (HACKING "The workspace"): finding
 * it by walking up from the current folder (or -C DIR), creating it, and
 * opening its store with the rubrics of rubrics/ loaded. Used by commands;
 * it prints warnings about broken rubric files to stderr. */
#ifndef GOLDSET_WS_H
#define GOLDSET_WS_H
#include "cmd.h"
#include "rubric.h"
#include "store.h"

struct ws {
	char *root;        /* the workspace folder */
	store *st;
};

/* finds the workspace from ctx->dir or the current folder and opens it
 * for a command that saves: a workspace that cannot be written (read-only,
 * a full disk) is refused in one line (EX_IOERR) */
int ws_open(const struct gs_ctx *ctx, struct ws *w, struct gs_err *e);
/* the same for a command that only reads: when the workspace cannot be
 * written, its store is opened read-only (no migrations, no repairs of
 * golden/, rubrics/ not synced) and one line on stderr says that nothing
 * can be saved */
int ws_open_read(const struct gs_ctx *ctx, struct ws *w, struct gs_err *e);
/* creates or adopts a workspace in dir: git repository, .goldset/, golden/,
 * rubrics/ seeded with the shipped rubrics (never overwriting), .gitignore;
 * then loads golden/, rubrics/ and labels/ into the store. *created: 1 new.
 * When libgit2 cannot be loaded, nothing is created (EX_UNAVAILABLE). */
int ws_init(const char *dir, struct ws *w, int *created, struct gs_err *e);
void ws_close(struct ws *w);
/* the workspace folder holding .goldset/goldset.db: start or a parent (malloc'd) */
int ws_find_root(const char *start, char **root, struct gs_err *e);
char *ws_path(const struct ws *w, const char *rel);      /* malloc'd */

/* the rubric named, or the default one (--rubric absent): the setting
 * "rubric", else the only rubric of that mode; mode NULL: any */
int ws_rubric(struct ws *w, const char *name, const char *mode, struct rubric **out, struct gs_err *e);
/* the rubric named, or by default a single-mode one, else one of any mode
 * (the error is the single-mode one's) */
int ws_rubric_single_first(struct ws *w, const char *name, struct rubric **out, struct gs_err *e);
/* loads rubrics/NAME.json files whose text changed into the store */
int ws_sync_rubrics(struct ws *w, struct gs_err *e);
/* the rubric a screen of that mode works with: with --batch NAME the
 * batch's, refusing a --rubric that differs (EX_USAGE) and a rater not in
 * the batch (EX_NOPERM); else ws_rubric(rubric_opt, mode) */
int ws_screen_rubric(struct ws *w, const char *batch, const char *rubric_opt, const char *rater,
		     const char *mode, struct rubric **out, struct gs_err *e);
/* the rater name: --as value, or the login name */
const char *ws_rater(const char *as);
/* 0 when that rater name can be a name (jsoncheck.h), else EX_USAGE after
 * one line on stderr */
int ws_rater_check(const char *as);
#endif
