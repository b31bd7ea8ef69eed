/* session_review.c: the review and discuss sessions (session.h), walks
 * over a fixed list that record consensus rows.
 *
 * review: the items of the weekly review; the draft is the agreed value
 * per slot (single-output rubrics), a note and tags; Enter writes the
 * values that changed and the review mark in one transaction, then the
 * next item. discuss: the disagreements of a calibration batch (an item and
 * one criterion); the draft is slot 0 the agreed value, slot 1 its cause,
 * and a note; Enter writes one consensus row and goes to the next
 * unsettled one; u withdraws (a row with no value). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "app/session_impl.h"

#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"
#include "base/jsonout.h"

#define NCAUSE ((int)ARRAY_LEN(discuss_causes))

const char *const discuss_causes[3] = {"rubric unclear", "rater slip", "item ambiguous"};

void session_review_free(struct lsession *S)
{
	calib_cons_free(&S->cons);
}

/* ---- review ---- */

static int single(const struct lsession *S) { return strcmp(S->r->mode, "pairwise") != 0; }

/* the first unit of the item shown, or NULL */
static const struct ratings_unit *unit0(const struct lsession *S)
{
	const struct ratings *t = S->ro->t;
	for (size_t i = 0; i < t->nunits; i++)
		if (t->u[i].item == S->at) return &t->u[i];
	return NULL;
}

/* s without its leading and trailing spaces (cut in place) */
static char *tag_trim(char *s)
{
	char *e;
	while (*s == ' ') s++;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--) {}
	*e = 0;
	return s;
}

int review_tags_check(const char *tags, struct gs_err *e)
{
	char **v = split_list(tags, ',');
	int rc = 0;
	for (size_t i = 0, k = 0; v[i] && !rc; i++) {
		char *s = tag_trim(v[i]), why[96];
		const char *w = *s ? jsoncheck_name(s, strlen(s), why) : NULL;
		k += *s != 0;
		if (w) rc = gs_fail(e, EX_USAGE, "tag %zu: a name cannot %s", k, w);
	}
	strv_free(v);
	return rc;
}

char *review_tags_json(const char *tags)
{
	if (!tags) return NULL;
	char **v = split_list(tags, ',');
	struct jo *a = jo_array();
	size_t n = 0;
	for (size_t i = 0; v[i]; i++) {
		char *s = tag_trim(v[i]);
		if (*s) {
			jo_str(a, NULL, s);
			n++;
		}
	}
	char *j = n ? jo_string(a, 0) : NULL;
	jo_free(a);
	strv_free(v);
	return j;
}

void review_out_free(struct review_out *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(out[i].note);
		free(out[i].tags);
		free(out[i].agreed);
		memset(&out[i], 0, sizeof out[i]);
	}
}

/* what is recorded for the item shown: the consensus before the session,
 * or what this session agreed; the draft starts from it */
static void load_recorded(struct lsession *S)
{
	const struct ratings *t = S->ro->t;
	const struct ratings_unit *u = unit0(S);
	const struct review_out *o = &S->rout[S->at];
	for (size_t s = 0; s < t->nslots; s++) {
		S->saved[s] = -1;
		if (!u || !single(S)) continue;
		char *key = calib_key(t, u, s);
		const struct calib_cons *c = calib_cons_find(&S->cons, u->ext_id, key);
		free(key);
		if (c) S->saved[s] = ratings_value_parse(t, u, s, c->value);
		if (o->agreed) S->saved[s] = o->agreed[s];   /* saved in this session */
	}
	memcpy(S->slots, S->saved, t->nslots * sizeof *S->slots);
	session_set_text(&S->saved_note, o->note);
	session_set_text(&S->saved_tags, o->tags);
}

static void review_show(struct lsession *S, size_t i)
{
	session_item_free(&S->cur);
	S->at = i;
	session_item_get(S->st, S->ro->items[i], &S->cur);
	load_recorded(S);
	session_set_text(&S->note, S->rout[i].note);
	session_set_text(&S->tags, S->rout[i].tags);
	S->focus = 0;
	S->item_seq++;
	S->unit_seq++;
}

static int write_consensus(struct lsession *S, const struct ratings_unit *u, size_t s, struct gs_err *e)
{
	const struct ratings *t = S->ro->t;
	char *key = calib_key(t, u, s);
	char *val = ratings_value_json(t, u, s, S->slots[s]);
	char *src = xasprintf("review:%s", S->ro->session);
	struct store_consensus c = {u->ext_id, S->r->name, key, val, NULL, S->note, src, NULL, S->r->version};
	int rc = store_consensus_add(S->st, &c, e);
	free(key);
	free(val);
	free(src);
	return rc;
}

/* the agreed values that changed and the review mark, all or nothing */
static int write_review(struct lsession *S, struct gs_err *e)
{
	const struct ratings_unit *u = unit0(S);
	char *tags = review_tags_json(S->tags);
	struct store_review rr = {S->ro->items[S->at], S->ro->session, S->r->name, tags, S->note, NULL};
	int rc = store_begin(S->st, e);
	for (size_t s = 0; !rc && u && s < S->nslots; s++)
		if (S->slots[s] != S->saved[s]) rc = write_consensus(S, u, s, e);
	if (!rc) rc = store_review_add(S->st, &rr, e);
	if (!rc) rc = store_commit(S->st, e);
	else store_rollback(S->st);
	free(tags);
	return rc;
}

/* the item's outcome: reviewed, with what is on screen now */
static void keep_outcome(struct lsession *S)
{
	struct review_out *o = &S->rout[S->at];
	o->reviewed = 1;
	session_set_text(&o->note, S->note);
	session_set_text(&o->tags, S->tags);
	if (!o->agreed) o->agreed = xmalloc((S->nslots + 1) * sizeof *o->agreed);
	memcpy(o->agreed, S->slots, S->nslots * sizeof *o->agreed);
}

void session_review_save(struct lsession *S)
{
	struct gs_err e;
	long long done, n;
	if (write_review(S, &e)) {
		session_say(S, SESSION_WARN, "not saved: %s", e.msg);
		return;
	}
	keep_outcome(S);
	session_progress(S, &done, &n);
	if (S->at + 1 < S->ro->n) {
		review_show(S, S->at + 1);
		session_say(S, SESSION_GOOD, "reviewed %lld of %lld", done, n);
	} else {
		load_recorded(S);
		session_say(S, SESSION_GOOD, "reviewed %lld of %lld: q ends the session and writes the summary", done, n);
	}
}

void session_review_step(struct lsession *S, int dir)
{
	if ((dir < 0 && S->at == 0) || (dir > 0 && S->at + 1 >= S->ro->n)) {
		session_say(S, SESSION_DIM, dir < 0 ? "this is the first item" : "this is the last item: q ends the review");
		return;
	}
	if (session_dirty(S)) session_say(S, SESSION_DIM, "left without marking it reviewed");
	else S->msg[0] = 0;
	review_show(S, dir > 0 ? S->at + 1 : S->at - 1);
}

void session_review_show_at(struct lsession *S, size_t i) { review_show(S, i); }

int session_open_review(const struct review_opts *o, struct review_out *out, struct lsession **s, struct gs_err *e)
{
	struct lsession *S = session_new(SESSION_REVIEW, o->st, o->t->r, NULL, NULL);
	S->ro = o;
	S->rout = out;
	*s = NULL;
	if (calib_cons_load(o->st, o->t->r->name, NULL, &S->cons, e)) {
		session_close(S);
		return e->code;
	}
	S->have = o->n > 0;
	if (S->have) review_show(S, 0);
	*s = S;
	return 0;
}

/* ---- discuss ---- */

static const struct ratings_unit *point_unit(const struct lsession *S) { return &S->dop->t->u[S->dop->p[S->at].u]; }
static size_t point_slot(const struct lsession *S) { return S->dop->p[S->at].slot; }

void discuss_outcome_free(struct discuss_outcome *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(out[i].note);
		out[i].note = NULL;
	}
}

/* what earlier discussions recorded, per point */
static void load_outcomes(struct lsession *S)
{
	const struct discuss_opts *o = S->dop;
	struct calib_conslist l;
	struct gs_err e;
	for (size_t i = 0; i < o->n; i++) S->dout[i] = (struct discuss_outcome){-1, -1, NULL};
	if (calib_cons_load(S->st, S->r->name, NULL, &l, &e)) return;
	for (size_t i = 0; i < o->n; i++) {
		const struct ratings_unit *u = &o->t->u[o->p[i].u];
		char *key = calib_key(o->t, u, o->p[i].slot);
		const struct calib_cons *c = calib_cons_find(&l, u->ext_id, key);
		free(key);
		if (!c) continue;
		S->dout[i].value = ratings_value_parse(o->t, u, o->p[i].slot, c->value);
		for (int k = 0; k < NCAUSE; k++)
			if (c->cause && strcmp(c->cause, discuss_causes[k]) == 0) S->dout[i].cause = k;
		S->dout[i].note = c->note ? xstrdup(c->note) : NULL;
	}
	calib_cons_free(&l);
}

/* the item of the point shown, read again only when the unit changed */
static void load_unit_item(struct lsession *S)
{
	size_t ui = S->dop->p[S->at].u;
	if (S->cur_unit == ui + 1) return;
	session_item_free(&S->cur);
	session_item_get(S->st, point_unit(S)->ext_id, &S->cur);
	S->cur_unit = ui + 1;
	S->item_seq++;
}

/* shows point i with what is recorded for it */
static void discuss_show(struct lsession *S, size_t i)
{
	const struct discuss_outcome *o = &S->dout[i];
	S->at = i;
	S->slots[0] = S->saved[0] = o->value;
	S->slots[1] = S->saved[1] = o->cause;
	session_set_text(&S->note, o->note);
	session_set_text(&S->saved_note, o->note);
	S->focus = o->value >= 0 && o->cause < 0 ? 1 : 0;
	S->unit_seq++;
	load_unit_item(S);
}

void session_discuss_pick(struct lsession *S, int digit)
{
	struct slot_info si;
	rubric_slot_info(S->r, point_slot(S), &si);
	int n = S->focus ? NCAUSE : si.nopts;
	if (digit > n) {
		session_say(S, SESSION_WARN, "%s: press 1-%d", S->focus ? "cause" : "agreed value", n);
		return;
	}
	S->slots[S->focus] = digit - 1;
	if (S->focus) {
		session_say(S, SESSION_GOOD, "Enter records it (c adds a note)");
		return;
	}
	S->focus = 1;
	session_say(S, SESSION_DIM, "now the cause: 1 rubric unclear, 2 rater slip, 3 item ambiguous; or Enter");
}

/* writes value v (< 0: withdraws) of point i, with its cause and note, as
 * one consensus row */
static int record_at(struct lsession *S, size_t i, int v, int cause, const char *note)
{
	const struct ratings *t = S->dop->t;
	const struct ratings_unit *u = &t->u[S->dop->p[i].u];
	size_t slot = S->dop->p[i].slot;
	char *key = calib_key(t, u, slot);
	char *val = v < 0 ? xstrdup("null") : ratings_value_json(t, u, slot, v);
	char *src = xasprintf("discuss:%s", S->dop->batch);
	struct store_consensus c = {u->ext_id, S->r->name, key, val, v >= 0 && cause >= 0 ? discuss_causes[cause] : NULL,
				    v >= 0 ? note : NULL, src, NULL, S->r->version};
	struct gs_err e;
	int rc = store_consensus_add(S->st, &c, &e);
	if (rc) session_say(S, SESSION_WARN, "not saved: %s", e.msg);
	free(key);
	free(val);
	free(src);
	return rc;
}

/* the draft of the point shown (v < 0: withdraws) as its consensus row */
static int record(struct lsession *S, int v) { return record_at(S, S->at, v, S->slots[1], S->note); }

void session_discuss_item(const struct lsession *S, size_t *first, size_t *n)
{
	const struct discuss_point *p = S->dop->p;
	size_t lo = S->at, hi = S->at + 1;
	while (lo > 0 && p[lo - 1].u == p[S->at].u) lo--;
	while (hi < S->dop->n && p[hi].u == p[S->at].u) hi++;
	*first = lo;
	*n = hi - lo;
}

void session_discuss_item_pos(const struct lsession *S, long long *k, long long *items)
{
	*k = *items = 0;
	for (size_t i = 0; i < S->dop->n; i++) {
		int starts = i == 0 || S->dop->p[i].u != S->dop->p[i - 1].u;
		*items += starts;
		if (i <= S->at) *k += starts;
	}
}

/* the next open disagreement: this item's first, else after this item */
static void next_unsettled(struct lsession *S)
{
	size_t lo, n;
	session_discuss_item(S, &lo, &n);
	for (size_t k = 0; k < S->dop->n; k++) {
		size_t i = k < n ? lo + k : (lo + k) % S->dop->n;
		if (S->dout[i].value < 0) {
			discuss_show(S, i);
			return;
		}
	}
	if (S->dop->n == 1) session_say(S, SESSION_GOOD, "the disagreement is settled: q quits (n/p to look again)");
	else session_say(S, SESSION_GOOD, "all %zu disagreements settled: q quits (n/p to look again)", S->dop->n);
}

/* the outcome of point i becomes value, cause and note */
static void settle_at(struct lsession *S, size_t i, int value, int cause, const char *note)
{
	struct discuss_outcome *o = &S->dout[i];
	o->value = value;
	o->cause = cause;
	session_set_text(&o->note, note);
}

/* the outcome of the point shown, and what is recorded on screen */
static void settle(struct lsession *S, int value, int cause, const char *note)
{
	settle_at(S, S->at, value, cause, note);
	S->saved[0] = value;
	S->saved[1] = cause;
	session_set_text(&S->saved_note, note);
}

void session_discuss_save(struct lsession *S)
{
	char buf[32];
	if (S->slots[0] < 0) {
		S->focus = 0;
		session_say(S, SESSION_WARN, "pick the agreed value first (1-9), then Enter");
		return;
	}
	if (record(S, S->slots[0])) return;
	settle(S, S->slots[0], S->slots[1], S->note);
	S->saves++;
	session_say(S, SESSION_GOOD, "agreed on %s for %s",
		    ratings_value_text(S->dop->t, point_unit(S), point_slot(S), S->slots[0], buf), point_unit(S)->ext_id);
	next_unsettled(S);
}

void session_discuss_withdraw(struct lsession *S)
{
	if (S->dout[S->at].value < 0) {
		session_say(S, SESSION_DIM, "nothing recorded for this disagreement yet");
		return;
	}
	if (record(S, -1)) return;
	settle(S, -1, -1, NULL);
	discuss_show(S, S->at);
	session_say(S, SESSION_GOOD, "agreed value withdrawn: this disagreement is open again");
}

/* the rater's name as shown: "rater 2" unless --names */
static char *rater_shown(const struct lsession *S, size_t r)
{
	return S->dop->names ? xstrdup(S->dop->t->raters[r]) : xasprintf("rater %zu", r + 1);
}

/* point i settled on rater r's value (the draft's cause and note when it
 * is the point shown); 1 when recorded, 0 when r gave no value, -1 when
 * the store refused */
static int accept_at(struct lsession *S, size_t i, size_t r)
{
	const struct ratings *t = S->dop->t;
	int v = ratings_val(t, &t->u[S->dop->p[i].u], r, S->dop->p[i].slot), mine = i == S->at;
	int cause = mine ? S->slots[1] : -1;
	const char *note = mine ? S->note : NULL;
	if (v < 0) return 0;
	if (record_at(S, i, v, cause, note)) return -1;
	settle_at(S, i, v, cause, note);
	S->saves++;
	return 1;
}

void session_discuss_accept(struct lsession *S, size_t r, int whole)
{
	size_t lo, n;
	int done = 0, rc = 0;
	if (r >= S->dop->t->nraters) {
		session_say(S, SESSION_WARN, "this batch has %zu raters", S->dop->t->nraters);
		return;
	}
	session_discuss_item(S, &lo, &n);
	const char *id = point_unit(S)->ext_id;
	for (size_t i = whole ? lo : S->at; i < (whole ? lo + n : S->at + 1) && rc >= 0; i++) {
		if (whole && S->dout[i].value >= 0) continue;   /* settled already */
		rc = accept_at(S, i, r);
		done += rc > 0;
	}
	if (rc < 0) return;
	char *who = rater_shown(S, r);
	if (!done) session_say(S, SESSION_WARN, "%s gave no value %s", who, whole ? "to an open criterion here" : "here");
	else session_say(S, SESSION_GOOD, "agreed on %s's value%s for %d criteri%s of %s", who, done > 1 ? "s" : "", done,
			 done > 1 ? "a" : "on", id);
	free(who);
	discuss_show(S, S->at);
	if (done) next_unsettled(S);
}

void session_discuss_focus(struct lsession *S, int dir)
{
	size_t lo, n;
	session_discuss_item(S, &lo, &n);
	size_t m = 2 * n, pos = 2 * (S->at - lo) + S->focus;
	pos = dir > 0 ? (pos + 1) % m : (pos + m - 1) % m;
	if (lo + pos / 2 != S->at) {
		if (session_dirty(S)) session_say(S, SESSION_DIM, "left without recording (Enter records)");
		discuss_show(S, lo + pos / 2);
	}
	S->focus = pos % 2;
}

/* n / p: the next or previous item, at its first open disagreement */
void session_discuss_step(struct lsession *S, int dir)
{
	size_t lo, n, N = S->dop->n;
	if (session_dirty(S)) session_say(S, SESSION_DIM, "left without recording (Enter records)");
	else S->msg[0] = 0;
	session_discuss_item(S, &lo, &n);
	discuss_show(S, dir > 0 ? (lo + n) % N : (lo + N - 1) % N);
	session_discuss_item(S, &lo, &n);
	for (size_t i = lo; i < lo + n; i++)
		if (S->dout[i].value < 0) {
			if (i != S->at) discuss_show(S, i);
			return;
		}
	if (S->at != lo) discuss_show(S, lo);
}

int session_open_discuss(const struct discuss_opts *o, struct discuss_outcome *out, struct lsession **s,
			 struct gs_err *e)
{
	struct lsession *S = session_new(SESSION_DISCUSS, o->st, o->t->r, NULL, o->batch);
	(void)e;
	S->dop = o;
	S->dout = out;
	*s = S;
	load_outcomes(S);
	S->have = o->n > 0;
	if (!S->have) return 0;
	S->at = 0;
	next_unsettled(S);
	if (S->dout[S->at].value >= 0) discuss_show(S, 0);
	return 0;
}
