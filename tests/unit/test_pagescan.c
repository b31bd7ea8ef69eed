/* test_pagescan.c: rows read from a store's pages without SQLite
 * (src/store/pagescan.c): every label row of a real store comes back with its
 * values, a note long enough to spill onto overflow pages whole; a page
 * whose type byte is damaged is still read; a missing file is -1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "store/pagescan.h"
#include "store/store.h"

static char dir[64];

struct found { int labels, long_note; long long max_id; };

static int each(void *ctx, long long rowid, const struct ps_value *v, int n)
{
	struct found *f = ctx;
	if (n != 18 || v[6].type != PS_TEXT || v[6].n != 3 || memcmp(v[6].p, "ann", 3) != 0) return 0;
	f->labels++;
	if (rowid > f->max_id) f->max_id = rowid;
	if (v[9].type == PS_TEXT && v[9].n == 9000) {
		int all_x = 1;
		for (size_t i = 0; i < v[9].n; i++) all_x &= v[9].p[i] == 'x';
		f->long_note += all_x;
	}
	return 0;
}

static char *make_store(void)
{
	strcpy(dir, "/tmp/gs-pagescan-XXXXXX");
	assert_non_null(mkdtemp(dir));
	char *path = path_join(dir, "t.db");
	store *s;
	struct gs_err e;
	assert_int_equal(store_open(path, &s, &e), 0);
	struct store_item it = {.ext_id = "a", .set = "s", .hash = "h", .kind = "single", .json = "{}", .meta = "{}"};
	int outcome;
	assert_int_equal(store_begin(s, &e), 0);
	assert_int_equal(store_item_put(s, &it, &outcome, &e), 0);
	assert_int_equal(store_commit(s, &e), 0);
	char *note = xmalloc(9001);
	memset(note, 'x', 9000);
	note[9000] = 0;
	for (int i = 0; i < 60; i++) {
		struct store_label l = {.item_row = 1, .ext_id = "a", .rubric = "r", .rubric_version = 1, .rater = "ann",
					.vals = "{\"ok\":\"yes\"}", .note = i == 30 ? note : "short", .seconds = 2.5};
		long long id;
		assert_int_equal(store_label_add(s, &l, &id, &e), 0);
	}
	free(note);
	store_close(s);
	return path;
}

static void reads_every_label(void **state)
{
	(void)state;
	char *path = make_store();
	struct found f = {0};
	struct ps_counts c;
	assert_int_equal(pagescan_file(path, each, &f, &c), 0);
	assert_int_equal(f.labels, 60);
	assert_int_equal(f.max_id, 60);
	assert_int_equal(f.long_note, 1);
	assert_true(c.leaves > 0 && c.leaves <= c.pages);
	free(path);
}

static void reads_a_leaf_with_a_bad_type(void **state)
{
	(void)state;
	char *path = make_store(), *text;
	size_t len;
	struct gs_err e;
	assert_int_equal(read_file(path, &text, &len, &e), 0);
	/* every table leaf page's type byte (13) damaged: its cells still read */
	for (size_t off = 4096; off + 4096 <= len; off += 4096)
		if (text[off] == 13) text[off] = (char)0xf2;
	struct found f = {0};
	struct ps_counts c;
	assert_int_equal(pagescan_buffer((unsigned char *)text, len, 0, each, &f, &c), 0);
	assert_int_equal(f.labels, 60);
	free(text);
	free(path);
	struct found none = {0};
	assert_int_equal(pagescan_file("/nonexistent/goldset.db", each, &none, &c), -1);
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(reads_every_label, teardown),
		cmocka_unit_test_teardown(reads_a_leaf_with_a_bad_type, teardown),
	};
	return cmocka_run_group_tests_name("pagescan", tests, NULL, NULL);
}
