/* test_jsoncheck.c: the validator of untrusted JSON text and names
 * (src/model/jsoncheck.c): NUL, invalid UTF-8 and unpaired surrogates refused
 * with the field they are in; numbers a double cannot keep refused (and
 * the ones it can printed back exactly); duplicate keys at any depth;
 * names checked where the patterns say; text that is not JSON left to
 * cJSON's position. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/jsoncheck.h"

static int scan(const char *s, const char *const *names, struct jc_error *e)
{
	return jsoncheck_text(s, strlen(s), names, e);
}

/* s is refused (not as a syntax error) with what containing want, in field */
static void refused(const char *s, const char *const *names, const char *want, const char *field)
{
	struct jc_error e;
	if (!scan(s, names, &e)) fail_msg("accepted: %s", s);
	if (e.syntax) fail_msg("%s: a syntax error, not \"%s\"", s, want);
	if (!strstr(e.what, want)) fail_msg("%s: got \"%s\", wanted \"%s\"", s, e.what, want);
	if (strcmp(e.field, field) != 0) fail_msg("%s: field \"%s\", wanted \"%s\"", s, e.field, field);
}

static void accepted(const char *s, const char *const *names)
{
	struct jc_error e;
	if (scan(s, names, &e)) fail_msg("refused: %s: %s (%s)%s", s, e.what, e.field, e.syntax ? " [syntax]" : "");
}

static void nul_anywhere(void **state)
{
	(void)state;
	refused("{\"id\":\"a\\u0000b\"}", NULL, "NUL character (\\u0000)", "id");
	refused("{\"input\":\"bad \\u0000 nul\"}", NULL, "NUL", "input");
	refused("{\"a\":[1,{\"b\\u0000\":1}]}", NULL, "NUL", "a[1]");    /* in a key: the object's path */
	refused("{\"a\":\"x\\u0000\"}", NULL, "NUL", "a");
	refused("[\"\\u0000\"]", NULL, "NUL", "[0]");
	static const char raw[] = "{\"a\":\"x\0y\"}", ws[] = "{\"a\":\0 1}", tail[] = "{\"a\":1}\0";
	struct jc_error e;
	assert_int_equal(jsoncheck_text(raw, sizeof raw - 1, NULL, &e), 1);
	assert_false(e.syntax);
	assert_string_equal(e.field, "a");
	assert_int_equal(e.off, 7);
	assert_int_equal(jsoncheck_text(ws, sizeof ws - 1, NULL, &e), 1);
	assert_non_null(strstr(e.what, "NUL byte"));
	assert_int_equal(jsoncheck_text(tail, sizeof tail - 1, NULL, &e), 1);
	assert_non_null(strstr(e.what, "NUL byte"));
	/* an escaped backslash before u0000 is text, not a NUL */
	accepted("{\"a\":\"\\\\u0000\"}", NULL);
	accepted("{\"a\":\"\\\\\\\\u0000\"}", NULL);
}

static void utf8_and_surrogates(void **state)
{
	(void)state;
	refused("{\"x\":\"a\xC0\xAF\"}", NULL, "invalid UTF-8", "x");          /* overlong '/' */
	refused("{\"x\":\"\xE0\x80\xAF\"}", NULL, "invalid UTF-8", "x");        /* overlong, 3 bytes */
	refused("{\"x\":\"\xED\xA0\x80\"}", NULL, "invalid UTF-8", "x");        /* a surrogate in UTF-8 */
	refused("{\"x\":\"\xF4\x90\x80\x80\"}", NULL, "invalid UTF-8", "x");    /* past U+10FFFF */
	refused("{\"x\":\"\x80\"}", NULL, "invalid UTF-8", "x");
	refused("{\"x\":\"\xE4\xBD\"}", NULL, "invalid UTF-8", "x");            /* cut short */
	refused("{\"x\":\"\xFF\"}", NULL, "invalid UTF-8", "x");
	refused("{\"k\xC0\xAF\":1}", NULL, "invalid UTF-8", "");
	refused("{\"x\":[\"\\ud800\"]}", NULL, "unpaired surrogate \\uD800", "x[0]");
	refused("{\"x\":\"\\udc00\"}", NULL, "unpaired surrogate \\uDC00", "x");
	refused("{\"x\":\"\\ud800\\u0041\"}", NULL, "unpaired surrogate", "x");
	refused("{\"x\":\"\\ud800\\ud800\"}", NULL, "unpaired surrogate", "x");
	refused("{\"x\":\"\\uDBFF\"}", NULL, "unpaired surrogate", "x");
	accepted("{\"x\":\"\\ud83d\\ude00 \\uD800\\uDC00 h\xC3\xA9 \xE4\xBD\xA0 \xF0\x9F\x98\x80\"}", NULL);
	/* text keeps controls: they are escaped on display, not refused */
	accepted("{\"x\":\"\\u001b[2J \x1b]0;t\x07 \\u009b \xC2\x9B \\u202e \xE2\x80\xAE\"}", NULL);
}

static void numbers(void **state)
{
	(void)state;
	refused("{\"meta\":{\"n\":1e999}}", NULL, "too large", "meta.n");
	refused("{\"n\":-1e999}", NULL, "too large", "n");
	refused("{\"n\":1.8e308}", NULL, "too large", "n");
	refused("{\"n\":1e-999}", NULL, "too small for a double (it would be kept as 0)", "n");
	refused("{\"n\":-1e-400}", NULL, "too small for a double (it would be kept as -0)", "n");
	refused("{\"n\":4.9e-324}", NULL, "too small for a double (it would be kept as 5e-324)", "n");
	refused("{\"n\":5e-324}", NULL, "too small", "n");              /* subnormal: fewer digits */
	refused("{\"n\":2.225073858507201e-308}", NULL, "too small", "n");
	refused("{\"n\":1.0000000000000000000000000000001e-320}", NULL, "too small", "n");
	refused("{\"n\":9007199254740993}", NULL, "would be kept as 9007199254740992", "n");
	refused("{\"n\":-9007199254740993}", NULL, "would be kept as -9007199254740992", "n");
	refused("{\"n\":1.00000000000000001}", NULL, "more significant digits", "n");
	refused("{\"n\":12345678901234567890}", NULL, "more significant digits", "n");
	refused("{\"n\":3.14159265358979323846}", NULL, "more significant digits", "n");
	refused("{\"n\":0.12345678901234567}", NULL, "would be kept as 0.12345678901234566", "n");
	refused("[1,2,[3,1e999]]", NULL, "too large", "[2][1]");
	static const char *const ok[] = {
		"0", "-0", "0.0", "0e99999999999", "1", "-17", "0.1", "1.5", "1e22", "1E+22", "100000000000000000000000",
		"9007199254740992", "-9007199254740992", "1234567890123456", "0.30000000000000004",
		"1.000000000000001", "1.0000000000000011", /* shortest, and the 17 digits of %.17g */
		"2.2250738585072014e-308", "1.7976931348623157e308", "-1.7976931348623157E+308", "123.4560000",
		"1.", "01", "1e-307", "9.99999999999999e307",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char buf[80];
		snprintf(buf, sizeof buf, "{\"n\":%s}", ok[i]);
		accepted(buf, NULL);
	}
}

static void duplicate_keys(void **state)
{
	(void)state;
	refused("{\"a\":1,\"a\":2}", NULL, "duplicate key \"a\"", "a");
	refused("{\"a\":1,\"\\u0061\":2}", NULL, "duplicate key \"a\"", "a");   /* the same key, written otherwise */
	refused("{\"id\":\"x\",\"meta\":{\"k\":1,\"j\":2,\"k\":\"3\"}}", NULL, "duplicate key \"k\"", "meta.k");
	refused("{\"a\":[{\"x\":[{\"y\":1,\"y\":1}]}]}", NULL, "duplicate key \"y\"", "a[0].x[0].y");
	refused("{\"\":1,\"\":2}", NULL, "duplicate key \"\"", "");
	/* a large object (sorted, not compared pair by pair): the earliest repeat */
	struct sbuf b = {0};
	sb_add(&b, "{");
	for (int i = 0; i < 500; i++) sb_addf(&b, "\"k%d\":%d,", i, i);
	sb_add(&b, "\"k77\":1,\"k3\":2}");
	refused(b.p, NULL, "duplicate key \"k77\"", "k77");
	sb_free(&b);
	accepted("{\"a\":{\"b\":1},\"b\":{\"a\":1},\"c\":[{\"a\":1},{\"a\":2}],\"A\":1}", NULL);
}

static void names_where_the_patterns_say(void **state)
{
	(void)state;
	static const char *const items[] = {"id", "outputs[].system", "meta{}", NULL};
	static const char *const rubric[] = {"name", "criteria[].id", "criteria[].items[]", NULL};
	static const char *const mapped[] = {"messages.0.uid", "x.*", NULL};
	refused("{\"id\":\"bob\\u001b[2J\"}", items, "a name cannot contain control character U+001B", "id");
	refused("{\"id\":\"bob\xE2\x80\xAE\"}", items, "bidirectional control U+202E", "id");
	refused("{\"id\":\"a\",\"outputs\":[{\"system\":\"m\"},{\"system\":\"m\xC2\x9B\"}]}", items,
		"control character U+009B", "outputs[1].system");
	refused("{\"meta\":{\"seg\\u2066\":\"v\"}}", items, "bidirectional control U+2066", "meta.seg\xE2\x81\xA6");
	refused("{\"criteria\":[{\"id\":\"ok\",\"items\":[\"fine\",\"b\\u200f\"]}]}", rubric, "U+200F",
		"criteria[0].items[1]");
	refused("{\"name\":\"n\",\"criteria\":[{\"id\":\"\\u061c\"}]}", rubric, "U+061C", "criteria[0].id");
	refused("{\"messages\":[{\"uid\":\"\\u0085\"}]}", mapped, "U+0085", "messages[0].uid");
	refused("{\"x\":{\"k\":\"\\u007f\"}}", mapped, "U+007F", "x.k");
	/* text is not a name: the same characters pass elsewhere */
	accepted("{\"id\":\"ok\",\"input\":\"\\u001b\",\"meta\":{\"k\":\"\\u202e\"},\"outputs\":[{\"text\":\"\\u009b\"}]}",
		 items);
	accepted("{\"name\":\"n\",\"criteria\":[{\"id\":\"c\",\"question\":\"\\u001b\",\"labels\":[\"\\u202e\",\"b\"]}]}",
		 rubric);
	accepted("{\"messages\":[{\"uid\":\"ok\"},{\"uid\":\"\\u001b\"}],\"y\":{\"k\":\"\\u001b\"}}", mapped);
	/* an empty name is the format's to refuse, with its own words */
	accepted("{\"id\":\"\"}", items);
	/* a 10 MB name: one short message */
	size_t n = 10 << 20;
	char *big = malloc(n + 32);
	strcpy(big, "{\"id\":\"");
	memset(big + 7, 'x', n);
	strcpy(big + 7 + n, "\"}");
	struct jc_error e;
	assert_int_equal(jsoncheck_text(big, strlen(big), items, &e), 1);
	assert_string_equal(e.what, "a name cannot be longer than 200 bytes");
	assert_string_equal(e.field, "id");
	free(big);
}

static void not_json_is_left_to_cjson(void **state)
{
	(void)state;
	struct jc_error e;
	assert_null(jsoncheck_parse("{\"a\":1", 6, NULL, &e));
	assert_true(e.syntax);
	assert_string_equal(e.what, "invalid JSON");
	/* cJSON takes what follows a value, and "-.5": the scan does not */
	assert_null(jsoncheck_parse("{\"a\":1} x", 9, NULL, &e));
	assert_true(e.syntax);
	assert_int_equal(e.off, 8);
	assert_null(jsoncheck_parse("[-.5]", 5, NULL, &e));
	assert_true(e.syntax);
	struct cJSON *v = jsoncheck_parse(" {\"a\":[1,\"x\"]} \r\n", 17, NULL, &e);
	assert_non_null(v);
	cJSON_Delete(v);
	/* a problem the scan finds comes before cJSON's error further on */
	assert_null(jsoncheck_parse("{\"a\":\"\\ud800\",", 14, NULL, &e));
	assert_false(e.syntax);
	assert_string_equal(e.field, "a");
}

/* every prefix of some texts, each in a buffer of exactly its size: the
 * scan never reads past the end (ASan), and a cut text is never accepted
 * unless it is JSON itself */
static void every_prefix(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"{\"name\": \"x\",\n  \"criteria\":[{\"id\":\"a\",\"items\":[\"b\",\"c\"]}], \"v\":-1.5e-3}",
		"{\"id\":\"a\\u00e9\\ud83d\\ude00\\\"\",\"n\":[true,false,null,0.30000000000000004]}",
		"[{\"k\":{\"k\":{}}},[],\"\xC3\xA9\xF0\x9F\x98\x80\"]",
	};
	static const char *const names[] = {"name", "criteria[].id", "criteria[].items[]", "id", NULL};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		size_t n = strlen(texts[t]);
		for (size_t k = 0; k <= n; k++) {
			char *buf = malloc(k ? k : 1);
			memcpy(buf, texts[t], k);
			struct jc_error e;
			int bad = jsoncheck_text(buf, k, names, &e);
			struct cJSON *v = jsoncheck_parse(buf, k, names, &e);
			if (k == n && (bad || !v)) fail_msg("text %zu refused: %s", t, e.what);
			if (!bad != !!v) fail_msg("text %zu, %zu bytes: scan %d, parse %p", t, k, bad, (void *)v);
			cJSON_Delete(v);
			free(buf);
		}
	}
}

static void names(void **state)
{
	(void)state;
	char why[96];
	static const char *const good[] = {"alice", "judge:gpt-4o", "\xC3\xA9lise", "\xE6\x97\xA5\xE6\x9C\xAC",
					   "\xF0\x9F\x98\x80", "'; DROP TABLE items; --", "../../etc/passwd", "a b"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		if (jsoncheck_name(good[i], strlen(good[i]), why)) fail_msg("refused %s: %s", good[i], why);
	static const struct { const char *s, *want; } bad[] = {
		{"", "be empty"},
		{"bob\x1b[2J", "control character U+001B"},
		{"a\tb", "control character U+0009"},
		{"a\x7f", "control character U+007F"},
		{"a\xC2\x80", "control character U+0080"},
		{"a\xC2\x9B" "2J", "control character U+009B"},
		{"a\xC2\x9F", "control character U+009F"},
		{"\xD8\x9C" "a", "bidirectional control U+061C"},
		{"a\xE2\x80\x8E", "bidirectional control U+200E"},
		{"a\xE2\x80\x8F", "bidirectional control U+200F"},
		{"a\xE2\x80\xAA", "bidirectional control U+202A"},
		{"a\xE2\x80\xAB", "bidirectional control U+202B"},
		{"a\xE2\x80\xAC", "bidirectional control U+202C"},
		{"a\xE2\x80\xAD", "bidirectional control U+202D"},
		{"evil\xE2\x80\xAE" "gnp.exe", "bidirectional control U+202E"},
		{"a\xE2\x81\xA6", "bidirectional control U+2066"},
		{"a\xE2\x81\xA9", "bidirectional control U+2069"},
		{"a\xE2\x80\xA8", "line separator U+2028"},
		{"al\xE2\x80\x8Bice", "invisible character U+200B"},
		{"\xEF\xBB\xBF" "bob", "invisible character U+FEFF"},
		{"a\xEF\xBF\xBE", "noncharacter U+FFFE"},
		{"a\xC0\xAF", "contain invalid UTF-8"},
		{"a\xED\xA0\x80", "contain invalid UTF-8"},
		{"\xFF", "contain invalid UTF-8"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *w = jsoncheck_name(bad[i].s, strlen(bad[i].s), why);
		if (!w || !strstr(w, bad[i].want)) fail_msg("case %zu: got \"%s\", wanted \"%s\"", i, w ? w : "(ok)", bad[i].want);
	}
	char len[202];
	memset(len, 'n', sizeof len);
	assert_null(jsoncheck_name(len, JC_NAME_MAX, why));
	assert_string_equal(jsoncheck_name(len, JC_NAME_MAX + 1, why), "be longer than 200 bytes");
	/* a NUL inside counts as a control character */
	assert_non_null(jsoncheck_name("a\0b", 3, why));
}

static void flags(void **state)
{
	(void)state;
	struct gs_err e = {0};
	assert_int_equal(jsoncheck_flag("--as", "alice", &e), 0);
	assert_int_equal(jsoncheck_flag("--as", "bob\x1b[2J", &e), EX_USAGE);
	assert_string_equal(e.msg, "--as \"bob^[[2J\": a name cannot contain control character U+001B");
	char *big = malloc(300);
	memset(big, 'x', 299);
	big[299] = 0;
	assert_int_equal(jsoncheck_flag("--tag", big, &e), EX_USAGE);
	assert_string_equal(e.msg, "--tag: a name cannot be longer than 200 bytes");
	free(big);
	assert_int_equal(jsoncheck_flag("--set", "", &e), EX_USAGE);
}

/* parse, keep numbers exact, print: the text that comes out */
static char *reprint(const char *s)
{
	struct jc_error e;
	struct cJSON *v = jsoncheck_parse(s, strlen(s), NULL, &e);
	assert_non_null(v);
	jsoncheck_exact_numbers(v);
	char *p = cJSON_PrintUnformatted(v);
	char *r = strdup(p);
	cJSON_free(p);
	cJSON_Delete(v);
	return r;
}

static void exact_printing(void **state)
{
	(void)state;
	static const struct { const char *in, *out; } cases[] = {
		/* what cJSON prints with 15 digits: unchanged */
		{"{\"a\":1,\"b\":1.5,\"c\":-0.25,\"d\":100000,\"e\":1e22,\"f\":0.1,\"g\":3000000000}",
		 "{\"a\":1,\"b\":1.5,\"c\":-0.25,\"d\":100000,\"e\":1e+22,\"f\":0.1,\"g\":3000000000}"},
		/* what it would round: kept */
		{"{\"big\":1234567890123456,\"max\":9007199254740992,\"f\":0.30000000000000004,\"g\":0.7999999999999999}",
		 "{\"big\":1234567890123456,\"max\":9007199254740992,\"f\":0.30000000000000004,\"g\":0.79999999999999993}"},
		{"{\"m\":{\"x\":[1.2345678901234567e+19,2.2250738585072014e-308]}}",
		 "{\"m\":{\"x\":[1.2345678901234567e+19,2.2250738585072014e-308]}}"},
		/* cJSON's own 17 digits where 16 would do: kept as cJSON prints them
		 * (the canonical lines written before stay the same) */
		{"[1.000000000000001,0.5692038748222122]", "[1.0000000000000011,0.56920387482221224]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *r = reprint(cases[i].in);
		if (strcmp(r, cases[i].out) != 0) fail_msg("case %zu: %s", i, r);
		/* and what is printed passes the check again, unchanged */
		char *again = reprint(r);
		assert_string_equal(again, r);
		free(again);
		free(r);
	}
	char out[32];
	jsoncheck_shortest(0.1 + 0.2, out);
	assert_string_equal(out, "0.30000000000000004");
	jsoncheck_shortest(1e-7, out);
	assert_string_equal(out, "1e-07");
	/* whatever cJSON prints of an accepted number is accepted again */
	static const char *const nums[] = {"0.7999999999999999", "1.000000000000001", "1234567890123456",
					   "9007199254740993e-5", "0.1", "123456.789e300"};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		char in[64];
		snprintf(in, sizeof in, "[%s]", nums[i]);
		struct jc_error e;
		struct cJSON *v = jsoncheck_parse(in, strlen(in), NULL, &e);
		if (!v) fail_msg("%s: %s", in, e.what);
		char *p = cJSON_PrintUnformatted(v);
		if (jsoncheck_text(p, strlen(p), NULL, &e)) fail_msg("cJSON's %s (of %s): %s", p, in, e.what);
		cJSON_free(p);
		cJSON_Delete(v);
	}
}

/* jsoncheck_locate: where the value of a field starts */
static void locate(void **state)
{
	(void)state;
	const char *t = "{\"name\":\"x\",\n \"criteria\":[{\"id\":\"a\"},\n  {\"id\":\"b\",\"max\":[1, 2]}],\"m\":{\"k.j\":3}}";
	size_t n = strlen(t);
	static const struct { const char *path, *at; } cases[] = {
		{"", "{\"name\""}, {"name", "\"x\""}, {"criteria", "[{"}, {"criteria[0]", "{\"id\":\"a\"}"},
		{"criteria[1].id", "\"b\""}, {"criteria[1].max", "[1, 2]"}, {"criteria[1].max[1]", "2]"},
		{"m.k.j", "3}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		long off = jsoncheck_locate(t, n, cases[i].path);
		if (off < 0 || strncmp(t + off, cases[i].at, strlen(cases[i].at)) != 0)
			fail_msg("%s: at %ld, not at %s", cases[i].path, off, cases[i].at);
	}
	assert_int_equal(jsoncheck_locate(t, n, "criteria[2]"), -1);
	assert_int_equal(jsoncheck_locate(t, n, "criteria[0].max"), -1);
	assert_int_equal(jsoncheck_locate("{\"a\":", 5, "a"), -1);   /* cut short: not found */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locate),
		cmocka_unit_test(nul_anywhere),        cmocka_unit_test(utf8_and_surrogates),
		cmocka_unit_test(numbers),             cmocka_unit_test(duplicate_keys),
		cmocka_unit_test(names_where_the_patterns_say), cmocka_unit_test(not_json_is_left_to_cjson),
		cmocka_unit_test(every_prefix),        cmocka_unit_test(names),
		cmocka_unit_test(flags),
		cmocka_unit_test(exact_printing),
	};
	return cmocka_run_group_tests_name("jsoncheck", tests, NULL, NULL);
}
