/* ratings.h: the one ratings table (src/app/ratings.c): a rubric's labels as a
 * units x raters x slots table of slot values (rubric.h: one slot per
 * criterion, one per checklist item), with the humans' majority (the median
 * for scales) and the spread of a unit's values. `agree`, `disagreements`,
 * `calibrate`, `review` and `export --consensus` all read it; no SQL, no
 * screen, no printing.
 *
 * A unit is an item, or for a pairwise rubric an item and pair of systems
 * (its pair key), or for a single rubric one output of an item with
 * several, labeled on its own (its key labelline_system_key: ["SYS"]). Preference values are kept per unit: 0 the first of the
 * unit's two systems in byte order, 1 the second, 2 a tie, so raters who
 * saw a pair in different orders compare. The winners' names (a system,
 * "tie", or "A"/"B" for a label without systems) are also numbered over
 * the whole table, in byte order: ratings_number gives that category.
 *
 * Two kinds of table:
 *   RATINGS_LABELED  the units are what was labeled, by id and pair; only
 *                    labels the rubric reads make units and raters;
 *                    declared items only carry facts (a slice, a length).
 *   RATINGS_ITEMS    the units are the declared items (ratings_item), in
 *                    their order: one per item for a single rubric,
 *                    labeled or not, one per pair labeled for a pairwise
 *                    one; labels on other items are left out, and a label
 *                    on a declared item makes its rater and pair count even
 *                    when the rubric cannot read its values.
 * Raters are every rater with a label (humans by name, then judges), or
 * the ones named with ratings_rater, in that order. Of two labels for the
 * same unit and rater the later one wins. */
#ifndef GOLDSET_RATINGS_H
#define GOLDSET_RATINGS_H
#include <stddef.h>

#include "model/rubric.h"
#include "store/store.h"

#define RATINGS_NO_ITEM ((size_t)-1)
#define RATINGS_BY_SYSTEM "system"   /* --by system: the unit's output's system, not a meta key */

enum ratings_kind { RATINGS_LABELED, RATINGS_ITEMS };

struct ratings_unit {
	char *ext_id;
	char *pair_key;           /* "" for a single item */
	char *sys[2];             /* pairwise: the two systems in byte order; NULL otherwise */
	char *system;             /* one output of several labeled on its own: its system; NULL otherwise */
	size_t item;              /* its declared item (index in declaration order), or RATINGS_NO_ITEM */
	int *v;                   /* [rater * nslots + slot]: slot value, -1 none */
	char **note;              /* [rater]: the label's comment, or NULL */
	int cat[3];               /* the categories of preference values 0, 1, 2 (-1: never given) */
	size_t nv;                /* (while building) raters v has room for */
};

struct ratings_item { char *id, *slice; long long out_len; };

struct ratings_priv;

struct ratings {
	const struct rubric *r;   /* not owned: keep it alive */
	enum ratings_kind kind;
	size_t nslots;
	char **raters;            /* NULL-terminated (complete after ratings_finish) */
	size_t nraters;
	struct ratings_unit *u;   /* after ratings_finish */
	size_t nunits;
	struct ratings_item *items;   /* declared items, in order */
	size_t nitems;
	char **cats;              /* preference categories in byte order (after ratings_finish) */
	size_t ncats;
	long long unparsed;       /* labels the rubric did not accept (made under another version) */
	int rubric_version;       /* the version most labels were made under (0: no labels) */
	struct ratings_priv *priv;   /* the arrays and lookups behind these fields (ratings.c's) */
};

/* one label: vals is the JSON labels object; pair_key "" (or NULL) for a
 * single-output label; left/right the systems as shown (pairwise); one
 * output of several: pair_key ["SYS"], left its system, right NULL */
struct ratings_label {
	const char *id, *rater, *pair_key, *left, *right, *vals, *note;
	int rubric_version;
};

/* a new, empty table for rubric r */
struct ratings *ratings_new(const struct rubric *r, enum ratings_kind kind);
void ratings_free(struct ratings *t);
/* declares an item: its slice value (NULL: none) and output length (<0:
 * unknown); the first of two with the same id counts. Before ratings_add. */
void ratings_item(struct ratings *t, const char *id, const char *slice, long long out_len);
/* names a rater: the raters are then the named ones, in this order */
void ratings_rater(struct ratings *t, const char *name);
/* adds a label: 0, 1 when it is left out (rater, item or pair not in the
 * table), -1 when the rubric does not accept its values (counted) */
int ratings_add(struct ratings *t, const struct ratings_label *l);
/* labels left out elsewhere (stale ones), counted for ratings_stale */
void ratings_count_stale(struct ratings *t, const char *rater, long long n);
/* sorts raters and units; call once, after the last ratings_add */
void ratings_finish(struct ratings *t);

/* Loaders from the store. ratings_load_current: RATINGS_LABELED, the
 * current labels under r on current items (stale ones counted), the facts
 * of every current item for meta key by (NULL: none); by "system"
 * (RATINGS_BY_SYSTEM) slices by the system of the output labeled.
 * ratings_load_items: RATINGS_ITEMS, every current label (calibration
 * batches not yet revealed included) of raters (NULL: everyone) on
 * items[0..nitems). *out to ratings_free. */
int ratings_load_current(store *st, const struct rubric *r, const char *by, struct ratings **out, struct gs_err *e);
int ratings_load_items(store *st, const struct rubric *r, char *const *raters, char *const *items, size_t nitems,
		       struct ratings **out, struct gs_err *e);

int ratings_is_judge(const char *rater);
/* a rater's column, -1 when the table has no such rater */
long ratings_rater_pos(const struct ratings *t, const char *name);
/* the raters a list of names selects (NULL: every human), in table order,
 * as a NULL-terminated array of the table's own strings (free the array) */
const char **ratings_select(const struct ratings *t, char *const *names);
/* the stale labels of the named raters (NULL: every human) */
long long ratings_stale(const struct ratings *t, char *const *names);

static inline int ratings_val(const struct ratings *t, const struct ratings_unit *u, size_t rater, size_t slot)
{
	return u->v[rater * t->nslots + slot];
}
/* the value as a number for the statistics: a scale's number, an option's
 * index, a preference's category; NaN for none */
double ratings_number(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v);
/* a value as text ("yes", "4", "billing", a system name, "tie"); with u
 * NULL a preference is "first" or "second" (of any pair); "" for none */
const char *ratings_value_text(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v,
			       char buf[32]);
/* the same as JSON value text (malloc'd): "yes", 4, true, "model-a"; null for none */
char *ratings_value_json(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v);
/* JSON value text -> slot value, -1 if it is none of the slot's values */
int ratings_value_parse(const struct ratings *t, const struct ratings_unit *u, size_t slot, const char *json);

/* The answer of some raters (columns pos[0..n); pos NULL: every human) to
 * a unit's slot: the most frequent value, the median for scales. Returns
 * it, or -1 when nobody gave one or on a tie (*tie set: two values equally
 * frequent, or an even count whose middle values differ); *votes gets how
 * many values were counted. */
int ratings_majority(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
		     size_t n, int *votes, int *tie);
/* How far apart the values of some raters (pos NULL: every rater) in a
 * unit's slot are: 0 when fewer than two gave one or all gave the same,
 * else the range of the numbers for a scale, 1 otherwise */
double ratings_spread(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
		      size_t n);
#endif
