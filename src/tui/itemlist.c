/* itemlist.c: the g and / prompts and the l list of the session screens
 * (tui/itemlist.h). The list takes the whole screen: a title with the
 * filters and the count, a header, one row per item (id, state, marks,
 * the rater's values; the item on screen starred), and a status row with
 * the keys; it scrolls to keep the selected row in view and fits any size
 * (columns narrow first, marks become letters). Ids, values and meta go
 * through tui_text, which escapes them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/itemlist.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define WORDS_COLS 70     /* from here marks are words, below letters */

/* ---- the prompts ---- */

static char *complete_id(void *ctx, const char *text, char note[64])
{
	size_t n;
	char *done = session_find_complete(ctx, text, &n);
	if (n != 1) snprintf(note, 64, n ? "%zu ids" : "no id starts so", n);
	return done;
}

int itemlist_goto(struct tui_screen *bg, struct session_find *f)
{
	char *text;
	int wide = tui_cols() >= 60;
	int rc = tui_prompt_complete(bg, wide ? "Go to id (Tab completes, Esc cancels):" : "Go to id:", NULL, complete_id,
				     f, &text);
	if (rc == 1) session_goto(f, text);
	free(text);
	return rc == TUI_LOST ? rc : TUI_CONTINUE;
}

int itemlist_search(struct tui_screen *bg, struct session_find *f, int again)
{
	char *text = NULL;
	int rc = 1;
	if (!again) rc = tui_prompt(bg, tui_cols() >= 60 ? "Search (Enter alone: next match):" : "Search:", NULL, &text);
	if (rc == 1) session_search(f, text);
	free(text);
	return rc == TUI_LOST ? rc : TUI_CONTINUE;
}

/* ---- the list ---- */

struct ilist {
	struct session_find *f;
	struct find_list l;
	const char *title;
	size_t sel, top;
	int opened;
	char msg[sizeof ((struct gs_err *)0)->msg];
};

static const struct tui_key hints[] = {
	{"Enter", "open"}, {"Tab", "state"}, {"m", "meta"}, {"Esc", "back"}, {"?", "keys"},
};

/* short enough for a 40-column help box, few enough for 12 rows */
static const struct tui_key help_keys[] = {
	{"j k PgDn PgUp", "move (also Down Up)"},
	{"Home End", "the top, the end"},
	{"Enter", "open the item"},
	{"Tab  S-Tab", "filter by state"},
	{"m", "filter by meta K=V"},
	{"Esc  q", "back"},
	{"*", "the item on screen"},
	{"F C D", "flag/comment/dispute"},
};

static const struct find_row *row_at(const struct ilist *L, size_t k)
{
	return &g_array_index(L->l.all, struct find_row, g_array_index(L->l.rows, size_t, k));
}

static size_t nrows(const struct ilist *L) { return L->l.rows->len; }

/* "flagged commented" (wide) or "FC" */
static void marks_text(unsigned m, int words, char *out, size_t n)
{
	static const struct { unsigned bit; const char *word, *letter; } w[] = {
		{FIND_FLAGGED, "flagged", "F"}, {FIND_COMMENTED, "commented", "C"}, {FIND_DISPUTED, "disputed", "D"},
	};
	out[0] = 0;
	for (size_t i = 0; i < ARRAY_LEN(w); i++) {
		if (!(m & w[i].bit)) continue;
		if (words && out[0]) strncat(out, " ", n - strlen(out) - 1);
		strncat(out, words ? w[i].word : w[i].letter, n - strlen(out) - 1);
	}
}

struct widths { int id, state, marks; };

/* the columns: ids up to a third of the screen (at least 8), states and
 * marks as wide as the widest of the list */
static struct widths widths(const struct ilist *L, int cols)
{
	struct widths w = {2, 5, 0};
	char mk[64];
	for (size_t i = 0; i < L->l.all->len; i++) {
		const struct find_row *r = &g_array_index(L->l.all, struct find_row, i);
		int a = tui_text_width(r->id), b = tui_text_width(session_find_state_name(L->f, r->state));
		marks_text(r->marks, cols >= WORDS_COLS, mk, sizeof mk);
		int c = tui_text_width(mk);
		if (a > w.id) w.id = a;
		if (b > w.state) w.state = b;
		if (c > w.marks) w.marks = c;
	}
	int cap = cols / 3 > 8 ? cols / 3 : 8;
	if (w.id > cap) w.id = cap;
	return w;
}

static enum tui_style state_style(enum find_state s)
{
	return s == FIND_DONE ? TUI_GOOD : s == FIND_STALE || s == FIND_PARTLY ? TUI_WARN : s == FIND_SKIPPED ? TUI_DIM
													       : TUI_NORMAL;
}

static void draw_row(const struct ilist *L, int y, int cols, const struct widths *w, const struct find_row *r, int sel)
{
	char mk[64];
	int x = 2;
	if (sel) tui_fill(y, 0, cols, TUI_SELECTED);
	tui_text(y, 0, 1, sel ? TUI_SELECTED : TUI_KEY, r->shown ? "*" : " ");
	tui_text(y, x, w->id, sel ? TUI_SELECTED : TUI_KEY, r->id);
	x += w->id + 1;
	tui_text(y, x, cols - x, sel ? TUI_SELECTED : state_style(r->state), session_find_state_name(L->f, r->state));
	x += w->state + 1;
	if (w->marks) {
		marks_text(r->marks, cols >= WORDS_COLS, mk, sizeof mk);
		tui_text(y, x, cols - x, sel ? TUI_SELECTED : TUI_WARN, mk);
		x += w->marks + 1;
	}
	if (x < cols) tui_text(y, x, cols - x, sel ? TUI_SELECTED : TUI_NORMAL, r->values);
}

/* the marks column is named only when its words fit */
static void draw_header(int y, int cols, const struct widths *w)
{
	int x = 2;
	tui_text(y, x, w->id, TUI_DIM, "id");
	x += w->id + 1;
	tui_text(y, x, cols - x, TUI_DIM, "state");
	x += w->state + 1;
	if (w->marks) {
		if (w->marks >= 5) tui_text(y, x, w->marks, TUI_DIM, "marks");
		x += w->marks + 1;
	}
	if (x < cols) tui_text(y, x, cols - x, TUI_DIM, "values");
}

static void draw_title(const struct ilist *L, int cols)
{
	char right[64];
	struct sbuf b = {0};
	sb_addf(&b, "%s%s", cols >= 60 ? L->title : "", cols >= 60 ? "  " : "");
	sb_addf(&b, "%s", session_find_filter_name(L->f, L->l.filter));
	if (L->l.meta_key) sb_addf(&b, "  %s=%s", L->l.meta_key, L->l.meta_value);
	snprintf(right, sizeof right, "%zu of %u", nrows(L), L->l.all->len);
	tui_title(0, b.p, right);
	sb_free(&b);
}

/* keeps the selected row in the h rows shown, and no blank rows below
 * while rows above are hidden */
static void scroll_to_sel(struct ilist *L, int h)
{
	if (h < 1) h = 1;
	if (L->top + (size_t)h > nrows(L)) L->top = nrows(L) > (size_t)h ? nrows(L) - (size_t)h : 0;
	if (L->sel < L->top) L->top = L->sel;
	if (L->sel >= L->top + (size_t)h) L->top = L->sel - (size_t)h + 1;
}

static int list_height(void)
{
	int rows = tui_rows(), head = rows >= 6;
	return rows - 2 - head;
}

static void list_draw(void *st)
{
	struct ilist *L = st;
	int rows = tui_rows(), cols = tui_cols(), head = rows >= 6, h = list_height();
	if (rows <= 0 || cols <= 0) return;
	struct widths w = widths(L, cols);
	draw_title(L, cols);
	if (head) draw_header(1, cols, &w);
	scroll_to_sel(L, h);
	for (int i = 0; i < h && L->top + (size_t)i < nrows(L); i++)
		draw_row(L, 1 + head + i, cols, &w, row_at(L, L->top + (size_t)i), L->top + (size_t)i == L->sel);
	if (!nrows(L) && h > 0) tui_text(1 + head, 2, cols - 2, TUI_DIM, "no item here: Tab or m changes the filters");
	if (rows >= 2) tui_status(rows - 1, L->msg, TUI_WARN, hints, ARRAY_LEN(hints));
}

/* the row of the item at place item, else the first */
static void select_item(struct ilist *L, size_t item)
{
	L->sel = 0;
	for (size_t k = 0; k < nrows(L); k++)
		if (row_at(L, k)->item == item) L->sel = k;
}

static void refilter(struct ilist *L, enum find_filter x, const char *meta)
{
	struct gs_err e;
	size_t keep = nrows(L) ? row_at(L, L->sel)->item : 0;
	L->msg[0] = 0;
	if (session_find_filter(L->f, &L->l, x, meta, &e)) snprintf(L->msg, sizeof L->msg, "%s", e.msg);
	select_item(L, keep);
}

static int meta_prompt(struct ilist *L)
{
	struct tui_screen bg = {list_draw, NULL, L};
	char *text, *init = L->l.meta_key ? xasprintf("%s=%s", L->l.meta_key, L->l.meta_value) : NULL;
	int rc = tui_prompt(&bg, tui_cols() >= 60 ? "Meta KEY=VALUE (empty: every item):" : "Meta K=V:", init, &text);
	if (rc == 1) refilter(L, L->l.filter, text);
	free(text);
	free(init);
	return rc == TUI_LOST ? rc : TUI_CONTINUE;
}

static void move_sel(struct ilist *L, long d)
{
	long n = (long)nrows(L), s = (long)L->sel + d;
	L->sel = (size_t)(s >= n ? n - 1 : s < 0 ? 0 : s);
	if (!n) L->sel = 0;
}

/* keys that move the selection; 1 when it was one */
static int move_key(struct ilist *L, int key, int code)
{
	long page = list_height() > 1 ? list_height() - 1 : 1;
	if ((!code && key == 'j') || (code && key == KEY_DOWN)) move_sel(L, 1);
	else if ((!code && key == 'k') || (code && key == KEY_UP)) move_sel(L, -1);
	else if (code && key == KEY_NPAGE) move_sel(L, page);
	else if (code && key == KEY_PPAGE) move_sel(L, -page);
	else if (code && key == KEY_HOME) move_sel(L, -(long)nrows(L));
	else if (code && key == KEY_END) move_sel(L, (long)nrows(L));
	else return 0;
	return 1;
}

#define LIST_DONE 1       /* what list_key returns to end its tui_run */

static int list_key(void *st, int key, int code)
{
	struct ilist *L = st;
	if (move_key(L, key, code)) return TUI_CONTINUE;
	if ((!code && (key == '\n' || key == '\r')) || (code && key == KEY_ENTER)) {
		if (!nrows(L)) return TUI_CONTINUE;
		L->opened = session_find_open(L->f, row_at(L, L->sel)) == 0;
		return LIST_DONE;
	}
	if (!code && key == '\t') refilter(L, session_find_filter_step(L->f, L->l.filter, 1), NULL);
	else if (code && key == KEY_BTAB) refilter(L, session_find_filter_step(L->f, L->l.filter, -1), NULL);
	else if (!code && key == 'm') return meta_prompt(L);
	else if (!code && key == '?') {
		struct tui_screen bg = {list_draw, NULL, L};
		tui_help(&bg, "goldset: the list of items", help_keys, ARRAY_LEN(help_keys));
	} else if ((!code && key == 'q') || (!code && key == 27 && tui_esc_alone())) return LIST_DONE;
	else if (!code && key != 27) snprintf(L->msg, sizeof L->msg, "? shows the keys");
	return TUI_CONTINUE;
}

int itemlist_browse(struct session_find *f, const char *title)
{
	struct ilist L = {.f = f, .title = title};
	struct gs_err e;
	if (session_find_list(f, &L.l, &e)) return TUI_CONTINUE;
	for (size_t k = 0; k < nrows(&L); k++)
		if (row_at(&L, k)->shown) L.sel = k;
	struct tui_screen scr = {list_draw, list_key, &L};
	int rc = tui_run(&scr);
	session_find_list_free(&L.l);
	return rc == TUI_LOST ? rc : TUI_CONTINUE;
}
