/* store_items.c: item rows (versions, sets, bulk loads) and rubric and
 * rater rows. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- items ---- */

void item_from_row(sqlite3_stmt *st, struct store_item *it)
{
	it->id = sqlite3_column_int64(st, 0);
	it->ext_id = col_text(st, 1);
	it->set = col_text(st, 2);
	it->hash = col_text(st, 3);
	it->kind = col_text(st, 4);
	it->json = col_text(st, 5);
	it->meta = col_text(st, 6);
	it->imported_at = col_text(st, 7);
	it->version = sqlite3_column_int(st, 8);
	it->is_current = sqlite3_column_int(st, 9);
	it->has_gold = sqlite3_column_int(st, 10);
	it->ord = sqlite3_column_int64(st, 11);
	it->out_len = sqlite3_column_int64(st, 12);
}

void item_copy(const struct store_item *from, struct store_item *to)
{
	*to = *from;
	to->ext_id = xstrdup(from->ext_id);
	to->set = xstrdup(from->set);
	to->hash = xstrdup(from->hash);
	to->kind = xstrdup(from->kind);
	to->json = xstrdup(from->json);
	to->meta = xstrdup(from->meta);
	to->imported_at = xstrdup(from->imported_at);
}

void store_item_free(struct store_item *it)
{
	free((char *)it->ext_id);
	free((char *)it->set);
	free((char *)it->hash);
	free((char *)it->kind);
	free((char *)it->json);
	free((char *)it->meta);
	free((char *)it->imported_at);
	memset(it, 0, sizeof *it);
}

int item_get_by(store *s, const char *sql, const char *ext_id, long long row,
		       struct store_item *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, sql, e);
	if (!st) return e->code;
	if (ext_id) bind_text(st, 1, ext_id);
	else sqlite3_bind_int64(st, 1, row);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_item it;
		item_from_row(st, &it);
		item_copy(&it, out);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return gs_fail(e, EX_NOINPUT, "no item %s", ext_id ? ext_id : "with that row id");
	return db_fail(s, e, "item");
}

int store_item_get(store *s, const char *ext_id, struct store_item *out, struct gs_err *e)
{
	return item_get_by(s, ITEM_SELECT "WHERE ext_id = ?1 AND is_current", ext_id, 0, out, e);
}

int store_item_get_id(store *s, long long row_id, struct store_item *out, struct gs_err *e)
{
	return item_get_by(s, ITEM_SELECT "WHERE id = ?1", NULL, row_id, out, e);
}

int set_ensure(store *s, const char *set, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO sets(name, created_at) VALUES(?1, ?2)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_all(st, "tt", set, now);
	return step_done(s, st, e, "set");
}

/* ---- bulk loads ---- */

int store_bulk_begin(store *s, struct gs_err *e)
{
	s->bulk_added = 0;
	s->shuf_dropped = 0;
	sqlite3_stmt *st = prep(s, "SELECT coalesce(max(id), 0) FROM items", e);
	return count_with(s, st, NULL, &s->bulk_before, e);
}

int bulk_inserted(store *s, struct gs_err *e)
{
	if (s->bulk_before < 0 || s->shuf_dropped) return 0;
	if (++s->bulk_added < BULK_DROP_AFTER || s->bulk_added <= s->bulk_before) return 0;
	s->shuf_dropped = 1;
	return exec(s, "DROP INDEX items_queue_shuf;", e);
}

int store_bulk_end(store *s, struct gs_err *e)
{
	int dropped = s->shuf_dropped;
	s->bulk_before = -1;
	s->shuf_dropped = 0;
	if (dropped && exec(s, QUEUE_SHUF_INDEX ";", e)) return e->code;
	return queue_total_refresh(s, e);
}

int item_insert(store *s, const struct store_item *it, int version, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"INSERT INTO items(ext_id, set_name, version, hash, is_current, kind, ord, json, meta,"
		" has_gold, out_len, imported_at, shuf) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 12, order_key("", it->ext_id));
	char now[32];
	now_iso8601(now);
	bind_all(st, "ttittIttiIt", it->ext_id, it->set, (int)version, it->hash, it->kind ? it->kind : "single",
		 (long long)it->ord, it->json, it->meta ? it->meta : "{}", (int)it->has_gold, (long long)it->out_len,
		 it->imported_at ? it->imported_at : now);
	return step_done(s, st, e, "item insert") || bulk_inserted(s, e) ? e->code : 0;
}

int store_item_put(store *s, const struct store_item *it, int *outcome, struct gs_err *e)
{
	if (set_ensure(s, it->set, e)) return e->code;
	sqlite3_stmt *st = prep(s, "SELECT id, set_name, hash, version, ord FROM items"
				   " WHERE ext_id = ?1 AND is_current", e);
	if (!st) return e->code;
	bind_text(st, 1, it->ext_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		*outcome = STORE_ADDED;
		return item_insert(s, it, 1, e);
	}
	if (rc != SQLITE_ROW) return db_fail(s, e, "item lookup");
	long long row = sqlite3_column_int64(st, 0);
	int same_set = strcmp(col_text(st, 1), it->set) == 0;
	int same_hash = strcmp(col_text(st, 2), it->hash) == 0;
	int version = sqlite3_column_int(st, 3);
	long long ord = sqlite3_column_int64(st, 4);
	char *other = xstrdup(col_text(st, 1));
	sqlite3_reset(st);
	if (!same_set) {
		gs_fail(e, EX_DATAERR, "id \"%s\" already belongs to set \"%s\" (id)", it->ext_id, other);
		free(other);
		return EX_DATAERR;
	}
	free(other);
	if (same_hash) {
		*outcome = STORE_UNCHANGED;
		if (ord == it->ord) return 0;
		st = prep(s, "UPDATE items SET ord = ?2 WHERE id = ?1", e);
		if (!st) return e->code;
		bind_all(st, "II", (long long)row, (long long)it->ord);
		return step_done(s, st, e, "item order");
	}
	st = prep(s, "UPDATE items SET is_current = 0 WHERE id = ?1", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, row);
	if (step_done(s, st, e, "item version")) return e->code;
	*outcome = STORE_CHANGED;
	return item_insert(s, it, version + 1, e);
}

int store_items_each(store *s, const struct store_item_query *q,
		     int (*cb)(void *ctx, const struct store_item *it), void *ctx, struct gs_err *e)
{
	/* two statements, so that each order is read straight off an index */
	sqlite3_stmt *st = q && q->by_id ? prep(s, ITEM_SELECT ITEM_FILTER " ORDER BY ext_id", e)
					 : prep(s, ITEM_SELECT ITEM_FILTER " ORDER BY set_name, ord, ext_id", e);
#undef ITEM_FILTER
	if (!st) return e->code;
	bind_all(st, "tttt", q ? q->set : NULL, q ? q->meta_key : NULL, q ? q->meta_value : NULL, q ? q->kind : NULL);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_item it;
		item_from_row(st, &it);
		if (cb(ctx, &it)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "items");
	sqlite3_reset(st);
	return 0;
}

int store_item_count(store *s, const char *set, long long *n, struct gs_err *e)
{
	return count_with(s, prep(s, "SELECT count(*) FROM items WHERE is_current AND (?1 IS NULL OR set_name = ?1)", e),
			  set, n, e);
}

int store_item_count_kind(store *s, const char *kind, long long *n, struct gs_err *e)
{
	return count_with(s, prep(s, "SELECT count(*) FROM items WHERE is_current AND kind = ?1", e), kind, n, e);
}

int store_sets_each(store *s, int (*cb)(void *ctx, const char *set, long long items), void *ctx,
		    struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT s.name, (SELECT count(*) FROM items i WHERE i.set_name = s.name"
				   " AND i.is_current) FROM sets s ORDER BY s.name", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0), sqlite3_column_int64(st, 1))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "sets");
	sqlite3_reset(st);
	return 0;
}

/* ---- rubrics ---- */

int rubric_insert(store *s, const struct store_rubric *r, struct gs_err *e)
{
	/* re-putting a known text moves it to the newest row: it becomes current */
	sqlite3_stmt *st = prep(s, "DELETE FROM rubrics WHERE name = ?1 AND hash = ?2", e);
	if (!st) return e->code;
	bind_all(st, "tt", r->name, r->hash);
	if (step_done(s, st, e, "rubric")) return e->code;
	st = prep(s, "INSERT INTO rubrics(name, version, hash, json, mode, loaded_at)"
		     " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_all(st, "titttt", r->name, (int)r->version, r->hash, r->json, r->mode, now);
	return step_done(s, st, e, "rubric");
}

/* one transaction: a failed insert (a full disk) cannot leave the text deleted */
int store_rubric_put(store *s, const struct store_rubric *r, struct gs_err *e)
{
	int own = !s->in_tx;
	if (own && store_begin(s, e)) return e->code;
	if (rubric_insert(s, r, e)) {
		if (own) store_rollback(s);
		return e->code;
	}
	return own ? store_commit(s, e) : 0;
}

void rubric_from_row(sqlite3_stmt *st, struct store_rubric *r)
{
	r->name = col_text(st, 0);
	r->version = sqlite3_column_int(st, 1);
	r->hash = col_text(st, 2);
	r->json = col_text(st, 3);
	r->mode = col_text(st, 4);
}

int store_rubric_get(store *s, const char *name, struct store_rubric *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT name, version, hash, json, mode FROM rubrics WHERE name = ?1"
				   " ORDER BY id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct store_rubric r;
		rubric_from_row(st, &r);
		out->name = xstrdup(r.name);
		out->version = r.version;
		out->hash = xstrdup(r.hash);
		out->json = xstrdup(r.json);
		out->mode = xstrdup(r.mode);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no rubric named \"%s\" (see goldset rubric list)", name);
	return db_fail(s, e, "rubric");
}

void store_rubric_free(struct store_rubric *r)
{
	free((char *)r->name);
	free((char *)r->hash);
	free((char *)r->json);
	free((char *)r->mode);
	memset(r, 0, sizeof *r);
}

int store_rubrics_each(store *s, int (*cb)(void *ctx, const struct store_rubric *r), void *ctx,
		       struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT name, version, hash, json, mode FROM rubrics r WHERE id ="
				   " (SELECT max(id) FROM rubrics q WHERE q.name = r.name) ORDER BY name", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_rubric r;
		rubric_from_row(st, &r);
		if (cb(ctx, &r)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "rubrics");
	sqlite3_reset(st);
	return 0;
}

/* ---- raters ---- */

int store_rater_ensure(store *s, const char *name, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO raters(name, kind, created_at) VALUES(?1, ?2, ?3)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_all(st, "ttt", name, strncmp(name, "judge:", 6) == 0 ? "judge" : "human", now);
	return step_done(s, st, e, "rater");
}
