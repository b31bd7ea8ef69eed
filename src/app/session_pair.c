/* session_pair.c: the pairwise session (session.h). Which comparisons an
 * item holds (st_bt's design), in an order of the rater's own; which output
 * each comparison first shows on the left (drawn in permuted blocks of two
 * per rater and pair of systems, so that each system of a pair is on the
 * left as often as the other, give or take one, and written to `shown`
 * before it is shown; later showings
 * use what was recorded); --both-orders adds a second pass over every
 * comparison with the sides swapped, after the first. The items come from a
 * store_pairq one at a time. A save is one label row with the sides shown;
 * undo (session.c) puts back the rows of this way round and the current
 * label. System names stay here and in the store: screens show A and B. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "app/session_impl.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "stats/bt.h"
#include "model/labelline.h"

#define SIDE_SALT 0x7061697273696465ULL /* "pairside" */
#define ORDER_SALT 0x706169726f726465ULL

/* ---- sides and order: reproducible per rater ---- */

static uint64_t mix3(const char *a, const char *b, const char *c, uint64_t salt)
{
	uint64_t h = gs_hash64(a, strlen(a) + 1, salt);
	h = gs_hash64(b, strlen(b) + 1, h);
	h = gs_hash64(c, strlen(c) + 1, h);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

int session_x_left(const char *rater, const char *pair_key, long drawn)
{
	char block[32];
	snprintf(block, sizeof block, "%ld", drawn / 2);
	int first = (int)(mix3(rater, pair_key, block, SIDE_SALT) >> 40 & 1);
	return drawn % 2 ? !first : first;
}

static size_t npairs(const struct session_item *m) { return m->pairs ? m->pairs->len : 0; }

static uint32_t *pair_of(const struct session_item *m, size_t idx)
{
	return ((uint32_t(*)[2])(void *)m->pairs->data)[idx];
}

static const char *sys_name(const struct session_item *m, uint32_t i)
{
	const char *s = m->it.outputs[i].system;
	return s ? s : "";
}

static const char *sys_text(const struct session_item *m, const char *sys)
{
	for (size_t i = 0; sys && i < m->it.noutputs; i++)
		if (strcmp(sys_name(m, (uint32_t)i), sys) == 0) return m->it.outputs[i].text;
	return NULL;
}

/* x < y by name: the comparison's two systems */
static void pair_names(const struct session_item *m, size_t idx, const char **x, const char **y)
{
	const char *a = sys_name(m, pair_of(m, idx)[0]), *b = sys_name(m, pair_of(m, idx)[1]);
	int sw = strcmp(a, b) > 0;
	*x = sw ? b : a;
	*y = sw ? a : b;
}

/* the key of unit idx: the pair's, or with --outputs the system's (x == y) */
static char *pair_key_of(const struct session_item *m, size_t idx)
{
	const char *x, *y;
	pair_names(m, idx, &x, &y);
	return strcmp(x, y) ? labelline_pair_key(x, y) : labelline_system_key(x);
}

static int outputs_mode(const struct lsession *S) { return S->po->outputs; }

const char *session_unit_noun(const struct lsession *S) { return outputs_mode(S) ? "output" : "comparison"; }

struct keyed { uint64_t key; uint32_t p[2]; };

static gint by_key(gconstpointer a, gconstpointer b)
{
	const struct keyed *x = a, *y = b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* sorts the item's comparisons by a hash of rater, item and pair (stable) */
static void rater_order(const struct lsession *S, struct session_item *m)
{
	GArray *k = g_array_sized_new(FALSE, FALSE, sizeof(struct keyed), npairs(m));
	for (size_t i = 0; i < npairs(m); i++) {
		char *pk = pair_key_of(m, i);
		struct keyed e = {mix3(S->rater, m->row.ext_id, pk, ORDER_SALT), {pair_of(m, i)[0], pair_of(m, i)[1]}};
		g_array_append_val(k, e);
		free(pk);
	}
	g_array_sort(k, by_key);
	for (size_t i = 0; i < npairs(m); i++) memcpy(pair_of(m, i), g_array_index(k, struct keyed, i).p, sizeof(uint32_t[2]));
	g_array_free(k, TRUE);
}

/* --outputs: each output is a unit (its index twice) */
static void item_outputs(const struct lsession *S, struct session_item *m)
{
	m->pairs = g_array_new(FALSE, FALSE, sizeof(uint32_t[2]));
	for (uint32_t i = 0; i < m->it.noutputs; i++) {
		uint32_t p[2] = {i, i};
		g_array_append_val(m->pairs, p);
	}
	rater_order(S, m);
}

/* the item's comparisons: the design, in the rater's order */
static void item_pairs(const struct lsession *S, struct session_item *m)
{
	if (outputs_mode(S)) {
		item_outputs(S, m);
		return;
	}
	size_t k = m->it.noutputs, ppi = S->po->pairs_per_item > 0 ? (size_t)S->po->pairs_per_item : 1;
	const char **names = xmalloc((k ? k : 1) * sizeof *names);
	for (size_t i = 0; i < k; i++) names[i] = sys_name(m, (uint32_t)i);
	m->pairs = g_array_new(FALSE, FALSE, sizeof(uint32_t[2]));
	g_array_set_size(m->pairs, ppi > 6 ? ppi : 6);
	uint64_t seed = gs_hash64(m->row.set, strlen(m->row.set), 0);
	size_t n = st_bt_pairs_for_item(names, k, (size_t)(m->row.ord < 0 ? 0 : m->row.ord), ppi, seed,
					(uint32_t(*)[2])(void *)m->pairs->data);
	g_array_set_size(m->pairs, n);
	free(names);
	rater_order(S, m);
}

/* row (taken over) into m with its comparisons; 0, or -1 when unreadable */
static int pair_load(const struct lsession *S, struct session_item *m, struct store_item *row)
{
	struct gs_err e;
	memset(m, 0, sizeof *m);
	if (session_item_take(m, row, &e)) return -1;
	item_pairs(S, m);
	return 0;
}

/* ---- what the rater did with a comparison ---- */

/* the system shown left in pass `pass`: as recorded, else drawn (and,
 * when record, written to `shown` before anything is shown) */
static char *way_left(struct lsession *S, const struct session_item *m, size_t idx, int pass, int record)
{
	const char *x, *y;
	struct gs_err e;
	char *key = pair_key_of(m, idx), *left = NULL, *first = NULL;
	pair_names(m, idx, &x, &y);
	store_shown_get(S->st, S->r->name, S->rater, m->row.ext_id, key, pass, &left, &e);
	if (outputs_mode(S)) {   /* one output: recorded as shown (left, no right), in the rater's order */
		if (!left && record && store_shown_add(S->st, S->r->name, S->rater, m->row.ext_id, x, "", key, 0, &e))
			session_say(S, SESSION_WARN, "could not record the output shown: %s", e.msg);
		free(left);
		free(key);
		return xstrdup(x);
	}
	if (left && strcmp(left, x) && strcmp(left, y)) {
		free(left);
		left = NULL;
	}
	if (!left) {
		long drawn = 0;
		if (store_shown_count(S->st, S->r->name, S->rater, key, 0, &drawn, &e))
			session_say(S, SESSION_WARN, "could not count the sides shown: %s", e.msg);
		int x_left = session_x_left(S->rater, key, drawn);
		if (pass) {
			store_shown_get(S->st, S->r->name, S->rater, m->row.ext_id, key, 0, &first, &e);
			if (first && (!strcmp(first, x) || !strcmp(first, y))) x_left = strcmp(first, x) == 0;
			x_left = !x_left;
		}
		left = xstrdup(x_left ? x : y);
		if (record && store_shown_add(S->st, S->r->name, S->rater, m->row.ext_id, left, x_left ? y : x, key, pass, &e))
			session_say(S, SESSION_WARN, "could not record the sides shown: %s", e.msg);
	}
	free(first);
	free(key);
	return left;
}

/* a label with `left` on the left on the item's current version */
static int way_labeled(struct lsession *S, const struct session_item *m, const char *key, const char *left)
{
	struct store_label l;
	struct gs_err e;
	if (store_pair_label_get(S->st, S->r->name, S->rater, m->row.ext_id, key, left, &l, &e)) return 0;
	int yes = l.vals && l.item_row == m->row.id;
	store_label_free(&l);
	return yes;
}

static int head_labeled(struct lsession *S, const struct session_item *m, const char *key)
{
	struct store_label l;
	struct gs_err e;
	if (store_label_current(S->st, S->r->name, m->row.ext_id, S->rater, key, &l, &e)) return 0;
	int yes = l.vals && l.item_row == m->row.id;
	store_label_free(&l);
	return yes;
}

/* 1 when comparison idx still needs the rater in pass `pass` */
static int cmp_todo(struct lsession *S, const struct session_item *m, size_t idx, int pass)
{
	struct gs_err e;
	char *key = pair_key_of(m, idx);
	int skipped = 0, todo;
	store_pair_skipped(S->st, S->r->name, S->rater, m->row.ext_id, key, &skipped, &e);
	if (skipped) todo = 0;
	else if (!pass) todo = !head_labeled(S, m, key);
	else {
		char *l0 = way_left(S, m, idx, 0, 0), *l1 = way_left(S, m, idx, 1, 0);
		todo = way_labeled(S, m, key, l0) && !way_labeled(S, m, key, l1);
		free(l0);
		free(l1);
	}
	free(key);
	return todo;
}

static long todo_in_item(struct lsession *S, const struct session_item *m, size_t from, int pass)
{
	for (size_t i = from; i < npairs(m); i++)
		if (cmp_todo(S, m, i, pass)) return (long)i;
	return -1;
}

/* ---- the comparison shown ---- */

void session_pair_counts(struct lsession *S)
{
	struct gs_err e;
	if (store_pairq_counts(S->pq, 0, &S->pn, &e)) session_say(S, SESSION_WARN, "%s", e.msg);
}

void session_pair_load_way(struct lsession *S, struct gs_err *e)
{
	if (store_pair_label_get(S->st, S->r->name, S->rater, S->cur.row.ext_id, S->c.key, S->c.left, &S->way, e))
		memset(&S->way, 0, sizeof S->way);
}

/* shows comparison idx of the current item in pass `pass` */
static void show_cmp(struct lsession *S, size_t idx, int pass)
{
	const char *x, *y;
	free(S->c.key);
	free(S->c.left);
	free(S->c.right);
	S->c.idx = idx;
	S->c.pass = pass;
	S->c.key = pair_key_of(&S->cur, idx);
	S->c.left = way_left(S, &S->cur, idx, pass, 1);
	pair_names(&S->cur, idx, &x, &y);
	S->c.right = outputs_mode(S) ? NULL : xstrdup(strcmp(S->c.left, x) == 0 ? y : x);
	S->view = S->cur.it;
	S->view.output = (char *)sys_text(&S->cur, S->c.left);
	S->view.outputs = NULL;
	S->view.noutputs = 0;
	if (outputs_mode(S)) S->item_seq++;   /* another output: the label screen's item view is rebuilt */
	session_shown(S);
	session_pair_counts(S);
}

/* makes m (taken over) the current item */
static void take_item(struct lsession *S, struct session_item *m)
{
	session_drop(S);
	S->cur = *m;
	S->have = 1;
	session_read_flag(S);
}

const char *session_text_a(const struct lsession *S) { return S->have ? sys_text(&S->cur, S->c.left) : NULL; }
const char *session_text_b(const struct lsession *S) { return S->have ? sys_text(&S->cur, S->c.right) : NULL; }

const struct item *session_label_item(const struct lsession *S)
{
	return S->po && S->po->outputs ? &S->view : &S->cur.it;
}

/* ---- walking the queue ---- */

/* the first item after from (NULL: the start) with a todo comparison in
 * pass `pass`; 1 when one is shown, 0 when none, -1 on an error */
static int scan(struct lsession *S, const struct store_item *from, int pass)
{
	struct store_item si, at = {0};
	struct gs_err e;
	enum store_pq_todo todo = pass ? STORE_PQ_ONE_WAY : STORE_PQ_UNSEEN;
	long long row = from ? from->id : 0;
	for (;;) {
		at.id = row;
		int rc = store_pairq_step(S->pq, row ? &at : NULL, 1, todo, &si, &e);
		if (rc == EX_NOINPUT) return 0;
		if (rc) {
			session_say(S, SESSION_WARN, "%s", e.msg);
			return -1;
		}
		row = si.id;
		struct session_item m;
		long i = pair_load(S, &m, &si) ? -1 : todo_in_item(S, &m, 0, pass);
		if (i < 0) {
			session_item_free(&m);
			continue;
		}
		take_item(S, &m);
		show_cmp(S, (size_t)i, pass);
		return 1;
	}
}

/* the next comparison still to do after this one, then from the start;
 * none left: nothing shown */
int session_pair_next(struct lsession *S)
{
	int both = S->po->both_orders, rc = 0;
	if (S->have) {
		long i = todo_in_item(S, &S->cur, S->c.idx + 1, S->c.pass);
		if (i >= 0) {
			show_cmp(S, (size_t)i, S->c.pass);
			return 1;
		}
		int pass = S->c.pass;
		rc = scan(S, &(struct store_item){.id = S->cur.row.id}, pass);
		if (!rc && !pass && both) rc = scan(S, NULL, 1);
	}
	if (!rc) rc = scan(S, NULL, 0);
	if (!rc && both) rc = scan(S, NULL, 1);
	if (!rc) {
		session_drop(S);
		session_pair_counts(S);
	}
	return rc > 0;
}

/* the item next to from (NULL: the first or last) in the order, any */
static int step_item(struct lsession *S, const struct store_item *from, int dir, struct session_item *m)
{
	struct store_item si, at = {0};
	struct gs_err e;
	if (from) at.id = from->id;
	for (;;) {
		int rc = store_pairq_step(S->pq, at.id ? &at : NULL, dir, STORE_PQ_ANY, &si, &e);
		if (rc) {
			if (rc != EX_NOINPUT) session_say(S, SESSION_WARN, "%s", e.msg);
			return rc;
		}
		if (pair_load(S, m, &si) == 0 && npairs(m)) return 0;
		at.id = m->row.id;
		session_item_free(m);
	}
}

/* n / p: the next or previous comparison in the order, done or not */
void session_pair_step(struct lsession *S, int dir)
{
	int left_unsaved = S->have && session_dirty(S), pass = S->have ? S->c.pass : dir > 0 ? 0 : S->po->both_orders;
	struct session_item m;
	if (S->have && dir > 0 && S->c.idx + 1 < npairs(&S->cur)) {
		show_cmp(S, S->c.idx + 1, pass);
	} else if (S->have && dir < 0 && S->c.idx > 0) {
		show_cmp(S, S->c.idx - 1, pass);
	} else if (step_item(S, S->have ? &S->cur.row : NULL, dir, &m) == 0) {
		take_item(S, &m);
		show_cmp(S, dir > 0 ? 0 : npairs(&S->cur) - 1, pass);
	} else if (S->po->both_orders && pass == (dir > 0 ? 0 : 1) && step_item(S, NULL, dir, &m) == 0) {
		take_item(S, &m);
		show_cmp(S, dir > 0 ? 0 : npairs(&S->cur) - 1, !pass);
	} else {
		session_say(S, SESSION_DIM, "this is the %s %s", dir > 0 ? "last" : "first", session_unit_noun(S));
		return;
	}
	if (left_unsaved) session_say(S, SESSION_WARN, "left the last %s without saving its answers", session_unit_noun(S));
	else if (!S->stale) S->msg[0] = 0;
}

/* ---- saving ---- */

int session_pair_write(struct lsession *S, struct gs_err *e)
{
	char *vals = rubric_values_to_json(S->r, S->slots, S->c.left, S->c.right);
	char *sides = outputs_mode(S) ? NULL : rubric_sides_json(S->r, S->slots);
	struct store_label l = {
		.item_row = S->cur.row.id, .ext_id = S->cur.row.ext_id, .rubric = S->r->name,
		.rubric_version = S->r->version, .rubric_hash = S->r->hash, .rater = S->rater,
		.login = gs_login(), .vals = vals, .note = S->note, .left_sys = S->c.left, .right_sys = S->c.right,
		.pair_key = S->c.key, .sides = sides, .seconds = now_seconds() - S->shown_at, .source = "screen",
		.batch = S->batch,
	};
	int rc = store_label_add(S->st, &l, NULL, e);
	free(vals);
	free(sides);
	return rc;
}

/* shows u's comparison again, its undone answers on screen */
void session_pair_show_undone(struct lsession *S, const struct undo *u)
{
	struct store_item si;
	struct gs_err e;
	struct session_item m;
	if (store_item_get(S->st, u->ext_id, &si, &e)) return;
	if (pair_load(S, &m, &si) == 0)
		for (size_t i = 0; i < npairs(&m); i++) {
			char *k = pair_key_of(&m, i);
			int hit = strcmp(k, u->key) == 0;
			free(k);
			if (!hit) continue;
			take_item(S, &m);
			show_cmp(S, i, u->pass);
			memcpy(S->slots, u->slots, S->nslots * sizeof *S->slots);
			return;
		}
	session_item_free(&m);
}

/* ---- find: an item named, its state (session_find.c) ---- */

int session_pair_show_id(struct lsession *S, const char *ext_id)
{
	struct store_item si;
	struct session_item m;
	struct gs_err e;
	if (store_item_get(S->st, ext_id, &si, &e)) return -1;
	if (pair_load(S, &m, &si) || !npairs(&m)) {
		session_item_free(&m);
		return -1;
	}
	take_item(S, &m);
	long i = todo_in_item(S, &S->cur, 0, 0);
	show_cmp(S, i < 0 ? 0 : (size_t)i, 0);
	return 0;
}

/* one comparison's answers as the rater saw them ("A", "B/tie"), or "-" */
static void cmp_values(struct lsession *S, const struct store_label *l, int *slots, struct sbuf *b)
{
	struct gs_err e;
	char buf[32];
	if (!l->vals || rubric_values_from_json(S->r, l->vals, l->left_sys, l->right_sys, 0, slots, "", &e)) {
		sb_add(b, "-");
		return;
	}
	for (size_t k = 0; k < S->nslots; k++) {
		if (k) sb_add(b, "/");
		sb_add(b, slots[k] < 0 ? "-" : rubric_value_text(S->r, k, slots[k], buf));
	}
}

int session_pair_item_state(struct lsession *S, const char *ext_id, struct pair_item_state *out)
{
	struct store_item si;
	struct session_item m;
	struct gs_err e;
	struct sbuf b = {0};
	memset(out, 0, sizeof *out);
	if (store_item_get(S->st, ext_id, &si, &e)) return -1;
	int *slots = xcalloc(S->nslots + 1, sizeof *slots);
	if (pair_load(S, &m, &si) == 0)
		for (size_t i = 0; i < npairs(&m); i++) {
			struct store_label l = {0};
			char *key = pair_key_of(&m, i);
			if (store_label_current(S->st, S->r->name, ext_id, S->rater, key, &l, &e)) memset(&l, 0, sizeof l);
			out->labeled += l.vals && l.item_row == m.row.id;
			out->stale += l.vals && l.item_row != m.row.id;
			out->noted += l.note && *l.note;
			if (i) sb_add(&b, " ");
			cmp_values(S, &l, slots, &b);
			store_label_free(&l);
			free(key);
		}
	out->n = npairs(&m);
	out->values = sb_take(&b);
	session_item_free(&m);
	free(slots);
	return 0;
}

/* ---- opening and the result ---- */

/* the first preference criterion: flips are counted on it */
static const char *first_preference(const struct rubric *r)
{
	for (size_t i = 0; i < r->ncrit; i++)
		if (r->crit[i].type == CRIT_PREFERENCE) return r->crit[i].id;
	return NULL;
}

static int pair_open_queue(struct lsession *S, struct gs_err *e)
{
	const struct pair_opts *o = S->po;
	struct store_pairq_opts qo = {o->r->name, o->rater, o->set, o->batch, o->pairs_per_item, o->both_orders,
				      o->outputs};
	if (store_pairq_open(o->st, &qo, &S->pq, e)) return e->code;
	if (store_pairq_counts(S->pq, 1, &S->pn, e)) return e->code;
	if (S->pn.items == 0 && o->outputs)
		return gs_fail(e, EX_NOINPUT, "nothing to label: no items with outputs from two or more systems%s",
			       o->set || o->batch ? " match these options" : "");
	if (o->outputs) return 0;
	if (S->pn.items == 0)
		return gs_fail(e, EX_NOINPUT, "nothing to compare: no items with outputs from two or more systems%s"
			       " (goldset import adds some)", o->set || o->batch ? " match these options" : "");
	if (!first_preference(o->r))
		return gs_fail(e, EX_DATAERR, "rubric %s has no preference criterion to answer", o->r->name);
	return 0;
}

static void pair_first(struct lsession *S) { session_pair_next(S); }

int session_pair_open(struct lsession *S, struct lsession **out, struct gs_err *e)
{
	return session_start(S, pair_open_queue, pair_first, out, e);
}

int session_open_pair(const struct pair_opts *o, struct lsession **out, struct gs_err *e)
{
	struct lsession *S = session_new(SESSION_PAIR, o->st, o->r, o->rater, o->batch);
	S->po = o;
	return session_pair_open(S, out, e);
}

struct flip_sum { const char *rater; long long pairs, flips; };

static int flip_cb(void *ctx, const char *rater, long long pairs, long long flips)
{
	struct flip_sum *f = ctx;
	if (strcmp(rater, f->rater) != 0) return 0;
	f->pairs = pairs;
	f->flips = flips;
	return 1;
}

void session_pair_result(struct lsession *S, struct pair_result *res)
{
	struct gs_err e;
	struct flip_sum f = {S->rater, 0, 0};
	res->saved = S->saves;
	res->criterion = first_preference(S->r);
	if (S->po->both_orders && res->criterion) store_pair_flips_each(S->st, S->r->name, res->criterion, flip_cb, &f, &e);
	res->both_ways = f.pairs;
	res->flips = f.flips;
}
