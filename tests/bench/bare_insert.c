/* bare_insert.c: the baseline of the save benchmark (tests/bench/label.sh).
 * The least SQLite needs to make one label durable: a table shaped like
 * goldset's labels (no index), WAL and synchronous=FULL, and per label one
 * INSERT in a BEGIN IMMEDIATE ... COMMIT.  label_save.c calls it between
 * goldset's own saves (see bare_insert.h). */
#define _POSIX_C_SOURCE 200809L
#include "bare_insert.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct bare { sqlite3 *db; sqlite3_stmt *ins; };

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void must(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bare_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot open");
		exit(1);
	}
}

struct bare *bare_open(const char *path)
{
	struct bare *b = calloc(1, sizeof *b);
	if (!b) exit(1);
	must(NULL, sqlite3_open(path, &b->db), "open");
	must(b->db, sqlite3_exec(b->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				 "CREATE TABLE IF NOT EXISTS labels(id INTEGER PRIMARY KEY, item_id INTEGER, ext_id TEXT,"
				 " rubric TEXT, rubric_version INTEGER, rubric_hash TEXT, rater TEXT, login TEXT, vals TEXT,"
				 " seconds REAL, source TEXT, at TEXT)", NULL, NULL, NULL), "schema");
	must(b->db, sqlite3_prepare_v2(b->db, "INSERT INTO labels(item_id, ext_id, rubric, rubric_version, rubric_hash,"
				       " rater, login, vals, seconds, source, at) VALUES(?1, ?2, 'tl', 1,"
				       " 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4', 'bench', 'bench', ?3, 1.5,"
				       " 'screen', '2026-11-22T10:31:07Z')", -1, &b->ins, NULL), "prepare");
	return b;
}

double bare_save(struct bare *b, int i)
{
	char id[32];
	snprintf(id, sizeof id, "b-%06d", i);
	double t0 = now_us();
	must(b->db, sqlite3_exec(b->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
	sqlite3_bind_int(b->ins, 1, i + 1);
	sqlite3_bind_text(b->ins, 2, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(b->ins, 3, "{\"ok\":\"no\",\"s\":1,\"chk\":{\"a\":false,\"b\":false}}", -1, SQLITE_STATIC);
	must(b->db, sqlite3_step(b->ins), "insert");
	sqlite3_reset(b->ins);
	must(b->db, sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL), "commit");
	return now_us() - t0;
}

void bare_close(struct bare *b)
{
	sqlite3_finalize(b->ins);
	sqlite3_close(b->db);
	free(b);
}
