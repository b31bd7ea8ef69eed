/* csv.c: the CSV reader (RFC 4180) and writer, and the `agree --table`
 * loader declared in csv.h. libcsv parses and quotes; the reader feeds it
 * 64 KiB at a time and queues the records of each chunk in reused buffers
 * (counting the line ends it reports, and those inside quoted fields), so
 * memory stays flat however long the file; the loader keeps each distinct value string once
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
	size_t pos, len;        /* pos: the next byte to feed (memory: CHUNK at a time) */
	char *chunk;            /* CHUNK bytes when reading a file */
	int started;            /* the byte-order mark check was done */
	int eof;                /* the file was read to its end */
	int line_start;         /* the parser is between records (a line end was its last byte) */
	int quotes;             /* the bytes being parsed hold a quote (a field may hold line breaks) */
	int ended;              /* the parser was told the input ended */
	struct csv_parser p;
	long line;              /* line after the last field or record end the parser reported */
	long next_line;         /* line the record being parsed began on */
	long field_line;        /* line the field being parsed began on */
	int after_cr;           /* the last record ended at a CR (a LF next is its pair) */
	size_t width;           /* fields of the first record */
	/* The records parsed from one chunk wait in a queue: their fields
	 * packed, each NUL-terminated, in rec (rlen bytes used); each field's
	 * place in field (nfa used, the record being parsed from part on);
	 * each complete record in recs (nrec, handed out up to next). */
	GArray *rec;            /* char */
	size_t rlen;
	GArray *field;          /* struct field */
	size_t nfa, part;
	GArray *recs;           /* struct rec */
	size_t nrec, next;
	struct gs_err err;      /* an error met while parsing ahead, said when the queue is empty */
	int failed;
	/* the record handed out */
	size_t cur, nf;
	long rec_line;
};

struct field { size_t start, len; const char *p; };
struct rec { size_t f0, nf; long line; };

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
	c->line = c->next_line = c->field_line = c->rec_line = 1;
	c->line_start = 1;
	c->rec = room_new(1, 4096);
	c->field = room_new(sizeof(struct field), 256);
	c->recs = room_new(sizeof(struct rec), 64);
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
	g_array_free(c->recs, TRUE);
	free(c);
}

size_t csv_nfields(const struct csv *c) { return c->nf; }
static struct field *field_at(const struct csv *c, size_t i) { return &g_array_index(c->field, struct field, i); }
const char *csv_field(const struct csv *c, size_t i) { return i < c->nf ? field_at(c, c->cur + i)->p : ""; }
size_t csv_field_len(const struct csv *c, size_t i) { return i < c->nf ? field_at(c, c->cur + i)->len : 0; }
long csv_line(const struct csv *c) { return c->rec_line; }
const char *csv_name(const struct csv *c) { return c->name; }

/* tops chunk up to CHUNK bytes, the unread ones moved to its front; 0 when
 * nothing more came (the end, or a read error: see ferror) */
static int refill(struct csv *c)
{
	if (!c->f || c->eof) return 0;
	size_t keep = c->len - c->pos;
	memmove(c->chunk, c->chunk + c->pos, keep);
	size_t got = fread(c->chunk + keep, 1, CHUNK - keep, c->f);
	c->pos = 0;
	c->len = keep + got;
	c->eof = got < CHUNK - keep;
	return got > 0;
}

static void skip_bom(struct csv *c)
{
	c->started = 1;
	if (c->pos < c->len || refill(c)) {
		if (c->len - c->pos >= 3 && memcmp(c->buf + c->pos, "\xEF\xBB\xBF", 3) == 0) c->pos += 3;
	}
}

static long newlines(const char *s, size_t n)
{
	long k = 0;
	for (const char *q = s; n && (q = memchr(q, '\n', n - (size_t)(q - s))) != NULL; q++) k++;
	return k;
}

/* the parser's field callback: the field joins the record being parsed
 * (a line break inside quotes moves the line on) */
static void on_field(void *s, size_t n, void *ctx)
{
	struct csv *c = ctx;
	if (!n) s = "";
	room(c->field, c->nfa, 1);
	*field_at(c, c->nfa++) = (struct field){c->rlen, n, NULL};
	room(c->rec, c->rlen, n + 1);
	if (n == 1) c->rec->data[c->rlen] = *(const char *)s;   /* a scale's digit: no call */
	else memcpy(c->rec->data + c->rlen, s, n);
	c->rlen += n;
	c->rec->data[c->rlen++] = '\0';
	if (c->quotes && n && memchr(s, '\n', n)) c->line += newlines(s, n);
	c->field_line = c->line;
}

static size_t parsing_nf(const struct csv *c) { return c->nfa - c->part; }

/* the parser's record callback, at a line end (ch) or the end of the input
 * (-1). A record of no field is a blank line: one empty field, or nothing
 * with CSV_SKIP_BLANK; the LF of a CRLF comes as one too and is dropped.
 * A complete record joins the queue. */
static void on_record(int ch, void *ctx)
{
	struct csv *c = ctx;
	int lf_of_crlf = ch == '\n' && c->after_cr && parsing_nf(c) == 0;
	c->after_cr = ch == '\r';
	long began = c->next_line;
	if (ch >= 0 && !lf_of_crlf) c->line++;
	c->field_line = c->line;
	if (lf_of_crlf) return;
	c->next_line = c->line;
	if (parsing_nf(c) == 0 && (c->flags & CSV_SKIP_BLANK)) return;
	if (parsing_nf(c) == 0) on_field("", 0, c);
	room(c->recs, c->nrec, 1);
	g_array_index(c->recs, struct rec, c->nrec++) = (struct rec){c->part, parsing_nf(c), began};
	c->part = c->nfa;
}

/* an error met while parsing: said once the records before it are read */
static void fail_at(struct csv *c, long line, const char *what)
{
	gs_fail(&c->err, EX_DATAERR, "%s:%ld: %s (field %zu)", c->name, line, what, parsing_nf(c) + 1);
	c->failed = 1;
}

/* the line of the byte the parser stopped at: lines of the field it holds */
static long stop_line(const struct csv *c) { return c->line + newlines((const char *)c->p.entry_buf, c->p.entry_pos); }

/* feeds s[0..n) (no NUL byte in it); a quote inside an unquoted field is
 * text (strict mode would refuse it), anything else the parser refuses is
 * text after a closing quote */
static int parse(struct csv *c, const char *s, size_t n)
{
	blanks_are_data(c, s, n);
	for (size_t done = 0; done < n;) {
		size_t blk = csv_get_buffer_size(&c->p);
		if (blk < 1024) csv_set_blk_size(&c->p, 1024);   /* then grows by doubling */
		done += csv_parse(&c->p, s + done, n - done, on_field, on_record, c);
		if (done == n) break;
		if (c->p.quoted) return fail_at(c, stop_line(c), "text after a closing quote"), -1;
		csv_set_opts(&c->p, PARSER_OPTS & ~CSV_STRICT);
		csv_parse(&c->p, s + done++, 1, on_field, on_record, c);
		csv_set_opts(&c->p, PARSER_OPTS);
	}
	return 0;
}

/* the end of the input: the last record without a line end, or an error */
static void finish(struct csv *c)
{
	c->ended = 1;
	if (c->f && ferror(c->f)) {
		gs_fail(&c->err, EX_IOERR, "%s: read error", c->name);
		c->failed = 1;
	} else if (csv_fini(&c->p, on_field, on_record, c)) {
		fail_at(c, c->field_line, "quoted field never closed");
	}
}

/* the queue is read: the record being parsed moves to the front */
static void compact(struct csv *c)
{
	size_t nf = parsing_nf(c), from = nf ? field_at(c, c->part)->start : c->rlen;
	memmove(c->rec->data, c->rec->data + from, c->rlen - from);
	c->rlen -= from;
	for (size_t i = 0; i < nf; i++) {
		struct field *f = field_at(c, c->part + i);
		f->start -= from;
		*field_at(c, i) = *f;
	}
	c->nfa = nf;
	c->part = 0;
	c->nrec = c->next = 0;
}

/* Whole lines with no quote, CR or NUL need no parser: a line's fields
 * are its comma-separated pieces, handed to the callbacks the parser
 * calls, so the records are the same (test_csv_rw compares the two ways).
 * Most tables are such lines; libcsv takes every other byte. */
static void split_plain(struct csv *c, const char *s, size_t n)
{
	for (const char *end = s + n, *eol; s < end; s = eol + 1) {
		eol = memchr(s, '\n', (size_t)(end - s));
		for (const char *f = s, *comma; eol > s; f = comma + 1) {
			comma = memchr(f, ',', (size_t)(eol - f));
			on_field((void *)f, (size_t)((comma ? comma : eol) - f), c);
			if (!comma) break;
		}
		on_record('\n', c);
	}
}

static int plain(const struct csv *c, const char *s, size_t n)
{
	return c->line_start && n && s[n - 1] == '\n' && !memchr(s, '"', n) && !memchr(s, '\r', n);
}

/* how much of the n bytes at s to feed now: up to a NUL byte, else whole
 * lines unless these are the last bytes */
static size_t slice(const char *s, size_t n, int last)
{
	const char *nul = memchr(s, '\0', n);
	if (nul) return (size_t)(nul - s);
	size_t k = n;
	while (!last && k && s[k - 1] != '\n') k--;
	return k ? k : n;
}

/* parses the next chunk of the input into the queue; 0 at the end */
static int feed_chunk(struct csv *c)
{
	refill(c);
	if (c->pos == c->len) return 0;
	size_t n = c->len - c->pos;
	if (!c->f && n > CHUNK) n = CHUNK;
	const char *s = c->buf + c->pos;
	size_t k = slice(s, n, c->pos + n == c->len && (!c->f || c->eof));
	c->pos += k;
	if (plain(c, s, k)) {
		c->quotes = 0;
		split_plain(c, s, k);
	} else {
		c->quotes = 1;
		if (parse(c, s, k)) return 1;
		c->line_start = k && s[k - 1] == '\n' && !c->p.quoted && c->p.entry_pos == 0;
	}
	if (c->pos < c->len && c->buf[c->pos] == '\0') {
		c->quotes = 1;
		/* the field a NUL byte ends up in, as the parser sees it */
		if (parse(c, "\0", 1) == 0) fail_at(c, stop_line(c), "NUL byte");
	}
	return 1;
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

/* hands out the queue's next record */
static void take_record(struct csv *c)
{
	const struct rec *r = &g_array_index(c->recs, struct rec, c->next++);
	c->cur = r->f0;
	c->nf = r->nf;
	c->rec_line = r->line;
	struct field *f = field_at(c, c->cur);
	for (size_t i = 0; i < c->nf; i++) f[i].p = c->rec->data + f[i].start;
}

int csv_next(struct csv *c, struct gs_err *e)
{
	if (!c->started) skip_bom(c);
	c->nf = 0;
	while (c->next == c->nrec && !c->failed && !c->ended) {
		compact(c);
		if (!feed_chunk(c)) finish(c);
	}
	if (c->next < c->nrec) {
		take_record(c);
		return check_width(c, e) ? -1 : 1;
	}
	if (!c->failed) return 0;
	*e = c->err;
	return -1;
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
 * keyed on their bytes answers before the hash table is asked; a one-byte
 * value ("1" to "7" on a scale) has the slot of its byte, longer ones the
 * slot of their hash. */
static uint32_t value_id(struct loader *L, const char *s, size_t len)
{
	struct vcache *slot = NULL;
	uint64_t w = 0;
	if (len <= 8) {
		for (size_t i = 0; i < len; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		slot = &L->cache[len == 1 ? (unsigned char)*s : gs_hash64(s, len, 0) & 0xff];
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
