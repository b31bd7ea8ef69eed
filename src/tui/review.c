/* review.c: the weekly review screen (review_screen.h), in the ncdu way:
 * all state in struct rv, rv_draw() paints it, rv_key() changes it,
 * tui_run() dispatches.
 *
 * The item is drawn by itemview.c; beside it (or below, on a narrow
 * terminal) a table of every rater's and judge's values per criterion,
 * values that differ from the others marked, with a column for the value
 * the group agrees on, then the focused criterion's question and options,
 * the tags and the note. Enter writes the agreed values (consensus rows)
 * and the review mark in one transaction, then shows the next item. The
 * review is not blind, so every label of the item is shown. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "review_screen.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "itemview.h"
#include "items.h"
#include "jsoncheck.h"
#include "jsonout.h"
#include "tui.h"
#include "util.h"

#define QUIT 1
#define WIDE_COLS 100     /* from here the labels sit beside the item */
#define META_ROWS 12      /* body rows needed before the meta line is shown */
#define NAME_W 18         /* widest criterion column */
#define COL_W 14          /* widest rater column */

struct rv {
	const struct review_opts *o;
	const struct calib_table *t;
	struct review_out *out;
	struct tui_screen scr;
	size_t at, focus;
	int *agreed;                  /* on screen, [nslots] */
	int *recorded;                /* recorded consensus of this item, [nslots] */
	char *note, *tags;
	int have_item, show_ref, quit_armed;
	struct item it;
	struct idoc *doc;
	struct calib_conslist cons;   /* consensus recorded before the session */
	char msg[512];
	enum tui_style msg_st;
};

static void say(struct rv *R, enum tui_style st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct rv *R, enum tui_style st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(R->msg, sizeof R->msg, fmt, ap);
	va_end(ap);
	R->msg_st = st;
}

static int single(const struct rv *R) { return strcmp(R->t->r->mode, "pairwise") != 0; }

/* the units of the item shown: [*first, *first + *n) */
static void units_of(const struct rv *R, size_t *first, size_t *n)
{
	*first = *n = 0;
	for (size_t i = 0; i < R->t->nunits; i++)
		if (R->t->u[i].item == R->at) {
			if (!*n) *first = i;
			(*n)++;
		}
}

static const struct calib_unit *unit0(const struct rv *R)
{
	size_t first, n;
	units_of(R, &first, &n);
	return n ? &R->t->u[first] : NULL;
}

/* ---- tags ---- */

/* s without its leading and trailing spaces (cut in place) */
static char *tag_trim(char *s)
{
	char *e;
	while (*s == ' ') s++;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--) {}
	*e = 0;
	return s;
}

/* 0 when every comma-separated tag is a name (a tag is a name: no control
 * character or bidi override), else EX_USAGE with "tag N: a name cannot
 * ..." in e */
static int tags_check(const char *tags, struct gs_err *e)
{
	char **v = split_list(tags, ',');
	int rc = 0;
	for (size_t i = 0, k = 0; v[i] && !rc; i++) {
		char *s = tag_trim(v[i]), why[96];
		const char *w = *s ? jsoncheck_name(s, strlen(s), why) : NULL;
		k += *s != 0;
		if (w) rc = gs_fail(e, EX_USAGE, "tag %zu: a name cannot %s", k, w);
	}
	strv_free(v);
	return rc;
}

char *review_tags_json(const char *tags)
{
	if (!tags) return NULL;
	char **v = split_list(tags, ',');
	struct jo *a = jo_array();
	size_t n = 0;
	for (size_t i = 0; v[i]; i++) {
		char *s = tag_trim(v[i]);
		if (*s) {
			jo_str(a, NULL, s);
			n++;
		}
	}
	char *j = n ? jo_string(a, 0) : NULL;
	jo_free(a);
	strv_free(v);
	return j;
}

/* ---- the item shown ---- */

static const char *output_of(const struct item *it, const char *sys)
{
	for (size_t i = 0; sys && i < it->noutputs; i++)
		if (it->outputs[i].system && strcmp(it->outputs[i].system, sys) == 0) return it->outputs[i].text;
	return NULL;
}

static void build_doc(struct rv *R)
{
	idoc_clear(R->doc);
	if (!R->have_item) {
		idoc_add(R->doc, "ITEM", TUI_WARN, "this item is no longer in the workspace");
		return;
	}
	if (single(R)) {
		itemview_single(R->doc, &R->it, R->show_ref);
		return;
	}
	itemview_input(R->doc, &R->it);
	for (size_t i = 0; i < R->it.noutputs; i++) {
		char *title = xasprintf("OUTPUT %s", R->it.outputs[i].system ? R->it.outputs[i].system : "?");
		idoc_add(R->doc, title, TUI_SELECTED, output_of(&R->it, R->it.outputs[i].system));
		free(title);
	}
	if (R->show_ref && R->it.reference) idoc_add(R->doc, "REFERENCE", TUI_GOOD, R->it.reference);
}

static void load_recorded(struct rv *R)
{
	const struct calib_unit *u = unit0(R);
	const struct review_out *o = &R->out[R->at];
	for (size_t s = 0; s < R->t->nslots; s++) {
		R->recorded[s] = -1;
		if (!u || !single(R)) continue;
		char *key = calib_key(R->t, u, s);
		const struct calib_cons *c = calib_cons_find(&R->cons, u->ext_id, key);
		free(key);
		if (c) R->recorded[s] = calib_value_parse(R->t, u, s, c->value);
		if (o->agreed) R->recorded[s] = o->agreed[s];   /* saved in this session */
	}
	memcpy(R->agreed, R->recorded, R->t->nslots * sizeof *R->agreed);
}

static void show(struct rv *R, size_t i)
{
	if (R->have_item) item_free(&R->it);
	R->at = i;
	R->have_item = 0;
	struct store_item si;
	struct gs_err e;
	if (store_item_get(R->o->st, R->o->items[i], &si, &e) == 0) {
		R->have_item = item_from_canon(si.json, &R->it, &e) == 0;
		store_item_free(&si);
	}
	build_doc(R);
	load_recorded(R);
	free(R->note);
	free(R->tags);
	R->note = R->out[i].note ? xstrdup(R->out[i].note) : NULL;
	R->tags = R->out[i].tags ? xstrdup(R->out[i].tags) : NULL;
	R->focus = 0;
}

static int dirty(const struct rv *R)
{
	const struct review_out *o = &R->out[R->at];
	for (size_t s = 0; s < R->t->nslots; s++)
		if (R->agreed[s] != R->recorded[s]) return 1;
	const char *a = R->note ? R->note : "", *b = o->note ? o->note : "";
	const char *c = R->tags ? R->tags : "", *d = o->tags ? o->tags : "";
	return strcmp(a, b) || strcmp(c, d);
}

static size_t reviewed(const struct rv *R)
{
	size_t n = 0;
	for (size_t i = 0; i < R->o->n; i++) n += R->out[i].reviewed;
	return n;
}

/* ---- saving ---- */

static int write_consensus(struct rv *R, const struct calib_unit *u, size_t s, struct gs_err *e)
{
	char *key = calib_key(R->t, u, s);
	char *val = calib_value_json(R->t, u, s, R->agreed[s]);
	char *src = xasprintf("review:%s", R->o->session);
	struct store_consensus c = {u->ext_id, R->t->r->name, key, val, NULL, R->note, src, NULL, R->t->r->version};
	int rc = store_consensus_add(R->o->st, &c, e);
	free(key);
	free(val);
	free(src);
	return rc;
}

/* the agreed values that changed and the review mark, all or nothing */
static int write_review(struct rv *R, struct gs_err *e)
{
	const struct calib_unit *u = unit0(R);
	char *tags = review_tags_json(R->tags);
	struct store_review rr = {R->o->items[R->at], R->o->session, R->t->r->name, tags, R->note, NULL};
	int rc = store_begin(R->o->st, e);
	for (size_t s = 0; !rc && u && s < R->t->nslots; s++)
		if (R->agreed[s] != R->recorded[s]) rc = write_consensus(R, u, s, e);
	if (!rc) rc = store_review_add(R->o->st, &rr, e);
	if (!rc) rc = store_commit(R->o->st, e);
	else store_rollback(R->o->st);
	free(tags);
	return rc;
}

/* the item's outcome: reviewed, with what is on screen now */
static void keep_outcome(struct rv *R)
{
	struct review_out *o = &R->out[R->at];
	o->reviewed = 1;
	free(o->note);
	free(o->tags);
	o->note = R->note ? xstrdup(R->note) : NULL;
	o->tags = R->tags ? xstrdup(R->tags) : NULL;
	if (!o->agreed) o->agreed = xmalloc((R->t->nslots + 1) * sizeof *o->agreed);
	memcpy(o->agreed, R->agreed, R->t->nslots * sizeof *o->agreed);
}

static void save(struct rv *R)
{
	struct gs_err e;
	if (write_review(R, &e)) {
		say(R, TUI_WARN, "not saved: %s", e.msg);
		return;
	}
	keep_outcome(R);
	size_t done = reviewed(R);
	if (R->at + 1 < R->o->n) {
		show(R, R->at + 1);
		say(R, TUI_GOOD, "reviewed %zu of %zu", done, R->o->n);
	} else {
		load_recorded(R);
		say(R, TUI_GOOD, "reviewed %zu of %zu: q ends the session and writes the summary", done, R->o->n);
	}
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
	{"j k  Down Up", "scroll the item"},
	{"PgDn PgUp", "scroll a page"},
	{"?", "this help"},
	{"q", "end the review and write the summary to reviews/"},
};

static const struct tui_key hints[] = {
	{"?", "keys"}, {"1-9", "agree"}, {"Tab", "next"}, {"c", "note"}, {"t", "tags"}, {"Enter", "reviewed"},
	{"n/p", "move"}, {"q", "end"},
};

static void pick(struct rv *R, int digit)
{
	if (!single(R)) {
		say(R, TUI_DIM, "pairwise items: the review keeps notes and tags only");
		return;
	}
	struct slot_info si;
	rubric_slot_info(R->t->r, R->focus, &si);
	if (digit > si.nopts) {
		say(R, TUI_WARN, "\"%s\" has %d options: press 1-%d", si.name, si.nopts, si.nopts);
		return;
	}
	R->agreed[R->focus] = digit - 1;
	if (R->focus + 1 < R->t->nslots) R->focus++;
	R->msg[0] = 0;
}

static int prompt(struct rv *R, const char *label, char **field)
{
	char *text;
	int rc = tui_prompt(&R->scr, label, *field, &text);
	if (rc == TUI_LOST) return rc;
	struct gs_err e;
	if (rc == 1 && field == &R->tags && tags_check(text, &e)) {
		say(R, TUI_WARN, "tags not changed: %s", e.msg);
		free(text);
		return TUI_CONTINUE;
	}
	if (rc == 1) {
		free(*field);
		*field = *text ? text : NULL;
		if (!*text) free(text);
		say(R, TUI_DIM, "Enter marks the item reviewed with it");
	}
	return TUI_CONTINUE;
}

static void step(struct rv *R, int dir)
{
	if ((dir < 0 && R->at == 0) || (dir > 0 && R->at + 1 >= R->o->n)) {
		say(R, TUI_DIM, dir < 0 ? "this is the first item" : "this is the last item: q ends the review");
		return;
	}
	if (dirty(R)) say(R, TUI_DIM, "left without marking it reviewed");
	else R->msg[0] = 0;
	show(R, dir > 0 ? R->at + 1 : R->at - 1);
}

static void focus_step(struct rv *R, int dir)
{
	size_t n = R->t->nslots;
	if (!n) return;
	R->focus = dir > 0 ? (R->focus + 1) % n : (R->focus + n - 1) % n;
}

static void toggle_ref(struct rv *R)
{
	if (!R->have_item || !R->it.reference) {
		say(R, TUI_DIM, "this item has no reference answer");
		return;
	}
	R->show_ref = !R->show_ref;
	build_doc(R);
	if (R->show_ref) idoc_end(R->doc);
}

static int code_key(struct rv *R, int key)
{
	if (idoc_key(R->doc, key, 1)) return TUI_CONTINUE;
	if (key == KEY_BTAB || key == KEY_LEFT) focus_step(R, -1);
	else if (key == KEY_RIGHT) focus_step(R, 1);
	else if (key == KEY_ENTER) save(R);
	else if (key == KEY_BACKSPACE || key == KEY_DC) R->agreed[R->focus] = -1;
	return TUI_CONTINUE;
}

static int rv_key(void *st, int key, int code)
{
	struct rv *R = st;
	int armed = R->quit_armed;
	R->quit_armed = 0;
	if (code) return code_key(R, key);
	if (idoc_key(R->doc, key, 0)) return TUI_CONTINUE;
	if (key >= '1' && key <= '9') pick(R, key - '0');
	else if (key == '\t') focus_step(R, 1);
	else if (key == '\n' || key == '\r') save(R);
	else if (key == 127 || key == 8) R->agreed[R->focus] = -1;
	else if (key == 'c') return prompt(R, "Note (Enter keeps, Esc cancels):", &R->note);
	else if (key == 't') return prompt(R, "Tags, comma-separated:", &R->tags);
	else if (key == 'n') step(R, 1);
	else if (key == 'p') step(R, -1);
	else if (key == 'r') toggle_ref(R);
	else if (key == '?') tui_help(&R->scr, "goldset review: keys", help_keys, ARRAY_LEN(help_keys));
	else if (key == 'q' && dirty(R) && !armed) {
		R->quit_armed = 1;
		say(R, TUI_WARN, "this item is not marked reviewed: Enter marks it, q again ends without it");
	} else if (key == 'q') return QUIT;
	else say(R, TUI_DIM, "? shows the keys");
	return TUI_CONTINUE;
}

/* ---- drawing: the labels panel ---- */

/* rows laid out top to bottom from line `skip`; full mode wraps the
 * focused question and options, compact mode is the table alone */
struct flow {
	int y, x, w, h, draw, compact, tight;
	long line, skip, fa, fb;      /* fa..fb: the focused criterion's rows */
};

static int fl_row(struct flow *f)
{
	long l = f->line++;
	if (!f->draw || l < f->skip || l >= f->skip + f->h) return -1;
	return f->y + (int)(l - f->skip);
}

static void fl_para(struct flow *f, int indent, enum tui_style st, const char *s)
{
	int w = f->w - indent > 0 ? f->w - indent : 1;
	size_t n = itemview_para(0, 0, w, 0, 0, st, s);
	for (size_t i = 0; i < (n ? n : 1); i++) {
		int y = fl_row(f);
		if (y >= 0) itemview_para(y, f->x + indent, w, 1, i, st, s);
	}
}

struct cols { int name, agreed, rater[32], n; };

static int value_w(const struct rv *R, const struct calib_unit *u, size_t r)
{
	int w = 0;
	char buf[32];
	for (size_t s = 0; s < R->t->nslots; s++) {
		int v = calib_val(R->t, u, r, s), k = tui_text_width(calib_value_text(R->t, u, s, v, buf));
		if (k > w) w = k;
	}
	return w;
}

/* column widths at panel width w: names in full when every rater fits,
 * else cut to their values' width; as many raters as fit */
static void layout(const struct rv *R, const struct calib_unit *u, int w, struct cols *c)
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
	int y = fl_row(f);
	if (y < 0) return;
	int x = f->x + 2 + c->name + 1;
	tui_text(y, f->x + 2, c->name, TUI_DIM, "criterion");
	if (c->agreed) tui_text(y, x, c->agreed - 1, TUI_GOOD, c->agreed >= 7 ? "agreed" : "=");
	x += c->agreed;
	for (int r = 0; r < c->n; r++) {
		tui_text(y, x, c->rater[r] - 1, calib_is_judge(R->t->raters[r]) ? TUI_DIM : TUI_KEY, R->t->raters[r]);
		x += c->rater[r];
	}
	if ((size_t)c->n < R->t->nraters) tui_textf(y, x, f->x + f->w - x, TUI_DIM, "+%zu", R->t->nraters - (size_t)c->n);
}

/* a value that differs from what most others said is marked */
static enum tui_style cell_style(const struct rv *R, const struct calib_unit *u, size_t r, size_t s)
{
	int v = calib_val(R->t, u, r, s), same = 0, other = 0;
	if (v < 0) return TUI_DIM;
	for (size_t k = 0; k < R->t->nraters; k++) {
		int w = calib_val(R->t, u, k, s);
		if (k == r || w < 0) continue;
		if (w == v) same++;
		else other++;
	}
	return other > same ? TUI_WARN : TUI_NORMAL;
}

static void value_row(const struct rv *R, struct flow *f, const struct cols *c, const struct calib_unit *u, size_t s)
{
	struct slot_info si;
	char buf[32];
	rubric_slot_info(R->t->r, s, &si);
	int focused = single(R) && R->focus == s;
	if (focused) f->fa = f->line;
	int y = fl_row(f);
	if (y < 0) return;
	tui_text(y, f->x, 2, TUI_KEY, focused ? "> " : "  ");
	tui_text(y, f->x + 2, c->name, focused ? TUI_SELECTED : TUI_NORMAL, si.name);
	int x = f->x + 2 + c->name + 1;
	if (c->agreed) {
		int v = R->agreed[s];
		tui_text(y, x, c->agreed - 1, v < 0 ? TUI_DIM : v != R->recorded[s] ? TUI_SELECTED : TUI_GOOD,
			 v < 0 ? "-" : calib_value_text(R->t, u, s, v, buf));
	}
	x += c->agreed;
	for (int r = 0; r < c->n; r++) {
		int v = calib_val(R->t, u, (size_t)r, s);
		tui_text(y, x, c->rater[r] - 1, cell_style(R, u, (size_t)r, s), v < 0 ? "-" : calib_value_text(R->t, u, s, v, buf));
		x += c->rater[r];
	}
}

static void focused_detail(const struct rv *R, struct flow *f)
{
	struct slot_info si;
	char buf[32];
	const struct calib_unit *u = unit0(R);
	rubric_slot_info(R->t->r, R->focus, &si);
	int y = fl_row(f);
	if (y >= 0) tui_text(y, f->x + 2, f->w - 2, TUI_KEY, si.name);
	if (*si.crit->question) fl_para(f, 2, TUI_NORMAL, si.crit->question);
	for (int k = 0; k < si.nopts && u; k++) {
		const char *a = si.crit->type == CRIT_SCALE && si.crit->anchors ? si.crit->anchors[k] : NULL;
		const char *v = calib_value_text(R->t, u, R->focus, k, buf);
		int plain = si.crit->type == CRIT_SCALE && si.crit->min == 1;
		char *text = a && plain ? xstrdup(a) : a ? xasprintf("= %s: %s", v, a) : xstrdup(plain ? "" : v);
		long l0 = f->line;
		enum tui_style st = R->agreed[R->focus] == k ? TUI_SELECTED : TUI_DIM;
		if (f->tight) {
			int y = fl_row(f);
			if (y >= 0) tui_text(y, f->x + 6, f->w - 6, st, text);
		} else {
			fl_para(f, 6, st, text);
		}
		if (l0 >= f->skip && l0 < f->skip + f->h && f->draw)
			tui_textf(f->y + (int)(l0 - f->skip), f->x + 2, 3, TUI_KEY, "%d", k + 1);
		free(text);
	}
	f->fb = f->line;
}

static void field_row(struct flow *f, const char *label, const char *text, const char *empty)
{
	int y = fl_row(f);
	if (y < 0) return;
	int col = tui_text(y, f->x, f->w, TUI_KEY, label);
	tui_text(y, f->x + col, f->w - col, text ? TUI_NORMAL : TUI_DIM, text ? text : empty);
}

static void pair_heading(struct flow *f, const struct calib_unit *u)
{
	int y = fl_row(f);
	if (y < 0) return;
	int col = tui_text(y, f->x, f->w, TUI_KEY, u->sys[0]);
	col += tui_text(y, f->x + col, f->w - col, TUI_DIM, " vs ");
	tui_text(y, f->x + col, f->w - col, TUI_KEY, u->sys[1]);
}

static void panel_flow(const struct rv *R, struct flow *f)
{
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
	f->line += !f->compact;
	field_row(f, "tags ", R->tags, "(t adds some)");
	field_row(f, "note ", R->note, "(c: what the group saw)");
	if (!f->compact && single(R) && n) {
		f->line++;
		focused_detail(R, f);
	}
}

/* level 0: question and options wrapped; 1: options one row each; 2: the table alone */
static long panel_measure(const struct rv *R, int w, int level, struct flow *m)
{
	*m = (struct flow){.w = w, .tight = level >= 1, .compact = level >= 2};
	panel_flow(R, m);
	return m->line;
}

static void draw_panel(const struct rv *R, int y, int x, int h, int w)
{
	struct flow m;
	int level = 0;
	while (level < 2 && panel_measure(R, w, level, &m) > h) level++;
	if (level == 2) panel_measure(R, w, level, &m);
	long top = 0, fa = m.fa, fb = level == 2 ? m.fa + 1 : m.fb;
	if (m.line > h && fb > h) top = fb - h;   /* keep the focused criterion in view */
	if (top > fa) top = fa;
	if (top < 0) top = 0;
	struct flow f = {.y = y, .x = x, .w = w, .h = h, .draw = 1, .tight = m.tight, .compact = m.compact, .skip = top};
	panel_flow(R, &f);
}

/* ---- drawing: the screen ---- */

static void draw_title(const struct rv *R, int cols)
{
	char *left = xasprintf("goldset review  %s v%d", R->t->r->name, R->t->r->version);
	char right[64];
	snprintf(right, sizeof right, cols >= 40 ? "item %zu/%zu" : "%zu/%zu", R->at + 1, R->o->n);
	tui_title(0, left, right);
	free(left);
}

static void draw_info(const struct rv *R, int y, int cols)
{
	int pw = cols >= 60 ? cols / 3 : cols / 2;
	int lw = cols - pw - 1, col = 0;
	if (cols >= 60) {
		tui_text(y, cols - pw - 9, 9, TUI_DIM, "reviewed ");
		lw -= 9;
	}
	tui_progress(y, cols - pw, pw, (long)reviewed(R), (long)R->o->n);
	col += tui_text(y, 0, lw, TUI_KEY, R->o->items[R->at]);
	if (col < lw && R->out[R->at].reviewed) col += tui_text(y, col, lw - col, TUI_GOOD, " reviewed");
	if (col < lw && dirty(R)) col += tui_text(y, col, lw - col, TUI_WARN, " unsaved");
	const char *slice = R->o->slice_key && R->have_item ? item_meta(&R->it, R->o->slice_key) : NULL;
	if (slice && col + 2 < lw) tui_textf(y, col + 2, lw - col - 2, TUI_DIM, "%s=%s", R->o->slice_key, slice);
}

static void draw_divider(int y, int x, int h, int vertical, int w)
{
	for (int i = 0; i < (vertical ? h : w); i++) {
		int yy = vertical ? y + i : y, xx = vertical ? x : x + i;
		if (yy >= 0 && yy < LINES && xx >= 0 && xx < COLS) mvadd_wch(yy, xx, vertical ? WACS_VLINE : WACS_HLINE);
	}
}

static void draw_body(struct rv *R, int y, int h, int cols)
{
	if (cols >= WIDE_COLS) {
		int pw = cols / 2, iw = cols - pw - 1;
		idoc_draw(R->doc, y, 0, h, iw);
		draw_divider(y, iw, h, 1, 1);
		draw_panel(R, y, iw + 2, h, pw - 1);
		return;
	}
	struct flow m;
	long need = panel_measure(R, cols, 2, &m);
	int ph = (int)need, div = 1;
	if (ph > h / 2 + 1) ph = h / 2 + 1;
	if (ph < 1) ph = 1;
	int ih = h - ph - div;
	if (ih < 1) {
		ih = h > 3 ? 1 : 0;
		div = 0;
		ph = h - ih;
	}
	if (ih) idoc_draw(R->doc, y, 0, ih, cols);
	if (div) draw_divider(y + ih, 0, 1, 0, cols);
	draw_panel(R, y + ih + div, 0, ph, cols);
}

static void rv_draw(void *st)
{
	struct rv *R = st;
	int rows = tui_rows(), cols = tui_cols();
	if (rows <= 0 || cols <= 0) return;
	draw_title(R, cols);
	if (rows >= 2) tui_status(rows - 1, R->msg, R->msg_st, hints, ARRAY_LEN(hints));
	int y = 1, h = rows - 2;
	if (rows >= 10) {
		draw_info(R, 1, cols);
		y++, h--;
	}
	if (h < 1) return;
	if (h >= META_ROWS && R->have_item) {
		itemview_meta(y, 0, cols, &R->it);
		y++, h--;
	}
	draw_body(R, y, h, cols);
}

/* ---- set-up ---- */

void review_out_free(struct review_out *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(out[i].note);
		free(out[i].tags);
		free(out[i].agreed);
		memset(&out[i], 0, sizeof out[i]);
	}
}

int review_screen(const struct review_opts *o, struct review_out *out, struct gs_err *e)
{
	if (!o->n) return 0;
	struct rv *R = xcalloc(1, sizeof *R);
	R->o = o;
	R->t = o->t;
	R->out = out;
	if (calib_cons_load(o->st, o->t->r->name, NULL, &R->cons, e)) {
		free(R);
		return e->code;
	}
	if (tui_init()) {
		calib_cons_free(&R->cons);
		free(R);
		return gs_fail(e, EX_UNAVAILABLE, "review needs a terminal (stdin and stdout must be a tty); --list prints the ids");
	}
	R->agreed = xcalloc(o->t->nslots + 1, sizeof *R->agreed);
	R->recorded = xcalloc(o->t->nslots + 1, sizeof *R->recorded);
	R->doc = idoc_new();
	R->scr = (struct tui_screen){rv_draw, rv_key, R};
	show(R, 0);
	int rc = tui_run(&R->scr);
	rc = rc == TUI_LOST && tui_signal() ? 128 + tui_signal() : 0;
	tui_end();
	if (R->have_item) item_free(&R->it);
	idoc_free(R->doc);
	calib_cons_free(&R->cons);
	free(R->agreed);
	free(R->recorded);
	free(R->note);
	free(R->tags);
	free(R);
	return rc;
}
