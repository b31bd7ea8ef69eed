/* store_batches.c: calibration batches, consensus answers and review
 * records. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- calibration and review ---- */
/* Calibration batches (batches, batch_items), consensus labels agreed in a
 * discussion or review (consensus: one appended row per decision, the
 * newest per item and criterion counts), review marks (reviews), and the
 * bulk reads `goldset review` needs to pick items. */

/* inserts the batch's row (or replaces what it holds) and its items,
 * inside a transaction; revealed when b->revealed_at is set */
int batch_write(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO batches(name, rubric, raters, seed, stratify, round, created_at, at,"
				   " revealed, revealed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 IS NOT NULL, ?9)"
				   " ON CONFLICT(name) DO UPDATE SET"
				   " rubric = excluded.rubric, raters = excluded.raters, seed = excluded.seed,"
				   " stratify = excluded.stratify, round = excluded.round, created_at = excluded.created_at,"
				   " at = excluded.at, revealed = excluded.revealed, revealed_at = excluded.revealed_at", e);
	if (!st) return e->code;
	bind_all(st, "tttItittt", b->name, b->rubric, b->raters, (long long)b->seed, b->stratify, (int)b->round,
		 b->created_at, b->at, b->revealed_at);
	if (step_done(s, st, e, "batch")) return e->code;
	for (size_t i = 0; i < n; i++) {
		st = prep(s, "INSERT INTO batch_items(batch, pos, ext_id) VALUES(?1, ?2, ?3)", e);
		if (!st) return e->code;
		bind_all(st, "tIt", b->name, (long long)i, ext_ids[i]);
		if (step_done(s, st, e, "batch item")) return e->code;
	}
	return 0;
}

int store_batch_create(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e)
{
	int own = !s->in_tx;
	if (own && store_begin(s, e)) return e->code;
	sqlite3_stmt *st = prep(s, "SELECT 1 FROM batches WHERE name = ?1", e);
	if (!st) goto fail;
	bind_text(st, 1, b->name);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) {
		gs_fail(e, EX_CANTCREAT, "a calibration batch named \"%s\" exists already (goldset calibrate show %s)",
			b->name, b->name);
		goto fail;
	}
	char now[32];
	now_iso8601(now);
	struct store_batch nb = *b;
	if (!nb.created_at) nb.created_at = now;
	nb.at = nb.created_at;   /* a batch started here was decided when it was created */
	nb.revealed_at = NULL;   /* and is blind */
	if (batch_write(s, &nb, ext_ids, n, e)) goto fail;
	return own ? store_commit(s, e) : 0;
fail:
	if (own) store_rollback(s);
	return e->code;
}

int store_batch_put(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e)
{
	int own = !s->in_tx;
	if (own && store_begin(s, e)) return e->code;
	sqlite3_stmt *st = prep(s, "DELETE FROM batch_items WHERE batch = ?1", e);
	if (!st) goto fail;
	bind_text(st, 1, b->name);
	if (step_done(s, st, e, "batch items") || batch_write(s, b, ext_ids, n, e)) goto fail;
	return own ? store_commit(s, e) : 0;
fail:
	if (own) store_rollback(s);
	return e->code;
}

void batch_from_row(sqlite3_stmt *st, struct store_batch *b)
{
	b->name = col_text(st, 0);
	b->rubric = col_text(st, 1);
	b->raters = col_text(st, 2);
	b->seed = sqlite3_column_int64(st, 3);
	b->stratify = col_text(st, 4);
	b->round = sqlite3_column_int(st, 5);
	b->created_at = col_text(st, 6);
	b->at = col_text(st, 7);
	b->revealed_at = col_text(st, 8);
}

int store_batch_info(store *s, const char *name, struct store_batch *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, BATCH_SELECT "WHERE name = ?1", e);
	if (!st) return e->code;
	bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_batch b;
		batch_from_row(st, &b);
		out->name = dup0(b.name);
		out->rubric = dup0(b.rubric);
		out->raters = dup0(b.raters);
		out->stratify = dup0(b.stratify);
		out->created_at = dup0(b.created_at);
		out->at = dup0(b.at);
		out->revealed_at = dup0(b.revealed_at);
		out->seed = b.seed;
		out->round = b.round;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE)
		return gs_fail(e, EX_NOINPUT, "no calibration batch named \"%s\" (goldset calibrate start %s --raters A,B)",
			       name, name);
	return db_fail(s, e, "batch");
}

void store_batch_free(struct store_batch *b)
{
	const char **f[] = {&b->name, &b->rubric, &b->raters, &b->stratify, &b->created_at, &b->at, &b->revealed_at};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free((char *)*f[i]);
	memset(b, 0, sizeof *b);
}

int store_batches_each(store *s, const char *rubric, int (*cb)(void *ctx, const struct store_batch *b), void *ctx,
		       struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, BATCH_SELECT "WHERE ?1 IS NULL OR rubric = ?1 ORDER BY rubric, round, created_at, name",
				e);
	if (!st) return e->code;
	bind_text(st, 1, rubric);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_batch b;
		batch_from_row(st, &b);
		if (cb(ctx, &b)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "batches");
	sqlite3_reset(st);
	return 0;
}

int store_batch_items_each(store *s, const char *name, int (*cb)(void *ctx, const char *ext_id), void *ctx,
			   struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT ext_id FROM batch_items WHERE batch = ?1 ORDER BY pos", e);
	if (!st) return e->code;
	bind_text(st, 1, name);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "batch items");
	sqlite3_reset(st);
	return 0;
}

int store_batch_done(store *s, const char *name, const char *rater, long long *done, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT count(DISTINCT b.ext_id) FROM batch_items b JOIN batches bt ON bt.name = b.batch"
		" JOIN heads h ON h.rubric = bt.rubric AND h.ext_id = b.ext_id AND h.rater = ?2"
		" JOIN labels l ON l.id = h.label_id JOIN items i ON i.id = l.item_id"
		" WHERE b.batch = ?1 AND l.vals IS NOT NULL AND i.is_current", e);
	if (!st) return e->code;
	bind_all(st, "tt", name, rater);
	return queue_count(s, st, done, e);
}

int store_consensus_add(store *s, const struct store_consensus *c, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO consensus(ext_id, rubric, rubric_version, criterion, value, cause,"
				   " note, source, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601_ms(now);
	bind_all(st, "ttitttttt", c->ext_id, c->rubric, (int)c->rubric_version, c->criterion,
		 c->value ? c->value : "null", c->cause, c->note, c->source ? c->source : "review",
		 c->at ? c->at : now);
	return step_done(s, st, e, "consensus");
}

void consensus_from_row(sqlite3_stmt *st, struct store_consensus *c)
{
	*c = (struct store_consensus){col_text(st, 0), col_text(st, 1), col_text(st, 3), col_text(st, 4),
				      col_text(st, 5), col_text(st, 6), col_text(st, 7), col_text(st, 8),
				      sqlite3_column_int(st, 2)};
}

int store_consensus_current(store *s, const char *rubric, const char *ext_id, const char *criterion,
			    struct store_consensus *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT " CONSENSUS_COLS " FROM consensus c WHERE c.rubric = ?1 AND c.ext_id = ?2"
				   " AND c.criterion = ?3 ORDER BY c.id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "ttt", rubric, ext_id, criterion);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_consensus c;
		consensus_from_row(st, &c);
		*out = (struct store_consensus){dup0(c.ext_id), dup0(c.rubric), dup0(c.criterion), dup0(c.value),
						dup0(c.cause), dup0(c.note), dup0(c.source), dup0(c.at),
						c.rubric_version};
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no consensus on %s (%s)", ext_id, criterion);
	return db_fail(s, e, "consensus");
}

void store_consensus_free(struct store_consensus *c)
{
	const char **f[] = {&c->ext_id, &c->rubric, &c->criterion, &c->value, &c->cause, &c->note, &c->source, &c->at};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free((char *)*f[i]);
	memset(c, 0, sizeof *c);
}

int store_consensus_lines_each(store *s, int (*cb)(void *ctx, const struct store_consensus *c), void *ctx,
			       struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT " CONSENSUS_COLS " FROM consensus c"
		" WHERE c.id = (SELECT max(id) FROM consensus d WHERE d.rubric = c.rubric AND d.ext_id = c.ext_id"
		"  AND d.criterion = c.criterion)"
		" ORDER BY c.rubric, c.ext_id, c.criterion", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_consensus c;
		consensus_from_row(st, &c);
		if (cb(ctx, &c)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "consensus");
	sqlite3_reset(st);
	return 0;
}

int store_consensus_each(store *s, const char *rubric, const char *ext_id,
			 int (*cb)(void *ctx, const struct store_consensus *c), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT c.ext_id, c.rubric, c.rubric_version, c.criterion, c.value, c.cause, c.note, c.source, c.at"
		" FROM consensus c WHERE c.rubric = ?1 AND (?2 IS NULL OR c.ext_id = ?2)"
		" AND c.id = (SELECT max(id) FROM consensus d WHERE d.rubric = c.rubric AND d.ext_id = c.ext_id"
		"  AND d.criterion = c.criterion) AND c.value <> 'null'"
		" ORDER BY c.ext_id, c.criterion", e);
	if (!st) return e->code;
	bind_all(st, "tt", rubric, ext_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_consensus c = {col_text(st, 0), col_text(st, 1), col_text(st, 3), col_text(st, 4),
					    col_text(st, 5), col_text(st, 6), col_text(st, 7), col_text(st, 8),
					    sqlite3_column_int(st, 2)};
		if (cb(ctx, &c)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "consensus");
	sqlite3_reset(st);
	return 0;
}

int store_review_add(store *s, const struct store_review *r, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO reviews(ext_id, session, rubric, tags, note, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601_ms(now);
	bind_all(st, "tttttt", r->ext_id, r->session, r->rubric, r->tags, r->note, r->at ? r->at : now);
	return step_done(s, st, e, "review");
}

void review_from_row(sqlite3_stmt *st, struct store_review *r)
{
	*r = (struct store_review){col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
				   col_text(st, 4), col_text(st, 5)};
}

int store_review_current(store *s, const char *ext_id, const char *session, struct store_review *out,
			 struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, REVIEW_SELECT "WHERE r.ext_id = ?1 AND r.session = ?2 ORDER BY r.id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "tt", ext_id, session);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_review r;
		review_from_row(st, &r);
		*out = (struct store_review){dup0(r.ext_id), dup0(r.session), dup0(r.rubric), dup0(r.tags),
					     dup0(r.note), dup0(r.at)};
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no review of %s in session %s", ext_id, session);
	return db_fail(s, e, "review");
}

void store_review_free(struct store_review *r)
{
	const char **f[] = {&r->ext_id, &r->session, &r->rubric, &r->tags, &r->note, &r->at};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free((char *)*f[i]);
	memset(r, 0, sizeof *r);
}

int store_review_lines_each(store *s, int (*cb)(void *ctx, const struct store_review *r), void *ctx,
			    struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, REVIEW_SELECT
		"WHERE r.id = (SELECT max(id) FROM reviews d WHERE d.ext_id = r.ext_id AND d.session = r.session)"
		" ORDER BY r.session, r.ext_id", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_review r;
		review_from_row(st, &r);
		if (cb(ctx, &r)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "reviews");
	sqlite3_reset(st);
	return 0;
}

int store_review_counts_each(store *s, int (*cb)(void *ctx, const char *ext_id, long long times, const char *last),
			     void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT ext_id, count(DISTINCT session), max(at) FROM reviews"
				   " GROUP BY ext_id ORDER BY ext_id", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0), sqlite3_column_int64(st, 1), col_text(st, 2))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "reviews");
	sqlite3_reset(st);
	return 0;
}

int store_flagged_each(store *s, int (*cb)(void *ctx, const char *ext_id), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT m.ext_id FROM marks m WHERE m.kind = 'flag' AND m.id = (SELECT max(id) FROM marks n"
		" WHERE n.ext_id = m.ext_id AND n.kind IN ('flag', 'unflag')) ORDER BY m.ext_id", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "flags");
	sqlite3_reset(st);
	return 0;
}

int store_rubric_get_hash(store *s, const char *name, const char *hash, struct store_rubric *out,
			  struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT name, hash, json, mode, version FROM rubrics WHERE name = ?1 AND hash = ?2",
				e);
	if (!st) return e->code;
	bind_all(st, "tt", name, hash);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->name = col_dup(st, 0);
		out->hash = col_dup(st, 1);
		out->json = col_dup(st, 2);
		out->mode = col_dup(st, 3);
		out->version = sqlite3_column_int(st, 4);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW) return 0;
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no text of rubric \"%s\" with hash %s", name, hash);
	return db_fail(s, e, "rubric");
}

/* the batch's raters in order (a JSON array, or an older comma list) as a
 * NULL-terminated list (strv_free) */
int store_batch_raters(store *s, const char *name, char ***out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT j.value FROM batches b, json_each(CASE WHEN json_valid(b.raters)"
				   " AND json_type(b.raters) = 'array' THEN b.raters"
				   " ELSE '[\"' || replace(replace(b.raters, '\"', ''), ',', '\",\"') || '\"]' END) j"
				   " WHERE b.name = ?1 ORDER BY j.key", e);
	if (!st) return e->code;
	bind_text(st, 1, name);
	GPtrArray *v = g_ptr_array_new();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) g_ptr_array_add(v, col_dup(st, 0));
	sqlite3_reset(st);
	g_ptr_array_add(v, NULL);
	char **list = (char **)g_ptr_array_free(v, FALSE);   /* system malloc: strv_free frees it */
	if (rc != SQLITE_DONE) {
		strv_free(list);
		return db_fail(s, e, "batch raters");
	}
	*out = list;
	return 0;
}
