/* judge.h: `goldset judge`, an LLM judge run as a command (src/app/judge.c).
 * For every current item of the rubric's mode (every comparison of two
 * outputs for a pairwise rubric) the prompt is rendered from the
 * workspace's template judges/NAME.prompt (model/judgeprompt.h) and given
 * to COMMAND's standard input; its standard output is read as the answer
 * and saved as a label of rater judge:NAME (label_save, session.h), or,
 * when it fails, as a failure with the raw output kept (store_judge.h).
 * Calls run `jobs` at a time (judgeproc.h); each has a timeout and
 * retries with a doubling pause. An answered (item hash, prompt hash) is
 * never sent again: a run stopped by Ctrl-C, a kill or a crash goes on
 * where it stopped. No network, no key: the command does the asking. */
#ifndef GOLDSET_JUDGE_H
#define GOLDSET_JUDGE_H
#include "app/ws.h"
#include "store/store_judge.h"

#define JUDGE_PREFIX "judge:"

struct judge_opts {
	const char *judge;        /* the rater, "judge:NAME" */
	const char *cmd;          /* run by /bin/sh -c; NULL for what only reads */
	const char *rubric;       /* NULL: the workspace's default */
	const char *set;          /* NULL: every set */
	const char *prompt_file;  /* a template to copy to judges/NAME.prompt first, or NULL */
	int jobs;                 /* calls at once */
	double timeout;           /* seconds per call */
	int retries;              /* tries after the first that failed */
	double backoff;           /* seconds before the first retry; doubles each time */
	int both_orders;          /* pairwise: every comparison both ways round */
};

struct judge_progress {
	long long total;          /* calls the run covers: cached + to send */
	long long cached;         /* answered before (not sent) */
	long long answered, failed;   /* of the calls sent, so far */
	long long running;
	double elapsed;           /* seconds since the first call */
	double eta;               /* seconds still to go, < 0 unknown */
};

/* what a run tells as it goes (each may be NULL) */
struct judge_hooks {
	void (*progress)(void *ctx, const struct judge_progress *p);
	/* a call failed: retry > 0 when it is tried again (that try), 0 when
	 * it is recorded as a failure; a and b name the systems shown as A and B */
	void (*failed)(void *ctx, const char *ext_id, const char *a, const char *b, const char *why, int retry);
	void *ctx;
};

struct judge_result {
	struct judge_progress p;
	char *rubric;             /* the rubric judged (malloc'd) */
	char *template_rel;       /* "judges/NAME.prompt" (malloc'd) */
	int template_created;     /* written from the default template (or --prompt) in this run */
	int stopped;              /* the signal that stopped the run, or 0 */
};
void judge_result_free(struct judge_result *r);

/* EX_USAGE after one line on stderr unless judge is "judge:NAME" with NAME a name */
int judge_name_check(const char *judge);
/* the run. 0 when every call ended (answered or failed), else an error
 * (e set), or 0 with res->stopped set when a signal stopped it */
int judge_run(struct ws *w, const struct judge_opts *o, const struct judge_hooks *h, struct judge_result *res,
	      struct gs_err *e);
/* the prompts the run would send for item ext_id (one, or one per
 * comparison), each given to cb; EX_NOINPUT for an unknown item */
int judge_prompts_of(struct ws *w, const struct judge_opts *o, const char *ext_id,
		     int (*cb)(void *ctx, const char *prompt), void *ctx, struct gs_err *e);
/* the calls whose last try failed, on the current items (rubric NULL: all) */
int judge_failures_each(struct ws *w, const char *judge, const char *rubric,
			int (*cb)(void *ctx, const struct store_judge_call *c), void *ctx, struct gs_err *e);
#endif
