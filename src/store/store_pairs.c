/* store_pairs.c: the pairwise queue and comparisons, and the agreement
 * queries. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- pairwise ---- */
/* The pair screen's queue and its bookkeeping (see store.h). The queue
 * reuses the label queue's per-rater bucket order (struct store_queue,
 * queue_permute, bucket_range above) over kind = 'pairwise'.
 * Bound parameters: ?1 set, ?4 batch, ?5 pairs per item, ?6 rubric,
 * ?7 rater, ?8 todo, ?9/?10 a bucket's key range, ?11/?13 where to start. */

static const char *const pq_step_sql[2] = {   /* [previous] */
	PQ_ITEMS Q_IN_BUCKET Q_SHUF_GT PQ_FILTER PQ_TODO " ORDER BY i.shuf, i.id LIMIT 1",
	PQ_ITEMS Q_IN_BUCKET Q_SHUF_LT PQ_FILTER PQ_TODO " ORDER BY i.shuf DESC, i.id DESC LIMIT 1",
};
static const char pq_total_sql[] =
	"SELECT count(*), coalesce(sum(" PQ_NPAIRS "), 0) FROM items i WHERE" PQ_CUR;
static const char pq_done_sql[] =
	"SELECT count(*) FROM heads h JOIN labels l ON l.id = h.label_id JOIN items i ON i.id = l.item_id"
	" WHERE h.rubric = ?6 AND h.rater = ?7 AND h.pair_key <> '' AND l.vals IS NOT NULL AND" PQ_CUR;
static const char pq_both_sql[] =
	"SELECT count(*) FROM (SELECT 1 FROM labels l JOIN items i ON i.id = l.item_id"
	" WHERE l.rubric = ?6 AND l.rater = ?7 AND l.pair_key <> '' AND l.vals IS NOT NULL AND" PQ_CUR
	" AND " PQ_NEWEST_WAY " GROUP BY l.ext_id, l.pair_key HAVING count(*) >= 2)";

int store_pairq_open(store *s, const struct store_pairq_opts *o, store_pairq **out, struct gs_err *e)
{
	(void)e;
	struct store_pairq *q = xcalloc(1, sizeof *q);
	q->base.s = s;
	q->base.rubric = xstrdup(o->rubric);
	q->base.rater = xstrdup(o->rater);
	q->base.set = dup0(o->set);
	q->base.batch = dup0(o->batch);
	q->pairs_per_item = o->outputs ? -1 : o->pairs_per_item > 0 ? o->pairs_per_item : 1;   /* -1: outputs */
	q->both_orders = o->both_orders;
	queue_permute(&q->base);
	*out = q;
	return 0;
}

void store_pairq_close(store_pairq *q)
{
	if (!q) return;
	free(q->base.rubric);
	free(q->base.rater);
	free(q->base.set);
	free(q->base.batch);
	free(q);
}

void pq_bind(const struct store_pairq *q, sqlite3_stmt *st, int todo)
{
	bind_text(st, 1, q->base.set);
	bind_text(st, 4, q->base.batch);
	sqlite3_bind_int(st, 5, q->pairs_per_item);
	bind_text(st, 6, q->base.rubric);
	bind_text(st, 7, q->base.rater);
	sqlite3_bind_int(st, 8, todo);
}

int pq_step_bucket(store_pairq *q, int bucket, int at, long long key, long long row, int dir, int todo,
			  struct store_item *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->base.s, pq_step_sql[dir < 0], e);
	if (!st) return e->code;
	long long lo, hi;
	bucket_range(bucket, &lo, &hi);
	pq_bind(q, st, todo);
	sqlite3_bind_int64(st, 9, lo);
	sqlite3_bind_int64(st, 10, hi);
	sqlite3_bind_int64(st, 11, at ? key : dir > 0 ? lo : hi);
	sqlite3_bind_int64(st, 13, at ? row : dir > 0 ? INT64_MIN : INT64_MAX);
	return queue_fetch(q->base.s, st, out, e);
}

int store_pairq_step(store_pairq *q, const struct store_item *from, int dir, enum store_pq_todo todo,
		     struct store_item *out, struct gs_err *e)
{
	long long key = -1;
	if (from && queue_key_of(q->base.s, from->id, &key, e)) return e->code;
	int r0 = dir > 0 ? 0 : QUEUE_BUCKETS - 1, at = from && key >= 0;
	if (at) r0 = q->base.rank[key >> QUEUE_SHIFT];
	for (int r = r0; r >= 0 && r < QUEUE_BUCKETS; r += dir > 0 ? 1 : -1) {
		int rc = pq_step_bucket(q, q->base.perm[r], at && r == r0, key, from ? from->id : 0, dir, (int)todo,
					out, e);
		if (rc != EX_NOINPUT) return rc;
	}
	return gs_fail(e, EX_NOINPUT, "no more items");
}

int pq_totals(store_pairq *q, struct store_pairq_counts *c, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->base.s, pq_total_sql, e);
	if (!st) return e->code;
	pq_bind(q, st, 0);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->items = sqlite3_column_int64(st, 0);
		c->comparisons = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(q->base.s, e, "pair queue count");
}

int store_pairq_counts(store_pairq *q, int totals, struct store_pairq_counts *c, struct gs_err *e)
{
	store *s = q->base.s;
	sqlite3_stmt *st;
	if (totals && pq_totals(q, c, e)) return e->code;
	if (!(st = prep(s, pq_done_sql, e))) return e->code;
	pq_bind(q, st, 0);
	if (queue_count(s, st, &c->done, e)) return e->code;
	c->both_ways = 0;
	if (!q->both_orders) return 0;
	if (!(st = prep(s, pq_both_sql, e))) return e->code;
	pq_bind(q, st, 0);
	return queue_count(s, st, &c->both_ways, e);
}

char *store_pair_skip_text(const char *pair_key, const char *reason)
{
	return reason && *reason ? xasprintf("%s\n%s", pair_key, reason) : xstrdup(pair_key);
}

int store_pair_skipped(store *s, const char *rubric, const char *rater, const char *ext_id, const char *pair_key,
		       int *skipped, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT 1 FROM marks m WHERE m.ext_id = ?1 AND m.kind = 'skip' AND m.rater = ?2"
				   " AND m.rubric = ?3 AND m.text IS NOT NULL AND " PQ_SKIP_KEY " = ?4 LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "tttt", ext_id, rater, rubric, pair_key);
	int rc = sqlite3_step(st);
	*skipped = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "skip");
}

int store_shown_get(store *s, const char *rubric, const char *rater, const char *ext_id, const char *pair_key,
		    int pass, char **left, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT left_sys FROM shown WHERE rubric = ?1 AND rater = ?2 AND ext_id = ?3"
				   " AND pair_key = ?4 AND pass = ?5 ORDER BY id LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "tttti", rubric, rater, ext_id, pair_key, (int)pass);
	int rc = sqlite3_step(st);
	*left = rc == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "shown");
}

int store_shown_count(store *s, const char *rubric, const char *rater, const char *pair_key, int pass, long *n,
		      struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT count(DISTINCT ext_id) FROM shown WHERE rubric = ?1 AND rater = ?2"
				   " AND pair_key = ?3 AND pass = ?4", e);
	*n = 0;
	if (!st) return e->code;
	bind_all(st, "ttti", rubric, rater, pair_key, (int)pass);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) *n = (long)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s, e, "shown");
}

int store_shown_add(store *s, const char *rubric, const char *rater, const char *ext_id, const char *left,
		    const char *right, const char *pair_key, int pass, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO shown(ext_id, rubric, rater, left_sys, right_sys, pair_key, pass, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_all(st, "ttttttit", ext_id, rubric, rater, left, right, pair_key, (int)pass, now);
	return step_done(s, st, e, "shown");
}

void pair_label_copy(const struct store_label *l, struct store_label *out)
{
	*out = *l;
	out->ext_id = dup0(l->ext_id);
	out->rubric = dup0(l->rubric);
	out->rubric_hash = dup0(l->rubric_hash);
	out->rater = dup0(l->rater);
	out->login = dup0(l->login);
	out->vals = dup0(l->vals);
	out->note = dup0(l->note);
	out->left_sys = dup0(l->left_sys);
	out->right_sys = dup0(l->right_sys);
	out->pair_key = dup0(l->pair_key);
	out->sides = dup0(l->sides);
	out->source = dup0(l->source);
	out->batch = dup0(l->batch);
	out->at = dup0(l->at);
}

int store_pair_label_get(store *s, const char *rubric, const char *rater, const char *ext_id,
			 const char *pair_key, const char *left, struct store_label *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM labels l" LABEL_ITEM "WHERE l.rubric = ?1 AND l.ext_id = ?2 AND l.rater = ?3"
				   " AND l.pair_key = ?4 AND l.pair_key <> '' AND l.left_sys = ?5 ORDER BY l.id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "ttttt", rubric, ext_id, rater, pair_key, left);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_label l;
		label_from_row(st, &l);
		pair_label_copy(&l, out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no label");
	return db_fail(s, e, "pair label");
}

static const char pq_flips_sql[] =
	"WITH way AS (SELECT l.rater, l.ext_id, l.pair_key, l.left_sys, json_extract(l.vals, '$.' || json_quote(?2)) AS v"
	" FROM labels l JOIN items i ON i.id = l.item_id WHERE i.is_current AND l.rubric = ?1 AND l.pair_key <> ''"
	" AND l.vals IS NOT NULL AND " PQ_NEWEST_WAY ")"
	" SELECT a.rater, count(*), sum(a.v <> b.v) FROM way a JOIN way b ON b.rater = a.rater AND b.ext_id = a.ext_id"
	" AND b.pair_key = a.pair_key AND b.left_sys > a.left_sys WHERE a.v IS NOT NULL AND b.v IS NOT NULL"
	" GROUP BY a.rater ORDER BY a.rater";

int store_pair_flips_each(store *s, const char *rubric, const char *criterion,
			  int (*cb)(void *ctx, const char *rater, long long pairs, long long flips), void *ctx,
			  struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, pq_flips_sql, e);
	if (!st) return e->code;
	bind_all(st, "tt", rubric, criterion);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "flips");
	sqlite3_reset(st);
	return 0;
}

int store_item_meta_text(store *s, const char *ext_id, const char *key, char **value, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT CAST(json_extract(meta, '$.' || json_quote(?2)) AS TEXT) FROM items"
				   " WHERE ext_id = ?1 AND is_current", e);
	if (!st) return e->code;
	bind_all(st, "tt", ext_id, key);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "item meta");
}

/* ---- agreement ---- */

int store_agree_items_each(store *s, const char *key, int (*cb)(void *ctx, const struct store_agree_item *it),
			   void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT ext_id, CASE WHEN ?1 IS NULL THEN NULL ELSE"
				   " CAST(json_extract(meta, '$.' || json_quote(?1)) AS TEXT) END, out_len"
				   " FROM items WHERE is_current ORDER BY ext_id", e);
	if (!st) return e->code;
	bind_text(st, 1, key);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_agree_item it = {col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2)};
		if (cb(ctx, &it)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "agreement items");
	sqlite3_reset(st);
	return 0;
}
