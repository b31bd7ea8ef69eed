/* judgesview.c: the judge versions table (judgesview.h), so that the
 * iterations on a judge's prompt can be compared at a glance: the newest
 * first, each with the figures that say whether it got better. */
#include "report/judgesview.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jsonout.h"
#include "base/text.h"
#include "report/agreeview.h"
#include "report/fit.h"
#include "report/table.h"

static const struct judge_row *row_at(const GArray *rows, guint i)
{
	return &g_array_index((GArray *)rows, struct judge_row, i);
}

/* "2026-12-07 04:43" (UTC), or "" when unknown */
static void fmt_time(char out[32], int64_t ms, int iso)
{
	out[0] = 0;
	if (ms < 0) return;
	time_t s = (time_t)(ms / 1000);
	struct tm tm;
	if (gmtime_r(&s, &tm)) strftime(out, 32, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M", &tm);
}

static void fmt_num(char out[16], double v, int sign)
{
	if (isnan(v)) snprintf(out, 16, "n/a");
	else snprintf(out, 16, sign ? "%+.3f" : "%.3f", v);
}


void jv_print(FILE *f, const GArray *rows)
{
	struct tb *tb = tb_new(0, 2);
	tb_col(tb, "judge", TB_CUT, 20, 16);
	tb_col(tb, "rubric", TB_CUT, 18, 14);
	tb_col(tb, "criterion", TB_CUT, 19, 12);
	tb_col(tb, "units", TB_RIGHT, 17, 0);
	tb_col(tb, "kappa", TB_RIGHT, 16, 0);
	tb_col(tb, "AC1/2", TB_RIGHT, 12, 0);
	tb_col(tb, "alpha", TB_RIGHT, 11, 0);
	tb_col(tb, "bias", TB_RIGHT, 14, 0);
	tb_col(tb, "verdict", TB_LEFT, 15, 0);
	tb_col(tb, "latest label (UTC)", TB_LEFT, 10, 0);
	for (guint i = 0; i < rows->len; i++) {
		const struct judge_row *r = row_at(rows, i);
		char k[16], g[16], a[16], b[16], t[32];
		fmt_num(k, r->kappa, 0);
		fmt_num(g, r->gwet, 0);
		fmt_num(a, r->alpha, 0);
		fmt_num(b, r->bias, 1);
		fmt_time(t, r->last_ms, 0);
		tb_row(tb);
		tb_cell(tb, r->judge);
		tb_cell(tb, r->rubric);
		tb_cell(tb, r->criterion);
		tb_cellf(tb, "%zu", r->units);
		tb_cell(tb, k);
		tb_cell(tb, g);
		tb_cell(tb, a);
		tb_cell(tb, b);
		tb_cell(tb, r->verdict);
		tb_cell(tb, t);
	}
	fprintf(f, "Judge versions against the human majority, newest first:\n\n");
	tb_print(tb, f, fit_width(), 1);
	tb_free(tb);
	fprintf(f, "\nkappa: the verdict's (linear weights for ordered levels) against the human\n"
		   "majority; deploy at %.1f or more. AC1/2: Gwet's AC1 (AC2 for ordered levels),\n"
		   "which a skewed criterion does not drag down. bias: the judge check's judge -\n"
		   "humans, the judge's value minus the humans' mean on each unit, averaged\n"
		   "(binary: the rate of the second label; scale: points).\n", AR_JUDGE_DEPLOY);
}

void jv_json(struct jo *arr, const GArray *rows)
{
	for (guint i = 0; i < rows->len; i++) {
		const struct judge_row *r = row_at(rows, i);
		struct jo *o = jo_add_object(arr, NULL);
		char t[32];
		fmt_time(t, r->last_ms, 1);
		jo_str(o, "judge", r->judge);
		jo_str(o, "rubric", r->rubric);
		jo_str(o, "criterion", r->criterion);
		jo_int(o, "units", (long long)r->units);
		jo_str(o, "kappa_on", r->kappa_name);
		jo_num(o, "kappa", r->kappa);
		jo_num(o, "gwet_ac", r->gwet);
		jo_num(o, "alpha", r->alpha);
		jo_num(o, "bias", r->bias);
		jo_str(o, "verdict", r->verdict);
		jo_str(o, "latest_label", *t ? t : NULL);
	}
}
