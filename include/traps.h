/* traps.h: trap questions (src/traps.c): items with `gold` answers are
 * labeled like any other, and each rater's answers on them are compared
 * with the gold ones, per rubric and per slot (a checklist item counts as
 * a criterion of its own). Gold that does not fit the rubric is left out.
 * No SQL, no printing. */
#ifndef GOLDSET_TRAPS_H
#define GOLDSET_TRAPS_H
#include "rubric.h"
#include "store.h"

/* one rater's score under one rubric */
struct trap_score {
	const struct rubric *r;
	const char *rater;
	long long items;                 /* trap items with an answer compared */
	long long *answered, *correct;   /* [slot] */
	size_t nslots;
};
/* every (rubric, rater) with a compared answer, by rubric and rater;
 * emit returns non-zero to stop (its value is returned). Rubrics the
 * store cannot give are skipped. */
int traps_each(store *st, int (*emit)(void *ctx, const struct trap_score *s), void *ctx, struct gs_err *e);
#endif
