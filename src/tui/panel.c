/* panel.c: panels of rows laid out top to bottom (see panel.h). A flow
 * counts lines; a line is drawn only when the flow draws and the line is
 * in the window [skip, skip + h), so the same panel function measures,
 * picks its level and draws. Paragraphs are wrapped by itemview_para at
 * every level: a level leaves rows out, it never cuts a text. */
#include "tui/panel.h"

#include "tui/itemview.h"

int fl_at(const struct flow *f, long line)
{
	if (!f->draw || line < f->skip || line >= f->skip + f->h) return -1;
	return f->y + (int)(line - f->skip);
}

int fl_row(struct flow *f, int prio)
{
	if (prio > f->maxprio) return -1;
	return fl_at(f, f->line++);
}

void fl_blank(struct flow *f)
{
	if (!f->tight) f->line++;
}

int fl_para(struct flow *f, int prio, int indent, enum tui_style st, const char *s)
{
	int w = f->w - indent > 0 ? f->w - indent : 1;
	if (prio > f->maxprio || !s) return -1;
	long l0 = f->line, skip = f->skip - l0, h = f->h;
	int y = f->y;
	if (skip < 0) {   /* the paragraph starts below the top of the window */
		y += (int)-skip;
		h += skip;
		skip = 0;
	}
	size_t n = itemview_para(y, f->x + indent, w, f->draw && h > 0 ? (int)h : 0, (size_t)skip, st, s);
	f->line += (long)(n ? n : 1);
	return fl_at(f, l0);
}

static void set_level(struct flow *f, int level)
{
	f->tight = level >= 1;
	f->anchors_once = level >= 2;
	f->compact = level >= PANEL_COMPACT;
}

long panel_measure(panel_fn fn, const void *ctx, int w, int level, int maxprio, struct flow *m)
{
	*m = (struct flow){.w = w, .maxprio = maxprio};
	set_level(m, level);
	fn(ctx, m);
	return m->line;
}

void panel_fit(panel_fn fn, const void *ctx, int w, int h, struct flow *m)
{
	for (int level = 0; level < PANEL_COMPACT; level++)
		if (panel_measure(fn, ctx, w, level, 3, m) <= h) return;
	for (int maxprio = 3; panel_measure(fn, ctx, w, PANEL_COMPACT, maxprio, m) > h && maxprio > 0;) maxprio--;
}

void panel_draw(panel_fn fn, const void *ctx, const struct flow *m, int y, int x, int h)
{
	long fb = m->fb > m->fa ? m->fb : m->fa + 1;
	long top = fb > h ? fb - h : 0;
	if (top > m->fa) top = m->fa;
	struct flow f = *m;
	f.y = y;
	f.x = x;
	f.h = h;
	f.draw = 1;
	f.line = f.fa = f.fb = 0;
	f.skip = top;
	fn(ctx, &f);
}

/* the fullest level that fits in h rows, drawn at (y, x) in w columns */
static void fit_and_draw(panel_fn fn, const void *ctx, int y, int x, int h, int w)
{
	struct flow m;
	panel_fit(fn, ctx, w, h, &m);
	panel_draw(fn, ctx, &m, y, x, h);
}

void panel_side(struct idoc *doc, panel_fn fn, const void *ctx, int y, int h, int cols)
{
	int pw = cols / 2, iw = cols - pw - 1;
	idoc_draw(doc, y, 0, h, iw);
	tui_vline(y, iw, h);
	fit_and_draw(fn, ctx, y, iw + 2, h, pw - 1);
}

void panel_below(struct idoc *doc, panel_fn fn, const void *ctx, int y, int h, int cols, int ph, int item_min)
{
	int ih = h - ph - 1, rule = 1;
	if (ih < 1) {
		ih = item_min;
		rule = 0;
		ph = h - ih;
	}
	if (ih) idoc_draw(doc, y, 0, ih, cols);
	if (rule) tui_hline(y + ih, 0, cols);
	fit_and_draw(fn, ctx, y + ih + rule, 0, ph, cols);
}
