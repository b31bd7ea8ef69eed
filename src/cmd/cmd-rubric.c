/* cmd-rubric.c: `goldset rubric check FILE | list | show NAME`: validate a
 * rubric file (every problem on its own line), list the workspace's
 * rubrics, show one with its criteria, options and anchors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "rubric.h"
#include "text.h"
#include "ws.h"

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

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	if (argc < 2) return cmd_usage(&cmd_rubric, "which: check, list or show?");
	if (strcmp(argv[1], "check") == 0) {
		if (argc != 3) return cmd_usage(&cmd_rubric, "check takes one FILE");
		return check(argv[2]);
	}
	int is_list = strcmp(argv[1], "list") == 0, is_show = strcmp(argv[1], "show") == 0;
	if (!is_list && !is_show) return cmd_usage(&cmd_rubric, "unknown subcommand %s", argv[1]);
	if (is_list && argc != 2) return cmd_usage(&cmd_rubric, "list takes no arguments");
	if (is_show && argc != 3) return cmd_usage(&cmd_rubric, "show takes one NAME");
	struct gs_err e = {0};
	struct ws w;
	if (ws_open_read(ctx, &w, &e)) return gs_report(&e);
	int rc = is_list ? store_rubrics_each(w.st, list_one, NULL, &e) : show(&w, argv[2]);
	if (is_list && rc) gs_report(&e);
	ws_close(&w);
	return rc;
}

const struct cmd_entry cmd_rubric = {
	"rubric", "goldset rubric check FILE | list | show NAME",
	"validate a rubric file, list rubrics, show one", run,
};
