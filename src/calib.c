/* calib.c: the data behind `calibrate`, `review` and `export --consensus`
 * (see calib.h): labels -> a units x raters x slots table -> agreement rows,
 * disagreements and settled answers. Reads the store through store.h only;
 * the statistics are stats.h's. */
#include "calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agreerows.h"
#include "jsonout.h"

/* ---- a small string -> index map (open addressing) ---- */

struct smap { char **key; size_t *val; size_t cap, n; };

static size_t smap_slot(const struct smap *m, const char *k)
{
	size_t i = (size_t)gs_hash64(k, strlen(k), 0) & (m->cap - 1);
	while (m->key[i] && strcmp(m->key[i], k) != 0) i = (i + 1) & (m->cap - 1);
	return i;
}

static void smap_put(struct smap *m, const char *k, size_t v);

static void smap_grow(struct smap *m)
{
	struct smap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->key = xcalloc(m->cap, sizeof *m->key);
	m->val = xcalloc(m->cap, sizeof *m->val);
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i]) {
			smap_put(m, old.key[i], old.val[i]);
			free(old.key[i]);
		}
	free(old.key);
	free(old.val);
}

static void smap_put(struct smap *m, const char *k, size_t v)
{
	if (2 * (m->n + 1) > m->cap) smap_grow(m);
	size_t i = smap_slot(m, k);
	if (!m->key[i]) {
		m->key[i] = xstrdup(k);
		m->n++;
	}
	m->val[i] = v;
}

static int smap_get(const struct smap *m, const char *k, size_t *v)
{
	if (!m->cap) return 0;
	size_t i = smap_slot(m, k);
	if (!m->key[i]) return 0;
	*v = m->val[i];
	return 1;
}

static void smap_free(struct smap *m)
{
	for (size_t i = 0; i < m->cap; i++) free(m->key[i]);
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

/* ---- building the table ---- */

struct build {
	struct calib_table *t;
	struct smap items, units;
	char *const *item_ids;
	size_t cap;
	int *slots;
	size_t *vcount;           /* rubric versions seen: [version] (small) */
	size_t nvcount;
};

static int rater_index(struct build *b, const char *name, size_t *out)
{
	struct calib_table *t = b->t;
	for (size_t i = 0; i < t->nraters; i++)
		if (strcmp(t->raters[i], name) == 0) {
			*out = i;
			return 1;
		}
	return 0;
}

static size_t unit_new(struct build *b, size_t item, const char *pair_key)
{
	struct calib_table *t = b->t;
	if (t->nunits == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		t->u = xrealloc(t->u, b->cap * sizeof *t->u);
	}
	struct calib_unit *u = &t->u[t->nunits];
	memset(u, 0, sizeof *u);
	u->ext_id = xstrdup(b->item_ids[item]);
	u->pair_key = xstrdup(pair_key);
	u->item = item;
	u->v = xmalloc((t->nraters * t->nslots + 1) * sizeof *u->v);
	for (size_t i = 0; i < t->nraters * t->nslots; i++) u->v[i] = -1;
	u->note = xcalloc(t->nraters + 1, sizeof *u->note);
	char *key = xasprintf("%s%c%s", u->ext_id, 1, pair_key);
	smap_put(&b->units, key, t->nunits);
	free(key);
	return t->nunits++;
}

/* the unit of a label, created for a pairwise pair seen the first time */
static struct calib_unit *unit_of(struct build *b, const struct store_label *l)
{
	size_t item, ui;
	if (!smap_get(&b->items, l->ext_id, &item)) return NULL;
	const char *pk = l->pair_key ? l->pair_key : "";
	char *key = xasprintf("%s%c%s", l->ext_id, 1, pk);
	int have = smap_get(&b->units, key, &ui);
	free(key);
	if (!have) {
		if (!*pk || !l->left_sys || !l->right_sys) return NULL;
		ui = unit_new(b, item, pk);
		struct calib_unit *u = &b->t->u[ui];
		int lf = strcmp(l->left_sys, l->right_sys) <= 0;
		u->sys[0] = xstrdup(lf ? l->left_sys : l->right_sys);
		u->sys[1] = xstrdup(lf ? l->right_sys : l->left_sys);
	}
	return &b->t->u[ui];
}

/* preference slots as chosen (0 left, 1 right) -> 0 first system, 1 second */
static void normalise_prefs(const struct calib_table *t, const struct store_label *l, int *slots)
{
	if (!l->left_sys || !l->right_sys) return;
	int left_first = strcmp(l->left_sys, l->right_sys) <= 0;
	for (size_t s = 0; s < t->nslots; s++) {
		struct slot_info si;
		rubric_slot_info(t->r, s, &si);
		if (si.crit->type != CRIT_PREFERENCE || slots[s] < 0 || slots[s] == 2) continue;
		slots[s] = (slots[s] == 0) == left_first ? 0 : 1;
	}
}

static void count_version(struct build *b, int v)
{
	if (v < 0 || v > 100000) return;
	if ((size_t)v >= b->nvcount) {
		b->vcount = xrealloc(b->vcount, ((size_t)v + 1) * sizeof *b->vcount);
		memset(b->vcount + b->nvcount, 0, ((size_t)v + 1 - b->nvcount) * sizeof *b->vcount);
		b->nvcount = (size_t)v + 1;
	}
	b->vcount[v]++;
}

static int on_label(void *ctx, const struct store_label *l)
{
	struct build *b = ctx;
	struct calib_table *t = b->t;
	size_t ri;
	if (!rater_index(b, l->rater, &ri)) return 0;
	struct calib_unit *u = unit_of(b, l);
	if (!u) return 0;
	struct gs_err ignore;
	if (rubric_values_from_json(t->r, l->vals, l->left_sys, l->right_sys, 0, b->slots, "", &ignore)) {
		t->unparsed++;
		return 0;
	}
	normalise_prefs(t, l, b->slots);
	memcpy(u->v + ri * t->nslots, b->slots, t->nslots * sizeof *b->slots);
	free(u->note[ri]);
	u->note[ri] = l->note && *l->note ? xstrdup(l->note) : NULL;
	count_version(b, l->rubric_version);
	return 0;
}

static void add_rater(struct calib_table *t, const char *name)
{
	for (size_t i = 0; i < t->nraters; i++)
		if (strcmp(t->raters[i], name) == 0) return;
	t->raters = xrealloc(t->raters, (t->nraters + 2) * sizeof *t->raters);
	t->raters[t->nraters++] = xstrdup(name);
	t->raters[t->nraters] = NULL;
}

/* every rater with a label on one of the items: humans first, by name */
static int collect_rater(void *ctx, const struct store_label *l)
{
	struct build *b = ctx;
	size_t item;
	if (smap_get(&b->items, l->ext_id, &item)) add_rater(b->t, l->rater);
	return 0;
}

static int cmp_rater(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int jx = calib_is_judge(x), jy = calib_is_judge(y);
	return jx != jy ? jx - jy : strcmp(x, y);
}

static int cmp_unit(const void *a, const void *b)
{
	const struct calib_unit *x = a, *y = b;
	if (x->item != y->item) return x->item < y->item ? -1 : 1;
	return strcmp(x->pair_key, y->pair_key);
}

static void build_units(struct build *b, size_t nitems)
{
	int single = strcmp(b->t->r->mode, "pairwise") != 0;
	for (size_t i = 0; i < nitems; i++) {
		size_t old;
		if (smap_get(&b->items, b->item_ids[i], &old)) continue;   /* listed twice */
		smap_put(&b->items, b->item_ids[i], i);
		if (single) unit_new(b, i, "");
	}
}

static void pick_version(struct build *b)
{
	size_t best = 0;
	for (size_t v = 0; v < b->nvcount; v++)
		if (b->vcount[v] > best) {
			best = b->vcount[v];
			b->t->rubric_version = (int)v;
		}
}

int calib_table_build(store *st, const struct rubric *r, char *const *raters, char *const *items, size_t nitems,
		      struct calib_table *t, struct gs_err *e)
{
	memset(t, 0, sizeof *t);
	t->r = r;
	t->nslots = rubric_slot_count(r);
	struct build b = {.t = t, .item_ids = items};
	struct store_label_query q = {.rubric = r->name, .include_hidden = 1};
	for (size_t i = 0; raters && raters[i]; i++) add_rater(t, raters[i]);
	for (size_t i = 0; i < nitems; i++) smap_put(&b.items, items[i], i);
	int rc = raters ? 0 : store_labels_each(st, &q, collect_rater, &b, e);
	if (!rc && !raters && t->nraters) qsort(t->raters, t->nraters, sizeof *t->raters, cmp_rater);
	smap_free(&b.items);
	build_units(&b, rc ? 0 : nitems);
	b.slots = xmalloc((t->nslots + 1) * sizeof *b.slots);
	if (!rc) rc = store_labels_each(st, &q, on_label, &b, e);
	pick_version(&b);
	if (t->nunits > 1) qsort(t->u, t->nunits, sizeof *t->u, cmp_unit);
	free(b.slots);
	free(b.vcount);
	smap_free(&b.items);
	smap_free(&b.units);
	if (rc) calib_table_free(t);
	return rc;
}

void calib_table_free(struct calib_table *t)
{
	for (size_t i = 0; i < t->nunits; i++) {
		struct calib_unit *u = &t->u[i];
		for (size_t r = 0; r < t->nraters; r++) free(u->note[r]);
		free(u->note);
		free(u->v);
		free(u->ext_id);
		free(u->pair_key);
		free(u->sys[0]);
		free(u->sys[1]);
	}
	free(t->u);
	strv_free(t->raters);
	memset(t, 0, sizeof *t);
}

/* ---- which rubric text the labels were made under ---- */

struct hashes {
	struct smap items;
	char *const *raters;
	char *hash[16];
	size_t count[16], n;
};

static int count_hash(void *ctx, const struct store_label *l)
{
	struct hashes *h = ctx;
	size_t item, i, known = 0;
	if (!smap_get(&h->items, l->ext_id, &item) || !l->rubric_hash || !*l->rubric_hash) return 0;
	for (i = 0; h->raters && h->raters[i]; i++) known |= strcmp(h->raters[i], l->rater) == 0;
	if (h->raters && !known) return 0;
	for (i = 0; i < h->n && strcmp(h->hash[i], l->rubric_hash) != 0; i++) {}
	if (i == h->n && h->n < ARRAY_LEN(h->hash)) h->hash[h->n++] = xstrdup(l->rubric_hash);
	if (i < h->n) h->count[i]++;
	return 0;
}

int calib_rubric(store *st, const char *name, char *const *raters, char *const *items, size_t nitems,
		 struct rubric **out, struct gs_err *e)
{
	struct hashes h = {.raters = raters};
	for (size_t i = 0; i < nitems; i++) smap_put(&h.items, items[i], i);
	struct store_label_query q = {.rubric = name, .include_hidden = 1};
	int rc = store_labels_each(st, &q, count_hash, &h, e);
	size_t best = 0;
	for (size_t i = 1; i < h.n; i++)
		if (h.count[i] > h.count[best]) best = i;
	struct store_rubric sr;
	struct gs_err ignore;
	if (!rc) {
		if (!h.n || store_rubric_get_hash(st, name, h.hash[best], &sr, &ignore))
			rc = store_rubric_get(st, name, &sr, e);
		if (!rc) {
			char *where = xasprintf("rubric %s", name);
			rc = rubric_parse(sr.json, strlen(sr.json), where, out, e, NULL, NULL);
			free(where);
			store_rubric_free(&sr);
		}
	}
	for (size_t i = 0; i < h.n; i++) free(h.hash[i]);
	smap_free(&h.items);
	return rc;
}

/* ---- values ---- */

static int is_pref(const struct calib_table *t, size_t slot, struct slot_info *si)
{
	rubric_slot_info(t->r, slot, si);
	return si->crit && si->crit->type == CRIT_PREFERENCE;
}

const char *calib_value_text(const struct calib_table *t, const struct calib_unit *u, size_t slot, int v,
			     char buf[32])
{
	struct slot_info si;
	if (v < 0) return "";
	if (is_pref(t, slot, &si)) return v == 2 ? "tie" : u->sys[v] ? u->sys[v] : v ? "second" : "first";
	return rubric_value_text(t->r, slot, v, buf);
}

static char *json_string(const char *s)
{
	struct jo *a = jo_array();
	jo_str(a, NULL, s);
	char *j = jo_string(a, 0);
	jo_free(a);
	size_t n = strlen(j);
	memmove(j, j + 1, n - 2);   /* strip the brackets */
	j[n - 2] = 0;
	return j;
}

char *calib_value_json(const struct calib_table *t, const struct calib_unit *u, size_t slot, int v)
{
	struct slot_info si;
	char buf[32];
	if (v < 0) return xstrdup("null");
	rubric_slot_info(t->r, slot, &si);
	if (si.sub >= 0) return xstrdup(v ? "true" : "false");
	if (si.crit->type == CRIT_SCALE) return xasprintf("%d", si.crit->min + v);
	return json_string(calib_value_text(t, u, slot, v, buf));
}

int calib_value_parse(const struct calib_table *t, const struct calib_unit *u, size_t slot, const char *json)
{
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	for (int v = 0; json && v < si.nopts; v++) {
		char *j = calib_value_json(t, u, slot, v);
		int same = strcmp(j, json) == 0;
		free(j);
		if (same) return v;
	}
	return -1;
}

char *calib_key(const struct calib_table *t, const struct calib_unit *u, size_t slot)
{
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	return *u->pair_key ? xasprintf("%s %s", si.name, u->pair_key) : xstrdup(si.name);
}

int calib_disagree(const struct calib_table *t, const struct calib_unit *u, size_t slot)
{
	int first = -1;
	for (size_t r = 0; r < t->nraters; r++) {
		int v = calib_val(t, u, r, slot);
		if (v < 0) continue;
		if (first >= 0 && v != first) return 1;
		first = v;
	}
	return 0;
}

/* ---- agreement rows ---- */


/* units x raters of one slot, units nobody rated left out */
static size_t slot_matrix(const struct calib_table *t, size_t slot, double *m)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nunits; i++) {
		int any = 0;
		for (size_t r = 0; r < t->nraters; r++) {
			int v = calib_val(t, &t->u[i], r, slot);
			m[n * t->nraters + r] = v < 0 ? NAN : rubric_value_number(t->r, slot, v);
			any |= v >= 0;
		}
		n += any;
	}
	return n;
}

static void row_verdict(struct calib_row *row, size_t nraters)
{
	row->kappa = nraters == 2 ? row->a.cohen_kappa : row->a.fleiss_kappa;
	row->verdict = isnan(row->kappa) ? "undefined" : row->kappa >= CALIB_KAPPA_OK ? "ok" : "too vague";
}

static void row_fill(const struct calib_table *t, size_t slot, unsigned resamples, uint64_t seed,
		     struct calib_row *row)
{
	row->slot = slot;
	rubric_slot_info(t->r, slot, &row->si);
	double *m = xmalloc((t->nunits * t->nraters + 1) * sizeof *m);
	double *scale = xmalloc(((size_t)row->si.nopts + 1) * sizeof *scale);
	for (int v = 0; v < row->si.nopts; v++) scale[v] = rubric_value_number(t->r, slot, v);
	struct st_data d = {.units = slot_matrix(t, slot, m), .raters = t->nraters, .v = m,
			    .scale = scale, .nscale = (size_t)row->si.nopts};
	st_agree(&d, ar_level_of(row->si.level), seed, resamples, &row->a);
	if (t->nraters >= 2) row->k = st_confusion(&d, 0, 1, &row->cval, &row->ccount);
	for (size_t i = 0; i < t->nunits; i++) row->disagreements += (size_t)calib_disagree(t, &t->u[i], slot);
	row_verdict(row, t->nraters);
	free(m);
	free(scale);
}

struct calib_row *calib_rows(const struct calib_table *t, unsigned resamples, uint64_t seed)
{
	struct calib_row *rows = xcalloc(t->nslots + 1, sizeof *rows);
	for (size_t s = 0; s < t->nslots; s++) row_fill(t, s, resamples, seed, &rows[s]);
	return rows;
}

void calib_rows_free(struct calib_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].cval);
		free(rows[i].ccount);
	}
	free(rows);
}

static void confusion_json(struct jo *o, const struct calib_table *t, const struct calib_row *r, size_t slot)
{
	if (t->nraters < 2 || !r->k) return;
	struct jo *c = jo_add_object(o, "confusion");
	jo_str(c, "rows", t->raters[0]);
	jo_str(c, "columns", t->raters[1]);
	struct jo *vals = jo_add_array(c, "values"), *counts = jo_add_array(c, "counts");
	struct calib_unit none = {.pair_key = ""};
	for (size_t i = 0; i < r->k; i++) {
		int v = (int)r->cval[i];
		if (r->si.crit->type == CRIT_SCALE) v -= r->si.crit->min;
		char *j = calib_value_json(t, &none, slot, v);
		if (jo_raw(vals, NULL, j)) jo_num(vals, NULL, r->cval[i]);
		free(j);
		struct jo *row = jo_add_array(counts, NULL);
		for (size_t k = 0; k < r->k; k++) jo_int(row, NULL, r->ccount[i * r->k + k]);
	}
}

void calib_row_json(struct jo *o, const struct calib_table *t, const struct calib_row *r)
{
	jo_str(o, "criterion", r->si.name);
	ar_design_json(o, &r->a);   /* the agree row's fixed fields (DESIGN), written in one place */
	jo_str(o, "verdict", r->verdict);
	jo_str(o, "verdict_on", t->nraters == 2 ? "cohen_kappa" : "fleiss_kappa");
	jo_num(o, "verdict_threshold", CALIB_KAPPA_OK);
	jo_int(o, "disagreements", (long long)r->disagreements);
	confusion_json(o, t, r, r->slot);
}

/* ---- settled answers ---- */

int calib_is_judge(const char *rater) { return strncmp(rater, "judge:", 6) == 0; }

const char *calib_status_name(enum calib_status s)
{
	static const char *const names[] = {"consensus", "majority", "tie", "too_few_raters"};
	return names[s];
}

static enum calib_status median_of(const int *vals, int n, int *v)
{
	if (n % 2) {
		*v = vals[n / 2];
		return CALIB_MAJORITY;
	}
	if (vals[n / 2 - 1] != vals[n / 2]) return CALIB_TIE;
	*v = vals[n / 2];
	return CALIB_MAJORITY;
}

static enum calib_status mode_of(const int *vals, int n, int *v)
{
	int best = 0, count = 0, tied = 0;
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && vals[j] == vals[i]) j++;
		if (j - i > count) {
			count = j - i;
			best = vals[i];
			tied = 0;
		} else if (j - i == count) {
			tied = 1;
		}
		i = j;
	}
	if (tied) return CALIB_TIE;
	*v = best;
	return CALIB_MAJORITY;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

enum calib_status calib_majority(const struct calib_table *t, const struct calib_unit *u, size_t slot, int *v,
				 int *votes)
{
	int *vals = xmalloc((t->nraters + 1) * sizeof *vals), n = 0;
	for (size_t r = 0; r < t->nraters; r++)
		if (!calib_is_judge(t->raters[r]) && calib_val(t, u, r, slot) >= 0) vals[n++] = calib_val(t, u, r, slot);
	qsort(vals, (size_t)n, sizeof *vals, cmp_int);
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	*v = -1;
	*votes = n;
	enum calib_status s = CALIB_TOO_FEW;
	if (n == 1) *v = vals[0];
	else if (n >= 2 && si.crit->type == CRIT_SCALE) s = median_of(vals, n, v);
	else if (n >= 2) s = mode_of(vals, n, v);
	free(vals);
	return s;
}

/* ---- recorded consensus ---- */

static int cons_add(void *ctx, const struct store_consensus *c)
{
	struct calib_conslist *l = ctx;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->c = xrealloc(l->c, l->cap * sizeof *l->c);
	}
	struct calib_cons *x = &l->c[l->n++];
	x->ext_id = xstrdup(c->ext_id);
	x->key = xstrdup(c->criterion);
	x->value = xstrdup(c->value);
	x->cause = c->cause ? xstrdup(c->cause) : NULL;
	x->note = c->note ? xstrdup(c->note) : NULL;
	x->source = c->source ? xstrdup(c->source) : NULL;
	x->at = c->at ? xstrdup(c->at) : NULL;
	x->version = c->rubric_version;
	return 0;
}

int calib_cons_load(store *st, const char *rubric, const char *ext_id, struct calib_conslist *l, struct gs_err *e)
{
	memset(l, 0, sizeof *l);
	return store_consensus_each(st, rubric, ext_id, cons_add, l, e);
}

/* the store lists them by (ext_id, key) in byte order: binary search */
const struct calib_cons *calib_cons_find(const struct calib_conslist *l, const char *ext_id, const char *key)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(l->c[mid].ext_id, ext_id);
		if (!c) c = strcmp(l->c[mid].key, key);
		if (!c) return &l->c[mid];
		if (c < 0) lo = mid + 1;
		else hi = mid;
	}
	return NULL;
}

void calib_cons_free(struct calib_conslist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct calib_cons *c = &l->c[i];
		char *f[] = {c->ext_id, c->key, c->value, c->cause, c->note, c->source, c->at};
		for (size_t k = 0; k < ARRAY_LEN(f); k++) free(f[k]);
	}
	free(l->c);
	memset(l, 0, sizeof *l);
}

/* ---- the golden answers (export --consensus) ---- */

struct idlist { char **id; size_t n, cap; };

static int add_id(void *ctx, const struct store_item *it)
{
	struct idlist *l = ctx;
	if (l->n + 1 >= l->cap) {
		l->cap = l->cap ? 2 * l->cap : 128;
		l->id = xrealloc(l->id, l->cap * sizeof *l->id);
	}
	l->id[l->n++] = xstrdup(it->ext_id);
	l->id[l->n] = NULL;
	return 0;
}

/* one line: id, rubric, rubric_version, [pair], criterion, value, status, raters */
static struct jo *answer_line(const struct calib_table *t, const struct calib_unit *u, size_t s,
			      const struct calib_cons *c, enum calib_status st, int v, int votes)
{
	struct slot_info si;
	rubric_slot_info(t->r, s, &si);
	struct jo *o = jo_object();
	jo_str(o, "id", u->ext_id);
	jo_str(o, "rubric", t->r->name);
	jo_int(o, "rubric_version", c ? c->version : t->r->version);
	if (*u->pair_key) {
		struct jo *p = jo_add_array(o, "pair");
		jo_str(p, NULL, u->sys[0]);
		jo_str(p, NULL, u->sys[1]);
	}
	jo_str(o, "criterion", si.name);
	char *val = c ? xstrdup(c->value) : calib_value_json(t, u, s, v);
	if (jo_raw(o, "value", val)) jo_null(o, "value");
	free(val);
	jo_str(o, "status", calib_status_name(c ? CALIB_CONSENSUS : st));
	jo_int(o, "raters", votes);
	return o;
}

static int unit_answers(const struct calib_table *t, const struct calib_unit *u, const struct calib_conslist *cl,
			int (*emit)(void *ctx, struct jo *line), void *ctx)
{
	for (size_t s = 0; s < t->nslots; s++) {
		char *key = calib_key(t, u, s);
		const struct calib_cons *c = calib_cons_find(cl, u->ext_id, key);
		free(key);
		int v, votes;
		enum calib_status st = calib_majority(t, u, s, &v, &votes);
		struct jo *line = answer_line(t, u, s, c, st, v, votes);
		int stop = emit(ctx, line);
		jo_free(line);
		if (stop) return stop;
	}
	return 0;
}

static int table_used(const struct calib_table *t)
{
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t k = 0; k < t->nraters * t->nslots; k++)
			if (t->u[i].v[k] >= 0) return 1;
	return 0;
}

int calib_answers(store *st, const struct rubric *r, int if_used, int (*emit)(void *ctx, struct jo *line),
		  void *ctx, struct gs_err *e)
{
	struct idlist ids = {0};
	struct store_item_query q = {.kind = strcmp(r->mode, "pairwise") == 0 ? "pairwise" : "single", .by_id = 1};
	struct calib_table t;
	struct calib_conslist cl = {0};
	int rc = store_items_each(st, &q, add_id, &ids, e) || calib_cons_load(st, r->name, NULL, &cl, e) ||
		 calib_table_build(st, r, NULL, ids.id, ids.n, &t, e);
	if (!rc) {
		int skip = if_used && !cl.n && !table_used(&t);
		for (size_t i = 0; i < t.nunits && !rc && !skip; i++) rc = unit_answers(&t, &t.u[i], &cl, emit, ctx);
		calib_table_free(&t);
	}
	calib_cons_free(&cl);
	if (ids.id) strv_free(ids.id);
	return rc ? e->code ? e->code : rc : 0;
}
