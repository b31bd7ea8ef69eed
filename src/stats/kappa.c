/* kappa.c: Cohen's kappa (plain, with the Fleiss–Cohen–Everitt 1969
 * asymptotic standard error; and weighted), Fleiss' kappa, percent
 * agreement and the confusion matrix (stats.h). All work on the prepared
 * data of prep.c, one pass over the units plus O(V) over the distinct
 * values: no V x V table is built, so a thousand distinct values cost no
 * more than ten.
 *
 * Cohen, with p_ij the share of units rater 1 put in i and rater 2 in j,
 * p_i. and p_.j the margins, Po = sum p_ii, Pe = sum p_i. p_.i:
 *   kappa = (Po - Pe) / (1 - Pe)
 *   var   = [ sum_i p_ii (1 - (p_i. + p_.i)(1 - kappa))^2
 *           + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
 *           - (kappa - Pe (1 - kappa))^2 ] / ((1 - Pe)^2 n)
 * (SAS PROC FREQ "Tests and Measures of Agreement"; statsmodels'
 * cohens_kappa var_kappa). */
#include "stats/agree_int.h"
#include "base/util.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* margins of the units raters r1 and r2 both rated; returns their number */
struct margins { double *row, *col, *diag; double n; };

static void margins_count(const struct stp *p, size_t r1, size_t r2, struct margins *m)
{
	m->row = xcalloc(p->nval, sizeof *m->row);
	m->col = xcalloc(p->nval, sizeof *m->col);
	m->diag = xcalloc(p->nval, sizeof *m->diag);
	m->n = 0;
	for (size_t u = 0; u < p->units; u++) {
		uint32_t a = p->cell[u * p->raters + r1], b = p->cell[u * p->raters + r2];
		if (a >= p->nval || b >= p->nval) continue;
		m->row[a] += 1;
		m->col[b] += 1;
		if (a == b) m->diag[a] += 1;
		m->n += 1;
	}
}

static void margins_free(struct margins *m)
{
	free(m->row);
	free(m->col);
	free(m->diag);
}

static int raters_ok(const struct stp *p, size_t r1, size_t r2, const char *what, struct st_notes *notes)
{
	if (r1 < p->raters && r2 < p->raters && r1 != r2) return 0;
	st_note(notes, "%s undefined: needs two different raters", what);
	return -1;
}

/* asymptotic variance, given kappa and the margins */
static double cohen_var(const struct stp *p, size_t r1, size_t r2, const struct margins *m,
		double kappa, double pe)
{
	double n = m->n, ta = 0, tb = 0;
	for (size_t c = 0; c < p->nval; c++) {
		if (m->diag[c] == 0) continue;
		double f = 1 - (m->row[c] + m->col[c]) / n * (1 - kappa);
		ta += m->diag[c] / n * f * f;
	}
	for (size_t u = 0; u < p->units; u++) {
		uint32_t a = p->cell[u * p->raters + r1], b = p->cell[u * p->raters + r2];
		if (a >= p->nval || b >= p->nval || a == b) continue;
		double f = (m->col[a] + m->row[b]) / n;
		tb += f * f / n;
	}
	tb *= (1 - kappa) * (1 - kappa);
	double tc = (kappa - pe * (1 - kappa)) * (kappa - pe * (1 - kappa));
	/* the terms can cancel exactly (e.g. one rater always gave the same
	 * value: var = 0); do not let rounding leave a residue (or a negative) */
	double num = ta + tb - tc;
	if (num <= 8 * DBL_EPSILON * (ta + tb + tc)) return 0;
	return num / ((1 - pe) * (1 - pe) * n);
}

/* observed and chance agreement of the margins (NaN when they are empty) */
static void agreement_parts(const struct stp *p, const struct margins *m, double *po, double *pe)
{
	double same = 0, diag = 0;
	for (size_t c = 0; c < p->nval; c++) {
		same += m->row[c] * m->col[c];
		diag += m->diag[c];
	}
	*po = m->n > 0 ? diag / m->n : NAN;
	*pe = m->n > 0 ? same / (m->n * m->n) : NAN;
}

/* 1 when every unit in the margins got one and the same value from one rater */
static int one_rater_constant(const struct stp *p, const struct margins *m)
{
	for (size_t c = 0; c < p->nval; c++)
		if (m->row[c] == m->n || m->col[c] == m->n) return 1;
	return 0;
}

static void cohen_se(const struct stp *p, size_t r1, size_t r2, const struct margins *m, double pe,
		     struct st_kappa *k, struct st_notes *notes)
{
	double var = cohen_var(p, r1, r2, m, k->kappa, pe);
	if (one_rater_constant(p, m))
		st_note(notes, "Cohen's kappa: one rater gave every unit the same value, so kappa is 0 by "
			"construction; its SE and interval are undefined");
	else if (!(var > 0))
		st_note(notes, "Cohen's kappa: SE and interval undefined (the asymptotic variance is 0 on this table)");
	else {
		k->se = sqrt(var);
		k->lo = k->kappa - ST_Z975 * k->se;
		k->hi = k->kappa + ST_Z975 * k->se;
	}
}

struct st_kappa stp_cohen(const struct stp *p, size_t r1, size_t r2, struct st_notes *notes)
{
	struct st_kappa k = {NAN, NAN, NAN, NAN, 0};
	if (raters_ok(p, r1, r2, "Cohen's kappa", notes)) return k;
	struct margins m;
	margins_count(p, r1, r2, &m);
	k.n = (size_t)m.n;
	double po, pe;
	agreement_parts(p, &m, &po, &pe);
	if (m.n == 0)
		st_note(notes, "Cohen's kappa undefined: no unit rated by both raters");
	else if (pe == 1)
		st_note(notes, "Cohen's kappa undefined: both raters gave every unit one and the same value (expected agreement is 1)");
	else {
		k.kappa = (po - pe) / (1 - pe);
		cohen_se(p, r1, r2, &m, pe, &k, notes);
	}
	margins_free(&m);
	return k;
}

void stp_cohen_parts(const struct stp *p, size_t r1, size_t r2, double *po, double *pe)
{
	*po = *pe = NAN;
	if (raters_ok(p, r1, r2, "Cohen's kappa", NULL)) return;
	struct margins m;
	margins_count(p, r1, r2, &m);
	agreement_parts(p, &m, po, pe);
	margins_free(&m);
}

/* sum_i sum_j row_i col_j |x_i - x_j| in O(V), by running sums */
double stp_expected_linear(size_t nval, const double *x, const double *row, const double *col)
{
	double *right = xmalloc(nval * sizeof *right);
	double after = 0, r = 0;
	for (size_t i = nval; i-- > 0;) {
		if (i + 1 < nval) r += after * (x[i + 1] - x[i]);
		right[i] = r;                       /* sum_{j>i} col_j (x_j - x_i) */
		after += col[i];
	}
	double before = 0, l = 0, sum = 0;
	for (size_t i = 0; i < nval; i++) {
		if (i > 0) l += before * (x[i] - x[i - 1]);
		sum += row[i] * (l + right[i]);     /* l = sum_{j<i} col_j (x_i - x_j) */
		before += col[i];
	}
	free(right);
	return sum;
}

/* sum_i sum_j row_i col_j (x_i - x_j)^2, about the common mean */
double stp_expected_quadratic(size_t nval, const double *x, const double *row, const double *col, double n)
{
	double mu = 0;
	for (size_t i = 0; i < nval; i++) mu += (row[i] + col[i]) * x[i];
	mu /= 2 * n;
	double sr = 0, sc = 0, qr = 0, qc = 0;
	for (size_t i = 0; i < nval; i++) {
		double y = x[i] - mu;
		sr += row[i] * y;
		sc += col[i] * y;
		qr += row[i] * y * y;
		qc += col[i] * y * y;
	}
	return n * qr + n * qc - 2 * sr * sc;
}

double stp_weighted(const struct stp *p, size_t r1, size_t r2, enum st_weights w, struct st_notes *notes)
{
	const char *name = w == ST_LINEAR ? "linear weighted kappa" : "quadratic weighted kappa";
	if (raters_ok(p, r1, r2, name, notes)) return NAN;
	struct margins m;
	margins_count(p, r1, r2, &m);
	double obs = 0;
	for (size_t u = 0; u < p->units; u++) {
		uint32_t a = p->cell[u * p->raters + r1], b = p->cell[u * p->raters + r2];
		if (a >= p->nval || b >= p->nval) continue;
		double d = fabs(p->val[a] - p->val[b]);
		obs += w == ST_LINEAR ? d : d * d;
	}
	double dexp = m.n == 0 ? 0 : w == ST_LINEAR ? stp_expected_linear(p->nval, p->val, m.row, m.col)
		: stp_expected_quadratic(p->nval, p->val, m.row, m.col, m.n);
	double k = NAN;
	if (m.n == 0)
		st_note(notes, "%s undefined: no unit rated by both raters", name);
	else if (!isfinite(dexp) || !isfinite(obs))
		st_note(notes, "%s not computed: the values are too large (their differences overflow)", name);
	else if (!(dexp > 0))
		st_note(notes, "%s undefined: expected disagreement is 0 (one value only)", name);
	else
		k = 1 - obs * m.n / dexp;
	margins_free(&m);
	return k;
}

double stp_fleiss(const struct stp *p, size_t *used, double *po, double *pe_out, struct st_notes *notes)
{
	*used = 0;
	*po = *pe_out = NAN;
	if (p->raters < 2) {
		st_note(notes, "Fleiss' kappa undefined: needs two or more raters");
		return NAN;
	}
	double *tot = xcalloc(p->nval, sizeof *tot);
	double n = 0, sumsq = 0, m = (double)p->raters;
	for (size_t k = 0; k < p->pu; k++) {
		if (p->off[k + 1] - p->off[k] != p->raters) continue;
		for (size_t i = p->off[k]; i < p->off[k + 1]; i++) tot[p->idx[i]] += 1;
		sumsq += p->runsq[k];
		n += 1;
	}
	double same = 0;
	for (size_t c = 0; c < p->nval; c++) same += tot[c] * tot[c];
	free(tot);
	*used = (size_t)n;
	if (n == 0) {
		st_note(notes, "Fleiss' kappa undefined: no unit rated by every rater");
		return NAN;
	}
	if (same == n * m * n * m) {
		st_note(notes, "Fleiss' kappa undefined: only one value observed");
		return NAN;
	}
	double pbar = (sumsq - n * m) / (n * m * (m - 1));
	double pe = same / (n * m * n * m);
	*po = pbar;
	*pe_out = pe;
	return (pbar - pe) / (1 - pe);
}

double stp_percent(const struct stp *p, struct st_notes *notes)
{
	if (p->pu == 0) {
		st_note(notes, "percent agreement undefined: no pairable unit");
		return NAN;
	}
	double agree = 0, pairs = 0;
	for (size_t k = 0; k < p->pu; k++) {
		double m = (double)(p->off[k + 1] - p->off[k]);
		agree += (p->runsq[k] - m) / 2;
		pairs += m * (m - 1) / 2;
	}
	return agree / pairs;
}

/* ---- confusion matrix (on the raw data: it also lists the scale) ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

size_t stp_find_value(const double *v, size_t k, double x)
{
	size_t lo = 0, hi = k;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

static int usable(double x)
{
	return !isnan(x) && !isinf(x);
}

size_t st_confusion(const struct st_data *d, size_t r1, size_t r2, double **values, long **counts)
{
	size_t cap = d->nscale + 2 * d->units, k = 0;
	double *v = xmalloc((cap ? cap : 1) * sizeof *v);
	for (size_t i = 0; i < d->nscale; i++)
		if (usable(d->scale[i])) v[k++] = d->scale[i] + 0.0;
	for (size_t u = 0; u < d->units && r1 < d->raters && r2 < d->raters; u++) {
		double a = st_cell(d, u * d->raters + r1), b = st_cell(d, u * d->raters + r2);
		if (usable(a)) v[k++] = a + 0.0;
		if (usable(b)) v[k++] = b + 0.0;
	}
	qsort(v, k, sizeof *v, cmp_double);
	size_t w = 0;
	for (size_t i = 0; i < k; i++)
		if (w == 0 || v[i] != v[w - 1]) v[w++] = v[i];
	long *c = xcalloc(w * w, sizeof *c);
	for (size_t u = 0; u < d->units && r1 < d->raters && r2 < d->raters; u++) {
		double a = st_cell(d, u * d->raters + r1), b = st_cell(d, u * d->raters + r2);
		if (usable(a) && usable(b)) c[stp_find_value(v, w, a) * w + stp_find_value(v, w, b)]++;
	}
	*values = v;
	*counts = c;
	return w;
}
