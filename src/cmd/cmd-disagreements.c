/* cmd-disagreements.c: `goldset disagreements [--rubric R] [--criterion C]
 * [--raters A,B] [--json]`: the items (units: an item, or an item and pair
 * of systems) where the raters' current labels differ, largest distance
 * first (the range of the values for a scale, 1 otherwise), with each
 * rater's value. The table comes from agreerows.h, as `agree` has it:
 * default raters are the humans, stale labels are left out (said on
 * stderr). Ids and values are untrusted: text_escape before printing. */
#include <stdlib.h>
#include <string.h>

#include "app/agreerows.h"
#include "cmd/cmd.h"
#include "base/jsonout.h"
#include "base/text.h"
#include "app/ws.h"

struct dis_opts {
	const char *rubric, *criterion, *raters;
	int json;
};

/* "name", "name [a vs b]" for a pairwise unit, "name [a]" for one output
 * of several (malloc'd, escaped) */
static char *unit_label(const struct ratings_unit *u)
{
	char *id = text_escape(u->ext_id);
	if (u->system) {
		char *es = text_escape(u->system), *s = xasprintf("%s [%s]", id, es);
		free(id);
		free(es);
		return s;
	}
	if (!u->sys[0]) return id;
	char *ea = text_escape(u->sys[0]), *eb = text_escape(u->sys[1]);
	char *s = xasprintf("%s [%s vs %s]", id, ea, eb);
	free(id);
	free(ea);
	free(eb);
	return s;
}

/* the value a rater of the table gave the unit's slot, -1 none */
static int value_of(const struct ratings *t, const struct ratings_unit *u, const char *rater, size_t slot)
{
	return ratings_val(t, u, (size_t)ratings_rater_pos(t, rater), slot);
}

static void print_text(const struct ratings *t, const struct ar_disagreement *d, const char **sel)
{
	struct slot_info si;
	const struct ratings_unit *un = &t->u[d->unit];
	rubric_slot_info(t->r, d->slot, &si);
	char *u = unit_label(un), *c = text_escape(si.name), *r = text_escape(t->r->name);
	static int header;
	if (!header++) printf("%8s  %s\n", "distance", "item  rubric criterion:  rater=value ...");
	printf("%8g  %s  %s %s:", d->distance, u, r, c);
	for (size_t k = 0; sel[k]; k++) {
		char buf[32];
		int v = value_of(t, un, sel[k], d->slot);
		if (v < 0) continue;
		char *n = text_escape(sel[k]), *ev = text_escape(ratings_value_text(t, un, d->slot, v, buf));
		printf("  %s=%s", n, ev);
		free(n);
		free(ev);
	}
	printf("\n");
	free(u);
	free(c);
	free(r);
}

static void add_json(struct jo *arr, const struct ratings *t, const struct ar_disagreement *d, const char **sel)
{
	struct slot_info si;
	const struct ratings_unit *u = &t->u[d->unit];
	rubric_slot_info(t->r, d->slot, &si);
	struct jo *o = jo_add_object(arr, NULL);
	jo_str(o, "id", u->ext_id);
	jo_str(o, "rubric", t->r->name);
	jo_str(o, "criterion", si.name);
	if (u->system) jo_str(o, "system", u->system);
	if (u->sys[0]) {
		struct jo *p = jo_add_array(o, "pair");
		jo_str(p, NULL, u->sys[0]);
		jo_str(p, NULL, u->sys[1]);
	}
	struct jo *vals = jo_add_object(o, "values");
	for (size_t k = 0; sel[k]; k++) {
		int v = value_of(t, u, sel[k], d->slot);
		if (v < 0) continue;
		char *j = ratings_value_json(t, u, d->slot, v);
		jo_raw(vals, sel[k], j);
		free(j);
	}
	jo_num(o, "distance", d->distance);
}

/* one table's disagreements, printed or added to arr; how many */
static size_t list_table(const struct ratings *t, const struct dis_opts *o, char *const *raters, struct jo *arr)
{
	if (!ar_criterion_matches(t->r, o->criterion)) return 0;
	struct ar_disagreement *d;
	size_t n = ar_disagreements(t, raters, o->criterion, &d);
	const char **sel = ratings_select(t, raters);
	for (size_t i = 0; i < n; i++) {
		if (arr) add_json(arr, t, &d[i], sel);
		else print_text(t, &d[i], sel);
	}
	long long stale = ratings_stale(t, raters);
	if (stale) {
		char *r = text_escape(t->r->name);
		fprintf(stderr, "goldset disagreements: %s: %lld label%s left out: made on an older version of their item\n",
			r, stale, gs_s(stale));
		free(r);
	}
	free(sel);
	free(d);
	return n;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct dis_opts o = {args_get(a, "rubric"), args_get(a, "criterion"), args_get(a, "raters"),
			     args_has(a, "json")};
	struct gs_err e;
	char **raters = o.raters ? split_list(o.raters, ',') : NULL;
	struct ar_tables ts;
	struct jo *arr = o.json ? jo_array() : NULL;
	size_t total = 0;
	int rc = ar_tables_load(ctx->ws, o.rubric, NULL, NULL, &ts, &e);
	if (!rc && !(rc = ar_tables_check(&ts, o.criterion, NULL, raters, &e)))
		for (size_t i = 0; i < ts.n; i++) total += list_table(ts.t[i], &o, raters, arr);
	if (rc) gs_report(&e);
	else if (arr) jo_print(arr, stdout);
	else if (!total) printf("no disagreements\n");
	ar_tables_free(&ts);
	jo_free(arr);
	strv_free(raters);
	return rc;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "only that rubric"},
	{"criterion", 0, CMD_ARG_REQUIRED, "C", "only that criterion"},
	{"raters", 0, CMD_ARG_REQUIRED, "A,B", "only these raters (default: every human rater)"},
	{"json", 0, CMD_ARG_NONE, NULL, "an array of objects (id, criterion, values, rubric, distance)"},
	{0},
};

const struct cmd_entry cmd_disagreements = {
	.name = "disagreements",
	.usage = "goldset disagreements [--rubric R] [--criterion C] [--raters A,B] [--json]",
	.summary = "the items where raters' labels differ, largest difference first",
	.options = options,
	.example = "goldset disagreements --rubric support-answer --raters alice,bob",
	.flags = CMD_WS_READ | CMD_FIT,
	.run = run,
};
