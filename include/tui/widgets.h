/* tui.h: the terminal layer shared by every screen (src/tui/widgets.c).
 * It owns ncurses set-up and tear-down, colours, the main loop, and the
 * widgets screens are built from: rules and scroll bars, a progress bar,
 * title and status lines, a help overlay and a one-line prompt. The one
 * scrolling text pane is itemview.h's document (an idoc).
 *
 * Every string a widget draws goes through text.c's cells, so untrusted text
 * can be passed to any of them as is; every widget clips to its rectangle
 * and to the screen, however small. Coordinates are screen rows and columns
 * (0-based); nothing here needs curses.h, so commands can include it.
 *
 * A screen is a state plus draw() and key() (the ncdu way):
 *
 *     static void lbl_draw(void *st);          // draws the whole screen; no refresh
 *     static int lbl_key(void *st, int key, int is_keycode);
 *     struct tui_screen s = {lbl_draw, lbl_key, &state};
 *     int rc = tui_run(&s);
 *
 * key is a character (from get_wch) or, when is_keycode, a curses KEY_*
 * code; key() returns TUI_CONTINUE, or anything else to end tui_run(). */
#ifndef GOLDSET_TUI_H
#define GOLDSET_TUI_H
#include <stddef.h>

enum tui_style {
	TUI_NORMAL,
	TUI_ESCAPED,    /* cells of an escaped form (^[, <U+202E>) and U+FFFD */
	TUI_TITLE,      /* title line */
	TUI_STATUS,     /* status line */
	TUI_KEY,        /* a key name in hints and help */
	TUI_DIM,
	TUI_SELECTED,
	TUI_BAR,        /* the done part of a progress bar */
	TUI_WARN,
	TUI_GOOD,
	TUI_NSTYLES
};

#define TUI_CONTINUE 0
#define TUI_LOST (-1)   /* tui_run: input gone (EOF) or SIGINT/SIGTERM/SIGHUP */

/* Starts curses: locale, cbreak, noecho, keypad, no cursor, colours on the
 * terminal's default colours unless NO_COLOR is set. 0, or -1 when stdin or
 * stdout is not a terminal or the terminal type is unknown. */
int tui_init(void);
void tui_end(void);            /* restores the terminal; safe to call twice */
int tui_signal(void);          /* the signal that stopped tui_run, or 0 */
int tui_rows(void);
int tui_cols(void);

/* ---- drawing a line of text (untrusted is fine) ---- */
/* draws s from (y, x) in at most w columns; returns the columns used */
int tui_text(int y, int x, int w, enum tui_style st, const char *s);
int tui_textn(int y, int x, int w, enum tui_style st, const char *s, size_t n);
int tui_textf(int y, int x, int w, enum tui_style st, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void tui_fill(int y, int x, int w, enum tui_style st);   /* w blank columns */
int tui_text_width(const char *s);                        /* columns s takes */

/* ---- title, progress, status ---- */
struct tui_key { const char *key, *what; };

/* row y in title style: left at the left, right flush right (dropped first) */
void tui_title(int y, const char *left, const char *right);
/* "[#####-----] 37/300" in w columns; only the count when w is small */
void tui_progress(int y, int x, int w, long done, long total);
/* "key what  key what ..." with keys highlighted; whole hints only */
void tui_hints(int y, int x, int w, const struct tui_key *keys, size_t n);
/* row y: msg (may be NULL) in style st, then the key hints */
void tui_status(int y, const char *msg, enum tui_style st, const struct tui_key *keys, size_t n);

/* ---- rules and scroll bars ---- */
void tui_hline(int y, int x, int w);   /* a horizontal rule of w columns */
void tui_vline(int y, int x, int h);   /* a vertical rule of h rows */
/* a scroll bar in column x, rows [y, y + h), for lines of text whose line
 * top is at the top of the view; nothing when the text fits */
void tui_scrollbar(int y, int x, int h, size_t top, size_t lines);

/* ---- screens ---- */
struct tui_screen {
	void (*draw)(void *st);
	int (*key)(void *st, int key, int is_keycode);
	void *st;
};
/* draw, wait for a key, redraw on resize, dispatch; returns what key()
 * returned to stop, or TUI_LOST */
int tui_run(struct tui_screen *s);

/* a centred box listing key bindings, drawn over the screen */
void tui_help_draw(const char *title, const struct tui_key *keys, size_t n);
/* the same as a modal: bg (may be NULL) below, until any key */
void tui_help(struct tui_screen *bg, const char *title, const struct tui_key *keys, size_t n);

/* after an Esc key: 1 when it came alone (a screen closes), 0 when it began
 * an escape sequence, read to its end and dropped (no key of it acts) */
int tui_esc_alone(void);

/* One-line prompt on the bottom row over bg (may be NULL), starting with
 * init (may be NULL). Enter: 1 and *out a malloc'd UTF-8 string; Esc: 0;
 * TUI_LOST when input is gone. Control characters typed are ignored. */
int tui_prompt(struct tui_screen *bg, const char *label, const char *init, char **out);
/* the same where Tab completes: complete(ctx, text, note) returns the text
 * to put in the prompt's place (malloc'd) or NULL to keep it, and may
 * write a short note (shown dim at the right of the prompt) */
typedef char *(*tui_complete_fn)(void *ctx, const char *text, char note[64]);
int tui_prompt_complete(struct tui_screen *bg, const char *label, const char *init, tui_complete_fn complete,
			void *ctx, char **out);
#endif
