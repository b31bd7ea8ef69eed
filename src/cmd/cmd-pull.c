/* cmd-pull.c: `goldset pull [REMOTE]`: fetches the current branch's
 * counterpart on REMOTE (default origin) and fast-forwards or merges it;
 * shared files (labels, consensus, batches, reviews) merge by the
 * last-writer-wins rule of lwwmerge.h, so they never conflict.  Then it
 * loads HEAD into the working store (sync.h), also when it was already up
 * to date: golden sets, rubrics, and every label not seen yet, where the
 * newer of the store's and the file's label of a key wins.
 *
 * Order and failure: vcs_pull changes nothing at all when it fails (a true
 * conflict in a file goldset does not own, uncommitted changes in the way,
 * an unreachable remote).  Loading is idempotent, so a pull killed after
 * its merge is completed by the next pull or commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "app/labelfiles.h"
#include "model/lwwmerge.h"
#include "app/sync.h"
#include "vcs/tagnotes.h"
#include "base/text.h"
#include "vcs/vcs.h"
#include "app/ws.h"

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

static void say_loaded(const struct sync_stats *st)
{
	if (st->golden_files || st->label_files)
		printf("loaded: %lld item%s added and %lld changed (%zu set file%s), %lld label%s added or changed "
		       "(%zu label file%s)\n", st->items_added, gs_s(st->items_added), st->items_changed, st->golden_files,
		       st->golden_files == 1 ? "" : "s", st->labels_added, gs_s(st->labels_added), st->label_files,
		       st->label_files == 1 ? "" : "s");
	if (st->labels_older)
		printf("kept %lld newer label%s made here over older ones that arrived (goldset commit shares them)\n",
		       st->labels_older, st->labels_older == 1 ? "" : "s");
}

static int load(struct ws *w, struct vcs *r, struct gs_err *e)
{
	struct sync_stats st;
	int rc = sync_load(w, r, 0, &st, e);
	if (rc)
		return gs_fail(e, rc, "pulled, but cannot load what arrived: %s; fix it (or ask its author), "
			       "then run goldset pull again", e->msg);
	say_loaded(&st);
	return 0;
}

/* shared files changed in the working tree (by hand, or left half written
 * by a pull that was killed) are loaded into the store first, then put
 * back as HEAD has them: the store holds their labels, and the next commit
 * writes them again, so nothing is lost and nothing stands in the way */
static int absorb_worktree(struct ws *w, struct vcs *r, struct gs_err *e)
{
	struct sync_stats st;
	int rc = sync_absorb_dirty(w, r, &st, e);
	if (rc) return gs_fail(e, rc, "cannot pull: %s; nothing was changed", e->msg);
	sync_say_older(&st);
	return vcs_restore(r, lww_is_shared, e);
}

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	const char *remote = a->argc ? a->argv[0] : "origin";
	struct gs_err e = {0};
	struct vcs *r = NULL;
	struct vcs_pull_result res = {0};
	int lock = -1;
	int rc = vcs_open(ctx->ws->root, &r, &e);
	if (!rc) rc = labelfiles_lock(ctx->ws, &lock, &e);
	if (!rc) rc = absorb_worktree(ctx->ws, r, &e);
	if (!rc) rc = vcs_pull(r, remote, &sync_merger, &res, &e);
	if (!rc) say_pulled(r, remote, &res);
	tagnotes_fetched(&res.tags, remote);
	vcs_tags_free(&res.tags);
	if (!rc) rc = load(ctx->ws, r, &e);
	if (rc) gs_report(&e);
	labelfiles_unlock(lock);
	vcs_close(r);
	return rc;
}

const struct cmd_entry cmd_pull = {
	.name = "pull",
	.usage = "goldset pull [REMOTE]",
	.summary = "fetch and merge the remote's label sets, then load what arrived into the working store",
	.example = "goldset pull origin",
	.flags = CMD_WS_WRITE,
	.max_args = 1,
	.run = run,
};
