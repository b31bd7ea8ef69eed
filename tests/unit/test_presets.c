/* test_presets.c: the rules of presets.h on small files in the tools'
 * shapes: ids KEY@SYSTEM, Inspect's C/I/P/N and numbers, promptfoo's pass
 * and 0..1 score on binary and scale criteria, --map, and the line and
 * field of a problem. Expected values follow the rules by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/presets.h"

static const char *RUBRIC =
	"{\"name\":\"t\",\"version\":1,\"mode\":\"single\",\"criteria\":["
	"{\"id\":\"ok\",\"type\":\"binary\",\"labels\":[\"bad\",\"good\"]},"
	"{\"id\":\"stars\",\"type\":\"scale\",\"min\":1,\"max\":5},"
	"{\"id\":\"four\",\"type\":\"scale\",\"min\":1,\"max\":4}]}";

/* an Inspect log: samples 1..6 with scorer "s" giving these values */
static char *inspect_log(const char *const *values, size_t n)
{
	struct sbuf b = {0};
	sb_add(&b, "{\"eval\": {\"task\": \"t\", \"model\": \"m/x\"},\n \"samples\": [\n");
	for (size_t i = 0; i < n; i++)
		sb_addf(&b, "%s  {\"id\": %zu, \"epoch\": %d, \"input\": \"q\", \"output\": {\"choices\": [{\"message\": "
			"{\"role\": \"assistant\", \"content\": \"a\"}}]}, \"scores\": {\"s\": {\"value\": %s, "
			"\"explanation\": \"why\"}}}\n", i ? "," : "", i + 1, i == 1 ? 2 : 1, values[i]);
	sb_add(&b, "]}\n");
	return sb_take(&b);
}

static char *labels_of(enum preset p, const char *text, const char *map, struct preset_label_stats *st, int *rc,
		       struct gs_err *e)
{
	struct rubric *r;
	assert_int_equal(rubric_parse(RUBRIC, strlen(RUBRIC), "t.json", &r, e, NULL, NULL), 0);
	struct preset_map m = {0};
	assert_int_equal(preset_map_parse(map, &m, e), 0);
	GPtrArray *recs = preset_recs_new();
	*rc = preset_labels(p, "f.json", text, strlen(text), r, &m, recs, st, e);
	struct sbuf b = {0};
	for (guint i = 0; i < recs->len; i++) sb_addf(&b, "%s\n", ((struct preset_rec *)recs->pdata[i])->json);
	g_ptr_array_free(recs, TRUE);
	preset_map_free(&m);
	rubric_free(r);
	return sb_take(&b);
}

static void inspect_letters_binary(void **state)
{
	(void)state;
	const char *v[] = {"\"C\"", "\"I\"", "\"P\"", "\"N\"", "true", "0"};
	char *log = inspect_log(v, 6);
	struct preset_label_stats st;
	struct gs_err e;
	int rc;
	char *out = labels_of(PRESET_INSPECT, log, "s=ok", &st, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(out,
		"{\"id\":\"1@m/x\",\"labels\":{\"ok\":\"good\"},\"note\":\"s: why\"}\n"
		"{\"id\":\"2#2@m/x\",\"labels\":{\"ok\":\"bad\"},\"note\":\"s: why\"}\n"
		"{\"id\":\"5@m/x\",\"labels\":{\"ok\":\"good\"},\"note\":\"s: why\"}\n"
		"{\"id\":\"6@m/x\",\"labels\":{\"ok\":\"bad\"},\"note\":\"s: why\"}\n");
	assert_int_equal(st.no_value, 2);   /* P and N */
	free(out);
	free(log);
}

static void inspect_letters_scale(void **state)
{
	(void)state;
	const char *v[] = {"\"C\"", "\"I\"", "\"P\"", "\"N\"", "4"};
	char *log = inspect_log(v, 5);
	struct preset_label_stats st;
	struct gs_err e;
	int rc;
	char *out = labels_of(PRESET_INSPECT, log, "s=stars", &st, &rc, &e);
	assert_int_equal(rc, 0);
	/* C max 5, I min 1, P the middle (1 + 5) / 2 = 3, N none, 4 as is */
	assert_non_null(strstr(out, "\"1@m/x\",\"labels\":{\"stars\":5}"));
	assert_non_null(strstr(out, "\"2#2@m/x\",\"labels\":{\"stars\":1}"));
	assert_non_null(strstr(out, "\"3@m/x\",\"labels\":{\"stars\":3}"));
	assert_null(strstr(out, "\"4@m/x\""));
	assert_non_null(strstr(out, "\"5@m/x\",\"labels\":{\"stars\":4}"));
	free(out);
	free(log);
	/* on 1..4 the middle of P is 2.5, rounded down: 2 */
	const char *p[] = {"\"P\""};
	log = inspect_log(p, 1);
	out = labels_of(PRESET_INSPECT, log, "s=four", &st, &rc, &e);
	assert_string_equal(out, "{\"id\":\"1@m/x\",\"labels\":{\"four\":2},\"note\":\"s: why\"}\n");
	free(out);
	free(log);
}

static void inspect_bad_number(void **state)
{
	(void)state;
	const char *v[] = {"\"C\"", "2.5"};
	char *log = inspect_log(v, 2);
	struct preset_label_stats st;
	struct gs_err e;
	int rc;
	char *out = labels_of(PRESET_INSPECT, log, "s=stars", &st, &rc, &e);
	assert_int_equal(rc, EX_DATAERR);
	assert_string_equal(e.msg, "f.json:4: the score is not a whole number on the scale (samples[1].scores.s)");
	free(out);
	free(log);
}

static const char *PROMPTFOO =
	"{\"results\": {\"prompts\": [{\"id\": \"P1\", \"provider\": \"a\"}, {\"id\": \"P2\", \"provider\": \"a\"}],\n"
	"\"results\": [\n"
	"{\"testIdx\": 0, \"promptId\": \"P1\", \"provider\": {\"id\": \"exec: a.sh\", \"label\": \"a\"},\n"
	" \"prompt\": {\"raw\": \"q1\"}, \"response\": {\"output\": \"x\"}, \"gradingResult\": {\"componentResults\": [\n"
	"  {\"pass\": true, \"score\": 0.5, \"reason\": \"fine\", \"assertion\": {\"type\": \"llm-rubric\"}},\n"
	"  {\"pass\": false, \"score\": 0.1, \"assertion\": {\"type\": \"llm-rubric\", \"metric\": \"tone\"}}]}},\n"
	"{\"testIdx\": 1, \"promptId\": \"P2\", \"provider\": {\"id\": \"exec: a.sh\"},\n"
	" \"prompt\": {\"raw\": \"q2\"}, \"response\": {\"output\": \"y\"}}\n"
	"]}}\n";

static void promptfoo_items_and_scores(void **state)
{
	(void)state;
	struct gs_err e;
	GPtrArray *recs = preset_recs_new();
	assert_int_equal(preset_items(PRESET_PROMPTFOO, "o.json", PROMPTFOO, strlen(PROMPTFOO), recs, &e), 0);
	assert_int_equal(recs->len, 2);
	/* two prompts: .pN; the label, else the id, names the system */
	assert_string_equal(((struct preset_rec *)recs->pdata[0])->json,
			    "{\"id\":\"1.p1@a\",\"input\":\"q1\",\"output\":\"x\",\"meta\":{\"system\":\"a\"}}");
	assert_string_equal(((struct preset_rec *)recs->pdata[1])->json,
			    "{\"id\":\"2.p2@exec: a.sh\",\"input\":\"q2\",\"output\":\"y\",\"meta\":{\"system\":\"exec: a.sh\"}}");
	g_ptr_array_free(recs, TRUE);
	struct preset_label_stats st;
	int rc;
	/* pass to binary; 0.5 on 1..4: 1 + 0.5 * 3 = 2.5, rounded: 3; 0.1: 1.3 -> 1 */
	char *out = labels_of(PRESET_PROMPTFOO, PROMPTFOO, "llm-rubric=ok,tone=four", &st, &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(out, "{\"id\":\"1.p1@a\",\"labels\":{\"ok\":\"good\",\"four\":1},\"note\":\"llm-rubric: fine\"}\n");
	free(out);
	out = labels_of(PRESET_PROMPTFOO, PROMPTFOO, "llm-rubric=four", &st, &rc, &e);
	assert_string_equal(out, "{\"id\":\"1.p1@a\",\"labels\":{\"four\":3},\"note\":\"llm-rubric: fine\"}\n");
	assert_int_equal(st.unmapped, 1);   /* tone */
	free(out);
}

static void problems_name_line_and_field(void **state)
{
	(void)state;
	struct gs_err e;
	GPtrArray *recs = preset_recs_new();
	const char *bad = "{\"results\": {\"results\": [\n{\"testIdx\": 0, \"provider\": {\"id\": \"p\"},\n"
			  " \"prompt\": {\"raw\": \"q\"}, \"response\": {}}]}}";
	assert_int_equal(preset_items(PRESET_PROMPTFOO, "o.json", bad, strlen(bad), recs, &e), EX_DATAERR);
	assert_string_equal(e.msg, "o.json:3: no output (results.results[0].response.output)");
	const char *dup = "{\"samples\": [],\n \"samples\": []}";
	assert_int_equal(preset_items(PRESET_INSPECT, "l.json", dup, strlen(dup), recs, &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "l.json:2: "));
	assert_non_null(strstr(e.msg, "(samples)"));
	struct preset_map m = {0};
	assert_int_equal(preset_map_parse("llm-rubric", &m, &e), EX_USAGE);
	assert_int_equal(preset_map_parse("a=b,c=d", &m, &e), 0);
	assert_int_equal(m.n, 2);
	preset_map_free(&m);
	enum preset p;
	assert_int_equal(preset_parse("openai-evals", &p), 0);
	assert_int_equal(p, PRESET_OPENAI_EVALS);
	assert_int_equal(preset_parse("langsmith", &p), -1);
	g_ptr_array_free(recs, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(inspect_letters_binary),
		cmocka_unit_test(inspect_letters_scale),
		cmocka_unit_test(inspect_bad_number),
		cmocka_unit_test(promptfoo_items_and_scores),
		cmocka_unit_test(problems_name_line_and_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
