/* cmd-pull.c: `goldset pull [REMOTE]`: fetches the current branch's
 * counterpart on REMOTE (default origin) and fast-forwards or merges it
 * (label files are per rater, so raters' work never conflicts); then loads
 * what arrived into the working store: changed golden/SET.jsonl sets,
 * rubrics, and the label lines that are new or changed.
 *
 * Order and failure: vcs_pull changes nothing at all when it fails (a true
 * conflict, uncommitted changes in the way, an unreachable remote).  The
 * store remembers the last commit whose files it has absorbed (setting
 * git.synced); loading goes from there to the new HEAD, so a load that
 * failed (a broken line in someone's file) is retried by the next pull or
 * commit, and loading twice changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "labelfiles.h"
#include "labelsat.h"
#include "text.h"
#include "vcs.h"
#include "ws.h"

static const char zeros[41] = "0000000000000000000000000000000000000000";

/* where loading starts: the last commit the store absorbed, else HEAD before the pull */
static void load_base(struct ws *w, struct vcs *r, const struct vcs_pull_result *res, char base[41])
{
	char *synced = NULL;
	struct gs_err ignore;
	store_setting_get(w->st, "git.synced", &synced, &ignore);
	if (!synced || !*synced || vcs_resolve(r, synced, base, &ignore) != 0) snprintf(base, 41, "%s", res->old_id);
	free(synced);
}

static void say_pulled(struct vcs *r, const char *remote, const struct vcs_pull_result *res)
{
	char *rm = text_escape(remote), *br = text_escape(vcs_branch(r) ? vcs_branch(r) : "HEAD");
	if (res->kind == VCS_UP_TO_DATE) printf("already up to date with %s\n", rm);
	else if (res->kind == VCS_FAST_FORWARD) printf("fast-forward %.7s..%.7s from %s\n", res->old_id, res->new_id, rm);
	else printf("merged %s/%s into %s: merge commit %.7s\n", rm, br, br, res->new_id);
	free(br);
	if (res->identity_fallback)
		fprintf(stderr, "goldset: notice: no git identity is configured (git config --global user.name "
			"NAME; git config --global user.email EMAIL); the merge was made as %s\n", res->who);
	free(rm);
}

static void say_loaded(const struct labelsat_loaded *st)
{
	if (!st->golden_files && !st->label_files) return;
	printf("loaded: %lld items added and %lld changed (%zu set file%s), %lld labels added or changed "
	       "(%zu label file%s)\n", st->items_added, st->items_changed, st->golden_files,
	       st->golden_files == 1 ? "" : "s", st->labels_added, st->label_files, st->label_files == 1 ? "" : "s");
}

static int load(struct ws *w, struct vcs *r, const struct vcs_pull_result *res, struct gs_err *e)
{
	char base[41];
	struct labelsat_loaded st;
	struct gs_err ignore;
	load_base(w, r, res, base);
	if (strcmp(base, res->new_id) == 0) return 0;
	int rc = labelsat_load_changes(w, r, strcmp(base, zeros) ? base : NULL, res->new_id, &st, e);
	if (rc)
		return gs_fail(e, rc, "pulled, but cannot load what arrived: %s; fix it (or ask its author), "
			       "then run goldset pull again", e->msg);
	say_loaded(&st);
	store_setting_set(w->st, "git.synced", res->new_id, &ignore);
	return 0;
}

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	if (argc > 2) return cmd_usage(&cmd_pull, "too many arguments");
	if (argc == 2 && argv[1][0] == '-') return cmd_usage(&cmd_pull, "unknown option %s", argv[1]);
	const char *remote = argc == 2 ? argv[1] : "origin";
	struct gs_err e = {0};
	struct ws w;
	struct vcs *r = NULL;
	struct vcs_pull_result res;
	int lock = -1;
	if (ws_open(ctx, &w, &e)) return gs_report(&e);
	int rc = vcs_open(w.root, &r, &e);
	if (!rc) rc = labelfiles_lock(&w, &lock, &e);
	if (!rc) rc = vcs_pull(r, remote, &res, &e);
	if (!rc) say_pulled(r, remote, &res);
	if (!rc) rc = load(&w, r, &res, &e);
	if (rc) gs_report(&e);
	labelfiles_unlock(lock);
	vcs_close(r);
	ws_close(&w);
	return rc;
}

const struct cmd_entry cmd_pull = {
	"pull", "goldset pull [REMOTE]",
	"fetch and merge the remote's label sets, then load what arrived into the working store", run,
};
