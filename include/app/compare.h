/* compare.h: `goldset compare SYS_A SYS_B`: is system A better than system
 * B on the workspace's labels (src/app/compare.c; the math in
 * stats/compare.h, the printing in report/report_compare.h).
 *
 * A row per (rubric, criterion, slice):
 *   pointwise  a single-mode rubric whose labels name the output's system
 *              (label lines with "system"): per item, each system's mean
 *              over its raters; on the items both systems were labeled on,
 *              the paired difference A - B: mean, bootstrap 95% interval,
 *              sign-flip p. Binary criteria count as 0/1 (the second label,
 *              "yes", is 1), scales as their numbers, each checklist item
 *              as 0/1; choice criteria have no mean and are left out.
 *   pairwise   a pairwise rubric's labels comparing A with B: every
 *              rater's answer on every item is one comparison; A's win rate
 *              (wins + ties / 2) / comparisons with Wilson's interval, and
 *              the exact binomial test of wins against losses (ties out).
 * The gate (--min-diff X): a row passes when the lower end of its interval
 * is at least X: the difference of means (pointwise), or the win rate minus
 * 1/2 (pairwise). Only the rows of all items (not the --by slices) are
 * gated; an undefined interval fails. */
#ifndef GOLDSET_COMPARE_H
#define GOLDSET_COMPARE_H
#include <glib.h>
#include <stdint.h>

#include "stats/compare.h"
#include "store/store.h"

#define COMPARE_DEFAULT_RESAMPLES 2000
#define COMPARE_MAX_RESAMPLES 1000000

struct compare_opts {
	const char *a, *b;            /* the two systems */
	const char *rubric;           /* NULL: every rubric with labels of both */
	const char *criterion;        /* NULL: every criterion */
	const char *by;               /* a meta key: one row per value too */
	unsigned resamples;
	uint64_t seed;
	int gated;                    /* --min-diff given */
	double min_diff;
};

struct compare_row {
	char *rubric, *criterion;
	int pairwise;
	int sliced;                   /* a --by row */
	char *slice;                  /* its value (NULL: items without one) */
	/* pointwise */
	size_t items_a, items_b;      /* items labeled for each system */
	double mean_a, mean_b;        /* over the shared items */
	struct st_paired d;           /* d.n: the shared items */
	/* pairwise */
	long comparisons, wins, ties, losses;
	double win_rate, win_lo, win_hi, p;
	int gate;                     /* -1 not gated, 0 failed, 1 passed */
	GPtrArray *notes;             /* char * */
};

struct compare_result {
	GPtrArray *rows;              /* struct compare_row * */
	GPtrArray *notes;             /* char *: about the whole comparison */
	int pass;                     /* -1 not gated, 0 a gated row failed (or none), 1 all passed */
};

int compare_run(store *st, const struct compare_opts *o, struct compare_result *res, struct gs_err *e);
void compare_result_free(struct compare_result *res);
#endif
