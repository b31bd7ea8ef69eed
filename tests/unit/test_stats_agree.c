/* test_stats_agree.c: the agreement statistics (include/stats/stats.h) against
 * published worked examples and independent implementations, each expected
 * value with its source; the edge cases that must give NaN and a note, not a
 * crash; the bootstrap against a plain re-computation; and the CSV reader
 * and `agree --table` loader (include/model/csv.h). Numbers quoted to more
 * decimals than the publications were computed with Debian's
 * python3-statsmodels 0.13.5, python3-sklearn 1.2.1 and python3-nltk 3.8,
 * or exactly with Python fractions from the textbook definition. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/csv.h"
#include "stats/stats.h"
#include "base/util.h"

#define N NAN
#define DATA(u, r, cells) {.units = (u), .raters = (r), .v = (cells)}

static void near_(double got, double want, double tol, const char *expr, int line)
{
	if (fabs(got - want) <= tol) return;
	fail_msg("line %d: %s = %.15g, expected %.15g (+- %g)", line, expr, got, want, tol);
}
#define assert_near(got, want, tol) near_((got), (want), (tol), #got, __LINE__)

static int has_note(const struct st_notes *n, const char *part)
{
	for (size_t i = 0; i < n->n; i++)
		if (strstr(n->text[i], part)) return 1;
	return 0;
}
#define assert_note(notes, part) do { if (!has_note((notes), (part))) \
	fail_msg("line %d: no note containing \"%s\" (%zu notes)", __LINE__, (part), (notes)->n); } while (0)

/* two raters from a square table of counts (rows rater 1, columns rater 2),
 * values = position; returns units */
static size_t from_table(const int *t, size_t k, double *v)
{
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			for (int c = 0; c < t[i * k + j]; c++, u++) {
				v[2 * u] = (double)i;
				v[2 * u + 1] = (double)j;
			}
	return u;
}

/* ---------- Krippendorff's alpha ---------- */

/* Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
 * Annenberg School for Communication, University of Pennsylvania, section C:
 * 4 observers x 12 units with missing values. Published: nominal .743,
 * ordinal .815, interval .849, ratio .797. Exact values from the
 * coincidence-matrix definition with Python fractions: 113/152,
 * 108577/133160, 951/1120, 18222619/22852465 (nltk 3.8 agrees for nominal
 * and interval: 0.743421052631579, 0.8491071428571428). Rows are units. */
static const double k2011[12 * 4] = {
	1, 1, N, 1,   2, 2, 3, 2,   3, 3, 3, 3,   3, 3, 3, 3,
	2, 2, 2, 2,   1, 2, 3, 4,   4, 4, 4, 4,   1, 1, 2, 1,
	2, 2, 2, 2,   N, 5, 5, 5,   N, N, 1, 1,   N, 3, N, N,
};

static void alpha_krippendorff_2011(void **state)
{
	(void)state;
	struct st_data d = DATA(12, 4, k2011);
	struct st_notes notes = {0};
	assert_near(st_alpha(&d, ST_NOMINAL, &notes), 113.0 / 152, 1e-12);
	assert_near(st_alpha(&d, ST_ORDINAL, &notes), 108577.0 / 133160, 1e-12);
	assert_near(st_alpha(&d, ST_INTERVAL, &notes), 951.0 / 1120, 1e-12);
	assert_near(st_alpha(&d, ST_RATIO, &notes), 18222619.0 / 22852465, 1e-12);
	assert_near(st_alpha(&d, ST_NOMINAL, NULL), 0.743, 5e-4);
	assert_near(st_alpha(&d, ST_ORDINAL, NULL), 0.815, 5e-4);
	assert_near(st_alpha(&d, ST_INTERVAL, NULL), 0.849, 5e-4);
	assert_near(st_alpha(&d, ST_RATIO, NULL), 0.797, 5e-4);
	assert_int_equal(notes.n, 0);
}

/* the same example through st_agree: the counts HACKING's JSON example shows
 * (12 units, 4 raters, 11 pairable, 41 values); percent agreement = 43
 * equal pairs of 55 (counted by hand from the table); Fleiss' kappa on the 8
 * complete units = 0.6414565826330533 (statsmodels fleiss_kappa on those
 * rows, aggregate_raters) */
static void agree_krippendorff_2011(void **state)
{
	(void)state;
	struct st_data d = DATA(12, 4, k2011);
	struct st_agree a;
	st_agree(&d, ST_INTERVAL, 1, 200, &a);
	assert_int_equal(a.units, 12);
	assert_int_equal(a.raters, 4);
	assert_int_equal(a.pairable_units, 11);
	assert_int_equal(a.values, 41);
	assert_near(a.alpha, 951.0 / 1120, 1e-12);
	assert_true(a.alpha_lo < a.alpha && a.alpha < a.alpha_hi);
	assert_near(a.percent_agreement, 43.0 / 55, 1e-12);
	assert_near(a.fleiss_kappa, 0.6414565826330533, 1e-12);
	assert_int_equal(a.fleiss_units, 8);
	assert_true(isnan(a.cohen_kappa) && isnan(a.cohen_kappa_se) && isnan(a.weighted_kappa_linear));
	assert_note(&a.notes, "Cohen's kappa (plain and weighted) needs exactly two raters");
	assert_note(&a.notes, "4 dropped");
}

/* ---------- Cohen's kappa ---------- */

/* Wikipedia, "Cohen's kappa", worked example: 50 grant proposals, both
 * readers yes 20, both no 15, A yes / B no 5, A no / B yes 10: kappa 0.4 */
static void kappa_wikipedia(void **state)
{
	(void)state;
	static const int t[4] = {20, 5, 10, 15};
	double v[100];
	size_t n = from_table(t, 2, v);
	assert_int_equal(n, 50);
	struct st_data d = DATA(n, 2, v);
	struct st_kappa k = st_cohen_kappa(&d, 0, 1, NULL);
	assert_near(k.kappa, 0.4, 1e-12);
	assert_int_equal(k.n, 50);
}

/* SAS PROC FREQ printout of a 3x3 agreement table, as reproduced in
 * statsmodels' stats/tests/test_inter_rater.py (table10,
 * TestUnweightedCohens / TestWeightedCohens): simple kappa 0.4842, ASE
 * 0.1380, 95% CL 0.2137 0.7547; weighted kappa (Cicchetti-Allison weights,
 * i.e. linear) 0.4701. More decimals: statsmodels cohens_kappa(table10):
 * 0.48416289592760187, std_kappa 0.1380135783058146, CI 0.21366125307070666
 * 0.754664538784497; weighted 0.4701195219123506. */
static void kappa_sas_3x3(void **state)
{
	(void)state;
	static const int t[9] = {0, 4, 1, 0, 8, 0, 0, 1, 5};
	double v[2 * 19];
	size_t n = from_table(t, 3, v);
	struct st_data d = DATA(n, 2, v);
	struct st_kappa k = st_cohen_kappa(&d, 0, 1, NULL);
	assert_near(k.kappa, 0.4842, 5e-5);
	assert_near(k.se, 0.1380, 5e-5);
	assert_near(k.lo, 0.2137, 5e-5);
	assert_near(k.hi, 0.7547, 5e-5);
	assert_near(k.kappa, 0.48416289592760187, 1e-12);
	assert_near(k.se, 0.1380135783058146, 1e-12);
	assert_near(k.lo, 0.21366125307070666, 1e-12);
	assert_near(k.hi, 0.754664538784497, 1e-12);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_LINEAR, NULL), 0.4701, 5e-5);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_LINEAR, NULL), 0.4701195219123506, 1e-12);
}

/* SAS/STAT User's Guide, The FREQ Procedure, Getting Started: "Agreement
 * Study" (SkinCondition data, two dermatologists, 88 patients, 4x4):
 * simple kappa 0.3449, ASE 0.0724, 95% CL 0.2030 0.4868. statsmodels:
 * 0.3448753462603878, 0.07239668737198354, 0.20298044641129429,
 * 0.4867702461094813; linear weighted kappa 0.5081600715403533. */
static void kappa_sas_skin(void **state)
{
	(void)state;
	static const int t[16] = {10, 4, 1, 0, 5, 10, 12, 2, 2, 4, 12, 5, 0, 2, 6, 13};
	double v[2 * 88];
	size_t n = from_table(t, 4, v);
	assert_int_equal(n, 88);
	struct st_data d = DATA(n, 2, v);
	struct st_kappa k = st_cohen_kappa(&d, 0, 1, NULL);
	assert_near(k.kappa, 0.3449, 5e-5);
	assert_near(k.se, 0.0724, 5e-5);
	assert_near(k.lo, 0.2030, 5e-5);
	assert_near(k.hi, 0.4868, 5e-5);
	assert_near(k.se, 0.07239668737198354, 1e-12);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_LINEAR, NULL), 0.5081600715403533, 1e-12);
}

/* Weighted kappa over the full scale. Scale 1..5 where 3 is never used:
 * sklearn cohen_kappa_score(a, b, labels=[1,2,3,4,5], weights='linear') =
 * 0.6190476190476191 ('quadratic': 0.7333333333333334); without labels=
 * sklearn weighs the observed values only and gets 0.6 (linear), which is
 * what "over the full scale" avoids. Plain kappa 0.4444444444444444. */
static void weighted_full_scale(void **state)
{
	(void)state;
	static const double a[12] = {1, 2, 2, 4, 5, 5, 1, 4, 2, 5, 4, 1};
	static const double b[12] = {1, 2, 4, 4, 5, 4, 2, 5, 2, 5, 1, 1};
	double v[24];
	for (int i = 0; i < 12; i++) v[2 * i] = a[i] - 1, v[2 * i + 1] = b[i] - 1;  /* positions */
	struct st_data d = DATA(12, 2, v);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_LINEAR, NULL), 0.6190476190476191, 1e-12);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_QUADRATIC, NULL), 0.7333333333333334, 1e-12);
	assert_near(st_cohen_kappa(&d, 0, 1, NULL).kappa, 0.4444444444444444, 1e-12);
}

/* Numeric scale 1,2,3,4,6 weighs by distance (4->6 twice 3->4):
 * statsmodels cohens_kappa(table, weights=[1,2,3,4,6], wt='linear') =
 * 0.6464646464646464, wt='quadratic' 0.8242811501597445 (sklearn, which
 * weighs by position, would give 0.6988 and 0.8837). */
static void weighted_numeric_distance(void **state)
{
	(void)state;
	static const double x[10] = {1, 2, 3, 4, 6, 6, 4, 3, 1, 2};
	static const double y[10] = {1, 3, 3, 6, 6, 4, 4, 2, 1, 1};
	double v[20];
	for (int i = 0; i < 10; i++) v[2 * i] = x[i], v[2 * i + 1] = y[i];
	struct st_data d = DATA(10, 2, v);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_LINEAR, NULL), 0.6464646464646464, 1e-12);
	assert_near(st_weighted_kappa(&d, 0, 1, ST_QUADRATIC, NULL), 0.8242811501597445, 1e-12);
}

/* ---------- Fleiss' kappa ---------- */

/* Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5
 * categories: kappa 0.210 (statsmodels fleiss_kappa: 0.20993070442195522) */
static void fleiss_wikipedia(void **state)
{
	(void)state;
	static const int t[10][5] = {
		{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
	};
	double v[10 * 14];
	for (int u = 0; u < 10; u++) {
		int r = 0;
		for (int c = 0; c < 5; c++)
			for (int k = 0; k < t[u][c]; k++) v[u * 14 + r++] = c;
		assert_int_equal(r, 14);
	}
	struct st_data d = DATA(10, 14, v);
	size_t used, dropped;
	double k = st_fleiss_kappa(&d, &used, &dropped, NULL);
	assert_near(k, 0.210, 5e-4);
	assert_near(k, 0.20993070442195522, 1e-12);
	assert_int_equal(used, 10);
	assert_int_equal(dropped, 0);
}

/* ---------- undefined cases: NaN and a note, never a crash ---------- */

static void edge_one_value(void **state)
{
	(void)state;
	static const double v[6] = {3, 3, 3, 3, 3, 3};
	struct st_data d = DATA(3, 2, v);
	struct st_agree a;
	st_agree(&d, ST_ORDINAL, 1, 100, &a);
	assert_true(isnan(a.alpha) && isnan(a.alpha_lo) && isnan(a.alpha_hi));
	assert_note(&a.notes, "alpha undefined: only one value observed");
	assert_true(isnan(a.cohen_kappa) && isnan(a.cohen_kappa_se));
	assert_note(&a.notes, "expected agreement is 1");
	assert_true(isnan(a.weighted_kappa_linear) && isnan(a.weighted_kappa_quadratic));
	assert_note(&a.notes, "expected disagreement is 0");
	assert_true(isnan(a.fleiss_kappa));
	assert_near(a.percent_agreement, 1, 0);
}

static void edge_no_pairable_unit(void **state)
{
	(void)state;
	static const double v[6] = {1, N, N, 2, 3, N};
	struct st_data d = DATA(3, 2, v);
	struct st_agree a;
	st_agree(&d, ST_NOMINAL, 1, 100, &a);
	assert_int_equal(a.pairable_units, 0);
	assert_int_equal(a.values, 3);
	assert_true(isnan(a.alpha) && isnan(a.percent_agreement) && isnan(a.cohen_kappa) && isnan(a.fleiss_kappa));
	assert_note(&a.notes, "no pairable unit");
	assert_note(&a.notes, "no unit rated by both raters");
	assert_note(&a.notes, "no unit rated by every rater");
}

/* every rater agrees, two values in use: alpha and kappas are 1 */
static void edge_all_agree(void **state)
{
	(void)state;
	static const double v[8] = {1, 1, 2, 2, 1, 1, 2, 2};
	struct st_data d = DATA(4, 2, v);
	struct st_agree a;
	st_agree(&d, ST_INTERVAL, 7, 100, &a);
	assert_near(a.alpha, 1, 1e-15);
	assert_near(a.cohen_kappa, 1, 1e-15);
	assert_true(isnan(a.cohen_kappa_se) && isnan(a.cohen_kappa_lo));   /* an SE of 0 is undefined */
	assert_note(&a.notes, "SE and interval undefined");
	assert_near(a.weighted_kappa_linear, 1, 1e-15);
	assert_near(a.fleiss_kappa, 1, 1e-15);
	assert_near(a.alpha_lo, 1, 1e-15);
}

static void edge_three_raters_kappa(void **state)
{
	(void)state;
	static const double v[9] = {1, 2, 1, 2, 2, 2, 1, 1, 2};
	struct st_data d = DATA(3, 3, v);
	struct st_agree a;
	st_agree(&d, ST_NOMINAL, 1, 50, &a);
	assert_true(isnan(a.cohen_kappa) && isnan(a.weighted_kappa_linear));
	assert_note(&a.notes, "needs exactly two raters (3 here)");
	assert_false(isnan(a.alpha));
	struct st_notes notes = {0};
	assert_true(isnan(st_cohen_kappa(&d, 0, 0, &notes).kappa));
	assert_true(isnan(st_cohen_kappa(&d, 0, 7, &notes).kappa));
	assert_note(&notes, "needs two different raters");
}

static void edge_empty(void **state)
{
	(void)state;
	struct st_data d = DATA(0, 0, NULL);
	struct st_agree a;
	st_agree(&d, ST_RATIO, 1, 1000, &a);
	assert_int_equal(a.units, 0);
	assert_true(isnan(a.alpha) && isnan(a.alpha_lo) && isnan(a.percent_agreement));
	assert_true(isnan(a.cohen_kappa) && isnan(a.fleiss_kappa));
	assert_note(&a.notes, "no pairable unit");
	double *vals;
	long *cnt;
	assert_int_equal(st_confusion(&d, 0, 1, &vals, &cnt), 0);
	free(vals);
	free(cnt);
	static const double none[10] = {N, N, N, N, N, N, N, N, N, N};
	struct st_data d2 = DATA(5, 2, none);
	st_agree(&d2, ST_ORDINAL, 1, 10, &a);
	assert_int_equal(a.values, 0);
	assert_true(isnan(a.alpha) && isnan(a.cohen_kappa) && isnan(a.weighted_kappa_quadratic));
}

/* ratio with a negative value is undefined; infinities count as missing */
static void edge_ratio_negative_and_inf(void **state)
{
	(void)state;
	static const double v[6] = {-1, 2, 3, 3, INFINITY, 1};
	struct st_data d = DATA(3, 2, v);
	struct st_agree a;
	st_agree(&d, ST_RATIO, 1, 10, &a);
	assert_true(isnan(a.alpha));
	assert_note(&a.notes, "ratio level needs values >= 0");
	assert_note(&a.notes, "1 infinite value treated as missing");
	assert_int_equal(a.values, 5);
}

/* ---------- the bootstrap ---------- */

/* the 2.5% and 97.5% quantiles of x[0..n), sorted here (insertion sort: n is small) */
static void percentiles(double *x, size_t n, double *lo, double *hi)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && x[j - 1] > x[j]; j--) {
			double t = x[j]; x[j] = x[j - 1]; x[j - 1] = t;
		}
	*lo = st_quantile(x, n, 0.025);
	*hi = st_quantile(x, n, 0.975);
}

/* alpha_ci95 must equal a plain percentile bootstrap: the same draws (the
 * pairable units, in order, rng_below(pu) each), alpha recomputed from
 * scratch on each resampled table with st_alpha */
static void plain_bootstrap(const struct st_data *d, enum st_level lv, uint64_t seed, unsigned b,
		double *lo, double *hi)
{
	size_t *pair = xmalloc(d->units * sizeof *pair), pu = 0;
	for (size_t u = 0; u < d->units; u++) {
		size_t m = 0;
		for (size_t r = 0; r < d->raters; r++) m += !isnan(d->v[u * d->raters + r]);
		if (m >= 2) pair[pu++] = u;
	}
	double *rs = xmalloc(pu * d->raters * sizeof *rs), *al = xmalloc(b * sizeof *al);
	size_t got = 0;
	struct rng g;
	rng_seed(&g, seed);
	for (unsigned k = 0; k < b; k++) {
		for (size_t i = 0; i < pu; i++)
			memcpy(rs + i * d->raters, d->v + pair[rng_below(&g, pu)] * d->raters, d->raters * sizeof *rs);
		struct st_data r = DATA(pu, d->raters, rs);
		double x = st_alpha(&r, lv, NULL);
		if (!isnan(x)) al[got++] = x;
	}
	percentiles(al, got, lo, hi);
	free(pair);
	free(rs);
	free(al);
}

static void bootstrap_matches_plain(void **state)
{
	(void)state;
	struct st_data d = DATA(12, 4, k2011);
	for (int lv = ST_NOMINAL; lv <= ST_RATIO; lv++) {
		double lo, hi, plo, phi;
		st_alpha_ci(&d, (enum st_level)lv, 99, 300, &lo, &hi, NULL);
		plain_bootstrap(&d, (enum st_level)lv, 99, 300, &plo, &phi);
		assert_near(lo, plo, 1e-12);
		assert_near(hi, phi, 1e-12);
	}
}

static void bootstrap_seeded(void **state)
{
	(void)state;
	struct st_data d = DATA(12, 4, k2011);
	double a1, b1, a2, b2, a3, b3;
	st_alpha_ci(&d, ST_ORDINAL, 5, 500, &a1, &b1, NULL);
	st_alpha_ci(&d, ST_ORDINAL, 5, 500, &a2, &b2, NULL);
	st_alpha_ci(&d, ST_ORDINAL, 6, 500, &a3, &b3, NULL);
	assert_true(a1 == a2 && b1 == b2);
	assert_true(a1 != a3 || b1 != b3);
	assert_true(a1 <= b1);
	struct st_notes notes = {0};
	st_alpha_ci(&d, ST_ORDINAL, 5, 0, &a1, &b1, &notes);
	assert_true(isnan(a1) && isnan(b1));
}

/* ---------- kappa's interval, Gwet's AC1/AC2, PABAK, readings ---------- */

/* the plain percentile bootstrap of a two-rater statistic: the units both
 * rated, in order, drawn rng_below(n) n times per resample; which: 0 Cohen,
 * 1 linear, 2 quadratic weighted kappa, each recomputed from scratch */
static void plain_kappa_boot(const struct st_data *d, int which, uint64_t seed, unsigned b, double *lo, double *hi)
{
	size_t *both = xmalloc((d->units + 1) * sizeof *both), n = 0, got = 0;
	for (size_t u = 0; u < d->units; u++)
		if (!isnan(d->v[2 * u]) && !isnan(d->v[2 * u + 1])) both[n++] = u;
	double *rs = xmalloc((2 * n + 1) * sizeof *rs), *k = xmalloc(b * sizeof *k);
	struct rng g;
	rng_seed(&g, seed);
	for (unsigned r = 0; r < b; r++) {
		for (size_t i = 0; i < n; i++) memcpy(rs + 2 * i, d->v + 2 * both[rng_below(&g, n)], 2 * sizeof *rs);
		struct st_data x = DATA(n, 2, rs);
		double v = which == 0 ? st_cohen_kappa(&x, 0, 1, NULL).kappa
			: st_weighted_kappa(&x, 0, 1, which == 1 ? ST_LINEAR : ST_QUADRATIC, NULL);
		if (!isnan(v)) k[got++] = v;
	}
	percentiles(k, got, lo, hi);
	free(both);
	free(rs);
	free(k);
}

/* the reported case: (a,a) (a,a) (b,b) (b,a) gave kappa 0.500 [-0.235, 1.235]
 * with kappa +- 1.96 SE; kappa = (0.75 - 0.5) / 0.5 = 0.5 exactly (Cohen 1960,
 * by hand); the interval is now the bootstrap's, inside [-1, 1] */
static void kappa_interval_in_range(void **state)
{
	(void)state;
	static const double v[8] = {0, 0, 0, 0, 1, 1, 1, 0};
	struct st_data d = DATA(4, 2, v);
	struct st_agree a;
	st_agree(&d, ST_NOMINAL, 3, 400, &a);
	assert_near(a.cohen_kappa, 0.5, 0);
	assert_near(a.cohen_kappa_se, 0.375, 1e-12);     /* statsmodels std_kappa: 0.375 */
	assert_true(a.cohen_kappa_lo >= -1 && a.cohen_kappa_hi <= 1 && a.cohen_kappa_lo <= a.cohen_kappa_hi);
	double lo, hi;
	plain_kappa_boot(&d, 0, 3, 400, &lo, &hi);
	assert_near(a.cohen_kappa_lo, lo, 1e-12);
	assert_near(a.cohen_kappa_hi, hi, 1e-12);
}

/* weighted kappas' intervals = the plain bootstrap, on a 1-5 scale with a gap */
static void weighted_interval_plain(void **state)
{
	(void)state;
	static const double v[24] = {1, 2, 2, 2, 3, 5, 4, 4, 5, 5, 1, 1, 2, 3, 3, 3, 4, 5, 5, 4, 1, 3, N, 2};
	struct st_data d = DATA(12, 2, v);
	struct st_agree a;
	st_agree(&d, ST_ORDINAL, 11, 300, &a);
	double lo, hi;
	plain_kappa_boot(&d, 1, 11, 300, &lo, &hi);
	assert_near(a.weighted_linear_lo, lo, 1e-12);
	assert_near(a.weighted_linear_hi, hi, 1e-12);
	plain_kappa_boot(&d, 2, 11, 300, &lo, &hi);
	assert_near(a.weighted_quadratic_lo, lo, 1e-12);
	assert_near(a.weighted_quadratic_hi, hi, 1e-12);
	plain_kappa_boot(&d, 0, 11, 300, &lo, &hi);
	assert_near(a.cohen_kappa_lo, lo, 1e-12);
	assert_true(a.weighted_linear_lo >= -1 && a.weighted_linear_hi <= 1);
}

/* one rater always gives the same value: kappa is 0, SE and interval
 * undefined (they were 0 and [0, 0]) */
static void kappa_constant_rater(void **state)
{
	(void)state;
	static const double v[10] = {1, 1, 1, 2, 1, 1, 1, 2, 1, 1};
	struct st_data d = DATA(5, 2, v);
	struct st_agree a;
	st_agree(&d, ST_NOMINAL, 1, 200, &a);
	assert_near(a.cohen_kappa, 0, 1e-15);
	assert_true(isnan(a.cohen_kappa_se) && isnan(a.cohen_kappa_lo) && isnan(a.cohen_kappa_hi));
	assert_note(&a.notes, "one rater gave every unit the same value");
}

/* Gwet's AC1 and AC2 (linear weights) on the Handbook's 4 raters x 12
 * units (Gwet 2014, the data of Krippendorff's 2011 example; irrCAC's
 * cac.raw4raters): irrCAC gwet.ac1.raw gives AC1 0.77544 (SE 0.14295,
 * pa 0.81818, pe 0.19032) and, with weights = "linear", AC2 0.859
 * (SE 0.117, pa 0.939, pe 0.571) -- the values in the irrCAC test suite
 * (Python port, test/unit/irrCAC/raw/test_gwet.py) */
static void gwet_irrcac_raw4raters(void **state)
{
	(void)state;
	struct st_data d = DATA(12, 4, k2011);
	struct st_gwet g = st_gwet(&d, 0, NULL);
	assert_near(g.coef, 0.77544, 5e-6);
	assert_near(g.se, 0.14295, 5e-6);
	assert_near(g.pa, 0.81818, 5e-6);
	assert_near(g.pe, 0.19032, 5e-6);
	assert_int_equal(g.n, 12);
	g = st_gwet(&d, 1, NULL);
	assert_near(g.coef, 0.859, 5e-4);
	assert_near(g.se, 0.117, 5e-4);
	assert_near(g.pa, 0.939, 5e-4);
	assert_near(g.pe, 0.571, 5e-4);
	struct st_agree a;
	st_agree(&d, ST_ORDINAL, 1, 0, &a);
	assert_near(a.gwet_ac1, 0.77544, 5e-6);
	assert_near(a.gwet_ac2, 0.859, 5e-4);
}

/* the kappa paradox: 40 units, 37 (no, no), 1 (no, yes), 1 (yes, no),
 * 1 (yes, yes): Po 0.95, Pe 0.905, kappa 0.45/0.95 = 0.47368; AC1: pi = (0.95,
 * 0.05), pe = 2 * 0.0475 * 2 / 2 = 0.095, AC1 = 0.855/0.905 = 0.94475; PABAK
 * 2 * 0.95 - 1 = 0.9; PI |37 - 1|/40 = 0.9; BI |1 - 1|/40 = 0 (by hand from
 * the definitions: Cohen 1960, Gwet 2008, Byrt, Bishop & Carlin 1993) */
static void paradox_indices(void **state)
{
	(void)state;
	double v[80];
	for (int u = 0; u < 40; u++) v[2 * u] = v[2 * u + 1] = 0;
	v[2 * 37 + 1] = 1;
	v[2 * 38] = 1;
	v[2 * 39] = v[2 * 39 + 1] = 1;
	struct st_data d = DATA(40, 2, v);
	struct st_agree a;
	st_agree(&d, ST_NOMINAL, 1, 0, &a);
	assert_near(a.cohen_kappa, 0.45 / 0.95, 1e-12);
	assert_near(a.gwet_ac1, 0.855 / 0.905, 1e-12);
	assert_true(isnan(a.gwet_ac2));
	assert_near(a.pabak, 0.9, 1e-12);
	assert_near(a.prevalence_index, 0.9, 1e-12);
	assert_near(a.bias_index, 0, 1e-12);
	assert_near(a.top_share, 0.95, 1e-12);
	assert_near(a.kappa_po, 0.95, 1e-12);
	assert_near(a.kappa_pe, 0.905, 1e-12);
	/* the four rows: PABAK 2 * 0.75 - 1 = 0.5, PI |2 - 1|/4, BI |0 - 1|/4 */
	static const double w[8] = {0, 0, 0, 0, 1, 1, 1, 0};
	struct st_data d4 = DATA(4, 2, w);
	st_agree(&d4, ST_NOMINAL, 1, 0, &a);
	assert_near(a.pabak, 0.5, 1e-12);
	assert_near(a.prevalence_index, 0.25, 1e-12);
	assert_near(a.bias_index, 0.25, 1e-12);
}

/* a 1-5 scale: PABAK with q = 5 categories (the scale's, not only those
 * seen): (5 * 0.5 - 1) / 4 = 0.375; prevalence undefined for 5 categories;
 * bias: margins 1: 2 and 2, 2: 1 and 2, 3: 1 and 0, so sum |p_i. - p_.i| / 2
 * = (0 + 1 + 1) / 4 / 2 = 0.25 */
static void pabak_full_scale(void **state)
{
	(void)state;
	static const double v[8] = {1, 1, 1, 2, 2, 2, 3, 1};
	static const double scale[5] = {1, 2, 3, 4, 5};
	struct st_data d = {.units = 4, .raters = 2, .v = v, .scale = scale, .nscale = 5};
	struct st_agree a;
	st_agree(&d, ST_ORDINAL, 1, 0, &a);
	assert_near(a.pabak, 0.375, 1e-12);
	assert_true(isnan(a.prevalence_index));
	assert_note(&a.notes, "prevalence index: defined for two categories only (5 here)");
	assert_near(a.bias_index, 0.25, 1e-12);
}

/* degenerate data: null and a note, never a crash */
static void gwet_degenerate(void **state)
{
	(void)state;
	struct st_notes n = {0};
	static const double one[6] = {2, 2, 2, 2, 2, 2};            /* one value only */
	struct st_data d = DATA(3, 2, one);
	struct st_gwet g = st_gwet(&d, 0, &n);
	assert_true(isnan(g.coef) && isnan(g.se));
	assert_note(&n, "Gwet's AC1 undefined: only one value observed");
	static const double item[2] = {1, 2};                       /* one item */
	struct st_data d1 = DATA(1, 2, item);
	g = st_gwet(&d1, 1, &n);
	assert_true(isnan(g.coef));
	assert_note(&n, "Gwet's AC2 undefined: needs two or more units with two or more values (1 here)");
	static const double apart[6] = {1, N, N, 2, 3, N};          /* no overlap */
	struct st_data d2 = DATA(3, 2, apart);
	g = st_gwet(&d2, 0, &n);
	assert_true(isnan(g.coef));
	assert_note(&n, "(0 here)");
	struct st_agree a;
	st_agree(&d2, ST_NOMINAL, 1, 10, &a);
	assert_true(isnan(a.pabak) && isnan(a.bias_index) && isnan(a.prevalence_index));
	assert_note(&a.notes, "PABAK, prevalence and bias indices undefined: no unit rated by both raters");
}

/* units for +- 0.1: (1.959964 / 0.1)^2 * 0.75 * 0.25 / 0.25 = 288.11 -> 289
 * (Cohen's 1960 large-sample SE, by hand) */
static void units_for_halfwidth(void **state)
{
	(void)state;
	assert_int_equal(st_units_for_halfwidth(0.75, 0.5, 0.1), 289);
	assert_int_equal(st_units_for_halfwidth(1, 0.5, 0.1), 0);
	assert_int_equal(st_units_for_halfwidth(NAN, 0.5, 0.1), 0);
	assert_int_equal(st_units_for_halfwidth(0.9, 1, 0.1), 0);
}

/* the spread rule of stats.h, at its edges */
static void value_spread(void **state)
{
	(void)state;
	static const long narrow5[5] = {0, 0, 1, 9, 0};          /* 90% on two points of five */
	static const long ok5[5] = {1, 2, 3, 2, 2};
	static const long bimodal[5] = {5, 1, 0, 1, 5};
	static const long near_bimodal[5] = {5, 1, 3, 1, 5};    /* the middle holds more than half */
	static const long binary[2] = {19, 1};                    /* 95% on one of two points */
	static const long binary_ok[2] = {17, 3};
	static const long few[5] = {0, 0, 9, 0, 0};               /* 9 values: too few to say */
	assert_int_equal(st_value_spread(narrow5, 5), ST_SPREAD_NARROW);
	assert_int_equal(st_value_spread(ok5, 5), ST_SPREAD_OK);
	assert_int_equal(st_value_spread(bimodal, 5), ST_SPREAD_BIMODAL);
	assert_int_equal(st_value_spread(near_bimodal, 5), ST_SPREAD_OK);
	assert_int_equal(st_value_spread(binary, 2), ST_SPREAD_NARROW);
	assert_int_equal(st_value_spread(binary_ok, 2), ST_SPREAD_OK);
	assert_int_equal(st_value_spread(few, 5), ST_SPREAD_OK);
	assert_string_equal(st_spread_words(ST_SPREAD_NARROW), "not discriminating");
	assert_string_equal(st_spread_words(ST_SPREAD_BIMODAL), "possibly ambiguous");
}

/* xoshiro256** seeded by splitmix64(42): first outputs computed with an
 * independent Python transcription of Blackman & Vigna's reference code */
static void rng_known_answer(void **state)
{
	(void)state;
	struct rng g;
	rng_seed(&g, 42);
	assert_true(rng_next(&g) == 0x15780b2e0c2ec716ULL);
	assert_true(rng_next(&g) == 0x6104d9866d113a7eULL);
	assert_true(rng_next(&g) == 0xae17533239e499a1ULL);
	for (int i = 0; i < 1000; i++) assert_true(rng_below(&g, 7) < 7);
	static const double x[5] = {1, 2, 3, 4, 10};
	assert_near(st_quantile(x, 5, 0.5), 3, 0);
	assert_near(st_quantile(x, 5, 0.9), 7.6, 1e-12);       /* numpy.percentile(x, 90) */
	assert_true(isnan(st_quantile(x, 0, 0.5)));
}

static void confusion_full_scale(void **state)
{
	(void)state;
	static const double v[6] = {1, 2, 2, 2, 5, 1};
	static const double scale[5] = {1, 2, 3, 4, 5};
	struct st_data d = {.units = 3, .raters = 2, .v = v, .scale = scale, .nscale = 5};
	double *vals;
	long *c;
	size_t k = st_confusion(&d, 0, 1, &vals, &c);
	assert_int_equal(k, 5);
	assert_near(vals[2], 3, 0);
	assert_int_equal(c[0 * 5 + 1], 1);
	assert_int_equal(c[1 * 5 + 1], 1);
	assert_int_equal(c[4 * 5 + 0], 1);
	free(vals);
	free(c);
}

static void levels(void **state)
{
	(void)state;
	enum st_level lv;
	assert_int_equal(st_level_parse("ratio", &lv), 0);
	assert_int_equal(lv, ST_RATIO);
	assert_int_equal(st_level_parse("Ordinal", &lv), -1);
	assert_string_equal(st_level_name(ST_INTERVAL), "interval");
}

/* ---------- CSV ---------- */

static const char *field(struct csv *c, size_t i) { return csv_field(c, i); }

static void csv_quotes_crlf_bom(void **state)
{
	(void)state;
	static const char text[] = "\xEF\xBB\xBFunit,\"a, b\",c\r\n"
				   "1,\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n"
				   "2,,\"\"\r\n";
	struct gs_err e;
	struct csv *c = csv_open_mem("t.csv", text, sizeof text - 1, 0);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_nfields(c), 3);
	assert_string_equal(field(c, 0), "unit");
	assert_string_equal(field(c, 1), "a, b");
	assert_int_equal(csv_line(c), 1);
	assert_int_equal(csv_next(c, &e), 1);
	assert_string_equal(field(c, 1), "say \"hi\"");
	assert_string_equal(field(c, 2), "two\r\nlines");
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_line(c), 4);
	assert_int_equal(csv_nfields(c), 3);
	assert_string_equal(field(c, 1), "");
	assert_string_equal(field(c, 2), "");
	assert_int_equal(csv_next(c, &e), 0);
	csv_close(c);
}

static void csv_lf_no_final_newline(void **state)
{
	(void)state;
	static const char text[] = "a,b\n\n1,2";
	struct gs_err e;
	struct csv *c = csv_open_mem("t.csv", text, sizeof text - 1, CSV_SKIP_BLANK);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_line(c), 3);
	assert_string_equal(field(c, 1), "2");
	assert_int_equal(csv_next(c, &e), 0);
	csv_close(c);
}

static void csv_errors(void **state)
{
	(void)state;
	struct gs_err e;
	static const char ragged[] = "unit,a,b\n1,2,3\n2,3\n";
	struct csv *c = csv_open_mem("r.csv", ragged, sizeof ragged - 1, CSV_SAME_WIDTH);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_next(c, &e), -1);
	assert_int_equal(e.code, EX_DATAERR);
	assert_string_equal(e.msg, "r.csv:3: 2 fields where the header has 3 (field 3 missing)");
	csv_close(c);

	static const char open_quote[] = "a,b\n1,\"never\nclosed\n";
	c = csv_open_mem("q.csv", open_quote, sizeof open_quote - 1, 0);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_next(c, &e), -1);
	assert_string_equal(e.msg, "q.csv:2: quoted field never closed (field 2)");
	csv_close(c);

	static const char after[] = "a,b\n\"x\"y,1\n";
	c = csv_open_mem("x.csv", after, sizeof after - 1, 0);
	assert_int_equal(csv_next(c, &e), 1);
	assert_int_equal(csv_next(c, &e), -1);
	assert_string_equal(e.msg, "x.csv:2: text after a closing quote (field 1)");
	csv_close(c);

	assert_null(csv_open("/nonexistent/x.csv", 0, &e));
	assert_int_equal(e.code, EX_NOINPUT);
}

#define V(i) csv_ratings_value(&t, (i) / t.raters, (i) % t.raters)

static void ratings_numeric(void **state)
{
	(void)state;
	static const char text[] = "unit,alice,bob\r\nq1,10,2\r\nq2, 9 ,\r\n\r\nq3,,1e1\r\n,,\r\n";
	struct csv_ratings t;
	struct gs_err e;
	assert_int_equal(csv_read_ratings_mem("n.csv", text, sizeof text - 1, &t, &e), 0);
	assert_int_equal(t.units, 3);
	assert_int_equal(t.raters, 2);
	assert_true(t.numeric);
	assert_string_equal(t.rater[1], "bob");
	assert_string_equal(t.unit[2], "q3");
	assert_near(V(0), 10, 0);                  /* 10 > 2: numbers, not text */
	assert_near(V(1), 2, 0);
	assert_near(V(2), 9, 0);
	assert_true(isnan(V(3)) && isnan(V(4)));
	assert_near(V(5), 10, 0);
	assert_int_equal(t.nvalue, 3);               /* "10" and "1e1" are one value */
	assert_near(t.value[0], 2, 0);
	assert_near(t.value[2], 10, 0);
	assert_int_equal(t.code[0], t.code[5]);
	assert_int_equal(t.code[3], CSV_MISSING);
	csv_ratings_free(&t);
}

/* the Krippendorff 2011 example read from CSV and passed as codes: the
 * same numbers as from doubles (units 10-12 left ragged-free with empties) */
static void ratings_codes_into_stats(void **state)
{
	(void)state;
	static const char text[] = "unit,A,B,C,D\n1,1,1,,1\n2,2,2,3,2\n3,3,3,3,3\n4,3,3,3,3\n"
				   "5,2,2,2,2\n6,1,2,3,4\n7,4,4,4,4\n8,1,1,2,1\n9,2,2,2,2\n"
				   "10,,5,5,5\n11,,,1,1\n12,,3,,\n";
	struct csv_ratings t;
	struct gs_err e;
	assert_int_equal(csv_read_ratings_mem("k.csv", text, sizeof text - 1, &t, &e), 0);
	struct st_data d = {.units = t.units, .raters = t.raters, .code = t.code,
			    .code_value = t.value, .ncode = t.nvalue};
	struct st_agree a;
	st_agree(&d, ST_RATIO, 3, 100, &a);
	assert_near(a.alpha, 18222619.0 / 22852465, 1e-12);
	assert_int_equal(a.values, 41);
	assert_int_equal(a.pairable_units, 11);
	double *vals;
	long *cnt;
	assert_int_equal(st_confusion(&d, 1, 3, &vals, &cnt), 5);
	assert_int_equal(cnt[1 * 5 + 1], 3);         /* B and D both said 2: units 2, 5, 9 */
	free(vals);
	free(cnt);
	csv_ratings_free(&t);
}

static void ratings_categories(void **state)
{
	(void)state;
	static const char text[] = "unit,a,b\nu1,yes,no\nu2,3,yes\nu3,no,\n";
	struct csv_ratings t;
	struct gs_err e;
	assert_int_equal(csv_read_ratings_mem("c.csv", text, sizeof text - 1, &t, &e), 0);
	assert_false(t.numeric);
	assert_int_equal(t.ncat, 3);                 /* sorted: "3", "no", "yes" */
	assert_string_equal(t.cat[0], "3");
	assert_string_equal(t.cat[2], "yes");
	assert_near(V(0), 2, 0);
	assert_near(V(2), 0, 0);
	assert_string_equal(t.first_text, "yes");
	assert_int_equal(t.first_text_line, 2);
	csv_ratings_free(&t);
}

static void ratings_errors(void **state)
{
	(void)state;
	struct csv_ratings t;
	struct gs_err e;
	static const char dup[] = "unit,a,b\nu1,1,2\nu2,1,1\nu1,2,2\n";
	assert_int_equal(csv_read_ratings_mem("d.csv", dup, sizeof dup - 1, &t, &e), EX_DATAERR);
	assert_string_equal(e.msg, "d.csv:4: unit 'u1' appears twice, first on line 2 (field 1)");
	static const char ragged[] = "unit,a,b\nu1,1,2\nu2,1,1,3\n";
	assert_int_equal(csv_read_ratings_mem("r.csv", ragged, sizeof ragged - 1, &t, &e), EX_DATAERR);
	assert_string_equal(e.msg, "r.csv:3: 4 fields where the header has 3 (field 4 is extra)");
	static const char onecol[] = "unit\nu1\n";
	assert_int_equal(csv_read_ratings_mem("o.csv", onecol, sizeof onecol - 1, &t, &e), EX_DATAERR);
	assert_string_equal(e.msg, "o.csv:1: the header needs a unit column and at least one rater (field 2)");
	static const char twice[] = "unit,a,a\n";
	assert_int_equal(csv_read_ratings_mem("t.csv", twice, sizeof twice - 1, &t, &e), EX_DATAERR);
	assert_string_equal(e.msg, "t.csv:1: rater 'a' named twice (field 3)");
	assert_int_equal(csv_read_ratings_mem("e.csv", "", 0, &t, &e), EX_DATAERR);
	static const char esc[] = "unit,a\n\x1b[2J,1\n\x1b[2J,2\n";   /* untrusted text in a message */
	assert_int_equal(csv_read_ratings_mem("s.csv", esc, sizeof esc - 1, &t, &e), EX_DATAERR);
	assert_null(strchr(e.msg, '\x1b'));
	assert_non_null(strstr(e.msg, "s.csv:3: unit '"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alpha_krippendorff_2011),
		cmocka_unit_test(agree_krippendorff_2011),
		cmocka_unit_test(kappa_wikipedia),
		cmocka_unit_test(kappa_sas_3x3),
		cmocka_unit_test(kappa_sas_skin),
		cmocka_unit_test(weighted_full_scale),
		cmocka_unit_test(weighted_numeric_distance),
		cmocka_unit_test(fleiss_wikipedia),
		cmocka_unit_test(edge_one_value),
		cmocka_unit_test(edge_no_pairable_unit),
		cmocka_unit_test(edge_all_agree),
		cmocka_unit_test(edge_three_raters_kappa),
		cmocka_unit_test(edge_empty),
		cmocka_unit_test(edge_ratio_negative_and_inf),
		cmocka_unit_test(bootstrap_matches_plain),
		cmocka_unit_test(bootstrap_seeded),
		cmocka_unit_test(rng_known_answer),
		cmocka_unit_test(kappa_interval_in_range),
		cmocka_unit_test(weighted_interval_plain),
		cmocka_unit_test(kappa_constant_rater),
		cmocka_unit_test(gwet_irrcac_raw4raters),
		cmocka_unit_test(paradox_indices),
		cmocka_unit_test(pabak_full_scale),
		cmocka_unit_test(gwet_degenerate),
		cmocka_unit_test(units_for_halfwidth),
		cmocka_unit_test(value_spread),
		cmocka_unit_test(confusion_full_scale),
		cmocka_unit_test(levels),
		cmocka_unit_test(csv_quotes_crlf_bom),
		cmocka_unit_test(csv_lf_no_final_newline),
		cmocka_unit_test(csv_errors),
		cmocka_unit_test(ratings_numeric),
		cmocka_unit_test(ratings_codes_into_stats),
		cmocka_unit_test(ratings_categories),
		cmocka_unit_test(ratings_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
