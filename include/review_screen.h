/* review_screen.h: the weekly review screen of `goldset review`
 * (src/tui/review.c). It draws a review session (session.h: the options,
 * what happened to each item, the consensus and review rows it writes) and
 * maps keys to it. src/cmd/cmd-review.c picks the items, builds the table
 * and writes the Markdown summary from what the screen reports back. */
#ifndef GOLDSET_REVIEW_SCREEN_H
#define GOLDSET_REVIEW_SCREEN_H
#include "session.h"

/* Runs the screen until q. out[n] (zeroed by the caller) gets each item's
 * outcome (free with review_out_free). 0; an exit code with e->msg when it
 * cannot start; 128 + signal when a signal ended it. */
int review_screen(const struct review_opts *o, struct review_out *out, struct gs_err *e);
#endif
