/* test_lwwmerge.c: cmocka tests for src/model/lwwmerge.c, the merge rule of the
 * files a team shares, and for the label times of src/base/util.c.  On many
 * random versions of one label file (keys, values, tombstones, equal and
 * unequal times, times with and without milliseconds) the merge is
 * commutative, associative and idempotent, keeps one line per key, and
 * that line is the one with the latest time (bytes breaking ties).  Times
 * are checked against `date -u -d ... +%s%3N` (GNU coreutils) values. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "model/lwwmerge.h"
#include "base/util.h"

/* ---- times ---- */

static void times_parse(void **state)
{
	(void)state;
	/* date -u -d 2026-11-22T10:31:07Z +%s%3N -> 1795343467000 */
	assert_true(gs_at_ms("2026-11-22T10:31:07Z") == INT64_C(1795343467000));
	assert_true(gs_at_ms("2026-11-22T10:31:07.120Z") == INT64_C(1795343467120));
	assert_true(gs_at_ms("2026-11-22T10:31:07.1Z") == INT64_C(1795343467100));
	/* date -u -d 2000-02-29T23:59:59.999Z +%s%3N -> 951868799999 */
	assert_true(gs_at_ms("2000-02-29T23:59:59.999Z") == INT64_C(951868799999));
	assert_true(gs_at_ms("1970-01-01T00:00:00Z") == 0);
	const char *bad[] = {"", "2026-11-22", "2026-11-22T10:31:07", "2026-13-01T00:00:00Z", "2026-11-22T10:31:07+01:00",
			     "2026-11-22T10:31:07.Z", "x026-11-22T10:31:07Z", "2026-11-22T24:00:00Z"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) assert_true(gs_at_ms(bad[i]) == -1);
}

static void times_round_trip(void **state)
{
	(void)state;
	char out[32];
	gs_at_format(INT64_C(1795343467120), out);
	assert_string_equal(out, "2026-11-22T10:31:07.120Z");
	uint64_t x = 88172645463325252ULL;
	for (int i = 0; i < 10000; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		int64_t ms = (int64_t)(x % UINT64_C(4102444800000));   /* before 2100 */
		gs_at_format(ms, out);
		assert_true(gs_at_ms(out) == ms);
	}
}

/* ---- random label files ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* one version of labels/qa/r.jsonl: a random subset of 12 keys */
static char *random_file(void)
{
	struct sbuf b = {0};
	for (int k = 0; k < 12; k++) {
		if (rnd(3) == 0) continue;
		unsigned sec = rnd(6), ms = rnd(3) * 500;
		char at[40];
		if (ms == 0 && rnd(2)) snprintf(at, sizeof at, "2026-01-01T00:00:%02uZ", sec);
		else snprintf(at, sizeof at, "2026-01-01T00:00:%02u.%03uZ", sec, ms);
		const char *vals[] = {"{\"ok\":\"yes\"}", "{\"ok\":\"no\"}", "null"};
		int pair = k >= 9;
		sb_addf(&b, "{\"id\":\"i%02d\",\"rubric\":\"qa\",\"rater\":\"r\"%s,\"labels\":%s,\"at\":\"%s\"}\n", k,
			pair ? (rnd(2) ? ",\"left\":\"m1\",\"right\":\"m2\"" : ",\"left\":\"m2\",\"right\":\"m1\"") : "",
			vals[rnd(3)], at);
	}
	return sb_take(&b);
}

static char *merged(const char *a, const char *b)
{
	struct sbuf out = {0};
	struct gs_err e;
	assert_int_equal(lww_merge("labels/qa/r.jsonl", a, strlen(a), b, strlen(b), &out, &e), 0);
	return sb_take(&out);
}

static void merge_laws(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		char *a = random_file(), *b = random_file(), *c = random_file();
		char *ab = merged(a, b), *ba = merged(b, a);
		assert_string_equal(ab, ba);                      /* commutative */
		char *ab_c = merged(ab, c), *bc = merged(b, c), *a_bc = merged(a, bc);
		assert_string_equal(ab_c, a_bc);                  /* associative */
		char *aa = merged(a, a), *a0 = merged(a, "");
		assert_string_equal(aa, a0);                      /* idempotent */
		char *abab = merged(ab, ab);
		assert_string_equal(abab, ab);
		free(a); free(b); free(c); free(ab); free(ba); free(ab_c); free(bc); free(a_bc); free(aa); free(a0);
		free(abab);
	}
}

static void merge_picks_latest(void **state)
{
	(void)state;
	const char *a = "{\"id\":\"x\",\"labels\":{\"ok\":\"yes\"},\"at\":\"2026-01-01T00:00:05Z\"}\n"
			"{\"id\":\"y\",\"labels\":{\"ok\":\"yes\"},\"at\":\"2026-01-01T00:00:01.000Z\"}\n";
	const char *b = "{\"id\":\"y\",\"labels\":null,\"at\":\"2026-01-01T00:00:01.001Z\"}\n"
			"{\"id\":\"x\",\"labels\":{\"ok\":\"no\"},\"at\":\"2026-01-01T00:00:04.999Z\"}\n"
			"{\"id\":\"w\",\"labels\":{\"ok\":\"no\"},\"at\":\"2026-01-01T00:00:00Z\"}\n";
	char *m = merged(a, b);
	assert_string_equal(m, "{\"id\":\"w\",\"labels\":{\"ok\":\"no\"},\"at\":\"2026-01-01T00:00:00Z\"}\n"
			       "{\"id\":\"x\",\"labels\":{\"ok\":\"yes\"},\"at\":\"2026-01-01T00:00:05Z\"}\n"
			       "{\"id\":\"y\",\"labels\":null,\"at\":\"2026-01-01T00:00:01.001Z\"}\n");
	free(m);
	/* equal times: the line whose bytes sort last, whichever side it came from */
	const char *c = "{\"id\":\"x\",\"labels\":{\"ok\":\"a\"},\"at\":\"2026-01-01T00:00:05Z\"}\n";
	const char *d = "{\"id\":\"x\",\"labels\":{\"ok\":\"b\"},\"at\":\"2026-01-01T00:00:05.000Z\"}\n";
	char *cd = merged(c, d), *dc = merged(d, c);
	assert_string_equal(cd, dc);
	assert_non_null(strstr(cd, "\"ok\":\"b\""));
	free(cd);
	free(dc);
}

/* one item's outputs labeled one by one: the system is part of the key, so
 * the two systems' lines are both kept and a newer line of one system
 * replaces that system's only */
static void merge_keys_on_system(void **state)
{
	(void)state;
	const char *a = "{\"id\":\"x\",\"system\":\"base\",\"labels\":{\"q\":1},\"at\":\"2026-01-01T00:00:01Z\"}\n"
			"{\"id\":\"x\",\"system\":\"new\",\"labels\":{\"q\":2},\"at\":\"2026-01-01T00:00:01Z\"}\n";
	const char *b = "{\"id\":\"x\",\"system\":\"new\",\"labels\":{\"q\":5},\"at\":\"2026-01-01T00:00:09Z\"}\n"
			"{\"id\":\"x\",\"labels\":{\"q\":3},\"at\":\"2026-01-01T00:00:00Z\"}\n";
	char *m = merged(a, b), *n = merged(b, a);
	assert_string_equal(m, n);
	assert_string_equal(m, "{\"id\":\"x\",\"labels\":{\"q\":3},\"at\":\"2026-01-01T00:00:00Z\"}\n"
			       "{\"id\":\"x\",\"system\":\"base\",\"labels\":{\"q\":1},\"at\":\"2026-01-01T00:00:01Z\"}\n"
			       "{\"id\":\"x\",\"system\":\"new\",\"labels\":{\"q\":5},\"at\":\"2026-01-01T00:00:09Z\"}\n");
	free(m);
	free(n);
}

static void merge_refuses_bad_lines(void **state)
{
	(void)state;
	struct sbuf out = {0};
	struct gs_err e;
	const char *good = "{\"id\":\"x\",\"labels\":{},\"at\":\"2026-01-01T00:00:05Z\"}\n";
	assert_int_equal(lww_merge("labels/qa/r.jsonl", good, strlen(good), "\n[1]\n", 5, &out, &e), EX_DATAERR);
	assert_string_equal(e.msg, "labels/qa/r.jsonl:2: not a JSON object (line)");
	const char *badat = "{\"id\":\"x\",\"at\":\"yesterday\"}";
	assert_int_equal(lww_merge("labels/qa/r.jsonl", badat, strlen(badat), "", 0, &out, &e), EX_DATAERR);
	assert_non_null(strstr(e.msg, "labels/qa/r.jsonl:1: at must be"));
	assert_int_equal(lww_merge("golden/s.jsonl", good, strlen(good), "", 0, &out, &e), EX_SOFTWARE);
	sb_free(&out);
	assert_true(lww_is_shared("labels/qa/alice.jsonl"));
	assert_true(lww_is_shared("consensus/qa.jsonl"));
	assert_false(lww_is_shared("golden/s.jsonl"));
	assert_false(lww_is_shared("labels/qa/alice.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_parse),
		cmocka_unit_test(times_round_trip),
		cmocka_unit_test(merge_laws),
		cmocka_unit_test(merge_picks_latest),
		cmocka_unit_test(merge_keys_on_system),
		cmocka_unit_test(merge_refuses_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
