/* pagescan.h: rows read straight from the pages of a SQLite database file,
 * without SQLite: what a damaged store still holds when SQLite cannot read
 * its schema or a table's upper pages (goldset init --rebuild). Every leaf
 * page of every table b-tree is decoded on its own (the SQLite file format:
 * cells, overflow chains, records); pages that do not parse are skipped.
 * The file is untrusted: every offset is checked. No SQL here. */
#ifndef GOLDSET_PAGESCAN_H
#define GOLDSET_PAGESCAN_H
#include <stddef.h>

enum ps_type { PS_NULL, PS_INT, PS_REAL, PS_TEXT, PS_BLOB };
struct ps_value {
	enum ps_type type;
	long long i;          /* PS_INT */
	double r;             /* PS_REAL */
	const char *p;        /* PS_TEXT, PS_BLOB: n bytes, not NUL-terminated */
	size_t n;
};
struct ps_counts { long long pages, leaves, records, bad_cells; };
/* calls cb(ctx, rowid, values, ncols) for each record of each table leaf
 * page of the file at path, then of the frames of path-wal if there is one
 * (the same row may come twice); the values live during the call; cb
 * returns non-zero to stop (that value is returned). -1: the file cannot
 * be read at all. */
int pagescan_file(const char *path, int (*cb)(void *ctx, long long rowid, const struct ps_value *v, int n), void *ctx,
		  struct ps_counts *c);
/* the same over a file's bytes in memory (fuzzing, tests): page_size 0
 * takes it from the header (4096 when the header is damaged) */
int pagescan_buffer(const unsigned char *buf, size_t len, size_t page_size,
		    int (*cb)(void *ctx, long long rowid, const struct ps_value *v, int n), void *ctx, struct ps_counts *c);
#endif
