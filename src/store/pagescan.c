/* pagescan.c: table rows read straight from a SQLite file's pages, for
 * `goldset init --rebuild` when SQLite itself can no longer read a damaged
 * store (see pagescan.h). It follows the published file format
 * (sqlite.org/fileformat2.html): a table b-tree leaf page (type 13) holds
 * cells of payload size and rowid (varints) and the record's first bytes;
 * the rest of a long record is on a chain of overflow pages; a record is a
 * header of serial types and then the values. Every length and offset
 * comes from a file that may be damaged, so each is checked before use;
 * a cell that does not parse is counted and skipped. */
#include "store/pagescan.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#define PS_MAX_COLS 64

struct scan {
	const unsigned char *file;   /* the main file: where overflow pages are looked up */
	size_t len, page_size, usable;
	int (*cb)(void *ctx, long long rowid, const struct ps_value *v, int n);
	void *ctx;
	struct ps_counts *c;
};

static uint32_t be(const unsigned char *p, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++) v = v << 8 | p[i];
	return v;
}

/* a varint at p (at most 9 bytes, before end): its length, 0 if cut short */
static size_t varint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
	*v = 0;
	for (size_t i = 0; i < 9; i++) {
		if (p + i >= end) return 0;
		if (i == 8) {
			*v = *v << 8 | p[i];
			return 9;
		}
		*v = *v << 7 | (p[i] & 0x7f);
		if (!(p[i] & 0x80)) return i + 1;
	}
	return 0;
}

static const unsigned char *page_at(const struct scan *s, uint32_t pgno)
{
	if (pgno == 0 || (size_t)(pgno - 1) >= s->len / s->page_size) return NULL;
	return s->file + (size_t)(pgno - 1) * s->page_size;
}

/* a value of serial type t at p (before end): its length, or (size_t)-1 */
static size_t value(uint64_t t, const unsigned char *p, const unsigned char *end, struct ps_value *v)
{
	static const size_t int_len[] = {0, 1, 2, 3, 4, 6, 8};
	memset(v, 0, sizeof *v);
	size_t n = t <= 6 ? int_len[t] : t == 7 ? 8 : t <= 11 ? 0 : (size_t)((t - 12) / 2);
	if (t == 10 || t == 11 || n > (size_t)(end - p)) return (size_t)-1;
	if (t == 0) {
		v->type = PS_NULL;
	} else if (t <= 6 || t == 8 || t == 9) {
		v->type = PS_INT;
		uint64_t u = t == 9 ? 1 : 0;
		for (size_t i = 0; i < n; i++) u = u << 8 | p[i];
		if (n && n < 8 && (p[0] & 0x80)) u |= ~0ULL << (8 * n);   /* sign-extend */
		v->i = (long long)u;
	} else if (t == 7) {
		uint64_t u = 0;
		for (size_t i = 0; i < 8; i++) u = u << 8 | p[i];
		v->type = PS_REAL;
		memcpy(&v->r, &u, sizeof v->r);
	} else {
		v->type = t % 2 ? PS_TEXT : PS_BLOB;
		v->p = (const char *)p;
		v->n = n;
	}
	return n;
}

/* a record's values; 0 and *n, or -1 when it does not parse */
static int record(const unsigned char *p, size_t len, struct ps_value *vals, int *n)
{
	const unsigned char *end = p + len, *h;
	uint64_t hlen, t;
	size_t k = varint(p, end, &hlen);
	if (!k || hlen < k || hlen > len) return -1;
	const unsigned char *body = p + hlen;
	*n = 0;
	for (h = p + k; h < p + hlen; h += k) {
		if (*n == PS_MAX_COLS || !(k = varint(h, p + hlen, &t))) return -1;
		size_t used = value(t, body, end, &vals[*n]);
		if (used == (size_t)-1) return -1;
		body += used;
		(*n)++;
	}
	return body == end ? 0 : -1;
}

/* the payload of a leaf cell: local bytes, then the overflow chain; *buf
 * is malloc'd (the caller frees it); -1 when it does not parse */
static int payload(const struct scan *s, const unsigned char *cell, const unsigned char *end, uint64_t size,
		   unsigned char **buf)
{
	size_t u = s->usable, x = u - 35, m = ((u - 12) * 32 / 255) - 23, local = (size_t)size;
	if (size > (1u << 30)) return -1;
	if (size > x) {   /* the format's rule for how much stays on the leaf */
		size_t k = m + ((size_t)size - m) % (u - 4);
		local = k <= x ? k : m;
	}
	if (local > (size_t)(end - cell)) return -1;
	*buf = malloc(size ? size : 1);
	if (!*buf) return -1;
	memcpy(*buf, cell, local);
	size_t have = local;
	uint32_t next = local < size && cell + local + 4 <= end ? be(cell + local, 4) : 0;
	for (int hops = 0; have < size && hops < 1 << 20; hops++) {
		const unsigned char *pg = page_at(s, next);
		if (!pg) break;
		size_t n = size - have < u - 4 ? size - have : u - 4;
		memcpy(*buf + have, pg + 4, n);
		have += n;
		next = be(pg, 4);
	}
	if (have == size) return 0;
	free(*buf);
	*buf = NULL;
	return -1;
}

/* one cell of a table leaf page; 0, a cb's stop value, or -1 (bad cell) */
static int cell(const struct scan *s, const unsigned char *pg, size_t off)
{
	const unsigned char *p = pg + off, *end = pg + s->usable;
	uint64_t size, rowid;
	size_t a = varint(p, end, &size), b = a ? varint(p + a, end, &rowid) : 0;
	unsigned char *buf = NULL;
	struct ps_value vals[PS_MAX_COLS];
	int n = 0;
	if (!b || payload(s, p + a + b, end, size, &buf) || record(buf, (size_t)size, vals, &n)) {
		free(buf);
		return -1;
	}
	s->c->records++;
	int rc = s->cb(s->ctx, (long long)rowid, vals, n);
	free(buf);
	return rc;
}

/* every cell of a page that is a table leaf (or whose type byte is no
 * b-tree page type at all: a damaged leaf); hdr: 100 on page 1 */
static int leaf(const struct scan *s, const unsigned char *pg, size_t hdr)
{
	s->c->pages++;
	if (pg[hdr] == 2 || pg[hdr] == 5 || pg[hdr] == 10) return 0;
	if (pg[hdr] != 13 && be(pg + hdr + 3, 2) == 0) return 0;
	s->c->leaves++;
	size_t ncell = be(pg + hdr + 3, 2);
	if (hdr + 8 + 2 * ncell > s->usable) return 0;
	for (size_t i = 0; i < ncell; i++) {
		size_t off = be(pg + hdr + 8 + 2 * i, 2);
		int rc = off >= hdr + 8 && off < s->usable ? cell(s, pg, off) : -1;
		if (rc < 0) s->c->bad_cells++;
		else if (rc) return rc;
	}
	return 0;
}

/* the page size the header names, or 0 */
static size_t header_page_size(const unsigned char *buf, size_t len)
{
	if (len < 100 || memcmp(buf, "SQLite format 3", 16) != 0) return 0;
	size_t ps = be(buf + 16, 2) == 1 ? 65536 : be(buf + 16, 2);
	return ps >= 512 && ps <= 65536 && !(ps & (ps - 1)) ? ps : 0;
}

static void scan_init(struct scan *s, const unsigned char *buf, size_t len, size_t page_size)
{
	size_t reserved = len >= 100 && header_page_size(buf, len) ? buf[20] : 0;
	s->file = buf;
	s->len = len;
	s->page_size = page_size ? page_size : header_page_size(buf, len) ? header_page_size(buf, len) : 4096;
	s->usable = s->page_size - (reserved < s->page_size - 480 ? reserved : 0);
}

int pagescan_buffer(const unsigned char *buf, size_t len, size_t page_size,
		    int (*cb)(void *ctx, long long rowid, const struct ps_value *v, int n), void *ctx, struct ps_counts *c)
{
	struct scan s = {.cb = cb, .ctx = ctx, .c = c};
	memset(c, 0, sizeof *c);
	scan_init(&s, buf, len, page_size);
	if (page_size && (page_size < 512 || page_size > 65536)) return -1;
	for (size_t i = 0; (i + 1) * s.page_size <= len; i++) {
		int rc = leaf(&s, buf + i * s.page_size, i == 0 ? 100 : 0);
		if (rc) return rc;
	}
	return 0;
}

/* the frames of a WAL file: a 32-byte header, then 24-byte frame headers
 * each followed by a page (page 1's b-tree header at 100) */
static int wal_frames(struct scan *s, const unsigned char *w, size_t len)
{
	if (len < 32 || (be(w, 4) & 0xfffffffe) != 0x377f0682 || be(w + 8, 4) != s->page_size) return 0;
	for (size_t off = 32; off + 24 + s->page_size <= len; off += 24 + s->page_size) {
		int rc = leaf(s, w + off + 24, be(w + off, 4) == 1 ? 100 : 0);
		if (rc) return rc;
	}
	return 0;
}

static const unsigned char *map_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	void *p = MAP_FAILED;
	if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size > 0)
		p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (fd >= 0) close(fd);
	*len = p == MAP_FAILED ? 0 : (size_t)sb.st_size;
	return p == MAP_FAILED ? NULL : p;
}

int pagescan_file(const char *path, int (*cb)(void *ctx, long long rowid, const struct ps_value *v, int n), void *ctx,
		  struct ps_counts *c)
{
	size_t len, wlen = 0;
	const unsigned char *buf = map_file(path, &len);
	memset(c, 0, sizeof *c);
	if (!buf) return -1;
	int rc = pagescan_buffer(buf, len, 0, cb, ctx, c);
	char *wal = xasprintf("%s-wal", path);
	const unsigned char *w = rc ? NULL : map_file(wal, &wlen);
	free(wal);
	if (w) {
		struct scan s = {.cb = cb, .ctx = ctx, .c = c};
		scan_init(&s, buf, len, 0);
		rc = wal_frames(&s, w, wlen);
		munmap((void *)w, wlen);
	}
	munmap((void *)buf, len);
	return rc;
}
