/* discuss.c: the disagreement walk of `goldset calibrate discuss`
 * (discuss_screen.h), in the ncdu way: all state in struct dsc, dsc_draw()
 * paints the screen from it, dsc_key() changes it, tui_run() dispatches.
 *
 * Like resolving merge conflicts: one disagreement (an item and one
 * criterion) at a time, the item above (or beside) and the conflict below:
 * each rater's value with its anchor and comment, shown as "rater 1",
 * "rater 2" unless --names, then two rows of choices, the agreed value and
 * the cause, and a note. Enter writes one consensus row (durable before
 * the screen moves on) and jumps to the next unsettled disagreement. Item
 * text goes through itemview.c, everything else through tui_text. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "discuss_screen.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "itemview.h"
#include "items.h"
#include "panel.h"
#include "tui.h"
#include "util.h"

#define QUIT 1
#define WIDE_COLS 100     /* from here the conflict sits beside the item */
#define META_ROWS 12      /* body rows needed before the meta line is shown */
#define NCAUSE ((int)ARRAY_LEN(discuss_causes))

const char *const discuss_causes[3] = {"rubric unclear", "rater slip", "item ambiguous"};

struct dsc {
	const struct discuss_opts *o;
	const struct calib_table *t;
	struct discuss_outcome *out;  /* what is recorded, per point */
	struct tui_screen scr;
	size_t at;                    /* the point shown */
	int value, cause;             /* on screen, maybe not saved yet */
	char *note;
	int focus;                    /* 0 agreed value, 1 cause */
	size_t doc_unit;              /* the unit the document shows */
	int have_item, show_ref, quit_armed;
	struct item it;
	struct idoc *doc;
	long saves;
	char msg[512];
	enum tui_style msg_st;
};

static void say(struct dsc *D, enum tui_style st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct dsc *D, enum tui_style st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(D->msg, sizeof D->msg, fmt, ap);
	va_end(ap);
	D->msg_st = st;
}

static const struct calib_unit *unit(const struct dsc *D) { return &D->t->u[D->o->p[D->at].u]; }
static size_t slot(const struct dsc *D) { return D->o->p[D->at].slot; }

static char *rater_name(const struct dsc *D, size_t r)
{
	return D->o->names ? xstrdup(D->t->raters[r]) : xasprintf("rater %zu", r + 1);
}

/* ---- the item ---- */

static const char *output_of(const struct item *it, const char *sys)
{
	for (size_t i = 0; sys && i < it->noutputs; i++)
		if (it->outputs[i].system && strcmp(it->outputs[i].system, sys) == 0) return it->outputs[i].text;
	return NULL;
}

static void build_doc(struct dsc *D)
{
	const struct calib_unit *u = unit(D);
	idoc_clear(D->doc);
	if (!D->have_item) {
		idoc_add(D->doc, "ITEM", TUI_WARN, "this item is no longer in the workspace");
		return;
	}
	if (!*u->pair_key) {
		itemview_single(D->doc, &D->it, D->show_ref);
		return;
	}
	itemview_input(D->doc, &D->it);
	for (int k = 0; k < 2; k++) {
		char *title = xasprintf("OUTPUT %s", u->sys[k] ? u->sys[k] : "?");
		idoc_add(D->doc, title, TUI_SELECTED, output_of(&D->it, u->sys[k]));
		free(title);
	}
	if (D->show_ref && D->it.reference) idoc_add(D->doc, "REFERENCE", TUI_GOOD, D->it.reference);
}

static void load_item(struct dsc *D)
{
	size_t ui = D->o->p[D->at].u;
	if (D->doc_unit == ui) return;
	if (D->have_item) item_free(&D->it);
	D->have_item = 0;
	struct store_item si;
	struct gs_err e;
	if (store_item_get(D->o->st, unit(D)->ext_id, &si, &e) == 0) {
		D->have_item = item_from_canon(si.json, &D->it, &e) == 0;
		store_item_free(&si);
	}
	D->doc_unit = ui;
	build_doc(D);
}

/* shows point i with what is recorded for it */
static void show(struct dsc *D, size_t i)
{
	D->at = i;
	D->value = D->out[i].value;
	D->cause = D->out[i].cause;
	free(D->note);
	D->note = D->out[i].note ? xstrdup(D->out[i].note) : NULL;
	D->focus = D->value >= 0 && D->cause < 0 ? 1 : 0;
	load_item(D);
}

static int dirty(const struct dsc *D)
{
	const struct discuss_outcome *o = &D->out[D->at];
	const char *a = D->note ? D->note : "", *b = o->note ? o->note : "";
	return D->value != o->value || D->cause != o->cause || strcmp(a, b) != 0;
}

/* ---- recorded consensus ---- */

static void load_outcomes(struct dsc *D)
{
	struct calib_conslist l;
	struct gs_err e;
	for (size_t i = 0; i < D->o->n; i++) D->out[i] = (struct discuss_outcome){-1, -1, NULL};
	if (calib_cons_load(D->o->st, D->t->r->name, NULL, &l, &e)) return;
	for (size_t i = 0; i < D->o->n; i++) {
		const struct calib_unit *u = &D->t->u[D->o->p[i].u];
		char *key = calib_key(D->t, u, D->o->p[i].slot);
		const struct calib_cons *c = calib_cons_find(&l, u->ext_id, key);
		free(key);
		if (!c) continue;
		D->out[i].value = calib_value_parse(D->t, u, D->o->p[i].slot, c->value);
		for (int k = 0; k < NCAUSE; k++)
			if (c->cause && strcmp(c->cause, discuss_causes[k]) == 0) D->out[i].cause = k;
		D->out[i].note = c->note ? xstrdup(c->note) : NULL;
	}
	calib_cons_free(&l);
}

static size_t settled(const struct dsc *D)
{
	size_t n = 0;
	for (size_t i = 0; i < D->o->n; i++) n += D->out[i].value >= 0;
	return n;
}

/* writes the screen's value (v < 0: withdraws) as one consensus row */
static int record(struct dsc *D, int v)
{
	const struct calib_unit *u = unit(D);
	char *key = calib_key(D->t, u, slot(D));
	char *val = v < 0 ? xstrdup("null") : calib_value_json(D->t, u, slot(D), v);
	char *src = xasprintf("discuss:%s", D->o->batch);
	struct store_consensus c = {u->ext_id, D->t->r->name, key, val, v >= 0 && D->cause >= 0 ? discuss_causes[D->cause]
				    : NULL, v >= 0 ? D->note : NULL, src, NULL, D->t->r->version};
	struct gs_err e;
	int rc = store_consensus_add(D->o->st, &c, &e);
	if (rc) say(D, TUI_WARN, "not saved: %s", e.msg);
	free(key);
	free(val);
	free(src);
	return rc;
}

static void next_unsettled(struct dsc *D)
{
	for (size_t k = 1; k <= D->o->n; k++) {
		size_t i = (D->at + k) % D->o->n;
		if (D->out[i].value < 0) {
			show(D, i);
			return;
		}
	}
	say(D, TUI_GOOD, "all %zu disagreements settled: q quits (n/p to look again)", D->o->n);
}

static void save(struct dsc *D)
{
	if (D->value < 0) {
		D->focus = 0;
		say(D, TUI_WARN, "pick the agreed value first (1-9), then Enter");
		return;
	}
	if (record(D, D->value)) return;
	struct discuss_outcome *o = &D->out[D->at];
	o->value = D->value;
	o->cause = D->cause;
	free(o->note);
	o->note = D->note ? xstrdup(D->note) : NULL;
	D->saves++;
	char buf[32];
	say(D, TUI_GOOD, "agreed on %s for %s", calib_value_text(D->t, unit(D), slot(D), D->value, buf),
	    unit(D)->ext_id);
	next_unsettled(D);
}

static void withdraw(struct dsc *D)
{
	if (D->out[D->at].value < 0) {
		say(D, TUI_DIM, "nothing recorded for this disagreement yet");
		return;
	}
	if (record(D, -1)) return;
	struct discuss_outcome *o = &D->out[D->at];
	o->value = o->cause = -1;
	free(o->note);
	o->note = NULL;
	show(D, D->at);
	say(D, TUI_GOOD, "agreed value withdrawn: this disagreement is open again");
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
	{"j k  Down Up", "scroll the item"},
	{"PgDn PgUp", "scroll a page"},
	{"?", "this help"},
	{"q", "quit (every recorded value is already on disk)"},
};

static const struct tui_key hints[] = {
	{"?", "keys"}, {"1-9", "choose"}, {"Tab", "value/cause"}, {"Enter", "record"}, {"c", "note"},
	{"n/p", "move"}, {"q", "quit"},
};

static int value_count(const struct dsc *D)
{
	struct slot_info si;
	rubric_slot_info(D->t->r, slot(D), &si);
	return si.nopts;
}

static void pick(struct dsc *D, int digit)
{
	int n = D->focus ? NCAUSE : value_count(D);
	if (digit > n) {
		say(D, TUI_WARN, "%s: press 1-%d", D->focus ? "cause" : "agreed value", n);
		return;
	}
	if (D->focus) {
		D->cause = digit - 1;
		say(D, TUI_GOOD, "Enter records it (c adds a note)");
		return;
	}
	D->value = digit - 1;
	D->focus = 1;
	say(D, TUI_DIM, "now the cause: 1 rubric unclear, 2 rater slip, 3 item ambiguous; or Enter");
}

static int edit_note(struct dsc *D)
{
	char *text;
	int rc = tui_prompt(&D->scr, "Note (Enter keeps, Esc cancels):", D->note, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 1) {
		free(D->note);
		D->note = *text ? text : NULL;
		if (!*text) free(text);
		say(D, TUI_DIM, "note kept on screen: Enter records it with the value");
	}
	return TUI_CONTINUE;
}

static void step(struct dsc *D, int dir)
{
	size_t n = D->o->n;
	if (dirty(D)) say(D, TUI_DIM, "left without recording (Enter records)");
	else D->msg[0] = 0;
	show(D, dir > 0 ? (D->at + 1) % n : (D->at + n - 1) % n);
}

static void toggle_ref(struct dsc *D)
{
	if (!D->have_item || !D->it.reference) {
		say(D, TUI_DIM, "this item has no reference answer");
		return;
	}
	D->show_ref = !D->show_ref;
	build_doc(D);
	if (D->show_ref) idoc_end(D->doc);
}

static int code_key(struct dsc *D, int key)
{
	if (idoc_key(D->doc, key, 1)) return 1;
	if (key == KEY_BTAB || key == KEY_LEFT || key == KEY_RIGHT) D->focus = !D->focus;
	else if (key == KEY_ENTER) save(D);
	else if (key == KEY_BACKSPACE || key == KEY_DC) *(D->focus ? &D->cause : &D->value) = -1;
	else return 0;
	return 1;
}

static int dsc_key(void *st, int key, int code)
{
	struct dsc *D = st;
	int armed = D->quit_armed;
	D->quit_armed = 0;
	if (code) return code_key(D, key), TUI_CONTINUE;
	if (idoc_key(D->doc, key, 0)) return TUI_CONTINUE;
	if (key >= '1' && key <= '9') pick(D, key - '0');
	else if (key == '\t') D->focus = !D->focus;
	else if (key == '\n' || key == '\r') save(D);
	else if (key == 127 || key == 8) *(D->focus ? &D->cause : &D->value) = -1;
	else if (key == 'c') return edit_note(D);
	else if (key == 'u') withdraw(D);
	else if (key == 'n') step(D, 1);
	else if (key == 'p') step(D, -1);
	else if (key == 'r') toggle_ref(D);
	else if (key == '?') tui_help(&D->scr, "goldset calibrate discuss: keys", help_keys, ARRAY_LEN(help_keys));
	else if (key == 'q' && dirty(D) && !armed) {
		D->quit_armed = 1;
		say(D, TUI_WARN, "not recorded yet: Enter records it, q again quits without it");
	} else if (key == 'q') return QUIT;
	else say(D, TUI_DIM, "? shows the keys");
	return TUI_CONTINUE;
}

/* ---- drawing: the conflict panel ---- */

/* The panel is a flow of rows (panel.h): in full, with the question, each
 * rater's anchor and comment and every option wrapped; when that does not
 * fit, compact: one row each, the least important rows left out first
 * (prio), the others in their order. */

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
	int y = fl_row(f, 1);
	if (y >= 0) {
		int col = tui_text(y, f->x, f->w, TUI_KEY, si.name);
		if (f->compact && col + 2 < f->w) tui_text(y, f->x + col + 2, f->w - col - 2, TUI_NORMAL, si.crit->question);
	}
	if (!f->compact && *si.crit->question) fl_para(f, 0, 0, TUI_NORMAL, si.crit->question);
}

static void rater(const struct dsc *D, struct flow *f, size_t r)
{
	int v = calib_val(D->t, unit(D), r, slot(D));
	const char *a = anchor_of(D, v), *c = unit(D)->note[r];
	char *name = rater_name(D, r), buf[32];
	int y = fl_row(f, 0);
	if (y >= 0) {
		int col = 2 + tui_text(y, f->x + 2, f->w - 2, TUI_KEY, name);
		col = col < 12 ? 12 : col + 1;
		col += tui_text(y, f->x + col, f->w - col, v < 0 ? TUI_DIM : TUI_GOOD,
				v < 0 ? "(no value)" : calib_value_text(D->t, unit(D), slot(D), v, buf));
		if (a && f->inline_anchor && col + 2 < f->w) tui_text(y, f->x + col + 2, f->w - col - 2, TUI_DIM, a);
	}
	if (a && !f->inline_anchor) fl_para(f, 1, 6, TUI_DIM, a);
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
	const char *v = calib_value_text(D->t, unit(D), slot(D), k, buf), *a = anchor_of(D, k);
	if (si.crit->type == CRIT_SCALE && si.crit->min == 1) return xstrdup(a ? a : "");
	return a ? xasprintf("= %s: %s", v, a) : xstrdup(v);
}

/* the options, one wrapped row each, key at the left */
static void option_rows(const struct dsc *D, struct flow *f, char **text, int n, int chosen)
{
	for (int k = 0; k < n; k++) {
		long l0 = f->line;
		int y = f->tight ? fl_row(f, 0) : -1;
		if (y >= 0) tui_text(y, f->x + 5, f->w - 5, k == chosen ? TUI_SELECTED : TUI_NORMAL, text[k]);
		if (!f->tight) fl_para(f, 0, 5, k == chosen ? TUI_SELECTED : TUI_NORMAL, *text[k] ? text[k] : " ");
		int ky = fl_at(f, l0);
		if (ky >= 0) tui_textf(ky, f->x + 2, 3, TUI_KEY, "%d", k + 1);
	}
	(void)D;
}

static void agreed(const struct dsc *D, struct flow *f)
{
	struct slot_info si;
	rubric_slot_info(D->t->r, slot(D), &si);
	int n = si.nopts, x = field_head(f, "agreed", D->focus == 0, 0);
	char **text = xcalloc((size_t)n + 1, sizeof *text);
	char buf[32];
	if (f->compact || !f->draw || x >= 0) {
		for (int k = 0; k < n; k++)
			text[k] = f->compact ? xstrdup(calib_value_text(D->t, unit(D), slot(D), k, buf)) : option_text(D, k);
	}
	int key_only = si.crit->type == CRIT_SCALE && si.crit->min == 1;
	if (f->compact && x >= 0) chips(f->y + (int)f->line - 1, f->x + x, f->w - x, text, n, D->value, key_only);
	if (!f->compact) option_rows(D, f, text, n, D->value);
	strv_free(text);
}

static void cause(const struct dsc *D, struct flow *f)
{
	int x = field_head(f, "cause ", D->focus == 1, 1);
	if (f->compact) {
		if (x >= 0) chips(f->y + (int)f->line - 1, f->x + x, f->w - x, (char **)discuss_causes, NCAUSE, D->cause, 0);
		return;
	}
	option_rows(D, f, (char **)discuss_causes, NCAUSE, D->cause);
}

static void note(const struct dsc *D, struct flow *f)
{
	const char *text = D->note ? D->note : f->compact ? "(c adds one)" : "(c: what was unclear, what the rubric should say)";
	enum tui_style st = D->note ? TUI_NORMAL : TUI_DIM;
	if (f->compact) {
		int y = fl_row(f, 2);
		if (y >= 0) tui_text(y, f->x + tui_text(y, f->x, f->w, TUI_KEY, "  note  "), f->w - 8, st, text);
		return;
	}
	long l0 = f->line;
	fl_para(f, 2, 8, st, text);
	int ky = fl_at(f, l0);
	if (ky >= 0 && 2 <= f->maxprio) tui_text(ky, f->x, 8, TUI_KEY, "  note  ");
}

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct dsc *D = ctx;
	question(D, f);
	fl_blank(f);
	for (size_t r = 0; r < D->t->nraters; r++) rater(D, f, r);
	fl_blank(f);
	agreed(D, f);
	fl_blank(f);
	cause(D, f);
	fl_blank(f);
	note(D, f);
}

static void draw_panel(const struct dsc *D, int y, int x, int h, int w)
{
	struct flow m;
	panel_fit(panel_flow, D, w, h, &m);
	panel_draw(panel_flow, D, &m, y, x, h);
}

/* the rows the panel wants at width w (compact when full is taller than max) */
static int panel_height(const struct dsc *D, int w, int max)
{
	struct flow m;
	for (int level = 0; level < PANEL_COMPACT; level++) {
		long n = panel_measure(panel_flow, D, w, level, 3, &m);
		if (n <= max) return (int)n;
	}
	return (int)panel_measure(panel_flow, D, w, PANEL_COMPACT, 3, &m);
}

/* ---- drawing: the screen ---- */

static void draw_title(const struct dsc *D, int cols)
{
	char *left = xasprintf("goldset calibrate discuss  %s  %s v%d", D->o->batch, D->t->r->name, D->t->r->version);
	char right[64];
	snprintf(right, sizeof right, cols >= 40 ? "disagreement %zu/%zu" : "%zu/%zu", D->at + 1, D->o->n);
	tui_title(0, left, right);
	free(left);
}

static void draw_info(const struct dsc *D, int y, int cols)
{
	int pw = cols >= 60 ? cols / 3 : cols / 2;
	int lw = cols - pw - 1, col = 0;
	if (cols >= 60) {
		tui_text(y, cols - pw - 8, 8, TUI_DIM, "settled ");
		lw -= 8;
	}
	tui_progress(y, cols - pw, pw, (long)settled(D), (long)D->o->n);
	col += tui_text(y, 0, lw, TUI_KEY, unit(D)->ext_id);
	const struct discuss_outcome *o = &D->out[D->at];
	if (col < lw && dirty(D)) tui_text(y, col, lw - col, TUI_WARN, " not recorded");
	else if (col < lw && o->value >= 0) tui_text(y, col, lw - col, TUI_GOOD, " agreed");
}

static void draw_body(struct dsc *D, int y, int h, int cols)
{
	if (cols >= WIDE_COLS) {
		int pw = cols / 2, iw = cols - pw - 1;
		idoc_draw(D->doc, y, 0, h, iw);
		tui_vline(y, iw, h);
		draw_panel(D, y, iw + 2, h, pw - 1);
		return;
	}
	int ph = panel_height(D, cols, h - 6), div = 1;
	if (ph > h - 3) {   /* keep three rows of the item while the conflict fits in the rest */
		ph = h - 3 >= 4 ? h - 3 : h;
	}
	int ih = h - ph - div;
	if (ih < 1) {
		ih = 0;
		div = 0;
		ph = h;
	}
	if (ih) idoc_draw(D->doc, y, 0, ih, cols);
	if (div) tui_hline(y + ih, 0, cols);
	draw_panel(D, y + ih + div, 0, ph, cols);
}

static void dsc_draw(void *st)
{
	struct dsc *D = st;
	int rows = tui_rows(), cols = tui_cols();
	if (rows <= 0 || cols <= 0) return;
	draw_title(D, cols);
	if (rows >= 2) tui_status(rows - 1, D->msg, D->msg_st, hints, ARRAY_LEN(hints));
	int y = 1, h = rows - 2;
	if (rows >= 10) {
		draw_info(D, 1, cols);
		y++, h--;
	}
	if (h < 1) return;
	if (h >= META_ROWS && D->have_item) {
		itemview_meta(y, 0, cols, &D->it);
		y++, h--;
	}
	draw_body(D, y, h, cols);
}

/* ---- set-up ---- */

void discuss_outcome_free(struct discuss_outcome *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(out[i].note);
		out[i].note = NULL;
	}
}

int discuss_screen(const struct discuss_opts *o, struct discuss_outcome *out, struct gs_err *e)
{
	if (!o->n) return 0;
	if (tui_init()) return gs_fail(e, EX_UNAVAILABLE, "discuss needs a terminal (stdin and stdout must be a tty)");
	struct dsc *D = xcalloc(1, sizeof *D);
	D->o = o;
	D->t = o->t;
	D->out = out;
	D->doc = idoc_new();
	D->doc_unit = (size_t)-1;
	D->scr = (struct tui_screen){dsc_draw, dsc_key, D};
	load_outcomes(D);
	D->at = o->n - 1;
	next_unsettled(D);
	if (D->out[D->at].value >= 0) show(D, 0);
	int rc = tui_run(&D->scr);
	rc = rc == TUI_LOST && tui_signal() ? 128 + tui_signal() : 0;
	tui_end();
	if (D->have_item) item_free(&D->it);
	idoc_free(D->doc);
	free(D->note);
	free(D);
	return rc;
}
