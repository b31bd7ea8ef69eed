/* test_routing.c: how `label --overlap K` routes the work between raters,
 * driven through labeling sessions on a store in a temporary folder: the
 * items a human rater started that have fewer than K raters come first for
 * every other rater (most raters first, then in the rater's own order),
 * an item that has K raters is never offered while one below K remains,
 * a judge's labels do not count, and the order is the same every time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/items.h"
#include "app/session.h"

#define NITEMS 30

static const char rubric_text[] =
	"{\"name\":\"tl\",\"version\":1,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"ok\",\"type\":\"binary\",\"question\":\"Is it ok?\",\"labels\":[\"no\",\"yes\"]}]}";

struct fx {
	char dir[64];
	store *st;
	struct rubric *r;
};

static void put_item(store *s, int n)
{
	struct gs_err e;
	char *line = xasprintf("{\"id\":\"it-%02d\",\"input\":\"question %d\",\"output\":\"answer %d\"}", n, n, n);
	char *canon, hash[33];
	struct item it;
	int outcome;
	assert_int_equal(item_parse_line(line, strlen(line), "t.jsonl", n, NULL, &canon, &it, &e), 0);
	content_hash(canon, strlen(canon), hash);
	struct store_item si = {.ext_id = it.id, .set = "s", .hash = hash, .kind = "single", .json = canon,
				.meta = it.meta_json, .ord = n, .out_len = item_output_len(&it)};
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_item_put(s, &si, &outcome, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	free(canon);
	free(line);
	item_free(&it);
}

static struct fx *fx_new(void)
{
	struct fx *f = calloc(1, sizeof *f);
	struct gs_err e;
	strcpy(f->dir, "/tmp/gs-routing-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	char *path = path_join(f->dir, "t.db");
	assert_int_equal(store_open(path, &f->st, &e), 0);
	free(path);
	for (int i = 1; i <= NITEMS; i++) put_item(f->st, i);
	assert_int_equal(rubric_parse(rubric_text, strlen(rubric_text), "tl.json", &f->r, &e, NULL, NULL), 0);
	return f;
}

static void fx_free(struct fx *f)
{
	store_close(f->st);
	rubric_free(f->r);
	char *cmd = xasprintf("rm -rf %s", f->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f);
}

static int setup(void **state)
{
	*state = fx_new();
	return 0;
}

static int teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* rater labels the next n items the queue gives (shuffled order, --overlap
 * k); their ids go into seen (a "|"-separated list, in order) */
static void label_n(struct fx *f, const char *rater, int k, int n, GString *seen)
{
	struct label_opts o = {.st = f->st, .r = f->r, .rater = rater, .overlap = k};
	struct lsession *S;
	struct gs_err e;
	assert_int_equal(session_open_label(&o, &S, &e), 0);
	for (int i = 0; i < n; i++) {
		assert_true(S->have);
		g_string_append_printf(seen, "%s|", session_ext_id(S));
		session_pick(S, 2);
		session_save(S);
	}
	session_close(S);
}

/* how many human raters have a label on ext_id (the store's own count) */
static int raters_of(struct fx *f, const char *ext_id)
{
	static const char *const who[] = {"alice", "bob", "carol"};
	int n = 0;
	for (size_t i = 0; i < 3; i++) {
		struct store_label l;
		struct gs_err e;
		if (store_label_current(f->st, "tl", ext_id, who[i], "", &l, &e)) continue;
		n += l.vals != NULL;
		store_label_free(&l);
	}
	return n;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the ids of a "|"-separated list, sorted and joined again */
static char *sorted(const char *list)
{
	char **v = g_strsplit(list, "|", -1);
	guint n = g_strv_length(v);
	if (n && !*v[n - 1]) {
		g_free(v[n - 1]);
		v[--n] = NULL;
	}
	qsort(v, n, sizeof *v, str_cmp);
	char *out = g_strjoinv("|", v);
	g_strfreev(v);
	return out;
}

static int is_prefix_set(const char *items, const char *of)
{
	char *a = sorted(items), *b = sorted(of);
	int same = strcmp(a, b) == 0;
	g_free(a);
	g_free(b);
	return same;
}

/* Alice labels 18 of 30; Bob's first 18 items are exactly Alice's 18 (in
 * an order of his own), his 19th is an item nobody has started */
static void two_raters_bob_gets_alices_items_first(void **state)
{
	struct fx *f = *state;
	GString *alice = g_string_new(""), *bob = g_string_new(""), *next = g_string_new("");
	label_n(f, "alice", 2, 18, alice);
	label_n(f, "bob", 2, 18, bob);
	assert_true(is_prefix_set(bob->str, alice->str));
	assert_string_not_equal(bob->str, alice->str);   /* his own order (30 items, 2 orders: not equal) */
	label_n(f, "bob", 2, 1, next);
	next->str[next->len - 1] = 0;
	assert_null(strstr(alice->str, next->str));
	assert_int_equal(raters_of(f, next->str), 1);   /* bob's alone now */
	g_string_free(alice, TRUE);
	g_string_free(bob, TRUE);
	g_string_free(next, TRUE);
}

/* the same labels in a second store give Bob the same sequence */
static void routing_order_is_deterministic_per_rater(void **state)
{
	(void)state;
	char *runs[2];
	for (int r = 0; r < 2; r++) {
		struct fx *f = fx_new();
		GString *alice = g_string_new(""), *bob = g_string_new("");
		label_n(f, "alice", 2, 10, alice);
		label_n(f, "bob", 2, 14, bob);
		runs[r] = g_string_free(bob, FALSE);
		g_string_free(alice, TRUE);
		fx_free(f);
	}
	assert_string_equal(runs[0], runs[1]);
	g_free(runs[0]);
	g_free(runs[1]);
}

/* K=2, three raters: Alice labels 10, Bob 6 (all Alice's); Carol gets
 * Alice's other 4 first, never an item that has 2 raters, then fresh ones */
static void three_raters_k2_skip_full_items(void **state)
{
	struct fx *f = *state;
	GString *alice = g_string_new(""), *bob = g_string_new(""), *carol = g_string_new("");
	label_n(f, "alice", 2, 10, alice);
	label_n(f, "bob", 2, 6, bob);
	char **b = g_strsplit(bob->str, "|", -1);
	for (int i = 0; i < 6; i++) assert_non_null(strstr(alice->str, b[i]));
	g_strfreev(b);
	label_n(f, "carol", 2, 8, carol);
	char **c = g_strsplit(carol->str, "|", -1);
	for (int i = 0; i < 8; i++) {
		int alices = strstr(alice->str, c[i]) != NULL, bobs = strstr(bob->str, c[i]) != NULL;
		assert_false(bobs);                 /* Bob's 6 already have 2 raters */
		assert_int_equal(alices, i < 4);    /* Alice's other 4 first, then fresh items */
		assert_int_equal(raters_of(f, c[i]), i < 4 ? 2 : 1);
	}
	g_strfreev(c);
	g_string_free(alice, TRUE);
	g_string_free(bob, TRUE);
	g_string_free(carol, TRUE);
}

/* K=3: Carol gets the 6 items with 2 raters first, then Alice's other 4 */
static void three_raters_k3_most_raters_first(void **state)
{
	struct fx *f = *state;
	GString *alice = g_string_new(""), *bob = g_string_new(""), *carol = g_string_new("");
	label_n(f, "alice", 3, 10, alice);
	label_n(f, "bob", 3, 6, bob);
	label_n(f, "carol", 3, 11, carol);
	char **c = g_strsplit(carol->str, "|", -1);
	for (int i = 0; i < 11; i++) {
		assert_int_equal(strstr(bob->str, c[i]) != NULL, i < 6);
		assert_int_equal(strstr(alice->str, c[i]) != NULL, i < 10);
	}
	g_strfreev(c);
	g_string_free(alice, TRUE);
	g_string_free(bob, TRUE);
	g_string_free(carol, TRUE);
}

/* a judge's labels on every item count for nothing: Alice still gets
 * items, Bob still gets Alice's first */
static void judge_labels_do_not_count(void **state)
{
	struct fx *f = *state;
	struct gs_err e;
	int slots[1] = {0};
	for (int i = 1; i <= NITEMS; i++) {
		char id[16];
		snprintf(id, sizeof id, "it-%02d", i);
		struct store_item it;
		assert_int_equal(store_item_get(f->st, id, &it, &e), 0);
		struct label_save ls = {.r = f->r, .slots = slots, .item = &it, .rater = "judge:x", .seconds = -1};
		long long row;
		assert_int_equal(label_save(f->st, &ls, &row, &e), 0);
		store_item_free(&it);
	}
	GString *alice = g_string_new(""), *bob = g_string_new("");
	label_n(f, "alice", 2, 5, alice);
	label_n(f, "bob", 2, 5, bob);
	assert_true(is_prefix_set(bob->str, alice->str));
	g_string_free(alice, TRUE);
	g_string_free(bob, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(two_raters_bob_gets_alices_items_first, setup, teardown),
		cmocka_unit_test(routing_order_is_deterministic_per_rater),
		cmocka_unit_test_setup_teardown(three_raters_k2_skip_full_items, setup, teardown),
		cmocka_unit_test_setup_teardown(three_raters_k3_most_raters_first, setup, teardown),
		cmocka_unit_test_setup_teardown(judge_labels_do_not_count, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
