/* cmd-init.c: `goldset init [--rebuild] [DIR]`: creates a workspace, or
 * adopts an existing one (a clone) and loads its golden sets, rubrics and
 * labels (HEAD's, through sync.h, and the working tree's); sets up the
 * merge driver of shared files. --rebuild replaces a store that cannot be
 * trusted (rebuild.h). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "rebuild.h"
#include "sync.h"
#include "ws.h"

static int init(const char *dir)
{
	struct ws w;
	struct gs_err e = {0};
	int created;
	if (ws_init(dir, &w, &created, &e)) return gs_report(&e);
	if (sync_load_head(&w, &e)) {
		ws_close(&w);
		return gs_report(&e);
	}
	long long items = 0;
	store_item_count(w.st, NULL, &items, &e);
	gs_printf(stdout, "%s goldset workspace in %s (%lld items)\n", created ? "Initialized" : "Reinitialized existing",
		  w.root, items);
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

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	const char *dir = NULL;
	int rebuild_it = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rebuild") == 0) rebuild_it = 1;
		else if (argv[i][0] == '-') return cmd_usage(&cmd_init, "unknown option %s", argv[i]);
		else if (dir) return cmd_usage(&cmd_init, "too many arguments");
		else dir = argv[i];
	}
	if (!dir) dir = ctx->dir ? ctx->dir : ".";
	return rebuild_it ? rebuild(dir) : init(dir);
}

const struct cmd_entry cmd_init = {
	"init", "goldset init [--rebuild] [DIR]",
	"create a workspace (or adopt a clone and load its sets, rubrics and labels; --rebuild: replace a damaged store)",
	run,
};
