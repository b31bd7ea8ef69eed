/* rng.h: the one pseudo-random generator of the program: xoshiro256**
 * seeded through splitmix64, the same stream for a seed on every machine
 * (bootstraps in stats/, the label queue's bucket order in store/, the
 * calibration draw's fresh seed in app/). */
#ifndef GOLDSET_RNG_H
#define GOLDSET_RNG_H
#include <stdint.h>

/* Seeded generator (xoshiro256**, Blackman & Vigna 2018, its state filled
 * from the seed by splitmix64): the same seed gives the same stream on every
 * platform. Inline because a bootstrap draws hundreds of millions. */
struct rng { uint64_t s[4]; };
void rng_seed(struct rng *g, uint64_t seed);
/* splitmix64 (Steele, Lea & Flood 2014): the next number of the sequence
 * whose state is *x (each call advances it); the one copy in the program */
uint64_t rng_splitmix64(uint64_t *x);

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *g)
{
	uint64_t *s = g->s;
	uint64_t out = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return out;
}

/* uniform in [0, n), n > 0: Lemire's multiply-and-reject (no modulo bias) */
static inline uint64_t rng_below(struct rng *g, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)rng_next(g) * n;
	if ((uint64_t)m < n) {
		uint64_t floor = (0 - n) % n;   /* 2^64 mod n */
		while ((uint64_t)m < floor) m = (unsigned __int128)rng_next(g) * n;
	}
	return (uint64_t)(m >> 64);
}

/* the number of successes in n independent trials of probability a/b
 * (0 <= a <= b, 0 < b < 2^62), exactly: 64 trials at a time, each trial a
 * uniform U compared with a/b bit by bit (the bits of U from successive
 * generator words, those of a/b by long division) until every trial of the
 * word is decided: about 7 words per 64 trials, 1 when a/b = 1/2 */
uint64_t rng_binomial(struct rng *g, uint64_t n, uint64_t a, uint64_t b);
#endif
