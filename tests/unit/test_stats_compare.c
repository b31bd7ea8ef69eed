/* test_stats_compare.c: the statistics of `goldset compare`
 * (src/stats/compare.c). Every expected value states its source:
 *
 * - Wilson intervals: statsmodels 0.13 (Debian python3-statsmodels),
 *   proportion_confint(k, n, alpha=0.05, method="wilson"), printed with repr.
 * - Binomial test: statsmodels binom_test(k, n, 0.5), the same as scipy
 *   1.10 scipy.stats.binomtest(k, n).pvalue (checked for 13/20 and 480/1000).
 * - Sign-flip p-values: counted by hand (small cases, the working in each
 *   comment) and for a 10-item case by enumerating the 1024 sign vectors in
 *   Python (itertools.product([1, -1], repeat=10)).
 * - The bootstrap: properties (undefined for one item, a point for equal
 *   differences, the same seed the same interval) and the normal
 *   approximation mean +- 1.96 sd / sqrt(n) within 0.02, both with few
 *   distinct values (counts drawn by binomial splits) and with all values
 *   distinct (items drawn one by one).
 * - rng_binomial, the exact binomial variate both resamplings draw from:
 *   chi-square goodness of fit against the binomial pmf (computed here from
 *   its formula) below the 0.1% critical value of chi-square (df 10: 29.59,
 *   df 6: 22.46; scipy.stats.chi2.ppf(0.999, df)), and the mean and
 *   variance of 4000 draws of Binomial(10000, 3/7) within 5 standard errors
 *   of n p and n p (1 - p).
 * - The sign-flip p of 30 differences (25 of 1 and 5 of -2, sum 15) by
 *   resampling, against the exact p counted here from the two groups' sign
 *   counts, within 4 standard errors. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "stats/compare.h"
#include "base/rng.h"

#define near(a, b, tol) do { \
	double a_ = (a), b_ = (b); \
	if (!(fabs(a_ - b_) <= (tol))) \
		fail_msg("%s = %.15g, expected %.15g (tolerance %g)", #a, a_, b_, (double)(tol)); \
} while (0)

static void wilson_against_statsmodels(void **state)
{
	(void)state;
	struct { double k, n, lo, hi; } w[] = {
		{7, 10, 0.39677814746114537, 0.8922087325936989},
		{0, 10, 0.0, 0.27753279986288926},
		{10, 10, 0.7224672001371106, 1.0},
		{13.5, 20, 0.45669287439782247, 0.8369133202836907},   /* 12 wins, 3 ties, 5 losses */
		{1, 1, 0.2065493143772374, 1.0},
		{57, 100, 0.47215389549212305, 0.6626670147588988},
		{3, 7, 0.15821985525146964, 0.7495416354723428},
	};
	for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
		double lo, hi;
		st_wilson95(w[i].k, w[i].n, &lo, &hi);
		near(lo, w[i].lo, 1e-12);
		near(hi, w[i].hi, 1e-12);
	}
	double lo, hi;
	st_wilson95(0, 0, &lo, &hi);
	assert_true(isnan(lo) && isnan(hi));
}

static void binomial_against_scipy(void **state)
{
	(void)state;
	struct { long k, n; double p; } b[] = {
		{7, 10, 0.34375}, {0, 10, 0.001953125}, {5, 10, 1.0}, {13, 20, 0.26317596435546875},
		{1, 1, 1.0}, {57, 100, 0.19334790449564243}, {3, 7, 1.0}, {2, 30, 8.67992639541626e-07},
		{480, 1000, 0.2174482932041409},
	};
	for (size_t i = 0; i < sizeof b / sizeof *b; i++) near(st_binom_p_half(b[i].k, b[i].n), b[i].p, 1e-12 + 1e-9 * b[i].p);
	assert_true(isnan(st_binom_p_half(0, 0)));
}

static double flip(const double *d, size_t n, int *exact)
{
	return st_signflip_p(d, n, 2000, 1, exact);
}

static void signflip_exact_by_hand(void **state)
{
	(void)state;
	int exact;
	/* 1, 2, 3: sums +-1+-2+-3 are 6 4 2 0 0 -2 -4 -6; |S| >= 6 in 2 of 8 */
	double a[] = {1, 2, 3};
	near(flip(a, 3, &exact), 0.25, 0);
	assert_int_equal(exact, 1);
	/* 1, 1, 1, 1: only all + and all - reach |S| = 4: 2 of 16 */
	double b[] = {1, 1, 1, 1};
	near(flip(b, 4, &exact), 0.125, 0);
	/* 2, -1, 0.5: sum 1.5; S in +-3.5 +-2.5 +-1.5 +-0.5: 6 of 8 reach 1.5 */
	double c[] = {2, -1, 0.5};
	near(flip(c, 3, &exact), 0.75, 0);
	/* eleven 1s and one -1: S = 2k - 12 for k signs +; |S| >= 10 for
	 * k = 0, 1, 11, 12: 1 + 12 + 12 + 1 = 26 of 4096 */
	double e[12];
	for (int i = 0; i < 12; i++) e[i] = i == 7 ? -1 : 1;
	near(flip(e, 12, &exact), 26.0 / 4096, 0);
	/* twelve 1s: 2 of 4096 */
	for (int i = 0; i < 12; i++) e[i] = 1;
	near(flip(e, 12, &exact), 2.0 / 4096, 0);
	/* all zero: every sign vector ties: 1 */
	double z[] = {0, 0, 0, 0, 0};
	near(flip(z, 5, &exact), 1, 0);
	/* ten differences, 84 of 1024 sign vectors (Python enumeration) */
	double g[] = {0.5, -1, 2, 1.5, 0, 1, -0.5, 3, 1, 0.5};
	near(flip(g, 10, &exact), 84.0 / 1024, 0);
	assert_true(isnan(flip(g, 0, &exact)));
}

static void signflip_random_resamples(void **state)
{
	(void)state;
	int exact;
	double d[40];
	for (int i = 0; i < 40; i++) d[i] = 1;
	/* the true p is 2 / 2^40: no resample of 2000 reaches it, p = 1 / 2001 */
	near(flip(d, 40, &exact), 1.0 / 2001, 1e-15);
	assert_int_equal(exact, 0);
	for (int i = 0; i < 40; i++) d[i] = i % 2 ? 1 : -1;
	/* sum 0: every resample reaches it: (2000 + 1) / 2001 */
	near(flip(d, 40, &exact), 1, 1e-15);
	/* the same seed, the same p */
	for (int i = 0; i < 40; i++) d[i] = (i % 7) - 2.5;
	assert_true(st_signflip_p(d, 40, 500, 9, &exact) == st_signflip_p(d, 40, 500, 9, &exact));
}

static void bootstrap_interval(void **state)
{
	(void)state;
	double lo, hi;
	double one[] = {2};
	st_mean_boot95(one, 1, 2000, 1, &lo, &hi);
	assert_true(isnan(lo) && isnan(hi));
	double same[] = {0.5, 0.5, 0.5, 0.5};
	st_mean_boot95(same, 4, 2000, 1, &lo, &hi);
	near(lo, 0.5, 0);
	near(hi, 0.5, 0);
	/* -1 0 1 2 3 repeated: mean 1, population variance 2; the interval is
	 * about 1 +- 1.96 sqrt(2 / 1000) = [0.912, 1.088] */
	double *d = malloc(1000 * sizeof *d);
	for (int i = 0; i < 1000; i++) d[i] = i % 5 - 1;
	st_mean_boot95(d, 1000, 2000, 1, &lo, &hi);
	near(lo, 1 - 1.959964 * sqrt(2.0 / 1000), 0.02);
	near(hi, 1 + 1.959964 * sqrt(2.0 / 1000), 0.02);
	double lo2, hi2;
	st_mean_boot95(d, 1000, 2000, 1, &lo2, &hi2);
	assert_true(lo == lo2 && hi == hi2);
	struct st_paired p;
	st_paired_compare(d, 1000, 2000, 1, &p);
	near(p.mean, 1, 1e-12);
	assert_true(p.lo == lo && p.hi == hi);
	assert_true(p.p < 0.001);
	free(d);
	st_paired_compare(NULL, 0, 2000, 1, &p);
	assert_true(isnan(p.mean) && isnan(p.lo) && isnan(p.p));
}

/* the chi-square statistic of `draws` Binomial(n, a/b) variates against the pmf */
static double binomial_chi2(unsigned n, uint64_t a, uint64_t b, int draws, uint64_t seed)
{
	struct rng g;
	rng_seed(&g, seed);
	int count[64] = {0};
	for (int i = 0; i < draws; i++) {
		uint64_t k = rng_binomial(&g, n, a, b);
		assert_true(k <= n);
		count[k]++;
	}
	double p = (double)a / (double)b, chi2 = 0;
	for (unsigned k = 0; k <= n; k++) {
		double pmf = exp(lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) + k * log(p) + (n - k) * log1p(-p));
		double want = pmf * draws;
		chi2 += (count[k] - want) * (count[k] - want) / want;
	}
	return chi2;
}

static void binomial_variate(void **state)
{
	(void)state;
	/* df = n: the n + 1 cells of the pmf less one */
	double c = binomial_chi2(10, 1, 3, 20000, 1);
	if (!(c < 29.59)) fail_msg("Binomial(10, 1/3): chi-square %g >= 29.59", c);
	c = binomial_chi2(10, 1, 2, 20000, 2);
	if (!(c < 29.59)) fail_msg("Binomial(10, 1/2): chi-square %g >= 29.59", c);
	c = binomial_chi2(6, 5, 8, 20000, 3);   /* 5/8 = 0.101: its digits end */
	if (!(c < 22.46)) fail_msg("Binomial(6, 5/8): chi-square %g >= 22.46", c);
	/* 9999/10000: long runs of digit 1; P(k < 6) = 1 - 0.9999^6 = 0.0006,
	 * 12 of 20000 expected (Poisson sd 3.5) */
	struct rng g;
	rng_seed(&g, 4);
	int below = 0;
	for (int i = 0; i < 20000; i++) below += rng_binomial(&g, 6, 9999, 10000) < 6;
	near(below, 20000 * (1 - pow(0.9999, 6)), 5 * sqrt(12.0));
	rng_seed(&g, 5);
	double s = 0, ss = 0;
	for (int i = 0; i < 4000; i++) {
		double k = (double)rng_binomial(&g, 10000, 3, 7);
		s += k;
		ss += k * k;
	}
	double mean = s / 4000, var = ss / 4000 - mean * mean, p = 3.0 / 7;
	double want_var = 10000 * p * (1 - p);
	near(mean, 10000 * p, 5 * sqrt(want_var / 4000));
	near(var, want_var, 5 * want_var * sqrt(2.0 / 3999));
	assert_int_equal(rng_binomial(&g, 100, 0, 5), 0);
	assert_int_equal(rng_binomial(&g, 100, 5, 5), 100);
	assert_int_equal(rng_binomial(&g, 0, 1, 2), 0);
}

static void bootstrap_distinct_values(void **state)
{
	(void)state;
	/* 1000 distinct values (more than n / 4: drawn one by one), mean 1,
	 * population variance 2 as above */
	double *d = malloc(1000 * sizeof *d), lo, hi;
	for (int i = 0; i < 1000; i++) d[i] = 1 + sqrt(24.0) * ((i + 0.5) / 1000 - 0.5);   /* uniform, width 2 sqrt 6 */
	double m = 0, v = 0;
	for (int i = 0; i < 1000; i++) m += d[i] / 1000;
	for (int i = 0; i < 1000; i++) v += (d[i] - m) * (d[i] - m) / 1000;
	st_mean_boot95(d, 1000, 2000, 1, &lo, &hi);
	near(lo, m - 1.959964 * sqrt(v / 1000), 0.02);
	near(hi, m + 1.959964 * sqrt(v / 1000), 0.02);
	free(d);
}

static void signflip_groups_against_convolution(void **state)
{
	(void)state;
	/* 25 items of 1 and 5 of -2: observed sum 15. With j of the 1s and i of
	 * the -2s positive, the sum is (2j - 25) + -2 (2i - 5); p = P(|sum| >= 15)
	 * over C(25, j) C(5, i) / 2^30 */
	double d[30], p = 0;
	for (int i = 0; i < 30; i++) d[i] = i < 25 ? 1 : -2;
	for (int j = 0; j <= 25; j++)
		for (int i = 0; i <= 5; i++) {
			int sum = (2 * j - 25) - 2 * (2 * i - 5);
			if (abs(sum) >= 15)
				p += exp(lgamma(26) - lgamma(j + 1) - lgamma(26 - j) + lgamma(6) - lgamma(i + 1) - lgamma(6 - i)
					 - 30 * log(2.0));
		}
	int exact;
	double got = st_signflip_p(d, 30, 20000, 3, &exact);
	assert_int_equal(exact, 0);
	near(got, p, 4 * sqrt(p * (1 - p) / 20000) + 1.0 / 20001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wilson_against_statsmodels), cmocka_unit_test(binomial_against_scipy),
		cmocka_unit_test(signflip_exact_by_hand), cmocka_unit_test(signflip_random_resamples),
		cmocka_unit_test(bootstrap_interval), cmocka_unit_test(binomial_variate),
		cmocka_unit_test(bootstrap_distinct_values), cmocka_unit_test(signflip_groups_against_convolution),
	};
	return cmocka_run_group_tests_name("stats_compare", tests, NULL, NULL);
}
