/* test_text.c: cmocka tests for src/text.c, the path every untrusted byte
 * takes to the terminal: UTF-8 decoding, escaping of terminal controls and
 * invisible characters, cell widths, and wrapping at widths 1 to 80 up to a
 * 1 MB text, grapheme clusters (emoji ZWJ sequences, flags, combining
 * marks) and their widths. Runs under C.UTF-8: outside a UTF-8 locale every
 * non-ASCII character is escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* ---- helpers ---- */

/* cells as a UTF-8 string (malloc'd); wide cells followed by nothing */
static char *cells_str(const struct text_cell *c, int n)
{
	char *s = xmalloc((size_t)n * TEXT_CELL_CPS * 4 + 1), *o = s;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < TEXT_CELL_CPS && c[i].cp[j]; j++) o += text_encode(c[i].cp[j], o);
	*o = 0;
	return s;
}

static int cells_width(const struct text_cell *c, int n)
{
	int w = 0;
	for (int i = 0; i < n; i++) w += c[i].width;
	return w;
}

/* one line of a wrapped text as a string, checking that it fits */
static char *wline(const struct text_wrap *w, size_t i)
{
	int width = text_wrap_width(w);
	struct text_cell *c = xcalloc((size_t)width, sizeof *c);
	int n = text_wrap_line(w, i, c);
	assert_true(cells_width(c, n) <= width);
	char *s = cells_str(c, n);
	free(c);
	return s;
}

static void expect_lines(const char *text, int width, const char **want, size_t nwant)
{
	struct text_wrap *w = text_wrap_new(text, strlen(text), width);
	assert_int_equal(text_wrap_lines(w), nwant);
	for (size_t i = 0; i < nwant; i++) {
		char *got = wline(w, i);
		assert_string_equal(got, want[i]);
		free(got);
	}
	text_wrap_free(w);
}
#define LINES(text, width, ...) do { \
	const char *want_[] = {__VA_ARGS__}; \
	expect_lines(text, width, want_, sizeof want_ / sizeof *want_); \
} while (0)

static void expect_esc(const char *in, size_t n, const char *want)
{
	char *got = text_escape_line(in, n);
	assert_string_equal(got, want);
	free(got);
}
#define ESC(in, want) expect_esc(in, sizeof(in) - 1, want)

/* single-line cells of s as a string */
static char *one_line(const char *s, int maxw, int *used)
{
	struct text_cell c[256];
	int n = text_line_cells(s, strlen(s), maxw, c, used);
	return cells_str(c, n);
}

/* ---- decoding ---- */

static void count_decode(const char *s, size_t n, const uint32_t *want, size_t nwant)
{
	size_t k = 0;
	for (size_t off = 0; off < n; k++) {
		uint32_t cp;
		off += text_decode(s + off, n - off, &cp);
		assert_true(k < nwant);
		assert_int_equal(cp, want[k]);
	}
	assert_int_equal(k, nwant);
}
#define DEC(in, ...) do { \
	const uint32_t want_[] = {__VA_ARGS__}; \
	count_decode(in, sizeof(in) - 1, want_, sizeof want_ / sizeof *want_); \
} while (0)
#define R 0xFFFD

static void t_decode_valid(void **st)
{
	(void)st;
	DEC("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80", 'a', 0xE9, 0x4E2D, 0x1F600);
	DEC("\xEF\xBF\xBD", 0xFFFD);
	DEC("\xF4\x8F\xBF\xBF", 0x10FFFF);
}

static void t_decode_invalid(void **st)
{
	(void)st;
	DEC("\x80", R);                       /* lone continuation */
	DEC("\x9B", R);                       /* raw C1 CSI byte */
	DEC("\xC0\x80", R, R);                /* overlong NUL */
	DEC("\xC1\xBF", R, R);                /* overlong */
	DEC("\xE0\x80\xAF", R, R, R);         /* overlong 3-byte */
	DEC("\xF0\x80\x80\xAF", R, R, R, R);  /* overlong 4-byte */
	DEC("\xED\xA0\x80", R, R, R);         /* surrogate U+D800 */
	DEC("\xED\xBF\xBF", R, R, R);         /* surrogate U+DFFF */
	DEC("\xF4\x90\x80\x80", R, R, R, R);  /* above U+10FFFF */
	DEC("\xF5\xFE\xFF", R, R, R);
	DEC("\xE2\x28\xA1", R, '(', R);       /* bad second byte */
	DEC("\xE2\x82x", R, 'x');             /* maximal subpart: one U+FFFD */
	DEC("\xF0\x9F\x98", R);               /* truncated at the end */
	DEC("a\xE2\x82", 'a', R);
	DEC("\xC3", R);
}

/* ---- escaping for plain output ---- */

static void t_escape_terminal_controls(void **st)
{
	(void)st;
	ESC("\x1b[2J", "^[[2J");                                /* CSI clear screen */
	ESC("\x1b]0;pwned\x07", "^[]0;pwned^G");                /* OSC title change */
	ESC("\x1b]0;pwned\x1b\\", "^[]0;pwned^[\\");            /* OSC with ST */
	ESC("\x1bPq#0;2;0;0;0\x1b\\", "^[Pq#0;2;0;0;0^[\\");    /* DCS (sixel) */
	ESC("\x9b" "31m", "\xEF\xBF\xBD" "31m");                /* raw C1 byte: invalid UTF-8 */
	ESC("\xC2\x9B" "31m", "<U+009B>31m");                   /* U+009B encoded */
	ESC("\xC2\x9D" "0;x\xC2\x9C", "<U+009D>0;x<U+009C>");   /* C1 OSC .. ST */
	ESC("\xC2\x85", "<U+0085>");                            /* NEL */
	ESC("a\x07" "b\x08" "c\rd\x7f", "a^Gb^Hc^Md^?");
	ESC("\x00\x01\x1f", "^@^A^_");
	ESC("a\nb\tc", "a\\nb\\tc");
}

static void t_escape_hidden(void **st)
{
	(void)st;
	ESC("abc\xE2\x80\xAE" "fdp.exe", "abc<U+202E>fdp.exe");  /* RLO */
	ESC("\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD",
	    "<U+202A><U+202B><U+202C><U+202D>");
	ESC("\xE2\x81\xA6x\xE2\x81\xA7y\xE2\x81\xA8z\xE2\x81\xA9",
	    "<U+2066>x<U+2067>y<U+2068>z<U+2069>");                /* isolates */
	ESC("a\xE2\x80\x8B" "b", "a<U+200B>b");                   /* zero-width space */
	ESC("\xEF\xBB\xBFx", "<U+FEFF>x");                        /* BOM */
	ESC("\xE2\x80\x8E\xE2\x80\x8F", "<U+200E><U+200F>");      /* LRM RLM */
	ESC("\xF3\xA0\x81\x81\xF3\xA0\x81\xBF", "<U+E0041><U+E007F>");  /* tag characters */
	ESC("\xE2\x80\xA8", "<U+2028>");
	ESC("\xEF\xBF\xBE", "<U+FFFE>");                          /* noncharacter */
	ESC("\xC2\xAD", "<U+00AD>");                              /* soft hyphen */
}

static void t_escape_keeps_text(void **st)
{
	(void)st;
	ESC("plain text, 100%", "plain text, 100%");
	ESC("\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 e\xCC\x81",
	    "\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 e\xCC\x81");
	ESC("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");
	ESC("\xE2\x9D\xA4\xEF\xB8\x8F a\xE2\x80\x8C" "b", "\xE2\x9D\xA4\xEF\xB8\x8F a\xE2\x80\x8C" "b");
	ESC("x\xEF\xB8\x8F\xEF\xB8\x80\xEF\xB8\x81", "x\xEF\xB8\x8F<U+FE00><U+FE01>");   /* hidden run */
	ESC("\xEF\xB8\x8F", "<U+FE0F>");
	ESC("x\xE2\x82", "x\xEF\xBF\xBD");
	char *e = text_escape(NULL);
	assert_string_equal(e, "");
	free(e);
	e = text_escape("\x1b" "c");
	assert_string_equal(e, "^[c");
	free(e);
}

/* escape_line output never holds a control byte, a C1 character or invalid UTF-8 */
static void t_escape_random(void **st)
{
	(void)st;
	unsigned long x = 12345;
	char in[64];
	for (int round = 0; round < 20000; round++) {
		for (size_t i = 0; i < sizeof in; i++) {
			x = x * 6364136223846793005UL + 1442695040888963407UL;
			in[i] = (char)(x >> 56);
		}
		char *e = text_escape_line(in, sizeof in);
		size_t n = strlen(e);
		for (size_t off = 0; off < n;) {
			uint32_t cp;
			size_t len = text_decode(e + off, n - off, &cp);
			assert_false(text_is_unsafe(cp) && cp != 0x200D);
			assert_false(cp == 0xFFFD && memcmp(e + off, "\xEF\xBF\xBD", 3) != 0);
			off += len;
		}
		free(e);
	}
}

/* ---- display cells ---- */

static void t_cells_flags(void **st)
{
	(void)st;
	struct text_cell c[32];
	const char *s = "a\x1b[1mb\xff";
	int n = text_line_cells(s, strlen(s), 32, c, NULL);
	assert_int_equal(n, 8);   /* a ^ [ [ 1 m b U+FFFD */
	assert_int_equal(c[0].flags, 0);
	assert_int_equal(c[1].flags, TEXT_ESC);
	assert_int_equal(c[1].cp[0], '^');
	assert_int_equal(c[2].cp[0], '[');
	assert_int_equal(c[2].flags, TEXT_ESC);
	assert_int_equal(c[3].flags, 0);   /* "[1m" after ^[ is plain text */
	assert_int_equal(c[7].cp[0], 0xFFFD);
	assert_int_equal(c[7].flags, TEXT_BAD);
}

static void t_cells_widths(void **st)
{
	(void)st;
	struct text_cell c[16];
	const char *s = "\xE4\xB8\xAD\xF0\x9F\x98\x80" "e\xCC\x81\xEF\xBC\xA1";
	int used;
	int n = text_line_cells(s, strlen(s), 16, c, &used);
	assert_int_equal(n, 4);
	assert_int_equal(c[0].width, 2);     /* CJK */
	assert_int_equal(c[1].width, 2);     /* emoji */
	assert_int_equal(c[2].width, 1);     /* e + combining acute: one cell */
	assert_int_equal(c[2].cp[0], 'e');
	assert_int_equal(c[2].cp[1], 0x301);
	assert_int_equal(c[3].width, 2);     /* fullwidth A */
	assert_int_equal(used, 7);
	assert_int_equal(text_width(s, strlen(s)), 7);
}

static void t_cells_combining(void **st)
{
	(void)st;
	int used;
	char *s;
	/* a mark with no base is shown escaped */
	s = one_line("\xCC\x81" "a", 20, &used);
	assert_string_equal(s, "<U+0301>a");
	free(s);
	/* four marks stay on the base; the fifth is escaped */
	s = one_line("a\xCC\x81\xCC\x82\xCC\x83\xCC\x84\xCC\x85z", 30, &used);
	assert_string_equal(s, "a\xCC\x81\xCC\x82\xCC\x83\xCC\x84<U+0305>z");
	free(s);
	/* marks never attach to an escaped form */
	s = one_line("\x07\xCC\x81", 20, &used);
	assert_string_equal(s, "^G<U+0301>");
	free(s);
	/* one variation selector or ZWNJ stays on its base; a run of them shows */
	s = one_line("\xE2\x9D\xA4\xEF\xB8\x8F!", 20, &used);
	assert_string_equal(s, "\xE2\x9D\xA4\xEF\xB8\x8F!");
	assert_int_equal(used, 2);
	free(s);
	s = one_line("\xF0\x9F\x98\x80\xEF\xB8\x8F\xEF\xB8\x80\xEF\xB8\x81", 40, &used);
	assert_string_equal(s, "\xF0\x9F\x98\x80\xEF\xB8\x8F<U+FE00><U+FE01>");
	free(s);
	s = one_line("a\xE2\x80\x8C\xE2\x80\x8C" "b", 20, &used);
	assert_string_equal(s, "a\xE2\x80\x8C<U+200C>b");
	free(s);
	/* Hangul jamo: a wide initial plus vowel and final in one cell */
	struct text_cell c[4];
	const char *h = "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8";
	assert_int_equal(text_line_cells(h, strlen(h), 4, c, &used), 1);
	assert_int_equal(used, 2);
	assert_int_equal(c[0].cp[2], 0x11A8);
}

static void t_cells_clip(void **st)
{
	(void)st;
	int used;
	char *s = one_line("ab\xE4\xB8\xAD", 3, &used);   /* wide char does not fit in 1 */
	assert_string_equal(s, "ab");
	assert_int_equal(used, 2);
	free(s);
	s = one_line("a\xE2\x80\xAE", 4, &used);          /* escaped form cut at the edge */
	assert_string_equal(s, "a<U+");
	assert_int_equal(used, 4);
	free(s);
	s = one_line("line1\nline2", 40, &used);
	assert_string_equal(s, "line1\\nline2");
	free(s);
	s = one_line("anything", 0, &used);
	assert_string_equal(s, "");
	assert_int_equal(used, 0);
	free(s);
}

/* ---- grapheme clusters ---- */

#define FAMILY "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"   /* man ZWJ woman ZWJ girl */
#define BOY "\xF0\x9F\x91\xA6"
#define ZWJ_ "\xE2\x80\x8D"
#define FR "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7"                     /* regional indicators F R */
#define TONE "\xF0\x9F\x8F\xBD"                                   /* skin tone modifier */

/* columns and cells of s laid out on one line */
static int cols(const char *s, int *ncells)
{
	struct text_cell c[64];
	int used, n = text_line_cells(s, strlen(s), 64, c, &used);
	if (ncells) *ncells = n;
	assert_int_equal((size_t)used, text_width(s, strlen(s)));
	return used;
}

/* the widths tmux 3.3 gives (checked with cursor_x after printing each) */
static void t_cluster_widths(void **st)
{
	(void)st;
	int n;
	assert_int_equal(cols(FAMILY, &n), 2);                      /* 👨‍👩‍👧: 2 columns, one cell */
	assert_int_equal(n, 1);
	assert_int_equal(cols("e\xCC\x81", &n), 1);                 /* e + U+0301: 1 */
	assert_int_equal(n, 1);
	assert_int_equal(cols(FR, &n), 2);                          /* 🇫🇷: 2, one cell */
	assert_int_equal(n, 1);
	assert_int_equal(cols("\xE6\xBC\xA2", &n), 2);              /* 漢: 2 */
	assert_int_equal(cols(FR "\xF0\x9F\x87\xA9", &n), 3);       /* a flag and a lone indicator */
	assert_int_equal(n, 2);
	assert_int_equal(cols("\xF0\x9F\x91\x8D" TONE, &n), 4);     /* 👍🏽: the tone takes its own two */
	assert_int_equal(n, 2);
	assert_int_equal(cols("\xF0\x9F\x91\xA9" TONE ZWJ_ "\xF0\x9F\x92\xBB", &n), 4);   /* 👩 + 🏽‍💻 */
	assert_int_equal(n, 2);
	assert_int_equal(cols("\xF0\x9F\x8F\xB3\xEF\xB8\x8F" ZWJ_ "\xF0\x9F\x8C\x88", &n), 1);   /* 🏳️‍🌈: as wide as 🏳 */
	assert_int_equal(n, 1);
	assert_int_equal(cols("\xE0\xA4\x95\xE0\xA4\xBF", &n), 2);  /* कि: the spacing mark takes a column */
	assert_int_equal(cols("1\xEF\xB8\x8F\xE2\x83\xA3", &n), 1); /* keycap 1️⃣ */
	assert_int_equal(n, 1);
}

static void t_cluster_cells(void **st)
{
	(void)st;
	struct text_cell c[8];
	int used;
	assert_int_equal(text_line_cells(FAMILY, strlen(FAMILY), 8, c, &used), 1);
	assert_int_equal(c[0].width, 2);
	assert_int_equal(c[0].flags, 0);
	assert_int_equal(c[0].cp[1], 0x200D);
	assert_int_equal(c[0].cp[4], 0x1F467);
	assert_int_equal(text_line_cells(FR, strlen(FR), 8, c, &used), 1);
	assert_int_equal(c[0].width, 2);
	assert_int_equal(c[0].cp[1], 0x1F1F7);
	/* a flag or a ZWJ sequence is never split by a line end */
	LINES("ab" FAMILY, 3, "ab", FAMILY);
	LINES("a" FR "b", 2, "a", FR, "b");
	LINES(FAMILY FAMILY, 3, FAMILY, FAMILY);
}

static void t_cluster_joiner(void **st)
{
	(void)st;
	char *s;
	/* five code points fill a cell: the joiner after them is escaped */
	s = one_line(FAMILY ZWJ_ BOY, 40, NULL);
	assert_string_equal(s, FAMILY "<U+200D>" BOY);
	free(s);
	assert_int_equal(cols(FAMILY ZWJ_ BOY, NULL), 2 + 8 + 2);
	/* a joiner outside an emoji sequence is escaped */
	s = one_line("a" ZWJ_ "b " ZWJ_ BOY " " BOY ZWJ_, 40, NULL);
	assert_string_equal(s, "a<U+200D>b <U+200D>" BOY " " BOY "<U+200D>");
	free(s);
	s = one_line("\xE6\xBC\xA2" ZWJ_ "\xE6\xBC\xA2", 40, NULL);   /* 漢‍漢: not emoji */
	assert_string_equal(s, "\xE6\xBC\xA2<U+200D>\xE6\xBC\xA2");
	free(s);
	/* escaped lines keep an emoji sequence whole, however long */
	ESC(FAMILY ZWJ_ BOY, FAMILY ZWJ_ BOY);
	ESC("a" ZWJ_ "b", "a<U+200D>b");
	ESC("c" ZWJ_ "\xCC\x81", "c<U+200D>\xCC\x81");   /* a mark after it is no pictograph */
	ESC(BOY ZWJ_, BOY "<U+200D>");
	ESC(ZWJ_ BOY, "<U+200D>" BOY);
	ESC("\xE2\x80\xAE" ZWJ_ BOY, "<U+202E><U+200D>" BOY);
	/* JSON keeps writing it as an escape (the files goldset writes do not change) */
	char *j = text_json_safe("\"" FAMILY "\"");
	assert_string_equal(j, "\"\xF0\x9F\x91\xA8\\u200d\xF0\x9F\x91\xA9\\u200d\xF0\x9F\x91\xA7\"");
	free(j);
}

/* outside a UTF-8 locale every non-ASCII character is escaped on screen;
 * unassigned code points always are */
static void t_cluster_locale(void **st)
{
	(void)st;
	char *s = one_line("\xE2\x80\x8B\xCD\xB8" "a", 40, NULL);   /* U+200B, unassigned U+0378 */
	assert_string_equal(s, "<U+200B><U+0378>a");
	free(s);
	assert_non_null(setlocale(LC_ALL, "C"));
	s = one_line("e\xCC\x81" FAMILY, 80, NULL);
	assert_string_equal(s, "e<U+0301><U+1F468><U+200D><U+1F469><U+200D><U+1F467>");
	free(s);
	assert_non_null(setlocale(LC_ALL, "C.UTF-8"));
}

/* ---- wrapping ---- */

static void t_wrap_words(void **st)
{
	(void)st;
	LINES("hello world", 5, "hello", "world");
	LINES("hello world", 80, "hello world");
	LINES("the quick brown fox", 10, "the quick ", "brown fox");
	LINES("abcdefghij", 4, "abcd", "efgh", "ij");
	LINES("a abcdefghij", 4, "a ", "abcd", "efgh", "ij");
	LINES("aaa    bbb", 4, "aaa ", "bbb");        /* blanks at the edge are swallowed */
	LINES("    indented_word", 8, "    inde", "nted_wor", "d");
	LINES("", 10, "");
	LINES("a\nb\n", 10, "a", "b");
	LINES("\n\n", 10, "", "");
	LINES("a\r\nb", 10, "a^M", "b");
}

static void t_wrap_width1_2(void **st)
{
	(void)st;
	LINES("ab c", 1, "a", "b", "c");
	LINES("ab cd", 2, "ab", "cd");
	/* a wide character cannot be shown in one column: a flagged '?' */
	LINES("a\xE4\xB8\xAD" "b", 1, "a", "?", "b");
	LINES("a\xE4\xB8\xAD" "b", 2, "a", "\xE4\xB8\xAD", "b");
	LINES("\x1b", 1, "^", "[");
	LINES("\x1b", 2, "^[");
	LINES("\xE2\x80\xAE", 1, "<", "U", "+", "2", "0", "2", "E", ">");
	struct text_wrap *w = text_wrap_new("\xE4\xB8\xAD", 3, 1);
	struct text_cell c[1];
	assert_int_equal(text_wrap_line(w, 0, c), 1);
	assert_int_equal(c[0].width, 1);
	assert_int_equal(c[0].flags, TEXT_ESC);
	text_wrap_free(w);
}

static void t_wrap_wide_and_marks(void **st)
{
	(void)st;
	LINES("\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD", 5, "\xE4\xB8\xAD\xE4\xB8\xAD", "\xE4\xB8\xAD");
	LINES("ab\xF0\x9F\x98\x80", 3, "ab", "\xF0\x9F\x98\x80");
	LINES("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2, "e\xCC\x81" "e\xCC\x81", "e\xCC\x81");
	LINES("xe\xCC\x81", 1, "x", "e\xCC\x81");
}

static void t_wrap_escapes(void **st)
{
	(void)st;
	LINES("\x1b[2J", 5, "^[[2J");
	LINES("ab\xE2\x80\xAE", 5, "ab<U+", "202E>");   /* cut like a long word */
	LINES("x \xE2\x80\xAE", 9, "x ", "<U+202E>");   /* moves whole after a blank */
	LINES("xy\xE2\x80\xAE", 9, "xy", "<U+202E>");   /* moves whole rather than cut */
	LINES("\xE2\x80\xAE\xE2\x80\xAE", 5, "<U+20", "2E><U", "+202E", ">");
}

static void t_wrap_tabs(void **st)
{
	(void)st;
	LINES("a\tb", 80, "a       b");
	LINES("\tx", 80, "        x");
	LINES("ab\tcd", 5, "ab   ", "cd");
	LINES("abcde\tf", 5, "abcde", "f");
	LINES("\t\t", 4, "    ");
	LINES("\t\tx", 4, "    ", "x");
	LINES("abcd  \nx", 4, "abcd", "x");
}

/* content is never lost or repeated: the non-blank cells of every width
 * match those of a very wide layout */
static char *flat(const char *s, size_t n, int width)
{
	struct text_wrap *w = text_wrap_new(s, n, width);
	struct text_cell *c = xcalloc((size_t)width, sizeof *c);
	struct sbuf b = {0};
	sb_addn(&b, "", 0);
	for (size_t i = 0; i < text_wrap_lines(w); i++) {
		int k = text_wrap_line(w, i, c);
		assert_true(cells_width(c, k) <= width);
		for (int j = 0; j < k; j++) {
			if (c[j].cp[0] == ' ' && !c[j].cp[1]) continue;
			char *one = cells_str(&c[j], 1);
			sb_add(&b, one);
			free(one);
		}
	}
	free(c);
	text_wrap_free(w);
	return sb_take(&b);
}

static const char hostile[] =
	"Title\x1b]0;pwned\x07 and \x1b[2J\x1b[H cleared\r\n"
	"bidi: abc\xE2\x80\xAE" "fdp.exe \xE2\x81\xA6iso\xE2\x81\xA9 c1:\xC2\x9B" "31m raw:\x9b" "31m\n"
	"\xE4\xB8\xAD\xE6\x96\x87\xE5\xAD\x97 emoji \xF0\x9F\x98\x80\xF0\x9F\x91\x8D"
	" e\xCC\x81\xCC\x82 bad:\xC0\xAF\xED\xA0\x80\xF0\x9F\x98\n"
	"\tTabbed\ttext with a verylongwordthatkeepsgoingandgoing.\x7f\x08\x07\n";

static void t_wrap_no_loss(void **st)
{
	(void)st;
	char *ref = flat(hostile, sizeof hostile - 1, 1 << 16);
	static const int widths[] = {2, 3, 4, 5, 7, 8, 9, 13, 40, 80};
	for (size_t i = 0; i < ARRAY_LEN(widths); i++) {
		char *got = flat(hostile, sizeof hostile - 1, widths[i]);
		assert_string_equal(got, ref);
		free(got);
	}
	free(ref);
}

static void t_wrap_resize_find(void **st)
{
	(void)st;
	const char *s = "one two three four five six seven eight nine ten";
	struct text_wrap *w = text_wrap_new(s, strlen(s), 80);
	assert_int_equal(text_wrap_lines(w), 1);
	text_wrap_set_width(w, 10);
	assert_int_equal(text_wrap_width(w), 10);
	size_t nl = text_wrap_lines(w);
	assert_true(nl >= 5);
	size_t off = (size_t)(strstr(s, "seven") - s);
	size_t line = text_wrap_find(w, off);
	char *l = wline(w, line);
	assert_non_null(strstr(l, "seven"));
	free(l);
	assert_true(text_wrap_offset(w, line) <= off);
	assert_int_equal(text_wrap_offset(w, nl), strlen(s));
	assert_int_equal(text_wrap_line(w, nl, NULL), 0);
	text_wrap_set_width(w, 0);
	assert_int_equal(text_wrap_width(w), 1);
	text_wrap_free(w);
}

/* 1 MB of mixed text: wrapped once, every line fits, any line is reachable */
static void t_wrap_1mb(void **st)
{
	(void)st;
	static const char *words[] = {"lorem", "ipsum", "\xE4\xB8\xAD\xE6\x96\x87",
		"\xF0\x9F\x98\x80", "e\xCC\x81t\xC3\xA9", "\x1b[31m", "\xE2\x80\xAE", "tab\t",
		"supercalifragilisticexpialidocious", "\n", "\xff"};
	struct sbuf b = {0};
	unsigned long x = 1;
	while (b.len < (1u << 20)) {
		x = x * 6364136223846793005UL + 1442695040888963407UL;
		sb_add(&b, words[(x >> 33) % ARRAY_LEN(words)]);
		sb_addc(&b, ' ');
	}
	static const int widths[] = {80, 1, 5};
	struct text_cell c[80];
	for (size_t k = 0; k < ARRAY_LEN(widths); k++) {
		struct text_wrap *w = text_wrap_new(b.p, b.len, widths[k]);
		size_t n = text_wrap_lines(w);
		assert_true(n > b.len / (size_t)(widths[k] * 40));
		for (size_t i = 0; i < n; i += 997)
			assert_true(cells_width(c, text_wrap_line(w, i, c)) <= widths[k]);
		assert_true(cells_width(c, text_wrap_line(w, n - 1, c)) <= widths[k]);
		assert_int_equal(text_wrap_find(w, b.len - 1), n - 1);
		text_wrap_free(w);
	}
	sb_free(&b);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8")) return 77;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_decode_valid),
		cmocka_unit_test(t_decode_invalid),
		cmocka_unit_test(t_escape_terminal_controls),
		cmocka_unit_test(t_escape_hidden),
		cmocka_unit_test(t_escape_keeps_text),
		cmocka_unit_test(t_escape_random),
		cmocka_unit_test(t_cells_flags),
		cmocka_unit_test(t_cells_widths),
		cmocka_unit_test(t_cells_combining),
		cmocka_unit_test(t_cells_clip),
		cmocka_unit_test(t_cluster_widths),
		cmocka_unit_test(t_cluster_cells),
		cmocka_unit_test(t_cluster_joiner),
		cmocka_unit_test(t_cluster_locale),
		cmocka_unit_test(t_wrap_words),
		cmocka_unit_test(t_wrap_width1_2),
		cmocka_unit_test(t_wrap_wide_and_marks),
		cmocka_unit_test(t_wrap_escapes),
		cmocka_unit_test(t_wrap_tabs),
		cmocka_unit_test(t_wrap_no_loss),
		cmocka_unit_test(t_wrap_resize_find),
		cmocka_unit_test(t_wrap_1mb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
