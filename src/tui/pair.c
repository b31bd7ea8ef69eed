/* pair.c: the pairwise comparison screen (pair_screen.h, DESIGN "Screens"),
 * in the ncdu way: all state in one struct pr, pair_draw() paints the whole
 * screen from it, pair_key() changes it; tui_run() (widgets.c) dispatches.
 *
 * The rater works through a store_pairq (store.c) one item at a time; the
 * screen holds the current item, its list of comparisons (st_bt's design,
 * in an order of the rater's own) and the comparison shown. The first time
 * a comparison is shown its sides are drawn (pair_x_left) and written to
 * `shown`; later showings use what was recorded. --both-orders adds a
 * second pass over every comparison with the sides swapped, after the
 * first. A save is one label row committed before the next comparison is
 * drawn; undo appends rows restoring what the save replaced (per side
 * shown left, so the two passes stay apart). Marks as in the label screen;
 * a skip's text starts with the pair key.
 *
 * System names never reach the screen: outputs are "A" and "B", messages
 * name the item only. Item text is drawn through itemview.c and text.c
 * cells; the `d` highlight marks the words of one output that the other
 * lacks (worddiff.c on the wrapped cells). Other raters' labels are never
 * read. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pair_screen.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bt.h"
#include "itemview.h"
#include "items.h"
#include "labelset.h"
#include "text.h"
#include "tui.h"
#include "util.h"
#include "worddiff.h"

#define UNDO_MAX 64
#define QUIT 1
#define DIFF_MAX_BYTES (256 * 1024)     /* longer outputs are not diffed word by word */
#define BAR_MIN_W 8                     /* narrower panes get no scroll bar */
#define SIDE_SALT 0x7061697273696465ULL /* "pairside" */
#define ORDER_SALT 0x706169726f726465ULL

/* ---- state ---- */

struct pane {                 /* one output, wrapped; diff marks per cell */
	char *text;
	size_t n;
	struct text_wrap *wrap;
	int bar;                  /* the last column is a scroll bar */
	unsigned char *chg;       /* NULL: no marks for this width */
	size_t *cell0;            /* first cell of each line in chg */
	int chg_w;
};

struct itm {                  /* an item and its comparisons */
	struct store_item si;
	struct item it;
	uint32_t (*pairs)[2];     /* indices into it.outputs, in the rater's order */
	size_t npairs;
};

struct cmp {                  /* the comparison shown */
	size_t idx;               /* in the item's list */
	int pass;                 /* 0 first showing, 1 sides swapped */
	char *key;                /* labelset_pair_key */
	char *left, *right;       /* systems as shown: A and B */
};

struct undo {
	char *ext_id, *key, *left, *right;
	long long item_row;
	int pass;
	int *slots;               /* the answers saved, shown again after the undo */
	struct store_label way;   /* before the save: the newest row this way round */
	struct store_label head;  /* before the save: the current label */
	int had_way, had_head;
};

struct pr {
	const struct pair_opts *o;
	const struct rubric *r;
	store_pairq *q;
	struct tui_screen scr;
	size_t nslots, focus;
	int *slots, *saved;
	int has_saved, stale;
	int have;                 /* a comparison is shown (0: nothing left) */
	struct itm cur;
	struct cmp c;
	struct idoc *input;
	struct pane pa, pb;
	size_t top;               /* the first line of both panes */
	long page;
	int show_ref, show_diff, input_focus, flagged, quit_armed, diff_partial;
	int input_pinned;         /* keep the input's end in view (a chat, until scrolled) */
	char *note;
	double shown_at;
	struct store_pairq_counts n;
	long saves;
	char msg[512];
	enum tui_style msg_st;
	struct undo undo[UNDO_MAX];
	int nundo;
};

static void say(struct pr *P, enum tui_style st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct pr *P, enum tui_style st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(P->msg, sizeof P->msg, fmt, ap);
	va_end(ap);
	P->msg_st = st;
}

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

/* the side a comparison is first shown with: 1 when system x (the first
 * of the pair by name) goes left; pass 1 swaps it */
static int pair_x_left(const char *rater, const char *ext_id, const char *pair_key)
{
	return (int)(mix3(rater, ext_id, pair_key, SIDE_SALT) >> 40 & 1);
}

static const char *sys_name(const struct itm *m, uint32_t i)
{
	const char *s = m->it.outputs[i].system;
	return s ? s : "";
}

static const char *sys_text(const struct itm *m, const char *sys)
{
	for (size_t i = 0; i < m->it.noutputs; i++)
		if (strcmp(sys_name(m, (uint32_t)i), sys) == 0) return m->it.outputs[i].text;
	return NULL;
}

/* x < y by name: the comparison's two systems */
static void pair_names(const struct itm *m, size_t idx, const char **x, const char **y)
{
	const char *a = sys_name(m, m->pairs[idx][0]), *b = sys_name(m, m->pairs[idx][1]);
	int sw = strcmp(a, b) > 0;
	*x = sw ? b : a;
	*y = sw ? a : b;
}

static char *pair_key_of(const struct itm *m, size_t idx)
{
	const char *x, *y;
	pair_names(m, idx, &x, &y);
	return labelset_pair_key(x, y);
}

/* the item's comparisons: the design, then sorted by a per-rater hash */
static void item_pairs(struct itm *m, const struct pair_opts *o)
{
	size_t k = m->it.noutputs, ppi = o->pairs_per_item > 0 ? (size_t)o->pairs_per_item : 1;
	const char **names = xmalloc((k ? k : 1) * sizeof *names);
	for (size_t i = 0; i < k; i++) names[i] = sys_name(m, (uint32_t)i);
	m->pairs = xmalloc((ppi > 6 ? ppi : 6) * sizeof *m->pairs);
	uint64_t seed = gs_hash64(m->si.set, strlen(m->si.set), 0);
	m->npairs = st_bt_pairs_for_item(names, k, (size_t)(m->si.ord < 0 ? 0 : m->si.ord), ppi, seed, m->pairs);
	free(names);
	uint64_t *key = xmalloc((m->npairs ? m->npairs : 1) * sizeof *key);
	for (size_t i = 0; i < m->npairs; i++) {
		char *pk = pair_key_of(m, i);
		key[i] = mix3(o->rater, m->si.ext_id, pk, ORDER_SALT);
		free(pk);
	}
	for (size_t i = 1; i < m->npairs; i++)   /* insertion sort: a handful of pairs */
		for (size_t j = i; j > 0 && key[j] < key[j - 1]; j--) {
			uint64_t t = key[j];
			key[j] = key[j - 1];
			key[j - 1] = t;
			uint32_t p0 = m->pairs[j][0], p1 = m->pairs[j][1];
			m->pairs[j][0] = m->pairs[j - 1][0];
			m->pairs[j][1] = m->pairs[j - 1][1];
			m->pairs[j - 1][0] = p0;
			m->pairs[j - 1][1] = p1;
		}
	free(key);
}

/* takes si over; 0, or -1 when its line cannot be read */
static int itm_load(struct itm *m, struct store_item *si, const struct pair_opts *o)
{
	struct gs_err e;
	memset(m, 0, sizeof *m);
	m->si = *si;
	if (item_from_canon(m->si.json, &m->it, &e)) {
		memset(&m->it, 0, sizeof m->it);
		return -1;
	}
	item_pairs(m, o);
	return 0;
}

static void itm_free(struct itm *m)
{
	store_item_free(&m->si);
	item_free(&m->it);
	free(m->pairs);
	memset(m, 0, sizeof *m);
}

/* ---- what the rater did with a comparison ---- */

/* the system shown left in pass `pass`: as recorded, else drawn (and,
 * when record, written to `shown` before anything is drawn) */
static char *way_left(struct pr *P, const struct itm *m, size_t idx, int pass, int record)
{
	const char *x, *y;
	struct gs_err e;
	char *key = pair_key_of(m, idx), *left = NULL, *first = NULL;
	pair_names(m, idx, &x, &y);
	store_shown_get(P->o->st, P->r->name, P->o->rater, m->si.ext_id, key, pass, &left, &e);
	if (left && strcmp(left, x) && strcmp(left, y)) {
		free(left);
		left = NULL;
	}
	if (!left) {
		int x_left = pair_x_left(P->o->rater, m->si.ext_id, key);
		if (pass) {
			store_shown_get(P->o->st, P->r->name, P->o->rater, m->si.ext_id, key, 0, &first, &e);
			if (first && (!strcmp(first, x) || !strcmp(first, y))) x_left = strcmp(first, x) == 0;
			x_left = !x_left;
		}
		left = xstrdup(x_left ? x : y);
		if (record && store_shown_add(P->o->st, P->r->name, P->o->rater, m->si.ext_id, left,
					      x_left ? y : x, key, pass, &e))
			say(P, TUI_WARN, "could not record the sides shown: %s", e.msg);
	}
	free(first);
	free(key);
	return left;
}

/* a label with `left` on the left on the item's current version */
static int way_labeled(struct pr *P, const struct itm *m, const char *key, const char *left)
{
	struct store_label l;
	struct gs_err e;
	if (store_pair_label_get(P->o->st, P->r->name, P->o->rater, m->si.ext_id, key, left, &l, &e)) return 0;
	int yes = l.vals && l.item_row == m->si.id;
	store_label_free(&l);
	return yes;
}

static int head_labeled(struct pr *P, const struct itm *m, const char *key)
{
	struct store_label l;
	struct gs_err e;
	if (store_label_current(P->o->st, P->r->name, m->si.ext_id, P->o->rater, key, &l, &e)) return 0;
	int yes = l.vals && l.item_row == m->si.id;
	store_label_free(&l);
	return yes;
}

/* 1 when comparison idx still needs the rater in pass `pass` */
static int cmp_todo(struct pr *P, const struct itm *m, size_t idx, int pass)
{
	struct gs_err e;
	char *key = pair_key_of(m, idx);
	int skipped = 0, todo;
	store_pair_skipped(P->o->st, P->r->name, P->o->rater, m->si.ext_id, key, &skipped, &e);
	if (skipped) todo = 0;
	else if (!pass) todo = !head_labeled(P, m, key);
	else {
		char *l0 = way_left(P, m, idx, 0, 0), *l1 = way_left(P, m, idx, 1, 0);
		todo = way_labeled(P, m, key, l0) && !way_labeled(P, m, key, l1);
		free(l0);
		free(l1);
	}
	free(key);
	return todo;
}

static long todo_in_item(struct pr *P, const struct itm *m, size_t from, int pass)
{
	for (size_t i = from; i < m->npairs; i++)
		if (cmp_todo(P, m, i, pass)) return (long)i;
	return -1;
}

/* ---- panes ---- */

static void pane_free(struct pane *p)
{
	free(p->text);
	text_wrap_free(p->wrap);
	free(p->chg);
	free(p->cell0);
	memset(p, 0, sizeof *p);
}

static void pane_set(struct pane *p, const char *text)
{
	pane_free(p);
	p->n = text ? strlen(text) : 0;
	p->text = xstrndup(text ? text : "", p->n);
	p->wrap = text_wrap_new(p->text, p->n, 80);
}

static size_t pane_lines(const struct pane *p) { return p->wrap ? text_wrap_lines(p->wrap) : 0; }

/* wraps for w columns (the last one kept for a scroll bar when w allows,
 * so the width does not change with the height); returns the lines */
static size_t pane_wrap(struct pane *p, int w)
{
	text_wrap_set_width(p->wrap, w >= BAR_MIN_W ? w - 1 : w);
	return text_wrap_lines(p->wrap);
}

/* for a w x h rectangle: a scroll bar when the text overflows */
static void pane_fit(struct pane *p, int h, int w)
{
	p->bar = w >= BAR_MIN_W && pane_wrap(p, w) > (size_t)h;
}

static size_t pane_max_top(const struct pane *p, int h)
{
	size_t n = pane_lines(p);
	return n > (size_t)h ? n - (size_t)h : 0;
}

/* a line break that separates words (not a word cut at the edge) */
static int word_break(const struct pane *p, size_t line)
{
	size_t off = text_wrap_offset(p->wrap, line), prev = text_wrap_offset(p->wrap, line - 1);
	if (off == 0 || off <= prev || off > p->n) return 0;
	char c = p->text[off - 1];
	return c == ' ' || c == '\t' || c == '\n';
}

/* every cell of the wrapped text, a blank cell between words split by a
 * line end; cell0 gets each line's first cell */
static struct text_cell *pane_cells(struct pane *p, size_t *n)
{
	size_t lines = pane_lines(p), cap = 256, k = 0;
	int w = text_wrap_width(p->wrap);
	struct text_cell *all = xmalloc(cap * sizeof *all);
	free(p->cell0);
	p->cell0 = xmalloc((lines + 1) * sizeof *p->cell0);
	for (size_t i = 0; i < lines; i++) {
		if (k + (size_t)w + 1 > cap) {
			while (k + (size_t)w + 1 > cap) cap *= 2;
			all = xrealloc(all, cap * sizeof *all);
		}
		if (i && word_break(p, i)) all[k++] = (struct text_cell){.cp = {' '}, .width = 1};
		p->cell0[i] = k;
		k += (size_t)text_wrap_line(p->wrap, i, all + k);
	}
	p->cell0[lines] = k;
	*n = k;
	return all;
}

/* the word diff of the two panes at their current widths */
static void diff_panes(struct pr *P)
{
	struct pane *a = &P->pa, *b = &P->pb;
	int wa = text_wrap_width(a->wrap), wb = text_wrap_width(b->wrap);
	if (a->chg && b->chg && a->chg_w == wa && b->chg_w == wb) return;
	size_t na, nb;
	struct text_cell *ca = pane_cells(a, &na), *cb = pane_cells(b, &nb);
	free(a->chg);
	free(b->chg);
	a->chg = xmalloc(na + 1);
	b->chg = xmalloc(nb + 1);
	P->diff_partial = wd_cells(ca, na, cb, nb, a->chg, b->chg);
	a->chg_w = wa;
	b->chg_w = wb;
	free(ca);
	free(cb);
}

static void draw_bar(int y, int x, int h, size_t top, size_t lines)
{
	int size = (int)((size_t)h * (size_t)h / lines);
	if (size < 1) size = 1;
	size_t m = lines > (size_t)h ? lines - (size_t)h : 1;
	int pos = (int)((double)top / (double)m * (h - size) + 0.5);
	for (int r = 0; r < h; r++) {
		if (r >= pos && r < pos + size) tui_fill(y + r, x, 1, TUI_SELECTED);
		else if (y + r < LINES && x < COLS) mvadd_wch(y + r, x, WACS_VLINE);
	}
}

/* one wrapped line; with marks, the changed words in TUI_SELECTED */
static void pane_line(const struct pane *p, size_t line, int y, int x, int w, struct text_cell *c, int marks)
{
	int k = text_wrap_line(p->wrap, line, c);
	if (!marks || !p->chg) {
		itemview_cells(y, x, w, c, k, TUI_NORMAL);
		return;
	}
	const unsigned char *m = p->chg + p->cell0[line];
	int col = 0;
	for (int i = 0; i < k && col < w;) {
		int j = i;
		while (j < k && m[j] == m[i]) j++;
		col += itemview_cells(y, x + col, w - col, c + i, j - i, m[i] ? TUI_SELECTED : TUI_NORMAL);
		i = j;
	}
}

static void pane_draw(struct pr *P, const struct pane *p, int y, int x, int h, int w)
{
	if (h <= 0 || w <= 0) return;
	int tw = text_wrap_width(p->wrap);
	size_t lines = pane_lines(p), top = P->top;
	if (top > pane_max_top(p, h)) top = pane_max_top(p, h);
	struct text_cell *c = xmalloc((size_t)tw * sizeof *c);
	for (int r = 0; r < h; r++) {
		tui_fill(y + r, x, w, TUI_NORMAL);
		if (top + (size_t)r < lines) pane_line(p, top + (size_t)r, y + r, x, tw, c, P->show_diff);
	}
	free(c);
	if (!p->n) tui_text(y, x, w, TUI_DIM, "(empty)");
	if (p->bar) draw_bar(y, x + w - 1, h, top, lines);
}

/* ---- the comparison shown ---- */

static void cmp_free(struct cmp *c)
{
	free(c->key);
	free(c->left);
	free(c->right);
	memset(c, 0, sizeof *c);
}

static void drop(struct pr *P)
{
	if (!P->have) return;
	itm_free(&P->cur);
	cmp_free(&P->c);
	idoc_clear(P->input);
	pane_free(&P->pa);
	pane_free(&P->pb);
	free(P->note);
	P->note = NULL;
	P->have = 0;
}

static void refresh_counts(struct pr *P)
{
	struct gs_err e;
	if (store_pairq_counts(P->q, 0, &P->n, &e)) say(P, TUI_WARN, "%s", e.msg);
}

static void build_input(struct pr *P)
{
	size_t top = idoc_top(P->input);
	idoc_clear(P->input);
	itemview_input(P->input, &P->cur.it);
	if (P->show_ref && P->cur.it.reference) idoc_add(P->input, "REFERENCE", TUI_GOOD, P->cur.it.reference);
	idoc_set_top(P->input, top);
}

/* the rater's label on this comparison, this way round, fills the answers */
static void load_saved(struct pr *P)
{
	struct store_label l;
	struct gs_err e;
	for (size_t i = 0; i < P->nslots; i++) P->slots[i] = P->saved[i] = -1;
	P->has_saved = P->stale = 0;
	free(P->note);
	P->note = NULL;
	if (store_pair_label_get(P->o->st, P->r->name, P->o->rater, P->cur.si.ext_id, P->c.key, P->c.left, &l, &e))
		return;
	if (l.vals && rubric_values_from_json(P->r, l.vals, P->c.left, P->c.right, 0, P->saved, "", &e) == 0) {
		P->has_saved = l.item_row == P->cur.si.id;
		P->stale = !P->has_saved;
		memcpy(P->slots, P->saved, P->nslots * sizeof *P->slots);
		if (l.note) P->note = xstrdup(l.note);
	} else {
		for (size_t i = 0; i < P->nslots; i++) P->saved[i] = -1;
	}
	store_label_free(&l);
}

static int first_missing(const struct pr *P, size_t *at)
{
	int miss = 0;
	for (size_t i = P->nslots; i-- > 0;)
		if (P->slots[i] < 0) {
			miss++;
			*at = i;
		}
	return miss;
}

/* shows comparison idx of the current item in pass `pass` */
static void show_cmp(struct pr *P, size_t idx, int pass)
{
	const char *x, *y;
	cmp_free(&P->c);
	P->c.idx = idx;
	P->c.pass = pass;
	P->c.key = pair_key_of(&P->cur, idx);
	P->c.left = way_left(P, &P->cur, idx, pass, 1);
	pair_names(&P->cur, idx, &x, &y);
	P->c.right = xstrdup(strcmp(P->c.left, x) == 0 ? y : x);
	pane_set(&P->pa, sys_text(&P->cur, P->c.left));
	pane_set(&P->pb, sys_text(&P->cur, P->c.right));
	P->top = 0;
	load_saved(P);
	P->focus = 0;
	first_missing(P, &P->focus);
	P->shown_at = now_seconds();
	if (P->stale)
		say(P, TUI_WARN, "this item changed since you compared it: your answers are filled in, check them and press Enter");
	refresh_counts(P);
}

/* makes m (taken over) the current item */
static void take_item(struct pr *P, struct itm *m)
{
	struct gs_err e;
	drop(P);
	P->cur = *m;
	P->have = 1;
	P->input_focus = 0;
	if (store_item_flagged(P->o->st, P->cur.si.ext_id, P->o->rater, &P->flagged, &e)) P->flagged = 0;
	build_input(P);
	idoc_home(P->input);
	P->input_pinned = P->cur.it.nturns > 1;   /* a chat: the last turn is the one answered */
}

/* the first item after from (NULL: the start) with a todo comparison in
 * pass `pass`; 1 when one is shown, 0 when none, -1 on an error */
static int scan(struct pr *P, const struct store_item *from, int pass)
{
	struct store_item si, at = {0};
	struct gs_err e;
	int todo = pass ? STORE_PQ_ONE_WAY : STORE_PQ_UNSEEN;
	long long row = from ? from->id : 0;
	for (;;) {
		at.id = row;
		int rc = store_pairq_step(P->q, row ? &at : NULL, 1, todo, &si, &e);
		if (rc == EX_NOINPUT) return 0;
		if (rc) {
			say(P, TUI_WARN, "%s", e.msg);
			return -1;
		}
		row = si.id;
		struct itm m;
		if (itm_load(&m, &si, P->o)) {
			itm_free(&m);
			continue;
		}
		long i = todo_in_item(P, &m, 0, pass);
		if (i < 0) {
			itm_free(&m);
			continue;
		}
		take_item(P, &m);
		show_cmp(P, (size_t)i, pass);
		return 1;
	}
}

/* the next comparison still to do after this one, then from the start;
 * none left: the "all done" view */
static void next_todo(struct pr *P)
{
	int both = P->o->both_orders, rc = 0;
	if (P->have) {
		long i = todo_in_item(P, &P->cur, P->c.idx + 1, P->c.pass);
		if (i >= 0) {
			show_cmp(P, (size_t)i, P->c.pass);
			return;
		}
		long long row = P->cur.si.id;
		int pass = P->c.pass;
		rc = scan(P, &(struct store_item){.id = row}, pass);
		if (!rc && !pass && both) rc = scan(P, NULL, 1);
	}
	if (!rc) rc = scan(P, NULL, 0);
	if (!rc && both) rc = scan(P, NULL, 1);
	if (!rc) {
		drop(P);
		refresh_counts(P);
	}
}

/* the item next to from (NULL: the first or last) in the order, any */
static int step_item(struct pr *P, const struct store_item *from, int dir, struct itm *m)
{
	struct store_item si, at = {0};
	struct gs_err e;
	if (from) at.id = from->id;
	for (;;) {
		int rc = store_pairq_step(P->q, at.id ? &at : NULL, dir, STORE_PQ_ANY, &si, &e);
		if (rc) {
			if (rc != EX_NOINPUT) say(P, TUI_WARN, "%s", e.msg);
			return rc;
		}
		if (itm_load(m, &si, P->o) == 0 && m->npairs) return 0;
		at.id = m->si.id;
		itm_free(m);
	}
}

static int dirty(const struct pr *P)
{
	for (size_t i = 0; i < P->nslots; i++)
		if (P->has_saved ? P->slots[i] != P->saved[i] : P->slots[i] >= 0) return 1;
	return 0;
}

/* n / p: the next or previous comparison in the order, done or not */
static void browse(struct pr *P, int dir)
{
	int left_unsaved = P->have && dirty(P), pass = P->have ? P->c.pass : dir > 0 ? 0 : P->o->both_orders;
	struct itm m;
	if (P->have && dir > 0 && P->c.idx + 1 < P->cur.npairs) {
		show_cmp(P, P->c.idx + 1, pass);
	} else if (P->have && dir < 0 && P->c.idx > 0) {
		show_cmp(P, P->c.idx - 1, pass);
	} else if (step_item(P, P->have ? &P->cur.si : NULL, dir, &m) == 0) {
		take_item(P, &m);
		show_cmp(P, dir > 0 ? 0 : P->cur.npairs - 1, pass);
	} else if (P->o->both_orders && pass == (dir > 0 ? 0 : 1) && step_item(P, NULL, dir, &m) == 0) {
		take_item(P, &m);
		show_cmp(P, dir > 0 ? 0 : P->cur.npairs - 1, !pass);
	} else {
		say(P, TUI_DIM, dir > 0 ? "this is the last comparison" : "this is the first comparison");
		return;
	}
	if (left_unsaved) say(P, TUI_WARN, "left the last comparison without saving its answers");
	else if (!P->stale) P->msg[0] = 0;
}

/* ---- saving and undo ---- */

static void undo_free(struct undo *u)
{
	free(u->ext_id);
	free(u->key);
	free(u->left);
	free(u->right);
	free(u->slots);
	if (u->had_way) store_label_free(&u->way);
	if (u->had_head) store_label_free(&u->head);
	memset(u, 0, sizeof *u);
}

static struct undo *push_undo(struct pr *P)
{
	if (P->nundo == UNDO_MAX) {
		undo_free(&P->undo[0]);
		memmove(P->undo, P->undo + 1, (UNDO_MAX - 1) * sizeof *P->undo);
		P->nundo--;
	}
	struct undo *u = &P->undo[P->nundo++];
	memset(u, 0, sizeof *u);
	u->ext_id = xstrdup(P->cur.si.ext_id);
	u->key = xstrdup(P->c.key);
	u->left = xstrdup(P->c.left);
	u->right = xstrdup(P->c.right);
	u->item_row = P->cur.si.id;
	u->pass = P->c.pass;
	u->slots = xmalloc(P->nslots * sizeof *u->slots);
	memcpy(u->slots, P->slots, P->nslots * sizeof *u->slots);
	return u;
}

/* what a save replaces, kept for undo */
static void remember_before(struct pr *P, struct undo *u)
{
	struct gs_err e;
	u->had_way = store_pair_label_get(P->o->st, P->r->name, P->o->rater, u->ext_id, u->key, u->left, &u->way,
					  &e) == 0;
	u->had_head = store_label_current(P->o->st, P->r->name, u->ext_id, P->o->rater, u->key, &u->head, &e) == 0;
}

/* saves the answers on screen; 0 when the row is committed */
static int save_now(struct pr *P)
{
	struct gs_err e;
	struct undo *u = push_undo(P);
	remember_before(P, u);
	char *vals = rubric_values_to_json(P->r, P->slots, P->c.left, P->c.right);
	char *sides = rubric_sides_json(P->r, P->slots);
	struct store_label l = {
		.item_row = P->cur.si.id, .ext_id = P->cur.si.ext_id, .rubric = P->r->name,
		.rubric_version = P->r->version, .rubric_hash = P->r->hash, .rater = P->o->rater,
		.login = gs_login(), .vals = vals, .note = P->note, .left_sys = P->c.left, .right_sys = P->c.right,
		.pair_key = P->c.key, .sides = sides, .seconds = now_seconds() - P->shown_at, .source = "screen",
		.batch = P->o->batch,
	};
	int rc = store_label_add(P->o->st, &l, NULL, &e);
	free(vals);
	free(sides);
	if (rc) {
		undo_free(u);
		P->nundo--;
		say(P, TUI_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	P->saves++;
	memcpy(P->saved, P->slots, P->nslots * sizeof *P->saved);
	P->has_saved = 1;
	P->stale = 0;
	return 0;
}

static void save(struct pr *P)
{
	size_t first = 0;
	int miss = first_missing(P, &first);
	if (miss) {
		struct slot_info si;
		P->focus = first;
		rubric_slot_info(P->r, first, &si);
		say(P, TUI_WARN, "%d answer%s missing: \"%s\" is next (Enter saves once all are given)", miss,
		    miss > 1 ? "s" : "", si.name);
		return;
	}
	char *id = xstrdup(P->cur.si.ext_id);
	if (P->has_saved && !dirty(P)) {
		say(P, TUI_DIM, "%s unchanged (already saved)", id);
		next_todo(P);
	} else if (save_now(P) == 0) {
		say(P, TUI_GOOD, "saved %s", id);
		next_todo(P);
	}
	free(id);
}

/* a row putting back prev as it was */
static struct store_label restore_row(const struct store_label *prev)
{
	struct store_label row = *prev;
	row.id = 0;
	row.login = gs_login();
	row.seconds = -1;
	row.source = "undo";
	row.at = NULL;
	return row;
}

/* a row withdrawing u's comparison, this way round */
static struct store_label withdraw_row(const struct pr *P, const struct undo *u)
{
	struct store_label row = {
		.item_row = u->item_row, .ext_id = u->ext_id, .rubric = P->r->name,
		.rubric_version = P->r->version, .rubric_hash = P->r->hash, .rater = P->o->rater,
		.login = gs_login(), .left_sys = u->left, .right_sys = u->right, .pair_key = u->key,
		.seconds = -1, .source = "undo", .batch = P->o->batch,
	};
	return row;
}

/* this way round first, then the current label if it was the other way */
static int undo_rows(struct pr *P, const struct undo *u, struct gs_err *e)
{
	struct store_label way = u->had_way ? restore_row(&u->way) : withdraw_row(P, u);
	int own = store_begin(P->o->st, e) == 0, rc = 0;
	if (!own) return e->code;
	rc = store_label_add(P->o->st, &way, NULL, e);
	if (!rc && u->had_head && (!u->had_way || u->head.id != u->way.id)) {
		struct store_label head = restore_row(&u->head);
		rc = store_label_add(P->o->st, &head, NULL, e);
	}
	if (rc) {
		store_rollback(P->o->st);
		return rc;
	}
	return store_commit(P->o->st, e);
}

/* shows u's comparison again, its undone answers on screen */
static void show_undone(struct pr *P, const struct undo *u)
{
	struct store_item si;
	struct gs_err e;
	struct itm m;
	if (store_item_get(P->o->st, u->ext_id, &si, &e)) return;
	if (itm_load(&m, &si, P->o)) {
		itm_free(&m);
		return;
	}
	for (size_t i = 0; i < m.npairs; i++) {
		char *k = pair_key_of(&m, i);
		int hit = strcmp(k, u->key) == 0;
		free(k);
		if (!hit) continue;
		take_item(P, &m);
		show_cmp(P, i, u->pass);
		memcpy(P->slots, u->slots, P->nslots * sizeof *P->slots);
		return;
	}
	itm_free(&m);
}

static void undo(struct pr *P)
{
	struct gs_err e;
	if (!P->nundo) {
		say(P, TUI_DIM, "nothing to undo (u undoes saves made since the screen opened)");
		return;
	}
	struct undo *u = &P->undo[P->nundo - 1];
	if (undo_rows(P, u, &e)) {
		say(P, TUI_WARN, "undo failed: %s", e.msg);
		return;
	}
	show_undone(P, u);
	say(P, TUI_GOOD, u->had_way && u->way.vals ? "undone: %s has its previous answers back (yours are shown, unsaved)"
						   : "undone: this comparison of %s is open again (your answers are shown, unsaved)",
	    u->ext_id);
	undo_free(u);
	P->nundo--;
	refresh_counts(P);
}

/* ---- marks: comment, flag, skip ---- */

static int mark(struct pr *P, const char *kind, const char *text)
{
	struct gs_err e;
	if (store_mark_add(P->o->st, P->cur.si.ext_id, P->r->name, P->o->rater, kind, text, &e)) {
		say(P, TUI_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	return 0;
}

static int comment(struct pr *P)
{
	char *text;
	int rc = tui_prompt(&P->scr, "Comment (Enter saves, Esc cancels):", P->note, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 0) {
		say(P, TUI_DIM, "comment not changed");
		return TUI_CONTINUE;
	}
	if (mark(P, "comment", text) == 0) {
		free(P->note);
		P->note = *text ? xstrdup(text) : NULL;
		if (P->has_saved && !dirty(P) && save_now(P) == 0) say(P, TUI_GOOD, "comment saved with your answers");
		else if (!P->has_saved || dirty(P)) say(P, TUI_GOOD, "comment saved; it goes with this comparison on Enter");
	}
	free(text);
	return TUI_CONTINUE;
}

static void flag(struct pr *P)
{
	if (mark(P, P->flagged ? "unflag" : "flag", NULL)) return;
	P->flagged = !P->flagged;
	say(P, TUI_GOOD, P->flagged ? "flagged %s for review (f again removes the flag)" : "flag removed from %s",
	    P->cur.si.ext_id);
}

static int skip(struct pr *P)
{
	char *text;
	int rc = tui_prompt(&P->scr, "Skip this comparison? Reason (optional; Enter skips, Esc cancels):", NULL, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 0) {
		say(P, TUI_DIM, "not skipped");
		return TUI_CONTINUE;
	}
	char *id = xstrdup(P->cur.si.ext_id), *t = store_pair_skip_text(P->c.key, text);
	if (mark(P, "skip", t) == 0) {
		say(P, TUI_GOOD, "skipped a comparison of %s (n/p bring it back)", id);
		next_todo(P);
	}
	free(t);
	free(id);
	free(text);
	return TUI_CONTINUE;
}

/* ---- keys ---- */

static const struct tui_key help_keys[] = {
	{"a  1", "A is better (the left output, or the top one)"},
	{"b  2", "B is better (the right output, or the bottom one)"},
	{"t  3", "tie: no real difference"},
	{"4-9", "the n-th option of a criterion that is not a preference"},
	{"Tab  Shift-Tab", "next / previous criterion (also Right / Left)"},
	{"Backspace", "clear the focused answer"},
	{"Enter", "save (once every criterion has an answer), show the next comparison"},
	{"u", "undo the last save"},
	{"n  p", "next / previous comparison without saving"},
	{"d", "highlight the words that differ between A and B"},
	{"j k  Down Up", "scroll A and B together"},
	{"PgDn PgUp", "scroll a page"},
	{"Home End", "top / bottom of the outputs"},
	{"i", "read the input: a bigger input pane that j/k scroll (i again: back)"},
	{"r", "show / hide the reference answer below the input"},
	{"c", "comment on this comparison"},
	{"f", "flag this item for review (again: unflag)"},
	{"s", "skip this comparison, with an optional reason"},
	{"?", "this help"},
	{"q", "quit (every save is already on disk)"},
};

static const struct tui_key hints_cmp[] = {
	{"?", "keys"}, {"a/b/t", "A/B/tie"}, {"Enter", "save"}, {"d", "diff"}, {"n/p", "move"},
	{"u", "undo"}, {"i", "input"}, {"q", "quit"},
};
static const struct tui_key hints_done[] = {{"n/p", "browse"}, {"u", "undo"}, {"?", "keys"}, {"q", "quit"}};

static void pick(struct pr *P, int digit)
{
	struct slot_info si;
	rubric_slot_info(P->r, P->focus, &si);
	if (digit > si.nopts) {
		say(P, TUI_WARN, "\"%s\" has %d options: press 1-%d", si.name, si.nopts, si.nopts);
		return;
	}
	P->slots[P->focus] = digit - 1;
	if (P->focus + 1 < P->nslots) P->focus++;
	else first_missing(P, &P->focus);
	size_t at;
	if (!first_missing(P, &at)) say(P, TUI_GOOD, "all answered: Enter saves");
	else P->msg[0] = 0;
}

/* a / b / t: the focused criterion must be a preference */
static void prefer(struct pr *P, int v)
{
	struct slot_info si;
	rubric_slot_info(P->r, P->focus, &si);
	if (si.crit->type != CRIT_PREFERENCE) {
		say(P, TUI_WARN, "\"%s\" is not an A/B question: press 1-%d", si.name, si.nopts);
		return;
	}
	pick(P, v + 1);
}

static void toggle_ref(struct pr *P)
{
	if (!P->cur.it.reference) {
		say(P, TUI_DIM, "this item has no reference answer");
		return;
	}
	P->show_ref = !P->show_ref;
	build_input(P);
	if (P->show_ref) idoc_end(P->input);
	say(P, TUI_DIM, P->show_ref ? "reference shown below the input (r hides it; i to read it all)" : "reference hidden");
}

static void toggle_diff(struct pr *P)
{
	P->show_diff = !P->show_diff;
	if (P->show_diff && (P->pa.n > DIFF_MAX_BYTES || P->pb.n > DIFF_MAX_BYTES)) {
		P->show_diff = 0;
		say(P, TUI_WARN, "these outputs are too long to compare word by word");
		return;
	}
	say(P, TUI_DIM, P->show_diff ? "words only in A or only in B are highlighted (d turns it off)"
				     : "difference highlight off");
}

static int quit(struct pr *P, int armed)
{
	if (P->have && dirty(P) && !armed) {
		P->quit_armed = 1;
		say(P, TUI_WARN, "this comparison's answers are not saved: Enter saves, q again quits without them");
		return TUI_CONTINUE;
	}
	return QUIT;
}

static void focus_step(struct pr *P, int dir)
{
	if (dir > 0) P->focus = P->focus + 1 < P->nslots ? P->focus + 1 : 0;
	else P->focus = P->focus ? P->focus - 1 : P->nslots - 1;
}

/* j/k and the page keys: both outputs together, or the input with i */
static int scroll_key(struct pr *P, int key, int code)
{
	if (P->input_focus) {
		int hit = idoc_key(P->input, key, code);
		if (hit) P->input_pinned = 0;
		return hit;
	}
	long d;
	if (!code && key == 'j') d = 1;
	else if (!code && key == 'k') d = -1;
	else if (code && key == KEY_DOWN) d = 1;
	else if (code && key == KEY_UP) d = -1;
	else if (code && key == KEY_NPAGE) d = P->page;
	else if (code && key == KEY_PPAGE) d = -P->page;
	else if (code && key == KEY_HOME) d = -(long)P->top - 1;
	else if (code && key == KEY_END) d = 1L << 40;
	else return 0;
	if (d < 0) P->top = (size_t)-d >= P->top ? 0 : P->top - (size_t)-d;
	else P->top += (size_t)d;   /* clamped when drawn */
	return 1;
}

static int code_key(struct pr *P, int key)
{
	if (key == KEY_BTAB || key == KEY_LEFT) focus_step(P, -1);
	else if (key == KEY_RIGHT) focus_step(P, 1);
	else if (key == KEY_ENTER) save(P);
	else if (key == KEY_BACKSPACE || key == KEY_DC) P->slots[P->focus] = -1;
	else return 0;
	return 1;
}

/* keys that need a comparison on screen; 1 when handled */
static int cmp_key(struct pr *P, int key, int code, int *rc)
{
	if (!P->have) return 0;
	if (scroll_key(P, key, code)) return 1;
	if (code) return code_key(P, key);
	if (key == 'a' || key == 'b' || key == 't') prefer(P, key == 'a' ? 0 : key == 'b' ? 1 : 2);
	else if (key >= '1' && key <= '9') pick(P, key - '0');
	else if (key == '\t') focus_step(P, 1);
	else if (key == '\n' || key == '\r') save(P);
	else if (key == 127 || key == 8) P->slots[P->focus] = -1;
	else if (key == 'c') *rc = comment(P);
	else if (key == 'f') flag(P);
	else if (key == 's') *rc = skip(P);
	else if (key == 'r') toggle_ref(P);
	else if (key == 'd') toggle_diff(P);
	else if (key == 'i') {
		P->input_focus = !P->input_focus;
		say(P, TUI_DIM, P->input_focus ? "reading the input: j/k scroll it, i goes back to the outputs"
					       : "j/k scroll the outputs");
	} else return 0;
	return 1;
}

static int pair_key(void *st, int key, int code)
{
	struct pr *P = st;
	int armed = P->quit_armed, rc = TUI_CONTINUE;
	P->quit_armed = 0;
	if (cmp_key(P, key, code, &rc)) return rc;
	if (code) return TUI_CONTINUE;
	switch (key) {
	case 'q': return quit(P, armed);
	case 'u': undo(P); break;
	case 'n': browse(P, 1); break;
	case 'p': browse(P, -1); break;
	case '?': tui_help(&P->scr, "goldset pair: keys", help_keys, ARRAY_LEN(help_keys)); break;
	default:
		say(P, TUI_DIM, P->have ? "? shows the keys" : "nothing left to compare here: n/p browse, q quits");
	}
	return TUI_CONTINUE;
}

/* ---- drawing: layout ---- */

struct lay {
	int wide;
	int in_y, in_h;           /* the input */
	int rule_y;               /* a rule under the input, or -1 */
	int rule2_y;              /* a rule above the criteria, or -1 */
	int ha_y, hb_y;           /* "A" and "B" header rows, or -1 (side by side: one row) */
	int a_y, a_x, a_h, a_w;
	int b_y, b_x, b_h, b_w;
	int gutter;               /* no header rows: the letter in a 2-column gutter */
	int cr_y, cr_h;           /* the criteria */
};

static int imin(int a, int b) { return a < b ? a : b; }

/* rows for the input: what it takes, within what the layout allows; a
 * chat keeps its last turn in view until the rater scrolls it; one row
 * shows text rather than the section's title */
static int input_rows(struct pr *P, int y, int cap, int cols)
{
	if (cap <= 0) return 0;
	idoc_draw(P->input, y, 0, cap, cols);
	size_t lines = idoc_lines(P->input);
	int h = lines < (size_t)cap ? (int)lines : cap;
	if (P->input_pinned) {
		idoc_draw(P->input, y, 0, h, cols);
		idoc_end(P->input);
	}
	if (h == 1 && idoc_top(P->input) == 0 && lines > 1) {
		idoc_set_top(P->input, 1);
		idoc_draw(P->input, y, 0, 1, cols);
		idoc_set_top(P->input, 0);
	} else {
		idoc_draw(P->input, y, 0, h, cols);
	}
	return h;
}

static void side_by_side(struct lay *L, int y, int r, int cols)
{
	int hdr = r >= 3, lw = (cols - 1) / 2;
	L->ha_y = L->hb_y = hdr ? y : -1;
	L->gutter = !hdr;
	L->a_y = L->b_y = y + hdr;
	L->a_h = L->b_h = r - hdr;
	L->a_x = 0, L->a_w = lw - 1;             /* a blank column each side of the divider */
	L->b_x = lw + 2, L->b_w = cols - lw - 2;
}

/* one above the other, each as tall as its text when both fit, else a
 * pane whose text is shorter than half gives the rest to the other */
static void stacked(struct pr *P, struct lay *L, int y, int r, int cols)
{
	int hdr = r >= 6, avail = r - 2 * hdr, w = hdr ? cols : cols - 2;
	size_t la = pane_wrap(&P->pa, w), lb = pane_wrap(&P->pb, w);
	L->gutter = !hdr;
	L->a_h = avail / 2;
	L->b_h = avail - L->a_h;
	if (avail >= 2 && (la + lb <= (size_t)avail || la < (size_t)L->a_h))
		L->a_h = la ? (int)la : 1, L->b_h = avail - L->a_h;
	else if (avail >= 2 && lb < (size_t)L->b_h)
		L->b_h = lb ? (int)lb : 1, L->a_h = avail - L->b_h;
	L->ha_y = hdr ? y : -1;
	L->a_y = y + hdr;
	L->hb_y = hdr ? L->a_y + L->a_h : -1;
	L->b_y = L->a_y + L->a_h + hdr;
	L->a_x = L->b_x = 0;
	L->a_w = L->b_w = cols;
}

static void layout(struct pr *P, struct lay *L, int y, int h, int cols)
{
	memset(L, 0, sizeof *L);
	L->wide = cols >= PAIR_WIDE_COLS;
	L->rule_y = L->rule2_y = -1;
	int pane_min = L->wide ? 1 : 2;
	int want = (int)P->nslots + 1 + (*P->r->instructions ? 2 : 0);
	L->cr_h = h >= pane_min + 1 ? imin(want, h / 4 > 0 ? h / 4 : 1) : 0;
	int rest = h - L->cr_h;
	int cap = P->input_focus ? rest - 2 * pane_min : L->wide ? rest / 4 : rest / 5;
	if (cap < 2 && rest >= 7) cap = 2;
	if (cap < 1) cap = rest >= pane_min + 1 ? 1 : 0;
	L->in_y = y;
	L->in_h = input_rows(P, y, cap, cols);
	int r = rest - L->in_h;
	if (L->in_h > 0 && r >= (L->wide ? 6 : 8)) {
		L->rule_y = y + L->in_h;
		r--;
	}
	if (L->cr_h > 0 && r >= 12) {
		L->rule2_y = y + h - L->cr_h - 1;
		r--;
	}
	int py = y + L->in_h + (L->rule_y >= 0);
	if (L->wide) side_by_side(L, py, r, cols);
	else stacked(P, L, py, r, cols);
	L->cr_y = y + h - L->cr_h;
	if (L->gutter) {
		L->a_x += 2, L->a_w -= 2;
		L->b_x += 2, L->b_w -= 2;
	}
}

/* ---- drawing: parts ---- */

static void hrule(int y, int x, int w)
{
	for (int i = 0; i < w; i++)
		if (y >= 0 && y < LINES && x + i >= 0 && x + i < COLS) mvadd_wch(y, x + i, WACS_HLINE);
}

static void vrule(int y, int x, int h)
{
	for (int i = 0; i < h; i++)
		if (y + i >= 0 && y + i < LINES && x >= 0 && x < COLS) mvadd_wch(y + i, x, WACS_VLINE);
}

static void pane_header(struct pr *P, int y, int x, int w, const char *letter, const char *keys)
{
	tui_fill(y, x, w, TUI_NORMAL);
	int col = tui_textf(y, x, w, TUI_SELECTED, " %s ", letter);
	if (col + 2 < w) col += tui_textf(y, x + col, w - col, TUI_DIM, "  %s if %s is better", keys, letter);
	if (P->show_diff && col + 2 < w)
		tui_text(y, x + col, w - col, TUI_DIM, P->diff_partial ? "  (too long: only its ends compared)"
									: "  (highlight: words the other lacks)");
	if (!P->show_diff) hrule(y, x + col + 1, w - col - 1);
}

static void draw_panes(struct pr *P, const struct lay *L)
{
	pane_fit(&P->pa, L->a_h, L->a_w);
	pane_fit(&P->pb, L->b_h, L->b_w);
	if (P->show_diff) diff_panes(P);
	size_t m = pane_max_top(&P->pa, L->a_h), mb = pane_max_top(&P->pb, L->b_h);
	if (mb > m) m = mb;
	if (P->top > m) P->top = m;
	P->page = imin(L->a_h, L->b_h) > 2 ? imin(L->a_h, L->b_h) - 1 : 1;
	pane_draw(P, &P->pa, L->a_y, L->a_x, L->a_h, L->a_w);
	pane_draw(P, &P->pb, L->b_y, L->b_x, L->b_h, L->b_w);
	if (L->ha_y >= 0) pane_header(P, L->ha_y, L->a_x, L->a_w, "A", "a/1");
	if (L->hb_y >= 0) pane_header(P, L->hb_y, L->b_x, L->b_w, "B", "b/2");
	if (L->wide) vrule(L->ha_y >= 0 ? L->ha_y : L->a_y, (tui_cols() - 1) / 2, L->a_h + (L->ha_y >= 0));
	if (L->gutter) {
		for (int r = 0; r < L->a_h; r++) tui_fill(L->a_y + r, L->a_x - 2, 2, TUI_NORMAL);
		for (int r = 0; r < L->b_h; r++) tui_fill(L->b_y + r, L->b_x - 2, 2, TUI_NORMAL);
		if (L->a_h > 0) tui_text(L->a_y, L->a_x - 2, 1, TUI_SELECTED, "A");
		if (L->b_h > 0) tui_text(L->b_y, L->b_x - 2, 1, TUI_SELECTED, "B");
	}
}

/* "> helpful  A  Which reply is more helpful?"; returns the columns used */
static int crit_row(struct pr *P, int y, int cols, size_t slot, int hints)
{
	struct slot_info si;
	char vb[32];
	rubric_slot_info(P->r, slot, &si);
	int focused = slot == P->focus, v = P->slots[slot], col = 0;
	tui_fill(y, 0, cols, TUI_NORMAL);
	col += tui_text(y, 0, cols, TUI_KEY, focused ? "> " : "  ");
	col += tui_text(y, col, cols - col, focused ? TUI_SELECTED : TUI_KEY, si.name);
	col += 2;
	if (col < cols)
		col += tui_text(y, col, cols - col, v < 0 ? TUI_DIM : TUI_GOOD, v < 0 ? "-" : rubric_value_text(P->r, slot, v, vb));
	col += 2;
	if (hints || col >= cols) return col;
	const char *q = si.crit->question;
	if (si.sub >= 0) q = si.crit->options[si.sub];
	return col + tui_text(y, col, cols - col, TUI_DIM, q);
}

/* the keys of the focused criterion */
static void option_hints(struct pr *P, int y, int x, int w)
{
	struct slot_info si;
	rubric_slot_info(P->r, P->focus, &si);
	if (si.crit->type == CRIT_PREFERENCE) {
		static const struct tui_key k[] = {{"a/1", "A is better"}, {"b/2", "B is better"}, {"t/3", "tie"}};
		tui_hints(y, x, w, k, ARRAY_LEN(k));
		return;
	}
	struct tui_key k[9];
	char keys[9][12], vals[9][32];
	int n = si.nopts < 9 ? si.nopts : 9;
	for (int i = 0; i < n; i++) {
		snprintf(keys[i], sizeof keys[i], "%d", i + 1);
		k[i] = (struct tui_key){keys[i], rubric_value_text(P->r, P->focus, i, vals[i])};
	}
	tui_hints(y, x, w, k, (size_t)n);
}

static void draw_criteria(struct pr *P, int y, int h, int cols)
{
	if (h <= 0) return;
	if (h == 1) {
		int col = crit_row(P, y, cols, P->focus, 1);
		if (col < cols) option_hints(P, y, col, cols - col);
		return;
	}
	size_t rows = (size_t)h - 1, first = 0;
	if (P->nslots > rows && P->focus >= rows) first = P->focus - rows + 1;
	for (size_t i = 0; i < rows && first + i < P->nslots; i++) crit_row(P, y + (int)i, cols, first + i, 0);
	size_t shown = P->nslots - first < rows ? P->nslots - first : rows;
	int hy = y + (int)shown;
	tui_fill(hy, 0, cols, TUI_NORMAL);
	option_hints(P, hy, 2, cols - 2);
	int left = h - (int)shown - 1;   /* rows the criteria did not need: the instructions */
	if (left > 0 && *P->r->instructions) itemview_para(hy + 1, 2, cols - 2, left, 0, TUI_DIM, P->r->instructions);
}

static void draw_title(struct pr *P, int cols)
{
	struct sbuf b = {0};
	sb_addf(&b, "goldset pair  %s v%d  rater %s", P->r->name, P->r->version, P->o->rater);
	if (P->o->batch) sb_addf(&b, "  batch %s", P->o->batch);
	if (P->o->set) sb_addf(&b, "  set %s", P->o->set);
	if (P->o->both_orders) sb_add(&b, "  both orders");
	char right[64];
	if (!P->have) snprintf(right, sizeof right, "all done");
	else snprintf(right, sizeof right, cols >= 50 ? "pair %zu of %zu on this item" : "%zu/%zu", P->c.idx + 1,
		      P->cur.npairs);
	tui_title(0, b.p, right);
	sb_free(&b);
}

static int draw_marks(struct pr *P, int y, int x, int w)
{
	int col = 0;
	if (P->have && dirty(P)) col += tui_text(y, x + col, w - col, TUI_WARN, " unsaved");
	else if (P->has_saved) col += tui_text(y, x + col, w - col, TUI_GOOD, " saved");
	if (P->flagged && col < w) col += tui_text(y, x + col, w - col, TUI_WARN, " flagged");
	if (P->note && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, " commented");
	if (P->show_diff && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, " +diff");
	return col;
}

static long long total_cmps(const struct pr *P) { return P->n.comparisons * (P->o->both_orders ? 2 : 1); }
static long long done_cmps(const struct pr *P) { return P->n.done + (P->o->both_orders ? P->n.both_ways : 0); }

static void draw_info(struct pr *P, int y, int cols)
{
	int pw = cols >= 60 ? cols / 3 : cols >= 30 ? cols / 2 : cols / 2 + 2;
	int lw = cols - pw - 1, col = 0;
	if (cols >= 60) {
		tui_text(y, cols - pw - 9, 9, TUI_DIM, "compared ");
		lw -= 9;
	}
	tui_progress(y, cols - pw, pw, (long)done_cmps(P), (long)total_cmps(P));
	if (!P->have) return;
	col += tui_text(y, 0, lw, TUI_KEY, P->cur.si.ext_id);
	if (col < lw) col += draw_marks(P, y, col, lw - col);
	long secs = (long)(now_seconds() - P->shown_at);
	if (col + 8 < lw) tui_textf(y, col + 2, lw - col - 2, TUI_DIM, "%ld:%02ld", secs / 60, secs % 60);
}

static void draw_done(struct pr *P, int y, int h, int cols)
{
	char a[200], b[200] = "";
	snprintf(a, sizeof a, "%lld of %lld comparisons done under %s v%d.", done_cmps(P), total_cmps(P), P->r->name,
		 P->r->version);
	if (P->o->both_orders && P->n.both_ways)
		snprintf(b, sizeof b, "Shown both ways round: %lld; see goldset rank for how often the choice changed.",
			 P->n.both_ways);
	const char *lines[] = {"Nothing left to compare here.", "", a, b, "n / p browse the comparisons, q quits."};
	int top = y + (h - (int)ARRAY_LEN(lines)) / 2;
	if (top < y) top = y;
	for (size_t i = 0; i < ARRAY_LEN(lines) && top + (int)i < y + h; i++) {
		int w = tui_text_width(lines[i]), x = w < cols ? (cols - w) / 2 : 0;
		tui_text(top + (int)i, x, cols - x, i ? TUI_NORMAL : TUI_GOOD, lines[i]);
	}
}

static void pair_draw(void *st)
{
	struct pr *P = st;
	int rows = tui_rows(), cols = tui_cols();
	if (rows <= 0 || cols <= 0) return;
	draw_title(P, cols);
	if (rows >= 2) draw_info(P, 1, cols);
	if (rows >= 3) {
		if (P->have) tui_status(rows - 1, P->msg, P->msg_st, hints_cmp, ARRAY_LEN(hints_cmp));
		else tui_status(rows - 1, P->msg, P->msg_st, hints_done, ARRAY_LEN(hints_done));
	}
	int y = 2, h = rows - 3;
	if (h < 1) return;
	if (!P->have) {
		draw_done(P, y, h, cols);
		return;
	}
	struct lay L;
	layout(P, &L, y, h, cols);
	if (L.rule_y >= 0) hrule(L.rule_y, 0, cols);
	if (L.rule2_y >= 0) hrule(L.rule2_y, 0, cols);
	draw_panes(P, &L);
	draw_criteria(P, L.cr_y, L.cr_h, cols);
}

/* ---- set-up ---- */

static void pr_free(struct pr *P)
{
	drop(P);
	for (int i = 0; i < P->nundo; i++) undo_free(&P->undo[i]);
	idoc_free(P->input);
	store_pairq_close(P->q);
	free(P->slots);
	free(P->saved);
	free(P);
}

static struct pr *pr_new(const struct pair_opts *o)
{
	struct pr *P = xcalloc(1, sizeof *P);
	P->o = o;
	P->r = o->r;
	P->nslots = rubric_slot_count(o->r);
	P->slots = xcalloc(P->nslots ? P->nslots : 1, sizeof *P->slots);
	P->saved = xcalloc(P->nslots ? P->nslots : 1, sizeof *P->saved);
	P->input = idoc_new();
	P->scr = (struct tui_screen){pair_draw, pair_key, P};
	return P;
}

static int open_queue(struct pr *P, struct gs_err *e)
{
	const struct pair_opts *o = P->o;
	struct store_pairq_opts qo = {o->r->name, o->rater, o->set, o->batch, o->pairs_per_item, o->both_orders};
	if (store_pairq_open(o->st, &qo, &P->q, e)) return e->code;
	if (store_pairq_counts(P->q, 1, &P->n, e)) return e->code;
	if (P->n.items == 0)
		return gs_fail(e, EX_NOINPUT, "nothing to compare: no items with outputs from two or more systems%s"
			       " (goldset import adds some)", o->set || o->batch ? " match these options" : "");
	return 0;
}

/* the first preference criterion: flips are counted on it */
static const char *first_preference(const struct rubric *r)
{
	for (size_t i = 0; i < r->ncrit; i++)
		if (r->crit[i].type == CRIT_PREFERENCE) return r->crit[i].id;
	return NULL;
}

struct flip_sum { const char *rater; long long pairs, flips; };

static int flip_cb(void *ctx, const char *rater, long long pairs, long long flips)
{
	struct flip_sum *f = ctx;
	if (strcmp(rater, f->rater) == 0) {
		f->pairs = pairs;
		f->flips = flips;
		return 1;
	}
	return 0;
}

static void result(struct pr *P, struct pair_result *res)
{
	struct gs_err e;
	struct flip_sum f = {P->o->rater, 0, 0};
	res->saved = P->saves;
	res->criterion = first_preference(P->r);
	if (P->o->both_orders && res->criterion)
		store_pair_flips_each(P->o->st, P->r->name, res->criterion, flip_cb, &f, &e);
	res->both_ways = f.pairs;
	res->flips = f.flips;
}

int pair_screen(const struct pair_opts *o, struct pair_result *res, struct gs_err *e)
{
	struct pr *P = pr_new(o);
	memset(res, 0, sizeof *res);
	int rc = open_queue(P, e);
	if (!rc && !first_preference(o->r))
		rc = gs_fail(e, EX_DATAERR, "rubric %s has no preference criterion to answer", o->r->name);
	if (!rc && tui_init())
		rc = gs_fail(e, EX_UNAVAILABLE, "pair needs a terminal (stdin and stdout must be a tty)");
	if (rc) {
		pr_free(P);
		return rc;
	}
	next_todo(P);
	rc = tui_run(&P->scr);
	rc = rc == TUI_LOST && tui_signal() ? 128 + tui_signal() : 0;
	tui_end();
	result(P, res);
	pr_free(P);
	return rc;
}
