/* ws.h: the workspace (HACKING "The workspace"): finding it by walking
 * up from a folder, its paths, the rubrics of rubrics/ kept in the store
 * and the rubric and rater a command works with (opening and creating it:
 * workspace.h). It prints warnings about broken rubric files to stderr. */
#ifndef GOLDSET_WS_H
#define GOLDSET_WS_H
#include "model/rubric.h"
#include "store/store.h"

struct ws {
	char *root;        /* the workspace folder */
	store *st;
};

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
