/* test_ratings.c: the one ratings table (ratings.h): building it from
 * labels (raters, units, missing values, the later label winning, labels
 * the rubric cannot read), the humans' majority (mode for nominal slots,
 * median for scales, ties, even counts), the spread of a unit's values,
 * and a pairwise table over declared items. Every expected value is
 * derived by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ratings.h"

/* slots: 0 correct (binary: no=0, yes=1), 1 helpful (scale 1..5, ordinal:
 * value v is the number v+1), 2 topic (choice, nominal: billing=0, tech=1,
 * other=2), 3 checks/A, 4 checks/B (checklist items: no=0, yes=1) */
static const char *SINGLE =
	"{\"name\":\"t\",\"version\":2,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"correct\",\"type\":\"binary\",\"labels\":[\"no\",\"yes\"]},"
	"{\"id\":\"helpful\",\"type\":\"scale\",\"min\":1,\"max\":5},"
	"{\"id\":\"topic\",\"type\":\"choice\",\"options\":[\"billing\",\"tech\",\"other\"]},"
	"{\"id\":\"checks\",\"type\":\"checklist\",\"items\":[\"A\",\"B\"]}]}";

static const char *PAIRWISE =
	"{\"name\":\"p\",\"mode\":\"pairwise\",\"criteria\":[{\"id\":\"better\",\"type\":\"preference\"}]}";

enum { CORRECT, HELPFUL, TOPIC, CHECK_A, CHECK_B };

static struct rubric *parse(const char *text)
{
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(text, strlen(text), "t.json", &r, &e, NULL, NULL), 0);
	return r;
}

static void add(struct ratings *t, const char *id, const char *rater, const char *vals, int want)
{
	struct ratings_label l = {.id = id, .rater = rater, .vals = vals, .rubric_version = 2};
	assert_int_equal(ratings_add(t, &l), want);
}

static void add_pair(struct ratings *t, const char *id, const char *rater, const char *left, const char *right,
		     const char *vals, int want)
{
	char pk[64];
	snprintf(pk, sizeof pk, "%s|%s", strcmp(left, right) < 0 ? left : right, strcmp(left, right) < 0 ? right : left);
	struct ratings_label l = {.id = id, .rater = rater, .pair_key = pk, .left = left, .right = right, .vals = vals};
	assert_int_equal(ratings_add(t, &l), want);
}

/* The labels of the single-output tests (raters in table order: alice,
 * bob, carol, then the judge; dave's only label is unreadable):
 *
 *   item  rater    correct  helpful  topic    checks
 *   i1    alice    yes      4        billing  A yes, B no
 *   i1    bob      no       2        tech     A yes, B yes
 *   i1    carol    yes      5        tech
 *   i1    judge:x  no       1        other
 *   i1    dave     (helpful 9: outside the scale, counted as unparsed)
 *   i2    alice    yes      3
 *   i2    bob      no       4
 *   i3    alice    (helpful 1, then a later label with helpful 2: 2 wins)
 *   i3    bob               2
 *   i4    bob      yes      4
 *   i5    alice             2
 *   i5    bob               3
 *   i5    carol             3
 *   i5    judge:x           5
 */
static struct ratings *single_table(struct rubric *r)
{
	struct ratings *t = ratings_new(r, RATINGS_LABELED);
	ratings_item(t, "i1", "short", 120);
	add(t, "i1", "judge:x", "{\"correct\":\"no\",\"helpful\":1,\"topic\":\"other\"}", 0);
	add(t, "i1", "carol", "{\"correct\":\"yes\",\"helpful\":5,\"topic\":\"tech\"}", 0);
	add(t, "i1", "alice", "{\"correct\":\"yes\",\"helpful\":4,\"topic\":\"billing\",\"checks\":{\"A\":true,\"B\":false}}", 0);
	add(t, "i1", "bob", "{\"correct\":\"no\",\"helpful\":2,\"topic\":\"tech\",\"checks\":{\"A\":true,\"B\":true}}", 0);
	add(t, "i1", "dave", "{\"helpful\":9}", -1);
	add(t, "i2", "alice", "{\"correct\":\"yes\",\"helpful\":3}", 0);
	add(t, "i2", "bob", "{\"correct\":\"no\",\"helpful\":4}", 0);
	add(t, "i3", "alice", "{\"helpful\":1}", 0);
	add(t, "i3", "bob", "{\"helpful\":2}", 0);
	add(t, "i3", "alice", "{\"helpful\":2}", 0);
	add(t, "i4", "bob", "{\"correct\":\"yes\",\"helpful\":4}", 0);
	add(t, "i5", "alice", "{\"helpful\":2}", 0);
	add(t, "i5", "bob", "{\"helpful\":3}", 0);
	add(t, "i5", "carol", "{\"helpful\":3}", 0);
	add(t, "i5", "judge:x", "{\"helpful\":5}", 0);
	ratings_finish(t);
	return t;
}

/* the rubric and table of a test, freed by teardown */
struct fixture { struct rubric *r; struct ratings *t; };

static int setup_single(void **state)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->r = parse(SINGLE);
	f->t = single_table(f->r);
	*state = f;
	return 0;
}

static int setup_rubric(void **state, const char *text, enum ratings_kind kind)
{
	struct fixture *f = xcalloc(1, sizeof *f);
	f->r = parse(text);
	f->t = ratings_new(f->r, kind);
	*state = f;
	return 0;
}

static int setup_pairwise_items(void **state) { return setup_rubric(state, PAIRWISE, RATINGS_ITEMS); }
static int setup_single_items(void **state) { return setup_rubric(state, SINGLE, RATINGS_ITEMS); }

static int teardown(void **state)
{
	struct fixture *f = *state;
	ratings_free(f->t);
	rubric_free(f->r);
	free(f);
	return 0;
}

static void builds_the_table(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	/* humans by name, then judges; dave has no readable label, so no column */
	assert_int_equal(t->nraters, 4);
	assert_string_equal(t->raters[0], "alice");
	assert_string_equal(t->raters[1], "bob");
	assert_string_equal(t->raters[2], "carol");
	assert_string_equal(t->raters[3], "judge:x");
	assert_null(t->raters[4]);
	assert_int_equal(ratings_rater_pos(t, "dave"), -1);
	assert_int_equal(t->unparsed, 1);
	assert_int_equal(t->rubric_version, 2);
	/* units: the labeled items by id; only i1 was declared (its facts) */
	assert_int_equal(t->nunits, 5);
	assert_string_equal(t->u[0].ext_id, "i1");
	assert_string_equal(t->u[4].ext_id, "i5");
	assert_int_equal(t->u[0].item, 0);
	assert_string_equal(t->items[t->u[0].item].slice, "short");
	assert_int_equal(t->u[1].item, RATINGS_NO_ITEM);
	/* values: slot value indices; -1 where a rater gave none */
	const struct ratings_unit *i1 = &t->u[0], *i3 = &t->u[2];
	assert_int_equal(ratings_val(t, i1, 0, HELPFUL), 3);   /* alice: 4 = value 3 */
	assert_int_equal(ratings_val(t, i1, 2, TOPIC), 1);     /* carol: tech */
	assert_int_equal(ratings_val(t, i1, 2, CHECK_A), -1);  /* carol: no checklist */
	assert_int_equal(ratings_val(t, i3, 0, HELPFUL), 1);   /* alice's later label (2) wins over 1 */
	assert_int_equal(ratings_val(t, i3, 2, HELPFUL), -1);  /* carol never labeled i3 */
}

static void values_as_text_numbers_json(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	const struct ratings_unit *i1 = &t->u[0];
	char buf[32];
	assert_string_equal(ratings_value_text(t, i1, HELPFUL, 3, buf), "4");
	assert_string_equal(ratings_value_text(t, i1, CORRECT, 1, buf), "yes");
	assert_string_equal(ratings_value_text(t, i1, TOPIC, -1, buf), "");
	assert_true(ratings_number(t, i1, HELPFUL, 3) == 4.0);   /* the scale's number */
	assert_true(ratings_number(t, i1, TOPIC, 2) == 2.0);     /* an option's index */
	assert_true(isnan(ratings_number(t, i1, TOPIC, -1)));
	char *j = ratings_value_json(t, i1, HELPFUL, 3);
	assert_string_equal(j, "4");
	free(j);
	j = ratings_value_json(t, i1, TOPIC, 1);
	assert_string_equal(j, "\"tech\"");
	free(j);
	j = ratings_value_json(t, i1, CHECK_B, 1);
	assert_string_equal(j, "true");
	free(j);
	assert_int_equal(ratings_value_parse(t, i1, TOPIC, "\"other\""), 2);
	assert_int_equal(ratings_value_parse(t, i1, TOPIC, "\"nope\""), -1);
}

static void majority_mode_and_median(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	const struct ratings_unit *i1 = &t->u[0], *i2 = &t->u[1], *i3 = &t->u[2], *i4 = &t->u[3], *i5 = &t->u[4];
	int votes, tie;
	/* i1 helpful, humans (pos NULL leaves the judge out): 4, 2, 5 as values
	 * 3, 1, 4; sorted 1, 3, 4: the median is 3 (the number 4). A nominal
	 * mode of the same three would be a three-way tie: the scale decides. */
	assert_int_equal(ratings_majority(t, i1, HELPFUL, NULL, 0, &votes, &tie), 3);
	assert_int_equal(votes, 3);
	assert_int_equal(tie, 0);
	/* i1 topic (nominal): billing, tech, tech -> the mode, tech (1) */
	assert_int_equal(ratings_majority(t, i1, TOPIC, NULL, 0, &votes, &tie), 1);
	/* i1 correct: yes, no, yes -> yes (1); with the judge named as well
	 * (columns 0..3): yes, no, yes, no -> two values twice each: a tie */
	assert_int_equal(ratings_majority(t, i1, CORRECT, NULL, 0, &votes, &tie), 1);
	size_t all[] = {0, 1, 2, 3};
	assert_int_equal(ratings_majority(t, i1, CORRECT, all, 4, &votes, &tie), -1);
	assert_int_equal(tie, 1);
	assert_int_equal(votes, 4);
	/* i1 helpful over all four: values 3, 1, 4, 0 sorted 0, 1, 3, 4: an
	 * even count whose middle values (1, 3) differ: a tie */
	assert_int_equal(ratings_majority(t, i1, HELPFUL, all, 4, &votes, &tie), -1);
	assert_int_equal(tie, 1);
	/* i1 checks: A yes, yes -> yes; B no, yes -> a tie of two */
	assert_int_equal(ratings_majority(t, i1, CHECK_A, NULL, 0, &votes, &tie), 1);
	assert_int_equal(ratings_majority(t, i1, CHECK_B, NULL, 0, &votes, &tie), -1);
	assert_int_equal(tie, 1);
	/* i2 helpful: 3, 4 (values 2, 3): even, middles differ -> tie; topic: nobody */
	assert_int_equal(ratings_majority(t, i2, HELPFUL, NULL, 0, &votes, &tie), -1);
	assert_int_equal(tie, 1);
	assert_int_equal(ratings_majority(t, i2, TOPIC, NULL, 0, &votes, &tie), -1);
	assert_int_equal(votes, 0);
	assert_int_equal(tie, 0);
	/* i3 helpful: 2, 2 (values 1, 1): even, middles equal -> 1 */
	assert_int_equal(ratings_majority(t, i3, HELPFUL, NULL, 0, &votes, &tie), 1);
	assert_int_equal(votes, 2);
	/* i4: one value (4 = value 3), one vote */
	assert_int_equal(ratings_majority(t, i4, HELPFUL, NULL, 0, &votes, &tie), 3);
	assert_int_equal(votes, 1);
	/* i5 over all four: 2, 3, 3, 5 (values 1, 2, 2, 4): middles 2 and 2 -> 2 (the number 3) */
	assert_int_equal(ratings_majority(t, i5, HELPFUL, all, 4, &votes, &tie), 2);
	assert_int_equal(tie, 0);
}

static void spread_of_values(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	const struct ratings_unit *i1 = &t->u[0], *i3 = &t->u[2], *i4 = &t->u[3];
	size_t humans[] = {0, 1, 2};
	/* i1 helpful, every rater: 4, 2, 5, 1 -> range 5 - 1 = 4; the humans: 4, 2, 5 -> 3 */
	assert_true(ratings_spread(t, i1, HELPFUL, NULL, 0) == 4.0);
	assert_true(ratings_spread(t, i1, HELPFUL, humans, 3) == 3.0);
	/* nominal: any difference is 1 */
	assert_true(ratings_spread(t, i1, TOPIC, NULL, 0) == 1.0);
	/* i3: 2 and 2 agree; i4: only one value */
	assert_true(ratings_spread(t, i3, HELPFUL, NULL, 0) == 0.0);
	assert_true(ratings_spread(t, i4, HELPFUL, NULL, 0) == 0.0);
	/* selection: the humans, in table order; judges only when named */
	const char **sel = ratings_select(t, NULL);
	assert_string_equal(sel[2], "carol");
	assert_null(sel[3]);
	free(sel);
}

/* A pairwise table over declared items i1, i2, i3 (i3 declared twice)
 * with the raters named bob, alice (kept in that order):
 *   i1  alice  shown m2 | m1, chose m2   -> the second of (m1, m2): 1
 *   i1  bob    shown m1 | m2, chose tie  -> 2
 *   i1  carol  not named: left out
 *   i9  alice  not a declared item: left out
 *   i2  alice  shown m1 | m3, chose m1   -> 0
 *   i2  alice  shown m1 | m4, "zzz"      -> unreadable (counted), but its
 *                                           pair is a unit all the same
 * Units by item, then pair key: (i1, m1|m2), (i2, m1|m3), (i2, m1|m4).
 * Winner categories over the table, in byte order: m1, m2, tie. */
static void pairwise_over_items(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	ratings_rater(t, "bob");
	ratings_rater(t, "alice");
	ratings_item(t, "i1", NULL, -1);
	ratings_item(t, "i2", NULL, -1);
	ratings_item(t, "i3", NULL, -1);
	ratings_item(t, "i3", NULL, -1);
	add_pair(t, "i1", "alice", "m2", "m1", "{\"better\":\"m2\"}", 0);
	add_pair(t, "i1", "bob", "m1", "m2", "{\"better\":\"tie\"}", 0);
	add_pair(t, "i1", "carol", "m1", "m2", "{\"better\":\"m1\"}", 1);
	add_pair(t, "i9", "alice", "m1", "m2", "{\"better\":\"m1\"}", 1);
	add_pair(t, "i2", "alice", "m1", "m3", "{\"better\":\"m1\"}", 0);
	add_pair(t, "i2", "alice", "m1", "m4", "{\"better\":\"zzz\"}", -1);
	ratings_finish(t);
	assert_int_equal(t->nitems, 3);
	assert_int_equal(t->nraters, 2);
	assert_string_equal(t->raters[0], "bob");
	assert_int_equal(t->unparsed, 1);
	assert_int_equal(t->nunits, 3);
	const struct ratings_unit *u = &t->u[0];
	assert_string_equal(u->sys[0], "m1");
	assert_string_equal(u->sys[1], "m2");
	assert_int_equal(u->item, 0);
	assert_int_equal(ratings_val(t, u, 1, 0), 1);   /* alice: m2 */
	assert_int_equal(ratings_val(t, u, 0, 0), 2);   /* bob: tie */
	char buf[32];
	assert_string_equal(ratings_value_text(t, u, 0, 1, buf), "m2");
	assert_string_equal(ratings_value_text(t, u, 0, 2, buf), "tie");
	assert_string_equal(ratings_value_text(t, NULL, 0, 1, buf), "second");
	assert_int_equal(t->ncats, 3);
	assert_true(ratings_number(t, u, 0, 1) == 1.0);        /* m2 */
	assert_true(ratings_number(t, &t->u[1], 0, 0) == 0.0); /* m1 */
	assert_int_equal(ratings_val(t, &t->u[2], 1, 0), -1);  /* the unreadable label */
	assert_true(ratings_spread(t, u, 0, NULL, 0) == 1.0);  /* m2 against tie */
}

/* a single rubric over declared items: a unit per item, labeled or not */
static void single_over_items(void **state)
{
	struct ratings *t = ((struct fixture *)*state)->t;
	ratings_item(t, "b", NULL, -1);
	ratings_item(t, "a", NULL, -1);
	struct ratings_label l = {.id = "a", .rater = "zed", .vals = "{\"helpful\":5}", .note = "why", .rubric_version = 1};
	assert_int_equal(ratings_add(t, &l), 0);
	ratings_finish(t);
	assert_int_equal(t->nunits, 2);
	assert_string_equal(t->u[0].ext_id, "b");   /* declaration order */
	assert_int_equal(ratings_val(t, &t->u[0], 0, HELPFUL), -1);
	assert_int_equal(ratings_val(t, &t->u[1], 0, HELPFUL), 4);
	assert_string_equal(t->u[1].note[0], "why");
	assert_null(t->u[0].note[0]);
	assert_int_equal(t->rubric_version, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(builds_the_table, setup_single, teardown),
		cmocka_unit_test_setup_teardown(values_as_text_numbers_json, setup_single, teardown),
		cmocka_unit_test_setup_teardown(majority_mode_and_median, setup_single, teardown),
		cmocka_unit_test_setup_teardown(spread_of_values, setup_single, teardown),
		cmocka_unit_test_setup_teardown(pairwise_over_items, setup_pairwise_items, teardown),
		cmocka_unit_test_setup_teardown(single_over_items, setup_single_items, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
