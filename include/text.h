/* text.h: untrusted text (item fields written by models and users) turned
 * into safe display cells. Nothing here knows about ncurses: the screens in
 * src/tui/ draw the cells this module produces, and plain output (error
 * messages, `review --list`) goes through text_escape_line(). This is the only
 * road from untrusted bytes to the terminal.
 *
 * What the reader sees:
 *   - invalid UTF-8 (bad bytes, overlong forms, surrogates, a truncated tail)
 *     becomes U+FFFD, one per maximal subpart, flagged TEXT_BAD;
 *   - C0 controls show in caret form (ESC as ^[, BEL ^G, BS ^H, CR ^M), DEL
 *     as ^?, C1 controls and characters that reorder or hide text (bidi
 *     overrides and isolates, zero-width space and joiner, BOM, tag
 *     characters, ...) as <U+202E>; every cell of such a form is flagged
 *     TEXT_ESC so screens can colour it;
 *   - a grapheme cluster (utf8proc's breaker, Unicode's rules) is one cell
 *     when it takes one place on a terminal: combining marks stay on their
 *     base (up to TEXT_CELL_CPS-1 of them; a mark with no base, or one too
 *     many, is shown as <U+0301>); of the marks that change nothing visible
 *     (variation selectors, ZWNJ, CGJ) one may follow a base, a second in a
 *     row is escaped, so that runs of them cannot smuggle hidden text; a
 *     flag (two regional indicators) takes two columns; an emoji ZWJ
 *     sequence (👨‍👩‍👧: pictographs joined by U+200D) is one glyph as wide
 *     as its first pictograph, its joiners shown as themselves (a joiner
 *     anywhere else is escaped, and so is the one that would make a cell
 *     pass TEXT_CELL_CPS code points: 👨‍👩‍👧<U+200D>👦). An emoji modifier
 *     (skin tone) takes two columns of its own, as tmux 3.3 and xterm draw
 *     it; a spacing mark (Devanagari ि) one;
 *   - widths are utf8proc's (Unicode 15; it agrees with the C library's
 *     wcwidth() but for about a hundred rare symbols); outside a UTF-8
 *     locale (text_setlocale()) every non-ASCII character is shown in
 *     <U+...> form, which is safe on any terminal; unassigned code points
 *     are always shown so.
 *   - in a wrapped text, tab goes to the next multiple of 8 and newline ends
 *     the line; in single-line forms they show as \t and \n. */
#ifndef GOLDSET_TEXT_H
#define GOLDSET_TEXT_H
#include <stddef.h>
#include <stdint.h>

#define TEXT_CELL_CPS 5   /* base + 4 code points joined to it (ncurses' CCHARW_MAX) */
#define TEXT_TAB 8

enum { TEXT_ESC = 1, TEXT_BAD = 2 };  /* text_cell.flags */

/* One screen position (or two for a wide character or a flag). cp[] holds
 * the base character then what joins it (combining marks, the second
 * regional indicator, the joiners and pictographs of an emoji sequence);
 * unused slots are 0. */
struct text_cell {
	uint32_t cp[TEXT_CELL_CPS];
	uint8_t width;   /* 1 or 2 columns */
	uint8_t flags;   /* TEXT_ESC: part of an escaped form; TEXT_BAD: U+FFFD for invalid bytes */
};

/* setlocale(LC_ALL, ""); returns 1 when the character set is UTF-8 */
int text_setlocale(void);

/* Decodes one code point from s (n > 0 bytes); returns the bytes used
 * (>= 1). Invalid input gives U+FFFD and consumes one maximal subpart.
 * The one UTF-8 decoder (utf8proc) for the whole program. */
size_t text_decode(const char *s, size_t n, uint32_t *cp);
/* the length of the valid UTF-8 sequence that starts s (n bytes), or 0 */
size_t text_utf8_len(const char *s, size_t n);
/* writes cp as UTF-8 into out; returns the bytes written (1 to 4) */
size_t text_encode(uint32_t cp, char out[4]);

/* 1 when cp is never written as itself: controls, C1, bidi and invisible
 * format characters, noncharacters; in JSON and in names always, on a
 * screen and in escaped lines but for U+200D inside an emoji ZWJ sequence.
 * Independent of the locale. */
int text_is_unsafe(uint32_t cp);

/* Writes the escaped form of cp ("^[", "^?", "<U+202E>") into out
 * (NUL-terminated, at most 11 bytes) and returns its length. */
int text_escape_form(uint32_t cp, char out[12]);

/* Lays s out as one line: newline and tab shown as \n and \t. Fills out
 * (room for maxw cells) with cells whose widths sum to at most maxw; stops
 * before the first one that does not fit. Returns the number of cells;
 * *used (if not NULL) gets the columns they take. */
int text_line_cells(const char *s, size_t n, int maxw, struct text_cell *out, int *used);

/* Columns s takes laid out as one line (as text_line_cells, unclipped). */
size_t text_width(const char *s, size_t n);

/* A malloc'd copy of s safe for stdout/stderr: escaped forms as above,
 * newline as \n, tab as \t, invalid UTF-8 as U+FFFD; everything else left
 * as UTF-8 (an emoji ZWJ sequence keeps its joiners, however long).
 * Independent of the locale. Not reversible. */
char *text_escape_line(const char *s, size_t n);
char *text_escape(const char *s);   /* the same for a NUL-terminated string */
/* the same, but newline and tab stay themselves (CSV fields, notes) */
char *text_escape_keep_breaks(const char *s, size_t n);
/* JSON text (from cJSON) with every unsafe code point inside its strings
 * written as \uXXXX: the same JSON value, safe to print. malloc'd. */
char *text_json_safe(const char *json);

/* A text wrapped to a width: an index of line starts, built once per width,
 * so that any line of a large text can be drawn without wrapping the rest.
 * Words wrap at spaces; a word longer than the line is cut at the edge; a
 * wide character or a combining sequence is never split. Memory: a copy of
 * the text plus 16 bytes per line. */
struct text_wrap;

struct text_wrap *text_wrap_new(const char *s, size_t n, int width);
void text_wrap_free(struct text_wrap *w);
/* rewraps when width differs from the current one (width < 1 counts as 1) */
void text_wrap_set_width(struct text_wrap *w, int width);
int text_wrap_width(const struct text_wrap *w);
size_t text_wrap_lines(const struct text_wrap *w);
/* Fills out (room for the wrap width) with line i's cells; returns how many.
 * Their widths sum to at most the wrap width. Line i >= lines gives 0. */
int text_wrap_line(const struct text_wrap *w, size_t i, struct text_cell *out);
/* byte offset in the text where line i starts (the text length past the end) */
size_t text_wrap_offset(const struct text_wrap *w, size_t i);
/* the line that shows byte offset off (to keep the view in place on resize) */
size_t text_wrap_find(const struct text_wrap *w, size_t off);
#endif
