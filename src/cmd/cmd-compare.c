/* cmd-compare.c: `goldset compare SYS_A SYS_B`, is A better than B on the
 * workspace's labels: the options, one call to compare.h and the report
 * (report_compare.h); exit 1 when --min-diff is given and not met.
 *
 *   goldset compare SYS_A SYS_B [--rubric R] [--criterion C] [--by META]
 *                   [--json] [--min-diff X] [--resamples N] [--seed S] */
#include "cmd/cmd.h"
#include "app/compare.h"
#include "app/ratings.h"
#include "app/ws.h"
#include "model/jsoncheck.h"
#include "report/report_compare.h"
#include "base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COMPARE_DEFAULT_SEED 1

/* --name's last value; every one given must be a name */
static int name_opt(const struct cmd_args *a, const char *name, const char **out)
{
	const char *v;
	char flag[32];
	snprintf(flag, sizeof flag, "--%s", name);
	for (size_t i = 0; (v = args_nth(a, name, i)); i++)
		if (jsoncheck_usage(flag, v)) return EX_USAGE;
	*out = args_get(a, name);
	return 0;
}

static int parse_numbers(const struct cmd_args *a, struct compare_opts *o)
{
	const char *v;
	long n;
	for (size_t i = 0; (v = args_nth(a, "resamples", i)); i++) {
		if (parse_long(v, &n) || n < 0 || n > COMPARE_MAX_RESAMPLES)
			return cmd_usage(&cmd_compare, "--resamples needs a number, 0 to %d", COMPARE_MAX_RESAMPLES);
		o->resamples = (unsigned)n;
	}
	for (size_t i = 0; (v = args_nth(a, "seed", i)); i++)
		if (parse_u64(v, &o->seed)) return cmd_usage(&cmd_compare, "--seed needs a non-negative integer");
	for (size_t i = 0; (v = args_nth(a, "min-diff", i)); i++) {
		if (parse_double(v, &o->min_diff) || !isfinite(o->min_diff))
			return cmd_usage(&cmd_compare, "--min-diff needs a number (a difference of means, or of a win "
					 "rate from 0.5)");
		o->gated = 1;
	}
	return 0;
}

static int parse_args(const struct cmd_args *a, struct compare_opts *o)
{
	o->a = a->argv[0];
	o->b = a->argv[1];
	if (jsoncheck_usage("SYS_A", o->a) || jsoncheck_usage("SYS_B", o->b)) return EX_USAGE;
	if (strcmp(o->a, o->b) == 0) return cmd_usage(&cmd_compare, "SYS_A and SYS_B must be two different systems");
	if (name_opt(a, "rubric", &o->rubric) || name_opt(a, "criterion", &o->criterion) || name_opt(a, "by", &o->by))
		return EX_USAGE;
	if (o->by && strcmp(o->by, RATINGS_BY_SYSTEM) == 0)
		return cmd_usage(&cmd_compare, "--by system: the systems are what compare compares; use a meta key");
	return parse_numbers(a, o);
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct compare_opts o = {.resamples = COMPARE_DEFAULT_RESAMPLES, .seed = COMPARE_DEFAULT_SEED};
	int rc = parse_args(a, &o);
	if (rc) return rc;
	struct gs_err e = {0};
	struct compare_result res;
	rc = compare_run(ctx->ws->st, &o, &res, &e);
	if (!rc && args_has(a, "json")) report_compare_json(&o, &res);
	else if (!rc) report_compare_text(&o, &res);
	int failed = !rc && res.pass == 0;
	compare_result_free(&res);
	return rc ? gs_report(&e) : failed ? 1 : 0;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "only this rubric (default: every rubric with labels of both)"},
	{"criterion", 0, CMD_ARG_REQUIRED, "C", "only this criterion (and gate only on it)"},
	{"by", 0, CMD_ARG_REQUIRED, "META", "also one row per value of the items' meta field META"},
	{"json", 0, CMD_ARG_NONE, NULL, "an object: a, b, resamples, seed, min_diff, pass, rows, notes"},
	{"min-diff", 0, CMD_ARG_REQUIRED, "X", "exit 1 unless A beats B by X with 95% confidence (lower bound >= X)"},
	{"resamples", 0, CMD_ARG_REQUIRED, "N", "bootstrap and sign-flip resamples (default 2000)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the resamples (default 1)"},
	{0},
};

const struct cmd_entry cmd_compare = {
	.name = "compare",
	.usage = "goldset compare SYS_A SYS_B [--rubric R] [--criterion C] [--by META] [--json] [--min-diff X]"
		 " [--resamples N] [--seed S]",
	.summary = "is system A better than B: paired differences or win rates, intervals, p-values, a CI gate",
	.options = options,
	.example = "goldset compare new-prompt baseline --rubric support-answer --min-diff 0",
	.flags = CMD_WS_READ,
	.min_args = 2,
	.max_args = 2,
	.args_missing = "compare needs two system names: SYS_A SYS_B",
	.run = run,
};
