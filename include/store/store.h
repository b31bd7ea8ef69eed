/* store.h: the SQLite working store (.goldset/goldset.db). store.c is the
 * only file that speaks SQL. Every decision is one appended row; current
 * values are derived (a `heads` table points at the newest row per key).
 * Strings handed to callbacks live only during the callback; strings
 * returned through out-parameters are malloc'd and the caller frees them.
 * Functions return 0 or a sysexits code with a message in *e. */
#ifndef GOLDSET_STORE_H
#define GOLDSET_STORE_H
#include "base/util.h"
#include "model/labelline.h"   /* struct store_label: a label row */

typedef struct store store;

/* How a store is opened. Every mode but STORE_CREATE wants an existing
 * file; every existing file is checked before it is used: an empty,
 * foreign or damaged file is refused (EX_DATAERR, one line naming it and
 * `goldset init --rebuild`), never taken for an empty store. */
enum store_mode {
	STORE_CREATE,     /* read-write; a missing file is created (init); migrates */
	STORE_WRITE,      /* read-write, the file must exist; migrates */
	STORE_READ,       /* read-only (SQLITE_OPEN_READONLY, immutable when the folder cannot
			   * hold the WAL index); no migration, nothing written */
};
int store_open_mode(const char *path, enum store_mode mode, store **out, struct gs_err *e);
int store_open(const char *path, store **out, struct gs_err *e);  /* STORE_CREATE */
int store_readonly(store *s);                     /* opened with STORE_READ */
void store_close(store *s);
int store_begin(store *s, struct gs_err *e);      /* BEGIN IMMEDIATE (waits if busy) */
int store_commit(store *s, struct gs_err *e);
void store_rollback(store *s);
int store_in_tx(const store *s);                  /* 1 between store_begin and store_commit/rollback */
int store_integrity_ok(store *s, struct gs_err *e);
int store_schema_version(store *s);

/* ---- items ---- */
struct store_item {
	long long id;           /* row id of this version */
	const char *ext_id;     /* the item's id in its set ("q-017") */
	const char *set;
	const char *hash;       /* content hash of `json` */
	const char *kind;       /* "single" | "pairwise" */
	const char *json;       /* canonical item line */
	const char *meta;       /* JSON object text */
	const char *imported_at;
	int version, is_current, has_gold;
	long long ord;          /* position in its file */
	long long out_len;      /* output length in characters */
};
enum { STORE_ADDED = 1, STORE_CHANGED, STORE_UNCHANGED };
/* inside a transaction: adds the item, or a new version when its hash
 * changed; *outcome is STORE_ADDED / CHANGED / UNCHANGED. An id that belongs
 * to another set is an EX_DATAERR. */
int store_item_put(store *s, const struct store_item *it, int *outcome, struct gs_err *e);
/* around many store_item_put in one transaction (an import): a large load
 * builds the label queue's shuffle index once at the end instead of row by
 * row, and the end counts the label queue's items for its first start.
 * store_bulk_end before the commit; a rollback ends it too. */
int store_bulk_begin(store *s, struct gs_err *e);
int store_bulk_end(store *s, struct gs_err *e);
/* current version of ext_id; 0, or EX_NOINPUT when there is none.
 * Fill-in copies: free with store_item_free. */
int store_item_get(store *s, const char *ext_id, struct store_item *out, struct gs_err *e);
int store_item_get_id(store *s, long long row_id, struct store_item *out, struct gs_err *e);
void store_item_free(struct store_item *it);
struct store_item_query {
	const char *set;          /* NULL: every set */
	const char *meta_key;     /* with meta_value: json meta.key == value */
	const char *meta_value;
	const char *kind;         /* NULL, "single", "pairwise" */
	int by_id;                /* order by id (byte order) instead of set, file order */
};
/* current items in set/file order; cb returns non-zero to stop */
int store_items_each(store *s, const struct store_item_query *q,
		     int (*cb)(void *ctx, const struct store_item *it), void *ctx, struct gs_err *e);
int store_item_count(store *s, const char *set, long long *n, struct gs_err *e);
int store_item_count_kind(store *s, const char *kind, long long *n, struct gs_err *e);
int store_sets_each(store *s, int (*cb)(void *ctx, const char *set, long long items), void *ctx,
		    struct gs_err *e);

/* ---- rubrics ---- */
struct store_rubric {
	const char *name, *hash, *json, *mode;
	int version;
};
/* records a rubric text (by name+hash); the newest put of a name is current */
int store_rubric_put(store *s, const struct store_rubric *r, struct gs_err *e);
/* current rubric by name: malloc'd copies, free with store_rubric_free; EX_NOINPUT if none */
int store_rubric_get(store *s, const char *name, struct store_rubric *out, struct gs_err *e);
void store_rubric_free(struct store_rubric *r);
int store_rubrics_each(store *s, int (*cb)(void *ctx, const struct store_rubric *r), void *ctx,
		       struct gs_err *e);

/* ---- raters ---- */
int store_rater_ensure(store *s, const char *name, struct gs_err *e); /* kind from "judge:" prefix */

/* ---- labels: one row per decision ---- */
/* appends a label row and makes it current for (rubric, item, rater,
 * pair_key); *id_out gets its row id. Durable (synchronous=FULL) when this
 * returns outside an explicit transaction.  l->at NULL: a decision made
 * now, stamped by the hybrid logical clock: max(wall clock, newest label
 * time seen + 1 ms, the key's current label + 1 ms); a given at is recorded
 * as it is and raises the newest time seen. */
int store_label_add(store *s, const struct store_label *l, long long *id_out, struct gs_err *e);
/* the current label (newest row; vals may be NULL if withdrawn): fills
 * malloc'd copies (free with store_label_free); EX_NOINPUT if none */
int store_label_current(store *s, const char *rubric, const char *ext_id, const char *rater,
			const char *pair_key, struct store_label *out, struct gs_err *e);
void store_label_free(struct store_label *l);
/* the hybrid clock: store_clock_saw raises the newest label time seen (in
 * memory); store_clock_save records it in the store (call it inside the
 * transaction that loaded the labels) */
void store_clock_saw(store *s, int64_t ms);
int store_clock_save(store *s, struct gs_err *e);
struct store_label_query {
	const char *rubric;       /* NULL: all */
	const char *rater;        /* NULL: all */
	const char *batch;        /* NULL: any */
	int include_stale;        /* 0: only labels on the current item version */
	int include_hidden;       /* 1: also labels of calibration batches whose report is not open
				   * (only calibration itself may ask: blindness) */
};
/* current, non-withdrawn labels ordered by rubric, rater, ext_id, pair_key;
 * labels made in a calibration batch are left out until its report is
 * opened (store_batch_reveal), unless include_hidden */
int store_labels_each(store *s, const struct store_label_query *q,
		      int (*cb)(void *ctx, const struct store_label *l), void *ctx, struct gs_err *e);
/* what the label files hold: the current label of every key, stale ones
 * and withdrawn ones (vals NULL: a tombstone) included, but only the fields
 * of a label line (id, rubric, rubric_version, rater, vals, note,
 * left/right, batch, at).  A calibration batch's labels are included once
 * its report is open or once the rater finished it (the setting
 * "shared:BATCH\nRATER" is set); until then they stay on the rater's
 * machine.  The fast path for writing label files. */
int store_label_lines_each(store *s, int (*cb)(void *ctx, const struct store_label *l), void *ctx,
			   struct gs_err *e);
/* every label row ever (history), oldest first */
int store_label_history_each(store *s, const char *rubric, const char *ext_id,
			     int (*cb)(void *ctx, const struct store_label *l), void *ctx, struct gs_err *e);
/* the rubrics that hold at least one current, revealed label, by name */
int store_label_rubrics_each(store *s, int (*cb)(void *ctx, const char *rubric), void *ctx, struct gs_err *e);
struct store_label_count { const char *rubric, *rater; long long labels, stale, items_labeled; };
int store_label_counts_each(store *s, int (*cb)(void *ctx, const struct store_label_count *c),
			    void *ctx, struct gs_err *e);

/* per rubric, how many items' current versions hold a current label of at
 * least one and of at least two human raters (a judge is not counted; a
 * calibration batch's labels once its report is open), by rubric */
struct store_overlap { const char *rubric; long long items_labeled, double_labeled; };
int store_overlap_each(store *s, int (*cb)(void *ctx, const struct store_overlap *o), void *ctx,
		       struct gs_err *e);

/* what a commit has not shared yet: store_label_commit_mark records that
 * every label row so far went into a commit; store_label_uncommitted
 * counts the current labels made here (not loaded from files) since */
int store_label_commit_mark(store *s, struct gs_err *e);
int store_label_uncommitted(store *s, long long *n, struct gs_err *e);

/* ---- marks: comments, flags, skips ---- */
int store_mark_add(store *s, const char *ext_id, const char *rubric, const char *rater,
		   const char *kind /* comment|flag|unflag|skip */, const char *text, struct gs_err *e);
int store_item_flagged(store *s, const char *ext_id, const char *rater, int *flagged, struct gs_err *e);
/* the rater's marks on an item under a rubric (the item lists of the
 * screens): skipped (a skip mark, ever), flagged (as store_item_flagged),
 * commented (the newest comment mark: 1 with text, 0 emptied, -1 none) */
struct store_item_marks { int skipped, flagged, commented; };
int store_item_marks(store *s, const char *ext_id, const char *rubric, const char *rater,
		     struct store_item_marks *out, struct gs_err *e);

/* the rater's labels of the batch go into the label files from now on
 * (the rater finished the batch, or they arrived from git) */
int store_batch_share(store *s, const char *batch, const char *rater, struct gs_err *e);
/* a calibration batch's labels become visible everywhere (its report opened);
 * the first opening's time is kept (revealed_at) */
int store_batch_reveal(store *s, const char *batch, struct gs_err *e);
/* the same with the time given (a teammate's, from batches/NAME.jsonl):
 * revealed_at becomes `at` even when it was revealed before (the caller
 * decided `at` is the newer); EX_NOINPUT if there is no such batch */
int store_batch_reveal_at(store *s, const char *batch, const char *at, struct gs_err *e);

/* ---- generic settings (key/value), e.g. the last review session ---- */
int store_setting_get(store *s, const char *key, char **value, struct gs_err *e); /* *value NULL if unset */
int store_setting_set(store *s, const char *key, const char *value, struct gs_err *e);

/* ---- label queue ---- */
/* The labeling screen's queue: the current single-output items matching a
 * filter, in one rater's order, read one item at a time (indexed LIMIT 1
 * queries; nothing proportional to the set is held in memory). */
struct store_queue_opts {
	const char *rubric;        /* labels under this rubric count as done */
	const char *rater;         /* whose order and whose labels */
	const char *set;           /* NULL: every set */
	const char *meta_key;      /* with meta_value: only items whose meta.key == value */
	const char *meta_value;
	const char *batch;         /* NULL, or only the items of this calibration batch */
	int overlap;               /* > 0: only items with fewer human raters than this (or labeled by
				      rater), those started by others first (store_queue_next_todo) */
	int file_order;            /* 1: set and file order; 0: shuffled per rater (stable, seeded by the name) */
};
typedef struct store_queue store_queue;
/* opens the queue (reads only: every item row has its shuffle key from its insert) */
int store_queue_open(store *s, const struct store_queue_opts *o, store_queue **out, struct gs_err *e);
void store_queue_close(store_queue *q);
/* the item after (dir > 0) or before (dir < 0) from in the queue's order;
 * from NULL: the first (or the last). todo: only items the rater has not
 * labeled (on their current version, not withdrawn) and not skipped.
 * EX_NOINPUT when there is none. Copies: free with store_item_free. */
int store_queue_step(store_queue *q, const struct store_item *from, int dir, int todo, struct store_item *out,
		     struct gs_err *e);
/* the next item the rater still has to label: with overlap K, first the
 * items a human rater started that have fewer than K raters (most raters
 * first, then in the rater's order); then the first after from (NULL: from
 * the start) in the queue's order, wrapping to the start. EX_NOINPUT when
 * none is left. */
int store_queue_next_todo(store_queue *q, const struct store_item *from, struct store_item *out, struct gs_err *e);
/* the current version of the item the rater labeled last under the rubric
 * (an undo counts), where a restart picks up; EX_NOINPUT if none */
int store_queue_last(store_queue *q, struct store_item *out, struct gs_err *e);
struct store_queue_counts {
	long long pos;             /* at's position in the queue, from 1 (0: at NULL or not keyed) */
	long long total;           /* items in the queue */
	long long done;            /* of them, labeled by the rater */
	long long skipped;         /* of them, skipped by the rater and not labeled */
};
/* all the counts: total and the skipped ones read indexes only (unfiltered),
 * done walks the rater's labels */
int store_queue_counts(store_queue *q, const struct store_item *at, struct store_queue_counts *c,
		       struct gs_err *e);
/* at's position alone (what changes from item to item) */
int store_queue_position(store_queue *q, const struct store_item *at, long long *pos, struct gs_err *e);
/* calibration batch NAME: its rubric (malloc'd), whether rater is one of its
 * raters, and how many items it has; EX_NOINPUT if there is no such batch */
int store_batch_get(store *s, const char *name, const char *rater, char **rubric, int *member,
		    long long *items, struct gs_err *e);
/* trap questions: every current label on a current item that has gold
 * answers, with the item's canonical line (its "gold"); by rubric, rater, id */
struct store_trap { const char *rubric, *rater, *ext_id, *vals, *item_json; };
int store_traps_each(store *s, int (*cb)(void *ctx, const struct store_trap *t), void *ctx, struct gs_err *e);

/* ---- calibration and review ---- */
/* A calibration batch: its rubric, raters (a JSON array of names), the seed
 * and meta key it was drawn with, and its round (1 + the number of earlier
 * batches of the same rubric). at: when this content was decided (its
 * created_at for a batch started here; a shared file's "at" for one loaded
 * from batches/NAME.jsonl); revealed_at: when its report was opened, NULL
 * while it is blind (both ignored by store_batch_create). */
struct store_batch {
	const char *name, *rubric, *raters, *stratify, *created_at, *at, *revealed_at;
	long long seed;
	int round;
};
/* creates the batch with items ext_ids[0..n) in that order, all or nothing;
 * EX_CANTCREAT when the name is taken */
int store_batch_create(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e);
/* creates the batch, or replaces everything it holds (rubric, raters, seed,
 * stratify, round, created_at, at, revealed_at: revealed when set, else
 * blind; the items) with b's: a batch as a shared file has it (b->at
 * required); all or nothing */
int store_batch_put(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e);
/* copies (free with store_batch_free); EX_NOINPUT if there is no such batch */
int store_batch_info(store *s, const char *name, struct store_batch *out, struct gs_err *e);
void store_batch_free(struct store_batch *b);
/* every batch (of one rubric, or all with NULL), by rubric, round, age */
int store_batches_each(store *s, const char *rubric, int (*cb)(void *ctx, const struct store_batch *b), void *ctx,
		       struct gs_err *e);
/* the batch's item ids in batch order */
int store_batch_items_each(store *s, const char *name, int (*cb)(void *ctx, const char *ext_id), void *ctx,
			   struct gs_err *e);
/* the batch's raters in order, NULL-terminated (free with strv_free) */
int store_batch_raters(store *s, const char *name, char ***out, struct gs_err *e);
/* how many of the batch's items the rater has a current label on (under
 * the batch's rubric, on the item's current version, not withdrawn) */
int store_batch_done(store *s, const char *name, const char *rater, long long *done, struct gs_err *e);

/* A consensus value agreed in a discussion or review: criterion is a slot
 * name ("helpful", "checks/Cites the right entities"), value JSON text
 * ("null" withdraws), cause "rubric unclear" | "rater slip" | "item
 * ambiguous" | NULL, source "discuss:BATCH" or "review:SESSION". */
struct store_consensus {
	const char *ext_id, *rubric, *criterion, *value, *cause, *note, *source, *at;
	int rubric_version;
};
/* appends a row; at NULL: now (with milliseconds) */
int store_consensus_add(store *s, const struct store_consensus *c, struct gs_err *e);
/* the newest row of (rubric, item, criterion), withdrawn or not: copies
 * (store_consensus_free); EX_NOINPUT if there is none */
int store_consensus_current(store *s, const char *rubric, const char *ext_id, const char *criterion,
			    struct store_consensus *out, struct gs_err *e);
void store_consensus_free(struct store_consensus *c);
/* the newest row per (rubric, item, criterion) of every rubric, withdrawn
 * ones included (value "null"): what consensus/RUBRIC.jsonl holds; by
 * rubric, item, criterion (byte order) */
int store_consensus_lines_each(store *s, int (*cb)(void *ctx, const struct store_consensus *c), void *ctx,
			       struct gs_err *e);
/* the newest consensus per (item, criterion) of a rubric, withdrawn ones
 * left out; ext_id NULL: every item; by item then criterion */
int store_consensus_each(store *s, const char *rubric, const char *ext_id,
			 int (*cb)(void *ctx, const struct store_consensus *c), void *ctx, struct gs_err *e);

/* one item seen in a review session; tags: JSON array text or NULL */
struct store_review { const char *ext_id, *session, *rubric, *tags, *note, *at; };
/* appends a row (an item marked reviewed again in a session adds another);
 * at NULL: now (with milliseconds) */
int store_review_add(store *s, const struct store_review *r, struct gs_err *e);
/* the newest row of (item, session): copies (store_review_free); EX_NOINPUT if none */
int store_review_current(store *s, const char *ext_id, const char *session, struct store_review *out,
			 struct gs_err *e);
void store_review_free(struct store_review *r);
/* the newest row per (item, session): what reviews/SESSION.jsonl holds; by
 * session, then item (byte order) */
int store_review_lines_each(store *s, int (*cb)(void *ctx, const struct store_review *r), void *ctx,
			    struct gs_err *e);
/* per reviewed item: in how many sessions it was reviewed and when last */
int store_review_counts_each(store *s, int (*cb)(void *ctx, const char *ext_id, long long times, const char *last),
			     void *ctx, struct gs_err *e);
/* items whose newest flag/unflag mark (any rater) is a flag */
int store_flagged_each(store *s, int (*cb)(void *ctx, const char *ext_id), void *ctx, struct gs_err *e);
/* a rubric text by name and hash (an older version labels were made
 * under): copies as store_rubric_get; EX_NOINPUT if unknown */
int store_rubric_get_hash(store *s, const char *name, const char *hash, struct store_rubric *out,
			  struct gs_err *e);

/* ---- pairwise ---- */
/* The pair screen's queue: current pairwise items in one rater's order (the
 * label queue's bucket shuffle over items.shuf), fetched one at a time with
 * LIMIT 1 queries, so memory does not depend on the set. Which comparisons
 * an item holds is the screen's business (bt.h's design from the item's
 * outputs); the SQL side only needs how many: every pair up to four
 * systems, else pairs_per_item of them. Skipping a comparison is a "skip"
 * mark whose text is the pair key, then a newline and the reason. */
struct store_pairq_opts {
	const char *rubric;        /* labels under this rubric count as done */
	const char *rater;         /* whose order and whose labels */
	const char *set;           /* NULL: every set */
	const char *batch;         /* NULL, or only the items of this calibration batch */
	int pairs_per_item;        /* comparisons per item of more than four systems */
	int both_orders;           /* count comparisons labeled both ways round too */
	int outputs;               /* a single rubric's queue of each output on its own: an item
				    * holds one unit per output (labels keyed labelline_system_key) */
};
typedef struct store_pairq store_pairq;
int store_pairq_open(store *s, const struct store_pairq_opts *o, store_pairq **out, struct gs_err *e);
void store_pairq_close(store_pairq *q);
enum store_pq_todo {
	STORE_PQ_ANY,              /* every item */
	STORE_PQ_UNSEEN,           /* items with a comparison neither labeled nor skipped by the rater */
	STORE_PQ_ONE_WAY,          /* items with a comparison the rater labeled one way round only */
};
/* the item after (dir > 0) or before (dir < 0) from in the rater's order;
 * from NULL: the first (or the last). EX_NOINPUT when there is none.
 * Copies: free with store_item_free. */
int store_pairq_step(store_pairq *q, const struct store_item *from, int dir, enum store_pq_todo todo,
		     struct store_item *out, struct gs_err *e);
struct store_pairq_counts {
	long long items;           /* pairwise items in the queue */
	long long comparisons;     /* the comparisons of their design */
	long long done;            /* the rater's current labels on them */
	long long both_ways;       /* comparisons the rater labeled both ways round (0 without both_orders) */
};
/* totals: also count items and comparisons (a pass over the items' outputs);
 * else those two are left as they are in *c */
int store_pairq_counts(store_pairq *q, int totals, struct store_pairq_counts *c, struct gs_err *e);
/* the skip mark's text for a comparison: pair key, newline, reason (malloc'd) */
char *store_pair_skip_text(const char *pair_key, const char *reason);
int store_pair_skipped(store *s, const char *rubric, const char *rater, const char *ext_id, const char *pair_key,
		       int *skipped, struct gs_err *e);

/* `shown`: what a rater was shown. pass 0 is a comparison's first showing,
 * pass 1 the second, sides swapped (--both-orders). *left is the system
 * first recorded on the left (malloc'd), or NULL when never shown. */
int store_shown_get(store *s, const char *rubric, const char *rater, const char *ext_id, const char *pair_key,
		    int pass, char **left, struct gs_err *e);
/* how many items the rater was shown this pair of systems on in `pass` */
int store_shown_count(store *s, const char *rubric, const char *rater, const char *pair_key, int pass, long *n,
		      struct gs_err *e);
int store_shown_add(store *s, const char *rubric, const char *rater, const char *ext_id, const char *left,
		    const char *right, const char *pair_key, int pass, struct gs_err *e);
/* the rater's newest label row on a comparison shown with `left` on the
 * left, on any version of the item, withdrawn or not (vals NULL): copies,
 * free with store_label_free; EX_NOINPUT if none */
int store_pair_label_get(store *s, const char *rubric, const char *rater, const char *ext_id,
			 const char *pair_key, const char *left, struct store_label *out, struct gs_err *e);
/* order effects, per rater: comparisons on current items that the rater
 * labeled both ways round (the newest label with each system on the left,
 * both answering criterion), and in how many the winner changed */
int store_pair_flips_each(store *s, const char *rubric, const char *criterion,
			  int (*cb)(void *ctx, const char *rater, long long pairs, long long flips), void *ctx,
			  struct gs_err *e);
/* the current item's meta value for key as text, compared as --filter
 * compares it; *value NULL when the item or the key is absent */
int store_item_meta_text(store *s, const char *ext_id, const char *key, char **value, struct gs_err *e);

/* ---- agreement ---- */
/* What `goldset agree` needs of the items besides the labels: every current
 * item's id, its meta value for key as text (compared as --filter compares
 * it; NULL when key is NULL or the item lacks it) and its output length
 * (items.out_len, for the length-bias correlation); by id. */
struct store_agree_item { const char *ext_id, *slice; long long out_len; };
int store_agree_items_each(store *s, const char *key, int (*cb)(void *ctx, const struct store_agree_item *it),
			   void *ctx, struct gs_err *e);

/* ---- salvage (goldset init --rebuild) ---- */
/* What store_salvage read from a damaged store file into a new store.
 * Per table: rows copied, rows lost (estimated from the rowids skipped;
 * exact for labels, which are never deleted), gaps (unreadable stretches),
 * tail_lost (nothing after the last readable row could be read),
 * unreadable (the table could not even be asked for). */
struct store_salvage_table {
	const char *name;
	long long rows, lost, gaps;
	long long max_rowid;       /* after tail_lost: the largest rowid the table still names (0 unknown) */
	int tail_lost, unreadable;
};
struct store_salvage {
	const char *nothing;       /* non-NULL: the file gave nothing, and why ("it is not a SQLite database") */
	struct store_salvage_table labels;   /* rows: label rows added (not in the label files) */
	long long labels_in_files;  /* label rows the label files hold already */
	long long labels_current;   /* keys whose current label is a recovered row */
	long long labels_no_item;   /* label rows on items golden/ no longer has (not recovered) */
	long long labels_raw;       /* of the label rows read, those read from the pages without SQLite */
	long long labels_max_id;    /* the largest label id known to have been */
	long long item_versions;    /* older item versions copied for the stale labels made on them */
	struct store_salvage_table tables[9];   /* raters, rubrics, marks, shown, batches, batch_items,
						 * consensus, reviews, settings */
};
/* reads every row the file at old_path still gives into dst (a store just
 * loaded from the workspace's files), in one transaction. Returns 0 also
 * when the file gave nothing (r->nothing says why); an error only when dst
 * cannot be written. */
int store_salvage(store *dst, const char *old_path, struct store_salvage *r, struct gs_err *e);
#endif
