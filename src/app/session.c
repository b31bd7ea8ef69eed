/* session.c: the labeling session (session.h). Here: what every kind
 * shares (the draft, messages, quitting), the saves, undo stack and marks
 * of the label and pair sessions, and the label queue: a store_queue read
 * one item at a time, the rater's saved answers filled in. A save is one
 * label row committed before the next item is shown; undo appends rows
 * restoring what the save replaced (the store keeps every row). The
 * pairwise design is in session_pair.c, the review and discuss walks in
 * session_review.c. No curses and nothing printed: msg says what happened. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "app/session_impl.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define UNDO_MAX 64       /* saves u can take back */

/* ---- the session ---- */

static void draft_free(gpointer p)
{
	struct session_draft *d = p;
	free(d->ext_id);
	free(d->slots);
	free(d->note);
	free(d);
}

static void undo_clear(void *p)
{
	struct undo *u = p;
	char *texts[] = {u->ext_id, u->key, u->left, u->right};
	for (size_t i = 0; i < ARRAY_LEN(texts); i++) free(texts[i]);
	free(u->slots);
	store_label_free(&u->way);
	store_label_free(&u->head);
}

struct lsession *session_new(enum session_kind kind, store *st, const struct rubric *r, const char *rater,
			     const char *batch)
{
	struct lsession *S = xcalloc(1, sizeof *S);
	size_t nslots = kind == SESSION_DISCUSS ? 2 : rubric_slot_count(r);
	S->kind = kind;
	S->st = st;
	S->r = r;
	S->rater = rater;
	S->batch = batch;
	S->nslots = nslots;
	S->slots = xcalloc(nslots + 1, sizeof *S->slots);
	S->saved = xcalloc(nslots + 1, sizeof *S->saved);
	S->base = xcalloc(nslots + 1, sizeof *S->base);
	S->drafts = g_ptr_array_new_with_free_func(draft_free);
	S->undo = g_array_new(FALSE, TRUE, sizeof(struct undo));
	g_array_set_clear_func(S->undo, undo_clear);
	return S;
}

void session_close(struct lsession *S)
{
	if (!S) return;
	session_drop(S);
	g_ptr_array_free(S->drafts, TRUE);
	free(S->base);
	g_array_free(S->undo, TRUE);
	store_queue_close(S->q);
	store_pairq_close(S->pq);
	session_review_free(S);
	free(S->slots);
	free(S->saved);
	free(S->tags);
	free(S->saved_tags);
	free(S);
}

void session_say(struct lsession *S, enum session_tone t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(S->msg, sizeof S->msg, fmt, ap);
	va_end(ap);
	S->tone = t;
}

void session_set_text(char **field, const char *text)
{
	free(*field);
	*field = text ? xstrdup(text) : NULL;
}

const char *session_ext_id(const struct lsession *S)
{
	if (S->kind == SESSION_REVIEW) return S->ro->items[S->at];
	if (S->kind == SESSION_DISCUSS) return S->dop->t->u[S->dop->p[S->at].u].ext_id;
	return S->have ? S->cur.row.ext_id : NULL;
}

void session_position(const struct lsession *S, long long *at, long long *n)
{
	*at = (long long)S->at + 1;
	*n = (long long)(S->ro ? S->ro->n : S->dop ? S->dop->n : 0);
	if (S->kind == SESSION_LABEL) {
		*at = S->qn.pos;
		*n = S->qn.total;
	} else if (S->kind == SESSION_PAIR) {
		*at = (long long)S->c.idx + 1;
		*n = S->cur.pairs ? (long long)S->cur.pairs->len : 0;
	}
}

void session_progress(const struct lsession *S, long long *done, long long *total)
{
	int both = S->po && S->po->both_orders;
	size_t n = S->ro ? S->ro->n : S->dop ? S->dop->n : 0;
	*done = 0;
	*total = (long long)n;
	for (size_t i = 0; i < n; i++)   /* reviewed, settled */
		*done += S->ro ? S->rout[i].reviewed != 0 : S->dout[i].value >= 0;
	if (S->kind == SESSION_LABEL) {
		*done = S->qn.done;
		*total = S->qn.total;
	} else if (S->kind == SESSION_PAIR) {
		*done = S->pn.done + (both ? S->pn.both_ways : 0);
		*total = S->pn.comparisons * (both ? 2 : 1);
	}
}

/* ---- the item shown ---- */

int session_item_take(struct session_item *m, struct store_item *row, struct gs_err *e)
{
	m->row = *row;
	m->ok = item_from_canon(m->row.json, &m->it, e) == 0;
	if (!m->ok) memset(&m->it, 0, sizeof m->it);
	return m->ok ? 0 : -1;
}

int session_item_get(store *st, const char *ext_id, struct session_item *m)
{
	struct store_item row;
	struct gs_err e;
	memset(m, 0, sizeof *m);
	if (store_item_get(st, ext_id, &row, &e)) return -1;
	return session_item_take(m, &row, &e);
}

void session_item_free(struct session_item *m)
{
	store_item_free(&m->row);
	item_free(&m->it);
	if (m->pairs) g_array_free(m->pairs, TRUE);
	memset(m, 0, sizeof *m);
}

/* ---- drafts (label) ---- */

/* drafts are kept by item: not with --outputs, where one item is several units */
static int drafts_kind(const struct lsession *S) { return S->kind == SESSION_LABEL && !(S->po && S->po->outputs); }

/* the index of ext_id's draft, or -1 */
static int draft_find(const struct lsession *S, const char *ext_id)
{
	for (guint i = 0; ext_id && i < S->drafts->len; i++)
		if (strcmp(((struct session_draft *)g_ptr_array_index(S->drafts, i))->ext_id, ext_id) == 0) return (int)i;
	return -1;
}

static int slots_changed(const struct lsession *S)
{
	return memcmp(S->slots, S->base, S->nslots * sizeof *S->slots) != 0;
}

/* the item shown is left: its answers become its draft when the rater
 * changed them and they are not saved, else it has none */
static void draft_keep(struct lsession *S)
{
	if (!drafts_kind(S)) return;
	int i = draft_find(S, S->cur.row.ext_id);
	if (!slots_changed(S) || !session_dirty(S)) {
		if (i >= 0) g_ptr_array_remove_index(S->drafts, (guint)i);
		return;
	}
	struct session_draft *d;
	if (i < 0) {
		d = xcalloc(1, sizeof *d);
		d->ext_id = xstrdup(S->cur.row.ext_id);
		d->slots = xmalloc((S->nslots + 1) * sizeof *d->slots);
		g_ptr_array_add(S->drafts, d);
	} else {
		d = g_ptr_array_index(S->drafts, (guint)i);
	}
	memcpy(d->slots, S->slots, S->nslots * sizeof *d->slots);
	session_set_text(&d->note, S->note);
	d->missing = session_missing(S, NULL);
}

/* the item just shown gets its draft back, if it has one; 1 when it did */
static int draft_apply(struct lsession *S)
{
	memcpy(S->base, S->slots, S->nslots * sizeof *S->base);
	int i = drafts_kind(S) ? draft_find(S, S->cur.row.ext_id) : -1;
	if (i < 0) return 0;
	const struct session_draft *d = g_ptr_array_index(S->drafts, (guint)i);
	memcpy(S->slots, d->slots, S->nslots * sizeof *S->slots);
	if (d->note) session_set_text(&S->note, d->note);
	return 1;
}

static void draft_forget(struct lsession *S, const char *ext_id)
{
	int i = draft_find(S, ext_id);
	if (i >= 0) g_ptr_array_remove_index(S->drafts, (guint)i);
}

void session_drop(struct lsession *S)
{
	if (S->have) draft_keep(S);
	session_item_free(&S->cur);
	free(S->c.key);
	free(S->c.left);
	free(S->c.right);
	memset(&S->c, 0, sizeof S->c);
	store_label_free(&S->way);
	session_set_text(&S->note, NULL);
	session_set_text(&S->saved_note, NULL);
	S->have = 0;
	S->item_seq++;
	S->unit_seq++;
}

void session_read_flag(struct lsession *S)
{
	struct gs_err e;
	if (store_item_flagged(S->st, S->cur.row.ext_id, S->rater, &S->flagged, &e)) S->flagged = 0;
}

/* the rater's row that a save replaces: the current label (label), the
 * newest one with this side on the left (pair) */
static void load_way(struct lsession *S)
{
	struct gs_err e;
	store_label_free(&S->way);
	if (S->kind == SESSION_PAIR) session_pair_load_way(S, &e);
	else if (store_label_current(S->st, S->r->name, S->cur.row.ext_id, S->rater, "", &S->way, &e))
		memset(&S->way, 0, sizeof S->way);
}

static void fill(int *v, size_t n, int x)
{
	for (size_t i = 0; i < n; i++) v[i] = x;
}

/* that row fills the answers; on an older version of the item they are a
 * draft (stale), nothing counts as saved */
static void load_saved(struct lsession *S)
{
	const struct store_label *l = &S->way;
	struct gs_err e;
	fill(S->slots, S->nslots, -1);
	fill(S->saved, S->nslots, -1);
	S->has_saved = S->stale = 0;
	session_set_text(&S->note, NULL);
	load_way(S);
	if (l->vals && rubric_values_from_json(S->r, l->vals, S->c.left, S->c.right, 0, S->saved, "", &e) == 0) {
		S->has_saved = l->item_row == S->cur.row.id;
		S->stale = !S->has_saved;
		memcpy(S->slots, S->saved, S->nslots * sizeof *S->slots);
		session_set_text(&S->note, l->note);
	}
	if (!S->has_saved) fill(S->saved, S->nslots, -1);
	session_set_text(&S->saved_note, S->note);
}

void session_shown(struct lsession *S)
{
	load_saved(S);
	draft_apply(S);
	S->focus = 0;
	session_missing(S, &S->focus);
	S->shown_at = now_seconds();
	if (S->stale)
		session_say(S, SESSION_WARN, "this item changed since you %s it: your answers are filled in, check them and"
			    " press Enter", S->kind == SESSION_PAIR ? "compared" : "labeled");
	S->unit_seq++;
}

/* ---- the draft ---- */

int session_missing(const struct lsession *S, size_t *first)
{
	int miss = 0;
	for (size_t i = S->nslots; i-- > 0;)
		if (S->slots[i] < 0) {
			miss++;
			if (first) *first = i;
		}
	return miss;
}

static int text_differs(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") != 0; }

int session_dirty(const struct lsession *S)
{
	for (size_t i = 0; i < S->nslots; i++)
		if (S->slots[i] != S->saved[i]) return 1;
	return text_differs(S->note, S->saved_note) || text_differs(S->tags, S->saved_tags);
}

static int answers_kind(const struct lsession *S) { return S->kind == SESSION_LABEL || S->kind == SESSION_PAIR; }

/* the first slot of the criterion slot belongs to, and (n) how many it has */
static size_t crit_first(const struct lsession *S, size_t slot, size_t *n)
{
	struct slot_info si;
	rubric_slot_info(S->r, slot, &si);
	*n = si.sub >= 0 ? si.crit->noptions : 1;
	return si.sub >= 0 ? slot - (size_t)si.sub : slot;
}

/* label, pair: digit n ticks the checklist's n-th item, or unticks it */
static void checklist_toggle(struct lsession *S, const struct slot_info *si, int digit)
{
	size_t n, first = crit_first(S, S->focus, &n);
	if (digit > (int)n) {
		session_say(S, SESSION_WARN, "\"%s\" has %zu items: 1-%zu ticks one, Enter leaves the rest unticked", si->crit->id,
			    n, n);
		return;
	}
	size_t k = first + (size_t)digit - 1;
	S->slots[k] = S->slots[k] == 1 ? 0 : 1;
	S->focus = k;
	if (!session_missing(S, NULL)) session_say(S, SESSION_GOOD, "all answered: Enter saves");
	else session_say(S, SESSION_DIM, "%s %s: Enter leaves the items not ticked unticked", S->slots[k] ? "ticked" : "unticked",
			 si->crit->options[k - first]);
}

int session_yes_no(struct lsession *S, int yes)
{
	struct slot_info si;
	if (!answers_kind(S) || !S->have) return 0;
	rubric_slot_info(S->r, S->focus, &si);
	if (si.crit && si.crit->type == CRIT_BINARY && si.sub < 0) {
		session_pick(S, yes ? 2 : 1);
		return 1;
	}
	if (yes) session_say(S, SESSION_DIM, "y and n answer yes/no criteria; \"%s\" takes 1-%d", si.name, si.nopts);
	return yes;
}

void session_pick(struct lsession *S, int digit)
{
	struct slot_info si;
	if (S->kind == SESSION_DISCUSS) {
		session_discuss_pick(S, digit);
		return;
	}
	int review = S->kind == SESSION_REVIEW;
	if (review && strcmp(S->r->mode, "pairwise") == 0) {
		session_say(S, SESSION_DIM, "pairwise items: the review keeps notes and tags only");
		return;
	}
	rubric_slot_info(S->r, S->focus, &si);
	if (si.sub >= 0 && answers_kind(S)) {
		checklist_toggle(S, &si, digit);
		return;
	}
	if (digit > si.nopts) {
		session_say(S, SESSION_WARN, "\"%s\" has %d options: press 1-%d", si.name, si.nopts, si.nopts);
		return;
	}
	S->slots[S->focus] = digit - 1;
	if (S->focus + 1 < S->nslots) S->focus++;
	else if (!review) session_missing(S, &S->focus);   /* the first still missing */
	if (!review && !session_missing(S, NULL)) session_say(S, SESSION_GOOD, "all answered: Enter saves");
	else S->msg[0] = 0;
}

void session_prefer(struct lsession *S, int v)
{
	struct slot_info si;
	rubric_slot_info(S->r, S->focus, &si);
	if (si.crit->type != CRIT_PREFERENCE) {
		session_say(S, SESSION_WARN, "\"%s\" is not an A/B question: press 1-%d", si.name, si.nopts);
		return;
	}
	session_pick(S, v + 1);
}

void session_clear(struct lsession *S)
{
	size_t n = 1, first = answers_kind(S) ? crit_first(S, S->focus, &n) : S->focus;
	for (size_t k = first; k < first + n; k++) S->slots[k] = -1;
}

void session_focus_step(struct lsession *S, int dir)
{
	size_t n = S->nslots, w;
	if (!n) return;
	if (S->kind == SESSION_DISCUSS) {
		session_discuss_focus(S, dir);
		return;
	}
	if (!answers_kind(S)) {
		S->focus = dir > 0 ? (S->focus + 1) % n : (S->focus + n - 1) % n;
		return;
	}
	size_t first = crit_first(S, S->focus, &w);   /* label, pair: criterion by criterion */
	if (dir > 0) S->focus = first + w < n ? first + w : 0;
	else S->focus = crit_first(S, first ? first - 1 : n - 1, &w);
}

void session_key_seen(struct lsession *S) { S->quit_armed = 0; }

int session_quit(struct lsession *S)
{
	static const char *const why[] = {
		[SESSION_LABEL] = "this item's answers are not saved: Enter saves, q again quits without them",
		[SESSION_PAIR] = "this comparison's answers are not saved: Enter saves, q again quits without them",
		[SESSION_REVIEW] = "this item is not marked reviewed: Enter marks it, q again ends without it",
		[SESSION_DISCUSS] = "not recorded yet: Enter records it, q again quits without it",
	};
	int armed = S->quit_armed;
	S->quit_armed = 0;
	if (S->have) draft_keep(S);   /* label: the item shown is listed with the drafts */
	if (armed || ((!S->have || !session_dirty(S)) && !S->drafts->len)) return 1;
	S->quit_armed = 1;
	if (S->drafts->len)
		session_say(S, SESSION_WARN, "%u item%s unsaved answers: s saves the complete ones, d discards them, q again"
			    " quits without them, other keys go back", S->drafts->len, S->drafts->len > 1 ? "s have" : " has");
	else if (S->po && S->po->outputs)
		session_say(S, SESSION_WARN, "this output's answers are not saved: Enter saves, q again quits without them");
	else session_say(S, SESSION_WARN, "%s", why[S->kind]);
	return 0;
}

/* ---- the label queue ---- */

/* counts once at start, after a skip and when all is done; in between the
 * session keeps "done" itself (a save adds one) and asks only the position */
static void label_counts(struct lsession *S)
{
	struct gs_err e;
	if (store_queue_counts(S->q, S->have ? &S->cur.row : NULL, &S->qn, &e))
		session_say(S, SESSION_WARN, "%s", e.msg);
}

static void label_position(struct lsession *S)
{
	struct gs_err e;
	if (store_queue_position(S->q, S->have ? &S->cur.row : NULL, &S->qn.pos, &e))
		session_say(S, SESSION_WARN, "%s", e.msg);
}

/* shows *row (taken over): its text, the rater's saved answers, its flag */
static void label_show(struct lsession *S, struct store_item *row)
{
	struct gs_err e;
	session_drop(S);
	S->have = 1;
	if (session_item_take(&S->cur, row, &e)) session_say(S, SESSION_WARN, "cannot read this item: %s", e.msg);
	session_shown(S);
	session_read_flag(S);
	label_position(S);
}

/* shows the next item the rater still has to label (with --overlap, the
 * items others started first; then after from, wrapping to the start);
 * none left: nothing shown */
static void label_todo_from(struct lsession *S, const struct store_item *from)
{
	struct store_item si;
	struct gs_err e;
	int rc = store_queue_next_todo(S->q, from, &si, &e);
	if (rc == 0) {
		label_show(S, &si);
	} else if (rc == EX_NOINPUT) {
		session_drop(S);
		label_counts(S);
	} else {
		session_say(S, SESSION_WARN, "%s", e.msg);
	}
}

static void next_todo(struct lsession *S)
{
	if (S->kind == SESSION_PAIR) session_pair_next(S);
	else label_todo_from(S, S->have ? &S->cur.row : NULL);
}

/* start-up: the first item still to label at or after the one the rater
 * labeled last (where the last session stopped), else from the start */
static void label_resume(struct lsession *S)
{
	struct store_item last, before;
	struct gs_err e;
	if (store_queue_last(S->q, &last, &e)) {
		label_todo_from(S, NULL);
		return;
	}
	int rc = store_queue_step(S->q, &last, -1, 0, &before, &e);
	label_todo_from(S, rc == 0 ? &before : NULL);
	if (rc == 0) store_item_free(&before);
	store_item_free(&last);
}

/* n / p: the next or previous item in the order, labeled or not */
static void label_step(struct lsession *S, int dir)
{
	struct store_item si;
	struct gs_err e;
	char *from = S->have ? xstrdup(S->cur.row.ext_id) : NULL;
	int rc = store_queue_step(S->q, S->have ? &S->cur.row : NULL, dir, 0, &si, &e);
	if (rc == 0) {
		label_show(S, &si);
		int kept = draft_find(S, from) >= 0, here = draft_find(S, S->cur.row.ext_id) >= 0;
		if (kept || here)
			session_say(S, SESSION_DIM, "%s%s%s%s", kept ? "your answers to " : "", kept ? from : "",
				    kept ? " are kept as a draft" : "", here ? (kept ? "; this item's draft is back" :
				    "your draft of this item is back: Enter saves it") : " (q lists the drafts)");
		else if (!S->stale) S->msg[0] = 0;
	} else if (rc == EX_NOINPUT) {
		session_say(S, SESSION_DIM, dir > 0 ? "this is the last item" : "this is the first item");
	} else {
		session_say(S, SESSION_WARN, "%s", e.msg);
	}
	free(from);
}

static int label_open_queue(struct lsession *S, struct gs_err *e)
{
	const struct label_opts *o = S->lo;
	struct store_queue_opts qo = {o->r->name, o->rater, o->set, o->meta_key, o->meta_value, o->batch,
				      o->overlap, o->file_order};
	if (store_queue_open(o->st, &qo, &S->q, e)) return e->code;
	if (store_queue_counts(S->q, NULL, &S->qn, e)) return e->code;
	if (S->qn.total == 0)
		return gs_fail(e, EX_NOINPUT, "nothing to label: no single-output items%s (goldset import adds some)",
			       o->set || o->meta_key || o->batch || o->overlap ? " match these options" : "");
	if (!S->nslots) return gs_fail(e, EX_DATAERR, "rubric %s has no criteria to answer", o->r->name);
	return 0;
}

int session_start(struct lsession *S, int (*open)(struct lsession *, struct gs_err *),
		  void (*first)(struct lsession *), struct lsession **out, struct gs_err *e)
{
	int rc = open(S, e);
	*out = NULL;
	if (rc) {
		session_close(S);
		return rc;
	}
	first(S);
	*out = S;
	return 0;
}

/* --outputs: the pair session's walk (items with several outputs, units in
 * the rater's order, recorded in `shown`) over single outputs */
static int label_outputs_open(const struct label_opts *o, struct lsession **out, struct gs_err *e)
{
	struct lsession *S = session_new(SESSION_PAIR, o->st, o->r, o->rater, NULL);
	S->own_po = (struct pair_opts){.st = o->st, .r = o->r, .rater = o->rater, .set = o->set, .outputs = 1};
	S->po = &S->own_po;
	if (!S->nslots) {
		session_close(S);
		return gs_fail(e, EX_DATAERR, "rubric %s has no criteria to answer", o->r->name);
	}
	return session_pair_open(S, out, e);
}

int session_open_label(const struct label_opts *o, struct lsession **out, struct gs_err *e)
{
	if (o->outputs) return label_outputs_open(o, out, e);
	struct lsession *S = session_new(SESSION_LABEL, o->st, o->r, o->rater, o->batch);
	S->lo = o;
	return session_start(S, label_open_queue, label_resume, out, e);
}

/* ---- saving ---- */

int label_save(store *s, const struct label_save *ls, long long *id, struct gs_err *e)
{
	char *vals = rubric_values_to_json(ls->r, ls->slots, ls->left, ls->right);
	char *key = ls->left ? labelline_pair_key(ls->left, ls->right) : NULL;
	char *sides = ls->left ? rubric_sides_json(ls->r, ls->slots) : NULL;
	struct store_label l = {
		.item_row = ls->item->id, .ext_id = ls->item->ext_id, .rubric = ls->r->name,
		.rubric_version = ls->r->version, .rubric_hash = ls->r->hash, .rater = ls->rater,
		.login = gs_login(), .vals = vals, .note = ls->note, .left_sys = ls->left, .right_sys = ls->right,
		.pair_key = key ? key : "", .sides = sides, .seconds = ls->seconds,
		.source = ls->source ? ls->source : "screen", .batch = ls->batch,
	};
	int rc = store_label_add(s, &l, id, e);
	free(vals);
	free(key);
	free(sides);
	return rc;
}

/* the entry that takes the save just made back: the row it replaced
 * (S->way, taken over) and, for a pair, the label current before it */
static void push_undo(struct lsession *S, struct store_label *head)
{
	if (S->undo->len == UNDO_MAX) g_array_remove_index(S->undo, 0);
	struct undo u = {
		.ext_id = xstrdup(S->cur.row.ext_id), .key = xstrdup(S->c.key ? S->c.key : ""),
		.left = S->c.left ? xstrdup(S->c.left) : NULL, .right = S->c.right ? xstrdup(S->c.right) : NULL,
		.item_row = S->cur.row.id, .pass = S->c.pass, .way = S->way, .head = *head,
	};
	u.slots = xmalloc((S->nslots + 1) * sizeof *u.slots);
	memcpy(u.slots, S->slots, S->nslots * sizeof *u.slots);
	memset(&S->way, 0, sizeof S->way);
	g_array_append_val(S->undo, u);
}

/* saves the answers shown; 0 when the row is committed */
static int save_now(struct lsession *S)
{
	struct store_label head = {0};
	struct gs_err e;
	int rc;
	if (S->kind == SESSION_PAIR) {   /* what the save replaces, as it is now */
		load_way(S);
		if (store_label_current(S->st, S->r->name, S->cur.row.ext_id, S->rater, S->c.key, &head, &e))
			memset(&head, 0, sizeof head);
		rc = session_pair_write(S, &e);
	} else {
		struct label_save ls = {S->r, S->slots, &S->cur.row, S->rater, S->note, S->batch,
					now_seconds() - S->shown_at, NULL, NULL, NULL};
		rc = label_save(S->st, &ls, NULL, &e);
	}
	if (rc) {
		store_label_free(&head);
		session_say(S, SESSION_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	push_undo(S, &head);
	if (S->kind == SESSION_LABEL) draft_forget(S, S->cur.row.ext_id);
	load_way(S);
	S->saves++;
	if (S->kind == SESSION_LABEL && !S->has_saved) S->qn.done++;
	memcpy(S->saved, S->slots, S->nslots * sizeof *S->saved);
	S->has_saved = 1;
	S->stale = 0;
	return 0;
}

/* Enter on a checklist: its items not ticked become "no"; 1 when answers
 * are still missing elsewhere (the focus goes to the next of them) */
static int checklist_enter(struct lsession *S)
{
	size_t n, first = crit_first(S, S->focus, &n);
	struct slot_info si;
	rubric_slot_info(S->r, S->focus, &si);
	if (si.sub < 0) return 0;
	const char *list = si.crit->id;
	int ticked = 0;
	for (size_t k = first; k < first + n; k++) {
		if (S->slots[k] < 0) S->slots[k] = 0;
		ticked += S->slots[k] == 1;
	}
	for (size_t k = 0; k < S->nslots; k++) {
		size_t j = (first + n + k) % S->nslots;
		if (S->slots[j] >= 0) continue;
		S->focus = j;
		rubric_slot_info(S->r, j, &si);
		session_say(S, SESSION_DIM, "%s: %d of %zu ticked; next: %s", list, ticked, n, si.name);
		return 1;
	}
	return 0;
}

static void answer_save(struct lsession *S)
{
	size_t first = 0;
	if (checklist_enter(S)) return;
	int miss = session_missing(S, &first);
	if (miss) {
		struct slot_info si;
		S->focus = first;
		rubric_slot_info(S->r, first, &si);
		session_say(S, SESSION_WARN, "%d answer%s missing: \"%s\" is next (Enter saves once all are given)", miss,
			    miss > 1 ? "s" : "", si.name);
		return;
	}
	char *id = xstrdup(S->cur.row.ext_id);
	if (S->has_saved && !session_dirty(S)) {
		session_say(S, SESSION_DIM, "%s unchanged (already saved)", id);
		next_todo(S);
	} else if (save_now(S) == 0) {
		session_say(S, SESSION_GOOD, "saved %s", id);
		next_todo(S);
	}
	free(id);
}

void session_save(struct lsession *S)
{
	if (S->kind == SESSION_REVIEW) session_review_save(S);
	else if (S->kind == SESSION_DISCUSS) session_discuss_save(S);
	else if (S->have) answer_save(S);
}

void session_step(struct lsession *S, int dir)
{
	switch (S->kind) {
	case SESSION_LABEL: label_step(S, dir); break;
	case SESSION_PAIR: session_pair_step(S, dir); break;
	case SESSION_REVIEW: session_review_step(S, dir); break;
	case SESSION_DISCUSS: session_discuss_step(S, dir); break;
	}
}

/* ---- undo ---- */

/* a row putting back prev as it was */
static struct store_label restore_row(const struct undo *u, const struct store_label *prev)
{
	struct store_label row = *prev;
	row.id = 0;
	row.login = gs_login();
	row.seconds = -1;
	row.source = "undo";
	row.at = NULL;
	if (!*u->key) row.left_sys = row.right_sys = row.sides = NULL;
	return row;
}

/* a row withdrawing u's label (a comparison: this way round) */
static struct store_label withdraw_row(const struct lsession *S, const struct undo *u)
{
	struct store_label row = {
		.item_row = u->item_row, .ext_id = u->ext_id, .rubric = S->r->name,
		.rubric_version = S->r->version, .rubric_hash = S->r->hash, .rater = S->rater,
		.login = gs_login(), .left_sys = u->left, .right_sys = u->right, .pair_key = u->key,
		.seconds = -1, .source = "undo", .batch = S->batch,
	};
	return row;
}

/* the replaced row back (or a withdrawal), then the current label if it
 * was another row (a pair saved the other way round), all or nothing */
static int undo_rows(struct lsession *S, const struct undo *u, struct gs_err *e)
{
	struct store_label way = u->way.id ? restore_row(u, &u->way) : withdraw_row(S, u);
	if (store_begin(S->st, e)) return e->code;
	int rc = store_label_add(S->st, &way, NULL, e);
	if (!rc && u->head.id && (!u->way.id || u->head.id != u->way.id)) {
		struct store_label head = restore_row(u, &u->head);
		rc = store_label_add(S->st, &head, NULL, e);
	}
	if (rc) {
		store_rollback(S->st);
		return rc;
	}
	return store_commit(S->st, e);
}

/* shows u's item again, the undone answers on screen */
static void label_show_undone(struct lsession *S, const struct undo *u)
{
	struct store_item si;
	struct gs_err e;
	if (store_item_get(S->st, u->ext_id, &si, &e)) return;
	int still_done = u->way.id && u->way.vals && u->way.item_row == si.id;
	if (!still_done && S->qn.done > 0) S->qn.done--;
	label_show(S, &si);
	memcpy(S->slots, u->slots, S->nslots * sizeof *S->slots);
}

static void answer_undo(struct lsession *S)
{
	struct gs_err e;
	if (!S->undo->len) {
		session_say(S, SESSION_DIM, "nothing to undo (u undoes saves made since the screen opened)");
		return;
	}
	struct undo *u = &g_array_index(S->undo, struct undo, S->undo->len - 1);
	if (undo_rows(S, u, &e)) {
		session_say(S, SESSION_WARN, "undo failed: %s", e.msg);
		return;
	}
	if (S->kind == SESSION_LABEL) {
		label_show_undone(S, u);
		session_say(S, SESSION_GOOD, "undone: %s %s%s", u->ext_id,
			    u->way.id ? "has its previous label back" : "is unlabeled again",
			    session_dirty(S) ? " (the undone answers are shown: Enter saves them)" : "");
	} else {
		session_pair_show_undone(S, u);
		if (u->way.id && u->way.vals)
			session_say(S, SESSION_GOOD, "undone: %s has its previous answers back (yours are shown, unsaved)",
				    u->ext_id);
		else
			session_say(S, SESSION_GOOD, "undone: this %s of %s is open again (your answers are shown, unsaved)",
				    session_unit_noun(S), u->ext_id);
	}
	g_array_remove_index(S->undo, S->undo->len - 1);
	if (S->saves > 0) S->saves--;   /* the exit summary counts the saves that stand */
	if (S->kind == SESSION_PAIR) session_pair_counts(S);
}

void session_undo(struct lsession *S)
{
	if (S->kind == SESSION_DISCUSS) session_discuss_withdraw(S);
	else if (S->kind != SESSION_REVIEW) answer_undo(S);
}

/* ---- marks: comment, flag, skip ---- */

static int mark(struct lsession *S, const char *kind, const char *text)
{
	struct gs_err e;
	if (store_mark_add(S->st, S->cur.row.ext_id, S->r->name, S->rater, kind, text, &e)) {
		session_say(S, SESSION_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	return 0;
}

/* label, pair: the comment is a mark at once, and goes with the label
 * (saved again with it when the answers on screen are the saved ones) */
static void answer_comment(struct lsession *S, const char *text)
{
	int pair = S->kind == SESSION_PAIR;
	if (mark(S, "comment", text)) return;
	session_set_text(&S->note, *text ? text : NULL);
	session_set_text(&S->saved_note, S->note);
	if (!S->has_saved || session_dirty(S))
		session_say(S, SESSION_GOOD, "comment saved; it goes with %s on Enter",
			    !pair ? "this item's label" : S->po->outputs ? "this output's label" : "this comparison");
	else if (save_now(S) == 0)
		session_say(S, SESSION_GOOD, "comment saved with your %s", pair ? "answers" : "label");
}

void session_comment(struct lsession *S, const char *text)
{
	if (S->kind == SESSION_LABEL || S->kind == SESSION_PAIR) {
		if (S->have) answer_comment(S, text);
		return;
	}
	session_set_text(&S->note, *text ? text : NULL);
	session_say(S, SESSION_DIM, S->kind == SESSION_REVIEW ? "Enter marks the item reviewed with it"
							   : "note kept on screen: Enter records it with the value");
}

void session_set_tags(struct lsession *S, const char *text)
{
	struct gs_err e;
	if (review_tags_check(text, &e)) {
		session_say(S, SESSION_WARN, "tags not changed: %s", e.msg);
		return;
	}
	session_set_text(&S->tags, *text ? text : NULL);
	session_say(S, SESSION_DIM, "Enter marks the item reviewed with it");
}

void session_flag(struct lsession *S)
{
	if (!S->have || mark(S, S->flagged ? "unflag" : "flag", NULL)) return;
	S->flagged = !S->flagged;
	session_say(S, SESSION_GOOD, S->flagged ? "flagged %s for review (f again removes the flag)" : "flag removed from %s",
		    S->cur.row.ext_id);
}

void session_skip(struct lsession *S, const char *reason)
{
	if (!S->have) return;
	char *id = xstrdup(S->cur.row.ext_id);
	if (S->kind == SESSION_PAIR) {   /* the mark's text names the comparison */
		char *t = store_pair_skip_text(S->c.key, reason);
		if (mark(S, "skip", t) == 0) {
			session_say(S, SESSION_GOOD, "skipped %s %s of %s (n/p bring it back)",
				    S->po->outputs ? "an" : "a", session_unit_noun(S), id);
			next_todo(S);
		}
		free(t);
	} else if (mark(S, "skip", *reason ? reason : NULL) == 0) {
		session_say(S, SESSION_GOOD, "skipped %s (n/p bring it back)", id);
		next_todo(S);
		label_counts(S);
	}
	free(id);
}

/* ---- find: the item named, shown (session_find.c) ---- */

int session_label_show_id(struct lsession *S, const char *ext_id)
{
	struct store_item si;
	struct gs_err e;
	if (store_item_get(S->st, ext_id, &si, &e)) return -1;
	label_show(S, &si);
	return 0;
}

/* ---- quitting with drafts (label) ---- */

/* saves draft d as a label on its item's current version; 0 when done */
static int draft_save(struct lsession *S, const struct session_draft *d, struct gs_err *e)
{
	struct store_item it;
	if (store_item_get(S->st, d->ext_id, &it, e)) return -1;
	struct label_save ls = {S->r, d->slots, &it, S->rater, d->note, S->batch, -1, NULL, NULL, NULL};
	int rc = label_save(S->st, &ls, NULL, e);
	store_item_free(&it);
	if (rc) return -1;
	S->saves++;
	if (S->have && strcmp(S->cur.row.ext_id, d->ext_id) == 0) {   /* the item shown is saved now */
		memcpy(S->saved, d->slots, S->nslots * sizeof *S->saved);
		memcpy(S->base, d->slots, S->nslots * sizeof *S->base);
		S->has_saved = 1;
	}
	return 0;
}

/* s: every complete draft saved; 1 when no draft is left */
static int drafts_save(struct lsession *S)
{
	struct gs_err e;
	int saved = 0;
	for (guint i = 0; i < S->drafts->len;) {
		const struct session_draft *d = g_ptr_array_index(S->drafts, i);
		if (d->missing) {
			i++;
			continue;
		}
		if (draft_save(S, d, &e)) {
			session_say(S, SESSION_WARN, "NOT saved: %s", e.msg);
			return 0;
		}
		g_ptr_array_remove_index(S->drafts, i);
		saved++;
	}
	if (!S->drafts->len) return 1;
	const struct session_draft *d = g_ptr_array_index(S->drafts, 0);
	struct store_item si;
	if (!S->have || strcmp(S->cur.row.ext_id, d->ext_id) != 0) {
		if (store_item_get(S->st, d->ext_id, &si, &e) == 0) label_show(S, &si);
	}
	label_counts(S);
	session_say(S, SESSION_WARN, "%d draft%s saved; %s has %d answer%s missing (Enter saves it)", saved,
		    saved == 1 ? "" : "s", d->ext_id, d->missing, d->missing > 1 ? "s" : "");
	return 0;
}

int session_quit_choose(struct lsession *S, int key)
{
	if (!S->quit_armed || !drafts_kind(S) || !S->drafts->len || (key != 's' && key != 'd')) return -1;
	S->quit_armed = 0;
	if (key == 's') return drafts_save(S);
	g_ptr_array_set_size(S->drafts, 0);
	if (S->have) memcpy(S->slots, S->base, S->nslots * sizeof *S->slots);
	return 1;
}
