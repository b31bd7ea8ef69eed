/* stats.h: agreement statistics for `goldset agree` (and `calibrate
 * report`): Krippendorff's alpha with a bootstrap interval, Cohen's kappa
 * (plain with its asymptotic standard error, and weighted), Fleiss' kappa,
 * percent agreement, the confusion matrix. Pure math in src/stats/: no I/O,
 * no SQL, no names. Bradley–Terry lives in bt.h; both use the seeded
 * generator and the percentile helper declared at the end of this file.
 *
 * Reliability data (struct st_data) is a units x raters matrix of doubles,
 * NaN where a rater gave no value. Numbers are themselves; a category is
 * passed as its position in the criterion's category list (0, 1, 2, ...),
 * and the level of measurement decides the metric. Weighted kappa weighs by
 * the numeric distance of the values, so positions taken from the full
 * category list weigh over the full scale (not only the values observed),
 * and a numeric scale 1,2,3,4,6 weighs 4->6 twice 3->4.
 *
 * Definitions (each checked in tests/unit/test_stats_agree.c against a
 * published example and in tests/crosscheck/agree_check.py against
 * statsmodels, sklearn and nltk):
 *   alpha     Krippendorff (2011), "Computing Krippendorff's alpha-
 *             reliability", coincidence-matrix form; units with fewer than
 *             two values are not pairable; alpha = 1 - (n-1) D_o / D_e.
 *   kappa     Cohen (1960) on the units both raters rated; standard error
 *             of Fleiss, Cohen & Everitt (1969) (SAS PROC FREQ's ASE,
 *             statsmodels' std_kappa); CI = kappa +- 1.959964 SE.
 *   weighted  Cohen (1968), kappa_w = 1 - sum d_ij p_ij / sum d_ij p_i. p_.j
 *             with d = |x_i - x_j| (linear) or (x_i - x_j)^2 (quadratic).
 *   fleiss    Fleiss (1971) on the units every rater rated.
 *   percent   of all pairs of values given to the same unit, the share
 *             that are equal (pooled over units).
 *   alpha CI  percentile bootstrap over the pairable units (resampled with
 *             replacement, as many as there are), quantiles interpolated
 *             linearly (type 7); resamples whose alpha is undefined are
 *             left out and counted in a note.
 *
 * Undefined results are NaN and a note in struct st_notes says why; the
 * functions never divide by zero and never abort on odd data.
 *
 * Cost: O(cells) plus a hash of the distinct values (none when codes are
 * passed), for every statistic but ratio alpha, whose expected disagreement
 * is O(V^2) in the number V of distinct values (refused with a note past
 * ST_RATIO_MAX_VALUES). The bootstrap groups units with identical values;
 * a resample costs one draw per pairable unit plus O(groups) for interval,
 * O(values in the groups + V) for nominal and ordinal, O(V^2) for ratio.
 * No V x V table is ever built. */
#ifndef GOLDSET_STATS_H
#define GOLDSET_STATS_H
#include <stddef.h>
#include <stdint.h>

enum st_level { ST_NOMINAL, ST_ORDINAL, ST_INTERVAL, ST_RATIO };
const char *st_level_name(enum st_level lv);          /* "nominal" ... */
int st_level_parse(const char *s, enum st_level *out); /* 0, or -1 if unknown */

/* Build it with designated initializers ({.units = .., .raters = .., .v = ..})
 * so fields added later stay zero. */
struct st_data {
	size_t units, raters;
	const double *v;        /* v[u * raters + r]; NaN = missing */
	const double *scale;    /* optional: every value the scale allows, */
	size_t nscale;          /* ascending (only the confusion matrix uses it) */
	/* optional, instead of v (which may then be NULL): the values as codes
	 * into code_value (ncode distinct values, ascending), ST_NO_CODE (or any
	 * code >= ncode) = missing. Saves hashing the doubles when the caller
	 * (the CSV loader) already knows the distinct values. */
	const uint32_t *code;
	const double *code_value;
	size_t ncode;
};
#define ST_NO_CODE UINT32_MAX
/* the value in cell i (u * raters + r) of d, NaN if missing */
double st_cell(const struct st_data *d, size_t i);

/* Why a statistic is undefined, and other things worth saying. */
#define ST_NOTES_MAX 16
#define ST_NOTE_LEN 160
struct st_notes {
	size_t n;
	char text[ST_NOTES_MAX][ST_NOTE_LEN];
};
void st_note(struct st_notes *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ST_Z975 1.959963984540054           /* the 97.5% normal quantile */
#define ST_DEFAULT_BOOTSTRAP 1000
#define ST_RATIO_MAX_VALUES 100000          /* ratio alpha: V^2 work */

/* Krippendorff's alpha. notes may be NULL. */
double st_alpha(const struct st_data *d, enum st_level lv, struct st_notes *notes);
/* Its 95% percentile bootstrap interval; *lo = *hi = NaN when undefined. */
void st_alpha_ci(const struct st_data *d, enum st_level lv, uint64_t seed,
		unsigned resamples, double *lo, double *hi, struct st_notes *notes);

/* Cohen's kappa between raters r1 and r2 on the units both rated. */
struct st_kappa {
	double kappa, se, lo, hi;
	size_t n;               /* units both raters rated */
};
struct st_kappa st_cohen_kappa(const struct st_data *d, size_t r1, size_t r2, struct st_notes *notes);

enum st_weights { ST_LINEAR, ST_QUADRATIC };
double st_weighted_kappa(const struct st_data *d, size_t r1, size_t r2,
		enum st_weights w, struct st_notes *notes);

/* Fleiss' kappa over the units every rater rated; *used and *dropped (may
 * be NULL) count the units kept and left out. */
double st_fleiss_kappa(const struct st_data *d, size_t *used, size_t *dropped, struct st_notes *notes);

double st_percent_agreement(const struct st_data *d, struct st_notes *notes);

/* Confusion matrix of raters r1 (rows) and r2 (columns) over the scale's
 * values and every value observed, ascending: returns their number k and
 * sets *values (k) and *counts (k*k, [i*k+j] = units r1 gave values[i] and
 * r2 values[j]); both malloc'd. k*k cells: meant for small scales. */
size_t st_confusion(const struct st_data *d, size_t r1, size_t r2, double **values, long **counts);

/* Everything `agree --json` reports for one table, in the contract's order (HACKING). */
struct st_agree {
	enum st_level level;
	size_t units, raters;
	size_t pairable_units;            /* units with two or more values */
	size_t values;                    /* cells with a value, pairable or not */
	double alpha, alpha_lo, alpha_hi;
	double percent_agreement;
	double cohen_kappa, cohen_kappa_se, cohen_kappa_lo, cohen_kappa_hi;
	double weighted_kappa_linear, weighted_kappa_quadratic;
	double fleiss_kappa;
	size_t kappa_units;               /* units both raters rated */
	size_t fleiss_units;              /* units every rater rated */
	unsigned resamples;
	uint64_t seed;
	struct st_notes notes;
};
/* resamples 0: no interval. Weighted kappa is left out (NaN, noted) for
 * nominal data, where the order of categories means nothing. */
void st_agree(const struct st_data *d, enum st_level lv, uint64_t seed,
		unsigned resamples, struct st_agree *out);

/* Seeded generator (xoshiro256**, Blackman & Vigna 2018, its state filled
 * from the seed by splitmix64): the same seed gives the same stream on every
 * platform. Inline because a bootstrap draws hundreds of millions. */
struct st_rng { uint64_t s[4]; };
void st_rng_seed(struct st_rng *g, uint64_t seed);
/* splitmix64 (Steele, Lea & Flood 2014): the next number of the sequence
 * whose state is *x (each call advances it); the one copy in the program */
uint64_t st_splitmix64(uint64_t *x);

static inline uint64_t st_rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t st_rng_next(struct st_rng *g)
{
	uint64_t *s = g->s;
	uint64_t out = st_rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = st_rng_rotl(s[3], 45);
	return out;
}

/* uniform in [0, n), n > 0: Lemire's multiply-and-reject (no modulo bias) */
static inline uint64_t st_rng_below(struct st_rng *g, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)st_rng_next(g) * n;
	if ((uint64_t)m < n) {
		uint64_t floor = (0 - n) % n;   /* 2^64 mod n */
		while ((uint64_t)m < floor) m = (unsigned __int128)st_rng_next(g) * n;
	}
	return (uint64_t)(m >> 64);
}
/* p-quantile of sorted x[0..n-1], linear interpolation (R type 7); NaN if n == 0 */
double st_quantile(const double *sorted, size_t n, double p);
#endif
