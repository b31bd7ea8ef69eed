/* session_find.c: finding and browsing the items of a label, pair or review
 * session (session_find.h): the session's items read once in its order
 * (ids and row ids, a hash from id to place), going to an id or a prefix,
 * Tab completion, the search over the items' text (case folded by GLib;
 * the matches of a search are found once and then walked, wrapping
 * around), and the rows of the list with each item's state from the store.
 * No curses: messages go to the session's msg. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "app/session_find.h"

#include <stdlib.h>
#include <string.h>

#include "app/session_impl.h"

#define ECHO_MAX 60   /* bytes of what was typed repeated in a message */

struct find_item { char *id; long long row; };

struct session_find {
	struct lsession *S;
	GArray *items;                /* struct find_item, in the session's order; NULL until read */
	GHashTable *by_id;            /* id -> place + 1 */
	char *query, *folded;         /* the last search as typed, and case folded */
	GArray *hits;                 /* size_t: the places the last search matched */
};

static void item_clear(void *p) { free(((struct find_item *)p)->id); }

struct session_find *session_find_new(struct lsession *S)
{
	if (S->kind == SESSION_DISCUSS) return NULL;
	struct session_find *f = xcalloc(1, sizeof *f);
	f->S = S;
	return f;
}

void session_find_free(struct session_find *f)
{
	if (!f) return;
	if (f->items) g_array_free(f->items, TRUE);
	if (f->by_id) g_hash_table_destroy(f->by_id);
	if (f->hits) g_array_free(f->hits, TRUE);
	free(f->query);
	g_free(f->folded);
	free(f);
}

/* ---- the items, in the session's order ---- */

static void add_item(struct session_find *f, const char *id, long long row)
{
	struct find_item it = {xstrdup(id), row};
	g_array_append_val(f->items, it);
	g_hash_table_insert(f->by_id, it.id, GSIZE_TO_POINTER((gsize)f->items->len));
}

typedef int (*step_fn)(struct lsession *S, const struct store_item *from, struct store_item *out, struct gs_err *e);

static int step_label(struct lsession *S, const struct store_item *from, struct store_item *out, struct gs_err *e)
{
	return store_queue_step(S->q, from, 1, 0, out, e);
}

static int step_pair(struct lsession *S, const struct store_item *from, struct store_item *out, struct gs_err *e)
{
	return store_pairq_step(S->pq, from, 1, STORE_PQ_ANY, out, e);
}

/* every item of a queue, one step at a time */
static int read_queue(struct session_find *f, step_fn step, struct gs_err *e)
{
	struct store_item at, next;
	int have = 0, rc;
	while ((rc = step(f->S, have ? &at : NULL, &next, e)) == 0) {
		add_item(f, next.ext_id, next.id);
		if (have) store_item_free(&at);
		at = next;
		have = 1;
	}
	if (have) store_item_free(&at);
	return rc == EX_NOINPUT ? 0 : rc;
}

static int read_items(struct session_find *f)
{
	struct lsession *S = f->S;
	struct gs_err e;
	int rc = 0;
	if (f->items) return 0;
	f->items = g_array_new(FALSE, FALSE, sizeof(struct find_item));
	g_array_set_clear_func(f->items, item_clear);
	f->by_id = g_hash_table_new(gs_str_hash, gs_str_equal);
	if (S->kind == SESSION_LABEL) rc = read_queue(f, step_label, &e);
	else if (S->kind == SESSION_PAIR) rc = read_queue(f, step_pair, &e);
	else
		for (size_t i = 0; i < S->ro->n; i++) add_item(f, S->ro->items[i], 0);
	if (rc) session_say(S, SESSION_WARN, "cannot read the items: %s", e.msg);
	return rc ? -1 : 0;
}

static struct find_item *item_at(const struct session_find *f, size_t i)
{
	return &g_array_index(f->items, struct find_item, i);
}

/* the place of id, or -1 */
static long place_of(const struct session_find *f, const char *id)
{
	gpointer p = id ? g_hash_table_lookup(f->by_id, id) : NULL;
	return p ? (long)GPOINTER_TO_SIZE(p) - 1 : -1;
}

static long shown_place(const struct session_find *f)
{
	return f->S->have ? place_of(f, session_ext_id(f->S)) : -1;
}

/* ---- showing one ---- */

/* shows the item at place i; msg (may be NULL) then says what happened,
 * unless leaving unsaved answers or a changed item has more to say */
static int show_place(struct session_find *f, size_t i, const char *msg)
{
	struct lsession *S = f->S;
	const char *id = item_at(f, i)->id;
	int left = S->have && session_dirty(S), rc = 0;
	char *from = left ? xstrdup(session_ext_id(S)) : NULL;
	S->msg[0] = 0;
	if (S->kind == SESSION_LABEL) rc = session_label_show_id(S, id);
	else if (S->kind == SESSION_PAIR) rc = session_pair_show_id(S, id);
	else session_review_show_at(S, i);
	if (rc) session_say(S, SESSION_WARN, "cannot show %.*s: %s", ECHO_MAX, id,
			    S->kind == SESSION_PAIR ? "it has no comparison" : "it is gone from the store");
	else if (left)
		session_say(S, SESSION_WARN, "left %s without %s", from,
			    S->kind == SESSION_REVIEW ? "marking it reviewed" : "saving its answers");
	else if (!S->msg[0] && msg) session_say(S, SESSION_DIM, "%s", msg);
	free(from);
	return rc ? -1 : 0;
}

/* ---- g: an id or a prefix ---- */

static size_t prefix_count(const struct session_find *f, const char *text, size_t *last)
{
	size_t n = 0, len = strlen(text);
	for (size_t i = 0; i < f->items->len; i++)
		if (strncmp(item_at(f, i)->id, text, len) == 0) {
			n++;
			*last = i;
		}
	return n;
}

static const char *where(const struct lsession *S)
{
	return S->kind == SESSION_REVIEW ? "in this review" : "in this queue";
}

int session_goto(struct session_find *f, const char *text)
{
	struct lsession *S = f->S;
	size_t at = 0, n;
	if (read_items(f)) return -1;
	if (!*text) {
		session_say(S, SESSION_DIM, "no id given: g, then an id or its start, then Enter");
		return -1;
	}
	long exact = place_of(f, text);
	n = exact >= 0 ? 1 : prefix_count(f, text, &at);
	if (exact >= 0) at = (size_t)exact;
	if (n == 0) session_say(S, SESSION_WARN, "no item %.*s %s", ECHO_MAX, text, where(S));
	else if (n > 1)
		session_say(S, SESSION_WARN, "%zu ids start with %.*s: type more", n, ECHO_MAX, text);
	if (n != 1) return -1;
	char *msg = xasprintf("went to %s", item_at(f, at)->id);
	int rc = show_place(f, at, msg);
	free(msg);
	return rc;
}

/* the bytes a and b share at their start */
static size_t common_len(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i]) i++;
	return i;
}

char *session_find_complete(struct session_find *f, const char *text, size_t *n)
{
	size_t len = strlen(text), common = 0;
	const char *first = NULL;
	*n = 0;
	if (read_items(f)) return xstrdup(text);
	for (size_t i = 0; i < f->items->len; i++) {
		const char *id = item_at(f, i)->id;
		if (strncmp(id, text, len) != 0) continue;
		if (!first) common = strlen(first = id);
		else common = common_len(first, id) < common ? common_len(first, id) : common;
		(*n)++;
	}
	if (!first) return xstrdup(text);
	while (common > len && (first[common] & 0xC0) == 0x80) common--;   /* never half a character */
	return xstrndup(first, common);
}

/* ---- /: the items' text ---- */

static int holds(const char *s, const char *folded)
{
	if (!s) return 0;
	char *h = g_utf8_casefold(s, -1);
	int yes = strstr(h, folded) != NULL;
	g_free(h);
	return yes;
}

static int item_holds(const struct item *it, const char *folded)
{
	if (holds(it->input, folded) || holds(it->output, folded)) return 1;
	for (size_t i = 0; i < it->nturns; i++)
		if (holds(it->turns[i].content, folded)) return 1;
	for (size_t i = 0; i < it->noutputs; i++)
		if (holds(it->outputs[i].text, folded)) return 1;
	for (size_t i = 0; i < it->nmeta; i++)
		if (holds(it->meta[i].key, folded) || holds(it->meta[i].value, folded)) return 1;
	return 0;
}

/* the places of the items holding the search (read from the store once per search) */
static void find_hits(struct session_find *f)
{
	if (f->hits) g_array_free(f->hits, TRUE);
	f->hits = g_array_new(FALSE, FALSE, sizeof(size_t));
	for (size_t i = 0; i < f->items->len; i++) {
		struct session_item m;
		int ok = session_item_get(f->S->st, item_at(f, i)->id, &m) == 0;
		if (holds(item_at(f, i)->id, f->folded) || (ok && item_holds(&m.it, f->folded))) g_array_append_val(f->hits, i);
		session_item_free(&m);
	}
}

static void new_search(struct session_find *f, const char *text)
{
	free(f->query);
	g_free(f->folded);
	f->query = xstrdup(text);
	f->folded = g_utf8_casefold(text, -1);
	find_hits(f);
}

/* the match after the one shown, wrapping: its index in hits */
static size_t next_hit(const struct session_find *f, int *wrapped)
{
	long cur = shown_place(f);
	*wrapped = 0;
	for (size_t k = 0; k < f->hits->len; k++)
		if ((long)g_array_index(f->hits, size_t, k) > cur) return k;
	*wrapped = cur >= 0;
	return 0;
}

int session_search(struct session_find *f, const char *text)
{
	struct lsession *S = f->S;
	int wrapped;
	if (read_items(f)) return -1;
	if (text && *text && (!f->query || strcmp(text, f->query) != 0)) new_search(f, text);
	if (!f->query) {
		session_say(S, SESSION_DIM, "nothing to search again yet: /, a text, Enter");
		return -1;
	}
	if (!f->hits->len) {
		session_say(S, SESSION_WARN, "no item holds \"%.*s\" (id, input, output, meta)", ECHO_MAX, f->query);
		return -1;
	}
	size_t k = next_hit(f, &wrapped), i = g_array_index(f->hits, size_t, k);
	if ((long)i == shown_place(f)) {
		session_say(S, SESSION_DIM, "\"%.*s\" is only in this item", ECHO_MAX, f->query);
		return 0;
	}
	char *msg = xasprintf("match %zu/%zu: %s%s", k + 1, (size_t)f->hits->len, item_at(f, i)->id,
			      wrapped ? " (from the top)" : "");
	int rc = show_place(f, i, msg);
	free(msg);
	return rc;
}

const char *session_search_text(const struct session_find *f) { return f->query; }

/* ---- the list: each item's state ---- */

/* the rater's values as text, "-" unanswered, "?" when the rubric cannot read them */
static char *values_text(const struct lsession *S, const char *vals)
{
	struct gs_err e;
	struct sbuf b = {0};
	char buf[32];
	int *slots = xcalloc(S->nslots + 1, sizeof *slots);
	if (!vals) sb_add(&b, "-");
	else if (rubric_values_from_json(S->r, vals, NULL, NULL, 0, slots, "", &e)) sb_add(&b, "?");
	else
		for (size_t k = 0; k < S->nslots; k++) {
			if (k) sb_add(&b, " ");
			sb_add(&b, slots[k] < 0 ? "-" : rubric_value_text(S->r, k, slots[k], buf));
		}
	free(slots);
	return sb_take(&b);
}

static void rater_marks(const struct lsession *S, const char *id, int noted, struct find_row *row)
{
	struct store_item_marks mk = {0, 0, -1};
	struct gs_err e;
	if (store_item_marks(S->st, id, S->r->name, S->rater, &mk, &e)) mk = (struct store_item_marks){0, 0, -1};
	if (mk.flagged) row->marks |= FIND_FLAGGED;
	if (mk.commented > 0 || (mk.commented < 0 && noted)) row->marks |= FIND_COMMENTED;
	if (row->state == FIND_TODO && mk.skipped) row->state = FIND_SKIPPED;
}

static void label_row(const struct session_find *f, const struct find_item *it, struct find_row *row)
{
	const struct lsession *S = f->S;
	struct store_label l;
	struct gs_err e;
	if (store_label_current(S->st, S->r->name, it->id, S->rater, "", &l, &e)) memset(&l, 0, sizeof l);
	if (l.vals) row->state = l.item_row == it->row && l.rubric_version >= S->r->version ? FIND_DONE : FIND_STALE;
	row->values = values_text(S, l.vals);
	rater_marks(S, it->id, l.note && *l.note, row);
	store_label_free(&l);
}

static void pair_row(const struct session_find *f, const struct find_item *it, struct find_row *row)
{
	struct pair_item_state ps;
	if (session_pair_item_state(f->S, it->id, &ps)) memset(&ps, 0, sizeof ps);
	if (ps.n && ps.labeled == ps.n) row->state = FIND_DONE;
	else if (ps.labeled) row->state = FIND_PARTLY;
	else if (ps.stale) row->state = FIND_STALE;
	row->values = ps.values ? ps.values : xstrdup("-");
	rater_marks(f->S, it->id, ps.noted > 0, row);
}

/* review: disputes and notes over one of the item's units, and (b not
 * NULL) the agreed values: this session's, else the consensus recorded
 * before it */
static void review_unit(const struct lsession *S, size_t i, const struct ratings_unit *u, struct find_row *row,
			struct sbuf *b)
{
	const struct ratings *t = S->ro->t;
	const int *agreed = S->rout[i].agreed;
	char buf[32];
	for (size_t s = 0; s < t->nslots; s++) {
		if (calib_disagree(t, u, s)) row->marks |= FIND_DISPUTED;
		if (!b || strcmp(S->r->mode, "pairwise") == 0) continue;
		char *key = calib_key(t, u, s);
		const struct calib_cons *c = calib_cons_find(&S->cons, u->ext_id, key);
		int v = agreed ? agreed[s] : c ? ratings_value_parse(t, u, s, c->value) : -1;
		free(key);
		sb_add(b, s ? " " : "");
		sb_add(b, v < 0 ? "-" : ratings_value_text(t, u, s, v, buf));
	}
	for (size_t r = 0; r < t->nraters; r++)
		if (u->note[r] && *u->note[r]) row->marks |= FIND_COMMENTED;
}

static void review_row(const struct session_find *f, size_t i, struct find_row *row)
{
	const struct lsession *S = f->S;
	const struct ratings *t = S->ro->t;
	struct sbuf b = {0};
	struct gs_err e;
	int flagged = 0, first = 1;
	row->state = S->rout[i].reviewed ? FIND_DONE : FIND_TODO;
	for (size_t k = 0; k < t->nunits; k++)
		if (t->u[k].item == i) {
			review_unit(S, i, &t->u[k], row, first ? &b : NULL);
			first = 0;
		}
	if (S->rout[i].note && *S->rout[i].note) row->marks |= FIND_COMMENTED;
	if (store_item_flagged(S->st, row->id, NULL, &flagged, &e) == 0 && flagged) row->marks |= FIND_FLAGGED;
	if (!b.len) sb_add(&b, "-");
	row->values = sb_take(&b);
}

static void row_clear(void *p) { free(((struct find_row *)p)->values); }

int session_find_list(struct session_find *f, struct find_list *out, struct gs_err *e)
{
	long shown;
	memset(out, 0, sizeof *out);
	if (read_items(f)) return gs_fail(e, EX_SOFTWARE, "%s", f->S->msg);
	shown = shown_place(f);
	out->all = g_array_sized_new(FALSE, TRUE, sizeof(struct find_row), f->items->len);
	g_array_set_clear_func(out->all, row_clear);
	for (size_t i = 0; i < f->items->len; i++) {
		struct find_row row = {.id = item_at(f, i)->id, .item = i, .state = FIND_TODO, .shown = (long)i == shown};
		if (f->S->kind == SESSION_LABEL) label_row(f, item_at(f, i), &row);
		else if (f->S->kind == SESSION_PAIR) pair_row(f, item_at(f, i), &row);
		else review_row(f, i, &row);
		g_array_append_val(out->all, row);
	}
	out->rows = g_array_new(FALSE, FALSE, sizeof(size_t));
	return session_find_filter(f, out, FIND_ALL, "", e);
}

void session_find_list_free(struct find_list *l)
{
	if (l->all) g_array_free(l->all, TRUE);
	if (l->rows) g_array_free(l->rows, TRUE);
	free(l->meta_key);
	free(l->meta_value);
	memset(l, 0, sizeof *l);
}

/* ---- the list: filters ---- */

static const char *const filter_words[FIND_NFILTERS] = {
	[FIND_ALL] = "all", [FIND_ONLY_PARTLY] = "partly", [FIND_ONLY_STALE] = "stale", [FIND_ONLY_SKIPPED] = "skipped",
	[FIND_ONLY_FLAGGED] = "flagged", [FIND_ONLY_COMMENTED] = "commented", [FIND_ONLY_DISPUTED] = "disputed",
};

/* the filters a kind of session has */
static int has_filter(const struct lsession *S, enum find_filter x)
{
	int review = S->kind == SESSION_REVIEW;
	if (x == FIND_ONLY_DISPUTED) return review;
	if (x == FIND_ONLY_STALE || x == FIND_ONLY_SKIPPED) return !review;
	if (x == FIND_ONLY_PARTLY) return S->kind == SESSION_PAIR;
	return 1;
}

enum find_filter session_find_filter_step(const struct session_find *f, enum find_filter cur, int dir)
{
	int x = (int)cur;
	do x = (x + (dir > 0 ? 1 : FIND_NFILTERS - 1)) % FIND_NFILTERS;
	while (!has_filter(f->S, (enum find_filter)x));
	return (enum find_filter)x;
}

const char *session_find_state_name(const struct session_find *f, enum find_state s)
{
	int review = f->S->kind == SESSION_REVIEW;
	if (s == FIND_TODO) return review ? "unreviewed" : "unlabeled";
	if (s == FIND_DONE) return review ? "reviewed" : "labeled";
	return filter_words[s == FIND_PARTLY ? FIND_ONLY_PARTLY : s == FIND_STALE ? FIND_ONLY_STALE : FIND_ONLY_SKIPPED];
}

const char *session_find_filter_name(const struct session_find *f, enum find_filter x)
{
	if (x == FIND_ONLY_TODO) return session_find_state_name(f, FIND_TODO);
	if (x == FIND_ONLY_DONE) return session_find_state_name(f, FIND_DONE);
	return filter_words[x];
}

static int passes_state(const struct find_row *r, enum find_filter x)
{
	static const enum find_state want[FIND_NFILTERS] = {
		[FIND_ONLY_TODO] = FIND_TODO, [FIND_ONLY_DONE] = FIND_DONE, [FIND_ONLY_PARTLY] = FIND_PARTLY,
		[FIND_ONLY_STALE] = FIND_STALE, [FIND_ONLY_SKIPPED] = FIND_SKIPPED,
	};
	if (x == FIND_ALL) return 1;
	if (x == FIND_ONLY_FLAGGED) return (r->marks & FIND_FLAGGED) != 0;
	if (x == FIND_ONLY_COMMENTED) return (r->marks & FIND_COMMENTED) != 0;
	if (x == FIND_ONLY_DISPUTED) return (r->marks & FIND_DISPUTED) != 0;
	return r->state == want[x];
}

static int passes_meta(const struct session_find *f, const struct find_list *l, const struct find_row *r)
{
	struct session_item m;
	if (!l->meta_key) return 1;
	int ok = session_item_get(f->S->st, r->id, &m) == 0;
	const char *v = ok ? item_meta(&m.it, l->meta_key) : NULL;
	int yes = v && strcmp(v, l->meta_value) == 0;
	session_item_free(&m);
	return yes;
}

/* "KEY=VALUE" into the list's meta filter ("": none) */
static int set_meta(struct find_list *l, const char *meta, struct gs_err *e)
{
	const char *eq = strchr(meta, '=');
	if (*meta && (!eq || eq == meta)) return gs_fail(e, EX_USAGE, "the meta filter takes KEY=VALUE (a key of the items' meta)");
	free(l->meta_key);
	free(l->meta_value);
	l->meta_key = *meta ? xstrndup(meta, (size_t)(eq - meta)) : NULL;
	l->meta_value = *meta ? xstrdup(eq + 1) : NULL;
	return 0;
}

int session_find_filter(struct session_find *f, struct find_list *l, enum find_filter x, const char *meta,
			struct gs_err *e)
{
	if (meta && set_meta(l, meta, e)) return e->code;
	l->filter = x;
	g_array_set_size(l->rows, 0);
	for (size_t i = 0; i < l->all->len; i++) {
		const struct find_row *r = &g_array_index(l->all, struct find_row, i);
		if (passes_state(r, x) && passes_meta(f, l, r)) g_array_append_val(l->rows, i);
	}
	return 0;
}

int session_find_open(struct session_find *f, const struct find_row *row)
{
	char *msg = xasprintf("went to %s", row->id);
	int rc = show_place(f, row->item, msg);
	free(msg);
	return rc;
}
