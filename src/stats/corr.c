/* corr.c: rank correlations, a least-squares slope and the t interval of a
 * mean, for the judge check (definitions in include/stats/corr.h). */
#include "stats/corr.h"

#include <math.h>
#include <stdlib.h>

#include "base/mem.h"

struct ranked { double v; size_t i; };

static int by_value(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;
	return (x > y) - (x < y);
}

/* ranks of x[0..n), 1-based, ties their mean rank */
static double *ranks(const double *x, size_t n)
{
	struct ranked *s = xmalloc((n + 1) * sizeof *s);
	double *r = xmalloc((n + 1) * sizeof *r);
	for (size_t i = 0; i < n; i++) s[i] = (struct ranked){x[i], i};
	qsort(s, n, sizeof *s, by_value);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && s[j + 1].v == s[i].v) j++;
		double mean = (double)(i + j) / 2.0 + 1.0;
		for (size_t k = i; k <= j; k++) r[s[k].i] = mean;
		i = j + 1;
	}
	free(s);
	return r;
}

/* the centred sums of squares and products of x and y */
static void moments(const double *x, const double *y, size_t n, double *sxx, double *sxy, double *syy)
{
	double mx = 0, my = 0;
	for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
	mx /= (double)n;
	my /= (double)n;
	*sxx = *sxy = *syy = 0;
	for (size_t i = 0; i < n; i++) {
		*sxy += (x[i] - mx) * (y[i] - my);
		*sxx += (x[i] - mx) * (x[i] - mx);
		*syy += (y[i] - my) * (y[i] - my);
	}
}

double st_pearson(const double *x, const double *y, size_t n)
{
	if (n < 3) return NAN;
	double sxx, sxy, syy;
	moments(x, y, n, &sxx, &sxy, &syy);
	return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

double st_spearman(const double *x, const double *y, size_t n)
{
	double *rx = ranks(x, n), *ry = ranks(y, n);
	double r = st_pearson(rx, ry, n);
	free(rx);
	free(ry);
	return r;
}

struct xy { double x, y; };

static int by_x_then_y(const void *a, const void *b)
{
	const struct xy *p = a, *q = b;
	if (p->x != q->x) return (p->x > q->x) - (p->x < q->x);
	return (p->y > q->y) - (p->y < q->y);
}

enum tie { TIE_X, TIE_Y, TIE_XY };

static int tied(const struct xy *a, const struct xy *b, enum tie on)
{
	return (on == TIE_Y || a->x == b->x) && (on == TIE_X || a->y == b->y);
}

/* pairs tied in runs of v[0..n) sorted on what they are tied on: the sum
 * of k(k-1)/2 over the runs */
static double tied_pairs(const struct xy *v, size_t n, enum tie on)
{
	double t = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && tied(&v[j], &v[i], on); j++) continue;
		t += (double)(j - i) * (double)(j - i - 1) / 2.0;
	}
	return t;
}

/* sorts v[0..n) by y (stable merge sort), returning how many pairs it
 * swapped: the pairs whose y order is against their x order */
static double merge_swaps(struct xy *v, struct xy *tmp, size_t n)
{
	if (n < 2) return 0;
	size_t h = n / 2, i = 0, j = h, k = 0;
	double swaps = merge_swaps(v, tmp, h) + merge_swaps(v + h, tmp, n - h);
	while (i < h && j < n) {
		if (v[j].y < v[i].y) {
			swaps += (double)(h - i);
			tmp[k++] = v[j++];
		} else {
			tmp[k++] = v[i++];
		}
	}
	while (i < h) tmp[k++] = v[i++];
	while (j < n) tmp[k++] = v[j++];
	for (k = 0; k < n; k++) v[k] = tmp[k];
	return swaps;
}

/* Knight's O(n log n) count: sort by x then y; the ties in x, and in x and
 * y together; then a merge sort by y counts the discordant pairs and
 * leaves the runs of ties in y */
double st_kendall_tau_b(const double *x, const double *y, size_t n)
{
	if (n < 2) return NAN;
	struct xy *v = xmalloc(n * sizeof *v), *tmp = xmalloc(n * sizeof *tmp);
	for (size_t i = 0; i < n; i++) v[i] = (struct xy){x[i], y[i]};
	qsort(v, n, sizeof *v, by_x_then_y);
	double n0 = (double)n * (double)(n - 1) / 2.0;
	double tx = tied_pairs(v, n, TIE_X), txy = tied_pairs(v, n, TIE_XY);
	double discordant = merge_swaps(v, tmp, n);
	double ty = tied_pairs(v, n, TIE_Y);
	free(v);
	free(tmp);
	double den = sqrt((n0 - tx) * (n0 - ty));
	return den > 0 ? (n0 - tx - ty + txy - 2.0 * discordant) / den : NAN;
}

double st_slope(const double *x, const double *y, size_t n)
{
	if (n < 2) return NAN;
	double sxx, sxy, syy;
	moments(x, y, n, &sxx, &sxy, &syy);
	return sxx > 0 ? sxy / sxx : NAN;
}

/* ---- Student's t ---- */

/* the continued fraction of the regularized incomplete beta function
 * I_x(a, b), evaluated by the modified Lentz method (valid for x below
 * (a + 1) / (a + b + 2)) */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
	d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
	double f = d;
	for (int m = 1; m <= 300; m++) {
		double m2 = 2.0 * m;
		double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));   /* the even step */
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		c = fabs(c) < tiny ? tiny : c;
		f *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));   /* the odd step */
		d = 1.0 + num * d;
		c = 1.0 + num / c;
		d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
		c = fabs(c) < tiny ? tiny : c;
		double step = d * c;
		f *= step;
		if (fabs(step - 1.0) < 1e-15) break;
	}
	return f;
}

static double incomplete_beta(double a, double b, double x)
{
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
	return 1.0 - exp(lgamma(a + b) - lgamma(a) - lgamma(b) + b * log1p(-x) + a * log(x)) *
			     beta_fraction(b, a, 1.0 - x) / b;
}

/* P(T <= t), T Student's t with df degrees of freedom */
static double t_cdf(double t, double df)
{
	double tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
	return t >= 0 ? 1.0 - tail : tail;
}

double st_t_quantile(double p, double df)
{
	if (!(p > 0 && p < 1) || !(df > 0)) return NAN;
	double lo = -1e6, hi = 1e6;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * (1.0 + fabs(lo)); i++) {
		double mid = (lo + hi) / 2.0;
		if (t_cdf(mid, df) < p) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2.0;
}

double st_mean_ci95(const double *d, size_t n, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (n == 0) return NAN;
	double m = 0, ss = 0;
	for (size_t i = 0; i < n; i++) m += d[i];
	m /= (double)n;
	if (n < 2) return m;
	for (size_t i = 0; i < n; i++) ss += (d[i] - m) * (d[i] - m);
	double se = sqrt(ss / (double)(n - 1) / (double)n);
	if (se == 0) {
		*lo = *hi = m;
		return m;
	}
	double t = st_t_quantile(0.975, (double)(n - 1));
	*lo = m - t * se;
	*hi = m + t * se;
	return m;
}
