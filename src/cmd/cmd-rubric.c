/* cmd-rubric.c: `goldset rubric check FILE | list | show NAME`: validate a
 * rubric file (every problem on its own line), list the workspace's
 * rubrics, show one with its criteria, options and anchors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/rubric.h"
#include "base/text.h"
#include "app/ws.h"

static void print_safe(const char *prefix, const char *s)
{
	char *t = text_escape_line(s, strlen(s));
	printf("%s%s\n", prefix, t);
	free(t);
}

static void report(void *ctx, int is_error, const char *msg)
{
	(void)is_error;
	(void)ctx;
	char *t = text_escape_line(msg, strlen(msg));
	fprintf(stderr, "goldset: %s\n", t);
	free(t);
}

static int check(const char *file)
{
	char *text;
	size_t len;
	struct gs_err e = {0};
	if (read_file(file, &text, &len, &e)) return gs_report(&e);
	int errors = rubric_check(text, len, file, report, NULL);
	free(text);
	if (errors) return EX_DATAERR;
	gs_printf(stdout, "%s: ok\n", file);
	return 0;
}

static int list_one(void *ctx, const struct store_rubric *r)
{
	(void)ctx;
	gs_printf(stdout, "%-28s v%-4d %s\n", r->name, r->version, r->mode);
	return 0;
}

/* everything shown comes from the rubric file: each line escaped whole */
static void show_criterion(const struct criterion *c)
{
	gs_printf(stdout, "\n");
	gs_printf(stdout, "%s (%s, %s): %s\n", c->id, crit_type_name(c->type), level_name(c->level), c->question);
	for (size_t k = 0; k < c->noptions; k++) {
		char key[32];
		if (c->type == CRIT_CHECKLIST) snprintf(key, sizeof key, "  - ");
		else snprintf(key, sizeof key, "  %zu  ", k + 1);
		if (c->type == CRIT_SCALE && c->anchors[k]) gs_printf(stdout, "%s%s: %s\n", key, c->options[k], c->anchors[k]);
		else gs_printf(stdout, "%s%s\n", key, c->options[k]);
	}
}

static int show(struct ws *w, const char *name)
{
	struct rubric *r;
	struct gs_err e = {0};
	if (ws_rubric(w, name, NULL, &r, &e)) return gs_report(&e);
	print_safe("", r->name);
	gs_printf(stdout, "version %d, %s, hash %.12s\n", r->version, r->mode, r->hash);
	if (*r->instructions) print_safe("\n", r->instructions);
	for (size_t i = 0; i < r->ncrit; i++) show_criterion(&r->crit[i]);
	rubric_free(r);
	return 0;
}

static int run_check(struct gs_ctx *ctx, const struct cmd_args *a)
{
	(void)ctx;
	return check(a->argv[0]);
}

static int run_list(struct gs_ctx *ctx, const struct cmd_args *a)
{
	(void)a;
	struct gs_err e = {0};
	int rc = store_rubrics_each(ctx->ws->st, list_one, NULL, &e);
	if (rc) gs_report(&e);
	return rc;
}

static int run_show(struct gs_ctx *ctx, const struct cmd_args *a)
{
	return show(ctx->ws, a->argv[0]);
}

static const struct cmd_entry sub_check = {
	.name = "check", .usage = "goldset rubric check FILE",
	.summary = "validate a rubric file: every error and warning, one a line",
	.example = "goldset rubric check rubrics/support-answer.json",
	.min_args = 1, .max_args = 1, .args_missing = "check takes one FILE", .run = run_check,
};
static const struct cmd_entry sub_list = {
	.name = "list", .usage = "goldset rubric list",
	.summary = "the workspace's rubrics with their version and mode",
	.example = "goldset rubric list",
	.flags = CMD_WS_READ, .run = run_list,
};
static const struct cmd_entry sub_show = {
	.name = "show", .usage = "goldset rubric show NAME",
	.summary = "a rubric: instructions, criteria, options and anchors",
	.example = "goldset rubric show support-answer",
	.flags = CMD_WS_READ, .min_args = 1, .max_args = 1, .args_missing = "show takes one NAME", .run = run_show,
};
static const struct cmd_entry *const subs[] = {&sub_check, &sub_list, &sub_show, NULL};

const struct cmd_entry cmd_rubric = {
	.name = "rubric",
	.usage = "goldset rubric check FILE | list | show NAME",
	.summary = "validate a rubric file, list rubrics, show one",
	.example = "goldset rubric show support-answer",
	.subs = subs,
};
