/* report_rank.h: printing what `goldset rank` found (rank.h) on stdout.
 * Text: per fit, what was ranked (workspace), the table best first (score,
 * elo with its 95% interval, wins, losses, ties; or the groups when no
 * finite estimate exists), on a terminal a forest plot of the elo
 * intervals, the head-to-head table, the left-side win rate, per rater and
 * overall, how often the choice changed both ways round, and the notes.
 * JSON: one object per fit (an array of them, each with "slice", with a
 * meta key). Names are escaped (text_escape) for the terminal. */
#ifndef GOLDSET_REPORT_RANK_H
#define GOLDSET_REPORT_RANK_H
#include "app/rank.h"

/* tty: stdout is a terminal (the forest plot is drawn) */
void report_rank_text(const struct rank_result *res, int tty);
void report_rank_json(const struct rank_result *res);
#endif
