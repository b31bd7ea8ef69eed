/* bt.h: Bradley–Terry ranking of systems from pairwise comparisons, for
 * `goldset rank` (src/cmd/cmd-rank.c) and the pair screen's choice of which
 * pairs to show. Pure math (src/stats/bt.c): no I/O, no SQL, no names —
 * systems are indices 0..n-1 and the caller keeps the names.
 *
 * Model: P(i beats j) = 1 / (1 + exp(theta_j - theta_i)), fitted by maximum
 * likelihood (Newton's method with a line search, to |step| < 1e-12). A tie
 * counts as half a win for each side. Scores are centred to mean 0 (natural
 * log scale); elo = 1000 + 400 * theta / ln(10). Intervals are bootstrap
 * percentile intervals over comparisons (resampled with replacement),
 * drawn with the seeded st_rng of stats.h.
 *
 * A finite maximum likelihood estimate exists exactly when the directed
 * graph "i beat or tied j at least once" is strongly connected (Ford 1957;
 * Hunter 2004, assumption 1). Because a tie counts half a win for each side,
 * a tie is an edge both ways: a system with wins and ties but no loss still
 * has a finite score; "never lost" below means no loss and no tie. When the
 * graph is not strongly connected the systems fall into groups (its strongly
 * connected components, numbered in an order where a group never beat or
 * tied an earlier one, each piece's groups consecutive); scores are then
 * NaN and each group of two or more systems is fitted on its own
 * (group_score, centred within the group). A system with no comparison is
 * a group and a piece of its own. */
#ifndef GOLDSET_BT_H
#define GOLDSET_BT_H
#include <stddef.h>
#include <stdint.h>

enum st_bt_outcome { ST_BT_A_WINS = 0, ST_BT_B_WINS = 1, ST_BT_TIE = 2 };
enum st_bt_left { ST_BT_LEFT_UNKNOWN = -1, ST_BT_LEFT_A = 0, ST_BT_LEFT_B = 1 };

struct st_bt_cmp {
	uint32_t a, b;        /* system indices, a != b */
	int8_t outcome;       /* enum st_bt_outcome */
	int8_t left;          /* enum st_bt_left: which side was shown left */
};

struct st_bt_opts {
	int bootstrap;        /* resamples for the intervals; 0: none */
	uint64_t seed;        /* for the bootstrap */
};
#define ST_BT_DEFAULT_BOOTSTRAP 1000

struct st_bt_system {
	double score;         /* centred theta; NaN when no finite estimate */
	double elo;           /* 1000 + 400 * score / ln 10; NaN likewise */
	double ci_lo, ci_hi;  /* 95% percentile interval of score; NaN if none */
	long wins, losses, ties;
	int group;            /* strongly connected component (see st_bt_components) */
	int piece;            /* connected piece: systems linked by any comparisons */
	double group_score;   /* theta centred within its group; NaN for a group of one */
	int never_lost;       /* has comparisons, all of them wins (no loss, no tie) */
	int never_won;        /* has comparisons, all of them losses */
};

struct st_bt_result {
	size_t n;                    /* systems */
	size_t comparisons;
	int finite;                  /* 1: the MLE exists (one group) */
	size_t groups;               /* strongly connected components */
	size_t pieces;               /* connected pieces (>1: some systems never met, even indirectly) */
	struct st_bt_system *sys;    /* n entries */
	long *h2h_wins;              /* n*n: [i*n+j] = times i beat j */
	long *h2h_ties;              /* n*n: [i*n+j] = ties between i and j (symmetric) */
	int iterations;              /* Newton steps of the main fit */
	double max_gradient;         /* at the solution, in units of comparisons */
	/* bootstrap */
	int resamples;               /* asked for */
	int resamples_used;          /* with a finite estimate. The others (some system
				      * never lost or never won in them) count as
				      * unbounded in both tails: they widen every
				      * interval, which is NaN once they reach 2.5% */
	/* position bias: comparisons whose left side is known, ties excluded */
	long left_known;             /* comparisons with a known left side */
	long left_decided;           /* of those, not tied */
	long left_won;               /* of those, won by the left side */
	double left_rate;            /* left_won / left_decided; NaN if 0 decided */
	double left_lo, left_hi;     /* Wilson 95% interval; NaN if 0 decided */
	int left_biased;             /* the interval excludes 0.5 */
};

/* Fits n systems from ncmp comparisons. Returns 0, or -1 when a comparison
 * names a system >= n, has a == b or an unknown outcome, or there are 2^32
 * comparisons or more (r is then empty). Costs: one pass over the
 * comparisons and an n x n matrix for the fit (Newton: O(n^3) a step, a
 * handful of steps); O(comparisons) per bootstrap resample. Free r with
 * st_bt_result_free. */
int st_bt_fit(size_t n, const struct st_bt_cmp *c, size_t ncmp,
	      const struct st_bt_opts *o, struct st_bt_result *r);
void st_bt_result_free(struct st_bt_result *r);

/* Lower-level pieces, exposed for tests and other callers. */

/* Maximum likelihood on an n x n win matrix w (w[i*n+j] = wins of i over j,
 * ties already split as 0.5 each). theta (n) holds a start (zeros are fine)
 * and receives the centred estimate. Returns the number of Newton steps,
 * or -1 when the win graph is not strongly connected (theta untouched). */
int st_bt_mle(size_t n, const double *w, double *theta);

/* Strongly connected components of the graph i -> j when w[i*n+j] > 0.
 * comp[i] receives the component of i, numbered so that no edge goes from
 * a later component to an earlier one (0 = top: beaten by no later group).
 * Returns the number of components. */
size_t st_bt_components(size_t n, const double *w, int *comp);

/* Wilson score interval for k successes out of m at 95% (z = 1.959964). */
void st_bt_wilson95(long k, long m, double *lo, double *hi);

/* Pair design for the pair screen: which pairs of k systems to compare on
 * the item_index-th item. names fixes a canonical order (sorted by name) so
 * that the design does not depend on the order the outputs are listed in.
 * k <= 4: every pair. Otherwise pairs_per_item pairs (capped at k(k-1)/2)
 * taken in turn from a seeded round-robin schedule, so that over
 * consecutive items every pair, and so every system, comes up equally
 * often. out receives (index, index) pairs into names; returns the count.
 * out must hold max(6, pairs_per_item) pairs. */
size_t st_bt_pairs_for_item(const char *const *names, size_t k, size_t item_index,
			    size_t pairs_per_item, uint64_t seed, uint32_t (*out)[2]);

#endif
