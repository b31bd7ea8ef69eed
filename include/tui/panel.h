/* panel.h: panels of rows laid out top to bottom (src/tui/panel.c), the
 * one layout behind the rubric panel of `goldset label`, the labels table
 * of `goldset review` and the conflict of `goldset calibrate discuss`.
 *
 * A panel is a function that lays its rows out in a struct flow, one
 * fl_row or fl_para after the other. Run with draw 0 it only measures (the
 * lines it takes, the lines of the focused block); run with draw 1 it
 * paints the lines in [skip, skip + h) at rows y... Levels trade detail for
 * rows, and every text is wrapped at each of them (never cut at the edge):
 * 0 everything with blank lines between the parts, 1 (tight) no blank
 * lines, 2 and a rater's anchor left out where the options below show it,
 * PANEL_COMPACT choices as one row of keys; rows of a priority above
 * maxprio are left out (0 always shows). What does not fit scrolls so that
 * the focused block [fa, fb) shows. */
#ifndef GOLDSET_PANEL_H
#define GOLDSET_PANEL_H
#include "tui/widgets.h"

struct idoc;

#define PANEL_COMPACT 3

struct flow {
	int y, x, w, h;           /* where it draws */
	int draw;                 /* 0: measure only */
	int tight;                /* level >= 1: no blank lines */
	int anchors_once;         /* level >= 2: an anchor only where its option is listed */
	int compact;              /* level PANEL_COMPACT */
	int maxprio;
	long line;                /* the next line */
	long skip;                /* the first line drawn */
	long fa, fb;              /* the focused block: lines [fa, fb) */
};

/* the panel's rows; ctx is the screen */
typedef void (*panel_fn)(const void *ctx, struct flow *f);

/* takes the next line: the screen row to draw it on, or -1 (not drawn) */
int fl_row(struct flow *f, int prio);
/* the screen row of a line already taken, or -1 */
int fl_at(const struct flow *f, long line);
/* a paragraph wrapped to the panel at indent (at every level); returns
 * the row of its first line or -1 */
int fl_para(struct flow *f, int prio, int indent, enum tui_style st, const char *s);
void fl_blank(struct flow *f);   /* an empty line, except when tight */

/* runs fn at width w and level without drawing; *m gets the measure */
long panel_measure(panel_fn fn, const void *ctx, int w, int level, int maxprio, struct flow *m);
/* the fullest level that fits in h rows, then fewer priorities: *m */
void panel_fit(panel_fn fn, const void *ctx, int w, int h, struct flow *m);
/* draws at (y, x) in h rows as measured in m, scrolled as little as shows
 * the focused block */
void panel_draw(panel_fn fn, const void *ctx, const struct flow *m, int y, int x, int h);

/* an item's document and a panel (at the fullest level that fits) in rows
 * [y, y + h): side by side, the panel in the right half */
void panel_side(struct idoc *doc, panel_fn fn, const void *ctx, int y, int h, int cols);
/* the document above a rule and ph rows of panel; when no row is left for
 * the document, item_min rows of it, no rule, the panel in the rest */
void panel_below(struct idoc *doc, panel_fn fn, const void *ctx, int y, int h, int cols, int ph, int item_min);
#endif
