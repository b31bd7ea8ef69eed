/* cmd-rank.c: `goldset rank`, a Bradley–Terry ranking of systems from
 * pairwise comparisons: the options, one call to rank.h (the comparisons
 * of a CSV, or of the workspace's pairwise labels, fitted) and the report
 * (report_rank.h).
 *
 *   goldset rank --pairs FILE.csv [--json] [--bootstrap N] [--seed S]
 *   goldset rank [--rubric R] [--criterion C] [--by META_KEY] [--json]
 *                [--bootstrap N] [--seed S]
 *
 * --pairs reads a CSV with header a,b,winner and an optional `left` column
 * (without one left_win_rate is null); without it the current pairwise
 * labels of a rubric are ranked by one preference criterion (the first
 * unless --criterion). --by KEY makes one report per value of the items'
 * meta KEY (JSON: an array of reports, each with "slice"). */
#include "stats/bt.h"
#include "cmd/cmd.h"
#include "app/rank.h"
#include "report/report_rank.h"
#include "model/rubric.h"
#include "base/util.h"
#include "app/ws.h"

#include <stdlib.h>
#include <string.h>

#define RANK_DEFAULT_SEED 1
#define RANK_MAX_BOOTSTRAP 1000000

struct rank_opts {
	const char *pairs;    /* --pairs FILE, or NULL: workspace mode */
	const char *rubric;
	const char *criterion, *by;
	int json;
	int bootstrap;
	uint64_t seed;
};

/* pairwise labels of the workspace (o->rubric, or the only pairwise
 * rubric) ranked by one preference criterion */
static int rank_workspace(struct gs_ctx *ctx, const struct rank_opts *o, const struct rank_spec *sp,
			  struct rank_result *res, struct gs_err *e)
{
	struct rubric *r = NULL;
	int rc = ws_rubric(ctx->ws, o->rubric, "pairwise", &r, e);
	if (!rc) rc = rank_labels(ctx->ws->st, r, sp, res, e);
	if (!rc && res->unread)
		fprintf(stderr, "goldset rank: %lld label%s could not be read under rubric %s v%d (left out)\n",
			res->unread, res->unread == 1 ? "" : "s", r->name, r->version);
	rubric_free(r);
	return rc;
}

/* ---------- options ---------- */

/* the value of --name, the last one given; each one given must not be empty */
static int text_opt(const struct cmd_args *a, const char *name, const char *what, const char **out)
{
	const char *v;
	for (size_t i = 0; (v = args_nth(a, name, i)); i++)
		if (!*v) return cmd_usage(&cmd_rank, "--%s needs %s", name, what);
	*out = args_get(a, name);
	return 0;
}

static int parse_args(const struct cmd_args *a, struct rank_opts *o)
{
	const char *v;
	long n;
	o->json = args_has(a, "json");
	if (text_opt(a, "pairs", "a file", &o->pairs) || text_opt(a, "rubric", "a name", &o->rubric) ||
	    text_opt(a, "criterion", "a preference criterion's id", &o->criterion) ||
	    text_opt(a, "by", "a key of the items' meta", &o->by))
		return EX_USAGE;
	for (size_t i = 0; (v = args_nth(a, "bootstrap", i)); i++) {
		if (parse_long(v, &n) || n < 0 || n > RANK_MAX_BOOTSTRAP)
			return cmd_usage(&cmd_rank, "--bootstrap needs a number of resamples, 0 to %d", RANK_MAX_BOOTSTRAP);
		o->bootstrap = (int)n;
	}
	for (size_t i = 0; (v = args_nth(a, "seed", i)); i++)
		if (parse_u64(v, &o->seed)) return cmd_usage(&cmd_rank, "--seed needs a non-negative integer");
	if (o->pairs && (o->rubric || o->criterion || o->by))
		return cmd_usage(&cmd_rank, "--pairs reads a CSV: --rubric, --criterion and --by are for the workspace's labels");
	return 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct rank_opts o = {.bootstrap = ST_BT_DEFAULT_BOOTSTRAP, .seed = RANK_DEFAULT_SEED};
	int rc = parse_args(a, &o);
	if (rc) return rc;
	struct gs_err e = {0};
	struct rank_spec sp = {o.criterion, o.by, o.bootstrap, o.seed};
	struct rank_result res = {0};
	rc = o.pairs ? rank_pairs(o.pairs, &sp, &res, &e) : rank_workspace(ctx, &o, &sp, &res, &e);
	if (!rc && o.json) report_rank_json(&res);
	else if (!rc) report_rank_text(&res, ctx->out_tty);
	rank_result_free(&res);
	return rc ? gs_report(&e) : 0;
}

static const struct cmd_option options[] = {
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the pairwise rubric (default: the only one)"},
	{"criterion", 0, CMD_ARG_REQUIRED, "C", "the preference criterion to rank by (default: the rubric's first)"},
	{"by", 0, CMD_ARG_REQUIRED, "META_KEY", "one ranking per value of the meta field META_KEY"},
	{"json", 0, CMD_ARG_NONE, NULL, "an object with comparisons, systems, left_win_rate, ... and notes"},
	{"bootstrap", 0, CMD_ARG_REQUIRED, "N", "resamples for the intervals (default 1000; 0: none)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the bootstrap"},
	{"pairs", 0, CMD_ARG_REQUIRED, "FILE.csv", "rank the comparisons of a CSV file (a,b,winner) instead"},
	{0},
};

const struct cmd_entry cmd_rank = {
	.name = "rank",
	.usage = "goldset rank [--rubric R] [--criterion C] [--by META_KEY] [--json] [--bootstrap N] [--seed S]"
		 " | --pairs FILE.csv [--json] [--bootstrap N] [--seed S]",
	.summary = "rank systems from pairwise comparisons (Bradley-Terry, bootstrap intervals)",
	.options = options,
	.example = "goldset rank --rubric pairwise-preference --by query_type",
	.flags = CMD_WS_READ | CMD_FIT,
	.no_ws_with = "pairs",
	.run = run,
};
