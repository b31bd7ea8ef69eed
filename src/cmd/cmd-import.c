/* cmd-import.c: `goldset import FILE... [--from PRESET] [--set NAME]
 * [--map SPEC] [--sample N --stratify KEY --seed S]`: loads golden-set
 * JSONL (or, with --from, another tool's results: presets.h) into the
 * store, all or nothing, and writes golden/SET.jsonl. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/ingest.h"
#include "model/jsoncheck.h"

/* the options into o; --map into map (each is checked, the last one counts) */
static int import_opts(const struct cmd_args *a, struct import_opts *o, struct item_map *map)
{
	const char *s;
	long v;
	struct gs_err e = {0};
	o->set = args_get(a, "set");
	if ((s = args_get(a, "from")) && preset_parse(s, &o->from))
		return cmd_usage(&cmd_import, "--from takes %s (not %s)", PRESET_NAMES, s);
	if (o->from != PRESET_JSONL && (args_has(a, "map") || args_has(a, "sample")))
		return cmd_usage(&cmd_import, "--map and --sample go with JSONL items, not with --from %s", s);
	o->stratify = args_get(a, "stratify");
	for (size_t i = 0; (s = args_nth(a, "map", i)); i++) {
		item_map_free(map);
		if (item_map_parse(s, map, &e)) return cmd_usage(&cmd_import, "%s", e.msg);
		o->map = map;
	}
	if ((s = args_get(a, "sample"))) {
		if (parse_long(s, &v) || v < 1) return cmd_usage(&cmd_import, "--sample takes a positive number");
		o->sample = v;
	}
	if ((s = args_get(a, "seed"))) {
		if (parse_long(s, &v)) return cmd_usage(&cmd_import, "--seed takes a number");
		o->seed = (unsigned long long)v;
	}
	if (o->stratify && !o->sample) return cmd_usage(&cmd_import, "--stratify goes with --sample");
	if (o->set && jsoncheck_usage("--set", o->set)) return EX_USAGE;
	return 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	struct import_opts o = {.write_golden = 1, .progress = ctx->err_tty};
	struct item_map map = {0};
	struct gs_err e = {0};
	int rc = import_opts(a, &o, &map);
	if (rc) {
		item_map_free(&map);
		return rc;
	}
	struct import_stats st;
	rc = ingest_items(ctx->ws, a->argv, (size_t)a->argc, &o, &st, &e);
	if (rc) gs_report(&e);
	else
		printf("imported %lld item%s: %lld added, %lld changed, %lld unchanged\n", st.lines, gs_s(st.lines), st.added, st.changed,
		       st.unchanged);
	if (!rc && st.changed)
		printf("%lld item%s changed: %s earlier labels are kept and reported as stale\n", st.changed, gs_s(st.changed),
		       st.changed == 1 ? "its" : "their");
	item_map_free(&map);
	return rc;
}

static const struct cmd_option options[] = {
	{"from", 0, CMD_ARG_REQUIRED, "PRESET", "the files' format: jsonl (default), promptfoo, inspect, openai-evals"},
	{"set", 0, CMD_ARG_REQUIRED, "NAME", "the set the items go into (default: the file's name without .jsonl)"},
	{"map", 0, CMD_ARG_REQUIRED, "SPEC", "read items of another shape: FIELD=PATH,... (id, input, output, ...)"},
	{"sample", 0, CMD_ARG_REQUIRED, "N", "import a random sample of N items instead of all"},
	{"stratify", 0, CMD_ARG_REQUIRED, "KEY", "with --sample: sample within each value of the meta field KEY"},
	{"seed", 0, CMD_ARG_REQUIRED, "S", "the seed of the sample (the same seed chooses the same items)"},
	{0},
};

const struct cmd_entry cmd_import = {
	.name = "import",
	.usage = "goldset import FILE... [--from PRESET] [--set NAME] [--map SPEC] [--sample N [--stratify KEY] [--seed S]]",
	.summary = "load golden-set items from JSONL (all or nothing)",
	.options = options,
	.example = "goldset import chats.jsonl --set support --map id=uuid,input=messages,output=reply",
	.flags = CMD_WS_WRITE,
	.min_args = 1,
	.max_args = -1,
	.args_missing = "no file given",
	.run = run,
};
