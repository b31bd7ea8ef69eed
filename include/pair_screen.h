/* pair_screen.h: the pairwise comparison screen (HACKING "Screens",
 * `goldset pair`). src/tui/pair.c keeps the screen's state in one struct
 * with a draw and a key function (tui_run dispatches); src/cmd/cmd-pair.c
 * parses the options and opens the workspace.
 *
 * Items with outputs from two or more systems become comparisons: every
 * pair up to four systems, else a balanced design of pairs_per_item pairs
 * (st_bt_pairs_for_item, the same pairs for every rater so that raters can
 * be compared). The rater walks a store_pairq one item at a time, each
 * item's comparisons in an order of their own. Which output is shown as A
 * (left, or top on a narrow terminal) is drawn per comparison from a hash
 * of rater, item and pair (reproducible), and recorded in `shown` before it
 * is drawn; system names never reach the screen. Every save is one label
 * row (left, right, sides and canonical winners), committed before the
 * next comparison is drawn. */
#ifndef GOLDSET_PAIR_SCREEN_H
#define GOLDSET_PAIR_SCREEN_H
#include "rubric.h"
#include "store.h"

#define PAIR_DEFAULT_PER_ITEM 6   /* comparisons per item of more than four systems */
#define PAIR_WIDE_COLS 120        /* from here A and B sit side by side */

struct pair_opts {
	store *st;
	const struct rubric *r;       /* a pairwise-mode rubric */
	const char *rater;
	const char *set;              /* NULL: every set */
	const char *batch;            /* --batch: a calibration batch's items */
	int pairs_per_item;           /* for items of more than four systems */
	int both_orders;              /* show each comparison a second time, sides swapped */
};

struct pair_result {
	long saved;                   /* labels saved in this session */
	long long both_ways;          /* the rater's comparisons labeled both ways round */
	long long flips;              /* of them, with another winner the second time */
	const char *criterion;        /* the preference criterion flips are counted on */
};

/* Runs the screen until q (or input is lost). 0 when the rater quit; an
 * exit code and e->msg when it could not start (no terminal, no pairwise
 * items); 128 + signal when a signal ended it. */
int pair_screen(const struct pair_opts *o, struct pair_result *res, struct gs_err *e);

#endif
