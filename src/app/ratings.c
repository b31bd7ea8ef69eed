/* ratings.c: the one ratings table (see ratings.h): labels -> units x
 * raters x slots, the humans' majority and the spread of a unit's values.
 * Reads the store through store.h only; containers are GLib's. */
#include "app/ratings.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonout.h"

struct stale_rec { char *rater; long long n; };

struct ratings_priv {
	GHashTable *item_at;      /* id -> declared index + 1 (keys: the items' own ids) */
	GHashTable *unit_at;      /* "id\1pair" -> unit index + 1 (while building) */
	GHashTable *rater_at;     /* name -> column + 1 (arrival order; table order once finished) */
	GHashTable *cat_at;       /* preference category name -> 1 (keys: the names in cats) */
	GArray *items;            /* struct ratings_item */
	GArray *units;            /* struct ratings_unit */
	GPtrArray *raters;        /* names in arrival order (owned) */
	GPtrArray *cats;          /* category names (owned) */
	GArray *stale;            /* struct stale_rec */
	GArray *versions;         /* size_t: labels per rubric version */
	int named;                /* raters named with ratings_rater */
	int by_system;            /* the slice of a unit is the system of its output */
	int finished;
	int *tmp;                 /* nslots scratch */
	GHashTable *parsed;       /* "vals\1left\1right" -> int[nslots + 1] (last: 0 parsed, 1 not) */
};

/* values repeat (a 1-5 scale has five), so each distinct text is parsed once,
 * up to this many texts */
#define PARSED_MAX 65536

int ratings_is_judge(const char *rater) { return strncmp(rater, "judge:", 6) == 0; }

static int is_pref_slot(const struct ratings *t, size_t slot)
{
	int sub;
	const struct criterion *c = rubric_slot_crit(t->r, slot, &sub);
	return c && c->type == CRIT_PREFERENCE;
}

static int is_pairwise(const struct ratings *t) { return strcmp(t->r->mode, "pairwise") == 0; }

static size_t lookup(GHashTable *h, const char *key)
{
	return GPOINTER_TO_SIZE(g_hash_table_lookup(h, key));   /* index + 1, 0: none */
}

static void put_index(GHashTable *h, char *key, size_t i) { g_hash_table_insert(h, key, GSIZE_TO_POINTER(i + 1)); }

static GHashTable *str_table(GDestroyNotify free_key)
{
	return g_hash_table_new_full(gs_str_hash, gs_str_equal, free_key, NULL);
}

static void unit_clear(void *p)
{
	struct ratings_unit *u = p;
	for (size_t r = 0; u->note && r < u->nv; r++) free(u->note[r]);
	free(u->note);
	free(u->v);
	free(u->ext_id);
	free(u->pair_key);
	free(u->sys[0]);
	free(u->sys[1]);
	free(u->system);
}

static void item_clear(void *p)
{
	struct ratings_item *it = p;
	free(it->id);
	free(it->slice);
}

static void stale_clear(void *p) { free(((struct stale_rec *)p)->rater); }

void ratings_free(struct ratings *t)
{
	if (!t) return;
	struct ratings_priv *b = t->priv;
	g_hash_table_destroy(b->item_at);
	if (b->unit_at) g_hash_table_destroy(b->unit_at);
	g_hash_table_destroy(b->rater_at);
	g_hash_table_destroy(b->cat_at);
	g_array_free(b->items, TRUE);
	g_array_free(b->units, TRUE);
	g_ptr_array_free(b->raters, TRUE);
	g_ptr_array_free(b->cats, TRUE);
	g_array_free(b->stale, TRUE);
	g_array_free(b->versions, TRUE);
	free(b->tmp);
	g_hash_table_destroy(b->parsed);
	free(b);
	free(t->raters);
	free(t->cats);
	free(t);
}

struct ratings *ratings_new(const struct rubric *r, enum ratings_kind kind)
{
	struct ratings *t = xcalloc(1, sizeof *t);
	struct ratings_priv *b = t->priv = xcalloc(1, sizeof *b);
	t->r = r;
	t->kind = kind;
	t->nslots = rubric_slot_count(r);
	b->item_at = str_table(NULL);
	b->unit_at = str_table(free);
	b->rater_at = str_table(NULL);
	b->cat_at = str_table(NULL);
	b->items = g_array_new(FALSE, TRUE, sizeof(struct ratings_item));
	g_array_set_clear_func(b->items, item_clear);
	b->units = g_array_new(FALSE, TRUE, sizeof(struct ratings_unit));
	g_array_set_clear_func(b->units, unit_clear);
	b->raters = g_ptr_array_new_with_free_func(free);
	b->cats = g_ptr_array_new_with_free_func(free);
	b->stale = g_array_new(FALSE, TRUE, sizeof(struct stale_rec));
	g_array_set_clear_func(b->stale, stale_clear);
	b->versions = g_array_new(FALSE, TRUE, sizeof(size_t));
	b->tmp = xmalloc((t->nslots + 1) * sizeof *b->tmp);
	b->parsed = g_hash_table_new_full(gs_str_hash, gs_str_equal, free, free);
	return t;
}

/* ---- adding ---- */

static struct ratings_unit *unit(const struct ratings *t, size_t i)
{
	return &g_array_index(t->priv->units, struct ratings_unit, i);
}

/* a unit's key in unit_at, "id\1pair" (malloc'd) */
static char *unit_key(const char *id, const char *pair)
{
	size_t a = strlen(id), b = strlen(pair);
	char *k = xmalloc(a + b + 2);
	memcpy(k, id, a);
	k[a] = 1;
	memcpy(k + a + 1, pair, b + 1);
	return k;
}

static size_t unit_new(struct ratings *t, const char *id, const char *pair, size_t item)
{
	struct ratings_unit u = {.ext_id = xstrdup(id), .pair_key = xstrdup(pair), .item = item, .cat = {-1, -1, -1}};
	g_array_append_val(t->priv->units, u);
	put_index(t->priv->unit_at, unit_key(id, pair), t->priv->units->len - 1);
	return t->priv->units->len - 1;
}

/* the unit of (id, pair): index + 1, 0 when there is none yet */
static size_t unit_find(const struct ratings *t, const char *id, const char *pair)
{
	char *key = unit_key(id, pair);
	size_t i = lookup(t->priv->unit_at, key);
	free(key);
	return i;
}

void ratings_item(struct ratings *t, const char *id, const char *slice, long long out_len)
{
	struct ratings_priv *b = t->priv;
	if (lookup(b->item_at, id)) return;
	struct ratings_item it = {xstrdup(id), slice ? xstrdup(slice) : NULL, out_len};
	g_array_append_val(b->items, it);
	put_index(b->item_at, it.id, b->items->len - 1);
	if (t->kind == RATINGS_ITEMS && !is_pairwise(t)) unit_new(t, id, "", b->items->len - 1);
}

static size_t rater_intern(struct ratings *t, const char *name)
{
	struct ratings_priv *b = t->priv;
	size_t i = lookup(b->rater_at, name);
	if (i) return i - 1;
	char *s = xstrdup(name);
	g_ptr_array_add(b->raters, s);
	put_index(b->rater_at, s, b->raters->len - 1);
	return b->raters->len - 1;
}

void ratings_rater(struct ratings *t, const char *name)
{
	t->priv->named = 1;
	rater_intern(t, name);
}

/* the column of a label's rater (interned unless the raters were named), -1: left out */
static long rater_of(struct ratings *t, const char *name)
{
	size_t i = lookup(t->priv->rater_at, name);
	if (i) return (long)i - 1;
	return t->priv->named ? -1 : (long)rater_intern(t, name);
}

static char *parsed_key(const struct ratings_label *l)
{
	return g_strconcat(l->vals, "\1", l->left ? l->left : "\2", "\1", l->right ? l->right : "\2", NULL);
}

/* l's values into tmp (0), or -1 when they do not parse */
static int read_values(struct ratings *t, const struct ratings_label *l)
{
	struct ratings_priv *b = t->priv;
	if (!l->vals) {
		t->unparsed++;
		return -1;
	}
	char *key = parsed_key(l);
	int *hit = g_hash_table_lookup(b->parsed, key);
	if (hit) {
		free(key);
		memcpy(b->tmp, hit, (t->nslots + 1) * sizeof *hit);
	} else {
		struct gs_err ignore;
		b->tmp[t->nslots] = rubric_values_from_json(t->r, l->vals, l->left, l->right, 0, b->tmp, "", &ignore) != 0;
		if (g_hash_table_size(b->parsed) < PARSED_MAX)
			g_hash_table_insert(b->parsed, key, g_memdup2(b->tmp, (t->nslots + 1) * sizeof *b->tmp));
		else
			free(key);
	}
	if (!b->tmp[t->nslots]) return 0;
	t->unparsed++;
	return -1;
}

static void cat_intern(struct ratings *t, const char *name)
{
	if (lookup(t->priv->cat_at, name)) return;
	char *s = xstrdup(name);
	g_ptr_array_add(t->priv->cats, s);
	put_index(t->priv->cat_at, s, 0);
}

/* preference slots as chosen (0 left, 1 right, 2 tie) -> 0 first system
 * in byte order, 1 second, 2 tie; the winners' names become categories */
static void pref_codes(struct ratings *t, const struct ratings_label *l, int *slots)
{
	int systems = l->left && l->right, left_first = systems && strcmp(l->left, l->right) <= 0;
	for (size_t s = 0; s < t->nslots; s++) {
		if (slots[s] < 0 || !is_pref_slot(t, s)) continue;
		cat_intern(t, slots[s] == 2 ? "tie" : slots[s] == 0 ? (l->left ? l->left : "A")
								  : (l->right ? l->right : "B"));
		if (systems && slots[s] != 2) slots[s] = (slots[s] == 0) == left_first ? 0 : 1;
	}
}

/* room in u for the values of raters 0..r: u's rows resized to exactly the
 * raters seen so far (a column added, not an array grown by pushes) */
static void unit_room(struct ratings *t, struct ratings_unit *u, size_t r)
{
	if (r < u->nv) return;
	size_t n = t->priv->raters->len;
	u->v = xrealloc(u->v, (n * t->nslots + 1) * sizeof *u->v);   /* exact size */
	for (size_t i = u->nv * t->nslots; i < n * t->nslots; i++) u->v[i] = -1;
	u->note = xrealloc(u->note, (n + 1) * sizeof *u->note);   /* exact size */
	memset(u->note + u->nv, 0, (n - u->nv) * sizeof *u->note);
	u->nv = n;
}

static void count_version(struct ratings *t, int v)
{
	GArray *a = t->priv->versions;
	if (v < 0 || v > 100000) return;
	if ((guint)v >= a->len) g_array_set_size(a, (guint)v + 1);
	g_array_index(a, size_t, v)++;
}

static void put(struct ratings *t, size_t ui, size_t r, const struct ratings_label *l)
{
	struct ratings_unit *u = unit(t, ui);
	if (!u->system && *u->pair_key && l->left && !l->right) u->system = xstrdup(l->left);
	if (!u->sys[0] && l->left && l->right) {
		int lf = strcmp(l->left, l->right) <= 0;
		u->sys[0] = xstrdup(lf ? l->left : l->right);
		u->sys[1] = xstrdup(lf ? l->right : l->left);
	}
	pref_codes(t, l, t->priv->tmp);
	unit_room(t, u, r);
	memcpy(u->v + r * t->nslots, t->priv->tmp, t->nslots * sizeof *u->v);
	free(u->note[r]);
	u->note[r] = l->note && *l->note ? xstrdup(l->note) : NULL;
	count_version(t, l->rubric_version);
}

/* RATINGS_ITEMS: the item and rater decide, then the pair, then the values */
static int add_on_item(struct ratings *t, const struct ratings_label *l, const char *pk)
{
	size_t item = lookup(t->priv->item_at, l->id), ui;
	long r = item ? rater_of(t, l->rater) : -1;
	if (r < 0) return 1;
	if (!(ui = unit_find(t, l->id, pk))) {
		if (!*pk || !l->left || !l->right) return 1;
		ui = unit_new(t, l->id, pk, item - 1) + 1;
	}
	if (read_values(t, l)) return -1;
	put(t, ui - 1, (size_t)r, l);
	return 0;
}

int ratings_add(struct ratings *t, const struct ratings_label *l)
{
	const char *pk = l->pair_key ? l->pair_key : "";
	if (t->kind == RATINGS_ITEMS) return add_on_item(t, l, pk);
	if (read_values(t, l)) return -1;
	long r = rater_of(t, l->rater);
	if (r < 0) return 1;
	size_t ui = unit_find(t, l->id, pk);
	put(t, ui ? ui - 1 : unit_new(t, l->id, pk, RATINGS_NO_ITEM), (size_t)r, l);
	return 0;
}

void ratings_count_stale(struct ratings *t, const char *rater, long long n)
{
	if (n <= 0) return;
	GArray *a = t->priv->stale;
	struct stale_rec *last = a->len ? &g_array_index(a, struct stale_rec, a->len - 1) : NULL;
	if (last && strcmp(last->rater, rater) == 0) {
		last->n += n;
		return;
	}
	struct stale_rec s = {xstrdup(rater), n};
	g_array_append_val(t->priv->stale, s);
}

/* ---- finishing: raters in order, values regrouped, units sorted ---- */

static int cmp_rater(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int jx = ratings_is_judge(x), jy = ratings_is_judge(y);
	return jx != jy ? jx - jy : strcmp(x, y);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* t->raters in table order; rank[arrival] its column; rater_at follows */
static size_t *order_raters(struct ratings *t)
{
	GPtrArray *a = t->priv->raters;
	t->nraters = a->len;
	t->raters = xmalloc((a->len + 1) * sizeof *t->raters);
	if (a->len) memcpy(t->raters, a->pdata, a->len * sizeof *t->raters);
	t->raters[a->len] = NULL;
	if (!t->priv->named && a->len > 1) qsort(t->raters, a->len, sizeof *t->raters, cmp_rater);
	size_t *rank = xmalloc((a->len + 1) * sizeof *rank);
	for (size_t k = 0; k < a->len; k++) {
		rank[lookup(t->priv->rater_at, t->raters[k]) - 1] = k;
		put_index(t->priv->rater_at, t->raters[k], k);
	}
	return rank;
}

/* a unit's values and notes by column, every column present */
static void regroup(const struct ratings *t, struct ratings_unit *u, const size_t *rank)
{
	int *v = xmalloc((t->nraters * t->nslots + 1) * sizeof *v);
	char **note = xcalloc(t->nraters + 1, sizeof *note);
	for (size_t i = 0; i < t->nraters * t->nslots; i++) v[i] = -1;
	for (size_t a = 0; a < u->nv; a++) {
		memcpy(v + rank[a] * t->nslots, u->v + a * t->nslots, t->nslots * sizeof *v);
		note[rank[a]] = u->note[a];
	}
	free(u->v);
	free(u->note);
	u->v = v;
	u->note = note;
	u->nv = t->nraters;
}

/* --by system: a unit's facts with its system as the slice (an entry of
 * its own in the items, not indexed by id: the item keeps its own) */
static size_t system_item(struct ratings *t, const struct ratings_unit *u)
{
	GArray *items = t->priv->items;
	long long out_len = u->item != RATINGS_NO_ITEM ? g_array_index(items, struct ratings_item, u->item).out_len : -1;
	struct ratings_item it = {xstrdup(u->ext_id), u->system ? xstrdup(u->system) : NULL, out_len};
	g_array_append_val(items, it);
	return items->len - 1;
}

static int cmp_by_item(const void *a, const void *b)
{
	const struct ratings_unit *x = a, *y = b;
	if (x->item != y->item) return x->item < y->item ? -1 : 1;
	return strcmp(x->pair_key, y->pair_key);
}

static int cmp_by_id(const void *a, const void *b)
{
	const struct ratings_unit *x = a, *y = b;
	int c = strcmp(x->ext_id, y->ext_id);
	return c ? c : strcmp(x->pair_key, y->pair_key);
}

static int cat_of(const struct ratings *t, const char *name)
{
	const char **hit = t->ncats ? bsearch(&name, t->cats, t->ncats, sizeof *t->cats, cmp_str) : NULL;
	return hit ? (int)(hit - (const char **)t->cats) : -1;
}

static const char *pref_name(const struct ratings_unit *u, int v)
{
	if (v == 2) return "tie";
	if (!u) return v ? "second" : "first";
	return u->sys[v] ? u->sys[v] : v ? "B" : "A";
}

static void order_categories(struct ratings *t)
{
	GPtrArray *a = t->priv->cats;
	t->ncats = a->len;
	t->cats = xmalloc((a->len + 1) * sizeof *t->cats);
	if (a->len) memcpy(t->cats, a->pdata, a->len * sizeof *t->cats);
	if (a->len > 1) qsort(t->cats, a->len, sizeof *t->cats, cmp_str);
	for (size_t i = 0; i < t->nunits; i++)
		for (int v = 0; v < 3; v++) t->u[i].cat[v] = cat_of(t, pref_name(&t->u[i], v));
}

static void pick_version(struct ratings *t)
{
	size_t best = 0;
	for (guint v = 0; v < t->priv->versions->len; v++)
		if (g_array_index(t->priv->versions, size_t, v) > best) {
			best = g_array_index(t->priv->versions, size_t, v);
			t->rubric_version = (int)v;
		}
}

void ratings_finish(struct ratings *t)
{
	struct ratings_priv *b = t->priv;
	if (b->finished) return;
	b->finished = 1;
	size_t *rank = order_raters(t);
	for (guint i = 0; i < b->units->len; i++) regroup(t, unit(t, i), rank);
	free(rank);
	g_array_sort(b->units, t->kind == RATINGS_ITEMS ? cmp_by_item : cmp_by_id);
	g_hash_table_destroy(b->unit_at);
	b->unit_at = NULL;
	t->u = (struct ratings_unit *)(void *)b->units->data;
	t->nunits = b->units->len;
	for (size_t i = 0; t->kind == RATINGS_LABELED && i < t->nunits; i++) {
		size_t item = lookup(b->item_at, t->u[i].ext_id);
		t->u[i].item = item ? item - 1 : RATINGS_NO_ITEM;
		if (b->by_system) t->u[i].item = system_item(t, &t->u[i]);
	}
	t->items = (struct ratings_item *)(void *)b->items->data;
	t->nitems = b->items->len;
	order_categories(t);
	pick_version(t);
}

/* ---- raters ---- */

long ratings_rater_pos(const struct ratings *t, const char *name)
{
	return (long)lookup(t->priv->rater_at, name) - 1;
}

static int strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (strcmp(v[i], s) == 0) return 1;
	return 0;
}

static int selected(char *const *names, const char *rater)
{
	return names ? strv_has(names, rater) : !ratings_is_judge(rater);
}

const char **ratings_select(const struct ratings *t, char *const *names)
{
	const char **out = xcalloc(t->nraters + 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < t->nraters; i++)
		if (selected(names, t->raters[i])) out[n++] = t->raters[i];
	return out;
}

long long ratings_stale(const struct ratings *t, char *const *names)
{
	long long n = 0;
	for (guint i = 0; i < t->priv->stale->len; i++) {
		const struct stale_rec *s = &g_array_index(t->priv->stale, struct stale_rec, i);
		if (selected(names, s->rater)) n += s->n;
	}
	return n;
}

/* ---- loading from the store ---- */

static int on_store_item(void *ctx, const struct store_agree_item *it)
{
	ratings_item(ctx, it->ext_id, it->slice, it->out_len);
	return 0;
}

/* a stale label (made on an older version of its item) is only counted:
 * agreement is measured on the current versions */
static int on_store_label(void *ctx, const struct store_label *l)
{
	if (l->stale) {
		ratings_count_stale(ctx, l->rater, 1);
		return 0;
	}
	struct ratings_label a = {l->ext_id, l->rater, l->pair_key, l->left_sys, l->right_sys, l->vals, l->note,
				  l->rubric_version};
	ratings_add(ctx, &a);
	return 0;
}

/* the labels of q into t, finished; t freed on failure */
static int load_labels(store *st, struct ratings *t, const struct store_label_query *q, struct ratings **out,
		       struct gs_err *e)
{
	if (store_labels_each(st, q, on_store_label, t, e)) {
		ratings_free(t);
		return e->code;
	}
	ratings_finish(t);
	*out = t;
	return 0;
}

int ratings_load_current(store *st, const struct rubric *r, const char *by, struct ratings **out, struct gs_err *e)
{
	struct ratings *t = ratings_new(r, RATINGS_LABELED);
	struct store_label_query q = {.rubric = r->name, .include_stale = 1};
	t->priv->by_system = by && strcmp(by, RATINGS_BY_SYSTEM) == 0;
	if (t->priv->by_system) by = NULL;
	if (store_agree_items_each(st, by, on_store_item, t, e)) {
		ratings_free(t);
		return e->code;
	}
	return load_labels(st, t, &q, out, e);
}

int ratings_load_items(store *st, const struct rubric *r, char *const *raters, char *const *items, size_t nitems,
		       struct ratings **out, struct gs_err *e)
{
	struct ratings *t = ratings_new(r, RATINGS_ITEMS);
	struct store_label_query q = {.rubric = r->name, .include_hidden = 1};
	for (size_t i = 0; raters && raters[i]; i++) ratings_rater(t, raters[i]);
	for (size_t i = 0; i < nitems; i++) ratings_item(t, items[i], NULL, -1);
	return load_labels(st, t, &q, out, e);
}

/* ---- values ---- */

double ratings_number(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v)
{
	if (v < 0) return NAN;
	return is_pref_slot(t, slot) ? u->cat[v] : rubric_value_number(t->r, slot, v);
}

const char *ratings_value_text(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v,
			       char buf[32])
{
	if (v < 0) return "";
	if (is_pref_slot(t, slot)) return pref_name(u, v);
	return rubric_value_text(t->r, slot, v, buf);
}

static char *json_string(const char *s)
{
	struct jo *a = jo_array();
	jo_str(a, NULL, s);
	char *j = jo_string(a, 0);
	jo_free(a);
	size_t n = strlen(j);
	memmove(j, j + 1, n - 2);   /* ["..."] -> "..." */
	j[n - 2] = 0;
	return j;
}

char *ratings_value_json(const struct ratings *t, const struct ratings_unit *u, size_t slot, int v)
{
	struct slot_info si;
	char buf[32];
	if (v < 0) return xstrdup("null");
	rubric_slot_info(t->r, slot, &si);
	if (si.sub >= 0) return xstrdup(v ? "true" : "false");
	if (si.crit->type == CRIT_SCALE) return xasprintf("%d", si.crit->min + v);
	return json_string(ratings_value_text(t, u, slot, v, buf));
}

int ratings_value_parse(const struct ratings *t, const struct ratings_unit *u, size_t slot, const char *json)
{
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	for (int v = 0; json && v < si.nopts; v++) {
		char *j = ratings_value_json(t, u, slot, v);
		int same = strcmp(j, json) == 0;
		free(j);
		if (same) return v;
	}
	return -1;
}

/* ---- majority and spread ---- */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* the middle of sorted v[0..n), -1 with *tie when the two middle ones differ */
static int median_of(const int *v, size_t n, int *tie)
{
	if (v[(n - 1) / 2] == v[n / 2]) return v[n / 2];
	*tie = 1;
	return -1;
}

/* the most frequent of sorted v[0..n), -1 with *tie when two are */
static int mode_of(const int *v, size_t n, int *tie)
{
	int best = -1;
	size_t count = 0;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i; j < n && v[j] == v[i]; j++) {}
		if (j - i > count) {
			count = j - i;
			best = v[i];
			*tie = 0;
		} else if (j - i == count) {
			*tie = 1;
		}
	}
	return *tie ? -1 : best;
}

/* the values of columns pos[0..n) (NULL: every column, humans only if
 * humans) in a unit's slot into v; how many */
static size_t values_of(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
			size_t n, int humans, int *v)
{
	size_t k = 0, m = pos ? n : t->nraters;
	for (size_t i = 0; i < m; i++) {
		size_t r = pos ? pos[i] : i;
		if (!pos && humans && ratings_is_judge(t->raters[r])) continue;
		int x = ratings_val(t, u, r, slot);
		if (x >= 0) v[k++] = x;
	}
	return k;
}

int ratings_majority(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
		     size_t n, int *votes, int *tie)
{
	int small[16], *v = t->nraters < ARRAY_LEN(small) ? small : xmalloc((t->nraters + 1) * sizeof *v);
	size_t k = values_of(t, u, slot, pos, n, 1, v);
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	*tie = 0;
	*votes = (int)k;
	if (k > 1) qsort(v, k, sizeof *v, cmp_int);
	int m = !k ? -1 : si.crit->type == CRIT_SCALE ? median_of(v, k, tie) : mode_of(v, k, tie);
	if (v != small) free(v);
	return m;
}

double ratings_spread(const struct ratings *t, const struct ratings_unit *u, size_t slot, const size_t *pos,
		      size_t n)
{
	int small[16], *v = t->nraters < ARRAY_LEN(small) ? small : xmalloc((t->nraters + 1) * sizeof *v);
	size_t k = values_of(t, u, slot, pos, n, 0, v);
	double lo = INFINITY, hi = -INFINITY;
	int differ = 0;
	for (size_t i = 0; i < k; i++) {
		double x = rubric_value_number(t->r, slot, v[i]);
		lo = fmin(lo, x);
		hi = fmax(hi, x);
		differ |= v[i] != v[0];
	}
	if (v != small) free(v);
	struct slot_info si;
	rubric_slot_info(t->r, slot, &si);
	if (k < 2 || !differ) return 0;
	return si.crit->type == CRIT_SCALE ? hi - lo : 1;
}
