/* agree_compute.c: the compute part of `goldset agree --judge JUDGE --json
 * --bootstrap 0` (tests/bench/agree_judge.sh), timed alone as the Python
 * reference times its own: the labels are loaded from the workspace before
 * the clock starts, then each run makes the agreement rows (ar_rows), the
 * judge check (jc_for_rows) and the JSON document of both, exactly as
 * cmd-agree.c's ws_rows does, and frees them. Prints "compute SECONDS", the
 * best of RUNS runs (wall clock, as Python's time.perf_counter).
 * Usage: agree_compute WORKSPACE JUDGE RUNS */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app/agreerows.h"
#include "app/judgecheck.h"
#include "app/workspace.h"
#include "app/ws.h"
#include "base/jsonout.h"
#include "report/report_judge.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* one run over every table: rows, judge check, JSON; 0 or the error code */
static int run_once(struct ws *w, const struct ar_tables *ts, const char *judge, size_t *nrows, struct gs_err *e)
{
	struct jo *doc = jo_array();
	*nrows = 0;
	for (size_t i = 0; i < ts->n; i++) {
		struct ar_opts ao = {.judge = judge, .resamples = 0};
		struct ar_row *rows;
		size_t n;
		if (ar_rows(ts->t[i], &ao, &rows, &n, e)) {
			jo_free(doc);
			return e->code;
		}
		struct jc_crit *jc = NULL;
		size_t njc = jc_for_rows(w->st, ts->t[i], rows, n, &jc);
		for (size_t r = 0, k = 0; r < n; r++) {
			struct jo *row = jo_add_object(doc, NULL);
			ar_row_json(row, &rows[r], NULL);
			if (rows[r].judge && !rows[r].sliced && k < njc) rj_json(row, &jc[k++]);
		}
		jc_free(jc, njc);
		ar_rows_free(rows, n);
		*nrows += n;
	}
	jo_free(doc);
	return 0;
}

int main(int argc, char **argv)
{
	struct gs_err e = {0};
	struct ws w;
	struct ar_tables ts;
	if (argc != 4) {
		fprintf(stderr, "usage: agree_compute WORKSPACE JUDGE RUNS\n");
		return 64;
	}
	int runs = atoi(argv[3]);
	if (workspace_open_read(argv[1], &w, &e) || ar_tables_load(&w, NULL, NULL, NULL, &ts, &e)) {
		fprintf(stderr, "agree_compute: %s\n", e.msg);
		return 1;
	}
	double best = INFINITY;
	size_t nrows = 0;
	for (int r = 0; r < runs; r++) {
		double t0 = now_s();
		if (run_once(&w, &ts, argv[2], &nrows, &e)) {
			fprintf(stderr, "agree_compute: %s\n", e.msg);
			return 1;
		}
		double t = now_s() - t0;
		if (t < best) best = t;
	}
	printf("compute %.6f rows %zu\n", best, nrows);
	ar_tables_free(&ts);
	ws_close(&w);
	return 0;
}
