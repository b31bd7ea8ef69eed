/* compare.c: `goldset compare SYS_A SYS_B` (compare.h): the ratings table
 * of each rubric (ratings.h) turned into the rows of a comparison of two
 * systems, pointwise (paired differences of per-item means) or pairwise
 * (A's wins over B), overall and per --by slice, and the --min-diff gate.
 * The numbers come from stats/compare.h; nothing is printed here. */
#include "app/compare.h"
#include "app/ratings.h"
#include "model/rubric.h"
#include "base/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void add_note(GPtrArray *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_note(GPtrArray *notes, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_ptr_array_add(notes, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

static void row_free(gpointer p)
{
	struct compare_row *w = p;
	free(w->rubric);
	free(w->criterion);
	free(w->slice);
	g_ptr_array_free(w->notes, TRUE);
	free(w);
}

void compare_result_free(struct compare_result *res)
{
	if (res->rows) g_ptr_array_free(res->rows, TRUE);
	if (res->notes) g_ptr_array_free(res->notes, TRUE);
	memset(res, 0, sizeof *res);
}

static struct compare_row *row_new(const struct rubric *r, const char *criterion, int pairwise, int sliced,
				   const char *slice)
{
	struct compare_row *w = xcalloc(1, sizeof *w);
	w->rubric = xstrdup(r->name);
	w->criterion = xstrdup(criterion);
	w->pairwise = pairwise;
	w->sliced = sliced;
	w->slice = slice ? xstrdup(slice) : NULL;
	w->mean_a = w->mean_b = w->win_rate = w->win_lo = w->win_hi = w->p = NAN;
	w->d.mean = w->d.lo = w->d.hi = w->d.p = NAN;
	w->gate = -1;
	w->notes = g_ptr_array_new_with_free_func(g_free);
	return w;
}

/* ---- which units a row reads ---- */

struct scope {
	const struct compare_opts *o;
	const struct ratings *t;
	int sliced;
	const char *slice;
};

static const char *unit_slice(const struct ratings *t, const struct ratings_unit *u)
{
	return u->item != RATINGS_NO_ITEM ? t->items[u->item].slice : NULL;
}

static int in_scope(const struct scope *sc, const struct ratings_unit *u)
{
	if (!sc->sliced) return 1;
	const char *s = unit_slice(sc->t, u);
	return s && sc->slice ? strcmp(s, sc->slice) == 0 : s == sc->slice;
}

/* 1 when the unit is one output of A or B (0: A, 1: B in *which) */
static int pointwise_unit(const struct scope *sc, const struct ratings_unit *u, int *which)
{
	if (!u->system || !in_scope(sc, u)) return 0;
	*which = strcmp(u->system, sc->o->a) == 0 ? 0 : strcmp(u->system, sc->o->b) == 0 ? 1 : -1;
	return *which >= 0;
}

/* 1 when the unit compares A with B */
static int pairwise_unit(const struct scope *sc, const struct ratings_unit *u)
{
	if (!u->sys[0] || !u->sys[1] || !in_scope(sc, u)) return 0;
	const char *a = sc->o->a, *b = sc->o->b;
	return (!strcmp(u->sys[0], a) && !strcmp(u->sys[1], b)) || (!strcmp(u->sys[0], b) && !strcmp(u->sys[1], a));
}

/* ---- pointwise ---- */

/* the mean of the raters' numbers in a unit's slot; NaN when none */
static double unit_mean(const struct ratings *t, const struct ratings_unit *u, size_t slot)
{
	double s = 0;
	int n = 0;
	for (size_t r = 0; r < t->nraters; r++) {
		int v = ratings_val(t, u, r, slot);
		if (v < 0) continue;
		s += ratings_number(t, u, slot, v);
		n++;
	}
	return n ? s / n : NAN;
}

/* per item (units are sorted by id), the means of A and B when both have one */
static void paired_means(const struct scope *sc, size_t slot, struct compare_row *w, GArray *d)
{
	const struct ratings *t = sc->t;
	double sum_a = 0, sum_b = 0;
	for (size_t i = 0; i < t->nunits;) {
		size_t j = i;
		double m[2] = {NAN, NAN};
		for (; j < t->nunits && strcmp(t->u[j].ext_id, t->u[i].ext_id) == 0; j++) {
			int which;
			if (pointwise_unit(sc, &t->u[j], &which)) m[which] = unit_mean(t, &t->u[j], slot);
		}
		w->items_a += !isnan(m[0]);
		w->items_b += !isnan(m[1]);
		if (!isnan(m[0]) && !isnan(m[1])) {
			double x = m[0] - m[1];
			g_array_append_val(d, x);
			sum_a += m[0];
			sum_b += m[1];
		}
		i = j;
	}
	if (d->len) {
		w->mean_a = sum_a / d->len;
		w->mean_b = sum_b / d->len;
	}
}

static void pointwise_notes(const struct compare_opts *o, struct compare_row *w)
{
	size_t n = w->d.n;
	if (!w->items_a || !w->items_b)
		add_note(w->notes, "no labels of %s here: no difference", !w->items_a ? o->a : o->b);
	else if (!n) add_note(w->notes, "no item was labeled for both %s and %s: no difference", o->a, o->b);
	else if (n == 1) add_note(w->notes, "one item labeled for both: no interval");
	if (n && (w->items_a > n || w->items_b > n))
		add_note(w->notes, "left out: %zu item%s labeled for %s only, %zu for %s only", w->items_a - n,
			 w->items_a - n == 1 ? "" : "s", o->a, w->items_b - n, o->b);
	if (n && w->d.exact) add_note(w->notes, "p exact: all 2^%zu sign flips counted", n);
}

static struct compare_row *pointwise_row(const struct scope *sc, size_t slot, const char *name)
{
	struct compare_row *w = row_new(sc->t->r, name, 0, sc->sliced, sc->slice);
	GArray *d = g_array_new(FALSE, FALSE, sizeof(double));
	paired_means(sc, slot, w, d);
	st_paired_compare((const double *)(void *)d->data, d->len, sc->o->resamples, sc->o->seed, &w->d);
	g_array_free(d, TRUE);
	pointwise_notes(sc->o, w);
	return w;
}

/* ---- pairwise ---- */

static struct compare_row *pairwise_row(const struct scope *sc, size_t slot, const char *name)
{
	const struct ratings *t = sc->t;
	struct compare_row *w = row_new(t->r, name, 1, sc->sliced, sc->slice);
	for (size_t i = 0; i < t->nunits; i++) {
		const struct ratings_unit *u = &t->u[i];
		if (!pairwise_unit(sc, u)) continue;
		for (size_t r = 0; r < t->nraters; r++) {
			int v = ratings_val(t, u, r, slot);
			if (v < 0) continue;
			w->comparisons++;
			if (v == 2) w->ties++;
			else if (strcmp(u->sys[v], sc->o->a) == 0) w->wins++;
			else w->losses++;
		}
	}
	if (w->comparisons) {
		double k = (double)w->wins + (double)w->ties / 2;
		w->win_rate = k / (double)w->comparisons;
		st_wilson95(k, (double)w->comparisons, &w->win_lo, &w->win_hi);
		w->p = st_binom_p_half(w->wins, w->wins + w->losses);
	}
	if (!w->comparisons) add_note(w->notes, "no comparison of %s with %s here", sc->o->a, sc->o->b);
	else if (!(w->wins + w->losses)) add_note(w->notes, "every comparison a tie: no binomial test");
	return w;
}

/* ---- rubrics ---- */

static int wanted_slot(const struct rubric *r, size_t slot, const char *criterion, struct slot_info *si)
{
	rubric_slot_info(r, slot, si);
	if (criterion && strcmp(si->name, criterion) != 0 && strcmp(si->crit->id, criterion) != 0) return 0;
	if (strcmp(r->mode, "pairwise") == 0) return si->crit->type == CRIT_PREFERENCE;
	return si->crit->type == CRIT_BINARY || si->crit->type == CRIT_SCALE || si->crit->type == CRIT_CHECKLIST;
}

static int cmp_slice(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return !x || !y ? (x != NULL) - (y != NULL) : strcmp(x, y);
}

/* the distinct slices of the units that involve A or B, sorted (NULL first) */
static GPtrArray *slices_of(const struct scope *all)
{
	GPtrArray *v = g_ptr_array_new();
	for (size_t i = 0; i < all->t->nunits; i++) {
		int which;
		const struct ratings_unit *u = &all->t->u[i];
		if (pointwise_unit(all, u, &which) || pairwise_unit(all, u)) g_ptr_array_add(v, (gpointer)unit_slice(all->t, u));
	}
	g_ptr_array_sort(v, cmp_slice);
	guint k = 0;
	for (guint i = 0; i < v->len; i++)
		if (!k || cmp_slice(&v->pdata[i], &v->pdata[k - 1])) v->pdata[k++] = v->pdata[i];
	g_ptr_array_set_size(v, k);
	return v;
}

/* 1 when the row saw any label of A or B */
static int row_has_data(const struct compare_row *w)
{
	return w->pairwise ? w->comparisons > 0 : w->items_a + w->items_b > 0;
}

/* the rows of one rubric; *criteria counts the criteria it could compare on */
static void rubric_rows(const struct ratings *t, const struct compare_opts *o, int keep_empty,
			struct compare_result *res, size_t *criteria)
{
	int pw = strcmp(t->r->mode, "pairwise") == 0;
	struct scope all = {o, t, 0, NULL};
	GPtrArray *slices = o->by ? slices_of(&all) : g_ptr_array_new();
	GPtrArray *rows = g_ptr_array_new();
	int any = 0;
	for (size_t s = 0; s < t->nslots; s++) {
		struct slot_info si;
		if (!wanted_slot(t->r, s, o->criterion, &si)) continue;
		++*criteria;
		for (guint k = 0; k <= slices->len; k++) {
			struct scope sc = {o, t, k > 0, k > 0 ? slices->pdata[k - 1] : NULL};
			struct compare_row *w = pw ? pairwise_row(&sc, s, si.name) : pointwise_row(&sc, s, si.name);
			any |= row_has_data(w);
			g_ptr_array_add(rows, w);
		}
	}
	for (guint i = 0; i < rows->len; i++) {
		if (any || keep_empty) g_ptr_array_add(res->rows, rows->pdata[i]);
		else row_free(rows->pdata[i]);
	}
	g_ptr_array_free(rows, TRUE);
	g_ptr_array_free(slices, TRUE);
}

/* the rows of the rubric named (named: its rows are kept even without data) */
static int rubric_compare(store *st, const char *name, const struct compare_opts *o, int named,
			  struct compare_result *res, size_t *criteria, struct gs_err *e)
{
	struct store_rubric sr;
	struct rubric *r;
	struct ratings *t;
	if (store_rubric_get(st, name, &sr, e)) return e->code;
	int rc = rubric_parse(sr.json, strlen(sr.json), sr.name, &r, e, NULL, NULL);
	store_rubric_free(&sr);
	if (rc) return rc;
	rc = ratings_load_current(st, r, o->by, &t, e);
	if (!rc) {
		rubric_rows(t, o, named, res, criteria);
		ratings_free(t);
	}
	rubric_free(r);
	return rc;
}

static int on_rubric(void *ctx, const struct store_rubric *sr)
{
	g_ptr_array_add(ctx, g_strdup(sr->name));
	return 0;
}

/* ---- the gate ---- */

static void gate(const struct compare_opts *o, struct compare_result *res)
{
	if (!o->gated) {
		res->pass = -1;
		return;
	}
	size_t gated = 0, passed = 0;
	for (guint i = 0; i < res->rows->len; i++) {
		struct compare_row *w = res->rows->pdata[i];
		if (w->sliced) continue;
		double lower = w->pairwise ? w->win_lo - 0.5 : w->d.lo;
		w->gate = !isnan(lower) && lower >= o->min_diff - 1e-12;
		gated++;
		passed += (size_t)w->gate;
	}
	res->pass = gated && passed == gated;
	if (!gated) add_note(res->notes, "--min-diff: nothing to gate (no criterion compared %s with %s)", o->a, o->b);
}

int compare_run(store *st, const struct compare_opts *o, struct compare_result *res, struct gs_err *e)
{
	memset(res, 0, sizeof *res);
	res->rows = g_ptr_array_new_with_free_func(row_free);
	res->notes = g_ptr_array_new_with_free_func(g_free);
	size_t criteria = 0;
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	int rc = 0;
	if (o->rubric) g_ptr_array_add(names, g_strdup(o->rubric));
	else rc = store_rubrics_each(st, on_rubric, names, e);
	for (guint i = 0; !rc && i < names->len; i++)
		rc = rubric_compare(st, names->pdata[i], o, o->rubric != NULL, res, &criteria, e);
	g_ptr_array_free(names, TRUE);
	if (rc) return rc;
	if (o->criterion && !criteria)
		return gs_fail(e, EX_USAGE, "no criterion \"%s\" to compare on%s%s", o->criterion,
			       o->rubric ? " in rubric " : "", o->rubric ? o->rubric : "");
	if (!res->rows->len)
		add_note(res->notes, "no labels of %s and %s: label each system's outputs under a single-mode rubric, "
			 "or compare them under a pairwise one", o->a, o->b);
	gate(o, res);
	return 0;
}
