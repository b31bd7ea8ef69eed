/* rank.c: the ranking behind `goldset rank` (rank.h): comparisons read from
 * a CSV or from the workspace's pairwise labels, fitted by Bradley–Terry
 * (src/stats/bt.c), ordered best first, with the position bias per rater
 * and the notes the report prints. Nothing here prints. */
#include "app/rank.h"

#include "model/csv.h"
#include "base/text.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- names, each given an index in order of first sight ---------- */

struct names {
	GHashTable *index1;   /* name -> index + 1 */
	GPtrArray *v;         /* index -> name (owned when own) */
	int own;              /* names are copied in */
	GHashTable *seen1;    /* borrowed names: the pointer -> index + 1 (names
			       * from a pool come back as the same pointer) */
};

static void names_init(struct names *s, int own)
{
	s->index1 = g_hash_table_new(gs_str_hash, gs_str_equal);
	s->v = own ? g_ptr_array_new_with_free_func(free) : g_ptr_array_new();
	s->own = own;
	s->seen1 = own ? NULL : g_hash_table_new(g_direct_hash, g_direct_equal);
}

static void names_free(struct names *s)
{
	g_hash_table_destroy(s->index1);
	if (s->seen1) g_hash_table_destroy(s->seen1);
	g_ptr_array_free(s->v, TRUE);
}

static size_t names_n(const struct names *s) { return s->v->len; }
static const char *name_at(const struct names *s, size_t i) { return g_ptr_array_index(s->v, i); }

/* name's index; a new name is added (copied when the names own theirs) */
static uint32_t names_intern(struct names *s, const char *name)
{
	guint i1 = s->seen1 ? GPOINTER_TO_UINT(g_hash_table_lookup(s->seen1, name)) : 0;
	if (i1) return i1 - 1;
	i1 = GPOINTER_TO_UINT(g_hash_table_lookup(s->index1, name));
	if (!i1) {
		char *kept = s->own ? xstrdup(name) : (char *)name;
		g_ptr_array_add(s->v, kept);
		i1 = s->v->len;
		g_hash_table_insert(s->index1, kept, GUINT_TO_POINTER(i1));
	}
	if (s->seen1) g_hash_table_insert(s->seen1, (gpointer)name, GUINT_TO_POINTER(i1));
	return i1 - 1;
}

/* the pool that owns every string of a result */
struct rank_pool { struct names names; };

static const char *pooled(struct rank_pool *pool, const char *s)
{
	return name_at(&pool->names, names_intern(&pool->names, s));
}

static struct rank_pool *pool_new(void)
{
	struct rank_pool *p = xmalloc(sizeof *p);
	names_init(&p->names, 1);
	return p;
}

/* ---------- comparisons to the model's form ---------- */

static int to_model(const struct rank_cmp *c, size_t n, struct names *sys,
		    struct st_bt_cmp *out, int *has_left, struct gs_err *e)
{
	*has_left = 0;
	for (size_t k = 0; k < n; k++) {
		const char *a = c[k].a, *b = c[k].b, *w = c[k].winner, *l = c[k].left;
		if (strcmp(a, b) == 0)
			return gs_fail(e, EX_DATAERR, "comparison %zu: a and b are the same system (b)", k + 1);
		out[k].a = names_intern(sys, a);
		out[k].b = names_intern(sys, b);
		if (strcmp(w, "tie") == 0) out[k].outcome = ST_BT_TIE;
		else if (strcmp(w, a) == 0) out[k].outcome = ST_BT_A_WINS;
		else if (strcmp(w, b) == 0) out[k].outcome = ST_BT_B_WINS;
		else return gs_fail(e, EX_DATAERR, "comparison %zu: winner is neither a, b nor tie (winner)", k + 1);
		if (!l) out[k].left = ST_BT_LEFT_UNKNOWN;
		else if (strcmp(l, a) == 0) out[k].left = ST_BT_LEFT_A;
		else if (strcmp(l, b) == 0) out[k].left = ST_BT_LEFT_B;
		else return gs_fail(e, EX_DATAERR, "comparison %zu: left is neither a nor b (left)", k + 1);
		if (l) *has_left = 1;
	}
	return 0;
}

/* ---------- order: best first ---------- */

static const struct st_bt_result *order_r;
static const char **order_names;

static int by_rank(const void *x, const void *y)
{
	const struct st_bt_system *a = &order_r->sys[*(const size_t *)x], *b = &order_r->sys[*(const size_t *)y];
	if (a->group != b->group) return a->group < b->group ? -1 : 1;
	double sa = isnan(a->group_score) ? -HUGE_VAL : a->group_score;
	double sb = isnan(b->group_score) ? -HUGE_VAL : b->group_score;
	if (sa != sb) return sa > sb ? -1 : 1;
	return strcmp(order_names[*(const size_t *)x], order_names[*(const size_t *)y]);
}

/* indices sorted by group, then score (group_score = score when finite) */
static size_t *rank_order(const struct st_bt_result *r, const char **name)
{
	size_t *ord = xmalloc((r->n + 1) * sizeof *ord);
	for (size_t i = 0; i < r->n; i++) ord[i] = i;
	order_r = r;
	order_names = name;
	if (r->n > 1) qsort(ord, r->n, sizeof *ord, by_rank);
	return ord;
}

/* ---------- notes ---------- */

static void note(GPtrArray *ns, char *s) { g_ptr_array_add(ns, s); }

/* "a, b, c": the systems (best first, escaped) whose group, or piece when
 * by_piece, is id */
static void add_members(struct sbuf *b, const struct rank_fit *f, int by_piece, int id)
{
	int first = 1;
	for (size_t k = 0; k < f->r.n; k++) {
		const struct st_bt_system *s = &f->r.sys[f->ord[k]];
		if ((by_piece ? s->piece : s->group) != id) continue;
		char *nm = text_escape(f->name[f->ord[k]]);
		sb_addf(b, "%s%s", first ? "" : ", ", nm);
		free(nm);
		first = 0;
	}
}

/* the systems never compared with each other, even through others */
static void note_pieces(GPtrArray *ns, const struct rank_fit *f)
{
	if (f->r.pieces < 2) return;
	struct sbuf b = {0};
	sb_addf(&b, "the comparisons form %zu separate pieces that never met, even through others:", f->r.pieces);
	for (size_t p = 0; p < f->r.pieces; p++) {
		sb_add(&b, p ? " | " : " ");
		add_members(&b, f, 1, (int)p);
	}
	note(ns, sb_take(&b));
}

static void note_separation(GPtrArray *ns, const struct rank_fit *f)
{
	const struct st_bt_result *r = &f->r;
	note(ns, xasprintf("no finite Bradley-Terry estimate: the comparisons split the systems into "
			   "%zu groups that cannot be put on one scale, so score, elo and ci95 are null; "
			   "group_score ranks systems within a group of two or more", r->groups));
	for (size_t i = 0; i < r->n; i++) {
		const struct st_bt_system *s = &r->sys[i];
		char *nm = text_escape(f->name[i]);
		if (s->never_lost)
			note(ns, xasprintf("%s never lost: %ld win%s, no loss, no tie (a tie counts as half a loss)",
					   nm, s->wins, s->wins == 1 ? "" : "s"));
		if (s->never_won)
			note(ns, xasprintf("%s never won: %ld loss%s, no win, no tie", nm, s->losses,
					   s->losses == 1 ? "" : "es"));
		if (!s->wins && !s->losses && !s->ties) note(ns, xasprintf("%s has no comparisons", nm));
		free(nm);
	}
	note_pieces(ns, f);
	struct sbuf b = {0};
	sb_add(&b, "groups, in an order where no group beat or tied an earlier one:");
	for (size_t g = 0; g < r->groups; g++) {
		sb_addf(&b, " %zu [", g + 1);
		add_members(&b, f, 0, (int)g);
		sb_addc(&b, ']');
	}
	note(ns, sb_take(&b));
}

static void note_bootstrap(GPtrArray *ns, const struct st_bt_result *r)
{
	if (!r->finite || r->n < 2) return;
	if (r->resamples == 0) {
		note(ns, xasprintf("no intervals: --bootstrap 0"));
		return;
	}
	int dropped = r->resamples - r->resamples_used;
	if (dropped == 0) return;
	int unbounded = isnan(r->sys[0].ci_lo);
	note(ns, xasprintf("%d of %d bootstrap resample%s had no finite estimate (some system never lost "
			   "or never won in them); they count as unbounded in both tails%s", dropped,
			   r->resamples, gs_s(r->resamples), unbounded ? ", too many to bound any 95% interval (ci95 null): "
			   "more comparisons would help" : ", which widens every interval"));
}

static void note_left(GPtrArray *ns, const struct st_bt_result *r, int has_left, int pairs)
{
	if (!has_left) {
		if (pairs) note(ns, xasprintf("left_win_rate is null: the CSV has no left column"));
		return;
	}
	if (r->left_decided == 0) {
		note(ns, xasprintf("left_win_rate is null: no decided comparison with a known left side"));
		return;
	}
	if (r->left_biased)
		note(ns, xasprintf("position bias: the left side won %.1f%% of %ld decided comparison%s "
				   "(95%% interval %.1f%%-%.1f%%, ties left out), far from 50%%",
				   100 * r->left_rate, r->left_decided, gs_s(r->left_decided), 100 * r->left_lo, 100 * r->left_hi));
}

/* with several raters, each one whose left side wins far from half the time */
static void note_rater_left(GPtrArray *ns, const struct rank_rater_left *rl, size_t nrl)
{
	for (size_t i = 0; nrl > 1 && i < nrl; i++) {
		if (!rank_rater_biased(&rl[i])) continue;
		char *nm = text_escape(rl[i].name);
		note(ns, xasprintf("position bias of rater %s: the left side won %.1f%% of %ld decided comparison%s "
				   "(95%% interval %.1f%%-%.1f%%), far from 50%%", nm,
				   100.0 * (double)rl[i].won / (double)rl[i].decided, rl[i].decided, gs_s(rl[i].decided), 100 * rl[i].lo,
				   100 * rl[i].hi));
		free(nm);
	}
}

static void make_notes(struct rank_fit *f, int pairs)
{
	GPtrArray *ns = g_ptr_array_new();
	if (f->r.comparisons == 0) {
		note(ns, xasprintf("no comparisons: nothing to rank"));
	} else {
		if (!f->r.finite) note_separation(ns, f);
		if (f->r.finite && f->r.max_gradient > 1e-6)
			note(ns, xasprintf("the fit did not fully converge (gradient %g)", f->r.max_gradient));
		note_bootstrap(ns, &f->r);
		note_left(ns, &f->r, f->has_left, pairs);
	}
	note_rater_left(ns, f->rl, f->nrl);
	f->nnote = ns->len;
	g_ptr_array_add(ns, NULL);
	f->note = (char **)g_ptr_array_free(ns, FALSE);
}

/* ---------- position bias per rater ---------- */

int rank_rater_biased(const struct rank_rater_left *l) { return l->decided && (l->lo > 0.5 || l->hi < 0.5); }

static int by_rater_name(const void *x, const void *y)
{
	return strcmp(((const struct rank_rater_left *)x)->name, ((const struct rank_rater_left *)y)->name);
}

/* how often the left side won each rater's decided comparisons, by name */
static struct rank_rater_left *left_by_rater(const struct rank_cmp *c, size_t n, size_t *count)
{
	struct names rs;
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct rank_rater_left));
	names_init(&rs, 0);
	for (size_t k = 0; k < n; k++) {
		if (!c[k].rater || !c[k].left || strcmp(c[k].winner, "tie") == 0) continue;
		uint32_t i = names_intern(&rs, c[k].rater);
		if (i == v->len) g_array_append_val(v, ((struct rank_rater_left){c[k].rater, 0, 0, NAN, NAN}));
		struct rank_rater_left *l = &g_array_index(v, struct rank_rater_left, i);
		l->decided++;
		l->won += strcmp(c[k].winner, c[k].left) == 0;
	}
	struct rank_rater_left *l = (struct rank_rater_left *)(void *)v->data;
	for (size_t i = 0; i < v->len; i++) st_bt_wilson95(l[i].won, l[i].decided, &l[i].lo, &l[i].hi);
	g_array_sort(v, by_rater_name);
	*count = v->len;
	names_free(&rs);
	return (struct rank_rater_left *)(void *)g_array_free(v, FALSE);
}

/* ---------- one fit ---------- */

/* the fit of comparisons c, given in the model's form m over the systems
 * sys (index -> name) */
static int fit_model(const struct rank_cmp *c, const struct st_bt_cmp *m, size_t n, const struct names *sys,
		     int has_left, const struct rank_spec *sp, int pairs, struct rank_fit *out, struct gs_err *e)
{
	struct st_bt_opts bo = { sp->bootstrap, sp->seed };
	size_t nsys = names_n(sys);
	if (st_bt_fit(nsys, m, n, &bo, &out->r) != 0) return gs_fail(e, EX_SOFTWARE, "rank: comparisons rejected by the model");
	out->name = xmalloc((nsys + 1) * sizeof *out->name);
	if (nsys) memcpy(out->name, sys->v->pdata, nsys * sizeof *out->name);
	out->name[nsys] = NULL;
	out->has_left = has_left;
	out->ord = rank_order(&out->r, out->name);
	out->rl = left_by_rater(c, n, &out->nrl);
	make_notes(out, pairs);
	return 0;
}

int rank_fit(const struct rank_cmp *c, size_t n, const struct rank_spec *sp, int pairs, struct rank_fit *out,
	     struct gs_err *e)
{
	struct names sys;
	struct st_bt_cmp *m = xmalloc((n + 1) * sizeof *m);
	int has_left;
	memset(out, 0, sizeof *out);
	names_init(&sys, 0);
	int rc = to_model(c, n, &sys, m, &has_left, e);
	if (rc == 0) rc = fit_model(c, m, n, &sys, has_left, sp, pairs, out, e);
	free(m);
	names_free(&sys);
	return rc;
}

void rank_fit_free(struct rank_fit *f)
{
	if (f->name) st_bt_result_free(&f->r);
	free(f->name);
	free(f->ord);
	g_free(f->rl);
	for (size_t i = 0; i < f->nnote; i++) free(f->note[i]);
	g_free(f->note);
	memset(f, 0, sizeof *f);
}

void rank_result_free(struct rank_result *res)
{
	for (size_t i = 0; i < res->nfit; i++) rank_fit_free(&res->fit[i]);
	free(res->fit);
	for (size_t i = 0; i < res->nflips; i++) free(res->flips[i].rater);
	g_free(res->flips);
	free(res->other_prefs);
	if (res->pool) {
		names_free(&res->pool->names);
		free(res->pool);
	}
	memset(res, 0, sizeof *res);
}

/* ---------- --pairs FILE.csv ---------- */

enum { COL_A, COL_B, COL_WINNER, COL_LEFT, NCOL };
static const char *const col_name[NCOL] = { "a", "b", "winner", "left" };

static int read_header(struct csv *c, int *col, struct gs_err *e)
{
	int rc = csv_next(c, e);
	if (rc < 0) return e->code;
	if (rc == 0) return gs_fail(e, EX_DATAERR, "%s:1: empty file, expected the header a,b,winner (header)", csv_name(c));
	for (int k = 0; k < NCOL; k++) col[k] = -1;
	for (size_t i = 0; i < csv_nfields(c); i++)
		for (int k = 0; k < NCOL; k++) {
			if (strcmp(csv_field(c, i), col_name[k]) != 0) continue;
			if (col[k] >= 0)
				return gs_fail(e, EX_DATAERR, "%s:%ld: column %s appears twice (header)", csv_name(c),
					       csv_line(c), col_name[k]);
			col[k] = (int)i;
		}
	for (int k = 0; k < COL_LEFT; k++)
		if (col[k] < 0)
			return gs_fail(e, EX_DATAERR, "%s:%ld: no column %s: the header must name a,b,winner (header)",
				       csv_name(c), csv_line(c), col_name[k]);
	return 0;
}

/* one escaped and shortened value for an error message */
static char *shown(const char *v)
{
	char *s = text_escape(v);
	if (strlen(s) > 40) strcpy(s + 37, "...");
	return s;
}

static int check_row(const struct csv *c, const struct rank_cmp *r, struct gs_err *e)
{
	const char *what = NULL, *field = NULL, *bad = NULL;
	if (!*r->a) what = "empty system name", field = "a";
	else if (!*r->b) what = "empty system name", field = "b";
	else if (strcmp(r->a, "tie") == 0) what = "\"tie\" cannot name a system", field = "a";
	else if (strcmp(r->b, "tie") == 0) what = "\"tie\" cannot name a system", field = "b";
	else if (strcmp(r->a, r->b) == 0) what = "a and b name the same system", field = "b";
	if (what) return gs_fail(e, EX_DATAERR, "%s:%ld: %s (%s)", csv_name(c), csv_line(c), what, field);
	if (strcmp(r->winner, "tie") && strcmp(r->winner, r->a) && strcmp(r->winner, r->b))
		bad = r->winner, what = "is neither a, b nor tie", field = "winner";
	else if (r->left && strcmp(r->left, r->a) && strcmp(r->left, r->b))
		bad = r->left, what = "is neither a nor b", field = "left";
	if (!bad) return 0;
	char *v = shown(bad);
	gs_fail(e, EX_DATAERR, "%s:%ld: \"%s\" %s (%s)", csv_name(c), csv_line(c), v, what, field);
	free(v);
	return e->code;
}

/* what a CSV holds: the comparisons (struct rank_cmp) and the same in
 * the model's form (struct st_bt_cmp); the pool's names are the systems */
struct pairs { GArray *c, *m; int has_left; };

/* the current record as a comparison whose strings live in pool */
static int read_row(const struct csv *c, const int *col, struct rank_pool *pool, struct pairs *ps,
		    struct gs_err *e)
{
	struct rank_cmp raw = { csv_field(c, (size_t)col[COL_A]), csv_field(c, (size_t)col[COL_B]),
				csv_field(c, (size_t)col[COL_WINNER]), NULL, NULL };
	if (col[COL_LEFT] >= 0 && *csv_field(c, (size_t)col[COL_LEFT])) raw.left = csv_field(c, (size_t)col[COL_LEFT]);
	int rc = check_row(c, &raw, e);
	if (rc) return rc;
	uint32_t ia = names_intern(&pool->names, raw.a);   /* a first: systems are numbered in order of sight */
	struct st_bt_cmp m = {ia, names_intern(&pool->names, raw.b), ST_BT_TIE, ST_BT_LEFT_UNKNOWN};
	struct rank_cmp r = {name_at(&pool->names, m.a), name_at(&pool->names, m.b), "tie", NULL, NULL};
	if (strcmp(raw.winner, "tie") != 0) {
		int a_won = strcmp(raw.winner, raw.a) == 0;
		r.winner = a_won ? r.a : r.b;
		m.outcome = a_won ? ST_BT_A_WINS : ST_BT_B_WINS;
	}
	if (raw.left) {
		int a_left = strcmp(raw.left, raw.a) == 0;
		r.left = a_left ? r.a : r.b;
		m.left = a_left ? ST_BT_LEFT_A : ST_BT_LEFT_B;
		ps->has_left = 1;
	}
	g_array_append_val(ps->c, r);
	g_array_append_val(ps->m, m);
	return 0;
}

/* reads every comparison; strings owned by pool */
static int load_pairs(const char *path, struct rank_pool *pool, struct pairs *ps, struct gs_err *e)
{
	int col[NCOL], rc;
	struct csv *c = csv_open(path, CSV_SKIP_BLANK | CSV_SAME_WIDTH, e);
	if (!c) return e->code;
	if ((rc = read_header(c, col, e)) == 0) {
		while ((rc = csv_next(c, e)) > 0)
			if ((rc = read_row(c, col, pool, ps, e))) break;
		rc = rc < 0 ? e->code : rc;
	}
	csv_close(c);
	return rc;
}

int rank_pairs(const char *path, const struct rank_spec *sp, struct rank_result *out, struct gs_err *e)
{
	memset(out, 0, sizeof *out);
	out->pairs = 1;
	out->spec = sp;
	out->pool = pool_new();
	struct pairs ps = {g_array_sized_new(FALSE, FALSE, sizeof(struct rank_cmp), 1024),
			   g_array_sized_new(FALSE, FALSE, sizeof(struct st_bt_cmp), 1024), 0};
	int rc = load_pairs(path, out->pool, &ps, e);
	if (rc == 0) {
		out->fit = xcalloc(1, sizeof *out->fit);
		rc = fit_model((const struct rank_cmp *)(void *)ps.c->data, (const struct st_bt_cmp *)(void *)ps.m->data,
			       ps.c->len, &out->pool->names, ps.has_left, sp, 1, out->fit, e);
		out->nfit = rc == 0;
	}
	g_array_free(ps.c, TRUE);
	g_array_free(ps.m, TRUE);
	return rc;
}

/* ---------- the workspace's labels ---------- */

/* the current pairwise labels of one rubric as comparisons */
struct ws_load {
	const struct rubric *r;
	size_t nslots, slot;          /* the criterion's slot */
	store *st;
	const char *by;
	struct rank_pool *pool;       /* owns every string */
	GArray *c;                    /* struct rank_cmp */
	GPtrArray *slice;             /* with a meta key: each comparison's value (NULL: none) */
	long long unread;             /* labels the rubric cannot read */
	int failed;
	struct gs_err err;
};

/* the criterion's answer: 0 left won, 1 right won, 2 tie; -1 none */
static int label_value(struct ws_load *w, const struct store_label *l)
{
	struct gs_err e;
	int *slots = xmalloc(w->nslots * sizeof *slots), v = -1;
	if (rubric_values_from_json(w->r, l->vals, l->left_sys, l->right_sys, 0, slots, "", &e) == 0)
		v = slots[w->slot];
	else w->unread++;
	free(slots);
	return v;
}

static int load_cb(void *ctx, const struct store_label *l)
{
	struct ws_load *w = ctx;
	if (!l->pair_key || !*l->pair_key || !l->left_sys || !l->right_sys || !l->vals) return 0;
	int v = label_value(w, l);
	if (v < 0) return 0;
	const char *a = pooled(w->pool, l->left_sys), *b = pooled(w->pool, l->right_sys), *slice = NULL;
	if (w->by) {
		char *val = NULL;
		if (store_item_meta_text(w->st, l->ext_id, w->by, &val, &w->err)) {
			w->failed = 1;
			return 1;
		}
		if (val) slice = pooled(w->pool, val);
		free(val);
	}
	struct rank_cmp c = {a, b, v == 0 ? a : v == 1 ? b : "tie", a, pooled(w->pool, l->rater)};
	g_array_append_val(w->c, c);
	g_ptr_array_add(w->slice, (gpointer)slice);
	return 0;
}

/* the criterion to rank by: the one wanted, else the first preference one */
static int pick_criterion(const struct rubric *r, const char *want, size_t *slot, const char **found,
			  struct sbuf *others, struct gs_err *e)
{
	*found = NULL;
	for (size_t i = 0, sl = 0; i < r->ncrit; sl += r->crit[i].type == CRIT_CHECKLIST ? r->crit[i].noptions : 1, i++) {
		const struct criterion *c = &r->crit[i];
		if (want && strcmp(c->id, want) == 0 && c->type != CRIT_PREFERENCE)
			return gs_fail(e, EX_USAGE, "criterion %s of rubric %s is not a preference (A/B/tie) criterion",
				       want, r->name);
		if (c->type != CRIT_PREFERENCE) continue;
		if (!*found && (!want || strcmp(c->id, want) == 0)) {
			*found = c->id;
			*slot = sl;
		} else {
			sb_addf(others, "%s%s", others->len ? ", " : "", c->id);
		}
	}
	if (*found) return 0;
	if (want) return gs_fail(e, EX_USAGE, "rubric %s has no criterion %s", r->name, want);
	return gs_fail(e, EX_DATAERR, "rubric %s has no preference criterion", r->name);
}

static int flips_cb(void *ctx, const char *rater, long long pairs, long long flips)
{
	struct rank_flips f = {xstrdup(rater), pairs, flips};
	g_array_append_val((GArray *)ctx, f);
	return 0;
}

static int by_slice(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;
	if (!a || !b) return (a == NULL) - (b == NULL);   /* items without the key last */
	return strcmp(a, b);
}

/* the distinct slice values, sorted (NULL last) */
static const char **slices_of(const struct ws_load *w, size_t *n)
{
	size_t len = w->slice->len;
	const char **v = xmalloc((len + 1) * sizeof *v);
	memcpy(v, w->slice->pdata, len * sizeof *v);
	qsort(v, len, sizeof *v, by_slice);
	size_t k = 0;
	for (size_t i = 0; i < len; i++)
		if (!k || by_slice(&v[k - 1], &v[i]) != 0) v[k++] = v[i];
	*n = k;
	return v;
}

/* one fit per slice of the meta key */
static int fit_slices(const struct ws_load *w, struct rank_result *res, struct gs_err *e)
{
	size_t ns;
	int rc = 0;
	const char **sl = slices_of(w, &ns);
	const struct rank_cmp *all = (const struct rank_cmp *)(void *)w->c->data;
	struct rank_cmp *sub = xmalloc((w->c->len + 1) * sizeof *sub);
	res->fit = xcalloc(ns + 1, sizeof *res->fit);
	for (size_t s = 0; s < ns && !rc; s++) {
		size_t k = 0;
		for (size_t i = 0; i < w->c->len; i++)
			if (by_slice(&w->slice->pdata[i], &sl[s]) == 0) sub[k++] = all[i];
		rc = rank_fit(sub, k, res->spec, 0, &res->fit[s], e);
		res->fit[s].slice = sl[s];
		res->nfit += rc == 0;
	}
	free(sub);
	free(sl);
	return rc;
}

static int fit_labels(const struct ws_load *w, struct rank_result *res, struct gs_err *e)
{
	if (res->spec->by) return fit_slices(w, res, e);
	res->fit = xcalloc(1, sizeof *res->fit);
	int rc = rank_fit((const struct rank_cmp *)(void *)w->c->data, w->c->len, res->spec, 0, res->fit, e);
	res->nfit = rc == 0;
	return rc;
}

int rank_labels(store *st, const struct rubric *r, const struct rank_spec *sp, struct rank_result *out,
		struct gs_err *e)
{
	struct sbuf others = {0};
	GArray *flips = g_array_new(FALSE, FALSE, sizeof(struct rank_flips));
	memset(out, 0, sizeof *out);
	out->spec = sp;
	out->pool = pool_new();
	out->rubric = pooled(out->pool, r->name);
	struct ws_load w = {.r = r, .nslots = rubric_slot_count(r), .st = st, .by = sp->by, .pool = out->pool,
			    .c = g_array_new(FALSE, FALSE, sizeof(struct rank_cmp)), .slice = g_ptr_array_new()};
	struct store_label_query q = {.rubric = r->name};
	const char *crit = NULL;
	int rc = pick_criterion(r, sp->criterion, &w.slot, &crit, &others, e);
	if (!rc) out->criterion = pooled(out->pool, crit);
	if (!rc) rc = store_labels_each(st, &q, load_cb, &w, e);
	if (!rc && w.failed) rc = gs_fail(e, w.err.code, "%s", w.err.msg);
	if (!rc && !sp->by) rc = store_pair_flips_each(st, r->name, out->criterion, flips_cb, flips, e);
	out->unread = w.unread;
	out->other_prefs = others.len ? sb_take(&others) : NULL;
	out->nflips = flips->len;
	out->flips = (struct rank_flips *)(void *)g_array_free(flips, FALSE);
	if (!rc) rc = fit_labels(&w, out, e);
	g_array_free(w.c, TRUE);
	g_ptr_array_free(w.slice, TRUE);
	sb_free(&others);
	return rc;
}
