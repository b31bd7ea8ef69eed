/* labelline.h: label lines (HACKING "Label lines"): the one JSON shape
 * used by labels/<rubric>/<rater>.jsonl, `export --format jsonl` and
 * `import-labels`. Keys in a fixed order so two exports of the same labels
 * are byte-identical: id, rubric, rubric_version, rater, left, right (a
 * pairwise label) or system (a single-mode label of one output of an item
 * with several), labels, note, batch, at.  A withdrawn label is a line of its own whose
 * labels are null (a tombstone, with its time). Also the rater-name -> file-name encoding. */
#ifndef GOLDSET_LABELSET_H
#define GOLDSET_LABELSET_H
#include "base/util.h"

/* a label decision as the store keeps it (one row) */
struct store_label {
	long long id;
	long long item_row;        /* items.id the label was made on (its version) */
	const char *ext_id;
	const char *rubric;
	int rubric_version;
	const char *rubric_hash;
	const char *rater;
	const char *login;         /* who ran goldset */
	const char *vals;          /* JSON object criterion -> value; NULL = withdrawn */
	const char *note;
	const char *left_sys, *right_sys;  /* pairwise: as shown; one output of several labeled
					    * pointwise: left_sys its system, right_sys NULL; NULL otherwise */
	const char *pair_key;      /* pairwise: labelline_pair_key; one output: labelline_system_key;
				    * "" otherwise */
	const char *sides;         /* pairwise: JSON criterion -> "A"/"B"/"tie" as chosen */
	double seconds;            /* time spent on the item; <0 unknown */
	const char *source;        /* "screen", "import", "pull", "undo", "review" */
	const char *batch;         /* calibration batch or NULL */
	const char *at;            /* ISO 8601 UTC; NULL = now */
	int stale;                 /* (read only) made on an older item version */
};

struct label_line {
	char *id, *rubric, *rater;
	char *labels;             /* JSON object text; NULL: withdrawn (a tombstone, "labels": null) */
	char *note, *at, *left, *right;
	char *system;             /* a single-mode label of one output of several, or NULL */
	char *batch;              /* the calibration batch it was made in, or NULL */
	int rubric_version;       /* -1 if absent */
};
/* parses one line; rubric and rater may be absent (NULL) */
int labelline_parse(const char *line, size_t len, const char *file, long lineno, struct label_line *out,
		   struct gs_err *e);
void label_line_free(struct label_line *l);
/* one canonical line of a label row, keys in a fixed order, without
 * newline (malloc'd) */
char *labelline_format(const struct store_label *l);
/* a rater name as a safe file name: [A-Za-z0-9._-] kept, everything else
 * (and a leading '.') as %XX; never empty. Reversible by labelline_unescape. */
char *labelline_file_name(const char *rater);
char *labelline_unescape(const char *name);
/* the key of a pairwise comparison: the two system names sorted, as a JSON
 * array (so no name can be confused with another) */
char *labelline_pair_key(const char *a, const char *b);
/* the key of one system's output labeled on its own: ["SYS"] (never equal
 * to a pair's key, which has two names, nor to "") */
char *labelline_system_key(const char *sys);
#endif
