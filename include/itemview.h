/* itemview.h: how the screens (label, pair, review) draw an item. An item
 * is shown as a scrollable document of titled sections: the input (or one
 * section per chat turn, titled with its role), the output being judged,
 * and the reference when asked for; plus the item's meta on one row. The
 * document keeps no screen's state: the pairwise screen builds one document
 * for the input and one per output from the same pieces.
 *
 * Item text is untrusted: every byte reaches the terminal through text.c
 * cells (escaped controls, U+FFFD for invalid UTF-8), wrapped by display
 * width. Each section is wrapped once per width (an index of line starts),
 * so a 1 MB output scrolls without re-reading it. Implemented in
 * src/tui/itemview.c; needs tui_init() before drawing. */
#ifndef GOLDSET_ITEMVIEW_H
#define GOLDSET_ITEMVIEW_H
#include <stddef.h>

#include "tui.h"

struct item;
struct text_cell;
struct idoc;   /* a document of titled, wrapped sections */

struct idoc *idoc_new(void);
void idoc_free(struct idoc *d);
/* removes every section and scrolls to the top */
void idoc_clear(struct idoc *d);
/* appends a section: a title row in style st (NULL: no title row), then
 * text (copied; "" shows "(empty)", NULL: the title row alone) */
void idoc_add(struct idoc *d, const char *title, enum tui_style st, const char *text);
/* draws into the rectangle, rewrapping when its width changed (the line at
 * the top stays in view); the last column is a scroll bar when w >= 8 */
void idoc_draw(struct idoc *d, int y, int x, int h, int w);
/* j/k, Up/Down, PgUp/PgDn, Home/End: 1 when the key was one of them */
int idoc_key(struct idoc *d, int key, int is_keycode);
/* the help lines of the first of them (struct tui_key initialisers) */
#define IDOC_HELP {"j k  Down Up", "scroll the item"}, {"PgDn PgUp", "scroll a page"}
void idoc_scroll(struct idoc *d, long lines);   /* + down, - up, clamped at the next draw */
void idoc_home(struct idoc *d);
void idoc_end(struct idoc *d);
size_t idoc_lines(const struct idoc *d);        /* at the last drawn width */
size_t idoc_top(const struct idoc *d);          /* first line shown */
int idoc_at_end(const struct idoc *d);          /* the last line was in view at the last draw */
void idoc_set_top(struct idoc *d, size_t top);

/* the sections of a single-output item: input or chat turns, "OUTPUT",
 * and "REFERENCE" when show_ref and the item has one (else a row saying
 * that r shows it) */
void itemview_input(struct idoc *d, const struct item *it);
void itemview_single(struct idoc *d, const struct item *it, int show_ref);
/* the sections of an item as the review and discuss screens show it: it
 * NULL: a row saying it is no longer in the workspace; systems NULL: as
 * itemview_single; else the input, "OUTPUT <system>" for systems[0..n),
 * and the reference when show_ref */
void itemview_judged(struct idoc *d, const struct item *it, const char *const *systems, size_t n, int show_ref);
/* "key value  key value" of the item's meta on row y, clipped to w */
void itemview_meta(int y, int x, int w, const struct item *it);

/* draws cells (from text_wrap_line / text_line_cells) at (y, x) in at most
 * w columns; escaped and invalid ones in TUI_ESCAPED; returns the columns */
int itemview_cells(int y, int x, int w, const struct text_cell *c, int n, enum tui_style st);
/* a wrapped paragraph, for panels: draws lines [skip, skip + h) of s wrapped
 * to w at (y, x); returns how many lines s takes at that width */
size_t itemview_para(int y, int x, int w, int h, size_t skip, enum tui_style st, const char *s);
#endif
