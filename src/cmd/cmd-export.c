/* cmd-export.c: `goldset export [--format jsonl|csv] [--rubric R] [--rater A]`:
 * prints current labels in the label-file shape (labelset.h), or as CSV with
 * one row per answered criterion (checklist items are criteria of their own). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
#include "cmd.h"
#include "csv.h"
#include "jsonout.h"
#include "labelset.h"
#include "report_calib.h"
#include "ws.h"

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
	char *line = labelset_format(l);
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
 * work is calib_answers() in src/calib.c ---- */

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

static int export_consensus(struct gs_ctx *ctx, const char *rubric)
{
	struct gs_err e = {0};
	struct ws w;
	if (ws_open_read(ctx, &w, &e)) return gs_report(&e);
	struct answers a = {&w, rubric, &e, 0};
	struct store_rubric probe;
	int rc = rubric ? store_rubric_get(w.st, rubric, &probe, &e) : 0;
	if (rubric && !rc) store_rubric_free(&probe);
	if (!rc) rc = store_rubrics_each(w.st, rubric_answers, &a, &e);
	if (!rc) rc = a.rc;
	if (rc) gs_report(&e);
	ws_close(&w);
	return rc;
}

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, 0, 'f'},
					     {"rubric", required_argument, 0, 'r'},
					     {"rater", required_argument, 0, 'a'},
					     {"consensus", no_argument, 0, 'k'},
					     {0, 0, 0, 0}};
	struct store_label_query q = {0};
	int csv = 0, consensus = 0, c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'f' && strcmp(optarg, "csv") == 0) csv = 1;
		else if (c == 'f' && strcmp(optarg, "jsonl") == 0) csv = 0;
		else if (c == 'f') return cmd_usage(&cmd_export, "--format is jsonl or csv");
		else if (c == 'r') q.rubric = optarg;
		else if (c == 'a') q.rater = optarg;
		else if (c == 'k') consensus = 1;
		else if (c == ':') return cmd_usage(&cmd_export, "%s needs a value", argv[optind - 1]);
		else return cmd_usage(&cmd_export, "unknown option %s", argv[optind - 1]);
	}
	if (optind < argc) return cmd_usage(&cmd_export, "unexpected argument %s", argv[optind]);
	if (consensus && (csv || q.rater))
		return cmd_usage(&cmd_export, "--consensus prints JSON lines of every rater's answers (no --format csv, --rater)");
	if (consensus) return export_consensus(ctx, q.rubric);
	struct gs_err e = {0};
	struct ws w;
	if (ws_open_read(ctx, &w, &e)) return gs_report(&e);
	struct ex x = {&w, csv, NULL, &e, 0};
	if (csv) puts("id,rubric,rubric_version,rater,left,right,criterion,value,note,at");
	int rc = store_labels_each(w.st, &q, csv ? print_csv : print_jsonl, &x, &e);
	if (!rc) rc = x.rc;
	if (rc) gs_report(&e);
	rubric_free(x.r);
	ws_close(&w);
	return rc;
}

const struct cmd_entry cmd_export = {
	"export", "goldset export [--format jsonl|csv] [--rubric R] [--rater A] | --consensus [--rubric R]",
	"print current labels (label-file JSONL, or CSV one row per criterion)", run,
};
