/* ingest.h: loading files into the store, all or nothing: golden-set JSONL
 * files (`import`, `init`, `pull`) and label files (`import-labels`,
 * `init` in a clone, `pull`). Each call is one transaction: any bad line
 * leaves the store (and golden/) exactly as before. */
#ifndef GOLDSET_INGEST_H
#define GOLDSET_INGEST_H
#include "model/items.h"
#include "model/presets.h"
#include "app/ws.h"

struct import_opts {
	const char *set;             /* --set, or NULL: the file's base name */
	const struct item_map *map;  /* --map, or NULL */
	long sample;                 /* --sample N (0: everything) */
	const char *stratify;        /* --stratify KEY (meta key, "meta." prefix allowed) */
	unsigned long long seed;
	int progress;                /* progress bar on stderr */
	int write_golden;            /* write golden/SET.jsonl for files outside golden/ */
	enum preset from;            /* --from: the files' format (PRESET_JSONL: item lines) */
};
struct import_stats { long long added, changed, unchanged, lines; };
int ingest_items(struct ws *w, char *const *files, size_t nfiles, const struct import_opts *o,
		 struct import_stats *st, struct gs_err *e);

/* added: rows appended; unchanged: the store already had the same label;
 * older: the store's label of that key is newer and was kept */
struct label_stats { long long added, unchanged, older, lines, files; };
/* Label lines are taken in last-writer-wins: a line is appended unless the
 * store's current label of its key (rubric, item, rater, pair) is the same
 * or newer (by "at", see lwwmerge.h); a line without "at" is a decision
 * made now.  A withdrawn label ("labels": null) is recorded as a tombstone.
 * rater: --as, or NULL (the line's rater, else the file name under labels/);
 * rubric: NULL (the line's, else the folder under labels/); source is
 * recorded on each row ("import", "pull"). One transaction for all files. */
int ingest_labels(struct ws *w, char *const *files, size_t nfiles, const char *rater, const char *rubric,
		  const char *source, struct label_stats *st, struct gs_err *e);
/* import-labels --from promptfoo|inspect|openai-evals: the graders' scores
 * of each file as labels of rater under rubric (presets.h has the rules),
 * one transaction; *pst counts graders mapped to nothing and scores that
 * gave no value */
int ingest_labels_preset(struct ws *w, enum preset p, char *const *files, size_t nfiles, const char *rater,
			 const char *rubric, const struct preset_map *map, struct label_stats *st,
			 struct preset_label_stats *pst, struct gs_err *e);
/* every labels/RUBRIC/RATER.jsonl of the workspace */
int ingest_label_tree(struct ws *w, const char *source, struct label_stats *st, struct gs_err *e);
/* Label files as git holds them (pull, commit, init), loaded in one
 * transaction: open, then the text of each file (rel "labels/RUBRIC/RATER.jsonl"
 * gives the defaults, where names it in messages), then close (ok 0: roll
 * back).  A batch label that arrives marks its rater's batch labels as
 * shared (see store_batch_share).  The newest time loaded raises the
 * store's clock. */
struct label_load;
int ingest_label_load_open(struct ws *w, const char *source, struct label_load **out, struct gs_err *e);
int ingest_label_load_text(struct label_load *L, const char *rel, const char *where, const char *text, size_t len,
			   struct gs_err *e);
int ingest_label_load_close(struct label_load *L, int ok, struct label_stats *st, struct gs_err *e);
/* lines so far older than the store's label of their key (not taken) */
long long ingest_label_load_older(const struct label_load *L);
/* after an import that died between committing and renaming its golden
 * files: rewrites them from the store (a no-op when nothing is pending) */
int ingest_repair_golden(struct ws *w, struct gs_err *e);
/* every golden/SET.jsonl of the workspace (only loads) */
int ingest_golden_tree(struct ws *w, struct import_stats *st, struct gs_err *e);
#endif
