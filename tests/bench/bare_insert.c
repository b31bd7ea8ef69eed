/* bare_insert.c: the baseline of the save benchmark (tests/bench/label.sh).
 * The least SQLite needs to make one label durable: a table shaped like
 * goldset's labels, WAL and synchronous=FULL, and per label one INSERT in
 * a BEGIN IMMEDIATE ... COMMIT. Prints each save's latency in microseconds.
 * Usage: bare_insert DB FIRST N */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void must(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "bare_insert: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bare_insert DB FIRST N\n");
		return 64;
	}
	sqlite3 *db;
	sqlite3_stmt *ins;
	int first = atoi(argv[2]), n = atoi(argv[3]);
	must(NULL, sqlite3_open(argv[1], &db), "open");
	must(db, sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  "CREATE TABLE IF NOT EXISTS labels(id INTEGER PRIMARY KEY, item_id INTEGER, ext_id TEXT,"
				  " rubric TEXT, rubric_version INTEGER, rubric_hash TEXT, rater TEXT, login TEXT, vals TEXT,"
				  " seconds REAL, source TEXT, at TEXT)", NULL, NULL, NULL), "schema");
	must(db, sqlite3_prepare_v2(db, "INSERT INTO labels(item_id, ext_id, rubric, rubric_version, rubric_hash,"
					" rater, login, vals, seconds, source, at) VALUES(?1, ?2, 'tl', 1,"
					" 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4', 'bench', 'bench', ?3, 1.5,"
					" 'screen', '2026-11-22T10:31:07Z')", -1, &ins, NULL), "prepare");
	for (int i = first; i < first + n; i++) {
		char id[32];
		snprintf(id, sizeof id, "b-%06d", i);
		double t0 = now_us();
		must(db, sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), "begin");
		sqlite3_bind_int(ins, 1, i + 1);
		sqlite3_bind_text(ins, 2, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, "{\"ok\":\"no\",\"s\":1,\"chk\":{\"a\":false,\"b\":false}}", -1, SQLITE_STATIC);
		must(db, sqlite3_step(ins), "insert");
		sqlite3_reset(ins);
		must(db, sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
		printf("%.1f\n", now_us() - t0);
	}
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
