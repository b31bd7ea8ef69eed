/* cmd-push.c: `goldset push [REMOTE]`: pushes the current branch to the
 * branch of the same name on REMOTE (default origin) through libgit2, with
 * every tag on the branch's history that REMOTE lacks (so `agree --at TAG`
 * works in every clone), and says which.  Never forced: when the remote
 * has commits this clone lacks, it says to pull first and exits 75 having
 * pushed nothing; a tag REMOTE has on another commit is left as it is
 * there, named in one line on stderr, and the command exits 65 once the
 * branch and the other tags are pushed.  Labels still only in the working
 * store are not pushed: commit them first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "vcs/tagnotes.h"
#include "base/text.h"
#include "vcs/vcs.h"
#include "app/ws.h"

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	const char *remote = a->argc ? a->argv[0] : "origin";
	struct gs_err e = {0};
	struct vcs *r = NULL;
	struct vcs_push_result res;
	int rc = vcs_open(ctx->ws->root, &r, &e);
	if (!rc) rc = vcs_push(r, remote, &res, &e);
	if (rc) {
		gs_report(&e);
	} else {
		char *tags = tagnotes_copied(&res.tags);
		if (res.up_to_date) gs_printf(stdout, "%s already has %s at %.7s%s%s\n", remote, res.branch, res.id,
					      *tags ? "; pushed " : "", tags);
		else gs_printf(stdout, "pushed %s to %s (%.7s)%s%s\n", res.branch, remote, res.id, *tags ? ", " : "", tags);
		fflush(stdout);
		tagnotes_conflicts(&res.tags, remote, 1);
		if (vcs_tags_count(res.tags.conflicts)) rc = EX_DATAERR;
		free(tags);
		vcs_tags_free(&res.tags);
	}
	vcs_close(r);
	return rc;
}

const struct cmd_entry cmd_push = {
	.name = "push",
	.usage = "goldset push [REMOTE]",
	.summary = "push the committed label sets and their tags to a git remote (default origin); never forced",
	.example = "goldset push origin",
	.flags = CMD_WS_WRITE,
	.max_args = 1,
	.run = run,
};
