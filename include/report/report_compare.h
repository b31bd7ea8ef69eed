/* report_compare.h: printing what `goldset compare` found (compare.h) on
 * stdout. Text: a table per rubric (pointwise: items, mean A, mean B,
 * difference with its 95% interval, p; pairwise: comparisons, wins, ties,
 * losses, win rate with its interval, p), the gate's verdict per row, the
 * notes. JSON: one object (fields in goldset(1) compare). Names are
 * escaped for the terminal. */
#ifndef GOLDSET_REPORT_COMPARE_H
#define GOLDSET_REPORT_COMPARE_H
#include "app/compare.h"

void report_compare_text(const struct compare_opts *o, const struct compare_result *res);
void report_compare_json(const struct compare_opts *o, const struct compare_result *res);
#endif
