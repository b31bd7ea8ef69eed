/* store_judge.c: the judge_calls table (migration 9) behind `goldset
 * judge`: its answered keys and its failures (store_judge.h). */
#include "store/store_impl.h"
#include "store/store_judge.h"

int store_judge_relaxed_sync(store *s, struct gs_err *e)
{
	return exec(s, "PRAGMA synchronous=NORMAL", e);
}

int store_judge_run_end(store *s, const char *judge, const char *at, struct gs_err *e)
{
	if (exec(s, "PRAGMA synchronous=FULL", e)) return e->code;
	char *key = xasprintf("judge_run:%s", judge);
	int rc = store_setting_set(s, key, at, e);
	free(key);
	return rc;
}

int store_judge_call_add(store *s, const struct store_judge_call *c, struct gs_err *e)
{
	static const char sql[] =
		"INSERT INTO judge_calls(judge, rubric, ext_id, item_hash, prompt_hash, left_sys, right_sys, ok,"
		" label_id, error, raw, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
	char now[32];
	sqlite3_stmt *st = prep(s, sql, e);
	if (!st) return e->code;
	const char *text[] = {c->judge, c->rubric, c->ext_id, c->item_hash, c->prompt_hash, c->left_sys, c->right_sys};
	for (int i = 0; i < (int)ARRAY_LEN(text); i++) bind_text(st, i + 1, text[i]);
	sqlite3_bind_int(st, 8, c->ok != 0);
	if (c->ok) sqlite3_bind_int64(st, 9, c->label_id);
	bind_text(st, 10, c->error);
	bind_text(st, 11, c->raw);
	now_iso8601_ms(now);
	bind_text(st, 12, now);
	return step_done(s, st, e, "judge_calls");
}

int store_judge_answered_each(store *s, const char *judge, const char *rubric,
			      int (*cb)(void *ctx, const char *item_hash, const char *prompt_hash), void *ctx,
			      struct gs_err *e)
{
	static const char sql[] = "SELECT item_hash, prompt_hash FROM judge_calls WHERE judge = ?1 AND rubric = ?2 AND ok";
	sqlite3_stmt *st = prep(s, sql, e);
	if (!st) return e->code;
	bind_text(st, 1, judge);
	bind_text(st, 2, rubric);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) stop = cb(ctx, col_text(st, 0), col_text(st, 1));
	if (!stop && rc != SQLITE_DONE) return db_fail(s, e, "judge_calls");
	sqlite3_reset(st);
	return 0;
}

int store_judge_failures_each(store *s, const char *judge, const char *rubric,
			      int (*cb)(void *ctx, const struct store_judge_call *c), void *ctx, struct gs_err *e)
{
	static const char sql[] =
		"SELECT j.rubric, j.ext_id, j.item_hash, j.prompt_hash, j.left_sys, j.right_sys, j.error, j.raw, j.at"
		" FROM judge_calls j JOIN items i ON i.ext_id = j.ext_id AND i.is_current AND i.hash = j.item_hash"
		" WHERE j.judge = ?1 AND (?2 IS NULL OR j.rubric = ?2) AND NOT j.ok"
		" AND j.id = (SELECT max(x.id) FROM judge_calls x WHERE x.judge = j.judge AND x.rubric = j.rubric"
		" AND x.ext_id = j.ext_id AND x.left_sys IS j.left_sys AND x.right_sys IS j.right_sys)"
		" ORDER BY j.rubric, j.ext_id, j.left_sys, j.right_sys";
	sqlite3_stmt *st = prep(s, sql, e);
	if (!st) return e->code;
	bind_text(st, 1, judge);
	bind_text(st, 2, rubric);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_judge_call c = {
			.judge = judge, .rubric = col_text(st, 0), .ext_id = col_text(st, 1), .item_hash = col_text(st, 2),
			.prompt_hash = col_text(st, 3), .left_sys = col_text(st, 4), .right_sys = col_text(st, 5),
			.error = col_text(st, 6), .raw = col_text(st, 7), .at = col_text(st, 8),
		};
		stop = cb(ctx, &c);
	}
	if (!stop && rc != SQLITE_DONE) return db_fail(s, e, "judge_calls");
	sqlite3_reset(st);
	return 0;
}
