/* text.c: untrusted text -> safe display cells (see text.h). Pure code with
 * no ncurses and no I/O, so it can be unit-tested and fuzzed on its own;
 * decoding, widths and grapheme clusters come from utf8proc.
 *
 * The text is read as a stream of "atoms": a glyph (a grapheme cluster, or
 * the part of one that a terminal draws in one place), a space, a tab, a newline, or an escaped form such
 * as "<U+202E>". Wrapping walks the atoms once per width and records where
 * each line starts (a byte offset, plus a position inside an escaped form
 * when a narrow line cuts one); drawing a line walks the atoms again from
 * that start up to the next line's start. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "text.h"
#include "util.h"

#include <glib.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REPL 0xFFFDu
#define WIDE_PLACEHOLDER '?'   /* a wide character on a one-column line */

int text_setlocale(void)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

/* ---- decoding ---- */

/* utf8proc decodes; what it refuses is replaced by one U+FFFD per maximal
 * subpart (the longest start of a sequence that a valid sequence could
 * have): a prefix is such a start when, completed with continuation bytes,
 * it decodes to a longer valid sequence. */
static size_t maximal_subpart(const char *s, size_t n)
{
	size_t k = 1;
	for (; k < 3 && k < n; k++) {
		utf8proc_uint8_t probe[4] = {0x80, 0x80, 0x80, 0x80};
		utf8proc_int32_t cp;
		memcpy(probe, s, k + 1);
		if (utf8proc_iterate(probe, 4, &cp) <= (utf8proc_ssize_t)(k + 1)) break;
	}
	return k;
}

/* decodes one code point (n > 0); *bad set when the bytes were invalid */
static size_t decode(const char *s, size_t n, uint32_t *cp, int *bad)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s, n < 4 ? (utf8proc_ssize_t)n : 4, &c);
	*bad = len <= 0;
	*cp = *bad ? REPL : (uint32_t)c;
	return *bad ? maximal_subpart(s, n) : (size_t)len;
}

size_t text_decode(const char *s, size_t n, uint32_t *cp)
{
	int bad;
	if (!n) {
		*cp = REPL;
		return 0;
	}
	return decode(s, n, cp, &bad);
}

size_t text_utf8_len(const char *s, size_t n)
{
	uint32_t cp;
	int bad;
	size_t len = n ? decode(s, n, &cp, &bad) : 0;
	return len && !bad ? len : 0;
}

size_t text_encode(uint32_t cp, char out[4])
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

/* ---- classification ---- */

/* Characters that reorder text or cannot be seen; sorted, inclusive. */
static const uint32_t hidden[][2] = {
	{0x00AD, 0x00AD},   /* soft hyphen */
	{0x061C, 0x061C},   /* Arabic letter mark */
	{0x115F, 0x1160},   /* Hangul fillers */
	{0x17B4, 0x17B5},   /* Khmer inherent vowels */
	{0x180E, 0x180E},   /* Mongolian vowel separator */
	{0x200B, 0x200B},   /* zero-width space (U+200C ZWNJ stays: it joins nothing) */
	{0x200D, 0x200F},   /* zero-width joiner, LRM, RLM */
	{0x2028, 0x202E},   /* line/paragraph separators, bidi embeddings and overrides */
	{0x2060, 0x206F},   /* word joiner, invisible operators, bidi isolates, deprecated */
	{0x3164, 0x3164},   /* Hangul filler */
	{0xFEFF, 0xFEFF},   /* zero-width no-break space / BOM */
	{0xFFA0, 0xFFA0},   /* halfwidth Hangul filler */
	{0xFFF9, 0xFFFB},   /* interlinear annotation */
	{0x1BCA0, 0x1BCA3}, /* shorthand format controls */
	{0x1D173, 0x1D17A}, /* musical format controls */
	{0xE0000, 0xE0FFF}, /* tags and variation selectors supplement (hidden payloads) */
};

static int in_hidden(uint32_t cp)
{
	size_t lo = 0, hi = ARRAY_LEN(hidden);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < hidden[mid][0]) hi = mid;
		else if (cp > hidden[mid][1]) lo = mid + 1;
		else return 1;
	}
	return 0;
}

int text_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F) return 1;
	if (cp < 0x80) return 0;
	if (cp < 0xA0) return 1;
	if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) return 1;
	return cp >= 0xAD && in_hidden(cp);
}

int text_escape_form(uint32_t cp, char out[12])
{
	if (cp < 0x20 || cp == 0x7F) {
		out[0] = '^';
		out[1] = cp == 0x7F ? '?' : (char)(cp + 0x40);
		out[2] = 0;
		return 2;
	}
	return snprintf(out, 12, "<U+%04X>", (unsigned)(cp & 0x1FFFFF));
}

/* Marks that change nothing visible (variation selectors, ZWNJ, CGJ,
 * Mongolian FVS): one may follow a base; a second in a row is escaped, so
 * runs of them cannot carry hidden text. */
static int invisible_mark(uint32_t cp)
{
	return cp == 0x034F || cp == 0x200C || (cp >= 0xFE00 && cp <= 0xFE0F) ||
	       (cp >= 0x180B && cp <= 0x180F && cp != 0x180E);
}

/* 1 in a UTF-8 locale; elsewhere a terminal cannot show non-ASCII */
static int utf8_locale(void) { return strcmp(nl_langinfo(CODESET), "UTF-8") == 0; }

static int bound_class(uint32_t cp) { return utf8proc_get_property((utf8proc_int32_t)cp)->boundclass; }

/* Columns a character written as itself takes, as terminals give them:
 * utf8proc's width, except that a spacing mark takes a column of its own
 * and a conjoining Hangul vowel or final none (it joins its syllable).
 * 1 or 2; 0 for a mark that joins the character before it; -1 when it must
 * be escaped: unsafe, unassigned, or any non-ASCII outside a UTF-8 locale. */
static int cp_width(uint32_t cp)
{
	if (cp >= 0x20 && cp < 0x7F) return 1;
	if (text_is_unsafe(cp) || !utf8_locale()) return -1;
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
	if (p->category == UTF8PROC_CATEGORY_CN) return -1;
	if (p->category == UTF8PROC_CATEGORY_MC) return 1;
	if (p->boundclass == UTF8PROC_BOUNDCLASS_V || p->boundclass == UTF8PROC_BOUNDCLASS_T) return 0;
	return utf8proc_charwidth((utf8proc_int32_t)cp);
}

/* ---- grapheme clusters ---- */

#define ZWJ 0x200Du
#define SOME_PICTOGRAPH 0x1F600u   /* any emoji (Extended_Pictographic) */

/* utf8proc's cluster breaker walking a text one code point at a time */
struct cluster {
	uint32_t prev;
	utf8proc_int32_t state;
};

/* feeds cp; 1 when it belongs to the cluster of the code points before */
static int cluster_joins(struct cluster *c, uint32_t cp)
{
	int joins = !utf8proc_grapheme_break_stateful((utf8proc_int32_t)c->prev, (utf8proc_int32_t)cp, &c->state);
	c->prev = cp;
	return joins;
}

/* s[off..] starts with a ZWJ: when it and the pictograph after it continue
 * an emoji ZWJ sequence (👨‍👩‍👧, which terminals draw as one glyph as wide
 * as its first), returns the bytes of both, sets *pict and feeds both to c;
 * else 0: a joiner that joins nothing is escaped like other invisible
 * characters. */
static size_t zwj_join(struct cluster *c, const char *s, size_t n, size_t off, uint32_t *pict)
{
	struct cluster t = *c;
	uint32_t cp;
	int bad;
	size_t zl = decode(s + off, n - off, &cp, &bad);
	if (off + zl >= n || !cluster_joins(&t, ZWJ)) return 0;
	size_t pl = decode(s + off + zl, n - off - zl, &cp, &bad);
	if (bad || !cluster_joins(&t, cp) || bound_class(cp) != UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC) return 0;
	*c = t;
	*pict = cp;
	return zl + pl;
}

/* ---- atoms ---- */

enum kind { K_GLYPH, K_SPACE, K_TAB, K_NL, K_ESC };

struct atom {
	enum kind kind;
	size_t off, end;         /* bytes [off, end) */
	int w;                   /* columns: glyph 1-2, escape its length */
	struct text_cell cell;   /* K_GLYPH, K_SPACE */
	char esc[12];            /* K_ESC */
};

static void set_glyph(struct atom *a, uint32_t cp, int w, int flags)
{
	memset(&a->cell, 0, sizeof a->cell);
	a->kind = K_GLYPH;
	a->cell.cp[0] = cp;
	a->cell.width = (uint8_t)w;
	a->cell.flags = (uint8_t)flags;
	a->w = w;
}

static void set_escape(struct atom *a, const char *form)
{
	a->kind = K_ESC;
	snprintf(a->esc, sizeof a->esc, "%s", form);
	a->w = (int)strlen(a->esc);
}

/* Adds to a glyph's cell the rest of its grapheme cluster that takes no
 * column of its own: combining marks (one invisible mark at most), the
 * second regional indicator of a flag (the cell then takes two columns),
 * and in an emoji ZWJ sequence each joiner with the pictograph after it.
 * An emoji modifier (skin tone) takes a cell of its own, as terminals draw
 * it, and continues its emoji's sequence. What does not fit in
 * TEXT_CELL_CPS code points starts the next atom. */
static void attach_cluster(const char *s, size_t n, struct atom *a)
{
	struct cluster cl = {a->cell.cp[0], 0};
	int invisible = 0, k = 1;
	if (bound_class(cl.prev) == UTF8PROC_BOUNDCLASS_EXTEND) {
		cl.prev = SOME_PICTOGRAPH;
		cluster_joins(&cl, a->cell.cp[0]);
	}
	while (k < TEXT_CELL_CPS && a->end < n && (unsigned char)s[a->end] >= 0x80) {
		uint32_t cp;
		int bad;
		size_t len = decode(s + a->end, n - a->end, &cp, &bad);
		if (bad) return;
		if (cp == ZWJ) {
			if (k + 2 > TEXT_CELL_CPS || !(len = zwj_join(&cl, s, n, a->end, &cp)) || cp_width(cp) <= 0) return;
			a->cell.cp[k++] = ZWJ;
			invisible = 0;   /* the pictograph is a base of its own */
		} else {
			if (!cluster_joins(&cl, cp)) return;
			int flag = bound_class(cp) == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
			if (!flag && (cp_width(cp) != 0 || (invisible_mark(cp) && invisible++))) return;
			if (flag) a->w = a->cell.width = 2;
		}
		a->cell.cp[k++] = cp;
		a->end += len;
	}
}

/* the atom at byte off; oneline shows newline and tab as \n and \t */
static void atom_at(const char *s, size_t n, size_t off, int oneline, struct atom *a)
{
	uint32_t cp;
	int bad;
	char form[12];
	a->off = off;
	a->end = off + decode(s + off, n - off, &cp, &bad);
	if (bad) {
		set_glyph(a, REPL, 1, TEXT_BAD);
		return;
	}
	if (cp == '\n' || cp == '\t') {
		if (oneline) set_escape(a, cp == '\n' ? "\\n" : "\\t");
		else a->kind = cp == '\n' ? K_NL : K_TAB;
		return;
	}
	int w = cp_width(cp);
	if (w <= 0) {   /* unsafe, unknown to the locale, or a mark with no base */
		text_escape_form(cp, form);
		set_escape(a, form);
		return;
	}
	set_glyph(a, cp, w, 0);
	attach_cluster(s, n, a);
	if (cp == ' ' && a->end == off + 1) a->kind = K_SPACE;
}

static void escape_cell(struct text_cell *c, char ch)
{
	memset(c, 0, sizeof *c);
	c->cp[0] = (unsigned char)ch;
	c->width = 1;
	c->flags = TEXT_ESC;
}

static void space_cell(struct text_cell *c)
{
	memset(c, 0, sizeof *c);
	c->cp[0] = ' ';
	c->width = 1;
}

static int tab_width(int col, int width)
{
	int w = TEXT_TAB - col % TEXT_TAB;
	return col + w > width ? width - col : w;
}

/* ---- one line ---- */

int text_line_cells(const char *s, size_t n, int maxw, struct text_cell *out, int *used)
{
	int col = 0, k = 0;
	struct atom a;
	for (size_t off = 0; off < n; off = a.end) {
		atom_at(s, n, off, 1, &a);
		if (col + a.w > maxw && a.kind != K_ESC) break;
		if (a.kind == K_ESC) {
			for (int j = 0; j < a.w && col < maxw; j++, col++) escape_cell(&out[k++], a.esc[j]);
			if (col >= maxw) break;
			continue;
		}
		out[k++] = a.cell;
		col += a.w;
	}
	if (used) *used = col;
	return k;
}

size_t text_width(const char *s, size_t n)
{
	size_t col = 0;
	struct atom a;
	for (size_t off = 0; off < n; off = a.end) {
		atom_at(s, n, off, 1, &a);
		col += (size_t)a.w;
	}
	return col;
}

/* one code point of escape_text (s: its len bytes); returns 2 when it was
 * written as itself, 1 when it was an invisible mark written as itself, 0
 * when escaped. after: the same for the code point before. */
static int escape_cp(struct sbuf *b, const char *s, size_t len, uint32_t cp, int bad, int after, int keep_breaks)
{
	char form[12];
	if (bad) sb_add(b, "\xEF\xBF\xBD");
	else if ((cp == '\n' || cp == '\t') && keep_breaks) sb_addc(b, (char)cp);
	else if (cp == '\n' || cp == '\t') sb_add(b, cp == '\n' ? "\\n" : "\\t");
	else if (text_is_unsafe(cp) || (invisible_mark(cp) && after != 2))
		sb_addn(b, form, (size_t)text_escape_form(cp, form));
	else {
		sb_addn(b, s, len);
		return invisible_mark(cp) ? 1 : 2;
	}
	return 0;
}

/* keep_breaks: newline and tab pass through as themselves (CSV fields) */
static char *escape_text(const char *s, size_t n, int keep_breaks)
{
	struct sbuf b = {0};
	struct cluster cl = {0, 0};
	int after = 0;
	sb_addn(&b, "", 0);
	for (size_t off = 0, len; off < n; off += len) {
		uint32_t cp;
		int bad;
		len = decode(s + off, n - off, &cp, &bad);
		size_t joined = !bad && cp == ZWJ && after ? zwj_join(&cl, s, n, off, &cp) : 0;
		if (joined) {   /* a joiner inside an emoji sequence, with its pictograph */
			sb_addn(&b, s + off, len = joined);
			after = 2;
			continue;
		}
		cluster_joins(&cl, cp);
		after = escape_cp(&b, s + off, len, cp, bad, after, keep_breaks);
	}
	return sb_take(&b);
}

char *text_escape_line(const char *s, size_t n) { return escape_text(s, n, 0); }
char *text_escape_keep_breaks(const char *s, size_t n) { return escape_text(s, n, 1); }

char *text_escape(const char *s)
{
	return text_escape_line(s ? s : "", s ? strlen(s) : 0);
}

/* JSON text whose strings may hold raw unsafe code points (cJSON escapes
 * only C0): each becomes a \uXXXX escape (a surrogate pair above U+FFFF),
 * invalid bytes \ufffd. The JSON value is unchanged. */
char *text_json_safe(const char *json)
{
	struct sbuf b = {0};
	size_t n = strlen(json);
	sb_addn(&b, "", 0);
	for (size_t off = 0; off < n;) {
		size_t run = off;   /* printable ASCII and cJSON's escapes go through in one piece */
		while (run < n && (unsigned char)json[run] < 0x7f) run++;
		sb_addn(&b, json + off, run - off);
		if ((off = run) >= n) break;
		uint32_t cp;
		int bad;
		size_t len = decode(json + off, n - off, &cp, &bad);
		if (bad) sb_add(&b, "\\ufffd");
		else if (cp < 0x20 || !text_is_unsafe(cp)) sb_addn(&b, json + off, len);
		else if (cp < 0x10000) sb_addf(&b, "\\u%04x", cp);
		else sb_addf(&b, "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF));
		off += len;
	}
	return sb_take(&b);
}

/* ---- wrapping ---- */

struct pos {
	size_t off;
	unsigned sub;   /* cells into an escaped form cut by a narrow line */
};

struct text_wrap {
	char *s;
	size_t n;
	int width;
	GArray *line;     /* struct pos: where each line starts */
};

static struct pos pos_at(const struct text_wrap *w, size_t i) { return g_array_index(w->line, struct pos, i); }
static size_t nlines(const struct text_wrap *w) { return w->line->len; }

/* where the line being filled stands */
struct fill {
	struct text_wrap *w;
	int col;
	int ink;          /* something other than blanks on this line */
	int has_brk;      /* a line may start at brk (after a blank) */
	size_t brk;
	int brk_col;
};

static void push_line(struct fill *f, size_t off, unsigned sub)
{
	struct pos p = {off, sub};
	g_array_append_val(f->w->line, p);
	f->col = 0;
	f->ink = 0;
	f->has_brk = 0;
}

/* ends the line at the last blank; the partial word moves down */
static void break_at_blank(struct fill *f)
{
	int carried = f->col - f->brk_col;
	push_line(f, f->brk, 0);
	f->col = carried;
	f->ink = carried > 0;
}

static size_t skip_spaces(const struct text_wrap *w, size_t off)
{
	struct atom a;
	while (off < w->n) {
		atom_at(w->s, w->n, off, 0, &a);
		if (a.kind != K_SPACE) break;
		off = a.end;
	}
	return off;
}

/* a space or tab: a place to break; one that finds no room ends the line
 * and is swallowed with the spaces after it */
static size_t place_blank(struct fill *f, const struct atom *a)
{
	if (f->col >= f->w->width) {
		size_t next = skip_spaces(f->w, a->end);
		if (next < f->w->n && f->w->s[next] != '\n') push_line(f, next, 0);
		return next;
	}
	f->col += a->kind == K_TAB ? tab_width(f->col, f->w->width) : 1;
	if (f->ink) {
		f->has_brk = 1;
		f->brk = a->end;
		f->brk_col = f->col;
	}
	return a->end;
}

/* a glyph: goes on this line, or after the last blank, or on a new line */
static void place_glyph(struct fill *f, const struct atom *a)
{
	for (;;) {
		if (f->col + a->w <= f->w->width) break;
		if (f->has_brk) {
			break_at_blank(f);
			continue;
		}
		if (f->col == 0) {   /* wider than the line: it takes the line */
			f->col = f->w->width;
			f->ink = 1;
			return;
		}
		push_line(f, a->off, 0);
	}
	f->col += a->w;
	f->ink = 1;
}

/* an escaped form: kept whole when it fits a line, else cut at the edges */
static void place_escape(struct fill *f, const struct atom *a)
{
	int width = f->w->width;
	for (;;) {
		if (f->col + a->w <= width) {
			f->col += a->w;
			f->ink = 1;
			return;
		}
		if (f->has_brk) break_at_blank(f);
		else if (f->col > 0 && a->w <= width) push_line(f, a->off, 0);
		else break;
	}
	unsigned sub = (unsigned)(width - f->col);
	for (;;) {
		push_line(f, a->off, sub);
		if ((int)(a->w - sub) <= width) break;
		sub += (unsigned)width;
	}
	f->col = a->w - (int)sub;
	f->ink = 1;
}

static void wrap_all(struct text_wrap *w)
{
	struct fill f = {.w = w};
	struct atom a;
	g_array_set_size(w->line, 0);
	push_line(&f, 0, 0);
	for (size_t off = 0; off < w->n;) {
		atom_at(w->s, w->n, off, 0, &a);
		switch (a.kind) {
		case K_NL: push_line(&f, a.end, 0); off = a.end; break;
		case K_SPACE: case K_TAB: off = place_blank(&f, &a); break;
		case K_GLYPH: place_glyph(&f, &a); off = a.end; break;
		case K_ESC: place_escape(&f, &a); off = a.end; break;
		}
	}
	/* a final newline ends the last line rather than starting an empty one */
	if (nlines(w) > 1 && w->n && w->s[w->n - 1] == '\n' && pos_at(w, nlines(w) - 1).off == w->n)
		g_array_set_size(w->line, nlines(w) - 1);
}

struct text_wrap *text_wrap_new(const char *s, size_t n, int width)
{
	struct text_wrap *w = xcalloc(1, sizeof *w);
	w->s = xmalloc(n + 1);
	if (n) memcpy(w->s, s, n);
	w->s[n] = 0;
	w->n = n;
	w->width = width < 1 ? 1 : width;
	w->line = g_array_sized_new(FALSE, FALSE, sizeof(struct pos), 64);
	wrap_all(w);
	return w;
}

void text_wrap_free(struct text_wrap *w)
{
	if (!w) return;
	free(w->s);
	g_array_free(w->line, TRUE);
	free(w);
}

void text_wrap_set_width(struct text_wrap *w, int width)
{
	if (width < 1) width = 1;
	if (width == w->width) return;
	w->width = width;
	wrap_all(w);
}

int text_wrap_width(const struct text_wrap *w) { return w->width; }
size_t text_wrap_lines(const struct text_wrap *w) { return nlines(w); }

size_t text_wrap_offset(const struct text_wrap *w, size_t i)
{
	return i < nlines(w) ? pos_at(w, i).off : w->n;
}

size_t text_wrap_find(const struct text_wrap *w, size_t off)
{
	size_t lo = 0, hi = nlines(w);   /* last line starting at or before off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (pos_at(w, mid).off <= off) lo = mid;
		else hi = mid;
	}
	return lo;
}

static int before(size_t off, unsigned sub, struct pos end)
{
	return off < end.off || (off == end.off && sub < end.sub);
}

/* draws the cells of one atom on a line; returns 0 when the line is full */
static int line_atom(const struct atom *a, unsigned sub, struct pos end, int width,
                     struct text_cell *out, int *k, int *col)
{
	switch (a->kind) {
	case K_NL:
		return 0;
	case K_TAB: {
		if (*col >= width) return 0;
		for (int t = tab_width(*col, width); t > 0; t--, (*col)++) space_cell(&out[(*k)++]);
		return 1;
	}
	case K_ESC:
		for (unsigned j = sub; j < (unsigned)a->w; j++, (*col)++) {
			if (*col >= width || !before(a->off, j, end)) return 0;
			escape_cell(&out[(*k)++], a->esc[j]);
		}
		return 1;
	default:
		if (*col + a->w <= width) {
			out[(*k)++] = a->cell;
			*col += a->w;
			return 1;
		}
		if (*col == 0) {   /* a wide character on a one-column line */
			escape_cell(&out[(*k)++], WIDE_PLACEHOLDER);
			*col = width;
		}
		return 0;
	}
}

int text_wrap_line(const struct text_wrap *w, size_t i, struct text_cell *out)
{
	if (i >= nlines(w)) return 0;
	struct pos end = i + 1 < nlines(w) ? pos_at(w, i + 1) : (struct pos){w->n, 0};
	size_t off = pos_at(w, i).off;
	unsigned sub = pos_at(w, i).sub;
	int k = 0, col = 0;
	struct atom a;
	for (; off < w->n && before(off, sub, end); off = a.end, sub = 0) {
		atom_at(w->s, w->n, off, 0, &a);
		if (!line_atom(&a, sub, end, w->width, out, &k, &col)) break;
	}
	return k;
}
