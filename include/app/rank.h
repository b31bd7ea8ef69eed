/* rank.h: ranking systems from pairwise comparisons (`goldset rank`), the
 * part a command or a test calls without printing anything: the
 * comparisons read from a CSV (--pairs) or from the workspace's current
 * pairwise labels, fitted by Bradley–Terry (the math is bt.h), ordered best
 * first, with the position bias per rater and the notes the report prints.
 * Printing is report_rank.h.
 *
 * Both sources reduce to one list of comparisons {a, b, winner, left,
 * rater}. --pairs reads a CSV with header a,b,winner (winner = the name in
 * a, the name in b, or "tie") and an optional `left` column naming the
 * system shown on the left; other columns are ignored; `-` reads standard
 * input (csv.h, RFC 4180). The workspace gives one comparison per (item,
 * pair, rater): the winner of one preference criterion (the first unless
 * one is named), left = the system shown left, and the rater. With a meta
 * key (--by) there is one fit per value of the items' meta key, sorted,
 * items without it last. Labels made both ways round (pair --both-orders)
 * add how often the choice changed, per rater (store_pair_flips_each). */
#ifndef GOLDSET_RANK_H
#define GOLDSET_RANK_H
#include <stddef.h>
#include <stdint.h>

#include "stats/bt.h"
#include "model/rubric.h"
#include "store/store.h"
#include "base/util.h"

/* One comparison. winner is a's name, b's name or "tie"; left names the
 * system shown on the left, or NULL; rater who made it, or NULL (CSV). */
struct rank_cmp { const char *a, *b, *winner, *left, *rater; };

/* how often the left side won one rater's decided comparisons */
struct rank_rater_left { const char *name; long decided, won; double lo, hi; };
int rank_rater_biased(const struct rank_rater_left *l);   /* its 95% interval misses 50% */

/* --both-orders: comparisons one rater labeled both ways round, and how
 * many changed winner */
struct rank_flips { char *rater; long long pairs, flips; };

/* one ranking, fitted */
struct rank_fit {
	const char *slice;            /* with a meta key: this fit's value (NULL: items without it) */
	struct st_bt_result r;
	const char **name;            /* r.n system names, by index */
	size_t *ord;                  /* r.n indices, best first */
	int has_left;                 /* some comparison knew its left side */
	struct rank_rater_left *rl;   /* nrl, by name (workspace comparisons) */
	size_t nrl;
	char **note;                  /* nnote lines for the reader (names escaped) */
	size_t nnote;
};

struct rank_spec {
	const char *criterion;        /* workspace: the preference criterion, or NULL: the first */
	const char *by;               /* workspace: a meta key to slice by, or NULL */
	int bootstrap;                /* resamples for the intervals (0: none) */
	uint64_t seed;
};

struct rank_pool;

/* everything `rank` reports */
struct rank_result {
	int pairs;                    /* from a CSV */
	const struct rank_spec *spec;
	/* from the workspace */
	const char *rubric;
	const char *criterion;        /* the one ranked by */
	char *other_prefs;            /* the rubric's other preference criteria ("a, b"), or NULL */
	long long unread;             /* labels the rubric could not read (left out) */
	struct rank_flips *flips;     /* nflips, without a meta key only */
	size_t nflips;
	struct rank_fit *fit;         /* nfit: one, or one per slice */
	size_t nfit;
	struct rank_pool *pool;       /* owns the names the above point to */
};

/* the comparisons of a CSV file (path "-": standard input), fitted; 0 or a
 * sysexits code with e set ("FILE:LINE: what (field)") */
int rank_pairs(const char *path, const struct rank_spec *sp, struct rank_result *out, struct gs_err *e);
/* the current pairwise labels of rubric r in st, fitted */
int rank_labels(store *st, const struct rubric *r, const struct rank_spec *sp, struct rank_result *out,
		struct gs_err *e);
void rank_result_free(struct rank_result *res);

/* one fit of comparisons c[0..n) (strings kept alive by the caller);
 * pairs: they come from a CSV (a note says when it has no left column) */
int rank_fit(const struct rank_cmp *c, size_t n, const struct rank_spec *sp, int pairs, struct rank_fit *out,
	     struct gs_err *e);
void rank_fit_free(struct rank_fit *f);
#endif
