/* label.c: the labeling screen (tui/label.h, HACKING "Screens"): what
 * it draws of a label session (session.h: the queue, saves, undo, marks)
 * besides the frame every session screen shares (sessionview.c: title,
 * info and status rows, the session's keys, the item's document): the
 * item's text and the rubric panel beside or below it, the info row, the
 * "all done" view. Rubric text and messages go through tui_text; nothing
 * here writes bytes to the terminal itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/label.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/itemview.h"
#include "tui/panel.h"
#include "tui/sessionview.h"
#include "tui/widgets.h"
#include "base/util.h"

#define WIDE_COLS 90      /* from here the rubric sits beside the item */
#define META_ROWS 10      /* body rows needed before the meta line is shown */
#define ITEM_MIN_ROWS 4   /* rows of the item left when the rubric panel grows to wrap its text */
#define ITEM_MIN_SMALL 16 /* below this many body rows the item keeps only one */

struct lbl {
	struct sv v;              /* the session, the item's document */
	const struct label_opts *o;
};

/* ---- the item shown ---- */

static void build_view(void *st)
{
	struct lbl *L = st;
	size_t top = idoc_top(L->v.doc);
	idoc_clear(L->v.doc);
	if (L->v.S->have) itemview_single(L->v.doc, session_label_item(L->v.S), L->v.show_ref);
	idoc_set_top(L->v.doc, top);
}

/* ---- keys ---- */

static const struct tui_key help_keys[] = {
	{"1-9", "pick the n-th option of the focused criterion, then move on"},
	{"1-9 checklist", "tick / untick the n-th item; Enter: the rest unticked"},
	{"y  n", "yes/no criterion: its 2nd / 1st label (yes / no)"},
	{"Tab  Shift-Tab", "next / previous criterion (also Right / Left)"},
	{"Backspace", "clear the focused answer (a checklist: all of it)"},
	{"Enter", "save (once every criterion has an answer), show the next item"},
	{"u", "undo the last save"},
	{"n  p", "next / previous item (n on a yes/no criterion: no)"},
	{"> <", "next / previous item, always"},
	{"", "unsaved answers stay as a draft; q lists the drafts"},
	{"c", "comment on this item"},
	{"f", "flag this item for review (again: unflag)"},
	{"s", "skip this item, with an optional reason"},
	{"r", "show / hide the reference answer"},
	IDOC_HELP,
	{"Home End", "top / bottom of the item"},
};

static const struct tui_key hints_item[] = {
	{"?", "keys"}, {"1-9", "answer"}, {"Tab", "next"}, {"Enter", "save"},
	{"</>", "move"}, {"u", "undo"}, {"r", "reference"}, {"q", "quit"},
};

/* ---- drawing: the rubric panel ---- */

static const char *type_hint(const struct criterion *c, char buf[64])
{
	if (c->type == CRIT_SCALE) snprintf(buf, 64, "(%d-%d)", c->min, c->max);
	else if (c->type == CRIT_CHECKLIST) snprintf(buf, 64, "(tick 1-%zu, Enter: rest no)", c->noptions);
	else if (c->type == CRIT_BINARY) snprintf(buf, 64, "(%s/%s: 1/2 or n/y)", c->options[0], c->options[1]);
	else if (c->noptions == 2) snprintf(buf, 64, "(%s/%s)", c->options[0], c->options[1]);
	else snprintf(buf, 64, "(%zu options)", c->noptions);
	return buf;
}

/* "> id  value  (hint)" */
static void crit_row(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot, int focused)
{
	int y = fl_row(f, 0);
	if (y < 0) return;
	char buf[64], vb[32];
	int x = f->x, w = f->w, col = 0;
	col += tui_text(y, x, w, TUI_KEY, focused ? "> " : "  ");
	col += tui_text(y, x + col, w - col, focused ? TUI_SELECTED : TUI_KEY, c->id);
	if (c->type != CRIT_CHECKLIST) {
		int v = L->v.S->slots[slot];
		col += 2;
		col += tui_text(y, x + col, w - col, v < 0 ? TUI_DIM : TUI_GOOD, v < 0 ? "-" : rubric_value_text(L->v.S->r, slot, v, vb));
	}
	col += 2;
	if (col < w) tui_text(y, x + col, w - col, TUI_DIM, type_hint(c, buf));
}

/* one option of the focused criterion: its key, then its text */
static void option_row(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot, int k)
{
	char key[16], vb[32], *text;
	snprintf(key, sizeof key, "%d", k + 1);
	if (c->type == CRIT_SCALE) {
		const char *a = c->anchors ? c->anchors[k] : NULL;
		if (c->min == 1) text = xstrdup(a ? a : "");
		else text = a ? xasprintf("= %d: %s", c->min + k, a) : xasprintf("= %d", c->min + k);
	} else {
		text = xstrdup(rubric_value_text(L->v.S->r, slot, k, vb));
	}
	int y = fl_para(f, 0, 5, L->v.S->slots[slot] == k ? TUI_SELECTED : TUI_NORMAL, text);
	if (y >= 0) tui_text(y, f->x + 2, 2, TUI_KEY, key);
	free(text);
}

static void plain_crit(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot)
{
	int focused = L->v.S->focus == slot;
	if (focused) f->fa = f->line;
	crit_row(L, f, c, slot, focused);
	if (focused) {
		if (*c->question) fl_para(f, 0, 2, TUI_NORMAL, c->question);
		for (size_t k = 0; k < c->noptions; k++) option_row(L, f, c, slot, (int)k);
		f->fb = f->line;
	}
}

/* "  N yes item": its key when the checklist is focused, then its answer */
static void check_item(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot, size_t k, int focused)
{
	int v = L->v.S->slots[slot + k];
	int y = fl_para(f, 0, 8, v == 1 ? TUI_SELECTED : TUI_NORMAL, c->options[k]);
	if (y >= 0) {
		if (focused) tui_textf(y, f->x + 2, 2, TUI_KEY, "%zu", k + 1);
		tui_text(y, f->x + 4, 4, v < 0 ? TUI_DIM : TUI_GOOD, v < 0 ? "-" : v ? "yes" : "no");
	}
}

static void checklist_crit(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot)
{
	int focused = L->v.S->focus >= slot && L->v.S->focus < slot + c->noptions;
	if (focused) f->fa = f->line;
	crit_row(L, f, c, slot, focused);
	if (focused && *c->question) fl_para(f, 0, 2, TUI_NORMAL, c->question);
	for (size_t k = 0; k < c->noptions; k++) check_item(L, f, c, slot, k, focused);
	if (focused) {
		static const struct tui_key keys[] = {{"1-9", "tick / untick"}, {"Enter", "the rest: no"}};
		int y = fl_row(f, 0);
		if (y >= 0) tui_hints(y, f->x + 2, f->w - 2, keys, ARRAY_LEN(keys));
		f->fb = f->line;
	}
}

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct lbl *L = ctx;
	size_t slot = 0;
	for (size_t i = 0; i < L->v.S->r->ncrit; i++) {
		const struct criterion *c = &L->v.S->r->crit[i];
		if (c->type == CRIT_CHECKLIST) checklist_crit(L, f, c, slot);
		else plain_crit(L, f, c, slot);
		slot += c->type == CRIT_CHECKLIST ? c->noptions : 1;
	}
	if (*L->v.S->r->instructions && !f->compact) {
		fl_blank(f);
		int y = fl_row(f, 0);
		if (y >= 0) tui_text(y, f->x, f->w, TUI_KEY, "How to rate");
		fl_para(f, 0, 0, TUI_DIM, L->v.S->r->instructions);
	}
}

static long measure_panel(const struct lbl *L, int w, int compact, struct flow *m)
{
	return panel_measure(panel_flow, L, w, compact ? PANEL_COMPACT : 0, 0, m);
}

static void draw_panel(const struct lbl *L, int y, int x, int h, int w, int compact)
{
	struct flow m;
	measure_panel(L, w, compact, &m);
	panel_draw(panel_flow, L, &m, y, x, h);
}

/* ---- drawing: header, body, status ---- */

static char *heading(const void *st)
{
	const struct lbl *L = st;
	const struct label_opts *o = L->o;
	char *filter = o->meta_key ? xasprintf("  %s=%s", o->meta_key, o->meta_value) : NULL;
	char *h = sv_heading(L->v.S, "label", o->set, filter);
	free(filter);
	return h;
}

static void draw_info(const void *st, int y, int cols)
{
	const struct lbl *L = st;
	int lw = sv_progress(L->v.S, y, cols, "labeled ", 2), col = 0;
	if (!L->v.S->have) return;
	col += tui_text(y, 0, lw, TUI_KEY, L->v.S->cur.row.ext_id);
	if (col < lw) col += sv_marks(L->v.S, y, col, lw - col, L->v.show_ref ? " +reference" : NULL);
	col += sv_clock(L->v.S, y, col, lw);
	if (!idoc_at_end(L->v.doc) && col + 4 < lw) tui_text(y, col + 2, lw - col - 2, TUI_WARN, "more below: j PgDn");
}

/* narrow screens: every answer on one row ("answers 4 - yes"), the focused one marked */
static void draw_answers(const struct lbl *L, int y, int cols)
{
	int col = tui_text(y, 0, cols, TUI_DIM, "answers");
	for (size_t i = 0; i < L->v.S->nslots && col + 2 < cols; i++) {
		char vb[32];
		int v = L->v.S->slots[i];
		const char *t = v < 0 ? "-" : rubric_value_text(L->v.S->r, i, v, vb);
		col++;
		col += tui_text(y, col, cols - col, i == L->v.S->focus ? TUI_SELECTED : v < 0 ? TUI_DIM : TUI_GOOD, t);
	}
}

static void draw_body(void *st, int y, int h, int cols)
{
	const struct lbl *L = st;
	if (cols >= WIDE_COLS) {
		int pw = cols * 2 / 5;
		if (pw > 64) pw = 64;
		int iw = cols - pw - 1;
		idoc_draw(L->v.doc, y, 0, h, iw);
		tui_vline(y, iw, h);
		draw_panel(L, y, iw + 2, h, pw - 1, 0);
		return;
	}
	struct flow m;
	int ph = h / 2 > 0 ? h / 2 : 1, div = h >= 6, sum = ph >= 3;   /* sum: a row of all answers */
	long need = measure_panel(L, cols, 0, &m) + sum;
	int compact = m.fb - m.fa > ph - sum;   /* in full when the focused criterion fits */
	if (compact) {
		/* compact, its text wrapped all the same: the panel grows into the
		 * item (which scrolls) as far as the focused criterion needs,
		 * leaving the item ITEM_MIN_ROWS (one on a small screen) */
		need = measure_panel(L, cols, 1, &m) + sum;
		long want = m.fb - m.fa + sum, most = h - div - (h >= ITEM_MIN_SMALL ? ITEM_MIN_ROWS : 1);
		if (want > ph) ph = (int)(want < most ? want : most > ph ? most : ph);
	}
	if (need < ph) ph = (int)need;
	int ih = h - ph - div;
	if (ih < 1) {
		ih = h > 1 ? 1 : 0;
		ph = h - ih;
		div = sum = 0;
	}
	idoc_draw(L->v.doc, y, 0, ih, cols);
	if (div) tui_hline(y + ih, 0, cols);
	if (sum) draw_answers(L, y + h - ph, cols);
	draw_panel(L, y + h - ph + sum, 0, ph - sum, cols, compact);
}

static void draw_done(const void *st, int y, int h, int cols)
{
	const struct lsession *S = ((const struct lbl *)st)->v.S;
	char a[160], b[160];
	long long done, total;
	session_progress(S, &done, &total);
	snprintf(a, sizeof a, "%lld of %lld %s labeled under %s v%d.", done, total,
		 S->kind == SESSION_PAIR ? (total == 1 ? "output" : "outputs") : (total == 1 ? "item" : "items"),
		 S->r->name, S->r->version);
	snprintf(b, sizeof b, "%lld skipped: n / p browse the items, q quits.", S->qn.skipped);
	const char *lines[] = {"Nothing left to label here.", "", a, S->qn.skipped ? b : "n / p browse the items, q quits."};
	sv_center(y, h, cols, lines, ARRAY_LEN(lines));
}

/* ---- set-up ---- */

static const struct sv_ops ops = {
	.rebuild = build_view, .heading = heading, .unit = "item", .info = draw_info, .info_rows = 2, .meta_rows = META_ROWS,
	.body = draw_body, .done = draw_done, .hints = hints_item, .nhints = ARRAY_LEN(hints_item),
	.ref_shown = "reference shown at the end of the item (r hides it)", .help_title = "goldset label: keys",
	.help = help_keys, .nhelp = ARRAY_LEN(help_keys), .quit_help = "quit (every save is already on disk)",
	.idle = "nothing left to label here: n/p browse, q quits",
};

int label_screen(const struct label_opts *o, long *saved, struct gs_err *e)
{
	struct lbl L = {.v = {.st = &L, .ops = &ops}, .o = o};
	int rc = sv_screen(&L.v, session_open_label(o, &L.v.S, e), "label needs a terminal (stdin and stdout must be a tty)",
			   e);
	*saved = L.v.S ? L.v.S->saves : 0;
	session_close(L.v.S);
	return rc;
}
