/* store_impl.h: what the files of the store (src/store/store*.c) share
 * and nothing else sees: the store struct, the SQL fragments used by more
 * than one file, and the plumbing (prepare, bind, step, fail). */
#ifndef GOLDSET_STORE_IMPL_H
#define GOLDSET_STORE_IMPL_H
#include "store/store.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "store/pagescan.h"
#include "base/rng.h"

struct stmt_cache { const char *sql; sqlite3_stmt *st; };

struct store {
	sqlite3 *db;
	GArray *cache;              /* struct stmt_cache: one prepared statement per SQL literal */
	int in_tx;
	int readonly;               /* opened with STORE_READ: nothing is written */
	long long bulk_before;      /* store_bulk_begin: item rows before the import (-1: no bulk load) */
	long long bulk_added;       /* item rows the bulk load inserted so far */
	int shuf_dropped;           /* the bulk load dropped items_queue_shuf: built again at the end */
	char *path;                 /* the file, named in refusals */
	char *rater_known;          /* a rater committed in this session: saves skip ensuring it */
	int64_t seen_ms;            /* the newest label time this store has seen (hybrid clock) */
	int seen_loaded;
};

/* the label queue's shuffled order (migration 2; dropped and built again
 * around a bulk import, see store_bulk_begin) */
#define QUEUE_SHUF_INDEX "CREATE INDEX items_queue_shuf ON items(is_current, kind, shuf, ext_id)"

/* PRAGMA application_id of a goldset store: "GSET" (0x47534554 = 1196639572,
 * the value migration 7 writes) */
#define GS_APPLICATION_ID 0x47534554

/* schemas 1..6 were written before the application_id: such a store is
 * known by its tables instead */
#define SCHEMA_BEFORE_APP_ID 6

/* the oldest schema a read-only open can read without migrating (3 added
 * batches.revealed, which every label listing asks for) */
#define SCHEMA_READ_MIN 3

#define REBUILD_HINT "rebuild it with `goldset init --rebuild` (the old file is kept beside it)"

#define QUICK_CHECK_MAX_PAGES 256

/* what the file says it is, read in one statement (one lock, one pass) */
struct identity { long long app, ver, tables, any, pages; };

#define ITEM_SELECT "SELECT id, ext_id, set_name, hash, kind, json, meta, imported_at, version, is_current," \
		    " has_gold, ord, out_len FROM items "

/* An import inserts item rows in file order, but each row's entry in
 * items_queue_shuf lands at a random place (the key is a hash): once the
 * index outgrows the page cache every insert dirties a random index page,
 * which made an import of 100k items 1.2x as long (measured; the keys used
 * to be filled on the label screen's first start instead, 1.2 s). So once
 * a bulk load has inserted BULK_DROP_AFTER rows, and more than the table
 * held before, the index is dropped, and store_bulk_end builds it again in
 * one sorted pass before the commit; all of it inside the import's
 * transaction, so a rollback keeps the old index. */
#define BULK_DROP_AFTER 20000

#define ITEM_FILTER "WHERE is_current AND (?1 IS NULL OR set_name = ?1)" \
	" AND (?2 IS NULL OR CAST(json_extract(meta, '$.' || json_quote(?2)) AS TEXT) = ?3)" \
	" AND (?4 IS NULL OR kind = ?4)"

/* a label outside any calibration batch, or in one whose report is open */
#define LABEL_REVEALED "(l.batch IS NULL OR EXISTS (SELECT 1 FROM batches b WHERE b.name = l.batch AND b.revealed))"

/* a label that goes into the label files: outside any calibration batch, in
 * one whose report is open, or of a rater who finished the batch (blind
 * until then: the rater's batch labels stay on the rater's machine) */
#define LABEL_SHARED "(l.batch IS NULL OR EXISTS (SELECT 1 FROM batches b WHERE b.name = l.batch AND b.revealed)" \
	" OR EXISTS (SELECT 1 FROM settings WHERE key = 'shared:' || l.batch || char(10) || l.rater))"

#define LABEL_SELECT "SELECT l.id, l.item_id, l.ext_id, l.rubric, l.rubric_version, l.rubric_hash, l.rater," \
	" l.login, l.vals, l.note, l.left_sys, l.right_sys, l.pair_key, l.sides, coalesce(l.seconds, -1)," \
	" l.source, l.batch, l.at, coalesce(NOT i.is_current, 1) "

/* the label's item row, for LABEL_SELECT's stale column: a label is stale
 * when the item it was made on is no longer the current version, or is not
 * in the store at all (one rowid lookup; the current row by ext_id would be
 * a second, index, lookup) */
#define LABEL_ITEM " LEFT JOIN items i ON i.id = l.item_id "

#define QUEUE_BUCKETS 256

#define QUEUE_SHIFT 55          /* shuf has 63 bits: the top 8 pick the bucket */

struct store_queue {
	store *s;
	char *rubric, *rater, *set, *meta_key, *meta_value, *batch;
	int overlap, file_order, filtered;
	unsigned char perm[QUEUE_BUCKETS];   /* rank -> bucket */
	unsigned char rank[QUEUE_BUCKETS];   /* bucket -> rank */
};

/* ?6 rubric, ?7 rater: the rater's label on item i's current version */
#define Q_MINE "EXISTS (SELECT 1 FROM heads h JOIN labels l ON l.id = h.label_id WHERE h.rubric = ?6" \
	" AND h.rater = ?7 AND h.ext_id = i.ext_id AND h.pair_key = '' AND l.vals IS NOT NULL AND l.item_id = i.id)"

#define Q_SKIPPED "EXISTS (SELECT 1 FROM marks m WHERE m.ext_id = i.ext_id AND m.kind = 'skip' AND m.rater = ?7" \
	" AND (m.rubric IS NULL OR m.rubric = ?6))"

/* how many human raters hold a current label on item i's current version
 * (a judge's labels do not count towards --overlap): one seek in heads per
 * rater (they are few) */
#define Q_RATERS "(SELECT count(*) FROM raters r CROSS JOIN heads h JOIN labels l ON l.id = h.label_id" \
	" WHERE r.kind = 'human' AND h.rubric = ?6 AND h.rater = r.name AND h.ext_id = i.ext_id" \
	" AND h.pair_key = '' AND l.vals IS NOT NULL AND l.item_id = i.id)"

/* the item rows some human rater has labeled under the rubric (as many as
 * labels, not items: read from the raters' heads) */
#define Q_STARTED " AND i.id IN (SELECT l.item_id FROM raters r CROSS JOIN heads h JOIN labels l ON l.id = h.label_id" \
	" WHERE r.kind = 'human' AND h.rubric = ?6 AND h.rater = r.name AND h.pair_key = ''" \
	" AND l.vals IS NOT NULL)"

/* ?1 set, ?2/?3 meta key/value, ?4 batch, ?5 overlap */
#define Q_FILTER " AND (?1 IS NULL OR i.set_name = ?1)" \
	" AND (?2 IS NULL OR CAST(json_extract(i.meta, '$.' || json_quote(?2)) AS TEXT) = ?3)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM batch_items b WHERE b.batch = ?4 AND b.ext_id = i.ext_id))" \
	" AND (?5 <= 0 OR " Q_MINE " OR " Q_RATERS " < ?5)"

/* ?8: only items the rater has neither labeled nor skipped */
#define Q_TODO " AND (NOT ?8 OR (NOT " Q_MINE " AND NOT " Q_SKIPPED "))"

/* is_current = 1 (not just truth): an equality the queue indexes can seek on */
#define Q_ITEMS ITEM_SELECT "i WHERE i.is_current = 1 AND i.kind = 'single'"

#define Q_COUNT "SELECT count(*) FROM items i WHERE i.is_current = 1 AND i.kind = 'single'"

/* ?9..?10 a bucket's key range; ?11 (shuf or set), ?12 ord, ?13 row id: where to start */
#define Q_IN_BUCKET " AND i.shuf BETWEEN ?9 AND ?10"

#define Q_SHUF_GT " AND (i.shuf, i.id) > (?11, ?13)"

#define Q_SHUF_LT " AND (i.shuf, i.id) < (?11, ?13)"

#define Q_FILE_GT " AND (i.set_name, i.ord, i.id) > (?11, ?12, ?13)"

#define Q_FILE_LT " AND (i.set_name, i.ord, i.id) < (?11, ?12, ?13)"

#define Q_SHUF_LE " AND (i.shuf, i.id) <= (?11, ?13)"

#define Q_FILE_LE " AND (i.set_name, i.ord, i.id) <= (?11, ?12, ?13)"

/* the number of current single items, counted once per change of the
 * items table (rows are only ever added, so max(id) tells) and kept in
 * settings: start-up then does not walk an index of the whole set. An
 * import counts it before its commit (queue_total_refresh), so that the
 * first start after it does not either. */
#define QUEUE_TOTAL_KEY "queue.total.single"

#define BATCH_SELECT "SELECT name, rubric, raters, seed, stratify, round, created_at, at, revealed_at FROM batches "

#define CONSENSUS_COLS "c.ext_id, c.rubric, c.rubric_version, c.criterion, c.value, c.cause, c.note, c.source, c.at"

#define REVIEW_SELECT "SELECT r.ext_id, r.session, r.rubric, r.tags, r.note, r.at FROM reviews r "

struct store_pairq {
	struct store_queue base;   /* rater, rubric, set, batch, the bucket permutation */
	int pairs_per_item, both_orders;
};

/* comparisons of item i's design (?5 < 0: its outputs, each labeled on its own) */
#define PQ_NPAIRS "(SELECT CASE WHEN ?5 < 0 THEN k WHEN k < 2 THEN 0 WHEN k <= 4 THEN k * (k - 1) / 2" \
	" ELSE min(?5, k * (k - 1) / 2) END FROM (SELECT json_array_length(i.json, '$.outputs') AS k))"

#define PQ_SKIP_KEY "CASE WHEN instr(m.text, char(10)) THEN substr(m.text, 1, instr(m.text, char(10)) - 1)" \
	" ELSE m.text END"

/* comparisons of item i the rater labeled (current, on this version) or skipped */
#define PQ_HANDLED "(SELECT count(*) FROM (SELECT h.pair_key FROM heads h JOIN labels l ON l.id = h.label_id" \
	" WHERE h.rubric = ?6 AND h.rater = ?7 AND h.ext_id = i.ext_id AND h.pair_key <> ''" \
	" AND l.vals IS NOT NULL AND l.item_id = i.id" \
	" UNION SELECT " PQ_SKIP_KEY " FROM marks m WHERE m.ext_id = i.ext_id AND m.kind = 'skip'" \
	" AND m.rater = ?7 AND m.rubric = ?6 AND m.text IS NOT NULL))"

/* the newest label row of l's comparison with l's left side */
#define PQ_NEWEST_WAY "l.id = (SELECT max(x.id) FROM labels x WHERE x.rubric = l.rubric AND x.rater = l.rater" \
	" AND x.ext_id = l.ext_id AND x.pair_key = l.pair_key AND x.pair_key <> '' AND x.left_sys = l.left_sys)"

/* item i has a comparison the rater labeled one way round only */
#define PQ_ONE_WAY "EXISTS (SELECT 1 FROM labels l WHERE l.rubric = ?6 AND l.ext_id = i.ext_id AND l.rater = ?7" \
	" AND l.pair_key <> '' AND l.item_id = i.id AND l.vals IS NOT NULL AND " PQ_NEWEST_WAY \
	" GROUP BY l.pair_key HAVING count(*) = 1)"

#define PQ_FILTER " AND (?1 IS NULL OR i.set_name = ?1)" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM batch_items b WHERE b.batch = ?4 AND b.ext_id = i.ext_id))"

#define PQ_TODO " AND (?8 = 0 OR (?8 = 1 AND " PQ_HANDLED " < " PQ_NPAIRS ")" \
	" OR (?8 = 2 AND " PQ_ONE_WAY "))"

#define PQ_ITEMS ITEM_SELECT "i WHERE i.is_current AND i.kind = 'pairwise'"

#define PQ_CUR " i.is_current AND i.kind = 'pairwise'" PQ_FILTER

struct salvage {
	sqlite3 *old;
	store *dst;
	struct store_salvage *r;
	const struct salvage_copy *copy;   /* the table salvage_copy_row copies */
	struct store_salvage_table *t;     /* and its counts */
	sqlite3_stmt *old_item;            /* an item row of the old store by id */
	long long max_id;                  /* the largest label id known to have been */
};

/* a table copied row by row: select (rowid first), or, when the old file's
 * schema predates a column, select_old; then insert from ?1.. */
struct salvage_copy { const char *name, *select, *select_old, *insert; };

#define SV_SELECT(cols, table) "SELECT rowid, " cols " FROM " table " WHERE rowid > ?1 ORDER BY rowid"

#define SV_BATCH_COLS "name, rubric, raters, seed, stratify, round, created_at, revealed"

#define SV_LABELS "SELECT id, item_id, ext_id, rubric, rubric_version, rubric_hash, rater, login, vals, note," \
	" left_sys, right_sys, pair_key, sides, coalesce(seconds, -1), source, batch, at FROM labels" \
	" WHERE id > ?1 ORDER BY id"

struct raw_ctx { struct salvage *sv; struct gs_err *e; };

/* A key's head moves to its newest recovered row (by time, then row) when
 * that is later than the key's current label, the rule every label file
 * merge follows (last writer wins, by time). */
#define SV_SAME_KEY(x, y) " " #x ".rubric = " #y ".rubric AND " #x ".ext_id = " #y ".ext_id AND " #x ".rater = " \
	#y ".rater AND " #x ".pair_key = " #y ".pair_key "

int refuse(store *s, struct gs_err *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int db_fail(store *s, struct gs_err *e, const char *what);
sqlite3_stmt *prep(store *s, const char *sql, struct gs_err *e);
void bind_text(sqlite3_stmt *st, int i, const char *v);
/* binds ?1, ?2 ... in turn, one argument a letter of types: t text (const
 * char *, NULL binds null), i int, I long long, d double */
void bind_all(sqlite3_stmt *st, const char *types, ...);
const char *col_text(sqlite3_stmt *st, int i);
char *col_dup(sqlite3_stmt *st, int i);
int step_done(store *s, sqlite3_stmt *st, struct gs_err *e, const char *what);
int exec(store *s, const char *sql, struct gs_err *e);
int count_with(store *s, sqlite3_stmt *st, const char *arg, long long *n, struct gs_err *e);
long long order_key(const char *a, const char *b);
void fn_at_ms(sqlite3_context *cx, int argc, sqlite3_value **argv);
void fn_order(sqlite3_context *cx, int argc, sqlite3_value **argv);
int migrate(store *s, struct gs_err *e);
int read_identity(store *s, struct identity *id, struct gs_err *e);
int quick_check(store *s, struct gs_err *e);
int check_identity(store *s, struct gs_err *e);
int open_db(store *s, const char *name, int flags, struct gs_err *e);
int probe(store *s);
char *immutable_uri(const char *path);
int wal_in_use(const char *path);
int wal_exists(const char *path);
int open_immutable(store *s, struct gs_err *e);
int open_read(store *s, struct gs_err *e);
int open_write(store *s, int create, struct gs_err *e);
int check_read_schema(store *s, struct gs_err *e);
int open_checked(store *s, enum store_mode mode, int create, struct gs_err *e);
void item_from_row(sqlite3_stmt *st, struct store_item *it);
void item_copy(const struct store_item *from, struct store_item *to);
int item_get_by(store *s, const char *sql, const char *ext_id, long long row,
		       struct store_item *out, struct gs_err *e);
int set_ensure(store *s, const char *set, struct gs_err *e);
int bulk_inserted(store *s, struct gs_err *e);
int queue_total_refresh(store *s, struct gs_err *e);
int item_insert(store *s, const struct store_item *it, int version, struct gs_err *e);
int rubric_insert(store *s, const struct store_rubric *r, struct gs_err *e);
void rubric_from_row(sqlite3_stmt *st, struct store_rubric *r);
int label_insert(store *s, const struct store_label *l, long long *id_out, struct gs_err *e);
int head_set(store *s, const struct store_label *l, long long id, struct gs_err *e);
int64_t clock_seen(store *s);
int64_t head_at(store *s, const struct store_label *l);
void label_time_now(store *s, const struct store_label *l, char out[32]);
void label_from_row(sqlite3_stmt *st, struct store_label *l);
char *dup0(const char *s);
int labels_loop(store *s, sqlite3_stmt *st, int (*cb)(void *, const struct store_label *), void *ctx,
		       struct gs_err *e);
void queue_permute(struct store_queue *q);
void queue_bind(const struct store_queue *q, sqlite3_stmt *st, int todo);
void bucket_range(int bucket, long long *lo, long long *hi);
int queue_fetch(store *s, sqlite3_stmt *st, struct store_item *out, struct gs_err *e);
int queue_count(store *s, sqlite3_stmt *st, long long *n, struct gs_err *e);
int queue_key_of(store *s, long long row, long long *key, struct gs_err *e);
int step_file(store_queue *q, const struct store_item *from, int dir, int todo, struct store_item *out,
		     struct gs_err *e);
int step_bucket(store_queue *q, int bucket, int at, long long key, long long row, int dir, int todo,
		       struct store_item *out, struct gs_err *e);
int step_shuffled(store_queue *q, const struct store_item *from, int dir, int todo,
			 struct store_item *out, struct gs_err *e);
int items_top(store *s, long long *top, struct gs_err *e);
int total_recount(store *s, long long top, long long *n, struct gs_err *e);
int total_cached(store_queue *q, long long *n, struct gs_err *e);
int count_stmt(store_queue *q, const char *sql, long long *n, struct gs_err *e);
int pos_shuffled(store_queue *q, long long key, long long row, long long *pos, struct gs_err *e);
int pos_file(store_queue *q, const struct store_item *at, long long *pos, struct gs_err *e);
int batch_write(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e);
void batch_from_row(sqlite3_stmt *st, struct store_batch *b);
void consensus_from_row(sqlite3_stmt *st, struct store_consensus *c);
void review_from_row(sqlite3_stmt *st, struct store_review *r);
void pq_bind(const struct store_pairq *q, sqlite3_stmt *st, int todo);
int pq_step_bucket(store_pairq *q, int bucket, int at, long long key, long long row, int dir, int todo,
			  struct store_item *out, struct gs_err *e);
int pq_totals(store_pairq *q, struct store_pairq_counts *c, struct gs_err *e);
void pair_label_copy(const struct store_label *l, struct store_label *out);
int probe_ok(sqlite3_stmt *probe, long long x);
int salvage_skip(sqlite3_stmt *probe, long long after, long long *next);
long long salvage_tail(sqlite3 *old, const char *table, long long last);
int salvage_gap(struct salvage *sv, sqlite3_stmt *probe, const char *table, struct store_salvage_table *t,
		       long long *last);
int salvage_scan(struct salvage *sv, const char *table, const char *sql,
			int (*row)(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e), struct store_salvage_table *t,
			struct gs_err *e);
int salvage_copy_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e);
int salvage_tables(struct salvage *sv, struct gs_err *e);
long long salvage_item_version(struct salvage *sv, const struct store_item *it, struct gs_err *e);
long long salvage_item(struct salvage *sv, long long old_row, const char *ext_id, struct gs_err *e);
int salvage_in_files(struct salvage *sv, const struct store_label *l, int *yes, struct gs_err *e);
int salvage_note(struct salvage *sv, const struct store_label *l, long long new_id, struct gs_err *e);
int salvage_first(struct salvage *sv, long long id, int *first, struct gs_err *e);
int json_ok(store *s, const char *text, int *ok, struct gs_err *e);
int salvage_label(struct salvage *sv, struct store_label *l, struct gs_err *e);
int salvage_label_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e);
char *ps_text(const struct ps_value *v);
int label_shaped(const struct ps_value *v, int n);
int raw_row(void *ctx, long long rowid, const struct ps_value *v, int n);
int salvage_raw(struct salvage *sv, const char *path, struct gs_err *e);
int salvage_labels_begin(store *dst, struct gs_err *e);
int salvage_labels_end(struct salvage *sv, struct gs_err *e);
int salvage_labels(struct salvage *sv, const char *path, struct gs_err *e);
sqlite3 *salvage_open(const char *path, struct store_salvage *r, int *pages);

#endif
