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
 *             statsmodels' std_kappa), undefined (NaN, noted) when it is 0
 *             (one rater gave every unit the same value, or a degenerate
 *             table: an SE of 0 would claim certainty).
 *   kappa CI  the 95% interval of kappa and of both weighted kappas is a
 *             percentile bootstrap over the units both raters rated (the
 *             seed and resamples of alpha's; resampled units drawn
 *             rng_below(n) n times, in unit order; resamples where the
 *             statistic is undefined left out and counted in a note): it
 *             stays inside [-1, 1] and inside what the data allow, where
 *             kappa +- 1.96 SE went past 1 on small samples. Undefined
 *             when the SE is.
 *   weighted  Cohen (1968), kappa_w = 1 - sum d_ij p_ij / sum d_ij p_i. p_.j
 *             with d = |x_i - x_j| (linear) or (x_i - x_j)^2 (quadratic).
 *   fleiss    Fleiss (1971) on the units every rater rated.
 *   percent   of all pairs of values given to the same unit, the share
 *             that are equal (pooled over units).
 *   AC1, AC2  Gwet (2008; Handbook of Inter-Rater Reliability, 4th ed.
 *             2014, ch. 2-3), the multi-rater form with missing values of
 *             the irrCAC package (gwet.ac1.raw): pa over the units with two
 *             or more values, pe = T_w sum_k pi_k (1 - pi_k) / (q (q - 1)),
 *             pi_k the mean share of category k over the units with a
 *             value, q the categories (the scale's values and every value
 *             observed), T_w the sum of the weights; AC1 with identity
 *             weights, AC2 with linear weights 1 - |x_k - x_l| / (max - min).
 *             Standard error: Gwet's linearisation (irrCAC's, no finite
 *             population correction). Undefined (NaN, noted) with one value
 *             only, fewer than two units with two or more values, pe = 1.
 *   PABAK     Byrt, Bishop & Carlin (1993): (q Po - 1) / (q - 1), Po the
 *             observed agreement of the two raters, q the categories.
 *   PI, BI    Byrt, Bishop & Carlin (1993), two raters, two categories:
 *             prevalence index |n_11 - n_22| / n, bias index
 *             |n_12 - n_21| / n. The bias index is also given for more
 *             categories as sum_i |p_i. - p_.i| / 2 (the same for two);
 *             the prevalence index only for two (else NaN, noted).
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
#include "base/rng.h"
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
#define ST_NOTES_MAX 24
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

/* Gwet's AC1 (weighted 0) or AC2 with linear weights (weighted 1) over
 * every rater of d; categories: d->scale and every value observed. */
struct st_gwet {
	double coef, se, pa, pe;
	size_t n;               /* units with a value */
};
struct st_gwet st_gwet(const struct st_data *d, int weighted, struct st_notes *notes);

/* How many units a kappa needs for its 95% interval to be +- halfwidth,
 * from the observed (po) and chance (pe) agreement, by Cohen's (1960)
 * large-sample SE sqrt(po (1 - po) / (n (1 - pe)^2)):
 *   n = ceil((1.959964 / halfwidth)^2 po (1 - po) / (1 - pe)^2).
 * 0 when po or pe is NaN or pe >= 1. */
size_t st_units_for_halfwidth(double po, double pe, double halfwidth);

/* The spread of one rater's values over a scale of k points (counts[k]):
 *   ST_SPREAD_NARROW   at least 90% of the values on one point (scales of
 *                      up to 3 points) or on two points (4 or more): the
 *                      criterion does not discriminate;
 *   ST_SPREAD_BIMODAL  3 or more points; the two most used points are not
 *                      neighbours, each holds at least 20% of the values,
 *                      and every point between them at most half of the
 *                      smaller one's count: possibly ambiguous;
 *   ST_SPREAD_OK       otherwise, or fewer than ST_SPREAD_MIN_VALUES values. */
enum st_spread { ST_SPREAD_OK, ST_SPREAD_NARROW, ST_SPREAD_BIMODAL };
#define ST_SPREAD_MIN_VALUES 10
enum st_spread st_value_spread(const long *counts, size_t k);
const char *st_spread_words(enum st_spread s);   /* "not discriminating", "possibly ambiguous", NULL */

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
	double weighted_linear_lo, weighted_linear_hi;        /* bootstrap 95% */
	double weighted_quadratic_lo, weighted_quadratic_hi;
	double gwet_ac1, gwet_ac1_se, gwet_ac2, gwet_ac2_se;  /* AC2: not nominal */
	double pabak, prevalence_index, bias_index;         /* two raters */
	double kappa_po, kappa_pe;        /* observed and chance agreement of the kappa (Cohen's, or Fleiss') */
	double top_share;                 /* share of the most used value among the pairable values */
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

/* p-quantile of sorted x[0..n-1], linear interpolation (R type 7); NaN if n == 0 */
double st_quantile(const double *sorted, size_t n, double p);
#endif
