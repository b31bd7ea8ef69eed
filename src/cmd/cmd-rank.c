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
#include "bt.h"
#include "cmd.h"
#include "rank.h"
#include "report_rank.h"
#include "rubric.h"
#include "util.h"
#include "ws.h"

#include <errno.h>
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
	struct ws w;
	struct rubric *r = NULL;
	if (ws_open_read(ctx, &w, e)) return e->code;
	int rc = ws_rubric(&w, o->rubric, "pairwise", &r, e);
	if (!rc) rc = rank_labels(w.st, r, sp, res, e);
	if (!rc && res->unread)
		fprintf(stderr, "goldset rank: %lld label%s could not be read under rubric %s v%d (left out)\n",
			res->unread, res->unread == 1 ? "" : "s", r->name, r->version);
	rubric_free(r);
	ws_close(&w);
	return rc;
}

/* ---------- options ---------- */

/* --name VALUE or --name=VALUE at argv[*i]; 1 if it matched */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t len = strlen(name);
	if (strncmp(argv[*i], name, len) != 0) return 0;
	if (argv[*i][len] == '=') { *val = argv[*i] + len + 1; return 1; }
	if (argv[*i][len] != 0) return 0;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return 1;
}

static int parse_seed(const char *s, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9') return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end) return -1;
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct rank_opts *o)
{
	const char *v;
	long n;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) o->json = 1;
		else if (opt_value(argc, argv, &i, "--pairs", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--pairs needs a file");
			o->pairs = v;
		} else if (opt_value(argc, argv, &i, "--rubric", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--rubric needs a name");
			o->rubric = v;
		} else if (opt_value(argc, argv, &i, "--criterion", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--criterion needs a preference criterion's id");
			o->criterion = v;
		} else if (opt_value(argc, argv, &i, "--by", &v)) {
			if (!v || !*v) return cmd_usage(&cmd_rank, "--by needs a key of the items' meta");
			o->by = v;
		} else if (opt_value(argc, argv, &i, "--bootstrap", &v)) {
			if (!v || parse_long(v, &n) || n < 0 || n > RANK_MAX_BOOTSTRAP)
				return cmd_usage(&cmd_rank, "--bootstrap needs a number of resamples, 0 to %d", RANK_MAX_BOOTSTRAP);
			o->bootstrap = (int)n;
		} else if (opt_value(argc, argv, &i, "--seed", &v)) {
			if (parse_seed(v, &o->seed)) return cmd_usage(&cmd_rank, "--seed needs a non-negative integer");
		} else {
			return cmd_usage(&cmd_rank, "unknown argument %s", argv[i]);
		}
	}
	if (o->pairs && (o->rubric || o->criterion || o->by))
		return cmd_usage(&cmd_rank, "--pairs reads a CSV: --rubric, --criterion and --by are for the workspace's labels");
	return 0;
}

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	struct rank_opts o = {.bootstrap = ST_BT_DEFAULT_BOOTSTRAP, .seed = RANK_DEFAULT_SEED};
	int rc = parse_args(argc, argv, &o);
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

const struct cmd_entry cmd_rank = {
	"rank",
	"goldset rank [--rubric R] [--criterion C] [--by META_KEY] [--json] [--bootstrap N] [--seed S]"
	" | --pairs FILE.csv [--json] [--bootstrap N] [--seed S]",
	"rank systems from pairwise comparisons (Bradley-Terry, bootstrap intervals)",
	run,
};
