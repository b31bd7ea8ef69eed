/* judgecheck.h: how an LLM judge errs against the humans, criterion by
 * criterion, for `agree --judge` (src/app/judgecheck.c; printed by
 * report/report_judge.c). On the units of one ratings table:
 *   - the confusion of the judge's value with the human majority's, and
 *     precision, recall and F1 per value (the judge as a predictor of the
 *     majority; sklearn's precision_recall_fscore_support);
 *   - the mean difference judge - humans (each unit: the judge's number
 *     minus the humans' mean) with its 95% t interval: "harsher" when the
 *     interval is below 0, "kinder" above;
 *   - Spearman's and Kendall's correlation of the judge's values with the
 *     humans' means (below 0.8: revise the judge prompt);
 *   - length: the least-squares slope of the judge's value on the output's
 *     length (per 100 characters) beside the humans' slope;
 *   - pairwise: each system's judge-minus-humans score (won 1, tie 1/2,
 *     lost 0) with a t interval, where self-preference shows; the position
 *     bias (left-win rate) and flip rate come from rank.h;
 *   - the agree row's verdict ("deploy", "do not deploy", "too few items",
 *     "undefined") with its reason; the reason adds "revise the judge
 *     prompt" when the rank correlation is below 0.8.
 * No SQL but through rank.h, no printing. */
#ifndef GOLDSET_JUDGECHECK_H
#define GOLDSET_JUDGECHECK_H
#include <stddef.h>

#include "app/agreerows.h"
#include "app/ratings.h"
#include "store/store.h"

#define JC_MIN_CORR 0.8

/* position bias of a pairwise judge (rank.h's left-win rate and flips) */
struct jc_position {
	long judge_decided, judge_left;   /* its decided comparisons, won by the left side */
	double judge_lo, judge_hi;        /* the left-win rate's 95% Wilson interval */
	long human_decided, human_left;   /* the humans', pooled */
	long long pairs, flips;           /* comparisons it made both ways round, and changed */
};

struct jc_value { const char *text; long judge, human; double precision, recall, f1; };
struct jc_system { const char *name; size_t n; double excess, lo, hi; };

struct jc_crit {
	size_t slot;
	char name[512];
	int ordered;              /* its numbers have an order (difference, correlation, slope) */
	int pref;                 /* a preference (pairwise) */
	size_t nvals;             /* values of the slot (not for preferences) */
	struct jc_value *val;     /* nvals */
	char (*text)[32];         /* nvals value texts (val[i].text points here) */
	double *num;              /* nvals: each value's number */
	long *confusion;          /* nvals x nvals [judge][majority] */
	size_t nmajor;            /* units with the judge's value and a majority */
	double accuracy;          /* share of those where they are equal */
	size_t ndiff;             /* units with the judge's and some human's value */
	double diff, diff_lo, diff_hi;
	double spearman, kendall;
	size_t nlen;
	double slope_judge, slope_human;   /* per 100 characters */
	struct jc_system *sys;    /* nsys, pairwise */
	size_t nsys;
	double kappa;             /* what the verdict weighs (set by the caller; NaN: undefined) */
	const char *kappa_name;
	const char *verdict;      /* "deploy", "do not deploy", "too few items" */
	char reason[256];
	int has_position;
	struct jc_position pos;
};

/* the check of t's column judge against the humans (columns pos[0..npos))
 * in one slot (its arrays go with jc_free of the array that keeps it) */
void jc_check(const struct ratings *t, size_t judge, const size_t *pos, size_t npos, size_t slot, struct jc_crit *c);
/* c's verdict: the agree row's, with its reason */
void jc_verdict(struct jc_crit *c, const struct ar_row *row);
void jc_free(struct jc_crit *c, size_t n);

/* the check beside agree's judge rows: one jc_crit per overall row (the
 * rows' order), the humans being the row's, the verdict the row's;
 * a pairwise rubric's position bias read from st (NULL: none). n rows. */
size_t jc_for_rows(store *st, const struct ratings *t, const struct ar_row *rows, size_t n, struct jc_crit **out);
#endif
