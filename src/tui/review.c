/* review.c: the weekly review screen (tui/review.h): what it draws of
 * a review session (session.h: the items, the agreed values, note and
 * tags, the saves) and its key t (tags), besides the frame every session
 * screen shares (sessionview.c).
 *
 * The item is drawn by itemview.c; beside it (or below, on a narrow
 * terminal) a table of every rater's and judge's values per criterion,
 * values that differ from the others marked, with a column for the value
 * the group agrees on, then the focused criterion's question and options,
 * the tags and the note. The review is not blind, so every label of the
 * item is shown. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/review.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/itemview.h"
#include "tui/panel.h"
#include "tui/sessionview.h"
#include "tui/widgets.h"
#include "base/util.h"

#define META_ROWS 12      /* body rows needed before the meta line is shown */
#define NAME_W 18         /* widest criterion column */
#define COL_W 14          /* widest rater column */

struct rv {
	struct sv v;                  /* the session, the item's document */
	const struct review_opts *o;
	const struct ratings *t;
};

static int single(const struct rv *R) { return strcmp(R->t->r->mode, "pairwise") != 0; }

/* the units of the item shown: [*first, *first + *n) */
static void units_of(const struct rv *R, size_t *first, size_t *n)
{
	*first = *n = 0;
	for (size_t i = 0; i < R->t->nunits; i++)
		if (R->t->u[i].item == R->v.S->at) {
			if (!*n) *first = i;
			(*n)++;
		}
}

static const struct ratings_unit *unit0(const struct rv *R)
{
	size_t first, n;
	units_of(R, &first, &n);
	return n ? &R->t->u[first] : NULL;
}

/* ---- the item shown ---- */

static void build_doc(void *st)
{
	struct rv *R = st;
	const struct item *it = &R->v.S->cur.it;
	const char **sys = xcalloc(it->noutputs + 1, sizeof *sys);
	for (size_t i = 0; i < it->noutputs; i++) sys[i] = it->outputs[i].system;
	idoc_clear(R->v.doc);
	itemview_judged(R->v.doc, R->v.S->cur.ok ? it : NULL, single(R) ? NULL : sys, it->noutputs, R->v.show_ref);
	free(sys);
}

/* ---- keys ---- */

static const struct tui_key help_keys[] = {
	{"1-9", "the value the group agrees on for the focused criterion"},
	{"Tab  Shift-Tab", "next / previous criterion"},
	{"Backspace", "clear the focused agreed value"},
	{"c", "a note on this item: what the group saw"},
	{"t", "tags, comma-separated (new failure mode, rubric gap, ...)"},
	{"Enter", "mark reviewed (with the values, note and tags), next item"},
	{"n  p", "next / previous item without marking it"},
	{"r", "show / hide the reference answer"},
	IDOC_HELP,
};

static const struct tui_key hints[] = {
	{"?", "keys"}, {"1-9", "agree"}, {"Tab", "next"}, {"c", "note"}, {"t", "tags"}, {"Enter", "reviewed"},
	{"n/p", "move"}, {"q", "end"},
};

/* t: the tags, the one key of its own */
static int rv_key(void *st, int key, int code, int *rc)
{
	struct rv *R = st;
	if (code || key != 't') return 0;
	*rc = sv_prompt(&R->v, "Tags, comma-separated:", R->v.S->tags, session_set_tags, NULL);
	return 1;
}

/* ---- drawing: the labels panel ---- */

struct cols { int name, agreed, rater[32], n; };

static int value_w(const struct rv *R, const struct ratings_unit *u, size_t r)
{
	int w = 0;
	char buf[32];
	for (size_t s = 0; s < R->t->nslots; s++) {
		int v = ratings_val(R->t, u, r, s), k = tui_text_width(ratings_value_text(R->t, u, s, v, buf));
		if (k > w) w = k;
	}
	return w;
}

/* column widths at panel width w: names in full when every rater fits,
 * else cut to their values' width; as many raters as fit */
static void layout(const struct rv *R, const struct ratings_unit *u, int w, struct cols *c)
{
	c->name = 9;
	for (size_t s = 0; s < R->t->nslots; s++) {
		struct slot_info si;
		rubric_slot_info(R->t->r, s, &si);
		int k = tui_text_width(si.name);
		if (k > c->name) c->name = k;
	}
	if (c->name > NAME_W) c->name = NAME_W;
	if (c->name > w / 3) c->name = w / 3 > 4 ? w / 3 : 4;
	c->agreed = !single(R) ? 0 : w >= 40 ? 7 : w >= 30 ? 4 : 3;
	for (int cut = 0; cut < 2; cut++) {
		int used = 2 + c->name + 1 + c->agreed;
		c->n = 0;
		for (size_t r = 0; u && r < R->t->nraters && r < ARRAY_LEN(c->rater); r++) {
			int k = tui_text_width(R->t->raters[r]), v = value_w(R, u, r);
			k = (cut || k < v ? v : k) + 1;
			if (cut && k < 4) k = 4;
			if (k > COL_W) k = COL_W;
			if (used + k > w) break;
			c->rater[c->n++] = k;
			used += k;
		}
		if (!u || (size_t)c->n == R->t->nraters || (size_t)c->n == ARRAY_LEN(c->rater)) return;
	}
}

static void header_row(const struct rv *R, struct flow *f, const struct cols *c)
{
	int y = fl_row(f, 0);
	if (y < 0) return;
	int x = f->x + 2 + c->name + 1;
	tui_text(y, f->x + 2, c->name, TUI_DIM, "criterion");
	if (c->agreed) tui_text(y, x, c->agreed - 1, TUI_GOOD, c->agreed >= 7 ? "agreed" : "=");
	x += c->agreed;
	for (int r = 0; r < c->n; r++) {
		tui_text(y, x, c->rater[r] - 1, ratings_is_judge(R->t->raters[r]) ? TUI_DIM : TUI_KEY, R->t->raters[r]);
		x += c->rater[r];
	}
	if ((size_t)c->n < R->t->nraters) tui_textf(y, x, f->x + f->w - x, TUI_DIM, "+%zu", R->t->nraters - (size_t)c->n);
}

/* a value that differs from what most others said is marked */
static enum tui_style cell_style(const struct rv *R, const struct ratings_unit *u, size_t r, size_t s)
{
	int v = ratings_val(R->t, u, r, s), same = 0, other = 0;
	if (v < 0) return TUI_DIM;
	for (size_t k = 0; k < R->t->nraters; k++) {
		int w = ratings_val(R->t, u, k, s);
		if (k == r || w < 0) continue;
		if (w == v) same++;
		else other++;
	}
	return other > same ? TUI_WARN : TUI_NORMAL;
}

static void value_row(const struct rv *R, struct flow *f, const struct cols *c, const struct ratings_unit *u, size_t s)
{
	struct slot_info si;
	char buf[32];
	rubric_slot_info(R->t->r, s, &si);
	int focused = single(R) && R->v.S->focus == s;
	if (focused) f->fa = f->line;
	int y = fl_row(f, 0);
	if (y < 0) return;
	tui_text(y, f->x, 2, TUI_KEY, focused ? "> " : "  ");
	tui_text(y, f->x + 2, c->name, focused ? TUI_SELECTED : TUI_NORMAL, si.name);
	int x = f->x + 2 + c->name + 1;
	if (c->agreed) {
		int v = R->v.S->slots[s];
		tui_text(y, x, c->agreed - 1, v < 0 ? TUI_DIM : v != R->v.S->saved[s] ? TUI_SELECTED : TUI_GOOD,
			 v < 0 ? "-" : ratings_value_text(R->t, u, s, v, buf));
	}
	x += c->agreed;
	for (int r = 0; r < c->n; r++) {
		int v = ratings_val(R->t, u, (size_t)r, s);
		tui_text(y, x, c->rater[r] - 1, cell_style(R, u, (size_t)r, s), v < 0 ? "-" : ratings_value_text(R->t, u, s, v, buf));
		x += c->rater[r];
	}
}

static void focused_detail(const struct rv *R, struct flow *f)
{
	struct slot_info si;
	char buf[32];
	const struct ratings_unit *u = unit0(R);
	rubric_slot_info(R->t->r, R->v.S->focus, &si);
	int y = fl_row(f, 0);
	if (y >= 0) tui_text(y, f->x + 2, f->w - 2, TUI_KEY, si.name);
	if (*si.crit->question) fl_para(f, 0, 2, TUI_NORMAL, si.crit->question);
	for (int k = 0; k < si.nopts && u; k++) {
		const char *a = si.crit->type == CRIT_SCALE && si.crit->anchors ? si.crit->anchors[k] : NULL;
		const char *v = ratings_value_text(R->t, u, R->v.S->focus, k, buf);
		int plain = si.crit->type == CRIT_SCALE && si.crit->min == 1;
		char *text = a && plain ? xstrdup(a) : a ? xasprintf("= %s: %s", v, a) : xstrdup(plain ? "" : v);
		long l0 = f->line;
		enum tui_style st = R->v.S->slots[R->v.S->focus] == k ? TUI_SELECTED : TUI_DIM;
		fl_para(f, 0, 6, st, text);
		int ky = fl_at(f, l0);
		if (ky >= 0) tui_textf(ky, f->x + 2, 3, TUI_KEY, "%d", k + 1);
		free(text);
	}
	f->fb = f->line;
}

static void field_row(struct flow *f, const char *label, const char *text, const char *empty)
{
	int y = fl_row(f, 0);
	if (y < 0) return;
	int col = tui_text(y, f->x, f->w, TUI_KEY, label);
	tui_text(y, f->x + col, f->w - col, text ? TUI_NORMAL : TUI_DIM, text ? text : empty);
}

static void pair_heading(struct flow *f, const struct ratings_unit *u)
{
	int y = fl_row(f, 0);
	if (y < 0) return;
	int col = tui_text(y, f->x, f->w, TUI_KEY, u->sys[0]);
	col += tui_text(y, f->x + col, f->w - col, TUI_DIM, " vs ");
	tui_text(y, f->x + col, f->w - col, TUI_KEY, u->sys[1]);
}

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct rv *R = ctx;
	size_t first, n;
	struct cols c;
	units_of(R, &first, &n);
	layout(R, n ? &R->t->u[first] : NULL, f->w, &c);
	if (!n || !R->t->nraters) field_row(f, "", NULL, "nobody has labeled this item under this rubric");
	else header_row(R, f, &c);
	for (size_t i = first; i < first + n; i++) {
		if (!single(R)) pair_heading(f, &R->t->u[i]);
		for (size_t s = 0; s < R->t->nslots; s++) value_row(R, f, &c, &R->t->u[i], s);
	}
	fl_blank(f);
	field_row(f, "tags ", R->v.S->tags, "(t adds some)");
	field_row(f, "note ", R->v.S->note, "(c: what the group saw)");
	if (!f->compact && single(R) && n) {
		f->line++;
		focused_detail(R, f);
	}
}

/* narrow: the table alone, at most half the body and a row */
static int panel_rows(const void *st, int cols, int h, int *item_min)
{
	struct flow m;
	int ph = (int)panel_measure(panel_flow, st, cols, PANEL_COMPACT, 3, &m);
	*item_min = h > 3;
	return ph > h / 2 + 1 ? h / 2 + 1 : ph < 1 ? 1 : ph;
}

/* ---- drawing: the screen ---- */

static char *heading(const void *st)
{
	const struct rv *R = st;
	return xasprintf("goldset review  %s v%d", R->t->r->name, R->t->r->version);
}

static void draw_info(const void *st, int y, int cols)
{
	const struct rv *R = st;
	int lw = sv_progress(R->v.S, y, cols, "reviewed ", 0), col = 0;
	col += tui_text(y, 0, lw, TUI_KEY, R->o->items[R->v.S->at]);
	if (col < lw && R->v.S->rout[R->v.S->at].reviewed) col += tui_text(y, col, lw - col, TUI_GOOD, " reviewed");
	if (col < lw && session_dirty(R->v.S)) col += tui_text(y, col, lw - col, TUI_WARN, " unsaved");
	const char *slice = R->o->slice_key && R->v.S->cur.ok ? item_meta(&R->v.S->cur.it, R->o->slice_key) : NULL;
	if (slice && col + 2 < lw) tui_textf(y, col + 2, lw - col - 2, TUI_DIM, "%s=%s", R->o->slice_key, slice);
}

/* ---- set-up ---- */

static const struct sv_ops ops = {
	.rebuild = build_doc, .heading = heading, .unit = "item", .info = draw_info, .info_rows = 10, .meta_rows = META_ROWS,
	.panel = panel_flow, .panel_rows = panel_rows, .hints = hints, .nhints = ARRAY_LEN(hints), .key = rv_key,
	.help_title = "goldset review: keys", .help = help_keys, .nhelp = ARRAY_LEN(help_keys),
	.quit_help = "end the review and write the summary to reviews/", .idle = "? shows the keys",
};

int review_screen(const struct review_opts *o, struct review_out *out, struct gs_err *e)
{
	struct rv R = {.v = {.st = &R, .ops = &ops}, .o = o, .t = o->t};
	if (!o->n) return 0;
	int rc = sv_screen(&R.v, session_open_review(o, out, &R.v.S, e),
			   "review needs a terminal (stdin and stdout must be a tty); --list prints the ids", e);
	session_close(R.v.S);
	return rc;
}
