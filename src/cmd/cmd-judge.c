/* cmd-judge.c: `goldset judge --as judge:NAME --cmd COMMAND ...`: an LLM
 * judge run as a command over the items (app/judge.h does the work), its
 * progress and failures on stderr, then its verdict against the humans
 * (the report of `agree --judge`). Also --show-prompt ITEM (what would be
 * sent) and --failures (what failed, with the raw answers).
 *
 * Exit: 0 when every call was answered, 1 when some failed (recorded;
 * a re-run tries them again), 128 + the signal when Ctrl-C or a kill
 * stopped it (a re-run goes on where it stopped). */
#include "app/agreerows.h"
#include "app/judge.h"
#include "report/agreeview.h"
#include "cmd/cmd.h"
#include "base/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JUDGE_JOBS_MAX 256
#define JUDGE_PLAIN_EVERY 10.0   /* seconds between two progress lines when stderr is no terminal */
#define JUDGE_BAR_EVERY 0.1      /* seconds between two redraws of the bar */
#define JUDGE_RAW_SHOWN 300      /* bytes of a failure's raw answer that --failures prints */

/* ---- options ---- */

static int number_opt(const struct cmd_args *a, const char *name, double min, double max, double *out)
{
	const char *v = args_get(a, name);
	double x;
	if (!v) return 0;
	if (parse_double(v, &x) || !(x >= min && x <= max))
		return cmd_usage(&cmd_judge, "--%s: not a number from %g to %g: %s", name, min, max, v);
	*out = x;
	return 0;
}

static int judge_args(const struct cmd_args *a, struct judge_opts *o)
{
	double jobs = 4, retries = 2;
	*o = (struct judge_opts){.judge = args_get(a, "as"), .cmd = args_get(a, "cmd"), .rubric = args_get(a, "rubric"),
				 .set = args_get(a, "set"), .prompt_file = args_get(a, "prompt"), .timeout = 120,
				 .backoff = 1, .both_orders = args_has(a, "both-orders")};
	if (judge_name_check(o->judge)) return EX_USAGE;
	int rc = number_opt(a, "jobs", 1, JUDGE_JOBS_MAX, &jobs);
	if (!rc) rc = number_opt(a, "timeout", 0.001, 86400, &o->timeout);
	if (!rc) rc = number_opt(a, "retries", 0, 100, &retries);
	if (!rc) rc = number_opt(a, "backoff", 0, 3600, &o->backoff);
	if (rc) return rc;
	if (jobs != floor(jobs) || retries != floor(retries))
		return cmd_usage(&cmd_judge, "--jobs and --retries are whole numbers");
	o->jobs = (int)jobs;
	o->retries = (int)retries;
	if (!o->cmd && !args_has(a, "show-prompt") && !args_has(a, "failures"))
		return cmd_usage(&cmd_judge, "what runs the judge? --cmd 'COMMAND' (it reads the prompt on stdin)");
	return 0;
}

/* ---- progress and failures on stderr ---- */

struct view {
	const char *judge;
	int tty;
	double last;              /* when the progress was last shown */
	int bar_shown;            /* a bar is on the current line */
};

static void fmt_time(char *out, size_t n, double s)
{
	if (s < 0) snprintf(out, n, "?");
	else if (s < 90) snprintf(out, n, "%.0fs", s);
	else if (s < 5400) snprintf(out, n, "%.0fm%02.0fs", floor(s / 60), fmod(s, 60));
	else snprintf(out, n, "%.0fh%02.0fm", floor(s / 3600), fmod(floor(s / 60), 60));
}

static void show_bar(struct view *v, const struct judge_progress *p)
{
	long long done = p->cached + p->answered + p->failed;
	int fill = p->total ? (int)(done * 30 / p->total) : 30;
	char bar[31], eta[32];
	for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
	bar[30] = 0;
	fmt_time(eta, sizeof eta, p->eta);
	fprintf(stderr, "\r[%s] %lld/%lld  %lld failed  %lld running  about %s left \033[K", bar, done, p->total,
		p->failed, p->running, eta);
	v->bar_shown = 1;
}

static void on_progress(void *ctx, const struct judge_progress *p)
{
	struct view *v = ctx;
	double now = now_seconds();
	if (now - v->last < (v->tty ? JUDGE_BAR_EVERY : JUDGE_PLAIN_EVERY)) return;
	v->last = now;
	if (v->tty) {
		show_bar(v, p);
		return;
	}
	char eta[32];
	fmt_time(eta, sizeof eta, p->eta);
	fprintf(stderr, "goldset judge: %lld of %lld calls done (%lld before), %lld failed, about %s left\n",
		p->cached + p->answered + p->failed, p->total, p->cached, p->failed, eta);
}

static void end_bar(struct view *v)
{
	if (v->bar_shown) fputc('\n', stderr);
	v->bar_shown = 0;
}

static void on_failed(void *ctx, const char *ext_id, const char *a, const char *b, const char *why, int retry)
{
	struct view *v = ctx;
	if (v->bar_shown) fprintf(stderr, "\r\033[K");
	v->bar_shown = 0;
	if (v->tty) v->last = 0;   /* the bar again at once */
	char pair[512] = "";
	if (a) snprintf(pair, sizeof pair, " [A=%s B=%s]", a, b);
	if (retry) gs_printf(stderr, "goldset judge: %s%s: %s (trying again, retry %d)\n", ext_id, pair, why, retry);
	else gs_printf(stderr, "goldset judge: %s%s: %s (recorded as a failure)\n", ext_id, pair, why);
}

/* ---- the verdict: agree --judge's report ---- */

static void verdict(struct gs_ctx *ctx, const char *judge, const char *rubric)
{
	struct ar_tables ts = {0};
	struct gs_err e;
	if (ar_tables_load(ctx->ws, rubric, NULL, NULL, &ts, &e)) return;
	const struct ratings *t = ts.n ? ts.t[0] : NULL;
	const char **humans = t ? ratings_select(t, NULL) : NULL;
	struct ar_row *rows = NULL;
	size_t n = 0;
	struct ar_opts ao = {.judge = judge, .seed = 1, .resamples = ST_DEFAULT_BOOTSTRAP};
	if (!t || !humans[0] || ratings_rater_pos(t, judge) < 0)
		printf("\nno human labels under rubric \"%s\" yet: no verdict (label some, then goldset agree --judge %s)\n",
		       rubric, judge);
	else if (ar_rows(t, &ao, &rows, &n, &e) == 0) {
		struct av_style style;
		av_style_init(&style, ctx->out_tty, ctx->color, NULL);
		printf("\n");
		av_print_rubric(stdout, t, rows, n, &style);
		av_print_legend(stdout, 1);
		ar_rows_free(rows, n);
	}
	free(humans);
	ar_tables_free(&ts);
}

/* ---- the three uses ---- */

static int run_judge(struct gs_ctx *ctx, const struct judge_opts *o)
{
	struct view v = {.judge = o->judge, .tty = ctx->err_tty, .last = ctx->err_tty ? 0 : now_seconds()};
	struct judge_hooks h = {on_progress, on_failed, &v};
	struct judge_result res;
	struct gs_err e;
	int rc = judge_run(ctx->ws, o, &h, &res, &e);
	end_bar(&v);
	if (res.template_created)
		gs_printf(stderr, "goldset judge: wrote the prompt template %s (edit it; goldset commit shares it)\n",
			  res.template_rel);
	if (rc) {
		judge_result_free(&res);
		return gs_report(&e);
	}
	const struct judge_progress *p = &res.p;
	gs_printf(stdout, "%s on rubric %s: %lld calls: %lld answered now, %lld before, %lld failed%s\n", o->judge,
		  res.rubric, p->total, p->answered, p->cached, p->failed,
		  res.stopped ? ", stopped (run it again to go on)" : "");
	if (p->failed) gs_printf(stdout, "the failures: goldset judge --as %s --failures\n", o->judge);
	if (!res.stopped) verdict(ctx, o->judge, res.rubric);
	rc = res.stopped ? 128 + res.stopped : p->failed ? 1 : 0;
	judge_result_free(&res);
	return rc;
}

struct shown { int tty, n; };

static int print_prompt(void *ctx, const char *prompt)
{
	struct shown *s = ctx;
	if (s->n++) printf("\n----- the next comparison -----\n");
	if (!s->tty) {
		fputs(prompt, stdout);
		return 0;
	}
	char *safe = text_escape_keep_breaks(prompt, strlen(prompt));
	fputs(safe, stdout);
	free(safe);
	return 0;
}

static int print_failure(void *ctx, const struct store_judge_call *c)
{
	int *n = ctx;
	const char *raw = c->raw && *c->raw ? c->raw : "(none)";
	size_t len = strlen(raw);
	(*n)++;
	if (c->left_sys) gs_printf(stdout, "%s [A=%s B=%s]: %s\n", c->ext_id, c->left_sys, c->right_sys, c->error);
	else gs_printf(stdout, "%s: %s\n", c->ext_id, c->error);
	gs_printf(stdout, "  output: %.*s%s\n", (int)(len > JUDGE_RAW_SHOWN ? JUDGE_RAW_SHOWN : len), raw,
		  len > JUDGE_RAW_SHOWN ? " ..." : "");
	return 0;
}

static int judge_main(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct judge_opts o;
	struct gs_err e;
	int rc = judge_args(a, &o);
	if (rc) return rc;
	if (args_has(a, "failures")) {
		int n = 0;
		if (judge_failures_each(ctx->ws, o.judge, o.rubric, print_failure, &n, &e)) return gs_report(&e);
		if (!n) gs_printf(stdout, "no failures of %s\n", o.judge);
		return 0;
	}
	const char *item = args_get(a, "show-prompt");
	if (item) {
		struct shown s = {.tty = ctx->out_tty};
		return judge_prompts_of(ctx->ws, &o, item, print_prompt, &s, &e) ? gs_report(&e) : 0;
	}
	return run_judge(ctx, &o);
}

static const struct cmd_option options[] = {
	{"as", 0, CMD_ARG_REQUIRED, "judge:NAME", "the judge (the rater of its labels)"},
	{"cmd", 0, CMD_ARG_REQUIRED, "COMMAND", "run by /bin/sh -c; reads a prompt on stdin, prints a JSON answer"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric (default: the workspace's)"},
	{"set", 0, CMD_ARG_REQUIRED, "S", "only the items of set S"},
	{"prompt", 0, CMD_ARG_REQUIRED, "FILE", "copy this template to judges/NAME.prompt and use it"},
	{"jobs", 'j', CMD_ARG_REQUIRED, "N", "calls at once (default 4)"},
	{"timeout", 0, CMD_ARG_REQUIRED, "SEC", "seconds a call may take before it is killed (default 120)"},
	{"retries", 0, CMD_ARG_REQUIRED, "N", "tries after a failed one (default 2)"},
	{"backoff", 0, CMD_ARG_REQUIRED, "SEC", "pause before the first retry, doubled each time (default 1)"},
	{"both-orders", 0, CMD_ARG_NONE, NULL, "pairwise: ask every comparison both ways round"},
	{"show-prompt", 0, CMD_ARG_REQUIRED, "ITEM", "print what would be sent for item ITEM, and stop"},
	{"failures", 0, CMD_ARG_NONE, NULL, "list the calls that failed, with the judge's raw answers"},
	{0},
};

const struct cmd_entry cmd_judge = {
	.name = "judge",
	.usage = "goldset judge --as judge:NAME --cmd 'COMMAND' [--rubric R] [--set S] [--prompt FILE]\n"
		 "                     [--jobs N] [--timeout SEC] [--retries N] [--backoff SEC] [--both-orders]\n"
		 "       goldset judge --as judge:NAME --show-prompt ITEM | --failures",
	.summary = "label every item with an LLM judge: a command that reads a prompt and prints JSON",
	.options = options,
	.example = "goldset judge --as judge:gpt --cmd 'llm -m gpt-4o-mini' --jobs 8",
	.flags = CMD_WS_WRITE,
	.run = judge_main,
};
