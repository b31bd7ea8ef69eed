/* judges.c: the judge versions table of `agree --judge GLOB` (judges.h):
 * ar_rows in judge mode for each matching judge and rubric, reduced to the
 * figures that show whether a new judge prompt did better, newest first. */
#include "app/judges.h"
#include "app/judgecheck.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int judges_is_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

/* units where the judge (column 0) gave a value */
static size_t judged(const struct ar_row *row)
{
	size_t n = 0;
	for (size_t u = 0; u < row->nunits; u++) n += !isnan(row->m[u * row->ncol]);
	return n;
}

struct newest { int64_t ms; };

static int saw_label(void *ctx, const struct store_label *l)
{
	struct newest *n = ctx;
	int64_t ms = gs_at_ms(l->at);
	if (ms > n->ms) n->ms = ms;
	return 0;
}

static int judge_rows_of(store *st, const struct ratings *t, const char *judge, const struct ar_opts *base,
			 GArray *out, struct gs_err *e)
{
	struct ar_opts o = *base;
	struct ar_row *rows;
	size_t n;
	o.judge = judge;
	o.raters = NULL;
	o.by = 0;
	if (!ar_criterion_matches(t->r, o.criterion)) return 0;
	if (ar_rows(t, &o, &rows, &n, e)) return e->code;
	struct jc_crit *jc = NULL;   /* the judge check of each row: its bias is the check's judge - humans */
	size_t njc = jc_for_rows(NULL, t, rows, n, &jc), k = 0;
	struct newest nw = {-1};
	struct store_label_query q = {.rubric = t->r->name, .rater = judge};
	int rc = store_labels_each(st, &q, saw_label, &nw, e);
	for (size_t i = 0; !rc && i < n; i++) {
		const struct jc_crit *c = rows[i].judge && !rows[i].sliced && k < njc ? &jc[k++] : NULL;
		if (!judged(&rows[i])) continue;   /* the judge never answered this criterion */
		struct judge_row jr = {.judge = xstrdup(judge), .rubric = t->r->name, .last_ms = nw.ms};
		snprintf(jr.criterion, sizeof jr.criterion, "%s", rows[i].si.name);
		jr.kappa = ar_row_kappa(&rows[i], &jr.kappa_name);
		jr.alpha = rows[i].a.alpha;
		jr.gwet = rows[i].a.level == ST_NOMINAL ? rows[i].a.gwet_ac1 : rows[i].a.gwet_ac2;
		jr.units = c ? c->nmajor : 0;
		jr.bias = c && c->ordered && c->ndiff ? c->diff : NAN;
		jr.verdict = rows[i].verdict;
		g_array_append_val(out, jr);
	}
	jc_free(jc, njc);
	ar_rows_free(rows, n);
	return rc;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct judge_row *x = a, *y = b;
	if (x->last_ms != y->last_ms) return x->last_ms > y->last_ms ? -1 : 1;
	int c = strcmp(x->judge, y->judge);
	if (!c) c = strcmp(x->rubric, y->rubric);
	return c;
}

static void clear_row(void *p) { free(((struct judge_row *)p)->judge); }

int judges_rows(store *st, const struct ar_tables *ts, const char *glob, const struct ar_opts *base, GArray **out,
		struct gs_err *e)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct judge_row));
	g_array_set_clear_func(a, clear_row);
	int rc = 0;
	for (size_t i = 0; !rc && i < ts->n; i++) {
		const struct ratings *t = ts->t[i];
		for (size_t k = 0; !rc && k < t->nraters; k++)
			if (ratings_is_judge(t->raters[k]) && fnmatch(glob, t->raters[k], 0) == 0)
				rc = judge_rows_of(st, t, t->raters[k], base, a, e);
	}
	if (rc) {
		g_array_free(a, TRUE);
		return rc;
	}
	g_array_sort(a, cmp_rows);   /* stable since GLib 2.32: criteria keep the rubric's order */
	*out = a;
	return 0;
}

void judges_free(GArray *rows)
{
	if (rows) g_array_free(rows, TRUE);
}
