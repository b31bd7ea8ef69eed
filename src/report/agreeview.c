/* agreeview.c: the text output of `goldset agree` in a workspace (see
 * agreeview.h): summary tables that say what the numbers mean, detail
 * blocks, and on a terminal the heat map, bars and length-bias lines. */
#include "report/agreeview.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "report/fit.h"
#include "report/table.h"

#define AV_BAR_WIDTH 24
#define AV_MAX_PICTURE_VALUES 12     /* heat maps and bars up to this many values */
#define AV_MAX_PAIR_MAPS 3           /* heat maps per row with more than two raters */
#define AV_LENGTH_WARN 0.5           /* |r| from which a rater's values follow length */
#define AV_ONE_POINT_MIN 5           /* values a rater needs before the few-points warning */

void av_style_init(struct av_style *s, int pictures, int color, const char *by)
{
	const char *cs = nl_langinfo(CODESET);
	s->pictures = pictures;
	s->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	s->color = color;
	s->by = by;
}

/* ---- small text helpers ---- */

/* s escaped, cut to at most w columns (a "…" marks the cut), padded to w
 * (left-aligned; right-aligned when right) */
static void put_cell(FILE *f, const char *s, int w, int right)
{
	char *e = text_escape(s ? s : "");
	fit_cell(f, e, w, right);
	free(e);
}

static void fmt_num(char *out, size_t n, double v)
{
	if (isnan(v)) snprintf(out, n, "n/a");
	else snprintf(out, n, "%.3f", v);
}

static void fmt_ci(char *out, size_t n, double lo, double hi)
{
	if (isnan(lo) || isnan(hi)) out[0] = 0;
	else snprintf(out, n, "[%.3f, %.3f]", lo, hi);
}

static const char *alpha_word(double a)
{
	if (isnan(a)) return NULL;
	if (a >= AR_ALPHA_RELIABLE) return "reliable";
	if (a >= AR_ALPHA_TENTATIVE) return "tentative";
	return "not reliable";
}

/* what a row's numbers mean, in a few words */
static void reading(const struct ar_row *row, char *out, size_t n)
{
	if (row->judge) {
		if (isnan(row->verdict_kappa)) snprintf(out, n, "undefined: see notes");
		else if (row->too_few) snprintf(out, n, "too few items (%zu < %zu)", row->kappa_n, row->min_units);
		else snprintf(out, n, "%s (%s %s %.1f)", row->verdict, ar_kappa_label(row->verdict_on),
			      ar_at_least(row->verdict_kappa, AR_JUDGE_DEPLOY) ? ">=" : "<", AR_JUDGE_DEPLOY);
		return;
	}
	const char *aw = alpha_word(row->a.alpha);
	double k = ar_row_kappa(row, NULL);
	if (row->ncol > 2 && row->a.level != ST_NOMINAL) k = NAN;   /* Fleiss' ignores the order: alpha decides */
	int vague = !isnan(k) && !ar_at_least(k, AR_HUMAN_KAPPA_OK);
	if (row->too_few) snprintf(out, n, "too few items (%zu < %zu)", row->kappa_n, row->min_units);
	else if (!aw && isnan(k)) snprintf(out, n, "undefined: see notes");
	else if (!aw) snprintf(out, n, "%s", vague ? "rubric too vague (kappa < 0.6)" : "kappa ok (>= 0.6)");
	else snprintf(out, n, "%s%s", aw, vague ? "; rubric too vague (kappa < 0.6)" : "");
}

static void slice_name(char *out, size_t n, const struct ar_row *row, const struct av_style *s)
{
	if (!row->sliced) snprintf(out, n, "%s", row->si.name);
	else if (!row->slice) snprintf(out, n, "  %s (none)", s->by ? s->by : "");
	else snprintf(out, n, "  %s=%s", s->by ? s->by : "", row->slice);
}

/* ---- the summary table ---- */

static void summary_row(struct tb *tb, const struct ar_row *row, const struct av_style *s)
{
	char name[700], al[16], aci[48], k[16], kci[48], rd[96];
	slice_name(name, sizeof name, row, s);
	fmt_num(al, sizeof al, row->a.alpha);
	fmt_ci(aci, sizeof aci, row->a.alpha_lo, row->a.alpha_hi);
	const char *which;
	double kv = ar_row_kappa(row, &which);
	fmt_num(k, sizeof k, row->judge ? row->a.cohen_kappa : kv);
	if (row->judge || strcmp(which, "cohen_kappa") == 0) fmt_ci(kci, sizeof kci, row->a.cohen_kappa_lo, row->a.cohen_kappa_hi);
	else if (strcmp(which, "weighted_kappa_linear") == 0)
		fmt_ci(kci, sizeof kci, row->a.weighted_linear_lo, row->a.weighted_linear_hi);
	else kci[0] = 0;
	reading(row, rd, sizeof rd);
	tb_row(tb);
	tb_cell(tb, name);
	tb_cellf(tb, "%zu", row->a.units);
	tb_cell(tb, al);
	tb_cell(tb, aci);
	tb_cell(tb, k);
	tb_cell(tb, kci);
	if (row->judge) {
		char wk[16];
		fmt_num(wk, sizeof wk, row->a.weighted_kappa_linear);
		tb_cell(tb, strcmp(row->verdict_on, "cohen_kappa") == 0 ? "-" : wk);
	}
	tb_cell(tb, rd);
}

static void heading(FILE *f, const struct ratings *t, const struct ar_row *rows)
{
	const struct rubric *r = t->r;
	char *name = text_escape(r->name);
	const struct ar_row *row = &rows[0];
	if (row->judge) {
		char *j = text_escape(row->judge);
		fprintf(f, "%s: %s against the majority of", name, j);
		if (!row->humans[0]) fprintf(f, " (no human raters)");
		for (size_t k = 0; row->humans[k]; k++) {
			char *h = text_escape(row->humans[k]);
			fprintf(f, "%s %s", k ? "," : "", h);
			free(h);
		}
		fprintf(f, "\n");
		free(j);
	} else {
		if (!row->ncol) fprintf(f, "%s: no raters to compare (judges count only when named)", name);
		else fprintf(f, "%s: %zu rater%s:", name, row->ncol, row->ncol == 1 ? "" : "s");
		for (size_t k = 0; k < row->ncol; k++) {
			char *c = text_escape(row->col[k]);
			fprintf(f, "%s %s", k ? "," : "", c);
			free(c);
		}
		fprintf(f, "\n");
	}
	free(name);
}

/* the columns of the summary, most needed first (priorities: the lowest
 * leaves the row first when the width is short) */
static void summary(FILE *f, const struct ar_row *rows, size_t n, const struct av_style *s)
{
	int judge = rows[0].judge != NULL;
	struct tb *tb = tb_new(2, 2);
	tb_col(tb, "criterion", TB_CUT, 9, 20);
	tb_col(tb, "units", TB_RIGHT, 8, 0);
	tb_col(tb, "alpha", TB_RIGHT, 7, 0);
	tb_col(tb, "95% CI", TB_LEFT, 3, 0);
	tb_stacked_name(tb, "alpha 95% CI");
	tb_col(tb, judge ? "kappa" : rows[0].ncol > 2 ? "fleiss" : "kappa", TB_RIGHT, 6, 0);
	tb_col(tb, "95% CI", TB_LEFT, 2, 0);
	tb_stacked_name(tb, "kappa 95% CI");
	if (judge) tb_col(tb, "weighted", TB_RIGHT, 5, 0);
	tb_col(tb, judge ? "verdict" : "reading", TB_LEFT, 4, 0);
	if (!judge && rows[0].ncol == 2)
		tb_line(tb, "(kappa: kappa (linear weights) for ordered levels, kappa (unweighted) for nominal ones)");
	else if (judge)
		tb_line(tb, "(kappa: kappa (unweighted); weighted: kappa (linear weights))");
	for (size_t i = 0; i < n; i++) summary_row(tb, &rows[i], s);
	tb_print(tb, f, fit_width(), 1);
	tb_free(tb);
}

/* ---- details of a row ---- */

static const char *type_words(const struct ar_row *row, char *buf, size_t n)
{
	const struct criterion *c = row->si.crit;
	if (row->si.sub >= 0) snprintf(buf, n, "checklist item");
	else if (c->type == CRIT_SCALE) snprintf(buf, n, "scale %d-%d", c->min, c->max);
	else snprintf(buf, n, "%s", crit_type_name(c->type));
	return buf;
}

static void fmt_se(char *out, size_t n, double se)
{
	if (isnan(se)) snprintf(out, n, "undefined (see notes)");
	else snprintf(out, n, "%.4f", se);
}

static void kappa_lines(FILE *f, const struct st_agree *a)
{
	char k[16], ci[48], se[32], wl[16], wq[16], lci[48], qci[48];
	fmt_num(k, sizeof k, a->cohen_kappa);
	fmt_ci(ci, sizeof ci, a->cohen_kappa_lo, a->cohen_kappa_hi);
	fmt_se(se, sizeof se, a->cohen_kappa_se);
	if (!isnan(a->cohen_kappa))
		fprintf(f, "    kappa (unweighted) %s, SE %s, 95%% CI %s on %zu unit%s both rated\n", k, se,
			*ci ? ci : isnan(a->cohen_kappa_se) || a->resamples ? "undefined" : "not computed (0 resamples)",
			a->kappa_units, gs_s((long long)a->kappa_units));
	fmt_num(wl, sizeof wl, a->weighted_kappa_linear);
	fmt_num(wq, sizeof wq, a->weighted_kappa_quadratic);
	fmt_ci(lci, sizeof lci, a->weighted_linear_lo, a->weighted_linear_hi);
	fmt_ci(qci, sizeof qci, a->weighted_quadratic_lo, a->weighted_quadratic_hi);
	if (!isnan(a->weighted_kappa_linear) || !isnan(a->weighted_kappa_quadratic))
		fprintf(f, "    kappa (linear weights) %s %s, kappa (quadratic weights) %s %s (near misses count as partly"
			   " agreeing)\n", wl, lci, wq, qci);
	if (!isnan(a->fleiss_kappa))
		fprintf(f, "    Fleiss' kappa (unweighted) %.3f on %zu unit%s every rater rated\n", a->fleiss_kappa,
			a->fleiss_units, gs_s((long long)a->fleiss_units));
}

/* AC1/AC2, PABAK, prevalence and bias: what explains a low kappa */
static void paradox_lines(FILE *f, const struct ar_row *row)
{
	const struct st_agree *a = &row->a;
	char ac1[16], se1[32], ac2[16], se2[32], pb[16], pi[16], bi[16], line[256];
	fmt_num(ac1, sizeof ac1, a->gwet_ac1);
	fmt_se(se1, sizeof se1, a->gwet_ac1_se);
	fprintf(f, "    Gwet's AC1 %s (SE %s)", ac1, isnan(a->gwet_ac1) ? "-" : se1);
	if (a->level != ST_NOMINAL) {
		fmt_num(ac2, sizeof ac2, a->gwet_ac2);
		fmt_se(se2, sizeof se2, a->gwet_ac2_se);
		fprintf(f, ", AC2 (linear weights) %s (SE %s)", ac2, isnan(a->gwet_ac2) ? "-" : se2);
	}
	if (row->ncol == 2) {
		fmt_num(pb, sizeof pb, a->pabak);
		fmt_num(pi, sizeof pi, a->prevalence_index);
		fmt_num(bi, sizeof bi, a->bias_index);
		fprintf(f, "; PABAK %s, prevalence index %s, bias index %s", pb, pi, bi);
	}
	fprintf(f, "\n");
	if (ar_paradox(a, ar_row_kappa(row, NULL), line, sizeof line)) fprintf(f, "    ! %s\n", line);
	if (row->too_few) {
		ar_too_few_text(row->kappa_n, row->min_units, row->units_for_ci, line, sizeof line);
		fprintf(f, "    ! %s: no verdict yet\n", line);
	}
	for (size_t k = 0; k < row->ncol; k++) {
		const char *w = st_spread_words(row->spread[k]);
		if (!w) continue;
		char *name = text_escape(row->col[k]);
		fprintf(f, "    ! %s's values: %s (%s)\n", name, w, row->spread[k] == ST_SPREAD_NARROW
			? "90% or more on one or two points" : "two separate peaks");
		free(name);
	}
}

static void pair_table(FILE *f, const struct ar_row *row)
{
	if (!row->npairs) return;
	int ordered = row->a.level != ST_NOMINAL;
	fprintf(f, "    %s of each pair of raters:\n      %-12s", ordered ? "kappa (linear weights)" : "kappa (unweighted)", "");
	for (size_t b = 1; b < row->ncol; b++) {
		fprintf(f, " ");
		put_cell(f, row->col[b], 8, 1);
	}
	for (size_t a = 0; a + 1 < row->ncol; a++) {
		fprintf(f, "\n      ");
		put_cell(f, row->col[a], 12, 0);
		for (size_t b = 1; b < row->ncol; b++) {
			const struct ar_pair *p = NULL;
			for (size_t i = 0; i < row->npairs; i++)
				if (row->pairs[i].a == a && row->pairs[i].b == b) p = &row->pairs[i];
			char k[16] = "";
			if (p) fmt_num(k, sizeof k, ordered ? p->weighted : p->k.kappa);
			fprintf(f, " %8s", k);
		}
	}
	fprintf(f, "\n");
	for (size_t i = 0; i < row->npairs; i++) {
		const struct ar_pair *p = &row->pairs[i];
		double k = ordered ? p->weighted : p->k.kappa;
		if (isnan(k) || ar_at_least(k, AR_HUMAN_KAPPA_OK)) continue;
		char *x = text_escape(row->col[p->a]), *y = text_escape(row->col[p->b]);
		fprintf(f, "    ! %s and %s: kappa %.3f < 0.6: they read the rubric differently\n", x, y, k);
		free(x);
		free(y);
	}
}

static void details(FILE *f, const struct ar_row *row, const struct av_style *s)
{
	char name[700], tw[64], pa[16] = "n/a";
	slice_name(name, sizeof name, row, s);
	char *c = text_escape(row->si.name), *e = row->sliced ? text_escape(name + 2) : NULL;
	fprintf(f, "\n  %s%s%s (%s, %s)\n", c, e ? ", " : "", e ? e : "", type_words(row, tw, sizeof tw),
		st_level_name(row->a.level));
	free(e);
	free(c);
	if (!isnan(row->a.percent_agreement)) snprintf(pa, sizeof pa, "%.1f%%", 100 * row->a.percent_agreement);
	fprintf(f, "    %zu unit%s, %zu with two or more values, %zu value%s; percent agreement %s\n", row->a.units,
		gs_s((long long)row->a.units), row->a.pairable_units, row->a.values, gs_s((long long)row->a.values), pa);
	kappa_lines(f, &row->a);
	paradox_lines(f, row);
	pair_table(f, row);
	for (size_t i = 0; i < row->a.notes.n; i++) {
		char *note = text_escape(row->a.notes.text[i]);   /* notes may name raters */
		fprintf(f, "    - %s\n", note);
		free(note);
	}
	if (!s->pictures || row->sliced) return;
	size_t maps = 0;
	for (size_t a = 0; a < row->ncol; a++)
		for (size_t b = a + 1; b < row->ncol; b++)
			if (maps++ < AV_MAX_PAIR_MAPS) av_heatmap(f, row, a, b, s);
	if (maps > AV_MAX_PAIR_MAPS)
		fprintf(f, "    (%zu more pair%s: pick two with --raters A,B for their heat map)\n", maps - AV_MAX_PAIR_MAPS,
			gs_s((long long)(maps - AV_MAX_PAIR_MAPS)));
	av_bars(f, row, s);
	av_length_bias(f, row);
}

void av_print_rubric(FILE *f, const struct ratings *t, const struct ar_row *rows, size_t n,
		     const struct av_style *s)
{
	if (!n) return;
	heading(f, t, rows);
	summary(f, rows, n, s);
	for (size_t i = 0; i < n; i++) details(f, &rows[i], s);
	fprintf(f, "\n");
}

/* in lines of under 60 columns, so that no phrase is broken at 60 or 80 */
void av_print_legend(FILE *f, int judge)
{
	fprintf(f, "How to read it: Krippendorff's alpha >= 0.8 is reliable,\n"
		   ">= 0.667 tentative, lower is not.\n");
	if (judge)
		fprintf(f, "A judge whose kappa with the human majority is at least 0.5\n"
			   "can be deployed, below it not (for ordered levels kappa\n"
			   "(linear weights) decides, else kappa (unweighted)).\n");
	else
		fprintf(f, "Kappa below 0.6 between humans means the rubric is too vague\n"
			   "(at least 0.6: clear enough);\n"
			   "a judge needs at least 0.5 against the humans to be deployed.\n");
	fprintf(f, "Below the minimum number of items (--min-units) no verdict is\n"
		   "given. When kappa is low but agreement high because one value\n"
		   "dominates, read Gwet's AC1 (the kappa paradox).\n");
}

/* ---- pictures ---- */

static const char *shade(double share, int utf8)
{
	static const char *const u[] = {"  ", "\u2591\u2591", "\u2592\u2592", "\u2593\u2593", "\u2588\u2588"};
	static const char *const a[] = {"  ", "..", "::", "**", "##"};
	int lv = share <= 0 ? 0 : share <= 0.25 ? 1 : share <= 0.5 ? 2 : share <= 0.75 ? 3 : 4;
	return utf8 ? u[lv] : a[lv];
}

static void value_label(FILE *f, const struct ar_row *row, double v, int w, int right)
{
	char buf[32];
	put_cell(f, ar_value_text(row, v, buf), w, right);
}

static void heat_row(FILE *f, const struct ar_row *row, const double *val, const long *cnt, size_t k, size_t i,
		     long max, const struct av_style *s)
{
	fprintf(f, "      ");
	value_label(f, row, val[i], 10, 0);
	for (size_t j = 0; j < k; j++) {
		long c = cnt[i * k + j];
		const char *col = !s->color || !c ? "" : i == j ? "\033[32m" : "\033[31m";
		fprintf(f, " %s%s%s", col, shade(max ? (double)c / (double)max : 0, s->utf8), *col ? "\033[0m" : "");
		if (c) fprintf(f, "%4ld", c);
		else fprintf(f, "%4s", ".");
	}
	fprintf(f, "\n");
}

void av_heatmap(FILE *f, const struct ar_row *row, size_t a, size_t b, const struct av_style *s)
{
	double *val;
	long *cnt, max = 0;
	struct st_data d = {.units = row->nunits, .raters = row->ncol, .v = row->m,
			    .scale = row->scale, .nscale = row->nscale};
	size_t k = st_confusion(&d, a, b, &val, &cnt);
	for (size_t i = 0; i < k * k; i++) max = cnt[i] > max ? cnt[i] : max;
	if (k >= 2 && k <= AV_MAX_PICTURE_VALUES && max > 0) {
		char *x = text_escape(row->col[a]), *y = text_escape(row->col[b]);
		fprintf(f, "    heat map, rows %s, columns %s (darker: more units; the diagonal is agreement):\n", x, y);
		fprintf(f, "      %10s", "");
		for (size_t j = 0; j < k; j++) {
			fprintf(f, " ");
			value_label(f, row, val[j], 6, 1);
		}
		fprintf(f, "\n");
		for (size_t i = 0; i < k; i++) heat_row(f, row, val, cnt, k, i, max, s);
		free(x);
		free(y);
	}
	free(val);
	free(cnt);
}

static void bar(FILE *f, long c, long max, int utf8)
{
	static const char *const part[] = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"};
	long eighths = max ? (c * AV_BAR_WIDTH * 8 + max / 2) / max : 0;
	if (c > 0 && eighths == 0) eighths = 1;
	for (long i = 0; i < eighths / 8; i++) fputs(utf8 ? "\u2588" : "#", f);
	if (eighths % 8) fputs(utf8 ? part[eighths % 8] : "#", f);
	fprintf(f, " %ld\n", c);
}

static void few_points(FILE *f, const struct ar_row *row, size_t k)
{
	if (row->si.sub >= 0 || row->si.crit->type != CRIT_SCALE || row->nscale < 3) return;
	size_t used = 0, total = 0;
	for (size_t v = 0; v < row->nscale; v++) {
		long c = row->dist[k * row->nscale + v];
		used += c > 0;
		total += (size_t)c;
	}
	if (total < AV_ONE_POINT_MIN || used > 2) return;
	char *name = text_escape(row->col[k]);
	fprintf(f, "      ! %s uses only %zu point%s of the scale (%d-%d): is the scale too fine, or the rater"
		   " too cautious?\n", name, used, used == 1 ? "" : "s", row->si.crit->min, row->si.crit->max);
	free(name);
}

void av_bars(FILE *f, const struct ar_row *row, const struct av_style *s)
{
	if (!row->nscale || row->nscale > AV_MAX_PICTURE_VALUES) return;
	fprintf(f, "    value counts:\n");
	for (size_t k = 0; k < row->ncol; k++) {
		const long *d = row->dist + k * row->nscale;
		long max = 0;
		for (size_t v = 0; v < row->nscale; v++) max = d[v] > max ? d[v] : max;
		for (size_t v = 0; v < row->nscale; v++) {
			fprintf(f, "      ");
			put_cell(f, v ? "" : row->col[k], 16, 0);
			fprintf(f, " ");
			value_label(f, row, row->scale[v], 8, 1);
			fprintf(f, " ");
			bar(f, d[v], max, s->utf8);
		}
		few_points(f, row, k);
	}
}

void av_length_bias(FILE *f, const struct ar_row *row)
{
	if (!row->len_r) return;
	int any = 0;
	for (size_t k = 0; k < row->ncol; k++) any |= row->len_n[k] > 0;
	if (!any) return;
	fprintf(f, "    length bias (Pearson r of output length with the value):");
	for (size_t k = 0; k < row->ncol; k++) {
		char *name = text_escape(row->col[k]);
		if (isnan(row->len_r[k])) fprintf(f, "%s %s n/a", k ? "," : "", name);
		else fprintf(f, "%s %s %+.2f (%zu unit%s)", k ? "," : "", name, row->len_r[k], row->len_n[k],
			     gs_s((long long)row->len_n[k]));
		free(name);
	}
	fprintf(f, "\n");
	for (size_t k = 0; k < row->ncol; k++) {
		if (isnan(row->len_r[k]) || fabs(row->len_r[k]) < AV_LENGTH_WARN) continue;
		char *name = text_escape(row->col[k]);
		fprintf(f, "      ! %s's values %s with output length (r %+.2f): length may be rewarded, not content\n",
			name, row->len_r[k] > 0 ? "rise" : "fall", row->len_r[k]);
		free(name);
	}
}

