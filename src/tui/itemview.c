/* itemview.c: drawing an item (see itemview.h). A document is a list of
 * sections, each a title row and a text wrapped with text.c; line numbers
 * run through the whole document (title, text lines, a blank row between
 * sections), so scrolling is one number and drawing a row finds its
 * section by binary search. Cells are drawn through tui_textn() in runs of
 * plain or escaped cells, so nothing but text.c cells reaches curses. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/itemview.h"

#include <curses.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "model/items.h"
#include "base/text.h"
#include "base/util.h"

#define BAR_MIN_W 8       /* narrower than this: no scroll bar column */
#define GUESS_W 80        /* wrap width before the first draw */

struct sect {
	char *title;               /* NULL: no title row */
	enum tui_style st;
	struct text_wrap *wrap;
	int empty;                 /* shows "(empty)" */
	int bare;                  /* a title row alone */
	size_t start;              /* first line of the section in the document */
};

struct idoc {
	struct sect *s;           /* sects' data */
	size_t n;
	GArray *sects;
	int width;                 /* text width of the last layout (0: none yet) */
	size_t lines;              /* document lines at that width */
	size_t top;
	int h;                     /* height of the last draw */
};

struct idoc *idoc_new(void)
{
	struct idoc *d = xcalloc(1, sizeof(struct idoc));
	d->sects = g_array_new(FALSE, FALSE, sizeof(struct sect));
	return d;
}

void idoc_clear(struct idoc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->s[i].title);
		text_wrap_free(d->s[i].wrap);
	}
	d->n = 0;
	g_array_set_size(d->sects, 0);
	d->top = 0;
	d->lines = 0;
}

void idoc_free(struct idoc *d)
{
	if (!d) return;
	idoc_clear(d);
	g_array_free(d->sects, TRUE);
	free(d);
}

static size_t sect_lines(const struct sect *s)
{
	if (s->bare) return 1;
	size_t n = s->empty ? 1 : text_wrap_lines(s->wrap);
	return (s->title ? 1 : 0) + (n ? n : 1);
}

/* section starts and the document length at the current width */
static void relayout(struct idoc *d)
{
	size_t at = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (i) at++;   /* blank row between sections */
		d->s[i].start = at;
		at += sect_lines(&d->s[i]);
	}
	d->lines = at;
}

void idoc_add(struct idoc *d, const char *title, enum tui_style st, const char *text)
{
	struct sect blank = {0};
	g_array_append_val(d->sects, blank);
	d->s = (struct sect *)(void *)d->sects->data;
	struct sect *s = &d->s[d->n++];
	size_t len = text ? strlen(text) : 0;
	s->title = title ? xstrdup(title) : NULL;
	s->st = st;
	s->empty = len == 0;
	s->bare = title && !text;
	s->wrap = text_wrap_new(text ? text : "", len, d->width > 0 ? d->width : GUESS_W);
	relayout(d);
}

/* the section holding document line l (the last one starting at or before it) */
static size_t sect_of(const struct idoc *d, size_t l)
{
	size_t lo = 0, hi = d->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->s[mid].start <= l) lo = mid;
		else hi = mid;
	}
	return lo;
}

/* rewraps for text width w, keeping the text at the top line in view */
static void set_width(struct idoc *d, int w)
{
	if (w == d->width && d->lines) return;
	size_t k = 0, off = 0;
	int in_text = 0;
	if (d->n) {
		k = sect_of(d, d->top);
		size_t rel = d->top - d->s[k].start - (d->s[k].title ? 1 : 0);
		in_text = d->top >= d->s[k].start + (d->s[k].title ? 1 : 0) && !d->s[k].empty;
		if (in_text) off = text_wrap_offset(d->s[k].wrap, rel);
	}
	d->width = w;
	for (size_t i = 0; i < d->n; i++) text_wrap_set_width(d->s[i].wrap, w);
	relayout(d);
	if (!d->n) return;
	d->top = d->s[k].start;
	if (in_text) d->top += (d->s[k].title ? 1 : 0) + text_wrap_find(d->s[k].wrap, off);
}

static size_t max_top(const struct idoc *d)
{
	size_t h = d->h > 0 ? (size_t)d->h : 1;
	return d->lines > h ? d->lines - h : 0;
}

/* ---- cells ---- */

int itemview_cells(int y, int x, int w, const struct text_cell *c, int n, enum tui_style st)
{
	char *buf = xmalloc((size_t)n * TEXT_CELL_CPS * 4 + 1);
	int col = 0;
	for (int i = 0; i < n && col < w;) {
		int esc = c[i].flags != 0, rw = 0;
		size_t len = 0;
		for (; i < n && (c[i].flags != 0) == esc && col + rw + c[i].width <= w; i++) {
			for (int k = 0; k < TEXT_CELL_CPS && c[i].cp[k]; k++) len += text_encode(c[i].cp[k], buf + len);
			rw += c[i].width;
		}
		if (!rw) break;
		tui_textn(y, x + col, rw, esc ? TUI_ESCAPED : st, buf, len);
		col += rw;
	}
	free(buf);
	return col;
}

size_t itemview_para(int y, int x, int w, int h, size_t skip, enum tui_style st, const char *s)
{
	if (w < 1) w = 1;
	struct text_wrap *tw = text_wrap_new(s ? s : "", s ? strlen(s) : 0, w);
	size_t n = text_wrap_lines(tw);
	if (h > 0) {
		struct text_cell *c = xmalloc((size_t)w * sizeof *c);
		for (int r = 0; r < h && skip + (size_t)r < n; r++) {
			int k = text_wrap_line(tw, skip + (size_t)r, c);
			itemview_cells(y + r, x, w, c, k, st);
		}
		free(c);
	}
	text_wrap_free(tw);
	return n;
}

/* ---- drawing ---- */

static void draw_line(const struct idoc *d, size_t l, int y, int x, int w, struct text_cell *c)
{
	const struct sect *s = &d->s[sect_of(d, l)];
	if (l < s->start) return;
	size_t rel = l - s->start;
	if (s->title) {
		if (rel == 0) {
			tui_text(y, x, w, s->st, s->title);
			return;
		}
		rel--;
	}
	if (s->empty) {
		if (rel == 0 && !s->bare) tui_text(y, x, w, TUI_DIM, "(empty)");
		return;
	}
	int k = text_wrap_line(s->wrap, rel, c);
	itemview_cells(y, x, w, c, k, TUI_NORMAL);
}

void idoc_draw(struct idoc *d, int y, int x, int h, int w)
{
	if (y < 0 || x < 0) return;
	if (h > LINES - y) h = LINES - y;
	if (w > COLS - x) w = COLS - x;
	if (h <= 0 || w <= 0) return;
	int bar = w >= BAR_MIN_W, tw = w - bar;
	d->h = h;
	set_width(d, tw);
	if (d->top > max_top(d)) d->top = max_top(d);
	struct text_cell *c = xmalloc((size_t)tw * sizeof *c);
	for (int r = 0; r < h; r++) {
		tui_fill(y + r, x, w, TUI_NORMAL);
		size_t l = d->top + (size_t)r;
		if (l < d->lines) draw_line(d, l, y + r, x, tw, c);
	}
	free(c);
	if (bar) tui_scrollbar(y, x + tw, h, d->top, d->lines);
}

/* ---- scrolling ---- */

void idoc_scroll(struct idoc *d, long lines)
{
	size_t m = max_top(d);
	if (d->top > m) d->top = m;
	if (lines < 0) d->top = (size_t)-lines >= d->top ? 0 : d->top - (size_t)-lines;
	else d->top = (size_t)lines >= m - d->top ? m : d->top + (size_t)lines;
}

void idoc_home(struct idoc *d) { d->top = 0; }
void idoc_end(struct idoc *d) { d->top = max_top(d); }
size_t idoc_lines(const struct idoc *d) { return d->lines; }
size_t idoc_top(const struct idoc *d) { return d->top; }
int idoc_at_end(const struct idoc *d) { return d->top >= max_top(d); }
void idoc_set_top(struct idoc *d, size_t top) { d->top = top; }

int idoc_key(struct idoc *d, int key, int is_keycode)
{
	long page = d->h > 2 ? d->h - 1 : 1;
	if (!is_keycode) {
		if (key == 'j') idoc_scroll(d, 1);
		else if (key == 'k') idoc_scroll(d, -1);
		else return 0;
		return 1;
	}
	switch (key) {
	case KEY_DOWN: idoc_scroll(d, 1); return 1;
	case KEY_UP: idoc_scroll(d, -1); return 1;
	case KEY_NPAGE: idoc_scroll(d, page); return 1;
	case KEY_PPAGE: idoc_scroll(d, -page); return 1;
	case KEY_HOME: idoc_home(d); return 1;
	case KEY_END: idoc_end(d); return 1;
	}
	return 0;
}

/* ---- an item ---- */

void itemview_input(struct idoc *d, const struct item *it)
{
	if (!it->turns) {
		idoc_add(d, "INPUT", TUI_KEY, it->input ? it->input : "");
		return;
	}
	for (size_t i = 0; i < it->nturns; i++) {
		const char *role = it->turns[i].role ? it->turns[i].role : "?";
		char *t = xasprintf("%s:", role);
		idoc_add(d, t, TUI_KEY, it->turns[i].content ? it->turns[i].content : "");
		free(t);
	}
}

void itemview_single(struct idoc *d, const struct item *it, int show_ref)
{
	itemview_input(d, it);
	idoc_add(d, "OUTPUT (being rated)", TUI_SELECTED, it->output ? it->output : "");
	if (it->reference && show_ref) idoc_add(d, "REFERENCE", TUI_GOOD, it->reference);
	else if (it->reference) idoc_add(d, "(a reference answer is hidden: r shows it)", TUI_DIM, NULL);
}

static const char *output_of(const struct item *it, const char *sys)
{
	for (size_t i = 0; sys && i < it->noutputs; i++)
		if (it->outputs[i].system && strcmp(it->outputs[i].system, sys) == 0) return it->outputs[i].text;
	return NULL;
}

void itemview_judged(struct idoc *d, const struct item *it, const char *const *systems, size_t n, int show_ref)
{
	if (!it) {
		idoc_add(d, "ITEM", TUI_WARN, "this item is no longer in the workspace");
		return;
	}
	if (!systems) {
		itemview_single(d, it, show_ref);
		return;
	}
	itemview_input(d, it);
	for (size_t k = 0; k < n; k++) {
		char *title = xasprintf("OUTPUT %s", systems[k] ? systems[k] : "?");
		idoc_add(d, title, TUI_SELECTED, output_of(it, systems[k]));
		free(title);
	}
	if (show_ref && it->reference) idoc_add(d, "REFERENCE", TUI_GOOD, it->reference);
}

void itemview_meta(int y, int x, int w, const struct item *it)
{
	int col = 0;
	if (!it->nmeta) {
		tui_text(y, x, w, TUI_DIM, "(no meta)");
		return;
	}
	for (size_t i = 0; i < it->nmeta && col < w; i++) {
		if (i) col += 2;
		if (col >= w) break;
		col += tui_text(y, x + col, w - col, TUI_DIM, it->meta[i].key);
		if (col < w) col += tui_text(y, x + col, w - col, TUI_DIM, "=");
		if (col < w) col += tui_text(y, x + col, w - col, TUI_NORMAL, it->meta[i].value);
	}
}
