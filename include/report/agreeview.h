/* agreeview.h: the readable text of `goldset agree` in a workspace
 * (src/report/agreeview.c): per rubric a summary table of the rows (agreerows.h)
 * with what the numbers mean, then a block per row with the details; and,
 * when stdout is a terminal, the pictures: the confusion matrix as a shaded
 * heat map, each rater's value counts as bars (with a warning when a rater
 * uses only one or two points of a scale) and the length bias (Pearson r of
 * output length with the value). Plain printing: Unicode block and shade
 * characters in a UTF-8 locale, ASCII otherwise, colour only when allowed.
 * Untrusted text (names, values, slices) goes through text_escape. */
#ifndef GOLDSET_AGREEVIEW_H
#define GOLDSET_AGREEVIEW_H
#include <stdio.h>

#include "app/agreerows.h"

struct av_style {
	int pictures;             /* heat maps, bars, length bias (a terminal) */
	int utf8;                 /* block characters; else ASCII */
	int color;                /* ANSI colours */
	const char *by;           /* the --by key, or NULL */
};

/* utf8 from the locale's character set */
void av_style_init(struct av_style *s, int pictures, int color, const char *by);
/* one rubric's rows: heading, summary table, detail blocks */
void av_print_rubric(FILE *f, const struct ratings *t, const struct ar_row *rows, size_t n,
		     const struct av_style *s);
/* the closing lines that say how to read the numbers */
void av_print_legend(FILE *f, int judge);
/* the pictures of one row (exposed for `calibrate`-like callers) */
void av_heatmap(FILE *f, const struct ar_row *row, size_t a, size_t b, const struct av_style *s);
void av_bars(FILE *f, const struct ar_row *row, const struct av_style *s);
void av_length_bias(FILE *f, const struct ar_row *row);
/* s escaped into a cell of w columns (cut with '~'), left- or right-aligned */
void av_cell(FILE *f, const char *s, int w, int right);
#endif
