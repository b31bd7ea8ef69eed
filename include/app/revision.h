/* revision.c: label sets as a git revision holds them, read through vcs.h
 * without touching the working tree or the index, and label sets compared.
 *
 * Used by `goldset agree --at REV` (labelsat_each hands every label line of
 * a revision to a callback), `goldset diff` and the summary of `goldset
 * commit` (la_set / la_compare: which labels were added, changed, removed).
 * Loading revisions into the store is sync.h's.  No SQL and no libgit2
 * here: git through vcs.h.  Label values are read with cJSON (the
 * label-line shape belongs to labelline.h). */
#ifndef GOLDSET_LABELSAT_H
#define GOLDSET_LABELSAT_H
#include <glib.h>

#include "model/labelline.h"
#include "vcs/vcs.h"
#include "app/ws.h"

/* ---- reading a revision ---- */

/* A label line; rubric and rater are always filled in (from the path
 * labels/RUBRIC/RATER.jsonl when the line leaves them out).  where names
 * the line for messages: "REV:labels/qa/alice.jsonl:12". */
typedef int (*labelsat_fn)(void *ctx, const struct label_line *l, const char *where);

/* Every label line of every labels/RUBRIC/RATER.jsonl at rev (rubric NULL:
 * every rubric), file by file in git's order, lines in file order.  fn
 * returns non-zero to stop (that value is returned; fill e first).  A bad
 * line is EX_DATAERR naming rev, file and line.  No labels/ at rev: no calls. */
int labelsat_each(struct vcs *r, const char *rev, const char *rubric, labelsat_fn fn, void *ctx,
		  struct gs_err *e);

/* The same for the text of one label file; path ("labels/qa/alice.jsonl")
 * gives the default rubric and rater, where_prefix starts messages. */
int labelsat_text_each(const char *text, size_t len, const char *path, const char *where_prefix,
		       labelsat_fn fn, void *ctx, struct gs_err *e);

/* "labels/RUBRIC/NAME.jsonl" -> rubric and rater (malloc'd); 0 when path is
 * not a label file */
int labelsat_path(const char *path, char **rubric, char **rater);

/* ---- comparing label sets ---- */

/* one label, keyed by (rubric, rater, id, pair); strings are never NULL
 * ("" when absent).  sys_a/sys_b: the two systems of a pairwise label,
 * sorted ("" for a single-output label). */
struct la_rec {
	const char *rubric, *rater, *id, *sys_a, *sys_b;
	const char *left, *right, *labels, *note, *at;
	int rubric_version;
	long line;                /* line in its file (0: from the store) */
	size_t seq;               /* order of arrival: the later of two equal keys wins */
	char *block;              /* owns the strings */
};
/* a GArray of struct la_rec; {0} is an empty set */
struct la_set { GArray *v; };

void la_add_line(struct la_set *s, const struct label_line *l);
void la_add_label(struct la_set *s, const struct store_label *l);
/* sorts by key and keeps the last of equal keys (as loading would);
 * withdrawn labels (tombstones) are then left out */
void la_sort(struct la_set *s);
void la_free(struct la_set *s);

/* fn(old, new) for each difference of two sorted sets: old NULL: added;
 * new NULL: removed; both: values or note changed.  Labels that differ only
 * in time stamp or rubric version are not reported. */
typedef int (*la_diff_fn)(void *ctx, const struct la_rec *old, const struct la_rec *neu);
int la_compare(const struct la_set *old, const struct la_set *neu, la_diff_fn fn, void *ctx);

/* the values of a labels object as (criterion, value text) pairs, sorted by
 * criterion; a checklist is one pair per item, named "CRITERION/ITEM" */
struct la_kv { char *name, *value; };
size_t la_flatten(const char *labels_json, struct la_kv **out);
void la_kv_free(struct la_kv *kv, size_t n);
/* where a value's name ("CRITERION" or "CRITERION/ITEM") stands in rubric
 * r, as screens and files list it: its criteria in order, a checklist's
 * items in order; LONG_MAX for a name r does not have (or r NULL) */
long la_rubric_rank(const struct rubric *r, const char *name);
/* kv in that order, names of equal rank by name */
void la_kv_rubric_order(struct la_kv *kv, size_t n, const struct rubric *r);
/* the rubric named as the store holds it (nothing remembered), or NULL */
struct rubric *la_rubric(struct ws *w, const char *name);
#endif
