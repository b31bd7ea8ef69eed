/* test_rubric.c: rubric validation (every problem named) and the
 * slots <-> JSON conversion of label values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/rubric.h"

static const char *GOOD =
	"{\"name\":\"t\",\"version\":3,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"correct\",\"type\":\"binary\",\"labels\":[\"no\",\"yes\"]},"
	"{\"id\":\"helpful\",\"type\":\"scale\",\"min\":1,\"max\":5,\"anchors\":{\"1\":\"bad\",\"5\":\"great\"}},"
	"{\"id\":\"topic\",\"type\":\"choice\",\"options\":[\"billing\",\"tech\",\"other\"]},"
	"{\"id\":\"checks\",\"type\":\"checklist\",\"items\":[\"A\",\"B\"]}]}";

static void parses_and_slots(void **state)
{
	(void)state;
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(GOOD, strlen(GOOD), "t.json", &r, &e, NULL, NULL), 0);
	assert_int_equal(r->version, 3);
	assert_int_equal(rubric_slot_count(r), 5);
	struct slot_info si;
	rubric_slot_info(r, 4, &si);
	assert_string_equal(si.name, "checks/B");
	rubric_slot_info(r, 1, &si);
	assert_int_equal(si.level, LEVEL_ORDINAL);
	assert_int_equal(si.nopts, 5);
	assert_string_equal(r->crit[1].anchors[4], "great");
	assert_null(r->crit[1].anchors[2]);
	int slots[5] = {1, 3, 0, 1, 0};
	char *j = rubric_values_to_json(r, slots, NULL, NULL);
	assert_string_equal(j, "{\"correct\":\"yes\",\"helpful\":4,\"topic\":\"billing\",\"checks\":{\"A\":true,\"B\":false}}");
	int back[5];
	assert_int_equal(rubric_values_from_json(r, j, NULL, NULL, 1, back, "x", &e), 0);
	assert_memory_equal(slots, back, sizeof slots);
	free(j);
	assert_int_equal(rubric_values_from_json(r, "{\"helpful\":9}", NULL, NULL, 0, back, "f:2", &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "f:2:"));
	assert_non_null(strstr(e.msg, "(labels.helpful)"));
	assert_int_equal(rubric_values_from_json(r, "{\"nope\":1}", NULL, NULL, 0, back, "f:2", &e), EX_DATAERR);
	assert_int_equal(rubric_values_from_json(r, "{\"helpful\":2}", NULL, NULL, 1, back, "f:2", &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "no value for"));
	rubric_free(r);
}

static void preference_values(void **state)
{
	(void)state;
	const char *t = "{\"name\":\"p\",\"mode\":\"pairwise\",\"criteria\":[{\"id\":\"better\",\"type\":\"preference\"}]}";
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(t, strlen(t), "p.json", &r, &e, NULL, NULL), 0);
	int s[1] = {1};
	char *j = rubric_values_to_json(r, s, "sysL", "sysR");
	assert_string_equal(j, "{\"better\":\"sysR\"}");
	int back[1];
	assert_int_equal(rubric_values_from_json(r, j, "sysL", "sysR", 1, back, "x", &e), 0);
	assert_int_equal(back[0], 1);
	char *sides = rubric_sides_json(r, s);
	assert_string_equal(sides, "{\"better\":\"B\"}");
	free(sides);
	free(j);
	rubric_free(r);
}

struct count { int errors, warnings; char first[512]; };
static void counter(void *ctx, int is_error, const char *msg)
{
	struct count *c = ctx;
	if (is_error && !c->errors) snprintf(c->first, sizeof c->first, "%s", msg);
	c->errors += is_error;
	c->warnings += !is_error;
}

static void check_lists_problems(void **state)
{
	(void)state;
	static const struct { const char *text, *want; int warn; } cases[] = {
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"stars\"}]}", "unknown type \"stars\"", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"scale\",\"min\":5,\"max\":1}]}", "min 5 > max 1", 0},
		/* problems found after parsing name the line, column and field too */
		{"{\"name\":\"x\",\n \"criteria\":[\n  {\"id\":\"a\",\"type\":\"scale\",\n   \"min\":5,\"max\":1}]}", "x.json:4:18: criterion \"a\": scale min 5 > max 1 (criteria[0].max)", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"binary\"},\n {\"type\":\"binary\"}]}", "x.json:2:2: criteria[1]: missing \"id\" (criteria[1].id)", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"choice\",\"options\":[\"p\",\n \"p\"]}]}", "x.json:2:2: criterion \"a\": options has \"p\" twice (criteria[0].options[1])", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"binary\"},{\"id\":\"a\",\"type\":\"binary\"}]}", "duplicate criterion id", 0},
		{"{\"name\":\"x\",\"criteria\":[]}", "x.json:1:24: no criteria (\"criteria\" must be a non-empty array) (criteria)", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"choice\",\"options\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\"]}]}", "more than the digit keys", 0},
		{"{\"name\":\"x\",\"mode\":\"pairwise\",\"criteria\":[{\"id\":\"a\",\"type\":\"binary\"}]}", "pairwise mode needs", 0},
		{"{\"name\":\"x\",\n \"criteria\": [,]}", "x.json:2:15: invalid JSON", 0},
		{"{\"name\":\"x\",\"criteria\":[{\"id\":\"a\",\"type\":\"scale\",\"min\":1,\"max\":7}]}", NULL, 1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct count c = {0};
		rubric_check(cases[i].text, strlen(cases[i].text), "x.json", counter, &c);
		if (cases[i].want) {
			assert_true(c.errors >= 1);
			if (!strstr(c.first, cases[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, c.first, cases[i].want);
		} else {
			assert_int_equal(c.errors, 0);
		}
		assert_int_equal(c.warnings, cases[i].warn);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_and_slots),
		cmocka_unit_test(preference_values),
		cmocka_unit_test(check_lists_problems),
	};
	return cmocka_run_group_tests_name("rubric", tests, NULL, NULL);
}
