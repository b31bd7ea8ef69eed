/* alpha.c: Krippendorff's alpha (stats.h; its interval is boot.c).
 *
 * Krippendorff (2011) builds the coincidence matrix o_ck = sum over units u
 * of n_uck / (m_u - 1), where n_uck counts the ordered pairs of values (c,k)
 * in unit u and m_u its number of values, and
 *     alpha = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck
 * with n_c the marginals and d the level's metric. The matrix itself is
 * never built: sum_ck o_ck d_ck is a sum over units of each unit's own
 * pairs, and the expected part needs only the marginals:
 *   nominal   d = [c != k]: a unit gives (m^2 - sum_c n_uc^2)/(m-1), and
 *             sum n_c n_k d = n^2 - sum n_c^2.
 *   interval  d = (c-k)^2: a unit gives 2 m sum_i (x_i - mean)^2 / (m-1),
 *             and sum n_c n_k d = 2 n sum_c n_c (c - mean)^2.
 *   ordinal   d = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 = (t_k - t_c)^2 with
 *             t_c = (n_1 + ... + n_{c-1}) + n_c/2 (the value's mid-rank among
 *             the pairable values): interval on t, whose mean is n/2.
 *   ratio     d = ((c-k)/(c+k))^2 has no such shortcut: the expected part
 *             is a double loop over the distinct values (V^2/2 terms).
 * The bootstrap (boot.c) reuses these pieces. */
#include "stats/agree_int.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t stp_unit_len(const struct stp *p, size_t k)
{
	return p->off[k + 1] - p->off[k];
}

/* distinct values of unit k with their counts; returns how many */
static size_t unit_runs(const struct stp *p, size_t k, uint32_t *v, double *cnt)
{
	const uint32_t *a = p->idx + p->off[k];
	size_t m = stp_unit_len(p, k), r = 0;
	for (size_t i = 0; i < m; i++) {
		if (r && v[r - 1] == a[i]) {
			cnt[r - 1] += 1;
			continue;
		}
		v[r] = a[i];
		cnt[r++] = 1;
	}
	return r;
}

static double ratio_d(double a, double b)
{
	double s = a + b;
	if (s == 0) return 0;
	double q = (a - b) / s;
	return q * q;
}

/* sum over ordered pairs of unit k's values of d, over m - 1; x gives each
 * value index a coordinate (interval: the value, ordinal: its mid-rank) */
double stp_unit_do(const struct stp *p, enum st_level lv, size_t k,
		const double *x, uint32_t *rv, double *rc)
{
	size_t m = stp_unit_len(p, k);
	if (lv == ST_NOMINAL) return ((double)m * (double)m - p->runsq[k]) / (double)(m - 1);
	size_t r = unit_runs(p, k, rv, rc);
	double sum = 0;
	if (lv != ST_RATIO && r > 16) {          /* many distinct: centred sums */
		double mean = 0, ss = 0;
		for (size_t i = 0; i < r; i++) mean += rc[i] * x[rv[i]];
		mean /= (double)m;
		for (size_t i = 0; i < r; i++) ss += rc[i] * (x[rv[i]] - mean) * (x[rv[i]] - mean);
		return 2.0 * (double)m * ss / (double)(m - 1);
	}
	for (size_t i = 0; i < r; i++)
		for (size_t j = i + 1; j < r; j++) {
			double d;
			if (lv == ST_RATIO) d = ratio_d(x[rv[i]], x[rv[j]]);
			else d = (x[rv[i]] - x[rv[j]]) * (x[rv[i]] - x[rv[j]]);
			sum += rc[i] * rc[j] * d;
		}
	return 2.0 * sum / (double)(m - 1);
}

/* ordinal coordinates: mid-ranks of the values among cnt */
static void midranks(size_t nval, const double *cnt, double *t)
{
	double below = 0;
	for (size_t c = 0; c < nval; c++) {
		t[c] = below + cnt[c] / 2;
		below += cnt[c];
	}
}

/* sum_ck n_c n_k d_ck for marginals cnt (n values in all); x as unit_do */
double stp_expected(enum st_level lv, size_t nval, const double *cnt,
		double n, const double *x)
{
	double sum = 0;
	if (lv == ST_NOMINAL) {
		for (size_t c = 0; c < nval; c++) sum += cnt[c] * cnt[c];
		return n * n - sum;
	}
	if (lv == ST_RATIO) {
		for (size_t c = 0; c < nval; c++) {
			if (cnt[c] == 0) continue;
			double row = 0;
			for (size_t k = c + 1; k < nval; k++)
				if (cnt[k] != 0) row += cnt[k] * ratio_d(x[c], x[k]);
			sum += cnt[c] * row;
		}
		return 2 * sum;
	}
	double mean = 0;
	if (lv == ST_ORDINAL) mean = n / 2;
	else {
		for (size_t c = 0; c < nval; c++) mean += cnt[c] * x[c];
		mean /= n;
	}
	for (size_t c = 0; c < nval; c++) sum += cnt[c] * (x[c] - mean) * (x[c] - mean);
	return 2 * n * sum;
}

int stp_alpha_check(const struct stp *p, struct st_notes *notes)
{
	if (p->pu == 0) {
		st_note(notes, "alpha undefined: no pairable unit (no unit has two or more values)");
		return -1;
	}
	if (p->distinct < 2) {
		st_note(notes, "alpha undefined: only one value observed");
		return -1;
	}
	return 0;
}

int stp_ratio_check(const struct stp *p, struct st_notes *notes)
{
	if (p->nval && p->val[0] < 0) {
		st_note(notes, "alpha undefined: the ratio level needs values >= 0 (%g seen)", p->val[0]);
		return -1;
	}
	if (p->distinct > ST_RATIO_MAX_VALUES) {
		st_note(notes, "alpha not computed: the ratio level costs V^2 and there are %zu distinct values (at most %d)",
			p->distinct, ST_RATIO_MAX_VALUES);
		return -1;
	}
	return 0;
}

/* coordinates for lv: the values, or mid-ranks from cnt (into t) */
const double *stp_coords(const struct stp *p, enum st_level lv, const double *cnt, double *t)
{
	if (lv != ST_ORDINAL) return p->val;
	midranks(p->nval, cnt, t);
	return t;
}

double stp_alpha_from(double n, double dobs, double dexp)
{
	if (!(dexp > 0)) return NAN;
	return 1 - (n - 1) * dobs / dexp;
}

double stp_alpha(const struct stp *p, enum st_level lv, struct st_notes *notes)
{
	if (stp_alpha_check(p, notes)) return NAN;
	if (lv == ST_RATIO && stp_ratio_check(p, notes)) return NAN;
	size_t most = p->raters ? p->raters : 1;
	uint32_t *rv = xmalloc(most * sizeof *rv);
	double *rc = xmalloc(most * sizeof *rc);
	double *t = xmalloc(p->nval * sizeof *t);
	const double *x = stp_coords(p, lv, p->count, t);
	double dobs = 0;
	for (size_t k = 0; k < p->pu; k++) dobs += stp_unit_do(p, lv, k, x, rv, rc);
	double dexp = stp_expected(lv, p->nval, p->count, (double)p->n, x);
	double a = stp_alpha_from((double)p->n, dobs, dexp);
	if (!isfinite(dobs) || !isfinite(dexp)) {
		a = NAN;
		st_note(notes, "alpha not computed: the values are too large (their squared differences overflow)");
	} else if (isnan(a))
		st_note(notes, "alpha undefined: expected disagreement is 0");
	free(rv);
	free(rc);
	free(t);
	return a;
}
