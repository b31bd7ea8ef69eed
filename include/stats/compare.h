/* compare.h: is system A better than system B (`goldset compare`): pure
 * math on arrays, no names. Two designs:
 *
 *   paired    each item rated for both systems (pointwise labels): the
 *             per-item differences d_i = a_i - b_i (each a mean over the
 *             item's raters). Mean difference; its 95% percentile
 *             bootstrap interval (resample the items with replacement, as
 *             many as there are, the mean of each resample, quantiles
 *             2.5% and 97.5% interpolated as R's type 7; Efron &
 *             Tibshirani 1993, ch. 13); the two-sided sign-flip
 *             permutation p-value of the mean (Fisher 1935; Good 2005,
 *             "Permutation, Parametric and Bootstrap Tests of Hypotheses"
 *             3.1): under "no difference" each d_i is as likely -d_i, so
 *             p = share of sign vectors s with |sum s_i d_i| >= |sum d_i|.
 *             Up to ST_SIGNFLIP_EXACT_MAX items every one of the 2^n sign
 *             vectors is counted (exact); beyond, `resamples` random ones
 *             and p = (1 + hits) / (1 + resamples) (Phipson & Smyth 2010).
 *   pairwise  comparisons of A with B: win rate (wins + ties / 2) / n with
 *             Wilson's score interval (Wilson 1927); the exact two-sided
 *             binomial test of wins against losses at 1/2 (ties left out:
 *             the sign test), p = min(1, 2 P(X <= min(k, m - k))), which is
 *             what scipy.stats.binomtest gives at p = 1/2.
 *
 * Undefined results are NaN: no items (everything), one item (the
 * bootstrap interval), no comparisons (win rate), no decided comparison
 * (the binomial test). */
#ifndef GOLDSET_STATS_COMPARE_H
#define GOLDSET_STATS_COMPARE_H
#include <stddef.h>
#include <stdint.h>

#define ST_SIGNFLIP_EXACT_MAX 16   /* exact enumeration up to 2^16 sign vectors */

struct st_paired {
	size_t n;
	double mean;      /* mean of d; NaN if n == 0 */
	double lo, hi;    /* bootstrap 95%; NaN if n < 2 or no resamples */
	double p;         /* sign-flip, two-sided; NaN if n == 0 */
	int exact;        /* p counted over all 2^n sign vectors */
};

/* the paired analysis of d[0..n) (seeded: the same seed, the same numbers) */
void st_paired_compare(const double *d, size_t n, unsigned resamples, uint64_t seed, struct st_paired *out);
/* the percentile bootstrap 95% interval of the mean of d */
void st_mean_boot95(const double *d, size_t n, unsigned resamples, uint64_t seed, double *lo, double *hi);
/* the sign-flip p-value of the mean of d (*exact set when enumerated) */
double st_signflip_p(const double *d, size_t n, unsigned resamples, uint64_t seed, int *exact);

/* Wilson score interval at 95% (z = 1.959964) of k successes out of n
 * (k may be a half: ties counted half); NaN when n <= 0 */
void st_wilson95(double k, double n, double *lo, double *hi);
/* exact two-sided binomial test of k successes in n trials at p = 1/2;
 * NaN when n <= 0 */
double st_binom_p_half(long k, long n);
#endif
