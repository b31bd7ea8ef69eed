/* cmd-import.c: `goldset import FILE... [--set NAME] [--map SPEC]
 * [--sample N --stratify KEY --seed S]`: loads golden-set JSONL into the
 * store, all or nothing, and writes golden/SET.jsonl. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ingest.h"
#include "jsoncheck.h"

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{"set", required_argument, 0, 's'}, {"map", required_argument, 0, 'm'},
		{"sample", required_argument, 0, 'n'}, {"stratify", required_argument, 0, 't'},
		{"seed", required_argument, 0, 'S'}, {0, 0, 0, 0}};
	struct import_opts o = {.write_golden = 1, .progress = ctx->err_tty};
	struct item_map map = {0};
	struct gs_err e = {0};
	long v;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 's': o.set = optarg; break;
		case 'm':
			item_map_free(&map);
			if (item_map_parse(optarg, &map, &e)) return cmd_usage(&cmd_import, "%s", e.msg);
			o.map = &map;
			break;
		case 'n':
			if (parse_long(optarg, &v) || v < 1) return cmd_usage(&cmd_import, "--sample takes a positive number");
			o.sample = v;
			break;
		case 't': o.stratify = optarg; break;
		case 'S':
			if (parse_long(optarg, &v)) return cmd_usage(&cmd_import, "--seed takes a number");
			o.seed = (unsigned long long)v;
			break;
		case ':': return cmd_usage(&cmd_import, "%s needs a value", argv[optind - 1]);
		default: return cmd_usage(&cmd_import, "unknown option %s", argv[optind - 1]);
		}
	}
	if (optind >= argc) return cmd_usage(&cmd_import, "no file given");
	if (o.stratify && !o.sample) return cmd_usage(&cmd_import, "--stratify goes with --sample");
	if (o.set && jsoncheck_usage("--set", o.set)) {
		item_map_free(&map);
		return EX_USAGE;
	}
	struct ws w;
	if (ws_open(ctx, &w, &e)) {
		item_map_free(&map);
		return gs_report(&e);
	}
	struct import_stats st;
	int rc = ingest_items(&w, argv + optind, (size_t)(argc - optind), &o, &st, &e);
	if (rc) gs_report(&e);
	else
		printf("imported %lld items: %lld added, %lld changed, %lld unchanged\n", st.lines, st.added, st.changed,
		       st.unchanged);
	if (!rc && st.changed)
		printf("%lld items changed: their earlier labels are kept and reported as stale\n", st.changed);
	ws_close(&w);
	item_map_free(&map);
	return rc;
}

const struct cmd_entry cmd_import = {
	"import", "goldset import FILE... [--set NAME] [--map SPEC] [--sample N [--stratify KEY] [--seed S]]",
	"load golden-set items from JSONL (all or nothing)", run,
};
