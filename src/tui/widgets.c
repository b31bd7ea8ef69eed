/* widgets.c: ncurses set-up, the main loop and the widgets every screen is
 * built from (see tui.h). With the screens, the only user of curses.h.
 *
 * Safety rule: nothing here hands bytes to curses. Every string becomes
 * text.c cells (escaped forms for controls and invisible characters, U+FFFD
 * for invalid UTF-8), each drawn with mvadd_wch at a position checked
 * against the widget's rectangle and the screen. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/widgets.h"
#include "base/text.h"
#include "base/util.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#define MAX_INPUT 4096        /* code points in a prompt */
#define MAX_ERRS 100          /* consecutive read errors before giving up */
#define ESC_FOLLOW_MS 25      /* keys this close after an Esc belong to it */
#define MAX_ESC_SEQ 256       /* keys of an escape sequence dropped at most */

struct style { attr_t attr; short pair; };

static struct style styles[TUI_NSTYLES];
static int active, utf8;
static volatile sig_atomic_t stop_sig;
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction saved[ARRAY_LEN(caught)];

/* ---- set-up ---- */

static void on_signal(int sig)
{
	if (stop_sig) {   /* asked twice: stop now */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_sig = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;   /* no SA_RESTART: a blocked read returns */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_LEN(caught); i++) sigaction(caught[i], &sa, &saved[i]);
}

static void release_signals(void)
{
	for (size_t i = 0; i < ARRAY_LEN(caught); i++) sigaction(caught[i], &saved[i], NULL);
}

static void set_style(enum tui_style s, attr_t attr, short fg)
{
	static short next_pair = 1;
	styles[s].attr = attr;
	styles[s].pair = 0;
	if (fg < 0) return;
	if (init_pair(next_pair, fg, -1) == OK) styles[s].pair = next_pair++;
}

static int want_colour(void)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc) return 0;
	return has_colors() && start_color() == OK && use_default_colors() == OK;
}

static void setup_styles(void)
{
	int c = want_colour();
	set_style(TUI_NORMAL, A_NORMAL, -1);
	set_style(TUI_ESCAPED, c ? A_BOLD : A_REVERSE, c ? COLOR_MAGENTA : -1);
	set_style(TUI_TITLE, A_REVERSE | A_BOLD, -1);
	set_style(TUI_STATUS, A_NORMAL, -1);
	set_style(TUI_KEY, A_BOLD, c ? COLOR_CYAN : -1);
	set_style(TUI_DIM, A_DIM, -1);
	set_style(TUI_SELECTED, A_REVERSE, -1);
	set_style(TUI_BAR, c ? A_BOLD : A_REVERSE, c ? COLOR_GREEN : -1);
	set_style(TUI_WARN, A_BOLD, c ? COLOR_RED : -1);
	set_style(TUI_GOOD, A_BOLD, c ? COLOR_GREEN : -1);
}

int tui_init(void)
{
	static int registered;
	if (active) return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return -1;
	utf8 = text_setlocale();
	if (!newterm(NULL, stdout, stdin)) return -1;
	active = 1;
	if (!registered) atexit(tui_end);
	registered = 1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	intrflush(stdscr, FALSE);
	if (!getenv("ESCDELAY")) set_escdelay(25);
	curs_set(0);
	setup_styles();
	stop_sig = 0;
	catch_signals();
	return 0;
}

void tui_end(void)
{
	if (!active) return;
	active = 0;
	curs_set(1);
	endwin();
	release_signals();
}

int tui_signal(void) { return stop_sig; }
int tui_rows(void) { return active ? LINES : 0; }
int tui_cols(void) { return active ? COLS : 0; }

/* ---- cells ---- */

/* clamps a row segment to the screen: 0 when nothing of it is visible */
static int clip(int y, int x, int *w)
{
	if (!active || y < 0 || y >= LINES || x < 0 || x >= COLS || *w <= 0) return 0;
	if (*w > COLS - x) *w = COLS - x;
	return 1;
}

/* code points cp[0..n) in the cell at (y, x): setcchar() takes the first
 * (it would drop what follows the next one that has a width), the others
 * are placed after it, so that an emoji ZWJ sequence reaches the terminal
 * whole */
static void put_cps(int y, int x, const uint32_t *cp, int n, const struct style *s)
{
	wchar_t wc[2] = {!utf8 && cp[0] >= 0x80 ? L'?' : (wchar_t)cp[0], 0};
	cchar_t cc;
	if (setcchar(&cc, wc, s->attr, s->pair, NULL) != OK) return;
	for (int k = 1; k < n && k < CCHARW_MAX && utf8; k++) cc.chars[k] = (wchar_t)cp[k];
	mvadd_wch(y, x, &cc);
}

/* ncurses gives a cell the width of its first code point: a cell wider
 * than that (a flag, two regional indicators of one column each) is drawn
 * a code point a column, and the terminal joins them */
static void put_cell(int y, int x, const struct text_cell *c, enum tui_style st)
{
	const struct style *s = &styles[c->flags ? TUI_ESCAPED : st];
	int n = 0;
	while (n < TEXT_CELL_CPS && c->cp[n]) n++;
	if (c->width > 1 && wcwidth((wchar_t)c->cp[0]) == 1)
		for (int k = 0; k < n && k < c->width; k++) put_cps(y, x + k, &c->cp[k], 1, s);
	else
		put_cps(y, x, c->cp, n, s);
}

/* draws cells from (y, x) in at most w columns; returns the columns used */
static int put_cells(int y, int x, int w, const struct text_cell *c, int n, enum tui_style st)
{
	if (!clip(y, x, &w)) return 0;
	int col = 0;
	for (int i = 0; i < n && col + c[i].width <= w; i++) {
		put_cell(y, x + col, &c[i], st);
		col += c[i].width;
	}
	return col;
}

void tui_fill(int y, int x, int w, enum tui_style st)
{
	if (!clip(y, x, &w)) return;
	struct text_cell sp = {.cp = {' '}, .width = 1};
	for (int i = 0; i < w; i++) put_cell(y, x + i, &sp, st);
}

int tui_textn(int y, int x, int w, enum tui_style st, const char *s, size_t n)
{
	if (!s || !clip(y, x, &w)) return 0;
	struct text_cell *c = xmalloc((size_t)w * sizeof *c);
	int used;
	int k = text_line_cells(s, n, w, c, &used);
	put_cells(y, x, w, c, k, st);
	free(c);
	return used;
}

int tui_text(int y, int x, int w, enum tui_style st, const char *s)
{
	return s ? tui_textn(y, x, w, st, s, strlen(s)) : 0;
}

int tui_textf(int y, int x, int w, enum tui_style st, const char *fmt, ...)
{
	char small[256], *buf = small;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) return 0;
	if ((size_t)n >= sizeof small) {
		buf = xmalloc((size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	int used = tui_textn(y, x, w, st, buf, (size_t)n);
	if (buf != small) free(buf);
	return used;
}

int tui_text_width(const char *s)
{
	size_t w = s ? text_width(s, strlen(s)) : 0;
	return w > 1000000 ? 1000000 : (int)w;
}

/* ---- title, progress, status ---- */

void tui_title(int y, const char *left, const char *right)
{
	if (!active) return;
	int cols = COLS, rw = right ? tui_text_width(right) : 0;
	tui_fill(y, 0, cols, TUI_TITLE);
	if (rw && rw + 2 <= cols - 1 - (left ? 8 : 0)) {
		tui_text(y, cols - 1 - rw, rw, TUI_TITLE, right);
		cols -= rw + 2;
	}
	tui_text(y, 1, cols - 1, TUI_TITLE, left);
}

static int draw_bar(int y, int x, int w, long done, long total)
{
	int inner = w - 2, fill = 0;
	if (total > 0 && done > 0)
		fill = done >= total ? inner : (int)((double)done * inner / (double)total);
	tui_text(y, x, 1, TUI_NORMAL, "[");
	for (int i = 0; i < inner; i++)
		tui_text(y, x + 1 + i, 1, i < fill ? TUI_BAR : TUI_DIM, i < fill ? "#" : "-");
	tui_text(y, x + w - 1, 1, TUI_NORMAL, "]");
	return w;
}

void tui_progress(int y, int x, int w, long done, long total)
{
	char count[48];
	snprintf(count, sizeof count, "%ld/%ld", done, total);
	int cw = (int)strlen(count);
	if (w >= cw + 1 + 5) {
		draw_bar(y, x, w - cw - 1, done, total);
		tui_text(y, x + w - cw, cw, TUI_NORMAL, count);
	} else {
		tui_text(y, x, w, TUI_NORMAL, count);
	}
}

void tui_hints(int y, int x, int w, const struct tui_key *keys, size_t n)
{
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		int kw = tui_text_width(keys[i].key), ww = tui_text_width(keys[i].what);
		int need = (col ? 2 : 0) + kw + 1 + ww;
		if (col + need > w) break;
		if (col) col += 2;
		col += tui_text(y, x + col, kw, TUI_KEY, keys[i].key) + 1;
		col += tui_text(y, x + col, ww, TUI_STATUS, keys[i].what);
	}
}

void tui_status(int y, const char *msg, enum tui_style st, const struct tui_key *keys, size_t n)
{
	if (!active) return;
	tui_fill(y, 0, COLS, TUI_STATUS);
	int col = msg && *msg ? tui_text(y, 0, COLS, st, msg) + 2 : 0;
	tui_hints(y, col, COLS - col, keys, n);
}

/* ---- rules and scroll bars ---- */

void tui_hline(int y, int x, int w)
{
	for (int i = 0; i < w; i++)
		if (clip(y, x + i, &(int){1})) mvadd_wch(y, x + i, WACS_HLINE);
}

void tui_vline(int y, int x, int h)
{
	for (int i = 0; i < h; i++)
		if (clip(y + i, x, &(int){1})) mvadd_wch(y + i, x, WACS_VLINE);
}

void tui_scrollbar(int y, int x, int h, size_t top, size_t lines)
{
	if (h <= 0 || lines <= (size_t)h) return;
	int size = (int)((size_t)h * (size_t)h / lines);
	if (size < 1) size = 1;
	size_t m = lines - (size_t)h;
	int pos = (int)((double)(top < m ? top : m) / (double)m * (h - size) + 0.5);
	for (int r = 0; r < h; r++) {
		if (r >= pos && r < pos + size) tui_fill(y + r, x, 1, TUI_SELECTED);
		else tui_vline(y + r, x, 1);
	}
}

/* ---- the loop ---- */

/* draws bg and an overlay, then waits for a key, redrawing on resize.
 * Returns OK or KEY_CODE_YES with *ch set, or ERR when input is lost. */
static int wait_key(struct tui_screen *bg, void (*over)(void *), void *arg, wint_t *ch)
{
	for (int errs = 0; errs < MAX_ERRS && !stop_sig;) {
		erase();
		if (bg) bg->draw(bg->st);
		if (over) over(arg);
		refresh();
		int r = get_wch(ch);
		if (stop_sig) break;
		if (r == ERR) {
			errs++;
			continue;
		}
		if (r == KEY_CODE_YES && *ch == KEY_RESIZE) continue;
		return r;
	}
	return ERR;
}

int tui_run(struct tui_screen *s)
{
	if (!active) return TUI_LOST;
	for (;;) {
		wint_t ch;
		int r = wait_key(s, NULL, NULL, &ch);
		if (r == ERR) return TUI_LOST;
		int q = s->key(s->st, (int)ch, r == KEY_CODE_YES);
		if (q != TUI_CONTINUE) return q;
	}
}

/* ---- help overlay ---- */

struct help { const char *title; const struct tui_key *keys; size_t n; };

static void help_size(const struct help *h, int *kw, int *bw, int *bh)
{
	int ww = 0;
	*kw = 0;
	for (size_t i = 0; i < h->n; i++) {
		int a = tui_text_width(h->keys[i].key), b = tui_text_width(h->keys[i].what);
		if (a > *kw) *kw = a;
		if (b > ww) ww = b;
	}
	*bw = *kw + 2 + ww + 4;
	int tw = tui_text_width(h->title) + 6;
	if (*bw < tw) *bw = tw;
	*bh = (int)(h->n < 1000 ? h->n : 1000) + 4;
	if (*bw > COLS) *bw = COLS;
	if (*bh > LINES) *bh = LINES;
}

static void help_border(int y, int x, int h, int w)
{
	for (int i = 1; i < w - 1; i++) {
		mvadd_wch(y, x + i, WACS_HLINE);
		mvadd_wch(y + h - 1, x + i, WACS_HLINE);
	}
	for (int r = 1; r < h - 1; r++) {
		mvadd_wch(y + r, x, WACS_VLINE);
		mvadd_wch(y + r, x + w - 1, WACS_VLINE);
	}
	mvadd_wch(y, x, WACS_ULCORNER);
	mvadd_wch(y, x + w - 1, WACS_URCORNER);
	mvadd_wch(y + h - 1, x, WACS_LLCORNER);
	mvadd_wch(y + h - 1, x + w - 1, WACS_LRCORNER);
}

static void help_over(void *arg)
{
	const struct help *h = arg;
	int kw, bw, bh;
	help_size(h, &kw, &bw, &bh);
	int y = (LINES - bh) / 2, x = (COLS - bw) / 2, framed = bw >= 4 && bh >= 3;
	for (int r = 0; r < bh; r++) tui_fill(y + r, x, bw, TUI_NORMAL);
	if (framed) {
		help_border(y, x, bh, bw);
		tui_textf(y, x + 2, bw - 4, TUI_TITLE, " %s ", h->title ? h->title : "Keys");
	}
	int pad = framed ? 2 : 0, row0 = framed ? 2 : 0, rows = bh - (framed ? 4 : 0);
	int iw = bw - 2 * pad;
	for (int i = 0; i < rows && (size_t)i < h->n; i++) {
		if (i == rows - 1 && (size_t)rows < h->n) {
			tui_text(y + row0 + i, x + pad, iw, TUI_DIM, "...");
			break;
		}
		tui_text(y + row0 + i, x + pad, kw < iw ? kw : iw, TUI_KEY, h->keys[i].key);
		if (kw + 2 < iw) tui_text(y + row0 + i, x + pad + kw + 2, iw - kw - 2, TUI_NORMAL, h->keys[i].what);
	}
	if (framed && bw > 20) tui_text(y + bh - 1, x + bw - 18, 16, TUI_DIM, " any key closes ");
}

void tui_help_draw(const char *title, const struct tui_key *keys, size_t n)
{
	struct help h = {title, keys, n};
	if (active && LINES > 0 && COLS > 0) help_over(&h);
}

void tui_help(struct tui_screen *bg, const char *title, const struct tui_key *keys, size_t n)
{
	struct help h = {title, keys, n};
	wint_t ch;
	if (active) wait_key(bg, help_over, &h, &ch);
}

/* ---- prompt ---- */

struct prompt {
	const char *label;
	uint32_t buf[MAX_INPUT];
	size_t len, cur, first;   /* first: the first code point shown */
	char note[64];            /* what the last Tab said, at the right */
};

static char *utf8_of(const uint32_t *cp, size_t n)
{
	struct sbuf b = {0};
	sb_addn(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		char o[4];
		sb_addn(&b, o, text_encode(cp[i], o));
	}
	return sb_take(&b);
}

static int span_width(const struct prompt *p, size_t from, size_t to)
{
	char *s = utf8_of(p->buf + from, to - from);
	int w = tui_text_width(s);
	free(s);
	return w;
}

static void prompt_over(void *arg)
{
	struct prompt *p = arg;
	int y = LINES - 1, lw = tui_text_width(p->label) + 1;
	if (y < 0) return;
	tui_fill(y, 0, COLS, TUI_NORMAL);
	if (lw >= COLS - 1) lw = 0;
	if (lw) tui_text(y, 0, lw, TUI_KEY, p->label);
	int aw = COLS - lw - 1;
	if (p->cur < p->first) p->first = p->cur;
	while (p->first < p->cur && span_width(p, p->first, p->cur) > aw) p->first++;
	char *s = utf8_of(p->buf + p->first, p->len - p->first);
	int tw = tui_text(y, lw, aw + 1, TUI_NORMAL, s), nw = tui_text_width(p->note);
	free(s);
	if (nw && lw + tw + 2 + nw <= COLS) tui_text(y, COLS - nw, nw, TUI_DIM, p->note);
	int cx = lw + span_width(p, p->first, p->cur);
	move(y, cx < COLS ? cx : COLS - 1);
}

/* applies an editing key; 1 when it was one */
static int prompt_edit(struct prompt *p, wint_t ch, int code)
{
	if (code && ch == KEY_BACKSPACE) {
		ch = 0x7F;
		code = 0;
	}
	if (!code && (ch == 0x7F || ch == 8)) {
		if (!p->cur) return 1;
		memmove(p->buf + p->cur - 1, p->buf + p->cur, (p->len - p->cur) * sizeof *p->buf);
		p->len--, p->cur--;
	} else if ((code && ch == KEY_DC) || (!code && ch == 4)) {
		if (p->cur < p->len) {
			memmove(p->buf + p->cur, p->buf + p->cur + 1, (p->len - p->cur - 1) * sizeof *p->buf);
			p->len--;
		}
	} else if (code && ch == KEY_LEFT) { if (p->cur) p->cur--; }
	else if (code && ch == KEY_RIGHT) { if (p->cur < p->len) p->cur++; }
	else if ((code && ch == KEY_HOME) || (!code && ch == 1)) p->cur = 0;
	else if ((code && ch == KEY_END) || (!code && ch == 5)) p->cur = p->len;
	else if (!code && ch == 21) {   /* ^U: delete to the start */
		memmove(p->buf, p->buf + p->cur, (p->len - p->cur) * sizeof *p->buf);
		p->len -= p->cur;
		p->cur = 0;
	} else return 0;
	return 1;
}

static void prompt_insert(struct prompt *p, wint_t ch)
{
	if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) || ch > 0x10FFFF) return;
	if ((ch >= 0xD800 && ch <= 0xDFFF) || p->len >= MAX_INPUT) return;
	memmove(p->buf + p->cur + 1, p->buf + p->cur, (p->len - p->cur) * sizeof *p->buf);
	p->buf[p->cur++] = (uint32_t)ch;
	p->len++;
}

static void prompt_init(struct prompt *p, const char *label, const char *init)
{
	memset(p, 0, sizeof *p);
	p->label = label ? label : "";
	size_t n = init ? strlen(init) : 0;
	for (size_t off = 0; off < n && p->len < MAX_INPUT;) {
		uint32_t cp;
		off += text_decode(init + off, n - off, &cp);
		p->buf[p->len++] = cp;
	}
	p->cur = p->len;
}

/* the next key if one comes within ms milliseconds; ERR when none */
static int key_within(int ms, wint_t *ch)
{
	timeout(ms);
	int r = get_wch(ch);
	timeout(-1);
	return r;
}

/* After an Esc: when more keys follow at once, they are an escape sequence
 * (pasted or typed text holding ESC [2J, an OSC title, ...) and are read up
 * to its end and dropped, so that none of them acts as a key of the screen
 * behind the prompt; 1 then. 0 for an Esc alone (cancel). */
static int escape_sequence_dropped(void)
{
	wint_t ch;
	int r = key_within(ESC_FOLLOW_MS, &ch);
	if (r == ERR) return 0;
	if (r == KEY_CODE_YES || !wcschr(L"[]P_^X", (wchar_t)ch)) return 1;   /* Alt-key: one more */
	int csi = ch == '[';
	for (int i = 0; i < MAX_ESC_SEQ && key_within(ESC_FOLLOW_MS, &ch) != ERR; i++) {
		if (csi ? ch >= 0x40 && ch <= 0x7E : ch == 7 || ch == 0x9C) break;
		if (!csi && ch == 27) {   /* ST: ESC backslash */
			key_within(ESC_FOLLOW_MS, &ch);
			break;
		}
	}
	return 1;
}

int tui_esc_alone(void) { return !escape_sequence_dropped(); }

/* Tab: the completion replaces the text, its note is shown */
static void prompt_complete(struct prompt *p, tui_complete_fn complete, void *ctx)
{
	char note[64] = "", *text = utf8_of(p->buf, p->len), *done = complete(ctx, text, note);
	free(text);
	if (done) prompt_init(p, p->label, done);
	memcpy(p->note, note, sizeof note);
	p->note[sizeof note - 1] = 0;
	free(done);
}

int tui_prompt_complete(struct tui_screen *bg, const char *label, const char *init, tui_complete_fn complete,
			void *ctx, char **out)
{
	*out = NULL;
	if (!active) return TUI_LOST;
	struct prompt *p = xmalloc(sizeof *p);
	prompt_init(p, label, init);
	curs_set(1);
	int rc;
	for (;;) {
		wint_t ch;
		int r = wait_key(bg, prompt_over, p, &ch);
		if (r == ERR) { rc = TUI_LOST; break; }
		int code = r == KEY_CODE_YES;
		if (!code && ch == 27 && escape_sequence_dropped()) continue;
		if (!code && ch == 27) { rc = 0; break; }
		if ((!code && (ch == '\n' || ch == '\r')) || (code && ch == KEY_ENTER)) {
			*out = utf8_of(p->buf, p->len);
			rc = 1;
			break;
		}
		if (!code && ch == '\t' && complete) prompt_complete(p, complete, ctx);
		else if (!prompt_edit(p, ch, code) && !code) prompt_insert(p, ch);
	}
	curs_set(0);
	free(p);
	return rc;
}

int tui_prompt(struct tui_screen *bg, const char *label, const char *init, char **out)
{
	return tui_prompt_complete(bg, label, init, NULL, NULL, out);
}
