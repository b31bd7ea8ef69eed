/* judgesview.h: the judge versions table of `goldset agree --judge GLOB`
 * (src/report/judgesview.c): one line per judge, rubric and criterion,
 * newest first, with kappa, alpha, bias and verdict, then how to read it;
 * or the same rows as a JSON array. Names go through text_escape. */
#ifndef GOLDSET_JUDGESVIEW_H
#define GOLDSET_JUDGESVIEW_H
#include <stdio.h>

#include "app/judges.h"

struct jo;

void jv_print(FILE *f, const GArray *rows);
/* the rows into the array arr, one object each */
void jv_json(struct jo *arr, const GArray *rows);
#endif
