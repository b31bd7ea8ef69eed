/* discuss_screen.h: the disagreement walk of `goldset calibrate discuss`
 * (src/tui/discuss.c). Like resolving merge conflicts: one disagreement at
 * a time (an item and one criterion), each rater's value and comment side
 * by side, keys to record the agreed value and the cause, and a note. The
 * screen draws a discuss session (session.h: the options, the outcomes,
 * the consensus rows it writes) and maps keys to it; the command
 * (src/cmd/cmd-calibrate.c) builds the table and the list. */
#ifndef GOLDSET_DISCUSS_SCREEN_H
#define GOLDSET_DISCUSS_SCREEN_H
#include "session.h"

/* Runs the screen until q. out[n] gets the state of every point (free the
 * notes with discuss_outcome_free). 0; or an exit code with e->msg when it
 * cannot start (no terminal); 128 + signal when a signal ended it. */
int discuss_screen(const struct discuss_opts *o, struct discuss_outcome *out, struct gs_err *e);
#endif
