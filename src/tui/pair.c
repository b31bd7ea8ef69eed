/* pair.c: the pairwise comparison screen (tui/pair.h, HACKING
 * "Screens"): what it draws of a pair session (session.h: the design, the
 * sides, saves, undo and marks) and its own keys (a/b/t, d, i, scrolling
 * the outputs), besides the frame every session screen shares
 * (sessionview.c).
 *
 * The screen holds the input's document (the sv's), the two outputs
 * wrapped in panes that scroll together, and the `d` highlight: the words
 * of one output that the other lacks (worddiff.c on the wrapped cells). System names never
 * reach the screen: outputs are "A" and "B", messages name the item only.
 * Item text is drawn through itemview.c and text.c cells. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/pair.h"

#include <curses.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "tui/itemview.h"
#include "tui/panel.h"
#include "tui/sessionview.h"
#include "base/text.h"
#include "tui/widgets.h"
#include "base/util.h"
#include "base/worddiff.h"

#define DIFF_MAX_BYTES (256 * 1024)     /* longer outputs are not diffed word by word */
#define BAR_MIN_W 8                     /* narrower panes get no scroll bar */

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

struct pr {
	struct sv v;              /* the session; the input's document */
	const struct pair_opts *o;
	struct pane pa, pb;
	size_t top;               /* the first line of both panes */
	long page;
	int show_diff, input_focus, diff_partial;
	int input_pinned;         /* keep the input's end in view (a chat, until scrolled) */
};

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
	size_t lines = pane_lines(p), k = 0;
	int w = text_wrap_width(p->wrap);
	GArray *all = g_array_sized_new(FALSE, FALSE, sizeof(struct text_cell), 256);
	free(p->cell0);
	p->cell0 = xmalloc((lines + 1) * sizeof *p->cell0);
	for (size_t i = 0; i < lines; i++) {
		g_array_set_size(all, (guint)(k + (size_t)w + 1));   /* room for a blank and a line */
		struct text_cell *c = (struct text_cell *)(void *)all->data;
		if (i && word_break(p, i)) c[k++] = (struct text_cell){.cp = {' '}, .width = 1};
		p->cell0[i] = k;
		k += (size_t)text_wrap_line(p->wrap, i, c + k);
	}
	p->cell0[lines] = k;
	*n = k;
	return (struct text_cell *)(void *)g_array_free(all, FALSE);
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
	if (p->bar) tui_scrollbar(y, x + w - 1, h, top, lines);
}

/* ---- the comparison shown ---- */

static void build_input(void *st)
{
	struct pr *P = st;
	size_t top = idoc_top(P->v.doc);
	idoc_clear(P->v.doc);
	itemview_input(P->v.doc, &P->v.S->cur.it);
	if (P->v.show_ref && P->v.S->cur.it.reference) idoc_add(P->v.doc, "REFERENCE", TUI_GOOD, P->v.S->cur.it.reference);
	idoc_set_top(P->v.doc, top);
}

/* another item: its input from the top; another comparison: its panes */
static void shown(void *st, int new_item)
{
	struct pr *P = st;
	const struct lsession *S = P->v.S;
	if (new_item) {
		P->input_focus = 0;
		P->input_pinned = S->have && S->cur.it.nturns > 1;   /* a chat: the last turn is the one answered */
	}
	pane_set(&P->pa, session_text_a(S));
	pane_set(&P->pb, session_text_b(S));
	P->top = 0;
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
	{"PgDn PgUp  Home End", "scroll a page; top / bottom of the outputs"},
	{"i", "read the input: a bigger input pane that j/k scroll (i again: back)"},
	{"r", "show / hide the reference answer below the input"},
	{"c", "comment on this comparison"},
	{"f", "flag this item for review (again: unflag)"},
	{"s", "skip this comparison, with an optional reason"},
};

static const struct tui_key hints_cmp[] = {
	{"?", "keys"}, {"a/b/t", "A/B/tie"}, {"Enter", "save"}, {"d", "diff"}, {"n/p", "move"},
	{"u", "undo"}, {"i", "input"}, {"q", "quit"},
};

static void toggle_diff(struct pr *P)
{
	P->show_diff = !P->show_diff;
	if (P->show_diff && (P->pa.n > DIFF_MAX_BYTES || P->pb.n > DIFF_MAX_BYTES)) {
		P->show_diff = 0;
		session_say(P->v.S, SESSION_WARN, "these outputs are too long to compare word by word");
		return;
	}
	session_say(P->v.S, SESSION_DIM, P->show_diff ? "words only in A or only in B are highlighted (d turns it off)"
				     : "difference highlight off");
}

/* j/k and the page keys: both outputs together, or the input with i */
static int scroll_key(struct pr *P, int key, int code)
{
	if (P->input_focus) {
		int hit = idoc_key(P->v.doc, key, code);
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

/* the keys the session's left but r: scrolling, a/b/t, d, i */
static int pair_key(void *st, int key, int code, int *rc)
{
	struct pr *P = st;
	*rc = TUI_CONTINUE;
	if (scroll_key(P, key, code)) return 1;
	if (code) return 0;
	if (key == 'a' || key == 'b' || key == 't') session_prefer(P->v.S, key == 'a' ? 0 : key == 'b' ? 1 : 2);
	else if (key == 'd') toggle_diff(P);
	else if (key == 'i') {
		P->input_focus = !P->input_focus;
		session_say(P->v.S, SESSION_DIM, P->input_focus ? "reading the input: j/k scroll it, i goes back to the outputs"
							       : "j/k scroll the outputs");
	} else return 0;
	return 1;
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
	idoc_draw(P->v.doc, y, 0, cap, cols);
	size_t lines = idoc_lines(P->v.doc);
	int h = lines < (size_t)cap ? (int)lines : cap;
	if (P->input_pinned) {
		idoc_draw(P->v.doc, y, 0, h, cols);
		idoc_end(P->v.doc);
	}
	if (h == 1 && idoc_top(P->v.doc) == 0 && lines > 1) {
		idoc_set_top(P->v.doc, 1);
		idoc_draw(P->v.doc, y, 0, 1, cols);
		idoc_set_top(P->v.doc, 0);
	} else {
		idoc_draw(P->v.doc, y, 0, h, cols);
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

static int criteria_least(const struct pr *P, int cols);
static int criteria_rows(const struct pr *P, int cols, int most);

static void layout(struct pr *P, struct lay *L, int y, int h, int cols)
{
	memset(L, 0, sizeof *L);
	L->wide = cols >= PAIR_WIDE_COLS;
	L->rule_y = L->rule2_y = -1;
	int pane_min = L->wide ? 1 : 2;
	/* a third of the rows, or what the focused question needs */
	int most = imin(MAX(h / 3, criteria_least(P, cols)), h - pane_min - 1);
	L->cr_h = h >= pane_min + 1 && most > 0 ? criteria_rows(P, cols, most) : 0;
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

static void pane_header(struct pr *P, int y, int x, int w, const char *letter, const char *keys)
{
	tui_fill(y, x, w, TUI_NORMAL);
	int col = tui_textf(y, x, w, TUI_SELECTED, " %s ", letter);
	if (col + 2 < w) col += tui_textf(y, x + col, w - col, TUI_DIM, "  %s if %s is better", keys, letter);
	if (P->show_diff && col + 2 < w)
		tui_text(y, x + col, w - col, TUI_DIM, P->diff_partial ? "  (too long: only its ends compared)"
									: "  (highlight: words the other lacks)");
	if (!P->show_diff) tui_hline(y, x + col + 1, w - col - 1);
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
	if (L->wide) tui_vline(L->ha_y >= 0 ? L->ha_y : L->a_y, (tui_cols() - 1) / 2, L->a_h + (L->ha_y >= 0));
	if (L->gutter) {
		for (int r = 0; r < L->a_h; r++) tui_fill(L->a_y + r, L->a_x - 2, 2, TUI_NORMAL);
		for (int r = 0; r < L->b_h; r++) tui_fill(L->b_y + r, L->b_x - 2, 2, TUI_NORMAL);
		if (L->a_h > 0) tui_text(L->a_y, L->a_x - 2, 1, TUI_SELECTED, "A");
		if (L->b_h > 0) tui_text(L->b_y, L->b_x - 2, 1, TUI_SELECTED, "B");
	}
}

/* the question of a slot (a checklist item's text for its slots) */
static const char *slot_question(const struct slot_info *si)
{
	return si->sub >= 0 ? si->crit->options[si->sub] : si->crit->question;
}

/* "> helpful  A  Which reply is more helpful?": the question on the row
 * when it fits there; else, for the focused slot, wrapped below it (never
 * cut), and left out for the others */
static void crit_row(const struct pr *P, struct flow *f, size_t slot)
{
	struct slot_info si;
	char vb[32];
	rubric_slot_info(P->v.S->r, slot, &si);
	int focused = slot == P->v.S->focus, v = P->v.S->slots[slot];
	const char *val = v < 0 ? "-" : rubric_value_text(P->v.S->r, slot, v, vb), *q = slot_question(&si);
	int used = 2 + tui_text_width(si.name) + 2 + tui_text_width(val) + 2;
	int inline_q = q && *q && used + tui_text_width(q) <= f->w;
	int y = fl_row(f, focused ? 0 : 1);
	if (y >= 0) {
		int col = 0;
		tui_fill(y, f->x, f->w, TUI_NORMAL);
		col += tui_text(y, f->x, f->w, TUI_KEY, focused ? "> " : "  ");
		col += tui_text(y, f->x + col, f->w - col, focused ? TUI_SELECTED : TUI_KEY, si.name) + 2;
		if (col < f->w) col += tui_text(y, f->x + col, f->w - col, v < 0 ? TUI_DIM : TUI_GOOD, val) + 2;
		if (inline_q && col < f->w) tui_text(y, f->x + col, f->w - col, TUI_DIM, q);
	}
	if (focused && q && *q && !inline_q) fl_para(f, 0, 4, TUI_DIM, q);
}

/* the keys of the focused criterion */
static void option_hints(const struct pr *P, int y, int x, int w)
{
	struct slot_info si;
	rubric_slot_info(P->v.S->r, P->v.S->focus, &si);
	if (si.crit->type == CRIT_PREFERENCE) {   /* short words where the long ones do not fit */
		static const struct tui_key k[] = {{"a/1", "A is better"}, {"b/2", "B is better"}, {"t/3", "tie"}};
		static const struct tui_key ks[] = {{"a/1", "A"}, {"b/2", "B"}, {"t/3", "tie"}};
		tui_hints(y, x, w, w >= 41 ? k : ks, ARRAY_LEN(k));
		return;
	}
	struct tui_key k[9];
	char keys[9][12], vals[9][32];
	int n = si.nopts < 9 ? si.nopts : 9;
	for (int i = 0; i < n; i++) {
		snprintf(keys[i], sizeof keys[i], "%d", i + 1);
		k[i] = (struct tui_key){keys[i], rubric_value_text(P->v.S->r, P->v.S->focus, i, vals[i])};
	}
	tui_hints(y, x, w, k, (size_t)n);
}

/* the criteria panel: a row per slot (the unfocused rows are the first left
 * out when rows are short), the focused one's question and keys, then the
 * instructions */
static void criteria_flow(const void *ctx, struct flow *f)
{
	const struct pr *P = ctx;
	for (size_t slot = 0; slot < P->v.S->nslots; slot++) {
		int focused = slot == P->v.S->focus;
		if (focused) f->fa = f->line;
		crit_row(P, f, slot);
		if (!focused) continue;
		int y = fl_row(f, 0);
		if (y >= 0) {
			tui_fill(y, f->x, f->w, TUI_NORMAL);
			option_hints(P, y, f->x + 2, f->w - 2);
		}
		f->fb = f->line;
	}
	if (*P->v.S->r->instructions) fl_para(f, 2, 2, TUI_DIM, P->v.S->r->instructions);
}

/* the rows the criteria need at least at width cols: the focused slot,
 * its question and keys */
static int criteria_least(const struct pr *P, int cols)
{
	struct flow m;
	return (int)panel_measure(criteria_flow, P, cols, PANEL_COMPACT, 0, &m);
}

/* the rows the criteria take at width cols in at most `most` rows: what
 * fits whole (a paragraph that does not is left out, not cut) */
static int criteria_rows(const struct pr *P, int cols, int most)
{
	struct flow m;
	panel_fit(criteria_flow, P, cols, most, &m);
	return (int)(m.line < most ? m.line : most);
}

static void draw_criteria(struct pr *P, int y, int h, int cols)
{
	if (h <= 0) return;
	struct flow m;
	panel_fit(criteria_flow, P, cols, h, &m);
	panel_draw(criteria_flow, P, &m, y, 0, h);
}

static char *heading(const void *st)
{
	const struct pr *P = st;
	return sv_heading(P->v.S, "pair", P->o->set, P->o->both_orders ? "  both orders" : NULL);
}

static void draw_info(const void *st, int y, int cols)
{
	const struct pr *P = st;
	int lw = sv_progress(P->v.S, y, cols, "compared ", 2), col = 0;
	if (!P->v.S->have) return;
	col += tui_text(y, 0, lw, TUI_KEY, P->v.S->cur.row.ext_id);
	if (col < lw) col += sv_marks(P->v.S, y, col, lw - col, P->show_diff ? " +diff" : NULL);
	sv_clock(P->v.S, y, col, lw);
}

static void draw_done(const void *st, int y, int h, int cols)
{
	const struct pr *P = st;
	const struct lsession *S = P->v.S;
	long long done, total;
	char a[200], b[200] = "";
	session_progress(S, &done, &total);
	snprintf(a, sizeof a, "%lld of %lld comparison%s done under %s v%d.", done, total, gs_s(total), S->r->name, S->r->version);
	if (P->o->both_orders && S->pn.both_ways)
		snprintf(b, sizeof b, "Shown both ways round: %lld; see goldset rank for how often the choice changed.",
			 S->pn.both_ways);
	const char *lines[] = {"Nothing left to compare here.", "", a, b, "n / p browse the comparisons, q quits."};
	sv_center(y, h, cols, lines, ARRAY_LEN(lines));
}

static void draw_body(void *st, int y, int h, int cols)
{
	struct pr *P = st;
	struct lay L;
	layout(P, &L, y, h, cols);
	if (L.rule_y >= 0) tui_hline(L.rule_y, 0, cols);
	if (L.rule2_y >= 0) tui_hline(L.rule2_y, 0, cols);
	draw_panes(P, &L);
	draw_criteria(P, L.cr_y, L.cr_h, cols);
}

/* ---- set-up ---- */

static const struct sv_ops ops = {
	.rebuild = build_input, .shown = shown, .heading = heading, .info = draw_info, .info_rows = 2,
	.body = draw_body, .done = draw_done, .hints = hints_cmp, .nhints = ARRAY_LEN(hints_cmp), .key = pair_key,
	.ref_shown = "reference shown below the input (r hides it; i to read it all)", .help_title = "goldset pair: keys",
	.help = help_keys, .nhelp = ARRAY_LEN(help_keys), .quit_help = "quit (every save is already on disk)",
	.idle = "nothing left to compare here: n/p browse, q quits",
};

int pair_screen(const struct pair_opts *o, struct pair_result *res, struct gs_err *e)
{
	struct pr P = {.v = {.st = &P, .ops = &ops}, .o = o};
	int rc = sv_screen(&P.v, session_open_pair(o, &P.v.S, e), "pair needs a terminal (stdin and stdout must be a tty)", e);
	memset(res, 0, sizeof *res);
	if (P.v.S) session_pair_result(P.v.S, res);
	pane_free(&P.pa);
	pane_free(&P.pb);
	session_close(P.v.S);
	return rc;
}
