/* discuss.c: the disagreement walk of `goldset calibrate discuss`
 * (tui/discuss.h): what it draws of a discuss session (session.h: the
 * disagreements, the agreed value, cause and note, the consensus rows),
 * besides the frame every session screen shares (sessionview.c).
 *
 * Like resolving merge conflicts: one disagreement (an item and one
 * criterion) at a time, the item above (or beside) and the conflict below:
 * each rater's value with its anchor and comment, shown as "rater 1",
 * "rater 2" unless --names, then two rows of choices, the agreed value and
 * the cause, and a note. Item text goes through itemview.c, everything
 * else through tui_text. */
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
	{"1-9", "agreed value (first row), then the cause (second row)"},
	{"Tab  Shift-Tab", "move between the value and the cause (also Right / Left)"},
	{"Backspace", "clear the focused choice"},
	{"Enter", "record the agreed value, cause and note; go to the next open one"},
	{"c", "a note: what was unclear, what the rubric should say"},
	{"u", "withdraw the value recorded for this disagreement"},
	{"n  p", "next / previous disagreement"},
	{"r", "show / hide the reference answer"},
	IDOC_HELP,
};

static const struct tui_key hints[] = {
	{"?", "keys"}, {"1-9", "choose"}, {"Tab", "value/cause"}, {"Enter", "record"}, {"c", "note"},
	{"n/p", "move"}, {"q", "quit"},
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
	rubric_slot_info(D->t->r, slot(D), &si);
	if (f->compact && *si.crit->question) {   /* the name starts the question's paragraph */
		char *s = xasprintf("%s  %s", si.name, si.crit->question);
		int y = fl_para(f, 1, 0, TUI_NORMAL, s);
		if (y >= 0) tui_text(y, f->x, f->w, TUI_KEY, si.name);
		free(s);
		return;
	}
	int y = fl_row(f, 1);
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

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct dsc *D = ctx;
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
	if (col < lw && session_dirty(D->v.S)) tui_text(y, col, lw - col, TUI_WARN, " not recorded");
	else if (col < lw && o->value >= 0) tui_text(y, col, lw - col, TUI_GOOD, " agreed");
}

/* ---- set-up ---- */

static const struct sv_ops ops = {
	.rebuild = build_doc, .heading = heading, .unit = "disagreement", .info = draw_info, .info_rows = 10, .meta_rows = META_ROWS,
	.panel = panel_flow, .panel_rows = panel_rows, .hints = hints, .nhints = ARRAY_LEN(hints),
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
