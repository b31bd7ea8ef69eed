/* agreerows.h: from a ratings table (ratings.h) to the agreement rows of
 * `goldset agree` and the list of `goldset disagreements`: no SQL, no
 * screen, no printing.
 *
 * The tables come from the store (ratings_load_current: current labels on
 * the current item version; stale ones are counted, not used) or, with
 * `agree --at REV`, from the label lines of a revision (ar_tables_load).
 *
 * ar_rows turns a table into rows, one per (slot, slice): the contract's agree
 * row (stats.h's st_agree over the chosen raters, the weighted kappas over
 * the slot's full scale), the confusion matrix of the first two raters,
 * Cohen's kappa of every rater pair when there are more than two, each
 * rater's value counts, and the Pearson correlation of output length with
 * the value per rater (length bias). Preferences are compared as their
 * winners' categories (ratings_number). With a judge, a row instead
 * compares the judge with the human majority of the unit
 * (ratings_majority; an even split leaves the unit out, with a note) and
 * carries the deploy verdict: kappa >= AR_JUDGE_DEPLOY (the linearly
 * weighted kappa for scales).
 *
 * Every row, and calibrate's (calib.h), reads one kappa chosen by the same
 * rule (ar_kappa_field) and names it (ar_kappa_label); a threshold holds
 * when the kappa is at least it (ar_at_least: within 1e-9, so that 0.5
 * computed as 0.49999999999999994 still deploys). Below min_units units the
 * verdict is "too few items" and the row says how many more would bring
 * the 95% interval to +- AR_HALFWIDTH (st_units_for_halfwidth). When
 * kappa is low although the raters mostly agree because one value
 * dominates, ar_paradox says so and points to AC1. */
#ifndef GOLDSET_AGREEROWS_H
#define GOLDSET_AGREEROWS_H
#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "app/ratings.h"
#include "model/rubric.h"
#include "stats/stats.h"
#include "store/store.h"

struct jo;

#define AR_HUMAN_KAPPA_OK 0.6     /* humans: below this the rubric is too vague */
#define AR_JUDGE_DEPLOY 0.5       /* a judge below this against the humans: do not deploy */
#define AR_ALPHA_RELIABLE 0.8
#define AR_ALPHA_TENTATIVE 0.667
#define AR_MAJORITY "human majority"
#define AR_MIN_UNITS 20           /* below this many units a verdict is "too few items" */
#define AR_HALFWIDTH 0.1          /* the interval half-width the "more items" count aims at */
#define AR_PARADOX_AGREEMENT 0.8  /* the paradox: agreement at least this ... */
#define AR_PARADOX_SHARE 0.8      /* ... and one value at least this share of all values */

struct ar_opts {
	char *const *raters;      /* NULL-terminated, or NULL: every human rater of the table */
	const char *judge;        /* judge mode: this rater against the human majority */
	const char *criterion;    /* a slot name ("checks/Cites"), a criterion id (all its slots), or NULL */
	int by;                   /* one row per slice as well as the overall one */
	int level_set;            /* level overrides the slot's level */
	enum st_level level;
	uint64_t seed;
	unsigned resamples;
	size_t min_units;         /* fewer units: "too few items" (0: AR_MIN_UNITS) */
	int spread_only;          /* the values and their spread only (dist, spread): no statistics */
};

struct ar_pair {               /* columns a < b */
	size_t a, b;
	struct st_kappa k;        /* Cohen's kappa */
	double weighted;          /* linearly weighted kappa (NaN for the nominal level) */
};

struct ar_row {
	const struct ratings *t;
	size_t slot;
	struct slot_info si;
	int sliced;               /* a slice row (else the overall one) */
	const char *slice;        /* its value; NULL: items without the meta key */
	size_t ncol;              /* columns: raters (judge mode: judge, human majority) */
	const char **col;         /* their names */
	const char *const *humans;  /* judge mode: the humans of the majority (NULL-terminated) */
	size_t nunits;            /* rows of m */
	double *m;                /* nunits x ncol values, NaN = none */
	long long *len;           /* nunits output lengths, <0 unknown */
	double *scale;            /* every value the slot allows, ascending */
	size_t nscale;
	struct st_agree a;
	struct ar_pair *pairs;    /* more than two columns: every pair's Cohen's kappa */
	size_t npairs;
	long *dist;               /* ncol x nscale: how often each column gave each value */
	double *len_r;            /* ncol: Pearson r of output length with the value (NaN: none) */
	size_t *len_n;            /* ncol: units it is computed on */
	size_t min_units;
	int too_few;              /* fewer units than min_units under the row's kappa */
	size_t kappa_n;           /* the units the row's kappa is on */
	size_t units_for_ci;      /* units a 95% interval of +- AR_HALFWIDTH needs (0: unknown) */
	enum st_spread *spread;   /* ncol: each column's spread over the scale */
	/* judge mode */
	const char *judge;        /* NULL: a rows of raters */
	double verdict_kappa;     /* what the verdict is on (NaN: undefined) */
	const char *verdict_on;   /* "cohen_kappa" or "weighted_kappa_linear" */
	const char *verdict;      /* "deploy", "do not deploy", "too few items", "undefined" */
};

/* The rows of a table (slot order; overall row, then slices by value, the
 * one for items without the key last). 0, or EX_NOINPUT when the
 * criterion matches no slot (e set). */
int ar_rows(const struct ratings *t, const struct ar_opts *o, struct ar_row **rows, size_t *n, struct gs_err *e);
void ar_rows_free(struct ar_row *rows, size_t n);
/* 1 when criterion names a slot of r (a slot name or a criterion id) */
int ar_criterion_matches(const struct rubric *r, const char *criterion);

/* the kappa a gate and a reading look at: the verdict's in judge mode;
 * with two raters Cohen's (linearly weighted when the level is ordinal,
 * interval or ratio), with more Fleiss'; *name gives its JSON field name */
double ar_row_kappa(const struct ar_row *row, const char **name);
/* the one rule for which kappa a row shows: "fleiss_kappa" with more than
 * two raters, else "weighted_kappa_linear" for ordered levels and
 * "cohen_kappa" for nominal ones; its value and its name in words
 * ("kappa (linear weights)", "kappa (unweighted)", "Fleiss' kappa (unweighted)") */
const char *ar_kappa_field(const struct st_agree *a);
double ar_kappa_value(const struct st_agree *a, const char *field);
const char *ar_kappa_label(const char *field);
/* v >= threshold, within 1e-9 (NaN: no) */
int ar_at_least(double v, double threshold);
/* the units a kappa field is on (kappa_units, or fleiss_units) */
size_t ar_kappa_units(const struct st_agree *a, const char *field);
/* the units a kappa's 95% interval of +- AR_HALFWIDTH needs, from the observed agreement */
size_t ar_units_for_ci(const struct st_agree *a);
/* one line when kappa (< AR_HUMAN_KAPPA_OK) is low because one value
 * dominates although agreement is high (the kappa paradox); 0 if not */
int ar_paradox(const struct st_agree *a, double kappa, char *buf, size_t n);
/* "too few items (4 < 20); about 285 more for a 95% interval of +-0.1" */
void ar_too_few_text(size_t have, size_t min_units, size_t for_ci, char *buf, size_t n);
/* the paradox, AC1/AC2 and the small-sample fields of a row (JSON) */
void ar_reading_json(struct jo *o, const struct st_agree *a, const char *field, size_t min_units);
/* the text of a value in the row (a scale number, an option, a system) */
const char *ar_value_text(const struct ar_row *row, double v, char buf[32]);
/* the row into o: rubric, criterion, slice, the contract's fields (HACKING), then extras
 * (rater_names, rater_kappa, confusion, length_bias; judge fields) */
void ar_row_json(struct jo *o, const struct ar_row *row, const char *by);
/* the contract's fields (HACKING) of one agree row, in the contract's order (also `agree --table`) */
void ar_design_json(struct jo *o, const struct st_agree *a);
/* a rubric's level of measurement as the statistics' enum */
enum st_level ar_level_of(enum level l);

/* every rater of t (judges too) whose values on a criterion are flagged by
 * st_value_spread: fn(ctx, rater, criterion, spread) per flag, in slot
 * then rater order; stops at fn's first non-zero and returns it */
int ar_spread_each(const struct ratings *t, int (*fn)(void *ctx, const char *rater, const char *criterion,
						      enum st_spread s), void *ctx);

/* ---- disagreements ---- */
struct ar_disagreement {
	size_t unit, slot;
	double distance;          /* scales: the range of the values; else 1 */
};
/* the (unit, slot) pairs where two or more of the raters (NULL: every
 * human) gave values and not all the same, largest distance first, then
 * by id, pair and slot; *out malloc'd */
size_t ar_disagreements(const struct ratings *t, char *const *raters, const char *criterion,
			struct ar_disagreement **out);
/* ---- the tables of several rubrics ---- */
struct ws;
struct ar_tables {
	struct ratings **t;       /* by rubric name (tv's data) */
	struct rubric **r;        /* t[i]'s rubric (owned; rv's data) */
	size_t n;
	GPtrArray *tv, *rv;
	char **skipped;           /* --at: rubrics of label files that neither the revision
				   * nor the store has (their labels are left out); or NULL */
};
/* The tables of rubric (NULL: every rubric with labels), from the store,
 * or with rev from the label files of that git revision (read through
 * revision.c without touching the working tree; the rubric text as the
 * revision holds it, else the store's; slices and output lengths from the
 * current items). EX_NOINPUT for an unknown rubric, EX_USAGE for an
 * unknown revision. */
int ar_tables_load(struct ws *w, const char *rubric, const char *rev, const char *by, struct ar_tables *ts,
		   struct gs_err *e);
void ar_tables_free(struct ar_tables *ts);
/* EX_NOINPUT (e set) when criterion, judge or one of raters (each may be
 * NULL) is in none of the tables */
int ar_tables_check(const struct ar_tables *ts, const char *criterion, const char *judge, char *const *raters,
		    struct gs_err *e);
#endif
