/* test_items.c: the item parser: canonical form, chat transcripts, pairwise
 * outputs, --map with dotted paths, and clear errors for bad lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/items.h"

static int parse(const char *line, const struct item_map *m, char **canon, struct gs_err *e)
{
	return item_parse_line(line, strlen(line), "f.jsonl", 7, m, canon, NULL, e);
}

static void canonical_order(void **state)
{
	(void)state;
	char *c;
	struct gs_err e;
	assert_int_equal(parse("{\"meta\":{\"k\":\"v\"},\"output\":\"o\",\"extra\":1, \"input\":\"i\",\"id\":\"x1\"}", NULL, &c, &e), 0);
	assert_string_equal(c, "{\"id\":\"x1\",\"input\":\"i\",\"output\":\"o\",\"meta\":{\"k\":\"v\"}}");
	free(c);
}

static void numeric_id_and_chat(void **state)
{
	(void)state;
	char *c;
	struct gs_err e;
	struct item it;
	const char *l = "{\"id\":17,\"input\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}],\"output\":\"o\"}";
	assert_int_equal(item_parse_line(l, strlen(l), "f", 1, NULL, &c, &it, &e), 0);
	assert_string_equal(it.id, "17");
	assert_int_equal(it.nturns, 2);
	assert_string_equal(it.turns[1].content, "yo");
	assert_null(it.input);
	item_free(&it);
	free(c);
}

static void pairwise_outputs(void **state)
{
	(void)state;
	char *c;
	struct gs_err e;
	struct item it;
	const char *l = "{\"id\":\"p\",\"input\":\"q\",\"outputs\":[{\"system\":\"a\",\"text\":\"1\"},{\"system\":\"b\",\"text\":\"22\"}]}";
	assert_int_equal(item_parse_line(l, strlen(l), "f", 1, NULL, &c, &it, &e), 0);
	assert_int_equal(it.noutputs, 2);
	assert_int_equal(item_output_len(&it), 3);
	item_free(&it);
	free(c);
}

static void map_dotted(void **state)
{
	(void)state;
	struct item_map m;
	struct gs_err e;
	char *c;
	assert_int_equal(item_map_parse("id=uuid,input=messages.0.content,output=completion", &m, &e), 0);
	assert_int_equal(parse("{\"uuid\":\"u1\",\"messages\":[{\"content\":\"hello\"}],\"completion\":\"c\"}", &m, &c, &e), 0);
	assert_string_equal(c, "{\"id\":\"u1\",\"input\":\"hello\",\"output\":\"c\"}");
	free(c);
	assert_int_equal(parse("{\"uuid\":\"u1\",\"messages\":[],\"completion\":\"c\"}", &m, &c, &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "(messages.0.content)"));
	item_map_free(&m);
	assert_int_equal(item_map_parse("bogus=x", &m, &e), EX_USAGE);
}

static void errors_name_file_line_field(void **state)
{
	(void)state;
	static const struct { const char *line, *want; } cases[] = {
		{"{\"input\":\"i\",\"output\":\"o\"}", "f.jsonl:7: missing id (id)"},
		{"{\"id\":\"a\",\"output\":\"o\"}", "missing input (input)"},
		{"{\"id\":\"a\",\"input\":\"i\"}", "missing output"},
		{"{\"id\":\"a\",\"input\":5,\"output\":\"o\"}", "(input)"},
		{"{\"id\":\"a\",\"input\":[{\"role\":\"user\"}],\"output\":\"o\"}", "missing content (input[0].content)"},
		{"{\"id\":\"a\",\"input\":\"i\",\"outputs\":[{\"system\":\"x\",\"text\":\"t\"}]}", "at least two"},
		{"{\"id\":\"a\",\"input\":\"i\",\"output\":\"o\",\"meta\":[1]}", "meta must be an object"},
		{"{\"id\":\"a\",\"input\":\"i\",\"output\":\"o\"", "invalid JSON"},
		{"[1,2]", "must be a JSON object"},
		{"{\"id\":\"\",\"input\":\"i\",\"output\":\"o\"}", "id is empty"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *c = NULL;
		struct gs_err e = {0};
		assert_int_equal(parse(cases[i].line, NULL, &c, &e), EX_DATAERR);
		if (!strstr(e.msg, cases[i].want)) fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, e.msg, cases[i].want);
		assert_null(c);
	}
}

static void deep_nesting(void **state)
{
	(void)state;
	char line[400];
	strcpy(line, "{\"id\":\"a\",\"input\":\"i\",\"output\":\"o\",\"gold\":");
	for (int i = 0; i < 100; i++) strcat(line, "[");
	char *c = NULL;
	struct gs_err e;
	assert_int_equal(parse(line, NULL, &c, &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "nesting"));
}

static void utf8_checks(void **state)
{
	(void)state;
	size_t at;
	assert_true(utf8_valid("h\xC3\xA9llo \xE4\xBD\xA0", 10, &at));
	assert_false(utf8_valid("ab\xC0\xAF", 4, &at));   /* overlong */
	assert_int_equal(at, 2);
	assert_false(utf8_valid("\xED\xA0\x80", 3, &at)); /* surrogate */
	assert_false(utf8_valid("\xE4\xBD", 2, &at));     /* truncated */
	assert_false(utf8_valid("\xF5\x80\x80\x80", 4, &at));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_order),       cmocka_unit_test(numeric_id_and_chat),
		cmocka_unit_test(pairwise_outputs),      cmocka_unit_test(map_dotted),
		cmocka_unit_test(errors_name_file_line_field), cmocka_unit_test(deep_nesting),
		cmocka_unit_test(utf8_checks),
	};
	return cmocka_run_group_tests_name("items", tests, NULL, NULL);
}
