/* store.c: the SQLite working store, and the only file that speaks SQL.
 *
 * Every decision (a label, an undo, a comment) is one appended row; what is
 * "current" is derived: `heads` points at the newest label row per (rubric,
 * item, rater, pair). The schema is created and migrated here by
 * PRAGMA user_version. Settings: WAL, foreign keys, a busy timeout so that
 * several raters' processes share one workspace, synchronous=FULL so that a
 * label acknowledged to the screen is on disk. Statements are prepared once
 * and cached (bound parameters only, never SQL built from input). */
#include "store.h"

#include <glib.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pagescan.h"
#include "stats.h"

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

/* ---- schema ---- */

/* the label queue's shuffled order (migration 2; dropped and built again
 * around a bulk import, see store_bulk_begin) */
#define QUEUE_SHUF_INDEX "CREATE INDEX items_queue_shuf ON items(is_current, kind, shuf, ext_id)"

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
	/* 6: batches shared as files (src/shared.c): when a batch's content was
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
};

/* PRAGMA application_id of a goldset store: "GSET" (0x47534554 = 1196639572,
 * the value migration 7 writes) */
#define GS_APPLICATION_ID 0x47534554
/* schemas 1..6 were written before the application_id: such a store is
 * known by its tables instead */
#define SCHEMA_BEFORE_APP_ID 6
/* the oldest schema a read-only open can read without migrating (3 added
 * batches.revealed, which every label listing asks for) */
#define SCHEMA_READ_MIN 3

/* ---- plumbing ---- */

#define REBUILD_HINT "rebuild it with `goldset init --rebuild` (the old file is kept beside it)"

/* a store that cannot be trusted: one line naming the file and the way out */
static int refuse(store *s, struct gs_err *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(store *s, struct gs_err *e, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return gs_fail(e, EX_DATAERR, "%s %s; " REBUILD_HINT, s->path, why);
}

static int db_fail(store *s, struct gs_err *e, const char *what)
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
static sqlite3_stmt *prep(store *s, const char *sql, struct gs_err *e)
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

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i) { return (const char *)sqlite3_column_text(st, i); }
static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *t = col_text(st, i);
	return t ? xstrdup(t) : NULL;
}

/* runs a statement that returns no rows */
static int step_done(store *s, sqlite3_stmt *st, struct gs_err *e, const char *what)
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

static int exec(store *s, const char *sql, struct gs_err *e)
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
static int count_with(store *s, sqlite3_stmt *st, const char *arg, long long *n, struct gs_err *e)
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
static long long order_key(const char *a, const char *b)
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
static void fn_at_ms(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *t = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int64(cx, t ? gs_at_ms(t) : -1);
}

/* gs_order(seed, id) in SQL (per-rater shuffles) */
static void fn_order(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *a = (const char *)sqlite3_value_text(argv[0]);
	const char *b = (const char *)sqlite3_value_text(argv[1]);
	sqlite3_result_int64(cx, order_key(a ? a : "", b ? b : ""));
}

static int migrate(store *s, struct gs_err *e)
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

#define QUICK_CHECK_MAX_PAGES 256

/* what the file says it is, read in one statement (one lock, one pass) */
struct identity { long long app, ver, tables, any, pages; };

static int read_identity(store *s, struct identity *id, struct gs_err *e)
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

static int quick_check(store *s, struct gs_err *e)
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
static int check_identity(store *s, struct gs_err *e)
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

static int open_db(store *s, const char *name, int flags, struct gs_err *e)
{
	if (sqlite3_open_v2(name, &s->db, flags, NULL) != SQLITE_OK) {
		int code = flags & SQLITE_OPEN_READONLY ? EX_NOINPUT : EX_CANTCREAT;
		return gs_fail(e, code, "store: cannot open %s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
	}
	sqlite3_busy_timeout(s->db, 30000);
	sqlite3_extended_result_codes(s->db, 0);
	return 0;
}

/* the step result of a first read (page 1, and the WAL index in WAL mode) */
static int probe(store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA application_id", -1, &st, NULL);
	if (rc == SQLITE_OK) rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* "file:PATH?immutable=1" with PATH percent-encoded (malloc'd) */
static char *immutable_uri(const char *path)
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
static int wal_in_use(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	struct stat sb;
	int yes = stat(wal, &sb) == 0 && sb.st_size > 0;
	free(wal);
	return yes;
}

/* the -wal file is there: another connection may be writing */
static int wal_exists(const char *path)
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
static int open_immutable(store *s, struct gs_err *e)
{
	char *uri = immutable_uri(s->path);
	int rc = open_db(s, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e);
	free(uri);
	return rc;
}

static int open_read(store *s, struct gs_err *e)
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

static int open_write(store *s, int create, struct gs_err *e)
{
	if (open_db(s, s->path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0), e)) return e->code;
	if (sqlite3_db_readonly(s->db, "main") == 1)
		return gs_fail(e, EX_IOERR, "%s cannot be written (read-only): nothing can be saved", s->path);
	return 0;
}

/* a read-only open skips the migrations: an older schema is read as it is
 * when it has what the listings ask for */
static int check_read_schema(store *s, struct gs_err *e)
{
	int have = store_schema_version(s), want = (int)ARRAY_LEN(migrations);
	if (have > want)
		return gs_fail(e, EX_DATAERR, "store: schema version %d is newer than this goldset (%d)", have, want);
	if (have < SCHEMA_READ_MIN)
		return gs_fail(e, EX_IOERR, "%s needs an upgrade (schema %d to %d) that cannot be saved here: run goldset "
			       "once where the workspace can be written", s->path, have, want);
	return exec(s, "PRAGMA query_only=ON;", e);
}

static int open_checked(store *s, enum store_mode mode, int create, struct gs_err *e)
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

/* ---- items ---- */

#define ITEM_SELECT "SELECT id, ext_id, set_name, hash, kind, json, meta, imported_at, version, is_current," \
		    " has_gold, ord, out_len FROM items "

static void item_from_row(sqlite3_stmt *st, struct store_item *it)
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

static void item_copy(const struct store_item *from, struct store_item *to)
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

static int item_get_by(store *s, const char *sql, const char *ext_id, long long row,
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

static int set_ensure(store *s, const char *set, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR IGNORE INTO sets(name, created_at) VALUES(?1, ?2)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_text(st, 1, set);
	bind_text(st, 2, now);
	return step_done(s, st, e, "set");
}

/* ---- bulk loads ---- */
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

int store_bulk_begin(store *s, struct gs_err *e)
{
	s->bulk_added = 0;
	s->shuf_dropped = 0;
	sqlite3_stmt *st = prep(s, "SELECT coalesce(max(id), 0) FROM items", e);
	return count_with(s, st, NULL, &s->bulk_before, e);
}

static int bulk_inserted(store *s, struct gs_err *e)
{
	if (s->bulk_before < 0 || s->shuf_dropped) return 0;
	if (++s->bulk_added < BULK_DROP_AFTER || s->bulk_added <= s->bulk_before) return 0;
	s->shuf_dropped = 1;
	return exec(s, "DROP INDEX items_queue_shuf;", e);
}

static int queue_total_refresh(store *s, struct gs_err *e);

int store_bulk_end(store *s, struct gs_err *e)
{
	int dropped = s->shuf_dropped;
	s->bulk_before = -1;
	s->shuf_dropped = 0;
	if (dropped && exec(s, QUEUE_SHUF_INDEX ";", e)) return e->code;
	return queue_total_refresh(s, e);
}

static int item_insert(store *s, const struct store_item *it, int version, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"INSERT INTO items(ext_id, set_name, version, hash, is_current, kind, ord, json, meta,"
		" has_gold, out_len, imported_at, shuf) VALUES(?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 12, order_key("", it->ext_id));
	char now[32];
	now_iso8601(now);
	bind_text(st, 1, it->ext_id);
	bind_text(st, 2, it->set);
	sqlite3_bind_int(st, 3, version);
	bind_text(st, 4, it->hash);
	bind_text(st, 5, it->kind ? it->kind : "single");
	sqlite3_bind_int64(st, 6, it->ord);
	bind_text(st, 7, it->json);
	bind_text(st, 8, it->meta ? it->meta : "{}");
	sqlite3_bind_int(st, 9, it->has_gold);
	sqlite3_bind_int64(st, 10, it->out_len);
	bind_text(st, 11, it->imported_at ? it->imported_at : now);
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
		sqlite3_bind_int64(st, 1, row);
		sqlite3_bind_int64(st, 2, it->ord);
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
#define ITEM_FILTER "WHERE is_current AND (?1 IS NULL OR set_name = ?1)" \
	" AND (?2 IS NULL OR CAST(json_extract(meta, '$.' || json_quote(?2)) AS TEXT) = ?3)" \
	" AND (?4 IS NULL OR kind = ?4)"
	/* two statements, so that each order is read straight off an index */
	sqlite3_stmt *st = q && q->by_id ? prep(s, ITEM_SELECT ITEM_FILTER " ORDER BY ext_id", e)
					 : prep(s, ITEM_SELECT ITEM_FILTER " ORDER BY set_name, ord, ext_id", e);
#undef ITEM_FILTER
	if (!st) return e->code;
	bind_text(st, 1, q ? q->set : NULL);
	bind_text(st, 2, q ? q->meta_key : NULL);
	bind_text(st, 3, q ? q->meta_value : NULL);
	bind_text(st, 4, q ? q->kind : NULL);
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

static int rubric_insert(store *s, const struct store_rubric *r, struct gs_err *e)
{
	/* re-putting a known text moves it to the newest row: it becomes current */
	sqlite3_stmt *st = prep(s, "DELETE FROM rubrics WHERE name = ?1 AND hash = ?2", e);
	if (!st) return e->code;
	bind_text(st, 1, r->name);
	bind_text(st, 2, r->hash);
	if (step_done(s, st, e, "rubric")) return e->code;
	st = prep(s, "INSERT INTO rubrics(name, version, hash, json, mode, loaded_at)"
		     " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_text(st, 1, r->name);
	sqlite3_bind_int(st, 2, r->version);
	bind_text(st, 3, r->hash);
	bind_text(st, 4, r->json);
	bind_text(st, 5, r->mode);
	bind_text(st, 6, now);
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

static void rubric_from_row(sqlite3_stmt *st, struct store_rubric *r)
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
	bind_text(st, 1, name);
	bind_text(st, 2, strncmp(name, "judge:", 6) == 0 ? "judge" : "human");
	bind_text(st, 3, now);
	return step_done(s, st, e, "rater");
}

/* ---- labels ---- */

static int label_insert(store *s, const struct store_label *l, long long *id_out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"INSERT INTO labels(item_id, ext_id, rubric, rubric_version, rubric_hash, rater, login, vals,"
		" note, left_sys, right_sys, pair_key, sides, seconds, source, batch, at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, l->item_row);
	bind_text(st, 2, l->ext_id);
	bind_text(st, 3, l->rubric);
	sqlite3_bind_int(st, 4, l->rubric_version);
	bind_text(st, 5, l->rubric_hash ? l->rubric_hash : "");
	bind_text(st, 6, l->rater);
	bind_text(st, 7, l->login ? l->login : gs_login());
	bind_text(st, 8, l->vals);
	bind_text(st, 9, l->note);
	bind_text(st, 10, l->left_sys);
	bind_text(st, 11, l->right_sys);
	bind_text(st, 12, l->pair_key ? l->pair_key : "");
	bind_text(st, 13, l->sides);
	if (l->seconds >= 0) sqlite3_bind_double(st, 14, l->seconds);
	else sqlite3_bind_null(st, 14);
	bind_text(st, 15, l->source ? l->source : "screen");
	bind_text(st, 16, l->batch);
	bind_text(st, 17, l->at);
	if (step_done(s, st, e, "label")) return e->code;
	*id_out = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int head_set(store *s, const struct store_label *l, long long id, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT OR REPLACE INTO heads(rubric, ext_id, rater, pair_key, label_id)"
				   " VALUES(?1, ?2, ?3, ?4, ?5)", e);
	if (!st) return e->code;
	bind_text(st, 1, l->rubric);
	bind_text(st, 2, l->ext_id);
	bind_text(st, 3, l->rater);
	bind_text(st, 4, l->pair_key ? l->pair_key : "");
	sqlite3_bind_int64(st, 5, id);
	return step_done(s, st, e, "label head");
}

/* ---- the hybrid logical clock of label times ---- */

static int64_t clock_seen(store *s)
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
static int64_t head_at(store *s, const struct store_label *l)
{
	struct gs_err ignore;
	sqlite3_stmt *st = prep(s, "SELECT l.at FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE h.rubric = ?1 AND h.rater = ?2 AND h.ext_id = ?3 AND h.pair_key = ?4", &ignore);
	if (!st) return -1;
	bind_text(st, 1, l->rubric);
	bind_text(st, 2, l->rater);
	bind_text(st, 3, l->ext_id);
	bind_text(st, 4, l->pair_key ? l->pair_key : "");
	int64_t at = sqlite3_step(st) == SQLITE_ROW ? gs_at_ms(col_text(st, 0)) : -1;
	sqlite3_reset(st);
	return at;
}

/* a decision made now: later than the wall clock, than every label time
 * seen, and than the key's current label, so that it wins every merge
 * with what this store has seen even when clocks disagree */
static void label_time_now(store *s, const struct store_label *l, char out[32])
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

/* a label outside any calibration batch, or in one whose report is open */
#define LABEL_REVEALED "(l.batch IS NULL OR EXISTS (SELECT 1 FROM batches b WHERE b.name = l.batch AND b.revealed))"

/* a label that goes into the label files: outside any calibration batch, in
 * one whose report is open, or of a rater who finished the batch (blind
 * until then: the rater's batch labels stay on the rater's machine) */
#define LABEL_SHARED "(l.batch IS NULL OR EXISTS (SELECT 1 FROM batches b WHERE b.name = l.batch AND b.revealed)" \
	" OR EXISTS (SELECT 1 FROM settings WHERE key = 'shared:' || l.batch || char(10) || l.rater))"

#define LABEL_SELECT "SELECT l.id, l.item_id, l.ext_id, l.rubric, l.rubric_version, l.rubric_hash, l.rater," \
	" l.login, l.vals, l.note, l.left_sys, l.right_sys, l.pair_key, l.sides, coalesce(l.seconds, -1)," \
	" l.source, l.batch, l.at, (SELECT count(*) FROM items i WHERE i.id = l.item_id AND NOT i.is_current) "

static void label_from_row(sqlite3_stmt *st, struct store_label *l)
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

static char *dup0(const char *s) { return s ? xstrdup(s) : NULL; }

int store_label_current(store *s, const char *rubric, const char *ext_id, const char *rater,
			const char *pair_key, struct store_label *out, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE h.rubric = ?1 AND h.ext_id = ?2 AND h.rater = ?3 AND h.pair_key = ?4", e);
	if (!st) return e->code;
	bind_text(st, 1, rubric);
	bind_text(st, 2, ext_id);
	bind_text(st, 3, rater);
	bind_text(st, 4, pair_key ? pair_key : "");
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

static int labels_loop(store *s, sqlite3_stmt *st, int (*cb)(void *, const struct store_label *), void *ctx,
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
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM heads h JOIN labels l ON l.id = h.label_id"
		" WHERE l.vals IS NOT NULL AND (?1 IS NULL OR h.rubric = ?1) AND (?2 IS NULL OR h.rater = ?2)"
		" AND (?3 IS NULL OR l.batch = ?3)"
		" AND (?4 OR l.item_id = (SELECT id FROM items i WHERE i.ext_id = l.ext_id AND i.is_current))"
		" AND (?5 OR " LABEL_REVEALED ")"
		" ORDER BY h.rubric, h.rater, h.ext_id, h.pair_key", e);
	if (!st) return e->code;
	bind_text(st, 1, q ? q->rubric : NULL);
	bind_text(st, 2, q ? q->rater : NULL);
	bind_text(st, 3, q ? q->batch : NULL);
	sqlite3_bind_int(st, 4, q ? q->include_stale : 0);
	sqlite3_bind_int(st, 5, q ? q->include_hidden : 0);
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
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM labels l WHERE (?1 IS NULL OR l.rubric = ?1)"
				   " AND (?2 IS NULL OR l.ext_id = ?2) ORDER BY l.id", e);
	if (!st) return e->code;
	bind_text(st, 1, rubric);
	bind_text(st, 2, ext_id);
	return labels_loop(s, st, cb, ctx, e);
}

int store_label_counts_each(store *s, int (*cb)(void *ctx, const struct store_label_count *c),
			    void *ctx, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s,
		"SELECT h.rubric, h.rater, count(*),"
		" sum(l.item_id <> (SELECT id FROM items i WHERE i.ext_id = h.ext_id AND i.is_current)),"
		" count(DISTINCT h.ext_id)"
		" FROM heads h JOIN labels l ON l.id = h.label_id WHERE l.vals IS NOT NULL AND " LABEL_REVEALED
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
	bind_text(st, 1, ext_id);
	bind_text(st, 2, rubric);
	bind_text(st, 3, rater);
	bind_text(st, 4, kind);
	bind_text(st, 5, text);
	bind_text(st, 6, now);
	return step_done(s, st, e, "mark");
}

int store_item_flagged(store *s, const char *ext_id, const char *rater, int *flagged, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT kind FROM marks WHERE ext_id = ?1 AND (?2 IS NULL OR rater = ?2)"
				   " AND kind IN ('flag', 'unflag') ORDER BY id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_text(st, 1, ext_id);
	bind_text(st, 2, rater);
	int rc = sqlite3_step(st);
	*flagged = rc == SQLITE_ROW && strcmp(col_text(st, 0), "flag") == 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "flag");
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
	bind_text(st, 1, batch);
	bind_text(st, 2, now);
	return step_done(s, st, e, "batch");
}

int store_batch_reveal_at(store *s, const char *batch, const char *at, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "UPDATE batches SET revealed = 1, revealed_at = ?2 WHERE name = ?1", e);
	if (!st) return e->code;
	bind_text(st, 1, batch);
	bind_text(st, 2, at);
	if (step_done(s, st, e, "batch")) return e->code;
	if (sqlite3_changes(s->db) == 0) return gs_fail(e, EX_NOINPUT, "no calibration batch named \"%s\"", batch);
	return 0;
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
	bind_text(st, 1, key);
	bind_text(st, 2, value);
	return step_done(s, st, e, "setting");
}

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
/* how many raters hold a current label on item i's current version: one
 * seek in heads per rater (they are few) */
#define Q_RATERS "(SELECT count(*) FROM raters r CROSS JOIN heads h JOIN labels l ON l.id = h.label_id" \
	" WHERE h.rubric = ?6 AND h.rater = r.name AND h.ext_id = i.ext_id AND h.pair_key = ''" \
	" AND l.vals IS NOT NULL AND l.item_id = i.id)"
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

static const char *const q_step_sql[2][2] = {   /* [file_order][previous] */
	{Q_ITEMS Q_IN_BUCKET Q_SHUF_GT Q_FILTER Q_TODO " ORDER BY i.shuf, i.id LIMIT 1",
	 Q_ITEMS Q_IN_BUCKET Q_SHUF_LT Q_FILTER Q_TODO " ORDER BY i.shuf DESC, i.id DESC LIMIT 1"},
	{Q_ITEMS Q_FILE_GT Q_FILTER Q_TODO " ORDER BY i.set_name, i.ord, i.id LIMIT 1",
	 Q_ITEMS Q_FILE_LT Q_FILTER Q_TODO " ORDER BY i.set_name DESC, i.ord DESC, i.id DESC LIMIT 1"},
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
static void queue_permute(struct store_queue *q)
{
	uint64_t x = gs_hash64(q->rater, strlen(q->rater), 0x676f6c64736574ULL);
	for (int i = 0; i < QUEUE_BUCKETS; i++) q->perm[i] = (unsigned char)i;
	for (int i = QUEUE_BUCKETS - 1; i > 0; i--) {
		int j = (int)(st_splitmix64(&x) % (uint64_t)(i + 1));
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

static void queue_bind(const struct store_queue *q, sqlite3_stmt *st, int todo)
{
	bind_text(st, 1, q->set);
	bind_text(st, 2, q->meta_key);
	bind_text(st, 3, q->meta_value);
	bind_text(st, 4, q->batch);
	sqlite3_bind_int(st, 5, q->overlap);
	bind_text(st, 6, q->rubric);
	bind_text(st, 7, q->rater);
	sqlite3_bind_int(st, 8, todo);
}

static void bucket_range(int bucket, long long *lo, long long *hi)
{
	uint64_t l = (uint64_t)bucket << QUEUE_SHIFT;
	*lo = (long long)l;
	*hi = (long long)(l + ((1ULL << QUEUE_SHIFT) - 1));
}

/* runs a LIMIT 1 item query: 0 and *out filled, EX_NOINPUT, or an error */
static int queue_fetch(store *s, sqlite3_stmt *st, struct store_item *out, struct gs_err *e)
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

static int queue_count(store *s, sqlite3_stmt *st, long long *n, struct gs_err *e)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) *n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s, e, "queue count");
}

/* the shuffle key of an item row (-1 if it has none) */
static int queue_key_of(store *s, long long row, long long *key, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT coalesce(shuf, -1) FROM items WHERE id = ?1", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, row);
	int rc = sqlite3_step(st);
	*key = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "queue");
}

static int step_file(store_queue *q, const struct store_item *from, int dir, int todo, struct store_item *out,
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
static int step_bucket(store_queue *q, int bucket, int at, long long key, long long row, int dir, int todo,
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

static int step_shuffled(store_queue *q, const struct store_item *from, int dir, int todo,
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

/* the number of current single items, counted once per change of the
 * items table (rows are only ever added, so max(id) tells) and kept in
 * settings: start-up then does not walk an index of the whole set. An
 * import counts it before its commit (queue_total_refresh), so that the
 * first start after it does not either. */
#define QUEUE_TOTAL_KEY "queue.total.single"

static int items_top(store *s, long long *top, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT coalesce(max(id), 0) FROM items", e);
	return !st || queue_count(s, st, top, e) ? e->code : 0;
}

static int total_recount(store *s, long long top, long long *n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, q_total_sql[0], e);
	if (!st || queue_count(s, st, n, e)) return e->code;
	char val[64];
	struct gs_err ignore;
	snprintf(val, sizeof val, "%lld %lld", top, *n);
	if (!s->readonly) store_setting_set(s, QUEUE_TOTAL_KEY, val, &ignore);   /* only a cache: may be refused */
	return 0;
}

static int queue_total_refresh(store *s, struct gs_err *e)
{
	long long top = 0, n = 0;
	return items_top(s, &top, e) || total_recount(s, top, &n, e) ? e->code : 0;
}

static int total_cached(store_queue *q, long long *n, struct gs_err *e)
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

static int count_stmt(store_queue *q, const char *sql, long long *n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(q->s, sql, e);
	if (!st) return e->code;
	queue_bind(q, st, 0);
	return queue_count(q->s, st, n, e);
}

/* items in the buckets visited before the one of key, plus those of its
 * bucket up to key/row */
static int pos_shuffled(store_queue *q, long long key, long long row, long long *pos, struct gs_err *e)
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

static int pos_file(store_queue *q, const struct store_item *at, long long *pos, struct gs_err *e)
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
	bind_text(st, 1, q->rater);
	bind_text(st, 2, q->rubric);
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
	bind_text(st, 1, name);
	bind_text(st, 2, rater);
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

/* ---- calibration and review ---- */
/* Calibration batches (batches, batch_items), consensus labels agreed in a
 * discussion or review (consensus: one appended row per decision, the
 * newest per item and criterion counts), review marks (reviews), and the
 * bulk reads `goldset review` needs to pick items. */

/* inserts the batch's row (or replaces what it holds) and its items,
 * inside a transaction; revealed when b->revealed_at is set */
static int batch_write(store *s, const struct store_batch *b, char *const *ext_ids, size_t n, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO batches(name, rubric, raters, seed, stratify, round, created_at, at,"
				   " revealed, revealed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 IS NOT NULL, ?9)"
				   " ON CONFLICT(name) DO UPDATE SET"
				   " rubric = excluded.rubric, raters = excluded.raters, seed = excluded.seed,"
				   " stratify = excluded.stratify, round = excluded.round, created_at = excluded.created_at,"
				   " at = excluded.at, revealed = excluded.revealed, revealed_at = excluded.revealed_at", e);
	if (!st) return e->code;
	bind_text(st, 1, b->name);
	bind_text(st, 2, b->rubric);
	bind_text(st, 3, b->raters);
	sqlite3_bind_int64(st, 4, b->seed);
	bind_text(st, 5, b->stratify);
	sqlite3_bind_int(st, 6, b->round);
	bind_text(st, 7, b->created_at);
	bind_text(st, 8, b->at);
	bind_text(st, 9, b->revealed_at);
	if (step_done(s, st, e, "batch")) return e->code;
	for (size_t i = 0; i < n; i++) {
		st = prep(s, "INSERT INTO batch_items(batch, pos, ext_id) VALUES(?1, ?2, ?3)", e);
		if (!st) return e->code;
		bind_text(st, 1, b->name);
		sqlite3_bind_int64(st, 2, (long long)i);
		bind_text(st, 3, ext_ids[i]);
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

#define BATCH_SELECT "SELECT name, rubric, raters, seed, stratify, round, created_at, at, revealed_at FROM batches "

static void batch_from_row(sqlite3_stmt *st, struct store_batch *b)
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
	bind_text(st, 1, name);
	bind_text(st, 2, rater);
	return queue_count(s, st, done, e);
}

int store_consensus_add(store *s, const struct store_consensus *c, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO consensus(ext_id, rubric, rubric_version, criterion, value, cause,"
				   " note, source, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601_ms(now);
	bind_text(st, 1, c->ext_id);
	bind_text(st, 2, c->rubric);
	sqlite3_bind_int(st, 3, c->rubric_version);
	bind_text(st, 4, c->criterion);
	bind_text(st, 5, c->value ? c->value : "null");
	bind_text(st, 6, c->cause);
	bind_text(st, 7, c->note);
	bind_text(st, 8, c->source ? c->source : "review");
	bind_text(st, 9, c->at ? c->at : now);
	return step_done(s, st, e, "consensus");
}

#define CONSENSUS_COLS "c.ext_id, c.rubric, c.rubric_version, c.criterion, c.value, c.cause, c.note, c.source, c.at"

static void consensus_from_row(sqlite3_stmt *st, struct store_consensus *c)
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
	bind_text(st, 1, rubric);
	bind_text(st, 2, ext_id);
	bind_text(st, 3, criterion);
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
	bind_text(st, 1, rubric);
	bind_text(st, 2, ext_id);
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
	bind_text(st, 1, r->ext_id);
	bind_text(st, 2, r->session);
	bind_text(st, 3, r->rubric);
	bind_text(st, 4, r->tags);
	bind_text(st, 5, r->note);
	bind_text(st, 6, r->at ? r->at : now);
	return step_done(s, st, e, "review");
}

#define REVIEW_SELECT "SELECT r.ext_id, r.session, r.rubric, r.tags, r.note, r.at FROM reviews r "

static void review_from_row(sqlite3_stmt *st, struct store_review *r)
{
	*r = (struct store_review){col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
				   col_text(st, 4), col_text(st, 5)};
}

int store_review_current(store *s, const char *ext_id, const char *session, struct store_review *out,
			 struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, REVIEW_SELECT "WHERE r.ext_id = ?1 AND r.session = ?2 ORDER BY r.id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_text(st, 1, ext_id);
	bind_text(st, 2, session);
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
	bind_text(st, 1, name);
	bind_text(st, 2, hash);
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

/* ---- pairwise ---- */
/* The pair screen's queue and its bookkeeping (see store.h). The queue
 * reuses the label queue's per-rater bucket order (struct store_queue,
 * queue_permute, bucket_range above) over kind = 'pairwise'.
 * Bound parameters: ?1 set, ?4 batch, ?5 pairs per item, ?6 rubric,
 * ?7 rater, ?8 todo, ?9/?10 a bucket's key range, ?11/?13 where to start. */

struct store_pairq {
	struct store_queue base;   /* rater, rubric, set, batch, the bucket permutation */
	int pairs_per_item, both_orders;
};

/* comparisons of item i's design */
#define PQ_NPAIRS "(SELECT CASE WHEN k < 2 THEN 0 WHEN k <= 4 THEN k * (k - 1) / 2" \
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
	q->pairs_per_item = o->pairs_per_item > 0 ? o->pairs_per_item : 1;
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

static void pq_bind(const struct store_pairq *q, sqlite3_stmt *st, int todo)
{
	bind_text(st, 1, q->base.set);
	bind_text(st, 4, q->base.batch);
	sqlite3_bind_int(st, 5, q->pairs_per_item);
	bind_text(st, 6, q->base.rubric);
	bind_text(st, 7, q->base.rater);
	sqlite3_bind_int(st, 8, todo);
}

static int pq_step_bucket(store_pairq *q, int bucket, int at, long long key, long long row, int dir, int todo,
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

static int pq_totals(store_pairq *q, struct store_pairq_counts *c, struct gs_err *e)
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
	bind_text(st, 1, ext_id);
	bind_text(st, 2, rater);
	bind_text(st, 3, rubric);
	bind_text(st, 4, pair_key);
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
	bind_text(st, 1, rubric);
	bind_text(st, 2, rater);
	bind_text(st, 3, ext_id);
	bind_text(st, 4, pair_key);
	sqlite3_bind_int(st, 5, pass);
	int rc = sqlite3_step(st);
	*left = rc == SQLITE_ROW ? col_dup(st, 0) : NULL;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(s, e, "shown");
}

int store_shown_add(store *s, const char *rubric, const char *rater, const char *ext_id, const char *left,
		    const char *right, const char *pair_key, int pass, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "INSERT INTO shown(ext_id, rubric, rater, left_sys, right_sys, pair_key, pass, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
	if (!st) return e->code;
	char now[32];
	now_iso8601(now);
	bind_text(st, 1, ext_id);
	bind_text(st, 2, rubric);
	bind_text(st, 3, rater);
	bind_text(st, 4, left);
	bind_text(st, 5, right);
	bind_text(st, 6, pair_key);
	sqlite3_bind_int(st, 7, pass);
	bind_text(st, 8, now);
	return step_done(s, st, e, "shown");
}

static void pair_label_copy(const struct store_label *l, struct store_label *out)
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
	sqlite3_stmt *st = prep(s, LABEL_SELECT "FROM labels l WHERE l.rubric = ?1 AND l.ext_id = ?2 AND l.rater = ?3"
				   " AND l.pair_key = ?4 AND l.pair_key <> '' AND l.left_sys = ?5 ORDER BY l.id DESC LIMIT 1", e);
	if (!st) return e->code;
	bind_text(st, 1, rubric);
	bind_text(st, 2, ext_id);
	bind_text(st, 3, rater);
	bind_text(st, 4, pair_key);
	bind_text(st, 5, left);
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
	bind_text(st, 1, rubric);
	bind_text(st, 2, criterion);
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
	bind_text(st, 1, ext_id);
	bind_text(st, 2, key);
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

struct salvage {
	sqlite3 *old;
	store *dst;
	struct store_salvage *r;
	const struct salvage_copy *copy;   /* the table salvage_copy_row copies */
	struct store_salvage_table *t;     /* and its counts */
	sqlite3_stmt *old_item;            /* an item row of the old store by id */
	long long max_id;                  /* the largest label id known to have been */
};

static int probe_ok(sqlite3_stmt *probe, long long x)
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
static int salvage_skip(sqlite3_stmt *probe, long long after, long long *next)
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
static long long salvage_tail(sqlite3 *old, const char *table, long long last)
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
static int salvage_gap(struct salvage *sv, sqlite3_stmt *probe, const char *table, struct store_salvage_table *t,
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
static int salvage_scan(struct salvage *sv, const char *table, const char *sql,
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

/* a table copied row by row: select (rowid first), or, when the old file's
 * schema predates a column, select_old; then insert from ?1.. */
struct salvage_copy { const char *name, *select, *select_old, *insert; };

#define SV_SELECT(cols, table) "SELECT rowid, " cols " FROM " table " WHERE rowid > ?1 ORDER BY rowid"
#define SV_BATCH_COLS "name, rubric, raters, seed, stratify, round, created_at, revealed"
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

static int salvage_copy_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e)
{
	sqlite3_stmt *ins = prep(sv->dst, sv->copy->insert, e);
	if (!ins) return e->code;
	for (int i = 1; i < sqlite3_column_count(st); i++) sqlite3_bind_value(ins, i, sqlite3_column_value(st, i));
	if (step_done(sv->dst, ins, e, sv->copy->name)) return e->code;
	sv->t->rows += sqlite3_changes(sv->dst->db) > 0;
	return 0;
}

static int salvage_tables(struct salvage *sv, struct gs_err *e)
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
static long long salvage_item_version(struct salvage *sv, const struct store_item *it, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "SELECT id FROM items WHERE ext_id = ?1 AND hash = ?2", e);
	if (!st) return -1;
	bind_text(st, 1, it->ext_id);
	bind_text(st, 2, it->hash);
	long long row = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (row) return row;
	if (set_ensure(sv->dst, it->set, e)) return -1;
	st = prep(sv->dst, "INSERT INTO items(ext_id, set_name, version, hash, is_current, kind, ord, json, meta,"
			   " has_gold, out_len, imported_at, shuf) VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)", e);
	if (!st) return -1;
	sqlite3_bind_int64(st, 12, order_key("", it->ext_id));
	bind_text(st, 1, it->ext_id);
	bind_text(st, 2, it->set);
	sqlite3_bind_int(st, 3, it->version);
	bind_text(st, 4, it->hash);
	bind_text(st, 5, it->kind ? it->kind : "single");
	sqlite3_bind_int64(st, 6, it->ord);
	bind_text(st, 7, it->json);
	bind_text(st, 8, it->meta ? it->meta : "{}");
	sqlite3_bind_int(st, 9, it->has_gold);
	sqlite3_bind_int64(st, 10, it->out_len);
	bind_text(st, 11, it->imported_at ? it->imported_at : "");
	if (step_done(sv->dst, st, e, "item version")) return -1;
	sv->r->item_versions++;
	return sqlite3_last_insert_rowid(sv->dst->db);
}

/* the new store's row for the item version a recovered label was made on:
 * that version when the old item row can be read (the label stays stale if
 * it was), else the current one; 0 when golden/ no longer has the item,
 * -1 on an error writing the new store */
static long long salvage_item(struct salvage *sv, long long old_row, const char *ext_id, struct gs_err *e)
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
static int salvage_in_files(struct salvage *sv, const struct store_label *l, int *yes, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "SELECT 1 FROM heads h JOIN labels l ON l.id = h.label_id WHERE h.rubric = ?1"
				   " AND h.ext_id = ?2 AND h.rater = ?3 AND h.pair_key = ?4 AND l.vals IS ?5"
				   " AND coalesce(l.note, '') = coalesce(?6, '') AND l.at = ?7 AND l.left_sys IS ?8", e);
	if (!st) return e->code;
	bind_text(st, 1, l->rubric);
	bind_text(st, 2, l->ext_id);
	bind_text(st, 3, l->rater);
	bind_text(st, 4, l->pair_key);
	bind_text(st, 5, l->vals);
	bind_text(st, 6, l->note);
	bind_text(st, 7, l->at);
	bind_text(st, 8, l->left_sys);
	int rc = sqlite3_step(st);
	*yes = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(sv->dst, e, "recovery");
}

/* what the heads decision needs of a recovered row (temp.salvaged) */
static int salvage_note(struct salvage *sv, const struct store_label *l, long long new_id, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "INSERT INTO temp.salvaged(rubric, ext_id, rater, pair_key, old_id, new_id, at)"
				   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", e);
	if (!st) return e->code;
	bind_text(st, 1, l->rubric);
	bind_text(st, 2, l->ext_id);
	bind_text(st, 3, l->rater);
	bind_text(st, 4, l->pair_key);
	sqlite3_bind_int64(st, 5, l->id);
	sqlite3_bind_int64(st, 6, new_id);
	bind_text(st, 7, l->at);
	return step_done(sv->dst, st, e, "recovery");
}

#define SV_LABELS "SELECT id, item_id, ext_id, rubric, rubric_version, rubric_hash, rater, login, vals, note," \
	" left_sys, right_sys, pair_key, sides, coalesce(seconds, -1), source, batch, at FROM labels" \
	" WHERE id > ?1 ORDER BY id"

/* 1 the first time label id comes by (a row can be read twice: by SQL,
 * then from the pages, or from the file and its WAL) */
static int salvage_first(struct salvage *sv, long long id, int *first, struct gs_err *e)
{
	sqlite3_stmt *st = prep(sv->dst, "INSERT OR IGNORE INTO temp.salvage_seen(id) VALUES(?1)", e);
	if (!st) return e->code;
	sqlite3_bind_int64(st, 1, id);
	if (step_done(sv->dst, st, e, "recovery")) return e->code;
	*first = sqlite3_changes(sv->dst->db) > 0;
	if (id > sv->max_id) sv->max_id = id;
	return 0;
}

static int json_ok(store *s, const char *text, int *ok, struct gs_err *e)
{
	sqlite3_stmt *st = prep(s, "SELECT ?1 IS NULL OR json_valid(?1)", e);
	if (!st) return e->code;
	bind_text(st, 1, text);
	*ok = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* one label row of the old store (from SQL or from the pages) */
static int salvage_label(struct salvage *sv, struct store_label *l, struct gs_err *e)
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

static int salvage_label_row(struct salvage *sv, sqlite3_stmt *st, struct gs_err *e)
{
	struct store_label l;
	label_from_row(st, &l);
	return salvage_label(sv, &l, e);
}

/* ---- label rows straight from the pages (pagescan.h) ---- */

struct raw_ctx { struct salvage *sv; struct gs_err *e; };

static char *ps_text(const struct ps_value *v)
{
	return v->type == PS_TEXT ? xstrndup(v->p, v->n) : NULL;
}

/* a record shaped like a labels row: 18 columns, the id (a rowid alias)
 * NULL, integers, texts and NULLs where the table has them */
static int label_shaped(const struct ps_value *v, int n)
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

static int raw_row(void *ctx, long long rowid, const struct ps_value *v, int n)
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

static int salvage_raw(struct salvage *sv, const char *path, struct gs_err *e)
{
	struct raw_ctx c = {sv, e};
	struct ps_counts pc;
	int rc = pagescan_file(path, raw_row, &c, &pc);
	return rc > 0 ? e->code : 0;
}

/* A key's head moves to its newest recovered row (by time, then row) when
 * that is later than the key's current label, the rule every label file
 * merge follows (last writer wins, by time). */
#define SV_SAME_KEY(x, y) " " #x ".rubric = " #y ".rubric AND " #x ".ext_id = " #y ".ext_id AND " #x ".rater = " \
	#y ".rater AND " #x ".pair_key = " #y ".pair_key "
static const char salvage_heads_sql[] =
	"INSERT OR REPLACE INTO heads(rubric, ext_id, rater, pair_key, label_id)"
	" SELECT s.rubric, s.ext_id, s.rater, s.pair_key, s.new_id FROM temp.salvaged s"
	" LEFT JOIN (heads h JOIN labels l ON l.id = h.label_id) ON " SV_SAME_KEY(h, s)
	" WHERE s.old_id = (SELECT x.old_id FROM temp.salvaged x WHERE " SV_SAME_KEY(x, s)
	"  ORDER BY gs_at_ms(x.at) DESC, x.old_id DESC LIMIT 1)"
	" AND (h.label_id IS NULL OR gs_at_ms(s.at) > gs_at_ms(l.at))";

static int salvage_labels_begin(store *dst, struct gs_err *e)
{
	return exec(dst, "CREATE TEMP TABLE salvaged(rubric TEXT, ext_id TEXT, rater TEXT, pair_key TEXT,"
			 " old_id INTEGER, new_id INTEGER, at TEXT);"
			 "CREATE INDEX temp.salvaged_key ON salvaged(rubric, ext_id, rater, pair_key, old_id);"
			 "CREATE TEMP TABLE salvage_seen(id INTEGER PRIMARY KEY);", e);
}

/* the heads, and how many label rows were lost: label ids run from 1
 * without gaps (rows are never deleted), so every id up to the largest
 * known that was not read is a row lost */
static int salvage_labels_end(struct salvage *sv, struct gs_err *e)
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
static int salvage_labels(struct salvage *sv, const char *path, struct gs_err *e)
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
static sqlite3 *salvage_open(const char *path, struct store_salvage *r, int *pages)
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
