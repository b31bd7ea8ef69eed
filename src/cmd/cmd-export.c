/* cmd-export.c: `goldset export [--format jsonl|csv] [--rubric R] [--rater A]`:
 * prints current labels in the label-file shape (labelline.h), or as CSV with
 * one row per answered criterion (checklist items are criteria of their own). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/calib.h"
#include "cmd/cmd.h"
#include "model/csv.h"
#include "base/jsonout.h"
#include "model/labelline.h"
#include "report/report_calib.h"
#include "app/ws.h"

struct ex {
	struct ws *w;
	int csv;
	struct rubric *r;       /* the rubric of the rows being printed (csv) */
	struct gs_err *e;
	int rc;
};

static int print_jsonl(void *ctx, const struct store_label *l)
{
	(void)ctx;
	char *line = labelline_format(l);
	puts(line);
	free(line);
	return 0;
}

static void put_csv_field(const char *s, int last)
{
	char *q = csv_quote(s);
	fputs(q, stdout);
	fputc(last ? '\n' : ',', stdout);
	free(q);
}

static int print_csv(void *ctx, const struct store_label *l)
{
	struct ex *x = ctx;
	if (!x->r || strcmp(x->r->name, l->rubric) != 0) {
		rubric_free(x->r);
		x->r = NULL;
		if (ws_rubric(x->w, l->rubric, NULL, &x->r, x->e)) {
			x->rc = x->e->code;
			return 1;
		}
	}
	size_t n = rubric_slot_count(x->r);
	int *slots = xcalloc(n, sizeof *slots);
	struct gs_err ignore;
	rubric_values_from_json(x->r, l->vals, l->left_sys, l->right_sys, 0, slots, "", &ignore);
	char ver[16];
	snprintf(ver, sizeof ver, "%d", l->rubric_version);
	for (size_t i = 0; i < n; i++) {
		if (slots[i] < 0) continue;
		struct slot_info si;
		char buf[32];
		rubric_slot_info(x->r, i, &si);
		const char *v = rubric_value_text(x->r, i, slots[i], buf);
		if (si.crit->type == CRIT_PREFERENCE)
			v = slots[i] == 0 ? l->left_sys : slots[i] == 1 ? l->right_sys : "tie";
		const char *row[] = {l->ext_id, l->rubric, ver, l->rater, l->left_sys, l->right_sys, si.name, v, l->note, l->at};
		for (size_t k = 0; k < ARRAY_LEN(row); k++) put_csv_field(row[k], k + 1 == ARRAY_LEN(row));
	}
	free(slots);
	return 0;
}

/* ---- export --consensus: the golden answers, one JSON line per
 * item and criterion: the consensus recorded in a discussion or review,
 * else the human raters' majority (median for scales), with a status; the
 * work is calib_answers() in src/app/calib.c ---- */

static int print_answer(void *ctx, const struct calib_answer *a)
{
	(void)ctx;
	struct jo *line = report_calib_answer(a);
	char *s = jo_string(line, 0);
	puts(s);
	free(s);
	jo_free(line);
	return 0;
}

struct answers { struct ws *w; const char *only; struct gs_err *e; int rc; };

static int rubric_answers(void *ctx, const struct store_rubric *sr)
{
	struct answers *a = ctx;
	struct rubric *r;
	if (a->only && strcmp(a->only, sr->name) != 0) return 0;
	if (ws_rubric(a->w, sr->name, NULL, &r, a->e)) {
		a->rc = a->e->code;
		return 1;
	}
	a->rc = calib_answers(a->w->st, r, a->only == NULL, print_answer, NULL, a->e);
	rubric_free(r);
	return a->rc;
}

static int export_consensus(struct ws *w, const char *rubric)
{
	struct gs_err e = {0};
	struct answers a = {w, rubric, &e, 0};
	struct store_rubric probe;
	int rc = rubric ? store_rubric_get(w->st, rubric, &probe, &e) : 0;
	if (rubric && !rc) store_rubric_free(&probe);
	if (!rc) rc = store_rubrics_each(w->st, rubric_answers, &a, &e);
	if (!rc) rc = a.rc;
	if (rc) gs_report(&e);
	return rc;
}

/* 0: jsonl, 1: csv, -1: neither (the last --format counts; each is checked) */
static int format_csv(const struct cmd_args *a)
{
	const char *f;
	int csv = 0;
	for (size_t i = 0; (f = args_nth(a, "format", i)); i++) {
		if (strcmp(f, "csv") != 0 && strcmp(f, "jsonl") != 0) return -1;
		csv = strcmp(f, "csv") == 0;
	}
	return csv;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct store_label_query q = {.rubric = args_get(a, "rubric"), .rater = args_get(a, "rater")};
	int csv = format_csv(a), consensus = args_has(a, "consensus");
	if (csv < 0) return cmd_usage(&cmd_export, "--format is jsonl or csv");
	if (consensus && (csv || q.rater))
		return cmd_usage(&cmd_export, "--consensus prints JSON lines of every rater's answers (no --format csv, --rater)");
	if (consensus) return export_consensus(ctx->ws, q.rubric);
	struct gs_err e = {0};
	struct ex x = {ctx->ws, csv, NULL, &e, 0};
	if (csv) puts("id,rubric,rubric_version,rater,left,right,criterion,value,note,at");
	int rc = store_labels_each(ctx->ws->st, &q, csv ? print_csv : print_jsonl, &x, &e);
	if (!rc) rc = x.rc;
	if (rc) gs_report(&e);
	rubric_free(x.r);
	return rc;
}

static const struct cmd_option options[] = {
	{"format", 0, CMD_ARG_REQUIRED, "jsonl|csv", "label-file JSON lines (default), or CSV one row per criterion"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "only the labels of that rubric"},
	{"rater", 0, CMD_ARG_REQUIRED, "A", "only the labels of that rater"},
	{"consensus", 0, CMD_ARG_NONE, NULL, "one JSON line per item with every rater's answers and the consensus"},
	{0},
};

const struct cmd_entry cmd_export = {
	.name = "export",
	.usage = "goldset export [--format jsonl|csv] [--rubric R] [--rater A] | --consensus [--rubric R]",
	.summary = "print current labels (label-file JSONL, or CSV one row per criterion)",
	.options = options,
	.example = "goldset export --format csv --rubric support-answer > labels.csv",
	.flags = CMD_WS_READ,
	.run = run,
};
