/* judges.h: every version of an LLM judge side by side (src/app/judges.c),
 * for `goldset agree --judge 'judge:*'`: each judge whose name matches a
 * glob against the human majority, one row per rubric and criterion (the
 * agreerows.h judge rows, overall only), newest judge first (by the time of
 * its latest label), so that the iterations on a judge's prompt read top
 * down. Per row: the verdict's kappa, Krippendorff's alpha, the bias (mean
 * of judge minus human majority over the units both answered: on a binary
 * criterion the difference in the rate of the second label, on a scale in
 * points; none for other types) and the deploy verdict. */
#ifndef GOLDSET_JUDGES_H
#define GOLDSET_JUDGES_H
#include <glib.h>
#include <stdint.h>

#include "app/agreerows.h"

struct judge_row {
	char *judge;              /* owned */
	const char *rubric;       /* the table's */
	char criterion[512];      /* the slot's name */
	size_t units;             /* units with both a judge value and a majority */
	double kappa;             /* the verdict's kappa (NaN: undefined) */
	const char *kappa_name;   /* "cohen_kappa" or "weighted_kappa_linear" */
	double alpha, bias;       /* NaN: undefined */
	double gwet;              /* Gwet's AC1 (AC2, linear weights, for ordered levels) */
	const char *verdict;      /* the agree row's: "deploy", "do not deploy", "too few items", "undefined" */
	int64_t last_ms;          /* the judge's latest label (ms since the epoch; -1 unknown) */
};

/* 1 when s has a glob character (*, ? or [) */
int judges_is_glob(const char *s);
/* the rows of every judge matching glob in the tables, newest first;
 * base gives the criterion, level, seed and resamples. A GArray of struct
 * judge_row (judges_free), empty when no judge matches. */
int judges_rows(store *st, const struct ar_tables *ts, const char *glob, const struct ar_opts *base, GArray **out,
		struct gs_err *e);
void judges_free(GArray *rows);
#endif
