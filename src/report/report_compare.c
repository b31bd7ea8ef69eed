/* report_compare.c: `goldset compare`'s text and JSON (report_compare.h).
 * Only prints; the numbers come from app/compare.c. Every line quoting a
 * name goes through gs_printf (escaped). */
#include "report/report_compare.h"
#include "base/jsonout.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* "%.3f" or "n/a" into buf */
static const char *num(double v, char buf[32])
{
	if (isnan(v)) snprintf(buf, 32, "n/a");
	else snprintf(buf, 32, "%.3f", v);
	return buf;
}

static const char *interval(double lo, double hi, char buf[64])
{
	if (isnan(lo) || isnan(hi)) snprintf(buf, 64, "n/a");
	else snprintf(buf, 64, "[%.3f, %.3f]", lo, hi);
	return buf;
}

static const char *pval(double p, int exact, char buf[32])
{
	if (isnan(p)) snprintf(buf, 32, "n/a");
	else if (p < 0.0001) snprintf(buf, 32, "<0.0001%s", exact ? "*" : "");
	else snprintf(buf, 32, "%.4f%s", p, exact ? "*" : "");
	return buf;
}

static const char *verdict(int gate) { return gate < 0 ? "" : gate ? "pass" : "FAIL"; }

static void row_name(const struct compare_row *w, char *buf, size_t n)
{
	if (!w->sliced) snprintf(buf, n, "%s", w->criterion);
	else snprintf(buf, n, "  %s", w->slice ? w->slice : "(none)");
}

static void text_pointwise(const struct compare_row *w)
{
	char name[600], a[32], b[32], d[32], ci[64], p[32];
	row_name(w, name, sizeof name);
	gs_printf(stdout, "  %-20s %6zu %7s %7s %7s  %-18s %-9s %s\n", name, w->d.n, num(w->mean_a, a),
		  num(w->mean_b, b), num(w->d.mean, d), interval(w->d.lo, w->d.hi, ci), pval(w->d.p, w->d.exact, p),
		  verdict(w->gate));
}

static void text_pairwise(const struct compare_row *w)
{
	char name[600], r[32], ci[64], p[32];
	row_name(w, name, sizeof name);
	gs_printf(stdout, "  %-20s %6ld %5ld %5ld %6ld  %7s  %-18s %-9s %s\n", name, w->comparisons, w->wins, w->ties,
		  w->losses, num(w->win_rate, r), interval(w->win_lo, w->win_hi, ci), pval(w->p, 0, p), verdict(w->gate));
}

static void text_header(const struct compare_opts *o, const struct compare_row *w)
{
	if (w->pairwise) {
		gs_printf(stdout, "%s (pairwise): win rate of %s over %s, ties counted half\n", w->rubric, o->a, o->b);
		printf("  %-20s %6s %5s %5s %6s  %7s  %-18s %-9s %s\n", "criterion", "cmps", "wins", "ties", "losses",
		       "rate", "95% CI (Wilson)", "p", o->gated ? "gate" : "");
	} else {
		gs_printf(stdout, "%s (pointwise): mean per item over raters, difference %s - %s on the items both have\n",
			  w->rubric, o->a, o->b);
		printf("  %-20s %6s %7s %7s %7s  %-18s %-9s %s\n", "criterion", "items", "mean A", "mean B", "diff",
		       "95% CI", "p", o->gated ? "gate" : "");
	}
}

static void text_notes(const struct compare_row *w)
{
	for (guint i = 0; i < w->notes->len; i++)
		gs_printf(stdout, "    - %s%s%s: %s\n", w->criterion, w->sliced ? ", " : "",
			  w->sliced ? (w->slice ? w->slice : "(none)") : "", (const char *)w->notes->pdata[i]);
}

void report_compare_text(const struct compare_opts *o, const struct compare_result *res)
{
	gs_printf(stdout, "A = %s, B = %s; %u resamples, seed %llu\n", o->a, o->b, o->resamples,
		  (unsigned long long)o->seed);
	const char *rubric = NULL;
	for (guint i = 0; i < res->rows->len; i++) {
		const struct compare_row *w = res->rows->pdata[i];
		if (!rubric || strcmp(rubric, w->rubric)) {
			printf("\n");
			text_header(o, w);
			rubric = w->rubric;
		}
		if (w->pairwise) text_pairwise(w);
		else text_pointwise(w);
	}
	for (guint i = 0; i < res->rows->len; i++) text_notes(res->rows->pdata[i]);
	for (guint i = 0; i < res->notes->len; i++) gs_printf(stdout, "- %s\n", (const char *)res->notes->pdata[i]);
	printf("\n* p exact (every sign flip counted); else a sign-flip test over the resamples (pointwise)\n"
	       "  or the exact binomial test of wins against losses (pairwise).\n");
	if (o->gated)
		printf("gate --min-diff %g: %s\n", o->min_diff,
		       res->pass ? "passed (every lower bound at least the difference asked)" :
				   "FAILED (a lower bound below the difference asked, or undefined)");
}

static struct jo *json_row(const struct compare_row *w)
{
	struct jo *o = jo_object();
	jo_str(o, "rubric", w->rubric);
	jo_str(o, "design", w->pairwise ? "pairwise" : "pointwise");
	jo_str(o, "criterion", w->criterion);
	if (w->sliced) {
		struct jo *s = jo_add_object(o, "slice");
		jo_str(s, "value", w->slice);
	} else {
		jo_null(o, "slice");
	}
	if (w->pairwise) {
		jo_int(o, "comparisons", w->comparisons);
		jo_int(o, "wins", w->wins);
		jo_int(o, "ties", w->ties);
		jo_int(o, "losses", w->losses);
		jo_num(o, "win_rate", w->win_rate);
		jo_pair(o, "win_rate_ci95", w->win_lo, w->win_hi);
		jo_num(o, "p_value", w->p);
	} else {
		jo_int(o, "items", (long long)w->d.n);
		jo_int(o, "items_a", (long long)w->items_a);
		jo_int(o, "items_b", (long long)w->items_b);
		jo_num(o, "mean_a", w->mean_a);
		jo_num(o, "mean_b", w->mean_b);
		jo_num(o, "diff", w->d.mean);
		jo_pair(o, "diff_ci95", w->d.lo, w->d.hi);
		jo_num(o, "p_value", w->d.p);
		jo_bool(o, "p_exact", w->d.exact);
	}
	if (w->gate < 0) jo_null(o, "gate");
	else jo_bool(o, "gate", w->gate);
	struct jo *n = jo_add_array(o, "notes");
	for (guint i = 0; i < w->notes->len; i++) jo_str(n, NULL, w->notes->pdata[i]);
	return o;
}

void report_compare_json(const struct compare_opts *o, const struct compare_result *res)
{
	struct jo *top = jo_object();
	jo_str(top, "a", o->a);
	jo_str(top, "b", o->b);
	jo_int(top, "resamples", o->resamples);
	jo_int(top, "seed", (long long)o->seed);
	if (o->gated) jo_num(top, "min_diff", o->min_diff);
	else jo_null(top, "min_diff");
	if (res->pass < 0) jo_null(top, "pass");
	else jo_bool(top, "pass", res->pass);
	struct jo *rows = jo_add_array(top, "rows");
	for (guint i = 0; i < res->rows->len; i++) jo_add(rows, NULL, json_row(res->rows->pdata[i]));
	struct jo *n = jo_add_array(top, "notes");
	for (guint i = 0; i < res->notes->len; i++) jo_str(n, NULL, res->notes->pdata[i]);
	jo_print(top, stdout);
	jo_free(top);
}
