/* label_screen.h: the labeling screen (HACKING "Screens", `goldset label`).
 * src/tui/label.c draws a labeling session (session.h: the options, the
 * queue, saves, undo and marks, and label_save, the save Enter makes) and
 * maps keys to it; src/cmd/cmd-label.c parses the options and opens the
 * workspace. */
#ifndef GOLDSET_LABEL_SCREEN_H
#define GOLDSET_LABEL_SCREEN_H
#include "session.h"

/* Runs the screen until q (or input is lost). 0 when the rater quit; an
 * exit code and e->msg when it could not start (no terminal, no items);
 * 128 + signal when a signal ended it. *saved gets the labels saved. */
int label_screen(const struct label_opts *o, long *saved, struct gs_err *e);

/* benchmark hook: with GOLDSET_EXIT_AFTER_DRAW=1 in the environment the
 * screen exits right after drawing its first item (start-up timing) */
#define LABEL_EXIT_AFTER_DRAW_ENV "GOLDSET_EXIT_AFTER_DRAW"
#endif
