/* shared.h: what a team shares besides labels, as files in git (src/app/shared.c):
 *
 *   batches/NAME.jsonl      a calibration batch: one "batch" line, and one
 *                           "revealed" line once its report was opened
 *   consensus/RUBRIC.jsonl  consensus values agreed in `calibrate discuss`
 *                           and `review`, one line per (item, criterion)
 *   reviews/SESSION.jsonl   the items a review session marked reviewed
 *
 * NAME, RUBRIC and SESSION are written as labelline_file_name() writes a
 * rater (characters outside [A-Za-z0-9._-] as %XX). Every line is a JSON
 * object with key fields (lww_key_fields in lwwmerge.h) and an "at" time; a file
 * holds one line per key, sorted by the key fields (their string values,
 * byte order, in the order listed), keys in a fixed order, so the same
 * store gives the same bytes. Two versions of a file merge as the union of
 * their lines, per key the one with the greater "at" (gs_at_ms),
 * equal times decided by the line bytes (the greater wins): the same rule
 * shared_file_load applies between a file and the store, so a merge never
 * conflicts and loading converges. man goldset-items(5) has the fields. */
#ifndef GOLDSET_SHARED_H
#define GOLDSET_SHARED_H
#include "base/util.h"

struct ws;

/* Every shared file goldset derives from the store, with its complete
 * content, in byte order of rel ('/' separators). fn returns non-zero to
 * stop (and fills e); that value is returned. Bytes are deterministic:
 * the same store gives the same bytes. */
typedef int (*shared_file_fn)(void *ctx, const char *rel, const char *data, size_t len);
int shared_files_each(struct ws *w, shared_file_fn fn, void *ctx, struct gs_err *e);

/* Loads one shared file's content (as committed by any teammate) into the
 * store, last writer wins per key: a line is applied only when it is newer
 * than what the store holds for its key (gs_at_ms, then the bytes of
 * the two lines in canonical form); loading twice changes nothing; two
 * lines of one key in a file are fine (the newer wins). Every line is
 * checked before anything is written; then one transaction, unless the
 * caller has one open (store_in_tx), whose commit or rollback is then the
 * caller's. Bad content: EX_DATAERR "REL:LINE: what (field)"; a rel that
 * is not a shared file: EX_DATAERR.
 * A batch that arrives with the name of a different local batch (two
 * teammates started the same name) is decided by the batch lines' "at" as
 * well; one line on stderr says which one was kept. */
int shared_file_load(struct ws *w, const char *rel, const char *data, size_t len, struct gs_err *e);

/* 1 when rel is a file shared_file_load reads: batches/X.jsonl,
 * consensus/X.jsonl or reviews/X.jsonl (X one non-empty file name) */
int shared_is_file(const char *rel);

#endif
