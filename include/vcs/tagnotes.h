/* tagnotes.h: how `push` and `pull` tell which tags travelled (struct
 * vcs_tags, from vcs.h): the names for their summary line, and one line on
 * standard error for each tag the two sides have on different commits.
 * Names come from remotes: everything printed is escaped (text.h). */
#ifndef GOLDSET_TAGNOTES_H
#define GOLDSET_TAGNOTES_H
#include "vcs/vcs.h"

/* "1 tag: t1" / "3 tags: a, b, c" (the first ten names, then "and N
 * more"); "" when none was copied.  xmalloc'd. */
char *tagnotes_copied(const struct vcs_tags *t);
/* One line per conflict on stderr: pushing, the tag was not pushed; else
 * (fetching) the local tag was kept.  remote names the remote. */
void tagnotes_conflicts(const struct vcs_tags *t, const char *remote, int pushing);
/* after a pull: "fetched 1 tag from REMOTE: t1" on stdout when tags
 * arrived, then the conflicts */
void tagnotes_fetched(const struct vcs_tags *t, const char *remote);
#endif
