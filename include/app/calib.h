/* calib.h: calibration runs, and the settled answers of the weekly review
 * and the consensus export (src/app/calib.c; no SQL, no screen, no printing:
 * report_calib.h renders what these functions compute).
 *
 * A calibration run: `start` draws a blind batch of items for two or more
 * raters (calib_start); once every rater finished, the report turns the
 * batch's ratings table (ratings.h, RATINGS_ITEMS over the batch's items
 * and raters) into one agreement row per criterion (the contract's agree row,
 * stats.h) with a verdict, lists the disagreements and the kappa of every
 * earlier round of the rubric; `discuss` walks the disagreements and keeps
 * a Markdown record under reviews/.
 *
 * An item's answer is the consensus recorded in a discussion or review,
 * else the majority of the human raters (ratings_majority: the median for
 * scales). Preferences count as first/second system of their pair or tie. */
#ifndef GOLDSET_CALIB_H
#define GOLDSET_CALIB_H
#include <stdint.h>

#include "app/ratings.h"
#include "model/rubric.h"
#include "stats/stats.h"
#include "store/store.h"

struct ws;

#define CALIB_KAPPA_OK 0.6        /* humans: below this the rubric is too vague */

/* the rubric that most of the raters' labels on the items were made under
 * (an older text from the store when the rubric changed since), else the
 * current one; *out to rubric_free */
int calib_rubric(store *st, const char *name, char *const *raters, char *const *items, size_t nitems,
		 struct rubric **out, struct gs_err *e);
/* the consensus table's criterion key of a unit's slot: the slot name, and
 * for a pairwise unit a space and the pair key ("better [\"a\",\"b\"]") */
char *calib_key(const struct ratings *t, const struct ratings_unit *u, size_t slot);
/* 1 when two or more raters gave the slot a value and not all the same */
int calib_disagree(const struct ratings *t, const struct ratings_unit *u, size_t slot);

/* One criterion's agreement: the contract's agree row over every rater of the
 * table, the confusion matrix of the first two raters, and the verdict on
 * the same kappa `agree` shows for the criterion (ar_kappa_field: kappa
 * (linear weights) for ordered levels, kappa (unweighted) for nominal ones,
 * Fleiss' with more than two raters): at least CALIB_KAPPA_OK is "ok",
 * below it "too vague"; on fewer than min_units items "too few items". */
struct calib_row {
	size_t slot;
	struct slot_info si;
	struct st_agree a;
	size_t k;                 /* confusion: k values, counts k*k (rows: rater 0) */
	double *cval;
	long *ccount;
	double kappa;             /* what the verdict is on */
	const char *kappa_on;     /* its field name (ar_kappa_field) */
	const char *verdict;      /* "ok", "too vague", "too few items", "undefined" */
	size_t min_units;
	size_t disagreements;
};
/* one row per slot; resamples 0: no bootstrap (quick, for rounds);
 * min_units 0: AR_MIN_UNITS */
struct calib_row *calib_rows(const struct ratings *t, unsigned resamples, uint64_t seed, size_t min_units);
void calib_rows_free(struct calib_row *rows, size_t n);

/* ---- batches ---- */

struct calib_batch {
	struct store_batch b;
	char **raters;            /* NULL-terminated */
	char **items;             /* NULL-terminated, batch order */
	size_t nitems;
	long long *done;          /* after calib_batch_progress: [rater] items labeled */
	int finished;             /* every rater labeled every item */
};
/* the batch, its raters and items; EX_NOINPUT when there is none */
int calib_batch_load(store *st, const char *name, struct calib_batch *b, struct gs_err *e);
/* how far each rater has got */
int calib_batch_progress(store *st, struct calib_batch *b, struct gs_err *e);
void calib_batch_free(struct calib_batch *b);

/* a seed for a batch when none is given (from the time and the process), below 10^6 */
uint64_t calib_fresh_seed(void);
/* what `calibrate start` asks for */
struct calib_start {
	const char *name;
	const char *rubric;       /* NULL: the first single-output rubric */
	const char *stratify;     /* a meta key ("meta.KEY" or "KEY"), or NULL */
	char **raters;
	size_t n;
	uint64_t seed;
};
/* what it made */
struct calib_started {
	struct store_batch b;     /* its strings point into the request and r */
	struct rubric *r;
	char *raters_json;
	size_t got;               /* items drawn */
	size_t available;         /* items of the rubric's kind */
};
/* Draws up to s->n items of the rubric's kind into a new batch: items in
 * no earlier batch of the rubric and labeled by none of the raters first,
 * round-robin over the values of the stratify key, in an order fixed by
 * the seed. EX_NOINPUT without items, EX_CANTCREAT when the name is taken. */
int calib_start(struct ws *w, const struct calib_start *s, struct calib_started *out, struct gs_err *e);
void calib_started_free(struct calib_started *out);

/* ---- the report ---- */

struct calib_report {
	const struct calib_batch *b;
	struct rubric *r;         /* the rubric the labels were made under */
	struct ratings *t;        /* the batch's raters on its items */
	struct calib_row *rows;   /* one per slot */
};
/* resamples: the bootstrap of the intervals (0: none); min_units as calib_rows */
int calib_report_build(store *st, const struct calib_batch *b, unsigned resamples, size_t min_units,
		       struct calib_report *rp, struct gs_err *e);
void calib_report_free(struct calib_report *rp);
/* the rubric version the report speaks of: the labels', else the rubric's */
int calib_report_version(const struct calib_report *rp);

/* every batch of a rubric, oldest round first (ok: its report could be built) */
struct calib_round { struct calib_batch b; struct calib_report rp; int ok; };
struct calib_rounds { struct calib_round *r; size_t n; };
void calib_rounds_load(store *st, const char *rubric, struct calib_rounds *x);
void calib_rounds_free(struct calib_rounds *x);
/* the kappa of criterion name in a round, NaN when it has none (*present 0) */
double calib_round_kappa(const struct calib_round *r, const char *name, int *present);

/* the (unit, slot) pairs of a disagreement, in table order; *n of them */
struct calib_point { size_t u, slot; };
struct calib_point *calib_disagreements(const struct ratings *t, size_t *n);
/* writes the record of a discussion, text, to reviews/calibration-BATCH-LOGIN.md
 * (a name of its writer's own: teammates who each discuss the batch never
 * add the same path); *rel (malloc'd) gets that path */
int calib_discussion_save(struct ws *w, const char *batch, const char *text, char **rel, struct gs_err *e);

/* ---- settled answers ---- */

/* How an item's answer to a slot was settled. */
enum calib_status { CALIB_CONSENSUS, CALIB_MAJORITY, CALIB_TIE, CALIB_TOO_FEW };
const char *calib_status_name(enum calib_status s);   /* "consensus", "majority", "tie", "too_few_raters" */

/* The recorded consensus values of a rubric (newest per item and key). */
struct calib_cons { char *ext_id, *key, *value, *cause, *note, *source, *at; int version; };
struct calib_conslist { struct calib_cons *c; size_t n; };
int calib_cons_load(store *st, const char *rubric, const char *ext_id, struct calib_conslist *l, struct gs_err *e);
const struct calib_cons *calib_cons_find(const struct calib_conslist *l, const char *ext_id, const char *key);
void calib_cons_free(struct calib_conslist *l);

/* one golden answer: a unit's slot, settled */
struct calib_answer {
	const struct ratings *t;
	const struct ratings_unit *u;
	size_t slot;
	const struct calib_cons *cons;   /* the recorded consensus, or NULL */
	enum calib_status status;        /* (without cons) how the humans settle it */
	int value;                       /* (without cons) the slot value, -1 none */
	int votes;                       /* human values counted */
};
/* The golden answers of rubric r: one per current item (per pair labeled,
 * for pairwise) and slot, by item id, then pair, then rubric order.
 * if_used: none for a rubric without labels or consensus. emit returns
 * non-zero to stop (its value is returned). */
int calib_answers(store *st, const struct rubric *r, int if_used,
		  int (*emit)(void *ctx, const struct calib_answer *a), void *ctx, struct gs_err *e);
#endif
