/* table.h: the one table layout of the text reports (agree, stats, rank,
 * disagreements, calibrate report): rows of cells under column heads, laid
 * out to a width (report/fit.h). A column says how it may give way when
 * the row is too wide: TB_CUT columns (names) are shortened with "…" down
 * to their minimum; the others, lowest priority first, leave the row and
 * are stacked on a line of their own under it ("head: value"). A report
 * adds a statistic by adding a column and one cell per row. Cells are
 * escaped here (names come from files). */
#ifndef GOLDSET_TABLE_H
#define GOLDSET_TABLE_H
#include <stdio.h>

enum { TB_LEFT = 0, TB_RIGHT = 1, TB_CUT = 2, TB_NOHEAD = 4 /* the head line leaves it blank */ };

struct tb;

/* a table whose lines start with indent spaces; gap spaces between columns */
struct tb *tb_new(int indent, int gap);
void tb_free(struct tb *t);
/* adds a column: its head, TB_* flags, its priority (the lowest is stacked
 * first) and for TB_CUT the narrowest it may become (at least 1) */
void tb_col(struct tb *t, const char *head, int flags, int prio, int min);
/* the name the last column added goes by when stacked ("alpha 95% CI"
 * for a column headed "95% CI"); by default its head */
void tb_stacked_name(struct tb *t, const char *name);
/* starts a row; its cells follow in column order (missing ones are empty) */
void tb_row(struct tb *t);
void tb_cell(struct tb *t, const char *text);
void tb_cellf(struct tb *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a line of its own between the rows (after the head line when no row yet) */
void tb_line(struct tb *t, const char *text);
/* prints the head line (when with_head) and the rows, fitted to width */
void tb_print(struct tb *t, FILE *f, int width, int with_head);
#endif
