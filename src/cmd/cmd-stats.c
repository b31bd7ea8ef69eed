/* cmd-stats.c: `goldset stats [--json]`: what the workspace holds: items
 * per set, rubrics, current labels per rubric and rater with progress (each
 * rater's share), the items double-labeled by humans per rubric, stale
 * labels (made on an older version of an item), and the raters whose values
 * on a criterion do not spread (app/agreerows.h, ar_spread_each). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "base/jsonout.h"
#include "base/text.h"
#include "app/agreerows.h"
#include "report/fit.h"
#include "report/table.h"
#include "app/traps.h"
#include "app/ws.h"

struct st {
	struct ws *w;
	struct jo *arr;
	struct tb *tb;     /* the text table of the section being listed */
	long long labels, stale, single, pairwise;
	int json;
};

static int set_row(void *ctx, const char *set, long long items)
{
	struct st *s = ctx;
	if (s->json) {
		struct jo *o = jo_add_object(s->arr, NULL);
		jo_str(o, "name", set);
		jo_int(o, "items", items);
	} else {
		tb_row(s->tb);
		tb_cell(s->tb, set);
		tb_cellf(s->tb, "%lld item%s", items, items == 1 ? "" : "s");
	}
	return 0;
}

static int rubric_row(void *ctx, const struct store_rubric *r)
{
	struct st *s = ctx;
	if (s->json) {
		struct jo *o = jo_add_object(s->arr, NULL);
		jo_str(o, "name", r->name);
		jo_int(o, "version", r->version);
		jo_str(o, "mode", r->mode);
	} else {
		tb_row(s->tb);
		tb_cell(s->tb, r->name);
		tb_cellf(s->tb, "v%d", r->version);
		tb_cell(s->tb, r->mode);
	}
	return 0;
}

static long long mode_items(struct st *s, const char *rubric)
{
	struct store_rubric r;
	struct gs_err ignore;
	if (store_rubric_get(s->w->st, rubric, &r, &ignore)) return s->single;
	long long n = strcmp(r.mode, "pairwise") == 0 ? s->pairwise : s->single;
	store_rubric_free(&r);
	return n;
}

static int label_row(void *ctx, const struct store_label_count *c)
{
	struct st *s = ctx;
	long long total = mode_items(s, c->rubric);
	double progress = total ? (double)(c->items_labeled - c->stale) / (double)total : 0;
	s->labels += c->labels - c->stale;
	s->stale += c->stale;
	if (s->json) {
		struct jo *o = jo_add_object(s->arr, NULL);
		jo_str(o, "rubric", c->rubric);
		jo_str(o, "rater", c->rater);
		jo_int(o, "labels", c->labels - c->stale);
		jo_int(o, "stale", c->stale);
		jo_int(o, "items", total);
		jo_num(o, "progress", progress);
	} else {
		long long n = c->labels - c->stale;
		tb_row(s->tb);
		tb_cell(s->tb, c->rubric);
		tb_cell(s->tb, c->rater);
		tb_cellf(s->tb, "%lld label%s", n, n == 1 ? "" : "s");
		tb_cellf(s->tb, "%.1f%% of %lld", 100 * progress, total);
		if (c->stale) tb_cellf(s->tb, "(%lld stale)", c->stale);
	}
	return 0;
}

/* per rubric: the items with a human label and those with two or more
 * raters (what agreement between humans can be measured on) */
static int overlap_row(void *ctx, const struct store_overlap *o)
{
	struct st *s = ctx;
	if (s->json) {
		struct jo *j = jo_add_object(s->arr, NULL);
		jo_str(j, "rubric", o->rubric);
		jo_int(j, "items_labeled", o->items_labeled);
		jo_int(j, "double_labeled", o->double_labeled);
	} else {
		tb_row(s->tb);
		tb_cell(s->tb, o->rubric);
		tb_cellf(s->tb, "%lld item%s double-labeled (2+ raters) of %lld labeled", o->double_labeled,
			 gs_s(o->double_labeled), o->items_labeled);
	}
	return 0;
}

static int traps_report(struct st *s, struct jo *root, struct gs_err *e);   /* at the end */

/* the table of a section, without heads: its first `names` columns are
 * names (cut when the width is short), then a count, then words (the
 * last ones the first to go under their row) */
static struct tb *section_table(int names, int cols)
{
	struct tb *t = tb_new(2, 2);
	for (int i = 0; i < cols; i++)
		tb_col(t, "", i < names ? TB_CUT : i == names ? TB_RIGHT : TB_LEFT, cols - i + (i < names ? cols : 0), 12);
	return t;
}

/* prints and ends the section's table */
static void section_end(struct st *s)
{
	if (!s->json) tb_print(s->tb, stdout, fit_width(), 0);
	tb_free(s->tb);
	s->tb = NULL;
}

/* ---- value spread: "not discriminating", "possibly ambiguous" ---- */

struct spread_out { struct st *s; struct jo *arr; const char *rubric; int any; };

static int spread_row(void *ctx, const char *rater, const char *criterion, enum st_spread sp)
{
	struct spread_out *x = ctx;
	if (x->s->json) {
		struct jo *o = jo_add_object(x->arr, NULL);
		jo_str(o, "rubric", x->rubric);
		jo_str(o, "criterion", criterion);
		jo_str(o, "rater", rater);
		jo_str(o, "flag", st_spread_words(sp));
		return 0;
	}
	if (!x->any++) printf("value spread (see goldset agree):\n");
	tb_row(x->s->tb);
	tb_cell(x->s->tb, x->rubric);
	tb_cell(x->s->tb, criterion);
	tb_cell(x->s->tb, rater);
	tb_cell(x->s->tb, st_spread_words(sp));
	return 0;
}

static int spread_report(struct st *s, struct jo *root, struct gs_err *e)
{
	struct ar_tables ts;
	if (ar_tables_load(s->w, NULL, NULL, NULL, &ts, e)) return e->code;
	struct spread_out x = {s, s->json ? jo_add_array(root, "value_spread") : NULL, NULL, 0};
	s->tb = section_table(3, 4);
	for (size_t i = 0; i < ts.n; i++) {
		x.rubric = ts.r[i]->name;
		ar_spread_each(ts.t[i], spread_row, &x);
	}
	section_end(s);
	ar_tables_free(&ts);
	return 0;
}


static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	int json = args_has(a, "json");
	struct gs_err e = {0};
	struct ws *w = ctx->ws;
	struct st s = {.w = w, .json = json};
	long long items = 0;
	int rc = store_item_count(w->st, NULL, &items, &e) || store_item_count_kind(w->st, "single", &s.single, &e) ||
		 store_item_count_kind(w->st, "pairwise", &s.pairwise, &e);
	struct jo *root = jo_object();
	if (!rc) {
		if (json) {
			jo_int(root, "items", items);
			jo_int(root, "single_items", s.single);
			jo_int(root, "pairwise_items", s.pairwise);
		} else {
			printf("%lld item%s (%lld single, %lld pairwise)\nsets:\n", items, gs_s(items), s.single, s.pairwise);
		}
		s.arr = jo_add_array(root, "sets");
		s.tb = section_table(1, 2);
		rc = store_sets_each(w->st, set_row, &s, &e);
		section_end(&s);
	}
	if (!rc) {
		if (!json) printf("rubrics:\n");
		s.arr = jo_add_array(root, "rubrics");
		s.tb = section_table(1, 3);
		rc = store_rubrics_each(w->st, rubric_row, &s, &e);
		section_end(&s);
	}
	if (!rc) {
		if (!json) printf("labels:\n");
		s.arr = jo_add_array(root, "raters");
		s.tb = section_table(2, 5);
		rc = store_label_counts_each(w->st, label_row, &s, &e);
		section_end(&s);
	}
	if (!rc) {
		if (!json) printf("overlap (human raters):\n");
		s.arr = jo_add_array(root, "overlap");
		s.tb = section_table(1, 2);
		rc = store_overlap_each(w->st, overlap_row, &s, &e);
		section_end(&s);
	}
	long long uncommitted = 0;
	if (!rc) rc = store_label_uncommitted(w->st, &uncommitted, &e);
	if (!rc && json) {
		jo_int(root, "labels", s.labels);
		jo_int(root, "stale_labels", s.stale);
		jo_int(root, "uncommitted_labels", uncommitted);
		rc = traps_report(&s, root, &e);
		if (!rc) rc = spread_report(&s, root, &e);
		if (!rc) jo_print(root, stdout);
	} else if (!rc) {
		printf("%lld current label%s", s.labels, gs_s(s.labels));
		if (s.stale) printf(", %lld stale (made on an older version of their item)", s.stale);
		putchar('\n');
		if (uncommitted)
			printf("%lld label%s made here %s not committed yet (goldset commit shares them)\n", uncommitted,
			       uncommitted == 1 ? "" : "s", uncommitted == 1 ? "is" : "are");
		rc = traps_report(&s, root, &e);
		if (!rc) rc = spread_report(&s, root, &e);
	}
	jo_free(root);
	if (rc) gs_report(&e);
	return rc;
}

static const struct cmd_option options[] = {
	{"json", 0, CMD_ARG_NONE, NULL, "one JSON object (items, labels, overlap, uncommitted_labels, ...)"},
	{0},
};

const struct cmd_entry cmd_stats = {
	.name = "stats",
	.usage = "goldset stats [--json]",
	.summary = "items, sets, rubrics, labels per rater and rubric, progress, double-labeled items, stale labels",
	.options = options,
	.example = "goldset stats --json",
	.flags = CMD_WS_READ | CMD_FIT,
	.run = run,
};

/* ---- traps: each rater's answers on items with gold answers (traps.h) ----
 * JSON: "traps": [{rubric, rater, items, correct, answered, accuracy,
 * criteria: [{criterion, answered, correct, accuracy}]}]. */

static struct jo *trap_json(struct jo *arr, const struct trap_score *t, long long ans, long long cor)
{
	struct jo *o = jo_add_object(arr, NULL);
	jo_str(o, "rubric", t->r->name);
	jo_str(o, "rater", t->rater);
	jo_int(o, "items", t->items);
	jo_int(o, "answered", ans);
	jo_int(o, "correct", cor);
	if (ans) jo_num(o, "accuracy", (double)cor / (double)ans);
	else jo_null(o, "accuracy");
	return jo_add_array(o, "criteria");
}

struct trap_out { struct st *s; struct jo *arr; int any; };

static void trap_criterion(struct sbuf *text, struct jo *crit, const struct trap_score *t, size_t i)
{
	struct slot_info si;
	rubric_slot_info(t->r, i, &si);
	if (crit) {
		struct jo *c = jo_add_object(crit, NULL);
		jo_str(c, "criterion", si.name);
		jo_int(c, "answered", t->answered[i]);
		jo_int(c, "correct", t->correct[i]);
		jo_num(c, "accuracy", (double)t->correct[i] / (double)t->answered[i]);
	} else {
		sb_addf(text, "%s%s %lld/%lld", text->len ? "  " : "", si.name, t->correct[i], t->answered[i]);
	}
}

static int trap_row(void *ctx, const struct trap_score *t)
{
	struct trap_out *x = ctx;
	long long ans = 0, cor = 0;
	for (size_t i = 0; i < t->nslots; i++) ans += t->answered[i], cor += t->correct[i];
	struct jo *crit = NULL;
	if (x->s->json) {
		crit = trap_json(x->arr, t, ans, cor);
	} else {
		tb_row(x->s->tb);
		tb_cell(x->s->tb, t->r->name);
		tb_cell(x->s->tb, t->rater);
		tb_cellf(x->s->tb, "%lld item%s", t->items, t->items == 1 ? "" : "s");
		tb_cellf(x->s->tb, "%.1f%% right", ans ? 100.0 * (double)cor / (double)ans : 0.0);
	}
	struct sbuf text = {0};
	for (size_t i = 0; i < t->nslots; i++)
		if (t->answered[i]) trap_criterion(&text, crit, t, i);
	if (!x->s->json) tb_cell(x->s->tb, text.p ? text.p : "");
	sb_free(&text);
	x->any = 1;
	return 0;
}

static int traps_report(struct st *s, struct jo *root, struct gs_err *e)
{
	struct trap_out x = {s, s->json ? jo_add_array(root, "traps") : NULL, 0};
	s->tb = section_table(2, 5);
	int rc = traps_each(s->w->st, trap_row, &x, e);
	if (x.any && !s->json) printf("traps (answers on items with gold answers):\n");
	section_end(s);
	return rc;
}
