/* labelset.h: label lines (HACKING "Label lines"): the one JSON shape
 * used by labels/<rubric>/<rater>.jsonl, `export --format jsonl` and
 * `import-labels`. Keys in a fixed order so two exports of the same labels
 * are byte-identical: id, rubric, rubric_version, rater, left, right,
 * labels, note, batch, at.  A withdrawn label is a line of its own whose
 * labels are null (a tombstone, with its time). Also the rater-name -> file-name encoding. */
#ifndef GOLDSET_LABELSET_H
#define GOLDSET_LABELSET_H
#include "store.h"

struct label_line {
	char *id, *rubric, *rater;
	char *labels;             /* JSON object text; NULL: withdrawn (a tombstone, "labels": null) */
	char *note, *at, *left, *right;
	char *batch;              /* the calibration batch it was made in, or NULL */
	int rubric_version;       /* -1 if absent */
};
/* one canonical line, without newline (malloc'd) */
char *labelset_format(const struct store_label *l);
/* parses one line; rubric and rater may be absent (NULL) */
int labelset_parse(const char *line, size_t len, const char *file, long lineno, struct label_line *out,
		   struct gs_err *e);
void label_line_free(struct label_line *l);
/* a rater name as a safe file name: [A-Za-z0-9._-] kept, everything else
 * (and a leading '.') as %XX; never empty. Reversible by labelset_unescape. */
char *labelset_file_name(const char *rater);
char *labelset_unescape(const char *name);
/* the key of a pairwise comparison: the two system names sorted, as a JSON
 * array (so no name can be confused with another) */
char *labelset_pair_key(const char *a, const char *b);
#endif
