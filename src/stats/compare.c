/* compare.c: the statistics of `goldset compare` (stats/compare.h): the
 * paired difference of means with its bootstrap interval and sign-flip
 * p-value, Wilson's interval and the exact binomial test at 1/2.
 *
 * Made fast for 10k items x 2000 resamples. Differences take few distinct
 * values (a 1-5 scale: -4..4), and items of equal value are alike to a
 * resample, so when there are few (at most n/4) the resamples draw counts,
 * not items:
 *   - a bootstrap resample is a multinomial draw of n items over the
 *     distinct values (each as likely as its share of the items), made of
 *     exact binomial splits (rng_binomial: half the values against the
 *     other half, and so on down), its sum the values times their counts;
 *   - a sign-flip resample gives each value's items a Binomial(count, 1/2)
 *     number of + signs (a popcount of random bits).
 * Both are the same distributions as drawing item by item, at a fraction of
 * the generator calls. With many distinct values, item by item: a bootstrap
 * draw takes 16 bits of the generator when n <= 2^16 (else 32; Lemire's
 * multiply-and-reject, no modulo bias), positions a batch at a time summed in
 * four running sums; a sign-flip resample reads 4 signs at a time from tables
 * of the 16 signed sums of each run of 4 items (n/4 additions). */
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

/* ---- the distinct values of the differences ---- */

/* v[0..k): distinct values ascending; cum[i]: how many items have one of
 * v[0..i) (cum[0] = 0, cum[k] = n) */
struct groups { double *v; uint64_t *cum; size_t k; };

static int cmp_double(const void *a, const void *b);

/* the groups of d (of |d|, zeros left out, when absolute); 0 when there are
 * more than n/4 distinct values (nothing to free then) */
static int groups_of(const double *d, size_t n, int absolute, struct groups *g)
{
	double *x = xmalloc((n + 1) * sizeof *x);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		double v = absolute ? fabs(d[i]) : d[i];
		if (!absolute || v != 0) x[m++] = v;
	}
	qsort(x, m, sizeof *x, cmp_double);
	size_t k = 0;
	for (size_t i = 0; i < m; i++) k += i == 0 || x[i] != x[i - 1];
	if (k > n / 4) {
		free(x);
		return 0;
	}
	g->v = xmalloc((k + 1) * sizeof *g->v);
	g->cum = xmalloc((k + 1) * sizeof *g->cum);
	g->k = 0;
	g->cum[0] = 0;
	for (size_t i = 0; i < m; i++) {
		if (i == 0 || x[i] != x[i - 1]) g->v[g->k++] = x[i];
		g->cum[g->k] = i + 1;
	}
	free(x);
	return 1;
}

static void groups_free(struct groups *g)
{
	free(g->v);
	free(g->cum);
}

/* the sum of m items drawn from the groups lo..hi-1, each group as likely
 * as its share of their items: a binomial split in two, then each half */
static double split_sum(struct rng *r, const struct groups *g, size_t lo, size_t hi, uint64_t m)
{
	if (m == 0) return 0;
	if (hi - lo == 1) return g->v[lo] * (double)m;
	size_t mid = lo + (hi - lo) / 2;
	uint64_t left = rng_binomial(r, m, g->cum[mid] - g->cum[lo], g->cum[hi] - g->cum[lo]);
	return split_sum(r, g, lo, mid, left) + split_sum(r, g, mid, hi, m - left);
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

/* the sum of n values of d drawn with replacement: the positions are drawn
 * a batch at a time (16 bits a draw when n <= 2^16, four a generator call;
 * else 32), then summed in four running sums so that the additions do not
 * wait for each other */
#define BOOT_BATCH 512

static size_t draw_batch(struct draw32 *dr, uint32_t n, uint32_t *pos, size_t want)
{
	size_t k = 0;
	if (n > 65536) {
		while (k < want) pos[k++] = draw_below(dr, n);
		return k;
	}
	uint32_t floor = (65536u - n) % n;
	while (k < want) {   /* pos has room for 3 more: a last call's extra draws go unused */
		uint64_t bits = rng_next(&dr->g);
		for (int j = 0; j < 4; j++, bits >>= 16) {
			uint32_t m = (uint32_t)(bits & 0xffff) * n;
			pos[k] = m >> 16;
			k += (m & 0xffff) >= floor;
		}
	}
	return k < want ? k : want;
}

static double resample_sum(const double *d, uint32_t n, struct draw32 *dr)
{
	uint32_t pos[BOOT_BATCH + 4];
	double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	uint32_t left = n;
	while (left) {
		size_t k = draw_batch(dr, n, pos, left < BOOT_BATCH ? left : BOOT_BATCH), i = 0;
		for (; i + 4 <= k; i += 4) {
			s0 += d[pos[i]];
			s1 += d[pos[i + 1]];
			s2 += d[pos[i + 2]];
			s3 += d[pos[i + 3]];
		}
		for (; i < k; i++) s0 += d[pos[i]];
		left -= (uint32_t)k;
	}
	return (s0 + s1) + (s2 + s3);
}

void st_mean_boot95(const double *d, size_t n, unsigned resamples, uint64_t seed, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (n < 2 || resamples == 0 || n >= UINT32_MAX) return;
	struct draw32 dr = {.left = 0};
	rng_seed(&dr.g, seed);
	double *means = xmalloc(resamples * sizeof *means);
	struct groups g;
	int grouped = groups_of(d, n, 0, &g);
	for (unsigned r = 0; r < resamples; r++) {
		double s = grouped ? split_sum(&dr.g, &g, 0, g.k, n) : resample_sum(d, (uint32_t)n, &dr);
		means[r] = s / (double)n;
	}
	if (grouped) groups_free(&g);
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

/* a random signed sum from the groups of |d|: each group's items get a
 * Binomial(count, 1/2) number of + signs */
static double signed_sum_grouped(const struct groups *g, struct rng *r)
{
	double s = 0;
	for (size_t i = 0; i < g->k; i++) {
		uint64_t c = g->cum[i + 1] - g->cum[i];
		s += g->v[i] * (2 * (double)rng_binomial(r, c, 1, 2) - (double)c);
	}
	return s;
}

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
	if (n > ST_SIGNFLIP_EXACT_MAX && resamples == 0) return NAN;
	struct rng g;
	rng_seed(&g, seed ^ 0x7369676e666c6970ULL);   /* "signflip": not the bootstrap's stream */
	uint64_t hits = 0;
	struct groups gr;
	if (n > ST_SIGNFLIP_EXACT_MAX && groups_of(d, n, 1, &gr)) {
		for (unsigned r = 0; r < resamples; r++) hits += fabs(signed_sum_grouped(&gr, &g)) >= cut;
		groups_free(&gr);
		return (double)(hits + 1) / ((double)resamples + 1);
	}
	size_t nb;
	double *tab = nibble_tables(d, n, &nb), p;
	if (n <= ST_SIGNFLIP_EXACT_MAX) {
		uint64_t total = (uint64_t)1 << n;
		for (uint64_t m = 0; m < total; m++) {
			uint64_t word = m;
			hits += fabs(signed_sum(tab, nb, next_counted, &word)) >= cut;
		}
		*exact = 1;
		p = (double)hits / (double)total;
	} else {
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
