/* boot.c: the percentile bootstrap intervals of Krippendorff's alpha
 * (st_alpha_ci in stats.h) and of Cohen's and the weighted kappas (at the
 * end): resample the units with replacement, recompute, take the 2.5% and
 * 97.5% quantiles.
 *
 * It is made fast by never recomputing a unit's pairs. Pairable units with
 * the same values (a 1-5 scale and 5 raters has a few hundred such "types"
 * however many units there are) are grouped once; a resample then only
 * counts how often it drew each type (one random draw per unit into a small
 * array) and combines the types' precomputed parts (alpha.c):
 *   interval  sums of d, x - mu and (x - mu)^2: O(types) per resample;
 *   nominal   d fixed, marginals added up per type: O(type values);
 *   ratio     as nominal, then the O(V^2) expected part;
 *   ordinal   the metric moves with the marginals: marginals, mid-ranks,
 *             then each drawn type's spread about its mean.
 * The draws are those of a plain bootstrap (rng_below(pairable units)
 * once per unit, in order), which the unit test recomputes from scratch. */
#include "stats/agree_int.h"
#include "base/util.h"

#include <glib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct boot {
	const struct stp *p;
	enum st_level lv;
	size_t nt;            /* unit types */
	uint32_t *type_of;    /* pu: each pairable unit's type */
	size_t *rep;          /* nt: one unit of each type */
	double *m;            /* nt: values in such a unit */
	double *d;            /* nt: its fixed observed part (not ordinal) */
	double *s, *q;        /* nt, interval: sum of x - mu, of (x - mu)^2 */
	uint32_t *lo, *hi;    /* nt: its smallest and largest value index */
	uint32_t *w;          /* nt: how often a resample drew the type */
	double *cnt, *t;      /* nval: a resample's marginals, mid-ranks */
	uint32_t *rv;         /* scratch for stp_unit_do */
	double *rc;
};

/* a pairable unit's sorted values, as a GHashTable key */
struct seq { const uint32_t *v; size_t m; };

static guint seq_hash(gconstpointer k)
{
	const struct seq *s = k;
	return (guint)gs_hash64(s->v, s->m * sizeof *s->v, 0);
}

static gboolean seq_equal(gconstpointer a, gconstpointer b)
{
	const struct seq *x = a, *y = b;
	return x->m == y->m && memcmp(x->v, y->v, x->m * sizeof *x->v) == 0;
}

/* groups the pairable units by their (sorted) values */
static void group_types(struct boot *b)
{
	const struct stp *p = b->p;
	GHashTable *type1 = g_hash_table_new_full(seq_hash, seq_equal, free, NULL);   /* -> type + 1 */
	b->type_of = xmalloc(p->pu * sizeof *b->type_of);
	b->rep = xmalloc(p->pu * sizeof *b->rep);
	for (size_t k = 0; k < p->pu; k++) {
		struct seq unit = {p->idx + p->off[k], stp_unit_len(p, k)};
		uint32_t t1 = GPOINTER_TO_UINT(g_hash_table_lookup(type1, &unit));
		if (!t1) {
			struct seq *kept = xmalloc(sizeof *kept);   /* a key per type: few */
			*kept = unit;
			b->rep[b->nt] = k;
			t1 = (uint32_t)++b->nt;
			g_hash_table_insert(type1, kept, GUINT_TO_POINTER(t1));
		}
		b->type_of[k] = t1 - 1;
	}
	g_hash_table_destroy(type1);
}

/* interval: each type's sums about the mean of all pairable values */
static void type_sums(struct boot *b)
{
	const struct stp *p = b->p;
	double mu = 0;
	for (size_t c = 0; c < p->nval; c++) mu += p->count[c] * p->val[c];
	mu /= (double)p->n;
	b->s = xmalloc(b->nt * sizeof *b->s);
	b->q = xmalloc(b->nt * sizeof *b->q);
	for (size_t t = 0; t < b->nt; t++) {
		double s = 0, q = 0;
		for (size_t i = p->off[b->rep[t]]; i < p->off[b->rep[t] + 1]; i++) {
			double y = p->val[p->idx[i]] - mu;
			s += y;
			q += y * y;
		}
		b->s[t] = s;
		b->q[t] = q;
	}
}

static void boot_init(struct boot *b, const struct stp *p, enum st_level lv)
{
	memset(b, 0, sizeof *b);
	b->p = p;
	b->lv = lv;
	group_types(b);
	size_t most = p->raters ? p->raters : 1;
	b->rv = xmalloc(most * sizeof *b->rv);
	b->rc = xmalloc(most * sizeof *b->rc);
	b->cnt = xcalloc(p->nval, sizeof *b->cnt);
	b->t = xmalloc(p->nval * sizeof *b->t);
	b->w = xmalloc(b->nt * sizeof *b->w);
	b->m = xmalloc(b->nt * sizeof *b->m);
	b->d = xmalloc(b->nt * sizeof *b->d);
	b->lo = xmalloc(b->nt * sizeof *b->lo);
	b->hi = xmalloc(b->nt * sizeof *b->hi);
	for (size_t t = 0; t < b->nt; t++) {
		size_t k = b->rep[t];
		b->m[t] = (double)stp_unit_len(p, k);
		b->d[t] = lv == ST_ORDINAL ? 0 : stp_unit_do(p, lv, k, p->val, b->rv, b->rc);
		b->lo[t] = p->idx[p->off[k]];
		b->hi[t] = p->idx[p->off[k + 1] - 1];
	}
	if (lv == ST_INTERVAL) type_sums(b);
}

static void boot_free(struct boot *b)
{
	free(b->type_of);
	free(b->rep);
	free(b->m);
	free(b->d);
	free(b->s);
	free(b->q);
	free(b->lo);
	free(b->hi);
	free(b->w);
	free(b->cnt);
	free(b->t);
	free(b->rv);
	free(b->rc);
}

static void draw(struct boot *b, struct rng *g)
{
	size_t pu = b->p->pu;
	memset(b->w, 0, b->nt * sizeof *b->w);
	for (size_t i = 0; i < pu; i++) b->w[b->type_of[rng_below(g, pu)]]++;
}

/* interval: O(types); a resample of one value only shows as lo == hi */
static double boot_interval(struct boot *b)
{
	double n = 0, dobs = 0, s = 0, q = 0;
	uint32_t lo = UINT32_MAX, hi = 0;
	for (size_t t = 0; t < b->nt; t++) {
		if (!b->w[t]) continue;
		double w = b->w[t];
		n += w * b->m[t];
		dobs += w * b->d[t];
		s += w * b->s[t];
		q += w * b->q[t];
		if (b->lo[t] < lo) lo = b->lo[t];
		if (b->hi[t] > hi) hi = b->hi[t];
	}
	if (lo == hi) return NAN;
	return stp_alpha_from(n, dobs, 2 * (n * q - s * s));
}

/* 2 m sum (x_i - mean)^2 / (m - 1): unit k's ordinal part, x the mid-ranks */
static double unit_spread(const struct stp *p, size_t k, const double *x)
{
	size_t a = p->off[k], z = p->off[k + 1];
	double m = (double)(z - a), mean = 0, ss = 0;
	for (size_t i = a; i < z; i++) mean += x[p->idx[i]];
	mean /= m;
	for (size_t i = a; i < z; i++) ss += (x[p->idx[i]] - mean) * (x[p->idx[i]] - mean);
	return 2 * m * ss / (m - 1);
}

/* nominal, ordinal, ratio: the resample's marginals, then the level */
static double boot_counted(struct boot *b)
{
	const struct stp *p = b->p;
	double n = 0, dobs = 0;
	memset(b->cnt, 0, p->nval * sizeof *b->cnt);
	for (size_t t = 0; t < b->nt; t++) {
		if (!b->w[t]) continue;
		double w = b->w[t];
		n += w * b->m[t];
		dobs += w * b->d[t];
		for (size_t i = p->off[b->rep[t]]; i < p->off[b->rep[t] + 1]; i++) b->cnt[p->idx[i]] += w;
	}
	size_t distinct = 0;
	for (size_t c = 0; c < p->nval && distinct < 2; c++) distinct += b->cnt[c] > 0;
	if (distinct < 2) return NAN;
	const double *x = stp_coords(p, b->lv, b->cnt, b->t);
	if (b->lv == ST_ORDINAL)
		for (size_t t = 0; t < b->nt; t++)
			if (b->w[t]) dobs += b->w[t] * unit_spread(p, b->rep[t], x);
	return stp_alpha_from(n, dobs, stp_expected(b->lv, p->nval, b->cnt, n, x));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int too_costly(const struct stp *p, enum st_level lv, unsigned resamples, struct st_notes *notes)
{
	double work = (double)p->distinct * (double)p->distinct / 2 * resamples;
	if (lv != ST_RATIO || work <= 2e10) return 0;
	st_note(notes, "alpha_ci95 not computed: ratio level with %zu distinct values and %u resamples would take too long",
		p->distinct, resamples);
	return 1;
}

void stp_alpha_ci(const struct stp *p, enum st_level lv, uint64_t seed,
		unsigned resamples, double *lo, double *hi, struct st_notes *notes)
{
	*lo = *hi = NAN;
	if (resamples == 0 || stp_alpha_check(p, NULL)) return;
	if (lv == ST_RATIO && stp_ratio_check(p, NULL)) return;
	if (too_costly(p, lv, resamples, notes)) return;
	struct boot b;
	boot_init(&b, p, lv);
	struct rng g;
	rng_seed(&g, seed);
	double *a = xmalloc(resamples * sizeof *a);
	size_t got = 0;
	for (unsigned r = 0; r < resamples; r++) {
		draw(&b, &g);
		double x = lv == ST_INTERVAL ? boot_interval(&b) : boot_counted(&b);
		if (!isnan(x)) a[got++] = x;
	}
	if (got < resamples)
		st_note(notes, "alpha_ci95: %zu of %u resample%s had only one value (alpha undefined) and %s left out",
			resamples - got, resamples, gs_s(resamples), resamples - got == 1 ? "was" : "were");
	if (got > 1) qsort(a, got, sizeof *a, cmp_double);
	*lo = st_quantile(a, got, 0.025);
	*hi = st_quantile(a, got, 0.975);
	free(a);
	boot_free(&b);
}

/* ---- the intervals of Cohen's kappa and the weighted kappas ----
 * The units both raters rated, grouped by their pair of values; a
 * resample draws rng_below(n) n times (in unit order, as a plain
 * bootstrap would) and recomputes the three kappas from the pairs' counts
 * and the margins: O(n + pairs + V) per resample. */

struct kboot {
	const struct stp *p;
	size_t n, nt;             /* units both rated; distinct pairs */
	uint32_t *type_of;        /* n: each unit's pair */
	uint32_t *a, *b;          /* nt: the pair's values */
	uint32_t *w;              /* nt: draws of the pair in a resample */
	double *row, *col;        /* nval: a resample's margins */
};

static guint pair_hash(gconstpointer k)
{
	return (guint)gs_hash64(k, sizeof(uint64_t), 0);
}

static gboolean pair_equal(gconstpointer a, gconstpointer b)
{
	return *(const uint64_t *)a == *(const uint64_t *)b;
}

static void kboot_init(struct kboot *k, const struct stp *p, size_t r1, size_t r2)
{
	memset(k, 0, sizeof *k);
	k->p = p;
	GHashTable *type1 = g_hash_table_new(pair_hash, pair_equal);   /* pair -> type + 1 */
	uint64_t *keys = xmalloc((p->units + 1) * sizeof *keys);
	k->type_of = xmalloc((p->units + 1) * sizeof *k->type_of);
	k->a = xmalloc((p->units + 1) * sizeof *k->a);
	k->b = xmalloc((p->units + 1) * sizeof *k->b);
	for (size_t u = 0; u < p->units; u++) {
		uint32_t x = p->cell[u * p->raters + r1], y = p->cell[u * p->raters + r2];
		if (x >= p->nval || y >= p->nval) continue;
		keys[k->n] = ((uint64_t)x << 32) | y;
		uint32_t t1 = GPOINTER_TO_UINT(g_hash_table_lookup(type1, &keys[k->n]));
		if (!t1) {
			k->a[k->nt] = x;
			k->b[k->nt] = y;
			t1 = (uint32_t)++k->nt;
			g_hash_table_insert(type1, &keys[k->n], GUINT_TO_POINTER(t1));
		}
		k->type_of[k->n++] = t1 - 1;
	}
	g_hash_table_destroy(type1);
	free(keys);
	k->w = xmalloc((k->nt + 1) * sizeof *k->w);
	k->row = xmalloc((p->nval + 1) * sizeof *k->row);
	k->col = xmalloc((p->nval + 1) * sizeof *k->col);
}

static void kboot_free(struct kboot *k)
{
	free(k->type_of);
	free(k->a);
	free(k->b);
	free(k->w);
	free(k->row);
	free(k->col);
}

/* one resample's kappa, linear and quadratic weighted kappa into out[3] */
static void kboot_one(struct kboot *k, struct rng *g, int weighted, double out[3])
{
	const struct stp *p = k->p;
	memset(k->w, 0, k->nt * sizeof *k->w);
	for (size_t i = 0; i < k->n; i++) k->w[k->type_of[rng_below(g, k->n)]]++;
	memset(k->row, 0, p->nval * sizeof *k->row);
	memset(k->col, 0, p->nval * sizeof *k->col);
	double n = (double)k->n, diag = 0, lin = 0, quad = 0, same = 0;
	for (size_t t = 0; t < k->nt; t++) {
		if (!k->w[t]) continue;
		double w = k->w[t], d = fabs(p->val[k->a[t]] - p->val[k->b[t]]);
		k->row[k->a[t]] += w;
		k->col[k->b[t]] += w;
		diag += k->a[t] == k->b[t] ? w : 0;
		lin += w * d;
		quad += w * d * d;
	}
	for (size_t c = 0; c < p->nval; c++) same += k->row[c] * k->col[c];
	out[0] = same == n * n ? NAN : (diag / n - same / (n * n)) / (1 - same / (n * n));
	out[1] = out[2] = NAN;
	if (!weighted) return;
	double el = stp_expected_linear(p->nval, p->val, k->row, k->col);
	double eq = stp_expected_quadratic(p->nval, p->val, k->row, k->col, n);
	if (el > 0) out[1] = 1 - lin * n / el;
	if (eq > 0) out[2] = 1 - quad * n / eq;
}

/* the 95% percentile interval of got values in x (sorted here), inside [-1, 1] */
static void interval_of(double *x, size_t got, double *lo, double *hi)
{
	if (got > 1) qsort(x, got, sizeof *x, cmp_double);
	*lo = fmax(-1, st_quantile(x, got, 0.025));
	*hi = fmin(1, st_quantile(x, got, 0.975));
	if (got == 0) *lo = *hi = NAN;
}

static const char *const kboot_names[3] = {"cohen_kappa_ci95", "weighted_kappa_linear_ci95",
					   "weighted_kappa_quadratic_ci95"};

void stp_kappa_ci(const struct stp *p, size_t r1, size_t r2, int weighted, uint64_t seed,
		unsigned resamples, struct st_agree *o)
{
	double *lo[3] = {&o->cohen_kappa_lo, &o->weighted_linear_lo, &o->weighted_quadratic_lo};
	double *hi[3] = {&o->cohen_kappa_hi, &o->weighted_linear_hi, &o->weighted_quadratic_hi};
	int want[3] = {!isnan(o->cohen_kappa_se), weighted && !isnan(o->weighted_kappa_linear),
		       weighted && !isnan(o->weighted_kappa_quadratic)};
	for (int s = 0; s < 3; s++) *lo[s] = *hi[s] = NAN;
	if (resamples == 0 || !(want[0] || want[1] || want[2])) return;
	struct kboot k;
	kboot_init(&k, p, r1, r2);
	struct rng g;
	rng_seed(&g, seed);
	double *x[3];
	size_t got[3] = {0, 0, 0};
	for (int s = 0; s < 3; s++) x[s] = xmalloc(resamples * sizeof *x[s]);
	for (unsigned r = 0; r < resamples; r++) {
		double v[3];
		kboot_one(&k, &g, weighted, v);
		for (int s = 0; s < 3; s++)
			if (!isnan(v[s])) x[s][got[s]++] = v[s];
	}
	for (int s = 0; s < 3; s++) {
		if (want[s]) interval_of(x[s], got[s], lo[s], hi[s]);
		if (want[s] && got[s] < resamples)
			st_note(&o->notes, "%s: %zu of %u resamples had only one value (undefined) and were left out",
				kboot_names[s], resamples - got[s], resamples);
		free(x[s]);
	}
	kboot_free(&k);
}
