/* gwet.c: the statistics that explain the kappa paradox (stats.h): Gwet's
 * AC1 and AC2 with their standard errors, PABAK and the prevalence and bias
 * indices of Byrt, Bishop & Carlin (1993); and two readings for a row: how
 * many units a kappa needs for a given interval, and whether a rater's
 * values spread over the scale (narrow or bimodal).
 *
 * AC1/AC2 follow Gwet (2014), the multi-rater form with missing values
 * that the irrCAC package computes (gwet.ac1.raw): with r_ik the values of
 * category k in unit i, r_i their sum, w the weights, r*_ik = sum_l w_kl r_il,
 *   pa   = mean over units with r_i >= 2 of sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1))
 *   pi_k = mean over units with r_i >= 1 of r_ik / r_i
 *   pe   = T_w sum_k pi_k (1 - pi_k) / (q (q - 1)),  T_w = sum_kl w_kl
 *   AC   = (pa - pe) / (1 - pe)
 * and the linearised variance: per unit
 *   a_i  = (n / n2) (pa_i - pe [r_i >= 2]) / (1 - pe)
 *   pe_i = T_w / (q (q - 1)) sum_k r_ik (1 - pi_k) / r_i
 *   a*_i = a_i - 2 (1 - AC) (pe_i - pe) / (1 - pe)
 *   var  = sum_i (a*_i - AC)^2 / (n (n - 1)).
 * The categories are sorted values: a unit's values are found by binary
 * search, and T_w for linear weights is q^2 - sum_kl |x_k - x_l| / range,
 * the sum by one pass over the sorted values. */
#include "stats/agree_int.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the categories: the scale's values and every value observed, ascending */
size_t stp_categories(const struct st_data *d, const struct stp *p, double **out)
{
	double *c = xmalloc((d->nscale + p->nval + 1) * sizeof *c);
	size_t k = 0, i = 0, j = 0;
	while (i < d->nscale || j < p->nval) {
		double x = j >= p->nval || (i < d->nscale && d->scale[i] < p->val[j]) ? d->scale[i++] : p->val[j++];
		if (isnan(x) || isinf(x)) continue;
		if (!k || c[k - 1] != x) c[k++] = x;
	}
	*out = c;
	return k;
}

struct gw {
	const struct stp *p;
	const double *c;          /* q categories */
	size_t q;
	double range;             /* weighted: max - min; 0: identity weights */
	size_t *cat;              /* nval: each value's category */
	double *pi;               /* q */
	double tw;                /* sum of the weights */
	size_t n, n2;             /* units with a value, with two or more */
};

static double weight(const struct gw *g, size_t k, size_t l)
{
	if (g->range == 0) return k == l;
	return 1 - fabs(g->c[k] - g->c[l]) / g->range;
}

/* unit u's values as categories into v; returns how many */
static size_t unit_cats(const struct gw *g, size_t u, size_t *v)
{
	const struct stp *p = g->p;
	size_t m = 0;
	for (size_t r = 0; r < p->raters; r++) {
		uint32_t x = p->cell[u * p->raters + r];
		if (x < p->nval) v[m++] = g->cat[x];
	}
	return m;
}

/* sum_k r_ik (r*_ik - 1) over the m values v of a unit */
static double unit_agree(const struct gw *g, const size_t *v, size_t m)
{
	double s = 0;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++) s += weight(g, v[i], v[j]);
	return s - (double)m;
}

static void sum_weights(struct gw *g)
{
	double q = (double)g->q;
	if (g->range == 0) {
		g->tw = q;
		return;
	}
	double spread = 0;             /* sum_kl |x_k - x_l| = 2 sum_k x_k (2k - q + 1) */
	for (size_t k = 0; k < g->q; k++) spread += 2 * g->c[k] * (2 * (double)k - q + 1);
	g->tw = q * q - spread / g->range;
}

static void gw_pi(struct gw *g, size_t *v)
{
	g->pi = xcalloc(g->q + 1, sizeof *g->pi);
	for (size_t u = 0; u < g->p->units; u++) {
		size_t m = unit_cats(g, u, v);
		if (!m) continue;
		g->n++;
		g->n2 += m >= 2;
		for (size_t i = 0; i < m; i++) g->pi[v[i]] += 1.0 / (double)m;
	}
	for (size_t k = 0; k < g->q; k++) g->pi[k] /= (double)g->n;
}

static double gw_pa(const struct gw *g, size_t *v)
{
	double pa = 0;
	for (size_t u = 0; u < g->p->units; u++) {
		size_t m = unit_cats(g, u, v);
		if (m >= 2) pa += unit_agree(g, v, m) / ((double)m * (double)(m - 1));
	}
	return pa / (double)g->n2;
}

static double gw_var(const struct gw *g, size_t *v, const struct st_gwet *o)
{
	double n = (double)g->n, f = g->tw / ((double)g->q * (double)(g->q - 1)), sum = 0;
	for (size_t u = 0; u < g->p->units; u++) {
		size_t m = unit_cats(g, u, v);
		if (!m) continue;
		double pa_i = m >= 2 ? unit_agree(g, v, m) / ((double)m * (double)(m - 1)) : 0;
		double a = n / (double)g->n2 * (pa_i - (m >= 2 ? o->pe : 0)) / (1 - o->pe), pe_i = 0;
		for (size_t i = 0; i < m; i++) pe_i += (1 - g->pi[v[i]]) / (double)m;
		a -= 2 * (1 - o->coef) * (f * pe_i - o->pe) / (1 - o->pe);
		sum += (a - o->coef) * (a - o->coef);
	}
	return sum / (n * (n - 1));
}

static int gw_check(const struct gw *g, const char *name, struct st_notes *notes)
{
	size_t used = 0;
	for (size_t k = 0; k < g->q; k++) used += g->pi[k] > 0;
	if (used == 1) {
		st_note(notes, "%s undefined: only one value observed (complete agreement, but not told apart "
			"from chance)", name);
		return -1;
	}
	if (g->n2 < 2) {
		st_note(notes, "%s undefined: needs two or more units with two or more values (%zu here)", name, g->n2);
		return -1;
	}
	if (g->q < 2) {
		st_note(notes, "%s undefined: only one category", name);
		return -1;
	}
	return 0;
}

static void gw_compute(struct gw *g, size_t *v, const char *name, struct st_gwet *o, struct st_notes *notes)
{
	gw_pi(g, v);
	o->n = g->n;
	if (gw_check(g, name, notes)) return;
	sum_weights(g);
	double s = 0;
	for (size_t k = 0; k < g->q; k++) s += g->pi[k] * (1 - g->pi[k]);
	o->pa = gw_pa(g, v);
	o->pe = g->tw * s / ((double)g->q * (double)(g->q - 1));
	if (!(o->pe < 1)) {
		st_note(notes, "%s undefined: chance agreement is 1", name);
		return;
	}
	o->coef = (o->pa - o->pe) / (1 - o->pe);
	double var = gw_var(g, v, o);
	if (var > 0) o->se = sqrt(var);
	else st_note(notes, "%s: standard error undefined (every unit contributes alike)", name);
}

struct st_gwet stp_gwet(const struct st_data *d, const struct stp *p, int weighted, struct st_notes *notes)
{
	struct st_gwet o = {NAN, NAN, NAN, NAN, 0};
	const char *name = weighted ? "Gwet's AC2" : "Gwet's AC1";
	double *c;
	struct gw g = {.p = p};
	g.q = stp_categories(d, p, &c);
	g.c = c;
	g.range = weighted && g.q > 1 ? c[g.q - 1] - c[0] : 0;
	g.cat = xmalloc((p->nval + 1) * sizeof *g.cat);
	for (size_t x = 0; x < p->nval; x++) g.cat[x] = stp_find_value(c, g.q, p->val[x]);
	size_t *v = xmalloc((p->raters + 1) * sizeof *v);
	gw_compute(&g, v, name, &o, notes);
	free(v);
	free(g.pi);
	free(g.cat);
	free(c);
	return o;
}

struct st_gwet st_gwet(const struct st_data *d, int weighted, struct st_notes *notes)
{
	struct stp p;
	stp_build(&p, d);
	struct st_gwet o = stp_gwet(d, &p, weighted, notes);
	stp_free(&p);
	return o;
}

/* ---- PABAK, prevalence and bias (two raters) ---- */

void stp_pabak(const struct st_data *d, const struct stp *p, size_t r1, size_t r2, struct st_agree *o)
{
	double *c, n = 0, po = 0, cnt[2][2] = {{0, 0}, {0, 0}};
	size_t q = stp_categories(d, p, &c);
	double *row = xcalloc(p->nval + 1, sizeof *row), *col = xcalloc(p->nval + 1, sizeof *col);
	for (size_t u = 0; u < p->units; u++) {
		uint32_t a = p->cell[u * p->raters + r1], b = p->cell[u * p->raters + r2];
		if (a >= p->nval || b >= p->nval) continue;
		n += 1;
		po += a == b;
		row[a] += 1;
		col[b] += 1;
		if (q == 2) cnt[stp_find_value(c, q, p->val[a])][stp_find_value(c, q, p->val[b])] += 1;
	}
	double bias = 0;
	for (size_t x = 0; x < p->nval; x++) bias += fabs(row[x] - col[x]);
	if (n == 0 || q < 2) {
		st_note(&o->notes, "PABAK, prevalence and bias indices undefined: %s",
			n == 0 ? "no unit rated by both raters" : "only one category");
	} else {
		o->pabak = ((double)q * po / n - 1) / ((double)q - 1);
		o->bias_index = bias / (2 * n);
		if (q == 2) o->prevalence_index = fabs(cnt[0][0] - cnt[1][1]) / n;
		else st_note(&o->notes, "prevalence index: defined for two categories only (%zu here)", q);
	}
	free(row);
	free(col);
	free(c);
}

/* ---- readings ---- */

size_t st_units_for_halfwidth(double po, double pe, double halfwidth)
{
	if (isnan(po) || isnan(pe) || !(pe < 1) || !(halfwidth > 0)) return 0;
	double z = ST_Z975 / halfwidth;
	return (size_t)ceil(z * z * po * (1 - po) / ((1 - pe) * (1 - pe)) - 1e-9);
}

enum st_spread st_value_spread(const long *counts, size_t k)
{
	long total = 0, c1 = -1, c2 = -1;
	size_t i1 = 0, i2 = 0;
	for (size_t v = 0; v < k; v++) {
		total += counts[v];
		if (counts[v] > c1) {
			c2 = c1, i2 = i1;
			c1 = counts[v], i1 = v;
		} else if (counts[v] > c2) {
			c2 = counts[v], i2 = v;
		}
	}
	if (k < 2 || total < ST_SPREAD_MIN_VALUES) return ST_SPREAD_OK;
	long top = k <= 3 ? c1 : c1 + c2;
	if (10 * top >= 9 * total) return ST_SPREAD_NARROW;
	size_t a = i1 < i2 ? i1 : i2, b = i1 < i2 ? i2 : i1;
	if (k < 3 || b - a < 2 || 5 * c2 < total) return ST_SPREAD_OK;
	for (size_t v = a + 1; v < b; v++)
		if (2 * counts[v] > c2) return ST_SPREAD_OK;
	return ST_SPREAD_BIMODAL;
}

const char *st_spread_words(enum st_spread s)
{
	return s == ST_SPREAD_NARROW ? "not discriminating" : s == ST_SPREAD_BIMODAL ? "possibly ambiguous" : NULL;
}
