/* csv.c: the CSV reader (RFC 4180) and writer, and the `agree --table`
 * loader declared in csv.h. libcsv parses and quotes; the reader feeds it
 * 64 KiB at a time, a line at a time (so that it knows the line of every
 * byte), and gathers one record into a reused buffer, so memory stays flat
 * however long the file; the loader keeps each distinct value string once
 * (a hash table) and stores a small id per cell, then decides numbers or
 * categories once at the end. */
#include "csv.h"
#include "libcsv.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536
/* strict: text after a closing quote, and a quoted field open at the end,
 * are errors; every line end is reported, blank lines too */
#define PARSER_OPTS (CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)

struct csv {
	const char *name;
	FILE *f;                /* NULL when reading memory */
	int own;                /* fclose f at the end */
	int flags;
	const char *buf;        /* bytes being parsed */
	size_t pos, len;
	char *chunk;            /* CHUNK bytes when reading a file */
	int started;            /* the byte-order mark check was done */
	int ended;              /* the parser was told the input ended */
	struct csv_parser p;
	long line;              /* line of the next byte (1-based) */
	long rec_line;
	long field_line;        /* line the field being parsed began on */
	long ends;              /* record ends the parser reported */
	int after_cr;           /* the last record ended at a CR (a LF next is its pair) */
	int full;               /* the current record is complete */
	size_t width;           /* fields of the first record */
	/* the current record: fields packed, each NUL-terminated */
	char *rec;
	size_t rlen, rcap;
	size_t *start;          /* offsets into rec, then lengths */
	size_t *flen;
	const char **field;
	size_t nf, fcap;
};

/* every byte is data: the parser trims no blanks around fields */
static int no_blank(unsigned char ch)
{
	(void)ch;
	return 0;
}

/* no_blank for bytes that hold a space or a tab; for others the parser's
 * own test gives the same (it finds none) without a call per byte */
static void blanks_are_data(struct csv *c, const char *s, size_t n)
{
	int blank = memchr(s, ' ', n) || memchr(s, '\t', n);
	csv_set_space_func(&c->p, blank ? no_blank : NULL);
}

static struct csv *csv_new(const char *name, int flags)
{
	struct csv *c = xcalloc(1, sizeof *c);
	c->name = name;
	c->flags = flags;
	c->line = c->rec_line = c->field_line = 1;
	c->rcap = 256;
	c->rec = xmalloc(c->rcap);
	c->fcap = 16;
	c->start = xmalloc(c->fcap * sizeof *c->start);
	c->flen = xmalloc(c->fcap * sizeof *c->flen);
	c->field = xmalloc(c->fcap * sizeof *c->field);
	csv_init(&c->p, PARSER_OPTS);
	csv_set_realloc_func(&c->p, xrealloc);
	return c;
}

struct csv *csv_open(const char *path, int flags, struct gs_err *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		gs_fail(e, errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct csv *c = csv_new(path, flags);
	c->f = f;
	c->own = f != stdin;
	c->chunk = xmalloc(CHUNK);
	c->buf = c->chunk;
	return c;
}

struct csv *csv_open_mem(const char *name, const char *text, size_t len, int flags)
{
	struct csv *c = csv_new(name, flags);
	c->buf = text;
	c->len = len;
	return c;
}

void csv_close(struct csv *c)
{
	if (!c) return;
	if (c->own) fclose(c->f);
	csv_free(&c->p);
	free(c->chunk);
	free(c->rec);
	free(c->start);
	free(c->flen);
	free(c->field);
	free(c);
}

size_t csv_nfields(const struct csv *c) { return c->nf; }
const char *csv_field(const struct csv *c, size_t i) { return i < c->nf ? c->field[i] : ""; }
size_t csv_field_len(const struct csv *c, size_t i) { return i < c->nf ? c->flen[i] : 0; }
long csv_line(const struct csv *c) { return c->rec_line; }
const char *csv_name(const struct csv *c) { return c->name; }

/* 0 at the end (or on a read error: see ferror) */
static int refill(struct csv *c)
{
	if (!c->f) return 0;
	c->len = fread(c->chunk, 1, CHUNK, c->f);
	c->pos = 0;
	return c->len > 0;
}

static void skip_bom(struct csv *c)
{
	c->started = 1;
	if (c->pos < c->len || refill(c)) {
		if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0) c->pos += 3;
	}
}

static void rec_addn(struct csv *c, const char *s, size_t n)
{
	if (c->rlen + n >= c->rcap) {
		while (c->rlen + n >= c->rcap) c->rcap *= 2;
		c->rec = xrealloc(c->rec, c->rcap);
	}
	memcpy(c->rec + c->rlen, s, n);
	c->rlen += n;
	c->rec[c->rlen++] = '\0';
}

/* the parser's field callback: the field joins the record */
static void on_field(void *s, size_t n, void *ctx)
{
	struct csv *c = ctx;
	if (!n) s = "";
	if (c->nf == c->fcap) {
		c->fcap *= 2;
		c->start = xrealloc(c->start, c->fcap * sizeof *c->start);
		c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
		c->field = xrealloc(c->field, c->fcap * sizeof *c->field);
	}
	c->start[c->nf] = c->rlen;
	c->flen[c->nf++] = n;
	rec_addn(c, s, n);
	c->field_line = c->line;
}

/* the parser's record callback, at a line end (ch) or the end of the input
 * (-1). A record of no field is a blank line: one empty field, or nothing
 * with CSV_SKIP_BLANK; the LF of a CRLF comes as one too and is dropped. */
static void on_record(int ch, void *ctx)
{
	struct csv *c = ctx;
	int lf_of_crlf = ch == '\n' && c->after_cr && c->nf == 0;
	c->ends++;
	c->after_cr = ch == '\r';
	if (ch >= 0 && !lf_of_crlf) c->line++;
	c->field_line = c->line;
	if (lf_of_crlf) return;
	if (c->nf == 0 && (c->flags & CSV_SKIP_BLANK)) {
		c->rec_line = c->line;
		return;
	}
	if (c->nf == 0) on_field("", 0, c);
	c->full = 1;
}

static int fail_at(struct csv *c, struct gs_err *e, long line, const char *what)
{
	return gs_fail(e, EX_DATAERR, "%s:%ld: %s (field %zu)", c->name, line, what, c->nf + 1), -1;
}

/* bytes that end a piece fed to the parser: it then holds no line end but
 * its last byte, so a record ends only at the end of a piece */
static const unsigned char stops[256] = {['\0'] = 1, ['\n'] = 1, ['\r'] = 1};

static size_t piece_len(const struct csv *c)
{
	const char *b = c->buf + c->pos, *end = c->buf + c->len, *q = b;
	while (q < end && !stops[(unsigned char)*q]) q++;
	return (size_t)(q - b) + (q < end && *q != '\0');
}

/* feeds n bytes; a quote inside an unquoted field is text (strict mode
 * would refuse it), anything else the parser refuses is text after a
 * closing quote */
static int parse(struct csv *c, const char *s, size_t n, struct gs_err *e)
{
	blanks_are_data(c, s, n);
	for (size_t done = 0; done < n;) {
		size_t blk = csv_get_buffer_size(&c->p);
		csv_set_blk_size(&c->p, (n > blk ? n : blk) + 64);   /* grows by doubling */
		done += csv_parse(&c->p, s + done, n - done, on_field, on_record, c);
		if (done == n) break;
		if (c->p.quoted) return fail_at(c, e, c->line, "text after a closing quote");
		csv_set_opts(&c->p, PARSER_OPTS & ~CSV_STRICT);
		csv_parse(&c->p, s + done++, 1, on_field, on_record, c);
		csv_set_opts(&c->p, PARSER_OPTS);
	}
	return 0;
}

/* a NUL byte: an error, named as the parser sees it */
static int nul_byte(struct csv *c, struct gs_err *e)
{
	if (parse(c, c->buf + c->pos, 1, e)) return -1;
	return fail_at(c, e, c->line, "NUL byte");
}

/* the next piece of the input to the parser; 0 at the end */
static int feed_piece(struct csv *c, struct gs_err *e)
{
	if (c->pos == c->len && !refill(c)) return 0;
	if (c->buf[c->pos] == '\0') return nul_byte(c, e);
	size_t n = piece_len(c);
	long ends = c->ends;
	if (parse(c, c->buf + c->pos, n, e)) return -1;
	c->pos += n;
	if (c->buf[c->pos - 1] == '\n' && c->ends == ends) c->line++;   /* a line break in quotes */
	return 1;
}

/* the end of the input: the last record without a line end, or an error */
static int finish(struct csv *c, struct gs_err *e)
{
	if (c->f && ferror(c->f)) return gs_fail(e, EX_IOERR, "%s: read error", c->name), -1;
	if (c->ended) return 0;
	c->ended = 1;
	if (csv_fini(&c->p, on_field, on_record, c)) return fail_at(c, e, c->field_line, "quoted field never closed");
	return c->full;
}

static int check_width(struct csv *c, struct gs_err *e)
{
	if (!(c->flags & CSV_SAME_WIDTH)) return 0;
	if (c->width == 0) {
		c->width = c->nf;
		return 0;
	}
	if (c->nf == c->width) return 0;
	size_t f = c->nf < c->width ? c->nf + 1 : c->width + 1;
	gs_fail(e, EX_DATAERR, "%s:%ld: %zu fields where the header has %zu (field %zu %s)", c->name,
		c->rec_line, c->nf, c->width, f, c->nf < c->width ? "missing" : "is extra");
	return -1;
}

static void finish_record(struct csv *c)
{
	for (size_t i = 0; i < c->nf; i++) c->field[i] = c->rec + c->start[i];
}

int csv_next(struct csv *c, struct gs_err *e)
{
	if (!c->started) skip_bom(c);
	c->nf = 0;
	c->rlen = 0;
	c->full = 0;
	c->rec_line = c->line;
	int rc = 0;
	while (!c->full && (rc = feed_piece(c, e)) > 0) continue;
	if (!c->full && (rc < 0 || (rc = finish(c, e)) <= 0)) return rc;
	finish_record(c);
	return check_width(c, e) ? -1 : 1;
}

/* ---- writing ---- */

char *csv_quote(const char *raw)
{
	if (!raw) return xstrdup("");
	/* CSV has no escapes: unsafe controls are written in their visible form */
	char *s = text_escape_keep_breaks(raw, strlen(raw));
	size_t n = strlen(s);
	if (!strpbrk(s, ",\"\r\n")) return s;
	char *q = xmalloc(2 * n + 3);
	q[csv_write(q, 2 * n + 2, s, n)] = '\0';
	free(s);
	return q;
}

/* ---- the agree --table loader ---- */

/* Strings (unit ids, distinct values) are kept end to end in one buffer,
 * NUL-terminated, and known by their offset until the buffer stops moving;
 * it then belongs to csv_ratings.text. */
struct arena { char *p; size_t len, cap; };

static size_t arena_add(struct arena *a, const char *s, size_t len)
{
	if (a->len + len + 1 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 65536;
		while (a->len + len + 1 > a->cap) a->cap *= 2;
		a->p = xrealloc(a->p, a->cap);
	}
	size_t at = a->len;
	memcpy(a->p + at, s, len);
	a->p[at + len] = '\0';
	a->len += len + 1;
	return at;
}

/* a set of strings, each given an id in order of first sight; a slot
 * keeps the id and 32 bits of the hash, so a probe that misses does not
 * touch the string */
struct slot { uint32_t id1, h; };        /* id + 1 (0 = empty), hash bits */
struct strtab {
	struct arena *a;
	struct slot *slot;
	size_t cap, n, scap;
	size_t *off;            /* n: where each string is in the arena */
	uint32_t *len;
};

static uint64_t str_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;
	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

static void tab_init(struct strtab *t, struct arena *a)
{
	memset(t, 0, sizeof *t);
	t->a = a;
	t->cap = 1024;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	t->scap = 256;
	t->off = xmalloc(t->scap * sizeof *t->off);
	t->len = xmalloc(t->scap * sizeof *t->len);
}

static void tab_free(struct strtab *t)
{
	free(t->slot);
	free(t->off);
	free(t->len);
}

static const char *tab_str(const struct strtab *t, size_t id)
{
	return t->a->p + t->off[id];
}

/* slots are placed by the 32 hash bits they keep, so growing needs no strings */
static void tab_grow(struct strtab *t)
{
	struct slot *old = t->slot;
	size_t oldcap = t->cap;
	t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	for (size_t k = 0; k < oldcap; k++) {
		if (!old[k].id1) continue;
		size_t i = old[k].h & (t->cap - 1);
		while (t->slot[i].id1) i = (i + 1) & (t->cap - 1);
		t->slot[i] = old[k];
	}
	free(old);
}

static uint32_t tab_add(struct strtab *t, const char *s, size_t len, uint32_t h, size_t i)
{
	if (t->n == t->scap) {
		t->scap *= 2;
		t->off = xrealloc(t->off, t->scap * sizeof *t->off);
		t->len = xrealloc(t->len, t->scap * sizeof *t->len);
	}
	uint32_t id = (uint32_t)t->n++;
	t->off[id] = arena_add(t->a, s, len);
	t->len[id] = (uint32_t)len;
	t->slot[i] = (struct slot){id + 1, h};
	if (2 * t->n > t->cap) tab_grow(t);
	return id;
}

/* id of s[0..len); *added tells whether it is new. Past 2^32 slots the
 * table could not grow further; no CSV gets near that. */
static uint32_t tab_id(struct strtab *t, const char *s, size_t len, int *added)
{
	uint32_t h = (uint32_t)str_hash(s, len);
	size_t i = h & (t->cap - 1);
	for (; t->slot[i].id1; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].h != h) continue;
		uint32_t id = t->slot[i].id1 - 1;
		if (t->len[id] == len && memcmp(tab_str(t, id), s, len) == 0) {
			*added = 0;
			return id;
		}
	}
	*added = 1;
	return tab_add(t, s, len, h, i);
}

/* a plain decimal number: [+-] digits [. digits] [e [+-] digits] */
static int is_number(const char *s)
{
	if (*s == '+' || *s == '-') s++;
	size_t digits = 0;
	while (*s >= '0' && *s <= '9') s++, digits++;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') s++, digits++;
	}
	if (!digits) return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-') s++;
		if (!(*s >= '0' && *s <= '9')) return 0;
		while (*s >= '0' && *s <= '9') s++;
	}
	return *s == '\0';
}

static inline void trim(const char **s, size_t *len)
{
	if (*len && **s != ' ' && **s != '\t' && (*s)[*len - 1] != ' ' && (*s)[*len - 1] != '\t') return;
	while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

struct loader {
	struct csv *c;
	struct csv_ratings *t;
	struct gs_err *e;
	struct arena text;
	size_t *unit_off;       /* each unit id's place in text */
	size_t nunit, unitcap;
	struct strtab vals;
	struct vcache { uint64_t w; uint32_t len, id1; } cache[256];   /* see value_id */
	uint32_t *cell;         /* value id + 1 per cell, 0 = missing */
	size_t ncell, cellcap;
	long *unit_line;        /* line of each unit */
	size_t linecap;
	long *val_line;         /* line each value string was first seen on */
	size_t valcap;
};

/* "FILE:LINE: <kind> '<name>' <rest>": the name is the file's text, so it
 * is escaped (text.h) before it can reach a terminal */
static int fail_name(struct loader *L, long line, const char *kind, const char *name, const char *rest)
{
	char *safe = text_escape(name);
	gs_fail(L->e, EX_DATAERR, "%s:%ld: %s '%s' %s", L->c->name, line, kind, safe, rest);
	free(safe);
	return L->e->code;
}

static int read_header(struct loader *L)
{
	struct csv *c = L->c;
	int rc = csv_next(c, L->e);
	if (rc < 0) return L->e->code;
	if (rc == 0) return gs_fail(L->e, EX_DATAERR, "%s:1: empty file (expected a header unit,<rater>,...)", c->name);
	size_t nf = csv_nfields(c);
	if (nf < 2)
		return gs_fail(L->e, EX_DATAERR, "%s:%ld: the header needs a unit column and at least one rater (field 2)",
			c->name, csv_line(c));
	L->t->raters = nf - 1;
	L->t->rater = xcalloc(nf - 1, sizeof *L->t->rater);
	for (size_t i = 1; i < nf; i++) {
		const char *s = csv_field(c, i);
		size_t len = csv_field_len(c, i);
		trim(&s, &len);
		if (len == 0)
			return gs_fail(L->e, EX_DATAERR, "%s:%ld: empty rater name (field %zu)", c->name, csv_line(c), i + 1);
		L->t->rater[i - 1] = xstrndup(s, len);
		for (size_t j = 1; j < i; j++)
			if (strcmp(L->t->rater[j - 1], L->t->rater[i - 1]) == 0) {
				char rest[64];
				snprintf(rest, sizeof rest, "named twice (field %zu)", i + 1);
				return fail_name(L, csv_line(c), "rater", L->t->rater[i - 1], rest);
			}
	}
	return 0;
}

static void push_cell(struct loader *L, uint32_t v)
{
	if (L->ncell == L->cellcap) {
		L->cellcap = L->cellcap ? 2 * L->cellcap : 65536;
		L->cell = xrealloc(L->cell, L->cellcap * sizeof *L->cell);
	}
	L->cell[L->ncell++] = v;
}

static void note_line(long **lines, size_t *cap, size_t at, long line)
{
	if (at >= *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		*lines = xrealloc(*lines, *cap * sizeof **lines);
	}
	(*lines)[at] = line;
}

static uint32_t value_id(struct loader *L, const char *s, size_t len);

/* a row of empty cells only (",,,", as spreadsheets leave at the end) */
static int all_empty(const struct csv *c)
{
	for (size_t i = 0; i < csv_nfields(c); i++) {
		const char *s = csv_field(c, i);
		size_t len = csv_field_len(c, i);
		trim(&s, &len);
		if (len) return 0;
	}
	return 1;
}

static int read_row(struct loader *L)
{
	struct csv *c = L->c;
	const char *s = csv_field(c, 0);
	size_t len = csv_field_len(c, 0);
	trim(&s, &len);
	if (len == 0 && all_empty(c)) return 0;
	if (len == 0) return gs_fail(L->e, EX_DATAERR, "%s:%ld: empty unit id (field 1)", c->name, csv_line(c));
	note_line(&L->unit_line, &L->linecap, L->nunit, csv_line(c));
	if (L->nunit == L->unitcap) {
		L->unitcap = L->unitcap ? 2 * L->unitcap : 1024;
		L->unit_off = xrealloc(L->unit_off, L->unitcap * sizeof *L->unit_off);
	}
	L->unit_off[L->nunit++] = arena_add(&L->text, s, len);
	for (size_t i = 1; i < csv_nfields(c); i++) {
		s = csv_field(c, i);
		len = csv_field_len(c, i);
		trim(&s, &len);
		push_cell(L, len ? value_id(L, s, len) + 1 : 0);
	}
	return 0;
}

/* a value's id. Most values are short ("4", "yes"): a direct-mapped cache
 * keyed on their bytes answers before the hash table is asked. */
static uint32_t value_id(struct loader *L, const char *s, size_t len)
{
	struct vcache *slot = NULL;
	uint64_t w = 0;
	if (len <= 8) {
		for (size_t i = 0; i < len; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		slot = &L->cache[((w * 0x9e3779b97f4a7c15ULL) >> 56 ^ len) & 0xff];
		if (slot->id1 && slot->w == w && slot->len == len) return slot->id1 - 1;
	}
	int added;
	uint32_t id = tab_id(&L->vals, s, len, &added);
	if (added) note_line(&L->val_line, &L->valcap, id, csv_line(L->c));
	if (slot) *slot = (struct vcache){w, (uint32_t)len, id + 1};
	return id;
}

struct named { const char *s; uint32_t id; };
static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->s, ((const struct named *)b)->s);
}

static int number_of(const char *s, double *out)
{
	if (!is_number(s)) return 0;
	errno = 0;
	*out = strtod(s, NULL);
	return errno == 0 && isfinite(*out);
}

/* categories: coded in sorted order; order_out gets the ids in that order */
static void code_categories(struct loader *L, uint32_t *code, uint32_t *order_out)
{
	struct csv_ratings *t = L->t;
	size_t n = L->vals.n;
	struct named *order = xmalloc(n * sizeof *order);
	for (size_t i = 0; i < n; i++) order[i] = (struct named){tab_str(&L->vals, i), (uint32_t)i};
	qsort(order, n, sizeof *order, by_name);
	t->value = xmalloc(n * sizeof *t->value);
	for (size_t i = 0; i < n; i++) {
		code[order[i].id] = (uint32_t)i;
		order_out[i] = order[i].id;
		t->value[i] = (double)i;
	}
	t->nvalue = n;
	free(order);
}

struct numbered { double v; uint32_t id; };
static int by_number(const void *a, const void *b)
{
	double x = ((const struct numbered *)a)->v, y = ((const struct numbered *)b)->v;
	return (x > y) - (x < y);
}

/* numbers: coded in ascending order, "2" and "2.0" sharing a code */
static void code_numbers(struct loader *L, const double *num, uint32_t *code)
{
	struct csv_ratings *t = L->t;
	size_t n = L->vals.n, k = 0;
	struct numbered *by = xmalloc((n ? n : 1) * sizeof *by);
	for (size_t i = 0; i < n; i++) by[i] = (struct numbered){num[i] + 0.0, (uint32_t)i};
	qsort(by, n, sizeof *by, by_number);
	t->value = xmalloc((n ? n : 1) * sizeof *t->value);
	for (size_t i = 0; i < n; i++) {
		if (k == 0 || by[i].v != t->value[k - 1]) t->value[k++] = by[i].v;
		code[by[i].id] = (uint32_t)(k - 1);
	}
	t->nvalue = k;
	free(by);
}

/* the code of each distinct string; order (n) gets the category order */
static uint32_t *code_of_ids(struct loader *L, uint32_t *order)
{
	struct csv_ratings *t = L->t;
	size_t n = L->vals.n;
	double *num = xmalloc((n ? n : 1) * sizeof *num);
	uint32_t *code = xmalloc((n ? n : 1) * sizeof *code);
	t->numeric = 1;
	for (size_t i = 0; i < n; i++) {
		if (number_of(tab_str(&L->vals, i), &num[i])) {
			t->some_numbers = 1;
			continue;
		}
		if (t->numeric || L->val_line[i] < t->first_text_line) {
			snprintf(t->first_text, sizeof t->first_text, "%s", tab_str(&L->vals, i));
			t->first_text_line = L->val_line[i];
		}
		t->numeric = 0;
	}
	if (t->numeric) code_numbers(L, num, code);
	else code_categories(L, code, order);
	free(num);
	return code;
}

static void fill_values(struct loader *L)
{
	struct csv_ratings *t = L->t;
	uint32_t *order = xmalloc((L->vals.n ? L->vals.n : 1) * sizeof *order);
	uint32_t *code = code_of_ids(L, order);
	for (size_t i = 0; i < L->ncell; i++) L->cell[i] = L->cell[i] ? code[L->cell[i] - 1] : CSV_MISSING;
	free(code);
	t->code = L->cell;
	L->cell = NULL;
	/* the arena stops moving here: hand out pointers into it */
	t->text = L->text.p;
	L->text.p = NULL;
	t->units = L->nunit;
	t->unit = xmalloc((t->units ? t->units : 1) * sizeof *t->unit);
	for (size_t u = 0; u < t->units; u++) t->unit[u] = t->text + L->unit_off[u];
	if (!t->numeric) {
		t->ncat = L->vals.n;
		t->cat = xmalloc(t->ncat * sizeof *t->cat);
		for (size_t i = 0; i < t->ncat; i++) t->cat[i] = t->text + L->vals.off[order[i]];
	}
	free(order);
}

double csv_ratings_value(const struct csv_ratings *t, size_t u, size_t r)
{
	uint32_t c = t->code[u * t->raters + r];
	return c < t->nvalue ? t->value[c] : NAN;
}

/* Unit ids must be unique. Checked once at the end: a hash table of 200k
 * ids costs a cache miss per row, while sorting (hash, row) pairs by radix
 * streams through memory. Reports the repeat that comes first in the file. */
static void radix_by_high32(uint64_t *k, size_t n)
{
	uint64_t *tmp = xmalloc((n ? n : 1) * sizeof *tmp);
	for (int shift = 32; shift < 64; shift += 8) {
		size_t count[257] = {0};
		for (size_t i = 0; i < n; i++) count[((k[i] >> shift) & 0xff) + 1]++;
		for (int b = 0; b < 256; b++) count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++) tmp[count[(k[i] >> shift) & 0xff]++] = k[i];
		memcpy(k, tmp, n * sizeof *k);
	}
	free(tmp);
}

static int check_unique_units(struct loader *L)
{
	size_t n = L->nunit, first = 0, second = SIZE_MAX;
	uint64_t *k = xmalloc((n ? n : 1) * sizeof *k);
	for (size_t u = 0; u < n; u++) {
		const char *s = L->text.p + L->unit_off[u];
		k[u] = (str_hash(s, strlen(s)) & 0xffffffff00000000ULL) | u;
	}
	radix_by_high32(k, n);                 /* stable: rows stay in order */
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && k[b] >> 32 == k[a] >> 32; b++) continue;
		for (size_t j = a + 1; j < b; j++)
			for (size_t i = a; i < j; i++) {
				uint32_t ui = (uint32_t)k[i], uj = (uint32_t)k[j];
				if (uj < second && strcmp(L->text.p + L->unit_off[ui], L->text.p + L->unit_off[uj]) == 0) {
					first = ui;
					second = uj;
				}
			}
	}
	free(k);
	if (second == SIZE_MAX) return 0;
	char rest[96];
	snprintf(rest, sizeof rest, "appears twice, first on line %ld (field 1)", L->unit_line[first]);
	return fail_name(L, L->unit_line[second], "unit", L->text.p + L->unit_off[second], rest);
}

static int load(struct loader *L)
{
	int rc = read_header(L);
	if (rc) return rc;
	for (;;) {
		int got = csv_next(L->c, L->e);
		if (got < 0) return L->e->code;
		if (got == 0) break;
		if ((rc = read_row(L))) return rc;
	}
	if ((rc = check_unique_units(L))) return rc;
	fill_values(L);
	return 0;
}

static int load_from(struct csv *c, struct csv_ratings *t, struct gs_err *e)
{
	memset(t, 0, sizeof *t);
	struct loader L = {.c = c, .t = t, .e = e};
	tab_init(&L.vals, &L.text);
	int rc = load(&L);
	if (rc) csv_ratings_free(t);
	free(L.unit_off);
	tab_free(&L.vals);
	free(L.text.p);
	free(L.cell);
	free(L.unit_line);
	free(L.val_line);
	csv_close(c);
	return rc;
}

int csv_read_ratings(const char *path, struct csv_ratings *t, struct gs_err *e)
{
	struct csv *c = csv_open(path, CSV_SKIP_BLANK | CSV_SAME_WIDTH, e);
	if (!c) {
		memset(t, 0, sizeof *t);
		return e->code;
	}
	return load_from(c, t, e);
}

int csv_read_ratings_mem(const char *name, const char *text, size_t len,
		struct csv_ratings *t, struct gs_err *e)
{
	return load_from(csv_open_mem(name, text, len, CSV_SKIP_BLANK | CSV_SAME_WIDTH), t, e);
}

void csv_ratings_free(struct csv_ratings *t)
{
	for (size_t i = 0; t->rater && i < t->raters; i++) free(t->rater[i]);
	free(t->rater);
	free(t->unit);
	free(t->cat);
	free(t->text);
	free(t->code);
	free(t->value);
	memset(t, 0, sizeof *t);
}
