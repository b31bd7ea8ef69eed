/* test_session.c: the labeling session (session.h) driven without a
 * terminal, on a store in a temporary folder: label, the missing-answer
 * check, saves committed one by one, undo (a row putting back the label
 * replaced, or a tombstone), skip, flag, comment, navigation, quitting
 * with unsaved answers, resuming; checklists ticked by digit, y/n on binary
 * criteria, drafts kept across n/p and saved or discarded on q; the
 * pairwise design (sides drawn per rater and recorded, winners stored by
 * system); the review and discuss walks (consensus and review rows; a
 * rater's value taken for one criterion or a whole item). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/items.h"
#include "model/labelline.h"
#include "app/session.h"

static char dir[64];

static const char single_rubric[] =
	"{\"name\":\"tl\",\"version\":1,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"ok\",\"type\":\"binary\",\"question\":\"Is it ok?\",\"labels\":[\"no\",\"yes\"]},"
	"{\"id\":\"s\",\"type\":\"scale\",\"min\":1,\"max\":3,\"question\":\"How good?\"}]}";
static const char pair_rubric[] =
	"{\"name\":\"pw\",\"version\":1,\"mode\":\"pairwise\",\"criteria\":["
	"{\"id\":\"better\",\"type\":\"preference\",\"question\":\"Which reply is better?\"}]}";

struct fx {
	store *st;
	struct rubric *single, *pair;
};

static struct rubric *parse_rubric(const char *text)
{
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(text, strlen(text), "test.json", &r, &e, NULL, NULL), 0);
	return r;
}

/* one item line into the store, as import puts it */
static void put_item(store *s, const char *set, const char *line, long ord)
{
	struct gs_err e;
	char *canon, hash[33];
	struct item it;
	int outcome;
	assert_int_equal(item_parse_line(line, strlen(line), "t.jsonl", ord, NULL, &canon, &it, &e), 0);
	content_hash(canon, strlen(canon), hash);
	struct store_item si = {.ext_id = it.id, .set = set, .hash = hash, .kind = it.noutputs ? "pairwise" : "single",
				.json = canon, .meta = it.meta_json, .ord = ord, .out_len = item_output_len(&it)};
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_item_put(s, &si, &outcome, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	free(canon);
	item_free(&it);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct gs_err e;
	strcpy(dir, "/tmp/gs-session-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, "t.db");
	assert_int_equal(store_open(path, &f->st, &e), 0);
	free(path);
	const char *ids[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		char *line = xasprintf("{\"id\":\"%s\",\"input\":\"question %s\",\"output\":\"answer %s\"}", ids[i], ids[i], ids[i]);
		put_item(f->st, "s", line, i + 1);
		free(line);
	}
	for (int i = 1; i <= 12; i++) {
		char *line = xasprintf("{\"id\":\"p%02d\",\"input\":\"q%d\",\"outputs\":[{\"system\":\"sx\",\"text\":\"X%d\"},"
				       "{\"system\":\"sy\",\"text\":\"Y%d\"}]}", i, i, i, i);
		put_item(f->st, "duel", line, i);
		free(line);
	}
	f->single = parse_rubric(single_rubric);
	f->pair = parse_rubric(pair_rubric);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	rubric_free(f->single);
	rubric_free(f->pair);
	free(f);
	char *cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

/* ---- helpers ---- */

static struct label_opts label_opts(struct fx *f, const char *rater)
{
	return (struct label_opts){.st = f->st, .r = f->single, .rater = rater, .set = "s", .file_order = 1};
}

static struct lsession *open_label(const struct label_opts *o)
{
	struct lsession *S;
	struct gs_err e;
	assert_int_equal(session_open_label(o, &S, &e), 0);
	assert_non_null(S);
	return S;
}

/* the rater's current label on ext_id: its vals ("" when withdrawn, NULL when none) */
static char *current_vals(struct fx *f, const char *rubric, const char *ext_id, const char *rater, const char *key)
{
	struct store_label l;
	struct gs_err e;
	if (store_label_current(f->st, rubric, ext_id, rater, key, &l, &e)) return NULL;
	char *v = xstrdup(l.vals ? l.vals : "");
	store_label_free(&l);
	return v;
}

static void assert_vals(struct fx *f, const char *ext_id, const char *rater, const char *want)
{
	char *v = current_vals(f, "tl", ext_id, rater, "");
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

static void answer(struct lsession *S, int ok, int s)
{
	S->focus = 0;
	session_pick(S, ok);
	session_pick(S, s);
}

/* ---- label ---- */

static void label_saves_each_answer(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	assert_true(S->have);
	assert_string_equal(session_ext_id(S), "a");
	assert_int_equal(S->qn.total, 3);
	assert_int_equal(S->qn.done, 0);
	assert_int_equal(S->nslots, 2);
	session_pick(S, 2);
	assert_int_equal(S->focus, 1);
	assert_true(session_dirty(S));
	session_save(S);   /* one answer is missing: nothing written */
	assert_non_null(strstr(S->msg, "1 answer missing"));
	assert_int_equal(S->focus, 1);
	assert_null(current_vals(f, "tl", "a", "ann", ""));
	session_pick(S, 5);   /* the scale has 3 options */
	assert_non_null(strstr(S->msg, "has 3 options"));
	session_pick(S, 3);
	assert_string_equal(S->msg, "all answered: Enter saves");
	session_save(S);
	assert_string_equal(S->msg, "saved a");
	assert_vals(f, "a", "ann", "{\"ok\":\"yes\",\"s\":3}");   /* committed before the next item */
	assert_string_equal(session_ext_id(S), "b");
	assert_int_equal(S->qn.done, 1);
	assert_int_equal(S->saves, 1);
	answer(S, 1, 1);
	session_save(S);
	assert_vals(f, "b", "ann", "{\"ok\":\"no\",\"s\":1}");
	assert_string_equal(session_ext_id(S), "c");
	long long done, total;
	session_progress(S, &done, &total);
	assert_int_equal(done, 2);
	assert_int_equal(total, 3);
	session_close(S);
}

static void label_undo_restores_or_withdraws(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	session_undo(S);
	assert_non_null(strstr(S->msg, "nothing to undo"));
	answer(S, 2, 3);
	session_save(S);   /* a: yes, 3 */
	session_step(S, -1);   /* back to a: its saved answers are shown */
	assert_string_equal(session_ext_id(S), "a");
	assert_true(S->has_saved);
	assert_int_equal(S->slots[0], 1);
	assert_int_equal(S->slots[1], 2);
	assert_false(session_dirty(S));
	answer(S, 1, 1);
	session_save(S);   /* a: no, 1 (replaces yes, 3) */
	assert_vals(f, "a", "ann", "{\"ok\":\"no\",\"s\":1}");
	assert_int_equal(S->qn.done, 1);
	assert_int_equal(S->saves, 2);
	session_undo(S);   /* puts the first label back */
	assert_int_equal(S->saves, 1);   /* the exit summary does not count an undone save */
	assert_vals(f, "a", "ann", "{\"ok\":\"yes\",\"s\":3}");
	assert_string_equal(session_ext_id(S), "a");
	assert_non_null(strstr(S->msg, "undone: a has its previous label back"));
	assert_int_equal(S->slots[0], 0);   /* the undone answers are on screen, unsaved */
	assert_true(session_dirty(S));
	session_undo(S);   /* the first save: a tombstone, the item open again */
	assert_vals(f, "a", "ann", "");
	assert_non_null(strstr(S->msg, "a is unlabeled again"));
	assert_int_equal(S->qn.done, 0);
	assert_int_equal(S->saves, 0);
	assert_false(S->has_saved);
	struct store_label l;
	struct gs_err e;
	assert_int_equal(store_label_current(f->st, "tl", "a", "ann", "", &l, &e), 0);
	assert_string_equal(l.source, "undo");
	store_label_free(&l);
	session_undo(S);
	assert_non_null(strstr(S->msg, "nothing to undo"));
	session_close(S);
}

static void label_marks(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	struct gs_err e;
	int flagged = 0;
	session_flag(S);
	assert_true(S->flagged);
	assert_int_equal(store_item_flagged(f->st, "a", "ann", &flagged, &e), 0);
	assert_true(flagged);
	session_flag(S);
	assert_int_equal(store_item_flagged(f->st, "a", "ann", &flagged, &e), 0);
	assert_false(flagged);
	session_comment(S, "needs context");   /* nothing saved yet: it goes with the label */
	assert_string_equal(S->note, "needs context");
	assert_null(current_vals(f, "tl", "a", "ann", ""));
	answer(S, 2, 2);
	session_save(S);
	struct store_label l;
	assert_int_equal(store_label_current(f->st, "tl", "a", "ann", "", &l, &e), 0);
	assert_string_equal(l.note, "needs context");
	store_label_free(&l);
	session_skip(S, "dup");   /* b is skipped, c is next */
	assert_string_equal(S->msg, "skipped b (n/p bring it back)");
	assert_string_equal(session_ext_id(S), "c");
	assert_int_equal(S->qn.skipped, 1);
	session_step(S, -1);
	session_step(S, -1);   /* a, saved and unchanged: a comment saves the label again with it */
	assert_string_equal(session_ext_id(S), "a");
	long saves = S->saves;
	session_comment(S, "second thought");
	assert_string_equal(S->msg, "comment saved with your label");
	assert_int_equal(S->saves, saves + 1);
	assert_int_equal(store_label_current(f->st, "tl", "a", "ann", "", &l, &e), 0);
	assert_string_equal(l.note, "second thought");
	assert_string_equal(l.vals, "{\"ok\":\"yes\",\"s\":2}");
	store_label_free(&l);
	session_close(S);
}

static void label_navigation_and_quit(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	session_step(S, -1);
	assert_string_equal(S->msg, "this is the first item");
	session_pick(S, 1);
	session_step(S, 1);   /* unsaved answers left behind are kept as a draft */
	assert_string_equal(S->msg, "your answers to a are kept as a draft (q lists the drafts)");
	assert_string_equal(session_ext_id(S), "b");
	assert_false(session_dirty(S));
	session_step(S, 1);
	session_step(S, 1);
	assert_string_equal(S->msg, "this is the last item");
	session_pick(S, 2);
	assert_false(session_quit(S));   /* unsaved: the first q warns, listing the drafts (a's and c's) */
	assert_non_null(strstr(S->msg, "2 items have unsaved answers"));
	assert_int_equal(S->drafts->len, 2);
	assert_non_null(strstr(S->msg, "q again quits"));
	session_key_seen(S);   /* another key disarms */
	assert_false(session_quit(S));
	assert_true(session_quit(S));
	session_focus_step(S, -1);   /* back to the first answer, which Backspace clears */
	assert_int_equal(S->focus, 0);
	session_clear(S);
	assert_int_equal(S->slots[0], -1);
	assert_false(session_dirty(S));
	session_focus_step(S, -1);
	assert_int_equal(S->focus, 1);
	session_focus_step(S, 1);
	assert_int_equal(S->focus, 0);
	session_close(S);
}

/* five criteria: scale, binary (fail/pass), checklist of three, choice, binary */
static const char five_rubric[] =
	"{\"name\":\"ck\",\"version\":1,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"s\",\"type\":\"scale\",\"min\":1,\"max\":5},"
	"{\"id\":\"ok\",\"type\":\"binary\",\"labels\":[\"fail\",\"pass\"]},"
	"{\"id\":\"chk\",\"type\":\"checklist\",\"items\":[\"x\",\"y\",\"z\"]},"
	"{\"id\":\"kind\",\"type\":\"choice\",\"options\":[\"p\",\"q\",\"r\"]},"
	"{\"id\":\"safe\",\"type\":\"binary\"}]}";

static void assert_ck_vals(struct fx *f, const char *ext_id, const char *want)
{
	char *v = current_vals(f, "ck", ext_id, "ann", "");
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

/* digits tick checklist items, Enter leaves the rest unticked, y/n answer
 * binary criteria: one item of five criteria in 7 keys */
static void label_checklist_and_yes_no(void **state)
{
	struct fx *f = *state;
	struct rubric *r = parse_rubric(five_rubric);
	struct label_opts o = label_opts(f, "ann");
	o.r = r;
	struct lsession *S = open_label(&o);
	int keys = 0;
	assert_int_equal(S->nslots, 7);
	assert_false(session_yes_no(S, 0));   /* n on a scale: free for the next item */
	assert_true(session_yes_no(S, 1));    /* y on a scale: said, nothing answered */
	assert_non_null(strstr(S->msg, "y and n answer yes/no criteria"));
	assert_int_equal(S->slots[0], -1);
	session_pick(S, 4), keys++;           /* s = 4 */
	assert_true(session_yes_no(S, 1)), keys++;   /* ok = pass */
	assert_int_equal(S->slots[1], 1);
	assert_int_equal(S->focus, 2);        /* the checklist */
	session_pick(S, 9);
	assert_non_null(strstr(S->msg, "has 3 items"));
	session_pick(S, 3);                   /* ticks z, again unticks it */
	assert_int_equal(S->slots[4], 1);
	session_pick(S, 3);
	assert_int_equal(S->slots[4], 0);
	session_clear(S);                     /* Backspace clears the whole checklist */
	for (int k = 2; k < 5; k++) assert_int_equal(S->slots[k], -1);
	session_pick(S, 2), keys++;           /* y ticked */
	session_save(S), keys++;              /* Enter: x and z unticked, on to kind */
	assert_string_equal(S->msg, "chk: 1 of 3 ticked; next: kind");
	assert_int_equal(S->focus, 5);
	assert_int_equal(S->slots[2], 0);
	assert_int_equal(S->slots[4], 0);
	assert_null(current_vals(f, "ck", "a", "ann", ""));
	session_pick(S, 3), keys++;           /* kind = r */
	assert_true(session_yes_no(S, 0)), keys++;   /* safe = no */
	session_save(S), keys++;
	assert_ck_vals(f, "a", "{\"s\":4,\"ok\":\"pass\",\"chk\":{\"x\":false,\"y\":true,\"z\":false},\"kind\":\"r\",\"safe\":\"no\"}");
	assert_int_equal(keys, 7);            /* 4 y 2 Enter 3 n Enter */
	assert_string_equal(session_ext_id(S), "b");
	session_focus_step(S, 1);             /* Tab: criterion by criterion, a checklist is one stop */
	session_focus_step(S, 1);
	assert_int_equal(S->focus, 2);
	session_focus_step(S, 1);
	assert_int_equal(S->focus, 5);
	session_focus_step(S, -1);
	assert_int_equal(S->focus, 2);
	session_focus_step(S, -1);
	assert_int_equal(S->focus, 1);
	session_close(S);
	rubric_free(r);
}

/* answers left unsaved survive n/p as drafts; q lists them: s saves the
 * complete ones and shows the first incomplete one, d discards */
static void label_drafts(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	answer(S, 2, 3);                      /* a complete, not saved */
	session_step(S, 1);
	assert_int_equal(S->drafts->len, 1);
	assert_string_equal(session_ext_id(S), "b");
	S->focus = 0;
	session_pick(S, 1);                   /* b: one answer of two */
	session_step(S, -1);                  /* back to a: its draft is shown */
	assert_string_equal(S->msg, "your answers to b are kept as a draft; this item's draft is back");
	assert_int_equal(S->slots[0], 1);
	assert_int_equal(S->slots[1], 2);
	assert_true(session_dirty(S));
	assert_null(current_vals(f, "tl", "a", "ann", ""));   /* in memory only */
	session_save(S);                      /* saved: its draft is gone, b (next to do) shows its own */
	assert_vals(f, "a", "ann", "{\"ok\":\"yes\",\"s\":3}");
	assert_string_equal(session_ext_id(S), "b");
	assert_int_equal(S->slots[0], 0);
	assert_int_equal(S->slots[1], -1);
	session_step(S, 1);                   /* c: answered completely */
	answer(S, 1, 1);
	assert_int_equal(session_quit_choose(S, 's'), -1);   /* only after a q */
	assert_false(session_quit(S));
	assert_string_equal(S->msg, "2 items have unsaved answers: s saves the complete ones, d discards them, q again quits"
			    " without them, other keys go back");
	struct session_draft *d = g_ptr_array_index(S->drafts, 0);
	assert_string_equal(d->ext_id, "b");
	assert_int_equal(d->missing, 1);
	assert_int_equal(session_quit_choose(S, 'x'), -1);   /* any other key goes back */
	session_key_seen(S);
	assert_false(session_quit(S));
	assert_int_equal(session_quit_choose(S, 's'), 0);    /* c saved, b still misses an answer: shown */
	assert_vals(f, "c", "ann", "{\"ok\":\"no\",\"s\":1}");
	assert_string_equal(session_ext_id(S), "b");
	assert_string_equal(S->msg, "1 draft saved; b has 1 answer missing (Enter saves it)");
	assert_int_equal(S->drafts->len, 1);
	assert_false(session_quit(S));
	assert_int_equal(session_quit_choose(S, 'd'), 1);    /* discarded: the screen closes */
	assert_int_equal(S->drafts->len, 0);
	assert_null(current_vals(f, "tl", "b", "ann", ""));
	session_close(S);
}

static void label_resumes_after_the_last_labeled(void **state)
{
	struct fx *f = *state;
	struct label_opts o = label_opts(f, "ann");
	struct lsession *S = open_label(&o);
	session_step(S, 1);   /* b first */
	answer(S, 2, 3);
	session_save(S);
	session_close(S);
	S = open_label(&o);
	assert_string_equal(session_ext_id(S), "c");   /* after b, the last labeled */
	answer(S, 2, 3);
	session_save(S);
	assert_string_equal(session_ext_id(S), "a");   /* wraps to what is left */
	answer(S, 1, 2);
	session_save(S);
	assert_false(S->have);   /* all done */
	assert_int_equal(S->qn.done, 3);
	session_close(S);
	struct label_opts other = label_opts(f, "bob");   /* another rater starts from the start */
	S = open_label(&other);
	assert_string_equal(session_ext_id(S), "a");
	assert_false(S->has_saved);
	session_close(S);
}

/* label --outputs: each output of the duel items is a unit of its own under
 * the single rubric, the system hidden (the item shown has one output), in
 * an order of the rater's own recorded in `shown`; a save is a label keyed
 * by the system; undo withdraws it; all done, the queue is empty */
static void label_outputs_one_at_a_time(void **state)
{
	struct fx *f = *state;
	struct label_opts o = {.st = f->st, .r = f->single, .rater = "ann", .set = "duel", .outputs = 1};
	struct lsession *S = open_label(&o);
	struct gs_err e;
	long long done, total;
	session_progress(S, &done, &total);
	assert_int_equal(total, 24);   /* 12 items x 2 outputs */
	int sx_first = 0, n = 0;
	char *last = NULL;
	while (S->have) {
		const struct item *it = session_label_item(S);
		const char *sys = S->c.left;
		assert_null(S->c.right);
		assert_int_equal(it->noutputs, 0);
		assert_non_null(it->output);
		assert_int_equal(it->output[0], strcmp(sys, "sx") ? 'Y' : 'X');   /* the system's own text */
		char *key = labelline_system_key(sys), *left = NULL, *id = xstrdup(session_ext_id(S));
		assert_string_equal(S->c.key, key);
		assert_int_equal(store_shown_get(f->st, "tl", "ann", id, key, 0, &left, &e), 0);
		assert_string_equal(left, sys);   /* recorded before it was shown */
		free(left);
		if (S->c.idx == 0) sx_first += strcmp(sys, "sx") == 0;
		answer(S, 2, strcmp(sys, "sx") ? 1 : 3);
		session_save(S);
		char *v = current_vals(f, "tl", id, "ann", key);
		assert_string_equal(v, strcmp(key, "[\"sx\"]") ? "{\"ok\":\"yes\",\"s\":1}" : "{\"ok\":\"yes\",\"s\":3}");
		free(v);
		free(key);
		free(last);
		last = id;
		n++;
	}
	assert_int_equal(n, 24);
	assert_true(sx_first > 0 && sx_first < 12);   /* the order of the outputs varies over the items */
	session_progress(S, &done, &total);
	assert_int_equal(done, 24);
	char *id = last;
	session_undo(S);   /* the last save withdrawn: that output is open again */
	assert_non_null(strstr(S->msg, "this output of"));
	assert_true(S->have);
	assert_string_equal(session_ext_id(S), id);
	char *v = current_vals(f, "tl", id, "ann", S->c.key);
	assert_string_equal(v, "");
	free(v);
	free(id);
	assert_null(current_vals(f, "tl", "p01", "ann", ""));   /* no label of the item as a whole */
	session_close(S);
}

/* ---- pair ---- */

static struct lsession *open_pair(struct fx *f, const struct pair_opts *o)
{
	struct lsession *S;
	struct gs_err e;
	(void)f;
	assert_int_equal(session_open_pair(o, &S, &e), 0);
	assert_non_null(S);
	return S;
}

/* the side shown on the left is drawn per rater and recorded before it is shown */
static void pair_sides_per_rater(void **state)
{
	struct fx *f = *state;
	struct pair_opts o = {.st = f->st, .r = f->pair, .rater = "ann", .set = "duel", .pairs_per_item = 6};
	struct lsession *S = open_pair(f, &o);
	struct gs_err e;
	int lefts[2] = {0, 0};
	long drawn = 0;
	assert_int_equal(S->pn.comparisons, 12);
	while (S->have) {
		const char *id = session_ext_id(S);
		assert_string_equal(S->c.key, "[\"sx\",\"sy\"]");
		const char *want = session_x_left("ann", S->c.key, drawn++) ? "sx" : "sy";
		assert_string_equal(S->c.left, want);
		assert_string_equal(S->c.right, strcmp(want, "sx") ? "sx" : "sy");
		char *left = NULL;
		assert_int_equal(store_shown_get(f->st, "pw", "ann", id, S->c.key, 0, &left, &e), 0);
		assert_string_equal(left, want);
		free(left);
		assert_int_equal(session_text_a(S)[0], strcmp(want, "sx") ? 'Y' : 'X');   /* A is the left system's text */
		assert_int_equal(session_text_b(S)[0], strcmp(want, "sx") ? 'X' : 'Y');
		lefts[strcmp(want, "sx") == 0]++;
		session_pick(S, 1);   /* A: the left one wins */
		char *wid = xstrdup(id), *key = xstrdup(S->c.key), *winner = xstrdup(want);
		session_save(S);
		char *v = current_vals(f, "pw", wid, "ann", key);
		char *expect = xasprintf("{\"better\":\"%s\"}", winner);
		assert_string_equal(v, expect);
		free(v);
		free(expect);
		free(wid);
		free(key);
		free(winner);
	}
	assert_int_equal(lefts[0], 6);   /* 12 draws in blocks of two: six each */
	assert_int_equal(lefts[1], 6);
	assert_int_equal(S->pn.done, 12);
	session_close(S);
	int differ = 0;   /* another rater, another draw */
	for (long i = 0; i < 12; i++)
		differ += session_x_left("ann", "[\"sx\",\"sy\"]", i) != session_x_left("bob", "[\"sx\",\"sy\"]", i);
	assert_true(differ > 0);
}

/* permuted blocks: for 300 raters x 4 pairs of systems, x is on the left
 * as often as y, give or take one, after every draw (not only at the end
 * of each block); the draw is the same when asked again; and the first
 * draw of a block is not always the same side (x left first in 40-60%
 * of 1200 first blocks: a fair coin gives that with p > 0.99999) */
static void pair_sides_balanced(void **state)
{
	(void)state;
	const char *pairs[] = {"[\"a\",\"b\"]", "[\"base\",\"new\"]", "[\"m1\",\"m2\"]", "[\"sx\",\"sy\"]"};
	int x_first = 0;
	for (int r = 0; r < 300; r++) {
		char rater[32];
		snprintf(rater, sizeof rater, "rater-%d", r);
		for (size_t p = 0; p < 4; p++) {
			long diff = 0;
			for (long n = 0; n < 101; n++) {
				int x = session_x_left(rater, pairs[p], n);
				assert_int_equal(x, session_x_left(rater, pairs[p], n));
				diff += x ? 1 : -1;
				assert_true(diff >= -1 && diff <= 1);
				if (n % 2) assert_int_equal(diff, 0);
				if (n == 0) x_first += x;
			}
		}
	}
	assert_true(x_first > 480 && x_first < 720);
}

/* a screen opened again shows what was recorded, and a second rater's
 * queue over the same items is balanced too: the 12 items where sx always
 * wins show sx on the left 6 times of 12 for every rater */
static void pair_sides_reproducible(void **state)
{
	struct fx *f = *state;
	const char *raters[] = {"ann", "bob", "cy", "dee", "eve"};
	for (size_t r = 0; r < 5; r++) {
		struct pair_opts o = {.st = f->st, .r = f->pair, .rater = raters[r], .set = "duel", .pairs_per_item = 6};
		struct lsession *S = open_pair(f, &o);
		char *first = xstrdup(S->c.left), *first_id = xstrdup(session_ext_id(S));
		session_close(S);
		S = open_pair(f, &o);   /* reopened before a save: the recorded side */
		assert_string_equal(S->c.left, first);
		assert_string_equal(session_ext_id(S), first_id);
		free(first);
		free(first_id);
		long diff = 0;
		int n = 0;
		while (S->have) {
			diff += strcmp(S->c.left, "sx") == 0 ? 1 : -1;
			assert_true(diff >= -1 && diff <= 1);
			assert_int_equal(session_x_left(raters[r], S->c.key, n++), strcmp(S->c.left, "sx") == 0);
			session_pick(S, strcmp(S->c.left, "sx") == 0 ? 1 : 2);   /* sx wins */
			session_save(S);
		}
		assert_int_equal(n, 12);
		assert_int_equal(diff, 0);
		session_close(S);
	}
}

static void pair_undo_and_reopen(void **state)
{
	struct fx *f = *state;
	struct pair_opts o = {.st = f->st, .r = f->pair, .rater = "ann", .set = "duel", .pairs_per_item = 6};
	struct lsession *S = open_pair(f, &o);
	char *id = xstrdup(session_ext_id(S)), *left = xstrdup(S->c.left);
	session_prefer(S, 2);   /* a tie */
	session_save(S);
	char *v = current_vals(f, "pw", id, "ann", "[\"sx\",\"sy\"]");
	assert_string_equal(v, "{\"better\":\"tie\"}");
	free(v);
	session_undo(S);
	assert_string_equal(session_ext_id(S), id);
	assert_string_equal(S->c.left, left);   /* the same side again */
	assert_int_equal(S->slots[0], 2);
	assert_non_null(strstr(S->msg, "is open again"));
	v = current_vals(f, "pw", id, "ann", "[\"sx\",\"sy\"]");
	assert_string_equal(v, "");   /* withdrawn */
	free(v);
	session_close(S);
	S = open_pair(f, &o);   /* reopened: the same item, the side recorded */
	assert_string_equal(session_ext_id(S), id);
	assert_string_equal(S->c.left, left);
	session_step(S, 1);
	assert_string_equal(S->msg, "");
	struct pair_result res;
	session_pair_result(S, &res);
	assert_int_equal(res.saved, 0);
	assert_string_equal(res.criterion, "better");
	session_close(S);
	free(id);
	free(left);
}

/* ---- review and discuss ---- */

static void label_by(struct fx *f, const char *rater, const char *id, int ok, int s)
{
	struct gs_err e;
	struct store_item it;
	int slots[2] = {ok, s};
	assert_int_equal(store_item_get(f->st, id, &it, &e), 0);
	struct label_save ls = {f->single, slots, &it, rater, rater[0] == 'b' ? "why not" : NULL, NULL, 1, NULL, NULL, NULL};
	assert_int_equal(label_save(f->st, &ls, NULL, &e), 0);
	store_item_free(&it);
}

static void build_table(struct fx *f, struct ratings **t, char **items, size_t n)
{
	struct gs_err e;
	char *raters[] = {"ann", "bob", NULL};
	label_by(f, "ann", "a", 1, 2);
	label_by(f, "bob", "a", 0, 2);
	label_by(f, "ann", "b", 1, 0);
	label_by(f, "bob", "b", 1, 0);
	assert_int_equal(ratings_load_items(f->st, f->single, raters, items, n, t, &e), 0);
}

static void review_records_consensus(void **state)
{
	struct fx *f = *state;
	struct ratings *t;
	char *items[] = {"a", "b"};
	build_table(f, &t, items, 2);
	struct review_out out[2] = {{0}};
	struct review_opts o = {f->st, t, items, 2, "2026-01-05T10:00:00Z", NULL};
	struct lsession *S;
	struct gs_err e;
	assert_int_equal(session_open_review(&o, out, &S, &e), 0);
	assert_string_equal(session_ext_id(S), "a");
	assert_true(S->cur.ok);
	assert_int_equal(S->slots[0], -1);
	session_pick(S, 2);   /* agreed: yes */
	assert_int_equal(S->focus, 1);
	session_comment(S, "the group saw a gap");
	session_set_tags(S, "rubric gap, pricing");
	assert_true(session_dirty(S));
	session_step(S, -1);
	assert_string_equal(S->msg, "this is the first item");
	session_save(S);
	assert_string_equal(S->msg, "reviewed 1 of 2");
	assert_string_equal(session_ext_id(S), "b");
	assert_true(out[0].reviewed);
	assert_int_equal(out[0].agreed[0], 1);
	assert_int_equal(out[0].agreed[1], -1);
	struct store_consensus c;
	assert_int_equal(store_consensus_current(f->st, "tl", "a", "ok", &c, &e), 0);
	assert_string_equal(c.value, "\"yes\"");
	assert_string_equal(c.note, "the group saw a gap");
	store_consensus_free(&c);
	assert_int_equal(store_consensus_current(f->st, "tl", "a", "s", &c, &e), EX_NOINPUT);   /* unchanged: no row */
	struct store_review r;
	assert_int_equal(store_review_current(f->st, "a", "2026-01-05T10:00:00Z", &r, &e), 0);
	assert_string_equal(r.tags, "[\"rubric gap\",\"pricing\"]");
	store_review_free(&r);
	session_save(S);
	assert_non_null(strstr(S->msg, "reviewed 2 of 2: q ends"));
	assert_false(session_dirty(S));
	assert_true(session_quit(S));
	session_close(S);
	review_out_free(out, 2);
	ratings_free(t);
	char *j = review_tags_json(" a, ,b ");
	assert_string_equal(j, "[\"a\",\"b\"]");
	free(j);
	assert_null(review_tags_json(" , "));
}

static void discuss_settles_and_withdraws(void **state)
{
	struct fx *f = *state;
	struct ratings *t;
	char *items[] = {"a", "b"};
	build_table(f, &t, items, 2);
	struct discuss_point p[] = {{0, 0}};   /* a, ok: ann yes, bob no */
	struct discuss_opts o = {f->st, t, "b1", p, 1, 0};
	struct discuss_outcome out[1];
	struct lsession *S;
	struct gs_err e;
	assert_int_equal(session_open_discuss(&o, out, &S, &e), 0);
	assert_int_equal(S->nslots, 2);
	session_save(S);
	assert_non_null(strstr(S->msg, "pick the agreed value first"));
	session_pick(S, 3);   /* binary: 2 values */
	assert_string_equal(S->msg, "agreed value: press 1-2");
	session_pick(S, 2);
	assert_int_equal(S->focus, 1);   /* then the cause */
	session_pick(S, 2);
	assert_int_equal(S->slots[1], 1);
	session_save(S);
	assert_string_equal(S->msg, "the disagreement is settled: q quits (n/p to look again)");
	assert_int_equal(out[0].value, 1);
	assert_int_equal(out[0].cause, 1);
	struct store_consensus c;
	assert_int_equal(store_consensus_current(f->st, "tl", "a", "ok", &c, &e), 0);
	assert_string_equal(c.value, "\"yes\"");
	assert_string_equal(c.cause, "rater slip");
	assert_string_equal(c.source, "discuss:b1");
	store_consensus_free(&c);
	assert_false(session_dirty(S));
	session_undo(S);   /* withdraws */
	assert_int_equal(out[0].value, -1);
	assert_int_equal(store_consensus_current(f->st, "tl", "a", "ok", &c, &e), 0);
	assert_string_equal(c.value, "null");
	store_consensus_free(&c);
	session_close(S);
	discuss_outcome_free(out, 1);
	ratings_free(t);
}

static void assert_consensus(struct fx *f, const char *id, const char *crit, const char *want)
{
	struct store_consensus c;
	struct gs_err e;
	assert_int_equal(store_consensus_current(f->st, "tl", id, crit, &c, &e), 0);
	assert_string_equal(c.value, want);
	store_consensus_free(&c);
}

/* an item's disagreements on one screen: a/b (accept) take one rater's
 * value for the focused criterion, A/B for every open one of the item */
static void discuss_accepts_a_raters_values(void **state)
{
	struct fx *f = *state;
	struct ratings *t;
	struct gs_err e;
	char *items[] = {"a", "b"}, *raters[] = {"ann", "bob", NULL};
	label_by(f, "ann", "a", 1, 2);   /* a: ok and s differ */
	label_by(f, "bob", "a", 0, 0);
	label_by(f, "ann", "b", 1, 1);   /* b: ok differs */
	label_by(f, "bob", "b", 0, 1);
	assert_int_equal(ratings_load_items(f->st, f->single, raters, items, 2, &t, &e), 0);
	struct discuss_point p[] = {{0, 0}, {0, 1}, {1, 0}};
	struct discuss_opts o = {f->st, t, "b1", p, 3, 0};
	struct discuss_outcome out[3];
	struct lsession *S;
	assert_int_equal(session_open_discuss(&o, out, &S, &e), 0);
	size_t first, n;
	long long k, nitems;
	session_discuss_item(S, &first, &n);
	assert_int_equal(first, 0);
	assert_int_equal(n, 2);
	session_focus_step(S, 1);          /* Tab: a/ok's cause, then a/s's value */
	assert_int_equal(S->at, 0);
	assert_int_equal(S->focus, 1);
	session_focus_step(S, 1);
	assert_int_equal(S->at, 1);
	assert_int_equal(S->focus, 0);
	session_focus_step(S, -1);
	session_focus_step(S, -1);
	assert_int_equal(S->at, 0);
	session_discuss_accept(S, 2, 0);
	assert_string_equal(S->msg, "this batch has 2 raters");
	session_discuss_accept(S, 1, 0);   /* b: a/ok from rater 2 */
	assert_string_equal(S->msg, "agreed on rater 2's value for 1 criterion of a");
	assert_consensus(f, "a", "ok", "\"no\"");
	assert_int_equal(out[0].value, 0);
	assert_int_equal(S->at, 1);        /* the item's next open one */
	session_discuss_accept(S, 0, 1);   /* A: the rest of a from rater 1 */
	assert_string_equal(S->msg, "agreed on rater 1's value for 1 criterion of a");
	assert_consensus(f, "a", "s", "3");
	assert_consensus(f, "a", "ok", "\"no\"");   /* settled before: kept */
	assert_int_equal(S->at, 2);        /* the next item */
	session_discuss_item_pos(S, &k, &nitems);
	assert_int_equal(k, 2);
	assert_int_equal(nitems, 2);
	session_step(S, -1);               /* p: the previous item, all settled: its first */
	assert_int_equal(S->at, 0);
	session_step(S, 1);
	assert_int_equal(S->at, 2);
	session_discuss_accept(S, 1, 1);   /* B */
	assert_string_equal(S->msg, "all 3 disagreements settled: q quits (n/p to look again)");
	assert_consensus(f, "b", "ok", "\"no\"");
	assert_int_equal(S->saves, 3);
	long long done, total;
	session_progress(S, &done, &total);
	assert_int_equal(done, 3);
	assert_int_equal(total, 3);
	session_close(S);
	discuss_outcome_free(out, 3);
	ratings_free(t);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)   /* each on a store of its own */

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(label_saves_each_answer), TEST(label_undo_restores_or_withdraws), TEST(label_marks),
		TEST(label_navigation_and_quit), TEST(label_checklist_and_yes_no), TEST(label_drafts),
		TEST(label_resumes_after_the_last_labeled), TEST(label_outputs_one_at_a_time), TEST(pair_sides_per_rater),
		TEST(pair_sides_reproducible), cmocka_unit_test(pair_sides_balanced),
		TEST(pair_undo_and_reopen), TEST(review_records_consensus), TEST(discuss_settles_and_withdraws),
		TEST(discuss_accepts_a_raters_values),
	};
	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
