/* agreerows.c: labels -> a units x raters x slots table -> agreement rows
 * and disagreements (see agreerows.h). Reads the store through store.h
 * only; the statistics are stats.h's; no printing. */
#include "agreerows.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "labelsat.h"

/* a label as added, before the units are built */
struct lab {
	char *id, *pair, *sys_a, *sys_b;   /* sys_*: the systems in byte order (pairwise) */
	size_t rater;                      /* arrival index */
	size_t seq;
	int *slots;                        /* preference slots: arrival category index */
};

struct item_rec { char *id, *slice; long long out_len; };
struct stale_rec { char *rater; long long n; };

struct unit {
	char *id, *pair, *sys_a, *sys_b;
	const struct item_rec *item;       /* NULL: not among the items given */
	int *v;                            /* [rater (sorted) * nslots + slot], -1 none */
};

struct ar_table {
	const struct rubric *r;
	size_t nslots;
	char **rname;                      /* raters in arrival order */
	size_t nr;
	struct lab *lab;
	size_t nlab, labcap;
	struct item_rec *items;
	size_t nitems, itemcap;
	char **cat;                        /* preference categories: system names, "tie" */
	size_t ncat;
	struct stale_rec *stale;
	size_t nstale;
	long long unparsed;
	int *tmp;                          /* nslots scratch */
	/* after ar_finish */
	int finished;
	const char **sorted;               /* raters: humans by name, then judges */
	size_t *rank;                      /* arrival index -> sorted position */
	struct unit *u;
	size_t nunits;
};

int ar_is_judge(const char *rater) { return strncmp(rater, "judge:", 6) == 0; }

static int is_pref_slot(const struct rubric *r, size_t slot)
{
	struct slot_info si;
	rubric_slot_info(r, slot, &si);
	return si.crit && si.crit->type == CRIT_PREFERENCE;
}

struct ar_table *ar_new(const struct rubric *r)
{
	struct ar_table *t = xcalloc(1, sizeof *t);
	t->r = r;
	t->nslots = rubric_slot_count(r);
	t->tmp = xmalloc((t->nslots + 1) * sizeof *t->tmp);
	return t;
}

const struct rubric *ar_rubric(const struct ar_table *t) { return t->r; }

static void free_units(struct ar_table *t)
{
	for (size_t i = 0; i < t->nunits; i++) {
		struct unit *u = &t->u[i];
		free(u->id);
		free(u->pair);
		free(u->sys_a);
		free(u->sys_b);
		free(u->v);
	}
	free(t->u);
}

static void free_lab(struct lab *l)
{
	free(l->id);
	free(l->pair);
	free(l->sys_a);
	free(l->sys_b);
	free(l->slots);
}

void ar_free(struct ar_table *t)
{
	if (!t) return;
	for (size_t i = 0; i < t->nlab; i++) free_lab(&t->lab[i]);
	free(t->lab);
	for (size_t i = 0; i < t->nitems; i++) {
		free(t->items[i].id);
		free(t->items[i].slice);
	}
	free(t->items);
	for (size_t i = 0; i < t->nr; i++) free(t->rname[i]);
	free(t->rname);
	for (size_t i = 0; i < t->ncat; i++) free(t->cat[i]);
	free(t->cat);
	for (size_t i = 0; i < t->nstale; i++) free(t->stale[i].rater);
	free(t->stale);
	free(t->tmp);
	free(t->sorted);
	free(t->rank);
	free_units(t);
	free(t);
}

/* ---- adding ---- */

void ar_item(struct ar_table *t, const char *id, const char *slice, long long out_len)
{
	if (t->nitems == t->itemcap)
		t->items = xrealloc(t->items, (t->itemcap = t->itemcap ? 2 * t->itemcap : 64) * sizeof *t->items);
	struct item_rec *it = &t->items[t->nitems++];
	it->id = xstrdup(id);
	it->slice = slice ? xstrdup(slice) : NULL;
	it->out_len = out_len;
}

static size_t intern(char ***v, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0) return i;
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = xstrdup(s);
	return (*n)++;
}

/* preference slots as chosen (0 left, 1 right, 2 tie) -> winner category */
static void canonical_winners(struct ar_table *t, const struct ar_label *l, int *slots)
{
	for (size_t s = 0; s < t->nslots; s++) {
		if (slots[s] < 0 || !is_pref_slot(t->r, s)) continue;
		const char *w = slots[s] == 2 ? "tie" : slots[s] == 0 ? (l->left ? l->left : "A")
									: (l->right ? l->right : "B");
		slots[s] = (int)intern(&t->cat, &t->ncat, w);
	}
}

static void lab_systems(struct lab *b, const struct ar_label *l)
{
	if (!l->left || !l->right) return;
	int lf = strcmp(l->left, l->right) <= 0;
	b->sys_a = xstrdup(lf ? l->left : l->right);
	b->sys_b = xstrdup(lf ? l->right : l->left);
}

int ar_add(struct ar_table *t, const struct ar_label *l)
{
	struct gs_err ignore;
	if (!l->vals || rubric_values_from_json(t->r, l->vals, l->left, l->right, 0, t->tmp, "", &ignore)) {
		t->unparsed++;
		return -1;
	}
	canonical_winners(t, l, t->tmp);
	if (t->nlab == t->labcap)
		t->lab = xrealloc(t->lab, (t->labcap = t->labcap ? 2 * t->labcap : 256) * sizeof *t->lab);
	struct lab *b = &t->lab[t->nlab];
	memset(b, 0, sizeof *b);
	b->id = xstrdup(l->id);
	b->pair = xstrdup(l->pair_key ? l->pair_key : "");
	lab_systems(b, l);
	b->rater = intern(&t->rname, &t->nr, l->rater);
	b->seq = t->nlab++;
	b->slots = xmalloc((t->nslots + 1) * sizeof *b->slots);
	memcpy(b->slots, t->tmp, t->nslots * sizeof *b->slots);
	return 0;
}

void ar_count_stale(struct ar_table *t, const char *rater, long long n)
{
	if (n <= 0) return;
	t->stale = xrealloc(t->stale, (t->nstale + 1) * sizeof *t->stale);
	t->stale[t->nstale].rater = xstrdup(rater);
	t->stale[t->nstale++].n = n;
}

/* ---- finishing: raters sorted, categories sorted, labels grouped into units ---- */

static int cmp_rater_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int jx = ar_is_judge(x), jy = ar_is_judge(y);
	return jx != jy ? jx - jy : strcmp(x, y);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_lab(const void *a, const void *b)
{
	const struct lab *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	if (!c) c = strcmp(x->pair, y->pair);
	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_item(const void *a, const void *b)
{
	return strcmp(((const struct item_rec *)a)->id, ((const struct item_rec *)b)->id);
}

static void sort_raters(struct ar_table *t)
{
	t->sorted = xmalloc((t->nr + 1) * sizeof *t->sorted);
	t->rank = xmalloc((t->nr + 1) * sizeof *t->rank);
	for (size_t i = 0; i < t->nr; i++) t->sorted[i] = t->rname[i];
	if (t->nr > 1) qsort(t->sorted, t->nr, sizeof *t->sorted, cmp_rater_name);
	for (size_t i = 0; i < t->nr; i++)
		for (size_t k = 0; k < t->nr; k++)
			if (t->sorted[k] == t->rname[i]) t->rank[i] = k;
	t->sorted[t->nr] = NULL;
}

/* categories in byte order; the labels' codes follow */
static void sort_categories(struct ar_table *t)
{
	if (!t->ncat) return;
	char **old = xmalloc(t->ncat * sizeof *old);
	memcpy(old, t->cat, t->ncat * sizeof *old);
	qsort(t->cat, t->ncat, sizeof *t->cat, cmp_str);
	int *pos = xmalloc(t->ncat * sizeof *pos);
	for (size_t i = 0; i < t->ncat; i++)
		for (size_t k = 0; k < t->ncat; k++)
			if (t->cat[k] == old[i]) pos[i] = (int)k;
	for (size_t i = 0; i < t->nlab; i++)
		for (size_t s = 0; s < t->nslots; s++)
			if (t->lab[i].slots[s] >= 0 && is_pref_slot(t->r, s)) t->lab[i].slots[s] = pos[t->lab[i].slots[s]];
	free(pos);
	free(old);
}

static const struct item_rec *find_item(const struct ar_table *t, const char *id)
{
	struct item_rec key = {.id = (char *)id};
	return t->nitems ? bsearch(&key, t->items, t->nitems, sizeof *t->items, cmp_item) : NULL;
}

/* a new unit taking over the strings of label b */
static struct unit *unit_from(struct ar_table *t, struct lab *b)
{
	struct unit *u = &t->u[t->nunits++];
	u->id = b->id;
	u->pair = b->pair;
	u->sys_a = b->sys_a;
	u->sys_b = b->sys_b;
	b->id = b->pair = b->sys_a = b->sys_b = NULL;
	u->item = find_item(t, u->id);
	u->v = xmalloc((t->nr * t->nslots + 1) * sizeof *u->v);
	for (size_t i = 0; i < t->nr * t->nslots; i++) u->v[i] = -1;
	return u;
}

static void build_units(struct ar_table *t)
{
	if (t->nlab > 1) qsort(t->lab, t->nlab, sizeof *t->lab, cmp_lab);
	t->u = xcalloc(t->nlab + 1, sizeof *t->u);
	struct unit *u = NULL;
	for (size_t i = 0; i < t->nlab; i++) {
		struct lab *b = &t->lab[i];
		if (!u || strcmp(u->id, b->id) != 0 || strcmp(u->pair, b->pair) != 0) u = unit_from(t, b);
		else if (!u->sys_a && b->sys_a) {
			u->sys_a = b->sys_a;
			u->sys_b = b->sys_b;
			b->sys_a = b->sys_b = NULL;
		}
		memcpy(u->v + t->rank[b->rater] * t->nslots, b->slots, t->nslots * sizeof *u->v);
	}
	for (size_t i = 0; i < t->nlab; i++) free_lab(&t->lab[i]);
	free(t->lab);
	t->lab = NULL;
	t->nlab = t->labcap = 0;
}

void ar_finish(struct ar_table *t)
{
	if (t->finished) return;
	t->finished = 1;
	if (t->nitems > 1) qsort(t->items, t->nitems, sizeof *t->items, cmp_item);
	sort_raters(t);
	sort_categories(t);
	build_units(t);
}

size_t ar_raters(const struct ar_table *t, const char *const **names)
{
	*names = t->sorted;
	return t->nr;
}

static long rater_pos(const struct ar_table *t, const char *name)
{
	for (size_t i = 0; i < t->nr; i++)
		if (strcmp(t->sorted[i], name) == 0) return (long)i;
	return -1;
}

int ar_has_rater(const struct ar_table *t, const char *rater) { return rater_pos(t, rater) >= 0; }
long long ar_unparsed(const struct ar_table *t) { return t->unparsed; }

static int strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0) return 1;
	return 0;
}

const char **ar_select(const struct ar_table *t, char *const *raters)
{
	const char **out = xcalloc(t->nr + 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < t->nr; i++) {
		if (raters ? strv_has(raters, t->sorted[i]) : !ar_is_judge(t->sorted[i])) out[n++] = t->sorted[i];
	}
	return out;
}

long long ar_stale(const struct ar_table *t, char *const *raters)
{
	long long n = 0;
	for (size_t i = 0; i < t->nstale; i++) {
		if (raters ? strv_has(raters, t->stale[i].rater) : !ar_is_judge(t->stale[i].rater)) n += t->stale[i].n;
	}
	return n;
}

/* ---- loading from the store ---- */

static int on_store_item(void *ctx, const struct store_agree_item *it)
{
	ar_item(ctx, it->ext_id, it->slice, it->out_len);
	return 0;
}

static int on_store_label(void *ctx, const struct store_label *l)
{
	struct ar_label a = {l->ext_id, l->rater, l->pair_key, l->left_sys, l->right_sys, l->vals};
	ar_add(ctx, &a);
	return 0;
}

struct stale_ctx { struct ar_table *t; const char *rubric; };

static int on_store_count(void *ctx, const struct store_label_count *c)
{
	struct stale_ctx *s = ctx;
	if (strcmp(c->rubric, s->rubric) == 0) ar_count_stale(s->t, c->rater, c->stale);
	return 0;
}

int ar_load_store(store *st, const struct rubric *r, const char *by, struct ar_table **out, struct gs_err *e)
{
	struct ar_table *t = ar_new(r);
	struct store_label_query q = {.rubric = r->name};
	struct stale_ctx sc = {t, r->name};
	if (store_agree_items_each(st, by, on_store_item, t, e) || store_labels_each(st, &q, on_store_label, t, e) ||
	    store_label_counts_each(st, on_store_count, &sc, e)) {
		ar_free(t);
		return e->code;
	}
	ar_finish(t);
	*out = t;
	return 0;
}

/* ---- values ---- */

static int slot_value(const struct ar_table *t, const struct unit *u, size_t rater, size_t slot)
{
	return u->v[rater * t->nslots + slot];
}

static double value_number(const struct ar_table *t, size_t slot, int v)
{
	if (v < 0) return NAN;
	return is_pref_slot(t->r, slot) ? v : rubric_value_number(t->r, slot, v);
}

static const char *value_text(const struct ar_table *t, size_t slot, int v, char buf[32])
{
	if (v < 0) return NULL;
	if (is_pref_slot(t->r, slot)) return (size_t)v < t->ncat ? t->cat[v] : "";
	return rubric_value_text(t->r, slot, v, buf);
}

const char *ar_value_text(const struct ar_row *row, double v, char buf[32])
{
	const struct ar_table *t = row->t;
	if (isnan(v)) return "";
	if (is_pref_slot(t->r, row->slot)) return v >= 0 && v < (double)t->ncat ? t->cat[(size_t)v] : "";
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
	long *pos;                /* sorted rater position per column; -1: the majority */
	long *human;              /* judge mode: the humans' positions */
	size_t nhuman;
	int *vbuf;                /* nhuman scratch values */
};

static void cols_free(struct cols *c)
{
	free(c->pos);
	free(c->human);
	free(c->vbuf);
}

static void cols_for(const struct ar_table *t, const struct ar_opts *o, const char **sel, struct cols *c)
{
	memset(c, 0, sizeof *c);
	size_t n = strv_len((char *const *)sel);
	c->pos = xcalloc(n + 2, sizeof *c->pos);
	c->human = xcalloc(n + 1, sizeof *c->human);
	c->vbuf = xcalloc(n + 1, sizeof *c->vbuf);
	for (size_t i = 0; i < n; i++) {
		if (o->judge && strcmp(sel[i], o->judge) == 0) continue;
		c->human[c->nhuman++] = rater_pos(t, sel[i]);
	}
	if (o->judge) {
		c->pos[0] = rater_pos(t, o->judge);
		c->pos[1] = -1;
		c->n = 2;
	} else {
		for (size_t i = 0; i < c->nhuman; i++) c->pos[i] = c->human[i];
		c->n = c->nhuman;
	}
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* the humans' answer: the mode (the median for scales), -1 on an even split
 * (*tie set) or when no human answered */
static int majority(const struct ar_table *t, const struct unit *u, const struct cols *c, size_t slot, int scale,
		    int *tie)
{
	int *v = c->vbuf, n = 0;
	*tie = 0;
	for (size_t i = 0; i < c->nhuman; i++) {
		int x = slot_value(t, u, (size_t)c->human[i], slot);
		if (x >= 0) v[n++] = x;
	}
	if (!n) return -1;
	qsort(v, (size_t)n, sizeof *v, cmp_int);
	if (scale) {
		if (v[(n - 1) / 2] == v[n / 2]) return v[n / 2];
		*tie = 1;
		return -1;
	}
	int best = -1, bestn = 0, dup = 0;
	for (int i = 0, run = 1; i < n; i++, run++) {
		if (i + 1 < n && v[i + 1] == v[i]) continue;
		if (run > bestn) best = v[i], bestn = run, dup = 0;
		else if (run == bestn) dup = 1;
		run = 0;
	}
	if (dup) *tie = 1;
	return dup ? -1 : best;
}

/* ---- rows: building one ---- */

struct rowbuild {
	const struct ar_table *t;
	const struct ar_opts *o;
	const struct cols *c;
	size_t slot;
	int sliced;
	const char *slice;
	size_t ties;              /* judge mode: units left out on an even split */
	long long stale;          /* the columns' stale labels */
};

static int in_slice(const struct rowbuild *b, const struct unit *u)
{
	if (!b->sliced) return 1;
	const char *s = u->item ? u->item->slice : NULL;
	if (!s || !b->slice) return !s && !b->slice;
	return strcmp(s, b->slice) == 0;
}

/* fills one line of the matrix for unit u; 1 when it belongs in the row */
static int unit_line(struct rowbuild *b, const struct unit *u, double *line)
{
	const struct ar_table *t = b->t;
	if (b->o->judge) {
		struct slot_info si;
		rubric_slot_info(t->r, b->slot, &si);
		int tie, scale = si.crit->type == CRIT_SCALE;
		int jv = b->c->pos[0] >= 0 ? slot_value(t, u, (size_t)b->c->pos[0], b->slot) : -1;
		int mv = majority(t, u, b->c, b->slot, scale, &tie);
		b->ties += (size_t)(tie && jv >= 0);
		if (jv < 0 || mv < 0) return 0;
		line[0] = value_number(t, b->slot, jv);
		line[1] = value_number(t, b->slot, mv);
		return 1;
	}
	int any = 0;
	for (size_t k = 0; k < b->c->n; k++) {
		int v = slot_value(t, u, (size_t)b->c->pos[k], b->slot);
		line[k] = value_number(t, b->slot, v);
		any |= v >= 0;
	}
	return any;
}

static void fill_matrix(struct rowbuild *b, struct ar_row *row)
{
	const struct ar_table *t = b->t;
	row->m = xmalloc((t->nunits * row->ncol + 1) * sizeof *row->m);
	row->len = xmalloc((t->nunits + 1) * sizeof *row->len);
	for (size_t i = 0; i < t->nunits; i++) {
		const struct unit *u = &t->u[i];
		if (!in_slice(b, u) || !unit_line(b, u, row->m + row->nunits * row->ncol)) continue;
		row->len[row->nunits++] = u->item ? u->item->out_len : -1;
	}
}

static void fill_scale(const struct ar_table *t, struct ar_row *row)
{
	size_t n = is_pref_slot(t->r, row->slot) ? t->ncat : (size_t)row->si.nopts;
	row->scale = xmalloc((n + 1) * sizeof *row->scale);
	for (size_t v = 0; v < n; v++) row->scale[v] = value_number(t, row->slot, (int)v);
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

/* Pearson's r of output length with the value (Pearson 1896), two passes
 * for accuracy; NaN when fewer than three units or either side is constant */
static double pearson(const double *x, const double *y, size_t n)
{
	if (n < 3) return NAN;
	double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
	for (size_t i = 0; i < n; i++) mx += x[i], my += y[i];
	mx /= (double)n;
	my /= (double)n;
	for (size_t i = 0; i < n; i++) {
		sxy += (x[i] - mx) * (y[i] - my);
		sxx += (x[i] - mx) * (x[i] - mx);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx <= 0 || syy <= 0) return NAN;
	return sxy / sqrt(sxx * syy);
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
		row->len_r[k] = pearson(x, y, n);
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
	int scale = row->si.crit->type == CRIT_SCALE && row->a.level != ST_NOMINAL;
	row->verdict_on = scale ? "weighted_kappa_linear" : "cohen_kappa";
	row->verdict_kappa = scale ? row->a.weighted_kappa_linear : row->a.cohen_kappa;
	row->verdict = isnan(row->verdict_kappa) ? "undefined"
		: row->verdict_kappa >= AR_JUDGE_DEPLOY ? "deploy" : "do not deploy";
}

/* "judges left out (judge:a, judge:b): ..." when the default raters skip some */
static void judges_note(const struct ar_table *t, struct st_notes *n)
{
	char list[80] = "";
	size_t len = 0, count = 0;
	for (size_t i = 0; i < t->nr; i++) {
		if (!ar_is_judge(t->sorted[i])) continue;
		int w = snprintf(list + len, sizeof list - len, "%s%s", count++ ? ", " : "", t->sorted[i]);
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
	const struct ar_table *t = b->t;
	struct st_notes *n = &row->a.notes;
	if (b->stale)
		st_note(n, "%lld labels left out: made on an older version of their item (label them again)", b->stale);
	if (t->unparsed)
		st_note(n, "%lld labels left out: the current rubric does not accept their values", t->unparsed);
	if (b->ties)
		st_note(n, "%zu units left out: the humans were split evenly, so there is no majority", b->ties);
	if (b->o->judge)
		st_note(n, "the human majority is the most frequent value%s of the %zu human raters",
			row->si.crit->type == CRIT_SCALE ? " (the median for scales)" : "", b->c->nhuman);
	if (!b->o->raters && !b->o->judge) judges_note(t, n);
	for (size_t i = 0; b->o->raters && b->o->raters[i]; i++)
		if (!ar_has_rater(t, b->o->raters[i]))
			st_note(n, "%.60s has no labels under this rubric", b->o->raters[i]);
	if (b->o->level_set && is_pref_slot(t->r, row->slot) && row->a.level != ST_NOMINAL)
		st_note(n, "winners are names without an order: sorted alphabetically for the %s level",
			st_level_name(row->a.level));
}

static void row_build(struct rowbuild *b, struct ar_row *row)
{
	const struct ar_table *t = b->t;
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
	struct st_data d = {.units = row->nunits, .raters = row->ncol, .v = row->m,
			    .scale = row->scale, .nscale = row->nscale};
	enum st_level lv = b->o->level_set ? b->o->level : ar_level_of(row->si.level);
	if (is_pref_slot(t->r, row->slot) && !b->o->level_set) lv = ST_NOMINAL;
	st_agree(&d, lv, b->o->seed, b->o->resamples, &row->a);
	fill_pairs(row, &d);
	fill_dist(row);
	fill_length_bias(row);
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
static size_t slices_of(const struct ar_table *t, const char ***out)
{
	const char **v = xcalloc(t->nunits + 1, sizeof *v);
	size_t n = 0, k = 0;
	int none = 0;
	for (size_t i = 0; i < t->nunits; i++) {
		const char *s = t->u[i].item ? t->u[i].item->slice : NULL;
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

int ar_rows(const struct ar_table *t, const struct ar_opts *o, struct ar_row **rows, size_t *n, struct gs_err *e)
{
	*rows = NULL;
	*n = 0;
	if (!ar_criterion_matches(t->r, o->criterion))
		return gs_fail(e, EX_NOINPUT, "rubric %s has no criterion \"%s\"", t->r->name, o->criterion);
	const char **sel = ar_select(t, o->raters), **slices = NULL;
	struct cols c;
	cols_for(t, o, sel, &c);
	c.name = xcalloc(c.n + c.nhuman + 2, sizeof *c.name);   /* columns, NULL, humans, NULL */
	for (size_t k = 0; k < c.n; k++) c.name[k] = c.pos[k] >= 0 ? t->sorted[c.pos[k]] : AR_MAJORITY;
	for (size_t k = 0; k < c.nhuman; k++) c.name[c.n + 1 + k] = t->sorted[c.human[k]];
	size_t nslices = o->by ? slices_of(t, &slices) : 0, cap = 0;
	long long stale = ar_stale(t, o->raters);
	if (o->judge && !strv_has(o->raters, o->judge)) stale += ar_stale(t, (char *const[]){(char *)o->judge, NULL});
	for (size_t s = 0; s < t->nslots; s++) {
		if (!slot_wanted(t->r, s, o->criterion)) continue;
		for (size_t k = 0; k <= nslices; k++) {
			if (*n == cap) *rows = xrealloc(*rows, (cap = cap ? 2 * cap : 16) * sizeof **rows);
			struct rowbuild b = {t, o, &c, s, k > 0, k > 0 ? slices[k - 1] : NULL, 0, stale};
			row_build(&b, &(*rows)[(*n)++]);
		}
	}
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
	}
	if (n) free((void *)rows[0].col);
	free(rows);
}

double ar_row_kappa(const struct ar_row *row, const char **name)
{
	int ordered = row->a.level != ST_NOMINAL;
	const char *nm = row->judge ? row->verdict_on : row->ncol > 2 ? "fleiss_kappa"
		: ordered ? "weighted_kappa_linear" : "cohen_kappa";
	if (name) *name = nm;
	if (row->judge) return row->verdict_kappa;
	if (row->ncol > 2) return row->a.fleiss_kappa;
	return ordered ? row->a.weighted_kappa_linear : row->a.cohen_kappa;
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

static void extras_json(struct jo *o, const struct ar_row *row)
{
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

/* the distance of the raters' values in a unit's slot, 0 when they agree or
 * fewer than two gave one */
static double unit_distance(const struct ar_table *t, const struct unit *u, const long *pos, size_t n, size_t slot)
{
	double lo = INFINITY, hi = -INFINITY;
	int first = -1, differ = 0, count = 0;
	for (size_t k = 0; k < n; k++) {
		int v = slot_value(t, u, (size_t)pos[k], slot);
		if (v < 0) continue;
		double x = value_number(t, slot, v);
		lo = fmin(lo, x);
		hi = fmax(hi, x);
		differ |= first >= 0 && v != first;
		first = v;
		count++;
	}
	if (count < 2 || !differ) return 0;
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	return si.crit->type == CRIT_SCALE ? hi - lo : 1;
}

size_t ar_disagreements(const struct ar_table *t, char *const *raters, const char *criterion,
			struct ar_disagreement **out)
{
	const char **sel = ar_select(t, raters);
	size_t nsel = strv_len((char *const *)sel), n = 0, cap = 0;
	long *pos = xcalloc(nsel + 1, sizeof *pos);
	for (size_t k = 0; k < nsel; k++) pos[k] = rater_pos(t, sel[k]);
	*out = NULL;
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++) {
			if (!slot_wanted(t->r, s, criterion)) continue;
			double d = unit_distance(t, &t->u[i], pos, nsel, s);
			if (d <= 0) continue;
			if (n == cap) *out = xrealloc(*out, (cap = cap ? 2 * cap : 64) * sizeof **out);
			(*out)[n++] = (struct ar_disagreement){i, s, d};
		}
	if (n > 1) qsort(*out, n, sizeof **out, cmp_dis);
	free(pos);
	free(sel);
	return n;
}

const char *ar_unit_id(const struct ar_table *t, size_t unit) { return t->u[unit].id; }

const char *ar_unit_pair(const struct ar_table *t, size_t unit, const char **sys_b)
{
	*sys_b = t->u[unit].sys_b;
	return t->u[unit].sys_a;
}

const char *ar_unit_value(const struct ar_table *t, size_t unit, const char *rater, size_t slot, char buf[32])
{
	long p = rater_pos(t, rater);
	return p < 0 ? NULL : value_text(t, slot, slot_value(t, &t->u[unit], (size_t)p, slot), buf);
}

char *ar_unit_value_json(const struct ar_table *t, size_t unit, const char *rater, size_t slot)
{
	long p = rater_pos(t, rater);
	int v = p < 0 ? -1 : slot_value(t, &t->u[unit], (size_t)p, slot);
	struct slot_info si;
	char buf[32];
	rubric_slot_info(t->r, slot, &si);
	if (v < 0) return xstrdup("null");
	if (si.sub >= 0) return xstrdup(v ? "true" : "false");
	if (si.crit->type == CRIT_SCALE) return xasprintf("%d", si.crit->min + v);
	struct jo *a = jo_array();
	jo_str(a, NULL, value_text(t, slot, v, buf));
	char *j = jo_string(a, 0);
	jo_free(a);
	size_t n = strlen(j);   /* ["..."] -> "..." */
	memmove(j, j + 1, n - 2);
	j[n - 2] = 0;
	return j;
}

/* ---- several rubrics: the tables of `agree` and `disagreements` ---- */

void ar_tables_free(struct ar_tables *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		ar_free(ts->t[i]);
		rubric_free(ts->r[i]);
	}
	free(ts->t);
	free(ts->r);
	strv_free(ts->skipped);
	memset(ts, 0, sizeof *ts);
}

static long table_find(const struct ar_tables *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (strcmp(ts->r[i]->name, name) == 0) return (long)i;
	return -1;
}

static void tables_push(struct ar_tables *ts, struct rubric *r, struct ar_table *t)
{
	ts->t = xrealloc(ts->t, (ts->n + 1) * sizeof *ts->t);
	ts->r = xrealloc(ts->r, (ts->n + 1) * sizeof *ts->r);
	ts->t[ts->n] = t;
	ts->r[ts->n++] = r;
}

static int cmp_table(const void *a, const void *b)
{
	const struct ar_table *const *x = a, *const *y = b;
	return strcmp(ar_rubric(*x)->name, ar_rubric(*y)->name);
}

/* keeps r and t in the same (name) order */
static void tables_sort(struct ar_tables *ts)
{
	if (ts->n > 1) qsort(ts->t, ts->n, sizeof *ts->t, cmp_table);
	for (size_t i = 0; i < ts->n; i++) ts->r[i] = (struct rubric *)ar_rubric(ts->t[i]);
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

struct names { char **v; size_t n; };

static void names_add(struct names *ns, const char *name)
{
	ns->v = xrealloc(ns->v, (ns->n + 2) * sizeof *ns->v);
	ns->v[ns->n++] = xstrdup(name);
	ns->v[ns->n] = NULL;
}

static int collect_rubric(void *ctx, const struct store_label_count *c)
{
	struct names *ns = ctx;
	if (!ns->n || strcmp(ns->v[ns->n - 1], c->rubric) != 0) names_add(ns, c->rubric);
	return 0;
}

static int load_store_tables(store *st, const char *rubric, const char *by, struct ar_tables *ts,
			     struct gs_err *e)
{
	struct names ns = {0};
	int rc = 0;
	if (rubric) names_add(&ns, rubric);
	else rc = store_label_counts_each(st, collect_rubric, &ns, e);
	for (size_t i = 0; !rc && i < ns.n; i++) {
		struct rubric *r;
		struct ar_table *t;
		if ((rc = store_rubric(st, ns.v[i], &r, e))) break;
		if ((rc = ar_load_store(st, r, by, &t, e))) {
			rubric_free(r);
			break;
		}
		tables_push(ts, r, t);
	}
	strv_free(ns.v);
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
	ar_item(ctx, it->ext_id, it->slice, it->out_len);
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

static struct ar_table *table_at(struct at_load *al, const char *name, struct gs_err *e)
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
	struct ar_table *t = ar_new(r);
	if (store_agree_items_each(al->st, al->by, items_into, t, e)) {
		ar_free(t);
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
	struct ar_table *t = table_at(al, l->rubric, &e);
	if (!t) return 0;
	char *pk = l->left && l->right ? labelset_pair_key(l->left, l->right) : NULL;
	struct ar_label a = {l->id, l->rater, pk, l->left, l->right, l->labels};
	ar_add(t, &a);
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
	ts->skipped = al.skipped.v;
	vcs_close(repo);
	for (size_t i = 0; !rc && i < ts->n; i++) ar_finish(ts->t[i]);
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
		if (ar_has_rater(ts->t[i], rater)) return 1;
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
