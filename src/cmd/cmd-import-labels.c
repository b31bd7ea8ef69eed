/* cmd-import-labels.c: `goldset import-labels FILE... [--as RATER]
 * [--rubric R]`: loads labels made elsewhere (an LLM judge, another tool)
 * in the label-line shape, validated against rubric and items, all or
 * nothing. Re-importing the same file changes nothing. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ingest.h"
#include "jsoncheck.h"

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {{"as", required_argument, 0, 'a'},
					     {"rubric", required_argument, 0, 'r'},
					     {0, 0, 0, 0}};
	const char *as = NULL, *rubric = NULL;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'a') as = optarg;
		else if (c == 'r') rubric = optarg;
		else if (c == ':') return cmd_usage(&cmd_import_labels, "%s needs a value", argv[optind - 1]);
		else return cmd_usage(&cmd_import_labels, "unknown option %s", argv[optind - 1]);
	}
	if (optind >= argc) return cmd_usage(&cmd_import_labels, "no file given");
	if (as && jsoncheck_usage("--as", as)) return EX_USAGE;
	struct gs_err e = {0};
	struct ws w;
	if (ws_open(ctx, &w, &e)) return gs_report(&e);
	struct label_stats st;
	int rc = ingest_labels(&w, argv + optind, (size_t)(argc - optind), as, rubric, "import", &st, &e);
	if (rc) gs_report(&e);
	else {
		printf("imported %lld labels: %lld added or changed, %lld unchanged\n", st.lines, st.added, st.unchanged);
		if (st.older)
			printf("%lld of them older than the label the workspace has for the same key (by \"at\"): "
			       "kept the newer\n", st.older);
	}
	ws_close(&w);
	return rc;
}

const struct cmd_entry cmd_import_labels = {
	"import-labels", "goldset import-labels FILE... [--as RATER] [--rubric R]",
	"load labels made elsewhere (an LLM judge: --as judge:NAME), all or nothing", run,
};
