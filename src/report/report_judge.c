/* report_judge.c: prints the judge check (app/judgecheck.h): a verdict
 * line per criterion, then how the judge errs. Lines stay within 80
 * columns; names and values pass through gs_printf's escaping. */
#include "report/report_judge.h"

#include <math.h>
#include <string.h>

#include "base/util.h"

static void confusion(FILE *f, const struct jc_crit *c)
{
	if (!c->nvals || c->nvals > 8 || !c->nmajor) return;
	gs_printf(f, "    judge (rows) x human majority (columns), %zu units, %.0f%% the same:\n", c->nmajor,
		  100 * c->accuracy);
	fprintf(f, "    %-8s", "");
	for (size_t h = 0; h < c->nvals; h++) gs_printf(f, "%7.7s%s", c->val[h].text, h + 1 < c->nvals ? "" : "\n");
	for (size_t j = 0; j < c->nvals; j++) {
		gs_printf(f, "    %-8.8s", c->val[j].text);
		for (size_t h = 0; h < c->nvals; h++) fprintf(f, "%7ld", c->confusion[j * c->nvals + h]);
		fprintf(f, "\n");
	}
}

static void num(FILE *f, double v)
{
	if (isnan(v)) fprintf(f, "%10s", "-");
	else fprintf(f, "%10.3f", v);
}

static void per_value(FILE *f, const struct jc_crit *c)
{
	if (!c->nvals || !c->nmajor) return;
	fprintf(f, "    %-8s %10s %10s %10s %8s %8s\n", "value", "precision", "recall", "F1", "judge", "humans");
	for (size_t v = 0; v < c->nvals; v++) {
		const struct jc_value *x = &c->val[v];
		gs_printf(f, "    %-8.8s", x->text);
		num(f, x->precision);
		num(f, x->recall);
		num(f, x->f1);
		fprintf(f, " %8ld %8ld\n", x->judge, x->human);
	}
}

static const char *leaning(double lo, double hi, const char *below, const char *above)
{
	if (isnan(lo) || isnan(hi)) return "undefined";
	return hi < 0 ? below : lo > 0 ? above : "no clear lean";
}

static void ordered(FILE *f, const struct jc_crit *c)
{
	if (!c->ordered) {
		fprintf(f, "    the values have no order: no mean difference or rank correlation\n");
		return;
	}
	if (c->ndiff)
		fprintf(f, "    judge - humans: %+.3f [%.3f, %.3f] on %zu units: %s\n", c->diff, c->diff_lo,
			c->diff_hi, c->ndiff, leaning(c->diff_lo, c->diff_hi, "harsher", "kinder"));
	if (isnan(c->spearman)) fprintf(f, "    rank correlation undefined (fewer than 3 units, or no spread)\n");
	else
		fprintf(f, "    rank correlation with the humans: Spearman %.3f, Kendall %.3f%s\n", c->spearman,
			c->kendall, c->spearman < JC_MIN_CORR ? " (below 0.8)" : "");
	if (c->nlen >= 3 && !isnan(c->slope_judge))
		fprintf(f, "    length: judge %+.3f, humans %+.3f per 100 characters of output (%zu units)\n",
			c->slope_judge, isnan(c->slope_human) ? 0.0 : c->slope_human, c->nlen);
}

static void pairwise(FILE *f, const struct jc_crit *c)
{
	if (c->nsys) fprintf(f, "    %-16s %12s  %-18s %6s\n", "system", "judge-humans", "95% CI", "pairs");
	for (size_t i = 0; i < c->nsys; i++) {
		const struct jc_system *y = &c->sys[i];
		char ci[48];
		snprintf(ci, sizeof ci, "[%.3f, %.3f]", y->lo, y->hi);
		gs_printf(f, "    %-16.16s %+12.3f  %-18s %6zu  %s\n", y->name, y->excess, isnan(y->lo) ? "-" : ci, y->n,
			  leaning(y->lo, y->hi, "picked less", "picked more"));
	}
	if (!c->has_position) return;
	const struct jc_position *p = &c->pos;
	fprintf(f, "    left side won %.1f%% of %ld decided (95%% CI %.1f-%.1f%%)",
		100.0 * (double)p->judge_left / (double)p->judge_decided, p->judge_decided, 100 * p->judge_lo,
		100 * p->judge_hi);
	if (p->human_decided)
		fprintf(f, "; humans %.1f%%", 100.0 * (double)p->human_left / (double)p->human_decided);
	fprintf(f, "\n");
	if (p->pairs)
		fprintf(f, "    asked both ways round %lld times, it changed its mind %lld times (%.1f%%)\n", p->pairs,
			p->flips, 100.0 * (double)p->flips / (double)p->pairs);
}

/* the reason, a line per "; " part */
static void reason(FILE *f, const char *r)
{
	for (const char *p = r, *end; *p; p = *end ? end + 2 : end) {
		end = strstr(p, "; ");
		if (!end) end = p + strlen(p);
		gs_printf(f, "    %.*s\n", (int)(end - p), p);
	}
}

void rj_print(FILE *f, const char *judge, const struct jc_crit *c, size_t n)
{
	if (!n) return;
	fputc('\n', f);
	gs_printf(f, "  How %s errs, criterion by criterion (system rows: 95%% CI):\n", judge);
	for (size_t i = 0; i < n; i++) {
		fputc('\n', f);
		gs_printf(f, "  %s: %s\n", c[i].name, c[i].verdict);
		reason(f, c[i].reason);
		if (c[i].pref) pairwise(f, &c[i]);
		if (c[i].pref) continue;
		confusion(f, &c[i]);
		per_value(f, &c[i]);
		ordered(f, &c[i]);
	}
	fputc('\n', f);
}

static void values_json(struct jo *o, const struct jc_crit *c)
{
	struct jo *vals = jo_add_array(o, "per_value"), *conf = jo_add_array(o, "confusion");
	for (size_t v = 0; v < c->nvals; v++) {
		struct jo *x = jo_add_object(vals, NULL), *row = jo_add_array(conf, NULL);
		jo_str(x, "value", c->val[v].text);
		jo_num(x, "precision", c->val[v].precision);
		jo_num(x, "recall", c->val[v].recall);
		jo_num(x, "f1", c->val[v].f1);
		jo_int(x, "judge_count", c->val[v].judge);
		jo_int(x, "human_count", c->val[v].human);
		for (size_t h = 0; h < c->nvals; h++) jo_int(row, NULL, c->confusion[v * c->nvals + h]);
	}
}

static void systems_json(struct jo *o, const struct jc_crit *c)
{
	struct jo *a = jo_add_array(o, "system_preference");
	for (size_t i = 0; i < c->nsys; i++) {
		struct jo *x = jo_add_object(a, NULL);
		jo_str(x, "system", c->sys[i].name);
		jo_int(x, "pairs", (long long)c->sys[i].n);
		jo_num(x, "judge_minus_humans", c->sys[i].excess);
		jo_pair(x, "ci95", c->sys[i].lo, c->sys[i].hi);
	}
	struct jo *p = jo_add_object(o, "position");
	const struct jc_position *q = &c->pos;
	jo_num(p, "judge_left_win_rate", c->has_position ? (double)q->judge_left / (double)q->judge_decided : NAN);
	jo_pair(p, "judge_left_win_ci95", c->has_position ? q->judge_lo : NAN, c->has_position ? q->judge_hi : NAN);
	jo_num(p, "human_left_win_rate", q->human_decided ? (double)q->human_left / (double)q->human_decided : NAN);
	jo_num(p, "flip_rate", q->pairs ? (double)q->flips / (double)q->pairs : NAN);
	jo_int(p, "both_orders", q->pairs);
}

void rj_json(struct jo *o, const struct jc_crit *c)
{
	struct jo *a = jo_add_object(o, "alignment");
	jo_str(a, "verdict_reason", c->reason);   /* the verdict is the row's */
	jo_int(a, "majority_units", (long long)c->nmajor);
	jo_num(a, "accuracy", c->accuracy);
	if (!c->pref) values_json(a, c);
	jo_int(a, "diff_units", (long long)c->ndiff);
	jo_num(a, "mean_diff", c->ordered ? c->diff : NAN);
	jo_pair(a, "mean_diff_ci95", c->diff_lo, c->diff_hi);
	jo_num(a, "spearman", c->spearman);
	jo_num(a, "kendall_tau_b", c->kendall);
	jo_int(a, "length_units", (long long)c->nlen);
	jo_num(a, "length_slope_judge", c->slope_judge);
	jo_num(a, "length_slope_humans", c->slope_human);
	if (c->pref) systems_json(a, c);
}
