/* discuss_screen.h: the disagreement walk of `goldset calibrate discuss`
 * (src/tui/discuss.c). Like resolving merge conflicts: one disagreement at
 * a time (an item and one criterion), each rater's value and comment side
 * by side, keys to record the agreed value and the cause, and a note. Each
 * agreed value is a consensus row (store_consensus_add) committed before
 * the screen moves on. The command (src/cmd/cmd-calibrate.c) builds the
 * table and the list; the screen keeps its state in one struct and has a
 * draw and a key function (tui_run dispatches). */
#ifndef GOLDSET_DISCUSS_SCREEN_H
#define GOLDSET_DISCUSS_SCREEN_H
#include "calib.h"

/* one disagreement: unit u of the table, slot s */
struct discuss_point { size_t u, slot; };

struct discuss_opts {
	store *st;
	const struct calib_table *t;
	const char *batch;
	const struct discuss_point *p;
	size_t n;
	int names;                    /* --names: raters by name, not "rater 1" */
};

/* what a discussion settled, for the summary the command prints/writes */
struct discuss_outcome {
	int value;                    /* the agreed slot value, -1 none */
	int cause;                    /* index in discuss_causes, -1 none */
	char *note;
};
extern const char *const discuss_causes[3];   /* "rubric unclear", "rater slip", "item ambiguous" */

/* Runs the screen until q. out[n] gets the state of every point (free the
 * notes with discuss_outcome_free). 0; or an exit code with e->msg when it
 * cannot start (no terminal); 128 + signal when a signal ended it. */
int discuss_screen(const struct discuss_opts *o, struct discuss_outcome *out, struct gs_err *e);
void discuss_outcome_free(struct discuss_outcome *out, size_t n);
#endif
