/* test_session_find.c: finding and browsing (session_find.h) without a
 * terminal, on a store in a temporary folder: g by id, by a unique start,
 * an ambiguous start and an unknown id; Tab completion; the search (case
 * folded, over id, input, output and meta, walking its matches and
 * wrapping); the list's states (labeled, stale by a new item version and
 * by a new rubric version, skipped, flagged, commented; pair: partly;
 * review: reviewed, disputed), its values, its filters by state and meta,
 * and opening a row. The expected values follow from the items and labels
 * written here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/items.h"
#include "app/ratings.h"
#include "app/session_find.h"

static char tmp[64];

struct world {
	store *st;
	struct rubric *tl, *tl2, *pw;
};

static struct rubric *rubric_of(const char *name, int version, const char *mode, const char *criteria)
{
	struct rubric *r;
	struct gs_err e;
	char *text = xasprintf("{\"name\":\"%s\",\"version\":%d,\"mode\":\"%s\",\"criteria\":[%s]}", name, version, mode,
			       criteria);
	assert_int_equal(rubric_parse(text, strlen(text), "t.json", &r, &e, NULL, NULL), 0);
	free(text);
	return r;
}

/* item lines of one set into the store, in one transaction, as import does */
static void import_lines(store *st, const char *set, char *const *lines, size_t n)
{
	struct gs_err e;
	assert_int_equal(store_begin(st, &e), 0);
	for (size_t i = 0; i < n; i++) {
		struct item it;
		char *canon, hash[33];
		int outcome;
		assert_int_equal(item_parse_line(lines[i], strlen(lines[i]), set, (long)i + 1, NULL, &canon, &it, &e), 0);
		content_hash(canon, strlen(canon), hash);
		struct store_item row = {.ext_id = it.id, .set = set, .hash = hash, .json = canon, .meta = it.meta_json,
					 .kind = it.noutputs ? "pairwise" : "single", .ord = (long long)i + 1,
					 .out_len = item_output_len(&it)};
		assert_int_equal(store_item_put(st, &row, &outcome, &e), 0);
		item_free(&it);
		free(canon);
	}
	assert_int_equal(store_commit(st, &e), 0);
}

/* it-1 .. it-20 (grp x, then y; "Needle" in it-7's output and it-15's
 * meta; "ÄPFEL" in it-9's); p01 .. p03 of two systems, p04 of three */
static void import_world(store *st)
{
	char *lines[20], *pairs[4];
	for (int i = 1; i <= 20; i++)
		lines[i - 1] = xasprintf("{\"id\":\"it-%d\",\"input\":\"question %d\",\"output\":\"answer %d%s\","
					 "\"meta\":{\"grp\":\"%s\"%s}}", i, i, i,
					 i == 7 ? " Needle" : i == 9 ? " \xc3\x84PFEL" : "", i > 10 ? "y" : "x",
					 i == 15 ? ",\"why\":\"NEEDLE here\"" : "");
	import_lines(st, "s", lines, 20);
	for (int i = 1; i <= 4; i++)
		pairs[i - 1] = xasprintf("{\"id\":\"p0%d\",\"input\":\"duel %d\",\"outputs\":[{\"system\":\"sx\",\"text\":\"X\"},"
					 "{\"system\":\"sy\",\"text\":\"Y\"}%s]}", i, i,
					 i == 4 ? ",{\"system\":\"sz\",\"text\":\"Z\"}" : "");
	import_lines(st, "duel", pairs, 4);
	for (int i = 0; i < 20; i++) free(lines[i]);
	for (int i = 0; i < 4; i++) free(pairs[i]);
}

static int setup(void **state)
{
	static const char single[] =
		"{\"id\":\"ok\",\"type\":\"binary\",\"question\":\"Ok?\",\"labels\":[\"no\",\"yes\"]},"
		"{\"id\":\"s\",\"type\":\"scale\",\"min\":1,\"max\":3,\"question\":\"Good?\"}";
	struct world *w = calloc(1, sizeof *w);
	struct gs_err e;
	strcpy(tmp, "/tmp/gs-find-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	char *db = path_join(tmp, "t.db");
	assert_int_equal(store_open(db, &w->st, &e), 0);
	free(db);
	import_world(w->st);
	w->tl = rubric_of("tl", 1, "single", single);
	w->tl2 = rubric_of("tl", 2, "single", single);
	w->pw = rubric_of("pw", 1, "pairwise", "{\"id\":\"better\",\"type\":\"preference\",\"question\":\"Better?\"}");
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	store_close(w->st);
	rubric_free(w->tl);
	rubric_free(w->tl2);
	rubric_free(w->pw);
	free(w);
	char *rm = xasprintf("rm -rf %s", tmp);
	assert_int_equal(system(rm), 0);
	free(rm);
	return 0;
}

/* ---- helpers ---- */

struct open_label { struct label_opts o; struct lsession *S; struct session_find *f; };

static void label_open(struct world *w, const struct rubric *r, struct open_label *L)
{
	struct gs_err e;
	L->o = (struct label_opts){.st = w->st, .r = r, .rater = "ann", .set = "s", .file_order = 1};
	assert_int_equal(session_open_label(&L->o, &L->S, &e), 0);
	L->f = session_find_new(L->S);
	assert_non_null(L->f);
}

static void label_close(struct open_label *L)
{
	session_find_free(L->f);
	session_close(L->S);
}

static void assert_shown(const struct lsession *S, const char *id)
{
	assert_non_null(session_ext_id(S));
	assert_string_equal(session_ext_id(S), id);
}

/* the list's row of id */
static const struct find_row *row_of(const struct find_list *l, const char *id)
{
	for (size_t i = 0; i < l->all->len; i++)
		if (strcmp(g_array_index(l->all, struct find_row, i).id, id) == 0) return &g_array_index(l->all, struct find_row, i);
	fail_msg("no row %s", id);
	return NULL;
}

static size_t count_with(struct session_find *f, struct find_list *l, enum find_filter x, const char *meta)
{
	struct gs_err e;
	assert_int_equal(session_find_filter(f, l, x, meta, &e), 0);
	return l->rows->len;
}

/* ---- g ---- */

static void goto_by_id_and_prefix(void **state)
{
	struct world *w = *state;
	struct open_label L;
	label_open(w, w->tl, &L);
	assert_shown(L.S, "it-1");
	assert_int_equal(session_goto(L.f, "it-19"), 0);
	assert_shown(L.S, "it-19");
	assert_string_equal(L.S->msg, "went to it-19");
	long long at, n;
	session_position(L.S, &at, &n);
	assert_int_equal(at, 19);
	assert_int_equal(session_goto(L.f, "it-3"), 0);   /* an exact id, though none other starts so */
	assert_shown(L.S, "it-3");
	assert_int_equal(session_goto(L.f, "it-1"), 0);   /* exact wins over the ten it-1N */
	assert_shown(L.S, "it-1");
	assert_int_equal(session_goto(L.f, "it-2"), 0);   /* exact: it-2 and it-20 start so */
	assert_shown(L.S, "it-2");
	assert_int_equal(session_goto(L.f, "it-"), -1);
	assert_string_equal(L.S->msg, "20 ids start with it-: type more");
	assert_shown(L.S, "it-2");
	assert_int_equal(session_goto(L.f, "zz"), -1);
	assert_string_equal(L.S->msg, "no item zz in this queue");
	assert_int_equal(session_goto(L.f, "p01"), -1);   /* a pair item is not in the label queue */
	assert_int_equal(session_goto(L.f, ""), -1);
	session_pick(L.S, 1);                               /* a draft left behind is said */
	assert_int_equal(session_goto(L.f, "it-5"), 0);
	assert_string_equal(L.S->msg, "left it-2 without saving its answers");
	label_close(&L);
}

static void tab_completes(void **state)
{
	struct world *w = *state;
	struct open_label L;
	size_t n;
	char *c;
	label_open(w, w->tl, &L);
	c = session_find_complete(L.f, "i", &n);
	assert_int_equal(n, 20);
	assert_string_equal(c, "it-");   /* the start all share */
	free(c);
	c = session_find_complete(L.f, "it-1", &n);
	assert_int_equal(n, 11);         /* it-1, it-10 .. it-19 */
	assert_string_equal(c, "it-1");
	free(c);
	c = session_find_complete(L.f, "it-20", &n);
	assert_int_equal(n, 1);
	assert_string_equal(c, "it-20");
	free(c);
	c = session_find_complete(L.f, "it-5", &n);
	assert_int_equal(n, 1);
	assert_string_equal(c, "it-5");
	free(c);
	c = session_find_complete(L.f, "q", &n);
	assert_int_equal(n, 0);
	assert_string_equal(c, "q");
	free(c);
	label_close(&L);
}

/* ---- / ---- */

static void search_walks_matches(void **state)
{
	struct world *w = *state;
	struct open_label L;
	label_open(w, w->tl, &L);
	assert_int_equal(session_search(L.f, NULL), -1);
	assert_string_equal(L.S->msg, "nothing to search again yet: /, a text, Enter");
	assert_int_equal(session_search(L.f, "nEEDLE"), 0);   /* it-7's output, it-15's meta */
	assert_shown(L.S, "it-7");
	assert_string_equal(L.S->msg, "match 1/2: it-7");
	assert_int_equal(session_search(L.f, ""), 0);
	assert_shown(L.S, "it-15");
	assert_string_equal(L.S->msg, "match 2/2: it-15");
	assert_int_equal(session_search(L.f, NULL), 0);
	assert_shown(L.S, "it-7");
	assert_string_equal(L.S->msg, "match 1/2: it-7 (from the top)");
	assert_string_equal(session_search_text(L.f), "nEEDLE");
	assert_int_equal(session_search(L.f, "\xc3\xa4pfel"), 0);   /* case folded beyond ASCII */
	assert_shown(L.S, "it-9");
	assert_int_equal(session_search(L.f, NULL), 0);
	assert_string_equal(L.S->msg, "\"\xc3\xa4pfel\" is only in this item");
	assert_int_equal(session_search(L.f, "T-20"), 0);     /* the id */
	assert_shown(L.S, "it-20");
	assert_int_equal(session_search(L.f, "question 1"), 0);   /* inputs of it-1, it-10 .. it-19 */
	assert_shown(L.S, "it-1");
	assert_string_equal(L.S->msg, "match 1/11: it-1 (from the top)");
	assert_int_equal(session_search(L.f, "grp"), 0);          /* a meta key: every item */
	assert_string_equal(L.S->msg, "match 2/20: it-2");
	assert_int_equal(session_search(L.f, "nowhere"), -1);
	assert_string_equal(L.S->msg, "no item holds \"nowhere\" (id, input, output, meta)");
	label_close(&L);
}

/* ---- l ---- */

/* it-3 labeled (no, 2), it-4 skipped, it-5 flagged and commented, it-6
 * labeled (yes, 3) and then changed */
static void label_some(struct world *w)
{
	struct open_label L;
	char *line = xstrdup("{\"id\":\"it-6\",\"input\":\"question 6\",\"output\":\"answer 6, corrected\"}");
	label_open(w, w->tl, &L);
	assert_int_equal(session_goto(L.f, "it-3"), 0);
	session_pick(L.S, 1);
	session_pick(L.S, 2);
	session_save(L.S);
	assert_int_equal(session_goto(L.f, "it-4"), 0);
	session_skip(L.S, "unsure");
	assert_int_equal(session_goto(L.f, "it-5"), 0);
	session_flag(L.S);
	session_comment(L.S, "odd wording");
	assert_int_equal(session_goto(L.f, "it-6"), 0);
	session_pick(L.S, 2);
	session_pick(L.S, 3);
	session_save(L.S);
	label_close(&L);
	import_lines(w->st, "s", &line, 1);
	free(line);
}

/* label_some, then a session under r and its list */
static void list_after_some(struct world *w, const struct rubric *r, struct open_label *L, struct find_list *l)
{
	struct gs_err e;
	label_some(w);
	label_open(w, r, L);
	assert_int_equal(session_find_list(L->f, l, &e), 0);
}

static void list_states_and_filters(void **state)
{
	struct world *w = *state;
	struct open_label L;
	struct find_list l;
	struct gs_err e;
	list_after_some(w, w->tl, &L, &l);
	assert_int_equal(l.all->len, 20);
	assert_int_equal(l.rows->len, 20);
	const struct find_row *r3 = row_of(&l, "it-3"), *r4 = row_of(&l, "it-4"), *r5 = row_of(&l, "it-5"),
			      *r6 = row_of(&l, "it-6"), *r7 = row_of(&l, "it-7");
	assert_int_equal(r3->state, FIND_DONE);
	assert_string_equal(r3->values, "no 2");
	assert_int_equal(r4->state, FIND_SKIPPED);
	assert_int_equal(r5->state, FIND_TODO);
	assert_int_equal(r5->marks, FIND_FLAGGED | FIND_COMMENTED);
	assert_int_equal(r6->state, FIND_STALE);   /* labeled on the version before */
	assert_string_equal(r6->values, "yes 3");
	assert_int_equal(r7->state, FIND_TODO);
	assert_string_equal(r7->values, "-");
	assert_string_equal(session_find_state_name(L.f, r6->state), "stale");
	assert_string_equal(session_find_state_name(L.f, r7->state), "unlabeled");
	assert_true(row_of(&l, session_ext_id(L.S))->shown);

	assert_int_equal(count_with(L.f, &l, FIND_ONLY_TODO, NULL), 17);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_DONE, NULL), 1);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_STALE, NULL), 1);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_SKIPPED, NULL), 1);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_FLAGGED, NULL), 1);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_COMMENTED, NULL), 1);
	assert_int_equal(count_with(L.f, &l, FIND_ALL, "grp=y"), 10);
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_TODO, NULL), 10);   /* the meta filter stays */
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_TODO, "grp=x"), 7);
	assert_int_equal(count_with(L.f, &l, FIND_ALL, "grp=z"), 0);
	assert_int_equal(session_find_filter(L.f, &l, FIND_ALL, "grp", &e), EX_USAGE);
	assert_int_equal(session_find_filter(L.f, &l, FIND_ALL, "=x", &e), EX_USAGE);
	assert_int_equal(count_with(L.f, &l, FIND_ALL, ""), 20);

	/* the filters of a label session, in turn */
	enum find_filter x = FIND_ALL;
	const char *seen[8];
	for (int i = 0; i < 7; i++) seen[i] = session_find_filter_name(L.f, x = session_find_filter_step(L.f, x, 1));
	const char *want[] = {"unlabeled", "labeled", "stale", "skipped", "flagged", "commented", "all"};
	for (int i = 0; i < 7; i++) assert_string_equal(seen[i], want[i]);
	assert_int_equal(session_find_filter_step(L.f, FIND_ALL, -1), FIND_ONLY_COMMENTED);

	assert_int_equal(count_with(L.f, &l, FIND_ONLY_SKIPPED, NULL), 1);
	assert_int_equal(session_find_open(L.f, &g_array_index(l.all, struct find_row, g_array_index(l.rows, size_t, 0))), 0);
	assert_shown(L.S, "it-4");   /* from it-6, where the rater stopped: changed, its answers a draft */
	assert_string_equal(L.S->msg, "left it-6 without saving its answers");
	assert_int_equal(session_goto(L.f, "it-8"), 0);
	assert_string_equal(L.S->msg, "went to it-8");
	session_find_list_free(&l);
	label_close(&L);
}

static void newer_rubric_makes_labels_stale(void **state)
{
	struct open_label L;
	struct find_list l;
	list_after_some(*state, ((struct world *)*state)->tl2, &L, &l);
	assert_int_equal(row_of(&l, "it-3")->state, FIND_STALE);   /* made under version 1 */
	assert_int_equal(count_with(L.f, &l, FIND_ONLY_DONE, NULL), 0);
	session_find_list_free(&l);
	label_close(&L);
}

/* ---- pair and review ---- */

static void pair_find_and_list(void **state)
{
	struct world *w = *state;
	struct pair_opts o = {.st = w->st, .r = w->pw, .rater = "ann", .pairs_per_item = PAIR_DEFAULT_PER_ITEM};
	struct lsession *S;
	struct find_list l;
	struct gs_err e;
	assert_int_equal(session_open_pair(&o, &S, &e), 0);
	struct session_find *f = session_find_new(S);
	assert_int_equal(session_goto(f, "p0"), -1);
	assert_string_equal(S->msg, "4 ids start with p0: type more");
	assert_int_equal(session_goto(f, "p04"), 0);
	assert_shown(S, "p04");
	session_prefer(S, 0);
	session_save(S);                  /* the next comparison of p04 */
	assert_shown(S, "p04");
	assert_int_equal(session_goto(f, "p02"), 0);
	session_prefer(S, 2);
	session_save(S);
	assert_int_equal(session_find_list(f, &l, &e), 0);
	assert_int_equal(l.all->len, 4);
	assert_int_equal(row_of(&l, "p04")->state, FIND_PARTLY);
	assert_string_equal(row_of(&l, "p04")->values, "A - -");   /* per comparison as shown, the first saved */
	assert_int_equal(row_of(&l, "p02")->state, FIND_DONE);
	assert_string_equal(row_of(&l, "p02")->values, "tie");
	assert_int_equal(row_of(&l, "p01")->state, FIND_TODO);
	assert_int_equal(count_with(f, &l, FIND_ONLY_PARTLY, NULL), 1);
	assert_int_equal(session_search(f, "duel 3"), 0);
	assert_shown(S, "p03");
	session_find_list_free(&l);
	session_find_free(f);
	session_close(S);
}

static void rate(struct world *w, const char *rater, const char *id, int ok, int s, const char *note)
{
	struct gs_err e;
	struct store_item it;
	int slots[2] = {ok, s};
	assert_int_equal(store_item_get(w->st, id, &it, &e), 0);
	struct label_save ls = {.r = w->tl, .slots = slots, .item = &it, .rater = rater, .note = note, .seconds = -1};
	assert_int_equal(label_save(w->st, &ls, NULL, &e), 0);
	store_item_free(&it);
}

static void review_find_and_list(void **state)
{
	struct world *w = *state;
	char *items[] = {"it-1", "it-2", "it-12"}, *raters[] = {"ann", "bob", NULL};
	struct ratings *t;
	struct lsession *S;
	struct find_list l;
	struct gs_err e;
	rate(w, "ann", "it-1", 1, 2, NULL);
	rate(w, "bob", "it-1", 0, 2, NULL);         /* ok: yes against no */
	rate(w, "ann", "it-2", 1, 0, NULL);
	rate(w, "bob", "it-2", 1, 0, "fine");
	assert_int_equal(ratings_load_items(w->st, w->tl, raters, items, 3, &t, &e), 0);
	struct review_out out[3] = {{0}};
	struct review_opts o = {w->st, t, items, 3, "2026-01-05T10:00:00Z", NULL};
	assert_int_equal(session_open_review(&o, out, &S, &e), 0);
	struct session_find *f = session_find_new(S);
	session_pick(S, 2);                         /* agreed: yes */
	session_save(S);                            /* it-1 reviewed, it-2 shown */
	assert_int_equal(session_goto(f, "it-1"), 0);
	assert_int_equal(S->at, 0);
	assert_int_equal(session_goto(f, "it-3"), -1);
	assert_string_equal(S->msg, "no item it-3 in this review");
	assert_int_equal(session_find_list(f, &l, &e), 0);
	assert_int_equal(row_of(&l, "it-1")->state, FIND_DONE);
	assert_int_equal(row_of(&l, "it-1")->marks, FIND_DISPUTED);
	assert_string_equal(row_of(&l, "it-1")->values, "yes -");
	assert_int_equal(row_of(&l, "it-2")->state, FIND_TODO);
	assert_int_equal(row_of(&l, "it-2")->marks, FIND_COMMENTED);
	assert_string_equal(session_find_state_name(f, FIND_TODO), "unreviewed");
	assert_int_equal(count_with(f, &l, FIND_ONLY_DISPUTED, NULL), 1);
	assert_int_equal(count_with(f, &l, FIND_ALL, "grp=y"), 1);
	assert_int_equal(session_search(f, "answer 12"), 0);
	assert_int_equal(S->at, 2);
	session_find_list_free(&l);
	session_find_free(f);
	session_close(S);
	review_out_free(out, 3);
	ratings_free(t);
	struct lsession discuss = {.kind = SESSION_DISCUSS};
	assert_null(session_find_new(&discuss));   /* not served */
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(goto_by_id_and_prefix), TEST(tab_completes), TEST(search_walks_matches), TEST(list_states_and_filters),
		TEST(newer_rubric_makes_labels_stale), TEST(pair_find_and_list), TEST(review_find_and_list),
	};
	return cmocka_run_group_tests_name("session_find", tests, NULL, NULL);
}
