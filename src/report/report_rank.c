/* report_rank.c: the text and JSON of `goldset rank` (report_rank.h): the
 * ranking table, the forest plot of elo intervals (Unicode box characters
 * in a UTF-8 locale, ASCII otherwise), the head-to-head table, the
 * position bias and the notes. Only prints; the numbers come from rank.c. */
#include "report/report_rank.h"

#include "base/jsonout.h"
#include "base/text.h"
#include "report/fit.h"
#include "report/table.h"

#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------- JSON ---------- */

static void json_raters(struct jo *o, const struct rank_fit *f)
{
	if (!f->nrl) return;
	struct jo *arr = jo_add_array(o, "left_win_by_rater");
	for (size_t i = 0; i < f->nrl; i++) {
		const struct rank_rater_left *l = &f->rl[i];
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "rater", l->name);
		jo_int(e, "decided", l->decided);
		jo_int(e, "left_won", l->won);
		jo_num(e, "left_win_rate", l->decided ? (double)l->won / (double)l->decided : NAN);
		jo_pair(e, "left_win_ci95", l->lo, l->hi);
	}
}

static double ratio(long long a, long long b) { return b ? (double)a / (double)b : NAN; }

static void flips_total(const struct rank_result *res, long long *pairs, long long *flips)
{
	*pairs = *flips = 0;
	for (size_t i = 0; i < res->nflips; i++) *pairs += res->flips[i].pairs, *flips += res->flips[i].flips;
}

static void json_flips(struct jo *o, const struct rank_result *res)
{
	long long pairs, flips;
	flips_total(res, &pairs, &flips);
	struct jo *b = jo_add_object(o, "both_orders");
	jo_int(b, "comparisons", pairs);
	jo_int(b, "changed", flips);
	jo_num(b, "change_rate", ratio(flips, pairs));
	struct jo *arr = jo_add_array(b, "by_rater");
	for (size_t i = 0; i < res->nflips; i++) {
		const struct rank_flips *f = &res->flips[i];
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "rater", f->rater);
		jo_int(e, "comparisons", f->pairs);
		jo_int(e, "changed", f->flips);
		jo_num(e, "change_rate", ratio(f->flips, f->pairs));
	}
}

static void json_systems(struct jo *o, const struct rank_fit *f)
{
	const struct st_bt_result *r = &f->r;
	struct jo *arr = jo_add_array(o, "systems");
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[f->ord[k]];
		struct jo *e = jo_add_object(arr, NULL);
		jo_str(e, "name", f->name[f->ord[k]]);
		jo_num(e, "score", s->score);
		jo_num(e, "elo", s->elo);
		jo_pair(e, "ci95", s->ci_lo, s->ci_hi);     /* on the score's scale */
		jo_int(e, "wins", s->wins);
		jo_int(e, "losses", s->losses);
		jo_int(e, "ties", s->ties);
		if (!r->finite) {
			jo_int(e, "group", s->group + 1);
			jo_num(e, "group_score", s->group_score);
		}
	}
}

static struct jo *json_fit(const struct rank_result *res, const struct rank_fit *f)
{
	const struct st_bt_result *r = &f->r;
	struct jo *o = jo_object(), *arr;
	if (res->spec->by) jo_str(o, "slice", f->slice);
	jo_int(o, "comparisons", (long long)r->comparisons);
	json_systems(o, f);
	jo_num(o, "left_win_rate", f->has_left ? r->left_rate : NAN);
	jo_pair(o, "left_win_ci95", f->has_left ? r->left_lo : NAN, r->left_hi);
	if (!res->pairs) {
		jo_str(o, "rubric", res->rubric);
		jo_str(o, "criterion", res->criterion);
		json_raters(o, f);
		if (res->nflips) json_flips(o, res);
	}
	arr = jo_add_array(o, "notes");
	for (size_t i = 0; i < f->nnote; i++) jo_str(arr, NULL, f->note[i]);
	return o;
}

void report_rank_json(const struct rank_result *res)
{
	struct jo *o;
	if (res->spec->by) {
		o = jo_array();
		for (size_t i = 0; i < res->nfit; i++) jo_add(o, NULL, json_fit(res, &res->fit[i]));
	} else {
		o = json_fit(res, &res->fit[0]);
	}
	jo_print(o, stdout);
	jo_free(o);
}

/* ---------- text ---------- */

static int utf8_out(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }

static size_t width_of(const char *s) { return text_width(s, strlen(s)); }

static char **escape_all(const struct rank_fit *f, size_t *maxw)
{
	char **v = xmalloc((f->r.n + 1) * sizeof *v);
	*maxw = 6;                                   /* "system" */
	for (size_t i = 0; i < f->r.n; i++) {
		v[i] = text_escape(f->name[i]);
		if (width_of(v[i]) > *maxw) *maxw = width_of(v[i]);
	}
	v[f->r.n] = NULL;
	return v;
}

static double to_elo(double theta) { return 1000 + 400 * theta / log(10); }

/* the ranking's columns after # and system */
static void rank_cols(struct tb *t, const char *const *head, const int *prio, size_t n)
{
	tb_col(t, "#", TB_RIGHT, 10, 0);
	tb_col(t, "system", TB_CUT, 9, 12);
	for (size_t i = 0; i < n; i++) tb_col(t, head[i], prio[i] < 0 ? TB_LEFT : TB_RIGHT, prio[i] < 0 ? -prio[i] : prio[i], 0);
}

static void print_table_finite(const struct st_bt_result *r, char **nm, const size_t *ord)
{
	static const char *const head[] = {"score", "elo", "elo 95% interval", "wins", "losses", "ties"};
	static const int prio[] = {8, 7, -3, 6, 5, 4};
	struct tb *t = tb_new(2, 2);
	rank_cols(t, head, prio, 6);
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		char ci[64] = "-";
		if (!isnan(s->ci_lo)) snprintf(ci, sizeof ci, "[%.1f, %.1f]", to_elo(s->ci_lo), to_elo(s->ci_hi));
		tb_row(t);
		tb_cellf(t, "%zu", k + 1);
		tb_cell(t, nm[ord[k]]);
		tb_cellf(t, "%.3f", s->score);
		tb_cellf(t, "%.1f", s->elo);
		tb_cell(t, ci);
		tb_cellf(t, "%ld", s->wins);
		tb_cellf(t, "%ld", s->losses);
		tb_cellf(t, "%ld", s->ties);
	}
	tb_print(t, stdout, fit_width(), 1);
	tb_free(t);
}

static void print_table_groups(const struct st_bt_result *r, char **nm, const size_t *ord)
{
	static const char *const head[] = {"in-group score", "wins", "losses", "ties"};
	static const int prio[] = {8, 6, 5, 4};
	struct tb *t = tb_new(0, 2);
	tb_col(t, "group", TB_RIGHT, 10, 0);
	tb_col(t, "system", TB_CUT, 9, 12);
	for (size_t i = 0; i < 4; i++) tb_col(t, head[i], TB_RIGHT, prio[i], 0);
	for (size_t k = 0; k < r->n; k++) {
		const struct st_bt_system *s = &r->sys[ord[k]];
		tb_row(t);
		tb_cellf(t, "%d", s->group + 1);
		tb_cell(t, nm[ord[k]]);
		if (isnan(s->group_score)) tb_cell(t, "-");
		else tb_cellf(t, "%.3f", s->group_score);
		tb_cellf(t, "%ld", s->wins);
		tb_cellf(t, "%ld", s->losses);
		tb_cellf(t, "%ld", s->ties);
	}
	tb_print(t, stdout, fit_width(), 1);
	tb_free(t);
}

/* the elo range every interval (or point) fits in */
static void forest_range(const struct st_bt_result *r, double *lo, double *hi)
{
	*lo = HUGE_VAL;
	*hi = -HUGE_VAL;
	for (size_t i = 0; i < r->n; i++) {
		const struct st_bt_system *s = &r->sys[i];
		double a = to_elo(isnan(s->ci_lo) ? s->score : s->ci_lo);
		double b = to_elo(isnan(s->ci_hi) ? s->score : s->ci_hi);
		if (a < *lo) *lo = a;
		if (b > *hi) *hi = b;
	}
	if (*hi - *lo < 1) { *lo -= 1; *hi += 1; }
}

static int forest_col(double x, double lo, double hi, int w)
{
	int c = (int)lround((x - lo) / (hi - lo) * (w - 1));
	return c < 0 ? 0 : c >= w ? w - 1 : c;
}

static void forest_row(const struct st_bt_system *s, double lo, double hi, int w, int u8, const char **cell)
{
	for (int k = 0; k < w; k++) cell[k] = " ";
	if (1000 >= lo && 1000 <= hi) cell[forest_col(1000, lo, hi, w)] = u8 ? "┆" : ":";
	if (!isnan(s->ci_lo)) {
		int a = forest_col(to_elo(s->ci_lo), lo, hi, w), b = forest_col(to_elo(s->ci_hi), lo, hi, w);
		for (int k = a; k <= b; k++) cell[k] = u8 ? "─" : "-";
		cell[a] = u8 ? "├" : "|";
		cell[b] = u8 ? "┤" : "|";
	}
	cell[forest_col(s->elo, lo, hi, w)] = u8 ? "●" : "o";
	int last = w;
	while (last > 0 && strcmp(cell[last - 1], " ") == 0) last--;
	for (int k = 0; k < last; k++) fputs(cell[k], stdout);
	putchar('\n');
}

/* axis under the plot: the low end, 1000 (the average) and the high end */
static void forest_axis(size_t indent, double lo, double hi, int w)
{
	char *line = xmalloc((size_t)w + 1);
	memset(line, ' ', (size_t)w);
	line[w] = 0;
	double at[3] = { lo, 1000, hi };
	for (int t = 0; t < 3; t++) {
		char lab[32];
		int len = snprintf(lab, sizeof lab, "%.0f", at[t]);
		if (at[t] < lo || at[t] > hi) continue;
		int c = forest_col(at[t], lo, hi, w) - len / 2;
		if (c < 0) c = 0;
		if (c + len > w) c = w - len;
		if (t == 1 && (c < len + 1 || c + 2 * len + 1 > w)) continue;   /* crowds an end */
		if (c >= 0) memcpy(line + c, lab, (size_t)len);
	}
	printf("%*s%s\n", (int)indent, "", line);
	free(line);
}

static void print_forest(const struct st_bt_result *r, char **nm, size_t nw, const size_t *ord)
{
	if (nw > (size_t)fit_width() / 3) nw = (size_t)fit_width() / 3;
	int u8 = utf8_out(), w = fit_width() - (int)nw - 8;
	if (w < 20) w = 20;
	double lo, hi;
	forest_range(r, &lo, &hi);
	const char **cell = xmalloc((size_t)w * sizeof *cell);
	printf("\nelo%s (%s marks 1000, the average)\n", isnan(r->sys[0].ci_lo) ? "" : " with 95% intervals",
	       u8 ? "┆" : ":");
	for (size_t k = 0; k < r->n; k++) {
		printf("%4zu  ", k + 1);
		fit_cell(stdout, nm[ord[k]], (int)nw, 0);
		printf("  ");
		forest_row(&r->sys[ord[k]], lo, hi, w, u8, cell);
	}
	forest_axis(nw + 8, lo, hi, w);
	free(cell);
}

static void h2h_cell(struct tb *t, const struct st_bt_result *r, size_t a, size_t b)
{
	size_t n = r->n;
	if (a == b) tb_cell(t, "-");
	else if (!r->h2h_wins[a * n + b] && !r->h2h_wins[b * n + a] && !r->h2h_ties[a * n + b]) tb_cell(t, ".");
	else tb_cellf(t, "%ld-%ld-%ld", r->h2h_wins[a * n + b], r->h2h_wins[b * n + a], r->h2h_ties[a * n + b]);
}

static void print_h2h(const struct st_bt_result *r, char **nm, const size_t *ord)
{
	size_t n = r->n;
	struct tb *t = tb_new(2, 2);
	tb_col(t, "#", TB_RIGHT, (int)n + 10, 0);
	tb_col(t, "system", TB_CUT | TB_NOHEAD, (int)n + 9, 12);
	for (size_t k = 0; k < n; k++) {
		char head[24];
		snprintf(head, sizeof head, "%zu", k + 1);
		tb_col(t, head, TB_RIGHT, (int)(n - k), 0);
	}
	for (size_t k = 0; k < n; k++) {
		tb_row(t);
		tb_cellf(t, "%zu", k + 1);
		tb_cell(t, nm[ord[k]]);
		for (size_t q = 0; q < n; q++) h2h_cell(t, r, ord[k], ord[q]);
	}
	printf("\nhead to head: wins-losses-ties of the row against the column\n");
	tb_print(t, stdout, fit_width(), 1);
	tb_free(t);
}

/* "rubric R, criterion C (...)", and the slice */
static void print_what(const struct rank_result *res, const struct rank_fit *f)
{
	char *rb = text_escape(res->rubric), *cr = text_escape(res->criterion);
	printf("rubric %s, preference criterion %s", rb, cr);
	if (res->other_prefs) {
		char *ot = text_escape(res->other_prefs);
		printf("\n  (--criterion picks another: %s)", ot);
		free(ot);
	}
	putchar('\n');
	if (res->spec->by) {
		char *k = text_escape(res->spec->by), *v = f->slice ? text_escape(f->slice) : NULL;
		if (v) printf("slice %s = %s\n", k, v);
		else printf("slice: items without %s\n", k);
		free(k);
		free(v);
	}
	free(rb);
	free(cr);
}

static void print_rater_left(const struct rank_fit *f)
{
	if (f->nrl < 2) return;
	printf("left side won, by rater (ties left out):\n");
	struct tb *t = tb_new(2, 2);
	tb_col(t, "rater", TB_CUT, 9, 12);
	tb_col(t, "left won", TB_RIGHT, 8, 0);
	tb_col(t, "95% interval", TB_LEFT, 5, 0);
	tb_col(t, "", TB_LEFT, 4, 0);
	for (size_t i = 0; i < f->nrl; i++) {
		const struct rank_rater_left *l = &f->rl[i];
		tb_row(t);
		tb_cell(t, l->name);
		tb_cellf(t, "%.1f%% of %ld", 100.0 * (double)l->won / (double)l->decided, l->decided);
		tb_cellf(t, "(95%% interval %.1f%%-%.1f%%)", 100 * l->lo, 100 * l->hi);
		tb_cell(t, rank_rater_biased(l) ? "far from 50%" : "");
	}
	tb_print(t, stdout, fit_width(), 0);
	tb_free(t);
}

static void print_flips(const struct rank_result *res)
{
	long long pairs, flips;
	flips_total(res, &pairs, &flips);
	printf("\nshown both ways round (pair --both-orders): %lld comparison%s;\n  the choice changed in %lld (%.1f%%)\n",
	       pairs, pairs == 1 ? "" : "s", flips, 100 * ratio(flips, pairs));
	for (size_t i = 0; res->nflips > 1 && i < res->nflips; i++) {
		const struct rank_flips *f = &res->flips[i];
		char *nm = text_escape(f->rater);
		printf("  %-20s %lld of %lld (%.1f%%)\n", nm, f->flips, f->pairs, 100 * ratio(f->flips, f->pairs));
		free(nm);
	}
}

static void print_fit(const struct rank_result *res, const struct rank_fit *f, int tty)
{
	const struct st_bt_result *r = &f->r;
	size_t nw;
	char **nm = escape_all(f, &nw);
	if (!res->pairs) print_what(res, f);
	printf("Bradley-Terry ranking: %zu comparison%s, %zu system%s", r->comparisons, gs_s((long long)r->comparisons), r->n,
	       gs_s((long long)r->n));
	if (r->finite && r->resamples && r->n > 1)
		printf("; 95%% intervals from %d bootstrap resample%s (seed %llu)", r->resamples, gs_s(r->resamples),
		       (unsigned long long)res->spec->seed);
	printf("\n\n");
	if (r->n) {
		if (r->finite) print_table_finite(r, nm, f->ord);
		else print_table_groups(r, nm, f->ord);
	}
	if (r->finite && r->n > 1 && tty) print_forest(r, nm, nw, f->ord);
	if (r->n > 1) print_h2h(r, nm, f->ord);
	if (f->has_left && r->left_decided && !r->left_biased)   /* else a note says it */
		printf("\nleft side won %.1f%% of %ld decided comparison%s (95%% interval %.1f%%-%.1f%%; ties left out)\n",
		       100 * r->left_rate, r->left_decided, gs_s(r->left_decided), 100 * r->left_lo, 100 * r->left_hi);
	print_rater_left(f);
	if (res->nflips) print_flips(res);
	if (f->nnote) putchar('\n');
	for (size_t i = 0; i < f->nnote; i++) printf("note: %s\n", f->note[i]);
	strv_free(nm);
}

void report_rank_text(const struct rank_result *res, int tty)
{
	for (size_t i = 0; i < res->nfit; i++) {
		if (i) printf("\n");
		print_fit(res, &res->fit[i], tty);
	}
	if (!res->nfit) printf("no comparisons: nothing to rank\n");
}
