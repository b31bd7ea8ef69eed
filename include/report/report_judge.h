/* report_judge.h: the judge check of `agree --judge` as text (after the
 * agreement table) and as JSON (an "alignment" object in each overall
 * judge row). The numbers come from app/judgecheck.h. */
#ifndef GOLDSET_REPORT_JUDGE_H
#define GOLDSET_REPORT_JUDGE_H
#include <stdio.h>

#include "app/judgecheck.h"
#include "base/jsonout.h"

void rj_print(FILE *f, const char *judge, const struct jc_crit *c, size_t n);
void rj_json(struct jo *o, const struct jc_crit *c);
#endif
