/* cmd-label.c: `goldset label [--rubric NAME] [--as RATER] [--set NAME]
 * [--filter KEY=VALUE] [--order file] [--overlap K] [--batch NAME]`: reads
 * the options, opens the workspace and the rubric (a calibration batch
 * brings its own and admits only its raters), then runs the labeling screen
 * (src/tui/label.c). Refuses without a terminal. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "label_screen.h"
#include "text.h"
#include "ws.h"

struct label_args {
	const char *rubric, *as, *set, *filter, *batch;
	long overlap;
	int file_order;
};

static int parse_args(int argc, char **argv, struct label_args *a)
{
	static const struct option opts[] = {
		{"rubric", required_argument, 0, 'r'}, {"as", required_argument, 0, 'a'},
		{"set", required_argument, 0, 's'},    {"filter", required_argument, 0, 'f'},
		{"order", required_argument, 0, 'o'},  {"overlap", required_argument, 0, 'k'},
		{"batch", required_argument, 0, 'b'},  {0, 0, 0, 0}};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'r': a->rubric = optarg; break;
		case 'a': a->as = optarg; break;
		case 's': a->set = optarg; break;
		case 'f': a->filter = optarg; break;
		case 'b': a->batch = optarg; break;
		case 'o':
			if (strcmp(optarg, "file") == 0) a->file_order = 1;
			else if (strcmp(optarg, "shuffled") == 0) a->file_order = 0;
			else return cmd_usage(&cmd_label, "--order is file or shuffled");
			break;
		case 'k':
			if (parse_long(optarg, &a->overlap) || a->overlap < 1 || a->overlap > 1000000)
				return cmd_usage(&cmd_label, "--overlap takes a positive number of raters");
			break;
		case ':': return cmd_usage(&cmd_label, "%s needs a value", argv[optind - 1]);
		default: return cmd_usage(&cmd_label, "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc) return cmd_usage(&cmd_label, "unexpected argument %s", argv[optind]);
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
			       .overlap = (int)a->overlap, .file_order = a->file_order};
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

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	struct label_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc) return rc;
	if (ws_rater_check(a.as)) return EX_USAGE;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return gs_die(EX_UNAVAILABLE, "label is an interactive screen: run it in a terminal");
	struct gs_err e = {0};
	struct ws w;
	if (ws_open(ctx, &w, &e)) return gs_report(&e);
	const char *rater = ws_rater(a.as);
	rc = run_screen(&w, &a, rater, &e);
	ws_close(&w);
	if (rc && rc < 128) return gs_report(&e);
	return rc;
}

const struct cmd_entry cmd_label = {
	"label",
	"goldset label [--rubric NAME] [--as RATER] [--set NAME] [--filter KEY=VALUE] [--order file]"
	" [--overlap K] [--batch NAME]",
	"label items against a rubric in a terminal screen (keys: ? inside)",
	run,
};
