/* fuzz_rubric.c: libFuzzer entry for the rubric parser (src/model/rubric.c). The
 * input is a rubric file. Checks, beyond memory safety and no undefined
 * behaviour:
 *   - rubric_parse() accepts exactly when rubric_check() counts no error,
 *     and every message is one line naming the file;
 *   - for an accepted rubric, every slot has a name and a value text, and
 *     values survive the trip slots -> labels JSON -> slots, for every
 *     value of every slot (partial and complete answers, pairwise sides);
 *   - rubric_sides_json() and rubric_value_number() run on every value.
 * Built by tests/fuzz/run.sh; replayed by tests/fuzz/replay.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/rubric.h"

struct count { int errors; };

static void on_report(void *ctx, int is_error, const char *msg)
{
	struct count *c = ctx;
	c->errors += is_error;
	die_if(strncmp(msg, "fuzz.json", 9) != 0);
	check_msg(msg);
}

static void on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	check_msg(msg);
}

/* slots -> JSON -> slots is the identity */
static void round_trip(const struct rubric *r, const int *slots, size_t n, const char *left, const char *right)
{
	char *json = rubric_values_to_json(r, slots, left, right);
	int *back = malloc((n ? n : 1) * sizeof *back);
	struct gs_err e = {0};
	die_if(rubric_values_from_json(r, json, left, right, 0, back, "fuzz", &e) != 0);
	for (size_t i = 0; i < n; i++) die_if(back[i] != slots[i]);
	int complete = 1;
	for (size_t i = 0; i < n; i++) complete &= slots[i] >= 0;
	int rc = rubric_values_from_json(r, json, left, right, 1, back, "fuzz", &e);
	die_if(complete ? rc != 0 : rc != EX_DATAERR);
	char *sides = rubric_sides_json(r, slots);
	free(sides);
	free(back);
	free(json);
}

static void exercise(const struct rubric *r)
{
	size_t n = rubric_slot_count(r);
	die_if(n == 0);
	int *slots = malloc(n * sizeof *slots);
	int maxopts = 0;
	for (size_t s = 0; s < n; s++) {
		struct slot_info si;
		rubric_slot_info(r, s, &si);
		die_if(!si.crit || si.nopts < 1 || !si.name[0]);
		if (si.nopts > maxopts) maxopts = si.nopts;
		char buf[32];
		for (int v = 0; v < si.nopts; v++) {
			die_if(rubric_value_text(r, s, v, buf)[0] == 0);
			die_if(isnan(rubric_value_number(r, s, v)));
		}
		die_if(rubric_value_text(r, s, -1, buf)[0] != 0);
		die_if(rubric_value_text(r, s, si.nopts, buf)[0] != 0);
	}
	int pairwise = strcmp(r->mode, "pairwise") == 0;
	/* nothing answered, then every slot at value v (or its last value) */
	for (size_t s = 0; s < n; s++) slots[s] = -1;
	round_trip(r, slots, n, NULL, NULL);
	for (int v = 0; v < maxopts && v < 12; v++) {
		for (size_t s = 0; s < n; s++) {
			struct slot_info si;
			rubric_slot_info(r, s, &si);
			slots[s] = v < si.nopts ? v : (int)(s % 2 ? -1 : si.nopts - 1);
		}
		round_trip(r, slots, n, NULL, NULL);
		if (pairwise) round_trip(r, slots, n, "model-x", "model-y");
	}
	free(slots);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct count c = {0};
	int errors = rubric_check(text, size, "fuzz.json", on_report, &c);
	die_if(errors != c.errors);
	struct rubric *r = NULL;
	struct gs_err e = {0};
	int rc = rubric_parse(text, size, "fuzz.json", &r, &e, on_warn, NULL);
	if (rc) {
		die_if(errors == 0 || rc != EX_DATAERR);
		check_msg(e.msg);
		die_if(strncmp(e.msg, "fuzz.json", 9) != 0);
		return 0;
	}
	die_if(errors != 0 || !r || r->ncrit == 0 || !r->name[0] || strlen(r->hash) != 32);
	exercise(r);
	rubric_free(r);
	return 0;
}
