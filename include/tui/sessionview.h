/* sessionview.h: what the four screens built on a labeling session
 * (session.h: label, pair, review, discuss) share (src/tui/sessionview.c):
 * the frame they are drawn in, the keys of the session's actions, the
 * item's document, the status row in the session's tone, the progress row,
 * the marks of the unit shown and the centred "all done" lines. A screen
 * is its own state with a struct sv in it and a struct sv_ops describing
 * it; sv_screen runs it. */
#ifndef GOLDSET_SESSIONVIEW_H
#define GOLDSET_SESSIONVIEW_H
#include "tui/panel.h"
#include "app/session.h"
#include "tui/widgets.h"

#define SV_QUIT 1                 /* what a screen's key() returns to end tui_run */
#define SV_PANEL_WIDE 100         /* from here a panel sits beside the item */

/* What a screen draws and does beside what every session screen does; st
 * is the screen. The sv follows the session: when it shows another item,
 * the item's document (sv.doc) is cleared and rebuild() fills it again;
 * when it shows another item or unit, shown(st, new_item) (may be NULL)
 * rebuilds the screen's other views.
 *
 * Drawing: row 0 the title (heading, then where the unit shown is), row 1 the info row (from info_rows rows on),
 * the last row the status (the hints), the body in between: done() when
 * nothing is shown, else the item's meta when meta_rows fit (0: never),
 * then body(), or when body is NULL the item's document and the panel:
 * side by side from SV_PANEL_WIDE columns, else the panel below in the
 * rows panel_rows() asks for (and *item_min rows of item when nothing else
 * fits).
 *
 * Keys go to the session (sv_key), then, while a unit is shown, to key()
 * (may be NULL: 1 when it took the key, *rc then what tui_run's key()
 * returns), then scroll the document, and r shows or hides the reference
 * (saying ref_shown, when not NULL). ? shows help[] and then the lines of
 * ? and q (quit_help); an unknown key says idle when nothing is shown. */
struct sv_ops {
	void (*rebuild)(void *st);
	void (*shown)(void *st, int new_item);
	char *(*heading)(const void *st);   /* the title row's text (malloc'd) */
	const char *unit;             /* "item 3/40" at its right (NULL: "pair 2 of 3 on this item") */
	void (*info)(const void *st, int y, int cols);   /* drawn after the body */
	int info_rows, meta_rows;
	void (*body)(void *st, int y, int h, int cols);
	void (*done)(const void *st, int y, int h, int cols);
	panel_fn panel;
	int (*panel_rows)(const void *st, int cols, int h, int *item_min);
	const struct tui_key *hints;
	size_t nhints;
	int (*key)(void *st, int key, int is_keycode, int *rc);
	const char *ref_shown;
	const char *help_title;       /* "goldset label: keys" */
	const struct tui_key *help;
	size_t nhelp;
	const char *quit_help, *idle;
};

struct sv {
	void *st;                     /* the screen */
	const struct sv_ops *ops;
	struct lsession *S;
	struct idoc *doc;             /* the item's document */
	int show_ref;                 /* with the reference answer */
	struct tui_screen scr;
	unsigned long item_seen, unit_seen;
	struct session_find *find;    /* g, /, l: made on first use (itemlist.h) */
};
/* runs the screen on the session opened into v->S (rc: what opening
 * returned): starts the terminal, runs until q, ends the terminal. 0 when
 * it was quit, 128 + signal when a signal ended it, or rc, or an exit code
 * with e->msg (no terminal: no_tty). The caller closes v->S (may be NULL).
 * With GOLDSET_EXIT_AFTER_DRAW set (tui/label.h; the benchmark of
 * start-up) it ends right after the first draw. */
int sv_screen(struct sv *v, int rc, const char *no_tty, struct gs_err *e);

/* The session's keys: 1-9, Tab / Shift-Tab / Left / Right, Enter,
 * Backspace, c (a prompt), f and s (label, pair), u (not review), n, p, q,
 * ?, and g / . l (label, pair, review: itemlist.h). 1 when key was one of
 * them, *rc then what key() returns. */
int sv_key(struct sv *v, int key, int is_keycode, int *rc);
void sv_unknown(struct sv *v);    /* the message for a key nobody took */
/* a one-line prompt over the screen, starting with init; on Enter apply
 * gets the text, on Esc the session says `cancelled` (may be NULL).
 * TUI_LOST when input is gone, else TUI_CONTINUE. */
int sv_prompt(struct sv *v, const char *label, const char *init, void (*apply)(struct lsession *, const char *),
	      const char *cancelled);
/* row y: the session's message in its tone, then the key hints (when
 * nothing is shown: how to browse, undo and quit) */
void sv_status(const struct lsession *S, int y, const struct tui_key *keys, size_t n);
/* "goldset CMD  RUBRIC vN  rater R  batch B  set S" and more (may be NULL), malloc'd */
char *sv_heading(const struct lsession *S, const char *cmd, const char *set, const char *more);
/* the progress bar at the right of row y, `word` before it on wide
 * screens (narrow: its width plus narrow_extra); returns the columns left */
int sv_progress(const struct lsession *S, int y, int cols, const char *word, int narrow_extra);
/* " unsaved" / " saved", " flagged", " commented", then extra (may be
 * NULL), from (y, x) in w columns; returns the columns used */
int sv_marks(const struct lsession *S, int y, int x, int w, const char *extra);
/* "m:ss" on the unit shown, two columns after col when it fits in w */
int sv_clock(const struct lsession *S, int y, int col, int w);
/* lines centred in the rectangle, the first in TUI_GOOD */
void sv_center(int y, int h, int cols, const char *const *lines, size_t n);
/* benchmark hook: with GOLDSET_EXIT_AFTER_DRAW=1 in the environment a
 * session screen exits right after drawing its first item (start-up timing) */
#define SV_EXIT_AFTER_DRAW_ENV "GOLDSET_EXIT_AFTER_DRAW"
#endif
