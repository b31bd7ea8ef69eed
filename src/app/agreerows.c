/* agreerows.c: a ratings table (ratings.h) -> agreement rows and
 * disagreements (see agreerows.h), and the tables of several rubrics from
 * the store or a git revision. Reads the store through store.h only; the
 * statistics are stats.h's; no printing. */
#include "app/agreerows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"
#include "stats/corr.h"
#include "app/revision.h"

static int is_pref_slot(const struct rubric *r, size_t slot)
{
	struct slot_info si;
	rubric_slot_info(r, slot, &si);
	return si.crit && si.crit->type == CRIT_PREFERENCE;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0) return 1;
	return 0;
}

/* ---- values ---- */

const char *ar_value_text(const struct ar_row *row, double v, char buf[32])
{
	const struct ratings *t = row->t;
	if (isnan(v)) return "";
	if (is_pref_slot(t->r, row->slot)) return v >= 0 && v < (double)t->ncats ? t->cats[(size_t)v] : "";
	if (row->si.crit->type == CRIT_SCALE) {
		snprintf(buf, 32, "%g", v);
		return buf;
	}
	return rubric_value_text(t->r, row->slot, (int)v, buf);
}

int ar_criterion_matches(const struct rubric *r, const char *criterion)
{
	size_t n = rubric_slot_count(r);
	for (size_t s = 0; s < n; s++) {
		struct slot_info si;
		rubric_slot_info(r, s, &si);
		if (!criterion || strcmp(si.name, criterion) == 0 || strcmp(si.crit->id, criterion) == 0) return 1;
	}
	return 0;
}

static int slot_wanted(const struct rubric *r, size_t slot, const char *criterion)
{
	struct slot_info si;
	rubric_slot_info(r, slot, &si);
	return !criterion || strcmp(si.name, criterion) == 0 || strcmp(si.crit->id, criterion) == 0;
}

/* ---- rows: the columns and the human majority ---- */

struct cols {
	size_t n;
	const char **name;
	long *pos;                /* rater column per column; -1: the majority */
	size_t *human;            /* judge mode: the humans' columns */
	size_t nhuman;
};

static void cols_free(struct cols *c)
{
	free(c->pos);
	free(c->human);
}

static void cols_for(const struct ratings *t, const struct ar_opts *o, const char **sel, struct cols *c)
{
	memset(c, 0, sizeof *c);
	size_t n = strv_len((char *const *)sel);
	c->pos = xcalloc(n + 2, sizeof *c->pos);
	c->human = xcalloc(n + 1, sizeof *c->human);
	for (size_t i = 0; i < n; i++) {
		if (o->judge && strcmp(sel[i], o->judge) == 0) continue;
		c->human[c->nhuman++] = (size_t)ratings_rater_pos(t, sel[i]);
	}
	if (o->judge) {
		c->pos[0] = ratings_rater_pos(t, o->judge);
		c->pos[1] = -1;
		c->n = 2;
	} else {
		for (size_t i = 0; i < c->nhuman; i++) c->pos[i] = (long)c->human[i];
		c->n = c->nhuman;
	}
}

/* ---- rows: building one ---- */

struct rowbuild {
	const struct ratings *t;
	const struct ar_opts *o;
	const struct cols *c;
	size_t slot;
	int sliced;
	const char *slice;
	size_t ties;              /* judge mode: units left out on an even split */
	long long stale;          /* the columns' stale labels */
};

/* the slice value of a unit's item, NULL: none */
static const char *unit_slice(const struct ratings *t, const struct ratings_unit *u)
{
	return u->item != RATINGS_NO_ITEM ? t->items[u->item].slice : NULL;
}

static int in_slice(const struct rowbuild *b, const struct ratings_unit *u)
{
	if (!b->sliced) return 1;
	const char *s = unit_slice(b->t, u);
	if (!s || !b->slice) return !s && !b->slice;
	return strcmp(s, b->slice) == 0;
}

/* fills one line of the matrix for unit u; 1 when it belongs in the row */
static int unit_line(struct rowbuild *b, const struct ratings_unit *u, double *line)
{
	const struct ratings *t = b->t;
	if (b->o->judge) {
		int tie, votes;
		int jv = b->c->pos[0] >= 0 ? ratings_val(t, u, (size_t)b->c->pos[0], b->slot) : -1;
		int mv = ratings_majority(t, u, b->slot, b->c->human, b->c->nhuman, &votes, &tie);
		b->ties += (size_t)(tie && jv >= 0);
		if (jv < 0 || mv < 0) return 0;
		line[0] = ratings_number(t, u, b->slot, jv);
		line[1] = ratings_number(t, u, b->slot, mv);
		return 1;
	}
	int any = 0;
	for (size_t k = 0; k < b->c->n; k++) {
		int v = ratings_val(t, u, (size_t)b->c->pos[k], b->slot);
		line[k] = ratings_number(t, u, b->slot, v);
		any |= v >= 0;
	}
	return any;
}

static void fill_matrix(struct rowbuild *b, struct ar_row *row)
{
	const struct ratings *t = b->t;
	row->m = xmalloc((t->nunits * row->ncol + 1) * sizeof *row->m);
	row->len = xmalloc((t->nunits + 1) * sizeof *row->len);
	for (size_t i = 0; i < t->nunits; i++) {
		const struct ratings_unit *u = &t->u[i];
		if (!in_slice(b, u) || !unit_line(b, u, row->m + row->nunits * row->ncol)) continue;
		row->len[row->nunits++] = u->item != RATINGS_NO_ITEM ? t->items[u->item].out_len : -1;
	}
}

static void fill_scale(const struct ratings *t, struct ar_row *row)
{
	int pref = is_pref_slot(t->r, row->slot);
	size_t n = pref ? t->ncats : (size_t)row->si.nopts;
	row->scale = xmalloc((n + 1) * sizeof *row->scale);
	for (size_t v = 0; v < n; v++) row->scale[v] = pref ? (double)v : rubric_value_number(t->r, row->slot, (int)v);
	row->nscale = n;
}

static long scale_index(const struct ar_row *row, double x)
{
	size_t lo = 0, hi = row->nscale;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (row->scale[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo < row->nscale && row->scale[lo] == x ? (long)lo : -1;
}

static void fill_dist(struct ar_row *row)
{
	row->dist = xcalloc(row->ncol * row->nscale + 1, sizeof *row->dist);
	for (size_t i = 0; i < row->nunits; i++)
		for (size_t k = 0; k < row->ncol; k++) {
			long x = scale_index(row, row->m[i * row->ncol + k]);
			if (x >= 0) row->dist[k * row->nscale + (size_t)x]++;
		}
}


static int has_numeric_meaning(const struct slot_info *si)
{
	return si->sub >= 0 || si->crit->type == CRIT_SCALE || si->crit->type == CRIT_BINARY;
}

static void fill_length_bias(struct ar_row *row)
{
	row->len_r = xmalloc((row->ncol + 1) * sizeof *row->len_r);
	row->len_n = xcalloc(row->ncol + 1, sizeof *row->len_n);
	double *x = xmalloc((row->nunits + 1) * sizeof *x), *y = xmalloc((row->nunits + 1) * sizeof *y);
	for (size_t k = 0; k < row->ncol; k++) {
		size_t n = 0;
		for (size_t i = 0; i < row->nunits && has_numeric_meaning(&row->si); i++) {
			double v = row->m[i * row->ncol + k];
			if (isnan(v) || row->len[i] < 0) continue;
			x[n] = (double)row->len[i];
			y[n++] = v;
		}
		row->len_n[k] = n;
		row->len_r[k] = st_pearson(x, y, n);
	}
	free(x);
	free(y);
}

static void fill_pairs(struct ar_row *row, const struct st_data *d)
{
	if (row->ncol <= 2) return;
	row->pairs = xcalloc(row->ncol * (row->ncol - 1) / 2 + 1, sizeof *row->pairs);
	for (size_t a = 0; a < row->ncol; a++)
		for (size_t b = a + 1; b < row->ncol; b++) {
			struct ar_pair *p = &row->pairs[row->npairs++];
			p->a = a;
			p->b = b;
			p->k = st_cohen_kappa(d, a, b, NULL);
			p->weighted = row->a.level == ST_NOMINAL ? NAN : st_weighted_kappa(d, a, b, ST_LINEAR, NULL);
		}
}

enum st_level ar_level_of(enum level l)
{
	switch (l) {
	case LEVEL_ORDINAL: return ST_ORDINAL;
	case LEVEL_INTERVAL: return ST_INTERVAL;
	case LEVEL_RATIO: return ST_RATIO;
	default: return ST_NOMINAL;
	}
}

static void judge_verdict(struct ar_row *row)
{
	row->verdict_on = ar_kappa_field(&row->a);
	row->verdict_kappa = ar_kappa_value(&row->a, row->verdict_on);
	row->verdict = isnan(row->verdict_kappa) ? "undefined" : row->too_few ? "too few items"
		: ar_at_least(row->verdict_kappa, AR_JUDGE_DEPLOY) ? "deploy" : "do not deploy";
}

static void fill_small(struct ar_row *row, size_t min_units)
{
	const char *field = ar_kappa_field(&row->a);
	row->min_units = min_units ? min_units : AR_MIN_UNITS;
	row->kappa_n = ar_kappa_units(&row->a, field);
	row->too_few = row->kappa_n < row->min_units;
	row->units_for_ci = ar_units_for_ci(&row->a);
}

static void fill_spread(struct ar_row *row)
{
	row->spread = xcalloc(row->ncol + 1, sizeof *row->spread);
	for (size_t k = 0; k < row->ncol && row->nscale; k++)
		row->spread[k] = st_value_spread(row->dist + k * row->nscale, row->nscale);
}

/* "judges left out (judge:a, judge:b): ..." when the default raters skip some */
static void judges_note(const struct ratings *t, struct st_notes *n)
{
	char list[80] = "";
	size_t len = 0, count = 0;
	for (size_t i = 0; i < t->nraters; i++) {
		if (!ratings_is_judge(t->raters[i])) continue;
		int w = snprintf(list + len, sizeof list - len, "%s%s", count++ ? ", " : "", t->raters[i]);
		if (w < 0 || (size_t)w >= sizeof list - len) {
			snprintf(list + (len < sizeof list - 5 ? len : sizeof list - 5), 5, ", ..");
			break;
		}
		len += (size_t)w;
	}
	if (count) st_note(n, "judges left out (%s): name them in --raters, or use --judge", list);
}

static void row_notes(const struct rowbuild *b, struct ar_row *row)
{
	const struct ratings *t = b->t;
	struct st_notes *n = &row->a.notes;
	if (b->stale)
		st_note(n, "%lld label%s left out: made on an older version of their item (label them again)", b->stale,
			gs_s(b->stale));
	if (t->unparsed)
		st_note(n, "%lld label%s left out: the current rubric does not accept their values", t->unparsed,
			gs_s(t->unparsed));
	if (b->ties)
		st_note(n, "%zu unit%s left out: the humans were split evenly, so there is no majority", b->ties,
			gs_s((long long)b->ties));
	if (b->o->judge)
		st_note(n, "the human majority is the most frequent value%s of the %zu human raters",
			row->si.crit->type == CRIT_SCALE ? " (the median for scales)" : "", b->c->nhuman);
	if (!b->o->raters && !b->o->judge) judges_note(t, n);
	for (size_t i = 0; b->o->raters && b->o->raters[i]; i++)
		if (ratings_rater_pos(t, b->o->raters[i]) < 0)
			st_note(n, "%.60s has no labels under this rubric", b->o->raters[i]);
	if (b->o->level_set && is_pref_slot(t->r, row->slot) && row->a.level != ST_NOMINAL)
		st_note(n, "winners are names without an order: sorted alphabetically for the %s level",
			st_level_name(row->a.level));
}

static void row_build(struct rowbuild *b, struct ar_row *row)
{
	const struct ratings *t = b->t;
	memset(row, 0, sizeof *row);
	row->t = t;
	row->slot = b->slot;
	rubric_slot_info(t->r, b->slot, &row->si);
	row->sliced = b->sliced;
	row->slice = b->slice;
	row->ncol = b->c->n;
	row->col = b->c->name;
	row->humans = b->c->name + b->c->n + 1;
	row->judge = b->o->judge;
	fill_matrix(b, row);
	fill_scale(t, row);
	if (b->o->spread_only) {   /* ar_spread_each: no agreement to compute */
		fill_dist(row);
		fill_spread(row);
		return;
	}
	struct st_data d = {.units = row->nunits, .raters = row->ncol, .v = row->m,
			    .scale = row->scale, .nscale = row->nscale};
	enum st_level lv = b->o->level_set ? b->o->level : ar_level_of(row->si.level);
	if (is_pref_slot(t->r, row->slot) && !b->o->level_set) lv = ST_NOMINAL;
	st_agree(&d, lv, b->o->seed, b->o->resamples, &row->a);
	fill_pairs(row, &d);
	fill_dist(row);
	fill_spread(row);
	fill_length_bias(row);
	fill_small(row, b->o->min_units);
	if (row->judge) judge_verdict(row);
	row_notes(b, row);
}

/* ---- rows: slices ---- */

static int cmp_slice(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	double dx, dy;
	if (!x || !y) return !x - !y;
	if (!parse_double(x, &dx) && !parse_double(y, &dy) && dx != dy) return dx < dy ? -1 : 1;
	return strcmp(x, y);
}

/* the distinct slice values of the labeled units (NULL: none), sorted */
static size_t slices_of(const struct ratings *t, const char ***out)
{
	const char **v = xcalloc(t->nunits + 1, sizeof *v);
	size_t n = 0, k = 0;
	int none = 0;
	for (size_t i = 0; i < t->nunits; i++) {
		const char *s = unit_slice(t, &t->u[i]);
		if (s) v[n++] = s;
		else none = 1;
	}
	if (n > 1) qsort(v, n, sizeof *v, cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(v[k - 1], v[i]) != 0) v[k++] = v[i];
	if (k > 1) qsort(v, k, sizeof *v, cmp_slice);
	if (none) v[k++] = NULL;
	*out = v;
	return k;
}

int ar_rows(const struct ratings *t, const struct ar_opts *o, struct ar_row **rows, size_t *n, struct gs_err *e)
{
	*rows = NULL;
	*n = 0;
	if (!ar_criterion_matches(t->r, o->criterion))
		return gs_fail(e, EX_NOINPUT, "rubric %s has no criterion \"%s\"", t->r->name, o->criterion);
	const char **sel = ratings_select(t, o->raters), **slices = NULL;
	struct cols c;
	cols_for(t, o, sel, &c);
	c.name = xcalloc(c.n + c.nhuman + 2, sizeof *c.name);   /* columns, NULL, humans, NULL */
	for (size_t k = 0; k < c.n; k++) c.name[k] = c.pos[k] >= 0 ? t->raters[c.pos[k]] : AR_MAJORITY;
	for (size_t k = 0; k < c.nhuman; k++) c.name[c.n + 1 + k] = t->raters[c.human[k]];
	size_t nslices = o->by ? slices_of(t, &slices) : 0;
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct ar_row));
	long long stale = ratings_stale(t, o->raters);
	if (o->judge && !strv_has(o->raters, o->judge)) stale += ratings_stale(t, (char *const[]){(char *)o->judge, NULL});
	for (size_t s = 0; s < t->nslots; s++) {
		if (!slot_wanted(t->r, s, o->criterion)) continue;
		for (size_t k = 0; k <= nslices; k++) {
			struct rowbuild b = {t, o, &c, s, k > 0, k > 0 ? slices[k - 1] : NULL, 0, stale};
			g_array_set_size(a, a->len + 1);
			row_build(&b, &g_array_index(a, struct ar_row, a->len - 1));
		}
	}
	*n = a->len;
	*rows = (struct ar_row *)(void *)g_array_free(a, FALSE);
	if (!*n) free(c.name);   /* else the rows share it; ar_rows_free frees it */
	cols_free(&c);
	free(slices);
	free(sel);
	return 0;
}

void ar_rows_free(struct ar_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ar_row *r = &rows[i];
		free(r->m);
		free(r->len);
		free(r->scale);
		free(r->pairs);
		free(r->dist);
		free(r->len_r);
		free(r->len_n);
		free(r->spread);
	}
	if (n) free((void *)rows[0].col);
	free(rows);
}

double ar_row_kappa(const struct ar_row *row, const char **name)
{
	const char *nm = row->judge ? row->verdict_on : ar_kappa_field(&row->a);
	if (name) *name = nm;
	return row->judge ? row->verdict_kappa : ar_kappa_value(&row->a, nm);
}

/* ---- the kappa a row reads, and what it means ---- */

const char *ar_kappa_field(const struct st_agree *a)
{
	if (a->raters > 2) return "fleiss_kappa";
	return a->level != ST_NOMINAL ? "weighted_kappa_linear" : "cohen_kappa";
}

double ar_kappa_value(const struct st_agree *a, const char *field)
{
	if (strcmp(field, "fleiss_kappa") == 0) return a->fleiss_kappa;
	return strcmp(field, "weighted_kappa_linear") == 0 ? a->weighted_kappa_linear : a->cohen_kappa;
}

const char *ar_kappa_label(const char *field)
{
	if (strcmp(field, "fleiss_kappa") == 0) return "Fleiss' kappa (unweighted)";
	return strcmp(field, "weighted_kappa_linear") == 0 ? "kappa (linear weights)" : "kappa (unweighted)";
}

int ar_at_least(double v, double threshold)
{
	return !isnan(v) && v >= threshold - 1e-9;
}

size_t ar_kappa_units(const struct st_agree *a, const char *field)
{
	return strcmp(field, "fleiss_kappa") == 0 ? a->fleiss_units : a->kappa_units;
}

size_t ar_units_for_ci(const struct st_agree *a)
{
	return st_units_for_halfwidth(a->kappa_po, a->kappa_pe, AR_HALFWIDTH);
}

int ar_paradox(const struct st_agree *a, double kappa, char *buf, size_t n)
{
	double po = isnan(a->kappa_po) ? a->percent_agreement : a->kappa_po;
	if (isnan(kappa) || ar_at_least(kappa, AR_HUMAN_KAPPA_OK) || !ar_at_least(po, AR_PARADOX_AGREEMENT) ||
	    !ar_at_least(a->top_share, AR_PARADOX_SHARE))
		return 0;
	char ac[32] = "undefined";
	if (!isnan(a->gwet_ac1)) snprintf(ac, sizeof ac, "%.3f", a->gwet_ac1);
	snprintf(buf, n, "kappa %.3f is low although the raters agree on %.0f%%: one value is %.0f%% of all values "
		 "(the kappa paradox); AC1 %s is not thrown by prevalence", kappa, 100 * po, 100 * a->top_share, ac);
	return 1;
}

void ar_too_few_text(size_t have, size_t min_units, size_t for_ci, char *buf, size_t n)
{
	int k = snprintf(buf, n, "too few items (%zu < %zu)", have, min_units);
	if (k > 0 && (size_t)k < n && for_ci > have)
		snprintf(buf + k, n - (size_t)k, "; about %zu more for a 95%% interval of +-%.1f", for_ci - have,
			 AR_HALFWIDTH);
}

void ar_reading_json(struct jo *o, const struct st_agree *a, const char *field, size_t min_units)
{
	char line[256];
	size_t have = ar_kappa_units(a, field), need = ar_units_for_ci(a);
	jo_str(o, "kappa_shown", field);
	jo_str(o, "kappa_label", ar_kappa_label(field));
	jo_int(o, "min_units", (long long)min_units);
	jo_bool(o, "too_few_items", have < min_units);
	if (need) jo_int(o, "units_needed", (long long)need);
	else jo_null(o, "units_needed");
	jo_int(o, "more_units_needed", (long long)(need > have ? need - have : 0));
	if (ar_paradox(a, ar_kappa_value(a, field), line, sizeof line)) jo_str(o, "paradox", line);
	else jo_null(o, "paradox");
}

int ar_spread_each(const struct ratings *t, int (*fn)(void *ctx, const char *rater, const char *criterion,
						      enum st_spread s), void *ctx)
{
	struct ar_opts o = {.raters = t->raters, .spread_only = 1};
	struct ar_row *rows;
	size_t n;
	struct gs_err e;
	int rc = 0;
	if (!t->nraters || ar_rows(t, &o, &rows, &n, &e)) return 0;
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t k = 0; !rc && k < rows[i].ncol; k++)
			if (rows[i].spread[k] != ST_SPREAD_OK) rc = fn(ctx, rows[i].col[k], rows[i].si.name, rows[i].spread[k]);
	ar_rows_free(rows, n);
	return rc;
}

/* ---- rows: JSON ---- */

void ar_design_json(struct jo *o, const struct st_agree *a)
{
	jo_str(o, "level", st_level_name(a->level));
	jo_int(o, "units", (long long)a->units);
	jo_int(o, "raters", (long long)a->raters);
	jo_int(o, "pairable_units", (long long)a->pairable_units);
	jo_int(o, "values", (long long)a->values);
	jo_num(o, "alpha", a->alpha);
	jo_pair(o, "alpha_ci95", a->alpha_lo, a->alpha_hi);
	jo_num(o, "percent_agreement", a->percent_agreement);
	jo_num(o, "cohen_kappa", a->cohen_kappa);
	jo_num(o, "cohen_kappa_se", a->cohen_kappa_se);
	jo_pair(o, "cohen_kappa_ci95", a->cohen_kappa_lo, a->cohen_kappa_hi);
	jo_num(o, "weighted_kappa_linear", a->weighted_kappa_linear);
	jo_num(o, "weighted_kappa_quadratic", a->weighted_kappa_quadratic);
	jo_num(o, "fleiss_kappa", a->fleiss_kappa);
	jo_pair(o, "weighted_kappa_linear_ci95", a->weighted_linear_lo, a->weighted_linear_hi);
	jo_pair(o, "weighted_kappa_quadratic_ci95", a->weighted_quadratic_lo, a->weighted_quadratic_hi);
	jo_num(o, "gwet_ac1", a->gwet_ac1);
	jo_num(o, "gwet_ac1_se", a->gwet_ac1_se);
	jo_num(o, "gwet_ac2", a->gwet_ac2);
	jo_num(o, "gwet_ac2_se", a->gwet_ac2_se);
	jo_num(o, "pabak", a->pabak);
	jo_num(o, "prevalence_index", a->prevalence_index);
	jo_num(o, "bias_index", a->bias_index);
	struct jo *notes = jo_add_array(o, "notes");
	for (size_t i = 0; i < a->notes.n; i++) jo_str(notes, NULL, a->notes.text[i]);
}

/* a value as JSON: scale numbers as numbers, checklist items as booleans */
static void value_json(struct jo *arr, const struct ar_row *row, double v)
{
	char buf[32];
	if (row->si.sub >= 0) jo_bool(arr, NULL, v != 0);
	else if (row->si.crit->type == CRIT_SCALE) jo_num(arr, NULL, v);
	else jo_str(arr, NULL, ar_value_text(row, v, buf));
}

static void confusion_json(struct jo *o, const struct ar_row *row)
{
	double *val;
	long *cnt;
	struct st_data d = {.units = row->nunits, .raters = row->ncol, .v = row->m,
			    .scale = row->scale, .nscale = row->nscale};
	size_t k = st_confusion(&d, 0, 1, &val, &cnt);
	struct jo *c = jo_add_object(o, "confusion");
	jo_str(c, "rows", row->col[0]);
	jo_str(c, "columns", row->col[1]);
	struct jo *vals = jo_add_array(c, "values"), *counts = jo_add_array(c, "counts");
	for (size_t i = 0; i < k; i++) {
		value_json(vals, row, val[i]);
		struct jo *line = jo_add_array(counts, NULL);
		for (size_t j = 0; j < k; j++) jo_int(line, NULL, cnt[i * k + j]);
	}
	free(val);
	free(cnt);
}

static void spread_json(struct jo *o, const struct ar_row *row)
{
	struct jo *arr = jo_add_array(o, "value_spread");
	for (size_t k = 0; k < row->ncol; k++) {
		struct jo *p = jo_add_object(arr, NULL);
		const char *w = st_spread_words(row->spread[k]);
		jo_str(p, "rater", row->col[k]);
		if (w) jo_str(p, "flag", w);
		else jo_null(p, "flag");
	}
}

static void extras_json(struct jo *o, const struct ar_row *row)
{
	ar_reading_json(o, &row->a, ar_kappa_field(&row->a), row->min_units);
	spread_json(o, row);
	struct jo *names = jo_add_array(o, "rater_names");
	for (size_t k = 0; k < row->ncol; k++) jo_str(names, NULL, row->col[k]);
	if (row->npairs) {
		struct jo *pk = jo_add_array(o, "rater_kappa");
		for (size_t i = 0; i < row->npairs; i++) {
			struct jo *p = jo_add_object(pk, NULL);
			jo_str(p, "a", row->col[row->pairs[i].a]);
			jo_str(p, "b", row->col[row->pairs[i].b]);
			jo_num(p, "kappa", row->pairs[i].k.kappa);
			if (row->a.level != ST_NOMINAL) jo_num(p, "weighted_kappa_linear", row->pairs[i].weighted);
			jo_int(p, "units", (long long)row->pairs[i].k.n);
		}
	}
	if (row->ncol >= 2 && row->nscale) confusion_json(o, row);
	if (!has_numeric_meaning(&row->si)) return;
	struct jo *lb = jo_add_array(o, "length_bias");
	for (size_t k = 0; k < row->ncol; k++) {
		struct jo *p = jo_add_object(lb, NULL);
		jo_str(p, "rater", row->col[k]);
		jo_num(p, "r", row->len_r[k]);
		jo_int(p, "units", (long long)row->len_n[k]);
	}
}

void ar_row_json(struct jo *o, const struct ar_row *row, const char *by)
{
	jo_str(o, "rubric", row->t->r->name);
	jo_str(o, "criterion", row->si.name);
	if (row->sliced) {
		struct jo *s = jo_add_object(o, "slice");
		jo_str(s, "key", by);
		jo_str(s, "value", row->slice);
	} else {
		jo_null(o, "slice");
	}
	if (row->judge) {
		jo_str(o, "judge", row->judge);
		jo_str(o, "verdict", row->verdict);
		jo_num(o, "verdict_kappa", row->verdict_kappa);
		jo_str(o, "verdict_on", row->verdict_on);
		jo_num(o, "deploy_threshold", AR_JUDGE_DEPLOY);
	}
	ar_design_json(o, &row->a);
	extras_json(o, row);
}

/* ---- disagreements ---- */

/* largest distance first, then units (by id, pair) and slots in order */
static int cmp_dis(const void *a, const void *b)
{
	const struct ar_disagreement *x = a, *y = b;
	if (x->distance != y->distance) return x->distance > y->distance ? -1 : 1;
	if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
	return (x->slot > y->slot) - (x->slot < y->slot);
}

size_t ar_disagreements(const struct ratings *t, char *const *raters, const char *criterion,
			struct ar_disagreement **out)
{
	const char **sel = ratings_select(t, raters);
	size_t nsel = strv_len((char *const *)sel);
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct ar_disagreement));
	size_t *pos = xcalloc(nsel + 1, sizeof *pos);
	for (size_t k = 0; k < nsel; k++) pos[k] = (size_t)ratings_rater_pos(t, sel[k]);
	*out = NULL;
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++) {
			if (!slot_wanted(t->r, s, criterion)) continue;
			double d = ratings_spread(t, &t->u[i], s, pos, nsel);
			if (d <= 0) continue;
			struct ar_disagreement dis = {i, s, d};
			g_array_append_val(a, dis);
		}
	size_t n = a->len;
	*out = (struct ar_disagreement *)(void *)g_array_free(a, FALSE);
	if (n > 1) qsort(*out, n, sizeof **out, cmp_dis);
	free(pos);
	free(sel);
	return n;
}

/* ---- several rubrics: the tables of `agree` and `disagreements` ---- */

void ar_tables_free(struct ar_tables *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		ratings_free(ts->t[i]);
		rubric_free(ts->r[i]);
	}
	if (ts->tv) g_ptr_array_free(ts->tv, TRUE);
	if (ts->rv) g_ptr_array_free(ts->rv, TRUE);
	strv_free(ts->skipped);
	memset(ts, 0, sizeof *ts);
}

static long table_find(const struct ar_tables *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->r[i]->name, name) == 0) return (long)i;
	return -1;
}

static void tables_push(struct ar_tables *ts, struct rubric *r, struct ratings *t)
{
	if (!ts->tv) {
		ts->tv = g_ptr_array_new();
		ts->rv = g_ptr_array_new();
	}
	g_ptr_array_add(ts->tv, t);
	g_ptr_array_add(ts->rv, r);
	ts->t = (struct ratings **)ts->tv->pdata;
	ts->r = (struct rubric **)ts->rv->pdata;
	ts->n = ts->tv->len;
}

static int cmp_table(const void *a, const void *b)
{
	const struct ratings *const *x = a, *const *y = b;
	return strcmp((*x)->r->name, (*y)->r->name);
}

/* keeps r and t in the same (name) order */
static void tables_sort(struct ar_tables *ts)
{
	if (ts->n > 1) qsort(ts->t, ts->n, sizeof *ts->t, cmp_table);
	for (size_t i = 0; i < ts->n; i++) ts->r[i] = (struct rubric *)ts->t[i]->r;
}

static int parse_rubric_text(const char *json, const char *where, struct rubric **out, struct gs_err *e)
{
	return rubric_parse(json, strlen(json), where, out, e, NULL, NULL);
}

/* the store's current text of rubric name */
static int store_rubric(store *st, const char *name, struct rubric **out, struct gs_err *e)
{
	struct store_rubric sr;
	if (store_rubric_get(st, name, &sr, e))
		return gs_fail(e, EX_NOINPUT, "no rubric named \"%s\" (see goldset rubric list)", name);
	char *where = xasprintf("rubric %s", name);
	int rc = parse_rubric_text(sr.json, where, out, e);
	free(where);
	store_rubric_free(&sr);
	return rc;
}

/* --- from the store --- */

/* a list of names (v: a's data, NULL-terminated) */
struct names { char **v; size_t n; GPtrArray *a; };

static void names_add(struct names *ns, const char *name)
{
	if (!ns->a) ns->a = g_ptr_array_new_null_terminated(4, free, TRUE);
	g_ptr_array_add(ns->a, xstrdup(name));
	ns->v = (char **)ns->a->pdata;
	ns->n = ns->a->len;
}

/* the names as a NULL-terminated array (NULL when none); ns is emptied */
static char **names_take(struct names *ns)
{
	char **v = ns->a ? (char **)g_ptr_array_free(ns->a, FALSE) : NULL;
	memset(ns, 0, sizeof *ns);
	return v;
}

static int collect_rubric(void *ctx, const char *rubric)
{
	names_add(ctx, rubric);
	return 0;
}

static int load_store_tables(store *st, const char *rubric, const char *by, struct ar_tables *ts,
			     struct gs_err *e)
{
	struct names ns = {0};
	int rc = 0;
	if (rubric) names_add(&ns, rubric);
	else rc = store_label_rubrics_each(st, collect_rubric, &ns, e);
	for (size_t i = 0; !rc && i < ns.n; i++) {
		struct rubric *r;
		struct ratings *t;
		if ((rc = store_rubric(st, ns.v[i], &r, e))) break;
		if ((rc = ratings_load_current(st, r, by, &t, e))) {
			rubric_free(r);
			break;
		}
		tables_push(ts, r, t);
	}
	strv_free(names_take(&ns));
	return rc;
}

/* --- from a git revision (--at) --- */

struct at_load {
	store *st;
	struct vcs *repo;
	const char *rev;
	const char *by;
	struct ar_tables *ts;
	struct names skipped;     /* rubrics neither the revision nor the store has */
};

static int items_into(void *ctx, const struct store_agree_item *it)
{
	ratings_item(ctx, it->ext_id, it->slice, it->out_len);
	return 0;
}

/* rubric name as the revision holds it (rubrics/NAME.json), else the store's */
static int rubric_at(struct at_load *al, const char *name, struct rubric **out, struct gs_err *e)
{
	char *path = xasprintf("rubrics/%s.json", name), *text = NULL;
	size_t len;
	struct gs_err ignore;
	int rc = -1;
	if (!vcs_read_file_at(al->repo, al->rev, path, &text, &len, &ignore)) {
		char *where = xasprintf("%s:%s", al->rev, path);
		rc = rubric_parse(text, len, where, out, &ignore, NULL, NULL);
		if (!rc && strcmp((*out)->name, name) != 0) {
			rubric_free(*out);
			rc = -1;
		}
		free(where);
	}
	free(text);
	free(path);
	return rc ? store_rubric(al->st, name, out, e) : 0;
}

static struct ratings *table_at(struct at_load *al, const char *name, struct gs_err *e)
{
	long i = table_find(al->ts, name);
	if (i >= 0) return al->ts->t[i];
	for (size_t k = 0; k < al->skipped.n; k++)
		if (strcmp(al->skipped.v[k], name) == 0) return NULL;
	struct rubric *r;
	if (rubric_at(al, name, &r, e)) {
		names_add(&al->skipped, name);
		return NULL;
	}
	struct ratings *t = ratings_new(r, RATINGS_LABELED);
	if (store_agree_items_each(al->st, al->by, items_into, t, e)) {
		ratings_free(t);
		rubric_free(r);
		return NULL;
	}
	tables_push(al->ts, r, t);
	return t;
}

static int on_line_at(void *ctx, const struct label_line *l, const char *where)
{
	struct at_load *al = ctx;
	struct gs_err e;
	(void)where;
	if (!l->labels) return 0;   /* withdrawn */
	struct ratings *t = table_at(al, l->rubric, &e);
	if (!t) return 0;
	char *pk = l->left && l->right ? labelline_pair_key(l->left, l->right) :
		   l->system ? labelline_system_key(l->system) : NULL;
	struct ratings_label a = {l->id, l->rater, pk, l->system ? l->system : l->left, l->right, l->labels, l->note,
				  l->rubric_version};
	ratings_add(t, &a);
	free(pk);
	return 0;
}

static int load_rev_tables(struct ws *w, const char *rev, const char *rubric, const char *by,
			   struct ar_tables *ts, struct gs_err *e)
{
	struct vcs *repo;
	char id[41];
	if (vcs_open(w->root, &repo, e)) return e->code;
	struct at_load al = {w->st, repo, id, by, ts, {0}};
	int rc = vcs_resolve(repo, rev, id, e);
	if (!rc) rc = labelsat_each(repo, id, rubric, on_line_at, &al, e);
	ts->skipped = names_take(&al.skipped);
	vcs_close(repo);
	for (size_t i = 0; !rc && i < ts->n; i++) ratings_finish(ts->t[i]);
	if (!rc && rubric && table_find(ts, rubric) < 0) {
		struct rubric *r;
		if (!(rc = store_rubric(w->st, rubric, &r, e))) rubric_free(r);
	}
	return rc;
}

int ar_tables_load(struct ws *w, const char *rubric, const char *rev, const char *by, struct ar_tables *ts,
		   struct gs_err *e)
{
	memset(ts, 0, sizeof *ts);
	int rc = rev ? load_rev_tables(w, rev, rubric, by, ts, e) : load_store_tables(w->st, rubric, by, ts, e);
	if (rc) ar_tables_free(ts);
	else tables_sort(ts);
	return rc;
}

static int in_some_table(const struct ar_tables *ts, const char *rater)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ratings_rater_pos(ts->t[i], rater) >= 0) return 1;
	return 0;
}

int ar_tables_check(const struct ar_tables *ts, const char *criterion, const char *judge, char *const *raters,
		    struct gs_err *e)
{
	int crit = !criterion;
	for (size_t i = 0; i < ts->n; i++) crit |= ar_criterion_matches(ts->r[i], criterion);
	if (!crit) return gs_fail(e, EX_NOINPUT, "no criterion \"%s\" in the rubrics with labels", criterion);
	if (judge && !in_some_table(ts, judge)) return gs_fail(e, EX_NOINPUT, "no labels by %s", judge);
	for (size_t k = 0; raters && raters[k]; k++)
		if (!in_some_table(ts, raters[k])) return gs_fail(e, EX_NOINPUT, "no labels by %s", raters[k]);
	return 0;
}
