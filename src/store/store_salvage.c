/* store_salvage.c: what a damaged store still gives (`init --rebuild`):
 * rows copied table by table, label rows read from the pages. */
#include "store/store_impl.h"

#include <stdlib.h>
#include <string.h>

/* ---- salvage: what a damaged store still gives (goldset init --rebuild) ---- */
/* The damaged file is opened read-only as far as it goes (writable_schema
 * lets a truncated file open) and each table is read in rowid order; a
 * read that fails skips to the next readable rowid (salvage_scan), so one
 * bad page costs the rows on it, not the table. Label rows go into the new
 * store (which already holds golden/, rubrics/, labels/ and what HEAD
 * shares) unless the files hold them already; a key's head moves to its
 * newest recovered row when that is later than the files' label
 * (salvage_heads_sql); the other tables follow the shared files' rules
 * (salvage_copies). */

int probe_ok(sqlite3_stmt *probe, long long x)
{
	sqlite3_reset(probe);
	sqlite3_bind_int64(probe, 1, x);
	int rc = sqlite3_step(probe);
	sqlite3_reset(probe);
	return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* where reading can go on after a failed read past `after`: probes
 * "rowid > x" with x growing (after, after + 1, + 3, + 7 ...) until one
 * succeeds, then narrows to the smallest such x. 1 and *next, or 0 when
 * nothing after can be read */
int salvage_skip(sqlite3_stmt *probe, long long after, long long *next)
{
	long long base = after < 0 ? 0 : after, bad = base - 1, good = 0;
	int found = 0;
	for (int k = 0; k < 63 && !found; k++) {
		long long x = base + (long long)((1ULL << k) - 1);
		if (x < base) break;
		if (probe_ok(probe, x)) found = 1, good = x;
		else bad = x;
	}
	while (found && good - bad > 1) {
		long long mid = bad + (good - bad) / 2;
		if (probe_ok(probe, mid)) good = mid;
		else bad = mid;
	}
	*next = good;
	return found;
}

/* after the last readable row: how many more rows the table claims (its
 * largest rowid, when that page can still be read; else 0) */
long long salvage_tail(sqlite3 *old, const char *table, long long last)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT max(rowid) FROM %s", table);
	sqlite3_stmt *st = NULL;
	long long n = 0;
	if (sqlite3_prepare_v2(old, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0) - last;
	sqlite3_finalize(st);
	return n > 0 && last != INT64_MIN ? n : 0;
}

/* a read failed after rowid *last: where to go on, or 0 (the rest of the
 * table cannot be read: counted as lost as far as its largest rowid says) */
int salvage_gap(struct salvage *sv, sqlite3_stmt *probe, const char *table, struct store_salvage_table *t,
		       long long *last)
{
	long long next;
	if (*last == INT64_MIN) *last = 0;   /* rowids start at 1 */
	if (salvage_skip(probe, *last, &next)) {
		t->gaps++;
		*last = next;
		return 1;
	}
	long long more = salvage_tail(sv->old, table, *last);
	t->tail_lost = 1;
	t->lost += more;
	t->max_rowid = more ? *last + more : 0;
	return 0;
}

/* rows of one table of the old store in rowid order: sql selects rowid
 * first and has "rowid > ?1 ORDER BY rowid"; row() returns non-zero on an
 * error writing the new store. Rows lost are counted by the rowids skipped
 * (labels are never deleted, so there their count is exact). */
int salvage_scan(struct salvage *sv, const char *table, const char *sql,
			int (*row)(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e), struct store_salvage_table *t,
			struct gs_err *e)
{
	char probe_sql[128];
	snprintf(probe_sql, sizeof probe_sql, "SELECT rowid FROM %s WHERE rowid > ?1 ORDER BY rowid LIMIT 1", table);
	sqlite3_stmt *st = NULL, *probe = NULL;
	long long last = INT64_MIN, gap_from = -1;   /* gap_from: the last row before a gap */
	int rc = SQLITE_DONE;
	if (sqlite3_prepare_v2(sv->old, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(sv->old, probe_sql, -1, &probe, NULL) != SQLITE_OK)
		t->unreadable = 1;
	while (!t->unreadable) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, last);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			last = sqlite3_column_int64(st, 0);
			if (gap_from >= 0) t->lost += last - gap_from - 1;
			gap_from = -1;
			if (row(sv, st, e)) goto done;
		}
		if (rc == SQLITE_DONE) break;
		gap_from = last == INT64_MIN ? 0 : last;
		if (!salvage_gap(sv, probe, table, t, &last)) break;
	}
done:
	sqlite3_finalize(st);
	sqlite3_finalize(probe);
	return e->code;
}

/* ---- the other tables: copied row by row ---- */

static const struct salvage_copy salvage_copies[] = {
	{"raters", SV_SELECT("name, kind, created_at", "raters"), NULL,
	 "INSERT OR IGNORE INTO raters(name, kind, created_at) VALUES(?1, ?2, ?3)"},
	{"rubrics", SV_SELECT("name, version, hash, json, mode, loaded_at, rowid", "rubrics"), NULL,
	 /* older than every rubric the files gave: the files' text stays current */
	 "INSERT INTO rubrics(id, name, version, hash, json, mode, loaded_at) SELECT ?7 - 1000000000000, ?1, ?2, ?3,"
	 " ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM rubrics WHERE name = ?1 AND hash = ?3)"},
	{"marks", SV_SELECT("ext_id, rubric, rater, kind, text, at", "marks"), NULL,
	 "INSERT INTO marks(ext_id, rubric, rater, kind, text, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"},
	{"shown", SV_SELECT("ext_id, rubric, rater, left_sys, right_sys, pair_key, pass, at", "shown"), NULL,
	 "INSERT INTO shown(ext_id, rubric, rater, left_sys, right_sys, pair_key, pass, at)"
	 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
	/* a batch the shared files hold stays as they have it, but takes a
	 * report opened here and not committed yet (the same batch: same at) */
	{"batches", SV_SELECT(SV_BATCH_COLS ", at, revealed_at", "batches"),
	 SV_SELECT(SV_BATCH_COLS ", created_at, CASE WHEN revealed THEN created_at END", "batches"),
	 "INSERT INTO batches(name, rubric, raters, seed, stratify, round, created_at, revealed, at, revealed_at)"
	 " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(name) DO UPDATE SET revealed = 1,"
	 " revealed_at = excluded.revealed_at WHERE excluded.revealed AND NOT batches.revealed AND batches.at IS excluded.at"},
	{"batch_items", SV_SELECT("batch, pos, ext_id", "batch_items"), NULL,
	 "INSERT OR IGNORE INTO batch_items(batch, pos, ext_id) VALUES(?1, ?2, ?3)"},
	/* consensus and reviews: the shared files' rule, the later time wins */
	{"consensus", SV_SELECT("ext_id, rubric, rubric_version, criterion, value, cause, note, source, at", "consensus"),
	 NULL,
	 "INSERT INTO consensus(ext_id, rubric, rubric_version, criterion, value, cause, note, source, at)"
	 " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS (SELECT 1 FROM consensus d WHERE d.rubric = ?2"
	 " AND d.ext_id = ?1 AND d.criterion = ?4 AND gs_at_ms(d.at) >= gs_at_ms(?9))"},
	{"reviews", SV_SELECT("ext_id, session, rubric, tags, note, at", "reviews"), NULL,
	 "INSERT INTO reviews(ext_id, session, rubric, tags, note, at) SELECT ?1, ?2, ?3, ?4, ?5, ?6"
	 " WHERE NOT EXISTS (SELECT 1 FROM reviews d WHERE d.ext_id = ?1 AND d.session = ?2"
	 " AND gs_at_ms(d.at) >= gs_at_ms(?6))"},
	/* settings: the rubric last used, which raters shared a finished batch;
	 * not the caches or what sync absorbed (the new store loaded that) */
	{"settings", SV_SELECT("key, value", "settings"), NULL,
	 "INSERT OR REPLACE INTO settings(key, value) SELECT ?1, ?2 WHERE ?1 LIKE 'rubric.%' OR ?1 LIKE 'shared:%'"},
};

int salvage_copy_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e)
{
	sqlite3_stmt *ins = prep(sv->dst, sv->copy->insert, e);
	if (!ins) return e->code;
	for (int i = 1; i < sqlite3_column_count(st); i++) sqlite3_bind_value(ins, i, sqlite3_column_value(st, i));
	if (step_done(sv->dst, ins, e, sv->copy->name)) return e->code;
	sv->t->rows += sqlite3_changes(sv->dst->db) > 0;
	return 0;
}

int salvage_tables(struct salvage *sv, struct gs_err *e)
{
	for (size_t i = 0; i < ARRAY_LEN(salvage_copies) && i < ARRAY_LEN(sv->r->tables); i++) {
		sv->copy = &salvage_copies[i];
		sv->t = &sv->r->tables[i];
		sv->t->name = sv->copy->name;
		const char *sql = sv->copy->select;
		sqlite3_stmt *probe = NULL;
		if (sv->copy->select_old && sqlite3_prepare_v2(sv->old, sql, -1, &probe, NULL) != SQLITE_OK)
			sql = sv->copy->select_old;   /* a schema without the newer columns */
		sqlite3_finalize(probe);
		if (salvage_scan(sv, sv->copy->name, sql, salvage_copy_row, sv->t, e)) return e->code;
	}
	return 0;
}

/* ---- label rows ---- */

/* the new store's row of an old item version: the same one (by hash), or
 * a copy put beside the current version (is_current = 0) */
long long salvage_item_version(struct salvage *sv, const struct store_item *it, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "SELECT id FROM items WHERE ext_id = ?1 AND hash = ?2", e);
	if (!st) return -1;
	bind_all(st, "tt", it->ext_id, it->hash);
	long long row = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (row) return row;
	if (set_ensure(sv->dst, it->set, e)) return -1;
	st = prep(sv->dst, "INSERT INTO items(ext_id, set_name, version, hash, is_current, kind, ord, json, meta,"
			   " has_gold, out_len, imported_at, shuf) VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (!st) return -1;
	sqlite3_bind_int64(st, 12, order_key("", it->ext_id));
	bind_all(st, "ttittIttiIt", it->ext_id, it->set, (int)it->version, it->hash, it->kind ? it->kind : "single",
		 (long long)it->ord, it->json, it->meta ? it->meta : "{}", (int)it->has_gold, (long long)it->out_len,
		 it->imported_at ? it->imported_at : "");
	if (step_done(sv->dst, st, e, "item version")) return -1;
	sv->r->item_versions++;
	return sqlite3_last_insert_rowid(sv->dst->db);
}

/* the new store's row for the item version a recovered label was made on:
 * that version when the old item row can be read (the label stays stale if
 * it was), else the current one; 0 when golden/ no longer has the item,
 * -1 on an error writing the new store */
long long salvage_item(struct salvage *sv, long long old_row, const char *ext_id, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "SELECT id FROM items WHERE ext_id = ?1 AND is_current", e);
	if (!st) return -1;
	bind_text(st, 1, ext_id);
	long long cur = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0, row = cur;
	sqlite3_reset(st);
	sqlite3_stmt *o = sv->old_item;
	if (!cur || !o) return cur;
	sqlite3_reset(o);
	sqlite3_bind_int64(o, 1, old_row);
	if (sqlite3_step(o) == SQLITE_ROW && col_text(o, 0) && strcmp(col_text(o, 0), ext_id) == 0 && col_text(o, 1) &&
	    col_text(o, 2) && col_text(o, 4)) {
		struct store_item it = {.ext_id = ext_id, .set = col_text(o, 1), .hash = col_text(o, 2),
					.kind = col_text(o, 3), .json = col_text(o, 4), .meta = col_text(o, 5),
					.imported_at = col_text(o, 6), .version = sqlite3_column_int(o, 7),
					.has_gold = sqlite3_column_int(o, 8), .ord = sqlite3_column_int64(o, 9),
					.out_len = sqlite3_column_int64(o, 10)};
		row = salvage_item_version(sv, &it, e);
	}
	sqlite3_reset(o);
	return row;
}

/* the label files' line for l's key is l itself (same values, note, time
 * and sides shown) */
int salvage_in_files(struct salvage *sv, const struct store_label *l, int *yes, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "SELECT 1 FROM heads h JOIN labels l ON l.id = h.label_id WHERE h.rubric = ?1"
				   " AND h.ext_id = ?2 AND h.rater = ?3 AND h.pair_key = ?4 AND l.vals IS ?5"
				   " AND coalesce(l.note, '') = coalesce(?6, '') AND l.at = ?7 AND l.left_sys IS ?8", e);
	if (!st) return e->code;
	bind_all(st, "tttttttt", l->rubric, l->ext_id, l->rater, l->pair_key, l->vals, l->note, l->at, l->left_sys);
	int rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(sv->dst, e, "recovery");
}

/* what the heads decision needs of a recovered row (temp.salvaged) */
int salvage_note(struct salvage *sv, const struct store_label *l, long long new_id, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "INSERT INTO temp.salvaged(rubric, ext_id, rater, pair_key, old_id, new_id, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", e);
	if (!st) return e->code;
	bind_all(st, "ttttIIt", l->rubric, l->ext_id, l->rater, l->pair_key, (long long)l->id, (long long)new_id,
		 l->at);
	return step_done(sv->dst, st, e, "recovery");
}

/* 1 the first time label id comes by (a row can be read twice: by SQL,
 * then from the pages, or from the file and its WAL) */
int salvage_first(struct salvage *sv, long long id, int *first, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "INSERT OR IGNORE INTO temp.salvage_seen(id) VALUES(?1)", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(sv->dst, st, e, "recovery")) return e->code;
	*first = sqlite3_changes(sv->dst->db) > 0;
	if (id > sv->max_id) sv->max_id = id;
	return 0;
}

int json_ok(store *s, const char *text, int *ok, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT ?1 IS NULL OR json_valid(?1)", e);
	if (!st) return e->code;
	bind_text(st, 1, text);
	*ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* one label row of the old store (from SQL or from the pages) */
int salvage_label(struct salvage *sv, struct store_label *l, struct gs_err *e)
{
	struct store_salvage *r = sv->r;
	int first = 0, ok = 0, in_files = 0;
	if (!l->ext_id || !l->rubric || !l->rater || !l->pair_key || !l->at || !l->source) return 0;   /* not a label */
	if (json_ok(sv->dst, l->vals, &ok, e) || !ok || salvage_first(sv, l->id, &first, e) || !first) return e->code;
	if (salvage_in_files(sv, l, &in_files, e)) return e->code;
	if (in_files) {
		r->labels_in_files++;
		return 0;
	}
	long long row = salvage_item(sv, l->item_row, l->ext_id, e), id = 0;
	if (row < 0) return e->code;
	if (row == 0) {
		r->labels_no_item++;
		return 0;
	}
	l->item_row = row;
	if (store_rater_ensure(sv->dst, l->rater, e) || label_insert(sv->dst, l, &id, e)) return e->code;
	r->labels.rows++;
	store_clock_saw(sv->dst, gs_at_ms(l->at));   /* labels made from now on are later */
	return salvage_note(sv, l, id, e);
}

int salvage_label_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e)
{
	struct store_label l;
	label_from_row(st, &l);
	return salvage_label(sv, &l, e);
}

/* ---- label rows straight from the pages (pagescan.h) ---- */

char *ps_text(const struct ps_value *v)
{
	return v->type == PS_TEXT ? xstrndup(v->p, v->n) : NULL;
}

/* a record shaped like a labels row: 18 columns, the id (a rowid alias)
 * NULL, integers, texts and NULLs where the table has them */
int label_shaped(const struct ps_value *v, int n)
{
	static const char shape[] = "0ittittt????t?rt?t";   /* i int, t text, ? text or NULL, r real, int or NULL */
	if (n != 18) return 0;
	for (int i = 0; i < n; i++) {
		char c = shape[i];
		enum ps_type t = v[i].type;
		if ((c == '0' && t != PS_NULL) || (c == 'i' && t != PS_INT) || (c == 't' && t != PS_TEXT) ||
		    (c == '?' && t != PS_TEXT && t != PS_NULL) || (c == 'r' && t == PS_TEXT) || (c == 'r' && t == PS_BLOB))
			return 0;
	}
	return 1;
}

int raw_row(void *ctx, long long rowid, const struct ps_value *v, int n)
{
	struct raw_ctx *c = ctx;
	if (!label_shaped(v, n)) return 0;
	char *t[18] = {0};
	for (int i = 0; i < 18; i++) t[i] = ps_text(&v[i]);
	struct store_label l = {.id = rowid, .item_row = v[1].i, .ext_id = t[2], .rubric = t[3],
				.rubric_version = (int)v[4].i, .rubric_hash = t[5], .rater = t[6], .login = t[7],
				.vals = t[8], .note = t[9], .left_sys = t[10], .right_sys = t[11], .pair_key = t[12],
				.sides = t[13], .source = t[15], .batch = t[16], .at = t[17]};
	l.seconds = v[14].type == PS_REAL ? v[14].r : v[14].type == PS_INT ? (double)v[14].i : -1;
	long long before = c->sv->r->labels.rows + c->sv->r->labels_in_files + c->sv->r->labels_no_item;
	int rc = salvage_label(c->sv, &l, c->e) ? 1 : 0;
	c->sv->r->labels_raw += c->sv->r->labels.rows + c->sv->r->labels_in_files + c->sv->r->labels_no_item - before;
	for (int i = 0; i < 18; i++) free(t[i]);
	return rc;
}

int salvage_raw(struct salvage *sv, const char *path, struct gs_err *e)
{
	struct raw_ctx c = {sv, e};
	struct ps_counts pc;
	int rc = pagescan_file(path, raw_row, &c, &pc);
	return rc > 0 ? e->code : 0;
}

static const char salvage_heads_sql[] =
	"INSERT OR REPLACE INTO heads(rubric, ext_id, rater, pair_key, label_id)"
	" SELECT s.rubric, s.ext_id, s.rater, s.pair_key, s.new_id FROM temp.salvaged s"
	" LEFT JOIN (heads h JOIN labels l ON l.id = h.label_id) ON " SV_SAME_KEY(h, s)
	" WHERE s.old_id = (SELECT x.old_id FROM temp.salvaged x WHERE " SV_SAME_KEY(x, s)
	"  ORDER BY gs_at_ms(x.at) DESC, x.old_id DESC LIMIT 1)"
	" AND (h.label_id IS NULL OR gs_at_ms(s.at) > gs_at_ms(l.at))";

int salvage_labels_begin(store *dst, struct gs_err *e)
{
	return exec(dst, "CREATE TEMP TABLE salvaged(rubric TEXT, ext_id TEXT, rater TEXT, pair_key TEXT,"
			 " old_id INTEGER, new_id INTEGER, at TEXT);"
			 "CREATE INDEX temp.salvaged_key ON salvaged(rubric, ext_id, rater, pair_key, old_id);"
			 "CREATE TEMP TABLE salvage_seen(id INTEGER PRIMARY KEY);", e);
}

/* the heads, and how many label rows were lost: label ids run from 1
 * without gaps (rows are never deleted), so every id up to the largest
 * known that was not read is a row lost */
int salvage_labels_end(struct salvage *sv, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, salvage_heads_sql, e);
	if (!st || step_done(sv->dst, st, e, "recovery")) return e->code;
	sv->r->labels_current = sqlite3_changes(sv->dst->db);
	st = prep(sv->dst, "SELECT count(*) FROM temp.salvage_seen", e);
	long long seen = 0;
	if (!st || count_with(sv->dst, st, NULL, &seen, e)) return e->code;
	sv->r->labels.lost = sv->max_id > seen ? sv->max_id - seen : 0;
	sv->r->labels_max_id = sv->max_id;
	if (exec(sv->dst, "DROP TABLE temp.salvaged; DROP TABLE temp.salvage_seen;", e)) return e->code;
	return store_clock_save(sv->dst, e);
}

/* the labels table by SQL, then, where SQL could not read all of it, the
 * pages of the file */
int salvage_labels(struct salvage *sv, const char *path, struct gs_err *e)
{
	struct store_salvage_table *t = &sv->r->labels;
	t->name = "labels";
	if (salvage_labels_begin(sv->dst, e)) return e->code;
	if (sv->old && salvage_scan(sv, "labels", SV_LABELS, salvage_label_row, t, e)) return e->code;
	if (t->max_rowid > sv->max_id) sv->max_id = t->max_rowid;
	if ((!sv->old || t->gaps || t->tail_lost || t->unreadable) && salvage_raw(sv, path, e)) return e->code;
	return salvage_labels_end(sv, e);
}

/* ---- opening the old file ---- */

/* the old file, read-only; NULL with r->nothing saying why SQLite cannot
 * read it, and *pages when its pages are still worth a look (not empty,
 * not another program's database) */
sqlite3 *salvage_open(const char *path, struct store_salvage *r, int *pages)
{
	struct stat sb;
	int rc;
	if (stat(path, &sb) != 0 || sb.st_size == 0) {
		r->nothing = "it was empty (0 bytes)";
		return NULL;
	}
	sqlite3 *db = NULL;
	/* immutable (no -shm left behind) unless a -wal holds some of its data */
	char *uri = wal_in_use(path) ? NULL : immutable_uri(path);
	rc = sqlite3_open_v2(uri ? uri : path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		r->nothing = "it cannot be opened";
		*pages = 1;
		sqlite3_close(db);
		return NULL;
	}
	/* a truncated file opens with writable_schema (read-only all the same) */
	sqlite3_exec(db, "PRAGMA writable_schema = ON; PRAGMA cell_size_check = ON;", NULL, NULL, NULL);
	sqlite3_stmt *st = NULL;
	rc = sqlite3_prepare_v2(db, "SELECT (SELECT application_id FROM pragma_application_id),"
					" (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'labels')", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	long long app = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0, has = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_finalize(st);
	if (rc == SQLITE_NOTADB) r->nothing = "it is not a SQLite database";
	else if (rc != SQLITE_ROW) r->nothing = "SQLite cannot read its table list";
	else if (app != 0 && app != GS_APPLICATION_ID) r->nothing = "it is another program's database";
	else if (!has) r->nothing = "it has no labels table";
	*pages = r->nothing && !(app != 0 && app != GS_APPLICATION_ID);
	if (r->nothing) {
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

int store_salvage(store *dst, const char *old_path, struct store_salvage *r, struct gs_err *e)
{
	memset(r, 0, sizeof *r);
	int pages = 0;
	struct salvage sv = {.old = salvage_open(old_path, r, &pages), .dst = dst, .r = r};
	if (!sv.old && !pages) return 0;
	if (sv.old)
		sqlite3_prepare_v2(sv.old, "SELECT ext_id, set_name, hash, kind, json, meta, imported_at, version, has_gold,"
				   " ord, out_len FROM items WHERE id = ?1", -1, &sv.old_item, NULL);
	int rc = store_begin(dst, e);
	if (!rc && ((sv.old && salvage_tables(&sv, e)) || salvage_labels(&sv, old_path, e))) rc = e->code;
	if (!rc) rc = store_commit(dst, e);
	else if (dst->in_tx) store_rollback(dst);
	sqlite3_finalize(sv.old_item);
	sqlite3_close(sv.old);
	return rc;
}
