/* store.c: the SQLite working store, and the only file that speaks SQL.
 *
 * Every decision (a label, an undo, a comment) is one appended row; what is
 * "current" is derived: `heads` points at the newest label row per (rubric,
 * item, rater, pair). The schema is created and migrated here by
 * PRAGMA user_version. Settings: WAL, foreign keys, a busy timeout so that
 * several raters' processes share one workspace, synchronous=FULL so that a
 * label acknowledged to the screen is on disk. Statements are prepared once
 * and cached (bound parameters only, never SQL built from input). */
#include "store/store_impl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

static const char *const migrations[] = {
	/* 1: the whole first schema */
	"CREATE TABLE sets(name TEXT PRIMARY KEY, created_at TEXT NOT NULL);"
	"CREATE TABLE items("
	" id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL, set_name TEXT NOT NULL REFERENCES sets(name),"
	" version INTEGER NOT NULL, hash TEXT NOT NULL, is_current INTEGER NOT NULL DEFAULT 1,"
	" kind TEXT NOT NULL, ord INTEGER NOT NULL, json TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}',"
	" has_gold INTEGER NOT NULL DEFAULT 0, out_len INTEGER NOT NULL DEFAULT 0,"
	" imported_at TEXT NOT NULL);"
	"CREATE UNIQUE INDEX items_current ON items(ext_id) WHERE is_current;"
	"CREATE INDEX items_set ON items(set_name, ord) WHERE is_current;"
	"CREATE TABLE rubrics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL,"
	" hash TEXT NOT NULL, json TEXT NOT NULL, mode TEXT NOT NULL, loaded_at TEXT NOT NULL,"
	" UNIQUE(name, hash));"
	"CREATE TABLE raters(name TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL);"
	"CREATE TABLE labels("
	" id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id), ext_id TEXT NOT NULL,"
	" rubric TEXT NOT NULL, rubric_version INTEGER NOT NULL, rubric_hash TEXT NOT NULL,"
	" rater TEXT NOT NULL, login TEXT NOT NULL, vals TEXT, note TEXT,"
	" left_sys TEXT, right_sys TEXT, pair_key TEXT NOT NULL DEFAULT '', sides TEXT,"
	" seconds REAL, source TEXT NOT NULL, batch TEXT, at TEXT NOT NULL);"
	"CREATE INDEX labels_key ON labels(rubric, ext_id, rater, pair_key);"
	"CREATE TABLE heads(rubric TEXT NOT NULL, ext_id TEXT NOT NULL, rater TEXT NOT NULL,"
	" pair_key TEXT NOT NULL, label_id INTEGER NOT NULL REFERENCES labels(id),"
	" PRIMARY KEY(rubric, rater, ext_id, pair_key)) WITHOUT ROWID;"
	"CREATE INDEX heads_item ON heads(rubric, ext_id);"
	"CREATE TABLE marks(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL, rubric TEXT, rater TEXT NOT NULL,"
	" kind TEXT NOT NULL, text TEXT, at TEXT NOT NULL);"
	"CREATE INDEX marks_item ON marks(ext_id, kind);"
	"CREATE TABLE shown(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL, rubric TEXT NOT NULL,"
	" rater TEXT NOT NULL, left_sys TEXT NOT NULL, right_sys TEXT NOT NULL, pair_key TEXT NOT NULL,"
	" pass INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL);"
	"CREATE INDEX shown_key ON shown(rubric, rater, ext_id, pair_key);"
	"CREATE TABLE batches(name TEXT PRIMARY KEY, rubric TEXT NOT NULL, raters TEXT NOT NULL,"
	" seed INTEGER NOT NULL, stratify TEXT, round INTEGER NOT NULL, created_at TEXT NOT NULL);"
	"CREATE TABLE batch_items(batch TEXT NOT NULL REFERENCES batches(name), pos INTEGER NOT NULL,"
	" ext_id TEXT NOT NULL, PRIMARY KEY(batch, pos));"
	"CREATE TABLE consensus(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL, rubric TEXT NOT NULL,"
	" rubric_version INTEGER NOT NULL, criterion TEXT NOT NULL, value TEXT NOT NULL, cause TEXT,"
	" note TEXT, source TEXT NOT NULL, at TEXT NOT NULL);"
	"CREATE INDEX consensus_item ON consensus(rubric, ext_id, criterion);"
	"CREATE TABLE reviews(id INTEGER PRIMARY KEY, ext_id TEXT NOT NULL, session TEXT NOT NULL,"
	" rubric TEXT, tags TEXT, note TEXT, at TEXT NOT NULL);"
	"CREATE INDEX reviews_item ON reviews(ext_id);"
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT);",
	/* 2: label queue: a global shuffle key per item row (set as
	 * the row is inserted since migration 8, see item_insert) and the indexes
	 * that let the labeling screen walk a rater's order one item at a time */
	"ALTER TABLE items ADD COLUMN shuf INTEGER;"
	"CREATE INDEX items_unshuffled ON items(id) WHERE shuf IS NULL;"
	QUEUE_SHUF_INDEX ";"
	"CREATE INDEX items_queue_file ON items(is_current, kind, set_name, ord, ext_id);",
	/* 3: calibration blindness: a batch's labels stay out of every listing,
	 * export, label file and statistic until its report is opened */
	"ALTER TABLE batches ADD COLUMN revealed INTEGER NOT NULL DEFAULT 0;",
	/* 4: one index less to write on every save: the raters of an item are
	 * found through labels_key and the heads primary key instead */
	"DROP INDEX heads_item;",
	/* 5: saving a label on an item writes two pages (its row and its head),
	 * not three.  labels_key served two lookups only: the raters of an item
	 * (now one seek per rater in heads) and the two ways round of a
	 * comparison, which keep an index over pairwise rows alone */
	"DROP INDEX labels_key;"
	"CREATE INDEX labels_pair ON labels(rubric, rater, ext_id, pair_key, left_sys) WHERE pair_key <> '';",
	/* 6: batches shared as files (src/app/shared.c): when a batch's content was
	 * decided and when its report was first opened, for last-writer-wins
	 * between teammates; older batches were decided when created, and an
	 * opened report gets the same time (the best known) */
	"ALTER TABLE batches ADD COLUMN at TEXT;"
	"ALTER TABLE batches ADD COLUMN revealed_at TEXT;"
	"UPDATE batches SET at = created_at, revealed_at = CASE WHEN revealed THEN created_at END;",
	/* 7: the file says it is goldset's store (GS_APPLICATION_ID, "GSET"):
	 * store_open refuses another program's database instead of using it */
	"PRAGMA application_id = 1196639572;",
	/* 8: every item row gets its shuffle key when it is inserted: the rows
	 * an older goldset left without one get it here, in one pass with the
	 * index built after (sorted), and the label queue no longer fills keys
	 * on its first start */
	"DROP INDEX IF EXISTS items_unshuffled;"
	"DROP INDEX IF EXISTS items_queue_shuf;"
	"UPDATE items SET shuf = gs_order('', ext_id) WHERE shuf IS NULL;"
	QUEUE_SHUF_INDEX ";",
	/* 9: `goldset judge`: every call's outcome (store_judge.c), so that an
	 * item and prompt already answered are never sent again */
	"CREATE TABLE IF NOT EXISTS judge_calls(id INTEGER PRIMARY KEY, judge TEXT NOT NULL, rubric TEXT NOT NULL,"
	" ext_id TEXT NOT NULL, item_hash TEXT NOT NULL, prompt_hash TEXT NOT NULL, left_sys TEXT, right_sys TEXT,"
	" ok INTEGER NOT NULL, label_id INTEGER, error TEXT, raw TEXT, at TEXT NOT NULL);"
	"CREATE INDEX IF NOT EXISTS judge_calls_key ON judge_calls(judge, rubric, ext_id);",
};

/* ---- plumbing ---- */

/* a store that cannot be trusted: one line naming the file and the way out */
int refuse(store *s, struct gs_err *e, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return gs_fail(e, EX_DATAERR, "%s %s; " REBUILD_HINT, s->path, why);
}

int db_fail(store *s, struct gs_err *e, const char *what)
{
	int rc = sqlite3_errcode(s->db);
	if (rc == SQLITE_NOTADB) return refuse(s, e, "is not a goldset store (not a SQLite database)");
	if (rc == SQLITE_CORRUPT && strcmp(what, sqlite3_errmsg(s->db)) == 0)
		return refuse(s, e, "is damaged (%s)", what);
	if (rc == SQLITE_CORRUPT) return refuse(s, e, "is damaged (%s: %s)", what, sqlite3_errmsg(s->db));
	int code = EX_SOFTWARE;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) code = EX_TEMPFAIL;
	else if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN)
		code = EX_IOERR;
	else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) code = EX_DATAERR;
	const char *msg = sqlite3_errmsg(s->db);
	const char *hint = rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN ? " (is .goldset/ writable?)" :
			   rc == SQLITE_FULL ? " (is the disk full?)" : "";
	if (strcmp(what, msg) == 0) return gs_fail(e, code, "store: %s%s", msg, hint);
	return gs_fail(e, code, "store: %s: %s%s", what, msg, hint);
}

/* a cached prepared statement for a literal SQL string, reset and unbound */
sqlite3_stmt *prep(store *s, const char *sql, struct gs_err *e)
{
	const struct stmt_cache *c = (const struct stmt_cache *)(void *)s->cache->data;
	for (size_t i = 0; i < s->cache->len; i++)
		if (c[i].sql == sql) {
			sqlite3_reset(c[i].st);
			sqlite3_clear_bindings(c[i].st);
			return c[i].st;
		}
	struct stmt_cache add = {sql, NULL};
	if (sqlite3_prepare_v2(s->db, sql, -1, &add.st, NULL) != SQLITE_OK) {
		db_fail(s, e, "prepare");
		return NULL;
	}
	g_array_append_val(s->cache, add);
	return add.st;
}

void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else sqlite3_bind_null(st, i);
}

void bind_all(sqlite3_stmt *st, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	for (int i = 1; types[i - 1]; i++) {
		switch (types[i - 1]) {
		case 't': bind_text(st, i, va_arg(ap, const char *)); break;
		case 'i': sqlite3_bind_int(st, i, va_arg(ap, int)); break;
		case 'I': sqlite3_bind_int64(st, i, va_arg(ap, long long)); break;
		case 'd': sqlite3_bind_double(st, i, va_arg(ap, double)); break;
		default: abort();
		}
	}
	va_end(ap);
}

const char *col_text(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }
char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = col_text(st, i);
	return t ? xstrdup(t) : NULL;
}

/* runs a statement that returns no rows */
int step_done(store *s, sqlite3_stmt *st, struct gs_err *e, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		int r = db_fail(s, e, what);
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	return 0;
}

int exec(store *s, const char *sql, struct gs_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int r = db_fail(s, e, msg ? msg : "exec");
		sqlite3_free(msg);
		return r;
	}
	return 0;
}

/* runs a prepared count(*) with one text parameter */
int count_with(store *s, sqlite3_stmt *st, const char *arg, long long *n, struct gs_err *e)
{
	if (!st) return e->code;
	bind_text(st, 1, arg);
	if (sqlite3_step(st) != SQLITE_ROW) return db_fail(s, e, "count");
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* a stable pseudo-random sort key of (seed, id), 63 bits: the items'
 * shuffle key is order_key("", ext_id) */
long long order_key(const char *a, const char *b)
{
	uint64_t h = gs_hash64(a, strlen(a), 0);
	h = gs_hash64(b, strlen(b), h);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (long long)(h >> 1);
}

/* gs_at_ms(at) in SQL: a label or record time in milliseconds, -1 when
 * it is not one (times compare as times: "…07Z" and "…07.120Z" differ) */
void fn_at_ms(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int64(cx, t ? gs_at_ms(t) : -1);
}

/* gs_order(seed, id) in SQL (per-rater shuffles) */
void fn_order(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *a = (const char *)sqlite3_value_text(argv[0]);
	const char *b = (const char *)sqlite3_value_text(argv[1]);
	sqlite3_result_int64(cx, order_key(a ? a : "", b ? b : ""));
}

int migrate(store *s, struct gs_err *e)
{
	int have = store_schema_version(s);
	int want = (int)ARRAY_LEN(migrations);
	if (have > want)
		return gs_fail(e, EX_DATAERR, "store: schema version %d is newer than this goldset (%d)", have, want);
	if (have == want) return 0;
	if (store_begin(s, e)) return e->code;
	if (store_schema_version(s) == want) return store_commit(s, e); /* another process migrated */
	for (int v = have; v < want; v++) {
		char pragma[64];
		if (exec(s, migrations[v], e)) goto fail;
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (exec(s, pragma, e)) goto fail;
	}
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e->code;
}

/* ---- opening: a store is checked before it is trusted ---- */
/* Only a missing file is created (STORE_CREATE: `goldset init`). An
 * existing file must be goldset's: not empty, a SQLite database, with
 * goldset's application_id (or, written before it, goldset's tables), and
 * readable. A small store is also walked whole with PRAGMA quick_check.
 * Measured (4 KB pages, a new process each time as every command is):
 * 236 ms for the 36 561 pages of 100k items of 1 KB, 9 ms for 1 382 pages,
 * and 3.4 ms on `goldset stats` of 1 000 items (257 pages: 7.4 -> 10.8 ms),
 * against 10-13 ms for a whole label screen start-up. So only stores up to
 * QUICK_CHECK_MAX_PAGES (1 MB, some 400 items of 1 KB: the few hundred of a
 * golden set) are checked on every open; a bigger one is found damaged by
 * the reads that hit a bad page (SQLITE_CORRUPT / SQLITE_NOTADB, db_fail).
 * Anything else is refused with one line (EX_DATAERR) naming the file and
 * `goldset init --rebuild`; nothing is ever taken for an empty store. */

int read_identity(store *s, struct identity *id, struct gs_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT (SELECT application_id FROM pragma_application_id),"
					   " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master"
					   " WHERE type = 'table' AND name IN ('items', 'labels', 'heads', 'rubrics')),"
					   " (SELECT count(*) FROM sqlite_master), (SELECT page_count FROM pragma_page_count)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		*id = (struct identity){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
					sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4)};
	int r = rc == SQLITE_ROW ? 0 : db_fail(s, e, sqlite3_errmsg(s->db));
	sqlite3_finalize(st);
	return r;
}

int quick_check(store *s, struct gs_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	int r = 0;
	if (rc == SQLITE_ROW && strcmp(col_text(st, 0), "ok") != 0) {
		const char *what = col_text(st, 0), *nl = strrchr(what, '\n');   /* past "*** in database main ***" */
		r = refuse(s, e, "is damaged (quick_check: %s)", nl ? nl + 1 : what);
	}
	else if (rc != SQLITE_ROW) r = db_fail(s, e, "quick_check");
	sqlite3_finalize(st);
	return r;
}

/* goldset's file? (application_id, else the tables of schemas 1..6) */
int check_identity(store *s, struct gs_err *e)
{
	struct identity id = {0};
	if (read_identity(s, &id, e)) return e->code;
	if (id.app != GS_APPLICATION_ID && id.app != 0)
		return refuse(s, e, "is not a goldset store (a SQLite database of another program, application_id 0x%08x)",
			      (unsigned)(id.app & 0xffffffff));
	if (id.app == 0 && id.any == 0 && id.ver == 0)
		return refuse(s, e, "is not a goldset store (an empty SQLite database)");
	if (id.app == 0 && (id.tables != 4 || id.ver < 1 || id.ver > SCHEMA_BEFORE_APP_ID))
		return refuse(s, e, "is not a goldset store (a SQLite database without goldset's tables)");
	if (id.tables != 4) return refuse(s, e, "is damaged (goldset's tables are missing)");
	return id.pages <= QUICK_CHECK_MAX_PAGES ? quick_check(s, e) : 0;
}

int open_db(store *s, const char *name, int flags, struct gs_err *e)
{
	/* a connection is used by one thread only (goldset has no other): no
	 * mutex around every call */
	if (sqlite3_open_v2(name, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int code = flags & SQLITE_OPEN_READONLY ? EX_NOINPUT : EX_CANTCREAT;
		return gs_fail(e, code, "store: cannot open %s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
	}
	sqlite3_busy_timeout(s->db, 30000);
	sqlite3_extended_result_codes(s->db, 0);
	return 0;
}

/* the step result of a first read (page 1, and the WAL index in WAL mode) */
int probe(store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA application_id", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* "file:PATH?immutable=1" with PATH percent-encoded (malloc'd) */
char *immutable_uri(const char *path)
{
	struct sbuf b = {0};
	sb_add(&b, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/._-~", *p))
			sb_addc(&b, (char)*p);
		else
			sb_addf(&b, "%%%02X", *p);
	sb_add(&b, "?immutable=1");
	return sb_take(&b);
}

/* the -wal file holds frames: data the database file alone does not show */
int wal_in_use(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	int yes = stat(wal, &sb) == 0 && sb.st_size > 0;
	free(wal);
	return yes;
}

/* the -wal file is there: another connection may be writing */
int wal_exists(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	int yes = path_exists(wal);
	free(wal);
	return yes;
}

/* Read-only, for a workspace that cannot be written. A WAL database is read
 * through its -shm index, which a read-only folder or a full disk cannot
 * hold. Without a -wal file nobody has the store open and the file holds
 * every change: it is opened immutable (no locks, no -wal or -shm created).
 * With one, it is opened with locks, to see the changes the -wal holds;
 * if its -shm cannot be had either, immutable when the -wal is empty. */
int open_immutable(store *s, struct gs_err *e)
{
	char *uri = immutable_uri(s->path);
	int rc = open_db(s, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e);
	free(uri);
	return rc;
}

int open_read(store *s, struct gs_err *e)
{
	if (!wal_exists(s->path)) return open_immutable(s, e);
	if (open_db(s, s->path, SQLITE_OPEN_READONLY, e)) return e->code;
	int rc = probe(s);
	if (rc != SQLITE_CANTOPEN && rc != SQLITE_IOERR && rc != SQLITE_FULL && rc != SQLITE_READONLY) return 0;
	if (wal_in_use(s->path))
		return gs_fail(e, EX_IOERR, "%s: its newest changes are in %s-wal, which cannot be read here (%s)", s->path,
			       s->path, sqlite3_errmsg(s->db));
	sqlite3_close(s->db);
	s->db = NULL;
	return open_immutable(s, e);
}

int open_write(store *s, int create, struct gs_err *e)
{
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), e)) return e->code;
	if (sqlite3_db_readonly(s->db, "main") == 1)
		return gs_fail(e, EX_IOERR, "%s cannot be written (read-only): nothing can be saved", s->path);
	return 0;
}

/* a read-only open skips the migrations: an older schema is read as it is
 * when it has what the listings ask for */
int check_read_schema(store *s, struct gs_err *e)
{
	int have = store_schema_version(s), want = (int)ARRAY_LEN(migrations);
	if (have > want)
		return gs_fail(e, EX_DATAERR, "store: schema version %d is newer than this goldset (%d)", have, want);
	if (have < SCHEMA_READ_MIN)
		return gs_fail(e, EX_IOERR, "%s needs an upgrade (schema %d to %d) that cannot be saved here: run goldset "
			       "once where the workspace can be written", s->path, have, want);
	return exec(s, "PRAGMA query_only=ON;", e);
}

int open_checked(store *s, enum store_mode mode, int create, struct gs_err *e)
{
	int rc = mode == STORE_READ ? open_read(s, e) : open_write(s, create, e);
	if (rc || (!create && check_identity(s, e))) return e->code;
	sqlite3_create_function(s->db, "gs_order", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_order, NULL, NULL);
	sqlite3_create_function(s->db, "gs_at_ms", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_at_ms, NULL, NULL);
	if (mode == STORE_READ) return check_read_schema(s, e);
	if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", e)) return e->code;
	return migrate(s, e);
}

int store_open_mode(const char *path, enum store_mode mode, store **out, struct gs_err *e)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (!exists && mode != STORE_CREATE)
		return gs_fail(e, EX_NOINPUT, "%s: no store here (goldset init creates it)", path);
	store *s = xcalloc(1, sizeof *s);
	s->cache = g_array_sized_new(FALSE, FALSE, sizeof(struct stmt_cache), 64);
	s->path = xstrdup(path);
	s->bulk_before = -1;
	s->readonly = mode == STORE_READ;
	int rc = exists && sb.st_size == 0 ? refuse(s, e, "is empty (0 bytes): it holds no store") : 0;
	if (!rc) rc = open_checked(s, mode, !exists, e);
	if (rc) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int store_open(const char *path, store **out, struct gs_err *e)
{
	return store_open_mode(path, STORE_CREATE, out, e);
}

int store_readonly(store *s) { return s->readonly; }

void store_close(store *s)
{
	if (!s) return;
	for (size_t i = 0; i < s->cache->len; i++) sqlite3_finalize(g_array_index(s->cache, struct stmt_cache, i).st);
	g_array_free(s->cache, TRUE);
	free(s->rater_known);
	free(s->path);
	sqlite3_close(s->db);
	free(s);
}

int store_schema_version(store *s)
{
	sqlite3_stmt *st;
	int v = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) return -1;
	if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int store_begin(store *s, struct gs_err *e)
{
	if (exec(s, "BEGIN IMMEDIATE", e)) return e->code;
	s->in_tx = 1;
	return 0;
}

int store_commit(store *s, struct gs_err *e)
{
	if (exec(s, "COMMIT", e)) {
		store_rollback(s);
		return e->code;
	}
	s->in_tx = 0;
	return 0;
}

void store_rollback(store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	s->bulk_before = -1;    /* a dropped index is back with the rollback */
	s->shuf_dropped = 0;
}

int store_in_tx(const store *s) { return s->in_tx; }

int store_integrity_ok(store *s, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "PRAGMA integrity_check", e);
	if (!st) return e->code;
	int ok = sqlite3_step(st) == SQLITE_ROW && strcmp(col_text(st, 0), "ok") == 0;
	sqlite3_reset(st);
	return ok ? 0 : gs_fail(e, EX_DATAERR, "store: integrity check failed");
}

/* ---- settings ---- */

int store_setting_get(store *s, const char *key, char **value, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT value FROM settings WHERE key = ?1", e);
	if (!st) return e->code;
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "setting");
}

int store_setting_set(store *s, const char *key, const char *value, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO settings(key, value) VALUES(?1, ?2)", e);
	if (!st) return e->code;
	bind_all(st, "tt", key, value);
	return step_done(s, st, e, "setting");
}
