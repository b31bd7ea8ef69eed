/* rng.c: seeding of the generator (rng.h; the generator itself is inline
 * there, as a bootstrap draws hundreds of millions). splitmix64 (Steele,
 * Lea & Flood 2014) spreads the seed over xoshiro256**'s four words; it is
 * also the one splitmix64 the rest of the program draws from. The exact
 * binomial variate is here too (64 trials a word, see rng.h). */
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

/* the binary digits of a/b (a < b), 64 at a time by long division: bit 63
 * of `bits` is the first; `rem` carries on to the next 64 */
struct ratio_digits { uint64_t bits, rem; int ends; };

static void next_digits(struct ratio_digits *q, uint64_t b)
{
	q->bits = 0;
	q->ends = 0;
	for (int i = 63; i >= 0; i--) {
		q->rem *= 2;
		if (q->rem >= b) {
			q->rem -= b;
			q->bits |= 1ULL << i;
		}
		if (q->rem == 0) {   /* a/b ends after this digit */
			q->ends = 64 - i;
			return;
		}
	}
}

/* which of the lanes in `open` have U < a/b: lane j's U is bit j of the
 * successive generator words, compared with the digits of a/b (first a
 * digit 1: U's 0 decides "below", U's 1 goes on; a digit 0: U's 1 decides
 * "not below"); a U equal to a/b's finite expansion so far is not below */
static uint64_t below_ratio(struct rng *g, uint64_t open, const struct ratio_digits *first, uint64_t b)
{
	struct ratio_digits q = *first;
	uint64_t yes = 0;
	for (;;) {
		int n = q.ends ? q.ends : 64;
		for (int i = 0; i < n && open; i++) {
			uint64_t u = rng_next(g), dig = 0 - ((q.bits >> (63 - i)) & 1);
			yes |= open & ~u & dig;
			open &= ~(u ^ dig);
		}
		if (!open || q.ends) return yes;
		next_digits(&q, b);   /* lanes equal after 64 digits: about 2^-58 */
	}
}

uint64_t rng_binomial(struct rng *g, uint64_t n, uint64_t a, uint64_t b)
{
	if (a == 0 || n == 0) return 0;
	if (a >= b) return n;
	struct ratio_digits q = {.rem = a};
	next_digits(&q, b);
	uint64_t k = 0;
	for (; n >= 64; n -= 64) k += (uint64_t)__builtin_popcountll(below_ratio(g, ~0ULL, &q, b));
	if (n) k += (uint64_t)__builtin_popcountll(below_ratio(g, (1ULL << n) - 1, &q, b));
	return k;
}
