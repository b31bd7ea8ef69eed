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

#include "cmd.h"
#include "lwwmerge.h"

static int run(struct gs_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	if (argc != 5) return cmd_usage(&cmd_merge_driver, "needs BASE OURS THEIRS PATH (git's %%O %%A %%B %%P)");
	struct gs_err e = {0};
	char *ours = NULL, *theirs = NULL;
	size_t olen = 0, tlen = 0;
	struct sbuf out = {0};
	int rc = read_file(argv[2], &ours, &olen, &e);
	if (!rc) rc = read_file(argv[3], &theirs, &tlen, &e);
	if (!rc && !lww_is_shared(argv[4]))
		rc = gs_fail(&e, EX_USAGE, "%s is not a file goldset merges", argv[4]);
	if (!rc) rc = lww_merge(argv[4], ours, olen, theirs, tlen, &out, &e);
	if (!rc) rc = write_file_atomic(argv[2], out.p ? out.p : "", out.len, &e);
	if (rc) gs_report(&e);
	sb_free(&out);
	free(ours);
	free(theirs);
	return rc ? 1 : 0;
}

const struct cmd_entry cmd_merge_driver = {
	"merge-driver", "goldset merge-driver BASE OURS THEIRS PATH",
	"git's merge driver for shared files (set up by init): last writer wins per label", run,
};
