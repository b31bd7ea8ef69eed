/* rng.c: seeding of the generator every bootstrap in src/stats/ uses
 * (alpha's interval in boot.c, Bradley–Terry's in bt.c; the generator
 * itself is inline in stats.h), and the percentile helper, so a `--seed`
 * gives the same numbers on every machine. splitmix64 (Steele, Lea &
 * Flood 2014) spreads the seed over xoshiro256**'s four words; it is also
 * the one splitmix64 the rest of the program draws from (the label queue's
 * permutation of its buckets). */
#include "stats.h"

#include <math.h>

uint64_t st_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void st_rng_seed(struct st_rng *g, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++) g->s[i] = st_splitmix64(&x);
}

double st_quantile(const double *sorted, size_t n, double p)
{
	if (n == 0) return NAN;
	if (p <= 0) return sorted[0];
	if (p >= 1) return sorted[n - 1];
	double h = (double)(n - 1) * p;
	size_t i = (size_t)floor(h);
	if (i + 1 >= n) return sorted[n - 1];
	return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}
