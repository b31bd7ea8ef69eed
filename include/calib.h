/* calib.h: the data behind calibration runs, the weekly review and the
 * consensus export (src/calib.c; no SQL, no screen). It gathers the
 * current labels of some raters on some items into a table of rubric slot
 * values per unit (an item, or an item and pair of systems for a pairwise
 * rubric), turns one slot of that table into the contract's agreement row
 * (stats.h), lists the disagreements, and settles an item's answer: the
 * consensus recorded in a discussion or review, else the majority of the
 * human raters (median for scales).
 *
 * Preferences are normalised so that raters who saw the outputs in
 * different orders compare: value 0 is the first of the two systems in
 * byte order, 1 the second, 2 a tie. */
#ifndef GOLDSET_CALIB_H
#define GOLDSET_CALIB_H
#include "rubric.h"
#include "stats.h"
#include "store.h"

struct jo;

#define CALIB_KAPPA_OK 0.6        /* humans: below this the rubric is too vague */

struct calib_unit {
	char *ext_id;
	char *pair_key;           /* "" for single items */
	char *sys[2];             /* pairwise: the two systems in byte order; NULL otherwise */
	size_t item;              /* index in the item list the table was built from */
	int *v;                   /* [rater * nslots + slot]: slot value, -1 none */
	char **note;              /* [rater]: the label's comment, or NULL */
};

struct calib_table {
	const struct rubric *r;   /* not owned */
	size_t nslots;
	char **raters;
	size_t nraters;
	struct calib_unit *u;     /* by item list order, then pair */
	size_t nunits;
	long long unparsed;       /* labels the rubric did not accept (made under another version) */
	int rubric_version;       /* the version most labels were made under (0: no labels) */
};

/* The current labels under r of raters (NULL-terminated; NULL: every rater
 * who labeled one of the items) on items[0..nitems). Single rubrics get
 * one unit per item, labeled or not; pairwise ones a unit per pair labeled. */
int calib_table_build(store *st, const struct rubric *r, char *const *raters, char *const *items, size_t nitems,
		      struct calib_table *t, struct gs_err *e);
void calib_table_free(struct calib_table *t);
static inline int calib_val(const struct calib_table *t, const struct calib_unit *u, size_t rater, size_t slot)
{
	return u->v[rater * t->nslots + slot];
}
/* the rubric that most of the raters' labels on the items were made under
 * (an older text from the store when the rubric changed since), else the
 * current one; *out to rubric_free */
int calib_rubric(store *st, const char *name, char *const *raters, char *const *items, size_t nitems,
		 struct rubric **out, struct gs_err *e);

/* a value as text ("yes", "4", "billing", a system name, "tie") */
const char *calib_value_text(const struct calib_table *t, const struct calib_unit *u, size_t slot, int v,
			     char buf[32]);
/* the same as JSON value text (malloc'd): "yes", 4, true, "model-a" */
char *calib_value_json(const struct calib_table *t, const struct calib_unit *u, size_t slot, int v);
/* JSON value text -> slot value, -1 if it is none of the slot's values */
int calib_value_parse(const struct calib_table *t, const struct calib_unit *u, size_t slot, const char *json);
/* the consensus table's criterion key of a unit's slot: the slot name, and
 * for a pairwise unit a space and the pair key ("better [\"a\",\"b\"]") */
char *calib_key(const struct calib_table *t, const struct calib_unit *u, size_t slot);

/* 1 when two or more raters gave the slot a value and not all the same */
int calib_disagree(const struct calib_table *t, const struct calib_unit *u, size_t slot);

/* One criterion's agreement: the contract's agree row, the confusion matrix of
 * the first two raters, and the verdict on Cohen's kappa (Fleiss' with
 * more than two raters) against CALIB_KAPPA_OK. */
struct calib_row {
	size_t slot;
	struct slot_info si;
	struct st_agree a;
	size_t k;                 /* confusion: k values, counts k*k (rows: rater 0) */
	double *cval;
	long *ccount;
	double kappa;             /* what the verdict is on */
	const char *verdict;      /* "ok", "too vague", "undefined" */
	size_t disagreements;
};
/* one row per slot; resamples 0: no bootstrap (quick, for rounds) */
struct calib_row *calib_rows(const struct calib_table *t, unsigned resamples, uint64_t seed);
void calib_rows_free(struct calib_row *rows, size_t n);
/* the contract's agree-row fields of r into o, then criterion extras */
void calib_row_json(struct jo *o, const struct calib_table *t, const struct calib_row *r);

/* How an item's answer to a slot was settled. */
enum calib_status { CALIB_CONSENSUS, CALIB_MAJORITY, CALIB_TIE, CALIB_TOO_FEW };
const char *calib_status_name(enum calib_status s);   /* "consensus", "majority", "tie", "too_few_raters" */
/* the answer of the human raters (names not starting "judge:"): the most
 * frequent value (median for scales) when at least two gave one and it is
 * unique; *v (-1 on a tie or no value), *votes the values counted */
enum calib_status calib_majority(const struct calib_table *t, const struct calib_unit *u, size_t slot, int *v,
				 int *votes);
int calib_is_judge(const char *rater);

/* The recorded consensus values of a rubric (newest per item and key). */
struct calib_cons { char *ext_id, *key, *value, *cause, *note, *source, *at; int version; };
struct calib_conslist { struct calib_cons *c; size_t n, cap; };
int calib_cons_load(store *st, const char *rubric, const char *ext_id, struct calib_conslist *l, struct gs_err *e);
const struct calib_cons *calib_cons_find(const struct calib_conslist *l, const char *ext_id, const char *key);
void calib_cons_free(struct calib_conslist *l);
/* The golden answers of rubric r: one JSON object per current item (per
 * pair labeled, for pairwise) and slot:
 * {"id", "rubric", "rubric_version", ["pair"], "criterion", "value",
 *  "status": consensus|majority|tie|too_few_raters, "raters": n human
 * values}; by item id, then pair, then rubric order. if_used: nothing
 * for a rubric without labels or consensus. emit returns non-zero to stop
 * (its value is returned). */
int calib_answers(store *st, const struct rubric *r, int if_used, int (*emit)(void *ctx, struct jo *line),
		  void *ctx, struct gs_err *e);
#endif
