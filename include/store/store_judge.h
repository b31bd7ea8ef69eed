/* store_judge.h: what `goldset judge` remembers of its calls
 * (src/store/store_judge.c): one row per call that ended, answered (the
 * label row it saved) or failed (why, and the judge's raw output). The
 * answered ones are keyed by (judge, rubric, item content hash, rendered
 * prompt hash): an unchanged item under an unchanged prompt is never sent
 * again, and a changed prompt makes every key new. A local cache: the
 * answers themselves are labels and travel through git as labels do. */
#ifndef GOLDSET_STORE_JUDGE_H
#define GOLDSET_STORE_JUDGE_H
#include "store/store.h"

struct store_judge_call {
	const char *judge, *rubric, *ext_id;
	const char *item_hash, *prompt_hash;
	const char *left_sys, *right_sys;   /* pairwise: the systems shown as A and B; NULL otherwise */
	int ok;                             /* 1: answered, label_id saved */
	long long label_id;
	const char *error, *raw;            /* a failure: why, and what the judge printed */
	const char *at;                     /* read only: when */
};
/* The judge's commits: synchronous=NORMAL in WAL mode, so a commit is not
 * waited for on the disk while the run goes (a commit survives any kill of
 * the process; a power cut may lose the last ones, which the next run asks
 * again: the label and its judge_calls row go in one transaction). A
 * screen's saves stay FULL: what a person typed cannot be asked again. */
int store_judge_relaxed_sync(store *s, struct gs_err *e);
/* the end of a run (finished or stopped): FULL again, and one commit that
 * records when the judge last ran ("judge_run:NAME" in the settings) and,
 * being FULL, takes every commit of the run to the disk with it: what the
 * run reports as saved is on disk when it says so */
int store_judge_run_end(store *s, const char *judge, const char *at, struct gs_err *e);
/* appends a row (inside the caller's transaction, or on its own) */
int store_judge_call_add(store *s, const struct store_judge_call *c, struct gs_err *e);
/* the keys the judge answered under the rubric */
int store_judge_answered_each(store *s, const char *judge, const char *rubric,
			      int (*cb)(void *ctx, const char *item_hash, const char *prompt_hash), void *ctx,
			      struct gs_err *e);
/* the comparisons (an item, or an item and its A and B) of the current item
 * versions whose last call failed; rubric NULL: every rubric; by rubric,
 * id, A, B */
int store_judge_failures_each(store *s, const char *judge, const char *rubric,
			      int (*cb)(void *ctx, const struct store_judge_call *c), void *ctx, struct gs_err *e);
#endif
