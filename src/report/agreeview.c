/* agreeview.c: the text output of `goldset agree` in a workspace (see
 * agreeview.h): summary tables that say what the numbers mean, detail
 * blocks, and on a terminal the heat map, bars and length-bias lines. */
#include "report/agreeview.h"

#include <langinfo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

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

/* s escaped, cut to at most w columns (a '~' marks the cut), padded to w
 * (left-aligned; right-aligned when right) */
static void put_cell(FILE *f, const char *s, int w, int right)
{
	char *e = text_escape(s ? s : "");
	size_t n = strlen(e);
	int cut = 0;
	while (n && text_width(e, n) > (size_t)w) {
		cut = 1;
		do n--;
		while (n && ((unsigned char)e[n] & 0xC0) == 0x80);
		if (w > 0 && text_width(e, n) <= (size_t)w - 1) break;
	}
	int used = (int)text_width(e, n) + cut;
	if (right) fprintf(f, "%*s", w - used, "");
	fprintf(f, "%.*s%s", (int)n, e, cut ? "~" : "");
	if (!right) fprintf(f, "%*s", w > used ? w - used : 0, "");
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
		else snprintf(out, n, "%s (%s %s %.1f)", row->verdict,
			      strcmp(row->verdict_on, "cohen_kappa") == 0 ? "kappa" : "weighted kappa",
			      row->verdict_kappa >= AR_JUDGE_DEPLOY ? ">=" : "<", AR_JUDGE_DEPLOY);
		return;
	}
	const char *aw = alpha_word(row->a.alpha);
	double k = ar_row_kappa(row, NULL);
	if (row->ncol > 2 && row->a.level != ST_NOMINAL) k = NAN;   /* Fleiss' ignores the order: alpha decides */
	int vague = !isnan(k) && k < AR_HUMAN_KAPPA_OK;
	if (!aw && isnan(k)) snprintf(out, n, "undefined: see notes");
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

static int name_width(const struct ar_row *rows, size_t n, const struct av_style *s)
{
	int w = 9;
	for (size_t i = 0; i < n; i++) {
		char name[700];
		slice_name(name, sizeof name, &rows[i], s);
		int x = (int)text_width(name, strlen(name));
		if (x > w) w = x;
	}
	return w > 40 ? 40 : w;
}

static void summary_line(FILE *f, const struct ar_row *row, int w, const struct av_style *s)
{
	char name[700], al[16], aci[48], k[16], kci[48], rd[96];
	slice_name(name, sizeof name, row, s);
	fmt_num(al, sizeof al, row->a.alpha);
	fmt_ci(aci, sizeof aci, row->a.alpha_lo, row->a.alpha_hi);
	const char *which;
	double kv = ar_row_kappa(row, &which);
	int cohen = row->judge || strcmp(which, "cohen_kappa") == 0;
	fmt_num(k, sizeof k, row->judge ? row->a.cohen_kappa : kv);
	if (cohen) fmt_ci(kci, sizeof kci, row->a.cohen_kappa_lo, row->a.cohen_kappa_hi);
	else kci[0] = 0;
	reading(row, rd, sizeof rd);
	fprintf(f, "  ");
	put_cell(f, name, w, 0);
	fprintf(f, " %5zu  %6s %-16s  %6s %-16s", row->a.units, al, aci, k, kci);
	if (row->judge) {
		char wk[16];
		fmt_num(wk, sizeof wk, row->a.weighted_kappa_linear);
		fprintf(f, "  %8s", strcmp(row->verdict_on, "cohen_kappa") == 0 ? "-" : wk);
	}
	fprintf(f, "  %s\n", rd);
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

static void summary(FILE *f, const struct ar_row *rows, size_t n, const struct av_style *s)
{
	int w = name_width(rows, n, s);
	int judge = rows[0].judge != NULL;
	fprintf(f, "  %-*s %5s  %6s %-16s  %6s %-16s%s  %s\n", w, "criterion", "units", "alpha", "95% CI",
		judge ? "kappa" : rows[0].ncol > 2 ? "fleiss" : "kappa", "95% CI", judge ? "  weighted" : "",
		judge ? "verdict" : "reading");
	if (!judge && rows[0].ncol == 2)
		fprintf(f, "  (kappa: Cohen's; linearly weighted, without an interval, for ordered levels)\n");
	for (size_t i = 0; i < n; i++) summary_line(f, &rows[i], w, s);
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

static void kappa_lines(FILE *f, const struct st_agree *a)
{
	char k[16], ci[48], wl[16], wq[16];
	fmt_num(k, sizeof k, a->cohen_kappa);
	fmt_ci(ci, sizeof ci, a->cohen_kappa_lo, a->cohen_kappa_hi);
	if (!isnan(a->cohen_kappa))
		fprintf(f, "    Cohen's kappa %s, SE %.4f, 95%% CI %s on %zu units both rated\n", k, a->cohen_kappa_se,
			ci, a->kappa_units);
	fmt_num(wl, sizeof wl, a->weighted_kappa_linear);
	fmt_num(wq, sizeof wq, a->weighted_kappa_quadratic);
	if (!isnan(a->weighted_kappa_linear) || !isnan(a->weighted_kappa_quadratic))
		fprintf(f, "    weighted kappa: linear %s, quadratic %s (near misses count as partly agreeing)\n", wl, wq);
	if (!isnan(a->fleiss_kappa))
		fprintf(f, "    Fleiss' kappa %.3f on %zu units every rater rated\n", a->fleiss_kappa, a->fleiss_units);
}

static void pair_table(FILE *f, const struct ar_row *row)
{
	if (!row->npairs) return;
	int ordered = row->a.level != ST_NOMINAL;
	fprintf(f, "    Cohen's kappa of each pair of raters%s:\n      %-12s", ordered ? " (linearly weighted)" : "", "");
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
		if (isnan(k) || k >= AR_HUMAN_KAPPA_OK) continue;
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
	fprintf(f, "    %zu units, %zu with two or more values, %zu values; percent agreement %s\n", row->a.units,
		row->a.pairable_units, row->a.values, pa);
	kappa_lines(f, &row->a);
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
		fprintf(f, "    (%zu more pairs: pick two with --raters A,B for their heat map)\n", maps - AV_MAX_PAIR_MAPS);
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

void av_print_legend(FILE *f, int judge)
{
	fprintf(f, "How to read it: Krippendorff's alpha >= 0.8 is reliable, >= 0.667 tentative, lower is not.\n");
	if (judge)
		fprintf(f, "A judge whose kappa with the human majority is below 0.5 should not be deployed\n"
			   "(for scales the linearly weighted kappa decides).\n");
	else
		fprintf(f, "Kappa (Cohen's for two raters, Fleiss' for more) below 0.6 between humans means\n"
			   "the rubric is too vague; a judge below 0.5 against the humans should not be deployed.\n");
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
		else fprintf(f, "%s %s %+.2f (%zu units)", k ? "," : "", name, row->len_r[k], row->len_n[k]);
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

void av_cell(FILE *f, const char *s, int w, int right) { put_cell(f, s, w, right); }
