/* pair_screen.h: the pairwise comparison screen (HACKING "Screens",
 * `goldset pair`). src/tui/pair.c draws a pairwise labeling session
 * (session.h: the options, the design, the sides shown, saves, undo and
 * marks) and maps keys to it; src/cmd/cmd-pair.c parses the options and
 * opens the workspace. */
#ifndef GOLDSET_PAIR_SCREEN_H
#define GOLDSET_PAIR_SCREEN_H
#include "session.h"

#define PAIR_WIDE_COLS 120        /* from here A and B sit side by side */

/* Runs the screen until q (or input is lost). 0 when the rater quit; an
 * exit code and e->msg when it could not start (no terminal, no pairwise
 * items); 128 + signal when a signal ended it. */
int pair_screen(const struct pair_opts *o, struct pair_result *res, struct gs_err *e);

#endif
