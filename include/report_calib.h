/* report_calib.h: what `goldset calibrate` and `export --consensus` show
 * (src/report_calib.c): the text and JSON of a batch, its progress and its
 * report, the Markdown record of a discussion, a golden answer as a JSON
 * line. Rendering only: calib.h computes. Untrusted text (names, ids,
 * values) goes through text_escape. */
#ifndef GOLDSET_REPORT_CALIB_H
#define GOLDSET_REPORT_CALIB_H
#include <stdio.h>

#include "calib.h"
#include "discuss_screen.h"

struct jo;

/* `calibrate start`: the batch made and what each rater does next */
void report_calib_started(FILE *f, const struct calib_started *s, const struct calib_start *asked);
/* `calibrate show`: a batch and each rater's progress (after calib_batch_progress) */
void report_calib_show_json(FILE *f, const struct calib_batch *b);
void report_calib_show_text(FILE *f, const struct calib_batch *b);
/* the one line `report` and `discuss` refuse an unfinished batch with (on f); EX_TEMPFAIL */
int report_calib_unfinished(FILE *f, const struct calib_batch *b);
/* `calibrate report`: the agreement per criterion, the disagreements, the rounds */
void report_calib_json(FILE *f, const struct calib_report *rp, const struct calib_rounds *x);
void report_calib_text(FILE *f, const struct calib_report *rp, const struct calib_rounds *x);
/* one criterion's row into o: the contract's agree-row fields, then the verdict and the confusion */
void report_calib_row_json(struct jo *o, const struct ratings *t, const struct calib_row *r);

/* `calibrate discuss`: how many disagreements were settled, and why */
void report_calib_discussed(FILE *f, const struct calib_report *rp, const struct discuss_outcome *out, size_t n);
/* the discussion's record (Markdown, malloc'd): every point with each
 * rater's value, the agreed one, the cause and the note */
char *report_calib_discussion_md(const struct calib_report *rp, const struct calib_point *p,
				 const struct discuss_outcome *out, size_t n);

/* a golden answer as one JSON object: id, rubric, rubric_version, [pair],
 * criterion, value, status, raters (free with jo_free) */
struct jo *report_calib_answer(const struct calib_answer *a);
#endif
