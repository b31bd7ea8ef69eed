/* compare.c: the statistics of `goldset compare` (stats/compare.h): the
 * paired difference of means with its bootstrap interval and sign-flip
 * p-value, Wilson's interval and the exact binomial test at 1/2.
 *
 * Made fast for 10k items x 2000 resamples: a bootstrap draw takes 32 bits
 * of the generator (two draws a 64-bit number, Lemire's multiply-and-reject
 * on 32 bits: no modulo bias); a sign-flip resample reads 4 signs at a time
 * from tables of the 16 signed sums of each run of 4 items, so a resample of
 * n items costs n/4 additions. */
#include "stats/compare.h"
#include "stats/stats.h"
#include "base/rng.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Wilson and the binomial test ---- */

void st_wilson95(double k, double n, double *lo, double *hi)
{
	if (!(n > 0)) {
		*lo = *hi = NAN;
		return;
	}
	double p = k / n, z2 = ST_Z975 * ST_Z975;
	double den = 1 + z2 / n;
	double mid = (p + z2 / (2 * n)) / den;
	double half = ST_Z975 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / den;
	*lo = mid - half < 0 ? 0 : mid - half;
	*hi = mid + half > 1 ? 1 : mid + half;
}

double st_binom_p_half(long k, long n)
{
	if (n <= 0 || k < 0 || k > n) return NAN;
	long m = k < n - k ? k : n - k;
	if (2 * m == n) return 1;
	double lf = lgamma((double)n + 1) - (double)n * log(2.0), tail = 0;
	for (long i = m; i >= 0; i--) tail += exp(lf - lgamma((double)i + 1) - lgamma((double)(n - i) + 1));
	return 2 * tail > 1 ? 1 : 2 * tail;
}

/* ---- the bootstrap of a mean ---- */

/* uniform in [0, n), n < 2^32, from 32 bits (Lemire 2019) */
struct draw32 { struct rng g; uint64_t bits; int left; };

static inline uint32_t draw_below(struct draw32 *d, uint32_t n)
{
	for (;;) {
		if (!d->left) {
			d->bits = rng_next(&d->g);
			d->left = 2;
		}
		uint32_t x = (uint32_t)d->bits;
		d->bits >>= 32;
		d->left--;
		uint64_t m = (uint64_t)x * n;
		if ((uint32_t)m >= n || (uint32_t)m >= (uint32_t)(0 - n) % n) return (uint32_t)(m >> 32);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void st_mean_boot95(const double *d, size_t n, unsigned resamples, uint64_t seed, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (n < 2 || resamples == 0 || n >= UINT32_MAX) return;
	struct draw32 dr = {.left = 0};
	rng_seed(&dr.g, seed);
	double *means = xmalloc(resamples * sizeof *means);
	for (unsigned r = 0; r < resamples; r++) {
		double s = 0;
		for (size_t i = 0; i < n; i++) s += d[draw_below(&dr, (uint32_t)n)];
		means[r] = s / (double)n;
	}
	qsort(means, resamples, sizeof *means, cmp_double);
	*lo = st_quantile(means, resamples, 0.025);
	*hi = st_quantile(means, resamples, 0.975);
	free(means);
}

/* ---- the sign-flip test ---- */

/* tab[16 b + s]: the sum of items 4b..4b+3 with sign + where bit j of s is
 * set, - where it is not (items past n count 0) */
static double *nibble_tables(const double *d, size_t n, size_t *nb)
{
	*nb = (n + 3) / 4;
	double *tab = xmalloc(*nb * 16 * sizeof *tab);
	for (size_t b = 0; b < *nb; b++) {
		double *t = tab + 16 * b;
		t[0] = 0;
		for (size_t j = 0; j < 4 && 4 * b + j < n; j++) t[0] -= d[4 * b + j];
		for (unsigned s = 1; s < 16; s++) {
			unsigned low = (unsigned)__builtin_ctz(s);
			t[s] = 4 * b + low < n ? t[s & (s - 1)] + 2 * d[4 * b + low] : t[s & (s - 1)];
		}
	}
	return tab;
}

static double signed_sum(const double *tab, size_t nb, uint64_t (*next)(void *), void *ctx)
{
	double s = 0;
	uint64_t bits = 0;
	for (size_t b = 0; b < nb; b++) {
		if (b % 16 == 0) bits = next(ctx);
		s += tab[16 * b + (bits & 15)];
		bits >>= 4;
	}
	return s;
}

static uint64_t next_random(void *g) { return rng_next(g); }

static uint64_t next_counted(void *mask)
{
	uint64_t m = *(uint64_t *)mask;
	*(uint64_t *)mask = 0;   /* one word holds all the signs of an exact count */
	return m;
}

double st_signflip_p(const double *d, size_t n, unsigned resamples, uint64_t seed, int *exact)
{
	*exact = 0;
	if (n == 0) return NAN;
	double obs = 0, abs_sum = 0;
	for (size_t i = 0; i < n; i++) {
		obs += d[i];
		abs_sum += fabs(d[i]);
	}
	double cut = fabs(obs) - 1e-9 * abs_sum;   /* sums equal but for rounding count as hits */
	size_t nb;
	double *tab = nibble_tables(d, n, &nb);
	double p;
	if (n <= ST_SIGNFLIP_EXACT_MAX) {
		uint64_t hits = 0, total = (uint64_t)1 << n;
		for (uint64_t m = 0; m < total; m++) {
			uint64_t word = m;
			hits += fabs(signed_sum(tab, nb, next_counted, &word)) >= cut;
		}
		*exact = 1;
		p = (double)hits / (double)total;
	} else if (resamples == 0) {
		p = NAN;
	} else {
		struct rng g;
		rng_seed(&g, seed ^ 0x7369676e666c6970ULL);   /* "signflip": not the bootstrap's stream */
		uint64_t hits = 0;
		for (unsigned r = 0; r < resamples; r++) hits += fabs(signed_sum(tab, nb, next_random, &g)) >= cut;
		p = (double)(hits + 1) / ((double)resamples + 1);
	}
	free(tab);
	return p;
}

void st_paired_compare(const double *d, size_t n, unsigned resamples, uint64_t seed, struct st_paired *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	out->mean = out->lo = out->hi = out->p = NAN;
	if (n == 0) return;
	double s = 0;
	for (size_t i = 0; i < n; i++) s += d[i];
	out->mean = s / (double)n;
	st_mean_boot95(d, n, resamples, seed, &out->lo, &out->hi);
	out->p = st_signflip_p(d, n, resamples, seed, &out->exact);
}
