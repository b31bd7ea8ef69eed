/* rng.c: seeding of the generator (rng.h; the generator itself is inline
 * there, as a bootstrap draws hundreds of millions). splitmix64 (Steele,
 * Lea & Flood 2014) spreads the seed over xoshiro256**'s four words; it is
 * also the one splitmix64 the rest of the program draws from. */
#include "base/rng.h"

uint64_t rng_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(struct rng *g, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++) g->s[i] = rng_splitmix64(&x);
}
