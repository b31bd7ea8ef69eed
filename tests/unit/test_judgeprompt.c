/* test_judgeprompt.c: the judge's prompt (template variables and sections,
 * the reference only when the rubric allows it, chat turns, a pair as A
 * and B) and the reading of its answers (a bare object, a ```json block in
 * prose, garbage, values out of range, a missing criterion, the comment);
 * and one call of a command through judgeproc (the prompt on stdin only). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "app/judgeproc.h"
#include "model/judgeprompt.h"

static const char *SINGLE =
	"{\"name\":\"qa\",\"instructions\":\"Be strict.\",\"criteria\":["
	"{\"id\":\"ok\",\"type\":\"binary\",\"question\":\"Correct?\"},"
	"{\"id\":\"stars\",\"type\":\"scale\",\"min\":1,\"max\":3,\"anchors\":{\"1\":\"bad\",\"3\":\"great\"}},"
	"{\"id\":\"checks\",\"type\":\"checklist\",\"items\":[\"cites\",\"short\"]}]}";
static const char *PAIR =
	"{\"name\":\"pw\",\"mode\":\"pairwise\",\"judge_reference\":false,\"criteria\":["
	"{\"id\":\"better\",\"type\":\"preference\"}]}";

static struct rubric *rubric_of(const char *text)
{
	struct rubric *r;
	struct gs_err e;
	assert_int_equal(rubric_parse(text, strlen(text), "r.json", &r, &e, NULL, NULL), 0);
	return r;
}

static void item_of(const char *line, struct item *it)
{
	struct gs_err e;
	char *canon;
	assert_int_equal(item_parse_line(line, strlen(line), "i.jsonl", 1, NULL, &canon, it, &e), 0);
	free(canon);
}

static void renders_variables_and_sections(void **state)
{
	(void)state;
	struct rubric *r = rubric_of(SINGLE);
	struct item it;
	item_of("{\"id\":\"a\",\"input\":\"Q?\",\"output\":\"$(rm -rf /)\",\"reference\":\"R.\"}", &it);
	const char *t = "[{{rubric}}]{{#single}}S{{/single}}{{#pairwise}}P{{/pairwise}}|{{input}}|{{output}}|"
			"{{#reference}}ref={{reference}}{{/reference}}|{{#instructions}}{{instructions}}{{/instructions}} {x}";
	struct gs_err e;
	assert_int_equal(judge_template_check(t, "t", &e), 0);
	char *p = judge_prompt_render(t, r, &it, 0, 0);
	assert_string_equal(p, "[qa]S|Q?|$(rm -rf /)|ref=R.|Be strict. {x}");
	free(p);
	p = judge_prompt_render("{{criteria}}", r, &it, 0, 0);
	assert_string_equal(p, "- ok: Correct?\n  Answer \"no\" or \"yes\".\n"
			       "- stars\n  Answer a whole number from 1 to 3.\n    1 = bad\n    3 = great\n"
			       "- checks\n  Answer an object with true or false for each of these items:\n"
			       "    \"cites\"\n    \"short\"");
	free(p);
	p = judge_prompt_render("{{answer_format}}", r, &it, 0, 0);
	assert_non_null(strstr(p, "{\"ok\":\"yes\",\"stars\":3,\"checks\":{\"cites\":true,\"short\":true},"
				  "\"comment\":\"why, in a sentence or two\"}"));
	free(p);
	item_free(&it);
	rubric_free(r);
}

static void pairs_chat_and_no_reference(void **state)
{
	(void)state;
	struct rubric *r = rubric_of(PAIR);
	struct item it;
	item_of("{\"id\":\"p\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}],"
		"\"outputs\":[{\"system\":\"m1\",\"text\":\"one\"},{\"system\":\"m2\",\"text\":\"two\"}],\"reference\":\"R\"}", &it);
	char *p = judge_prompt_render("{{input}}|A={{output_a}} B={{output_b}}{{#reference}}|{{reference}}{{/reference}}",
				      r, &it, 1, 0);
	assert_string_equal(p, "[user]\nhi\n\n[assistant]\nyo|A=two B=one");
	free(p);
	p = judge_prompt_render(judge_default_template, r, &it, 0, 1);
	assert_non_null(strstr(p, "Answer A:\none\n\nAnswer B:\ntwo\n"));
	assert_null(strstr(p, "Reference"));
	assert_null(strstr(p, "{{"));
	free(p);
	item_free(&it);
	rubric_free(r);
}

static void bad_templates(void **state)
{
	(void)state;
	static const struct { const char *t, *want; } cases[] = {
		{"ok\n{{outptu}}", "t.prompt:2: unknown template variable {{outptu}}"},
		{"{{#single}}x", "t.prompt:1: section {{#single}} is never closed"},
		{"{{/single}}", "t.prompt:1: {{/single}} closes no open section"},
		{"{{#single}}{{/pairwise}}", "closes no open section"},
		{"{{input", "unknown template variable {{input"},
	};
	struct gs_err e;
	assert_int_equal(judge_template_check(judge_default_template, "d", &e), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(judge_template_check(cases[i].t, "t.prompt", &e), EX_DATAERR);
		if (!strstr(e.msg, cases[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e.msg, cases[i].want);
	}
}

static void reads_answers(void **state)
{
	(void)state;
	struct rubric *r = rubric_of(SINGLE);
	int slots[5];
	char *note;
	struct gs_err e;
	const char *bare = " {\"ok\":\"yes\",\"stars\":2,\"checks\":{\"cites\":true,\"short\":false},\"comment\":\"fine\"}\n";
	assert_int_equal(judge_answer_parse(r, bare, strlen(bare), slots, &note, &e), 0);
	assert_int_equal(slots[0], 1);
	assert_int_equal(slots[1], 1);
	assert_int_equal(slots[2], 1);
	assert_int_equal(slots[3], 0);
	assert_string_equal(note, "fine");
	free(note);
	const char *fenced = "Here you go:\n```json\n{\"ok\":\"no\",\"stars\":3,\"checks\":{\"cites\":false,\"short\":true}}\n```\nbye";
	assert_int_equal(judge_answer_parse(r, fenced, strlen(fenced), slots, &note, &e), 0);
	assert_int_equal(slots[0], 0);
	assert_int_equal(slots[1], 2);
	assert_null(note);
	static const struct { const char *text, *want; } bad[] = {
		{"Looks good to me, 4 stars", "no JSON object"},
		{"", "no JSON object"},
		{"{\"ok\":\"yes\",\"stars\":4,\"checks\":{\"cites\":true,\"short\":true}}", "not a valid value of scale criterion \"stars\""},
		{"{\"ok\":\"yes\",\"stars\":2}", "no value for \"checks/cites\""},
		{"{\"ok\":\"yes\",\"stars\":2,\"checks\":{\"cites\":true,\"short\":true},\"extra\":1}", "has no criterion \"extra\""},
		{"{\"ok\":\"yes\",\"ok\":\"no\"}", "answer: duplicate key"},
		{"{\"ok\":\"yes\",", "no JSON object"},
		{"```json\n{\"ok\":}\n```", "not a valid JSON object"},
		{"{\"ok\":\"yes\",\"stars\":2,\"checks\":{\"cites\":true,\"short\":true},\"comment\":3}", "comment must be a string"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(judge_answer_parse(r, bad[i].text, strlen(bad[i].text), slots, &note, &e), EX_DATAERR);
		assert_null(note);
		if (!strstr(e.msg, bad[i].want)) fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e.msg, bad[i].want);
	}
	rubric_free(r);
}

static void pair_answers_are_sides(void **state)
{
	(void)state;
	struct rubric *r = rubric_of(PAIR);
	int slot;
	char *note;
	struct gs_err e;
	const char *b = "{\"better\":\"B\"}", *sys = "{\"better\":\"m1\"}";
	assert_int_equal(judge_answer_parse(r, b, strlen(b), &slot, &note, &e), 0);
	assert_int_equal(slot, 1);
	assert_int_equal(judge_answer_parse(r, sys, strlen(sys), &slot, &note, &e), EX_DATAERR);
	rubric_free(r);
}

/* a call: the text on stdin, nothing of it in the command line */
static void one_call(void **state)
{
	(void)state;
	struct jproc p;
	struct gs_err e;
	const char *text = "$(echo injected) `echo x`; echo y\n";
	assert_int_equal(jproc_start(&p, "cat; echo done >&2", text, strlen(text), &e), 0);
	struct pollfd fds[JPROC_FDS];
	while (!jproc_ended(&p, now_seconds(), 10)) {
		size_t n = jproc_pollfds(&p, fds);
		if (poll(fds, n, 100) > 0) jproc_service(&p, fds, n);
	}
	assert_null(jproc_failure(&p, 10));
	assert_int_equal(p.out.len, strlen(text));
	assert_memory_equal(p.out.p, text, strlen(text));
	assert_string_equal(p.err.p, "done\n");
	jproc_free(&p);
	assert_int_equal(jproc_start(&p, "sleep 30", "", 0, &e), 0);
	while (!jproc_ended(&p, now_seconds(), 0.2)) poll(NULL, 0, 20);
	char *why = jproc_failure(&p, 0.2);
	assert_string_equal(why, "no answer within 0.2 s (killed)");
	free(why);
	jproc_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(renders_variables_and_sections),
		cmocka_unit_test(pairs_chat_and_no_reference),
		cmocka_unit_test(bad_templates),
		cmocka_unit_test(reads_answers),
		cmocka_unit_test(pair_answers_are_sides),
		cmocka_unit_test(one_call),
	};
	return cmocka_run_group_tests_name("judgeprompt", tests, NULL, NULL);
}
