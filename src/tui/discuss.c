/* discuss.c: the disagreement walk of `goldset calibrate discuss`
 * (tui/discuss.h): what it draws of a discuss session (session.h: the
 * disagreements, the agreed value, cause and note, the consensus rows),
 * besides the frame every session screen shares (sessionview.c).
 *
 * Like resolving merge conflicts: one item at a time, the item above (or
 * beside) and its conflicts below, every criterion the raters disagree on:
 * the focused one in full (each rater's value with its anchor and comment,
 * shown as "rater 1", "rater 2" unless --names, then two rows of choices,
 * the agreed value and the cause, and a note), the others one row each
 * (each rater's value, the agreed one). a / b take rater 1's / 2's value
 * for the focused criterion, A / B for every open one of the item. Item
 * text goes through itemview.c, everything else through tui_text. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/discuss.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/itemview.h"
#include "tui/panel.h"
#include "tui/sessionview.h"
#include "tui/widgets.h"
#include "base/util.h"

#define META_ROWS 12      /* body rows needed before the meta line is shown */
#define NCAUSE ((int)ARRAY_LEN(discuss_causes))

struct dsc {
	struct sv v;                  /* the session (slots[0] the agreed value, slots[1] the cause), the item's document */
	const struct discuss_opts *o;
	const struct ratings *t;
};

static const struct ratings_unit *unit(const struct dsc *D) { return &D->t->u[D->o->p[D->v.S->at].u]; }
static size_t slot(const struct dsc *D) { return D->o->p[D->v.S->at].slot; }

static char *rater_name(const struct dsc *D, size_t r)
{
	return D->o->names ? xstrdup(D->t->raters[r]) : xasprintf("rater %zu", r + 1);
}

/* ---- the item ---- */

static void build_doc(void *st)
{
	struct dsc *D = st;
	const struct ratings_unit *u = unit(D);
	const char *sys[2] = {u->sys[0], u->sys[1]};
	idoc_clear(D->v.doc);
	itemview_judged(D->v.doc, D->v.S->cur.ok ? &D->v.S->cur.it : NULL, *u->pair_key ? sys : NULL, 2, D->v.show_ref);
}

/* ---- keys ---- */

static const struct tui_key help_keys[] = {
	{"a  b", "take rater 1's / 2's value for the focused criterion"},
	{"A  B", "take rater 1's / 2's value for every open criterion here"},
	{"1-9", "agreed value (first row), then the cause (second row)"},
	{"Tab  Shift-Tab", "next / previous choice: value, cause, next criterion"},
	{"Backspace", "clear the focused choice"},
	{"Enter", "record the agreed value, cause and note; go to the next open one"},
	{"c", "a note: what was unclear, what the rubric should say"},
	{"u", "withdraw the value recorded for this disagreement"},
	{"n  p", "next / previous item (its disagreements together)"},
	{"r", "show / hide the reference answer"},
	IDOC_HELP,
};

static const struct tui_key hints[] = {
	{"?", "keys"}, {"a/b", "take rater 1/2"}, {"A/B", "whole item"}, {"1-9", "choose"}, {"Tab", "next"},
	{"Enter", "record"}, {"c", "note"}, {"n/p", "item"}, {"q", "quit"},
};

/* ---- drawing: the conflict panel ---- */

/* The panel is a flow of rows (panel.h): the question, each rater's anchor
 * and comment and every option wrapped; when that does not fit, without
 * blank lines, then without the raters' anchors (the options list them),
 * then compact: the choices as a row of keys, the least important rows
 * left out first (prio). A text is wrapped, never cut; the choices (the
 * focused block) stay in view. */

static const char *anchor_of(const struct dsc *D, int v)
{
	struct slot_info si;
	rubric_slot_info(D->t->r, slot(D), &si);
	if (si.crit->type != CRIT_SCALE || !si.crit->anchors || v < 0) return NULL;
	return si.crit->anchors[v];
}

static void question(const struct dsc *D, struct flow *f)
{
	struct slot_info si;
	size_t lo, n;
	rubric_slot_info(D->t->r, slot(D), &si);
	session_discuss_item(D->v.S, &lo, &n);
	int prio = n > 1 ? 0 : 1;   /* which of the item's criteria is focused */
	if (f->compact && *si.crit->question) {   /* the name starts the question's paragraph */
		char *s = xasprintf("%s  %s", si.name, si.crit->question);
		int y = fl_para(f, prio, 0, TUI_NORMAL, s);
		if (y >= 0) tui_text(y, f->x, f->w, TUI_KEY, si.name);
		free(s);
		return;
	}
	int y = fl_row(f, prio);
	if (y >= 0) tui_text(y, f->x, f->w, TUI_KEY, si.name);
	if (*si.crit->question) fl_para(f, 0, 0, TUI_NORMAL, si.crit->question);
}

static void rater(const struct dsc *D, struct flow *f, size_t r)
{
	int v = ratings_val(D->t, unit(D), r, slot(D));
	const char *a = anchor_of(D, v), *c = unit(D)->note[r];
	char *name = rater_name(D, r), buf[32];
	int y = fl_row(f, 0);
	if (y >= 0) {
		int col = 2 + tui_text(y, f->x + 2, f->w - 2, TUI_KEY, name);
		col = col < 12 ? 12 : col + 1;
		tui_text(y, f->x + col, f->w - col, v < 0 ? TUI_DIM : TUI_GOOD,
			 v < 0 ? "(no value)" : ratings_value_text(D->t, unit(D), slot(D), v, buf));
	}
	if (a && !f->anchors_once) fl_para(f, 1, 6, TUI_DIM, a);
	if (c) {
		char *q = xasprintf("\"%s\"", c);
		fl_para(f, 3, 6, TUI_NORMAL, q);
		free(q);
	}
	free(name);
}

/* a row of numbered choices, the chosen one highlighted; when they do not
 * all fit, the keys alone and then the chosen one's text */
static void chips(int y, int x, int w, char **opts, int n, int chosen, int key_only)
{
	int need = 0, col = 0;
	for (int k = 0; k < n; k++) need += 1 + (k >= 9) + 1 + (key_only ? 0 : 1 + tui_text_width(opts[k]));
	if (need > w) key_only = 1;
	for (int k = 0; k < n && col < w; k++) {
		char key[16];
		snprintf(key, sizeof key, "%d", k + 1);
		if (key_only) {
			col += 1 + tui_text(y, x + col + 1, w - col - 1, k == chosen ? TUI_SELECTED : TUI_KEY, key);
			continue;
		}
		col += 1 + tui_text(y, x + col + 1, w - col - 1, TUI_KEY, key);
		col += 1 + tui_text(y, x + col + 1, w - col - 1, k == chosen ? TUI_SELECTED : TUI_NORMAL, opts[k]);
	}
	if (key_only && need > w && chosen >= 0 && col + 2 < w) tui_text(y, x + col + 2, w - col - 2, TUI_GOOD, opts[chosen]);
}

static int field_head(struct flow *f, const char *label, int focused, int prio)
{
	int y = fl_row(f, focused ? 0 : prio);
	if (y < 0) return -1;
	int col = tui_text(y, f->x, f->w, TUI_KEY, focused ? "> " : "  ");
	col += tui_text(y, f->x + col, f->w - col, focused ? TUI_SELECTED : TUI_KEY, label);
	return col + 1;
}

static char *option_text(const struct dsc *D, int k)
{
	struct slot_info si;
	char buf[32];
	rubric_slot_info(D->t->r, slot(D), &si);
	const char *v = ratings_value_text(D->t, unit(D), slot(D), k, buf), *a = anchor_of(D, k);
	if (si.crit->type == CRIT_SCALE && si.crit->min == 1) return xstrdup(a ? a : "");
	return a ? xasprintf("= %s: %s", v, a) : xstrdup(v);
}

/* the options, each wrapped, key at the left */
static void option_rows(const struct dsc *D, struct flow *f, char **text, int n, int chosen)
{
	for (int k = 0; k < n; k++) {
		long l0 = f->line;
		fl_para(f, 0, 5, k == chosen ? TUI_SELECTED : TUI_NORMAL, *text[k] ? text[k] : " ");
		int ky = fl_at(f, l0);
		if (ky >= 0) tui_textf(ky, f->x + 2, 3, TUI_KEY, "%d", k + 1);
	}
	(void)D;
}

static void agreed(const struct dsc *D, struct flow *f)
{
	struct slot_info si;
	rubric_slot_info(D->t->r, slot(D), &si);
	int n = si.nopts, x = field_head(f, "agreed", (int)D->v.S->focus == 0, 0);
	char **text = xcalloc((size_t)n + 1, sizeof *text);
	char buf[32];
	if (f->compact || !f->draw || x >= 0) {
		for (int k = 0; k < n; k++)
			text[k] = f->compact ? xstrdup(ratings_value_text(D->t, unit(D), slot(D), k, buf)) : option_text(D, k);
	}
	int key_only = si.crit->type == CRIT_SCALE && si.crit->min == 1;
	if (f->compact && x >= 0) chips(f->y + (int)f->line - 1, f->x + x, f->w - x, text, n, D->v.S->slots[0], key_only);
	if (!f->compact) option_rows(D, f, text, n, D->v.S->slots[0]);
	strv_free(text);
}

static void cause(const struct dsc *D, struct flow *f)
{
	int x = field_head(f, "cause ", (int)D->v.S->focus == 1, 2);
	if (f->compact) {
		if (x >= 0) chips(f->y + (int)f->line - 1, f->x + x, f->w - x, (char **)discuss_causes, NCAUSE, D->v.S->slots[1], 0);
		return;
	}
	option_rows(D, f, (char **)discuss_causes, NCAUSE, D->v.S->slots[1]);
}

static void note(const struct dsc *D, struct flow *f)
{
	const char *text = D->v.S->note ? D->v.S->note : f->compact ? "(c adds one)" : "(c: what was unclear, what the rubric should say)";
	enum tui_style st = D->v.S->note ? TUI_NORMAL : TUI_DIM;
	if (f->compact) {
		int y = fl_row(f, 3);
		if (y >= 0) tui_text(y, f->x + tui_text(y, f->x, f->w, TUI_KEY, "  note  "), f->w - 8, st, text);
		return;
	}
	long l0 = f->line;
	fl_para(f, 3, 8, st, text);
	int ky = fl_at(f, l0);
	if (ky >= 0 && 3 <= f->maxprio) tui_text(ky, f->x, 8, TUI_KEY, "  note  ");
}

/* another disagreement of the item, one row: "  name  rater 1 X  rater 2 Y  = Z" */
static void other_point(const struct dsc *D, struct flow *f, size_t i)
{
	const struct ratings_unit *u = &D->t->u[D->o->p[i].u];
	size_t sl = D->o->p[i].slot;
	struct slot_info si;
	char buf[32];
	int y = fl_row(f, 0), v = D->v.S->dout[i].value;
	if (y < 0) return;
	rubric_slot_info(D->t->r, sl, &si);
	int col = 2 + tui_text(y, f->x + 2, f->w - 2, TUI_KEY, si.name);
	for (size_t r = 0; r < D->t->nraters && col + 2 < f->w; r++) {
		int rv = ratings_val(D->t, u, r, sl);
		col += 2 + tui_textf(y, f->x + col + 2, f->w - col - 2, TUI_DIM, "%s %s", r == 0 ? "a" : r == 1 ? "b" : "-",
				     rv < 0 ? "-" : ratings_value_text(D->t, u, sl, rv, buf));
	}
	if (v >= 0 && col + 2 < f->w)
		tui_textf(y, f->x + col + 2, f->w - col - 2, TUI_GOOD, "= %s", ratings_value_text(D->t, u, sl, v, buf));
}

/* the focused disagreement in full */
static void focused_point(const struct dsc *D, struct flow *f)
{
	f->fa = f->line;
	question(D, f);
	fl_blank(f);
	for (size_t r = 0; r < D->t->nraters; r++) rater(D, f, r);
	fl_blank(f);
	f->fa = f->line;
	agreed(D, f);
	fl_blank(f);
	cause(D, f);
	f->fb = f->line;
	fl_blank(f);
	note(D, f);
	f->fb = f->line;
}

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct dsc *D = ctx;
	size_t lo, n;
	session_discuss_item(D->v.S, &lo, &n);
	for (size_t i = lo; i < lo + n; i++) {
		if (i != D->v.S->at) other_point(D, f, i);
		else if (n > 1 && i > lo) fl_blank(f);
		if (i == D->v.S->at) focused_point(D, f);
		if (i == D->v.S->at && n > 1 && i + 1 < lo + n) fl_blank(f);
	}
}

/* narrow: the fullest level that leaves six rows of the item, else
 * compact; three rows of the item kept while the conflict fits in the rest */
static int panel_rows(const void *st, int cols, int h, int *item_min)
{
	struct flow m;
	long n = 0;
	for (int level = 0; level <= PANEL_COMPACT; level++)
		if ((n = panel_measure(panel_flow, st, cols, level, 3, &m)) <= h - 6) break;
	*item_min = 0;
	return n > h - 3 ? (h - 3 >= 4 ? h - 3 : h) : (int)n;
}

/* ---- drawing: the screen ---- */

static char *heading(const void *st)
{
	const struct dsc *D = st;
	return xasprintf("goldset calibrate discuss  %s  %s v%d", D->o->batch, D->t->r->name, D->t->r->version);
}

static void draw_info(const void *st, int y, int cols)
{
	const struct dsc *D = st;
	int lw = sv_progress(D->v.S, y, cols, "settled ", 0), col = 0;
	col += tui_text(y, 0, lw, TUI_KEY, unit(D)->ext_id);
	const struct discuss_outcome *o = &D->v.S->dout[D->v.S->at];
	long long k, items;
	session_discuss_item_pos(D->v.S, &k, &items);
	if (col + 1 < lw) col += 1 + tui_textf(y, col + 1, lw - col - 1, TUI_DIM, "item %lld/%lld", k, items);
	if (col < lw && session_dirty(D->v.S)) tui_text(y, col, lw - col, TUI_WARN, " not recorded");
	else if (col < lw && o->value >= 0) tui_text(y, col, lw - col, TUI_GOOD, " agreed");
}

/* a b: a rater's value for the focused criterion; A B: for the whole item */
static int discuss_key(void *st, int key, int code, int *rc)
{
	struct dsc *D = st;
	*rc = TUI_CONTINUE;
	if (code || !((key >= 'a' && key <= 'b') || (key >= 'A' && key <= 'B'))) return 0;
	int whole = key <= 'B';
	session_discuss_accept(D->v.S, (size_t)(key - (whole ? 'A' : 'a')), whole);
	return 1;
}

/* ---- set-up ---- */

static const struct sv_ops ops = {
	.rebuild = build_doc, .heading = heading, .unit = "disagreement", .info = draw_info, .info_rows = 10, .meta_rows = META_ROWS,
	.panel = panel_flow, .panel_rows = panel_rows, .key = discuss_key, .hints = hints, .nhints = ARRAY_LEN(hints),
	.help_title = "goldset calibrate discuss: keys", .help = help_keys, .nhelp = ARRAY_LEN(help_keys),
	.quit_help = "quit (every recorded value is already on disk)", .idle = "? shows the keys",
};

int discuss_screen(const struct discuss_opts *o, struct discuss_outcome *out, struct gs_err *e)
{
	struct dsc D = {.v = {.st = &D, .ops = &ops}, .o = o, .t = o->t};
	if (!o->n) return 0;
	int rc = sv_screen(&D.v, session_open_discuss(o, out, &D.v.S, e), "discuss needs a terminal (stdin and stdout must be a tty)",
			   e);
	session_close(D.v.S);
	return rc;
}
