/* cmd-import-labels.c: `goldset import-labels FILE... [--as RATER]
 * [--rubric R]`: loads labels made elsewhere (an LLM judge, another tool)
 * in the label-line shape, validated against rubric and items, all or
 * nothing. Re-importing the same file changes nothing. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/ingest.h"
#include "model/jsoncheck.h"

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	const char *as = args_get(a, "as"), *rubric = args_get(a, "rubric");
	if (as && jsoncheck_usage("--as", as)) return EX_USAGE;
	struct gs_err e = {0};
	struct label_stats st;
	int rc = ingest_labels(ctx->ws, a->argv, (size_t)a->argc, as, rubric, "import", &st, &e);
	if (rc) gs_report(&e);
	else {
		printf("imported %lld label%s: %lld added or changed, %lld unchanged\n", st.lines, gs_s(st.lines), st.added,
		       st.unchanged);
		if (st.older)
			printf("%lld of them older than the label the workspace has for the same key (by \"at\"): "
			       "kept the newer\n", st.older);
	}
	return rc;
}

static const struct cmd_option options[] = {
	{"as", 0, CMD_ARG_REQUIRED, "RATER", "the rater of every line (replaces the lines' own)"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric of every line (replaces the lines' own)"},
	{0},
};

const struct cmd_entry cmd_import_labels = {
	.name = "import-labels",
	.usage = "goldset import-labels FILE... [--as RATER] [--rubric R]",
	.summary = "load labels made elsewhere (an LLM judge: --as judge:NAME), all or nothing",
	.options = options,
	.example = "goldset import-labels judge.jsonl --as judge:gpt-4o",
	.flags = CMD_WS_WRITE,
	.min_args = 1,
	.max_args = -1,
	.args_missing = "no file given",
	.run = run,
};
