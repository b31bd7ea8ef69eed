/* cmd-import-labels.c: `goldset import-labels FILE... [--as RATER]
 * [--rubric R]`: loads labels made elsewhere (an LLM judge, another tool)
 * in the label-line shape, validated against rubric and items, all or
 * nothing. Re-importing the same file changes nothing. With --from, the
 * graders' scores of promptfoo or Inspect results (presets.h), mapped to
 * criteria with --map GRADER=CRITERION. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/ingest.h"
#include "model/jsoncheck.h"

static void print_stats(const struct label_stats *st)
{
	printf("imported %lld label%s: %lld added or changed, %lld unchanged\n", st->lines, gs_s(st->lines), st->added,
	       st->unchanged);
	if (st->older)
		printf("%lld of them older than the label the workspace has for the same key (by \"at\"): "
		       "kept the newer\n", st->older);
}

/* --from PRESET: --rubric and --as are needed, --map maps graders */
static int run_preset(struct gs_ctx *ctx, const struct cmd_args *a, enum preset p)
{
	const char *as = args_get(a, "as"), *rubric = args_get(a, "rubric"), *s;
	if (!as || !rubric) return cmd_usage(&cmd_import_labels, "--from needs --as RATER and --rubric R");
	if (jsoncheck_usage("--as", as) || jsoncheck_usage("--rubric", rubric)) return EX_USAGE;
	struct preset_map map = {0};
	struct gs_err e = {0};
	for (size_t i = 0; (s = args_nth(a, "map", i)); i++)
		if (preset_map_parse(s, &map, &e)) {
			preset_map_free(&map);
			return cmd_usage(&cmd_import_labels, "%s", e.msg);
		}
	struct label_stats st;
	struct preset_label_stats pst;
	int rc = ingest_labels_preset(ctx->ws, p, a->argv, (size_t)a->argc, as, rubric, &map, &st, &pst, &e);
	if (rc) gs_report(&e);
	else {
		print_stats(&st);
		if (pst.unmapped) printf("%lld scores of graders that map to no criterion of %s: left out\n",
					 pst.unmapped, rubric);
		if (pst.no_value) printf("%lld scores gave no value (no answer, or partial on a binary criterion)\n",
					 pst.no_value);
	}
	preset_map_free(&map);
	return rc;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	const char *from = args_get(a, "from");
	enum preset p = PRESET_JSONL;
	if (from && preset_parse(from, &p))
		return cmd_usage(&cmd_import_labels, "--from takes %s (not %s)", PRESET_NAMES, from);
	if (p != PRESET_JSONL) return run_preset(ctx, a, p);
	if (args_has(a, "map")) return cmd_usage(&cmd_import_labels, "--map goes with --from");
	const char *as = args_get(a, "as"), *rubric = args_get(a, "rubric");
	if (as && jsoncheck_usage("--as", as)) return EX_USAGE;
	struct gs_err e = {0};
	struct label_stats st;
	int rc = ingest_labels(ctx->ws, a->argv, (size_t)a->argc, as, rubric, "import", &st, &e);
	if (rc) gs_report(&e);
	else print_stats(&st);
	return rc;
}

static const struct cmd_option options[] = {
	{"as", 0, CMD_ARG_REQUIRED, "RATER", "the rater of every line (replaces the lines' own)"},
	{"rubric", 0, CMD_ARG_REQUIRED, "R", "the rubric of every line (replaces the lines' own)"},
	{"from", 0, CMD_ARG_REQUIRED, "PRESET", "the graders' scores of promptfoo, inspect or openai-evals results"},
	{"map", 0, CMD_ARG_REQUIRED, "GRADER=CRIT,...", "with --from: the criterion each grader's score goes to"},
	{0},
};

const struct cmd_entry cmd_import_labels = {
	.name = "import-labels",
	.usage = "goldset import-labels FILE... [--as RATER] [--rubric R]\n"
		 "       goldset import-labels --from promptfoo|inspect|openai-evals FILE... --as judge:NAME --rubric R\n"
		 "                             [--map GRADER=CRITERION,...]",
	.summary = "load labels made elsewhere (an LLM judge: --as judge:NAME), all or nothing",
	.options = options,
	.example = "goldset import-labels judge.jsonl --as judge:gpt-4o",
	.flags = CMD_WS_WRITE,
	.min_args = 1,
	.max_args = -1,
	.args_missing = "no file given",
	.run = run,
};
