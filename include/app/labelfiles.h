/* labelfiles.h: writing the store's label sets into the working tree as
 * labels/<rubric>/<rater>.jsonl, and the other shared files of shared.h,
 * all or nothing, for `goldset commit`.
 *
 * One file per (rubric, rater): every current label of that rater, the
 * newest one per item even when it was made on an older version of the item
 * (a stale label is kept rather than lost), withdrawn ones as tombstones
 * ("labels": null), sorted by item id, each line
 * exactly as labelline_format() prints it, so the same labels always give the
 * same bytes.  Rater names become file names through labelline_file_name();
 * a rubric name that could leave labels/ is refused.
 *
 * The work is in three steps so that a failure anywhere (writing, or the git
 * commit that follows) leaves labels/ exactly as it was:
 *   labelfiles_prepare  writes each file that differs into a temporary file
 *                       under .goldset/tmp/ (nothing in labels/ is touched);
 *                       no label file is ever deleted;
 *   labelfiles_apply    renames them into place, keeping the old files aside
 *                       (on failure everything already moved is put back);
 *   labelfiles_undo     after apply: puts the old files back (the commit
 *                       failed); labelfiles_free drops temporaries and kept
 *                       old files.
 * labelfiles_lock serialises commits and pulls of one workspace. */
#ifndef GOLDSET_LABELFILES_H
#define GOLDSET_LABELFILES_H
#include <stddef.h>

#include "app/ws.h"


/* One label file as it is about to be: called for every (rubric, rater)
 * that has labels, then for every other shared file (batches/,
 * consensus/, reviews/: rubric and rater NULL; see shared.h).  data/len
 * are the whole new content, valid during the call.
 * nlines is the number of labels in it.  Return non-zero to stop (the
 * callback then fills the error given to labelfiles_prepare). */
struct lf_file {
	const char *rel;          /* "labels/qa/alice.jsonl" */
	const char *rubric, *rater;
	const char *data;
	size_t len;
	long long nlines;
	int same_as_disk;         /* the working tree already holds exactly this */
};
typedef int (*lf_file_fn)(void *ctx, const struct lf_file *f);

struct labelfiles;

int labelfiles_prepare(struct ws *w, lf_file_fn fn, void *ctx, struct labelfiles **out,
		       struct gs_err *e);
/* files that apply would write or delete */
size_t labelfiles_pending(const struct labelfiles *lf);
int labelfiles_apply(struct labelfiles *lf, struct gs_err *e);
void labelfiles_undo(struct labelfiles *lf);
void labelfiles_free(struct labelfiles *lf);

/* Takes .goldset/commit.lock (flock, released at exit or by unlock): one
 * commit or pull at a time per workspace.  EX_TEMPFAIL when held. */
int labelfiles_lock(struct ws *w, int *fd, struct gs_err *e);
void labelfiles_unlock(int fd);

/* The canonical label line of l (as labelline_format) appended to b without
 * a newline; fast for the usual labels, identical bytes in every case. */
struct sbuf;
void labelfiles_format(struct sbuf *b, const struct store_label *l);
#endif
