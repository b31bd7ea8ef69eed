/* cmd-merge-driver.c: `goldset merge-driver BASE OURS THEIRS PATH`: the git
 * merge driver of goldset's shared files, so that a teammate who runs
 * `git pull` by hand gets what `goldset pull` makes and never conflict
 * markers.  `goldset init` names it in .gitattributes and .git/config
 * (merge.goldset.driver = goldset merge-driver %O %A %B %P).
 *
 * The rule is lwwmerge.h's: the union of both versions' lines, the newer
 * line per key; the base is not needed.  The result replaces OURS, as git
 * asks; exit 0.  A version that cannot be read as label lines: one line on
 * stderr, OURS untouched, exit 1, which git reports as a conflict. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "model/lwwmerge.h"

static int run(struct gs_ctx *ctx, const struct cmd_args *a)
{
	(void)ctx;
	const char *ours_file = a->argv[1], *theirs_file = a->argv[2], *path = a->argv[3];   /* after BASE */
	struct gs_err e = {0};
	char *ours = NULL, *theirs = NULL;
	size_t olen = 0, tlen = 0;
	struct sbuf out = {0};
	int rc = read_file(ours_file, &ours, &olen, &e);
	if (!rc) rc = read_file(theirs_file, &theirs, &tlen, &e);
	if (!rc && !lww_is_shared(path))
		rc = gs_fail(&e, EX_USAGE, "%s is not a file goldset merges", path);
	if (!rc) rc = lww_merge(path, ours, olen, theirs, tlen, &out, &e);
	if (!rc) rc = write_file_atomic(ours_file, out.p ? out.p : "", out.len, &e);
	if (rc) gs_report(&e);
	sb_free(&out);
	free(ours);
	free(theirs);
	return rc ? 1 : 0;
}

const struct cmd_entry cmd_merge_driver = {
	.name = "merge-driver",
	.usage = "goldset merge-driver BASE OURS THEIRS PATH",
	.summary = "git's merge driver for shared files (set up by init): last writer wins per label",
	.example = "git config merge.goldset.driver 'goldset merge-driver %O %A %B %P'",
	.min_args = 4,
	.max_args = 4,
	.args_missing = "needs BASE OURS THEIRS PATH (git's %O %A %B %P)",
	.run = run,
};
