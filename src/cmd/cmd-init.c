/* cmd-init.c: `goldset init [--rebuild] [DIR]`: creates a workspace, or
 * adopts an existing one (a clone) and loads its golden sets, rubrics and
 * labels (HEAD's, through sync.h, and the working tree's); sets up the
 * merge driver of shared files. --rebuild replaces a store that cannot be
 * trusted (rebuild.h). */
#include <stdio.h>

#include "cmd/cmd.h"
#include "app/rebuild.h"
#include "app/sync.h"
#include "app/workspace.h"

static int init(const char *dir)
{
	struct ws w;
	struct gs_err e = {0};
	int created;
	if (workspace_init(dir, &w, &created, &e)) return gs_report(&e);
	if (sync_load_head(&w, &e)) {
		ws_close(&w);
		return gs_report(&e);
	}
	long long items = 0;
	store_item_count(w.st, NULL, &items, &e);
	gs_printf(stdout, "%s goldset workspace in %s (%lld item%s)\n", created ? "Initialized" : "Reinitialized existing",
		  w.root, items, gs_s(items));
	ws_close(&w);
	return 0;
}

static int rebuild(const char *dir)
{
	struct ws w;
	struct gs_err e = {0};
	if (ws_rebuild(dir, &w, &e)) return gs_report(&e);
	ws_close(&w);
	return 0;
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	const char *dir = a->argc ? a->argv[0] : ctx->dir ? ctx->dir : ".";
	return args_has(a, "rebuild") ? rebuild(dir) : init(dir);
}

static const struct cmd_option options[] = {
	{"rebuild", 0, CMD_ARG_NONE, NULL,
	 "replace a store that cannot be trusted (kept aside) by one built from the files"},
	{0},
};

const struct cmd_entry cmd_init = {
	.name = "init",
	.usage = "goldset init [--rebuild] [DIR]",
	.summary = "create a workspace (or adopt a clone and load its sets, rubrics and labels; "
		   "--rebuild: replace a damaged store)",
	.options = options,
	.example = "goldset init evals",
	.max_args = 1,
	.run = run,
};
