/* jsoncheck.c: the one validator for untrusted JSON text and for names (see
 * jsoncheck.h). A recursive-descent scan of the text, run before cJSON,
 * that follows cJSON's own grammar (white space is any byte up to 32,
 * numbers as strtod reads them) and keeps the path to the value it is in,
 * so that a problem names its field. Keys of the objects still open are
 * decoded into one buffer, checked for duplicates when their object closes
 * and dropped. Nothing here prints; text.c decides what is unsafe to show. */
#include "jsoncheck.h"
#include "text.h"

#include <cjson/cJSON.h>
#include <float.h>
#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATS 8
#define MAX_SEGS 16
#define MAX_DEPTH 1000       /* cJSON's nesting limit */
#define QUOTE 40             /* bytes of a key or number quoted in a message */

enum { OK = 0, FOUND = 1, SYNTAX = -1 };

/* ---- patterns ---- */

enum seg_kind { SEG_KEY, SEG_INDEX, SEG_ANYKEY };
struct pseg { enum seg_kind kind; const char *name; size_t len; };
struct pat { struct pseg seg[MAX_SEGS]; int nseg; int keys; };

static int add_seg(struct pat *p, enum seg_kind kind, const char *name, size_t len)
{
	if (p->nseg == MAX_SEGS) return -1;
	p->seg[p->nseg++] = (struct pseg){kind, name, len};
	return 0;
}

/* "outputs[].system", "meta{}", "criteria[].items[]"; -1 when too deep */
static int parse_pattern(const char *s, struct pat *p)
{
	memset(p, 0, sizeof *p);
	size_t n = strlen(s);
	if (n >= 2 && strcmp(s + n - 2, "{}") == 0) {
		p->keys = 1;
		n -= 2;
	}
	const char *end = s + n;
	while (s < end) {
		const char *dot = memchr(s, '.', (size_t)(end - s));
		const char *tok_end = dot ? dot : end, *name_end = tok_end;
		int idx = 0;
		while (name_end - s >= 2 && name_end[-2] == '[' && name_end[-1] == ']') {
			name_end -= 2;
			idx++;
		}
		size_t len = (size_t)(name_end - s);
		if (len && add_seg(p, len == 1 && *s == '*' ? SEG_ANYKEY : SEG_KEY, s, len)) return -1;
		while (idx--)
			if (add_seg(p, SEG_INDEX, NULL, 0)) return -1;
		if (!dot) break;
		s = dot + 1;
	}
	return 0;
}

/* ---- the scan ---- */

struct frame {
	int is_obj;
	size_t key_off, key_len;   /* the current key (in arena) */
	long index;                /* the current array element */
	size_t first_key, arena_start;
};
struct key { size_t off, len, src; uint64_t h; };

struct scan {
	const unsigned char *s;
	size_t n, i;
	GArray *fr;                /* struct frame: the open objects and arrays (depth used) */
	size_t depth;
	GArray *keys;              /* struct key: the keys of the open objects (nkeys used) */
	size_t nkeys;
	struct sbuf arena;         /* the decoded keys of the open objects */
	struct sbuf tmp;           /* a decoded name */
	struct pat pats[MAX_PATS];
	int npats;
	struct jc_error *err;
};

/* the two stacks are GArrays whose len is their room, grown when full */
static struct frame *frame(const struct scan *c, size_t k) { return &g_array_index(c->fr, struct frame, k); }
static struct key *key_at(const struct scan *c, size_t k) { return &g_array_index(c->keys, struct key, k); }

static void room(GArray *a, size_t used)
{
	if (used == a->len) g_array_set_size(a, (guint)(2 * used + 16));
}

static size_t quote_len(const char *s, size_t n)
{
	if (n <= QUOTE) return n;
	n = QUOTE;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;   /* not inside a character */
	return n;
}

/* the path of the first upto frames: "criteria[2].id" */
static void render_path(const struct scan *c, size_t upto, char *out, size_t cap)
{
	struct sbuf b = {0};
	sb_addn(&b, "", 0);
	for (size_t k = 0; k < upto; k++) {
		const struct frame *f = frame(c, k);
		if (!f->is_obj) {
			sb_addf(&b, "[%ld]", f->index);
			continue;
		}
		if (k) sb_addc(&b, '.');
		if (!f->key_len) continue;
		const char *key = c->arena.p + f->key_off;
		size_t q = quote_len(key, f->key_len);
		sb_addn(&b, key, q);
		if (q < f->key_len) sb_add(&b, "...");
	}
	snprintf(out, cap, "%s", b.p);
	sb_free(&b);
}

static int found(struct scan *c, size_t off, size_t upto, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int found(struct scan *c, size_t off, size_t upto, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err->what, sizeof c->err->what, fmt, ap);
	va_end(ap);
	c->err->syntax = 0;
	c->err->off = off;
	render_path(c, upto, c->err->field, sizeof c->err->field);
	return FOUND;
}

static int syntax(struct scan *c, size_t off)
{
	c->err->syntax = 1;
	c->err->off = off;
	snprintf(c->err->what, sizeof c->err->what, "invalid JSON");
	c->err->field[0] = 0;
	return SYNTAX;
}

static int seg_match(const struct scan *c, const struct pseg *p, const struct frame *f)
{
	if (p->kind == SEG_INDEX) return !f->is_obj;
	if (p->kind == SEG_ANYKEY) return f->is_obj;
	if (f->is_obj) return f->key_len == p->len && memcmp(c->arena.p + f->key_off, p->name, p->len) == 0;
	if (p->len > 9) return 0;   /* a key of digits is also that index (--map paths) */
	long v = 0;
	for (size_t k = 0; k < p->len; k++) {
		if (p->name[k] < '0' || p->name[k] > '9') return 0;
		v = v * 10 + (p->name[k] - '0');
	}
	return v == f->index;
}

/* is the value here (for_key 0) or the key being read (1) a name? */
static int is_name(const struct scan *c, int for_key)
{
	size_t want = for_key ? c->depth - 1 : c->depth;
	for (int k = 0; k < c->npats; k++) {
		const struct pat *p = &c->pats[k];
		if (p->keys != for_key || (size_t)p->nseg != want) continue;
		size_t j = 0;
		while (j < want && seg_match(c, &p->seg[j], frame(c, j))) j++;
		if (j == want) return 1;
	}
	return 0;
}

static int check_name(struct scan *c, const char *s, size_t n, size_t off, size_t upto)
{
	char why[96];
	const char *w = n ? jsoncheck_name(s, n, why) : NULL;   /* empty: the format's own message */
	return w ? found(c, off, upto, "a name cannot %s", w) : OK;
}

static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int k = 0; k < 4; k++) {
		int d = p[k] >= '0' && p[k] <= '9' ? p[k] - '0' : p[k] >= 'a' && p[k] <= 'f' ? p[k] - 'a' + 10
			: p[k] >= 'A' && p[k] <= 'F' ? p[k] - 'A' + 10 : -1;
		if (d < 0) return -1;
		v = v * 16 + d;
	}
	return v;
}

static void put_utf8(struct sbuf *b, uint32_t cp)
{
	char u[4];
	sb_addn(b, u, text_encode(cp, u));
}

/* a \uXXXX escape (and its pair) at i; *len: bytes taken */
static int unicode_escape(struct scan *c, size_t i, size_t upto, uint32_t *cp, size_t *len)
{
	const unsigned char *s = c->s;
	long v = i + 6 <= c->n ? hex4(s + i + 2) : -1;
	if (v < 0) return syntax(c, i);
	if (v == 0) return found(c, i, upto, "NUL character (\\u0000) in a string");
	if (v >= 0xDC00 && v <= 0xDFFF) return found(c, i, upto, "unpaired surrogate \\u%04lX in a string", v);
	*len = 6;
	*cp = (uint32_t)v;
	if (v >= 0xD800 && v <= 0xDBFF) {
		long lo = i + 12 <= c->n && s[i + 6] == '\\' && s[i + 7] == 'u' ? hex4(s + i + 8) : -1;
		if (lo < 0xDC00 || lo > 0xDFFF) return found(c, i, upto, "unpaired surrogate \\u%04lX in a string", v);
		*cp = 0x10000 + ((uint32_t)(v - 0xD800) << 10) + (uint32_t)(lo - 0xDC00);
		*len = 12;
	}
	return OK;
}

/* the string at c->i (a quote); decoded into dec when not NULL; errors
 * name the first upto frames */
static int string(struct scan *c, struct sbuf *dec, size_t upto)
{
	const unsigned char *s = c->s;
	size_t n = c->n, i = c->i + 1;
	for (;;) {
		size_t run = i;
		while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\') run++;
		if (dec && run > i) sb_addn(dec, (const char *)s + i, run - i);
		if ((i = run) >= n) return syntax(c, n);
		unsigned char ch = s[i];
		if (ch == '"') {
			c->i = i + 1;
			return OK;
		}
		if (ch == 0) return found(c, i, upto, "NUL byte in a string");
		if (ch < 0x20) {   /* cJSON takes raw controls in strings; they are text */
			if (dec) sb_addc(dec, (char)ch);
			i++;
			continue;
		}
		if (ch >= 0x80) {
			size_t len = text_utf8_len((const char *)s + i, n - i);
			if (!len) return found(c, i, upto, "invalid UTF-8 in a string");
			if (dec) sb_addn(dec, (const char *)s + i, len);
			i += len;
			continue;
		}
		if (i + 1 >= n) return syntax(c, i);
		static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
		const char *e = s[i + 1] ? strchr(from, s[i + 1]) : NULL;
		if (e) {
			if (dec) sb_addc(dec, to[e - from]);
			i += 2;
			continue;
		}
		if (s[i + 1] != 'u') return syntax(c, i);
		uint32_t cp = 0;
		size_t len = 0;
		int rc = unicode_escape(c, i, upto, &cp, &len);
		if (rc) return rc;
		if (dec) put_utf8(dec, cp);
		i += len;
	}
}

static int skip_ws(struct scan *c, size_t upto)
{
	while (c->i < c->n && c->s[c->i] <= 32) {
		if (c->s[c->i] == 0) return found(c, c->i, upto, "NUL byte");
		c->i++;
	}
	return OK;
}

/* ---- numbers ---- */

static void strip_zeros_e(char *e)   /* "1.2300000e+05" -> "1.23e+05" */
{
	char *x = strchr(e, 'e'), *z = x;
	if (!x) return;
	while (z[-1] == '0') z--;
	if (z[-1] == '.') z--;
	memmove(z, x, strlen(x) + 1);
}

/* the shortest "%.*e" form that reads back as d; returns its digits. For a
 * normal double 15 digits always read back when fewer do (DBL_DIG), and
 * then the shorter form is the 15 without their trailing zeros: at most
 * three conversions, which matters on an import of a million numbers. */
static int shortest_e(double d, char out[40])
{
	if (fabs(d) >= DBL_MIN && isfinite(d)) {
		snprintf(out, 40, "%.14e", d);
		if (strtod(out, NULL) == d) {
			strip_zeros_e(out);
			int p = 0;
			for (const char *c = out; *c && *c != 'e'; c++) p += *c >= '0' && *c <= '9';
			return p;
		}
		snprintf(out, 40, "%.15e", d);
		if (strtod(out, NULL) == d) return 16;
		snprintf(out, 40, "%.16e", d);
		return 17;
	}
	int p = 1;
	for (; p < 17; p++) {
		snprintf(out, 40, "%.*e", p - 1, d);
		if (strtod(out, NULL) == d) return p;
	}
	snprintf(out, 40, "%.*e", 16, d);
	return 17;
}

int jsoncheck_shortest(double d, char out[32])
{
	char e[40];
	int p = shortest_e(d, e);
	return snprintf(out, 32, "%.*g", p, d);
}

/* the significant digits (the first 20) and the power of ten of the first */
struct decimal { char sig[21]; size_t k; long long lead; };

static void decimal_of_literal(const char *s, size_t n, struct decimal *d)
{
	size_t i = s[0] == '-', nint = 0, j = 0;
	long long exp = 0, first = -1, last = -1;
	memset(d, 0, sizeof *d);
	for (int frac = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '.') {
			frac = 1;
			continue;
		}
		if (ch == 'e' || ch == 'E') break;
		if (!frac) nint++;
		if (ch != '0') {
			if (first < 0) first = (long long)j;
			last = (long long)j;
		}
		if (first >= 0 && j - (size_t)first < 20) d->sig[j - (size_t)first] = ch;
		j++;
	}
	if (i < n) {   /* the exponent, saturated far past any double */
		int neg = 0;
		if (++i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
		for (; i < n; i++)
			if (exp < 100000000) exp = exp * 10 + (s[i] - '0');
		if (neg) exp = -exp;
	}
	if (first < 0) return;   /* zero */
	d->k = (size_t)(last - first + 1);
	if (d->k < 20) d->sig[d->k] = 0;
	d->lead = (long long)nint - 1 - first + exp;
}

static void decimal_of_e(const char *e, struct decimal *d)
{
	memset(d, 0, sizeof *d);
	const char *p = e + (*e == '-');
	for (; *p && *p != 'e'; p++)
		if (*p != '.' && d->k < 20) d->sig[d->k++] = *p;
	while (d->k && d->sig[d->k - 1] == '0') d->sig[--d->k] = 0;
	d->lead = *p ? strtoll(p + 1, NULL, 10) : 0;
}

static int same_decimal(const struct decimal *a, const char *e)
{
	struct decimal b;
	decimal_of_e(e, &b);
	return a->k == b.k && a->lead == b.lead && memcmp(a->sig, b.sig, a->k) == 0;
}

/* NULL when a double keeps the literal, else why not (in buf). Kept: the
 * double read is finite and normal (or zero), and written back with as
 * many significant digits as the literal has (at most 17) it is the
 * literal again, as a decimal: what a serializer writes (the shortest form,
 * or 17 digits) always is. So 0.1 and 0.30000000000000004 are kept; 1e999
 * (infinite), 1e-999 (0), 5e-324 (a subnormal: fewer digits) and
 * 9007199254740993 (read as ...992) are not. One strtod and one snprintf
 * beyond the 15 digits that always fit. */
static const char *number_problem(const char *s, size_t n, char *buf, size_t cap)
{
	struct decimal lit;
	decimal_of_literal(s, n, &lit);
	if (!lit.k) return NULL;   /* zero */
	if (lit.k <= DBL_DIG && lit.lead >= DBL_MIN_10_EXP && lit.lead < DBL_MAX_10_EXP) return NULL;
	int q = (int)quote_len(s, n);
	const char *more = (size_t)q < n ? "..." : "";
	if (lit.lead > DBL_MAX_10_EXP) {
		snprintf(buf, cap, "number %.*s%s is too large for a double", q, s, more);
		return buf;
	}
	char norm[64], e[40], out[32];
	snprintf(norm, sizeof norm, "%s0.%.17se%lld", s[0] == '-' ? "-" : "", lit.sig,
		 lit.lead < -100000 ? -100000 : lit.lead + 1);
	double d = strtod(norm, NULL);   /* 17 digits decide the double unless it is near a tie: the message only */
	if (isinf(d)) {
		snprintf(buf, cap, "number %.*s%s is too large for a double", q, s, more);
		return buf;
	}
	if (lit.lead < DBL_MIN_10_EXP - 2 || fabs(d) < DBL_MIN) {
		jsoncheck_shortest(d, out);
		snprintf(buf, cap, "number %.*s%s is too small for a double (it would be kept as %s)", q, s, more, out);
		return buf;
	}
	if (lit.k > 17) {
		snprintf(buf, cap, "number %.*s%s has more significant digits than a double keeps (17); write it as a"
			 " string", q, s, more);
		return buf;
	}
	snprintf(e, sizeof e, "%.*e", (int)lit.k - 1, d);
	if (same_decimal(&lit, e)) return NULL;
	jsoncheck_shortest(d, out);
	snprintf(buf, cap, "number %.*s%s would be kept as %s; write it as a string", q, s, more, out);
	return buf;
}

static int is_numch(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || ch == '-' || ch == '+' || ch == '.' || ch == 'e' || ch == 'E';
}

static size_t digits(const unsigned char *s, size_t i, size_t n)
{
	while (i < n && s[i] >= '0' && s[i] <= '9') i++;
	return i;
}

/* cJSON's numbers: -?D+(.D*)?([eE][+-]?D+)? */
static int number(struct scan *c)
{
	const unsigned char *s = c->s;
	size_t start = c->i, i = start + (s[start] == '-'), j = digits(s, i, c->n);
	if (j == i) return syntax(c, start);
	i = j;
	if (i < c->n && s[i] == '.') i = digits(s, i + 1, c->n);
	if (i < c->n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < c->n && (s[i] == '+' || s[i] == '-')) i++;
		j = digits(s, i, c->n);
		if (j == i) return syntax(c, start);
		i = j;
	}
	if (i < c->n && is_numch(s[i])) return syntax(c, start);
	char why[200];
	if (number_problem((const char *)s + start, i - start, why, sizeof why))
		return found(c, start, c->depth, "%s", why);
	c->i = i;
	return OK;
}

/* ---- values ---- */

static int value(struct scan *c);

static int push(struct scan *c, int is_obj)
{
	if (c->depth >= MAX_DEPTH) return syntax(c, c->i);
	room(c->fr, c->depth);
	*frame(c, c->depth++) = (struct frame){is_obj, 0, 0, 0, c->nkeys, c->arena.len};
	c->i++;
	return OK;
}

static int key_eq(const struct scan *c, const struct key *a, const struct key *b)
{
	return a->h == b->h && a->len == b->len && memcmp(c->arena.p + a->off, c->arena.p + b->off, a->len) == 0;
}

static const struct scan *sort_scan;
static int key_cmp(const void *x, const void *y)
{
	const struct key *a = x, *b = y;
	if (a->h != b->h) return a->h < b->h ? -1 : 1;
	if (a->len != b->len) return a->len < b->len ? -1 : 1;
	int r = memcmp(sort_scan->arena.p + a->off, sort_scan->arena.p + b->off, a->len);
	if (r) return r;
	return (a->src > b->src) - (a->src < b->src);
}

/* the key of the open object that repeats an earlier one first, or NULL */
static const struct key *duplicate(struct scan *c, const struct frame *f)
{
	size_t n = c->nkeys - f->first_key;
	if (n < 2) return NULL;
	struct key *k = key_at(c, f->first_key);
	if (n <= 16) {
		for (size_t j = 1; j < n; j++)
			for (size_t i = 0; i < j; i++)
				if (key_eq(c, &k[i], &k[j])) return &k[j];
		return NULL;
	}
	sort_scan = c;
	qsort(k, n, sizeof *k, key_cmp);   /* the object is closing: its order no longer matters */
	const struct key *best = NULL;
	for (size_t j = 1; j < n; j++)
		if (key_eq(c, &k[j - 1], &k[j]) && (!best || k[j].src < best->src)) best = &k[j];
	return best;
}

static int close_object(struct scan *c)
{
	struct frame *f = frame(c, c->depth - 1);
	const struct key *dup = duplicate(c, f);
	if (dup) {
		f->key_off = dup->off;
		f->key_len = dup->len;
		const char *name = c->arena.p + dup->off;
		int q = (int)quote_len(name, dup->len);
		return found(c, dup->src, c->depth, "duplicate key \"%.*s%s\"", q, name, (size_t)q < dup->len ? "..." : "");
	}
	c->nkeys = f->first_key;
	c->arena.len = f->arena_start;
	c->arena.p[c->arena.len] = 0;
	c->depth--;
	return OK;
}

static int object_key(struct scan *c)
{
	struct frame *f = frame(c, c->depth - 1);
	size_t src = c->i, off = c->arena.len;
	if (c->i >= c->n || c->s[c->i] != '"') return syntax(c, c->i);
	int rc = string(c, &c->arena, c->depth - 1);
	if (rc) return rc;
	room(c->keys, c->nkeys);
	size_t len = c->arena.len - off;
	*key_at(c, c->nkeys++) = (struct key){off, len, src, gs_hash64(c->arena.p + off, len, 0)};
	f->key_off = off;
	f->key_len = len;
	if (c->npats && is_name(c, 1)) return check_name(c, c->arena.p + off, len, src, c->depth);
	return OK;
}

static int object(struct scan *c)
{
	int rc = push(c, 1);
	if (!rc) rc = skip_ws(c, c->depth - 1);
	if (rc) return rc;
	if (c->i < c->n && c->s[c->i] == '}') {
		c->i++;
		return close_object(c);
	}
	for (;;) {
		if ((rc = skip_ws(c, c->depth - 1)) || (rc = object_key(c)) || (rc = skip_ws(c, c->depth))) return rc;
		if (c->i >= c->n || c->s[c->i] != ':') return syntax(c, c->i);
		c->i++;
		if ((rc = value(c)) || (rc = skip_ws(c, c->depth))) return rc;
		if (c->i < c->n && c->s[c->i] == ',') {
			c->i++;
			continue;
		}
		if (c->i < c->n && c->s[c->i] == '}') break;
		return syntax(c, c->i);
	}
	c->i++;
	return close_object(c);
}

static int array(struct scan *c)
{
	int rc = push(c, 0);
	if (!rc) rc = skip_ws(c, c->depth);
	if (rc) return rc;
	if (c->i < c->n && c->s[c->i] == ']') {
		c->i++;
		c->depth--;
		return OK;
	}
	for (;;) {
		if ((rc = value(c)) || (rc = skip_ws(c, c->depth))) return rc;
		if (c->i < c->n && c->s[c->i] == ',') {
			c->i++;
			frame(c, c->depth - 1)->index++;
			continue;
		}
		if (c->i < c->n && c->s[c->i] == ']') break;
		return syntax(c, c->i);
	}
	c->i++;
	c->depth--;
	return OK;
}

static int string_value(struct scan *c)
{
	if (!c->npats || !is_name(c, 0)) return string(c, NULL, c->depth);
	size_t src = c->i;
	c->tmp.len = 0;
	int rc = string(c, &c->tmp, c->depth);
	return rc ? rc : check_name(c, c->tmp.p, c->tmp.len, src, c->depth);
}

static int value(struct scan *c)
{
	int rc = skip_ws(c, c->depth);
	if (rc) return rc;
	if (c->i >= c->n) return syntax(c, c->i);
	unsigned char ch = c->s[c->i];
	if (ch == '{') return object(c);
	if (ch == '[') return array(c);
	if (ch == '"') return string_value(c);
	if (ch == '-' || (ch >= '0' && ch <= '9')) return number(c);
	static const char *const lit[] = {"true", "false", "null"};
	for (size_t k = 0; k < ARRAY_LEN(lit); k++) {
		size_t len = strlen(lit[k]);
		if (c->n - c->i >= len && memcmp(c->s + c->i, lit[k], len) == 0) {
			c->i += len;
			return OK;
		}
	}
	return syntax(c, c->i);
}

int jsoncheck_text(const char *s, size_t n, const char *const *names, struct jc_error *err)
{
	struct scan c;
	memset(&c, 0, sizeof c);
	memset(err, 0, sizeof *err);
	c.s = (const unsigned char *)s;
	c.n = n;
	c.err = err;
	c.fr = g_array_new(FALSE, FALSE, sizeof(struct frame));
	c.keys = g_array_new(FALSE, FALSE, sizeof(struct key));
	sb_addn(&c.arena, "", 0);   /* never NULL: keys are compared with memcmp */
	sb_addn(&c.tmp, "", 0);
	for (size_t k = 0; names && names[k] && c.npats < MAX_PATS; k++)
		if (parse_pattern(names[k], &c.pats[c.npats]) == 0) c.npats++;
	int rc = value(&c);
	while (!rc && c.i < n && (s[c.i] == ' ' || s[c.i] == '\t' || s[c.i] == '\n' || s[c.i] == '\r')) c.i++;
	if (!rc && c.i < n) rc = s[c.i] ? syntax(&c, c.i) : found(&c, c.i, 0, "NUL byte");
	g_array_free(c.fr, TRUE);
	g_array_free(c.keys, TRUE);
	sb_free(&c.arena);
	sb_free(&c.tmp);
	return rc != OK;
}

cJSON *jsoncheck_parse(const char *s, size_t n, const char *const *names, struct jc_error *err)
{
	int bad = jsoncheck_text(s, n, names, err);
	if (bad && !err->syntax) return NULL;
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	if (!v) {   /* cJSON's position, as before this check existed */
		const char *at = cJSON_GetErrorPtr();
		memset(err, 0, sizeof *err);
		err->syntax = 1;
		err->off = at && at >= s && at <= s + n ? (size_t)(at - s) : n;
		snprintf(err->what, sizeof err->what, "invalid JSON");
		return NULL;
	}
	if (bad) {   /* cJSON took what this scan calls invalid: refused at the scan's position */
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

/* ---- names ---- */

static const char *kind_of(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return "control character";
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return "bidirectional control";
	if (cp == 0x2028 || cp == 0x2029) return "line separator";
	if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) return "noncharacter";
	return "invisible character";
}

const char *jsoncheck_name(const char *s, size_t n, char why[96])
{
	size_t bad;
	if (!n) return "be empty";
	if (n > JC_NAME_MAX) {
		snprintf(why, 96, "be longer than %d bytes", JC_NAME_MAX);
		return why;
	}
	if (!utf8_valid(s, n, &bad)) return "contain invalid UTF-8";
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = text_decode(s + i, n - i, &cp);
		if (text_is_unsafe(cp)) {
			snprintf(why, 96, "contain %s U+%04X", kind_of(cp), (unsigned)cp);
			return why;
		}
		i += len;
	}
	return NULL;
}

int jsoncheck_flag(const char *flag, const char *value, struct gs_err *e)
{
	char why[96];
	size_t n = strlen(value);
	const char *w = jsoncheck_name(value, n, why);
	if (!w) return 0;
	if (n > QUOTE) return gs_fail(e, EX_USAGE, "%s: a name cannot %s", flag, w);
	return gs_fail(e, EX_USAGE, "%s \"%s\": a name cannot %s", flag, value, w);
}

int jsoncheck_usage(const char *flag, const char *value)
{
	struct gs_err e;
	return jsoncheck_flag(flag, value, &e) ? gs_report(&e) : 0;
}

/* ---- printing numbers exactly ---- */

/* cJSON prints "%d", "%1.15g" or, when the 15 digits are not nearly d,
 * "%1.17g": exact but for the numbers whose 15 digits come within an
 * epsilon (0.30000000000000004 becomes 0.3). Only those are replaced, by
 * their 17 digits, so that every line cJSON printed exactly before stays
 * byte for byte the same (an item's hash is its version). */
static void exact_number(cJSON *parent, cJSON *item)
{
	double d = item->valuedouble;
	char out[32];
	if (!isfinite(d) || (d == floor(d) && fabs(d) < 1e15)) return;   /* whole numbers of 15 digits */
	snprintf(out, sizeof out, "%.15g", d);
	if (strtod(out, NULL) == d) return;
	cJSON *alone = cJSON_CreateNumber(d);
	char *p = alone ? cJSON_PrintUnformatted(alone) : NULL;
	int exact = p && strtod(p, NULL) == d;
	cJSON_free(p);
	cJSON_Delete(alone);
	if (exact) return;
	snprintf(out, sizeof out, "%.17g", d);
	cJSON *raw = cJSON_CreateRaw(out);
	if (!raw) abort();
	raw->string = item->string;
	raw->type |= item->type & cJSON_StringIsConst;
	item->string = NULL;
	item->type &= ~cJSON_StringIsConst;
	cJSON_ReplaceItemViaPointer(parent, item, raw);
}

void jsoncheck_exact_numbers(cJSON *root)
{
	for (cJSON *c = root ? root->child : NULL, *next; c; c = next) {
		next = c->next;
		if (cJSON_IsNumber(c)) exact_number(root, c);
		else if (c->child) jsoncheck_exact_numbers(c);
	}
}
