/* lwwmerge.h: the merge rule of the files a team shares through git
 * (labels/RUBRIC/RATER.jsonl, consensus/RUBRIC.jsonl, reviews/SESSION.jsonl,
 * batches/NAME.jsonl): last writer wins, per key.
 *
 * Every line is a JSON object with key fields and a time "at" (ISO 8601
 * UTC).  Merging two versions of a file gives the union of their lines
 * with, per key, the line of the later time; equal times are decided by
 * the line's bytes (the greater wins), so every machine decides alike.  A
 * withdrawn value is a line of its own (a tombstone), never a missing line.
 * The merge is commutative, associative and idempotent: it never
 * conflicts, and no order of merges brings an older value back.  `goldset
 * pull` and the git merge driver (`goldset merge-driver`) both use it. */
#ifndef GOLDSET_LWWMERGE_H
#define GOLDSET_LWWMERGE_H
#include "base/util.h"

/* 1 when rel (a path in the workspace, '/' separators) is a file merged by this rule */
int lww_is_shared(const char *rel);
/* the key fields of rel's kind of line, NULL-terminated (labels also key on
 * rubric, rater and the pair of systems); NULL when rel is not shared */
const char *const *lww_key_fields(const char *rel);
/* 1 when line a (time at_a, ms; -1: none) beats line b */
int lww_newer(int64_t at_a, const char *a, size_t alen, int64_t at_b, const char *b, size_t blen);
/* the merge of two versions of rel appended to out, one line per key, in
 * key order, each ending in a newline.  A line that is not a JSON object,
 * or whose at is not a time, is EX_DATAERR "REL:LINE: ... (field)". */
int lww_merge(const char *rel, const char *a, size_t alen, const char *b, size_t blen, struct sbuf *out,
	      struct gs_err *e);
#endif
