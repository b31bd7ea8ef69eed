/* itemlist.h: finding items on the label, pair and review screens
 * (src/tui/itemlist.c): the g prompt (an id, Tab completes), the / prompt
 * (a search; Enter on nothing and . go on to the next match) and the l
 * list of the items with their state, drawn over the whole screen. What
 * they do is app/session_find.h's; the session's msg says what happened.
 * Each returns TUI_LOST when input is gone, else TUI_CONTINUE. */
#ifndef GOLDSET_ITEMLIST_H
#define GOLDSET_ITEMLIST_H
#include "app/session_find.h"
#include "tui/widgets.h"

int itemlist_goto(struct tui_screen *bg, struct session_find *f);
/* again: the last search at once, without a prompt */
int itemlist_search(struct tui_screen *bg, struct session_find *f, int again);
int itemlist_browse(struct session_find *f, const char *title);

/* the keys for a screen's ? help: one row, so that pair's fits 24 rows */
#define ITEMLIST_HELP {"g  /  .  l", "go to an id (Tab completes), search, next match, list"}
#endif
