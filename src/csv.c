/* csv.c: the CSV reader (RFC 4180) and the `agree --table` loader declared
 * in csv.h. The reader pulls 64 KiB at a time and decodes one record into
 * a reused buffer, so memory stays flat however long the file; the loader
 * keeps each distinct value string once (a hash table) and stores a small
 * id per cell, then decides numbers or categories once at the end. */
#include "csv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536

struct csv {
	const char *name;
	FILE *f;                /* NULL when reading memory */
	int own;                /* fclose f at the end */
	int flags;
	const char *buf;        /* bytes being decoded */
	size_t pos, len;
	char *chunk;            /* CHUNK bytes when reading a file */
	int started;            /* the byte-order mark check was done */
	long line;              /* line of the next byte (1-based) */
	long rec_line;
	size_t width;           /* fields of the first record */
	/* the current record: fields packed, each NUL-terminated */
	char *rec;
	size_t rlen, rcap;
	size_t *start;          /* offsets into rec, then lengths */
	size_t *flen;
	const char **field;
	size_t nf, fcap;
};

static struct csv *csv_new(const char *name, int flags)
{
	struct csv *c = xcalloc(1, sizeof *c);
	c->name = name;
	c->flags = flags;
	c->line = 1;
	c->rcap = 256;
	c->rec = xmalloc(c->rcap);
	c->fcap = 16;
	c->start = xmalloc(c->fcap * sizeof *c->start);
	c->flen = xmalloc(c->fcap * sizeof *c->flen);
	c->field = xmalloc(c->fcap * sizeof *c->field);
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

/* -1 at the end (or on a read error: see ferror) */
static int refill(struct csv *c)
{
	if (!c->f) return 0;
	c->len = fread(c->chunk, 1, CHUNK, c->f);
	c->pos = 0;
	return c->len > 0;
}

static inline int next_byte(struct csv *c)
{
	if (c->pos < c->len || refill(c)) return (unsigned char)c->buf[c->pos++];
	return EOF;
}

/* puts back the byte just read (always still in the buffer) */
static inline void unget_byte(struct csv *c, int ch)
{
	if (ch != EOF) c->pos--;
}

static void skip_bom(struct csv *c)
{
	c->started = 1;
	if (c->pos < c->len || refill(c)) {
		if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0) c->pos += 3;
	}
}

static inline void rec_add(struct csv *c, char ch)
{
	if (c->rlen == c->rcap) {
		c->rcap *= 2;
		c->rec = xrealloc(c->rec, c->rcap);
	}
	c->rec[c->rlen++] = ch;
}

static void field_begin(struct csv *c)
{
	if (c->nf == c->fcap) {
		c->fcap *= 2;
		c->start = xrealloc(c->start, c->fcap * sizeof *c->start);
		c->flen = xrealloc(c->flen, c->fcap * sizeof *c->flen);
		c->field = xrealloc(c->field, c->fcap * sizeof *c->field);
	}
	c->start[c->nf] = c->rlen;
}

static void field_end(struct csv *c)
{
	c->flen[c->nf] = c->rlen - c->start[c->nf];
	rec_add(c, '\0');
	c->nf++;
}

static int fail_at(struct csv *c, struct gs_err *e, long line, const char *what)
{
	return gs_fail(e, EX_DATAERR, "%s:%ld: %s (field %zu)", c->name, line, what, c->nf + 1), -1;
}

/* a quoted field, the opening quote read; returns the byte after it */
static int quoted(struct csv *c, struct gs_err *e, int *err)
{
	long from = c->line;
	for (;;) {
		int ch = next_byte(c);
		if (ch == EOF) return *err = fail_at(c, e, from, "quoted field never closed"), EOF;
		if (ch == '\0') return *err = fail_at(c, e, c->line, "NUL byte"), EOF;
		if (ch == '"') {
			ch = next_byte(c);
			if (ch != '"') {
				if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
					return *err = fail_at(c, e, c->line, "text after a closing quote"), EOF;
				return ch;
			}
		}
		if (ch == '\n') c->line++;
		rec_add(c, (char)ch);
	}
}

/* an unquoted field starting with ch; returns the byte after it */
static int plain(struct csv *c, int ch, struct gs_err *e, int *err)
{
	while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
		if (ch == '\0') return *err = fail_at(c, e, c->line, "NUL byte"), EOF;
		rec_add(c, (char)ch);
		ch = next_byte(c);
	}
	return ch;
}

/* after a line end byte ch: swallow the LF of a CRLF, count the line */
static void line_end(struct csv *c, int ch)
{
	if (ch == '\r') {
		int next = next_byte(c);
		if (next != '\n') unget_byte(c, next);
	}
	c->line++;
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
	int ch, err = 0;
	for (;;) {
		c->nf = 0;
		c->rlen = 0;
		c->rec_line = c->line;
		ch = next_byte(c);
		if (ch == EOF) return c->f && ferror(c->f) ? gs_fail(e, EX_IOERR, "%s: read error", c->name), -1 : 0;
		if (!(c->flags & CSV_SKIP_BLANK) || (ch != '\n' && ch != '\r')) break;
		line_end(c, ch);
	}
	for (;;) {
		field_begin(c);
		ch = ch == '"' ? quoted(c, e, &err) : plain(c, ch, e, &err);
		if (err) return -1;
		field_end(c);
		if (ch != ',') break;
		ch = next_byte(c);
	}
	if (ch != EOF) line_end(c, ch);
	finish_record(c);
	return check_width(c, e) ? -1 : 1;
}

/* ---- the agree --table loader ---- */

/* a set of strings, each given an id in order of first sight */
struct strtab {
	uint32_t *slot;         /* id + 1, 0 = empty */
	size_t cap, n, scap;
	char **s;
	uint64_t *hash;
};

static void tab_init(struct strtab *t)
{
	memset(t, 0, sizeof *t);
	t->cap = 1024;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	t->scap = 256;
	t->s = xmalloc(t->scap * sizeof *t->s);
	t->hash = xmalloc(t->scap * sizeof *t->hash);
}

static void tab_free(struct strtab *t, int strings)
{
	if (strings)
		for (size_t i = 0; i < t->n; i++) free(t->s[i]);
	free(t->s);
	free(t->slot);
	free(t->hash);
}

static void tab_grow(struct strtab *t)
{
	free(t->slot);
	t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof *t->slot);
	for (size_t id = 0; id < t->n; id++) {
		size_t i = t->hash[id] & (t->cap - 1);
		while (t->slot[i]) i = (i + 1) & (t->cap - 1);
		t->slot[i] = (uint32_t)id + 1;
	}
}

/* id of s[0..len); *added tells whether it is new */
static uint32_t tab_id(struct strtab *t, const char *s, size_t len, int *added)
{
	uint64_t h = fnv1a64(s, len, 0);
	size_t i = h & (t->cap - 1);
	for (; t->slot[i]; i = (i + 1) & (t->cap - 1)) {
		uint32_t id = t->slot[i] - 1;
		if (t->hash[id] == h && strncmp(t->s[id], s, len) == 0 && t->s[id][len] == '\0') {
			*added = 0;
			return id;
		}
	}
	if (t->n == t->scap) {
		t->scap *= 2;
		t->s = xrealloc(t->s, t->scap * sizeof *t->s);
		t->hash = xrealloc(t->hash, t->scap * sizeof *t->hash);
	}
	uint32_t id = (uint32_t)t->n++;
	t->s[id] = xstrndup(s, len);
	t->hash[id] = h;
	t->slot[i] = id + 1;
	if (2 * t->n > t->cap) tab_grow(t);
	*added = 1;
	return id;
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

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

struct loader {
	struct csv *c;
	struct csv_ratings *t;
	struct gs_err *e;
	struct strtab units, vals;
	uint32_t *cell;         /* value id + 1 per cell, 0 = missing */
	size_t ncell, cellcap;
	long *unit_line;
	size_t linecap;
	long *val_line;         /* line each value string was first seen on */
	size_t valcap;
};

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
			if (strcmp(L->t->rater[j - 1], L->t->rater[i - 1]) == 0)
				return gs_fail(L->e, EX_DATAERR, "%s:%ld: rater '%s' named twice (field %zu)",
					c->name, csv_line(c), L->t->rater[i - 1], i + 1);
	}
	return 0;
}

static void push_cell(struct loader *L, uint32_t v)
{
	if (L->ncell == L->cellcap) {
		L->cellcap = L->cellcap ? 2 * L->cellcap : 4096;
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
	if (all_empty(c)) return 0;
	const char *s = csv_field(c, 0);
	size_t len = csv_field_len(c, 0);
	trim(&s, &len);
	if (len == 0) return gs_fail(L->e, EX_DATAERR, "%s:%ld: empty unit id (field 1)", c->name, csv_line(c));
	int added;
	uint32_t u = tab_id(&L->units, s, len, &added);
	if (!added)
		return gs_fail(L->e, EX_DATAERR, "%s:%ld: unit '%s' appears twice, first on line %ld (field 1)",
			c->name, csv_line(c), L->units.s[u], L->unit_line[u]);
	note_line(&L->unit_line, &L->linecap, u, csv_line(c));
	for (size_t i = 1; i < csv_nfields(c); i++) {
		s = csv_field(c, i);
		len = csv_field_len(c, i);
		trim(&s, &len);
		if (len == 0) {
			push_cell(L, 0);
			continue;
		}
		uint32_t v = tab_id(&L->vals, s, len, &added);
		if (added) note_line(&L->val_line, &L->valcap, v, csv_line(c));
		push_cell(L, v + 1);
	}
	return 0;
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

/* categories: numbered in sorted order; the names move to t->cat */
static void number_categories(struct loader *L, double *val)
{
	struct csv_ratings *t = L->t;
	size_t n = L->vals.n;
	struct named *order = xmalloc(n * sizeof *order);
	for (size_t i = 0; i < n; i++) order[i] = (struct named){L->vals.s[i], (uint32_t)i};
	qsort(order, n, sizeof *order, by_name);
	t->ncat = n;
	t->cat = xmalloc(n * sizeof *t->cat);
	for (size_t i = 0; i < n; i++) {
		val[order[i].id] = (double)i;
		t->cat[i] = L->vals.s[order[i].id];
		L->vals.s[order[i].id] = NULL;
	}
	free(order);
}

/* value of each distinct string: the number, or the category's rank */
static double *value_of_ids(struct loader *L)
{
	struct csv_ratings *t = L->t;
	size_t n = L->vals.n;
	double *val = xmalloc((n ? n : 1) * sizeof *val);
	t->numeric = 1;
	for (size_t i = 0; i < n; i++) {
		if (number_of(L->vals.s[i], &val[i])) {
			t->some_numbers = 1;
			continue;
		}
		if (t->numeric || L->val_line[i] < t->first_text_line) {
			snprintf(t->first_text, sizeof t->first_text, "%s", L->vals.s[i]);
			t->first_text_line = L->val_line[i];
		}
		t->numeric = 0;
	}
	if (!t->numeric) number_categories(L, val);
	return val;
}

static void fill_values(struct loader *L)
{
	struct csv_ratings *t = L->t;
	double *val = value_of_ids(L);
	t->v = xmalloc((L->ncell ? L->ncell : 1) * sizeof *t->v);
	for (size_t i = 0; i < L->ncell; i++) t->v[i] = L->cell[i] ? val[L->cell[i] - 1] : NAN;
	free(val);
	t->units = L->units.n;
	t->unit = L->units.s;                   /* the unit table's strings, in order */
	L->units.s = NULL;
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
	fill_values(L);
	return 0;
}

static int load_from(struct csv *c, struct csv_ratings *t, struct gs_err *e)
{
	memset(t, 0, sizeof *t);
	struct loader L = {.c = c, .t = t, .e = e};
	tab_init(&L.units);
	tab_init(&L.vals);
	int rc = load(&L);
	if (rc) {
		tab_free(&L.units, 1);
		csv_ratings_free(t);
	} else {
		free(L.units.slot);
		free(L.units.hash);
	}
	tab_free(&L.vals, 1);
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
	for (size_t i = 0; t->unit && i < t->units; i++) free(t->unit[i]);
	for (size_t i = 0; t->rater && i < t->raters; i++) free(t->rater[i]);
	for (size_t i = 0; t->cat && i < t->ncat; i++) free(t->cat[i]);
	free(t->unit);
	free(t->rater);
	free(t->cat);
	free(t->v);
	memset(t, 0, sizeof *t);
}
