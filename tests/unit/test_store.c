/* test_store.c: the store: migrations, item versions, appended labels with
 * derived current values (undo = a row restoring the previous value),
 * stale labels, marks and settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/gs-store-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, "t.db");
	store *s;
	struct gs_err e;
	assert_int_equal(store_open(path, &s, &e), 0);
	free(path);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	char *cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

static void put(store *s, const char *id, const char *json, int want)
{
	struct gs_err e;
	struct store_item it = {.ext_id = id, .set = "s", .hash = json, .kind = "single", .json = json, .meta = "{\"k\":\"v\"}"};
	int outcome;
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_item_put(s, &it, &outcome, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	assert_int_equal(outcome, want);
}

static long long add_label(store *s, long long row, const char *vals)
{
	struct gs_err e;
	struct store_label l = {.item_row = row, .ext_id = "a", .rubric = "r", .rubric_version = 1, .rater = "ann",
				.vals = vals, .seconds = 1.5};
	long long id;
	assert_int_equal(store_label_add(s, &l, &id, &e), 0);
	return id;
}

static int count_cb(void *ctx, const struct store_label *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

static void schema_and_versions(void **state)
{
	store *s = *state;
	struct gs_err e;
	assert_true(store_schema_version(s) >= 1);   /* every migration ran */
	put(s, "a", "{\"id\":\"a\",\"v\":1}", STORE_ADDED);
	put(s, "a", "{\"id\":\"a\",\"v\":1}", STORE_UNCHANGED);
	struct store_item it;
	assert_int_equal(store_item_get(s, "a", &it, &e), 0);
	long long v1 = it.id;
	assert_int_equal(it.version, 1);
	store_item_free(&it);
	add_label(s, v1, "{\"x\":1}");
	int n = 0;
	struct store_label_query q = {0};
	assert_int_equal(store_labels_each(s, &q, count_cb, &n, &e), 0);
	assert_int_equal(n, 1);
	put(s, "a", "{\"id\":\"a\",\"v\":2}", STORE_CHANGED);
	assert_int_equal(store_item_get(s, "a", &it, &e), 0);
	assert_int_equal(it.version, 2);
	store_item_free(&it);
	n = 0;
	assert_int_equal(store_labels_each(s, &q, count_cb, &n, &e), 0);
	assert_int_equal(n, 0); /* the label is stale now */
	q.include_stale = 1;
	assert_int_equal(store_labels_each(s, &q, count_cb, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_integrity_ok(s, &e), 0);
}

static void labels_append_and_undo(void **state)
{
	store *s = *state;
	struct gs_err e;
	put(s, "a", "{\"id\":\"a\"}", STORE_ADDED);
	struct store_item it;
	assert_int_equal(store_item_get(s, "a", &it, &e), 0);
	add_label(s, it.id, "{\"x\":1}");
	add_label(s, it.id, "{\"x\":2}");
	add_label(s, it.id, NULL); /* withdrawn: an undo of the first save */
	struct store_label cur;
	assert_int_equal(store_label_current(s, "r", "a", "ann", "", &cur, &e), 0);
	assert_null(cur.vals);
	assert_true(cur.seconds > 1.4);
	store_label_free(&cur);
	int n = 0;
	assert_int_equal(store_label_history_each(s, "r", "a", count_cb, &n, &e), 0);
	assert_int_equal(n, 3);
	n = 0;
	struct store_label_query q = {0};
	assert_int_equal(store_labels_each(s, &q, count_cb, &n, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_label_current(s, "r", "a", "bob", "", &cur, &e), EX_NOINPUT);
	store_item_free(&it);
}

static void marks_and_settings(void **state)
{
	store *s = *state;
	struct gs_err e;
	int flagged;
	assert_int_equal(store_mark_add(s, "a", "r", "ann", "flag", NULL, &e), 0);
	assert_int_equal(store_item_flagged(s, "a", NULL, &flagged, &e), 0);
	assert_true(flagged);
	assert_int_equal(store_mark_add(s, "a", "r", "ann", "unflag", NULL, &e), 0);
	assert_int_equal(store_item_flagged(s, "a", "ann", &flagged, &e), 0);
	assert_false(flagged);
	char *v;
	assert_int_equal(store_setting_get(s, "k", &v, &e), 0);
	assert_null(v);
	assert_int_equal(store_setting_set(s, "k", "it's; DROP TABLE items", &e), 0);
	assert_int_equal(store_setting_get(s, "k", &v, &e), 0);
	assert_string_equal(v, "it's; DROP TABLE items");
	free(v);
}

/* only a missing file is created, and only by STORE_CREATE; an empty or
 * foreign file is refused, left as it was, and STORE_READ writes nothing */
static void open_modes(void **state)
{
	store *s = *state, *t = NULL;
	struct gs_err e;
	char *missing = path_join(dir, "missing.db"), *empty = path_join(dir, "empty.db"),
	     *text = path_join(dir, "text.db");
	assert_int_equal(store_open_mode(missing, STORE_WRITE, &t, &e), EX_NOINPUT);
	assert_int_equal(store_open_mode(missing, STORE_READ, &t, &e), EX_NOINPUT);
	assert_false(path_exists(missing));
	assert_int_equal(write_file_atomic(empty, "", 0, &e), 0);
	assert_int_equal(write_file_atomic(text, "hello\n", 6, &e), 0);
	const char *bad[] = {empty, text};
	for (size_t i = 0; i < 2; i++)
		for (int m = STORE_CREATE; m <= STORE_READ; m++) {
			assert_int_equal(store_open_mode(bad[i], (enum store_mode)m, &t, &e), EX_DATAERR);
			assert_non_null(strstr(e.msg, bad[i]));
			assert_non_null(strstr(e.msg, "goldset init --rebuild"));
		}
	char *body;
	size_t len = 1;
	assert_int_equal(read_file(empty, &body, &len, &e), 0);
	assert_int_equal(len, 0);
	free(body);
	char *good = path_join(dir, "t.db");
	assert_int_equal(store_open_mode(good, STORE_READ, &t, &e), 0);
	assert_true(store_readonly(t));
	assert_false(store_readonly(s));
	assert_int_not_equal(store_setting_set(t, "k", "v", &e), 0);   /* nothing is written */
	store_close(t);
	free(good);
	free(missing);
	free(empty);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(schema_and_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(labels_append_and_undo, setup, teardown),
		cmocka_unit_test_setup_teardown(marks_and_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(open_modes, setup, teardown),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
