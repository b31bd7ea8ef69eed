/* label.c: the labeling screen (label_screen.h, DESIGN "Screens"), in the
 * ncdu way: all state in one struct lbl, lbl_draw() paints the whole screen
 * from it, lbl_key() changes it; tui_run() (widgets.c) only dispatches.
 *
 * The rater works through a store_queue (store.c) one item at a time: the
 * screen holds the current item and nothing else of the set. A save is one
 * label row, committed before the next item is drawn (label_save); undo
 * appends a row restoring what the save replaced. Comments, flags and skips
 * are marks, written the moment they are made. Item text is drawn by
 * itemview.c; rubric text and messages go through tui_text; nothing here
 * writes bytes to the terminal itself. Other raters' labels are never read. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "label_screen.h"

#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "itemview.h"
#include "items.h"
#include "panel.h"
#include "tui.h"
#include "util.h"

#define UNDO_MAX 64
#define WIDE_COLS 90      /* from here the rubric sits beside the item */
#define META_ROWS 10      /* body rows needed before the meta line is shown */
#define QUIT 1

struct undo {
	char *ext_id;
	long long item_row;       /* the version the undone save was made on */
	int *slots;               /* its answers, shown again after the undo */
	struct store_label prev;  /* the label it replaced */
	int had_prev;
};

struct lbl {
	const struct label_opts *o;
	const struct rubric *r;
	store_queue *q;
	struct tui_screen scr;
	size_t nslots, focus;
	int *slots;               /* answers on screen */
	int *saved;               /* the rater's saved answers on this item */
	int has_saved;            /* a current label on this version of the item */
	int stale;                /* the rater's label is on an older version */
	int have;                 /* an item is shown (0: nothing left to label) */
	struct store_item cur;
	struct store_label lab;   /* the rater's label row on it (id 0: none), for undo */
	struct item it;
	struct idoc *doc;
	int show_ref, flagged, quit_armed;
	char *note;               /* comment going with this item's label */
	double shown_at;
	struct store_queue_counts n;
	long saves;
	char msg[512];
	enum tui_style msg_st;
	struct undo undo[UNDO_MAX];
	int nundo;
};

static void say(struct lbl *L, enum tui_style st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(struct lbl *L, enum tui_style st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(L->msg, sizeof L->msg, fmt, ap);
	va_end(ap);
	L->msg_st = st;
}

/* ---- answers ---- */

/* how many answers are missing; *first_missing (if not NULL) gets the first */
static int missing(const struct lbl *L, size_t *first_missing)
{
	size_t miss = 0;
	for (size_t i = L->nslots; i-- > 0;)
		if (L->slots[i] < 0) {
			miss++;
			if (first_missing) *first_missing = i;
		}
	return (int)miss;
}

/* the answers on screen differ from the saved ones (or exist, when none are) */
static int dirty(const struct lbl *L)
{
	for (size_t i = 0; i < L->nslots; i++)
		if (L->has_saved ? L->slots[i] != L->saved[i] : L->slots[i] >= 0) return 1;
	return 0;
}

/* the rater's own current label on the item shown, kept for undo */
static void load_label(struct lbl *L)
{
	struct gs_err e;
	store_label_free(&L->lab);
	if (store_label_current(L->o->st, L->r->name, L->cur.ext_id, L->o->rater, "", &L->lab, &e))
		memset(&L->lab, 0, sizeof L->lab);
}

/* that label fills the answers */
static void load_saved(struct lbl *L)
{
	const struct store_label *l = &L->lab;
	struct gs_err e;
	for (size_t i = 0; i < L->nslots; i++) L->slots[i] = L->saved[i] = -1;
	L->has_saved = L->stale = 0;
	free(L->note);
	L->note = NULL;
	load_label(L);
	if (l->vals && rubric_values_from_json(L->r, l->vals, NULL, NULL, 0, L->saved, "", &e) == 0) {
		L->has_saved = l->item_row == L->cur.id;
		L->stale = !L->has_saved;
		memcpy(L->slots, L->saved, L->nslots * sizeof *L->slots);
		if (l->note) L->note = xstrdup(l->note);
	} else {
		for (size_t i = 0; i < L->nslots; i++) L->saved[i] = -1;
	}
}

/* ---- the item shown ---- */

static void drop_item(struct lbl *L)
{
	if (!L->have) return;
	store_item_free(&L->cur);
	store_label_free(&L->lab);
	item_free(&L->it);
	idoc_clear(L->doc);
	free(L->note);
	L->note = NULL;
	L->have = 0;
}

/* counts once at start, after a skip and when all is done; in between the
 * screen keeps "done" itself (a save adds one) and asks only the position */
static void refresh_counts(struct lbl *L)
{
	struct gs_err e;
	if (store_queue_counts(L->q, L->have ? &L->cur : NULL, &L->n, &e)) say(L, TUI_WARN, "%s", e.msg);
}

static void refresh_pos(struct lbl *L)
{
	struct gs_err e;
	if (store_queue_position(L->q, L->have ? &L->cur : NULL, &L->n.pos, &e)) say(L, TUI_WARN, "%s", e.msg);
}

static void build_view(struct lbl *L)
{
	size_t top = idoc_top(L->doc);
	idoc_clear(L->doc);
	itemview_single(L->doc, &L->it, L->show_ref);
	idoc_set_top(L->doc, top);
}

/* shows *si (taken over): its text, the rater's saved answers, its flag */
static void show_item(struct lbl *L, struct store_item *si)
{
	struct gs_err e;
	drop_item(L);
	L->cur = *si;
	L->have = 1;
	if (item_from_canon(L->cur.json, &L->it, &e)) {
		memset(&L->it, 0, sizeof L->it);
		say(L, TUI_WARN, "cannot read this item: %s", e.msg);
	}
	load_saved(L);
	if (store_item_flagged(L->o->st, L->cur.ext_id, L->o->rater, &L->flagged, &e)) L->flagged = 0;
	itemview_single(L->doc, &L->it, L->show_ref);
	L->focus = 0;
	missing(L, &L->focus);
	L->shown_at = now_seconds();
	if (L->stale)
		say(L, TUI_WARN, "this item changed since you labeled it: your answers are filled in, check them and press Enter");
	refresh_pos(L);
}

/* shows the next item the rater still has to label after from (NULL: from
 * the start), wrapping to the start; none left: the "all done" view */
static void todo_from(struct lbl *L, const struct store_item *from)
{
	struct store_item si;
	struct gs_err e;
	int rc = store_queue_step(L->q, from, 1, 1, &si, &e);
	if (rc == EX_NOINPUT && from) rc = store_queue_step(L->q, NULL, 1, 1, &si, &e);
	if (rc == 0) {
		show_item(L, &si);
	} else if (rc == EX_NOINPUT) {
		drop_item(L);
		refresh_counts(L);
	} else {
		say(L, TUI_WARN, "%s", e.msg);
	}
}

static void next_todo(struct lbl *L) { todo_from(L, L->have ? &L->cur : NULL); }

/* start-up: the first item still to label at or after the one the rater
 * labeled last (where the last session stopped), else from the start */
static void resume(struct lbl *L)
{
	struct store_item last, before;
	struct gs_err e;
	if (store_queue_last(L->q, &last, &e)) {
		todo_from(L, NULL);
		return;
	}
	int rc = store_queue_step(L->q, &last, -1, 0, &before, &e);
	todo_from(L, rc == 0 ? &before : NULL);
	if (rc == 0) store_item_free(&before);
	store_item_free(&last);
}

/* n / p: the next or previous item in the order, labeled or not */
static void step_item(struct lbl *L, int dir)
{
	struct store_item si;
	struct gs_err e;
	int left_unsaved = L->have && dirty(L);
	char *from = L->have ? xstrdup(L->cur.ext_id) : NULL;
	int rc = store_queue_step(L->q, L->have ? &L->cur : NULL, dir, 0, &si, &e);
	if (rc == 0) {
		show_item(L, &si);
		if (left_unsaved) say(L, TUI_WARN, "left %s without saving its answers", from);
		else if (!L->stale) L->msg[0] = 0;
	} else if (rc == EX_NOINPUT) {
		say(L, TUI_DIM, dir > 0 ? "this is the last item" : "this is the first item");
	} else {
		say(L, TUI_WARN, "%s", e.msg);
	}
	free(from);
}

/* ---- saving and undo ---- */

int label_save(store *s, const struct label_save *ls, long long *id, struct gs_err *e)
{
	char *vals = rubric_values_to_json(ls->r, ls->slots, NULL, NULL);
	struct store_label l = {
		.item_row = ls->item->id, .ext_id = ls->item->ext_id, .rubric = ls->r->name,
		.rubric_version = ls->r->version, .rubric_hash = ls->r->hash, .rater = ls->rater,
		.login = gs_login(), .vals = vals, .note = ls->note, .pair_key = "", .seconds = ls->seconds,
		.source = "screen", .batch = ls->batch,
	};
	int rc = store_label_add(s, &l, id, e);
	free(vals);
	return rc;
}

static void undo_free(struct undo *u)
{
	free(u->ext_id);
	free(u->slots);
	if (u->had_prev) store_label_free(&u->prev);
	memset(u, 0, sizeof *u);
}

static void push_undo(struct lbl *L, struct store_label *prev)
{
	if (L->nundo == UNDO_MAX) {
		undo_free(&L->undo[0]);
		memmove(L->undo, L->undo + 1, (UNDO_MAX - 1) * sizeof *L->undo);
		L->nundo--;
	}
	struct undo *u = &L->undo[L->nundo++];
	u->ext_id = xstrdup(L->cur.ext_id);
	u->item_row = L->cur.id;
	u->slots = xmalloc(L->nslots * sizeof *u->slots);
	memcpy(u->slots, L->slots, L->nslots * sizeof *u->slots);
	u->had_prev = prev->id != 0;
	u->prev = *prev;
}

/* saves the answers on screen; 0 when the row is committed */
static int save_now(struct lbl *L)
{
	struct label_save ls = {L->r, L->slots, &L->cur, L->o->rater, L->note, L->o->batch,
				now_seconds() - L->shown_at};
	struct gs_err e;
	if (label_save(L->o->st, &ls, NULL, &e)) {
		say(L, TUI_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	push_undo(L, &L->lab);   /* the undo entry takes the replaced row over */
	memset(&L->lab, 0, sizeof L->lab);
	load_label(L);
	L->saves++;
	if (!L->has_saved) L->n.done++;
	memcpy(L->saved, L->slots, L->nslots * sizeof *L->saved);
	L->has_saved = 1;
	L->stale = 0;
	return 0;
}

static void save(struct lbl *L)
{
	size_t first = 0;
	int miss = missing(L, &first);
	if (miss) {
		struct slot_info si;
		L->focus = first;
		rubric_slot_info(L->r, first, &si);
		say(L, TUI_WARN, "%d answer%s missing: \"%s\" is next (Enter saves once all are given)", miss,
		    miss > 1 ? "s" : "", si.name);
		return;
	}
	if (L->has_saved && !dirty(L)) {
		say(L, TUI_DIM, "%s unchanged (already saved)", L->cur.ext_id);
		next_todo(L);
		return;
	}
	char *id = xstrdup(L->cur.ext_id);
	if (save_now(L) == 0) {
		say(L, TUI_GOOD, "saved %s", id);
		next_todo(L);
	}
	free(id);
}

/* the label row that puts back what u's save replaced */
static struct store_label undo_row(const struct lbl *L, const struct undo *u)
{
	struct store_label row = {0};
	if (u->had_prev) row = u->prev;
	else {
		row.item_row = u->item_row;
		row.ext_id = u->ext_id;
		row.rubric = L->r->name;
		row.rubric_version = L->r->version;
		row.rubric_hash = L->r->hash;
		row.rater = L->o->rater;
		row.batch = L->o->batch;
	}
	row.id = 0;
	row.login = gs_login();
	row.pair_key = "";
	row.left_sys = row.right_sys = row.sides = NULL;
	row.seconds = -1;
	row.source = "undo";
	row.at = NULL;
	return row;
}

static void undo(struct lbl *L)
{
	struct gs_err e;
	if (!L->nundo) {
		say(L, TUI_DIM, "nothing to undo (u undoes saves made since the screen opened)");
		return;
	}
	struct undo *u = &L->undo[L->nundo - 1];
	struct store_label row = undo_row(L, u);
	if (store_label_add(L->o->st, &row, NULL, &e)) {
		say(L, TUI_WARN, "undo failed: %s", e.msg);
		return;
	}
	struct store_item si;
	if (store_item_get(L->o->st, u->ext_id, &si, &e) == 0) {
		int still_done = u->had_prev && u->prev.vals && u->prev.item_row == si.id;
		if (!still_done && L->n.done > 0) L->n.done--;
		show_item(L, &si);
		memcpy(L->slots, u->slots, L->nslots * sizeof *L->slots);
	}
	say(L, TUI_GOOD, "undone: %s %s%s", u->ext_id, u->had_prev ? "has its previous label back" : "is unlabeled again",
	    dirty(L) ? " (the undone answers are shown: Enter saves them)" : "");
	undo_free(u);
	L->nundo--;
}

/* ---- marks: comment, flag, skip ---- */

static int mark(struct lbl *L, const char *kind, const char *text)
{
	struct gs_err e;
	if (store_mark_add(L->o->st, L->cur.ext_id, L->r->name, L->o->rater, kind, text, &e)) {
		say(L, TUI_WARN, "NOT saved: %s", e.msg);
		return -1;
	}
	return 0;
}

static int comment(struct lbl *L)
{
	char *text;
	int rc = tui_prompt(&L->scr, "Comment (Enter saves, Esc cancels):", L->note, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 0) {
		say(L, TUI_DIM, "comment not changed");
		return TUI_CONTINUE;
	}
	if (mark(L, "comment", text) == 0) {
		free(L->note);
		L->note = *text ? xstrdup(text) : NULL;
		if (!L->has_saved || dirty(L)) say(L, TUI_GOOD, "comment saved; it goes with this item's label on Enter");
		else if (save_now(L) == 0) say(L, TUI_GOOD, "comment saved with your label");
	}
	free(text);
	return TUI_CONTINUE;
}

static void flag(struct lbl *L)
{
	if (mark(L, L->flagged ? "unflag" : "flag", NULL)) return;
	L->flagged = !L->flagged;
	say(L, TUI_GOOD, L->flagged ? "flagged %s for review (f again removes the flag)" : "flag removed from %s",
	    L->cur.ext_id);
}

static int skip(struct lbl *L)
{
	char *text;
	int rc = tui_prompt(&L->scr, "Skip this item? Reason (optional; Enter skips, Esc cancels):", NULL, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 0) {
		say(L, TUI_DIM, "not skipped");
		return TUI_CONTINUE;
	}
	char *id = xstrdup(L->cur.ext_id);
	if (mark(L, "skip", *text ? text : NULL) == 0) {
		say(L, TUI_GOOD, "skipped %s (n/p bring it back)", id);
		next_todo(L);
		refresh_counts(L);
	}
	free(id);
	free(text);
	return TUI_CONTINUE;
}

/* ---- keys ---- */

static const struct tui_key help_keys[] = {
	{"1-9", "pick the n-th option of the focused criterion, then move on"},
	{"Tab  Shift-Tab", "next / previous criterion (also Right / Left)"},
	{"Backspace", "clear the focused answer"},
	{"Enter", "save (once every criterion has an answer), show the next item"},
	{"u", "undo the last save"},
	{"n  p", "next / previous item without saving"},
	{"c", "comment on this item"},
	{"f", "flag this item for review (again: unflag)"},
	{"s", "skip this item, with an optional reason"},
	{"r", "show / hide the reference answer"},
	{"j k  Down Up", "scroll the item"},
	{"PgDn PgUp", "scroll a page"},
	{"Home End", "top / bottom of the item"},
	{"?", "this help"},
	{"q", "quit (every save is already on disk)"},
};

static const struct tui_key hints_item[] = {
	{"?", "keys"}, {"1-9", "answer"}, {"Tab", "next"}, {"Enter", "save"},
	{"n/p", "move"}, {"u", "undo"}, {"r", "reference"}, {"q", "quit"},
};
static const struct tui_key hints_done[] = {{"n/p", "browse"}, {"u", "undo"}, {"?", "keys"}, {"q", "quit"}};

static void pick(struct lbl *L, int digit)
{
	struct slot_info si;
	rubric_slot_info(L->r, L->focus, &si);
	if (digit > si.nopts) {
		say(L, TUI_WARN, "\"%s\" has %d options: press 1-%d", si.name, si.nopts, si.nopts);
		return;
	}
	L->slots[L->focus] = digit - 1;
	if (L->focus + 1 < L->nslots) L->focus++;
	else missing(L, &L->focus);
	if (!missing(L, NULL)) say(L, TUI_GOOD, "all answered: Enter saves");
	else L->msg[0] = 0;
}

static void toggle_ref(struct lbl *L)
{
	if (!L->it.reference) {
		say(L, TUI_DIM, "this item has no reference answer");
		return;
	}
	L->show_ref = !L->show_ref;
	build_view(L);
	if (L->show_ref) idoc_end(L->doc);
	say(L, TUI_DIM, L->show_ref ? "reference shown at the end of the item (r hides it)" : "reference hidden");
}

static int quit(struct lbl *L, int armed)
{
	if (L->have && dirty(L) && !armed) {
		L->quit_armed = 1;
		say(L, TUI_WARN, "this item's answers are not saved: Enter saves, q again quits without them");
		return TUI_CONTINUE;
	}
	return QUIT;
}

static void focus_step(struct lbl *L, int dir)
{
	if (dir > 0) L->focus = L->focus + 1 < L->nslots ? L->focus + 1 : 0;
	else L->focus = L->focus ? L->focus - 1 : L->nslots - 1;
}

/* keys that need an item on screen; 1 when handled */
static int item_key(struct lbl *L, int key, int code, int *rc)
{
	if (!L->have) return 0;
	if (idoc_key(L->doc, key, code)) return 1;
	if (code) {
		if (key == KEY_BTAB || key == KEY_LEFT) focus_step(L, -1);
		else if (key == KEY_RIGHT) focus_step(L, 1);
		else if (key == KEY_ENTER) save(L);
		else if (key == KEY_BACKSPACE || key == KEY_DC) L->slots[L->focus] = -1;
		else return 0;
		return 1;
	}
	if (key >= '1' && key <= '9') pick(L, key - '0');
	else if (key == '\t') focus_step(L, 1);
	else if (key == '\n' || key == '\r') save(L);
	else if (key == 127 || key == 8) L->slots[L->focus] = -1;
	else if (key == 'c') *rc = comment(L);
	else if (key == 'f') flag(L);
	else if (key == 's') *rc = skip(L);
	else if (key == 'r') toggle_ref(L);
	else return 0;
	return 1;
}

static int lbl_key(void *st, int key, int code)
{
	struct lbl *L = st;
	int armed = L->quit_armed, rc = TUI_CONTINUE;
	L->quit_armed = 0;
	if (item_key(L, key, code, &rc)) return rc;
	if (code) return TUI_CONTINUE;
	switch (key) {
	case 'q': return quit(L, armed);
	case 'u': undo(L); break;
	case 'n': step_item(L, 1); break;
	case 'p': step_item(L, -1); break;
	case '?': tui_help(&L->scr, "goldset label: keys", help_keys, ARRAY_LEN(help_keys)); break;
	default:
		say(L, TUI_DIM, L->have ? "? shows the keys" : "nothing left to label here: n/p browse, q quits");
	}
	return TUI_CONTINUE;
}

/* ---- drawing: the rubric panel ---- */

static const char *type_hint(const struct criterion *c, char buf[64])
{
	if (c->type == CRIT_SCALE) snprintf(buf, 64, "(%d-%d)", c->min, c->max);
	else if (c->type == CRIT_CHECKLIST) snprintf(buf, 64, "(checklist: yes/no each)");
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
		int v = L->slots[slot];
		col += 2;
		col += tui_text(y, x + col, w - col, v < 0 ? TUI_DIM : TUI_GOOD, v < 0 ? "-" : rubric_value_text(L->r, slot, v, vb));
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
		text = xstrdup(rubric_value_text(L->r, slot, k, vb));
	}
	int y = fl_para(f, 0, 5, L->slots[slot] == k ? TUI_SELECTED : TUI_NORMAL, text);
	if (y >= 0) tui_text(y, f->x + 2, 2, TUI_KEY, key);
	free(text);
}

static void plain_crit(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot)
{
	int focused = L->focus == slot;
	if (focused) f->fa = f->line;
	crit_row(L, f, c, slot, focused);
	if (focused) {
		if (*c->question) fl_para(f, 0, 2, TUI_NORMAL, c->question);
		for (size_t k = 0; k < c->noptions; k++) option_row(L, f, c, slot, (int)k);
		f->fb = f->line;
	}
}

static void check_item(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot, size_t k)
{
	int focused = L->focus == slot + k, v = L->slots[slot + k];
	int y = fl_para(f, 0, 8, focused ? TUI_SELECTED : TUI_NORMAL, c->options[k]);
	if (y >= 0) {
		tui_text(y, f->x + 2, 2, TUI_KEY, focused ? "> " : "  ");
		tui_text(y, f->x + 4, 4, v < 0 ? TUI_DIM : TUI_GOOD, v < 0 ? "-" : v ? "yes" : "no");
	}
	if (focused) {
		static const struct tui_key yn[] = {{"1", "no"}, {"2", "yes"}};
		int yy = fl_row(f, 0);
		if (yy >= 0) tui_hints(yy, f->x + 8, f->w - 8, yn, ARRAY_LEN(yn));
	}
}

static void checklist_crit(const struct lbl *L, struct flow *f, const struct criterion *c, size_t slot)
{
	int focused = L->focus >= slot && L->focus < slot + c->noptions;
	if (focused) f->fa = f->line;
	crit_row(L, f, c, slot, focused);
	if (focused && *c->question) fl_para(f, 0, 2, TUI_NORMAL, c->question);
	for (size_t k = 0; k < c->noptions; k++) check_item(L, f, c, slot, k);
	if (focused) f->fb = f->line;
}

static void panel_flow(const void *ctx, struct flow *f)
{
	const struct lbl *L = ctx;
	size_t slot = 0;
	for (size_t i = 0; i < L->r->ncrit; i++) {
		const struct criterion *c = &L->r->crit[i];
		if (c->type == CRIT_CHECKLIST) checklist_crit(L, f, c, slot);
		else plain_crit(L, f, c, slot);
		slot += c->type == CRIT_CHECKLIST ? c->noptions : 1;
	}
	if (*L->r->instructions && !f->compact) {
		fl_blank(f);
		int y = fl_row(f, 0);
		if (y >= 0) tui_text(y, f->x, f->w, TUI_KEY, "How to rate");
		fl_para(f, 0, 0, TUI_DIM, L->r->instructions);
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

static void draw_title(struct lbl *L, int cols)
{
	struct sbuf b = {0};
	sb_addf(&b, "goldset label  %s v%d  rater %s", L->r->name, L->r->version, L->o->rater);
	if (L->o->batch) sb_addf(&b, "  batch %s", L->o->batch);
	if (L->o->set) sb_addf(&b, "  set %s", L->o->set);
	if (L->o->meta_key) sb_addf(&b, "  %s=%s", L->o->meta_key, L->o->meta_value);
	char right[64];
	if (!L->have) snprintf(right, sizeof right, "all done");
	else snprintf(right, sizeof right, cols >= 40 ? "item %lld/%lld" : "%lld/%lld", L->n.pos, L->n.total);
	tui_title(0, b.p, right);
	sb_free(&b);
}

static int draw_marks(struct lbl *L, int y, int x, int w)
{
	int col = 0;
	if (L->have && dirty(L)) col += tui_text(y, x + col, w - col, TUI_WARN, " unsaved");
	else if (L->has_saved) col += tui_text(y, x + col, w - col, TUI_GOOD, " saved");
	if (L->flagged && col < w) col += tui_text(y, x + col, w - col, TUI_WARN, " flagged");
	if (L->note && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, " commented");
	if (L->show_ref && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, " +reference");
	return col;
}

static void draw_info(struct lbl *L, int y, int cols)
{
	int pw = cols >= 60 ? cols / 3 : cols >= 30 ? cols / 2 : cols / 2 + 2;
	int lw = cols - pw - 1, col = 0;
	if (cols >= 60) {
		tui_text(y, cols - pw - 8, 8, TUI_DIM, "labeled ");
		lw -= 8;
	}
	tui_progress(y, cols - pw, pw, (long)L->n.done, (long)L->n.total);
	if (!L->have) return;
	col += tui_text(y, 0, lw, TUI_KEY, L->cur.ext_id);
	if (col < lw) col += draw_marks(L, y, col, lw - col);
	long secs = (long)(now_seconds() - L->shown_at);
	if (col + 8 < lw) col += 2 + tui_textf(y, col + 2, lw - col - 2, TUI_DIM, "%ld:%02ld", secs / 60, secs % 60);
	if (!idoc_at_end(L->doc) && col + 4 < lw) tui_text(y, col + 2, lw - col - 2, TUI_WARN, "more below: j PgDn");
}

/* narrow screens: every answer on one row ("answers 4 - yes"), the focused one marked */
static void draw_answers(struct lbl *L, int y, int cols)
{
	int col = tui_text(y, 0, cols, TUI_DIM, "answers");
	for (size_t i = 0; i < L->nslots && col + 2 < cols; i++) {
		char vb[32];
		int v = L->slots[i];
		const char *t = v < 0 ? "-" : rubric_value_text(L->r, i, v, vb);
		col++;
		col += tui_text(y, col, cols - col, i == L->focus ? TUI_SELECTED : v < 0 ? TUI_DIM : TUI_GOOD, t);
	}
}

static void draw_body(struct lbl *L, int y, int h, int cols)
{
	if (cols >= WIDE_COLS) {
		int pw = cols * 2 / 5;
		if (pw > 64) pw = 64;
		int iw = cols - pw - 1;
		idoc_draw(L->doc, y, 0, h, iw);
		tui_vline(y, iw, h);
		draw_panel(L, y, iw + 2, h, pw - 1, 0);
		return;
	}
	struct flow m;
	int ph = h / 2 > 0 ? h / 2 : 1, div = h >= 6, sum = ph >= 3;   /* sum: a row of all answers */
	long need = measure_panel(L, cols, 0, &m) + sum;
	int compact = m.fb - m.fa > ph - sum;   /* wrapped when the focused criterion fits */
	if (compact) need = measure_panel(L, cols, 1, &m) + sum;
	if (need < ph) ph = (int)need;
	int ih = h - ph - div;
	if (ih < 1) {
		ih = h > 1 ? 1 : 0;
		ph = h - ih;
		div = sum = 0;
	}
	idoc_draw(L->doc, y, 0, ih, cols);
	if (div) tui_hline(y + ih, 0, cols);
	if (sum) draw_answers(L, y + h - ph, cols);
	draw_panel(L, y + h - ph + sum, 0, ph - sum, cols, compact);
}

static void draw_done(struct lbl *L, int y, int h, int cols)
{
	char a[160], b[160];
	snprintf(a, sizeof a, "%lld of %lld items labeled under %s v%d.", L->n.done, L->n.total, L->r->name,
		 L->r->version);
	snprintf(b, sizeof b, "%lld skipped: n / p browse the items, q quits.", L->n.skipped);
	const char *lines[] = {"Nothing left to label here.", "", a, L->n.skipped ? b : "n / p browse the items, q quits."};
	int top = y + (h - (int)ARRAY_LEN(lines)) / 2;
	if (top < y) top = y;
	for (size_t i = 0; i < ARRAY_LEN(lines) && top + (int)i < y + h; i++) {
		int w = tui_text_width(lines[i]), x = w < cols ? (cols - w) / 2 : 0;
		tui_text(top + (int)i, x, cols - x, i ? TUI_NORMAL : TUI_GOOD, lines[i]);
	}
}

static void lbl_draw(void *st)
{
	struct lbl *L = st;
	int rows = tui_rows(), cols = tui_cols();
	if (rows <= 0 || cols <= 0) return;
	draw_title(L, cols);
	if (rows >= 3) {
		if (L->have) tui_status(rows - 1, L->msg, L->msg_st, hints_item, ARRAY_LEN(hints_item));
		else tui_status(rows - 1, L->msg, L->msg_st, hints_done, ARRAY_LEN(hints_done));
	}
	int y = 2, h = rows - 3;
	if (h >= 1 && !L->have) draw_done(L, y, h, cols);
	else if (h >= 1) {
		if (h >= META_ROWS) {
			itemview_meta(y, 0, cols, &L->it);
			y++, h--;
		}
		draw_body(L, y, h, cols);
	}
	if (rows >= 2) draw_info(L, 1, cols);   /* after the body: it says whether the item is scrolled to its end */
}

/* ---- set-up ---- */

static void lbl_free(struct lbl *L)
{
	drop_item(L);
	for (int i = 0; i < L->nundo; i++) undo_free(&L->undo[i]);
	idoc_free(L->doc);
	store_queue_close(L->q);
	free(L->slots);
	free(L->saved);
	free(L);
}

static struct lbl *lbl_new(const struct label_opts *o)
{
	struct lbl *L = xcalloc(1, sizeof *L);
	L->o = o;
	L->r = o->r;
	L->nslots = rubric_slot_count(o->r);
	L->slots = xcalloc(L->nslots ? L->nslots : 1, sizeof *L->slots);
	L->saved = xcalloc(L->nslots ? L->nslots : 1, sizeof *L->saved);
	L->doc = idoc_new();
	L->scr = (struct tui_screen){lbl_draw, lbl_key, L};
	return L;
}

static int open_queue(struct lbl *L, struct gs_err *e)
{
	const struct label_opts *o = L->o;
	struct store_queue_opts qo = {o->r->name, o->rater, o->set, o->meta_key, o->meta_value, o->batch,
				      o->overlap, o->file_order};
	if (store_queue_open(o->st, &qo, &L->q, e)) return e->code;
	if (store_queue_counts(L->q, NULL, &L->n, e)) return e->code;
	if (L->n.total == 0)
		return gs_fail(e, EX_NOINPUT, "nothing to label: no single-output items%s (goldset import adds some)",
			       o->set || o->meta_key || o->batch || o->overlap ? " match these options" : "");
	return 0;
}

int label_screen(const struct label_opts *o, long *saved, struct gs_err *e)
{
	struct lbl *L = lbl_new(o);
	int rc = open_queue(L, e);
	*saved = 0;
	if (!rc && !L->nslots)
		rc = gs_fail(e, EX_DATAERR, "rubric %s has no criteria to answer", o->r->name);
	if (!rc && tui_init())
		rc = gs_fail(e, EX_UNAVAILABLE, "label needs a terminal (stdin and stdout must be a tty)");
	if (rc) {
		lbl_free(L);
		return rc;
	}
	resume(L);
	const char *hook = getenv(LABEL_EXIT_AFTER_DRAW_ENV);
	if (hook && *hook && strcmp(hook, "0") != 0) {
		erase();
		lbl_draw(L);
		refresh();
		rc = 0;
	} else {
		rc = tui_run(&L->scr);
		rc = rc == TUI_LOST && tui_signal() ? 128 + tui_signal() : 0;
	}
	tui_end();
	*saved = L->saves;
	lbl_free(L);
	return rc;
}
