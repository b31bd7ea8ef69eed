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

static int width_of(const GArray *rows, size_t off, const char *head, int max)
{
	int w = (int)strlen(head);
	for (guint i = 0; i < rows->len; i++) {
		char *e = text_escape(*(const char *const *)((const char *)row_at(rows, i) + off));
		int n = (int)text_width(e, strlen(e));
		free(e);
		if (n > w) w = n;
	}
	return w < max ? w : max;
}

void jv_print(FILE *f, const GArray *rows)
{
	int wj = width_of(rows, offsetof(struct judge_row, judge), "judge", 32);
	int wr = width_of(rows, offsetof(struct judge_row, rubric), "rubric", 24);
	fprintf(f, "Judge versions against the human majority, newest first:\n\n");
	av_cell(f, "judge", wj, 0);
	fprintf(f, "  ");
	av_cell(f, "rubric", wr, 0);
	fprintf(f, "  %-16s %5s %7s %7s %7s  %-14s %s\n", "criterion", "units", "kappa", "alpha", "bias", "verdict",
		"latest label (UTC)");
	for (guint i = 0; i < rows->len; i++) {
		const struct judge_row *r = row_at(rows, i);
		char k[16], a[16], b[16], t[32];
		fmt_num(k, r->kappa, 0);
		fmt_num(a, r->alpha, 0);
		fmt_num(b, r->bias, 1);
		fmt_time(t, r->last_ms, 0);
		av_cell(f, r->judge, wj, 0);
		fprintf(f, "  ");
		av_cell(f, r->rubric, wr, 0);
		fprintf(f, "  ");
		av_cell(f, r->criterion, 16, 0);
		fprintf(f, " %5zu %7s %7s %7s  %-14s %s\n", r->units, k, a, b, r->verdict, t);
	}
	fprintf(f, "\nkappa: Cohen's (linearly weighted for scales) of the judge against the human majority;\n"
		   "deploy at %.1f or more. bias: the judge's mean minus the humans' (binary: the rate of\n"
		   "the second label; scale: points); far from 0, the judge leans one way.\n", AR_JUDGE_DEPLOY);
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
		jo_num(o, "alpha", r->alpha);
		jo_num(o, "bias", r->bias);
		jo_str(o, "verdict", r->verdict);
		jo_str(o, "latest_label", *t ? t : NULL);
	}
}
