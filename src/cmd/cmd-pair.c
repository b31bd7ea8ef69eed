/* cmd-pair.c: `goldset pair [--rubric NAME] [--as RATER] [--set NAME]
 * [--pairs-per-item N] [--both-orders] [--batch NAME]`: reads the options,
 * opens the workspace and a pairwise rubric (a calibration batch brings its
 * own and admits only its raters), then runs the pairwise screen
 * (src/tui/pair.c). Refuses without a terminal. After the screen: how many
 * labels were saved, and with --both-orders how often the rater's choice
 * changed when the sides were swapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "tui/pair.h"
#include "app/ws.h"

#define MAX_PER_ITEM 1000

struct pair_args {
	const char *rubric, *as, *set, *batch;
	long per_item;
	int both_orders;
};

static int parse_args(const struct cmd_args *args, struct pair_args *a)
{
	const char *n = args_get(args, "pairs-per-item");
	a->rubric = args_get(args, "rubric");
	a->as = args_get(args, "as");
	a->set = args_get(args, "set");
	a->batch = args_get(args, "batch");
	a->both_orders = args_has(args, "both-orders");
	if (n && (parse_long(n, &a->per_item) || a->per_item < 1 || a->per_item > MAX_PER_ITEM))
		return cmd_usage(&cmd_pair, "--pairs-per-item takes a number of comparisons, 1 to %d", MAX_PER_ITEM);
	return 0;
}

static void summary(const struct rubric *r, const char *rater, const struct pair_args *a,
		    const struct pair_result *res)
{
	gs_printf(stdout, "%ld label%s saved (%s v%d, rater %s)\n", res->saved, res->saved == 1 ? "" : "s", r->name,
		  r->version, rater);
	if (!a->both_orders) return;
	if (!res->both_ways) {
		printf("both orders: no comparison labeled both ways round yet\n");
		return;
	}
	gs_printf(stdout, "both orders: %lld comparison%s labeled both ways round; the %s choice changed in %lld"
		  " (%.1f%%)\n", res->both_ways, res->both_ways == 1 ? "" : "s", res->criterion, res->flips,
		  100.0 * (double)res->flips / (double)res->both_ways);
}

static int run_screen(struct ws *w, const struct pair_args *a, const char *rater, struct gs_err *e)
{
	struct rubric *r = NULL;
	int rc = ws_screen_rubric(w, a->batch, a->rubric, rater, "pairwise", &r, e);
	if (rc) return rc;
	struct pair_opts o = {.st = w->st, .r = r, .rater = rater, .set = a->set, .batch = a->batch,
			      .pairs_per_item = a->per_item ? (int)a->per_item : PAIR_DEFAULT_PER_ITEM,
			      .both_orders = a->both_orders};
	struct pair_result res;
	rc = pair_screen(&o, &res, e);
	if (rc == 0 || rc > 128) summary(r, rater, a, &res);
	rubric_free(r);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *args)
{
	struct pair_args a = {0};
	int rc = parse_args(args, &a);
	if (rc) return rc;
	if (ws_rater_check(a.as)) return EX_USAGE;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return gs_die(EX_UNAVAILABLE, "pair is an interactive screen: run it in a terminal"
					      " (goldset rank and export read the labels without one)");
	struct gs_err e = {0};
	rc = run_screen(ctx->ws, &a, ws_rater(a.as), &e);
	if (rc && rc < 128) return gs_report(&e);
	return rc;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "NAME", "the pairwise rubric (default: the last one, else the only one)"},
	{"as", 0, CMD_ARG_REQUIRED, "RATER", "label as another rater than the login name"},
	{"set", 0, CMD_ARG_REQUIRED, "NAME", "only the items of one set"},
	{"pairs-per-item", 0, CMD_ARG_REQUIRED, "N", "with more than four outputs: N pairs of each item (default 6)"},
	{"both-orders", 0, CMD_ARG_NONE, NULL, "show every pair both ways round, to measure a side bias"},
	{"batch", 0, CMD_ARG_REQUIRED, "NAME", "work through the pairwise calibration batch NAME"},
	{0},
};

const struct cmd_entry cmd_pair = {
	.name = "pair",
	.usage = "goldset pair [--rubric NAME] [--as RATER] [--set NAME] [--pairs-per-item N] [--both-orders]"
		 " [--batch NAME]",
	.summary = "compare two outputs side by side, names hidden, sides shuffled (keys: ? inside)",
	.options = options,
	.example = "goldset pair --rubric pairwise-preference --both-orders",
	.flags = CMD_WS_WRITE,
	.run = run,
};
