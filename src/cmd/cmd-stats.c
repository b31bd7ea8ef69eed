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
#include "app/traps.h"
#include "app/ws.h"

struct st {
	struct ws *w;
	struct jo *arr;
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
		char *safe = text_escape_line(set, strlen(set));
		printf("  %-30s %8lld items\n", safe, items);
		free(safe);
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
		char *safe = text_escape_line(r->name, strlen(r->name));
		printf("  %-30s v%-4d %s\n", safe, r->version, r->mode);
		free(safe);
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
		char *ru = text_escape_line(c->rubric, strlen(c->rubric));
		char *ra = text_escape_line(c->rater, strlen(c->rater));
		printf("  %-22s %-20s %7lld labels %5.1f%% of %lld", ru, ra, c->labels - c->stale, 100 * progress, total);
		if (c->stale) printf("  (%lld stale)", c->stale);
		putchar('\n');
		free(ru);
		free(ra);
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
		char *ru = text_escape_line(o->rubric, strlen(o->rubric));
		printf("  %-22s %7lld items double-labeled (2+ raters) of %lld labeled\n", ru, o->double_labeled,
		       o->items_labeled);
		free(ru);
	}
	return 0;
}

static int traps_report(struct st *s, struct jo *root, struct gs_err *e);   /* at the end */

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
	char *ru = text_escape_line(x->rubric, strlen(x->rubric)), *c = text_escape_line(criterion, strlen(criterion));
	char *ra = text_escape_line(rater, strlen(rater));
	printf("  %-22s %-20s %-20s %s\n", ru, c, ra, st_spread_words(sp));
	free(ru);
	free(c);
	free(ra);
	return 0;
}

static int spread_report(struct st *s, struct jo *root, struct gs_err *e)
{
	struct ar_tables ts;
	if (ar_tables_load(s->w, NULL, NULL, NULL, &ts, e)) return e->code;
	struct spread_out x = {s, s->json ? jo_add_array(root, "value_spread") : NULL, NULL, 0};
	for (size_t i = 0; i < ts.n; i++) {
		x.rubric = ts.r[i]->name;
		ar_spread_each(ts.t[i], spread_row, &x);
	}
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
			printf("%lld items (%lld single, %lld pairwise)\nsets:\n", items, s.single, s.pairwise);
		}
		s.arr = jo_add_array(root, "sets");
		rc = store_sets_each(w->st, set_row, &s, &e);
	}
	if (!rc) {
		if (!json) printf("rubrics:\n");
		s.arr = jo_add_array(root, "rubrics");
		rc = store_rubrics_each(w->st, rubric_row, &s, &e);
	}
	if (!rc) {
		if (!json) printf("labels:\n");
		s.arr = jo_add_array(root, "raters");
		rc = store_label_counts_each(w->st, label_row, &s, &e);
	}
	if (!rc) {
		if (!json) printf("overlap (human raters):\n");
		s.arr = jo_add_array(root, "overlap");
		rc = store_overlap_each(w->st, overlap_row, &s, &e);
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
		printf("%lld current labels", s.labels);
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
	.flags = CMD_WS_READ,
	.run = run,
};

/* ---- traps: each rater's answers on items with gold answers (traps.h) ----
 * JSON: "traps": [{rubric, rater, items, correct, answered, accuracy,
 * criteria: [{criterion, answered, correct, accuracy}]}]. */

struct trap_out { struct st *s; struct jo *arr; int any; };

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

static void trap_criterion(struct jo *crit, const struct trap_score *t, size_t i)
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
		char *n = text_escape(si.name);
		printf("  %s %lld/%lld", n, t->correct[i], t->answered[i]);
		free(n);
	}
}

static int trap_row(void *ctx, const struct trap_score *t)
{
	struct trap_out *x = ctx;
	long long ans = 0, cor = 0;
	for (size_t i = 0; i < t->nslots; i++) ans += t->answered[i], cor += t->correct[i];
	struct jo *crit = NULL;
	char *ru = text_escape(t->r->name), *ra = text_escape(t->rater);
	if (x->s->json) {
		crit = trap_json(x->arr, t, ans, cor);
	} else {
		if (!x->any) printf("traps (answers on items with gold answers):\n");
		printf("  %-22s %-20s %4lld items  %5.1f%% right", ru, ra, t->items, ans ? 100.0 * (double)cor / (double)ans : 0.0);
	}
	for (size_t i = 0; i < t->nslots; i++)
		if (t->answered[i]) trap_criterion(crit, t, i);
	if (!x->s->json) putchar('\n');
	x->any = 1;
	free(ru);
	free(ra);
	return 0;
}

static int traps_report(struct st *s, struct jo *root, struct gs_err *e)
{
	struct trap_out x = {s, s->json ? jo_add_array(root, "traps") : NULL, 0};
	return traps_each(s->w->st, trap_row, &x, e);
}
