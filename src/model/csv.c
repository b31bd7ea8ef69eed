/* csv.c: the CSV reader (RFC 4180) and writer, and the `agree --table`
 * loader declared in csv.h. libcsv parses and quotes; the reader feeds it
 * 64 KiB at a time, a line at a time (so that it knows the line of every
 * byte), and gathers one record into a reused buffer, so memory stays flat
 * however long the file; the loader keeps each distinct value string once
 * (a GHashTable) and stores a small id per cell, then decides numbers or
 * categories once at the end. */
#include "model/csv.h"
#include <csv.h>   /* libcsv (the system header; ours is model/csv.h) */
#include "base/text.h"

#include <errno.h>
#include <glib.h>
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
	/* the current record: its fields packed, each NUL-terminated, in rec
	 * (rlen bytes used), and where each one is in field (nf used); both
	 * are grown by room() */
	GArray *rec;            /* char */
	size_t rlen;
	GArray *field;          /* struct field */
	size_t nf;
};

struct field { size_t start, len; const char *p; };

/* The arrays of the reader's and the loader's inner loops are GArrays
 * whose len is their room, a count beside them saying how much is used:
 * adding an element is then a store, not a call (g_array_append_val on
 * every cell made `agree --table` 10% slower). room() makes space for more
 * elements after the first used ones, doubling the length (GLib rounds the
 * allocation up to a power of two). */
static inline void room(GArray *a, size_t used, size_t more)
{
	if (used + more > a->len) g_array_set_size(a, (guint)(used + more > 2 * a->len ? used + more : 2 * a->len));
}

static GArray *room_new(size_t elt, size_t n)
{
	GArray *a = g_array_sized_new(FALSE, FALSE, (guint)elt, (guint)n);
	g_array_set_size(a, (guint)n);
	return a;
}

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
	c->rec = room_new(1, 256);
	c->field = room_new(sizeof(struct field), 16);
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
	g_array_free(c->rec, TRUE);
	g_array_free(c->field, TRUE);
	free(c);
}

size_t csv_nfields(const struct csv *c) { return c->nf; }
static struct field *field_at(const struct csv *c, size_t i) { return &g_array_index(c->field, struct field, i); }
const char *csv_field(const struct csv *c, size_t i) { return i < c->nf ? field_at(c, i)->p : ""; }
size_t csv_field_len(const struct csv *c, size_t i) { return i < c->nf ? field_at(c, i)->len : 0; }
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
	room(c->rec, c->rlen, n + 1);
	memcpy(c->rec->data + c->rlen, s, n);
	c->rlen += n;
	c->rec->data[c->rlen++] = '\0';
}

/* the parser's field callback: the field joins the record */
static void on_field(void *s, size_t n, void *ctx)
{
	struct csv *c = ctx;
	if (!n) s = "";
	room(c->field, c->nf, 1);
	struct field *f = field_at(c, c->nf++);
	f->start = c->rlen;
	f->len = n;
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
	struct field *f = field_at(c, 0);
	for (size_t i = 0; i < c->nf; i++) f[i].p = c->rec->data + f[i].start;
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

/* Unit ids and category names are kept end to end in one buffer,
 * NUL-terminated, and known by their offset until the buffer stops moving;
 * it then belongs to csv_ratings.text. */
struct text { GArray *p; size_t len; };   /* char; grown by room() */

static size_t text_add(struct text *t, const char *s, size_t len)
{
	size_t at = t->len;
	room(t->p, at, len + 1);
	memcpy(t->p->data + at, s, len);
	t->p->data[at + len] = '\0';
	t->len += len + 1;
	return at;
}

/* the distinct values, each given an id in order of first sight: a
 * GHashTable from the string (kept in str) to its id + 1 */
struct values {
	GHashTable *id1;
	GStringChunk *str;
	GPtrArray *s;           /* id -> the string */
	GArray *line;           /* id -> the line it was first seen on (long) */
};

static void values_init(struct values *v)
{
	v->id1 = g_hash_table_new(gs_str_hash, gs_str_equal);
	v->str = g_string_chunk_new(4096);
	v->s = g_ptr_array_new();
	v->line = g_array_new(FALSE, FALSE, sizeof(long));
}

static void values_free(struct values *v)
{
	g_hash_table_destroy(v->id1);
	g_string_chunk_free(v->str);
	g_ptr_array_free(v->s, TRUE);
	g_array_free(v->line, TRUE);
}

static size_t values_n(const struct values *v) { return v->s->len; }
static const char *value_str(const struct values *v, size_t id) { return g_ptr_array_index(v->s, id); }

/* the id of s[0..len), added with the line it was first seen on when new */
static uint32_t values_id(struct values *v, const char *s, size_t len, long line)
{
	char *tmp = s[len] ? xstrndup(s, len) : NULL;   /* trimmed: its NUL is further on */
	guint id1 = GPOINTER_TO_UINT(g_hash_table_lookup(v->id1, tmp ? tmp : s));
	if (!id1) {
		char *kept = g_string_chunk_insert_len(v->str, s, (gssize)len);
		g_ptr_array_add(v->s, kept);
		g_array_append_val(v->line, line);
		id1 = v->s->len;
		g_hash_table_insert(v->id1, kept, GUINT_TO_POINTER(id1));
	}
	free(tmp);
	return id1 - 1;
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

struct unit { size_t off; long line; };   /* the id's place in text, its line */

struct loader {
	struct csv *c;
	struct csv_ratings *t;
	struct gs_err *e;
	struct text text;
	GArray *unit;           /* struct unit, one per row (nunit used: room()) */
	size_t nunit;
	struct values vals;
	struct vcache { uint64_t w; uint32_t len, id1; } cache[256];   /* see value_id */
	GArray *cell;           /* uint32_t: value id + 1 per cell, 0 = missing */
	size_t ncell;           /* used (room()) */
};

static const struct unit *unit_at(const struct loader *L, size_t u) { return &g_array_index(L->unit, struct unit, u); }
static const char *unit_id(const struct loader *L, size_t u) { return L->text.p->data + unit_at(L, u)->off; }

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
	room(L->unit, L->nunit, 1);
	g_array_index(L->unit, struct unit, L->nunit++) = (struct unit){text_add(&L->text, s, len), csv_line(c)};
	size_t raters = csv_nfields(c) - 1;
	room(L->cell, L->ncell, raters);
	uint32_t *row = &g_array_index(L->cell, uint32_t, L->ncell);
	L->ncell += raters;
	for (size_t i = 0; i < raters; i++) {
		s = csv_field(c, i + 1);
		len = csv_field_len(c, i + 1);
		trim(&s, &len);
		row[i] = len ? value_id(L, s, len) + 1 : 0;
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
		slot = &L->cache[gs_hash64(s, len, 0) & 0xff];
		if (slot->id1 && slot->w == w && slot->len == len) return slot->id1 - 1;
	}
	uint32_t id = values_id(&L->vals, s, len, csv_line(L->c));
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
	size_t n = values_n(&L->vals);
	struct named *order = xmalloc(n * sizeof *order);
	for (size_t i = 0; i < n; i++) order[i] = (struct named){value_str(&L->vals, i), (uint32_t)i};
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
	size_t n = values_n(&L->vals), k = 0;
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
	size_t n = values_n(&L->vals);
	double *num = xmalloc((n ? n : 1) * sizeof *num);
	uint32_t *code = xmalloc((n ? n : 1) * sizeof *code);
	t->numeric = 1;
	for (size_t i = 0; i < n; i++) {
		if (number_of(value_str(&L->vals, i), &num[i])) {
			t->some_numbers = 1;
			continue;
		}
		long line = g_array_index(L->vals.line, long, i);
		if (t->numeric || line < t->first_text_line) {
			snprintf(t->first_text, sizeof t->first_text, "%s", value_str(&L->vals, i));
			t->first_text_line = line;
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
	uint32_t *order = xmalloc((values_n(&L->vals) ? values_n(&L->vals) : 1) * sizeof *order);
	uint32_t *code = code_of_ids(L, order);
	uint32_t *cell = (uint32_t *)(void *)L->cell->data;
	for (size_t i = 0; i < L->ncell; i++) cell[i] = cell[i] ? code[cell[i] - 1] : CSV_MISSING;
	free(code);
	g_array_set_size(L->cell, (guint)L->ncell);
	t->code = (uint32_t *)(void *)g_array_free(L->cell, FALSE);
	L->cell = NULL;
	t->ncat = t->numeric ? 0 : values_n(&L->vals);
	size_t *cat_off = xmalloc((t->ncat + 1) * sizeof *cat_off);
	for (size_t i = 0; i < t->ncat; i++) {
		const char *name = value_str(&L->vals, order[i]);
		cat_off[i] = text_add(&L->text, name, strlen(name));
	}
	/* the text stops moving here: hand out pointers into it */
	t->text = g_array_free(L->text.p, FALSE);
	L->text.p = NULL;
	t->units = L->nunit;
	t->unit = xmalloc((t->units ? t->units : 1) * sizeof *t->unit);
	for (size_t u = 0; u < t->units; u++) t->unit[u] = t->text + unit_at(L, u)->off;
	t->cat = xmalloc((t->ncat ? t->ncat : 1) * sizeof *t->cat);
	for (size_t i = 0; i < t->ncat; i++) t->cat[i] = t->text + cat_off[i];
	free(cat_off);
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
		const char *s = unit_id(L, u);
		k[u] = (gs_hash64(s, strlen(s), 0) & 0xffffffff00000000ULL) | u;
	}
	radix_by_high32(k, n);                 /* stable: rows stay in order */
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && k[b] >> 32 == k[a] >> 32; b++) continue;
		for (size_t j = a + 1; j < b; j++)
			for (size_t i = a; i < j; i++) {
				uint32_t ui = (uint32_t)k[i], uj = (uint32_t)k[j];
				if (uj < second && strcmp(unit_id(L, ui), unit_id(L, uj)) == 0) {
					first = ui;
					second = uj;
				}
			}
	}
	free(k);
	if (second == SIZE_MAX) return 0;
	char rest[96];
	snprintf(rest, sizeof rest, "appears twice, first on line %ld (field 1)", unit_at(L, first)->line);
	return fail_name(L, unit_at(L, second)->line, "unit", unit_id(L, second), rest);
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
	struct loader L = {.c = c, .t = t, .e = e, .text = {room_new(1, 65536), 0},
			   .unit = room_new(sizeof(struct unit), 1024), .cell = room_new(sizeof(uint32_t), 65536)};
	values_init(&L.vals);
	int rc = load(&L);
	if (rc) csv_ratings_free(t);
	values_free(&L.vals);
	if (L.text.p) g_array_free(L.text.p, TRUE);
	g_array_free(L.unit, TRUE);
	if (L.cell) g_array_free(L.cell, TRUE);
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
	g_free(t->text);
	g_free(t->code);
	free(t->value);
	memset(t, 0, sizeof *t);
}
