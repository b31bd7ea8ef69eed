/* store_queue.c: the label queue: each rater's order over the items
 * (buckets of the shuffle key, permuted per rater) and the positions in it. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- label queue ---- */
/* The labeling screen's queue (see store.h): current single-output items
 * matching a filter, in one rater's order, fetched one at a time with
 * LIMIT 1 queries over the items_queue_* indexes (migration 2). Nothing
 * here holds more than one item, so memory does not depend on the set.
 *
 * File order is (set, position in file, row id). The shuffled order needs
 * an index too: every item row gets a global key shuf = gs_order('', ext_id)
 * as it is inserted (order_key); the key space is cut into 256 buckets by its top bits
 * and each rater visits the buckets in a permutation seeded by the rater's
 * name, each bucket in key order. So two raters see different sequences,
 * yet "the next item" is an index seek, not a sort of the whole set. The
 * indexes carry ext_id, so skipping labeled items reads no item rows, and
 * the unfiltered total is cached (total_cached): start-up does not walk the
 * set. */

static const char *const q_step_sql[2][2] = {   /* [file_order][previous] */
	{Q_ITEMS Q_IN_BUCKET Q_SHUF_GT Q_FILTER Q_TODO " ORDER BY i.shuf, i.id LIMIT 1",
	 Q_ITEMS Q_IN_BUCKET Q_SHUF_LT Q_FILTER Q_TODO " ORDER BY i.shuf DESC, i.id DESC LIMIT 1"},
	{Q_ITEMS Q_FILE_GT Q_FILTER Q_TODO " ORDER BY i.set_name, i.ord, i.id LIMIT 1",
	 Q_ITEMS Q_FILE_LT Q_FILTER Q_TODO " ORDER BY i.set_name DESC, i.ord DESC, i.id DESC LIMIT 1"},
};
/* --overlap K routes the work: the items some human rater started that have
 * fewer than K raters (and that this rater has neither labeled nor skipped)
 * come before any fresh item; those with the most raters first, then in the
 * rater's own order (?14: the rater's rank of each bucket, one byte each) */
static const char *const q_started_sql[2] = {   /* [file_order] */
	Q_ITEMS Q_STARTED Q_FILTER Q_TODO " ORDER BY " Q_RATERS " DESC, substr(?14, (i.shuf >> 55) + 1, 1),"
	" i.shuf, i.id LIMIT 1",
	Q_ITEMS Q_STARTED Q_FILTER Q_TODO " ORDER BY " Q_RATERS " DESC, i.set_name, i.ord, i.id LIMIT 1",
};
/* [filtered]: without filters, counts read the index alone */
static const char *const q_total_sql[2] = {Q_COUNT, Q_COUNT Q_FILTER};
static const char *const q_pos_file_sql[2] = {Q_COUNT Q_FILE_LE, Q_COUNT Q_FILE_LE Q_FILTER};
static const char *const q_pos_shuf_sql[2] = {Q_COUNT Q_IN_BUCKET Q_SHUF_LE, Q_COUNT Q_IN_BUCKET Q_SHUF_LE Q_FILTER};
/* [filtered]: unfiltered, the current version's row id comes from an index
 * (a single-mode rubric labels single items only), no item row is read */
static const char *const q_done_sql[2] = {
	"SELECT count(*) FROM heads h JOIN labels l ON l.id = h.label_id WHERE h.rubric = ?6 AND h.rater = ?7"
	" AND h.pair_key = '' AND l.vals IS NOT NULL"
	" AND l.item_id = (SELECT x.id FROM items x WHERE x.ext_id = h.ext_id AND x.is_current)",
	"SELECT count(*) FROM heads h JOIN labels l ON l.id = h.label_id JOIN items i ON i.id = l.item_id"
	" WHERE h.rubric = ?6 AND h.rater = ?7 AND h.pair_key = '' AND l.vals IS NOT NULL AND i.is_current"
	" AND i.kind = 'single'" Q_FILTER,
};
/* from the rater's skips (few) to their items: CROSS JOIN keeps that order */
static const char q_skipped_sql[] =
	"SELECT count(DISTINCT i.id) FROM marks m CROSS JOIN items i WHERE m.kind = 'skip' AND m.rater = ?7"
	" AND (m.rubric IS NULL OR m.rubric = ?6) AND i.ext_id = m.ext_id AND i.is_current AND i.kind = 'single'"
	" AND NOT " Q_MINE Q_FILTER;

/* the rater's permutation of the buckets: Fisher-Yates on splitmix64 */
void queue_permute(struct store_queue *q)
{
	uint64_t x = gs_hash64(q->rater, strlen(q->rater), 0x676f6c64736574ULL);
	for (int i = 0; i < QUEUE_BUCKETS; i++) q->perm[i] = (unsigned char)i;
	for (int i = QUEUE_BUCKETS - 1; i > 0; i--) {
		int j = (int)(rng_splitmix64(&x) % (uint64_t)(i + 1));
		unsigned char t = q->perm[i];
		q->perm[i] = q->perm[j];
		q->perm[j] = t;
	}
	for (int r = 0; r < QUEUE_BUCKETS; r++) q->rank[q->perm[r]] = (unsigned char)r;
}

int store_queue_open(store *s, const struct store_queue_opts *o, store_queue **out, struct gs_err *e)
{
	(void)e;   /* nothing here can fail now: kept for the callers' error path */
	struct store_queue *q = xcalloc(1, sizeof *q);
	q->s = s;
	q->rubric = xstrdup(o->rubric);
	q->rater = xstrdup(o->rater);
	q->set = dup0(o->set);
	q->meta_key = dup0(o->meta_key);
	q->meta_value = dup0(o->meta_value);
	q->batch = dup0(o->batch);
	q->overlap = o->overlap;
	q->file_order = o->file_order;
	q->filtered = o->set || o->meta_key || o->batch || o->overlap > 0;
	queue_permute(q);
	*out = q;
	return 0;
}

void store_queue_close(store_queue *q)
{
	if (!q) return;
	char *f[] = {q->rubric, q->rater, q->set, q->meta_key, q->meta_value, q->batch};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free(f[i]);
	free(q);
}

void queue_bind(const struct store_queue *q, sqlite3_stmt *st, int todo)
{
	bind_all(st, "ttttitti", q->set, q->meta_key, q->meta_value, q->batch, (int)q->overlap, q->rubric, q->rater,
		 (int)todo);
}

void bucket_range(int bucket, long long *lo, long long *hi)
{
	uint64_t l = (uint64_t)bucket << QUEUE_SHIFT;
	*lo = (long long)l;
	*hi = (long long)(l + ((1ULL << QUEUE_SHIFT) - 1));
}

/* runs a LIMIT 1 item query: 0 and *out filled, EX_NOINPUT, or an error */
int queue_fetch(store *s, sqlite3_stmt *st, struct store_item *out, struct gs_err *e)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_item it;
		item_from_row(st, &it);
		item_copy(&it, out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no more items");
	return db_fail(s, e, "queue");
}

int queue_count(store *s, sqlite3_stmt *st, long long *n, struct gs_err *e)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s, e, "queue count");
}

/* the shuffle key of an item row (-1 if it has none) */
int queue_key_of(store *s, long long row, long long *key, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT coalesce(shuf, -1) FROM items WHERE id = ?1", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, row);
	int rc = sqlite3_step(st);
	*key = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "queue");
}

int step_file(store_queue *q, const struct store_item *from, int dir, int todo, struct store_item *out,
		     struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, q_step_sql[1][dir < 0], e);
	if (!st) return e->code;
	queue_bind(q, st, todo);
	if (from) {
		bind_text(st, 11, from->set);
		sqlite3_bind_int64(st, 12, from->ord);
		sqlite3_bind_int64(st, 13, from->id);
	} else if (dir > 0) {   /* before every set name */
		bind_text(st, 11, "");
		sqlite3_bind_int64(st, 12, INT64_MIN);
		sqlite3_bind_int64(st, 13, INT64_MIN);
	} else {                /* a blob sorts after every text */
		sqlite3_bind_blob(st, 11, "\xff", 1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 12, INT64_MAX);
		sqlite3_bind_int64(st, 13, INT64_MAX);
	}
	return queue_fetch(q->s, st, out, e);
}

/* the first (or last) match in one bucket, after (or before) key/row when at */
int step_bucket(store_queue *q, int bucket, int at, long long key, long long row, int dir, int todo,
		       struct store_item *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, q_step_sql[0][dir < 0], e);
	if (!st) return e->code;
	long long lo, hi;
	bucket_range(bucket, &lo, &hi);
	queue_bind(q, st, todo);
	sqlite3_bind_int64(st, 9, lo);
	sqlite3_bind_int64(st, 10, hi);
	sqlite3_bind_int64(st, 11, at ? key : dir > 0 ? lo : hi);
	sqlite3_bind_int64(st, 13, at ? row : dir > 0 ? INT64_MIN : INT64_MAX);
	return queue_fetch(q->s, st, out, e);
}

int step_shuffled(store_queue *q, const struct store_item *from, int dir, int todo,
			 struct store_item *out, struct gs_err *e)
{
	long long key = -1;
	if (from && queue_key_of(q->s, from->id, &key, e)) return e->code;
	int r0 = dir > 0 ? 0 : QUEUE_BUCKETS - 1, at = from && key >= 0;
	if (at) r0 = q->rank[key >> QUEUE_SHIFT];
	for (int r = r0; r >= 0 && r < QUEUE_BUCKETS; r += dir > 0 ? 1 : -1) {
		int rc = step_bucket(q, q->perm[r], at && r == r0, key, from ? from->id : 0, dir, todo, out, e);
		if (rc != EX_NOINPUT) return rc;
	}
	return gs_fail(e, EX_NOINPUT, "no more items");
}

int store_queue_step(store_queue *q, const struct store_item *from, int dir, int todo, struct store_item *out,
		     struct gs_err *e)
{
	if (q->file_order) return step_file(q, from, dir, todo, out, e);
	return step_shuffled(q, from, dir, todo, out, e);
}

/* the first started item below K raters in the routing order, EX_NOINPUT if none */
static int step_started(store_queue *q, struct store_item *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, q_started_sql[q->file_order != 0], e);
	if (!st) return e->code;
	queue_bind(q, st, 1);
	sqlite3_bind_blob(st, 14, q->rank, QUEUE_BUCKETS, SQLITE_STATIC);
	return queue_fetch(q->s, st, out, e);
}

int store_queue_next_todo(store_queue *q, const struct store_item *from, struct store_item *out, struct gs_err *e)
{
	int rc = q->overlap > 0 ? step_started(q, out, e) : EX_NOINPUT;
	if (rc != EX_NOINPUT) return rc;
	rc = store_queue_step(q, from, 1, 1, out, e);
	if (rc == EX_NOINPUT && from) rc = store_queue_step(q, NULL, 1, 1, out, e);
	return rc;
}

int items_top(store *s, long long *top, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT coalesce(max(id), 0) FROM items", e);
	return !st || queue_count(s, st, top, e) ? e->code : 0;
}

int total_recount(store *s, long long top, long long *n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, q_total_sql[0], e);
	if (!st || queue_count(s, st, n, e)) return e->code;
	char val[64];
	struct gs_err ignore;
	snprintf(val, sizeof val, "%lld %lld", top, *n);
	if (!s->readonly) store_setting_set(s, QUEUE_TOTAL_KEY, val, &ignore);   /* only a cache: may be refused */
	return 0;
}

int queue_total_refresh(store *s, struct gs_err *e)
{
	long long top = 0, n = 0;
	return items_top(s, &top, e) || total_recount(s, top, &n, e) ? e->code : 0;
}

int total_cached(store_queue *q, long long *n, struct gs_err *e)
{
	long long top = 0, have_top = -1, have_n = 0;
	char *v = NULL;
	if (items_top(q->s, &top, e) || store_setting_get(q->s, QUEUE_TOTAL_KEY, &v, e)) return e->code;
	int fresh = v && sscanf(v, "%lld %lld", &have_top, &have_n) == 2 && have_top == top;
	free(v);
	if (!fresh) return total_recount(q->s, top, n, e);
	*n = have_n;
	return 0;
}

int count_stmt(store_queue *q, const char *sql, long long *n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, sql, e);
	if (!st) return e->code;
	queue_bind(q, st, 0);
	return queue_count(q->s, st, n, e);
}

/* items in the buckets visited before the one of key, plus those of its
 * bucket up to key/row */
int pos_shuffled(store_queue *q, long long key, long long row, long long *pos, struct gs_err *e)
{
	int r0 = q->rank[key >> QUEUE_SHIFT];
	*pos = 0;
	for (int r = 0; r <= r0; r++) {
		sqlite3_stmt *st = prep(q->s, q_pos_shuf_sql[q->filtered], e);
		if (!st) return e->code;
		long long lo, hi, n = 0;
		bucket_range(q->perm[r], &lo, &hi);
		queue_bind(q, st, 0);
		sqlite3_bind_int64(st, 9, lo);
		sqlite3_bind_int64(st, 10, hi);
		sqlite3_bind_int64(st, 11, r == r0 ? key : hi);
		sqlite3_bind_int64(st, 13, r == r0 ? row : INT64_MAX);
		if (queue_count(q->s, st, &n, e)) return e->code;
		*pos += n;
	}
	return 0;
}

int pos_file(store_queue *q, const struct store_item *at, long long *pos, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, q_pos_file_sql[q->filtered], e);
	if (!st) return e->code;
	queue_bind(q, st, 0);
	bind_text(st, 11, at->set);
	sqlite3_bind_int64(st, 12, at->ord);
	sqlite3_bind_int64(st, 13, at->id);
	return queue_count(q->s, st, pos, e);
}

int store_queue_position(store_queue *q, const struct store_item *at, long long *pos, struct gs_err *e)
{
	*pos = 0;
	if (!at) return 0;
	if (q->file_order) return pos_file(q, at, pos, e);
	long long key;
	if (queue_key_of(q->s, at->id, &key, e)) return e->code;
	return key < 0 ? 0 : pos_shuffled(q, key, at->id, pos, e);
}

int store_queue_counts(store_queue *q, const struct store_item *at, struct store_queue_counts *c,
		       struct gs_err *e)
{
	memset(c, 0, sizeof *c);
	int rc = q->filtered ? count_stmt(q, q_total_sql[1], &c->total, e) : total_cached(q, &c->total, e);
	if (rc || count_stmt(q, q_done_sql[q->filtered], &c->done, e) ||
	    count_stmt(q, q_skipped_sql, &c->skipped, e))
		return e->code;
	return store_queue_position(q, at, &c->pos, e);
}

int store_queue_last(store_queue *q, struct store_item *out, struct gs_err *e)
{
	/* the newest rows come first in rowid order: usually a short walk back */
	sqlite3_stmt *st = prep(q->s, "SELECT ext_id FROM labels WHERE rater = ?1 AND rubric = ?2 AND pair_key = ''"
				      " ORDER BY id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "tt", q->rater, q->rubric);
	int rc = sqlite3_step(st);
	char *id = rc == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(q->s, e, "queue");
	if (!id) return gs_fail(e, EX_NOINPUT, "no label yet");
	rc = store_item_get(q->s, id, out, e);
	free(id);
	return rc;
}

int store_batch_get(store *s, const char *name, const char *rater, char **rubric, int *member,
		    long long *items, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT rubric, CASE WHEN json_valid(raters) THEN"
		"  CASE WHEN json_type(raters) = 'array' THEN"
		"   EXISTS (SELECT 1 FROM json_each(raters) WHERE value = ?2) ELSE 0 END"
		" ELSE instr(',' || replace(raters, ' ', '') || ',', ',' || ?2 || ',') > 0 END,"
		" (SELECT count(*) FROM batch_items WHERE batch = ?1) FROM batches WHERE name = ?1", e);
	if (!st) return e->code;
	bind_all(st, "tt", name, rater);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rubric = col_dup(st, 0);
		*member = sqlite3_column_int(st, 1);
		*items = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no calibration batch named \"%s\"", name);
	return db_fail(s, e, "batch");
}

int store_traps_each(store *s, int (*cb)(void *ctx, const struct store_trap *t), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT h.rubric, h.rater, h.ext_id, l.vals, i.json FROM heads h JOIN labels l ON l.id = h.label_id"
		" JOIN items i ON i.id = l.item_id WHERE i.is_current AND i.has_gold AND l.vals IS NOT NULL"
		" AND h.pair_key = '' ORDER BY h.rubric, h.rater, h.ext_id", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_trap t = {col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
				       col_text(st, 4)};
		if (cb(ctx, &t)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "traps");
	sqlite3_reset(st);
	return 0;
}
