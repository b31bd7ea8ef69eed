/* test_rank.c: the ranking behind `goldset rank` (src/app/rank.c) without a
 * terminal: a fit's order and notes, the left-side win rate per rater, a
 * CSV of comparisons (and its errors), and the workspace's pairwise labels
 * of a rubric: the criterion picked, labels it cannot read, --by slices. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/rank.h"

static const struct rank_spec no_boot = {NULL, NULL, 0, 1};

/* 1 if some note contains s */
static int has_note(const struct rank_fit *f, const char *s)
{
	for (size_t i = 0; i < f->nnote; i++)
		if (strstr(f->note[i], s)) return 1;
	return 0;
}

static const char *nth_best(const struct rank_fit *f, size_t k) { return f->name[f->ord[k]]; }

static void fit_orders_best_first(void **state)
{
	(void)state;
	/* c beats b beats a, each pair 3-1 */
	struct rank_cmp c[12];
	size_t n = 0;
	const char *pairs[3][2] = {{"a", "b"}, {"b", "c"}, {"a", "c"}};
	for (int p = 0; p < 3; p++)
		for (int k = 0; k < 4; k++) {
			const char *x = pairs[p][0], *y = pairs[p][1];
			c[n++] = (struct rank_cmp){x, y, k ? y : x, NULL, NULL};
		}
	struct rank_fit f;
	struct gs_err e;
	assert_int_equal(rank_fit(c, n, &no_boot, 1, &f, &e), 0);
	assert_int_equal(f.r.n, 3);
	assert_int_equal(f.r.comparisons, 12);
	assert_true(f.r.finite);
	assert_string_equal(nth_best(&f, 0), "c");
	assert_string_equal(nth_best(&f, 1), "b");
	assert_string_equal(nth_best(&f, 2), "a");
	assert_int_equal(f.has_left, 0);
	assert_int_equal(f.nrl, 0);
	assert_true(has_note(&f, "no intervals: --bootstrap 0"));
	assert_true(has_note(&f, "the CSV has no left column"));
	rank_fit_free(&f);
}

static void fit_without_comparisons(void **state)
{
	(void)state;
	struct rank_fit f;
	struct gs_err e;
	assert_int_equal(rank_fit(NULL, 0, &no_boot, 0, &f, &e), 0);
	assert_int_equal(f.r.n, 0);
	assert_int_equal(f.nnote, 1);
	assert_string_equal(f.note[0], "no comparisons: nothing to rank");
	rank_fit_free(&f);
}

static void fit_separated(void **state)
{
	(void)state;
	struct rank_cmp c[] = {{"x", "y", "x", NULL, NULL}, {"x", "y", "x", NULL, NULL}};
	struct rank_fit f;
	struct gs_err e;
	assert_int_equal(rank_fit(c, 2, &no_boot, 0, &f, &e), 0);
	assert_false(f.r.finite);
	assert_string_equal(nth_best(&f, 0), "x");
	assert_true(has_note(&f, "x never lost: 2 wins"));
	assert_true(has_note(&f, "y never won"));
	assert_false(has_note(&f, "left column"));   /* not a CSV */
	rank_fit_free(&f);
}

static void fit_refuses_a_bad_comparison(void **state)
{
	(void)state;
	struct rank_cmp same[] = {{"x", "x", "x", NULL, NULL}}, winner[] = {{"x", "y", "z", NULL, NULL}};
	struct rank_fit f;
	struct gs_err e;
	assert_int_equal(rank_fit(same, 1, &no_boot, 0, &f, &e), EX_DATAERR);
	assert_string_equal(e.msg, "comparison 1: a and b are the same system (b)");
	assert_int_equal(rank_fit(winner, 1, &no_boot, 0, &f, &e), EX_DATAERR);
	assert_string_equal(e.msg, "comparison 1: winner is neither a, b nor tie (winner)");
}

static void left_side_by_rater(void **state)
{
	(void)state;
	/* zed always picks the left side (10 of 10); amy half the time; ties are left out */
	struct rank_cmp c[24];
	size_t n = 0;
	for (int k = 0; k < 10; k++) {
		const char *l = k % 2 ? "p" : "q", *r = k % 2 ? "q" : "p";
		c[n++] = (struct rank_cmp){"p", "q", l, l, "zed"};
		c[n++] = (struct rank_cmp){"p", "q", k < 5 ? l : r, l, "amy"};
	}
	c[n++] = (struct rank_cmp){"p", "q", "tie", "p", "amy"};
	c[n++] = (struct rank_cmp){"p", "q", "p", NULL, "amy"};   /* left unknown */
	struct rank_fit f;
	struct gs_err e;
	assert_int_equal(rank_fit(c, n, &no_boot, 0, &f, &e), 0);
	assert_true(f.has_left);
	assert_int_equal(f.nrl, 2);
	assert_string_equal(f.rl[0].name, "amy");
	assert_int_equal(f.rl[0].decided, 10);
	assert_int_equal(f.rl[0].won, 5);
	assert_false(rank_rater_biased(&f.rl[0]));
	assert_string_equal(f.rl[1].name, "zed");
	assert_int_equal(f.rl[1].decided, 10);
	assert_int_equal(f.rl[1].won, 10);
	assert_true(rank_rater_biased(&f.rl[1]));
	assert_true(has_note(&f, "position bias of rater zed"));
	assert_false(has_note(&f, "position bias of rater amy"));
	rank_fit_free(&f);
}

/* writes text to a temporary file; returns its path (malloc'd) */
static char *temp_file(const char *text)
{
	char *path = xstrdup("/tmp/gs-rank-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void pairs_from_csv(void **state)
{
	(void)state;
	char *path = temp_file("a,b,winner,left\nm1,m2,m1,m2\nm2,m3,tie,m3\nm1,m3,m3,m1\n");
	struct rank_result res;
	struct gs_err e;
	assert_int_equal(rank_pairs(path, &no_boot, &res, &e), 0);
	assert_true(res.pairs);
	assert_int_equal(res.nfit, 1);
	assert_int_equal(res.fit[0].r.comparisons, 3);
	assert_int_equal(res.fit[0].r.n, 3);
	assert_true(res.fit[0].has_left);
	assert_int_equal(res.fit[0].nrl, 0);        /* a CSV names no raters */
	assert_false(has_note(&res.fit[0], "no left column"));
	rank_result_free(&res);
	unlink(path);
	free(path);
}

static void pairs_csv_errors(void **state)
{
	(void)state;
	static const struct { const char *csv, *msg; } bad[] = {
		{"a,b,winner\nx,y,x\nx,y,q\n", ":3: \"q\" is neither a, b nor tie (winner)"},
		{"a,b\nx,y\n", ":1: no column winner: the header must name a,b,winner (header)"},
		{"a,b,winner,left\nx,y,x,z\n", ":2: \"z\" is neither a nor b (left)"},
		{"a,b,winner\ntie,y,y\n", ":2: \"tie\" cannot name a system (a)"},
		{"", ":1: empty file, expected the header a,b,winner (header)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *path = temp_file(bad[i].csv);
		struct rank_result res;
		struct gs_err e;
		assert_int_equal(rank_pairs(path, &no_boot, &res, &e), EX_DATAERR);
		assert_int_equal(strncmp(e.msg, path, strlen(path)), 0);
		assert_string_equal(e.msg + strlen(path), bad[i].msg);
		rank_result_free(&res);
		unlink(path);
		free(path);
	}
}

/* ---- the workspace's labels ---- */

static char dir[64];

static const char rubric_json[] =
	"{\"name\":\"pw\",\"version\":1,\"mode\":\"pairwise\",\"instructions\":\"Pick.\",\"criteria\":["
	"{\"id\":\"note\",\"type\":\"binary\",\"question\":\"Fine?\"},"
	"{\"id\":\"better\",\"type\":\"preference\",\"question\":\"Which?\"},"
	"{\"id\":\"safer\",\"type\":\"preference\",\"question\":\"Safer?\"}]}";

static void put_item(store *s, const char *id, const char *meta)
{
	struct gs_err e;
	int outcome;
	struct store_item it = {.ext_id = id, .set = "s", .hash = id, .kind = "pairwise", .json = "{}", .meta = meta};
	assert_int_equal(store_item_put(s, &it, &outcome, &e), 0);
}

static void put_label(store *s, const char *id, const char *rater, const char *left, const char *right,
		      const char *vals)
{
	struct gs_err e;
	struct store_item it;
	long long row;
	assert_int_equal(store_item_get(s, id, &it, &e), 0);
	row = it.id;
	store_item_free(&it);
	char *key = xasprintf("[\"%s\",\"%s\"]", strcmp(left, right) < 0 ? left : right,
			      strcmp(left, right) < 0 ? right : left);
	struct store_label l = {.item_row = row, .ext_id = id, .rubric = "pw", .rubric_version = 1, .rater = rater,
				.vals = vals, .left_sys = left, .right_sys = right, .pair_key = key, .seconds = 1};
	assert_int_equal(store_label_add(s, &l, &row, &e), 0);
	free(key);
}

/* a new store in a new folder under /tmp */
static store *new_store(void)
{
	store *s = NULL;
	struct gs_err e;
	snprintf(dir, sizeof dir, "/tmp/gs-rank-XXXXXX");
	if (!mkdtemp(dir)) fail_msg("no temporary folder");
	char *path = xasprintf("%s/t.db", dir);
	int rc = store_open(path, &s, &e);
	free(path);
	assert_int_equal(rc, 0);
	return s;
}

/* three items of two slices and one without the key, labeled by four raters */
static int ws_setup(void **state)
{
	store *s = new_store();
	struct gs_err e;
	assert_int_equal(store_begin(s, &e), 0);
	put_item(s, "i1", "{\"grp\":\"g1\"}");
	put_item(s, "i2", "{\"grp\":\"g2\"}");
	put_item(s, "i3", "{}");
	put_label(s, "i1", "ann", "sa", "sb", "{\"better\":\"sa\",\"safer\":\"sb\"}");
	put_label(s, "i2", "ann", "sb", "sa", "{\"better\":\"tie\"}");
	put_label(s, "i3", "bob", "sa", "sb", "{\"better\":\"sb\"}");
	put_label(s, "i3", "cy", "sa", "sb", "{\"better\":\"nobody\"}");   /* the rubric cannot read it */
	put_label(s, "i1", "dee", "sa", "sb", "{\"note\":\"yes\"}");          /* no answer to rank by */
	assert_int_equal(store_commit(s, &e), 0);
	*state = s;
	return 0;
}

/* the store's files (the database, its log and shared memory), then the folder */
static int ws_teardown(void **state)
{
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	store_close(*state);
	for (size_t i = 0; i < ARRAY_LEN(files); i++) {
		char *path = path_join(dir, files[i]);
		unlink(path);
		free(path);
	}
	return rmdir(dir);
}

static struct rubric *pw_rubric(void)
{
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(rubric_json, strlen(rubric_json), "pw.json", &r, &e, NULL, NULL), 0);
	return r;
}

static void labels_of_a_rubric(void **state)
{
	struct rubric *r = pw_rubric();
	struct rank_result res;
	struct gs_err e;
	assert_int_equal(rank_labels(*state, r, &no_boot, &res, &e), 0);
	assert_false(res.pairs);
	assert_string_equal(res.rubric, "pw");
	assert_string_equal(res.criterion, "better");
	assert_string_equal(res.other_prefs, "safer");
	assert_int_equal(res.unread, 1);
	assert_int_equal(res.nfit, 1);
	const struct rank_fit *f = &res.fit[0];
	assert_int_equal(f->r.comparisons, 3);                /* ann twice, bob once */
	assert_int_equal(f->r.sys[0].wins + f->r.sys[1].wins, 2);
	assert_int_equal(f->nrl, 2);
	assert_string_equal(f->rl[0].name, "ann");
	assert_int_equal(f->rl[0].decided, 1);              /* the tie is left out */
	assert_int_equal(f->rl[0].won, 1);
	rubric_free(r);
	rank_result_free(&res);

	struct rank_spec safer = {"safer", NULL, 0, 1};
	r = pw_rubric();
	assert_int_equal(rank_labels(*state, r, &safer, &res, &e), 0);
	assert_string_equal(res.criterion, "safer");
	assert_string_equal(res.other_prefs, "better");
	assert_int_equal(res.fit[0].r.comparisons, 1);
	rank_result_free(&res);

	struct rank_spec nope = {"note", NULL, 0, 1};
	assert_int_equal(rank_labels(*state, r, &nope, &res, &e), EX_USAGE);
	assert_string_equal(e.msg, "criterion note of rubric pw is not a preference (A/B/tie) criterion");
	rank_result_free(&res);
	rubric_free(r);
}

static void labels_by_slice(void **state)
{
	struct rubric *r = pw_rubric();
	struct rank_spec by = {NULL, "grp", 0, 1};
	struct rank_result res;
	struct gs_err e;
	assert_int_equal(rank_labels(*state, r, &by, &res, &e), 0);
	assert_int_equal(res.nfit, 3);
	assert_string_equal(res.fit[0].slice, "g1");
	assert_string_equal(res.fit[1].slice, "g2");
	assert_null(res.fit[2].slice);                       /* items without the key last */
	assert_int_equal(res.fit[0].r.comparisons, 1);
	assert_int_equal(res.fit[1].r.comparisons, 1);
	assert_int_equal(res.fit[2].r.comparisons, 1);
	assert_int_equal(res.nflips, 0);
	rank_result_free(&res);
	rubric_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fit_orders_best_first),
		cmocka_unit_test(fit_without_comparisons),
		cmocka_unit_test(fit_separated),
		cmocka_unit_test(fit_refuses_a_bad_comparison),
		cmocka_unit_test(left_side_by_rater),
		cmocka_unit_test(pairs_from_csv),
		cmocka_unit_test(pairs_csv_errors),
		cmocka_unit_test_setup_teardown(labels_of_a_rubric, ws_setup, ws_teardown),
		cmocka_unit_test_setup_teardown(labels_by_slice, ws_setup, ws_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
