/* sync.h: the working store kept in step with the files in git.
 *
 * git holds everything a team shares; the store (.goldset/goldset.db) is a
 * cache of it plus the work not committed yet.  `commit` loads what the
 * store has not seen of HEAD and of the working tree, then writes the
 * store's labels back (so a commit writes merge(store, HEAD's files));
 * `pull` merges the remote's files by the last-writer-wins rule of
 * lwwmerge.h, then loads HEAD, even when it was already up to date; `init`
 * in a clone loads HEAD.  Every load is idempotent and commutes with the
 * others, so a command killed at any moment is completed by the next one. */
#ifndef GOLDSET_SYNC_H
#define GOLDSET_SYNC_H
#include "vcs/vcs.h"
#include "app/ws.h"

struct sync_stats {
	long long items_added, items_changed;   /* from golden/SET.jsonl files that changed */
	long long labels_added;                 /* label rows taken in (newer than the store's) */
	long long labels_older;                 /* lines older than the store's label of their key: kept the newer */
	char older_file[300];                   /* the first file with such lines ("" if none) */
	size_t golden_files, label_files;
};
/* Loads HEAD (golden sets changed since the revision last loaded, rubrics,
 * every label file whose content was not absorbed yet) and records HEAD as
 * loaded; with worktree, also the label files of the working tree that
 * differ from what was absorbed.  A bad line is EX_DATAERR naming the
 * file and line; nothing of that step is loaded. */
int sync_load(struct ws *w, struct vcs *r, int worktree, struct sync_stats *st, struct gs_err *e);
/* loads the shared files of the working tree that differ from HEAD (by
 * hand, or left half written by a command that was killed), and only
 * those: what a pull is about to put back */
int sync_absorb_dirty(struct ws *w, struct vcs *r, struct sync_stats *st, struct gs_err *e);
/* a clone (`init`, `init --rebuild`): everything HEAD shares, into the store */
int sync_load_head(struct ws *w, struct gs_err *e);
/* one line on stderr when lines older than the store's were not taken */
void sync_say_older(const struct sync_stats *st);
/* records that the store holds everything of rel's content blob */
int sync_mark_absorbed(struct ws *w, const char *rel, const char *blob, struct gs_err *e);
/* marks the batch labels of every rater who finished a calibration batch
 * as shared (they go into the label files from then on) */
int sync_share_finished(struct ws *w, struct gs_err *e);
/* the merge rule of shared files, for vcs_pull */
extern const struct vcs_merger sync_merger;
#endif
