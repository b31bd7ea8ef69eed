/* sessionview.c: the keys and the rows that the label, pair, review and
 * discuss screens share (see sessionview.h). Keys become session calls;
 * the session says what happened in S->msg, shown on the status row. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tui/sessionview.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "tui/itemlist.h"
#include "tui/itemview.h"
#include "base/util.h"

static int keeps_note(const struct lsession *S) { return S->kind == SESSION_REVIEW || S->kind == SESSION_DISCUSS; }
static int marks(const struct lsession *S) { return S->kind == SESSION_LABEL || S->kind == SESSION_PAIR; }

/* keys that change the draft; 1 when handled */
static int answer_key(struct lsession *S, int key, int code)
{
	if (code) {
		if (key == KEY_BTAB || key == KEY_LEFT) session_focus_step(S, -1);
		else if (key == KEY_RIGHT) session_focus_step(S, 1);
		else if (key == KEY_ENTER) session_save(S);
		else if (key == KEY_BACKSPACE || key == KEY_DC) session_clear(S);
		else return 0;
		return 1;
	}
	if (key >= '1' && key <= '9') session_pick(S, key - '0');
	else if (key == '\t') session_focus_step(S, 1);
	else if (key == '\n' || key == '\r') session_save(S);
	else if (key == 127 || key == 8) session_clear(S);
	else if ((key == 'y' || key == 'n') && session_yes_no(S, key == 'y')) return 1;   /* n: next item elsewhere */
	else return 0;
	return 1;
}

int sv_prompt(struct sv *v, const char *label, const char *init, void (*apply)(struct lsession *, const char *),
	      const char *cancelled)
{
	char *text;
	int rc = tui_prompt(&v->scr, label, init, &text);
	if (rc == TUI_LOST) return rc;
	if (rc == 1) apply(v->S, text);
	else if (cancelled) session_say(v->S, SESSION_DIM, "%s", cancelled);
	free(text);
	return TUI_CONTINUE;
}

static int comment(struct sv *v)
{
	if (keeps_note(v->S)) return sv_prompt(v, "Note (Enter keeps, Esc cancels):", v->S->note, session_comment, NULL);
	return sv_prompt(v, "Comment (Enter saves, Esc cancels):", v->S->note, session_comment, "comment not changed");
}

static int skip(struct sv *v)
{
	return sv_prompt(v, v->S->kind == SESSION_PAIR ? "Skip this comparison? Reason (optional; Enter skips, Esc cancels):"
						     : "Skip this item? Reason (optional; Enter skips, Esc cancels):",
			 NULL, session_skip, "not skipped");
}

static int finds(const struct lsession *S) { return S->kind != SESSION_DISCUSS; }

/* ?: the screen's help lines, the keys that find items, then ? and q */
static void help(struct sv *v)
{
	static const struct tui_key find[] = {ITEMLIST_HELP};
	struct tui_key tail[] = {{"?", "this help"}, {"q", v->ops->quit_help}};
	GArray *all = g_array_sized_new(FALSE, FALSE, sizeof(struct tui_key), v->ops->nhelp + ARRAY_LEN(tail));
	g_array_append_vals(all, v->ops->help, (guint)v->ops->nhelp);
	if (finds(v->S)) g_array_append_vals(all, find, ARRAY_LEN(find));
	g_array_append_vals(all, tail, ARRAY_LEN(tail));
	tui_help(&v->scr, v->ops->help_title, (const struct tui_key *)(void *)all->data, all->len);
	g_array_free(all, TRUE);
}

/* g, /, . and l: finding items (itemlist.c) */
static int find_key(struct sv *v, int key)
{
	static const char *const title[] = {[SESSION_LABEL] = "goldset label: items", [SESSION_PAIR] = "goldset pair: items",
					    [SESSION_REVIEW] = "goldset review: items", [SESSION_DISCUSS] = ""};
	if (!v->find) v->find = session_find_new(v->S);
	if (key == 'g') return itemlist_goto(&v->scr, v->find);
	if (key == '/' || key == '.') return itemlist_search(&v->scr, v->find, key == '.');
	return itemlist_browse(v->find, title[v->S->kind]);
}

/* the letter keys of the session's actions; 1 when handled */
static int action_key(struct sv *v, int key, int *rc)
{
	struct lsession *S = v->S;
	if (key == 'c' && S->have) *rc = comment(v);
	else if (key == 'f' && S->have && marks(S)) session_flag(S);
	else if (key == 's' && S->have && marks(S)) *rc = skip(v);
	else if (key == 'u' && S->kind != SESSION_REVIEW) session_undo(S);
	else if (key == 'n' || key == 'p') session_step(S, key == 'n' ? 1 : -1);
	else if (key == '>' || key == '<') session_step(S, key == '>' ? 1 : -1);
	else if (key == '?') help(v);
	else if ((key == 'g' || key == '/' || key == '.' || key == 'l') && finds(S)) *rc = find_key(v, key);
	else return 0;
	return 1;
}

/* r: the reference shown or hidden, when the item has one */
static void toggle_ref(struct sv *v)
{
	struct lsession *S = v->S;
	if (!S->cur.ok || !S->cur.it.reference) {
		session_say(S, SESSION_DIM, "this item has no reference answer");
		return;
	}
	v->show_ref = !v->show_ref;
	v->ops->rebuild(v->st);
	if (v->show_ref) idoc_end(v->doc);
	if (v->ops->ref_shown) session_say(S, SESSION_DIM, "%s", v->show_ref ? v->ops->ref_shown : "reference hidden");
}

/* keys on the item's document: scrolling, r */
static int view_key(struct sv *v, int key, int code)
{
	if (idoc_key(v->doc, key, code)) return 1;
	if (code || key != 'r') return 0;
	toggle_ref(v);
	return 1;
}

int sv_key(struct sv *v, int key, int code, int *rc)
{
	struct lsession *S = v->S;
	*rc = TUI_CONTINUE;
	int choice = code ? -1 : session_quit_choose(S, key);   /* s, d after a q that listed drafts */
	if (choice >= 0) {
		*rc = choice ? SV_QUIT : TUI_CONTINUE;
		return 1;
	}
	if (!code && key == 'q') {
		*rc = session_quit(S) ? SV_QUIT : TUI_CONTINUE;
		return 1;
	}
	session_key_seen(S);
	if (S->have && answer_key(S, key, code)) return 1;
	return !code && action_key(v, key, rc);
}

/* the rows between the info row and the status */
static void draw_body(struct sv *v, int y, int h, int cols)
{
	const struct lsession *S = v->S;
	int item_min = 0;
	if (!S->have) {
		v->ops->done(v->st, y, h, cols);
		return;
	}
	if (v->ops->meta_rows && h >= v->ops->meta_rows && (S->cur.ok || S->kind == SESSION_LABEL)) {
		itemview_meta(y, 0, cols, &S->cur.it);   /* label: "(no meta)" on an unreadable item too */
		y++, h--;
	}
	if (v->ops->body) v->ops->body(v->st, y, h, cols);
	else if (cols >= SV_PANEL_WIDE) panel_side(v->doc, v->ops->panel, v->st, y, h, cols);
	else panel_below(v->doc, v->ops->panel, v->st, y, h, cols, v->ops->panel_rows(v->st, cols, h, &item_min), item_min);
}

/* the views follow what the session shows */
static void follow(struct sv *v)
{
	const struct lsession *S = v->S;
	int item = v->item_seen != S->item_seq, unit = v->unit_seen != S->unit_seq;
	v->item_seen = S->item_seq;
	v->unit_seen = S->unit_seq;
	if (item) {
		idoc_clear(v->doc);
		if (S->have) v->ops->rebuild(v->st);
	}
	if ((item || unit) && v->ops->shown) v->ops->shown(v->st, item);
}

/* row 0: the heading, and where the unit shown is */
static void draw_title(const struct sv *v, int cols)
{
	long long at, n;
	char right[64], *left = v->ops->heading(v->st);
	session_position(v->S, &at, &n);
	if (!v->S->have) snprintf(right, sizeof right, "all done");
	else if (!v->ops->unit) snprintf(right, sizeof right, cols >= 50 ? "pair %lld of %lld on this item" : "%lld/%lld", at, n);
	else if (cols >= 40) snprintf(right, sizeof right, "%s %lld/%lld", v->ops->unit, at, n);
	else snprintf(right, sizeof right, "%lld/%lld", at, n);
	tui_title(0, left, right);
	free(left);
}

/* after q, label: the items with unsaved answers and what the next key does */
#define SV_DRAFTS_SHOWN 6
static void sv_drafts(const struct lsession *S)
{
	static const struct tui_key tail[] = {{"s", "save the complete ones, then quit"}, {"d", "discard them all, quit"},
					      {"q", "quit without them"}, {"other", "go back to labeling"}};
	GArray *rows = g_array_new(FALSE, FALSE, sizeof(struct tui_key));
	GPtrArray *texts = g_ptr_array_new_with_free_func(free);
	for (guint i = 0; i < S->drafts->len && i < SV_DRAFTS_SHOWN; i++) {
		const struct session_draft *d = g_ptr_array_index(S->drafts, i);
		char *what = d->missing ? xasprintf("%d answer%s missing", d->missing, d->missing > 1 ? "s" : "")
					: xstrdup("complete");
		g_ptr_array_add(texts, what);
		g_array_append_val(rows, ((struct tui_key){d->ext_id, what}));
	}
	if (S->drafts->len > SV_DRAFTS_SHOWN) {
		char *more = xasprintf("and %u more", S->drafts->len - SV_DRAFTS_SHOWN);
		g_ptr_array_add(texts, more);
		g_array_append_val(rows, ((struct tui_key){"...", more}));
	}
	g_array_append_vals(rows, tail, ARRAY_LEN(tail));
	tui_help_draw("Unsaved answers (drafts)", (const struct tui_key *)(void *)rows->data, rows->len);
	g_array_free(rows, TRUE);
	g_ptr_array_free(texts, TRUE);
}

static void sv_draw(void *st)
{
	struct sv *v = st;
	int rows = tui_rows(), cols = tui_cols();
	follow(v);
	if (rows <= 0 || cols <= 0) return;
	int info = rows >= v->ops->info_rows, y = 1 + info, h = rows - 1 - y;
	draw_title(v, cols);
	if (rows - 1 > info) sv_status(v->S, rows - 1, v->ops->hints, v->ops->nhints);
	if (h >= 1) draw_body(v, y, h, cols);
	if (info) v->ops->info(v->st, 1, cols);   /* after the body: it may say whether the item is scrolled to its end */
	if (v->S->quit_armed && v->S->drafts->len) sv_drafts(v->S);
}

static int sv_dispatch(void *st, int key, int code)
{
	struct sv *v = st;
	int rc;
	follow(v);
	if (sv_key(v, key, code, &rc)) return rc;
	if (v->S->have && v->ops->key && v->ops->key(v->st, key, code, &rc)) return rc;
	if (v->S->have && view_key(v, key, code)) return TUI_CONTINUE;
	if (!code) sv_unknown(v);
	return TUI_CONTINUE;
}

/* draws once and ends (the benchmark of start-up), or runs until q */
static int run(struct sv *v)
{
	const char *hook = getenv(SV_EXIT_AFTER_DRAW_ENV);
	if (hook && *hook && strcmp(hook, "0") != 0) {
		erase();
		sv_draw(v);
		refresh();
		return 0;
	}
	int rc = tui_run(&v->scr);
	return rc == TUI_LOST && tui_signal() ? 128 + tui_signal() : 0;
}

int sv_screen(struct sv *v, int rc, const char *no_tty, struct gs_err *e)
{
	if (rc) return rc;
	if (tui_init()) return gs_fail(e, EX_UNAVAILABLE, "%s", no_tty);
	v->doc = idoc_new();
	v->scr = (struct tui_screen){sv_draw, sv_dispatch, v};
	rc = run(v);
	session_find_free(v->find);
	tui_end();
	idoc_free(v->doc);
	return rc;
}

void sv_unknown(struct sv *v)
{
	session_say(v->S, SESSION_DIM, "%s", v->S->have ? "? shows the keys" : v->ops->idle);
}

/* ---- rows ---- */

void sv_status(const struct lsession *S, int y, const struct tui_key *keys, size_t n)
{
	static const enum tui_style style[] = {[SESSION_DIM] = TUI_DIM, [SESSION_GOOD] = TUI_GOOD, [SESSION_WARN] = TUI_WARN};
	static const struct tui_key done[] = {{"n/p", "browse"}, {"u", "undo"}, {"?", "keys"}, {"q", "quit"}};
	if (S->have) tui_status(y, S->msg, style[S->tone], keys, n);
	else tui_status(y, S->msg, style[S->tone], done, ARRAY_LEN(done));
}

char *sv_heading(const struct lsession *S, const char *cmd, const char *set, const char *more)
{
	struct sbuf b = {0};
	sb_addf(&b, "goldset %s  %s v%d  rater %s", cmd, S->r->name, S->r->version, S->rater);
	if (S->batch) sb_addf(&b, "  batch %s", S->batch);
	if (set) sb_addf(&b, "  set %s", set);
	if (more) sb_add(&b, more);
	return sb_take(&b);
}

int sv_progress(const struct lsession *S, int y, int cols, const char *word, int narrow_extra)
{
	long long done, total;
	int ww = tui_text_width(word);
	int pw = cols >= 60 ? cols / 3 : cols >= 30 ? cols / 2 : cols / 2 + narrow_extra;
	int lw = cols - pw - 1;
	if (cols >= 60) {
		tui_text(y, cols - pw - ww, ww, TUI_DIM, word);
		lw -= ww;
	}
	session_progress(S, &done, &total);
	tui_progress(y, cols - pw, pw, (long)done, (long)total);
	return lw;
}

int sv_marks(const struct lsession *S, int y, int x, int w, const char *extra)
{
	int col = 0;
	if (S->have && session_dirty(S)) col += tui_text(y, x + col, w - col, TUI_WARN, " unsaved");
	else if (S->has_saved) col += tui_text(y, x + col, w - col, TUI_GOOD, " saved");
	if (S->flagged && col < w) col += tui_text(y, x + col, w - col, TUI_WARN, " flagged");
	if (S->note && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, " commented");
	if (extra && col < w) col += tui_text(y, x + col, w - col, TUI_DIM, extra);
	return col;
}

int sv_clock(const struct lsession *S, int y, int col, int w)
{
	long secs = (long)(now_seconds() - S->shown_at);
	if (col + 8 >= w) return 0;
	return 2 + tui_textf(y, col + 2, w - col - 2, TUI_DIM, "%ld:%02ld", secs / 60, secs % 60);
}

void sv_center(int y, int h, int cols, const char *const *lines, size_t n)
{
	int top = y + (h - (int)n) / 2;
	if (top < y) top = y;
	for (size_t i = 0; i < n && top + (int)i < y + h; i++) {
		int w = tui_text_width(lines[i]), x = w < cols ? (cols - w) / 2 : 0;
		tui_text(top + (int)i, x, cols - x, i ? TUI_NORMAL : TUI_GOOD, lines[i]);
	}
}
