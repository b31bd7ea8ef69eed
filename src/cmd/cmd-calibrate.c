/* cmd-calibrate.c: `goldset calibrate start|show|report|discuss`, the
 * calibration run (HACKING "Command-line contract"):
 *
 *   start NAME --raters A,B [-n 50] [--rubric R] [--seed S] [--stratify KEY]
 *       draws N items into a named batch (round 1 + earlier batches of R);
 *   show NAME [--json]      its items and each rater's progress (counts only);
 *   report NAME [--json] [--force] [--min-units N]
 *       agreement per criterion, the disagreements, kappa per round; refuses
 *       (exit 75) until every rater finished, so nobody sees another's labels
 *       before the report is open;
 *   discuss NAME [--names] [--force]
 *       the disagreement walk (src/tui/discuss.c), agreed values stored as
 *       consensus labels.
 *
 * The calibration logic is src/app/calib.c's, its text, JSON and Markdown
 * src/report/report_calib.c's: here the options, one call and the printing. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/calib.h"
#include "cmd/cmd.h"
#include "tui/discuss.h"
#include "model/jsoncheck.h"
#include "model/labelline.h"
#include "report/report_calib.h"
#include "base/text.h"
#include "app/ws.h"

#define DEFAULT_N 50
#define MAX_SEED 9007199254740991ULL   /* 2^53 - 1 */

struct cal_opts {
	const char *name, *raters, *rubric, *seed, *stratify, *n;
	int json, force, names;
	size_t min_units;         /* report: fewer items give "too few items" (0: the default) */
};

/* ---------- shared ---------- */

/* opens the batch with each rater's progress; with check, refuses an
 * unfinished batch (unless --force) and opens its report */
static int open_batch(const struct cal_opts *o, int check, struct ws *w, struct calib_batch *b)
{
	struct gs_err e = {0};
	int rc = calib_batch_load(w->st, o->name, b, &e) || calib_batch_progress(w->st, b, &e) ? gs_report(&e) : 0;
	if (!rc && check && !b->finished && !o->force) rc = report_calib_unfinished(stderr, b);
	/* the report is open: the batch's labels may be seen everywhere now */
	if (!rc && check && store_batch_reveal(w->st, o->name, &e)) rc = gs_report(&e);
	if (rc) calib_batch_free(b);
	return rc;
}

/* ---------- start ---------- */

/* --raters A,B: at least two distinct, non-empty names */
static char **parse_raters(const char *s)
{
	if (!s) return NULL;
	char **v = split_list(s, ',');
	size_t n = strv_len(v);
	for (size_t i = 0; i < n; i++) {
		char *a = v[i];
		while (*a == ' ') memmove(a, a + 1, strlen(a));
		size_t l = strlen(a);
		while (l && a[l - 1] == ' ') a[--l] = 0;
		for (size_t k = 0; k < i; k++)
			if (strcmp(v[k], a) == 0 || !*a) n = 0;
		if (!*a) n = 0;
	}
	if (n < 2) {
		strv_free(v);
		return NULL;
	}
	return v;
}

static int start_args(const struct cal_opts *o, char ***raters, long *n, uint64_t *seed)
{
	if (!(*raters = parse_raters(o->raters)))
		return cmd_usage(&cmd_calibrate, "--raters needs two or more different names, comma-separated (A,B)");
	if (o->n && (parse_long(o->n, n) || *n < 1 || *n > 1000000))
		return cmd_usage(&cmd_calibrate, "-n must be a whole number from 1 (not %s)", o->n);
	char *end;
	if (o->seed) {
		/* up to 2^53 - 1: batches/NAME.jsonl keeps it, and every JSON reader reads that exactly */
		*seed = strtoull(o->seed, &end, 10);
		if (!*o->seed || *end || *o->seed == '-' || *seed > MAX_SEED)
			return cmd_usage(&cmd_calibrate, "--seed must be a whole number from 0 to %llu (not %s)",
					 (unsigned long long)MAX_SEED, o->seed);
	} else {
		*seed = calib_fresh_seed();
	}
	return 0;
}

static int cal_start(struct gs_ctx *ctx, const struct cal_opts *o)
{
	char **raters = NULL;
	long n = DEFAULT_N;
	uint64_t seed = 0;
	int rc = start_args(o, &raters, &n, &seed);
	if (rc) {
		strv_free(raters);   /* -n or --seed refused after --raters was read */
		return rc;
	}
	rc = jsoncheck_usage("calibrate start NAME", o->name);
	for (size_t i = 0; raters[i] && !rc; i++) rc = jsoncheck_usage("--raters", raters[i]);
	char *file = labelline_file_name(o->name);
	size_t flen = strlen(file);
	free(file);
	if (!rc && flen + 6 > NAME_MAX)   /* it names batches/NAME.jsonl */
		rc = cmd_usage(&cmd_calibrate, "the batch NAME is too long for a file name under batches/");
	if (rc) {
		strv_free(raters);
		return rc;
	}
	struct gs_err e = {0};
	struct calib_start s = {o->name, o->rubric, o->stratify, raters, (size_t)n, seed};
	struct calib_started made;
	rc = calib_start(ctx->ws, &s, &made, &e) ? gs_report(&e) : 0;
	if (!rc) report_calib_started(stdout, &made, &s);
	if (!rc) calib_started_free(&made);
	strv_free(raters);
	return rc;
}

/* ---------- show ---------- */

static int cal_show(struct gs_ctx *ctx, const struct cal_opts *o)
{
	struct calib_batch b;
	int rc = open_batch(o, 0, ctx->ws, &b);
	if (rc) return rc;
	if (o->json) report_calib_show_json(stdout, &b);
	else report_calib_show_text(stdout, &b);
	calib_batch_free(&b);
	return 0;
}

/* ---------- report ---------- */

/* opens the batch (refusing an unfinished one) and builds its report;
 * screen: for the discussion screen, which needs a terminal (no bootstrap) */
static int open_report(const struct cal_opts *o, int screen, struct ws *w, struct calib_batch *b,
		       struct calib_report *rp)
{
	int rc = open_batch(o, 1, w, b);
	if (rc) return rc;
	struct gs_err e = {0};
	if (screen && (!isatty(0) || !isatty(1)))
		rc = gs_die(EX_USAGE, "calibrate discuss is a screen: run it in a terminal (calibrate report lists "
				      "the disagreements as text)");
	else if (calib_report_build(w->st, b, screen ? 0 : ST_DEFAULT_BOOTSTRAP, o->min_units, rp, &e)) rc = gs_report(&e);
	if (rc) calib_batch_free(b);
	return rc;
}

static void close_report(struct calib_batch *b, struct calib_report *rp)
{
	calib_report_free(rp);
	calib_batch_free(b);
}

static void print_report(struct ws *w, const struct calib_report *rp, const struct cal_opts *o)
{
	struct calib_rounds x;
	calib_rounds_load(w->st, rp->b->b.rubric, &x);
	if (o->json) report_calib_json(stdout, rp, &x);
	else report_calib_text(stdout, rp, &x);
	calib_rounds_free(&x);
}

/* ---------- discuss ---------- */

/* the record of the discussion so far, rewritten after each session */
static int save_discussion(struct ws *w, const struct calib_report *rp, const struct calib_point *p,
			   const struct discuss_outcome *out, size_t n, struct gs_err *e)
{
	char *text = report_calib_discussion_md(rp, p, out, n), *rel = NULL;
	int rc = calib_discussion_save(w, rp->b->b.name, text, &rel, e);
	if (!rc) printf("The discussion is written to %s (goldset commit adds it).\n", rel);
	free(rel);
	free(text);
	return rc;
}

static int walk_disagreements(struct ws *w, struct calib_report *rp, const struct cal_opts *o, struct gs_err *e)
{
	size_t n, agreed = 0;
	struct calib_point *p = calib_disagreements(rp->t, &n);
	if (!n) {
		char *name = text_escape(rp->b->b.name);
		printf("No disagreements in batch %s: nothing to discuss.\n", name);
		free(name);
		free(p);
		return 0;
	}
	struct discuss_point *dp = xcalloc(n, sizeof *dp);
	for (size_t i = 0; i < n; i++) dp[i] = (struct discuss_point){p[i].u, p[i].slot};
	struct discuss_opts d = {w->st, rp->t, rp->b->b.name, dp, n, o->names};
	struct discuss_outcome *out = xcalloc(n, sizeof *out);
	int rc = discuss_screen(&d, out, e);
	for (size_t i = 0; i < n; i++) agreed += out[i].value >= 0;
	if (!rc || rc > 128) report_calib_discussed(stdout, rp, out, n);
	if ((!rc || rc > 128) && agreed) {
		int wrc = save_discussion(w, rp, p, out, n, e);
		if (wrc && !rc) rc = wrc;
	}
	discuss_outcome_free(out, n);
	free(out);
	free(dp);
	free(p);
	return rc;
}

static int run_discuss(struct ws *w, struct calib_report *rp, const struct cal_opts *o)
{
	struct gs_err e = {0};
	int rc = walk_disagreements(w, rp, o, &e);
	if (rc && rc < 128) gs_report(&e);
	return rc;
}

/* report and discuss: the batch's report printed, or its disagreements walked */
static int with_report(struct gs_ctx *ctx, const struct cal_opts *o, int discuss)
{
	struct calib_batch b;
	struct calib_report rp;
	int rc = open_report(o, discuss, ctx->ws, &b, &rp);
	if (rc) return rc;
	if (discuss) rc = run_discuss(ctx->ws, &rp, o);
	else print_report(ctx->ws, &rp, o);
	close_report(&b, &rp);
	return rc;
}

static int cal_report(struct gs_ctx *ctx, const struct cal_opts *o) { return with_report(ctx, o, 0); }
static int cal_discuss(struct gs_ctx *ctx, const struct cal_opts *o) { return with_report(ctx, o, 1); }

/* ---------- the subcommands ---------- */

static int start_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .raters = args_get(a, "raters"), .rubric = args_get(a, "rubric"),
			     .seed = args_get(a, "seed"), .stratify = args_get(a, "stratify"), .n = args_get(a, "n")};
	return cal_start(ctx, &o);
}

static int show_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .json = args_has(a, "json")};
	return cal_show(ctx, &o);
}

static int report_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .json = args_has(a, "json"), .force = args_has(a, "force")};
	const char *mu = args_get(a, "min-units");
	long n;
	if (mu && (parse_long(mu, &n) || n < 1))
		return cmd_usage(&cmd_calibrate, "--min-units: not a whole number of at least 1: %s", mu);
	o.min_units = mu ? (size_t)n : 0;
	return cal_report(ctx, &o);
}

static int discuss_run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct cal_opts o = {.name = a->argv[0], .names = args_has(a, "names"), .force = args_has(a, "force")};
	return cal_discuss(ctx, &o);
}

static const struct cmd_option start_options[] = {
	{"raters", 0, CMD_ARG_REQUIRED, "A,B", "the raters who label the batch blind (two or more)"},
	{NULL, 'n', CMD_ARG_REQUIRED, "N", "how many items (default 50)"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric (default: the only single-mode one)"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the draw (default: a new one, printed)"},
	{"stratify", 0, CMD_ARG_REQUIRED, "KEY", "spread the items over the values of the meta field KEY"},
	{0},
};
static const struct cmd_option json_option[] = {
	{"json", 0, CMD_ARG_NONE, NULL, "one JSON object"},
	{0},
};
static const struct cmd_option report_options[] = {
	{"json", 0, CMD_ARG_NONE, NULL, "one JSON object"},
	{"force", 0, CMD_ARG_NONE, NULL, "open the report before every rater has finished"},
	{"min-units", 0, CMD_ARG_REQUIRED, "N", "fewer items than N: \"too few items\" instead of a verdict (default 20)"},
	{0},
};
static const struct cmd_option discuss_options[] = {
	{"names", 0, CMD_ARG_NONE, NULL, "show the raters' names instead of rater 1, rater 2, ..."},
	{"force", 0, CMD_ARG_NONE, NULL, "discuss before every rater has finished"},
	{0},
};

static const struct cmd_entry sub_start = {
	.name = "start",
	.usage = "goldset calibrate start NAME --raters A,B [-n N] [--rubric R] [--seed S] [--stratify KEY]",
	.summary = "draw N items into a named batch that the raters label blind",
	.options = start_options,
	.example = "goldset calibrate start week1 --raters alice,bob -n 30",
	.flags = CMD_WS_WRITE, .min_args = 1, .max_args = 1, .args_missing = "start needs a batch NAME",
	.run = start_run,
};
static const struct cmd_entry sub_show = {
	.name = "show",
	.usage = "goldset calibrate show NAME [--json]",
	.summary = "the batch's items and how far each rater has got",
	.options = json_option,
	.example = "goldset calibrate show week1",
	.flags = CMD_WS_READ | CMD_FIT, .min_args = 1, .max_args = 1, .args_missing = "show needs a batch NAME",
	.run = show_run,
};
static const struct cmd_entry sub_report = {
	.name = "report",
	.usage = "goldset calibrate report NAME [--json] [--force] [--min-units N]",
	.summary = "agreement per criterion, the disagreements, kappa per round",
	.options = report_options,
	.example = "goldset calibrate report week1",
	.flags = CMD_WS_WRITE | CMD_FIT, .min_args = 1, .max_args = 1, .args_missing = "report needs a batch NAME",
	.run = report_run,
};
static const struct cmd_entry sub_discuss = {
	.name = "discuss",
	.usage = "goldset calibrate discuss NAME [--names] [--force]",
	.summary = "a screen through every disagreement; agreed values become consensus labels",
	.options = discuss_options,
	.example = "goldset calibrate discuss week1 --names",
	.flags = CMD_WS_WRITE, .min_args = 1, .max_args = 1, .args_missing = "discuss needs a batch NAME",
	.run = discuss_run,
};
static const struct cmd_entry *const subs[] = {&sub_start, &sub_show, &sub_report, &sub_discuss, NULL};

const struct cmd_entry cmd_calibrate = {
	.name = "calibrate",
	.usage = "goldset calibrate start NAME --raters A,B [-n N] [--rubric R] [--seed S] [--stratify KEY]\n"
		 "       goldset calibrate show NAME [--json]\n"
		 "       goldset calibrate report NAME [--json] [--force] [--min-units N]\n"
		 "       goldset calibrate discuss NAME [--names] [--force]",
	.summary = "calibration run: a blind batch for two or more raters, kappa, the disagreement walk",
	.example = "goldset calibrate start week1 --raters alice,bob -n 30",
	.subs = subs,
};
