/* prep.c: turns reliability data (doubles, NaN = missing) into the form
 * the agreement statistics work on (agree_int.h): every value replaced by
 * its rank among the distinct values, and the pairable units packed with
 * their values sorted. Distinct values are found with a hash table
 * (GHashTable, XXH3 of the double's bits), so a table of 200k units x 5
 * raters with a thousand distinct values costs one pass and a sort of those
 * thousand; when the caller passes codes (st_data.code) even that is skipped. */
#include "stats/agree_int.h"
#include "base/util.h"

#include <glib.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the distinct values: a GHashTable from a value (keyed by a pointer to
 * its first cell in the caller's data) to its provisional id + 1, and each
 * provisional id's value in order of first sight */
struct values { GHashTable *id; GArray *val; };

static guint value_hash(gconstpointer k)
{
	double v = *(const double *)k;
	if (v == 0) v = 0;                      /* -0.0 and 0.0 are one value */
	return (guint)gs_hash64(&v, sizeof v, 0);
}

static gboolean value_equal(gconstpointer a, gconstpointer b)
{
	return *(const double *)a == *(const double *)b;
}

static uint32_t value_id(struct values *h, const double *v)
{
	gpointer id1 = g_hash_table_lookup(h->id, v);
	if (id1) return GPOINTER_TO_UINT(id1) - 1;
	double x = *v == 0 ? 0 : *v;
	g_array_append_val(h->val, x);
	g_hash_table_insert(h->id, (gpointer)v, GUINT_TO_POINTER(h->val->len));
	return h->val->len - 1;
}

struct vid { double v; uint32_t id; };
static int by_value(const void *a, const void *b)
{
	double x = ((const struct vid *)a)->v, y = ((const struct vid *)b)->v;
	return (x > y) - (x < y);
}

/* provisional ids -> ranks; fills p->val */
static void rank_values(struct stp *p, const struct values *h)
{
	size_t v = h->val->len;
	struct vid *order = xmalloc((v ? v : 1) * sizeof *order);
	uint32_t *rank = xmalloc((v ? v : 1) * sizeof *rank);
	for (size_t i = 0; i < v; i++) order[i] = (struct vid){g_array_index(h->val, double, i), (uint32_t)i};
	qsort(order, v, sizeof *order, by_value);
	p->nval = v;
	p->val = xmalloc((v ? v : 1) * sizeof *p->val);
	for (size_t i = 0; i < v; i++) {
		rank[order[i].id] = (uint32_t)i;
		p->val[i] = order[i].v;
	}
	size_t cells = p->units * p->raters;
	for (size_t i = 0; i < cells; i++)
		if (p->cell[i] != STP_MISSING) p->cell[i] = rank[p->cell[i]];
	free(order);
	free(rank);
}

/* codes given: the distinct values are known, no hashing, and the codes
 * are used in place (any code >= ncode reads as missing) */
static void borrow_codes(struct stp *p, const struct st_data *d)
{
	p->nval = d->ncode;
	p->val = xmalloc((d->ncode ? d->ncode : 1) * sizeof *p->val);
	memcpy(p->val, d->code_value, d->ncode * sizeof *p->val);
	p->cell = (uint32_t *)d->code;
	p->borrowed = 1;
}

static void index_cells(struct stp *p, const struct st_data *d)
{
	size_t cells = p->units * p->raters;
	struct values h = {g_hash_table_new(value_hash, value_equal), g_array_new(FALSE, FALSE, sizeof(double))};
	p->cell = xmalloc((cells ? cells : 1) * sizeof *p->cell);
	for (size_t i = 0; i < cells; i++) {
		double v = d->v[i];
		if (isnan(v) || isinf(v)) {
			p->infinite += isinf(v) != 0;
			p->cell[i] = STP_MISSING;
			continue;
		}
		p->cell[i] = value_id(&h, &d->v[i]);
	}
	rank_values(p, &h);
	g_hash_table_destroy(h.id);
	g_array_free(h.val, TRUE);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* sorts a unit's few values: up to 8 by rank counting (no branches to
 * mispredict on random data), more by qsort */
static void sort_small(uint32_t *a, size_t m)
{
	if (m > 8) {
		qsort(a, m, sizeof *a, cmp_u32);
		return;
	}
	uint32_t in[8];
	memcpy(in, a, m * sizeof *a);
	for (size_t i = 0; i < m; i++) {
		size_t rank = 0;
		for (size_t j = 0; j < m; j++) rank += (in[j] < in[i]) | ((in[j] == in[i]) & (j < i));
		a[rank] = in[i];
	}
}

/* sum over the distinct values of sorted a[0..m) of (times it occurs)^2 */
static double run_squares(const uint32_t *a, size_t m)
{
	double sq = 0, run = 1;
	for (size_t i = 1; i <= m; i++) {
		if (i < m && a[i] == a[i - 1]) {
			run += 1;
			continue;
		}
		sq += run * run;
		run = 1;
	}
	return sq;
}

/* packs the units with two or more values; counts the values' marginals */
static void pack_pairable(struct stp *p)
{
	size_t cells = p->units * p->raters;
	p->idx = xmalloc((cells ? cells : 1) * sizeof *p->idx);
	p->off = xmalloc((p->units + 1) * sizeof *p->off);
	p->count = xcalloc(p->nval ? p->nval : 1, sizeof *p->count);
	size_t k = 0, at = 0;
	for (size_t u = 0; u < p->units; u++) {
		const uint32_t *row = p->cell + u * p->raters;
		size_t start = at;
		for (size_t r = 0; r < p->raters; r++)
			if (row[r] < p->nval) p->idx[at++] = row[r];
		p->values += at - start;
		if (at - start < 2) {
			at = start;
			continue;
		}
		sort_small(p->idx + start, at - start);
		p->off[k++] = start;
	}
	p->off[k] = at;
	p->pu = k;
	p->n = at;
	for (size_t i = 0; i < at; i++) p->count[p->idx[i]] += 1;
	for (size_t c = 0; c < p->nval; c++) p->distinct += p->count[c] > 0;
	p->runsq = xmalloc((k ? k : 1) * sizeof *p->runsq);
	for (size_t u = 0; u < k; u++) p->runsq[u] = run_squares(p->idx + p->off[u], p->off[u + 1] - p->off[u]);
}

void stp_build(struct stp *p, const struct st_data *d)
{
	memset(p, 0, sizeof *p);
	p->units = d->units;
	p->raters = d->raters;
	if (d->code) borrow_codes(p, d);
	else index_cells(p, d);
	pack_pairable(p);
}

void stp_free(struct stp *p)
{
	free(p->val);
	if (!p->borrowed) free(p->cell);
	free(p->off);
	free(p->idx);
	free(p->count);
	free(p->runsq);
	memset(p, 0, sizeof *p);
}
