/* label_screen.h: the labeling screen (HACKING "Screens", `goldset label`).
 * src/tui/label.c keeps the screen's state in one struct and has a draw
 * and a key function (tui_run dispatches); src/cmd/cmd-label.c parses the
 * options and opens the workspace. The screen walks a store_queue one item
 * at a time; every save is one label row committed before the next item is
 * drawn. label_save() is that save on its own, so the benchmark can time
 * exactly what Enter does. */
#ifndef GOLDSET_LABEL_SCREEN_H
#define GOLDSET_LABEL_SCREEN_H
#include "rubric.h"
#include "store.h"

struct label_opts {
	store *st;
	const struct rubric *r;       /* a single-mode rubric */
	const char *rater;
	const char *set;              /* NULL: every set */
	const char *meta_key, *meta_value;   /* --filter KEY=VALUE */
	const char *batch;            /* --batch: a calibration batch's items */
	int overlap;                  /* --overlap K (0: off) */
	int file_order;               /* --order file */
};

/* Runs the screen until q (or input is lost). 0 when the rater quit; an
 * exit code and e->msg when it could not start (no terminal, no items);
 * 128 + signal when a signal ended it. *saved gets the labels saved. */
int label_screen(const struct label_opts *o, long *saved, struct gs_err *e);

/* The save Enter makes: the answers (rubric slots, all answered) become one
 * label row on the item's current version, committed (durable) on return;
 * *id (may be NULL) gets its row id. (The screen already holds the row it
 * replaces, read when the item was shown, and keeps it for undo.) */
struct label_save {
	const struct rubric *r;
	const int *slots;
	const struct store_item *item;
	const char *rater;
	const char *note;             /* the comment, or NULL */
	const char *batch;
	double seconds;               /* time on the item; < 0 unknown */
};
int label_save(store *s, const struct label_save *ls, long long *id, struct gs_err *e);

/* benchmark hook: with GOLDSET_EXIT_AFTER_DRAW=1 in the environment the
 * screen exits right after drawing its first item (start-up timing) */
#define LABEL_EXIT_AFTER_DRAW_ENV "GOLDSET_EXIT_AFTER_DRAW"
#endif
