/* cmd-label.c: `goldset label [--rubric NAME] [--as RATER] [--set NAME]
 * [--filter KEY=VALUE] [--order file] [--overlap K] [--batch NAME]
 * [--outputs]`: reads
 * the options, opens the workspace and the rubric (a calibration batch
 * brings its own and admits only its raters), then runs the labeling screen
 * (src/tui/label.c). Refuses without a terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "tui/label.h"
#include "base/text.h"
#include "app/ws.h"

struct label_args {
	const char *rubric, *as, *set, *filter, *batch;
	long overlap;
	int file_order, outputs;
};

static int parse_args(const struct cmd_args *args, struct label_args *a)
{
	const char *order = args_get(args, "order"), *overlap = args_get(args, "overlap");
	a->rubric = args_get(args, "rubric");
	a->as = args_get(args, "as");
	a->set = args_get(args, "set");
	a->filter = args_get(args, "filter");
	a->batch = args_get(args, "batch");
	a->outputs = args_has(args, "outputs");
	if (a->outputs && (a->filter || order || overlap || a->batch))
		return cmd_usage(&cmd_label, "--outputs goes with --rubric, --as and --set only");
	if (order && strcmp(order, "file") != 0 && strcmp(order, "shuffled") != 0)
		return cmd_usage(&cmd_label, "--order is file or shuffled");
	a->file_order = order && strcmp(order, "file") == 0;
	if (overlap && (parse_long(overlap, &a->overlap) || a->overlap < 1 || a->overlap > 1000000))
		return cmd_usage(&cmd_label, "--overlap takes a positive number of raters");
	if (a->filter && (!strchr(a->filter, '=') || a->filter[0] == '='))
		return cmd_usage(&cmd_label, "--filter takes KEY=VALUE (a key of the items' meta)");
	return 0;
}

static int run_screen(struct ws *w, const struct label_args *a, const char *rater, struct gs_err *e)
{
	char *key = NULL;
	struct rubric *r = NULL;
	int rc = ws_screen_rubric(w, a->batch, a->rubric, rater, "single", &r, e);
	if (rc) return rc;
	struct label_opts o = {.st = w->st, .r = r, .rater = rater, .set = a->set, .batch = a->batch,
			       .overlap = (int)a->overlap, .file_order = a->file_order, .outputs = a->outputs};
	if (a->filter) {
		key = xstrdup(a->filter);
		char *eq = strchr(key, '=');
		*eq = 0;
		o.meta_key = key;
		o.meta_value = eq + 1;
	}
	long saved = 0;
	rc = label_screen(&o, &saved, e);
	if (rc == 0 || rc > 128) {
		char *rn = text_escape(r->name), *ra = text_escape(rater);
		printf("%ld label%s saved (%s v%d, rater %s)\n", saved, saved == 1 ? "" : "s", rn, r->version, ra);
		free(rn);
		free(ra);
	}
	free(key);
	rubric_free(r);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *args)
{
	struct label_args a = {0};
	int rc = parse_args(args, &a);
	if (rc) return rc;
	if (ws_rater_check(a.as)) return EX_USAGE;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return gs_die(EX_UNAVAILABLE, "label is an interactive screen: run it in a terminal");
	struct gs_err e = {0};
	rc = run_screen(ctx->ws, &a, ws_rater(a.as), &e);
	if (rc && rc < 128) return gs_report(&e);
	return rc;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "NAME", "the rubric to label against (default: the last one, else the only one)"},
	{"as", 0, CMD_ARG_REQUIRED, "RATER", "label as another rater than the login name"},
	{"set", 0, CMD_ARG_REQUIRED, "NAME", "only the items of one set"},
	{"filter", 0, CMD_ARG_REQUIRED, "KEY=VALUE", "only the items whose meta field KEY has that value"},
	{"order", 0, CMD_ARG_REQUIRED, "file|shuffled", "the items in the order of their file (default: shuffled per rater)"},
	{"overlap", 0, CMD_ARG_REQUIRED, "K", "share the items so that each gets K raters"},
	{"batch", 0, CMD_ARG_REQUIRED, "NAME", "work through the calibration batch NAME"},
	{"outputs", 0, CMD_ARG_NONE, NULL, "label each output of the items with several on its own (systems hidden)"},
	{0},
};

const struct cmd_entry cmd_label = {
	.name = "label",
	.usage = "goldset label [--rubric NAME] [--as RATER] [--set NAME] [--filter KEY=VALUE] [--order file]"
		 " [--overlap K] [--batch NAME] [--outputs]",
	.summary = "label items against a rubric in a terminal screen (keys: ? inside)",
	.options = options,
	.example = "goldset label --rubric support-answer --overlap 2",
	.flags = CMD_WS_WRITE,
	.run = run,
};
