/* calib.c: calibration runs (start, the report, rounds, the discussion's
 * record) and the settled answers of review and `export --consensus` (see
 * calib.h): ratings tables (ratings.h) -> agreement rows, disagreements and
 * answers. Reads the store through store.h only; the statistics are
 * stats.h's; no printing. */
#include "app/calib.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/agreerows.h"
#include "model/items.h"
#include "base/jsonout.h"
#include "model/labelline.h"
#include "app/ws.h"

static GHashTable *id_set(char *const *ids, size_t n)
{
	GHashTable *h = g_hash_table_new(gs_str_hash, gs_str_equal);
	for (size_t i = 0; i < n; i++) g_hash_table_add(h, ids[i]);
	return h;
}

/* ---- which rubric text the labels were made under ---- */

struct hashes {
	GHashTable *items;
	char *const *raters;
	char *hash[16];
	size_t count[16], n;
};

static int count_hash(void *ctx, const struct store_label *l)
{
	struct hashes *h = ctx;
	size_t i, known = 0;
	if (!g_hash_table_contains(h->items, l->ext_id) || !l->rubric_hash || !*l->rubric_hash) return 0;
	for (i = 0; h->raters && h->raters[i]; i++) known |= strcmp(h->raters[i], l->rater) == 0;
	if (h->raters && !known) return 0;
	for (i = 0; i < h->n && strcmp(h->hash[i], l->rubric_hash) != 0; i++) {}
	if (i == h->n && h->n < ARRAY_LEN(h->hash)) h->hash[h->n++] = xstrdup(l->rubric_hash);
	if (i < h->n) h->count[i]++;
	return 0;
}

static int parse_stored(struct store_rubric *sr, const char *name, struct rubric **out, struct gs_err *e)
{
	char *where = xasprintf("rubric %s", name);
	int rc = rubric_parse(sr->json, strlen(sr->json), where, out, e, NULL, NULL);
	free(where);
	store_rubric_free(sr);
	return rc;
}

int calib_rubric(store *st, const char *name, char *const *raters, char *const *items, size_t nitems,
		 struct rubric **out, struct gs_err *e)
{
	struct hashes h = {.items = id_set(items, nitems), .raters = raters};
	struct store_label_query q = {.rubric = name, .include_hidden = 1};
	int rc = store_labels_each(st, &q, count_hash, &h, e);
	size_t best = 0;
	for (size_t i = 1; i < h.n; i++)
		if (h.count[i] > h.count[best]) best = i;
	struct store_rubric sr;
	struct gs_err ignore;
	if (!rc && (!h.n || store_rubric_get_hash(st, name, h.hash[best], &sr, &ignore)))
		rc = store_rubric_get(st, name, &sr, e);
	if (!rc) rc = parse_stored(&sr, name, out, e);
	for (size_t i = 0; i < h.n; i++) free(h.hash[i]);
	g_hash_table_destroy(h.items);
	return rc;
}

char *calib_key(const struct ratings *t, const struct ratings_unit *u, size_t slot)
{
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	return *u->pair_key ? xasprintf("%s %s", si.name, u->pair_key) : xstrdup(si.name);
}

int calib_disagree(const struct ratings *t, const struct ratings_unit *u, size_t slot)
{
	return ratings_spread(t, u, slot, NULL, 0) > 0;
}

/* ---- agreement rows ---- */

/* units x raters of one slot, units nobody rated left out; preferences as
 * first/second system of their pair or tie */
static size_t slot_matrix(const struct ratings *t, size_t slot, double *m)
{
	size_t n = 0;
	for (size_t i = 0; i < t->nunits; i++) {
		int any = 0;
		for (size_t r = 0; r < t->nraters; r++) {
			int v = ratings_val(t, &t->u[i], r, slot);
			m[n * t->nraters + r] = v < 0 ? NAN : rubric_value_number(t->r, slot, v);
			any |= v >= 0;
		}
		n += any;
	}
	return n;
}

static void row_verdict(struct calib_row *row, size_t min_units)
{
	row->kappa_on = ar_kappa_field(&row->a);
	row->kappa = ar_kappa_value(&row->a, row->kappa_on);
	row->min_units = min_units ? min_units : AR_MIN_UNITS;
	row->verdict = isnan(row->kappa) ? "undefined"
		: ar_kappa_units(&row->a, row->kappa_on) < row->min_units ? "too few items"
		: ar_at_least(row->kappa, CALIB_KAPPA_OK) ? "ok" : "too vague";
}

static void row_fill(const struct ratings *t, size_t slot, unsigned resamples, uint64_t seed, size_t min_units,
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
	row_verdict(row, min_units);
	free(m);
	free(scale);
}

struct calib_row *calib_rows(const struct ratings *t, unsigned resamples, uint64_t seed, size_t min_units)
{
	struct calib_row *rows = xcalloc(t->nslots + 1, sizeof *rows);
	for (size_t s = 0; s < t->nslots; s++) row_fill(t, s, resamples, seed, min_units, &rows[s]);
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

/* ---- batches ---- */

static int add_item(void *ctx, const char *ext_id)
{
	g_ptr_array_add(ctx, xstrdup(ext_id));
	return 0;
}

int calib_batch_load(store *st, const char *name, struct calib_batch *b, struct gs_err *e)
{
	memset(b, 0, sizeof *b);
	if (store_batch_info(st, name, &b->b, e)) return e->code;
	GPtrArray *items = g_ptr_array_new();
	int rc = store_batch_raters(st, name, &b->raters, e) || store_batch_items_each(st, name, add_item, items, e);
	b->nitems = items->len;
	g_ptr_array_add(items, NULL);
	b->items = (char **)(void *)g_ptr_array_free(items, FALSE);
	if (rc) calib_batch_free(b);
	return rc ? e->code : 0;
}

int calib_batch_progress(store *st, struct calib_batch *b, struct gs_err *e)
{
	free(b->done);
	b->done = xcalloc(strv_len(b->raters) + 1, sizeof *b->done);
	b->finished = 1;
	for (size_t r = 0; b->raters[r]; r++) {
		if (store_batch_done(st, b->b.name, b->raters[r], &b->done[r], e)) return e->code;
		b->finished &= b->done[r] >= (long long)b->nitems;
	}
	return 0;
}

void calib_batch_free(struct calib_batch *b)
{
	store_batch_free(&b->b);
	strv_free(b->raters);
	for (size_t i = 0; i < b->nitems; i++) free(b->items[i]);
	g_free(b->items);
	free(b->done);
	memset(b, 0, sizeof *b);
}

/* ---- start: drawing a batch ---- */

struct cand { char *id, *slice; int tier; uint64_t key; };

struct pool {
	GArray *c;                    /* struct cand */
	const char *key;              /* the stratify meta key */
	uint64_t seed;
	GHashTable *used;             /* ids in earlier batches or labeled by a rater (owned) */
};

uint64_t calib_fresh_seed(void)
{
	uint64_t now = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return rng_splitmix64(&now) % 1000000;
}

/* the value of the stratify key in an item's meta ("(none)": none), NULL without a key */
static char *cand_slice(const struct pool *p, const struct store_item *it)
{
	if (!p->key) return NULL;
	struct item item;
	struct gs_err ignore;
	int parsed = item_from_canon(it->json, &item, &ignore) == 0;
	const char *v = parsed ? item_meta(&item, p->key) : NULL;
	char *slice = xstrdup(v ? v : "(none)");
	if (parsed) item_free(&item);
	return slice;
}

static int add_cand(void *ctx, const struct store_item *it)
{
	struct pool *p = ctx;
	struct cand c = {xstrdup(it->ext_id), cand_slice(p, it), 0, gs_hash64(it->ext_id, strlen(it->ext_id), p->seed)};
	g_array_append_val(p->c, c);
	return 0;
}

static int earlier_item(void *ctx, const char *ext_id)
{
	g_hash_table_add(ctx, xstrdup(ext_id));
	return 0;
}

struct earlier { store *st; GHashTable *used; struct gs_err *e; int rc; };

static int earlier_batch(void *ctx, const struct store_batch *b)
{
	struct earlier *x = ctx;
	x->rc = store_batch_items_each(x->st, b->name, earlier_item, x->used, x->e);
	return x->rc;
}

struct labeled { GHashTable *used; char **raters; };

static int labeled_item(void *ctx, const struct store_label *l)
{
	struct labeled *x = ctx;
	for (size_t i = 0; x->raters[i]; i++)
		if (strcmp(x->raters[i], l->rater) == 0) g_hash_table_add(x->used, xstrdup(l->ext_id));
	return 0;
}

/* items already in a batch of the rubric or labeled by one of the raters
 * go last, so a second round is labeled fresh */
static int mark_used(store *st, const char *rubric, char **raters, struct pool *p, struct gs_err *e)
{
	struct earlier x = {st, p->used, e, 0};
	struct labeled l = {p->used, raters};
	struct store_label_query q = {.rubric = rubric, .include_hidden = 1};
	if (store_batches_each(st, rubric, earlier_batch, &x, e) || x.rc || store_labels_each(st, &q, labeled_item, &l, e))
		return e->code;
	for (guint i = 0; i < p->c->len; i++) {
		struct cand *c = &g_array_index(p->c, struct cand, i);
		c->tier = g_hash_table_contains(p->used, c->id);
	}
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->tier != y->tier) return x->tier - y->tier;
	int c = strcmp(x->slice ? x->slice : "", y->slice ? y->slice : "");
	if (c) return c;
	if (x->key != y->key) return x->key < y->key ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int same_slice(const struct cand *a, const struct cand *b)
{
	return strcmp(a->slice ? a->slice : "", b->slice ? b->slice : "") == 0;
}

/* round-robin over the slices of one tier [from, to): each slice gives its
 * next item in turn, so every slice is represented as evenly as it can be */
static size_t draw_tier(struct cand *c, size_t from, size_t to, size_t want, char **out, size_t nout)
{
	size_t ng = 0, *head = xmalloc((to - from + 1) * sizeof *head), *end = xmalloc((to - from + 1) * sizeof *end);
	for (size_t i = from; i < to; i++)
		if (i == from || !same_slice(&c[i], &c[i - 1])) {
			if (ng) end[ng - 1] = i;
			head[ng++] = i;
		}
	if (ng) end[ng - 1] = to;
	for (int more = 1; more && nout < want;) {
		more = 0;
		for (size_t g = 0; g < ng && nout < want; g++)
			if (head[g] < end[g]) {
				out[nout++] = c[head[g]++].id;
				more = 1;
			}
	}
	free(head);
	free(end);
	return nout;
}

static size_t draw(struct pool *p, size_t want, char **out)
{
	struct cand *c = (struct cand *)(void *)p->c->data;
	size_t n = p->c->len, nout = 0;
	if (n > 1) qsort(c, n, sizeof *c, cmp_cand);
	for (size_t i = 0; i < n && nout < want;) {
		size_t j = i;
		while (j < n && c[j].tier == c[i].tier) j++;
		nout = draw_tier(c, i, j, want, out, nout);
		i = j;
	}
	return nout;
}

static void pool_free(struct pool *p)
{
	for (guint i = 0; i < p->c->len; i++) {
		free(g_array_index(p->c, struct cand, i).id);
		free(g_array_index(p->c, struct cand, i).slice);
	}
	g_array_free(p->c, TRUE);
	g_hash_table_destroy(p->used);
}

static int max_round(void *ctx, const struct store_batch *b)
{
	int *r = ctx;
	if (b->round > *r) *r = b->round;
	return 0;
}

static char *raters_json(char **raters)
{
	struct jo *a = jo_array();
	for (size_t i = 0; raters[i]; i++) jo_str(a, NULL, raters[i]);
	char *s = jo_string(a, 0);
	jo_free(a);
	return s;
}

/* the new batch of the pool's draw, out->b filled */
static int create_batch(store *st, const struct calib_start *s, struct pool *p, int round, struct calib_started *out,
			struct gs_err *e)
{
	char **pick = xcalloc(s->n + 1, sizeof *pick);
	out->got = draw(p, s->n, pick);
	out->raters_json = raters_json(s->raters);
	struct store_batch b = {.name = s->name, .rubric = out->r->name, .raters = out->raters_json, .stratify = p->key,
				.seed = (long long)s->seed, .round = round + 1};
	out->b = b;
	int rc = store_batch_create(st, &b, pick, out->got, e);
	free(pick);
	return rc;
}

int calib_start(struct ws *w, const struct calib_start *s, struct calib_started *out, struct gs_err *e)
{
	memset(out, 0, sizeof *out);
	if (ws_rubric_single_first(w, s->rubric, &out->r, e)) return e->code;
	const char *key = s->stratify && strncmp(s->stratify, "meta.", 5) == 0 ? s->stratify + 5 : s->stratify;
	struct pool p = {g_array_new(FALSE, TRUE, sizeof(struct cand)), key, s->seed,
			 g_hash_table_new_full(gs_str_hash, gs_str_equal, free, NULL)};
	struct store_item_query q = {.kind = strcmp(out->r->mode, "pairwise") == 0 ? "pairwise" : "single", .by_id = 1};
	int round = 0, rc = store_items_each(w->st, &q, add_cand, &p, e) || mark_used(w->st, out->r->name, s->raters, &p, e) ||
			       store_batches_each(w->st, out->r->name, max_round, &round, e);
	out->available = p.c->len;
	if (!rc && !p.c->len) rc = gs_fail(e, EX_NOINPUT, "no %s items to calibrate on (goldset import FILE)", q.kind);
	if (!rc) rc = create_batch(w->st, s, &p, round, out, e);
	pool_free(&p);
	if (rc) calib_started_free(out);
	return rc ? e->code : 0;
}

void calib_started_free(struct calib_started *out)
{
	rubric_free(out->r);
	free(out->raters_json);
	memset(out, 0, sizeof *out);
}

/* ---- the report and its rounds ---- */

int calib_report_build(store *st, const struct calib_batch *b, unsigned resamples, size_t min_units,
		       struct calib_report *rp, struct gs_err *e)
{
	memset(rp, 0, sizeof *rp);
	rp->b = b;
	if (calib_rubric(st, b->b.rubric, b->raters, b->items, b->nitems, &rp->r, e)) return e->code;
	if (ratings_load_items(st, rp->r, b->raters, b->items, b->nitems, &rp->t, e)) {
		rubric_free(rp->r);
		rp->r = NULL;
		return e->code;
	}
	rp->rows = calib_rows(rp->t, resamples, (uint64_t)b->b.seed, min_units);
	return 0;
}

void calib_report_free(struct calib_report *rp)
{
	if (rp->t) calib_rows_free(rp->rows, rp->t->nslots);
	ratings_free(rp->t);
	rubric_free(rp->r);
	memset(rp, 0, sizeof *rp);
}

int calib_report_version(const struct calib_report *rp)
{
	return rp->t->rubric_version ? rp->t->rubric_version : rp->r->version;
}

static int add_round(void *ctx, const struct store_batch *sb)
{
	struct calib_round r = {0};
	r.b.b.name = xstrdup(sb->name);   /* loaded after the walk */
	g_array_append_val((GArray *)ctx, r);
	return 0;
}

void calib_rounds_load(store *st, const char *rubric, struct calib_rounds *x)
{
	struct gs_err e;
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct calib_round));
	int bad = store_batches_each(st, rubric, add_round, a, &e);
	x->n = a->len;
	x->r = (struct calib_round *)(void *)g_array_free(a, FALSE);
	if (bad) return;
	for (size_t i = 0; i < x->n; i++) {
		struct calib_round *r = &x->r[i];
		char *name = (char *)r->b.b.name;
		int loaded = calib_batch_load(st, name, &r->b, &e) == 0;
		r->ok = loaded && calib_report_build(st, &r->b, 0, 0, &r->rp, &e) == 0;
		if (loaded && !r->ok) calib_batch_free(&r->b);
		free(name);
	}
}

void calib_rounds_free(struct calib_rounds *x)
{
	for (size_t i = 0; i < x->n; i++) {
		if (!x->r[i].ok) continue;
		calib_report_free(&x->r[i].rp);
		calib_batch_free(&x->r[i].b);
	}
	free(x->r);
}

double calib_round_kappa(const struct calib_round *r, const char *name, int *present)
{
	*present = 0;
	for (size_t s = 0; r->ok && s < r->rp.t->nslots; s++)
		if (strcmp(r->rp.rows[s].si.name, name) == 0) {
			*present = 1;
			return r->rp.rows[s].kappa;
		}
	return NAN;
}

/* ---- the discussion ---- */

struct calib_point *calib_disagreements(const struct ratings *t, size_t *n)
{
	struct calib_point *p = xmalloc((t->nunits * t->nslots + 1) * sizeof *p);   /* room for every cell */
	*n = 0;
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t s = 0; s < t->nslots; s++)
			if (calib_disagree(t, &t->u[i], s)) p[(*n)++] = (struct calib_point){i, s};
	return p;
}

int calib_discussion_save(struct ws *w, const char *batch, const char *text, char **rel, struct gs_err *e)
{
	char *dir = ws_path(w, "reviews");
	int rc = mkdir_p(dir) ? gs_fail(e, EX_CANTCREAT, "cannot create reviews/ in the workspace") : 0;
	free(dir);
	if (rc) return rc;
	char *safe = labelline_file_name(batch), *login = labelline_file_name(gs_login());
	*rel = xasprintf("reviews/calibration-%s-%s.md", safe, login);
	char *path = ws_path(w, *rel);
	rc = write_file_atomic(path, text, strlen(text), e);
	free(safe);
	free(login);
	free(path);
	return rc;
}

/* ---- settled answers ---- */

const char *calib_status_name(enum calib_status s)
{
	static const char *const names[] = {"consensus", "majority", "tie", "too_few_raters"};
	return names[s];
}

/* ---- recorded consensus ---- */

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

static int cons_add(void *ctx, const struct store_consensus *c)
{
	struct calib_cons x = {xstrdup(c->ext_id), xstrdup(c->criterion), xstrdup(c->value), dup_or_null(c->cause),
			       dup_or_null(c->note), dup_or_null(c->source), dup_or_null(c->at), c->rubric_version};
	g_array_append_val(ctx, x);
	return 0;
}

int calib_cons_load(store *st, const char *rubric, const char *ext_id, struct calib_conslist *l, struct gs_err *e)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(struct calib_cons));
	int rc = store_consensus_each(st, rubric, ext_id, cons_add, a, e);
	l->c = g_array_steal(a, &l->n);
	g_array_free(a, TRUE);
	return rc;
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
	g_free(l->c);
	memset(l, 0, sizeof *l);
}


/* ---- the golden answers (export --consensus) ---- */

static int add_id(void *ctx, const struct store_item *it)
{
	g_ptr_array_add(ctx, xstrdup(it->ext_id));
	return 0;
}

/* the humans' answer: a value of two or more agreeing, else a tie or too few */
static void settle(struct calib_answer *a)
{
	int tie;
	a->value = ratings_majority(a->t, a->u, a->slot, NULL, 0, &a->votes, &tie);
	a->status = a->votes < 2 ? CALIB_TOO_FEW : tie ? CALIB_TIE : CALIB_MAJORITY;
}

static int unit_answers(const struct ratings *t, const struct ratings_unit *u, const struct calib_conslist *cl,
			int (*emit)(void *ctx, const struct calib_answer *a), void *ctx)
{
	for (size_t s = 0; s < t->nslots; s++) {
		char *key = calib_key(t, u, s);
		struct calib_answer a = {t, u, s, calib_cons_find(cl, u->ext_id, key), CALIB_TOO_FEW, -1, 0};
		free(key);
		settle(&a);
		int stop = emit(ctx, &a);
		if (stop) return stop;
	}
	return 0;
}

static int table_used(const struct ratings *t)
{
	for (size_t i = 0; i < t->nunits; i++)
		for (size_t k = 0; k < t->nraters * t->nslots; k++)
			if (t->u[i].v[k] >= 0) return 1;
	return 0;
}

int calib_answers(store *st, const struct rubric *r, int if_used,
		  int (*emit)(void *ctx, const struct calib_answer *a), void *ctx, struct gs_err *e)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(free);
	struct store_item_query q = {.kind = strcmp(r->mode, "pairwise") == 0 ? "pairwise" : "single", .by_id = 1};
	struct ratings *t = NULL;
	struct calib_conslist cl = {0};
	int rc = store_items_each(st, &q, add_id, ids, e) || calib_cons_load(st, r->name, NULL, &cl, e) ||
		 ratings_load_items(st, r, NULL, (char *const *)ids->pdata, ids->len, &t, e);
	if (!rc) {
		int skip = if_used && !cl.n && !table_used(t);
		for (size_t i = 0; i < t->nunits && !rc && !skip; i++) rc = unit_answers(t, &t->u[i], &cl, emit, ctx);
		ratings_free(t);
	}
	calib_cons_free(&cl);
	g_ptr_array_free(ids, TRUE);
	return rc ? e->code ? e->code : rc : 0;
}
