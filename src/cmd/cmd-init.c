/* cmd-init.c: `goldset init [DIR]`: creates a workspace, or adopts an
 * existing one (a clone) and loads its golden sets, rubrics and labels
 * (HEAD's, through sync.h, and the working tree's); sets up the merge
 * driver of shared files. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "sync.h"
#include "ws.h"

/* a clone: everything its commits share, into the store */
static int load_head(struct ws *w, struct gs_err *e)
{
	struct vcs *r;
	struct sync_stats st;
	if (vcs_open(w->root, &r, e)) return e->code;
	int rc = sync_load(w, r, 0, &st, e);
	vcs_close(r);
	return rc;
}

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	if (argc > 2) return cmd_usage(&cmd_init, "too many arguments");
	if (argc == 2 && argv[1][0] == '-') return cmd_usage(&cmd_init, "unknown option %s", argv[1]);
	const char *dir = argc == 2 ? argv[1] : ctx->dir ? ctx->dir : ".";
	struct ws w;
	struct gs_err e = {0};
	int created;
	if (ws_init(dir, &w, &created, &e)) return gs_report(&e);
	if (load_head(&w, &e)) {
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

const struct cmd_entry cmd_init = {
	"init", "goldset init [DIR]",
	"create a workspace (or adopt a clone and load its sets, rubrics and labels)", run,
};
