/* test_corr.c: cmocka tests for src/stats/corr.c (the judge check's
 * correlations, slope, mean interval and t quantile). Every expected value
 * was computed with scipy 1.10.1 (Debian 12's python3-scipy), the call
 * named beside it; the t quantiles are also in every printed t table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "stats/corr.h"

#define NEAR(want, got) assert_true(fabs((want) - (got)) < 1e-9)

static const double x[] = {1, 2, 3, 4, 5, 5, 6, 7, 8, 9};
static const double y[] = {2, 1, 4, 3, 6, 5, 5, 8, 9, 7};

static void t_pearson(void **st)
{
	(void)st;
	NEAR(0.8999999999999999, st_pearson(x, y, 10));     /* scipy.stats.pearsonr(x, y)[0] */
	double same[] = {3, 3, 3};
	assert_true(isnan(st_pearson(same, y, 3)));
}

static void t_spearman(void **st)
{
	(void)st;
	NEAR(0.9115853658536587, st_spearman(x, y, 10));   /* scipy.stats.spearmanr(x, y) */
	double same[] = {3, 3, 3};
	assert_true(isnan(st_spearman(same, y, 3)));       /* a series that never changes */
	assert_true(isnan(st_spearman(x, y, 2)));
}

static void t_kendall(void **st)
{
	(void)st;
	NEAR(0.75, st_kendall_tau_b(x, y, 10));            /* scipy.stats.kendalltau(x, y): tau-b */
	/* ties on both sides: kendalltau([1,1,2,3], [1,2,2,3]) = 0.8 */
	double a[] = {1, 1, 2, 3}, b[] = {1, 2, 2, 3};
	NEAR(0.8, st_kendall_tau_b(a, b, 4));
}

/* tau-b by its definition, pair by pair (O(n^2)) */
static double tau_b_by_pairs(const double *a, const double *b, size_t n)
{
	double c = 0, d = 0, ta = 0, tb = 0, pairs = (double)n * (double)(n - 1) / 2.0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double s = (a[i] - a[j]) * (b[i] - b[j]);
			ta += a[i] == a[j];
			tb += b[i] == b[j];
			c += s > 0;
			d += s < 0;
		}
	return (c - d) / sqrt((pairs - ta) * (pairs - tb));
}

/* the O(n log n) count equals the pair-by-pair one on random data with ties */
static void t_kendall_fast(void **st)
{
	(void)st;
	unsigned seed = 7;
	double a[300], b[300];
	for (int round = 0; round < 200; round++) {
		size_t n = 2 + (size_t)round % 299;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (double)((seed >> 16) % 5);
			seed = seed * 1103515245u + 12345u;
			b[i] = (double)((seed >> 16) % (3 + round % 7)) / 4.0;
		}
		double want = tau_b_by_pairs(a, b, n), got = st_kendall_tau_b(a, b, n);
		assert_true(isnan(want) ? isnan(got) : fabs(want - got) < 1e-12);
	}
}

static void t_slope(void **st)
{
	(void)st;
	NEAR(0.9, st_slope(x, y, 10));                     /* scipy.stats.linregress(x, y).slope */
	double flat[] = {2, 2, 2};
	assert_true(isnan(st_slope(flat, y, 3)));
}

static void t_t_quantile(void **st)
{
	(void)st;
	assert_true(fabs(12.706204736432095 - st_t_quantile(0.975, 1)) < 1e-8);   /* scipy.stats.t.ppf(0.975, 1) */
	assert_true(fabs(2.5705818366147395 - st_t_quantile(0.975, 5)) < 1e-8);   /* t.ppf(0.975, 5) */
	assert_true(fabs(2.045229642132703 - st_t_quantile(0.975, 29)) < 1e-8);   /* t.ppf(0.975, 29) */
	assert_true(fabs(-2.9400886379827784 - st_t_quantile(0.025, 3.5)) < 1e-8); /* t.ppf(0.025, 3.5) */
	assert_true(fabs(1.2900747613398769 - st_t_quantile(0.9, 100)) < 1e-8);   /* t.ppf(0.9, 100) */
	assert_true(isnan(st_t_quantile(1.0, 5)));
}

static void t_mean_ci(void **st)
{
	(void)st;
	double d[] = {0.5, -1, 2, 1, 0, 1.5, -0.5, 1}, lo, hi;
	/* scipy.stats.t.interval(0.95, 7, loc=mean(d), scale=sem(d)) */
	NEAR(0.5625, st_mean_ci95(d, 8, &lo, &hi));
	assert_true(fabs(-0.286483259090733 - lo) < 1e-8);
	assert_true(fabs(1.411483259090733 - hi) < 1e-8);
	double one[] = {2};
	NEAR(2, st_mean_ci95(one, 1, &lo, &hi));
	assert_true(isnan(lo) && isnan(hi));               /* one value: no interval */
	double same[] = {1, 1, 1};
	NEAR(1, st_mean_ci95(same, 3, &lo, &hi));
	NEAR(1, lo);
	NEAR(1, hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_pearson),
		cmocka_unit_test(t_spearman),
		cmocka_unit_test(t_kendall),
		cmocka_unit_test(t_kendall_fast),
		cmocka_unit_test(t_slope),
		cmocka_unit_test(t_t_quantile),
		cmocka_unit_test(t_mean_ci),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
