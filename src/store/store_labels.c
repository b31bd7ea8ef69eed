/* store_labels.c: label rows, the hybrid logical clock of their times,
 * what is not committed yet, marks and calibration blindness. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- labels ---- */

int label_insert(store *s, const struct store_label *l, long long *id_out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"INSERT INTO labels(item_id, ext_id, rubric, rubric_version, rubric_hash, rater, login, vals,"
		" note, left_sys, right_sys, pair_key, sides, seconds, source, batch, at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", e);
	if (!st) return e->code;
	bind_all(st, "Ittittttttttt", (long long)l->item_row, l->ext_id, l->rubric, (int)l->rubric_version,
		 l->rubric_hash ? l->rubric_hash : "", l->rater, l->login ? l->login : gs_login(), l->vals, l->note,
		 l->left_sys, l->right_sys, l->pair_key ? l->pair_key : "", l->sides);
	if (l->seconds >= 0) sqlite3_bind_double(st, 14, l->seconds);
	else sqlite3_bind_null(st, 14);
	bind_text(st, 15, l->source ? l->source : "screen");
	bind_text(st, 16, l->batch);
	bind_text(st, 17, l->at);
	if (step_done(s, st, e, "label")) return e->code;
	*id_out = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int head_set(store *s, const struct store_label *l, long long id, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO heads(rubric, ext_id, rater, pair_key, label_id)"
				   " VALUES(?1, ?2, ?3, ?4, ?5)", e);
	if (!st) return e->code;
	bind_all(st, "ttttI", l->rubric, l->ext_id, l->rater, l->pair_key ? l->pair_key : "", (long long)id);
	return step_done(s, st, e, "label head");
}

/* ---- the hybrid logical clock of label times ---- */

int64_t clock_seen(store *s)
{
	if (!s->seen_loaded) {
		char *v = NULL;
		struct gs_err ignore;
		if (store_setting_get(s, "clock.seen", &v, &ignore) == 0 && v) s->seen_ms = strtoll(v, NULL, 10);
		free(v);
		s->seen_loaded = 1;
	}
	return s->seen_ms;
}

void store_clock_saw(store *s, int64_t ms)
{
	if (ms > clock_seen(s)) s->seen_ms = ms;
}

int store_clock_save(store *s, struct gs_err *e)
{
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)clock_seen(s));
	return store_setting_set(s, "clock.seen", v, e);
}

/* the time of the current label of l's key, -1 when there is none */
int64_t head_at(store *s, const struct store_label *l)
{
	struct gs_err ignore;
	sqlite3_stmt *st = prep(s, "SELECT l.at FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE h.rubric = ?1 AND h.rater = ?2 AND h.ext_id = ?3 AND h.pair_key = ?4", &ignore);
	if (!st) return -1;
	bind_all(st, "tttt", l->rubric, l->rater, l->ext_id, l->pair_key ? l->pair_key : "");
	int64_t at = sqlite3_step(st) == SQLITE_ROW ? gs_at_ms(col_text(st, 0)) : -1;
	sqlite3_reset(st);
	return at;
}

/* a decision made now: later than the wall clock, than every label time
 * seen, and than the key's current label, so that it wins every merge
 * with what this store has seen even when clocks disagree */
void label_time_now(store *s, const struct store_label *l, char out[32])
{
	int64_t at = gs_clock_ms(), seen = clock_seen(s), cur = head_at(s, l);
	if (seen + 1 > at) at = seen + 1;
	if (cur + 1 > at) at = cur + 1;
	s->seen_ms = at;
	gs_at_format(at, out);
}

int store_label_add(store *s, const struct store_label *l, long long *id_out, struct gs_err *e)
{
	long long id = 0;
	int own = !s->in_tx;
	int known = s->rater_known && strcmp(s->rater_known, l->rater) == 0;   /* raters are never deleted */
	char now[32];
	struct store_label row = *l;
	if (own && store_begin(s, e)) return e->code;
	if (!row.at) {
		label_time_now(s, l, now);
		row.at = now;
	} else {
		store_clock_saw(s, gs_at_ms(row.at));
	}
	l = &row;
	if ((!known && store_rater_ensure(s, l->rater, e)) || label_insert(s, l, &id, e) || head_set(s, l, id, e)) {
		if (own) store_rollback(s);
		return e->code;
	}
	if (own && store_commit(s, e)) return e->code;
	if (own && !known) {
		free(s->rater_known);
		s->rater_known = xstrdup(l->rater);
	}
	if (id_out) *id_out = id;
	return 0;
}

void label_from_row(sqlite3_stmt *st, struct store_label *l)
{
	l->id = sqlite3_column_int64(st, 0);
	l->item_row = sqlite3_column_int64(st, 1);
	l->ext_id = col_text(st, 2);
	l->rubric = col_text(st, 3);
	l->rubric_version = sqlite3_column_int(st, 4);
	l->rubric_hash = col_text(st, 5);
	l->rater = col_text(st, 6);
	l->login = col_text(st, 7);
	l->vals = col_text(st, 8);
	l->note = col_text(st, 9);
	l->left_sys = col_text(st, 10);
	l->right_sys = col_text(st, 11);
	l->pair_key = col_text(st, 12);
	l->sides = col_text(st, 13);
	l->seconds = sqlite3_column_double(st, 14);
	l->source = col_text(st, 15);
	l->batch = col_text(st, 16);
	l->at = col_text(st, 17);
	l->stale = sqlite3_column_int(st, 18) > 0;
}

char *dup0(const char *s) { return s ? xstrdup(s) : NULL; }

int store_label_current(store *s, const char *rubric, const char *ext_id, const char *rater,
			const char *pair_key, struct store_label *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM heads h JOIN labels l ON l.id = h.label_id" LABEL_ITEM
		"WHERE h.rubric = ?1 AND h.ext_id = ?2 AND h.rater = ?3 AND h.pair_key = ?4", e);
	if (!st) return e->code;
	bind_all(st, "tttt", rubric, ext_id, rater, pair_key ? pair_key : "");
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE) return gs_fail(e, EX_NOINPUT, "no label");
		return db_fail(s, e, "label");
	}
	struct store_label l;
	label_from_row(st, &l);
	*out = l;
	out->ext_id = dup0(l.ext_id);
	out->rubric = dup0(l.rubric);
	out->rubric_hash = dup0(l.rubric_hash);
	out->rater = dup0(l.rater);
	out->login = dup0(l.login);
	out->vals = dup0(l.vals);
	out->note = dup0(l.note);
	out->left_sys = dup0(l.left_sys);
	out->right_sys = dup0(l.right_sys);
	out->pair_key = dup0(l.pair_key);
	out->sides = dup0(l.sides);
	out->source = dup0(l.source);
	out->batch = dup0(l.batch);
	out->at = dup0(l.at);
	sqlite3_reset(st);
	return 0;
}

void store_label_free(struct store_label *l)
{
	const char **f[] = {&l->ext_id, &l->rubric, &l->rubric_hash, &l->rater, &l->login, &l->vals,
			    &l->note, &l->left_sys, &l->right_sys, &l->pair_key, &l->sides, &l->source,
			    &l->batch, &l->at};
	for (size_t i = 0; i < ARRAY_LEN(f); i++) free((char *)*f[i]);
	memset(l, 0, sizeof *l);
}

int labels_loop(store *s, sqlite3_stmt *st, int (*cb)(void *, const struct store_label *), void *ctx,
		       struct gs_err *e)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_label l;
		label_from_row(st, &l);
		if (cb(ctx, &l)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "labels");
	sqlite3_reset(st);
	return 0;
}

int store_labels_each(store *s, const struct store_label_query *q,
		      int (*cb)(void *ctx, const struct store_label *l), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM heads h JOIN labels l ON l.id = h.label_id" LABEL_ITEM
		"WHERE l.vals IS NOT NULL AND (?1 IS NULL OR h.rubric = ?1) AND (?2 IS NULL OR h.rater = ?2)"
		" AND (?3 IS NULL OR l.batch = ?3)"
		" AND (?4 OR i.is_current)"
		" AND (?5 OR " LABEL_REVEALED ")"
		" ORDER BY h.rubric, h.rater, h.ext_id, h.pair_key", e);
	if (!st) return e->code;
	bind_all(st, "tttii", q ? q->rubric : NULL, q ? q->rater : NULL, q ? q->batch : NULL,
		 (int)(q ? q->include_stale : 0), (int)(q ? q->include_hidden : 0));
	return labels_loop(s, st, cb, ctx, e);
}

int store_label_lines_each(store *s, int (*cb)(void *ctx, const struct store_label *l), void *ctx,
			   struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT l.ext_id, l.rubric, l.rubric_version, l.rater, l.vals, l.note, l.left_sys,"
		" l.right_sys, l.at, l.batch FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE " LABEL_SHARED " ORDER BY h.rubric, h.rater, h.ext_id, h.pair_key", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_label l = {.ext_id = col_text(st, 0), .rubric = col_text(st, 1),
					.rubric_version = sqlite3_column_int(st, 2), .rater = col_text(st, 3),
					.vals = col_text(st, 4), .note = col_text(st, 5), .left_sys = col_text(st, 6),
					.right_sys = col_text(st, 7), .at = col_text(st, 8), .batch = col_text(st, 9),
					.seconds = -1};
		if (cb(ctx, &l)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "labels");
	sqlite3_reset(st);
	return 0;
}

int store_label_history_each(store *s, const char *rubric, const char *ext_id,
			     int (*cb)(void *ctx, const struct store_label *l), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM labels l" LABEL_ITEM "WHERE (?1 IS NULL OR l.rubric = ?1)"
				   " AND (?2 IS NULL OR l.ext_id = ?2) ORDER BY l.id", e);
	if (!st) return e->code;
	bind_all(st, "tt", rubric, ext_id);
	return labels_loop(s, st, cb, ctx, e);
}

int store_label_rubrics_each(store *s, int (*cb)(void *ctx, const char *rubric), void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT r.rubric FROM (SELECT DISTINCT rubric FROM heads) r"
		" WHERE EXISTS (SELECT 1 FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE h.rubric = r.rubric AND l.vals IS NOT NULL AND " LABEL_REVEALED ") ORDER BY r.rubric", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (cb(ctx, col_text(st, 0))) break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "rubrics");
	sqlite3_reset(st);
	return 0;
}

int store_label_counts_each(store *s, int (*cb)(void *ctx, const struct store_label_count *c),
			    void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT h.rubric, h.rater, count(*),"
		" sum(coalesce(NOT i.is_current, 1)), count(DISTINCT h.ext_id)"
		" FROM heads h JOIN labels l ON l.id = h.label_id" LABEL_ITEM "WHERE l.vals IS NOT NULL AND " LABEL_REVEALED
		" GROUP BY h.rubric, h.rater ORDER BY h.rubric, h.rater", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_label_count c = {col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2),
					      sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4)};
		if (cb(ctx, &c)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "label counts");
	sqlite3_reset(st);
	return 0;
}

int store_overlap_each(store *s, int (*cb)(void *ctx, const struct store_overlap *o), void *ctx,
		       struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT rubric, count(*), sum(n >= 2) FROM (SELECT h.rubric, h.ext_id, count(DISTINCT h.rater) AS n"
		" FROM raters r CROSS JOIN heads h JOIN labels l ON l.id = h.label_id" LABEL_ITEM
		"WHERE r.kind = 'human' AND h.rater = r.name AND l.vals IS NOT NULL AND " LABEL_REVEALED
		" AND i.is_current"
		" GROUP BY h.rubric, h.ext_id) GROUP BY rubric ORDER BY rubric", e);
	if (!st) return e->code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_overlap o = {col_text(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)};
		if (cb(ctx, &o)) break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db_fail(s, e, "overlap");
	sqlite3_reset(st);
	return 0;
}

/* ---- what is not committed yet ---- */

int store_label_commit_mark(store *s, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO settings(key, value)"
				   " SELECT 'commit.label_id', coalesce(max(id), 0) FROM labels", e);
	return st ? step_done(s, st, e, "settings") : e->code;
}

int store_label_uncommitted(store *s, long long *n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT count(*) FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE h.label_id > coalesce((SELECT CAST(value AS INTEGER) FROM settings"
		" WHERE key = 'commit.label_id'), 0) AND l.source NOT IN ('pull', 'init') AND " LABEL_SHARED, e);
	if (!st) return e->code;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s, e, "labels");
}

/* ---- marks ---- */

int store_mark_add(store *s, const char *ext_id, const char *rubric, const char *rater, const char *kind,
		   const char *text, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO marks(ext_id, rubric, rater, kind, text, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_all(st, "tttttt", ext_id, rubric, rater, kind, text, now);
	return step_done(s, st, e, "mark");
}

int store_item_flagged(store *s, const char *ext_id, const char *rater, int *flagged, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT kind FROM marks WHERE ext_id = ?1 AND (?2 IS NULL OR rater = ?2)"
				   " AND kind IN ('flag', 'unflag') ORDER BY id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_all(st, "tt", ext_id, rater);
	int rc = sqlite3_step(st);
	*flagged = rc == SQLITE_ROW && strcmp(col_text(st, 0), "flag") == 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "flag");
}

/* one statement: a skip mark of the rater (any rubric or this one), then
 * whether the newest comment mark has text (NULL: no comment mark) */
int store_item_marks(store *s, const char *ext_id, const char *rubric, const char *rater,
		     struct store_item_marks *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT EXISTS (SELECT 1 FROM marks WHERE ext_id = ?1 AND kind = 'skip'"
		" AND rater = ?3 AND (rubric IS NULL OR rubric = ?2)),"
		" (SELECT coalesce(length(text), 0) > 0 FROM marks WHERE ext_id = ?1 AND kind = 'comment'"
		" AND rater = ?3 AND (rubric IS NULL OR rubric = ?2) ORDER BY id DESC LIMIT 1)", e);
	if (!st) return e->code;
	bind_all(st, "ttt", ext_id, rubric, rater);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->skipped = sqlite3_column_int(st, 0);
		out->commented = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) return db_fail(s, e, "marks");
	return store_item_flagged(s, ext_id, rater, &out->flagged, e);
}

/* ---- calibration blindness ---- */

int store_batch_share(store *s, const char *batch, const char *rater, struct gs_err *e)
{
	char *key = xasprintf("shared:%s\n%s", batch, rater);
	int rc = store_setting_set(s, key, "1", e);
	free(key);
	return rc;
}

int store_batch_reveal(store *s, const char *batch, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "UPDATE batches SET revealed = 1, revealed_at = ?2 WHERE name = ?1 AND NOT revealed", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601_ms(now);
	bind_all(st, "tt", batch, now);
	return step_done(s, st, e, "batch");
}

int store_batch_reveal_at(store *s, const char *batch, const char *at, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "UPDATE batches SET revealed = 1, revealed_at = ?2 WHERE name = ?1", e);
	if (!st) return e->code;
	bind_all(st, "tt", batch, at);
	if (step_done(s, st, e, "batch")) return e->code;
	if (sqlite3_changes(s->db) == 0) return gs_fail(e, EX_NOINPUT, "no calibration batch named \"%s\"", batch);
	return 0;
}
